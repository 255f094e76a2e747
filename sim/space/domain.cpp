#include "sim/space/domain.hpp"

#include <fmt/format.h>

#include <stdexcept>

#include "sim/core/errors.hpp"

namespace hlhsim {

Domain::Domain(int dims, Vec3 lo, Vec3 hi, Boundary boundary)
    : Domain(dims, lo, hi, {boundary, boundary, boundary}) {}

Domain::Domain(int dims, Vec3 lo, Vec3 hi, std::array<Boundary, 3> per_axis)
    : dims_(dims), lo_(lo), hi_(hi), boundary_(per_axis) {
    if (dims != 2 && dims != 3) {
        throw InputError(fmt::format("domain: dims must be 2 or 3, got {}", dims));
    }
    if (dims == 2) {
        lo_.z = 0.0;
        hi_.z = 0.0;
    }
    constexpr const char* kAxis = "xyz";
    for (int axis = 0; axis < dims; ++axis) {
        const double l = lo_[axis];
        const double h = hi_[axis];
        if (!std::isfinite(l) || !std::isfinite(h) || !(h > l)) {
            throw InputError(
                fmt::format("domain: axis {} needs finite lo < hi, got lo = {} um, hi = {} um",
                            kAxis[axis], l, h));
        }
    }
    extent_ = hi_ - lo_;
    half_extent_ = 0.5 * extent_;
}

Boundary Domain::boundary(int axis) const {
    if (axis < 0 || axis > 2) throw std::out_of_range(fmt::format("domain: no axis {}", axis));
    return boundary_[axis];
}

double Domain::volume() const {
    return dims_ == 3 ? extent_.x * extent_.y * extent_.z : extent_.x * extent_.y;
}

bool Domain::contains(const Vec3& p) const {
    for (int axis = 0; axis < dims_; ++axis) {
        const double v = p[axis];
        if (!(v >= lo_[axis])) return false;
        if (boundary_[axis] == Boundary::kPeriodic ? !(v < hi_[axis]) : !(v <= hi_[axis])) {
            return false;
        }
    }
    return true;
}

namespace {
void require_finite(int axis, double v) {
    if (!std::isfinite(v)) {
        throw std::domain_error(
            fmt::format("domain: non-finite coordinate {} on axis {}", v, axis));
    }
}
}  // namespace

double Domain::wrap_slow(int axis, double v) const {
    require_finite(axis, v);
    const double len = extent_[axis];
    double t = std::fmod(v - lo_[axis], len);  // exact; in (-len, len)
    if (t < 0) t += len;
    const double r = lo_[axis] + t;
    // t + len or lo + t can round up to exactly hi, which belongs to lo on a torus.
    return r < hi_[axis] ? r : lo_[axis];
}

double Domain::reflect_slow(int axis, double v) const {
    require_finite(axis, v);
    const double len = extent_[axis];
    // Mirroring at both walls is periodic with period 2 * len: fold, then mirror the far half.
    double t = std::fmod(v - lo_[axis], 2.0 * len);
    if (t < 0) t += 2.0 * len;
    if (t > len) t = 2.0 * len - t;
    const double r = lo_[axis] + t;
    if (r < lo_[axis]) return lo_[axis];
    return r > hi_[axis] ? hi_[axis] : r;
}

}  // namespace hlhsim
