// STREAM triad a[i] = b[i] + s * c[i] (McCalpin): the memory bandwidth a streaming kernel
// can reach on this machine, the ceiling the field solver (W2) is compared with.
//
//   stream_triad [threads] [elements] [repetitions]
// prints one line per thread count:
//   STREAM triad threads=2 elements=67108864 best_GBps=... median_GBps=...
// Bytes are counted as STREAM does: 24 per element (two reads, one write; the
// write-allocate read is not counted). Arrays default to 3 x 512 MiB, far beyond cache.
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/partitioner.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <vector>

namespace {

// Static partition: each thread touches the same pages at init and in the triad (first
// touch), as in OpenMP STREAM.
template <class F>
void for_blocks(std::size_t n, F&& f) {
    tbb::parallel_for(
        tbb::blocked_range<std::size_t>(0, n, 1 << 16),
        [&](const tbb::blocked_range<std::size_t>& r) { f(r.begin(), r.end()); },
        tbb::static_partitioner());
}

double run(int threads, std::size_t n, int reps) {
    // unique_ptr<double[]> without value-initialisation: pages are first touched below.
    std::unique_ptr<double[]> a(new double[n]), b(new double[n]), c(new double[n]);
    tbb::task_arena arena(threads);
    std::vector<double> gbps;
    arena.execute([&] {
        for_blocks(n, [&](std::size_t lo, std::size_t hi) {
            for (std::size_t i = lo; i < hi; ++i) {
                a[i] = 1.0;
                b[i] = 2.0;
                c[i] = 0.5;
            }
        });
        const double s = 3.0;
        for (int r = 0; r < reps + 1; ++r) {
            const auto t0 = std::chrono::steady_clock::now();
            for_blocks(n, [&](std::size_t lo, std::size_t hi) {
                double* __restrict pa = a.get();
                const double* __restrict pb = b.get();
                const double* __restrict pc = c.get();
                for (std::size_t i = lo; i < hi; ++i) pa[i] = pb[i] + s * pc[i];
            });
            const double sec =
                std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
            if (r > 0) gbps.push_back(24.0 * static_cast<double>(n) / sec * 1e-9);  // 0: warm-up
        }
    });
    // Keep the result observable so the loop is not optimised away.
    if (a[n / 2] != 2.0 + 3.0 * 0.5) std::fprintf(stderr, "stream_triad: wrong result\n");
    std::sort(gbps.begin(), gbps.end());
    std::printf("STREAM triad threads=%d elements=%zu best_GBps=%.2f median_GBps=%.2f\n", threads,
                n, gbps.back(), gbps[gbps.size() / 2]);
    return gbps.back();
}

}  // namespace

int main(int argc, char** argv) {
    const int max_threads = argc > 1 ? std::atoi(argv[1]) : 2;
    const std::size_t n = argc > 2 ? std::strtoull(argv[2], nullptr, 10) : std::size_t{1} << 26;
    const int reps = argc > 3 ? std::atoi(argv[3]) : 10;
    if (max_threads < 1 || n < 1024 || reps < 1) {
        std::fprintf(stderr, "usage: stream_triad [threads>=1] [elements>=1024] [reps>=1]\n");
        return 2;
    }
    for (int t = 1; t <= max_threads; t *= 2) run(t, n, reps);
    if ((max_threads & (max_threads - 1)) != 0) run(max_threads, n, reps);
    return 0;
}
