#include "models/treatment/hlh_binding.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <stdexcept>

#include "models/clinical/hlh2004.hpp"
#include "models/clinical/hscore.hpp"
#include "models/hlh/clinical_course.hpp"
#include "models/systemic/systemic_readouts.hpp"
#include "sim/core/rng.hpp"
#include "sim/core/streams.hpp"
#include "sim/schedule/simulation.hpp"

namespace hlhsim::models::treatment {

HlhBinding::HlhBinding(Simulation& sim, hlh::Patch& patch, hlh::Params& params,
                       const hlh::ClinicalCourse& course)
    : sim_(sim), patch_(patch), params_(params) {
    pops_ = {
        {"macrophage", patch.mac, patch.mc.state, {"resting", "activated", "hemophagocytic"}},
        {"cd8", patch.cd8, patch.tc.state, {"naive", "activated", "effector", "exhausted"}},
        {"trigger", patch.trig, patch.gc.state, {"antigen_bearing"}},
        {"blood", patch.blood, patch.bc.kind, {"rbc", "platelet", "neutrophil", "lymphocyte"}}};
    const hlh::ClinicalCourse* c = &course;
    for (const auto& r : systemic_readouts())
        readouts_.add(std::string(r.name), std::string(r.unit),
                      [c, &r] { return r.value(c->body()); });
    readouts_.add("hlh2004_count", "1", [c] {
        return static_cast<double>(evaluate_hlh2004(c->body().clinical()).count());
    });
    readouts_.add("hscore", "1", [c] {
        return static_cast<double>(evaluate_hscore(c->body().clinical()).total());
    });
    for (const Pop& p : pops_)
        for (std::size_t s = 0; s < p.states.size(); ++s) {
            const Pop* pp = &p;
            readouts_.add(fmt::format("cells_{}_{}", p.name, p.states[s]), "cells", [pp, s] {
                const auto col = std::as_const(*pp->pop).col(pp->state);
                return static_cast<double>(
                    std::count(col.begin(), col.end(), static_cast<std::uint8_t>(s)));
            });
        }
    register_parameters(params);
}

TreatmentLayer::Host HlhBinding::host() {
    TreatmentLayer::Host h;
    h.patient = {params_.patient.weight_kg, params_.patient.bsa_m2};
    h.readouts = &readouts_;
    h.target = this;
    if (sim_.has_fields())
        for (int f = 0; f < hlh::kNumFields; ++f) {
            const auto idx = patch_.field[static_cast<std::size_t>(f)];
            h.fields.push_back({sim_.fields().spec(idx).name, sim_.fields().spec(idx).unit});
        }
    h.duration_min = sim_.duration();
    return h;
}

std::vector<PerturbationTarget::CellType> HlhBinding::cell_types() const {
    std::vector<CellType> out;
    for (const Pop& p : pops_) out.push_back({p.name, p.states});
    return out;
}

HlhBinding::Pop& HlhBinding::find(const std::string& name) {
    for (Pop& p : pops_)
        if (p.name == name) return p;
    throw std::logic_error("unknown population " + name);
}

std::size_t HlhBinding::deplete(const std::string& population, int state, double fraction,
                                std::uint64_t key) {
    Pop& p = find(population);
    const auto states = std::as_const(*p.pop).col(p.state);
    const auto ids = p.pop->ids();
    std::size_t n = 0;
    for (std::size_t i = 0; i < p.pop->size(); ++i) {
        if (state >= 0 && states[i] != static_cast<std::uint8_t>(state)) continue;
        AgentRng rng(sim_.seed(), streams::kPerturbation, key, ids[i]);
        if (rng.bernoulli(fraction)) p.pop->mark_death(i), ++n;
    }
    p.pop->commit();
    return n;
}

std::size_t HlhBinding::add_cells(const std::string& population, int state, std::int64_t count,
                                  std::uint64_t key) {
    Pop& p = find(population);
    const Domain& d = sim_.domain();
    const auto s = static_cast<std::uint8_t>(std::max(state, 0));
    for (std::int64_t j = 0; j < count; ++j) {
        // Entities above 2^40 keep these draws apart from the per-id depletion draws.
        AgentRng rng(sim_.seed(), streams::kPerturbation, key,
                     (std::uint64_t{1} << 40) + static_cast<std::uint64_t>(j));
        Vec3 pos{rng.uniform(d.lo().x, d.hi().x), rng.uniform(d.lo().y, d.hi().y), 0};
        if (d.dims() == 3) pos.z = rng.uniform(d.lo().z, d.hi().z);
        const std::size_t row = p.pop->add(pos);
        p.pop->col(p.state)[row] = s;
        // An activated macrophage carries the STAT1 signalling that keeps it activated.
        if (p.pop == patch_.mac && s > 0) p.pop->col(patch_.mc.stat1)[row] = 1.0;
        if (p.pop == patch_.cd8 && s > 0) p.pop->col(patch_.tc.stimulation)[row] = 1.0;
    }
    return static_cast<std::size_t>(count);
}

void HlhBinding::register_parameters(hlh::Params& p) {
    ParameterRegistry& r = registry_;
    auto hill = [&](const std::string& name, HillResponse& h, const std::string& unit) {
        r.add(name + ".ec50", &h.ec50, unit);
        r.add(name + ".hill", &h.hill);
        r.add(name + ".emax", &h.emax);
    };
    r.add("patient.cytotoxic_competence", &p.patient.cytotoxic_competence);
    auto& c = p.cd8;
    r.add("cd8.naive_count", &c.naive_count);
    r.add("cd8.max_cells", &c.max_cells);
    r.add("cd8.capacity", &c.capacity);
    r.add("cd8.priming_rate", &c.priming_rate, "1/min");
    r.add("cd8.first_division_delay", &c.first_division_delay, "min");
    r.add("cd8.division_rate", &c.division_rate, "1/min");
    hill("cd8.il2_division", c.il2_division, "pg/mL");
    r.add("cd8.antigen_sustain", &c.antigen_sustain);
    r.add("cd8.kill_time", &c.kill_time, "min");
    r.add("cd8.detach_time", &c.detach_time, "min");
    r.add("cd8.stimulation_decay", &c.stimulation_decay, "1/min");
    r.add("cd8.exhaustion_rate", &c.exhaustion_rate, "1/min");
    r.add("cd8.effector_lifespan", &c.effector_lifespan, "min");
    r.add("cd8.exhausted_lifespan", &c.exhausted_lifespan, "min");
    r.add("cd8.exhausted_killing", &c.exhausted_killing);
    r.add("cd8.ifng_secretion", &c.ifng_secretion, "pg/min");
    r.add("cd8.failed_kill_factor", &c.failed_kill_factor);
    hill("cd8.il18_boost", c.il18_boost, "pg/mL");
    hill("cd8.il6_impairment", c.il6_impairment, "pg/mL");
    r.add("cd8.tnf_secretion", &c.tnf_secretion, "pg/min");
    r.add("cd8.il2_secretion", &c.il2_secretion, "pg/min");
    auto& m = p.macrophage;
    hill("macrophages.ifng_stat1", m.ifng_stat1, "pg/mL");
    r.add("macrophages.stat1_on", &m.stat1_on, "1/min");
    r.add("macrophages.stat1_off", &m.stat1_off, "1/min");
    r.add("macrophages.jak_dependence", &m.jak_dependence);
    hill("macrophages.il10_brake", m.il10_brake, "pg/mL");
    r.add("macrophages.activation_threshold", &m.activation_threshold);
    r.add("macrophages.deactivation_threshold", &m.deactivation_threshold);
    r.add("macrophages.hemophagocytic_threshold", &m.hemophagocytic_threshold);
    r.add("macrophages.hemophagocytic_rate", &m.hemophagocytic_rate, "1/min");
    r.add("macrophages.engulf_rate", &m.engulf_rate, "1/min");
    r.add("macrophages.il6_secretion", &m.il6_secretion, "pg/min");
    r.add("macrophages.tnf_secretion", &m.tnf_secretion, "pg/min");
    r.add("macrophages.il18_secretion", &m.il18_secretion, "pg/min");
    r.add("macrophages.il10_secretion", &m.il10_secretion, "pg/min");
    r.add("macrophages.hemophagocytic_secretion_factor", &m.hemophagocytic_secretion_factor);
    r.add("macrophages.antigen_uptake", &m.antigen_uptake, "mL/min");
    r.add("macrophages.presentation_decay", &m.presentation_decay, "1/min");
    r.add("macrophages.presentation_threshold", &m.presentation_threshold);
    auto& t = p.trigger;
    r.add("trigger.division_rate", &t.division_rate, "1/min");
    r.add("trigger.carrying_capacity", &t.carrying_capacity);
    r.add("trigger.lifespan", &t.lifespan, "min");
    r.add("trigger.influx", &t.influx, "1/min");
    r.add("trigger.reactivation", &t.reactivation, "1/min");
    hill("trigger.tnf_reactivation", t.tnf_reactivation, "pg/mL");
    r.add("trigger.source_start", &t.source_start, "min");
    r.add("trigger.source_stop", &t.source_stop, "min");
    r.add("trigger.latency_rate", &t.latency_rate, "1/min");
    r.add("trigger.reservoir_growth", &t.reservoir_growth, "1/min");
    r.add("trigger.reservoir_capacity", &t.reservoir_capacity);
    hill("trigger.il6_reservoir_growth", t.il6_reservoir_growth, "pg/mL");
    r.add("trigger.antigen_secretion", &t.antigen_secretion, "1/min");
    r.add("blood.transit_time", &p.blood.transit_time, "min");
}

}  // namespace hlhsim::models::treatment
