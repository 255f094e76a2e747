#pragma once
// Small helpers shared by the cell rules.
#include <tbb/task_arena.h>

#include <algorithm>
#include <cmath>
#include <mutex>
#include <span>
#include <type_traits>
#include <utility>

#include "models/hlh/patch_state.hpp"
#include "sim/agents/motility.hpp"
#include "sim/core/parallel.hpp"
#include "sim/fields/field_set.hpp"
#include "sim/schedule/simulation.hpp"

namespace hlhsim::models::hlh {

/// Logistic room left in a niche holding n of at most `capacity`: 1 when empty, 0 when full.
inline double logistic_room(double n, double capacity) { return std::max(0.0, 1.0 - n / capacity); }

/// Runs f(i) for every row, in parallel. Each call must touch only row i's data.
template <class F>
void for_each_row(std::size_t n, F&& f) {
    constexpr std::size_t kGrain = 128;
    // Up to two blocks (the macrophages, the blood cells: ~0.1 us a row) serially, without
    // entering the task scheduler: the second thread would save less than its fork and
    // join cost, and on a loaded machine a worker descheduled mid-block stalls the step.
    for_each_index(n, kGrain, n < 2 * kGrain, f);
}

/// The grid of pop's current positions: built by the first caller of the step (after
/// state.built was cleared), whom concurrent callers wait for. The grid is the same
/// whichever thread builds it, as if built at the start of the step.
inline const NeighborGrid& grid_on_demand(LazyGrid& lazy, const Population& pop) {
    if (!lazy.built.load(std::memory_order_acquire)) {
        std::lock_guard lock(lazy.mutex);
        if (!lazy.built.load(std::memory_order_relaxed)) {
            // Isolated: while a parallel build waits for its tasks, this thread must not take
            // up another row of the caller's loop, which might ask for this grid again.
            tbb::this_task_arena::isolate([&] { lazy.grid->build(pop.x(), pop.y(), pop.z()); });
            lazy.built.store(true, std::memory_order_release);
        }
    }
    return *lazy.grid;
}

inline double sample(const Patch& patch, FieldId f, const Vec3& p) {
    return patch.sim->fields().sample(patch.field[static_cast<std::size_t>(f)], p);
}

/// Values of field f by voxel (FieldSet::voxel_of), for rules that read several fields at
/// one position.
inline std::span<const double> field_values(const Patch& patch, FieldId f) {
    return std::as_const(*patch.sim).fields().values(patch.field[static_cast<std::size_t>(f)]);
}

/// x(t + dt) for dx/dt = gain (1 - x) - loss x, solved exactly (stays in [0, 1]).
inline double relax_fraction(double x, double gain, double loss, double dt) {
    const double total = gain + loss;
    if (!(total > 0)) return x;
    const double eq = gain / total;
    return eq + (x - eq) * std::exp(-total * dt);
}

/// Velocity at the given speed along the direction the motility rule picks.
inline Vec3 walk(const Vec3& v, const Vec3& gradient, double speed, double persistence, double bias,
                 double dt, AgentRng& rng, int dims) {
    const Vec3 next = next_velocity(v, gradient, {1.0, persistence, bias}, dt, rng, dims);
    const double n = norm(next);
    return n > 0 ? (speed / n) * next : next;
}

/// walk() with a callable that returns the gradient, called only when the cell turns (and
/// the bias is > 0): the same draws and the same velocity, without sampling the field on
/// the steps a cell keeps its direction.
template <class GradientFn>
requires std::is_invocable_r_v<Vec3, GradientFn&>
inline Vec3 walk(const Vec3& v, GradientFn&& gradient_at, double speed, double persistence,
                 double bias, double dt, AgentRng& rng, int dims) {
    const Vec3 next = next_velocity(v, gradient_at, {1.0, persistence, bias}, dt, rng, dims);
    const double n = norm(next);
    return n > 0 ? (speed / n) * next : next;
}

}  // namespace hlhsim::models::hlh
