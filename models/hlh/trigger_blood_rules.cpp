#include <algorithm>

#include "models/hlh/cell_rules.hpp"
#include "models/hlh/rule_support.hpp"
#include "models/hlh/streams.hpp"

namespace hlhsim::models::hlh {
namespace {

/// Stream entity of the reservoir's births, apart from the influx sources (0, 1, 2, ...).
constexpr std::uint64_t kReservoirGrowthEntity = 1000;

}  // namespace

void step_triggers(Patch& patch, const Params& p, const Tick& t) {
    Population& g = *patch.trig;
    const std::size_t n = g.size();
    const TriggerParams& q = p.trigger;
    const auto ids = g.ids();
    auto vx = g.col(patch.gc.vx), vy = g.col(patch.gc.vy), vz = g.col(patch.gc.vz);
    patch.next_pos[2].resize(n);
    // Logistic replication: the trigger's niche holds at most carrying_capacity cells.
    const double room =
        logistic_room(static_cast<double>(n), static_cast<double>(q.carrying_capacity));
    const double p_divide = rate_to_probability(q.division_rate * room, t.dt);
    const double p_die = q.lifespan > 0 ? rate_to_probability(1 / q.lifespan, t.dt) : 0;
    const bool hides = q.reservoir > 0 && q.latency_rate > 0;
    const double p_hide = hides ? rate_to_probability(q.latency_rate, t.dt) : 0;
    patch.hiding.assign(n, 0);
    const Domain& domain = patch.sim->domain();
    const std::uint64_t seed = patch.sim->seed();
    for_each_row(n, [&](std::size_t i) {
        AgentRng rng(seed, streams::kTrigger, t.step, ids[i]);
        const Vec3 pos = g.position(i);
        if (rng.bernoulli(p_die))
            g.mark_death(i);
        else if (hides && rng.bernoulli(p_hide))
            g.mark_death(i), patch.hiding[i] = 1;  // latent again: invisible to T cells
        else if (rng.bernoulli(p_divide))
            g.request_birth(i, domain.confine(pos + 8.0 * random_direction(rng, domain.dims())));
        const Vec3 v = walk({vx[i], vy[i], vz[i]}, {}, q.speed, 30, 0, t.dt, rng, domain.dims());
        vx[i] = v.x, vy[i] = v.y, vz[i] = v.z;
        patch.next_pos[2][i] = domain.confine(pos + t.dt * v);
    });
    for (std::uint8_t h : patch.hiding) patch.reservoir += h;
}

void step_blood(Patch& patch, const Params& p, const Tick& t) {
    Population& b = *patch.blood;
    const std::size_t n = b.size();
    const auto ids = b.ids();
    auto vx = b.col(patch.bc.vx), vy = b.col(patch.bc.vy), vz = b.col(patch.bc.vz);
    patch.next_pos[3].resize(n);
    const double p_leave = rate_to_probability(1 / p.blood.transit_time, t.dt);
    const Domain& domain = patch.sim->domain();
    const std::uint64_t seed = patch.sim->seed();
    for_each_row(n, [&](std::size_t i) {
        AgentRng rng(seed, streams::kBlood, t.step, ids[i]);
        if (rng.bernoulli(p_leave)) b.mark_death(i);
        const Vec3 v =
            walk({vx[i], vy[i], vz[i]}, {}, p.blood.speed, 5, 0, t.dt, rng, domain.dims());
        vx[i] = v.x, vy[i] = v.y, vz[i] = v.z;
        patch.next_pos[3][i] = domain.confine(b.position(i) + t.dt * v);
    });
}

void resolve_claims(Patch& patch) {
    std::vector<Claim>& claims = patch.scratch.claims;
    auto settle = [&](const std::vector<Claim>& all, Population& targets, auto&& on_win) {
        claims.clear();
        for (const Claim& c : all)
            if (c.target != Claim::kNone) claims.push_back(c);
        std::sort(claims.begin(), claims.end());
        std::uint32_t last = Claim::kNone;
        for (const Claim& c : claims) {
            if (c.target == last || targets.marked_dead(c.target)) continue;
            last = c.target;
            targets.mark_death(c.target);
            on_win(c);
        }
    };
    auto kills = patch.cd8->col(patch.tc.kills);
    auto contact = patch.cd8->col(patch.tc.contact);
    settle(patch.kill_claims, *patch.trig, [&](const Claim& c) {
        ++kills[c.claimant];
        contact[c.claimant] = -1;
        patch.tally.kills += 1;
        patch.totals.kills += 1;
    });
    auto engulfed = patch.mac->col(patch.mc.engulfed);
    const auto kind = std::as_const(*patch.blood).col(patch.bc.kind);
    settle(patch.engulf_claims, *patch.blood, [&](const Claim& c) {
        ++engulfed[c.claimant];
        patch.tally.engulfed[kind[c.target]] += 1;
        patch.totals.engulfed[kind[c.target]] += 1;
    });
}

void influx(Patch& patch, const Params& p, const Tick& t) {
    Simulation& sim = *patch.sim;
    const Domain& d = sim.domain();
    std::uint64_t source = 0;
    // Each source draws its count and positions from its own stream entity.
    auto add_cells = [&](Population& pop, double rate_per_min, auto&& init,
                         double* pool = nullptr) {
        AgentRng rng(sim.seed(), streams::kInflux, t.step, source++);
        std::uint64_t count = rng.poisson(rate_per_min * t.dt);
        if (pool) {  // each new cell leaves the finite reservoir
            count = std::min<std::uint64_t>(count, static_cast<std::uint64_t>(*pool));
            *pool -= static_cast<double>(count);
        }
        for (std::uint64_t k = 0; k < count; ++k) {
            Vec3 pos{rng.uniform(d.lo().x, d.hi().x), rng.uniform(d.lo().y, d.hi().y), 0};
            if (d.dims() == 3) pos.z = rng.uniform(d.lo().z, d.hi().z);
            init(pop.add(pos));
        }
    };
    auto nothing = [](std::size_t) {};
    if (p.cd8.naive_lifespan > 0)
        add_cells(*patch.cd8, static_cast<double>(p.cd8.naive_count) / p.cd8.naive_lifespan,
                  nothing);
    if (p.macrophage.lifespan > 0)
        add_cells(*patch.mac, static_cast<double>(p.macrophage.count) / p.macrophage.lifespan,
                  nothing);
    const TriggerParams& q = p.trigger;
    double rate = (t.time >= q.source_start && t.time < q.source_stop) ? q.influx : 0.0;
    rate += q.reactivation * q.tnf_reactivation(field_mean(patch, kTnf));
    double* hidden = nullptr;  // a finite source: the reservoir the new cells leave
    if (q.reservoir > 0) {
        hidden = &patch.reservoir;
        // Inflammation feeds the hidden cells (IL-6 -> JAK1 -> STAT3), logistically. They
        // are counted whole and born one by one, so a reservoir the T cells have emptied
        // stays empty: that is a cure. The rates above are those of a reservoir of its
        // initial size.
        AgentRng rng(sim.seed(), streams::kInflux, t.step, kReservoirGrowthEntity);
        const double births = q.reservoir_growth * q.il6_reservoir_growth(field_mean(patch, kIl6)) *
                              *hidden * logistic_room(*hidden, q.reservoir_capacity);
        *hidden += static_cast<double>(rng.poisson(births * t.dt));
        rate *= *hidden / static_cast<double>(q.reservoir);
    }
    add_cells(*patch.trig, rate, nothing, hidden);
    const std::array<std::int64_t, kBloodKinds> normal{p.blood.rbc, p.blood.platelets,
                                                       p.blood.neutrophils, p.blood.lymphocytes};
    for (int k = 0; k < kBloodKinds; ++k) {
        const double steady = static_cast<double>(normal[static_cast<std::size_t>(k)]) *
                              patch.blood_supply[static_cast<std::size_t>(k)];
        add_cells(*patch.blood, steady / p.blood.transit_time, [&](std::size_t row) {
            patch.blood->col(patch.bc.kind)[row] = static_cast<std::uint8_t>(k);
        });
    }
}

double field_mean(const Patch& patch, FieldId f) {
    const FieldSet& fields = patch.sim->fields();
    return fields.total(patch.field[static_cast<std::size_t>(f)]) /
           (fields.voxel_volume() * static_cast<double>(fields.num_voxels()));
}

}  // namespace hlhsim::models::hlh
