// Persistent, chemotactic random walk (sim/agents/motility.hpp): one velocity update per
// agent with W1's parameters (0.5 um/min, persistence 15 min, bias 0.4, dt 0.1 min).
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include "benchmarks/kernels/kernel_support.hpp"
#include "sim/agents/motility.hpp"

namespace hlhsim::bench {
namespace {

void BM_MotilityStep(benchmark::State& st) {
    const auto n = static_cast<std::size_t>(st.range(0));
    std::vector<Vec3> v(n, Vec3{0.5, 0, 0});
    const MotilityParams p{.speed = 0.5, .persistence = 15, .chemotaxis = 0.4};
    tbb::task_arena arena(threads_of(st));
    std::uint64_t step = 0;
    for (auto _ : st) {
        ++step;
        arena.execute([&] {
            tbb::parallel_for(tbb::blocked_range<std::size_t>(0, n, 1024), [&](const auto& r) {
                for (std::size_t i = r.begin(); i != r.end(); ++i) {
                    AgentRng rng(1, 2, step, i);
                    v[i] = next_velocity(
                        v[i],
                        [] {
                            return Vec3{1, 1, 0};
                        },
                        p, 0.1, rng, 2);
                }
            });
        });
        benchmark::DoNotOptimize(v.data());
    }
    st.SetItemsProcessed(st.iterations() * static_cast<std::int64_t>(n));
}
BENCHMARK(BM_MotilityStep)
    ->ArgsProduct({{100'000, 1'000'000}, {1, 2}})
    ->ArgNames({"n", "threads"})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
}  // namespace hlhsim::bench
