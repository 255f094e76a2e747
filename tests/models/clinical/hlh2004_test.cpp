#include "models/clinical/hlh2004.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace hlhsim::models {
namespace {

/// The seed case at diagnosis (~day 10, biology.md section 6). Values the case report
/// gives: TG 221 mg/dL, ferritin > 40000, marrow haemophagocytosis, anaemia and
/// thrombocytopenia after leukocytosis, falling fibrinogen. The other numbers are
/// illustrative; sCD25, NK activity and spleen size were not reported.
ClinicalState seed_case_at_diagnosis() {
    ClinicalState s;
    s.temperature_c = 39.2;
    s.hemoglobin_g_per_l = 85.0;
    s.platelets_e9_per_l = 45.0;
    s.neutrophils_e9_per_l = 9.0;  // still neutrophilic after the leukocytosis
    s.wbc_e9_per_l = 12.0;
    s.ferritin_ng_per_ml = 42000.0;
    s.triglycerides_mmol_per_l = triglycerides_mg_per_dl_to_mmol_per_l(221.0);
    s.fibrinogen_g_per_l = 1.2;
    s.ast_iu_per_l = 180.0;
    s.ldh_u_per_l = 1500.0;
    s.hemophagocytosis = true;
    return s;
}

TEST(Hlh2004, HealthyAdultMeetsNothing) {
    // 37.0 C; Hb 140, plt 275, ANC 4.0 (no lineage low); TG 1.0 mmol/L, fib 3.0;
    // ferritin 80; sCD25 500; no findings -> 0 of 8.
    const Hlh2004Result r = evaluate_hlh2004(healthy_adult_female());
    EXPECT_EQ(r.cytopenic_lineages, 0);
    EXPECT_EQ(r.count(), 0);
    EXPECT_FALSE(r.diagnostic());
}

TEST(Hlh2004, SeedCaseIsDiagnosticThroughLowFibrinogen) {
    // fever 39.2 >= 38.5                         -> met
    // splenomegaly not reported                  -> not met
    // Hb 85 < 90, plt 45 < 100, ANC 9.0 >= 1.0   -> 2 lineages -> met
    // TG 221 mg/dL = 2.495 mmol/L < 3.0, but fibrinogen 1.2 <= 1.5 -> met
    // haemophagocytosis in marrow                -> met
    // NK activity not measured                   -> not met
    // ferritin 42000 >= 500                      -> met
    // sCD25 not measured (NaN)                   -> not met
    // 5 of 8 -> diagnostic
    const ClinicalState s = seed_case_at_diagnosis();
    const Hlh2004Result r = evaluate_hlh2004(s);
    EXPECT_TRUE(r.fever);
    EXPECT_FALSE(r.splenomegaly);
    EXPECT_EQ(r.cytopenic_lineages, 2);
    EXPECT_TRUE(r.cytopenias);
    EXPECT_TRUE(r.triglycerides_or_fibrinogen);
    EXPECT_TRUE(r.hemophagocytosis);
    EXPECT_FALSE(r.low_nk_activity);
    EXPECT_TRUE(r.ferritin);
    EXPECT_FALSE(r.scd25);
    EXPECT_EQ(r.count(), 5);
    EXPECT_TRUE(r.diagnostic());

    // The triglycerides alone would not have met the criterion.
    ClinicalState normal_fibrinogen = s;
    normal_fibrinogen.fibrinogen_g_per_l = 2.5;
    const Hlh2004Result r2 = evaluate_hlh2004(normal_fibrinogen);
    EXPECT_FALSE(r2.triglycerides_or_fibrinogen);
    EXPECT_EQ(r2.count(), 4);
    EXPECT_FALSE(r2.diagnostic());
}

TEST(Hlh2004, BorderlineExactlyAtEveryThreshold) {
    // Inclusive thresholds met exactly: 38.5 C, TG 3.0 mmol/L, fibrinogen 1.5 g/L,
    // ferritin 500, sCD25 2400. Strict cytopenia thresholds not met exactly:
    // Hb 90, plt 100, ANC 1.0 -> 0 lineages. With a spleen: 1+1+1+1+1 = 5 -> diagnostic.
    ClinicalState s;
    s.temperature_c = 38.5;
    s.hemoglobin_g_per_l = 90.0;
    s.platelets_e9_per_l = 100.0;
    s.neutrophils_e9_per_l = 1.0;
    s.triglycerides_mmol_per_l = 3.0;
    s.fibrinogen_g_per_l = 1.5;
    s.ferritin_ng_per_ml = 500.0;
    s.scd25_u_per_ml = 2400.0;
    s.spleen_enlarged = true;
    const Hlh2004Result r = evaluate_hlh2004(s);
    EXPECT_TRUE(r.fever);
    EXPECT_EQ(r.cytopenic_lineages, 0);
    EXPECT_FALSE(r.cytopenias);
    EXPECT_TRUE(r.triglycerides_or_fibrinogen);
    EXPECT_TRUE(r.ferritin);
    EXPECT_TRUE(r.scd25);
    EXPECT_TRUE(r.splenomegaly);
    EXPECT_EQ(r.count(), 5);
    EXPECT_TRUE(r.diagnostic());

    // One ulp to the other side flips each criterion.
    auto below = [](double x) { return std::nextafter(x, -1e300); };
    auto above = [](double x) { return std::nextafter(x, 1e300); };
    ClinicalState t = s;
    t.temperature_c = below(38.5);
    EXPECT_FALSE(evaluate_hlh2004(t).fever);
    t = s;
    t.ferritin_ng_per_ml = below(500.0);
    EXPECT_FALSE(evaluate_hlh2004(t).ferritin);
    t = s;
    t.scd25_u_per_ml = below(2400.0);
    EXPECT_FALSE(evaluate_hlh2004(t).scd25);
    t = s;
    t.triglycerides_mmol_per_l = below(3.0);
    t.fibrinogen_g_per_l = above(1.5);
    EXPECT_FALSE(evaluate_hlh2004(t).triglycerides_or_fibrinogen);
    t = s;
    t.hemoglobin_g_per_l = below(90.0);
    t.platelets_e9_per_l = below(100.0);
    EXPECT_EQ(evaluate_hlh2004(t).cytopenic_lineages, 2);
    t.neutrophils_e9_per_l = below(1.0);
    EXPECT_EQ(evaluate_hlh2004(t).cytopenic_lineages, 3);
    // 265 mg/dL converts to 2.992 mmol/L, just under the 3.0 mmol/L criterion.
    t = s;
    t.fibrinogen_g_per_l = 3.0;
    t.triglycerides_mmol_per_l = triglycerides_mg_per_dl_to_mmol_per_l(265.0);
    EXPECT_FALSE(evaluate_hlh2004(t).triglycerides_or_fibrinogen);
}

TEST(Hlh2004, ThreeLineagesAndEveryCriterion) {
    // 40.1 C; Hb 70 < 90, plt 20 < 100, ANC 0.4 < 1.0 -> 3 lineages; TG 4.5 >= 3.0;
    // ferritin 15000; sCD25 12000; spleen, haemophagocytosis, low NK -> 8 of 8.
    ClinicalState s;
    s.temperature_c = 40.1;
    s.hemoglobin_g_per_l = 70.0;
    s.platelets_e9_per_l = 20.0;
    s.neutrophils_e9_per_l = 0.4;
    s.wbc_e9_per_l = 1.5;
    s.triglycerides_mmol_per_l = 4.5;
    s.fibrinogen_g_per_l = 0.9;
    s.ferritin_ng_per_ml = 15000.0;
    s.scd25_u_per_ml = 12000.0;
    s.spleen_enlarged = true;
    s.liver_enlarged = true;
    s.hemophagocytosis = true;
    s.nk_activity_low = true;
    const Hlh2004Result r = evaluate_hlh2004(s);
    EXPECT_EQ(r.cytopenic_lineages, 3);
    EXPECT_EQ(r.count(), 8);
    EXPECT_TRUE(r.diagnostic());
}

TEST(Hlh2004, ThreeLineagesAloneAreNotHlh) {
    // Marrow failure without inflammation: 3 lineages (one criterion) + ferritin 800
    // (transfusions) = 2 of 8.
    ClinicalState s = healthy_adult_female();
    s.hemoglobin_g_per_l = 80.0;
    s.platelets_e9_per_l = 30.0;
    s.neutrophils_e9_per_l = 0.5;
    s.ferritin_ng_per_ml = 800.0;
    const Hlh2004Result r = evaluate_hlh2004(s);
    EXPECT_EQ(r.cytopenic_lineages, 3);
    EXPECT_TRUE(r.cytopenias);
    EXPECT_EQ(r.count(), 2);
    EXPECT_FALSE(r.diagnostic());
}

TEST(Hlh2004, NothingMeasuredMeetsNothing) {
    const Hlh2004Result r = evaluate_hlh2004(ClinicalState{});
    EXPECT_EQ(r.count(), 0);
}

}  // namespace
}  // namespace hlhsim::models
