#pragma once
// Exact one-step solutions of the linear first-order equations the systemic model is
// built from. With the coefficients held constant over a step they are exact, so they
// are stable and keep signs for any step length (no stiffness limit from the minutes-
// long cytokine half-lives when the systemic step is an hour).
#include <algorithm>
#include <cmath>

namespace hlhsim::models::relaxation {

/// (1 - exp(-k h)) / k, the integral of exp(-k t) over [0, h]; h when k == 0.
inline double decay_integral(double k, double h) {
    const double kh = k * h;
    if (std::abs(kh) < 1e-12) return h;
    return -std::expm1(-kh) / k;
}

/// x' = k (target - x): the value after h. `k` >= 0 [1/time], `h` >= 0 [time].
inline double relax(double x, double target, double k, double h) {
    return target + (x - target) * std::exp(-k * h);
}

/// x' = u - k x with a constant input u: the value after h.
inline double decay_with_input(double x, double u, double k, double h) {
    return x * std::exp(-k * h) + u * decay_integral(k, h);
}

/// x' = u(t) - k x, where the input itself relaxes towards `u_target` at rate `a`:
/// u(t) = u_target + (u0 - u_target) exp(-a t). The value of x after h, exact.
/// Used where a marrow precursor stage (u) feeds a circulating pool (x).
inline double decay_with_relaxing_input(double x, double k, double u0, double u_target, double a,
                                        double h) {
    const double ekh = std::exp(-k * h);
    // integral over [0, h] of exp(-a s) exp(-k (h - s)) ds = exp(-k h) expm1((k - a) h) / (k - a)
    const double d = k - a;
    double phi = 0;
    if (std::abs(d * h) < 1e-12) {
        phi = h * ekh;
    } else if (std::abs(d * h) < 1.0) {
        phi = ekh * std::expm1(d * h) / d;  // no cancellation when a is close to k
    } else {
        phi = (std::exp(-a * h) - ekh) / d;  // no overflow when a and k are far apart
    }
    const double value = x * ekh + u_target * decay_integral(k, h) + (u0 - u_target) * phi;
    // Exact arithmetic keeps x >= 0 when x, u0, u_target >= 0; rounding may not.
    return std::max(0.0, value);
}

}  // namespace hlhsim::models::relaxation
