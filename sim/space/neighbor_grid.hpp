#pragma once
// Uniform-grid neighbour index: points binned into cells at least as wide as the query
// radius, so a query visits only the 3 x 3 (x 3) cells around the query point.
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "sim/core/vec.hpp"
#include "sim/space/domain.hpp"

namespace hlhsim {

class NeighborGrid {
  public:
    /// Cells of width >= cell_size [um] on every axis. Each used axis gets
    /// max(1, floor(extent / cell_size)) cells of width extent / count, so on periodic axes
    /// the cells tile the torus exactly. Throws InputError for cell_size <= 0 or when the
    /// grid would have more than 2^30 cells.
    NeighborGrid(const Domain& domain, double cell_size);

    /// Rebuilds the index from point coordinates [um] (z may be empty in 2-D; ignored there).
    /// O(N + cells): cells of the points in parallel, then a serial counting sort; the
    /// result does not depend on the thread count: within a cell, indices ascend. Queries use
    /// a copy of the coordinates taken here, in cell order (16 bytes per point in 2-D, 24 in
    /// 3-D, besides the 4-byte index and 4 bytes of scratch). Coordinates should lie in the
    /// domain (Domain::confine); reflecting-axis stragglers are binned in the edge cell.
    /// Throws InputError if the sizes differ or there are 2^32 - 1 points or more, and
    /// std::domain_error for a non-finite coordinate outside the domain.
    void build(std::span<const double> x, std::span<const double> y, std::span<const double> z);

    /// Calls f(j, d, dist2) for every indexed point j with dist2 = |d|^2 <= radius^2, where
    /// d = Domain::displacement(p, point j) [um] (minimum image on periodic axes). Each j is
    /// visited at most once; the point itself is included if indexed (callers skip self).
    /// The visiting order is fixed by the data (not by threads). Safe to call concurrently.
    /// Throws InputError unless 0 <= radius <= max_radius().
    template <class F>
    void for_each_within(const Vec3& p, double radius, F&& f) const;

    /// Row-major cell index (x fastest) of a position [um]; outside points are confined first.
    std::size_t cell_of(const Vec3& p) const;
    std::size_t num_cells() const { return num_cells_; }
    /// Number of cells along axis 0..2 (1 for z in 2-D).
    std::uint32_t cells(int axis) const { return n_[axis]; }
    /// Cell width along axis 0..dims-1 [um].
    double cell_width(int axis) const { return width_[axis]; }
    /// Largest query radius [um]: the smallest cell width over axes with more than one cell
    /// (infinite when every axis has a single cell).
    double max_radius() const { return max_radius_; }
    const Domain& domain() const { return domain_; }
    /// Number of points given to the last build.
    std::size_t num_points() const { return sorted_.size(); }

    /// Point indices grouped by cell, cells in row-major order (x fastest).
    std::span<const std::uint32_t> sorted_indices() const { return sorted_; }
    /// Offsets into sorted_indices(): cell c holds [cell_start()[c], cell_start()[c + 1]).
    /// Size num_cells() + 1 (all zero before the first build).
    std::span<const std::uint32_t> cell_start() const { return start_; }

  private:
    std::uint32_t axis_cell(int axis, double v) const {
        // Confining wraps hi to lo on periodic axes; a reflecting wall stays hi (edge cell).
        if (!(v >= lo_[axis] && v < hi_[axis])) v = domain_.confine_axis(axis, v);
        const double t = (v - lo_[axis]) * inv_width_[axis];
        if (!(t > 0.0)) return 0;
        const auto last = n_[axis] - 1;
        return t >= static_cast<double>(last) ? last : static_cast<std::uint32_t>(t);
    }
    std::size_t point_cell(std::size_t i) const;
    /// Distinct cells c-1, c, c+1 along an axis (wrapped or cut at the walls); returns count.
    int neighbor_cells(int axis, std::uint32_t c, std::array<std::uint32_t, 3>& out) const;
    [[noreturn]] void throw_bad_radius(double radius) const;
    /// Sorted positions of points within the query radius, not yet passed to the callback.
    struct HitBuffer {
        static constexpr int kSize = 64;
        std::array<std::uint32_t, kSize> k;
        int count = 0;
    };
    /// for_each_within in 2-D: scans sorted points [begin, end) into hits (calling f on
    /// them when the buffer is full); flush_2d calls f on the rest.
    template <class F>
    void scan_2d(const Vec3& p, double r2, std::uint32_t begin, std::uint32_t end, HitBuffer& hits,
                 F& f) const;
    template <class F>
    void flush_2d(const Vec3& p, HitBuffer& hits, F& f) const;
    /// Displacement from p to sorted point k in 2-D [um], as Domain::displacement.
    void offset_2d(const Vec3& p, std::uint32_t k, double& dx, double& dy) const;

    Domain domain_;
    std::array<std::uint32_t, 3> n_{1, 1, 1};
    std::array<double, 3> lo_{};
    std::array<double, 3> hi_{};
    std::array<double, 3> width_{};
    std::array<double, 3> inv_width_{};
    double max_radius_ = 0;
    // The domain's minimum-image data for x and y, for the 2-D scan.
    std::array<bool, 2> periodic_{};
    std::array<double, 2> extent_{};
    std::array<double, 2> half_extent_{};
    std::size_t num_cells_ = 1;
    std::span<const double> x_, y_, z_;
    std::vector<std::uint32_t> sorted_;
    std::vector<std::uint32_t> start_;
    std::vector<std::uint32_t> cell_;  // build scratch: cell of each point
    // Coordinates in sorted_ order [um] (z only in 3-D): a query scans them contiguously
    // instead of gathering x_[sorted_[k]] from wherever the caller keeps its rows.
    std::vector<double> sorted_x_, sorted_y_, sorted_z_;
};

template <class F>
void NeighborGrid::for_each_within(const Vec3& p_in, double radius, F&& f) const {
    if (!(radius >= 0.0 && radius <= max_radius_)) throw_bad_radius(radius);
    if (sorted_.empty()) return;  // e.g. a population that died out: nothing to visit
    const Vec3 p = domain_.confine(p_in);
    const double r2 = radius * radius;
    const bool three_d = domain_.dims() == 3;
    std::array<std::array<std::uint32_t, 3>, 3> near{};
    std::array<int, 3> count{};
    for (int axis = 0; axis < 3; ++axis) {
        const std::uint32_t c = axis < domain_.dims() ? axis_cell(axis, p[axis]) : 0;
        count[axis] = neighbor_cells(axis, c, near[axis]);
    }
    // Cells adjacent along x hold adjacent runs of sorted points: merge them, so that one
    // loop scans a row's 3 cells (the visiting order stays cell by cell, as listed).
    std::array<std::uint32_t, 3> run_lo{}, run_hi{};
    int runs = 0;
    for (int ix = 0; ix < count[0]; ++ix) {
        const std::uint32_t c = near[0][ix];
        if (runs > 0 && c == run_hi[runs - 1] + 1) {
            run_hi[runs - 1] = c;
        } else {
            run_lo[runs] = run_hi[runs] = c;
            ++runs;
        }
    }
    if (!three_d) {
        HitBuffer hits;
        for (int iy = 0; iy < count[1]; ++iy) {
            const std::size_t row = static_cast<std::size_t>(near[1][iy]) * n_[0];
            for (int r = 0; r < runs; ++r)
                scan_2d(p, r2, start_[row + run_lo[r]], start_[row + run_hi[r] + 1], hits, f);
        }
        flush_2d(p, hits, f);
        return;
    }
    for (int iz = 0; iz < count[2]; ++iz) {
        for (int iy = 0; iy < count[1]; ++iy) {
            const std::size_t row =
                (static_cast<std::size_t>(near[2][iz]) * n_[1] + near[1][iy]) * n_[0];
            for (int r = 0; r < runs; ++r) {
                const std::uint32_t end = start_[row + run_hi[r] + 1];
                for (std::uint32_t k = start_[row + run_lo[r]]; k < end; ++k) {
                    const Vec3 q{sorted_x_[k], sorted_y_[k], sorted_z_[k]};
                    const Vec3 d = domain_.displacement(p, q);
                    const double dist2 = norm2(d);
                    if (dist2 <= r2) f(static_cast<std::size_t>(sorted_[k]), d, dist2);
                }
            }
        }
    }
}

inline void NeighborGrid::offset_2d(const Vec3& p, std::uint32_t k, double& dx, double& dy) const {
    // Same arithmetic as Domain::displacement in 2-D.
    dx = sorted_x_[k] - p.x;
    dy = sorted_y_[k] - p.y;
    if (periodic_[0] && std::abs(dx) > half_extent_[0])
        dx -= extent_[0] * std::round(dx / extent_[0]);
    if (periodic_[1] && std::abs(dy) > half_extent_[1])
        dy -= extent_[1] * std::round(dy / extent_[1]);
}

template <class F>
void NeighborGrid::flush_2d(const Vec3& p, HitBuffer& hits, F& f) const {
    for (int h = 0; h < hits.count; ++h) {
        double dx, dy;
        offset_2d(p, hits.k[h], dx, dy);
        // norm2 of (dx, dy, 0): the + 0 * 0 of z changes nothing, so it is left out.
        f(static_cast<std::size_t>(sorted_[hits.k[h]]), Vec3{dx, dy, 0.0}, dx * dx + dy * dy);
    }
    hits.count = 0;
}

template <class F>
void NeighborGrid::scan_2d(const Vec3& p, double r2, std::uint32_t begin, std::uint32_t end,
                           HitBuffer& hits, F& f) const {
    // Hits are collected without a branch on the distance (about half the candidates are
    // hits, so that branch would mispredict often); f then runs on them in scan order.
    for (std::uint32_t k = begin; k < end; ++k) {
        double dx, dy;
        offset_2d(p, k, dx, dy);
        hits.k[hits.count] = k;
        hits.count += dx * dx + dy * dy <= r2 ? 1 : 0;
        if (hits.count == HitBuffer::kSize) flush_2d(p, hits, f);
    }
}

inline int NeighborGrid::neighbor_cells(int axis, std::uint32_t c,
                                        std::array<std::uint32_t, 3>& out) const {
    const std::uint32_t n = n_[axis];
    if (n == 1) {
        out[0] = 0;
        return 1;
    }
    int k = 0;
    if (axis < domain_.dims() && domain_.periodic(axis)) {
        // With 2 cells, c - 1 and c + 1 are the same cell: list it once.
        out[k++] = c == 0 ? n - 1 : c - 1;
        out[k++] = c;
        if (n >= 3) out[k++] = c + 1 == n ? 0 : c + 1;
        return k;
    }
    if (c > 0) out[k++] = c - 1;
    out[k++] = c;
    if (c + 1 < n) out[k++] = c + 1;
    return k;
}

}  // namespace hlhsim
