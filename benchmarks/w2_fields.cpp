// Workload W2: fields only. `fields` cytokine fields on an n^2 (2-D) or n^3 (3-D) grid of
// 20 um voxels with no-flux faces, sparse constant sources (one voxel in 64) and decay,
// advanced `steps` times by FieldSet::step (implicit reaction + LOD diffusion).
//
//   w2_fields DIMS N FIELDS STEPS THREADS [REPS]
// prints, per repetition and then as the median:
//   W2 dims=3 n=256 fields=6 steps=100 threads=2 wall_s=... voxel_field_updates_per_s=...
//      effective_GBps=...
// effective_GBps counts the least traffic a step needs, 24 bytes per voxel-field update
// (read the value and the source, write the value), the same accounting as STREAM's.
#include <tbb/task_arena.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "sim/fields/field_set.hpp"

namespace {

constexpr double kBytesPerUpdate = 24;

hlhsim::FieldSet make_fields(int dims, int n, int count) {
    hlhsim::GridSpec grid;
    grid.dims = dims;
    grid.n = {n, n, dims == 3 ? n : 1};
    grid.dx = 20;
    grid.boundary = {hlhsim::FieldBoundary::kNoFlux, hlhsim::FieldBoundary::kNoFlux,
                     hlhsim::FieldBoundary::kNoFlux};
    std::vector<hlhsim::FieldSpec> specs;
    for (int f = 0; f < count; ++f) {
        // Diffusion from 100 to ~10^4 um^2/min, decay 0.01 to ~1 /min: cytokines to small
        // molecules.
        const double scale = count > 1 ? static_cast<double>(f) / (count - 1) : 0.0;
        specs.push_back({.name = "field" + std::to_string(f),
                         .unit = "ng/mL",
                         .diffusion = 100 * std::pow(100.0, scale),
                         .decay = 0.01 * std::pow(100.0, scale),
                         .initial = 0.1});
    }
    hlhsim::FieldSet fs(grid, std::move(specs));
    for (std::size_t f = 0; f < fs.num_fields(); ++f) {
        auto s = fs.source(f);
        for (std::size_t v = f; v < s.size(); v += 64) s[v] = 1.0;
    }
    return fs;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 6) {
        std::fprintf(stderr, "usage: w2_fields DIMS N FIELDS STEPS THREADS [REPS]\n");
        return 2;
    }
    const int dims = std::atoi(argv[1]), n = std::atoi(argv[2]), count = std::atoi(argv[3]);
    const int steps = std::atoi(argv[4]), threads = std::atoi(argv[5]);
    const int reps = argc > 6 ? std::atoi(argv[6]) : 3;
    if ((dims != 2 && dims != 3) || n < 3 || count < 1 || steps < 1 || threads < 1 || reps < 1) {
        std::fprintf(stderr, "w2_fields: bad arguments\n");
        return 2;
    }
    constexpr double kDt = 0.1;  // [min]; implicit, so the cost does not depend on it
    tbb::task_arena arena(threads);
    std::vector<double> walls;
    double updates = 0;
    for (int r = 0; r < reps; ++r) {
        hlhsim::FieldSet fs = make_fields(dims, n, count);
        updates = static_cast<double>(fs.num_voxels()) * static_cast<double>(fs.num_fields()) *
                  static_cast<double>(steps);
        double wall = 0;
        arena.execute([&] {
            fs.step(kDt);  // warm-up: factorises the line solvers, touches every page
            const auto t0 = std::chrono::steady_clock::now();
            for (int s = 0; s < steps; ++s) fs.step(kDt);
            wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        });
        walls.push_back(wall);
        std::printf("# rep %d wall_s=%.4f total0=%.6g\n", r, wall, fs.total(0));
    }
    std::sort(walls.begin(), walls.end());
    const double wall = walls[walls.size() / 2];
    std::printf(
        "W2 dims=%d n=%d fields=%d steps=%d threads=%d wall_s=%.4f voxel_field_updates_per_s=%.4g "
        "effective_GBps=%.2f\n",
        dims, n, count, steps, threads, wall, updates / wall,
        updates / wall * kBytesPerUpdate * 1e-9);
    return 0;
}
