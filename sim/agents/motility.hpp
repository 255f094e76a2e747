#pragma once
// Persistent random walk with chemotactic bias, the usual cell-motility rule of
// agent-based tissue models (e.g. PhysiCell): a cell keeps its direction for an
// exponentially distributed time with mean `persistence`, then picks a new one that
// mixes a random direction with the local gradient of an attractant.
#include <cmath>
#include <numbers>
#include <type_traits>

#include "sim/core/rng.hpp"
#include "sim/core/vec.hpp"

namespace hlhsim {

struct MotilityParams {
    double speed = 0;        ///< [um/min]
    double persistence = 1;  ///< mean time between turns [min]
    double chemotaxis = 0;   ///< bias towards the gradient, 0 (none) to 1 (pure)
};

/// A uniformly random unit vector in the plane (dims 2) or in space (dims 3).
inline Vec3 random_direction(AgentRng& rng, int dims) {
    const double phi = 2 * std::numbers::pi * rng.uniform();
    if (dims == 2) return {std::cos(phi), std::sin(phi), 0};
    const double cos_theta = rng.uniform(-1, 1);
    const double sin_theta = std::sqrt(std::max(0.0, 1 - cos_theta * cos_theta));
    return {sin_theta * std::cos(phi), sin_theta * std::sin(phi), cos_theta};
}

/// The velocity for the next dt [min] given the current one [um/min] and a callable
/// returning the attractant gradient (any unit; only its direction matters). The gradient
/// is asked for only when the cell turns (with persistence >> dt, on few steps), which
/// spares sampling the field on every step. Draws from rng exactly as the overload below.
template <class GradientFn>
requires std::is_invocable_r_v<Vec3, GradientFn&>
inline Vec3 next_velocity(const Vec3& velocity, GradientFn&& gradient_at, const MotilityParams& p,
                          double dt, AgentRng& rng, int dims) {
    const bool at_rest = norm2(velocity) == 0;
    if (!at_rest && !bernoulli_rate(rng, 1.0 / p.persistence, dt)) return velocity;
    Vec3 dir = random_direction(rng, dims);
    if (!(p.chemotaxis > 0)) return p.speed * dir;
    const Vec3 gradient = gradient_at();
    const double g = norm(gradient);
    if (g > 0) {
        dir = (1 - p.chemotaxis) * dir + (p.chemotaxis / g) * gradient;
        const double n = norm(dir);
        if (n > 0) dir *= 1.0 / n;
    }
    return p.speed * dir;
}

/// The velocity for the next dt [min] given the current one [um/min] and the
/// attractant gradient (any unit; only its direction matters). Draws from rng.
inline Vec3 next_velocity(const Vec3& velocity, const Vec3& gradient, const MotilityParams& p,
                          double dt, AgentRng& rng, int dims) {
    return next_velocity(
        velocity, [&gradient] { return gradient; }, p, dt, rng, dims);
}

}  // namespace hlhsim
