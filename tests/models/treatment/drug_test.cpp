#include "models/treatment/drug.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

#include "sim/core/errors.hpp"
#include "tests/models/treatment/treatment_test_util.hpp"

namespace hlhsim::models::treatment {
namespace {

using testing::shipped_drug;
using testing::Yaml;
namespace cf = pk_closed_form;

double rel(double a, double b) { return std::abs(a - b) / std::abs(b); }

struct Profile {
    double cmax_nm = 0, tmax_h = 0, auc_mg_h_per_l = 0;
};

/// One dose at t = 0 sampled every dt [h] to t_end: peak, its time, trapezoid AUC.
Profile single_dose(const DrugSpec& d, double mg, Route route, double dt, double t_end) {
    DrugState s(d);
    s.dose(mg, route, 0);
    Profile p;
    double prev = 0;
    for (int i = 1; i <= static_cast<int>(std::lround(t_end / dt)); ++i) {
        s.advance_to(i * dt);
        const double c = s.pk().concentration_mg_per_l();
        p.auc_mg_h_per_l += 0.5 * (prev + c) * dt;
        if (s.plasma_nm() > p.cmax_nm) p.cmax_nm = s.plasma_nm(), p.tmax_h = i * dt;
        prev = c;
    }
    return p;
}

// Ruxolitinib from configs/drugs: one-compartment oral fit ka 3.75/h, V/F 64 L,
// CL/F 17.7 L/h, F 0.95, MW 306.4 (biology.md section 3).
TEST(Drug, RuxolitinibFromYamlMatchesClosedFormsAndPublishedRanges) {
    const DrugSpec rux = shipped_drug("ruxolitinib");
    EXPECT_NEAR(rux.pk.v_central_l, 0.95 * 64, 1e-12);  // apparent values times F
    EXPECT_NEAR(rux.pk.fraction_unbound, 0.03, 1e-12);
    const double k = 17.7 / 64;
    for (double mg : {5.0, 10.0}) {
        const Profile p = single_dose(rux, mg, Route::oral, 0.001, 48);
        const double tmax = cf::oral_tmax_h(3.75, k);
        const double cmax = cf::oral_cmax(mg, 1, 3.75, 64, 17.7) / 306.4 * 1e6;  // nM
        const double auc = mg / 17.7;  // F D / CL = D / (CL/F) [mg h/L]
        std::printf(
            "ruxolitinib %g mg: Cmax %.1f nM (analytic %.1f) at %.3f h (%.3f), AUC %.4f "
            "mg h/L (%.4f)\n",
            mg, p.cmax_nm, cmax, p.tmax_h, tmax, p.auc_mg_h_per_l, auc);
        EXPECT_LT(rel(p.cmax_nm, cmax), 0.05);
        EXPECT_LT(rel(p.tmax_h, tmax), 0.05);
        EXPECT_LT(rel(p.auc_mg_h_per_l, auc), 0.05);
        // Published: tmax 0.5-2 h; Cmax ~205 nM after 5 mg, dose-proportional.
        EXPECT_GT(p.tmax_h, 0.5);
        EXPECT_LT(p.tmax_h, 2.0);
        EXPECT_GT(p.cmax_nm, 0.75 * 205 * mg / 5);
        EXPECT_LT(p.cmax_nm, 1.25 * 205 * mg / 5);
    }
    // Elimination half-life 2-3 h.
    const double t_half = terminal_half_life_h(rux.pk.cl_l_per_h, rux.pk.v_central_l);
    EXPECT_GT(t_half, 2.0);
    EXPECT_LT(t_half, 3.0);
}

// Etoposide: two compartments, IV. A bolus decays as D/Vc (A e^-at + B e^-bt).
TEST(Drug, EtoposideIvBolusDecaysBiexponentially) {
    const DrugSpec eto = shipped_drug("etoposide");
    const PkParams& p = eto.pk;
    const double k10 = p.cl_l_per_h / p.v_central_l, k12 = p.q_l_per_h / p.v_central_l,
                 k21 = p.q_l_per_h / p.v_peripheral_l;
    const double sum = k10 + k12 + k21, disc = std::sqrt(sum * sum - 4 * k10 * k21);
    const double a = (sum + disc) / 2, b = (sum - disc) / 2;
    const double dose = 150 * 1.65;
    DrugState s(eto);
    s.dose(dose, Route::iv_bolus, 0);
    double worst = 0;
    for (double t : {0.25, 1.0, 3.0, 6.0, 12.0, 24.0, 48.0}) {
        s.advance_to(t);
        const double exact = dose / p.v_central_l *
                             ((a - k21) * std::exp(-a * t) + (k21 - b) * std::exp(-b * t)) /
                             (a - b);
        worst = std::max(worst, rel(s.pk().concentration_mg_per_l(), exact));
    }
    EXPECT_LT(worst, 1e-9);
    // Published (biology.md): terminal t1/2 4-11 h; CL 16-36 mL/min/m^2 (BSA 1.65).
    const double t_half = std::numbers::ln2 / b;
    std::printf("etoposide: distribution t1/2 %.2f h, terminal t1/2 %.2f h, CL %.1f mL/min/m^2\n",
                std::numbers::ln2 / a, t_half, p.cl_l_per_h * 1000 / 60 / 1.65);
    EXPECT_GT(t_half, 4.0);
    EXPECT_LT(t_half, 11.0);
    EXPECT_GT(p.cl_l_per_h * 1000 / 60 / 1.65, 16.0);
    EXPECT_LT(p.cl_l_per_h * 1000 / 60 / 1.65, 36.0);
}

// Dexamethasone: the effect site follows plasma slowly, so its effect lags a dose and
// outlasts the plasma level (biology.md: plasma t1/2 3.6 h, effect 36-54 h).
TEST(Drug, DexamethasoneEffectLagsAndOutlastsPlasma) {
    const DrugSpec dex = shipped_drug("dexamethasone");
    ASSERT_GT(dex.ke0_per_h, 0);
    DrugState s(dex);
    s.dose(16.5, Route::oral, 0);
    double cp_max = 0, ce_max = 0, tp = 0, te = 0;
    for (int i = 1; i <= 96 * 10; ++i) {
        s.advance_to(i * 0.1);
        if (s.plasma_nm() > cp_max) cp_max = s.plasma_nm(), tp = i * 0.1;
        if (s.effect_site_nm() > ce_max) ce_max = s.effect_site_nm(), te = i * 0.1;
    }
    std::printf(
        "dexamethasone 16.5 mg: plasma peak %.0f nM at %.1f h, effect site peak %.1f nM "
        "at %.1f h\n",
        cp_max, tp, ce_max, te);
    EXPECT_LT(tp, 3.0);
    EXPECT_GT(te, 5 * tp);  // the effect lags
    DrugState at48(dex);
    at48.dose(16.5, Route::oral, 0);
    at48.advance_to(48);
    EXPECT_LT(at48.plasma_nm(), 0.001 * cp_max);      // plasma gone (13 half-lives)
    EXPECT_GT(at48.effect_site_nm(), 0.25 * ce_max);  // the effect is not
    EXPECT_GT(at48.effect(0), 0.1);
}

// The effect site is integrated in sub-steps: long calls agree with short ones.
TEST(Drug, EffectSiteDoesNotDependOnCallLength) {
    const DrugSpec dex = shipped_drug("dexamethasone");
    DrugState fine(dex), coarse(dex);
    fine.dose(10, Route::oral, 0);
    coarse.dose(10, Route::oral, 0);
    for (int i = 1; i <= 4800; ++i) fine.advance_to(i * 0.005);
    for (int i = 1; i <= 4; ++i) coarse.advance_to(i * 6.0);
    EXPECT_LT(rel(coarse.effect_site_nm(), fine.effect_site_nm()), 1e-3);
    EXPECT_NEAR(coarse.plasma_nm(), fine.plasma_nm(), 1e-9 * fine.plasma_nm());
}

TEST(Drug, ConcentrationsConvertThroughTheMolarMass) {
    EXPECT_DOUBLE_EQ(concentration_to_nm("281 nM", 0), 281);
    EXPECT_NEAR(concentration_to_nm("0.5 uM", 0), 500, 1e-9);
    // 150 ug/L of cyclosporine (1202.6 g/mol) = 124.7 nM.
    EXPECT_NEAR(concentration_to_nm("150 ug/L", 1202.6), 150 / 1202.6 * 1000, 1e-9);
    EXPECT_THROW(concentration_to_nm("281 mg", 300), UnitError);
    EXPECT_THROW(concentration_to_nm("281 nanoM", 300), UnitError);
}

TEST(Drug, EveryShippedDrugReads) {
    for (const char* name :
         {"etoposide", "ruxolitinib", "dexamethasone", "cyclosporine", "emapalumab"}) {
        const DrugSpec d = shipped_drug(name);
        EXPECT_EQ(d.name, name);
        EXPECT_FALSE(d.effects.empty());
    }
    const DrugSpec ema = shipped_drug("emapalumab");
    ASSERT_TRUE(ema.pk.target_clearance.has_value());
    EXPECT_EQ(ema.clearance_target, "plasma_ifng");
    // Terminal half-life near 22 days when IFN-gamma is low (healthy).
    const double t_half = terminal_half_life_h(ema.pk.cl_l_per_h + 0.002, ema.pk.v_central_l,
                                               ema.pk.q_l_per_h, ema.pk.v_peripheral_l) /
                          24;
    EXPECT_GT(t_half, 15);
    EXPECT_LT(t_half, 30);
    // Cyclosporine: trough of ~200 ug/L on 3 mg/kg BID for 60 kg (HLH-2004 target).
    const DrugSpec csa = shipped_drug("cyclosporine");
    DrugState s(csa);
    for (int d = 0; d < 14; ++d) {
        s.dose(180, Route::oral, 0);
        s.advance_to(12.0 * (d + 1));
    }
    const double trough_ug_per_l = s.pk().concentration_mg_per_l() * 1000;
    EXPECT_GT(trough_ug_per_l, 150);
    EXPECT_LT(trough_ug_per_l, 260);
}

// A drug defined only in YAML (no code) is read and acts on its target.
TEST(Drug, NewDrugNeedsOnlyYaml) {
    Yaml y(R"(
drugs:
  anakinra_like:
    pk: {route: subcutaneous, bioavailability: 95 %, absorption_rate: 0.5 1/h, volume: 20 L,
         half_life: 5 h, molecular_weight: 17300 g/mol}
    effects:
      - {target: jak_tcell, ec50: 100 ng/mL, hill: 1.5, emax: 0.5}
)");
    config::Section root = y.root();
    auto drugs = read_drug_table(root);
    ASSERT_FALSE(y.ctx.has_errors()) << y.errors();
    ASSERT_EQ(drugs.size(), 1u);
    DrugState s(drugs[0]);
    s.dose(100, Route::subcutaneous, 0);
    s.advance_to(4);
    EXPECT_GT(s.plasma_nm(), 0);
    const double c50 = 100.0 / 17300 * 1000;  // 100 ng/mL in nM
    EXPECT_NEAR(drugs[0].effects[0].c50_nm, c50, 1e-9);
    EXPECT_NEAR(s.effect(0), 0.5 * hill_fraction(s.plasma_nm(), c50, 1.5), 1e-15);
    EXPECT_GT(s.effect(0), 0);
}

TEST(Drug, ConfigErrorsAreLocatedAndSuggestFixes) {
    Yaml y(R"(
drugs:
  x:
    pk: {volume: 64 mg, clearance: 1 L/h, molecular_weight: 300 g/mol}
    effects:
      - {target: jak_macrophages, ic50: 281 nM}
      - {target: cycling_kill, ic50: 281 mg, max_rate: 0.1 1/h}
      - {target: calcineurin, concentration: effect_site, ic50: 3 nM}
)",
           "drug.yaml");
    config::Section root = y.root();
    read_drug_table(root);
    const std::string e = y.errors();
    EXPECT_NE(e.find("drug.yaml:4:"), std::string::npos) << e;  // volume in mg
    EXPECT_NE(e.find("volume"), std::string::npos) << e;
    EXPECT_NE(e.find("did you mean 'jak_macrophage'"), std::string::npos) << e;
    EXPECT_NE(e.find("not a concentration"), std::string::npos) << e;
    EXPECT_NE(e.find("effect_site needs"), std::string::npos) << e;
    EXPECT_NE(e.find("absorption_rate"), std::string::npos) << e;  // oral without ka
}

}  // namespace
}  // namespace hlhsim::models::treatment
