// The macrophage rule of the HLH model (models/hlh/macrophage_rules.cpp, docs/model.md 7.2),
// driven through the real model on a 100 um patch: JAK-STAT1 signalling under a clamped
// IFN-gamma, the threshold transitions with their hysteresis, the JAK dependence of the
// drive and engulfment by hemophagocytes only. The fields' decay is 0 in the harness, so an
// added IFN-gamma amount stays constant and uniform: every macrophage sees the same drive.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "tests/models/hlh/hlh_rule_harness.hpp"

namespace hlhsim::models::hlh {
namespace {

using testing::binomial_z;
using testing::count_states;
using testing::HlhRun;
using testing::kDt;
using testing::per_step;

constexpr int kResting = 0, kActivated = 1, kHemophagocytic = 2;

/// H(x; 300 pg/mL, 2), the IFN-gamma -> STAT1 drive set in the tests' YAML.
double ifng_drive(double ifng) { return ifng * ifng / (300.0 * 300.0 + ifng * ifng); }

/// One step of ds/dt = on d (1 - s) - off s, solved exactly (the equation of 7.2).
double stat1_step(double s, double on, double d, double off) {
    const double r = on * d + off;
    const double eq = on * d / r;
    return eq + (s - eq) * std::exp(-r * kDt);
}

// Drive 0.8 at 600 pg/mL: s_k = 0.8 (1 - exp(-(0.01*0.8 + 0.002) * 2 k)) = 0.8 (1 - e^-0.02k).
// s > 0.5 when e^-0.02k < 0.375, k > 49.04: s_49 = 0.4998, s_50 = 0.5057, so every macrophage
// turns activated in step 50, none before.
TEST(MacrophageRules, RestingActivatesWhenStat1CrossesThresholdUnderClampedIfng) {
    const double on = 0.01, off = 0.002, theta = 0.5, ifng = 600;
    HlhRun run(R"(
duration: 200 min
macrophages: {count: 20, stat1_on: 0.01 1/min, stat1_off: 0.002 1/min,
              activation_threshold: 0.5, deactivation_threshold: 0.3}
perturbations:
  - {at: 0 min, add_cytokine: {field: ifng, amount: 600 pg/mL}}
)");
    const double d = ifng_drive(ifng);
    const double eq = on * d / (on * d + off);
    ASSERT_NEAR(eq, 0.8, 1e-12);
    const int k_on =
        static_cast<int>(std::ceil(-std::log(1 - theta / eq) / ((on * d + off) * kDt)));
    ASSERT_EQ(k_on, 50);
    double s = 0;
    int first_activated = -1;
    run.run([&](int k) {
        s = stat1_step(s, on, d, off);
        const auto stat1 = run.col<double>("macrophage", "stat1");
        for (double v : stat1) ASSERT_NEAR(v, s, 1e-12) << "step " << k;
        const auto n = count_states(run.col<std::uint8_t>("macrophage", "state"), 3);
        if (k < k_on) {
            ASSERT_EQ(n[kResting], 20) << "step " << k << ", s " << s;
        } else {
            ASSERT_EQ(n[kActivated], 20) << "step " << k << ", s " << s;
            if (first_activated < 0) first_activated = k;
        }
    });
    EXPECT_EQ(first_activated, k_on);
}

// Without IFN-gamma the drive is 0 and s stays 0; at 120 pg/mL the drive 0.138 gives a
// plateau eq = 0.01*0.138 / (0.01*0.138 + 0.002) = 0.408 < 0.5: never activated either.
TEST(MacrophageRules, NoActivationWithoutEnoughIfng) {
    for (const std::string amount : {"0 pg/mL", "120 pg/mL"}) {
        HlhRun run(R"(
duration: 3000 min
macrophages: {count: 20, stat1_on: 0.01 1/min, stat1_off: 0.002 1/min,
              activation_threshold: 0.5, deactivation_threshold: 0.3}
perturbations:
  - {at: 0 min, add_cytokine: {field: ifng, amount: )" +
                   amount + "}}\n");
        run.run({});
        const double d = ifng_drive(amount == "0 pg/mL" ? 0 : 120);
        const double eq = 0.01 * d / (0.01 * d + 0.002);
        EXPECT_LT(eq, 0.41);
        EXPECT_EQ(count_states(run.col<std::uint8_t>("macrophage", "state"), 3)[kResting], 20);
        // 1500 steps at r = 0.00338/min: within exp(-10) of the plateau.
        for (double v : run.col<double>("macrophage", "stat1")) EXPECT_NEAR(v, eq, 1e-3);
    }
}

// Hysteresis: 600 pg/mL for 100 steps (s_100 = 0.8 (1 - e^-2) = 0.6917), then 99.9%
// neutralised (0.6 pg/mL left: drive 4e-6, negligible). s decays as 0.6917 e^(-0.004 j):
// below 0.5 after j = 82 (0.4983) but the cell stays activated; below 0.3 after
// j > ln(0.6917/0.3)/0.004 = 208.9, so resting from j = 209 (step 309).
TEST(MacrophageRules, ActivatedReturnsToRestingOnlyBelowDeactivationThreshold) {
    const double on = 0.01, off = 0.002;
    HlhRun run(R"(
duration: 700 min
macrophages: {count: 20, stat1_on: 0.01 1/min, stat1_off: 0.002 1/min,
              activation_threshold: 0.5, deactivation_threshold: 0.3}
perturbations:
  - {at: 0 min, add_cytokine: {field: ifng, amount: 600 pg/mL}}
  - {at: 200 min, neutralise: {field: ifng, fraction: 0.999}}
)");
    double s = 0;
    int state = kResting, in_band = 0, back_to_rest = -1;
    run.run([&](int k) {
        const double ifng = k <= 100 ? 600.0 : 0.6;
        s = stat1_step(s, on, ifng_drive(ifng), off);
        // The rule of 7.2 applied to the reference s.
        if (state == kResting && s > 0.5) state = kActivated;
        if (state == kActivated && s < 0.3) state = kResting, back_to_rest = k;
        if (k > 100 && state == kActivated && s < 0.5) ++in_band;
        for (double v : run.col<double>("macrophage", "stat1")) ASSERT_NEAR(v, s, 1e-9);
        ASSERT_EQ(count_states(run.col<std::uint8_t>("macrophage", "state"), 3)[state], 20)
            << "step " << k << ", s " << s;
    });
    EXPECT_EQ(back_to_rest, 309);
    EXPECT_EQ(in_band, 309 - 182);  // steps 182-308 activated with 0.3 <= s < 0.5
}

// 1200 pg/mL: drive 0.9412, eq = 0.009412/0.011412 = 0.8247, r = 0.011412/min; s > 0.7
// once 1 - e^(-0.022824 k) > 0.8488, k > 82.75: from step 83 each activated cell turns
// hemophagocytic with p = 1 - e^(-0.01*2) = 0.0198 per step. After 35 trials (step 117)
// (1-p)^35 = e^-0.7 = 0.497 of 200 cells are still activated: 99.3 +- 7.1.
TEST(MacrophageRules, ActivatedBecomesHemophagocyticAboveThresholdAtItsRate) {
    const std::string yaml = R"(
duration: 234 min
macrophages: {count: 200, stat1_on: 0.01 1/min, stat1_off: 0.002 1/min,
              activation_threshold: 0.5, deactivation_threshold: 0.3,
              hemophagocytic_rate: 0.01 1/min, hemophagocytic_threshold: THRESHOLD}
perturbations:
  - {at: 0 min, add_cytokine: {field: ifng, amount: 1200 pg/mL}}
)";
    auto with = [&](const std::string& threshold) {
        std::string y = yaml;
        y.replace(y.find("THRESHOLD"), 9, threshold);
        return y;
    };
    const double d = ifng_drive(1200), on = 0.01, off = 0.002;
    double s = 0;
    int k_h = -1;
    for (int k = 1; k_h < 0; ++k)
        if ((s = stat1_step(s, on, d, off)) > 0.7) k_h = k;
    ASSERT_EQ(k_h, 83);
    {
        HlhRun run(with("0.7"));
        run.run([&](int k) {
            const auto n = count_states(run.col<std::uint8_t>("macrophage", "state"), 3);
            if (k < k_h) {
                ASSERT_EQ(n[kHemophagocytic], 0) << "step " << k;
            }
        });
        const auto n = count_states(run.col<std::uint8_t>("macrophage", "state"), 3);
        EXPECT_EQ(n[kResting], 0);
        const double q = std::pow(1 - per_step(0.01), 117 - k_h + 1);
        EXPECT_LT(binomial_z(n[kActivated], 200, q), 4)
            << n[kActivated] << " still activated, expected " << 200 * q;
    }
    {  // plateau 0.825 < 0.9: the rate never applies
        HlhRun run(with("0.9"));
        run.run({});
        EXPECT_EQ(count_states(run.col<std::uint8_t>("macrophage", "state"), 3)[kActivated], 200);
    }
}

// A hemophagocyte with s = 0.8 and no IFN-gamma: s = 0.8 e^(-0.004 j) drops below 0.5 after
// j > ln(1.6)/0.004 = 117.5 (activated from step 118) and below 0.3 after
// j > ln(8/3)/0.004 = 245.2 (resting from step 246).
TEST(MacrophageRules, HemophagocyticRevertsThroughActivatedToResting) {
    HlhRun run(R"(
duration: 520 min
macrophages: {count: 20, stat1_on: 0.01 1/min, stat1_off: 0.002 1/min,
              activation_threshold: 0.5, deactivation_threshold: 0.3,
              hemophagocytic_threshold: 0.7}
)");
    for (auto& v : run.col<double>("macrophage", "stat1")) v = 0.8;
    for (auto& v : run.col<std::uint8_t>("macrophage", "state")) v = kHemophagocytic;
    run.run([&](int k) {
        const int want = k < 118 ? kHemophagocytic : k < 246 ? kActivated : kResting;
        ASSERT_EQ(count_states(run.col<std::uint8_t>("macrophage", "state"), 3)[want], 20)
            << "step " << k;
    });
}

/// Per-step STAT1 drive recovered from one macrophage's s with stat1_off = 0:
/// 1 - s_k = (1 - s_{k-1}) e^(-on d dt), so d = -ln((1 - s_k)/(1 - s_{k-1})) / (on dt).
std::vector<double> drives(double jak_dependence, bool drug) {
    std::string yaml = R"(
duration: 600 min
macrophages: {count: 2, stat1_on: 0.001 1/min, stat1_off: 0 1/min,
              activation_threshold: 0.5, deactivation_threshold: 0.3, jak_dependence: )" +
                       std::to_string(jak_dependence) + R"(}
perturbations:
  - {at: 0 min, add_cytokine: {field: ifng, amount: 300 pg/mL}}
)";
    // A JAK inhibitor given as one IV bolus at t = 0: 100 mg in 10 L of MW 300 g/mol is
    // 33 uM, inhibition 33/(33 + 10) = 0.77, falling with t1/2 = ln2 V/CL = 1.4 h.
    if (drug)
        yaml += R"(
drugs:
  testjak:
    pk: {compartments: 1, route: iv_bolus, volume: 10 L, clearance: 5 L/h,
         molecular_weight: 300 g/mol, protein_binding: 0 %}
    effects:
      - {target: jak_macrophage, concentration: plasma, ic50: 10000 nM, hill: 1, emax: 1}
treatments:
  - {name: jak, start: 0 min, schedules: [{drug: testjak, dose: 100 mg, frequency: once,
                                            duration: 1 day}]}
)";
    HlhRun run(yaml);
    std::vector<double> d;
    double prev = 0;
    run.run([&](int) {
        const double s = run.col<double>("macrophage", "stat1")[0];
        d.push_back(-std::log((1 - s) / (1 - prev)) / (0.001 * kDt));
        prev = s;
    });
    return d;
}

// drive = H(IFNg) (1 - JAK_M)^n: with H(300 pg/mL) = 0.5, the inhibition 1 - d1/H read from
// the run with n = 1 must give d3 = H (d1/H)^3 at every step, and n = 0 ignores the drug.
TEST(MacrophageRules, JakInhibitionScalesDriveAsPowerOfJakDependence) {
    const double h = ifng_drive(300);
    ASSERT_DOUBLE_EQ(h, 0.5);
    const auto none = drives(1, false), d0 = drives(0, true), d1 = drives(1, true),
               d3 = drives(3, true);
    ASSERT_EQ(d1.size(), 300u);
    ASSERT_EQ(d3.size(), d1.size());
    double max_inhibition = 0, min_inhibition = 1;
    for (std::size_t k = 0; k < d1.size(); ++k) {
        EXPECT_NEAR(none[k], h, 1e-8) << k;
        EXPECT_NEAR(d0[k], h, 1e-8) << k;
        const double kept = d1[k] / h;  // 1 - JAK_M at this step
        EXPECT_NEAR(d3[k], h * kept * kept * kept, 1e-8) << k;
        max_inhibition = std::max(max_inhibition, 1 - kept);
        min_inhibition = std::min(min_inhibition, 1 - kept);
    }
    // The bolus acted strongly (0.77 at t = 0) and wore off (0.06 after 8 h).
    EXPECT_GT(max_inhibition, 0.5);
    EXPECT_LT(min_inhibition, 0.2);
}

/// Engulfments in 50 steps by 16 macrophages in `state` (stat1 held at `stat1`: on = off = 0),
/// each with 20 blood cells 8 um away and no other macrophage within 42 um.
int engulfed_in_50_steps(int state, double stat1, int* blood_left) {
    HlhRun run(R"(
duration: 100 min
domain: {size: [200 um, 200 um]}
macrophages: {count: 16, engulf_rate: 0.05 1/min, contact_radius: 18 um,
              activation_threshold: 0.5, deactivation_threshold: 0.3,
              hemophagocytic_threshold: 0.99}
blood: {rbc: 320, transit_time: 1e12 min}
)");
    Population& mac = run.pop("macrophage");
    Population& blood = run.pop("blood");
    for (std::size_t m = 0; m < 16; ++m) {
        const Vec3 c{25.0 + 50.0 * static_cast<double>(m % 4),
                     25.0 + 50.0 * static_cast<double>(m / 4), 0};
        mac.set_position(m, c);
        run.col<std::uint8_t>("macrophage", "state")[m] = static_cast<std::uint8_t>(state);
        run.col<double>("macrophage", "stat1")[m] = stat1;
        for (std::size_t b = 0; b < 20; ++b) {
            const double a = 0.314159 * static_cast<double>(b);
            blood.set_position(m * 20 + b, c + Vec3{8 * std::cos(a), 8 * std::sin(a), 0});
        }
    }
    run.run([&](int) {
        ASSERT_EQ(count_states(run.col<std::uint8_t>("macrophage", "state"), 3)[state], 16);
    });
    int total = 0;
    for (std::int32_t e : run.col<std::int32_t>("macrophage", "engulfed")) total += e;
    *blood_left = static_cast<int>(blood.size());
    return total;
}

// Only hemophagocytes engulf: 16 x 50 = 800 trials of p = 1 - e^(-0.05*2) = 0.0952 give
// 76.1 +- 8.3 engulfments (each has 20 cells in reach, never exhausted), none otherwise.
TEST(MacrophageRules, OnlyHemophagocytesEngulfBloodCells) {
    int left = 0;
    EXPECT_EQ(engulfed_in_50_steps(kResting, 0.0, &left), 0);
    EXPECT_EQ(left, 320);
    EXPECT_EQ(engulfed_in_50_steps(kActivated, 0.6, &left), 0);
    EXPECT_EQ(left, 320);
    const int n = engulfed_in_50_steps(kHemophagocytic, 0.9, &left);
    EXPECT_EQ(left, 320 - n);
    EXPECT_LT(binomial_z(n, 800, per_step(0.05)), 4) << n << " engulfed";
}

}  // namespace
}  // namespace hlhsim::models::hlh
