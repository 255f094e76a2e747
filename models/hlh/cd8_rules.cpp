#include <algorithm>
#include <cstdint>
#include <vector>

#include "models/hlh/cell_rules.hpp"
#include "models/hlh/rule_support.hpp"
#include "models/hlh/streams.hpp"

namespace hlhsim::models::hlh {
namespace {

/// Rate at which antigen contact raises a T cell's stimulation [1/min]: a contact of
/// ~20 min brings a naive or resting cell most of the way (TCR signalling saturates
/// within tens of minutes of synapse formation).
constexpr double kStimulationGain = 0.05;

/// Rows of the T cells within contact_radius of a macrophage presenting antigen, marked by
/// a query around each presenting macrophage in the T-cell grid: far fewer queries than one
/// around each T cell in the macrophage grid, and the same pairs, as the minimum-image
/// distance is symmetric to the bit. for_each_within confines its query point only, so
/// this needs the macrophages inside the domain (else nullptr: query per T cell) and the
/// caller uses a T cell's mark only if that cell is inside too. The marks live in
/// patch.scratch until the next step.
const std::vector<std::uint8_t>* near_presenting(Patch& patch, const Params& p) {
    const Population& m = *patch.mac;
    const Population& c = *patch.cd8;
    const Domain& domain = patch.sim->domain();
    const auto pres = m.col(patch.mc.presentation);
    std::vector<std::uint32_t>& presenting = patch.scratch.presenting;
    presenting.clear();
    for (std::size_t j = 0; j < m.size(); ++j) {
        if (!(pres[j] > p.macrophage.presentation_threshold)) continue;
        if (domain.confine(m.position(j)) != m.position(j)) return nullptr;
        presenting.push_back(static_cast<std::uint32_t>(j));
    }
    std::vector<std::uint8_t>& near = patch.scratch.near_presenting;
    near.assign(c.size(), 0);
    if (presenting.empty()) return &near;
    const NeighborGrid& grid = grid_on_demand(patch.cd8_grid, c);
    for (const std::uint32_t j : presenting)
        grid.for_each_within(m.position(j), p.cd8.contact_radius,
                             [&](std::uint32_t i, const Vec3&, double) { near[i] = 1; });
    return &near;
}

/// The nearest trigger cell within contact_radius of each T cell, found by a query around
/// each trigger cell in the T-cell grid, as near_presenting() does for macrophages. A T
/// cell's own query keeps the first of equally near trigger cells in its visiting order,
/// which this side does not see: a T cell with a tie (tie[i]) queries itself, as do all
/// when a trigger cell lies outside the domain (nullptr). The result lives in
/// patch.scratch until the next step.
const NearestTriggers* nearest_triggers(Patch& patch, const Params& p) {
    const Population& g = *patch.trig;
    const Population& c = *patch.cd8;
    const Domain& domain = patch.sim->domain();
    for (std::size_t j = 0; j < g.size(); ++j)
        if (domain.confine(g.position(j)) != g.position(j)) return nullptr;
    NearestTriggers& near = patch.scratch.nearest;
    near.target.assign(c.size(), Claim::kNone);
    near.d2.assign(c.size(), 1e300);
    near.tie.assign(c.size(), 0);
    if (g.size() == 0) return &near;
    const NeighborGrid& grid = grid_on_demand(patch.cd8_grid, c);
    for (std::size_t j = 0; j < g.size(); ++j)
        grid.for_each_within(g.position(j), p.cd8.contact_radius,
                             [&](std::uint32_t i, const Vec3&, double d2) {
                                 if (d2 < near.d2[i]) {
                                     near.d2[i] = d2;
                                     near.target[i] = static_cast<std::uint32_t>(j);
                                     near.tie[i] = 0;
                                 } else if (d2 == near.d2[i]) {
                                     near.tie[i] = 1;
                                 }
                             });
    return &near;
}

}  // namespace

void step_cd8(Patch& patch, const Params& p, const DrugEffects& drugs, const Tick& t) {
    Population& c = *patch.cd8;
    const std::size_t n = c.size();
    const Cd8Params& q = p.cd8;
    auto state = c.col(patch.tc.state);
    auto stim = c.col(patch.tc.stimulation);
    auto contact = c.col(patch.tc.contact);
    auto ctime = c.col(patch.tc.contact_time);
    auto stime = c.col(patch.tc.state_time);
    auto vx = c.col(patch.tc.vx), vy = c.col(patch.tc.vy), vz = c.col(patch.tc.vz);
    const auto ids = c.ids();
    const auto trig_ids = patch.trig->ids();
    const auto mac_pres = std::as_const(*patch.mac).col(patch.mc.presentation);
    patch.next_pos[1].resize(n);
    patch.kill_claims.assign(n, Claim{});
    const double competence = p.patient.cytotoxic_competence;
    const Domain& domain = patch.sim->domain();
    const std::uint64_t seed = patch.sim->seed();
    const bool at_cap = static_cast<std::int64_t>(n) >= q.max_cells;
    // Logistic room in the niche: divisions thin out as the clone fills the tissue.
    const double room = logistic_room(static_cast<double>(n), q.capacity);
    const double block = drugs.calcineurin;  // NFAT: TCR signalling to activation and IL-2
    const double p_cycle_kill = rate_to_probability(drugs.cycling_kill, t.dt);
    const double p_apoptosis = rate_to_probability(drugs.lymphocyte_kill, t.dt);
    const std::size_t antigen_field = patch.field[kAntigen];
    const FieldSet& fields = patch.sim->fields();
    const double stim_keep = std::exp(-q.stimulation_decay * t.dt);
    const auto presented = near_presenting(patch, p);
    const auto nearest = nearest_triggers(patch, p);
    for_each_row(n, [&](std::size_t i) {
        AgentRng rng(seed, streams::kCd8, t.step, ids[i]);
        const Vec3 pos = c.position(i);
        auto s = static_cast<Cd8State>(state[i]);
        stime[i] += t.dt;
        // Antigen: the nearest trigger cell, else a presenting macrophage.
        std::uint32_t target = Claim::kNone;
        double best = 1e300;
        // The marks of the trigger- and macrophage-side queries hold for a cell inside
        // the domain only (near_presenting, nearest_triggers).
        const bool inside = domain.confine(pos) == pos;
        if (nearest && !nearest->tie[i] && inside)
            target = nearest->target[i], best = nearest->d2[i];
        else
            grid_on_demand(patch.trig_grid, *patch.trig)
                .for_each_within(pos, q.contact_radius,
                                 [&](std::uint32_t j, const Vec3&, double d2) {
                                     if (d2 < best) best = d2, target = j;
                                 });
        bool antigen = target != Claim::kNone;
        if (!antigen && presented && inside)
            antigen = (*presented)[i] != 0;
        else if (!antigen)
            grid_on_demand(patch.mac_grid, *patch.mac)
                .for_each_within(pos, q.contact_radius, [&](std::uint32_t j, const Vec3&, double) {
                    if (mac_pres[j] > p.macrophage.presentation_threshold) antigen = true;
                });
        if (antigen)
            stim[i] += (1 - stim[i]) * rate_to_probability(kStimulationGain * (1 - block), t.dt);
        stim[i] *= stim_keep;

        // Killing: a synapse with the target; the perforin-dependent kill takes
        // kill_time at full competence; a cell that cannot kill gives up after
        // detach_time (Jenkins 2015: 8.5 vs 41 min).
        const bool killer = s == Cd8State::kEffector || s == Cd8State::kExhausted;
        if (killer && target != Claim::kNone) {
            const auto tid = static_cast<std::int64_t>(trig_ids[target]);
            if (contact[i] != tid) contact[i] = tid, ctime[i] = 0;
            ctime[i] += t.dt;
            const double efficiency = s == Cd8State::kExhausted ? q.exhausted_killing : 1.0;
            // Inflammation lowers perforin and granzyme through IL-6 -> JAK1 -> STAT3.
            const double impaired =
                q.il6_impairment(sample(patch, kIl6, pos)) * (1 - drugs.jak_tcell);
            // Drugs that block granule exocytosis (cyclosporine A: calcineurin; steroids:
            // perforin and granzyme transcription) lower killing; ruxolitinib does not.
            const double kill_rate =
                competence * efficiency * (1 - impaired) * (1 - drugs.degranulation) / q.kill_time;
            if (rng.bernoulli(rate_to_probability(kill_rate, t.dt)))
                patch.kill_claims[i] = Claim{target, best, ids[i], static_cast<std::uint32_t>(i)};
            else if (rng.bernoulli(rate_to_probability(1 / q.detach_time, t.dt)))
                contact[i] = -1, ctime[i] = 0;
        } else {
            contact[i] = -1;
            ctime[i] = 0;
        }

        bool dies = rng.bernoulli(p_apoptosis);
        // Counting the T cells around is the costliest query in a dense storm: only
        // a cell about to divide needs it.
        auto divide = [&] {
            if (at_cap || !rng.bernoulli(room)) return;
            int crowd = 0;
            grid_on_demand(patch.cd8_grid, c)
                .for_each_within(pos, q.contact_radius,
                                 [&](std::uint32_t, const Vec3&, double) { ++crowd; });
            if (crowd <= q.crowd_limit)
                c.request_birth(i,
                                domain.confine(pos + 2.0 * random_direction(rng, domain.dims())));
        };
        switch (s) {
            case Cd8State::kNaive:
                if (antigen && bernoulli_rate(rng, q.priming_rate * (1 - block), t.dt))
                    s = Cd8State::kActivated, stime[i] = 0;
                else if (q.naive_lifespan > 0 && bernoulli_rate(rng, 1 / q.naive_lifespan, t.dt))
                    dies = true;
                break;
            case Cd8State::kActivated:  // blasting towards the first division: cycling
                if (rng.bernoulli(p_cycle_kill)) dies = true;
                if (stime[i] >= q.first_division_delay) {
                    s = Cd8State::kEffector, stime[i] = 0;
                    divide();
                }
                break;
            case Cd8State::kEffector: {
                const bool sustained = stim[i] > q.antigen_sustain;
                if (sustained) {
                    if (rng.bernoulli(p_cycle_kill)) dies = true;  // cycling cells
                    const double rate = q.division_rate * q.il2_division(sample(patch, kIl2, pos)) *
                                        (1 - drugs.jak_tcell) * (1 - block);
                    if (bernoulli_rate(rng, rate, t.dt)) divide();
                }
                if (bernoulli_rate(rng, q.exhaustion_rate * stim[i], t.dt))
                    s = Cd8State::kExhausted, stime[i] = 0;
                // Antigen keeps effectors alive; without it they contract (~95% lost).
                const double life = sustained ? 5 * q.effector_lifespan : q.effector_lifespan;
                if (life > 0 && bernoulli_rate(rng, 1 / life, t.dt)) dies = true;
                break;
            }
            case Cd8State::kExhausted:
                if (q.exhausted_lifespan > 0 && bernoulli_rate(rng, 1 / q.exhausted_lifespan, t.dt))
                    dies = true;
                break;
        }
        state[i] = static_cast<std::uint8_t>(s);
        if (dies) c.mark_death(i);

        // Motion: slow while bound; otherwise a persistent walk biased up the antigen.
        const double speed = contact[i] >= 0         ? q.contact_speed
                             : s == Cd8State::kNaive ? q.naive_speed
                                                     : q.speed;
        // The antigen gradient is read only when the cell turns.
        const Vec3 v = walk(
            {vx[i], vy[i], vz[i]}, [&] { return fields.gradient(antigen_field, pos); }, speed,
            q.persistence, 0.3, t.dt, rng, domain.dims());
        vx[i] = v.x, vy[i] = v.y, vz[i] = v.z;
        patch.next_pos[1][i] = domain.confine(pos + t.dt * v);
    });
}

}  // namespace hlhsim::models::hlh
