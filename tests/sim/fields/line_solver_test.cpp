#include "sim/fields/line_solver.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstddef>
#include <cstring>
#include <random>
#include <stdexcept>
#include <vector>

namespace hlhsim {
namespace {

// (I - r L) x for one line, written out directly as the stencil (the reference).
std::vector<double> apply(const std::vector<double>& x, double r, FieldBoundary b) {
    const std::size_t n = x.size();
    std::vector<double> y(n);
    for (std::size_t i = 0; i < n; ++i) {
        double lap = 0;
        if (i > 0) {
            lap += x[i - 1] - x[i];
        } else if (b == FieldBoundary::kPeriodic) {
            lap += x[n - 1] - x[i];
        }
        if (i + 1 < n) {
            lap += x[i + 1] - x[i];
        } else if (b == FieldBoundary::kPeriodic) {
            lap += x[0] - x[i];
        }
        y[i] = x[i] - r * lap;
    }
    return y;
}

std::vector<double> random_line(std::size_t n, std::mt19937_64& gen) {
    std::uniform_real_distribution<double> u(0.0, 1.0);
    std::vector<double> d(n);
    for (double& v : d) v = u(gen);
    return d;
}

struct Case {
    std::size_t n;
    double r;
    FieldBoundary boundary;
};

const Case kCases[] = {
    {2, 0.7, FieldBoundary::kNoFlux},  {3, 0.7, FieldBoundary::kPeriodic},
    {17, 0.1, FieldBoundary::kNoFlux}, {17, 0.1, FieldBoundary::kPeriodic},
    {64, 5.0, FieldBoundary::kNoFlux}, {64, 5.0, FieldBoundary::kPeriodic},
    {33, 1e4, FieldBoundary::kNoFlux}, {33, 1e4, FieldBoundary::kPeriodic},
};

TEST(LineSolver, RowSolveInvertsTheStencil) {
    std::mt19937_64 gen(1);
    for (const Case& c : kCases) {
        const LineSolver solver(c.n, c.r, c.boundary);
        ASSERT_FALSE(solver.is_identity());
        // Three lines stored as rows with padding between them.
        const std::size_t stride = c.n + 5;
        std::vector<std::vector<double>> d(3);
        std::vector<double> x(3 * stride, -1.0);
        for (std::size_t l = 0; l < 3; ++l) {
            d[l] = random_line(c.n, gen);
            for (std::size_t i = 0; i < c.n; ++i) x[l * stride + i] = d[l][i];
        }
        solver.solve_rows(x.data(), stride, 3);
        for (std::size_t l = 0; l < 3; ++l) {
            const std::vector<double> line(x.begin() + static_cast<long>(l * stride),
                                           x.begin() + static_cast<long>(l * stride + c.n));
            const std::vector<double> back = apply(line, c.r, c.boundary);
            for (std::size_t i = 0; i < c.n; ++i) {
                EXPECT_NEAR(back[i], d[l][i], 1e-12 * (1 + c.r)) << "n=" << c.n << " r=" << c.r;
            }
            for (std::size_t i = c.n; i < stride && l < 2; ++i) EXPECT_EQ(x[l * stride + i], -1.0);
        }
    }
}

TEST(LineSolver, ColumnSolveMatchesRowSolve) {
    std::mt19937_64 gen(2);
    for (const Case& c : kCases) {
        const LineSolver solver(c.n, c.r, c.boundary);
        // 300 lines: more than one internal column chunk.
        const std::size_t lines = 300;
        std::vector<double> cols(c.n * lines);
        std::vector<double> rows(c.n * lines);
        for (std::size_t l = 0; l < lines; ++l) {
            const std::vector<double> d = random_line(c.n, gen);
            for (std::size_t i = 0; i < c.n; ++i) {
                cols[i * lines + l] = d[i];
                rows[l * c.n + i] = d[i];
            }
        }
        solver.solve_columns(cols.data(), lines, lines);
        solver.solve_rows(rows.data(), c.n, lines);
        for (std::size_t l = 0; l < lines; ++l) {
            for (std::size_t i = 0; i < c.n; ++i) {
                // Same arithmetic in another loop order: equal up to FMA contraction.
                ASSERT_NEAR(cols[i * lines + l], rows[l * c.n + i],
                            1e-14 * std::abs(rows[l * c.n + i]))
                    << "n=" << c.n << " l=" << l;
            }
        }
    }
}

// Rows are swept 8 or 16 at a time through AVX-512 transposes where the CPU has them
// (row_sweep_simd.cpp), the rest line by line. Every element must get the bits of the column
// sweep, which does the same operations in the same order: for line counts around the
// group sizes, lengths around the 8-voxel tiles, and a stride wider than the line.
TEST(LineSolver, RowSolveGivesTheBitsOfTheColumnSolve) {
    std::mt19937_64 gen(4);
    for (const std::size_t n : {2, 3, 7, 8, 9, 16, 23, 100}) {
        for (const FieldBoundary b : {FieldBoundary::kNoFlux, FieldBoundary::kPeriodic}) {
            if (b == FieldBoundary::kPeriodic && n < 3) continue;
            const LineSolver solver(n, 0.9, b);
            for (const std::size_t lines : {1, 7, 8, 9, 15, 16, 17, 24, 33, 40}) {
                const std::size_t stride = n + 3;
                std::vector<double> rows(lines * stride, -1.0), cols(n * lines);
                for (std::size_t l = 0; l < lines; ++l) {
                    const std::vector<double> d = random_line(n, gen);
                    for (std::size_t i = 0; i < n; ++i)
                        rows[l * stride + i] = cols[i * lines + l] = d[i];
                }
                solver.solve_rows(rows.data(), stride, lines);
                solver.solve_columns(cols.data(), lines, lines);
                for (std::size_t l = 0; l < lines; ++l) {
                    for (std::size_t i = 0; i < stride; ++i) {
                        if (i >= n) {
                            ASSERT_EQ(rows[l * stride + i], -1.0) << "padding written";
                            continue;
                        }
                        const double row = rows[l * stride + i], col = cols[i * lines + l];
                        ASSERT_EQ(std::memcmp(&row, &col, sizeof row), 0)
                            << "n=" << n << " lines=" << lines << " l=" << l << " i=" << i << ": "
                            << row << " vs " << col;
                    }
                }
            }
        }
    }
}

TEST(LineSolver, ConservesTheLineSum) {
    std::mt19937_64 gen(3);
    for (const Case& c : kCases) {
        const LineSolver solver(c.n, c.r, c.boundary);
        std::vector<double> x = random_line(c.n, gen);
        double before = 0, after = 0;
        for (double v : x) before += v;
        solver.solve_rows(x.data(), c.n, 1);
        for (double v : x) after += v;
        // Round-off grows with the condition number of the matrix, about 1 + 4 r.
        EXPECT_NEAR(after, before, 1e-14 * (1 + 4 * c.r) * before) << "n=" << c.n << " r=" << c.r;
    }
}

TEST(LineSolver, NoFluxKeepsADeltaNonNegative) {
    const LineSolver solver(50, 1e6, FieldBoundary::kNoFlux);
    std::vector<double> x(50, 0.0);
    x[7] = 1;
    solver.solve_rows(x.data(), 50, 1);
    for (double v : x) EXPECT_GE(v, 0.0);
    EXPECT_GT(x[49], 0.0);  // spreads everywhere
}

TEST(LineSolver, IdentityCasesChangeNothing) {
    std::vector<double> x{1.5, 2.5, 3.5};
    const LineSolver zero_r(3, 0.0, FieldBoundary::kPeriodic);
    EXPECT_TRUE(zero_r.is_identity());
    zero_r.solve_rows(x.data(), 3, 1);
    zero_r.solve_columns(x.data(), 1, 1);
    EXPECT_EQ(x, (std::vector<double>{1.5, 2.5, 3.5}));
    const LineSolver single(1, 10.0, FieldBoundary::kNoFlux);
    EXPECT_TRUE(single.is_identity());
    EXPECT_TRUE(LineSolver().is_identity());
}

TEST(LineSolver, RejectsBadArguments) {
    EXPECT_THROW(LineSolver(0, 1.0, FieldBoundary::kNoFlux), std::invalid_argument);
    EXPECT_THROW(LineSolver(5, -1.0, FieldBoundary::kNoFlux), std::invalid_argument);
    EXPECT_THROW(LineSolver(5, NAN, FieldBoundary::kNoFlux), std::invalid_argument);
    EXPECT_THROW(LineSolver(2, 1.0, FieldBoundary::kPeriodic), std::invalid_argument);
}

}  // namespace
}  // namespace hlhsim
