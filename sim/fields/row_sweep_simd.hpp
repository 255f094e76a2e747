#pragma once
// The Thomas sweeps of LineSolver along rows (lines contiguous in memory), vectorised
// across lines: 8 rows at a time are transposed in AVX-512 registers so that each vector
// lane carries one line's recurrence.
#include <cstddef>

namespace hlhsim {

/// Forward y_i = x_i m_i + w_i y_{i-1} (y_0 = x_0 m_0), backward x_i = y_i + w_i x_{i+1},
/// on lines of n = m.size() voxels stored as rows (element i of line l is
/// x[l * line_stride + i]), in place. Does the first count / 8 * 8 lines when the CPU has
/// AVX-512 (checked once at load time) and returns how many it did; 0 otherwise. Each
/// element sees the same IEEE operations in the same order as the scalar sweep (the file is
/// built without contraction to fused multiply-adds), so results are bitwise identical.
std::size_t thomas_rows_simd(const double* m, const double* w, std::size_t n, double* x,
                             std::size_t line_stride, std::size_t count);

}  // namespace hlhsim
