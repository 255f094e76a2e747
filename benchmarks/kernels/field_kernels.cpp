// Fields: one FieldSet::step (implicit reaction + LOD diffusion) per voxel-field, 2-D and
// 3-D, and the VoxelAccumulator that turns agents' secretion into per-voxel sources.
#include <string>
#include <vector>

#include "benchmarks/kernels/kernel_support.hpp"
#include "sim/fields/field_set.hpp"
#include "sim/fields/voxel_accumulator.hpp"

namespace hlhsim::bench {
namespace {

FieldSet make_fields(int dims, int n, int count) {
    GridSpec g;
    g.dims = dims;
    g.n = {n, n, dims == 3 ? n : 1};
    g.dx = 20;
    std::vector<FieldSpec> specs;
    for (int f = 0; f < count; ++f)
        specs.push_back({.name = "f" + std::to_string(f), .diffusion = 1000, .decay = 0.1});
    FieldSet fs(g, std::move(specs));
    for (std::size_t f = 0; f < fs.num_fields(); ++f) {
        auto s = fs.source(f);
        for (std::size_t v = f; v < s.size(); v += 64) s[v] = 1.0;
    }
    return fs;
}

// range(0): voxels per axis, range(1): threads; 2 fields (as W1).
void diffusion_step(benchmark::State& st, int dims) {
    const int n = static_cast<int>(st.range(0));
    FieldSet fs = make_fields(dims, n, 2);
    tbb::task_arena arena(threads_of(st));
    arena.execute([&] { fs.step(0.01); });
    for (auto _ : st) arena.execute([&] { fs.step(0.01); });
    st.SetItemsProcessed(st.iterations() *
                         static_cast<std::int64_t>(fs.num_voxels() * fs.num_fields()));
}
void BM_DiffusionStep2D(benchmark::State& st) { diffusion_step(st, 2); }
void BM_DiffusionStep3D(benchmark::State& st) { diffusion_step(st, 3); }
BENCHMARK(BM_DiffusionStep2D)
    ->ArgsProduct({{316, 1024}, {1, 2}})
    ->ArgNames({"n", "threads"})
    ->Unit(benchmark::kMicrosecond)
    ->UseRealTime();
BENCHMARK(BM_DiffusionStep3D)
    ->ArgsProduct({{64, 128}, {1, 2}})
    ->ArgNames({"n", "threads"})
    ->Unit(benchmark::kMicrosecond)
    ->UseRealTime();

// W1 at N = 10^4 between two mechanics steps: 10 field steps of 2 fields on 100 x 100 voxels
// in one batch (FieldSet::step_many, one task per field), with steady rates as W1's cells
// set them. The 2-thread speed-up of this is the most the fields of that run can reach.
void BM_FieldBatch2D(benchmark::State& st) {
    const int n = static_cast<int>(st.range(0));
    FieldSet fs = make_fields(2, n, 2);
    std::vector<double> steady(fs.num_voxels(), 0.0);
    for (std::size_t v = 0; v < steady.size(); v += 3) steady[v] = 0.5;
    fs.set_steady_uptake(0, steady);
    fs.set_steady_source(1, steady);
    fs.clear_sources();
    tbb::task_arena arena(threads_of(st));
    // One arena entry for the whole loop, as in a run: the worker stays between batches.
    arena.execute([&] {
        for (auto _ : st) fs.step_many(0.01, 10);
    });
    st.SetItemsProcessed(st.iterations() * 10 *
                         static_cast<std::int64_t>(fs.num_voxels() * fs.num_fields()));
}
BENCHMARK(BM_FieldBatch2D)
    ->ArgsProduct({{100}, {1, 2}})
    ->ArgNames({"n", "threads"})
    ->Unit(benchmark::kMicrosecond)
    ->UseRealTime();

// Agents at W1's density on a 316^2 voxel grid (range(0) agents per voxel x 100,000).
std::vector<std::uint32_t> random_voxels(std::size_t n, std::size_t voxels) {
    std::vector<std::uint32_t> v(n);
    for (std::size_t i = 0; i < n; ++i)
        v[i] = AgentRng(1, 1, 0, i).below(static_cast<std::uint32_t>(voxels));
    return v;
}

void BM_VoxelAccumulatorBin(benchmark::State& st) {
    const auto n = static_cast<std::size_t>(st.range(0));
    const std::size_t voxels = n;  // ~1 agent per voxel, as W1
    const auto voxel = random_voxels(n, voxels);
    VoxelAccumulator acc(voxels);
    tbb::task_arena arena(threads_of(st));
    for (auto _ : st) arena.execute([&] { acc.bin(voxel); });
    st.SetItemsProcessed(st.iterations() * static_cast<std::int64_t>(n));
}
BENCHMARK(BM_VoxelAccumulatorBin)
    ->ArgsProduct({{10'000, 100'000, 1'000'000}, {1, 2}})
    ->ArgNames({"n", "threads"})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

void BM_VoxelAccumulatorAdd(benchmark::State& st) {
    const auto n = static_cast<std::size_t>(st.range(0));
    const auto voxel = random_voxels(n, n);
    VoxelAccumulator acc(n);
    acc.bin(voxel);
    const std::vector<double> amount(n, 1.0);
    std::vector<double> target(n, 0.0);
    tbb::task_arena arena(threads_of(st));
    for (auto _ : st) arena.execute([&] { acc.add_to(target, amount); });
    st.SetItemsProcessed(st.iterations() * static_cast<std::int64_t>(n));
}
BENCHMARK(BM_VoxelAccumulatorAdd)
    ->ArgsProduct({{10'000, 100'000, 1'000'000}, {1, 2}})
    ->ArgNames({"n", "threads"})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
}  // namespace hlhsim::bench
