#include "sim/space/neighbor_grid.hpp"

#include <gtest/gtest.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <cstdint>
#include <tuple>
#include <vector>

#include "sim/core/errors.hpp"
#include "sim/core/rng.hpp"

namespace hlhsim::neighbor_grid_test {

struct Points {
    std::vector<double> x, y, z;
    std::size_t size() const { return x.size(); }
    Vec3 at(std::size_t i, int dims) const { return {x[i], y[i], dims == 3 ? z[i] : 0.0}; }
};

/// Random points in the domain plus points on and next to every wall.
Points make_points(const Domain& d, std::size_t n, std::uint64_t seed) {
    Points p;
    AgentRng rng(seed, 1, 0, 0);
    const Vec3 lo = d.lo();
    const Vec3 hi = d.hi();
    auto push = [&](Vec3 v) {
        v = d.confine(v);
        p.x.push_back(v.x);
        p.y.push_back(v.y);
        p.z.push_back(v.z);
    };
    for (std::size_t i = 0; i < n; ++i) {
        push({rng.uniform(lo.x, hi.x), rng.uniform(lo.y, hi.y), rng.uniform(lo.z, hi.z)});
    }
    for (int k = 0; k < 40; ++k) {
        const double eps = 1e-9 * (k % 4);
        const Vec3 mid{rng.uniform(lo.x, hi.x), rng.uniform(lo.y, hi.y), rng.uniform(lo.z, hi.z)};
        for (int axis = 0; axis < d.dims(); ++axis) {
            Vec3 a = mid, b = mid;
            a[axis] = lo[axis] + eps;
            b[axis] = hi[axis] - eps;
            push(a);
            push(b);
        }
    }
    return p;
}

using Hit = std::tuple<std::size_t, double, double, double, double>;  // j, d.x, d.y, d.z, dist2

std::vector<Hit> brute(const Domain& d, const Points& p, const Vec3& q, double r) {
    std::vector<Hit> out;
    for (std::size_t j = 0; j < p.size(); ++j) {
        const Vec3 v = d.displacement(q, p.at(j, d.dims()));
        const double d2 = norm2(v);
        if (d2 <= r * r) out.emplace_back(j, v.x, v.y, v.z, d2);
    }
    return out;
}

/// Queries every point (and a few off-point positions) and compares with brute force.
void expect_matches_brute_force(const Domain& d, double cell_size, const std::vector<double>& radii,
                                std::size_t n) {
    const Points p = make_points(d, n, 7);
    NeighborGrid grid(d, cell_size);
    grid.build(p.x, p.y, p.z);
    ASSERT_EQ(grid.num_points(), p.size());
    ASSERT_EQ(grid.cell_start().back(), p.size());
    for (const double r : radii) {
        ASSERT_LE(r, grid.max_radius());
        std::size_t total = 0;
        for (std::size_t i = 0; i < p.size(); i += 3) {
            const Vec3 q = p.at(i, d.dims());
            std::vector<Hit> got;
            grid.for_each_within(q, r, [&](std::size_t j, const Vec3& v, double d2) {
                got.emplace_back(j, v.x, v.y, v.z, d2);
            });
            std::sort(got.begin(), got.end());
            ASSERT_TRUE(std::adjacent_find(got.begin(), got.end(),
                                           [](const Hit& a, const Hit& b) {
                                               return std::get<0>(a) == std::get<0>(b);
                                           }) == got.end())
                << "duplicate visit, point " << i << " radius " << r;
            const std::vector<Hit> want = brute(d, p, q, r);
            ASSERT_EQ(got, want) << "point " << i << " radius " << r;
            total += got.size();
        }
        EXPECT_GE(total, p.size() / 3) << "the test should find neighbours, radius " << r;
    }
}

TEST(NeighborGrid, MatchesBruteForce2DPeriodic) {
    const Domain d(2, {0, 0, 0}, {200, 150, 0}, Boundary::kPeriodic);
    expect_matches_brute_force(d, 10.0, {0.0, 3.0, 7.5, 10.0}, 2000);
}

TEST(NeighborGrid, MatchesBruteForce2DReflecting) {
    const Domain d(2, {-100, -50, 0}, {100, 70, 0}, Boundary::kReflecting);
    expect_matches_brute_force(d, 12.5, {4.0, 12.5}, 2000);
}

TEST(NeighborGrid, MatchesBruteForce3DPeriodic) {
    const Domain d(3, {0, 0, 0}, {100, 80, 60}, Boundary::kPeriodic);
    expect_matches_brute_force(d, 9.0, {2.5, 6.0, 9.0}, 2000);
}

TEST(NeighborGrid, MatchesBruteForce3DMixed) {
    const Domain d(3, {0, 0, 0}, {90, 70, 50},
                   {Boundary::kReflecting, Boundary::kPeriodic, Boundary::kReflecting});
    expect_matches_brute_force(d, 11.0, {5.0, 10.0}, 2000);
}

TEST(NeighborGrid, PeriodicAxesWithOneTwoThreeCells) {
    // x: 1 cell, y: 2 cells, z: 3 cells, all periodic; radius up to the narrowest width.
    const Domain d(3, {0, 0, 0}, {18, 40, 60}, Boundary::kPeriodic);
    NeighborGrid grid(d, 20.0);
    EXPECT_EQ(grid.cells(0), 1u);
    EXPECT_EQ(grid.cells(1), 2u);
    EXPECT_EQ(grid.cells(2), 3u);
    EXPECT_DOUBLE_EQ(grid.max_radius(), 20.0);
    expect_matches_brute_force(d, 20.0, {4.0, 9.0, 15.0, 20.0}, 600);
    // 2-D with 2 x 1 cells.
    const Domain d2(2, {0, 0, 0}, {30, 12, 0}, Boundary::kPeriodic);
    expect_matches_brute_force(d2, 15.0, {5.0, 11.0, 15.0}, 500);
}

TEST(NeighborGrid, CellGeometry) {
    const Domain d(2, {0, 0, 0}, {100, 35, 0}, Boundary::kPeriodic);
    const NeighborGrid g(d, 10.0);
    EXPECT_EQ(g.cells(0), 10u);
    EXPECT_EQ(g.cells(1), 3u);
    EXPECT_EQ(g.cells(2), 1u);
    EXPECT_DOUBLE_EQ(g.cell_width(1), 35.0 / 3.0);
    EXPECT_EQ(g.num_cells(), 30u);
    EXPECT_EQ(g.cell_of({0, 0, 0}), 0u);
    EXPECT_EQ(g.cell_of({15, 12, 0}), 11u);
    EXPECT_EQ(g.cell_of({99.999, 34.999, 0}), 29u);
    EXPECT_EQ(g.cell_of({100, 0, 0}), 0u);   // wraps to lo
    EXPECT_EQ(g.cell_of({-0.5, 0, 0}), 9u);  // wraps to hi
    EXPECT_EQ(g.cell_start().size(), 31u);
    // Wider than the domain: one cell, any radius.
    const NeighborGrid one(d, 500.0);
    EXPECT_EQ(one.num_cells(), 1u);
    EXPECT_EQ(one.cell_width(0), 100.0);
}

TEST(NeighborGrid, RejectsBadArguments) {
    const Domain d(3, {0, 0, 0}, {100, 100, 100}, Boundary::kReflecting);
    EXPECT_THROW(NeighborGrid(d, 0.0), InputError);
    EXPECT_THROW(NeighborGrid(d, -1.0), InputError);
    EXPECT_THROW(NeighborGrid(d, 1e-4), InputError);  // 10^18 cells
    NeighborGrid g(d, 10.0);
    const std::vector<double> a{1, 2}, b{1};
    EXPECT_THROW(g.build(a, b, a), InputError);
    EXPECT_THROW(g.build(a, a, b), InputError);
    g.build(a, a, a);
    auto nothing = [](std::size_t, const Vec3&, double) {};
    EXPECT_THROW(g.for_each_within({5, 5, 5}, 10.5, nothing), InputError);
    EXPECT_THROW(g.for_each_within({5, 5, 5}, -1.0, nothing), InputError);
    EXPECT_NO_THROW(g.for_each_within({5, 5, 5}, 10.0, nothing));
}

TEST(NeighborGrid, SortedIndicesGroupByCellAscending) {
    const Domain d(2, {0, 0, 0}, {100, 100, 0}, Boundary::kReflecting);
    const Points p = make_points(d, 3000, 11);
    NeighborGrid g(d, 7.0);
    g.build(p.x, p.y, {});  // z may be empty in 2-D
    const auto idx = g.sorted_indices();
    const auto start = g.cell_start();
    std::vector<int> seen(p.size(), 0);
    for (std::size_t c = 0; c < g.num_cells(); ++c) {
        for (std::uint32_t k = start[c]; k < start[c + 1]; ++k) {
            EXPECT_EQ(g.cell_of(p.at(idx[k], 2)), c);
            if (k > start[c]) {
                EXPECT_LT(idx[k - 1], idx[k]);
            }
            ++seen[idx[k]];
        }
    }
    EXPECT_TRUE(std::all_of(seen.begin(), seen.end(), [](int s) { return s == 1; }));
}

TEST(NeighborGrid, BuildIsThreadCountIndependent) {
    const Domain d(3, {0, 0, 0}, {120, 120, 120}, Boundary::kPeriodic);
    // Clustered points (many per cell) make the scatter order scheduling-dependent.
    Points p = make_points(d, 20000, 3);
    for (std::size_t i = 0; i < p.size(); i += 2) {
        p.x[i] = 60.0 + p.x[i] * 1e-3;
        p.y[i] = 60.0;
    }
    auto run = [&](int threads) {
        std::vector<std::uint32_t> idx, start;
        tbb::task_arena arena(threads);
        arena.execute([&] {
            NeighborGrid g(d, 8.0);
            g.build(p.x, p.y, p.z);
            idx.assign(g.sorted_indices().begin(), g.sorted_indices().end());
            start.assign(g.cell_start().begin(), g.cell_start().end());
        });
        return std::make_pair(idx, start);
    };
    const auto one = run(1);
    const auto two = run(2);
    EXPECT_EQ(one.first, two.first);
    EXPECT_EQ(one.second, two.second);
}

TEST(NeighborGrid, RebuildAndEmpty) {
    const Domain d(2, {0, 0, 0}, {50, 50, 0}, Boundary::kPeriodic);
    NeighborGrid g(d, 10.0);
    const std::vector<double> none;
    g.build(none, none, none);
    int calls = 0;
    g.for_each_within({5, 5, 0}, 10.0, [&](std::size_t, const Vec3&, double) { ++calls; });
    EXPECT_EQ(calls, 0);
    const std::vector<double> x{1, 49}, y{1, 1};
    g.build(x, y, {});
    std::vector<std::size_t> hits;
    g.for_each_within({1, 1, 0}, 5.0, [&](std::size_t j, const Vec3& v, double d2) {
        hits.push_back(j);
        if (j == 1) {
            EXPECT_EQ(v, (Vec3{-2, 0, 0}));  // across the periodic wall
            EXPECT_EQ(d2, 4.0);
        }
    });
    std::sort(hits.begin(), hits.end());
    EXPECT_EQ(hits, (std::vector<std::size_t>{0, 1}));
}

}  // namespace hlhsim::neighbor_grid_test
