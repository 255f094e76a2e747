#include "models/treatment/drug.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numbers>

#include "sim/config/section.hpp"
#include "sim/core/errors.hpp"
#include "sim/core/units.hpp"

namespace hlhsim::models::treatment {
namespace {

using config::Section;

constexpr std::array<std::string_view, 4> kRouteNames{"oral", "iv_bolus", "iv_infusion",
                                                      "subcutaneous"};

std::vector<std::string> target_names() {
    return {kEffectTargetNames.begin(), kEffectTargetNames.end()};
}

/// 1 - (1 - exp(-x)) / x, accurate for small x.
double lag_weight(double x) {
    if (x < 1e-4) return x / 2 - x * x / 6;
    return 1 + std::expm1(-x) / x;
}

DrugEffect read_effect(Section& e, double mw, bool has_effect_site) {
    DrugEffect f;
    const std::string target = e.string(
        "target", {.choices = target_names(), .doc = "the model behaviour the drug acts on"});
    const auto it = std::find(kEffectTargetNames.begin(), kEffectTargetNames.end(), target);
    if (it != kEffectTargetNames.end())
        f.target = static_cast<EffectTarget>(it - kEffectTargetNames.begin());
    const std::string conc =
        e.string("concentration", {.def = "plasma",
                                   .choices = {"plasma", "unbound", "effect_site"},
                                   .doc = "total plasma, unbound plasma, or effect-site"});
    f.concentration = conc == "unbound"       ? Concentration::kUnbound
                      : conc == "effect_site" ? Concentration::kEffectSite
                                              : Concentration::kPlasma;
    if (f.concentration == Concentration::kEffectSite && !has_effect_site)
        e.error("concentration", "effect_site needs pk.effect_site_half_life (or pk.ke0)");
    const bool ic = e.has("ic50"), ec = e.has("ec50");
    if (ic == ec) {
        e.error(ic ? "ec50" : "target", "give exactly one of ic50 and ec50 (e.g. \"281 nM\")");
    } else {
        const std::string key = ic ? "ic50" : "ec50";
        const std::string text =
            e.string(key, {.doc = "half-maximal concentration: nM, or mass/volume (uses MW)"});
        try {
            f.c50_nm = concentration_to_nm(text, mw);
            if (!(f.c50_nm > 0)) e.error(key, "must be > 0");
        } catch (const InputError& err) {
            e.error(key, err.what());
        }
    }
    f.hill = e.number("hill", {.def = 1, .min = 0.05, .max = 20, .doc = "Hill coefficient"});
    if (is_rate_target(f.target)) {
        f.emax = 1;
        f.max_rate = e.quantity("max_rate", "1/min",
                                {.min = 0, .doc = "kill rate at saturating drug (e.g. 0.3 1/h)"});
    } else {
        f.emax = e.number("emax", {.def = 1, .min = 0, .max = 1, .doc = "maximal fraction"});
    }
    return f;
}

void read_target_clearance(Section& pk, DrugSpec& d) {
    Section tm = pk.section("target_mediated_clearance",
                            {.doc = "clearance depending on a readout (e.g. emapalumab)"});
    if (!tm.present()) return;
    d.clearance_target = tm.string(
        "readout", {.def = "plasma_ifng", .doc = "readout giving the target level [pg/mL]"});
    TargetMediatedClearance c;
    for (Section& p : tm.list("points", {.required = true, .doc = "ascending target levels"})) {
        TargetMediatedClearance::Point pt{};
        pt.target_pg_per_ml =
            p.quantity("level", "pg/mL", {.min = 1e-12, .doc = "target level (total)"});
        pt.cl_l_per_h = p.quantity("clearance", "L/h", {.min = 0, .doc = "clearance there"});
        c.table.push_back(pt);
    }
    d.pk.target_clearance = std::move(c);
}

}  // namespace

double DrugEffect::fraction(double c_nm) const { return hill_fraction(c_nm, c50_nm, hill); }

double DrugEffect::value(double c_nm) const {
    return is_rate_target(target) ? max_rate * fraction(c_nm) : emax * fraction(c_nm);
}

bool DrugSpec::operator==(const DrugSpec& o) const {
    auto tm = [](const PkParams& p) {
        std::vector<double> v;
        if (p.target_clearance)
            for (const auto& pt : p.target_clearance->table)
                v.insert(v.end(), {pt.target_pg_per_ml, pt.cl_l_per_h});
        return v;
    };
    const PkParams &a = pk, &b = o.pk;
    return name == o.name && a.route == b.route && a.bioavailability == b.bioavailability &&
           a.ka_per_h == b.ka_per_h && a.v_central_l == b.v_central_l &&
           a.cl_l_per_h == b.cl_l_per_h && a.q_l_per_h == b.q_l_per_h &&
           a.v_peripheral_l == b.v_peripheral_l && a.fraction_unbound == b.fraction_unbound &&
           a.mw_g_per_mol == b.mw_g_per_mol && tm(a) == tm(b) && infusion_h == o.infusion_h &&
           ke0_per_h == o.ke0_per_h && clearance_target == o.clearance_target &&
           effects == o.effects;
}

std::vector<std::string> route_names() { return {kRouteNames.begin(), kRouteNames.end()}; }

Route route_from_name(std::string_view name) {
    const auto it = std::find(kRouteNames.begin(), kRouteNames.end(), name);
    if (it == kRouteNames.end()) throw InputError(fmt::format("unknown route '{}'", name));
    return static_cast<Route>(it - kRouteNames.begin());
}

double concentration_to_nm(std::string_view text, double mw_g_per_mol) {
    const Quantity q = parse_quantity(text);
    const Dimension molar = parse_unit("nM").dim;
    const Dimension mass = parse_unit("mg/L").dim;
    if (q.dim() == molar) return q.in("nM");
    if (q.dim() == mass) {
        if (!(mw_g_per_mol > 0)) throw UnitError("a mass concentration needs the molar mass");
        return q.in("mg/L") / mw_g_per_mol * 1e6;  // mg/L / (g/mol) = mmol/m^3 = uM
    }
    throw UnitError(fmt::format("'{}' is not a concentration (nM, uM, or ng/mL, mg/L)", text));
}

DrugSpec read_drug(Section& s, const std::string& name) {
    DrugSpec d;
    d.name = name;
    Section pk = s.section("pk", {.required = true, .doc = "pharmacokinetics"});
    const std::int64_t compartments = pk.integer(
        "compartments", {.def = 1, .min = 1, .max = 2, .doc = "1 or 2 (central + peripheral)"});
    const std::string route = pk.string(
        "route", {.def = "oral", .choices = route_names(), .doc = "usual route of a dose"});
    d.pk.route = route_from_name(route);
    d.pk.bioavailability = pk.quantity("bioavailability", "1",
                                       {.def = "1", .min = 1e-6, .max = 1, .doc = "F, oral/SC"});
    d.pk.ka_per_h = pk.quantity("absorption_rate", "1/h",
                                {.def = "0 1/h", .min = 0, .doc = "ka, first-order absorption"});
    const bool apparent = pk.boolean(
        "apparent", {.def = false, .doc = "volumes and clearances are V/F and CL/F (oral fits)"});
    d.pk.v_central_l = pk.quantity("volume", "L", {.min = 1e-9, .doc = "central volume"});
    if (pk.has("half_life") && pk.has("clearance"))
        pk.error("half_life", "give clearance or half_life, not both");
    if (pk.has("half_life")) {
        const double t = pk.quantity("half_life", "h", {.min = 1e-9, .doc = "elimination t1/2"});
        if (compartments == 2) pk.error("half_life", "two compartments: give clearance");
        d.pk.cl_l_per_h = clearance_from_half_life(d.pk.v_central_l, t);
    } else {
        d.pk.cl_l_per_h =
            pk.quantity("clearance", "L/h", {.def = "0 L/h", .min = 0, .doc = "linear clearance"});
    }
    if (compartments == 2) {
        d.pk.v_peripheral_l =
            pk.quantity("peripheral_volume", "L", {.min = 1e-9, .doc = "peripheral volume"});
        d.pk.q_l_per_h = pk.quantity("intercompartmental_clearance", "L/h",
                                     {.min = 1e-12, .doc = "Q, distribution clearance"});
    }
    if (apparent) {
        const double f = d.pk.bioavailability;
        d.pk.v_central_l *= f, d.pk.cl_l_per_h *= f, d.pk.v_peripheral_l *= f, d.pk.q_l_per_h *= f;
    }
    d.pk.fraction_unbound =
        1 - pk.quantity("protein_binding", "1",
                        {.def = "0 %", .min = 0, .max = 0.9999, .doc = "bound fraction"});
    d.pk.mw_g_per_mol =
        pk.quantity("molecular_weight", "g/mol", {.min = 1e-9, .doc = "molar mass"});
    d.infusion_h = pk.quantity("infusion_duration", "h",
                               {.def = "0 h", .min = 0, .doc = "for route iv_infusion"});
    if (d.pk.route == Route::iv_infusion && !(d.infusion_h > 0))
        pk.error("infusion_duration", "route iv_infusion needs infusion_duration > 0");
    if (pk.has("effect_site_half_life") && pk.has("ke0"))
        pk.error("ke0", "give effect_site_half_life or ke0, not both");
    if (pk.has("effect_site_half_life"))
        d.ke0_per_h = std::numbers::ln2 /
                      pk.quantity("effect_site_half_life", "h", {.min = 1e-9, .doc = "ln2 / ke0"});
    else
        d.ke0_per_h = pk.quantity("ke0", "1/h",
                                  {.def = "0 1/h", .min = 0, .doc = "effect-site rate, 0 = none"});
    read_target_clearance(pk, d);
    if (!(d.pk.cl_l_per_h > 0) && !d.pk.target_clearance)
        pk.error("clearance", "needs a clearance > 0 (or target_mediated_clearance)");
    const bool extravascular = d.pk.route == Route::oral || d.pk.route == Route::subcutaneous;
    if (extravascular && !(d.pk.ka_per_h > 0))
        pk.error("absorption_rate", "route " + route + " needs absorption_rate > 0");
    if (!s.context().has_errors()) {
        try {
            d.pk.validate();
        } catch (const InputError& e) {
            pk.error("volume", e.what());
        }
    }
    for (Section& e : s.list("effects", {.required = true, .doc = "pharmacodynamic effects"}))
        d.effects.push_back(read_effect(e, d.pk.mw_g_per_mol, d.ke0_per_h > 0));
    if (d.effects.empty()) s.error("effects", "a drug needs at least one effect");
    return d;
}

DrugState::DrugState(const DrugSpec& spec) : spec_(&spec), pk_(spec.pk) {}

void DrugState::advance_to(double time_h, double target) {
    double left = time_h - time_h_;
    if (!(left > 0)) return;
    if (spec_->pk.target_clearance) pk_.set_target_level(target);
    if (!(spec_->ke0_per_h > 0)) {
        pk_.advance(left);
        time_h_ = time_h;
        return;
    }
    const int n = static_cast<int>(std::ceil(left / kEffectSubstepH - 1e-9));
    const double h = left / n;
    const double x = spec_->ke0_per_h * h;
    const double decay = std::exp(-x), w = lag_weight(x);
    for (int i = 0; i < n; ++i) {
        const double a = plasma_nm();
        pk_.advance(h);
        const double b = plasma_nm();
        // dCe/dt = ke0 (Cp - Ce) with Cp linear from a to b over the step, solved exactly.
        effect_site_nm_ = effect_site_nm_ * decay + a * (1 - decay) + (b - a) * w;
    }
    time_h_ = time_h;
}

void DrugState::dose(double mg, Route route, double infusion_h) { pk_.dose(mg, route, infusion_h); }

double DrugState::concentration_nm(Concentration c) const {
    switch (c) {
        case Concentration::kUnbound:
            return unbound_nm();
        case Concentration::kEffectSite:
            return effect_site_nm();
        case Concentration::kPlasma:
            break;
    }
    return plasma_nm();
}

double DrugState::effect(std::size_t k) const {
    const DrugEffect& e = spec_->effects[k];
    return e.value(concentration_nm(e.concentration));
}

double DrugState::main_effect_fraction() const {
    if (spec_->effects.empty()) return 0;
    const DrugEffect& e = spec_->effects.front();
    const double f = e.fraction(concentration_nm(e.concentration));
    return is_rate_target(e.target) ? f : e.emax * f;
}

}  // namespace hlhsim::models::treatment
