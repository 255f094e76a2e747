#pragma once
// Shared set-up of the engine kernels: W1-like random points and a thread arena per case.
#include <benchmark/benchmark.h>
#include <tbb/task_arena.h>

#include <cmath>
#include <cstddef>
#include <vector>

#include "sim/core/rng.hpp"
#include "sim/space/domain.hpp"

namespace hlhsim::bench {

/// W1's density: one cell per 400 um^2 (N = 100,000 on a 6320 um square).
inline double side_for(std::size_t n) { return std::sqrt(400.0 * static_cast<double>(n)); }

/// Points uniformly at random in [0, side)^2 (z = 0), reproducible.
struct Points {
    std::vector<double> x, y, z;
    Points(std::size_t n, double side) : x(n), y(n), z(n, 0.0) {
        for (std::size_t i = 0; i < n; ++i) {
            AgentRng rng(1, 1, 0, i);
            x[i] = rng.uniform(0, side);
            y[i] = rng.uniform(0, side);
        }
    }
};

inline Domain square(double side) {
    return Domain(2, {0, 0, 0}, {side, side, 0}, Boundary::kReflecting);
}

/// Threads of a case: its second argument (range(1)), as oneTBB arena size.
inline int threads_of(const benchmark::State& st) { return static_cast<int>(st.range(1)); }

}  // namespace hlhsim::bench
