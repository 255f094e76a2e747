#pragma once
// One implicit (backward Euler) diffusion sweep along a grid axis: a constant-coefficient
// tridiagonal solve, factorised once and applied to many lines.
#include <cstddef>
#include <vector>

#include "sim/fields/grid_spec.hpp"

// Hot loops are compiled for AVX-512, AVX2 and the baseline and picked at load time
// (GCC function multi-versioning). The project builds for baseline x86-64 (SSE2); the
// wider versions compute the same IEEE operations in the same order per element (the
// sources are built with -ffp-contract=off, see CMakeLists.txt: no fused multiply-add),
// so results are bitwise identical whichever runs.
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__)
#define HLHSIM_SIMD_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define HLHSIM_SIMD_CLONES
#endif

namespace hlhsim {

/// Solves (I - r L) x = d in place on lines of n voxels, where L is the 1-D Laplacian
/// stencil [1 -2 1] with no-flux ends (mirror ghost voxel) or periodic ends, and
/// r = D dt / dx^2 (dimensionless). The coefficients are the same on every line, so the
/// Thomas factorisation is computed once here; a periodic line adds a Sherman-Morrison
/// correction for the two corner entries, whose vector is also precomputed.
/// The matrix is a strictly diagonally dominant M-matrix: any r >= 0 is stable, the line
/// sum is conserved, and on no-flux lines d >= 0 gives x >= 0 exactly (every operation
/// of the solve is then a sum of non-negative terms); periodic lines keep x >= 0 up to
/// round-off.
class LineSolver {
  public:
    /// The identity on one-voxel lines (an unused axis).
    LineSolver() = default;
    /// Throws std::invalid_argument if n == 0, r < 0 or not finite, or a periodic n < 3.
    LineSolver(std::size_t n, double r, FieldBoundary boundary);

    std::size_t size() const { return n_; }
    /// True if a solve changes nothing (one voxel, or r == 0): callers may skip it.
    bool is_identity() const { return identity_; }

    /// Solves `count` lines stored as rows: element i of line l is x[l * line_stride + i].
    /// The lines are processed together so that their independent recurrences overlap
    /// (vectorised across lines with AVX-512 where available: row_sweep_simd.hpp).
    void solve_rows(double* x, std::size_t line_stride, std::size_t count) const;
    /// Solves `count` lines stored as columns: element i of line l is x[i * elem_stride + l],
    /// i.e. adjacent lines are adjacent in memory; the inner loop is vectorised over l.
    void solve_columns(double* x, std::size_t elem_stride, std::size_t count) const;

  private:
    /// The tridiagonal (Thomas) part of solve_rows, without the periodic correction.
    void thomas_rows(double* x, std::size_t line_stride, std::size_t count) const;
    /// solve_columns for count <= kColumnChunk lines.
    void solve_column_chunk(double* x, std::size_t elem_stride, std::size_t count) const;

    static constexpr std::size_t kColumnChunk = 256;

    std::size_t n_ = 1;
    bool identity_ = true;
    bool periodic_ = false;
    // Thomas factorisation of the (modified, if periodic) matrix: forward
    // y_i = d_i m_i + w_i y_{i-1}, backward x_i = y_i + w_i x_{i+1}.
    std::vector<double> m_;  // 1 / pivot_i
    std::vector<double> w_;  // r / pivot_i
    // Periodic only: x = y - s z with s = (y_0 + q y_{n-1}) k (Sherman-Morrison).
    std::vector<double> z_;
    double q_ = 0;
    double k_ = 0;
};

}  // namespace hlhsim
