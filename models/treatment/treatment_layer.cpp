#include "models/treatment/treatment_layer.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "sim/config/section.hpp"
#include "sim/core/units.hpp"
#include "sim/fields/field_set.hpp"
#include "sim/schedule/simulation.hpp"

namespace hlhsim::models::treatment {
namespace {

constexpr double kSystemicSampleMin = 10;  // averaging grid of systemic effects [min]

std::string format_time(double min) {
    return fmt::format("day {:g}", std::round(min / kMinutesPerDay * 1000) / 1000);
}

}  // namespace

/// The model's readouts followed by the drugs' own.
class TreatmentLayer::Readouts final : public ReadoutSource {
  public:
    explicit Readouts(const ReadoutSource* model) : model_(model) {}
    const Readout* find(std::string_view name) const override {
        if (model_)
            if (const Readout* r = model_->find(name)) return r;
        return own.find(name);
    }
    std::vector<std::string> names() const override {
        std::vector<std::string> out = model_ ? model_->names() : std::vector<std::string>{};
        for (auto& n : own.names()) out.push_back(n);
        return out;
    }
    ReadoutList own;

  private:
    const ReadoutSource* model_;
};

TreatmentLayer::TreatmentLayer(config::Section& root, Host host)
    : host_(std::move(host)), specs_(std::make_unique<std::vector<DrugSpec>>()) {
    *specs_ = read_drug_table(root);
    readouts_ = std::make_unique<Readouts>(host_.readouts);
    states_.reserve(specs_->size());
    for (const DrugSpec& s : *specs_) states_.emplace_back(s);
    for (std::size_t i = 0; i < specs_->size(); ++i) {
        const std::string& n = (*specs_)[i].name;
        const DrugState* d = &states_[i];
        readouts_->own.add("drug_" + n + "_plasma", "nM", [d] { return d->plasma_nm(); });
        readouts_->own.add("drug_" + n + "_effect", "1", [d] { return d->main_effect_fraction(); });
        if ((*specs_)[i].ke0_per_h > 0)
            readouts_->own.add("drug_" + n + "_effect_site", "nM",
                               [d] { return d->effect_site_nm(); });
    }
    for (const DrugSpec& s : *specs_) {
        const Readout* r = nullptr;
        if (!s.clearance_target.empty()) {
            r = readouts_->find(s.clearance_target);
            if (!r)
                root.error("drugs", fmt::format("drug {}: unknown clearance target readout '{}'",
                                                s.name, s.clearance_target));
        }
        clearance_targets_.push_back(r);
    }
    RuleContext rules{readouts_.get(), read_treatment_names(root)};
    rules.treatments.emplace_back("any");  // started: any / stopped: any
    for (auto& t : read_treatments(root, *specs_, rules)) treatments_.push_back({std::move(t)});
    monitor_ = read_monitor(root, rules);
    if (monitor_.onset) course_ = Course::kBeforeOnset;
    if (root.has("perturbations")) {
        if (host_.target)
            perturbations_ = read_perturbations(root, *host_.target, host_.fields);
        else
            root.error("perturbations", "this model takes no perturbations");
    }
    saved_.assign(perturbations_.size(), 0);
    active_.assign(perturbations_.size(), false);
}

TreatmentLayer::~TreatmentLayer() = default;

const ReadoutSource& TreatmentLayer::readouts() const { return *readouts_; }

const DrugState* TreatmentLayer::drug(std::string_view name) const {
    for (const DrugState& d : states_)
        if (d.spec().name == name) return &d;
    return nullptr;
}

void TreatmentLayer::attach(Simulation& sim) {
    sim_ = &sim;
    for (const DrugSpec& s : *specs_)
        for (const char* suffix : {"_plasma", "_effect", "_effect_site"}) {
            const std::string name = "drug_" + s.name + suffix;
            if (const Readout* r = readouts_->own.find(name))
                sim.add_readout(name, r->unit, r->value);
        }
    for (std::size_t i = 0; i < treatments_.size(); ++i) {
        const TreatmentSpec& s = treatments_[i].spec;
        if (s.start_min)
            sim.schedule().add_event(*s.start_min, "treatment_start", [this, i](const Tick& t) {
                start(i, t.time, "at " + format_time(t.time));
            });
        if (s.stop_min)
            sim.schedule().add_event(*s.stop_min, "treatment_stop", [this, i](const Tick& t) {
                stop(i, t.time, "at " + format_time(t.time));
            });
    }
    for (std::size_t k = 0; k < perturbations_.size(); ++k) schedule_perturbation(k);
    sim.schedule().add_phase("treatment", monitor_.check_every_min,
                             [this](const Tick& t) { check(t.time); });
}

void TreatmentLayer::record(double t, std::string kind, std::string detail) {
    if (sim_) sim_->log_event(kind, detail);
    log_.push_back({t, std::move(kind), std::move(detail)});
}

void TreatmentLayer::advance(double time_min) {
    for (std::size_t i = 0; i < states_.size(); ++i) {
        const double target = clearance_targets_[i] ? clearance_targets_[i]->value() : 0.0;
        states_[i].advance_to(time_min / 60.0, target);
    }
}

void TreatmentLayer::start(std::size_t i, double t, const std::string& why) {
    Running& r = treatments_[i];
    if (r.started || r.stopped) return;  // a stop time before the start cancels it
    r.started = true, r.pending = false, r.start_min = t;
    record(t, "treatment_start", fmt::format("{} ({})", r.spec.name, why));
    const double horizon = host_.duration_min - t;
    double end = 0;
    for (const DoseSchedule& s : r.spec.schedules) {
        end = std::max(end, schedule_end(s));
        for (Dose d : expand(s, host_.patient, horizon)) {
            if (d.time_min <= 0) {
                give(d, t);
                continue;
            }
            sim_->schedule().add_event(t + d.time_min, "dose",
                                       [this, i, d = std::move(d)](const Tick& tick) {
                                           if (!treatments_[i].stopped) give(d, tick.time);
                                       });
        }
    }
    if (std::isfinite(end) && t + end < host_.duration_min)
        sim_->schedule().add_event(t + end, "treatment_stop", [this, i](const Tick& tick) {
            stop(i, tick.time, "completed");
        });
}

void TreatmentLayer::stop(std::size_t i, double t, const std::string& why) {
    Running& r = treatments_[i];
    if (r.stopped) return;
    r.stopped = true;
    if (!r.started) return;  // never started: nothing to log
    record(t, "treatment_stop", fmt::format("{} ({})", r.spec.name, why));
}

void TreatmentLayer::give(const Dose& d, double t) {
    advance(t);
    const auto it = std::find_if(states_.begin(), states_.end(),
                                 [&](const DrugState& s) { return s.spec().name == d.drug; });
    const DrugSpec& spec = it->spec();
    const Route route = d.route.value_or(spec.pk.route);
    const double infusion =
        route == Route::iv_infusion ? (d.infusion_h > 0 ? d.infusion_h : spec.infusion_h) : 0.0;
    it->dose(d.mg, route, infusion);
    const double mg = std::round(d.mg * 1000) / 1000;  // events show 0.001 mg
    std::string detail = fmt::format("{} {:g} mg", d.drug, mg);
    if (d.amount != fmt::format("{:g} mg", mg)) detail += " (" + d.amount + ")";
    record(t, "dose", std::move(detail));
}

void TreatmentLayer::check(double t) {
    advance(t);
    if (monitor_.remission) {
        Condition* watch = course_ == Course::kBeforeOnset ? monitor_.onset.get()
                           : course_ == Course::kActive    ? monitor_.remission.get()
                                                           : monitor_.relapse.get();
        if (watch && watch->update(t, *this)) {
            if (course_ == Course::kRemission) {
                course_ = Course::kActive, ++relapses_;
                record(t, "relapse", watch->describe());
            } else if (course_ == Course::kActive) {
                course_ = Course::kRemission, ++remissions_;
                record(t, "remission", watch->describe());
            } else {
                course_ = Course::kActive;  // onset: the clinical course logs the diagnosis
            }
            Condition* next =
                course_ == Course::kActive ? monitor_.remission.get() : monitor_.relapse.get();
            if (next) next->reset();
        }
    }
    for (std::size_t i = 0; i < treatments_.size(); ++i) {
        Running& r = treatments_[i];
        if (!r.started && !r.pending && !r.stopped && r.spec.start_when &&
            r.spec.start_when->update(t, *this)) {
            const std::string why = "rule: " + r.spec.start_when->describe();
            if (r.spec.delay_min > 0) {
                r.pending = true;
                sim_->schedule().add_event(
                    t + r.spec.delay_min, "treatment_start",
                    [this, i, why](const Tick& tick) { start(i, tick.time, why); });
            } else {
                start(i, t, why);
            }
        }
        if (r.started && !r.stopped && r.spec.stop_when && r.spec.stop_when->update(t, *this))
            stop(i, t, "rule: " + r.spec.stop_when->describe());
    }
}

int TreatmentLayer::event_count(std::string_view kind) const {
    if (kind == "relapse") return relapses_;
    if (kind == "remission") return remissions_;
    return 0;
}

bool TreatmentLayer::started(std::string_view name) const {
    for (const Running& r : treatments_)
        if (r.spec.name == name || (name == "any" && r.started)) return r.started;
    return false;
}

bool TreatmentLayer::stopped(std::string_view name) const {
    for (const Running& r : treatments_)
        if (r.spec.name == name || (name == "any" && r.stopped)) return r.stopped;
    return false;
}

std::array<double, kEffectTargetCount> TreatmentLayer::combined(
    const std::vector<DrugState>& states) const {
    std::array<double, kEffectTargetCount> keep{}, rate{};
    keep.fill(1.0);
    for (const DrugState& s : states)
        for (std::size_t k = 0; k < s.spec().effects.size(); ++k) {
            const auto t = static_cast<std::size_t>(s.spec().effects[k].target);
            const double v = s.effect(k);
            if (is_rate_target(s.spec().effects[k].target))
                rate[t] += v;
            else
                keep[t] *= 1 - std::clamp(v, 0.0, 1.0);
        }
    std::array<double, kEffectTargetCount> out{};
    for (std::size_t t = 0; t < kEffectTargetCount; ++t)
        out[t] = is_rate_target(static_cast<EffectTarget>(t)) ? rate[t] : 1 - keep[t];
    return out;
}

hlh::DrugEffects TreatmentLayer::patch_effects() const {
    const auto e = combined(states_);
    auto at = [&](EffectTarget t) { return e[static_cast<std::size_t>(t)]; };
    hlh::DrugEffects d;
    d.jak_macrophage = at(EffectTarget::kJakMacrophage);
    d.jak_tcell = at(EffectTarget::kJakTcell);
    d.glucocorticoid = at(EffectTarget::kGlucocorticoid);
    d.lymphocyte_kill = at(EffectTarget::kLymphocyteKill);
    d.cycling_kill = at(EffectTarget::kCyclingKill);
    d.calcineurin = at(EffectTarget::kCalcineurin);
    d.ifng_neutralised = at(EffectTarget::kIfngNeutralised);
    d.degranulation = at(EffectTarget::kDegranulation);
    return d;
}

SystemicDrugEffects TreatmentLayer::systemic_effects(double t_min, double dt_min) {
    advance(t_min);
    SystemicDrugEffects out;
    if (states_.empty()) return out;
    std::vector<DrugState> ahead = states_;  // a look-ahead copy: no dose is given in it
    const int n = std::max(1, static_cast<int>(std::lround(dt_min / kSystemicSampleMin)));
    const double h = dt_min / n;
    for (int s = 0; s < n; ++s) {
        for (std::size_t i = 0; i < ahead.size(); ++i)
            ahead[i].advance_to((t_min + (s + 0.5) * h) / 60.0,
                                clearance_targets_[i] ? clearance_targets_[i]->value() : 0.0);
        const auto e = combined(ahead);
        out.jak2 += e[static_cast<std::size_t>(EffectTarget::kSystemicJak2)] / n;
        out.glucocorticoid +=
            e[static_cast<std::size_t>(EffectTarget::kSystemicGlucocorticoid)] / n;
        out.myelotoxic += e[static_cast<std::size_t>(EffectTarget::kSystemicMyelotoxic)] / n;
    }
    out.jak2 = std::min(out.jak2, 1.0);
    out.glucocorticoid = std::min(out.glucocorticoid, 1.0);
    out.myelotoxic = std::min(out.myelotoxic, 1.0);
    return out;
}

void TreatmentLayer::exchange_fields(FieldSet& fields) const {
    for (std::size_t k = 0; k < perturbations_.size(); ++k)
        if (active_[k]) add_field_rates(perturbations_[k], fields);
}

void TreatmentLayer::schedule_perturbation(std::size_t k) {
    const Perturbation& p = perturbations_[k];
    Schedule& sched = sim_->schedule();
    using A = Perturbation::Action;
    if (p.action == A::kSetParameter || p.action == A::kScaleParameter) {
        sched.add_event(p.from_min, "perturbation", [this, k](const Tick& t) {
            const Perturbation& q = perturbations_[k];
            auto& reg = host_.target->parameters();
            const auto* e = reg.find(q.target);
            saved_[k] = ParameterRegistry::get(*e);
            const double v = q.action == A::kSetParameter ? q.value : saved_[k] * q.value;
            ParameterRegistry::set(*e, v);
            record(t.time, "perturbation",
                   fmt::format("{} (was {:g} {}, now {:g})", q.text, saved_[k], e->unit, v));
        });
        if (p.until_min >= 0)
            sched.add_event(p.until_min, "perturbation", [this, k](const Tick& t) {
                const Perturbation& q = perturbations_[k];
                const auto* e = host_.target->parameters().find(q.target);
                ParameterRegistry::set(*e, saved_[k]);
                record(t.time, "perturbation",
                       fmt::format("{} restored to {:g} {}", q.target, saved_[k], e->unit));
            });
        return;
    }
    if (p.continuous()) {  // a field action over a window
        sched.add_event(p.from_min, "perturbation", [this, k](const Tick& t) {
            active_[k] = true;
            record(t.time, "perturbation",
                   fmt::format("{} until {}", perturbations_[k].text,
                               format_time(perturbations_[k].until_min)));
        });
        sched.add_event(p.until_min, "perturbation", [this, k](const Tick& t) {
            active_[k] = false;
            record(t.time, "perturbation", perturbations_[k].text + " ended");
        });
        return;
    }
    const double end = p.until_min >= 0 ? p.until_min : host_.duration_min;
    for (double at = p.from_min; at < end || at == p.from_min; at += p.every_min) {
        sched.add_event(at, "perturbation", [this, k](const Tick& t) {
            FieldSet* f = sim_->has_fields() ? &sim_->fields() : nullptr;
            const std::uint64_t key = t.step * 1024 + (k & 1023);
            record(t.time, "perturbation", apply_once(perturbations_[k], *host_.target, f, key));
        });
        if (!(p.every_min > 0)) break;
    }
}

}  // namespace hlhsim::models::treatment
