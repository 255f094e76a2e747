#pragma once
// Scalar fields (e.g. cytokines) on one regular grid, advanced by an implicit
// reaction + diffusion solver with per-voxel sources and uptake from agents.
// Knows no biology: a field is a name, a unit, a diffusion and a decay rate.
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "sim/core/huge_page_allocator.hpp"
#include "sim/core/vec.hpp"
#include "sim/fields/field_rest.hpp"
#include "sim/fields/grid_spec.hpp"
#include "sim/fields/line_solver.hpp"

namespace hlhsim {

/// The physics of one scalar field.
struct FieldSpec {
    std::string name;      ///< unique key, e.g. "ifng"
    std::string unit;      ///< unit of the values (for output only), e.g. "pg/mL"
    double diffusion = 0;  ///< diffusion coefficient [um^2/min]
    double decay = 0;      ///< first-order decay rate [1/min]
    double initial = 0;    ///< uniform initial value [unit]
};

/// Any number of scalar fields on one grid. Values of field f are one contiguous array
/// of num_voxels() doubles in the grid's flat voxel order (x fastest).
class FieldSet {
  public:
    /// Throws InputError for an invalid grid (dims not 2 or 3, n < 1, 2-D with n[2] != 1,
    /// dx not > 0, a periodic axis with fewer than 3 voxels) or field (empty or duplicate
    /// name, negative or non-finite rate or initial value).
    FieldSet(GridSpec grid, std::vector<FieldSpec> fields);

    std::size_t num_fields() const { return specs_.size(); }
    std::size_t num_voxels() const { return num_voxels_; }
    const GridSpec& grid() const { return grid_; }
    const FieldSpec& spec(std::size_t f) const;
    /// The field called `name`, if any.
    std::optional<std::size_t> index_of(std::string_view name) const;

    /// Values of field f [unit], num_voxels() long.
    std::span<double> values(std::size_t f);
    std::span<const double> values(std::size_t f) const;

    /// Flat index of the voxel containing p [um]. Outside the grid, no-flux axes clamp to the
    /// edge voxel and periodic axes wrap around; z is ignored on a 2-D grid.
    std::size_t voxel_of(const Vec3& p) const {
        const std::size_t k = grid_.dims == 3 ? axis_index(p.z, 2) : 0;
        return grid_.index(axis_index(p.x, 0), axis_index(p.y, 1), k);
    }
    /// Centre of voxel v [um] (see GridSpec::centre).
    Vec3 centre(std::size_t v) const;
    /// Value of field f in the voxel containing p [unit].
    double sample(std::size_t f, const Vec3& p) const {
        check_field(f);
        return values_[f * num_voxels_ + voxel_of(p)];
    }
    /// Gradient of field f at the voxel containing p [unit/um], by central differences
    /// between its neighbours. Beyond a no-flux face the neighbour is the voxel itself (the
    /// mirror ghost of the solver), so an edge voxel gets (c[1] - c[0]) / (2 dx); periodic
    /// axes wrap; unused axes (and axes of one voxel) give 0.
    Vec3 gradient(std::size_t f, const Vec3& p) const;
    /// Volume of one voxel [um^3]: dx^3, also in 2-D (the patch is one voxel thick).
    double voxel_volume() const { return grid_.dx * grid_.dx * grid_.dx; }

    /// Per-voxel source rate of field f [unit/min], to be filled by agents each step.
    /// Sources should be >= 0; sinks belong in uptake(). The first call marks field f as
    /// having sources: until then step() skips reading them (a fast path, same result).
    std::span<double> source(std::size_t f);
    /// Per-voxel first-order uptake rate of field f [1/min], added by agents each step.
    /// Like source(), the first call marks the field as having uptake.
    std::span<double> uptake(std::size_t f);
    std::span<const double> source(std::size_t f) const;
    std::span<const double> uptake(std::size_t f) const;
    /// Sets every source and uptake rate to 0 (only the arrays handed out by source() and
    /// uptake() can be non-zero). step() does not do this itself; steady rates stay.
    void clear_sources();

    /// Per-voxel source rate [unit/min] and uptake rate [1/min] of field f that persist:
    /// clear_sources() leaves them, and step() adds them to source(f) and uptake(f). For
    /// agents that never move or change (static cells), whose rates would otherwise be
    /// cleared and written again before every step. They are set whole (num_voxels()
    /// values, copied; std::invalid_argument otherwise) rather than written through a span,
    /// so that step() can keep the per-voxel factor 1 / (1 + dt (decay + uptake)) of a
    /// field with a steady uptake and no per-step uptake until the uptake or dt changes.
    void set_steady_source(std::size_t f, std::span<const double> rate);
    void set_steady_uptake(std::size_t f, std::span<const double> rate);
    /// The steady rates set so far (empty if never set).
    std::span<const double> steady_source(std::size_t f) const;
    std::span<const double> steady_uptake(std::size_t f) const;

    /// Advances every field by dt [min], holding sources and uptake constant:
    /// 1. reaction, per voxel and implicit: c <- (c + dt S) / (1 + dt (decay + uptake)),
    ///    stable for any uptake and c >= 0 if c, S >= 0;
    /// 2. diffusion by locally one-dimensional backward-Euler sweeps along x, y (and z),
    ///    each a tridiagonal solve per grid line (LineSolver). Unconditionally stable,
    ///    first order in dt, conserves the total with no decay (to round-off).
    /// The solvers are factorised once per dt and reused while dt stays the same. Work is
    /// split over grid lines (oneTBB); each line's arithmetic is fixed, so the result is
    /// bitwise identical for any thread count. A field whose last step, with every rate
    /// zero, changed nothing is not computed again while that input repeats (FieldRest):
    /// the same bits, sooner. Throws std::invalid_argument unless dt > 0.
    void step(double dt);
    /// `count` steps of dt [min] with the rates held: the same as `count` calls of step(),
    /// with one fork and join for all of them where the set runs a task per field.
    void step_many(double dt, std::uint64_t count);
    /// True if field f sits at a fixed point of step(): its last step, with every rate zero,
    /// left it unchanged (bitwise), so steps with the same input are skipped (FieldRest).
    bool at_rest(std::size_t f) const {
        check_field(f);
        return rest_.at_rest(f);
    }

    /// Total amount of field f [unit um^3]: sum of values * voxel_volume(), summed in fixed
    /// blocks combined in order (deterministic).
    double total(std::size_t f) const;

  private:
    enum Rates { kSource, kUptake, kSteadySource, kSteadyUptake };
    void check_field(std::size_t f) const {
        if (f >= specs_.size()) throw_bad_field(f);
    }
    [[noreturn]] void throw_bad_field(std::size_t f) const;
    /// Voxel index along one axis of the point with coordinate coord [um].
    std::size_t axis_index(double coord, int axis) const {
        const double cell = (coord - grid_.origin[axis]) / grid_.dx;
        // Inside the grid floor() is truncation, and the wrap and clamps of
        // axis_index_outside() leave the cell as it is: the same index, sooner.
        if (cell >= 0 && cell < extent_cells_[axis]) return static_cast<std::size_t>(cell);
        return axis_index_outside(cell, axis);
    }
    std::size_t axis_index_outside(double cell, int axis) const;
    void build_solvers(double dt);
    /// Fields [first, last) of one step's sweeps, their tasks run serially or in parallel.
    struct FieldTasks {
        std::size_t first = 0, last = 0;
        bool serial = false;
        std::size_t count() const { return last - first; }
    };
    void react_and_sweep_x(double dt, FieldTasks fields);
    void react_and_sweep_planes(double dt, FieldTasks fields);
    void sweep_columns(int axis, FieldTasks fields);
    void react(std::size_t f, std::size_t begin, std::size_t end, double dt);
    /// True if field f's step reads steady_keep_[f] (a steady uptake, no per-step uptake).
    bool keeps_factor(std::size_t f) const;
    /// Brings steady_keep_[f] up to date for this dt (in parallel unless `serial`).
    void update_steady_keep(std::size_t f, double dt, bool serial);
    /// Which rate arrays field f's step reads: bits 0-3 for kSource .. kSteadyUptake.
    unsigned rate_mask(std::size_t f) const;
    /// Before field f's step: asks rest_ whether it may skip it (into skip_[f]) and, if not,
    /// brings its kept uptake factor up to date. After it: tells rest_ what it gave.
    void begin_field_step(std::size_t f, double dt, bool serial);
    void end_field_step(std::size_t f);

    GridSpec grid_;
    std::array<double, 3> extent_cells_{};  // grid_.n as doubles
    std::vector<FieldSpec> specs_;
    std::size_t num_voxels_ = 0;
    // Field-major storage: field f occupies [f * num_voxels_, (f + 1) * num_voxels_).
    // Large arrays on 2 MiB pages where the OS allows (sim/core/huge_page_allocator.hpp).
    using Array = std::vector<double, HugePageAllocator<double>>;
    Array values_;
    Array source_;
    Array uptake_;
    // Per field and kind (Rates): the array was handed out, so step() must read it.
    std::vector<std::array<bool, 4>> used_;
    // Steady rates per field, as last set (empty until then).
    std::vector<Array> steady_source_, steady_uptake_;
    // Per field with a steady uptake and no per-step uptake: 1 / (1 + dt (decay + uptake))
    // per voxel for steady_keep_dt_[f] (0: to be computed), so that a step multiplies
    // instead of dividing. The same expression, so the same bits.
    std::vector<Array> steady_keep_;
    std::vector<double> steady_keep_dt_;
    std::vector<std::array<LineSolver, 3>> solvers_;  // per field and axis, for solver_dt_
    double solver_dt_ = 0;                            // 0: not built yet
    FieldRest rest_;
    std::vector<std::uint8_t> skip_;  // per field: this step leaves it as it is
    bool serial_ = false;             // few values: step() without the task scheduler
    bool field_tasks_ = false;        // not many more: step() as one serial task per field
};

inline Vec3 FieldSet::gradient(std::size_t f, const Vec3& p) const {
    check_field(f);
    const double* c = values_.data() + f * num_voxels_;
    const auto n0 = static_cast<std::size_t>(grid_.n[0]);
    const auto n1 = static_cast<std::size_t>(grid_.n[1]);
    const std::size_t i = axis_index(p.x, 0), j = axis_index(p.y, 1);
    const std::size_t k = grid_.dims == 3 ? axis_index(p.z, 2) : 0;
    const std::size_t v = grid_.index(i, j, k);
    // (c[next] - c[previous]) / (2 dx) along one axis, for the voxel at index `at` of n.
    const auto slope = [&](int axis, std::size_t at, std::size_t n, std::size_t stride) {
        const bool periodic = grid_.boundary[axis] == FieldBoundary::kPeriodic;
        const std::size_t lo = at > 0 ? at - 1 : (periodic ? n - 1 : at);
        const std::size_t hi = at + 1 < n ? at + 1 : (periodic ? 0 : at);
        const std::size_t base = v - at * stride;
        return (c[base + hi * stride] - c[base + lo * stride]) / (2 * grid_.dx);
    };
    Vec3 g;
    if (n0 > 1) g.x = slope(0, i, n0, 1);
    if (n1 > 1) g.y = slope(1, j, n1, n0);
    const auto n2 = static_cast<std::size_t>(grid_.n[2]);
    if (grid_.dims == 3 && n2 > 1) g.z = slope(2, k, n2, n0 * n1);
    return g;
}

}  // namespace hlhsim
