#include "models/clinical/hscore.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace hlhsim::models {
namespace {

double below(double x) { return std::nextafter(x, -1e300); }
double above(double x) { return std::nextafter(x, 1e300); }

TEST(HScore, HealthyAdultScoresZero) {
    // 37.0 C -> 0; no organomegaly -> 0; Hb 140 > 92, WBC 6.5 > 5, plt 275 > 110 -> 0
    // lineages -> 0; ferritin 80 < 2000 -> 0; TG 1.0 < 1.5 -> 0; fibrinogen 3.0 > 2.5 -> 0;
    // AST 20 < 30 -> 0; no haemophagocytosis, no immunosuppression -> total 0.
    const HScoreResult r = evaluate_hscore(healthy_adult_female());
    EXPECT_EQ(r.cytopenic_lineages, 0);
    EXPECT_EQ(r.total(), 0);
    EXPECT_FALSE(r.above_cutoff());
}

TEST(HScore, SeedCaseAtDiagnosis) {
    // Seed case ~day 10 (biology.md section 6; illustrative where the report is silent):
    // immunosuppression no                         ->  0
    // temperature 39.2 in [38.4, 39.4]             -> 33
    // organomegaly not reported                    ->  0
    // Hb 85 <= 92, WBC 12 > 5, plt 45 <= 110       -> 2 lineages -> 24
    // ferritin 42000 > 6000                        -> 50
    // TG 221 mg/dL = 2.495 mmol/L in [1.5, 4]      -> 44
    // fibrinogen 1.2 <= 2.5                        -> 30
    // AST 180 >= 30                                -> 19
    // marrow haemophagocytosis                     -> 35
    // total 0+33+0+24+50+44+30+19+35 = 235 >= 169
    ClinicalState s;
    s.temperature_c = 39.2;
    s.hemoglobin_g_per_l = 85.0;
    s.wbc_e9_per_l = 12.0;
    s.platelets_e9_per_l = 45.0;
    s.neutrophils_e9_per_l = 9.0;
    s.ferritin_ng_per_ml = 42000.0;
    s.triglycerides_mmol_per_l = triglycerides_mg_per_dl_to_mmol_per_l(221.0);
    s.fibrinogen_g_per_l = 1.2;
    s.ast_iu_per_l = 180.0;
    s.hemophagocytosis = true;
    const HScoreResult r = evaluate_hscore(s);
    EXPECT_EQ(r.immunosuppression, 0);
    EXPECT_EQ(r.temperature, 33);
    EXPECT_EQ(r.organomegaly, 0);
    EXPECT_EQ(r.cytopenic_lineages, 2);
    EXPECT_EQ(r.cytopenias, 24);
    EXPECT_EQ(r.ferritin, 50);
    EXPECT_EQ(r.triglycerides, 44);
    EXPECT_EQ(r.fibrinogen, 30);
    EXPECT_EQ(r.ast, 19);
    EXPECT_EQ(r.hemophagocytosis, 35);
    EXPECT_EQ(r.total(), 235);
    EXPECT_TRUE(r.above_cutoff());
}

TEST(HScore, BorderlineAtLowerEdges) {
    // Every inclusive lower edge exactly:
    // temperature 38.4 -> 33; ferritin 2000 -> 35; TG 1.5 -> 44; fibrinogen 2.5 -> 30;
    // AST 30 -> 19; Hb 92, WBC 5, plt 110 (all "<=") -> 3 lineages -> 34;
    // liver only -> 23; no haemophagocytosis, no immunosuppression.
    // total 33+35+44+30+19+34+23 = 218
    ClinicalState s;
    s.temperature_c = 38.4;
    s.ferritin_ng_per_ml = 2000.0;
    s.triglycerides_mmol_per_l = 1.5;
    s.fibrinogen_g_per_l = 2.5;
    s.ast_iu_per_l = 30.0;
    s.hemoglobin_g_per_l = 92.0;
    s.wbc_e9_per_l = 5.0;
    s.platelets_e9_per_l = 110.0;
    s.liver_enlarged = true;
    const HScoreResult r = evaluate_hscore(s);
    EXPECT_EQ(r.temperature, 33);
    EXPECT_EQ(r.ferritin, 35);
    EXPECT_EQ(r.triglycerides, 44);
    EXPECT_EQ(r.fibrinogen, 30);
    EXPECT_EQ(r.ast, 19);
    EXPECT_EQ(r.cytopenic_lineages, 3);
    EXPECT_EQ(r.cytopenias, 34);
    EXPECT_EQ(r.organomegaly, 23);
    EXPECT_EQ(r.total(), 218);

    // One ulp below each lower edge: 0 points each. Lineages drop to 0 -> 0 points.
    // total 0+0+0+0+0+0+23 = 23
    ClinicalState t = s;
    t.temperature_c = below(38.4);
    t.ferritin_ng_per_ml = below(2000.0);
    t.triglycerides_mmol_per_l = below(1.5);
    t.fibrinogen_g_per_l = above(2.5);
    t.ast_iu_per_l = below(30.0);
    t.hemoglobin_g_per_l = above(92.0);
    t.wbc_e9_per_l = above(5.0);
    t.platelets_e9_per_l = above(110.0);
    const HScoreResult rt = evaluate_hscore(t);
    EXPECT_EQ(rt.cytopenic_lineages, 0);
    EXPECT_EQ(rt.total(), 23);
}

TEST(HScore, BorderlineAtUpperEdges) {
    // Upper edges belong to the middle band: temperature 39.4 -> 33 (not 49);
    // ferritin 6000 -> 35 (not 50); TG 4.0 -> 44 (not 64). Liver and spleen -> 38;
    // Hb 92 and WBC 5 -> 2 lineages -> 24 (plt 150 normal). Fibrinogen 3, AST 20 -> 0.
    // total 33+35+44+38+24 = 174 >= 169
    ClinicalState s;
    s.temperature_c = 39.4;
    s.ferritin_ng_per_ml = 6000.0;
    s.triglycerides_mmol_per_l = 4.0;
    s.liver_enlarged = true;
    s.spleen_enlarged = true;
    s.hemoglobin_g_per_l = 92.0;
    s.wbc_e9_per_l = 5.0;
    s.platelets_e9_per_l = 150.0;
    s.fibrinogen_g_per_l = 3.0;
    s.ast_iu_per_l = 20.0;
    const HScoreResult r = evaluate_hscore(s);
    EXPECT_EQ(r.temperature, 33);
    EXPECT_EQ(r.ferritin, 35);
    EXPECT_EQ(r.triglycerides, 44);
    EXPECT_EQ(r.organomegaly, 38);
    EXPECT_EQ(r.cytopenias, 24);
    EXPECT_EQ(r.total(), 174);
    EXPECT_TRUE(r.above_cutoff());

    // One ulp above each upper edge: 49 + 50 + 64 + 38 + 24 = 225
    ClinicalState t = s;
    t.temperature_c = above(39.4);
    t.ferritin_ng_per_ml = above(6000.0);
    t.triglycerides_mmol_per_l = above(4.0);
    EXPECT_EQ(evaluate_hscore(t).total(), 225);
}

TEST(HScore, ThreeLineagesMaximalPatient) {
    // Immunosuppressed patient with everything: 18 + 49 (40.1 C) + 38 (liver and spleen)
    // + 34 (Hb 70, WBC 1.5, plt 20) + 50 (ferritin 15000) + 64 (TG 4.5) + 30 (fib 0.9)
    // + 19 (AST 250) + 35 (haemophagocytosis) = 337, the maximum.
    ClinicalState s;
    s.known_immunosuppression = true;
    s.temperature_c = 40.1;
    s.liver_enlarged = true;
    s.spleen_enlarged = true;
    s.hemoglobin_g_per_l = 70.0;
    s.wbc_e9_per_l = 1.5;
    s.platelets_e9_per_l = 20.0;
    s.ferritin_ng_per_ml = 15000.0;
    s.triglycerides_mmol_per_l = 4.5;
    s.fibrinogen_g_per_l = 0.9;
    s.ast_iu_per_l = 250.0;
    s.hemophagocytosis = true;
    const HScoreResult r = evaluate_hscore(s);
    EXPECT_EQ(r.immunosuppression, 18);
    EXPECT_EQ(r.temperature, 49);
    EXPECT_EQ(r.cytopenic_lineages, 3);
    EXPECT_EQ(r.cytopenias, 34);
    EXPECT_EQ(r.triglycerides, 64);
    EXPECT_EQ(r.total(), 337);
}

TEST(HScore, ThreeLineagesWithoutInflammation) {
    // Marrow failure: Hb 88, WBC 3, plt 90 -> 3 lineages -> 34; ferritin 3000 -> 35;
    // 38.0 C -> 0; TG 1.0 -> 0; fibrinogen 3.0 -> 0; AST 25 -> 0. total 69 < 169.
    ClinicalState s = healthy_adult_female();
    s.temperature_c = 38.0;
    s.hemoglobin_g_per_l = 88.0;
    s.wbc_e9_per_l = 3.0;
    s.platelets_e9_per_l = 90.0;
    s.ferritin_ng_per_ml = 3000.0;
    s.ast_iu_per_l = 25.0;
    const HScoreResult r = evaluate_hscore(s);
    EXPECT_EQ(r.cytopenias, 34);
    EXPECT_EQ(r.ferritin, 35);
    EXPECT_EQ(r.total(), 69);
    EXPECT_FALSE(r.above_cutoff());
}

TEST(HScore, OneLineageScoresZeroAndCutoffIsInclusive) {
    ClinicalState s = healthy_adult_female();
    s.hemoglobin_g_per_l = 80.0;
    const HScoreResult r = evaluate_hscore(s);
    EXPECT_EQ(r.cytopenic_lineages, 1);
    EXPECT_EQ(r.cytopenias, 0);

    HScoreResult at;
    at.temperature = 49;
    at.ferritin = 50;
    at.triglycerides = 64;
    at.organomegaly = 6;  // hand-made to land exactly on 169
    EXPECT_EQ(at.total(), 169);
    EXPECT_TRUE(at.above_cutoff());
    at.organomegaly = 5;
    EXPECT_FALSE(at.above_cutoff());
}

TEST(HScore, NothingMeasuredScoresZero) { EXPECT_EQ(evaluate_hscore(ClinicalState{}).total(), 0); }

}  // namespace
}  // namespace hlhsim::models
