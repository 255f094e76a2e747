#include "models/systemic/systemic_params.hpp"

#include <fmt/format.h>

#include <optional>
#include <string>
#include <string_view>

#include "sim/config/section.hpp"
#include "sim/core/errors.hpp"

namespace hlhsim::models {
namespace {

using config::Section;

/// The default of a key as YAML text, from the struct initialiser.
std::string def(double value, std::string_view unit) {
    return unit.empty() ? fmt::format("{:.6g}", value) : fmt::format("{:.6g} {}", value, unit);
}

/// Reads a quantity in `unit` whose default is `value`; min 0 unless given.
void qty(Section& s, const std::string& key, std::string_view unit, double& value,
         const std::string& doc, double min = 0) {
    value = s.quantity(key, unit, {.def = def(value, unit), .min = min, .doc = doc});
}

/// A time read in `unit` (h or d) with a nicer default when it is shorter than an hour.
void duration(Section& s, const std::string& key, std::string_view unit, double& value,
              const std::string& doc) {
    std::string text = def(value, unit);
    if (unit == "h" && value < 1) text = def(value * 60, "min");
    value = s.quantity(key, unit, {.def = text, .min = 1e-9, .doc = doc});
}

void num(Section& s, const std::string& key, double& value, const std::string& doc, double min = 0,
         std::optional<double> max = std::nullopt) {
    value = s.number(key, {.def = value, .min = min, .max = max, .doc = doc});
}

/// {ec50 [signal_unit], hill, emax [emax_unit, or a number when empty]}.
void hill(Section& parent, const std::string& key, std::string_view signal_unit,
          std::string_view emax_unit, HillResponse& h, const std::string& doc,
          std::optional<double> emax_max = std::nullopt) {
    Section s = parent.section(key, {.doc = doc});
    if (signal_unit.empty()) {
        num(s, "ec50", h.ec50, "signal for half the maximal effect", 1e-12);
    } else {
        h.ec50 = s.quantity("ec50", signal_unit,
                            {.def = def(h.ec50, signal_unit),
                             .min = 1e-12,
                             .doc = "signal for half the maximal effect"});
    }
    num(s, "hill", h.hill, "Hill coefficient (steepness)", 1e-3, 10.0);
    if (emax_unit.empty()) {
        num(s, "emax", h.emax, "maximal effect", 0, emax_max);
    } else {
        qty(s, "emax", emax_unit, h.emax, "maximal effect");
    }
    h.baseline = 0;
}

void suppression(Section& parent, LineageSuppression& l) {
    Section s = parent.section("suppression",
                               {.doc = "fraction of marrow production removed at full effect"});
    num(s, "ifng_emax", l.ifng_emax, "by plasma IFN-gamma", 0, 1.0);
    num(s, "tnf_emax", l.tnf_emax, "by plasma TNF", 0, 1.0);
    num(s, "jak2_emax", l.jak2_emax, "by full JAK2 inhibition (EPO/TPO/G-CSF signalling)", 0, 1.0);
    num(s, "myelotoxic_emax", l.myelotoxic_emax, "by full cytotoxic marrow effect", 0, 1.0);
}

void enzyme(Section& parent, const std::string& key, EnzymeParams& e, const std::string& doc) {
    Section s = parent.section(key, {.doc = doc});
    qty(s, "normal", "U/L", e.normal_u_per_l, "normal level");
    duration(s, "half_life", "h", e.half_life_h, "plasma half-life");
    qty(s, "liver_max", "U/L", e.liver_max_u_per_l, "steady-state rise at liver injury 1");
    qty(s, "rbc_engulfment", "U*d/L", e.rbc_engulfment_u_d_per_l,
        "steady-state rise per unit of red-cell engulfment rate (fraction per day)");
}

void read_cytokines(Section& root, SystemicParams& p) {
    Section all = root.section("cytokines", {.doc = "plasma cytokines, one compartment each"});
    for (Cytokine c : kAllCytokines) {
        auto& cp = p.cytokines[static_cast<std::size_t>(c)];
        Section s = all.section(std::string(cytokine_name(c)), {.doc = "plasma cytokine"});
        duration(s, "half_life", "h", cp.half_life_h, "plasma elimination half-life");
        qty(s, "volume", "mL", cp.volume_ml, "distribution volume", 1e-9);
        qty(s, "basal", "pg/mL", cp.basal_pg_per_ml, "level without inflammation");
    }
}

void read_blood(Section& root, SystemicParams& p) {
    qty(root, "blood_volume", "mL", p.blood_volume_ml, "blood volume", 1e-9);
    {
        Section s = root.section("marrow", {.doc = "cytokine potency on progenitors"});
        qty(s, "ifng_ec50", "pg/mL", p.marrow.ifng_ec50_pg_per_ml, "IFN-gamma half-max", 1e-12);
        num(s, "ifng_hill", p.marrow.ifng_hill, "Hill coefficient", 1e-3, 10.0);
        qty(s, "tnf_ec50", "pg/mL", p.marrow.tnf_ec50_pg_per_ml, "TNF half-max", 1e-12);
        num(s, "tnf_hill", p.marrow.tnf_hill, "Hill coefficient", 1e-3, 10.0);
    }
    {
        auto& r = p.red_cells;
        Section s = root.section("red_cells", {.doc = "red-cell mass as haemoglobin"});
        qty(s, "hemoglobin", "g/L", r.hemoglobin_g_per_l, "normal haemoglobin", 1e-9);
        duration(s, "lifespan", "d", r.lifespan_d, "red-cell lifespan");
        duration(s, "precursor_time", "d", r.precursor_time_d, "erythroid marrow lag");
        num(s, "epo_exponent", r.epo_exponent, "EPO drive (Hb_normal/Hb)^exponent");
        num(s, "epo_max_fold", r.epo_max_fold, "largest production over normal", 1.0);
        qty(s, "mch", "pg", r.mch_pg, "haemoglobin per red cell", 1e-9);
        suppression(s, r.suppression);
    }
    {
        auto& q = p.platelets;
        Section s = root.section("platelets", {.doc = "circulating platelets"});
        qty(s, "count", "1/nL", q.count_e9_per_l, "normal count (1/nL = 10^9/L)", 1e-9);
        duration(s, "lifespan", "d", q.lifespan_d, "platelet lifespan");
        duration(s, "precursor_time", "d", q.precursor_time_d, "megakaryocyte lag");
        num(s, "tpo_exponent", q.tpo_exponent, "TPO drive (P_normal/P)^exponent");
        num(s, "tpo_max_fold", q.tpo_max_fold, "largest production over normal", 1.0);
        qty(s, "consumption_max", "1/d", q.consumption_max_per_d,
            "consumption at full coagulation activation");
        suppression(s, q.suppression);
    }
    {
        auto& n = p.neutrophils;
        Section s = root.section("neutrophils", {.doc = "marrow storage pool and blood"});
        qty(s, "count", "1/nL", n.count_e9_per_l, "normal count (1/nL = 10^9/L)", 1e-9);
        duration(s, "blood_half_life", "h", n.blood_half_life_h, "half-life in blood");
        duration(s, "reserve_transit", "d", n.reserve_transit_d, "mean stay in storage pool");
        num(s, "gcsf_exponent", n.gcsf_exponent, "G-CSF release drive (N_normal/N)^exponent");
        num(s, "gcsf_max_fold", n.gcsf_max_fold, "largest release over normal", 1.0);
        hill(s, "il6_mobilization", "pg/mL", "", n.il6_mobilization,
             "IL-6 excess -> extra release (emax: fold)");
        suppression(s, n.suppression);
    }
    {
        auto& o = p.other_leukocytes;
        Section s = root.section("other_leukocytes",
                                 {.doc = "lymphocytes, monocytes, eosinophils, basophils"});
        qty(s, "count", "1/nL", o.count_e9_per_l, "normal count (1/nL = 10^9/L)");
        duration(s, "response_time", "d", o.response_time_d, "time constant");
        hill(s, "ifng", "pg/mL", "", o.ifng, "IFN-gamma excess -> fraction lost", 1.0);
        num(s, "glucocorticoid_emax", o.glucocorticoid_emax, "fraction lost", 0, 1.0);
        num(s, "myelotoxic_emax", o.myelotoxic_emax, "fraction lost", 0, 1.0);
    }
}

void read_chemistry(Section& root, SystemicParams& p) {
    {
        Section s = root.section("coagulation", {.doc = "activation by activated macrophages"});
        num(s, "activation_ec50", p.coagulation.activation_ec50,
            "activated-macrophage fraction for half activation", 1e-9, 1.0);
        num(s, "activation_hill", p.coagulation.activation_hill, "Hill coefficient", 1e-3, 10.0);
    }
    {
        auto& f = p.ferritin;
        Section s = root.section("ferritin", {.doc = "serum ferritin"});
        qty(s, "normal", "ng/mL", f.normal_ng_per_ml, "normal level");
        duration(s, "half_life", "h", f.half_life_h, "serum half-life");
        qty(s, "macrophage_max", "ng/mL", f.macrophage_max_ng_per_ml,
            "steady-state rise when every macrophage is activated");
        hill(s, "il6", "pg/mL", "ng/mL", f.il6, "IL-6 excess -> hepatic acute-phase rise");
    }
    {
        auto& t = p.triglycerides;
        Section s = root.section("triglycerides", {.doc = "fasting triglycerides"});
        qty(s, "normal", "mmol/L", t.normal_mmol_per_l, "normal level", 1e-9);
        duration(s, "half_life", "h", t.half_life_h, "turnover half-life at normal LPL");
        hill(s, "tnf_lpl", "pg/mL", "", t.tnf_lpl, "TNF excess -> LPL activity lost", 0.99);
        hill(s, "ifng_lpl", "pg/mL", "", t.ifng_lpl, "IFN-gamma excess -> LPL lost", 0.99);
    }
    {
        auto& f = p.fibrinogen;
        Section s = root.section("fibrinogen", {.doc = "plasma fibrinogen"});
        qty(s, "normal", "g/L", f.normal_g_per_l, "normal level", 1e-9);
        duration(s, "half_life", "d", f.half_life_d, "plasma half-life");
        hill(s, "il6", "pg/mL", "", f.il6, "IL-6 excess -> acute-phase synthesis (emax: fold)");
        num(s, "liver_injury_emax", f.liver_injury_emax, "synthesis lost at injury 1", 0, 1.0);
        qty(s, "consumption_max", "1/d", f.consumption_max_per_d,
            "consumption at full coagulation activation");
    }
    {
        auto& l = p.liver;
        Section s = root.section("liver", {.doc = "liver injury and size"});
        hill(s, "injury", "", "", l.injury, "activated-macrophage fraction -> injury", 1.0);
        duration(s, "injury_time", "d", l.injury_time_d, "injury time constant");
        num(s, "enlargement_max", l.enlargement_max, "size ratio rise at activated fraction 1");
        num(s, "enlarged_ratio", l.enlarged_ratio, "hepatomegaly above this size ratio", 1.0);
        duration(s, "size_time", "d", l.size_time_d, "size time constant");
    }
    enzyme(root, "ast", p.ast, "aspartate aminotransferase");
    enzyme(root, "ldh", p.ldh, "lactate dehydrogenase");
    {
        auto& c = p.scd25;
        Section s = root.section("scd25", {.doc = "soluble IL-2 receptor alpha"});
        qty(s, "normal", "U/mL", c.normal_u_per_ml, "normal level");
        duration(s, "half_life", "h", c.half_life_h, "plasma half-life");
        qty(s, "volume", "mL", c.volume_ml, "distribution volume", 1e-9);
        qty(s, "shedding", "U/cell/h", c.shedding_u_per_cell_h, "per activated CD8 T cell");
        hill(s, "il2", "pg/mL", "", c.il2, "IL-2 excess -> extra shedding (emax: fold)");
    }
}

void read_clinical(Section& root, SystemicParams& p) {
    {
        auto& t = p.temperature;
        Section s = root.section("temperature", {.doc = "core temperature"});
        t.normal_c = s.quantity(
            "normal", "C",
            {.def = def(t.normal_c, "C"), .min = 30, .max = 40, .doc = "normal core temperature"});
        qty(s, "max_rise", "K", t.max_rise_k, "fever at saturating pyrogens (1 K = 1 C)");
        qty(s, "il6_half", "pg/mL", t.il6_half_pg_per_ml, "IL-6 excess for half fever", 1e-9);
        qty(s, "tnf_half", "pg/mL", t.tnf_half_pg_per_ml, "TNF excess for half fever", 1e-9);
        qty(s, "ifng_half", "pg/mL", t.ifng_half_pg_per_ml, "IFN-g excess for half fever", 1e-9);
        qty(s, "il18_half", "pg/mL", t.il18_half_pg_per_ml,
            "IL-18 (IL-1 family) excess for half fever", 1e-9);
        num(s, "hill", t.hill, "Hill coefficient of the pyrogen drive", 1e-3, 10.0);
        duration(s, "response_time", "h", t.response_time_h, "time constant");
        num(s, "glucocorticoid_emax", t.glucocorticoid_emax, "fever removed", 0, 1.0);
    }
    {
        auto& sp = p.spleen;
        Section s = root.section("spleen", {.doc = "spleen size ratio"});
        num(s, "macrophage_max", sp.macrophage_max, "size ratio rise at activated fraction 1");
        num(s, "cd8_max", sp.cd8_max, "size ratio rise at saturating activated CD8");
        qty(s, "cd8_half", "cells", sp.cd8_half_cells, "activated CD8 for half", 1e-9);
        num(s, "enlarged_ratio", sp.enlarged_ratio, "splenomegaly above this size ratio", 1.0);
        duration(s, "size_time", "d", sp.size_time_d, "size time constant");
    }
    {
        auto& f = p.findings;
        Section s = root.section("findings", {.doc = "findings and history"});
        num(s, "hemophagocytosis_fraction", f.hemophagocytosis_fraction,
            "hemophagocytic macrophage fraction seen on aspirate", 0, 1.0);
        f.nk_activity_low =
            s.boolean("nk_activity_low", {.def = f.nk_activity_low, .doc = "NK-cell activity low"});
        f.known_immunosuppression =
            s.boolean("known_immunosuppression",
                      {.def = f.known_immunosuppression, .doc = "HScore history item"});
    }
}

void require(bool ok, std::string_view what) {
    if (!ok) throw InputError(fmt::format("systemic parameters: {}", what));
}

void check_suppression(const LineageSuppression& l, std::string_view lineage) {
    for (double e : {l.ifng_emax, l.tnf_emax, l.jak2_emax, l.myelotoxic_emax})
        require(e >= 0 && e <= 1, fmt::format("{} suppression emax must lie in [0, 1]", lineage));
}

void check_hill(const HillResponse& h, std::string_view what) {
    require(h.ec50 > 0 && h.hill > 0 && h.emax >= 0,
            fmt::format("{}: ec50 and hill must be > 0 and emax >= 0", what));
}

}  // namespace

SystemicParams SystemicParams::read(config::Section& s) {
    SystemicParams p;
    read_cytokines(s, p);
    read_blood(s, p);
    read_chemistry(s, p);
    read_clinical(s, p);
    return p;
}

void SystemicParams::validate() const {
    for (Cytokine c : kAllCytokines) {
        const auto& cp = cytokine(c);
        require(cp.half_life_h > 0 && cp.volume_ml > 0 && cp.basal_pg_per_ml >= 0,
                fmt::format("cytokine {}: half-life and volume must be > 0, basal >= 0",
                            cytokine_name(c)));
    }
    require(blood_volume_ml > 0, "blood_volume must be > 0");
    require(marrow.ifng_ec50_pg_per_ml > 0 && marrow.tnf_ec50_pg_per_ml > 0 &&
                marrow.ifng_hill > 0 && marrow.tnf_hill > 0,
            "marrow ec50 and hill must be > 0");
    const auto& r = red_cells;
    require(r.hemoglobin_g_per_l > 0 && r.lifespan_d > 0 && r.precursor_time_d > 0 &&
                r.epo_exponent >= 0 && r.epo_max_fold >= 1 && r.mch_pg > 0,
            "red_cells: invalid value");
    const auto& q = platelets;
    require(q.count_e9_per_l > 0 && q.lifespan_d > 0 && q.precursor_time_d > 0 &&
                q.tpo_exponent >= 0 && q.tpo_max_fold >= 1 && q.consumption_max_per_d >= 0,
            "platelets: invalid value");
    const auto& n = neutrophils;
    require(n.count_e9_per_l > 0 && n.blood_half_life_h > 0 && n.reserve_transit_d > 0 &&
                n.gcsf_exponent >= 0 && n.gcsf_max_fold >= 1,
            "neutrophils: invalid value");
    check_hill(n.il6_mobilization, "neutrophils.il6_mobilization");
    check_suppression(r.suppression, "red_cells");
    check_suppression(q.suppression, "platelets");
    check_suppression(n.suppression, "neutrophils");
    const auto& o = other_leukocytes;
    require(o.count_e9_per_l >= 0 && o.response_time_d > 0 && o.ifng.emax <= 1 &&
                o.glucocorticoid_emax >= 0 && o.glucocorticoid_emax <= 1 &&
                o.myelotoxic_emax >= 0 && o.myelotoxic_emax <= 1,
            "other_leukocytes: invalid value");
    check_hill(o.ifng, "other_leukocytes.ifng");
    require(coagulation.activation_ec50 > 0 && coagulation.activation_hill > 0,
            "coagulation: ec50 and hill must be > 0");
    require(ferritin.normal_ng_per_ml >= 0 && ferritin.half_life_h > 0 &&
                ferritin.macrophage_max_ng_per_ml >= 0,
            "ferritin: invalid value");
    check_hill(ferritin.il6, "ferritin.il6");
    require(triglycerides.normal_mmol_per_l > 0 && triglycerides.half_life_h > 0 &&
                triglycerides.tnf_lpl.emax < 1 && triglycerides.ifng_lpl.emax < 1,
            "triglycerides: invalid value (LPL emax must be < 1)");
    check_hill(triglycerides.tnf_lpl, "triglycerides.tnf_lpl");
    check_hill(triglycerides.ifng_lpl, "triglycerides.ifng_lpl");
    require(fibrinogen.normal_g_per_l > 0 && fibrinogen.half_life_d > 0 &&
                fibrinogen.liver_injury_emax >= 0 && fibrinogen.liver_injury_emax <= 1 &&
                fibrinogen.consumption_max_per_d >= 0,
            "fibrinogen: invalid value");
    check_hill(fibrinogen.il6, "fibrinogen.il6");
    check_hill(liver.injury, "liver.injury");
    require(liver.injury.emax <= 1 && liver.injury_time_d > 0 && liver.enlargement_max >= 0 &&
                liver.enlarged_ratio >= 1 && liver.size_time_d > 0,
            "liver: invalid value");
    for (const EnzymeParams* e : {&ast, &ldh})
        require(e->normal_u_per_l >= 0 && e->half_life_h > 0 && e->liver_max_u_per_l >= 0 &&
                    e->rbc_engulfment_u_d_per_l >= 0,
                "ast/ldh: invalid value");
    require(scd25.normal_u_per_ml >= 0 && scd25.half_life_h > 0 && scd25.volume_ml > 0 &&
                scd25.shedding_u_per_cell_h >= 0,
            "scd25: invalid value");
    check_hill(scd25.il2, "scd25.il2");
    const auto& t = temperature;
    require(t.max_rise_k >= 0 && t.il6_half_pg_per_ml > 0 && t.tnf_half_pg_per_ml > 0 &&
                t.ifng_half_pg_per_ml > 0 && t.il18_half_pg_per_ml > 0 && t.hill > 0 &&
                t.response_time_h > 0 && t.glucocorticoid_emax >= 0 && t.glucocorticoid_emax <= 1,
            "temperature: invalid value");
    require(spleen.macrophage_max >= 0 && spleen.cd8_max >= 0 && spleen.cd8_half_cells > 0 &&
                spleen.enlarged_ratio >= 1 && spleen.size_time_d > 0,
            "spleen: invalid value");
    require(findings.hemophagocytosis_fraction >= 0 && findings.hemophagocytosis_fraction <= 1,
            "findings.hemophagocytosis_fraction must lie in [0, 1]");
}

}  // namespace hlhsim::models
