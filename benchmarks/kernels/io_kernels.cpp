// HDF5 snapshot write (agents + fields, the layout of every run file) in MB/s, uncompressed
// and at the default deflate level, into /dev/shm where it exists (the disk is not measured).
#include <deque>
#include <filesystem>
#include <string>

#include "benchmarks/kernels/kernel_support.hpp"
#include "sim/agents/population.hpp"
#include "sim/fields/field_set.hpp"
#include "sim/io/output_file.hpp"
#include "sim/io/snapshot_writer.hpp"

namespace hlhsim::bench {
namespace {

std::string scratch_file() {
    const std::filesystem::path dir =
        std::filesystem::exists("/dev/shm") ? "/dev/shm" : std::filesystem::temp_directory_path();
    return (dir / "hlhsim_bench_snapshot.h5").string();
}

// range(0): agents (W1 macrophage columns), fields 2 x W1's voxel count for that N.
void BM_SnapshotWrite(benchmark::State& st) {
    const auto n = static_cast<std::size_t>(st.range(0));
    const int compression = static_cast<int>(st.range(1));
    IdSource ids;
    std::deque<Population> pops;
    Population& pop = pops.emplace_back("cells", 2, ids);
    pop.add_column<std::uint8_t>("state");
    pop.add_column<std::int32_t>("contacts");
    for (const char* c : {"mx", "my", "vx", "vy"}) pop.add_column<double>(c);
    const double side = side_for(n);
    const Points p(n, side);
    for (std::size_t i = 0; i < n; ++i) pop.add({p.x[i], p.y[i], 0});
    GridSpec g;
    g.n = {static_cast<int>(side / 20), static_cast<int>(side / 20), 1};
    FieldSet fs(g, {{.name = "virus", .initial = 1}, {.name = "interferon", .initial = 0.5}});
    const std::string path = scratch_file();
    const double bytes = static_cast<double>(n * (pop.bytes_per_agent() + 1) +
                                             fs.num_voxels() * fs.num_fields() * sizeof(double));
    for (auto _ : st) {
        io::OutputFile out = io::OutputFile::create(path);
        io::write_agents(out, "/snapshots/000000/agents", pops, {}, compression);
        io::write_fields(out, "/snapshots/000000/fields", fs, compression);
        out.commit();
    }
    std::filesystem::remove(path);
    st.SetBytesProcessed(static_cast<std::int64_t>(static_cast<double>(st.iterations()) * bytes));
}
BENCHMARK(BM_SnapshotWrite)
    ->ArgsProduct({{100'000, 1'000'000}, {0, 4}})
    ->ArgNames({"n", "deflate"})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
}  // namespace hlhsim::bench
