// Population: deferred birth/death commit and reordering rows by grid cell, on a
// population with W1's macrophage columns (state, contacts, 4 doubles).
#include "benchmarks/kernels/kernel_support.hpp"
#include "sim/agents/population.hpp"
#include "sim/space/neighbor_grid.hpp"

namespace hlhsim::bench {
namespace {

struct World {
    IdSource ids;
    Population pop{"cells", 2, ids};
    explicit World(std::size_t n) {
        pop.add_column<std::uint8_t>("state");
        pop.add_column<std::int32_t>("contacts");
        for (const char* c : {"mx", "my", "vx", "vy"}) pop.add_column<double>(c);
        const Points p(n, side_for(n));
        for (std::size_t i = 0; i < n; ++i) pop.add({p.x[i], p.y[i], 0});
    }
};

// Each commit: 1% of rows die, 1% divide (so the size stays put).
void BM_PopulationCommit(benchmark::State& st) {
    const auto n = static_cast<std::size_t>(st.range(0));
    World w(n);
    tbb::task_arena arena(threads_of(st));
    for (auto _ : st) {
        for (std::size_t i = 0; i < n; i += 100) w.pop.mark_death(i);
        for (std::size_t i = 50; i < n; i += 100) w.pop.request_birth(i, w.pop.position(i));
        arena.execute([&] { w.pop.commit(); });
    }
    st.SetItemsProcessed(st.iterations() * static_cast<std::int64_t>(n));
}
BENCHMARK(BM_PopulationCommit)
    ->ArgsProduct({{100'000, 1'000'000}, {1, 2}})
    ->ArgNames({"n", "threads"})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// Grid build + sort_by_cell from a random row order (the rows are shuffled back each time
// outside the timing, by a fixed permutation).
void BM_PopulationSortByCell(benchmark::State& st) {
    const auto n = static_cast<std::size_t>(st.range(0));
    World w(n);
    NeighborGrid grid(square(side_for(n)), 21.0);
    std::vector<std::uint32_t> shuffle(n);
    for (std::size_t i = 0; i < n; ++i) shuffle[i] = static_cast<std::uint32_t>((i * 7919) % n);
    tbb::task_arena arena(threads_of(st));
    for (auto _ : st) {
        st.PauseTiming();
        arena.execute([&] { w.pop.reorder(shuffle); });
        st.ResumeTiming();
        arena.execute([&] {
            grid.build(w.pop.x(), w.pop.y(), w.pop.z());
            w.pop.sort_by_cell(grid);
        });
    }
    st.SetItemsProcessed(st.iterations() * static_cast<std::int64_t>(n));
}
BENCHMARK(BM_PopulationSortByCell)
    ->ArgsProduct({{100'000, 1'000'000}, {1, 2}})
    ->ArgNames({"n", "threads"})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
}  // namespace hlhsim::bench
