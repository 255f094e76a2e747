#include "models/hlh/hlh_model.hpp"

#include <fmt/format.h>
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <map>

#include "models/hlh/drug_effects.hpp"
#include "models/hlh/hlh_params.hpp"
#include "models/hlh/patch_state.hpp"
#include "models/hlh/streams.hpp"
#include "sim/agents/motility.hpp"
#include "sim/config/section.hpp"
#include "sim/core/rng.hpp"
#include "sim/fields/voxel_accumulator.hpp"
#include "sim/schedule/simulation.hpp"
#include "sim/space/neighbor_grid.hpp"

namespace hlhsim::models {
namespace {

using namespace hlh;

enum Field { kIfng, kIl6, kTnf, kIl10, kIl18, kIl2, kAntigen, kNumFields };
constexpr std::array<const char*, kNumFields> kFieldNames{"ifng", "il6", "tnf",    "il10",
                                                          "il18", "il2", "antigen"};

/// Poisson variate (Knuth for small means, a rounded normal for large ones).
std::uint64_t poisson(AgentRng& rng, double mean) {
    if (mean <= 0) return 0;
    if (mean > 50) {
        const double x = std::round(mean + std::sqrt(mean) * rng.normal());
        return x > 0 ? static_cast<std::uint64_t>(x) : 0;
    }
    const double limit = std::exp(-mean);
    double prod = rng.uniform();
    std::uint64_t k = 0;
    while (prod > limit) {
        ++k;
        prod *= rng.uniform();
    }
    return k;
}

template <class F>
void parallel_rows(std::size_t n, F&& f) {
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, n, 128), [&](const auto& r) {
        for (std::size_t i = r.begin(); i != r.end(); ++i) f(i);
    });
}

/// A claim on another agent, settled deterministically: lowest key wins.
struct Claim {
    std::uint32_t target;  ///< row of the claimed agent
    double distance2;
    std::uint64_t claimant_id;
    std::uint32_t claimant;  ///< row of the claimant
    bool operator<(const Claim& o) const {
        if (target != o.target) return target < o.target;
        if (distance2 != o.distance2) return distance2 < o.distance2;
        return claimant_id < o.claimant_id;
    }
};

class HlhModel final : public Model {
  public:
    void build(Simulation& sim, config::Section& root) override {
        sim_ = &sim;
        p_ = read_params(root);
        config::Section fields_section = root.section("fields", {});
        for (int f = 0; f < kNumFields; ++f) {
            auto idx = sim.require_field(kFieldNames[static_cast<std::size_t>(f)], fields_section,
                                         "substances");
            field_[static_cast<std::size_t>(f)] = idx.value_or(0);
        }
        if (root.context().has_errors()) return;
        create_populations(sim);
        place_initial(sim);
        grid_cell_ = std::max({p_.cd8.contact_radius, p_.macrophage.contact_radius});
        mac_grid_ = std::make_unique<NeighborGrid>(sim.domain(), grid_cell_);
        cd8_grid_ = std::make_unique<NeighborGrid>(sim.domain(), grid_cell_);
        trig_grid_ = std::make_unique<NeighborGrid>(sim.domain(), grid_cell_);
        blood_grid_ = std::make_unique<NeighborGrid>(sim.domain(), grid_cell_);
        accumulator_ = std::make_unique<VoxelAccumulator>(sim.fields().num_voxels());
        sim.schedule().add_phase("hlh_agents", p_.time.agents, [this](const Tick& t) { step(t); });
        sim.add_field_exchange([this](FieldSet& f, const Tick&) { exchange(f); });
        add_readouts(sim);
    }

  private:
    // ------------------------------------------------------------ set-up
    void create_populations(Simulation& sim) {
        mac_ = &sim.add_population("macrophage");
        mc_.state = mac_->add_column<std::uint8_t>("state");
        mc_.stat1 = mac_->add_column<double>("stat1");
        mc_.presentation = mac_->add_column<double>("presentation");
        mc_.vx = mac_->add_column<double>("vx");
        mc_.vy = mac_->add_column<double>("vy");
        mc_.vz = mac_->add_column<double>("vz");
        mc_.engulfed = mac_->add_column<std::int32_t>("engulfed");
        sim.set_state_column(*mac_, mc_.state, {"resting", "activated", "hemophagocytic"});

        cd8_ = &sim.add_population("cd8");
        tc_.state = cd8_->add_column<std::uint8_t>("state");
        tc_.stimulation = cd8_->add_column<double>("stimulation");
        tc_.contact = cd8_->add_column<std::int64_t>("contact", -1);
        tc_.contact_time = cd8_->add_column<double>("contact_time");
        tc_.state_time = cd8_->add_column<double>("state_time");
        tc_.vx = cd8_->add_column<double>("vx");
        tc_.vy = cd8_->add_column<double>("vy");
        tc_.vz = cd8_->add_column<double>("vz");
        tc_.kills = cd8_->add_column<std::int32_t>("kills");
        sim.set_state_column(*cd8_, tc_.state, {"naive", "activated", "effector", "exhausted"});

        trig_ = &sim.add_population("trigger");
        gc_.state = trig_->add_column<std::uint8_t>("state");
        gc_.vx = trig_->add_column<double>("vx");
        gc_.vy = trig_->add_column<double>("vy");
        gc_.vz = trig_->add_column<double>("vz");
        sim.set_state_column(*trig_, gc_.state, {"antigen_bearing"});

        blood_ = &sim.add_population("blood");
        bc_.kind = blood_->add_column<std::uint8_t>("kind");
        bc_.vx = blood_->add_column<double>("vx");
        bc_.vy = blood_->add_column<double>("vy");
        bc_.vz = blood_->add_column<double>("vz");
        sim.set_state_column(*blood_, bc_.kind, {"rbc", "platelet", "neutrophil", "lymphocyte"});
    }

    Vec3 random_position(AgentRng& rng) const {
        const Domain& d = sim_->domain();
        Vec3 p{rng.uniform(d.lo().x, d.hi().x), rng.uniform(d.lo().y, d.hi().y), 0};
        if (d.dims() == 3) p.z = rng.uniform(d.lo().z, d.hi().z);
        return p;
    }

    void place_initial(Simulation& sim) {
        std::uint64_t k = 0;
        auto place = [&](Population& pop, std::int64_t n) {
            for (std::int64_t i = 0; i < n; ++i) {
                AgentRng rng(sim.seed(), streams::kPlacement, 0, k++);
                pop.add(random_position(rng));
            }
        };
        place(*mac_, p_.macrophage.count);
        place(*cd8_, p_.cd8.naive_count);
        place(*trig_, p_.trigger.initial);
        const std::array<std::int64_t, kBloodKinds> counts{
            p_.blood.rbc, p_.blood.platelets, p_.blood.neutrophils, p_.blood.lymphocytes};
        for (int kind = 0; kind < kBloodKinds; ++kind) {
            const std::size_t first = blood_->size();
            place(*blood_, counts[static_cast<std::size_t>(kind)]);
            for (std::size_t i = first; i < blood_->size(); ++i)
                blood_->col(bc_.kind)[i] = static_cast<std::uint8_t>(kind);
        }
    }

    // ------------------------------------------------------------ readouts
    template <class E>
    double count_state(const Population& pop, Column<std::uint8_t> col, E state) const {
        const auto s = pop.col(col);
        return static_cast<double>(
            std::count(s.begin(), s.end(), static_cast<std::uint8_t>(state)));
    }

    double field_mean(std::size_t f) const {
        const FieldSet& fs = sim_->fields();
        return fs.total(f) / (fs.voxel_volume() * static_cast<double>(fs.num_voxels()));
    }

    void add_readouts(Simulation& sim) {
        const char* mac_states[] = {"resting", "activated", "hemophagocytic"};
        for (int s = 0; s < 3; ++s)
            sim.add_readout(fmt::format("cells_macrophage_{}", mac_states[s]), "cells",
                            [this, s] { return count_state(*mac_, mc_.state, s); });
        const char* cd8_states[] = {"naive", "activated", "effector", "exhausted"};
        for (int s = 0; s < 4; ++s)
            sim.add_readout(fmt::format("cells_cd8_{}", cd8_states[s]), "cells",
                            [this, s] { return count_state(*cd8_, tc_.state, s); });
        sim.add_readout("cells_trigger", "cells",
                        [this] { return static_cast<double>(trig_->size()); });
        const char* kinds[] = {"rbc", "platelet", "neutrophil", "lymphocyte"};
        for (int k = 0; k < kBloodKinds; ++k)
            sim.add_readout(fmt::format("cells_blood_{}", kinds[k]), "cells",
                            [this, k] { return count_state(*blood_, bc_.kind, k); });
        for (int f = 0; f < kNumFields; ++f) {
            const std::size_t idx = field_[static_cast<std::size_t>(f)];
            sim.add_readout(fmt::format("tissue_{}", kFieldNames[static_cast<std::size_t>(f)]),
                            sim.fields().spec(idx).unit, [this, idx] { return field_mean(idx); });
        }
        sim.add_readout("hemophagocytosis_events", "1/day",
                        [this] { return rate_since_last(engulfed_total_, engulfed_at_record_); });
        sim.add_readout("trigger_kills", "1/day",
                        [this] { return rate_since_last(kills_total_, kills_at_record_); });
        sim.add_readout("mean_stat1", "1", [this] {
            const auto s = mac_->col(mc_.stat1);
            double sum = 0;
            for (double v : s) sum += v;
            return s.empty() ? 0.0 : sum / static_cast<double>(s.size());
        });
    }

    /// Events per day since the previous record.
    double rate_since_last(double total, double& at_last) {
        const double t = sim_->time();
        const double dt_days = (t - last_rate_time_[&at_last]) / 1440.0;
        const double rate = dt_days > 0 ? (total - at_last) / dt_days : 0.0;
        at_last = total;
        last_rate_time_[&at_last] = t;
        return rate;
    }

    // ------------------------------------------------------------ fields
    void exchange(FieldSet& f) {
        const double vol = f.voxel_volume() * 1e-12;  // um^3 -> mL
        // Macrophages: IL-6, TNF, IL-18, IL-10 when activated (x factor when hemophagocytic).
        {
            const auto st = mac_->col(mc_.state);
            std::vector<double> scale(mac_->size());
            for (std::size_t i = 0; i < scale.size(); ++i) {
                const auto s = static_cast<MacState>(st[i]);
                scale[i] = s == MacState::kResting ? 0.0
                           : s == MacState::kActivated
                               ? 1.0
                               : p_.macrophage.hemophagocytic_secretion_factor;
                scale[i] *= (1 - effects_.glucocorticoid) / vol;
            }
            bin(*mac_, f);
            secrete(f, kIl6, scale, p_.macrophage.il6_secretion);
            secrete(f, kTnf, scale, p_.macrophage.tnf_secretion);
            secrete(f, kIl18, scale, p_.macrophage.il18_secretion);
            secrete(f, kIl10, scale, p_.macrophage.il10_secretion);
        }
        // CD8: IFN-gamma (more during a contact that does not kill), TNF, IL-2.
        {
            const auto st = cd8_->col(tc_.state);
            const auto contact = cd8_->col(tc_.contact);
            std::vector<double> ifng(cd8_->size()), tnf(cd8_->size()), il2(cd8_->size());
            const double suppress = (1 - effects_.glucocorticoid) * (1 - effects_.calcineurin);
            for (std::size_t i = 0; i < ifng.size(); ++i) {
                const auto s = static_cast<Cd8State>(st[i]);
                double out = 0;
                if (s == Cd8State::kEffector) out = 1;
                if (s == Cd8State::kExhausted) out = p_.cd8.exhausted_secretion;
                if (contact[i] >= 0) out *= p_.cd8.failed_kill_factor;
                const double boost =
                    1 + p_.cd8.il18_boost(il18_at_cd8_.empty() ? 0 : il18_at_cd8_[i]);
                ifng[i] = out * boost * suppress / vol;
                tnf[i] = out * suppress / vol;
                const bool stimulated =
                    (s == Cd8State::kActivated || s == Cd8State::kEffector) && contact[i] >= 0;
                il2[i] = stimulated ? suppress / vol : 0.0;
            }
            bin(*cd8_, f);
            secrete(f, kIfng, ifng, p_.cd8.ifng_secretion);
            secrete(f, kTnf, tnf, p_.cd8.tnf_secretion);
            secrete(f, kIl2, il2, p_.cd8.il2_secretion);
        }
        // Trigger cells release antigen.
        {
            std::vector<double> one(trig_->size(), 1.0);
            bin(*trig_, f);
            secrete(f, kAntigen, one, p_.trigger.antigen_secretion);
        }
        // Neutralising antibody: removes free IFN-gamma as an extra first-order sink.
        if (effects_.ifng_neutralised > 0) {
            auto u = f.uptake(field_[kIfng]);
            const double k =
                effects_.ifng_neutralised / (1 - std::min(effects_.ifng_neutralised, 0.999));
            for (double& x : u) x += 0.1 * k;
        }
    }

    void bin(const Population& pop, const FieldSet& f) {
        voxel_.resize(pop.size());
        for (std::size_t i = 0; i < pop.size(); ++i)
            voxel_[i] = static_cast<std::uint32_t>(f.voxel_of(pop.position(i)));
        accumulator_->bin(voxel_);
    }

    void secrete(FieldSet& f, int field, const std::vector<double>& scale, double rate) {
        amount_.resize(scale.size());
        for (std::size_t i = 0; i < scale.size(); ++i) amount_[i] = scale[i] * rate;
        accumulator_->add_to(f.source(field_[static_cast<std::size_t>(field)]), amount_);
    }

    // ------------------------------------------------------------ the agent step
    void step(const Tick& t) {
        mac_grid_->build(mac_->x(), mac_->y(), mac_->z());
        cd8_grid_->build(cd8_->x(), cd8_->y(), cd8_->z());
        trig_grid_->build(trig_->x(), trig_->y(), trig_->z());
        blood_grid_->build(blood_->x(), blood_->y(), blood_->z());
        step_macrophages(t);
        step_cd8(t);
        step_triggers(t);
        step_blood(t);
        resolve_kills();
        resolve_engulfment();
        for (Population* pop : {mac_, cd8_, trig_, blood_}) move(*pop);
        commit_all(t);
        influx(t);
    }

    double sample(int field, const Vec3& p) const {
        return sim_->fields().sample(field_[static_cast<std::size_t>(field)], p);
    }

    void step_macrophages(const Tick& t) {
        Population& m = *mac_;
        const std::size_t n = m.size();
        const auto& q = p_.macrophage;
        auto state = m.col(mc_.state);
        auto stat1 = m.col(mc_.stat1);
        auto pres = m.col(mc_.presentation);
        auto vx = m.col(mc_.vx), vy = m.col(mc_.vy), vz = m.col(mc_.vz);
        const auto ids = m.ids();
        next_pos_[0].resize(n);
        engulf_claims_.assign(n, Claim{UINT32_MAX, 0, 0, 0});
        const double p_engulf = rate_to_probability(q.engulf_rate, t.dt);
        const double p_hemo = rate_to_probability(q.hemophagocytic_rate, t.dt);
        const double p_die = q.lifespan > 0 ? rate_to_probability(1 / q.lifespan, t.dt) : 0;
        const int dims = sim_->domain().dims();
        parallel_rows(n, [&](std::size_t i) {
            AgentRng rng(sim_->seed(), streams::kMacrophage, t.step, ids[i]);
            const Vec3 pos = m.position(i);
            // JAK1/2-STAT1: driven by IFN-gamma, braked by IL-10 and by drugs.
            const double drive = q.ifng_stat1(sample(kIfng, pos)) *
                                 (1 - q.il10_brake(sample(kIl10, pos))) *
                                 (1 - effects_.jak_macrophage) * (1 - effects_.glucocorticoid);
            const double on = q.stat1_on * drive, off = q.stat1_off;
            // exact solution of ds/dt = on (1 - s) - off s over dt
            const double eq = on + off > 0 ? on / (on + off) : 0;
            stat1[i] = eq + (stat1[i] - eq) * std::exp(-(on + off) * t.dt);
            auto s = static_cast<MacState>(state[i]);
            if (s == MacState::kResting && stat1[i] > q.activation_threshold)
                s = MacState::kActivated;
            else if (s != MacState::kResting && stat1[i] < q.deactivation_threshold)
                s = MacState::kResting;
            else if (s == MacState::kActivated && stat1[i] > q.hemophagocytic_threshold &&
                     rng.bernoulli(p_hemo))
                s = MacState::kHemophagocytic;
            else if (s == MacState::kHemophagocytic && stat1[i] < q.activation_threshold)
                s = MacState::kActivated;
            state[i] = static_cast<std::uint8_t>(s);
            // Antigen presentation: uptake of local antigen, stronger when activated.
            const double gain =
                q.antigen_uptake * sample(kAntigen, pos) * (s == MacState::kResting ? 0.2 : 1.0);
            const double peq =
                gain + q.presentation_decay > 0 ? gain / (gain + q.presentation_decay) : 0;
            pres[i] = peq + (pres[i] - peq) * std::exp(-(gain + q.presentation_decay) * t.dt);
            // Hemophagocytosis: claim the nearest blood cell in reach.
            if (s == MacState::kHemophagocytic && rng.bernoulli(p_engulf)) {
                Claim best{UINT32_MAX, 1e300, ids[i], static_cast<std::uint32_t>(i)};
                blood_grid_->for_each_within(pos, q.contact_radius,
                                             [&](std::uint32_t j, const Vec3&, double d2) {
                                                 if (d2 < best.distance2) {
                                                     best.distance2 = d2;
                                                     best.target = j;
                                                 }
                                             });
                engulf_claims_[i] = best;
            }
            const double speed = s == MacState::kResting     ? q.speed
                                 : s == MacState::kActivated ? q.activated_speed
                                                             : q.hemophagocytic_speed;
            const Vec3 v = next_velocity({vx[i], vy[i], vz[i]}, {}, {speed, q.persistence, 0}, t.dt,
                                         rng, dims);
            const double norm_v = norm(v);
            const Vec3 vs = norm_v > 0 ? (speed / norm_v) * v : v;
            vx[i] = vs.x, vy[i] = vs.y, vz[i] = vs.z;
            next_pos_[0][i] = sim_->domain().confine(pos + t.dt * vs);
            if (rng.bernoulli(p_die)) m.mark_death(i);
        });
    }

    void step_cd8(const Tick& t) {
        Population& c = *cd8_;
        const std::size_t n = c.size();
        const auto& q = p_.cd8;
        auto state = c.col(tc_.state);
        auto stim = c.col(tc_.stimulation);
        auto contact = c.col(tc_.contact);
        auto ctime = c.col(tc_.contact_time);
        auto stime = c.col(tc_.state_time);
        auto vx = c.col(tc_.vx), vy = c.col(tc_.vy), vz = c.col(tc_.vz);
        const auto ids = c.ids();
        const auto trig_ids = trig_->ids();
        const auto mac_pres = mac_->col(mc_.presentation);
        next_pos_[1].resize(n);
        il18_at_cd8_.resize(n);
        kill_claims_.assign(n, Claim{UINT32_MAX, 0, 0, 0});
        const double competence = p_.patient.cytotoxic_competence;
        const int dims = sim_->domain().dims();
        const bool crowded_cap = static_cast<std::int64_t>(n) >= q.max_cells;
        parallel_rows(n, [&](std::size_t i) {
            AgentRng rng(sim_->seed(), streams::kCd8, t.step, ids[i]);
            const Vec3 pos = c.position(i);
            il18_at_cd8_[i] = sample(kIl18, pos);
            auto s = static_cast<Cd8State>(state[i]);
            stime[i] += t.dt;
            // Find the nearest antigen-bearing trigger, and presenting macrophages.
            std::uint32_t target = UINT32_MAX;
            double best = 1e300;
            trig_grid_->for_each_within(pos, q.contact_radius,
                                        [&](std::uint32_t j, const Vec3&, double d2) {
                                            if (d2 < best) best = d2, target = j;
                                        });
            bool presented = target != UINT32_MAX;
            int crowd = 0;
            if (!presented) {
                mac_grid_->for_each_within(
                    pos, q.contact_radius, [&](std::uint32_t j, const Vec3&, double) {
                        if (mac_pres[j] > p_.macrophage.presentation_threshold) presented = true;
                    });
            }
            cd8_grid_->for_each_within(pos, q.contact_radius,
                                       [&](std::uint32_t, const Vec3&, double) { ++crowd; });
            // Antigen exposure integrates contact, and fades.
            const double block = effects_.calcineurin;
            if (presented) stim[i] += (1 - stim[i]) * rate_to_probability(0.05 * (1 - block), t.dt);
            stim[i] *= std::exp(-q.stimulation_decay * t.dt);
            // Contact with a trigger (effectors and exhausted cells try to kill).
            const bool killer = s == Cd8State::kEffector || s == Cd8State::kExhausted;
            if (killer && target != UINT32_MAX) {
                const auto tid = static_cast<std::int64_t>(trig_ids[target]);
                if (contact[i] != tid) contact[i] = tid, ctime[i] = 0;
                ctime[i] += t.dt;
                const double efficiency = s == Cd8State::kExhausted ? q.exhausted_killing : 1.0;
                const double kill_rate = competence * efficiency / q.kill_time;
                if (rng.bernoulli(rate_to_probability(kill_rate, t.dt))) {
                    kill_claims_[i] = Claim{target, best, ids[i], static_cast<std::uint32_t>(i)};
                } else if (rng.bernoulli(rate_to_probability(1 / q.detach_time, t.dt))) {
                    contact[i] = -1;  // gives up on this target for now
                }
            } else {
                contact[i] = -1;
                ctime[i] = 0;
            }
            // State transitions.
            const double p_cycle_kill = rate_to_probability(effects_.cycling_kill, t.dt);
            const double p_lympho_kill = rate_to_probability(effects_.lymphocyte_kill, t.dt);
            bool dies = rng.bernoulli(p_lympho_kill);
            switch (s) {
                case Cd8State::kNaive:
                    if (presented &&
                        rng.bernoulli(rate_to_probability(q.priming_rate * (1 - block), t.dt)))
                        s = Cd8State::kActivated, stime[i] = 0;
                    if (q.naive_lifespan > 0 &&
                        rng.bernoulli(rate_to_probability(1 / q.naive_lifespan, t.dt)))
                        dies = true;
                    break;
                case Cd8State::kActivated:
                    if (rng.bernoulli(p_cycle_kill)) dies = true;
                    if (stime[i] >= q.first_division_delay) {
                        s = Cd8State::kEffector, stime[i] = 0;
                        if (!crowded_cap)
                            c.request_birth(
                                i, sim_->domain().confine(pos + 2.0 * random_direction(rng, dims)));
                    }
                    break;
                case Cd8State::kEffector: {
                    const bool sustained = stim[i] > q.antigen_sustain;
                    if (sustained && rng.bernoulli(p_cycle_kill)) dies = true;  // cycling cells
                    const double il2 = q.il2_division(sample(kIl2, pos));
                    const double div =
                        q.division_rate * il2 * (1 - effects_.jak_tcell) * (1 - block);
                    if (sustained && crowd < 8 && !crowded_cap &&
                        rng.bernoulli(rate_to_probability(div, t.dt)))
                        c.request_birth(
                            i, sim_->domain().confine(pos + 2.0 * random_direction(rng, dims)));
                    if (rng.bernoulli(rate_to_probability(q.exhaustion_rate * stim[i], t.dt)))
                        s = Cd8State::kExhausted, stime[i] = 0;
                    const double life = sustained ? 5 * q.effector_lifespan : q.effector_lifespan;
                    if (life > 0 && rng.bernoulli(rate_to_probability(1 / life, t.dt))) dies = true;
                    break;
                }
                case Cd8State::kExhausted:
                    if (q.exhausted_lifespan > 0 &&
                        rng.bernoulli(rate_to_probability(1 / q.exhausted_lifespan, t.dt)))
                        dies = true;
                    break;
            }
            state[i] = static_cast<std::uint8_t>(s);
            if (dies) c.mark_death(i);
            // Motion: slow while bound, else a persistent walk up the antigen gradient.
            const double speed = contact[i] >= 0         ? q.contact_speed
                                 : s == Cd8State::kNaive ? q.naive_speed
                                                         : q.speed;
            const Vec3 grad = sim_->fields().gradient(field_[kAntigen], pos);
            const Vec3 v = next_velocity({vx[i], vy[i], vz[i]}, grad, {q.speed, q.persistence, 0.3},
                                         t.dt, rng, dims);
            const double nv = norm(v);
            const Vec3 vs = nv > 0 ? (speed / nv) * v : v;
            vx[i] = vs.x, vy[i] = vs.y, vz[i] = vs.z;
            next_pos_[1][i] = sim_->domain().confine(pos + t.dt * vs);
        });
    }

    void step_triggers(const Tick& t) {
        Population& g = *trig_;
        const std::size_t n = g.size();
        const auto& q = p_.trigger;
        const auto ids = g.ids();
        auto vx = g.col(gc_.vx), vy = g.col(gc_.vy), vz = g.col(gc_.vz);
        next_pos_[2].resize(n);
        const double crowding =
            1.0 - static_cast<double>(n) / static_cast<double>(q.carrying_capacity);
        const double p_div = rate_to_probability(q.division_rate * std::max(0.0, crowding), t.dt);
        const double p_die = q.lifespan > 0 ? rate_to_probability(1 / q.lifespan, t.dt) : 0;
        const int dims = sim_->domain().dims();
        parallel_rows(n, [&](std::size_t i) {
            AgentRng rng(sim_->seed(), streams::kTrigger, t.step, ids[i]);
            const Vec3 pos = g.position(i);
            if (rng.bernoulli(p_die))
                g.mark_death(i);
            else if (rng.bernoulli(p_div))
                g.request_birth(i, sim_->domain().confine(pos + 8.0 * random_direction(rng, dims)));
            const Vec3 v =
                next_velocity({vx[i], vy[i], vz[i]}, {}, {q.speed, 30, 0}, t.dt, rng, dims);
            vx[i] = v.x, vy[i] = v.y, vz[i] = v.z;
            next_pos_[2][i] = sim_->domain().confine(pos + t.dt * v);
        });
    }

    void step_blood(const Tick& t) {
        Population& b = *blood_;
        const std::size_t n = b.size();
        const auto ids = b.ids();
        auto vx = b.col(bc_.vx), vy = b.col(bc_.vy), vz = b.col(bc_.vz);
        next_pos_[3].resize(n);
        const double p_leave = rate_to_probability(1 / p_.blood.transit_time, t.dt);
        const int dims = sim_->domain().dims();
        parallel_rows(n, [&](std::size_t i) {
            AgentRng rng(sim_->seed(), streams::kBlood, t.step, ids[i]);
            if (rng.bernoulli(p_leave)) b.mark_death(i);
            const Vec3 v =
                next_velocity({vx[i], vy[i], vz[i]}, {}, {p_.blood.speed, 5, 0}, t.dt, rng, dims);
            vx[i] = v.x, vy[i] = v.y, vz[i] = v.z;
            next_pos_[3][i] = sim_->domain().confine(b.position(i) + t.dt * v);
        });
    }

    /// Several T cells may kill one target in the same step: the claim with the
    /// smallest (distance, id) wins, whatever the thread timing.
    void resolve_kills() {
        claims_.clear();
        for (const Claim& c : kill_claims_)
            if (c.target != UINT32_MAX) claims_.push_back(c);
        std::sort(claims_.begin(), claims_.end());
        auto kills = cd8_->col(tc_.kills);
        auto contact = cd8_->col(tc_.contact);
        std::uint32_t last = UINT32_MAX;
        for (const Claim& c : claims_) {
            if (c.target == last) continue;
            last = c.target;
            if (trig_->marked_dead(c.target)) continue;
            trig_->mark_death(c.target);
            ++kills[c.claimant];
            contact[c.claimant] = -1;
            kills_total_ += 1;
        }
    }

    void resolve_engulfment() {
        claims_.clear();
        for (const Claim& c : engulf_claims_)
            if (c.target != UINT32_MAX) claims_.push_back(c);
        std::sort(claims_.begin(), claims_.end());
        auto engulfed = mac_->col(mc_.engulfed);
        const auto kind = blood_->col(bc_.kind);
        std::uint32_t last = UINT32_MAX;
        for (const Claim& c : claims_) {
            if (c.target == last) continue;
            last = c.target;
            if (blood_->marked_dead(c.target)) continue;
            blood_->mark_death(c.target);
            ++engulfed[c.claimant];
            engulfed_total_ += 1;
            engulfed_by_kind_[kind[c.target]] += 1;
        }
    }

    void move(Population& pop) {
        const int k = &pop == mac_ ? 0 : &pop == cd8_ ? 1 : &pop == trig_ ? 2 : 3;
        for (std::size_t i = 0; i < pop.size(); ++i) pop.set_position(i, next_pos_[k][i]);
    }

    void commit_all(const Tick& t) {
        mac_->commit();
        for (std::size_t child : cd8_->commit()) {
            cd8_->col(tc_.state_time)[child] = 0;
            cd8_->col(tc_.contact)[child] = -1;
            cd8_->col(tc_.kills)[child] = 0;
        }
        trig_->commit();
        blood_->commit();
        if (t.step % 100 == 0) {
            for (auto [pop, grid] :
                 {std::pair{mac_, mac_grid_.get()}, std::pair{cd8_, cd8_grid_.get()},
                  std::pair{trig_, trig_grid_.get()}, std::pair{blood_, blood_grid_.get()}}) {
                if (pop->size() == 0) continue;
                grid->build(pop->x(), pop->y(), pop->z());
                pop->sort_by_cell(*grid);
            }
        }
    }

    /// New cells from outside the patch: naive T cells, monocytes, trigger sources,
    /// blood. Counts are Poisson draws keyed by (step, source), positions by (step, k).
    void influx(const Tick& t) {
        std::uint64_t source = 0;
        auto add_cells = [&](Population& pop, double rate, auto init) {
            AgentRng rng(sim_->seed(), streams::kInflux, t.step, source++);
            const std::uint64_t n = poisson(rng, rate * t.dt);
            for (std::uint64_t k = 0; k < n; ++k) init(pop.add(random_position(rng)));
        };
        const auto& cd = p_.cd8;
        if (cd.naive_lifespan > 0)
            add_cells(*cd8_, static_cast<double>(cd.naive_count) / cd.naive_lifespan,
                      [](std::size_t) {});
        const auto& mq = p_.macrophage;
        if (mq.lifespan > 0)
            add_cells(*mac_, static_cast<double>(mq.count) / mq.lifespan, [](std::size_t) {});
        const auto& tq = p_.trigger;
        const double now = t.time;
        double rate = (now >= tq.source_start && now < tq.source_stop) ? tq.influx : 0.0;
        rate += tq.reactivation * tq.tnf_reactivation(field_mean(field_[kTnf]));
        add_cells(*trig_, rate, [](std::size_t) {});
        const std::array<std::int64_t, kBloodKinds> base{
            p_.blood.rbc, p_.blood.platelets, p_.blood.neutrophils, p_.blood.lymphocytes};
        for (int k = 0; k < kBloodKinds; ++k) {
            const double target = static_cast<double>(base[static_cast<std::size_t>(k)]) *
                                  blood_supply_[static_cast<std::size_t>(k)];
            add_cells(*blood_, target / p_.blood.transit_time, [&](std::size_t row) {
                blood_->col(bc_.kind)[row] = static_cast<std::uint8_t>(k);
            });
        }
    }

    Simulation* sim_ = nullptr;
    Params p_;
    DrugEffects effects_;
    std::array<std::size_t, kNumFields> field_{};
    Population *mac_ = nullptr, *cd8_ = nullptr, *trig_ = nullptr, *blood_ = nullptr;
    MacrophageColumns mc_{};
    Cd8Columns tc_{};
    TriggerColumns gc_{};
    BloodColumns bc_{};
    double grid_cell_ = 0;
    std::unique_ptr<NeighborGrid> mac_grid_, cd8_grid_, trig_grid_, blood_grid_;
    std::unique_ptr<VoxelAccumulator> accumulator_;
    std::array<std::vector<Vec3>, 4> next_pos_;
    std::vector<Claim> engulf_claims_, kill_claims_, claims_;
    std::vector<double> il18_at_cd8_;
    std::vector<std::uint32_t> voxel_;
    std::vector<double> amount_;
    /// Blood supply per lineage relative to normal counts (1 until the systemic model drives it).
    std::array<double, kBloodKinds> blood_supply_{1, 1, 1, 1};
    std::array<double, kBloodKinds> engulfed_by_kind_{};
    double engulfed_total_ = 0, engulfed_at_record_ = 0;
    double kills_total_ = 0, kills_at_record_ = 0;
    std::map<double*, double> last_rate_time_;
};

}  // namespace

std::unique_ptr<Model> make_hlh_model() { return std::make_unique<HlhModel>(); }

}  // namespace hlhsim::models
