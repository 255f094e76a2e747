#include "sim/fields/field_set.hpp"

#include <gtest/gtest.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <numbers>
#include <random>
#include <stdexcept>
#include <vector>

#include "sim/core/errors.hpp"

namespace hlhsim {
namespace {

constexpr FieldBoundary kNoFlux = FieldBoundary::kNoFlux;
constexpr FieldBoundary kPeriodic = FieldBoundary::kPeriodic;

GridSpec grid2(int nx, int ny, double dx, FieldBoundary b = kNoFlux) {
    return GridSpec{2, {nx, ny, 1}, dx, {}, {b, b, b}};
}
GridSpec grid3(int nx, int ny, int nz, double dx, FieldBoundary b = kNoFlux) {
    return GridSpec{3, {nx, ny, nz}, dx, {}, {b, b, b}};
}

void fill_random(std::span<double> v, std::uint64_t seed, double lo = 0, double hi = 1) {
    std::mt19937_64 gen(seed);
    std::uniform_real_distribution<double> u(lo, hi);
    for (double& x : v) x = u(gen);
}

// Field fa of a and field fb of b hold the same bits.
bool same_values(const FieldSet& a, std::size_t fa, const FieldSet& b, std::size_t fb) {
    const auto x = a.values(fa), y = b.values(fb);
    return x.size() == y.size() && std::memcmp(x.data(), y.data(), x.size_bytes()) == 0;
}

// Relative L2 error of an initial Gaussian after diffusing for t, vs the analytic
// solution: variance sigma0^2 + 2 D t per axis, amplitude scaled to keep the mass.
double gaussian_error(const GridSpec& grid, double sigma0, double diffusion, double dt, int steps) {
    FieldSet fs(grid, {{"c", "nM", diffusion, 0, 0}});
    const Vec3 mid{grid.n[0] * grid.dx / 2, grid.n[1] * grid.dx / 2,
                   grid.dims == 3 ? grid.n[2] * grid.dx / 2 : 0.0};
    const auto gauss = [&](const Vec3& p, double var) {
        const double scale = std::pow(sigma0 * sigma0 / var, grid.dims / 2.0);
        return scale * std::exp(-norm2(p - mid) / (2 * var));
    };
    std::span<double> c = fs.values(0);
    for (std::size_t v = 0; v < c.size(); ++v) c[v] = gauss(fs.centre(v), sigma0 * sigma0);
    for (int s = 0; s < steps; ++s) fs.step(dt);
    const double var = sigma0 * sigma0 + 2 * diffusion * dt * steps;
    double err2 = 0, ref2 = 0;
    for (std::size_t v = 0; v < c.size(); ++v) {
        const double ref = gauss(fs.centre(v), var);
        err2 += (c[v] - ref) * (c[v] - ref);
        ref2 += ref * ref;
    }
    return std::sqrt(err2 / ref2);
}

TEST(FieldSet, GaussianSpreads2D) {
    // dx = 10 um, D = 1000 um^2/min, sigma0 = 4 dx, variance doubled after 0.8 min.
    // Measured 3.9e-3 (8.2e-3 with 20 steps, 3.2e-3 with 160: first order in dt).
    const double err = gaussian_error(grid2(64, 64, 10), 40, 1000, 0.01, 80);
    RecordProperty("relative_l2_error", std::to_string(err));
    std::printf("2-D Gaussian: relative L2 error %.3e\n", err);
    EXPECT_LT(err, 0.01);
}

TEST(FieldSet, GaussianSpreads3D) {
    // dx = 10 um, D = 1000 um^2/min, sigma0 = 3.5 dx, variance doubled after 0.6125 min.
    // Measured 5.6e-3, mostly spatial (sigma0 = 2.5 dx gives 9e-3 even at small dt).
    const double err = gaussian_error(grid3(40, 40, 40, 10), 35, 1000, 0.6125 / 100, 100);
    RecordProperty("relative_l2_error", std::to_string(err));
    std::printf("3-D Gaussian: relative L2 error %.3e\n", err);
    EXPECT_LT(err, 0.01);
}

TEST(FieldSet, DecayOnlyFollowsTheImplicitFactor) {
    const double k = 0.2, dt = 0.1, c0 = 5;
    const int steps = 50;
    FieldSet fs(grid2(8, 6, 10), {{"c", "", 100, k, c0}});
    for (int s = 0; s < steps; ++s) fs.step(dt);
    const double implicit = c0 * std::pow(1 / (1 + k * dt), steps);
    const double exact = c0 * std::exp(-k * dt * steps);
    for (double v : fs.values(0)) {
        EXPECT_NEAR(v, implicit, 1e-13 * c0);
        // Backward Euler's error: about c k^2 dt t / 2 (first order in dt).
        EXPECT_NEAR(v, exact, c0 * k * k * dt * (dt * steps));
    }
}

TEST(FieldSet, PointSourceSteadyStateMatchesDiscreteGreensFunction) {
    // A periodic line (1-D-like 2-D grid) with one source voxel. The scheme's fixed point
    // solves (k - D (1 + k dt) Lap) c = S: the discrete Green's function
    // c_i = A (lambda^i + lambda^(N-i)) with lambda + 1/lambda = 2 + k dx^2 / D'.
    const int n = 128;
    const double dx = 10, diffusion = 100, k = 0.1, dt = 0.1, s = 2;
    FieldSet fs(GridSpec{2, {n, 1, 1}, dx, {}, {kPeriodic, kNoFlux, kNoFlux}},
                {{"c", "", diffusion, k, 0}});
    fs.source(0)[0] = s;
    for (int step = 0; step < 4000; ++step) fs.step(dt);

    const double d_eff = diffusion * (1 + k * dt);
    const double h = k * dx * dx / d_eff;
    const double lambda = 1 + h / 2 - std::sqrt(h + h * h / 4);
    const auto shape = [&](int i) { return std::pow(lambda, i) + std::pow(lambda, n - i); };
    // Voxel 0: k c0 - D'/dx^2 (c1 + c_{N-1} - 2 c0) = S.
    const double a = s / (k * shape(0) - d_eff / (dx * dx) * (2 * shape(1) - 2 * shape(0)));
    const std::span<const double> c = fs.values(0);
    for (int i = 0; i < n; ++i) EXPECT_NEAR(c[i], a * shape(i), 1e-9 * c[0]) << i;
    // Mass balance: decay removes what the source adds.
    EXPECT_NEAR(fs.total(0), s * fs.voxel_volume() / k, 1e-9 * fs.total(0));
    // Decay length -dx / ln(lambda) is close to the continuum sqrt(D / k).
    const double length = -dx / std::log(c[2] / c[1]);
    EXPECT_NEAR(length, std::sqrt(diffusion / k), 0.02 * std::sqrt(diffusion / k));
}

double relative_mass_drift(const GridSpec& grid, int steps, double dt) {
    FieldSet fs(grid, {{"a", "", 1000, 0, 0}, {"b", "", 37, 0, 0}});
    fill_random(fs.values(0), 11);
    fill_random(fs.values(1), 12);
    const double a0 = fs.total(0), b0 = fs.total(1);
    for (int s = 0; s < steps; ++s) fs.step(dt);
    return std::max(std::abs(fs.total(0) - a0) / a0, std::abs(fs.total(1) - b0) / b0);
}

TEST(FieldSet, ConservesMassWithoutDecay) {
    // r = D dt / dx^2 = 5 for field a: large implicit steps.
    for (FieldBoundary b : {kNoFlux, kPeriodic}) {
        EXPECT_LT(relative_mass_drift(grid2(64, 64, 10, b), 500, 0.5), 1e-10);
        EXPECT_LT(relative_mass_drift(grid3(32, 32, 32, 10, b), 50, 0.5), 1e-10);
    }
    GridSpec mixed = grid3(20, 12, 9, 10);
    mixed.boundary = {kPeriodic, kNoFlux, kPeriodic};
    EXPECT_LT(relative_mass_drift(mixed, 200, 0.5), 1e-10);
}

TEST(FieldSet, LargeUptakeKeepsValuesNonNegative) {
    for (FieldBoundary b : {kNoFlux, kPeriodic}) {
        FieldSet fs(grid2(32, 32, 10, b), {{"c", "", 1000, 0.01, 1}});
        std::span<double> up = fs.uptake(0);
        std::span<double> src = fs.source(0);
        for (std::size_t v = 0; v < up.size(); v += 3) up[v] = 1e6;  // uptake dt = 1e6
        src[500] = 10;
        for (int s = 0; s < 20; ++s) fs.step(1.0);
        double lo = 1e300, hi = -1e300;
        for (double v : fs.values(0)) {
            ASSERT_TRUE(std::isfinite(v));
            lo = std::min(lo, v);
            hi = std::max(hi, v);
        }
        if (b == kNoFlux) {
            EXPECT_GE(lo, 0.0);  // exact on no-flux axes
        } else {
            EXPECT_GE(lo, -1e-15 * hi);  // periodic: up to round-off
        }
        EXPECT_LT(hi, 10.0);
    }
}

// Serial reference of one step: reaction, then every grid line of every axis copied out
// and solved on its own with LineSolver.
void reference_step(FieldSet& fs, double dt) {
    const GridSpec& g = fs.grid();
    const std::array<std::size_t, 3> stride{1, static_cast<std::size_t>(g.n[0]),
                                            static_cast<std::size_t>(g.n[0] * g.n[1])};
    for (std::size_t f = 0; f < fs.num_fields(); ++f) {
        std::span<double> c = fs.values(f);
        const FieldSpec& sp = fs.spec(f);
        const FieldSet& cfs = fs;
        for (std::size_t v = 0; v < c.size(); ++v) {
            c[v] = (c[v] + dt * cfs.source(f)[v]) * (1 / (1 + dt * (sp.decay + cfs.uptake(f)[v])));
        }
        for (int a = 0; a < g.dims; ++a) {
            const auto n = static_cast<std::size_t>(g.n[a]);
            const LineSolver solver(n, sp.diffusion * dt / (g.dx * g.dx), g.boundary[a]);
            std::vector<double> line(n);
            for (std::size_t start = 0; start < c.size(); ++start) {
                if ((start / stride[a]) % n != 0) continue;  // not the first voxel of a line
                for (std::size_t i = 0; i < n; ++i) line[i] = c[start + i * stride[a]];
                solver.solve_rows(line.data(), n, 1);
                for (std::size_t i = 0; i < n; ++i) c[start + i * stride[a]] = line[i];
            }
        }
    }
}

FieldSet busy_fields(const GridSpec& grid) {
    FieldSet fs(grid, {{"a", "", 900, 0.05, 0}, {"b", "", 0, 0.3, 0}, {"c", "", 40, 0, 0}});
    for (std::size_t f = 0; f < 3; ++f) {
        fill_random(fs.values(f), 100 + f);
        fill_random(fs.source(f), 200 + f, 0, 0.5);
        fill_random(fs.uptake(f), 300 + f, 0, 0.2);
    }
    return fs;
}

// Sizes that are not multiples of the row and column blocks; mixed boundaries. With the 3
// fields of busy_fields() the three sizes take the three ways a step runs (field_set.cpp):
// serially (few values), one task per field, and tasks over blocks of lines.
std::vector<GridSpec> odd_grids(int dims) {
    std::vector<GridSpec> grids;
    if (dims == 2) {
        grids = {grid2(30, 25, 10), grid2(70, 45, 10), grid2(270, 95, 10)};
    } else {
        grids = {grid3(17, 13, 11, 10), grid3(67, 13, 11, 10), grid3(67, 37, 29, 10)};
    }
    for (GridSpec& g : grids) g.boundary = {kPeriodic, kNoFlux, kPeriodic};
    return grids;
}

TEST(FieldSet, StepMatchesSerialLineByLineReference) {
    for (int dims : {2, 3}) {
        for (const GridSpec& grid : odd_grids(dims)) {
            FieldSet fs = busy_fields(grid);
            FieldSet ref = busy_fields(grid);
            for (int s = 0; s < 5; ++s) {
                fs.step(0.7);
                reference_step(ref, 0.7);
            }
            for (std::size_t f = 0; f < 3; ++f) {
                for (std::size_t v = 0; v < fs.num_voxels(); ++v) {
                    // Same arithmetic, so equal up to compiler contraction (FMA) choices.
                    ASSERT_NEAR(fs.values(f)[v], ref.values(f)[v],
                                1e-13 * std::abs(ref.values(f)[v]))
                        << "voxels " << fs.num_voxels() << " f " << f << " v " << v;
                }
            }
        }
    }
}

TEST(FieldSet, BitwiseIdenticalForOneAndTwoThreads) {
    for (int dims : {2, 3}) {
        for (const GridSpec& grid : odd_grids(dims)) {
            std::vector<std::vector<double>> out;
            std::vector<double> totals;
            for (int threads : {1, 2}) {
                tbb::task_arena arena(threads);
                arena.execute([&] {
                    FieldSet fs = busy_fields(grid);
                    for (int s = 0; s < 10; ++s) fs.step(s < 5 ? 0.5 : 0.25);  // and a dt change
                    std::vector<double> all;
                    for (std::size_t f = 0; f < 3; ++f) {
                        all.insert(all.end(), fs.values(f).begin(), fs.values(f).end());
                        totals.push_back(fs.total(f));
                    }
                    out.push_back(std::move(all));
                });
            }
            ASSERT_EQ(out[0].size(), out[1].size());
            EXPECT_EQ(std::memcmp(out[0].data(), out[1].data(), out[0].size() * sizeof(double)), 0)
                << "voxels " << out[0].size() / 3;
            for (std::size_t f = 0; f < 3; ++f) EXPECT_EQ(totals[f], totals[f + 3]);
        }
    }
}

// One task per field (a step of two fields of 10^4 voxels) and tasks over blocks of lines
// (each field alone in a set of its own, 10^4 voxels) give the same bits.
TEST(FieldSet, PerFieldTasksGiveTheBitsOfBlockTasks) {
    const GridSpec grid = grid2(100, 100, 20);
    const std::vector<FieldSpec> specs{{"a", "", 1000, 0, 1}, {"b", "", 10000, 1, 0}};
    tbb::task_arena arena(2);
    arena.execute([&] {
        FieldSet both(grid, specs);
        std::vector<FieldSet> alone;
        for (const FieldSpec& spec : specs) alone.emplace_back(grid, std::vector<FieldSpec>{spec});
        for (std::size_t f = 0; f < 2; ++f) {
            fill_random(both.source(f), 400 + f, 0, 0.5);
            fill_random(both.uptake(f), 500 + f, 0, 0.2);
            std::ranges::copy(both.source(f), alone[f].source(0).begin());
            std::ranges::copy(both.uptake(f), alone[f].uptake(0).begin());
        }
        for (int s = 0; s < 5; ++s) {
            both.step(0.05);
            for (FieldSet& fs : alone) fs.step(0.05);
        }
        for (std::size_t f = 0; f < 2; ++f) {
            EXPECT_TRUE(same_values(both, f, alone[f], 0)) << "field " << f;
        }
    });
}

TEST(FieldSet, UntouchedAndZeroSourcesGiveTheSameBits) {
    FieldSet plain(grid2(20, 20, 10), {{"c", "", 300, 0.1, 0}});
    fill_random(plain.values(0), 5);
    FieldSet touched = plain;
    std::ranges::fill(touched.source(0), 0.0);  // marks the field as having sources
    touched.uptake(0);
    for (int s = 0; s < 5; ++s) {
        plain.step(0.3);
        touched.step(0.3);
    }
    for (std::size_t v = 0; v < plain.num_voxels(); ++v) {
        ASSERT_EQ(plain.values(0)[v], touched.values(0)[v]);
    }
}

// Steady rates survive clear_sources() and act as if added to the per-step rates.
TEST(FieldSet, SteadyRatesPersistAndAddToPerStepRates) {
    for (int dims : {2, 3}) {
        FieldSet steady = busy_fields(odd_grids(dims)[1]);
        FieldSet every_step = busy_fields(odd_grids(dims)[1]);
        std::vector<double> s0(steady.num_voxels()), u0(steady.num_voxels()),
            s1(steady.num_voxels());
        fill_random(s0, 7, 0, 0.4);
        fill_random(u0, 8, 0, 0.3);
        fill_random(s1, 9, 0, 0.2);
        steady.set_steady_source(1, s0);
        steady.set_steady_uptake(2, u0);
        for (int s = 0; s < 4; ++s) {
            steady.clear_sources();
            every_step.clear_sources();
            std::ranges::copy(s1, steady.source(1).begin());
            for (std::size_t v = 0; v < s1.size(); ++v) {
                every_step.source(1)[v] = s1[v] + s0[v];
                every_step.uptake(2)[v] = u0[v];
            }
            steady.step(0.4);
            every_step.step(0.4);
        }
        for (std::size_t f = 0; f < 3; ++f) {
            EXPECT_TRUE(same_values(steady, f, every_step, f)) << "dims " << dims << " field " << f;
        }
        EXPECT_EQ(std::ranges::count(std::as_const(steady).source(2), 0.0),
                  static_cast<std::ptrdiff_t>(steady.num_voxels()));
        EXPECT_EQ(steady.steady_uptake(2)[5], u0[5]);  // kept by clear_sources()
    }
}

// A field whose only uptake is steady multiplies by a factor kept per voxel instead of
// dividing each step. It must give the bits of the same uptake given every step (which
// divides), also after dt changes and after the steady uptake is set anew.
TEST(FieldSet, KeptUptakeFactorGivesTheBitsOfDividingEachStep) {
    for (const GridSpec& grid : odd_grids(2)) {
        const std::vector<FieldSpec> specs{{"a", "", 300, 0.2, 1}, {"b", "", 50, 0, 2}};
        FieldSet kept(grid, specs), divided(grid, specs);
        std::vector<double> u0(kept.num_voxels()), u1(kept.num_voxels()), s0(kept.num_voxels());
        fill_random(u0, 11, 0, 0.5);
        fill_random(u1, 12, 0, 2.0);
        fill_random(s0, 13, 0, 0.3);
        kept.set_steady_uptake(0, u0);
        kept.set_steady_source(1, s0);
        kept.set_steady_uptake(1, u1);
        for (int s = 0; s < 12; ++s) {
            if (s == 7) kept.set_steady_uptake(0, u1);  // a new uptake, the same dt
            const std::vector<double>& now = s < 7 ? u0 : u1;
            divided.clear_sources();
            std::ranges::copy(now, divided.uptake(0).begin());
            std::ranges::copy(s0, divided.source(1).begin());
            std::ranges::copy(u1, divided.uptake(1).begin());
            const double dt = s % 4 < 2 ? 0.3 : 0.05;  // and dt changes
            kept.step(dt);
            divided.step(dt);
            for (std::size_t f = 0; f < 2; ++f) {
                ASSERT_TRUE(same_values(kept, f, divided, f))
                    << "voxels " << kept.num_voxels() << " step " << s << " field " << f;
            }
        }
    }
}

// step_many(dt, k) gives the bits of k step(dt) calls, for the three ways a step runs
// (serial, a task per field, tasks over blocks) and on 1 and 2 threads.
TEST(FieldSet, StepManyGivesTheBitsOfSingleSteps) {
    for (int dims : {2, 3}) {
        for (const GridSpec& grid : odd_grids(dims)) {
            for (int threads : {1, 2}) {
                tbb::task_arena arena(threads);
                arena.execute([&] {
                    FieldSet many = busy_fields(grid), single = busy_fields(grid);
                    for (FieldSet* fs : {&many, &single}) {
                        std::vector<double> u0(fs->num_voxels());
                        fill_random(u0, 21, 0, 0.4);
                        fs->set_steady_uptake(1, u0);  // field b: steady and per-step uptake
                    }
                    many.step_many(0.4, 5);
                    many.step_many(0.2, 3);
                    for (int s = 0; s < 5; ++s) single.step(0.4);
                    for (int s = 0; s < 3; ++s) single.step(0.2);
                    for (std::size_t f = 0; f < 3; ++f) {
                        EXPECT_TRUE(same_values(many, f, single, f))
                            << "voxels " << many.num_voxels() << " threads " << threads << " field "
                            << f;
                    }
                });
            }
        }
    }
}

TEST(FieldSet, SteadyRatesMustCoverTheGrid) {
    FieldSet fs(grid2(4, 3, 10), {{"a", "", 1, 0, 0}});
    const std::vector<double> wrong(11, 1.0);
    EXPECT_THROW(fs.set_steady_uptake(0, wrong), std::invalid_argument);
    EXPECT_THROW(fs.set_steady_source(0, wrong), std::invalid_argument);
    EXPECT_TRUE(fs.steady_uptake(0).empty());
}

TEST(FieldSet, LookupAndGeometry) {
    GridSpec g = grid3(4, 5, 6, 2.0);
    g.origin = {-4, 10, 0};
    g.boundary = {kNoFlux, kPeriodic, kNoFlux};
    FieldSet fs(g, {{"ifng", "pg/mL", 1, 0, 3}, {"il6", "pg/mL", 2, 0, 0}});
    EXPECT_EQ(fs.num_fields(), 2u);
    EXPECT_EQ(fs.num_voxels(), 120u);
    EXPECT_EQ(fs.index_of("il6"), 1u);
    EXPECT_FALSE(fs.index_of("tnf").has_value());
    EXPECT_EQ(fs.spec(0).unit, "pg/mL");
    EXPECT_EQ(fs.values(0)[119], 3.0);
    EXPECT_DOUBLE_EQ(fs.voxel_volume(), 8.0);
    EXPECT_THROW(fs.values(2), std::out_of_range);

    for (std::size_t v = 0; v < fs.num_voxels(); ++v) EXPECT_EQ(fs.voxel_of(fs.centre(v)), v);
    EXPECT_EQ(fs.centre(0), (Vec3{-3, 11, 1}));
    EXPECT_EQ(fs.voxel_of({-100, 11, 1}), g.index(0, 0, 0));  // x clamps low
    EXPECT_EQ(fs.voxel_of({100, 11, 1}), g.index(3, 0, 0));   // x clamps high
    EXPECT_EQ(fs.voxel_of({-3, 9, 1}), g.index(0, 4, 0));     // y wraps (periodic)
    EXPECT_EQ(fs.voxel_of({-3, 21, 1}), g.index(0, 0, 0));    // y wraps past the end
    EXPECT_EQ(fs.voxel_of({-3, 11, 1e9}), g.index(0, 0, 5));  // z clamps
    EXPECT_EQ(fs.voxel_of({NAN, 11, 1}), g.index(0, 0, 0));

    FieldSet flat(GridSpec{2, {3, 3, 1}, 5.0, {}, {}}, {{"c", "", 0, 0, 0}});
    EXPECT_EQ(flat.voxel_of({7, 12, 999}), 7u);  // z ignored in 2-D
    EXPECT_EQ(flat.centre(4), (Vec3{7.5, 7.5, 0}));
    EXPECT_DOUBLE_EQ(flat.voxel_volume(), 125.0);  // one voxel thick
}

// voxel_of() takes a shortcut inside the grid: it must agree with the floor-based rule
// everywhere, on and next to voxel faces (where rounding of the division matters) as well.
TEST(FieldSet, VoxelOfMatchesTheFloorRuleNearFaces) {
    for (const FieldBoundary b : {kNoFlux, kPeriodic}) {
        GridSpec g = grid2(25, 7, 20.0, b);
        g.origin = {-250, 3.7, 0};
        FieldSet fs(g, {{"c", "", 0, 0, 0}});
        const auto reference = [&](double coord, int axis) {
            const double n = g.n[axis];
            double cell = std::floor((coord - g.origin[axis]) / g.dx);
            if (b == kPeriodic) cell -= n * std::floor(cell / n);
            if (!(cell >= 0)) return std::size_t{0};
            if (cell >= n) return static_cast<std::size_t>(n - 1);
            return static_cast<std::size_t>(cell);
        };
        // Coordinates of the faces k dx (beyond the grid too) and their 3 neighbours each side.
        const auto near_faces = [&](int axis) {
            std::vector<double> out{-0.0, NAN};
            for (int k = -30; k <= 60; ++k) {
                double v = g.origin[axis] + k * g.dx;
                for (int u = 0; u < 3; ++u) v = std::nextafter(v, -1e300);
                for (int u = 0; u < 7; ++u, v = std::nextafter(v, 1e300)) out.push_back(v);
            }
            return out;
        };
        const std::vector<double> xs = near_faces(0), ys = near_faces(1);
        for (const double x : xs) {
            for (const double y : ys) {
                ASSERT_EQ(fs.voxel_of({x, y, 0}), g.index(reference(x, 0), reference(y, 1), 0))
                    << x << " " << y;
            }
        }
    }
}

TEST(FieldSet, SampleAndGradientOfALinearField) {
    GridSpec g = grid3(6, 5, 4, 2.0);
    g.boundary = {kNoFlux, kPeriodic, kNoFlux};
    FieldSet fs(g, {{"c", "", 0, 0, 0}});
    std::span<double> c = fs.values(0);
    for (std::size_t v = 0; v < c.size(); ++v) {
        const Vec3 p = fs.centre(v);
        c[v] = 1 + 3 * p.x + 2 * p.y - 0.5 * p.z;
    }
    EXPECT_DOUBLE_EQ(fs.sample(0, {5.2, 3.9, 1.1}), 1 + 3 * 5 + 2 * 3 - 0.5 * 1);
    const Vec3 inner = fs.gradient(0, fs.centre(g.index(2, 2, 1)));
    EXPECT_NEAR(inner.x, 3, 1e-12);
    EXPECT_NEAR(inner.y, 2, 1e-12);
    EXPECT_NEAR(inner.z, -0.5, 1e-12);
    // No-flux edge: the outside neighbour is the voxel itself, so half the slope.
    const Vec3 edge = fs.gradient(0, fs.centre(g.index(0, 2, 3)));
    EXPECT_NEAR(edge.x, 1.5, 1e-12);
    EXPECT_NEAR(edge.z, -0.25, 1e-12);
    // Periodic y at j = 0: neighbours j = 4 and j = 1, (y1 - y4) * 2 / (2 dx) = -3 * 2 / 2.
    const Vec3 wrap = fs.gradient(0, fs.centre(g.index(2, 0, 1)));
    EXPECT_NEAR(wrap.y, -3.0, 1e-12);
}

TEST(FieldSet, SourcesClearAndValidation) {
    FieldSet fs(grid2(4, 4, 1), {{"c", "", 1, 0, 0}});
    fs.source(0)[3] = 2;
    fs.uptake(0)[5] = 1;
    fs.clear_sources();
    const FieldSet& cfs = fs;
    EXPECT_EQ(std::ranges::count(cfs.source(0), 0.0), 16);
    EXPECT_EQ(std::ranges::count(cfs.uptake(0), 0.0), 16);
    EXPECT_THROW(fs.step(0), std::invalid_argument);
    EXPECT_THROW(fs.step(-1), std::invalid_argument);

    const std::vector<FieldSpec> one{{"c", "", 1, 0, 0}};
    EXPECT_THROW(FieldSet(GridSpec{1, {4, 1, 1}, 1, {}, {}}, one), InputError);
    EXPECT_THROW(FieldSet(GridSpec{2, {4, 4, 2}, 1, {}, {}}, one), InputError);
    EXPECT_THROW(FieldSet(GridSpec{3, {4, 0, 2}, 1, {}, {}}, one), InputError);
    EXPECT_THROW(FieldSet(GridSpec{2, {4, 4, 1}, 0, {}, {}}, one), InputError);
    EXPECT_THROW(FieldSet(GridSpec{2, {2, 4, 1}, 1, {}, {kPeriodic, kNoFlux, kNoFlux}}, one),
                 InputError);
    EXPECT_NO_THROW(FieldSet(GridSpec{2, {4, 4, 1}, 1, {}, {kNoFlux, kNoFlux, kPeriodic}}, one));
    const GridSpec g = grid2(4, 4, 1);
    EXPECT_THROW(FieldSet(g, {{"", "", 1, 0, 0}}), InputError);
    EXPECT_THROW(FieldSet(g, {{"c", "", 1, 0, 0}, {"c", "", 1, 0, 0}}), InputError);
    EXPECT_THROW(FieldSet(g, {{"c", "", -1, 0, 0}}), InputError);
    EXPECT_THROW(FieldSet(g, {{"c", "", 1, NAN, 0}}), InputError);
    EXPECT_THROW(FieldSet(g, {{"c", "", 1, 0, -2}}), InputError);
}

}  // namespace
}  // namespace hlhsim
