// NeighborGrid: build (counting sort) and radius queries at W1's density, cell size 21 um
// (W1's contact reach), points in random order (build) and in cell order (query, as the
// models keep them).
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <numeric>

#include "benchmarks/kernels/kernel_support.hpp"
#include "sim/space/neighbor_grid.hpp"

namespace hlhsim::bench {
namespace {

constexpr double kReach = 21.0;  // [um]

void BM_GridBuild(benchmark::State& st) {
    const auto n = static_cast<std::size_t>(st.range(0));
    const double side = side_for(n);
    const Points p(n, side);
    NeighborGrid grid(square(side), kReach);
    tbb::task_arena arena(threads_of(st));
    for (auto _ : st) arena.execute([&] { grid.build(p.x, p.y, p.z); });
    st.SetItemsProcessed(st.iterations() * static_cast<std::int64_t>(n));
}
BENCHMARK(BM_GridBuild)
    ->ArgsProduct({{10'000, 100'000, 1'000'000}, {1, 2}})
    ->ArgNames({"n", "threads"})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

void BM_GridQuery(benchmark::State& st) {
    const auto n = static_cast<std::size_t>(st.range(0));
    const double side = side_for(n);
    Points p(n, side);
    NeighborGrid grid(square(side), kReach);
    grid.build(p.x, p.y, p.z);
    // Cell order, as after Population::sort_by_cell.
    Points sorted(0, side);
    for (const std::uint32_t i : grid.sorted_indices()) {
        sorted.x.push_back(p.x[i]);
        sorted.y.push_back(p.y[i]);
        sorted.z.push_back(0);
    }
    grid.build(sorted.x, sorted.y, sorted.z);
    std::vector<std::uint32_t> count(n);
    tbb::task_arena arena(threads_of(st));
    for (auto _ : st) {
        arena.execute([&] {
            tbb::parallel_for(tbb::blocked_range<std::size_t>(0, n, 512), [&](const auto& r) {
                for (std::size_t i = r.begin(); i != r.end(); ++i) {
                    std::uint32_t c = 0;
                    grid.for_each_within({sorted.x[i], sorted.y[i], 0}, kReach,
                                         [&](std::size_t, const Vec3&, double) { ++c; });
                    count[i] = c;
                }
            });
        });
        benchmark::DoNotOptimize(count.data());
    }
    st.counters["neighbours"] =
        static_cast<double>(std::accumulate(count.begin(), count.end(), std::uint64_t{0})) /
        static_cast<double>(n);
    st.SetItemsProcessed(st.iterations() * static_cast<std::int64_t>(n));
}
BENCHMARK(BM_GridQuery)
    ->ArgsProduct({{10'000, 100'000, 1'000'000}, {1, 2}})
    ->ArgNames({"n", "threads"})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
}  // namespace hlhsim::bench
