#include "models/systemic/patch_scale.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

namespace hlhsim::models {
namespace {

TEST(PatchScale, FactorFromVolumes) {
    // 1 mm x 1 mm x 20 um = 2e7 um^3 = 2e-5 mL, standing for 1 L of tissue.
    EXPECT_DOUBLE_EQ(PatchScale::from_volumes(2e-5, 1000).factor, 5e7);
    EXPECT_DOUBLE_EQ(PatchScale::from_um3(2e7, 1000).factor, 5e7);
    EXPECT_DOUBLE_EQ(PatchScale::from_um3(2e7, 1000, 0.1).plasma_fraction, 0.1);
    EXPECT_THROW(PatchScale::from_volumes(0, 1000), std::invalid_argument);
}

TEST(PatchScale, ScalesExtensiveAndKeepsIntensiveQuantities) {
    PatchTally t;
    t.interval_h = 2;
    t.secreted_pg[static_cast<std::size_t>(Cytokine::ifng)] = 0.5;  // pg in 2 h
    t.macrophages = 200;
    t.activated_macrophages = 150;
    t.hemophagocytic_macrophages = 30;
    t.engulfed_rbc = 3;
    t.engulfed_platelets = 1;
    t.activated_cd8 = 40;
    const PatchScale scale{1e6, 0.5};
    const CirculatingPools pools{.rbc = 2e13, .platelets = 1e12, .neutrophils = 2e10};
    const PatchSignals s = scale_patch(t, scale, pools);
    EXPECT_DOUBLE_EQ(s.secretion(Cytokine::ifng), 0.5 * 1e6 * 0.5 / 2);  // pg/h into plasma
    EXPECT_DOUBLE_EQ(s.secretion(Cytokine::il6), 0);
    EXPECT_DOUBLE_EQ(s.activated_macrophage_fraction, 0.75);
    EXPECT_DOUBLE_EQ(s.hemophagocytic_fraction, 0.15);
    // 3e6 body events in 2 h = 3.6e7 per day, of 2e13 cells.
    EXPECT_DOUBLE_EQ(s.engulfment_rbc_per_day, 3e6 * 12 / 2e13);
    EXPECT_DOUBLE_EQ(s.engulfment_platelets_per_day, 1e6 * 12 / 1e12);
    EXPECT_DOUBLE_EQ(s.engulfment_neutrophils_per_day, 0);
    EXPECT_DOUBLE_EQ(s.activated_cd8_cells, 4e7);
}

TEST(PatchScale, UsesTheModelsPools) {
    const SystemicModel m{SystemicParams{}};
    PatchTally t;
    t.interval_h = 24;
    t.engulfed_rbc = 1;
    const CirculatingPools pools = m.circulating_cells();
    const PatchSignals s = scale_patch(t, PatchScale{pools.rbc * 0.04}, pools);
    EXPECT_NEAR(s.engulfment_rbc_per_day, 0.04, 1e-15);
}

TEST(PatchScale, RejectsBadTallies) {
    PatchTally t;
    EXPECT_THROW(scale_patch(t, PatchScale{}, {}), std::invalid_argument);  // no interval
    t.interval_h = 1;
    t.engulfed_rbc = -1;
    EXPECT_THROW(scale_patch(t, PatchScale{}, {}), std::invalid_argument);
    t.engulfed_rbc = 0;
    EXPECT_NO_THROW(scale_patch(t, PatchScale{}, {}));  // empty pools: no engulfment rate
    EXPECT_THROW(scale_patch(t, PatchScale{1, 1.5}, {}), std::invalid_argument);
}

}  // namespace
}  // namespace hlhsim::models
