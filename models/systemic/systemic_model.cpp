#include "models/systemic/systemic_model.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numbers>
#include <stdexcept>
#include <string_view>

#include "models/systemic/relaxation.hpp"

namespace hlhsim::models {
namespace {

using relaxation::decay_with_input;
using relaxation::decay_with_relaxing_input;
using relaxation::relax;

constexpr double kHoursPerDay = 24.0;

/// Elimination rate from a half-life, in 1/(the half-life's unit).
double rate(double half_life) { return std::numbers::ln2 / half_life; }

void check_input(double value, std::string_view what, double max = HUGE_VAL) {
    if (!(std::isfinite(value) && value >= 0 && value <= max))
        throw std::invalid_argument(fmt::format(
            "SystemicModel: {} = {} (must be finite and in [0, {}])", what, value, max));
}

void check_inputs(const PatchSignals& s, const SystemicDrugEffects& d) {
    for (Cytokine c : kAllCytokines)
        check_input(s.secretion(c), fmt::format("secretion of {}", cytokine_name(c)));
    check_input(s.activated_macrophage_fraction, "activated_macrophage_fraction", 1);
    check_input(s.hemophagocytic_fraction, "hemophagocytic_fraction", 1);
    check_input(s.engulfment_rbc_per_day, "engulfment_rbc_per_day");
    check_input(s.engulfment_platelets_per_day, "engulfment_platelets_per_day");
    check_input(s.engulfment_neutrophils_per_day, "engulfment_neutrophils_per_day");
    check_input(s.activated_cd8_cells, "activated_cd8_cells");
    check_input(d.jak2, "jak2 effect", 1);
    check_input(d.glucocorticoid, "glucocorticoid effect", 1);
    check_input(d.myelotoxic, "myelotoxic effect", 1);
}

/// Feedback drive (normal / value)^exponent, capped: EPO, TPO, G-CSF.
double feedback(double normal, double value, double exponent, double max_fold) {
    if (!(value > 0)) return max_fold;
    return std::min(max_fold, std::pow(normal / value, exponent));
}

}  // namespace

SystemicModel::SystemicModel(Params params) : params_(std::move(params)) {
    params_.validate();
    state_ = normal_state(params_);
}

SystemicState SystemicModel::normal_state(const Params& p) {
    SystemicState s;
    for (Cytokine c : kAllCytokines)
        s.plasma_pg_per_ml[static_cast<std::size_t>(c)] = p.cytokine(c).basal_pg_per_ml;
    s.hemoglobin_g_per_l = p.red_cells.hemoglobin_g_per_l;
    s.rbc_production_g_per_l_d = p.red_cells.hemoglobin_g_per_l / p.red_cells.lifespan_d;
    s.platelets_e9_per_l = p.platelets.count_e9_per_l;
    s.platelet_production_e9_per_l_d = p.platelets.count_e9_per_l / p.platelets.lifespan_d;
    s.neutrophils_e9_per_l = p.neutrophils.count_e9_per_l;
    // Storage pool at steady state: inflow N k_blood = release R / transit.
    const double k_blood_d = rate(p.neutrophils.blood_half_life_h) * kHoursPerDay;
    s.neutrophil_reserve_e9_per_l =
        p.neutrophils.count_e9_per_l * k_blood_d * p.neutrophils.reserve_transit_d;
    s.other_leukocytes_e9_per_l = p.other_leukocytes.count_e9_per_l;
    s.ferritin_ng_per_ml = p.ferritin.normal_ng_per_ml;
    s.triglycerides_mmol_per_l = p.triglycerides.normal_mmol_per_l;
    s.fibrinogen_g_per_l = p.fibrinogen.normal_g_per_l;
    s.ast_u_per_l = p.ast.normal_u_per_l;
    s.ldh_u_per_l = p.ldh.normal_u_per_l;
    s.scd25_u_per_ml = p.scd25.normal_u_per_ml;
    s.temperature_c = p.temperature.normal_c;
    return s;
}

void SystemicModel::step(double hours, const PatchSignals& signals,
                         const SystemicDrugEffects& drugs) {
    check_input(hours, "step length [h]");
    check_inputs(signals, drugs);
    if (hours == 0) return;
    const auto n = static_cast<std::int64_t>(std::ceil(hours / kMaxSubstepH));
    const double h = hours / static_cast<double>(n);
    for (std::int64_t i = 0; i < n; ++i) substep(h, signals, drugs);
}

double SystemicModel::excess(Cytokine c) const {
    return std::max(0.0, plasma_pg_per_ml(c) - params_.cytokine(c).basal_pg_per_ml);
}

double SystemicModel::marrow_factor(const LineageSuppression& l,
                                    const SystemicDrugEffects& d) const {
    const auto& m = params_.marrow;
    return (1 - l.ifng_emax *
                    hill_fraction(excess(Cytokine::ifng), m.ifng_ec50_pg_per_ml, m.ifng_hill)) *
           (1 -
            l.tnf_emax * hill_fraction(excess(Cytokine::tnf), m.tnf_ec50_pg_per_ml, m.tnf_hill)) *
           (1 - l.jak2_emax * d.jak2) * (1 - l.myelotoxic_emax * d.myelotoxic);
}

void SystemicModel::substep(double h, const PatchSignals& s, const SystemicDrugEffects& d) {
    // Plasma cytokines first: with half-lives of minutes they equilibrate within the
    // step, and the slower processes below see the levels at its end.
    for (Cytokine c : kAllCytokines) {
        const auto& cp = params_.cytokine(c);
        const double k = rate(cp.half_life_h);
        const double steady = cp.basal_pg_per_ml + s.secretion(c) / (cp.volume_ml * k);
        double& level = state_.plasma_pg_per_ml[static_cast<std::size_t>(c)];
        level = relax(level, steady, k, h);
    }
    step_blood(h / kHoursPerDay, s, d);
    step_chemistry(h, s);
    step_clinical(h, d);
    state_.hemophagocytic_fraction = s.hemophagocytic_fraction;
    state_.time_h += h;
}

void SystemicModel::step_blood(double days, const PatchSignals& s, const SystemicDrugEffects& d) {
    const auto& p = params_;
    const double coagulation =
        hill_fraction(s.activated_macrophage_fraction, p.coagulation.activation_ec50,
                      p.coagulation.activation_hill);
    {  // red cells: precursor output relaxes to an EPO-driven, suppressed target
        const auto& r = p.red_cells;
        double& hb = state_.hemoglobin_g_per_l;
        double& out = state_.rbc_production_g_per_l_d;
        const double target = r.hemoglobin_g_per_l / r.lifespan_d *
                              feedback(r.hemoglobin_g_per_l, hb, r.epo_exponent, r.epo_max_fold) *
                              marrow_factor(r.suppression, d);
        const double loss = 1 / r.lifespan_d + s.engulfment_rbc_per_day;
        const double a = 1 / r.precursor_time_d;
        hb = decay_with_relaxing_input(hb, loss, out, target, a, days);
        out = relax(out, target, a, days);
    }
    {  // platelets: the same, with TPO feedback and consumption by coagulation
        const auto& q = p.platelets;
        double& plt = state_.platelets_e9_per_l;
        double& out = state_.platelet_production_e9_per_l_d;
        const double target = q.count_e9_per_l / q.lifespan_d *
                              feedback(q.count_e9_per_l, plt, q.tpo_exponent, q.tpo_max_fold) *
                              marrow_factor(q.suppression, d);
        const double loss = 1 / q.lifespan_d + s.engulfment_platelets_per_day +
                            q.consumption_max_per_d * coagulation;
        const double a = 1 / q.precursor_time_d;
        plt = decay_with_relaxing_input(plt, loss, out, target, a, days);
        out = relax(out, target, a, days);
    }
    {  // neutrophils: production -> storage pool -> blood (release raised by G-CSF, IL-6)
        const auto& n = p.neutrophils;
        double& blood = state_.neutrophils_e9_per_l;
        double& reserve = state_.neutrophil_reserve_e9_per_l;
        const double k_blood = rate(n.blood_half_life_h) * kHoursPerDay;
        const double production = n.count_e9_per_l * k_blood * marrow_factor(n.suppression, d);
        const double release = feedback(n.count_e9_per_l, blood, n.gcsf_exponent, n.gcsf_max_fold) *
                               (1 + n.il6_mobilization(excess(Cytokine::il6))) /
                               n.reserve_transit_d;
        // The pool's outflow release * R(t) relaxes from release * R0 to production.
        blood = decay_with_relaxing_input(blood, k_blood + s.engulfment_neutrophils_per_day,
                                          release * reserve, production, release, days);
        reserve = relax(reserve, production / release, release, days);
    }
    {  // other leukocytes: lymphopenia from IFN-gamma, glucocorticoids, cytotoxics
        const auto& o = p.other_leukocytes;
        const double target = o.count_e9_per_l * (1 - o.ifng(excess(Cytokine::ifng))) *
                              (1 - o.glucocorticoid_emax * d.glucocorticoid) *
                              (1 - o.myelotoxic_emax * d.myelotoxic);
        state_.other_leukocytes_e9_per_l =
            relax(state_.other_leukocytes_e9_per_l, target, 1 / o.response_time_d, days);
    }
    {  // liver: injury and size follow the activated macrophages
        const auto& l = p.liver;
        const double a = s.activated_macrophage_fraction;
        state_.liver_injury = relax(state_.liver_injury, l.injury(a), 1 / l.injury_time_d, days);
        state_.liver_ratio =
            relax(state_.liver_ratio, 1 + l.enlargement_max * a, 1 / l.size_time_d, days);
    }
    {  // fibrinogen: IL-6 acute phase vs liver injury and consumption
        const auto& f = p.fibrinogen;
        const double k = rate(f.half_life_d);
        const double synthesis = k * f.normal_g_per_l * (1 + f.il6(excess(Cytokine::il6))) *
                                 (1 - f.liver_injury_emax * state_.liver_injury);
        state_.fibrinogen_g_per_l = decay_with_input(
            state_.fibrinogen_g_per_l, synthesis, k + f.consumption_max_per_d * coagulation, days);
    }
    {  // spleen: infiltration by activated macrophages and lymphocytes
        const auto& sp = p.spleen;
        const double target =
            1 + sp.macrophage_max * s.activated_macrophage_fraction +
            sp.cd8_max * hill_fraction(s.activated_cd8_cells, sp.cd8_half_cells, 1.0);
        state_.spleen_ratio = relax(state_.spleen_ratio, target, 1 / sp.size_time_d, days);
    }
}

void SystemicModel::step_chemistry(double hours, const PatchSignals& s) {
    const auto& p = params_;
    {  // ferritin: synthesis by activated macrophages plus hepatic acute phase
        const auto& f = p.ferritin;
        const double steady = f.normal_ng_per_ml +
                              f.macrophage_max_ng_per_ml * s.activated_macrophage_fraction +
                              f.il6(excess(Cytokine::il6));
        state_.ferritin_ng_per_ml =
            relax(state_.ferritin_ng_per_ml, steady, rate(f.half_life_h), hours);
    }
    {  // triglycerides: constant hepatic output, clearance by lipoprotein lipase
        const auto& t = p.triglycerides;
        const double k = rate(t.half_life_h);
        const double lpl =
            (1 - t.tnf_lpl(excess(Cytokine::tnf))) * (1 - t.ifng_lpl(excess(Cytokine::ifng)));
        state_.triglycerides_mmol_per_l = decay_with_input(state_.triglycerides_mmol_per_l,
                                                           k * t.normal_mmol_per_l, k * lpl, hours);
    }
    // AST and LDH: released by the injured liver and by engulfed red cells
    for (auto [e, level] :
         {std::pair{&p.ast, &state_.ast_u_per_l}, std::pair{&p.ldh, &state_.ldh_u_per_l}}) {
        const double steady = e->normal_u_per_l + e->liver_max_u_per_l * state_.liver_injury +
                              e->rbc_engulfment_u_d_per_l * s.engulfment_rbc_per_day;
        *level = relax(*level, steady, rate(e->half_life_h), hours);
    }
    {  // sCD25: shed by activated CD8 T cells, more under IL-2
        const auto& c = p.scd25;
        const double k = rate(c.half_life_h);
        const double shed = c.shedding_u_per_cell_h * s.activated_cd8_cells *
                            (1 + c.il2(excess(Cytokine::il2))) / c.volume_ml;
        state_.scd25_u_per_ml =
            relax(state_.scd25_u_per_ml, c.normal_u_per_ml + shed / k, k, hours);
    }
}

void SystemicModel::step_clinical(double hours, const SystemicDrugEffects& d) {
    const auto& t = params_.temperature;
    const double pyrogen = excess(Cytokine::il6) / t.il6_half_pg_per_ml +
                           excess(Cytokine::tnf) / t.tnf_half_pg_per_ml +
                           excess(Cytokine::ifng) / t.ifng_half_pg_per_ml +
                           excess(Cytokine::il18) / t.il18_half_pg_per_ml;
    const double fever = t.max_rise_k * hill_fraction(pyrogen, 1.0, t.hill) *
                         (1 - t.glucocorticoid_emax * d.glucocorticoid);
    state_.temperature_c =
        relax(state_.temperature_c, t.normal_c + fever, 1 / t.response_time_h, hours);
}

ClinicalState SystemicModel::clinical() const {
    ClinicalState c;
    c.temperature_c = state_.temperature_c;
    c.hemoglobin_g_per_l = state_.hemoglobin_g_per_l;
    c.platelets_e9_per_l = state_.platelets_e9_per_l;
    c.neutrophils_e9_per_l = state_.neutrophils_e9_per_l;
    c.wbc_e9_per_l = wbc_e9_per_l();
    c.ferritin_ng_per_ml = state_.ferritin_ng_per_ml;
    c.triglycerides_mmol_per_l = state_.triglycerides_mmol_per_l;
    c.fibrinogen_g_per_l = state_.fibrinogen_g_per_l;
    c.scd25_u_per_ml = state_.scd25_u_per_ml;
    c.ast_iu_per_l = state_.ast_u_per_l;
    c.ldh_u_per_l = state_.ldh_u_per_l;
    c.spleen_enlarged = state_.spleen_ratio > params_.spleen.enlarged_ratio;
    c.liver_enlarged = state_.liver_ratio > params_.liver.enlarged_ratio;
    c.hemophagocytosis =
        state_.hemophagocytic_fraction > 0 &&
        state_.hemophagocytic_fraction >= params_.findings.hemophagocytosis_fraction;
    c.nk_activity_low = params_.findings.nk_activity_low;
    c.known_immunosuppression = params_.findings.known_immunosuppression;
    return c;
}

CirculatingPools SystemicModel::circulating_cells() const {
    const double litres = params_.blood_volume_ml / 1000;
    CirculatingPools pools;
    pools.rbc = state_.hemoglobin_g_per_l / (params_.red_cells.mch_pg * 1e-12) * litres;
    pools.platelets = state_.platelets_e9_per_l * 1e9 * litres;
    pools.neutrophils = state_.neutrophils_e9_per_l * 1e9 * litres;
    return pools;
}

void SystemicModel::set_state(const SystemicState& s) {
    const double values[] = {s.time_h,
                             s.hemoglobin_g_per_l,
                             s.rbc_production_g_per_l_d,
                             s.platelets_e9_per_l,
                             s.platelet_production_e9_per_l_d,
                             s.neutrophils_e9_per_l,
                             s.neutrophil_reserve_e9_per_l,
                             s.other_leukocytes_e9_per_l,
                             s.ferritin_ng_per_ml,
                             s.triglycerides_mmol_per_l,
                             s.fibrinogen_g_per_l,
                             s.liver_injury,
                             s.ast_u_per_l,
                             s.ldh_u_per_l,
                             s.scd25_u_per_ml,
                             s.temperature_c,
                             s.spleen_ratio,
                             s.liver_ratio,
                             s.hemophagocytic_fraction};
    for (double v : values) check_input(v, "state value");
    for (double v : s.plasma_pg_per_ml) check_input(v, "plasma level");
    state_ = s;
}

}  // namespace hlhsim::models
