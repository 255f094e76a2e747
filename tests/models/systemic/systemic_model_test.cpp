// Calibration targets of the systemic compartment (docs/systemic.md): rest is a normal
// steady state, florid HLH signals give the HLH-2004/HScore picture, recovery follows
// the half-lives, responses are monotone, and 1 h steps are stable and accurate.
#include "models/systemic/systemic_model.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <stdexcept>

#include "models/clinical/hlh2004.hpp"
#include "models/clinical/hscore.hpp"
#include "sim/core/errors.hpp"

namespace hlhsim::models {
namespace {

/// Whole-body secretion [pg/h] that holds plasma at `plasma_pg_per_ml` at steady state.
double secretion_for(const SystemicParams& p, Cytokine c, double plasma_pg_per_ml) {
    const auto& cp = p.cytokine(c);
    return (plasma_pg_per_ml - cp.basal_pg_per_ml) * cp.volume_ml * std::log(2.0) / cp.half_life_h;
}

/// Florid HLH: serum IFN-gamma 2 ng/mL, IL-6 50 pg/mL, IL-10 0.6 ng/mL (Xu et al. 2012),
/// TNF 20, IL-18 5000, IL-2 10 pg/mL; 70% of macrophages activated, 20% hemophagocytic;
/// 4%/day of the circulating cells engulfed (biology.md: 3-5%/day); 1e11 activated CD8 (~500
/// effectors in the patch).
PatchSignals florid(const SystemicParams& p) {
    PatchSignals s;
    s.secretion(Cytokine::ifng) = secretion_for(p, Cytokine::ifng, 2000);
    s.secretion(Cytokine::il6) = secretion_for(p, Cytokine::il6, 50);
    s.secretion(Cytokine::tnf) = secretion_for(p, Cytokine::tnf, 20);
    s.secretion(Cytokine::il10) = secretion_for(p, Cytokine::il10, 600);
    s.secretion(Cytokine::il18) = secretion_for(p, Cytokine::il18, 5000);
    s.secretion(Cytokine::il2) = secretion_for(p, Cytokine::il2, 10);
    s.activated_macrophage_fraction = 0.7;
    s.hemophagocytic_fraction = 0.2;
    s.engulfment_rbc_per_day = 0.04;
    s.engulfment_platelets_per_day = 0.04;
    s.engulfment_neutrophils_per_day = 0.04;
    s.activated_cd8_cells = 1e11;
    return s;
}

void run_days(SystemicModel& m, double days, const PatchSignals& s,
              const SystemicDrugEffects& d = {}) {
    for (int h = 0; h < static_cast<int>(std::lround(days * 24)); ++h) m.step(1.0, s, d);
}

void print(const char* label, const SystemicModel& m) {
    const ClinicalState c = m.clinical();
    std::printf(
        "%s day %.0f: T %.2f C, Hb %.1f g/L, Plt %.1f, ANC %.2f, WBC %.2f, ferritin %.0f, TG "
        "%.2f, fibrinogen %.2f, sCD25 %.0f, AST %.0f, LDH %.0f, spleen %.2f, liver %.2f, "
        "HLH-2004 %d, HScore %d\n",
        label, m.time_h() / 24, c.temperature_c, c.hemoglobin_g_per_l, c.platelets_e9_per_l,
        c.neutrophils_e9_per_l, c.wbc_e9_per_l, c.ferritin_ng_per_ml, c.triglycerides_mmol_per_l,
        c.fibrinogen_g_per_l, c.scd25_u_per_ml, c.ast_iu_per_l, c.ldh_u_per_l,
        m.state().spleen_ratio, m.state().liver_ratio, evaluate_hlh2004(c).count(),
        evaluate_hscore(c).total());
}

TEST(SystemicModel, RestIsANormalSteadyState) {
    SystemicModel m{SystemicParams{}};
    const SystemicState start = m.state();
    run_days(m, 60, PatchSignals{});
    print("rest", m);
    const ClinicalState c = m.clinical();
    EXPECT_TRUE(in_normal_range(c));
    namespace r = normal_range;
    EXPECT_TRUE(in_normal_range(c.temperature_c, r::kTemperatureC));
    EXPECT_TRUE(in_normal_range(c.hemoglobin_g_per_l, r::kHemoglobinGPerL));
    EXPECT_TRUE(in_normal_range(c.platelets_e9_per_l, r::kPlateletsE9PerL));
    EXPECT_TRUE(in_normal_range(c.neutrophils_e9_per_l, r::kNeutrophilsE9PerL));
    EXPECT_TRUE(in_normal_range(c.wbc_e9_per_l, r::kWbcE9PerL));
    EXPECT_TRUE(in_normal_range(c.ferritin_ng_per_ml, r::kFerritinNgPerMl));
    EXPECT_TRUE(in_normal_range(c.triglycerides_mmol_per_l, r::kTriglyceridesMmolPerL));
    EXPECT_TRUE(in_normal_range(c.fibrinogen_g_per_l, r::kFibrinogenGPerL));
    EXPECT_TRUE(in_normal_range(c.scd25_u_per_ml, r::kScd25UPerMl));
    EXPECT_TRUE(in_normal_range(c.ldh_u_per_l, r::kLdhUPerL));
    EXPECT_TRUE(in_normal_range(c.ast_iu_per_l, r::kAstIuPerL));
    EXPECT_FALSE(c.spleen_enlarged || c.liver_enlarged || c.hemophagocytosis);
    EXPECT_EQ(evaluate_hlh2004(c).count(), 0);
    EXPECT_EQ(evaluate_hscore(c).total(), 0);
    // A steady state, not a slow drift: 60 days change nothing.
    const SystemicState& end = m.state();
    EXPECT_NEAR(end.hemoglobin_g_per_l, start.hemoglobin_g_per_l, 1e-9);
    EXPECT_NEAR(end.platelets_e9_per_l, start.platelets_e9_per_l, 1e-9);
    EXPECT_NEAR(end.neutrophils_e9_per_l, start.neutrophils_e9_per_l, 1e-9);
    EXPECT_NEAR(end.neutrophil_reserve_e9_per_l, start.neutrophil_reserve_e9_per_l, 1e-9);
    EXPECT_NEAR(end.ferritin_ng_per_ml, start.ferritin_ng_per_ml, 1e-9);
    EXPECT_NEAR(end.fibrinogen_g_per_l, start.fibrinogen_g_per_l, 1e-9);
    EXPECT_NEAR(end.temperature_c, start.temperature_c, 1e-9);
    EXPECT_DOUBLE_EQ(m.time_h(), 60 * 24);
}

TEST(SystemicModel, FloridSignalsMeetHlh2004AndHScore) {
    SystemicModel m{SystemicParams{}};
    const PatchSignals s = florid(m.params());
    for (int week = 1; week <= 3; ++week) {
        run_days(m, 7, s);
        print("florid", m);
        if (week < 2) continue;
        const ClinicalState c = m.clinical();
        EXPECT_LT(c.platelets_e9_per_l, 100);
        EXPECT_LT(c.neutrophils_e9_per_l, 1.0);
        EXPECT_LT(c.hemoglobin_g_per_l, 90);
        EXPECT_GT(c.ferritin_ng_per_ml, 10000);
        EXPECT_LT(c.ferritin_ng_per_ml, 100000);  // tens of thousands
        EXPECT_LE(c.fibrinogen_g_per_l, 1.5);
        EXPECT_GE(c.temperature_c, 38.5);
        EXPECT_GT(c.scd25_u_per_ml, 2400);
        EXPECT_GT(c.ldh_u_per_l, 2 * normal_range::kLdhUPerL.high);
        EXPECT_GE(c.ast_iu_per_l, hscore::kAstIuPerL);
        EXPECT_GE(c.triglycerides_mmol_per_l, hscore::kTriglyceridesLowMmolPerL);
        EXPECT_TRUE(c.spleen_enlarged);
        EXPECT_TRUE(c.hemophagocytosis);
        EXPECT_GE(evaluate_hlh2004(c).count(), 5);
        EXPECT_GT(evaluate_hscore(c).total(), 169);
    }
    // The plasma levels the signals were built for.
    EXPECT_NEAR(m.plasma_pg_per_ml(Cytokine::ifng), 2000, 1e-6);
    EXPECT_NEAR(m.plasma_pg_per_ml(Cytokine::il10), 600, 1e-6);
}

TEST(SystemicModel, HemoglobinFalls30To40PercentInOneToTwoWeeks) {
    SystemicModel m{SystemicParams{}};
    const double hb0 = m.state().hemoglobin_g_per_l;
    const PatchSignals s = florid(m.params());
    int day_30_percent = -1;
    double fall_day7 = 0, fall_day14 = 0;
    for (int day = 1; day <= 14; ++day) {
        run_days(m, 1, s);
        const double fall = 1 - m.state().hemoglobin_g_per_l / hb0;
        if (day_30_percent < 0 && fall >= 0.30) day_30_percent = day;
        if (day == 7) fall_day7 = fall;
        if (day == 14) fall_day14 = fall;
    }
    std::printf("Hb fall: day 7 %.1f%%, day 14 %.1f%%, 30%% reached on day %d\n", 100 * fall_day7,
                100 * fall_day14, day_30_percent);
    EXPECT_GE(day_30_percent, 7);
    EXPECT_LE(day_30_percent, 14);
    EXPECT_GT(fall_day7, 0.15);
    EXPECT_LE(fall_day14, 0.45);
}

TEST(SystemicModel, RecoveryFollowsHalfLives) {
    SystemicModel m{SystemicParams{}};
    run_days(m, 21, florid(m.params()));
    const SystemicState stop = m.state();
    const double f_normal = m.params().ferritin.normal_ng_per_ml;
    ASSERT_LT(stop.fibrinogen_g_per_l, 1.5);
    ASSERT_LT(stop.hemoglobin_g_per_l, 90);

    // Ferritin: production stops with the signals, so the excess halves every 30 h.
    for (int h = 0; h < 30; ++h) m.step(1.0, PatchSignals{});
    const double halved =
        (m.state().ferritin_ng_per_ml - f_normal) / (stop.ferritin_ng_per_ml - f_normal);
    std::printf("ferritin %.0f -> %.0f ng/mL in 30 h (excess ratio %.3f)\n",
                stop.ferritin_ng_per_ml, m.state().ferritin_ng_per_ml, halved);
    EXPECT_NEAR(halved, 0.5, 0.01);
    for (int h = 30; h < 48; ++h) m.step(1.0, PatchSignals{});
    EXPECT_LT(m.state().ferritin_ng_per_ml, 0.5 * stop.ferritin_ng_per_ml);

    // Fibrinogen recovers over days; haemoglobin over weeks (red-cell lifespan).
    int fibrinogen_day = -1, hb_day = -1;
    for (int day = 3; day <= 90; ++day) {
        run_days(m, 1, PatchSignals{});
        if (fibrinogen_day < 0 && m.state().fibrinogen_g_per_l >= 2.0) fibrinogen_day = day;
        if (hb_day < 0 && m.state().hemoglobin_g_per_l >= 120) hb_day = day;
    }
    std::printf("after stop: fibrinogen >= 2 g/L on day %d, Hb >= 120 g/L on day %d\n",
                fibrinogen_day, hb_day);
    EXPECT_GE(fibrinogen_day, 3);
    EXPECT_LE(fibrinogen_day, 10);
    EXPECT_GE(hb_day, 14);
    EXPECT_LE(hb_day, 60);
    EXPECT_TRUE(in_normal_range(m.clinical()));
}

/// Steady readouts after `days` of constant signals and drugs.
ClinicalState settle(const PatchSignals& s, const SystemicDrugEffects& d = {}, double days = 60) {
    SystemicModel m{SystemicParams{}};
    run_days(m, days, s, d);
    return m.clinical();
}

TEST(SystemicModel, MoreIfngLowersCountsMonotonically) {
    const SystemicParams p;
    double hb = HUGE_VAL, plt = HUGE_VAL, anc = HUGE_VAL, tg = 0;
    for (double ifng : {10.0, 100.0, 500.0, 2000.0, 5000.0}) {
        PatchSignals s;
        s.secretion(Cytokine::ifng) = secretion_for(p, Cytokine::ifng, ifng);
        const ClinicalState c = settle(s);
        std::printf("IFN-gamma %.0f pg/mL: Hb %.1f, platelets %.0f, ANC %.2f, TG %.2f\n", ifng,
                    c.hemoglobin_g_per_l, c.platelets_e9_per_l, c.neutrophils_e9_per_l,
                    c.triglycerides_mmol_per_l);
        EXPECT_LT(c.hemoglobin_g_per_l, hb) << ifng;
        EXPECT_LT(c.platelets_e9_per_l, plt) << ifng;
        EXPECT_LT(c.neutrophils_e9_per_l, anc) << ifng;
        EXPECT_GT(c.triglycerides_mmol_per_l, tg) << ifng;
        hb = c.hemoglobin_g_per_l;
        plt = c.platelets_e9_per_l;
        anc = c.neutrophils_e9_per_l;
        tg = c.triglycerides_mmol_per_l;
    }
}

TEST(SystemicModel, MoreMacrophageActivationRaisesFerritinMonotonically) {
    double ferritin = 0, fibrinogen = HUGE_VAL, spleen = 0;
    for (double a : {0.0, 0.1, 0.3, 0.6, 0.9}) {
        PatchSignals s;
        s.activated_macrophage_fraction = a;
        SystemicModel m{SystemicParams{}};
        run_days(m, 14, s);
        EXPECT_GT(m.state().ferritin_ng_per_ml, ferritin) << a;
        EXPECT_LT(m.state().fibrinogen_g_per_l, fibrinogen) << a;
        EXPECT_GT(m.state().spleen_ratio, spleen) << a;
        ferritin = m.state().ferritin_ng_per_ml;
        fibrinogen = m.state().fibrinogen_g_per_l;
        spleen = m.state().spleen_ratio;
    }
    EXPECT_GT(ferritin, 30000);
}

TEST(SystemicModel, Jak2InhibitionLowersHemoglobinAndPlateletsDoseDependently) {
    double hb = HUGE_VAL, plt = HUGE_VAL;
    for (double jak2 : {0.0, 0.1, 0.3, 0.6, 1.0}) {
        const ClinicalState c = settle(PatchSignals{}, {.jak2 = jak2});
        std::printf("jak2 %.1f: Hb %.1f g/L, platelets %.0f, ANC %.2f\n", jak2,
                    c.hemoglobin_g_per_l, c.platelets_e9_per_l, c.neutrophils_e9_per_l);
        EXPECT_LT(c.hemoglobin_g_per_l, hb) << jak2;
        EXPECT_LT(c.platelets_e9_per_l, plt) << jak2;
        hb = c.hemoglobin_g_per_l;
        plt = c.platelets_e9_per_l;
    }
    // Full inhibition halves production, which EPO/TPO feedback partly makes up.
    EXPECT_LT(hb, normal_range::kHemoglobinGPerL.low);
    EXPECT_GT(hb, 60);
}

TEST(SystemicModel, MildInflammationIsAnAcutePhaseNotHlh) {
    const SystemicParams p;
    PatchSignals s;
    s.secretion(Cytokine::il6) = secretion_for(p, Cytokine::il6, 20);
    const ClinicalState c = settle(s, {}, 20);
    EXPECT_GT(c.fibrinogen_g_per_l, p.fibrinogen.normal_g_per_l);  // IL-6 acute-phase rise
    EXPECT_GT(c.ferritin_ng_per_ml, p.ferritin.normal_ng_per_ml);
    EXPECT_LT(c.ferritin_ng_per_ml, 500);
    EXPECT_GT(c.temperature_c, 37.2);
    EXPECT_LT(c.temperature_c, 38.5);
    EXPECT_LT(evaluate_hlh2004(c).count(), 2);
}

TEST(SystemicModel, GlucocorticoidIsAntipyretic) {
    const PatchSignals s = florid(SystemicParams{});
    const double febrile = settle(s, {}, 2).temperature_c;
    const double treated = settle(s, {.glucocorticoid = 1}, 2).temperature_c;
    EXPECT_GE(febrile, 39.4);
    EXPECT_LT(treated, 38.5);
    EXPECT_GT(treated, 37.0);
}

TEST(SystemicModel, OneHourStepsAgreeWithOneMinuteSteps) {
    SystemicModel coarse{SystemicParams{}}, fine{SystemicParams{}};
    const PatchSignals s = florid(coarse.params());
    for (int h = 0; h < 14 * 24; ++h) {
        coarse.step(1.0, s);
        for (int i = 0; i < 60; ++i) fine.step(1.0 / 60, s);
    }
    const ClinicalState a = coarse.clinical(), b = fine.clinical();
    const double pairs[][2] = {{a.hemoglobin_g_per_l, b.hemoglobin_g_per_l},
                               {a.platelets_e9_per_l, b.platelets_e9_per_l},
                               {a.neutrophils_e9_per_l, b.neutrophils_e9_per_l},
                               {a.ferritin_ng_per_ml, b.ferritin_ng_per_ml},
                               {a.fibrinogen_g_per_l, b.fibrinogen_g_per_l},
                               {a.triglycerides_mmol_per_l, b.triglycerides_mmol_per_l},
                               {a.scd25_u_per_ml, b.scd25_u_per_ml},
                               {a.temperature_c, b.temperature_c}};
    for (const auto& p : pairs) EXPECT_NEAR(p[0] / p[1], 1.0, 0.005);
}

TEST(SystemicModel, LongStepsAreSplitIntoHours) {
    SystemicModel one{SystemicParams{}}, many{SystemicParams{}};
    const PatchSignals s = florid(one.params());
    one.step(24.0, s);
    for (int h = 0; h < 24; ++h) many.step(1.0, s);
    EXPECT_EQ(one.state().hemoglobin_g_per_l, many.state().hemoglobin_g_per_l);
    EXPECT_EQ(one.state().ferritin_ng_per_ml, many.state().ferritin_ng_per_ml);
    EXPECT_EQ(one.time_h(), many.time_h());
}

bool all_finite_nonnegative(const SystemicState& s) {
    const double v[] = {s.hemoglobin_g_per_l,
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
                        s.liver_ratio};
    for (double x : v)
        if (!(std::isfinite(x) && x >= 0)) return false;
    for (double x : s.plasma_pg_per_ml)
        if (!(std::isfinite(x) && x >= 0)) return false;
    return true;
}

TEST(SystemicModel, StableOver550DaysOfOneHourStepsWithExtremeSignals) {
    SystemicModel m{SystemicParams{}};
    std::uint64_t x = 12345;
    auto uniform = [&x] {  // a fixed LCG: the same sequence on every platform
        x = x * 6364136223846793005ULL + 1442695040888963407ULL;
        return static_cast<double>(x >> 11) * 0x1.0p-53;
    };
    PatchSignals s;
    SystemicDrugEffects d;
    for (int h = 0; h < 550 * 24; ++h) {
        if (h % 72 == 0) {  // new signals every 3 days, sometimes saturating, sometimes none
            const bool quiet = uniform() < 0.3;
            for (auto& v : s.secretion_pg_per_h) v = quiet ? 0 : std::pow(10, 4 + 8 * uniform());
            s.activated_macrophage_fraction = quiet ? 0 : uniform();
            s.hemophagocytic_fraction = s.activated_macrophage_fraction * uniform();
            s.engulfment_rbc_per_day = quiet ? 0 : 0.5 * uniform();
            s.engulfment_platelets_per_day = quiet ? 0 : 2 * uniform();
            s.engulfment_neutrophils_per_day = quiet ? 0 : 20 * uniform();
            s.activated_cd8_cells = quiet ? 0 : std::pow(10, 6 + 6 * uniform());
            d = {.jak2 = uniform(), .glucocorticoid = uniform(), .myelotoxic = uniform()};
        }
        m.step(1.0, s, d);
        ASSERT_TRUE(all_finite_nonnegative(m.state())) << "hour " << h;
    }
    // Back to rest, the body recovers.
    run_days(m, 120, PatchSignals{});
    EXPECT_TRUE(in_normal_range(m.clinical()));
}

TEST(SystemicModel, PlasmaCytokinesFollowOneCompartmentKinetics) {
    const SystemicParams p;
    SystemicModel m{p};
    PatchSignals s;
    s.secretion(Cytokine::ifng) = 1e7;  // pg/h
    m.step(24.0, s);                    // 38 half-lives: at steady state
    const auto& c = p.cytokine(Cytokine::ifng);
    const double steady = c.basal_pg_per_ml + 1e7 * c.half_life_h / (std::log(2.0) * c.volume_ml);
    EXPECT_NEAR(m.plasma_pg_per_ml(Cytokine::ifng), steady, 1e-6 * steady);
    m.step(c.half_life_h, PatchSignals{});  // one half-life: the excess halves
    EXPECT_NEAR(m.plasma_pg_per_ml(Cytokine::ifng) - c.basal_pg_per_ml,
                (steady - c.basal_pg_per_ml) / 2, 1e-6 * steady);
    EXPECT_DOUBLE_EQ(m.plasma_pg_per_ml(Cytokine::il6), p.cytokine(Cytokine::il6).basal_pg_per_ml);
}

TEST(SystemicModel, FindingsFollowTheirThresholds) {
    SystemicParams p;
    p.findings.nk_activity_low = true;
    p.findings.known_immunosuppression = true;
    SystemicModel m{p};
    PatchSignals s;
    s.hemophagocytic_fraction = 0.019;
    m.step(1.0, s);
    EXPECT_FALSE(m.clinical().hemophagocytosis);
    s.hemophagocytic_fraction = 0.02;
    m.step(1.0, s);
    EXPECT_TRUE(m.clinical().hemophagocytosis);
    EXPECT_TRUE(m.clinical().nk_activity_low);
    EXPECT_TRUE(m.clinical().known_immunosuppression);
    m.set_nk_activity_low(false);
    EXPECT_FALSE(m.clinical().nk_activity_low);
}

TEST(SystemicModel, CirculatingCellsAtNormalCounts) {
    const SystemicModel m{SystemicParams{}};
    const CirculatingPools pools = m.circulating_cells();
    EXPECT_NEAR(pools.rbc, 140.0 / 30e-12 * 5, 1e3);  // 4.67e12/L x 5 L
    EXPECT_NEAR(pools.platelets, 275e9 * 5, 1);
    EXPECT_NEAR(pools.neutrophils, 4e9 * 5, 1e-3);
}

TEST(SystemicModel, StateRoundTripsForRestart) {
    SystemicModel a{SystemicParams{}}, b{SystemicParams{}};
    const PatchSignals s = florid(a.params());
    run_days(a, 5, s);
    b.set_state(a.state());
    run_days(a, 5, s);
    run_days(b, 5, s);
    EXPECT_EQ(a.state().hemoglobin_g_per_l, b.state().hemoglobin_g_per_l);
    EXPECT_EQ(a.state().neutrophils_e9_per_l, b.state().neutrophils_e9_per_l);
    EXPECT_EQ(a.time_h(), b.time_h());
    SystemicState bad = a.state();
    bad.ferritin_ng_per_ml = -1;
    EXPECT_THROW(b.set_state(bad), std::invalid_argument);
}

TEST(SystemicModel, RejectsInvalidInputsAndParameters) {
    SystemicModel m{SystemicParams{}};
    PatchSignals s;
    EXPECT_THROW(m.step(-1.0, s), std::invalid_argument);
    s.secretion(Cytokine::tnf) = -1;
    EXPECT_THROW(m.step(1.0, s), std::invalid_argument);
    s = {};
    s.activated_macrophage_fraction = 1.5;
    EXPECT_THROW(m.step(1.0, s), std::invalid_argument);
    s = {};
    s.engulfment_rbc_per_day = std::numeric_limits<double>::quiet_NaN();
    EXPECT_THROW(m.step(1.0, s), std::invalid_argument);
    EXPECT_THROW(m.step(1.0, PatchSignals{}, {.jak2 = 2}), std::invalid_argument);
    SystemicParams p;
    p.red_cells.lifespan_d = 0;
    EXPECT_THROW(SystemicModel{p}, InputError);
    p = {};
    p.platelets.suppression.ifng_emax = 1.2;
    EXPECT_THROW(SystemicModel{p}, InputError);
}

}  // namespace
}  // namespace hlhsim::models
