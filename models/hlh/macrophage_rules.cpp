#include <algorithm>
#include <cmath>

#include "models/hlh/cell_rules.hpp"
#include "models/hlh/rule_support.hpp"
#include "models/hlh/streams.hpp"

namespace hlhsim::models::hlh {

void step_macrophages(Patch& patch, const Params& p, const DrugEffects& drugs, const Tick& t) {
    Population& m = *patch.mac;
    const std::size_t n = m.size();
    const MacrophageParams& q = p.macrophage;
    auto state = m.col(patch.mc.state);
    auto stat1 = m.col(patch.mc.stat1);
    auto pres = m.col(patch.mc.presentation);
    auto vx = m.col(patch.mc.vx), vy = m.col(patch.mc.vy), vz = m.col(patch.mc.vz);
    const auto ids = m.ids();
    patch.next_pos[0].resize(n);
    patch.engulf_claims.assign(n, Claim{});
    const double p_engulf = rate_to_probability(q.engulf_rate, t.dt);
    const double p_hemo = rate_to_probability(q.hemophagocytic_rate, t.dt);
    const double p_die = q.lifespan > 0 ? rate_to_probability(1 / q.lifespan, t.dt) : 0;
    const Domain& domain = patch.sim->domain();
    const std::uint64_t seed = patch.sim->seed();
    const FieldSet& fields = patch.sim->fields();
    const auto ifng = field_values(patch, kIfng);
    const auto il10 = field_values(patch, kIl10);
    const auto antigen = field_values(patch, kAntigen);
    // The same for every cell of the step (computed once: the same value).
    const double jak = std::pow(1 - drugs.jak_macrophage, q.jak_dependence);
    for_each_row(n, [&](std::size_t i) {
        AgentRng rng(seed, streams::kMacrophage, t.step, ids[i]);
        const Vec3 pos = m.position(i);
        const std::size_t voxel = fields.voxel_of(pos);
        // JAK1/2 -> STAT1, driven by IFN-gamma; IL-10 (JAK1/TYK2-STAT3), JAK
        // inhibitors and glucocorticoids brake it.
        const double drive = q.ifng_stat1(ifng[voxel]) * (1 - q.il10_brake(il10[voxel])) * jak *
                             (1 - drugs.glucocorticoid);
        stat1[i] = relax_fraction(stat1[i], q.stat1_on * drive, q.stat1_off, t.dt);
        auto s = static_cast<MacState>(state[i]);
        switch (s) {
            case MacState::kResting:
                if (stat1[i] > q.activation_threshold) s = MacState::kActivated;
                break;
            case MacState::kActivated:
                if (stat1[i] < q.deactivation_threshold)
                    s = MacState::kResting;
                else if (stat1[i] > q.hemophagocytic_threshold && rng.bernoulli(p_hemo))
                    s = MacState::kHemophagocytic;
                break;
            case MacState::kHemophagocytic:
                if (stat1[i] < q.deactivation_threshold)
                    s = MacState::kResting;
                else if (stat1[i] < q.activation_threshold)
                    s = MacState::kActivated;
                break;
        }
        state[i] = static_cast<std::uint8_t>(s);
        // Antigen presentation from the local soluble antigen, stronger when activated.
        const double uptake =
            q.antigen_uptake * antigen[voxel] * (s == MacState::kResting ? 0.2 : 1.0);
        pres[i] = relax_fraction(pres[i], uptake, q.presentation_decay, t.dt);
        // Hemophagocytosis: a claim on the nearest blood cell within reach.
        if (s == MacState::kHemophagocytic && rng.bernoulli(p_engulf)) {
            Claim best{Claim::kNone, 1e300, ids[i], static_cast<std::uint32_t>(i)};
            grid_on_demand(patch.blood_grid, *patch.blood)
                .for_each_within(pos, q.contact_radius,
                                 [&](std::uint32_t j, const Vec3&, double d2) {
                                     if (d2 < best.distance2) {
                                         best.distance2 = d2;
                                         best.target = j;
                                     }
                                 });
            patch.engulf_claims[i] = best;
        }
        const double speed = s == MacState::kResting     ? q.speed
                             : s == MacState::kActivated ? q.activated_speed
                                                         : q.hemophagocytic_speed;
        const Vec3 v =
            walk({vx[i], vy[i], vz[i]}, {}, speed, q.persistence, 0, t.dt, rng, domain.dims());
        vx[i] = v.x, vy[i] = v.y, vz[i] = v.z;
        patch.next_pos[0][i] = domain.confine(pos + t.dt * v);
        if (rng.bernoulli(p_die)) m.mark_death(i);
    });
}

}  // namespace hlhsim::models::hlh
