// How much parallelism the machine gives this process right now: the same fixed,
// embarrassingly parallel, in-cache arithmetic run with 1 and with N threads. On a shared
// or oversubscribed machine the speed-up falls below N; benchmarks/run prints it next to
// the measured thread scaling so the two can be told apart.
//
//   parallel_calibration [threads]
// prints: CALIBRATION threads=2 speedup=1.97 (ideal 2)
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <vector>

namespace {

// Independent chains of multiply-adds on registers: no memory traffic, no sharing.
double work(int tasks, int threads) {
    std::vector<double> out(static_cast<std::size_t>(tasks));
    tbb::task_arena arena(threads);
    const auto t0 = std::chrono::steady_clock::now();
    arena.execute([&] {
        tbb::parallel_for(0, tasks, [&](int t) {
            double x = 1.0 + t * 1e-9;
            for (long i = 0; i < 20'000'000; ++i) x = x * 0.999999999 + 1e-9;
            out[static_cast<std::size_t>(t)] = x;
        });
    });
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (out[0] < 0) std::puts("");  // keep the result observable
    return s;
}

}  // namespace

int main(int argc, char** argv) {
    const int threads = argc > 1 ? std::atoi(argv[1]) : 2;
    if (threads < 1) return 2;
    const int tasks = 4 * threads;
    std::vector<double> one, many;
    for (int r = 0; r < 3; ++r) {  // interleaved; the best of each
        one.push_back(work(tasks, 1));
        many.push_back(work(tasks, threads));
    }
    const double speedup =
        *std::min_element(one.begin(), one.end()) / *std::min_element(many.begin(), many.end());
    std::printf("CALIBRATION threads=%d speedup=%.2f (ideal %d)\n", threads, speedup, threads);
    return 0;
}
