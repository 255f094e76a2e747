#include "models/clinical/labs.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace hlhsim::models {
namespace {

TEST(Labs, TriglycerideConversion) {
    // 1 mmol/L = 88.57 mg/dL; the HLH-2004 cut-off 265 mg/dL is 2.992 mmol/L.
    EXPECT_DOUBLE_EQ(triglycerides_mmol_per_l_to_mg_per_dl(1.0), 88.57);
    EXPECT_NEAR(triglycerides_mg_per_dl_to_mmol_per_l(265.0), 2.99199, 1e-5);
    // The seed case's 221 mg/dL is 2.495 mmol/L.
    EXPECT_NEAR(triglycerides_mg_per_dl_to_mmol_per_l(221.0), 2.49520, 1e-5);
    EXPECT_DOUBLE_EQ(
        triglycerides_mg_per_dl_to_mmol_per_l(triglycerides_mmol_per_l_to_mg_per_dl(3.7)), 3.7);
}

TEST(Labs, RangeIsClosedAndNanIsOutside) {
    const ReferenceRange r{2.0, 4.0};
    EXPECT_TRUE(in_normal_range(2.0, r));
    EXPECT_TRUE(in_normal_range(4.0, r));
    EXPECT_FALSE(in_normal_range(std::nextafter(2.0, 0.0), r));
    EXPECT_FALSE(in_normal_range(std::nextafter(4.0, 5.0), r));
    EXPECT_FALSE(in_normal_range(ClinicalState::kNotMeasured, r));
}

TEST(Labs, ReferenceRangesFromBiology) {
    EXPECT_EQ(normal_range::kHemoglobinGPerL.low, 120.0);
    EXPECT_EQ(normal_range::kHemoglobinGPerL.high, 160.0);
    EXPECT_EQ(normal_range::kPlateletsE9PerL.low, 150.0);
    EXPECT_EQ(normal_range::kFerritinNgPerMl.high, 150.0);
    EXPECT_NEAR(normal_range::kTriglyceridesMmolPerL.high, 150.0 / 88.57, 1e-12);
    EXPECT_EQ(normal_range::kScd25UPerMl.high, 846.0);
    EXPECT_EQ(normal_range::kAstIuPerL.high, 35.0);
}

TEST(Labs, HealthyAdultIsNormalAndEachAbnormalityIsCaught) {
    const ClinicalState healthy = healthy_adult_female();
    EXPECT_TRUE(in_normal_range(healthy));

    ClinicalState s = healthy;
    s.ferritin_ng_per_ml = 151.0;
    EXPECT_FALSE(in_normal_range(s));
    s = healthy;
    s.temperature_c = 38.0;
    EXPECT_FALSE(in_normal_range(s));
    s = healthy;
    s.spleen_enlarged = true;
    EXPECT_FALSE(in_normal_range(s));
    s = healthy;
    s.ldh_u_per_l = ClinicalState::kNotMeasured;
    EXPECT_FALSE(in_normal_range(s));
    s = healthy;
    s.known_immunosuppression = true;  // history, not a lab
    EXPECT_TRUE(in_normal_range(s));
}

TEST(Labs, DefaultStateIsUnmeasured) {
    const ClinicalState s;
    EXPECT_TRUE(std::isnan(s.ferritin_ng_per_ml));
    EXPECT_TRUE(std::isnan(s.temperature_c));
    EXPECT_FALSE(s.hemophagocytosis);
}

}  // namespace
}  // namespace hlhsim::models
