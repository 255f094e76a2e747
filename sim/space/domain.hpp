#pragma once
// The simulation box: an axis-aligned 2-D or 3-D region [um] with a boundary rule per axis.
#include <array>
#include <cmath>

#include "sim/core/vec.hpp"

namespace hlhsim {

enum class Boundary {
    kPeriodic,    ///< leaving at hi re-enters at lo (torus); distances use the minimum image
    kReflecting,  ///< positions are mirrored back into [lo, hi]
};

/// An axis-aligned box [lo, hi] in um. In 2-D only x and y are used and z is always 0.
class Domain {
  public:
    /// Same boundary on all axes. Throws InputError unless dims is 2 or 3 and hi > lo
    /// (finite) on every used axis.
    Domain(int dims, Vec3 lo, Vec3 hi, Boundary boundary);
    Domain(int dims, Vec3 lo, Vec3 hi, std::array<Boundary, 3> per_axis);

    int dims() const { return dims_; }
    /// Lower corner [um] (z = 0 in 2-D).
    Vec3 lo() const { return lo_; }
    /// Upper corner [um] (z = 0 in 2-D).
    Vec3 hi() const { return hi_; }
    /// hi - lo [um] (z = 0 in 2-D).
    Vec3 extent() const { return extent_; }
    /// Boundary rule of axis 0..2 (throws std::out_of_range otherwise).
    Boundary boundary(int axis) const;
    bool periodic(int axis) const { return boundary_[axis] == Boundary::kPeriodic; }
    /// Volume [um^3], or area [um^2] in 2-D.
    double volume() const;

    /// Applies the boundary to a proposed position: wraps on periodic axes into [lo, hi),
    /// mirrors on reflecting axes into [lo, hi], also for moves longer than the domain.
    /// Positions already inside are returned unchanged (bitwise). z is set to 0 in 2-D.
    /// Throws std::domain_error for a non-finite coordinate (a NaN position is a model bug).
    Vec3 confine(Vec3 p) const {
        p.x = confine_axis(0, p.x);
        p.y = confine_axis(1, p.y);
        p.z = dims_ == 3 ? confine_axis(2, p.z) : 0.0;
        return p;
    }
    /// confine() for one coordinate of axis 0..dims()-1 [um].
    double confine_axis(int axis, double v) const {
        const double lo = lo_[axis];
        const double hi = hi_[axis];
        if (boundary_[axis] == Boundary::kPeriodic) {
            if (v >= lo && v < hi) return v;
            return wrap_slow(axis, v);
        }
        if (v >= lo && v <= hi) return v;
        return reflect_slow(axis, v);
    }

    /// Shortest displacement b - a [um]: minimum image on periodic axes; z = 0 in 2-D.
    /// On a periodic axis a separation of exactly half the extent keeps its sign.
    Vec3 displacement(const Vec3& a, const Vec3& b) const {
        Vec3 d{b.x - a.x, b.y - a.y, dims_ == 3 ? b.z - a.z : 0.0};
        for (int axis = 0; axis < dims_; ++axis) {
            if (boundary_[axis] != Boundary::kPeriodic) continue;
            double& c = d[axis];
            // One branch in the common case; round() also handles points far outside.
            if (std::abs(c) > half_extent_[axis])
                c -= extent_[axis] * std::round(c / extent_[axis]);
        }
        return d;
    }

    /// True if p is inside: [lo, hi) on periodic axes, [lo, hi] on reflecting ones.
    /// Only the used axes are checked (z is ignored in 2-D).
    bool contains(const Vec3& p) const;

  private:
    double wrap_slow(int axis, double v) const;
    double reflect_slow(int axis, double v) const;

    int dims_;
    Vec3 lo_;
    Vec3 hi_;
    Vec3 extent_;
    Vec3 half_extent_;
    std::array<Boundary, 3> boundary_;
};

}  // namespace hlhsim
