#include "sim/fields/line_solver.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <stdexcept>
#include <string>

#include "sim/fields/row_sweep_simd.hpp"

namespace hlhsim {

LineSolver::LineSolver(std::size_t n, double r, FieldBoundary boundary)
    : n_(n), periodic_(boundary == FieldBoundary::kPeriodic) {
    if (n == 0) throw std::invalid_argument("LineSolver: a line needs at least one voxel");
    if (!(r >= 0) || !std::isfinite(r)) {
        throw std::invalid_argument("LineSolver: r = D dt / dx^2 must be finite and >= 0, got " +
                                    std::to_string(r));
    }
    if (periodic_ && n < 3) {
        throw std::invalid_argument("LineSolver: a periodic axis needs at least 3 voxels, got " +
                                    std::to_string(n));
    }
    identity_ = n == 1 || r == 0;
    if (identity_) return;

    // Diagonal of A = I - r L; off-diagonals are all -r.
    const double b = 1 + 2 * r;
    std::vector<double> diag(n, b);
    // Periodic: A = B + u v^T with u = (gamma, 0, .., 0, alpha), v = (1, 0, .., 0, beta/gamma),
    // where alpha = beta = -r are the corner entries and gamma = -b; B is tridiagonal.
    const double gamma = -b;
    if (periodic_) {
        diag.front() = b - gamma;
        diag.back() = b - r * r / gamma;
    } else {
        // No-flux end voxels have one neighbour only.
        diag.front() = 1 + r;
        diag.back() = 1 + r;
    }
    m_.resize(n);
    w_.resize(n);
    m_[0] = 1 / diag[0];
    w_[0] = r * m_[0];
    for (std::size_t i = 1; i < n; ++i) {
        m_[i] = 1 / (diag[i] - r * w_[i - 1]);
        w_[i] = r * m_[i];
    }
    if (periodic_) {
        z_.assign(n, 0.0);  // z = B^{-1} u
        z_.front() = gamma;
        z_.back() = -r;
        thomas_rows(z_.data(), n, 1);
        q_ = -r / gamma;  // beta / gamma
        k_ = 1 / (1 + z_.front() + q_ * z_.back());
    }
}

namespace {

// Thomas forward and backward passes on kLines rows at once. With kLines fixed the
// compiler unrolls the inner loops and keeps every line's running value in a register;
// the lines' recurrences are independent, so their latencies overlap.
template <std::size_t kLines>
void thomas_fixed(const std::vector<double>& m, const std::vector<double>& w, double* x,
                  std::size_t line_stride) {
    const std::size_t n = m.size();
    std::array<double*, kLines> line;
    std::array<double, kLines> carry;
    for (std::size_t l = 0; l < kLines; ++l) {
        line[l] = x + l * line_stride;
        carry[l] = line[l][0] *= m[0];
    }
    for (std::size_t i = 1; i < n; ++i) {
        for (std::size_t l = 0; l < kLines; ++l) {
            carry[l] = line[l][i] = line[l][i] * m[i] + w[i] * carry[l];
        }
    }
    for (std::size_t i = n - 1; i-- > 0;) {
        for (std::size_t l = 0; l < kLines; ++l) {
            carry[l] = line[l][i] += w[i] * carry[l];
        }
    }
}

}  // namespace

void LineSolver::thomas_rows(double* x, std::size_t line_stride, std::size_t count) const {
    // Groups of 8 lines through AVX-512 transposes where the CPU has them; the rest (and
    // everything elsewhere) interleaved 8, 4 or 1 at a time. The same bits either way.
    std::size_t l = thomas_rows_simd(m_.data(), w_.data(), n_, x, line_stride, count);
    for (; l + 8 <= count; l += 8) thomas_fixed<8>(m_, w_, x + l * line_stride, line_stride);
    if (l + 4 <= count) {
        thomas_fixed<4>(m_, w_, x + l * line_stride, line_stride);
        l += 4;
    }
    for (; l < count; ++l) thomas_fixed<1>(m_, w_, x + l * line_stride, line_stride);
}

void LineSolver::solve_rows(double* x, std::size_t line_stride, std::size_t count) const {
    if (identity_) return;
    thomas_rows(x, line_stride, count);
    if (!periodic_) return;
    for (std::size_t l = 0; l < count; ++l) {
        double* line = x + l * line_stride;
        const double s = (line[0] + q_ * line[n_ - 1]) * k_;
        for (std::size_t i = 0; i < n_; ++i) line[i] -= s * z_[i];
    }
}

void LineSolver::solve_columns(double* x, std::size_t elem_stride, std::size_t count) const {
    if (identity_) return;
    for (std::size_t l0 = 0; l0 < count; l0 += kColumnChunk) {
        solve_column_chunk(x + l0, elem_stride, std::min(kColumnChunk, count - l0));
    }
}

HLHSIM_SIMD_CLONES
void LineSolver::solve_column_chunk(double* x, std::size_t elem_stride, std::size_t count) const {
    // Row i of the chunk is x[i * elem_stride + 0 .. count): every loop below is a
    // contiguous, vectorisable pass over it.
    {
        double* row = x;
        const double m = m_[0];
        for (std::size_t l = 0; l < count; ++l) row[l] *= m;
    }
    for (std::size_t i = 1; i < n_; ++i) {
        double* row = x + i * elem_stride;
        const double* prev = row - elem_stride;
        const double m = m_[i];
        const double w = w_[i];
        for (std::size_t l = 0; l < count; ++l) row[l] = row[l] * m + w * prev[l];
    }
    for (std::size_t i = n_ - 1; i-- > 0;) {
        double* row = x + i * elem_stride;
        const double* next = row + elem_stride;
        const double w = w_[i];
        for (std::size_t l = 0; l < count; ++l) row[l] += w * next[l];
    }
    if (!periodic_) return;
    std::array<double, kColumnChunk> s;
    const double* first = x;
    const double* last = x + (n_ - 1) * elem_stride;
    for (std::size_t l = 0; l < count; ++l) s[l] = (first[l] + q_ * last[l]) * k_;
    for (std::size_t i = 0; i < n_; ++i) {
        double* row = x + i * elem_stride;
        const double z = z_[i];
        for (std::size_t l = 0; l < count; ++l) row[l] -= s[l] * z;
    }
}

}  // namespace hlhsim
