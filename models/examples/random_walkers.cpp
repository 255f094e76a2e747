#include "models/examples/random_walkers.hpp"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>

#include "sim/agents/motility.hpp"
#include "sim/config/section.hpp"
#include "sim/core/rng.hpp"
#include "sim/core/streams.hpp"
#include "sim/fields/voxel_accumulator.hpp"
#include "sim/schedule/simulation.hpp"
#include "sim/space/neighbor_grid.hpp"

namespace hlhsim::models {
namespace {

constexpr StreamId kDecide = streams::kFirstModelStream + 0;
constexpr std::uint8_t kMoving = 0, kCrowded = 1;

struct Params {
    std::int64_t count = 0;
    MotilityParams motility;
    double secretion = 0;       ///< per cell, already in field unit per min for its voxel
    double uptake = 0;          ///< per cell [1/min]
    double division = 0;        ///< [1/min]
    double death = 0;           ///< [1/min]
    double contact_radius = 0;  ///< [um]
    std::int64_t crowd_limit = 0;
    double timestep = 0;  ///< [min]
};

class RandomWalkers final : public Model {
  public:
    void build(Simulation& sim, config::Section& root) override {
        sim_ = &sim;
        config::Section w = root.section("walkers", {.required = true, .doc = "the walkers"});
        p_.count = w.integer("count", {.def = 100, .min = 0, .doc = "initial number of walkers"});
        p_.motility.speed =
            w.quantity("speed", "um/min", {.def = "2 um/min", .min = 0, .doc = "speed"});
        p_.motility.persistence = w.quantity(
            "persistence", "min", {.def = "5 min", .min = 1e-6, .doc = "mean time between turns"});
        p_.motility.chemotaxis = w.number(
            "chemotaxis", {.def = 0, .min = 0, .max = 1, .doc = "bias up the signal gradient"});
        p_.uptake =
            w.quantity("uptake", "1/min",
                       {.def = "0 1/min", .min = 0, .doc = "first-order uptake from its voxel"});
        p_.division =
            w.quantity("division_rate", "1/min",
                       {.def = "0 1/min", .min = 0, .doc = "division rate when not crowded"});
        p_.death =
            w.quantity("death_rate", "1/min", {.def = "0 1/min", .min = 0, .doc = "death rate"});
        p_.contact_radius =
            w.quantity("contact_radius", "um",
                       {.def = "10 um", .min = 1e-3, .doc = "neighbours within count"});
        p_.crowd_limit =
            w.integer("crowd_limit", {.def = 4, .min = 0, .doc = "neighbours that stop division"});
        p_.timestep = w.quantity(
            "timestep", "min", {.def = "0.1 min", .min = 1e-6, .doc = "motion and decision step"});
        const std::string signal_name =
            w.string("signal", {.def = "signal", .doc = "field secreted and sensed"});
        signal_ = sim.require_field(signal_name, w, "signal");
        if (signal_) {
            const std::string unit = sim.fields().spec(*signal_).unit;
            // amount per cell per minute -> concentration rate in the cell's voxel
            const double amount = w.quantity("secretion", unit + "*um^3/min",
                                             {.def = "0 " + unit + "*um^3/min",
                                              .min = 0,
                                              .doc = "amount secreted per cell per minute"});
            p_.secretion = amount / sim.fields().voxel_volume();
        }
        if (root.context().has_errors()) {
            root.context().note_stopped_early();  // what follows reads no keys now
            return;
        }

        pop_ = &sim.add_population("walkers");
        state_ = pop_->add_column<std::uint8_t>("state", kMoving);
        vx_ = pop_->add_column<double>("vx");
        vy_ = pop_->add_column<double>("vy");
        vz_ = pop_->add_column<double>("vz");
        neighbours_ = pop_->add_column<std::int32_t>("neighbours");
        sim.set_state_column(*pop_, state_, {"moving", "crowded"});
        place(sim);

        grid_ = std::make_unique<NeighborGrid>(sim.domain(), p_.contact_radius);
        accumulator_ = std::make_unique<VoxelAccumulator>(sim.fields().num_voxels());
        sim.schedule().add_phase("walkers", p_.timestep, [this](const Tick& t) { step(t); });
        sim.add_field_exchange([this](FieldSet& f, const Tick&) { exchange(f); });
        sim.add_readout("walkers", "cells", [this] { return static_cast<double>(pop_->size()); });
        sim.add_readout("crowded_fraction", "1", [this] { return crowded_fraction(); });
        sim.add_readout("signal_total", unit_amount(),
                        [this] { return sim_->fields().total(*signal_); });
    }

  private:
    std::string unit_amount() const { return sim_->fields().spec(*signal_).unit + "*um^3"; }

    void place(Simulation& sim) {
        const Domain& d = sim.domain();
        for (std::int64_t i = 0; i < p_.count; ++i) {
            AgentRng rng(sim.seed(), streams::kPlacement, 0, static_cast<std::uint64_t>(i));
            Vec3 pos{rng.uniform(d.lo().x, d.hi().x), rng.uniform(d.lo().y, d.hi().y), 0};
            if (d.dims() == 3) pos.z = rng.uniform(d.lo().z, d.hi().z);
            pop_->add(pos);
        }
    }

    double crowded_fraction() const {
        const auto s = std::as_const(*pop_).col(state_);
        if (s.empty()) return 0;
        return static_cast<double>(std::count(s.begin(), s.end(), kCrowded)) /
               static_cast<double>(s.size());
    }

    void exchange(FieldSet& f) {
        const std::size_t n = pop_->size();
        voxel_.resize(n);
        amount_.assign(n, p_.secretion);
        for (std::size_t i = 0; i < n; ++i)
            voxel_[i] = static_cast<std::uint32_t>(f.voxel_of(pop_->position(i)));
        accumulator_->bin(voxel_);
        accumulator_->add_to(f.source(*signal_), amount_);
        if (p_.uptake > 0) {
            amount_.assign(n, p_.uptake);
            accumulator_->add_to(f.uptake(*signal_), amount_);
        }
    }

    void step(const Tick& t) {
        Population& pop = *pop_;
        const std::size_t n = pop.size();
        const Domain& dom = sim_->domain();
        const FieldSet& fields = sim_->fields();
        grid_->build(pop.x(), pop.y(), pop.z());
        next_.resize(n);
        auto vx = pop.col(vx_), vy = pop.col(vy_), vz = pop.col(vz_);
        auto state = pop.col(state_);
        auto neighbours = pop.col(neighbours_);
        const auto ids = pop.ids();
        const double p_divide = rate_to_probability(p_.division, t.dt);
        const double p_die = rate_to_probability(p_.death, t.dt);
        // Sense and decide: reads positions only, writes this agent's own columns.
        tbb::parallel_for(tbb::blocked_range<std::size_t>(0, n, 256), [&](const auto& r) {
            for (std::size_t i = r.begin(); i != r.end(); ++i) {
                AgentRng rng(sim_->seed(), kDecide, t.step, ids[i]);
                const Vec3 pos = pop.position(i);
                int count = 0;
                grid_->for_each_within(pos, p_.contact_radius,
                                       [&](std::uint32_t j, const Vec3&, double) {
                                           if (j != i) ++count;
                                       });
                neighbours[i] = count;
                state[i] = count >= p_.crowd_limit ? kCrowded : kMoving;
                const Vec3 v = next_velocity({vx[i], vy[i], vz[i]}, fields.gradient(*signal_, pos),
                                             p_.motility, t.dt, rng, dom.dims());
                vx[i] = v.x;
                vy[i] = v.y;
                vz[i] = v.z;
                next_[i] = dom.confine(pos + t.dt * v);
                if (rng.bernoulli(p_die)) {
                    pop.mark_death(i);
                } else if (state[i] == kMoving && rng.bernoulli(p_divide)) {
                    const Vec3 offset =
                        (0.5 * p_.contact_radius) * random_direction(rng, dom.dims());
                    pop.request_birth(i, dom.confine(next_[i] + offset));
                }
            }
        });
        for (std::size_t i = 0; i < n; ++i) pop.set_position(i, next_[i]);
        for (std::size_t child : pop.commit()) {
            pop.col(vx_)[child] = pop.col(vy_)[child] = pop.col(vz_)[child] = 0;
        }
        // Keep neighbours close in memory: re-sort by grid cell every 50 steps.
        if (t.step % 50 == 0 && pop.size() > 0) {
            grid_->build(pop.x(), pop.y(), pop.z());
            pop.sort_by_cell(*grid_);
        }
    }

    Simulation* sim_ = nullptr;
    Params p_;
    std::optional<std::size_t> signal_;
    Population* pop_ = nullptr;
    Column<std::uint8_t> state_{};
    Column<double> vx_{}, vy_{}, vz_{};
    Column<std::int32_t> neighbours_{};
    std::unique_ptr<NeighborGrid> grid_;
    std::unique_ptr<VoxelAccumulator> accumulator_;
    std::vector<Vec3> next_;
    std::vector<std::uint32_t> voxel_;
    std::vector<double> amount_;
};

}  // namespace

std::unique_ptr<Model> make_random_walkers() { return std::make_unique<RandomWalkers>(); }

}  // namespace hlhsim::models
