// How much parallelism the machine gives this process right now: the same fixed,
// embarrassingly parallel, in-cache arithmetic run with 1 and with N threads. On a shared
// or oversubscribed machine the speed-up falls below N; benchmarks/run prints it next to
// the measured thread scaling so the two can be told apart.
//
// Twice: in a few long tasks (`speedup`), and as many fork-joins of N tasks of ~100 us each
// (`fine_speedup`), the size of the parallel regions of a small run (W1 at N = 10^4: a
// batch of field steps per field, a mechanics step per thread). The second also pays each
// fork and join, and a join waits for the slower thread: on a VM whose cores are
// interrupted now and then it is the ceiling for such runs.
//
//   parallel_calibration [threads]
// prints: CALIBRATION threads=2 speedup=1.97 fine_speedup=1.85 (ideal 2)
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <vector>

namespace {

// `rounds` fork-joins of `tasks` tasks, each a chain of `steps` multiply-adds on registers:
// no memory traffic, no sharing. Seconds.
double work(int tasks, int threads, long steps, int rounds) {
    std::vector<double> out(static_cast<std::size_t>(tasks));
    tbb::task_arena arena(threads);
    const auto t0 = std::chrono::steady_clock::now();
    arena.execute([&] {
        for (int r = 0; r < rounds; ++r) {
            tbb::parallel_for(0, tasks, [&](int t) {
                double x = 1.0 + t * 1e-9;
                for (long i = 0; i < steps; ++i) x = x * 0.999999999 + 1e-9;
                out[static_cast<std::size_t>(t)] += x;
            });
        }
    });
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (out[0] < 0) std::puts("");  // keep the result observable
    return s;
}

}  // namespace

int main(int argc, char** argv) {
    const int threads = argc > 1 ? std::atoi(argv[1]) : 2;
    if (threads < 1) return 2;
    std::vector<double> one, many;
    for (int r = 0; r < 3; ++r) {  // interleaved; the best of each
        one.push_back(work(4 * threads, 1, 20'000'000, 1));
        many.push_back(work(4 * threads, threads, 20'000'000, 1));
    }
    const double speedup =
        *std::min_element(one.begin(), one.end()) / *std::min_element(many.begin(), many.end());
    // ~100 us per task here (75,000 dependent multiply-adds at ~4 cycles); 2000 fork-joins.
    // Interleaved; the median of 5 of each, as the workloads report medians.
    std::vector<double> fine_one, fine_many;
    for (int r = 0; r < 5; ++r) {
        fine_one.push_back(work(threads, 1, 75'000, 2000));
        fine_many.push_back(work(threads, threads, 75'000, 2000));
    }
    const auto median = [](std::vector<double> v) {
        std::sort(v.begin(), v.end());
        return v[v.size() / 2];
    };
    const double fine_speedup = median(fine_one) / median(fine_many);
    std::printf("CALIBRATION threads=%d speedup=%.2f fine_speedup=%.2f (ideal %d)\n", threads,
                speedup, fine_speedup, threads);
    return 0;
}
