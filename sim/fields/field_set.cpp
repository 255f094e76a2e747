#include "sim/fields/field_set.hpp"

#include <tbb/blocked_range.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "sim/core/errors.hpp"
#include "sim/core/parallel.hpp"

namespace hlhsim {
namespace {

// Lines along x solved together by one task: two groups of 8 for the AVX-512 row sweep
// (row_sweep_simd.cpp), whose recurrences overlap in the CPU.
constexpr std::size_t kRowBlock = 16;
// Width in x of one task's bundle of y- or z-lines: wide enough to vectorise and to read
// 2 KiB per row (a bundle's rows lie a plane apart in a z-sweep: each is a new page for
// the prefetcher), narrow enough that a bundle of a few hundred lines stays in L2 between
// the two passes. Narrowed down to kMinColumnBlock while that gives too few tasks to
// balance the threads (small 2-D grids). Measured on W2 256^3: 64 -> 256 wide, -22% time.
constexpr std::size_t kColumnBlock = 256;
constexpr std::size_t kMinColumnBlock = 64;
constexpr std::size_t kMinColumnTasks = 16;
// Voxels per partial sum in total(): fixed, so the sum does not depend on threads.
constexpr std::size_t kSumBlock = 4096;
// Below this many voxel-field values a step's loops run serially: a small 2-D patch (the
// seed case: 625 voxels, 7 fields) takes microseconds, about what waking a second thread
// and joining it costs. The tasks and their arithmetic are the same either way. (At 2^15
// W1's 10^4 voxels x 2 fields ran serially: no gain from a second thread.)
constexpr std::size_t kSerialValues = std::size_t{1} << 13;
// Below this many values (and with two fields or more) a step is one task per field, each
// doing its field's whole step serially: one fork-join per step instead of two, and no
// field's data moves between cores. W1 at N = 10^4 (10^4 voxels, 2 fields, 6000 steps),
// field phase on 2 threads: tasks over blocks of lines 0.137-0.158 s, per field
// 0.127-0.139 s (3 interleaved runs each; 1 thread: 0.19-0.21 s).
constexpr std::size_t kFieldTaskValues = std::size_t{1} << 16;

// body(range) over [0, tasks): in parallel, or serially in one call.
template <class Body>
void for_tasks(std::size_t tasks, bool serial, const Body& body) {
    for_blocks(tasks, 1, serial, [&](std::size_t begin, std::size_t end) {
        body(tbb::blocked_range<std::size_t>(begin, end));
    });
}

void check_grid(const GridSpec& g) {
    if (g.dims != 2 && g.dims != 3) {
        throw InputError("field grid: dims must be 2 or 3, got " + std::to_string(g.dims));
    }
    for (int a = 0; a < 3; ++a) {
        if (g.n[a] < 1) {
            throw InputError("field grid: axis " + std::to_string(a) +
                             " needs at least 1 voxel, got " + std::to_string(g.n[a]));
        }
        if (a < g.dims && g.boundary[a] == FieldBoundary::kPeriodic && g.n[a] < 3) {
            throw InputError("field grid: periodic axis " + std::to_string(a) +
                             " needs at least 3 voxels, got " + std::to_string(g.n[a]));
        }
    }
    if (g.dims == 2 && g.n[2] != 1) {
        throw InputError("field grid: a 2-D grid must have n[2] == 1, got " +
                         std::to_string(g.n[2]));
    }
    if (!(g.dx > 0) || !std::isfinite(g.dx)) {
        throw InputError("field grid: dx must be > 0 [um], got " + std::to_string(g.dx));
    }
}

void check_spec(const FieldSpec& s, const std::vector<FieldSpec>& all, std::size_t f) {
    if (s.name.empty()) throw InputError("field " + std::to_string(f) + ": empty name");
    for (std::size_t g = 0; g < f; ++g) {
        if (all[g].name == s.name) throw InputError("field '" + s.name + "' defined twice");
    }
    const auto check = [&](double v, const char* what) {
        if (!(v >= 0) || !std::isfinite(v)) {
            throw InputError("field '" + s.name + "': " + what + " must be finite and >= 0, got " +
                             std::to_string(v));
        }
    };
    check(s.diffusion, "diffusion");
    check(s.decay, "decay");
    check(s.initial, "initial");
}

}  // namespace

FieldSet::FieldSet(GridSpec grid, std::vector<FieldSpec> fields)
    : grid_(grid), specs_(std::move(fields)), rest_(specs_.size()), skip_(specs_.size(), 0) {
    check_grid(grid_);
    for (std::size_t f = 0; f < specs_.size(); ++f) check_spec(specs_[f], specs_, f);
    num_voxels_ = grid_.num_voxels();
    serial_ = specs_.size() * num_voxels_ < kSerialValues;
    field_tasks_ = !serial_ && specs_.size() >= 2 && specs_.size() * num_voxels_ < kFieldTaskValues;
    for (int a = 0; a < 3; ++a) extent_cells_[a] = grid_.n[a];
    values_.resize(specs_.size() * num_voxels_);
    source_.assign(values_.size(), 0.0);
    uptake_.assign(values_.size(), 0.0);
    used_.assign(specs_.size(), {});
    steady_source_.resize(specs_.size());
    steady_uptake_.resize(specs_.size());
    steady_keep_.resize(specs_.size());
    steady_keep_dt_.assign(specs_.size(), 0.0);
    solvers_.resize(specs_.size());
    for (std::size_t f = 0; f < specs_.size(); ++f) {
        std::ranges::fill(values(f), specs_[f].initial);
    }
}

void FieldSet::throw_bad_field(std::size_t f) const {
    throw std::out_of_range("FieldSet: field " + std::to_string(f) + " of " +
                            std::to_string(specs_.size()));
}

const FieldSpec& FieldSet::spec(std::size_t f) const {
    check_field(f);
    return specs_[f];
}

std::optional<std::size_t> FieldSet::index_of(std::string_view name) const {
    for (std::size_t f = 0; f < specs_.size(); ++f) {
        if (specs_[f].name == name) return f;
    }
    return std::nullopt;
}

std::span<double> FieldSet::values(std::size_t f) {
    check_field(f);
    return {values_.data() + f * num_voxels_, num_voxels_};
}

std::span<const double> FieldSet::values(std::size_t f) const {
    check_field(f);
    return {values_.data() + f * num_voxels_, num_voxels_};
}

std::span<double> FieldSet::source(std::size_t f) {
    check_field(f);
    used_[f][kSource] = true;
    return {source_.data() + f * num_voxels_, num_voxels_};
}

std::span<double> FieldSet::uptake(std::size_t f) {
    check_field(f);
    used_[f][kUptake] = true;
    return {uptake_.data() + f * num_voxels_, num_voxels_};
}

namespace {

template <class Array>
void set_steady(Array& into, std::span<const double> rate, std::size_t voxels,
                const std::string& field, const char* what) {
    if (rate.size() != voxels) {
        throw std::invalid_argument("FieldSet: steady " + std::string(what) + " of field '" +
                                    field + "' needs " + std::to_string(voxels) + " values, got " +
                                    std::to_string(rate.size()));
    }
    into.assign(rate.begin(), rate.end());
}

}  // namespace

void FieldSet::set_steady_source(std::size_t f, std::span<const double> rate) {
    check_field(f);
    set_steady(steady_source_[f], rate, num_voxels_, specs_[f].name, "source");
    used_[f][kSteadySource] = true;
}

void FieldSet::set_steady_uptake(std::size_t f, std::span<const double> rate) {
    check_field(f);
    set_steady(steady_uptake_[f], rate, num_voxels_, specs_[f].name, "uptake");
    used_[f][kSteadyUptake] = true;
    steady_keep_dt_[f] = 0;
}

std::span<const double> FieldSet::steady_source(std::size_t f) const {
    check_field(f);
    return steady_source_[f];
}

std::span<const double> FieldSet::steady_uptake(std::size_t f) const {
    check_field(f);
    return steady_uptake_[f];
}

std::span<const double> FieldSet::source(std::size_t f) const {
    check_field(f);
    return {source_.data() + f * num_voxels_, num_voxels_};
}

std::span<const double> FieldSet::uptake(std::size_t f) const {
    check_field(f);
    return {uptake_.data() + f * num_voxels_, num_voxels_};
}

void FieldSet::clear_sources() {
    for (std::size_t f = 0; f < specs_.size(); ++f) {
        if (used_[f][kSource]) std::ranges::fill(source(f), 0.0);
        if (used_[f][kUptake]) std::ranges::fill(uptake(f), 0.0);
    }
}

std::size_t FieldSet::axis_index_outside(double cell, int axis) const {
    const double n = grid_.n[axis];
    cell = std::floor(cell);
    if (grid_.boundary[axis] == FieldBoundary::kPeriodic) cell -= n * std::floor(cell / n);
    // The comparisons also send NaN to voxel 0.
    if (!(cell >= 0)) return 0;
    if (cell >= n) return static_cast<std::size_t>(grid_.n[axis] - 1);
    return static_cast<std::size_t>(cell);
}

Vec3 FieldSet::centre(std::size_t v) const {
    const auto n0 = static_cast<std::size_t>(grid_.n[0]);
    const auto n1 = static_cast<std::size_t>(grid_.n[1]);
    return grid_.centre(v % n0, (v / n0) % n1, v / (n0 * n1));
}

void FieldSet::build_solvers(double dt) {
    for (std::size_t f = 0; f < specs_.size(); ++f) {
        const double r = specs_[f].diffusion * dt / (grid_.dx * grid_.dx);
        for (int a = 0; a < grid_.dims; ++a) {
            solvers_[f][a] = LineSolver(static_cast<std::size_t>(grid_.n[a]), r, grid_.boundary[a]);
        }
    }
    solver_dt_ = dt;
}

void FieldSet::step(double dt) { step_many(dt, 1); }

void FieldSet::step_many(double dt, std::uint64_t count) {
    if (!(dt > 0) || !std::isfinite(dt)) {
        throw std::invalid_argument("FieldSet::step: dt must be > 0 [min], got " +
                                    std::to_string(dt));
    }
    if (specs_.empty() || count == 0) return;
    if (dt != solver_dt_) build_solvers(dt);
    const auto sweep = [&](FieldTasks fields) {
        if (grid_.dims == 3) {
            react_and_sweep_planes(dt, fields);
            sweep_columns(2, fields);
        } else {
            react_and_sweep_x(dt, fields);
            sweep_columns(1, fields);
        }
    };
    if (field_tasks_) {
        // The fields do not interact within a step: each task runs all the steps of its
        // field, one fork and join for `count` steps.
        for_blocks(specs_.size(), 1, false, [&](std::size_t begin, std::size_t end) {
            for (std::size_t f = begin; f < end; ++f) {
                for (std::uint64_t k = 0; k < count; ++k) {
                    begin_field_step(f, dt, true);
                    sweep({f, f + 1, true});
                    end_field_step(f);
                }
            }
        });
        return;
    }
    for (std::uint64_t k = 0; k < count; ++k) {
        for (std::size_t f = 0; f < specs_.size(); ++f) begin_field_step(f, dt, serial_);
        sweep({0, specs_.size(), serial_});
        for (std::size_t f = 0; f < specs_.size(); ++f) end_field_step(f);
    }
}

void FieldSet::end_field_step(std::size_t f) {
    if (!skip_[f]) rest_.after_step(f, values(f));
}

unsigned FieldSet::rate_mask(std::size_t f) const {
    const auto& used = used_[f];
    return (used[kSource] ? 1u : 0u) | (used[kUptake] ? 2u : 0u) | (used[kSteadySource] ? 4u : 0u) |
           (used[kSteadyUptake] ? 8u : 0u);
}

void FieldSet::begin_field_step(std::size_t f, double dt, bool serial) {
    const unsigned mask = rate_mask(f);
    std::array<std::span<const double>, 4> rates;
    std::size_t k = 0;
    const FieldSet& self = *this;  // the const accessors: no change to used_
    if (mask & 1u) rates[k++] = self.source(f);
    if (mask & 2u) rates[k++] = self.uptake(f);
    if (mask & 4u) rates[k++] = steady_source_[f];
    if (mask & 8u) rates[k++] = steady_uptake_[f];
    skip_[f] = rest_.before_step(f, values(f), {rates.data(), k}, mask, dt) ? 1 : 0;
    if (!skip_[f]) update_steady_keep(f, dt, serial);
}

namespace {

// c <- (c + dt S) / (1 + dt (decay + U)) on [begin, end), where S and U sum the rate arrays
// present (kSource, kUptake, kSteadySource, kSteadyUptake: bits 0-3 of kMask). Terms of
// absent arrays are left out rather than added as zeros, so each variant gives the same
// bits as the full formula with zero arrays (x + 0 * dt == x, decay + 0 == decay).
template <unsigned kMask>
HLHSIM_SIMD_CLONES void react_voxels(double* c, const double* s, const double* u, const double* s0,
                                     const double* u0, double decay, double dt, std::size_t begin,
                                     std::size_t end) {
    constexpr bool kS = kMask & 1, kU = kMask & 2, kS0 = kMask & 4, kU0 = kMask & 8;
    constexpr bool kKeep = kMask & 16;  // u0 holds 1 / (1 + dt (decay + uptake)) (no kU)
    const double keep = 1 / (1 + dt * decay);
    for (std::size_t v = begin; v < end; ++v) {
        double x = c[v];
        if constexpr (kS && kS0) {
            x = x + dt * (s[v] + s0[v]);
        } else if constexpr (kS) {
            x = x + dt * s[v];
        } else if constexpr (kS0) {
            x = x + dt * s0[v];
        }
        if constexpr (kU && kU0) {
            x = x * (1 / (1 + dt * (decay + (u[v] + u0[v]))));
        } else if constexpr (kU) {
            x = x * (1 / (1 + dt * (decay + u[v])));
        } else if constexpr (kU0 && kKeep) {
            x = x * u0[v];
        } else if constexpr (kU0) {
            x = x * (1 / (1 + dt * (decay + u0[v])));
        } else {
            x = x * keep;
        }
        c[v] = x;
    }
}

using ReactFn = void (*)(double*, const double*, const double*, const double*, const double*,
                         double, double, std::size_t, std::size_t);

template <unsigned... kMasks>
constexpr std::array<ReactFn, sizeof...(kMasks)> react_table(
    std::integer_sequence<unsigned, kMasks...>) {
    return {&react_voxels<kMasks>...};
}
constexpr auto kReact = react_table(std::make_integer_sequence<unsigned, 32>{});

}  // namespace

bool FieldSet::keeps_factor(std::size_t f) const {
    const unsigned mask = rate_mask(f);
    return (mask & 8u) != 0 && (mask & 2u) == 0;
}

void FieldSet::update_steady_keep(std::size_t f, double dt, bool serial) {
    if (!keeps_factor(f) || steady_keep_dt_[f] == dt) return;
    Array& keep = steady_keep_[f];
    keep.resize(num_voxels_);
    const double* u0 = steady_uptake_[f].data();
    const double decay = specs_[f].decay;
    for_each_index(num_voxels_, kSumBlock, serial,
                   [&](std::size_t v) { keep[v] = 1 / (1 + dt * (decay + u0[v])); });
    steady_keep_dt_[f] = dt;
}

void FieldSet::react(std::size_t f, std::size_t begin, std::size_t end, double dt) {
    double* c = values_.data() + f * num_voxels_;
    const double decay = specs_[f].decay;
    unsigned mask = rate_mask(f);
    if (mask == 0 && decay == 0) return;
    const double* u0 = steady_uptake_[f].data();
    if (keeps_factor(f)) mask |= 16u, u0 = steady_keep_[f].data();
    kReact[mask](c, source_.data() + f * num_voxels_, uptake_.data() + f * num_voxels_,
                 steady_source_[f].data(), u0, decay, dt, begin, end);
}

void FieldSet::react_and_sweep_x(double dt, FieldTasks fields) {
    // Task = one field's block of kRowBlock consecutive x-lines (contiguous memory): the
    // reaction runs on it first, so the x-solve finds the block already in cache.
    const auto n0 = static_cast<std::size_t>(grid_.n[0]);
    const std::size_t rows = num_voxels_ / n0;
    const std::size_t blocks = (rows + kRowBlock - 1) / kRowBlock;
    for_tasks(fields.count() * blocks, fields.serial,
              [&](const tbb::blocked_range<std::size_t>& range) {
                  for (std::size_t t = range.begin(); t != range.end(); ++t) {
                      const std::size_t f = fields.first + t / blocks;
                      if (skip_[f]) continue;
                      const std::size_t row0 = (t % blocks) * kRowBlock;
                      const std::size_t count = std::min(kRowBlock, rows - row0);
                      react(f, row0 * n0, (row0 + count) * n0, dt);
                      double* x = values_.data() + f * num_voxels_ + row0 * n0;
                      solvers_[f][0].solve_rows(x, n0, count);
                  }
              });
}

void FieldSet::react_and_sweep_planes(double dt, FieldTasks fields) {
    // 3-D: task = one field's z-plane. A plane (n0 x n1 voxels, 512 KiB at 256^2) stays in
    // L2 while it is reacted, swept along x and then along y, so those three steps cost one
    // trip through memory instead of three; the z-sweep follows. Each line's arithmetic is
    // the same as in the separate sweeps.
    const auto n0 = static_cast<std::size_t>(grid_.n[0]);
    const auto n1 = static_cast<std::size_t>(grid_.n[1]);
    const auto n2 = static_cast<std::size_t>(grid_.n[2]);
    const std::size_t plane = n0 * n1;
    for_tasks(fields.count() * n2, fields.serial,
              [&](const tbb::blocked_range<std::size_t>& range) {
                  for (std::size_t t = range.begin(); t != range.end(); ++t) {
                      const std::size_t f = fields.first + t / n2;
                      if (skip_[f]) continue;
                      const std::size_t k = t % n2;
                      react(f, k * plane, (k + 1) * plane, dt);
                      double* x = values_.data() + f * num_voxels_ + k * plane;
                      solvers_[f][0].solve_rows(x, n0, n1);
                      solvers_[f][1].solve_columns(x, n0, n0);
                  }
              });
}

void FieldSet::sweep_columns(int axis, FieldTasks fields) {
    // Lines along y (axis 1) or z (axis 2) are bundled kColumnBlock at a time along x,
    // where neighbouring lines are neighbours in memory. Bundles are indexed by `outer`,
    // the remaining axis (z for a y-sweep, y for a z-sweep).
    const auto n0 = static_cast<std::size_t>(grid_.n[0]);
    const auto n1 = static_cast<std::size_t>(grid_.n[1]);
    const auto n2 = static_cast<std::size_t>(grid_.n[2]);
    const std::size_t elem_stride = axis == 1 ? n0 : n0 * n1;
    const std::size_t outer = axis == 1 ? n2 : n1;
    const std::size_t outer_stride = axis == 1 ? n0 * n1 : n0;
    std::size_t width = kColumnBlock;
    while (!fields.serial && width > kMinColumnBlock &&
           fields.count() * outer * ((n0 + width - 1) / width) < kMinColumnTasks)
        width /= 2;
    const std::size_t chunks = (n0 + width - 1) / width;
    const std::size_t per_field = outer * chunks;
    for_tasks(fields.count() * per_field, fields.serial,
              [&](const tbb::blocked_range<std::size_t>& range) {
                  for (std::size_t t = range.begin(); t != range.end(); ++t) {
                      const std::size_t f = fields.first + t / per_field;
                      const LineSolver& solver = solvers_[f][axis];
                      if (skip_[f] || solver.is_identity()) continue;
                      const std::size_t o = (t % per_field) / chunks;
                      const std::size_t x0 = (t % chunks) * width;
                      double* x = values_.data() + f * num_voxels_ + o * outer_stride + x0;
                      solver.solve_columns(x, elem_stride, std::min(width, n0 - x0));
                  }
              });
}

double FieldSet::total(std::size_t f) const {
    const std::span<const double> c = values(f);
    const std::size_t blocks = (num_voxels_ + kSumBlock - 1) / kSumBlock;
    std::vector<double> partial(blocks);
    for_tasks(blocks, blocks == 1, [&](const tbb::blocked_range<std::size_t>& range) {
        for (std::size_t b = range.begin(); b != range.end(); ++b) {
            const std::size_t end = std::min(num_voxels_, (b + 1) * kSumBlock);
            double s = 0;
            for (std::size_t v = b * kSumBlock; v < end; ++v) s += c[v];
            partial[b] = s;
        }
    });
    double sum = 0;
    for (const double p : partial) sum += p;
    return sum * voxel_volume();
}

}  // namespace hlhsim
