// The CD8 T-cell rule of the HLH model (models/hlh/cd8_rules.cpp, docs/model.md 7.3), driven
// through the real model on a small patch: priming on contact, the first division, killing
// and detachment by competence, exhaustion, contraction without antigen and the niche
// capacity. T cells and trigger cells are placed by the test and do not move (speeds 0).
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <numbers>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "tests/models/hlh/hlh_rule_harness.hpp"

namespace hlhsim::models::hlh {
namespace {

using testing::binomial_z;
using testing::BirthTally;
using testing::count_states;
using testing::HlhRun;
using testing::kDt;
using testing::per_step;

constexpr int kNaive = 0, kActivated = 1, kEffector = 2, kExhausted = 3;

std::vector<int> cd8_states(HlhRun& run) {
    return count_states(run.col<std::uint8_t>("cd8", "state"), 4);
}

void set_cd8(HlhRun& run, int state, double stimulation) {
    for (auto& s : run.col<std::uint8_t>("cd8", "state")) s = static_cast<std::uint8_t>(state);
    for (auto& s : run.col<double>("cd8", "stimulation")) s = stimulation;
}

/// Puts the n T cells around one trigger cell at (50, 50) um, `distance` um away.
void ring_around_trigger(HlhRun& run, double distance) {
    run.pop("trigger").set_position(0, {50, 50, 0});
    Population& c = run.pop("cd8");
    for (std::size_t i = 0; i < c.size(); ++i) {
        const double a =
            2 * std::numbers::pi * static_cast<double>(i) / static_cast<double>(c.size());
        c.set_position(i, {50 + distance * std::cos(a), 50 + distance * std::sin(a), 0});
    }
}

// A naive cell touching a trigger cell is primed with p = 1 - e^(-0.05*2) = 0.0952 per step:
// after 7 steps (1-p)^7 = e^-0.7 = 0.497 of 200 are still naive (99.3 +- 7.1). Beyond the
// contact radius (20 um > 12 um) nothing happens.
TEST(Cd8Rules, NaiveActivatesOnAntigenContactOnly) {
    const std::string yaml = R"(
cd8: {naive_count: 200, priming_rate: 0.05 1/min, contact_radius: 12 um}
trigger: {initial: 1}
)";
    {
        HlhRun run(yaml + "duration: 14 min\n");
        ring_around_trigger(run, 5);
        run.run({});
        const auto n = cd8_states(run);
        EXPECT_EQ(n[kNaive] + n[kActivated], 200);
        EXPECT_LT(binomial_z(n[kNaive], 200, std::exp(-0.7)), 4) << n[kNaive] << " naive";
    }
    {
        HlhRun run(yaml + "duration: 200 min\n");
        ring_around_trigger(run, 20);
        run.run({});
        EXPECT_EQ(cd8_states(run)[kNaive], 200);
    }
}

// state_time grows by 2 min per step: it reaches first_division_delay = 60 min in step 30,
// when every activated cell becomes an effector and divides once (room 1 - 30/1e9).
TEST(Cd8Rules, ActivatedBecomesEffectorAfterFirstDivisionDelayWithOneDivision) {
    HlhRun run(R"(
duration: 100 min
cd8: {naive_count: 30, first_division_delay: 60 min, capacity: 1e9, crowd_limit: 1000}
)");
    set_cd8(run, kActivated, 0);
    run.run([&](int k) {
        const auto n = cd8_states(run);
        if (k < 30) {
            ASSERT_EQ(n[kActivated], 30) << "step " << k;
        } else {
            ASSERT_EQ(n[kEffector], 60) << "step " << k;
            ASSERT_EQ(run.pop("cd8").size(), 60u);
        }
        if (k == 30) {
            for (double t : run.col<double>("cd8", "state_time")) ASSERT_EQ(t, 0.0);
            for (std::int32_t kills : run.col<std::int32_t>("cd8", "kills")) ASSERT_EQ(kills, 0);
            for (std::int64_t c : run.col<std::int64_t>("cd8", "contact")) ASSERT_EQ(c, -1);
        }
    });
}

/// 100 effector-trigger pairs on a 30 um lattice of a 300 um patch: each T cell 5 um from its
/// own trigger and >= 25 um from any other, so every pair is a separate trial.
HlhRun pairs(const std::string& competence, const std::string& duration,
             const std::string& extra = "") {
    HlhRun run(R"(
domain: {size: [300 um, 300 um]}
cd8: {naive_count: 100, contact_radius: 12 um, kill_time: 20 min, detach_time: 40 min}
trigger: {initial: 100}
patient: {cytotoxic_competence: )" +
               competence + "}\nduration: " + duration + "\n" + extra);
    for (std::size_t i = 0; i < 100; ++i) {
        const Vec3 p{15 + 30.0 * static_cast<double>(i % 10),
                     15 + 30.0 * static_cast<double>(i / 10), 0};
        run.pop("trigger").set_position(i, p);
        run.pop("cd8").set_position(i, p + Vec3{5, 0, 0});
    }
    set_cd8(run, kEffector, 0);
    return run;
}

int total_kills(HlhRun& run) {
    int n = 0;
    for (std::int32_t k : run.col<std::int32_t>("cd8", "kills")) {
        EXPECT_LE(k, 1);
        n += k;
    }
    return n;
}

// Kill rate = competence / kill_time: at competence 1, p = 1 - e^(-2/20) per step and 7 steps
// leave e^-0.7 = 0.497 of the triggers (49.7 +- 5.0 of 100); at competence 0.5 the same
// survival takes 14 steps.
TEST(Cd8Rules, KillingScalesWithCytotoxicCompetence) {
    for (const auto& [competence, duration] :
         {std::pair<std::string, std::string>{"1", "14 min"}, {"0.5", "28 min"}}) {
        HlhRun run = pairs(competence, duration);
        run.run({});
        const int left = static_cast<int>(run.pop("trigger").size());
        EXPECT_EQ(total_kills(run), 100 - left);
        EXPECT_LT(binomial_z(left, 100, std::exp(-0.7)), 4)
            << left << " triggers left at competence " << competence;
    }
}

// A drug that blocks degranulation by half (a bolus far above its IC50, emax 0.5) halves
// the kill rate like competence 0.5: at competence 1, 14 steps leave e^-0.7 of the triggers.
TEST(Cd8Rules, DegranulationBlockLowersKillingLikeCompetence) {
    HlhRun run = pairs("1", "28 min", R"(
drugs:
  blocker:
    pk: {compartments: 1, route: iv_bolus, volume: 1 L, half_life: 1000 h,
         molecular_weight: 1000 g/mol}
    effects: [{target: degranulation, concentration: plasma, ic50: 1 nM, hill: 1, emax: 0.5}]
treatments:
  - {name: b, start: 0 min, schedules: [{drug: blocker, dose: 1000 mg, frequency: once}]}
)");
    run.run({});
    const int left = static_cast<int>(run.pop("trigger").size());
    EXPECT_EQ(total_kills(run), 100 - left);
    EXPECT_LT(binomial_z(left, 100, std::exp(-0.7)), 4) << left << " triggers left";
}

// At competence 0 nothing is killed. A bound cell detaches with p = 1 - e^(-2/40) = 0.0488
// per step and rebinds the next step (its target is still in reach), so over 100 steps the
// 10,000 cell-steps hold 488 +- 21.5 detachments (contact -1 right after a step).
TEST(Cd8Rules, NoKillingAtCompetenceZeroAndDetachmentAtDetachTime) {
    HlhRun run = pairs("0", "200 min");
    const auto ids = run.pop("trigger").ids();
    const std::set<std::uint64_t> trig_ids(ids.begin(), ids.end());
    std::set<std::int64_t> bound;
    int detached = 0;
    run.run([&](int) {
        bound.clear();
        for (std::int64_t c : run.col<std::int64_t>("cd8", "contact")) {
            if (c < 0) {
                ++detached;
            } else {  // bound to a trigger cell, each to its own
                ASSERT_TRUE(trig_ids.count(static_cast<std::uint64_t>(c)));
                ASSERT_TRUE(bound.insert(c).second);
            }
        }
    });
    EXPECT_EQ(run.pop("trigger").size(), 100u);
    EXPECT_EQ(total_kills(run), 0);
    EXPECT_LT(binomial_z(detached, 10000, per_step(1 / 40.0)), 4) << detached << " detachments";
}

// Effector -> exhausted at exhaustion_rate x stimulation: with stimulation held at 1
// (no decay) p = 1 - e^(-0.01*2) = 0.0198, and 35 steps leave e^-0.7 = 0.497 of 200 effectors;
// with stimulation 0 none is exhausted.
TEST(Cd8Rules, ExhaustionAtRateTimesStimulation) {
    const std::string yaml = R"(
duration: 70 min
cd8: {naive_count: 200, exhaustion_rate: 0.01 1/min, stimulation_decay: 0 1/min}
)";
    {
        HlhRun run(yaml);
        set_cd8(run, kEffector, 1);
        run.run({});
        const auto n = cd8_states(run);
        EXPECT_EQ(n[kEffector] + n[kExhausted], 200);
        EXPECT_LT(binomial_z(n[kEffector], 200, std::exp(-0.7)), 4) << n[kEffector];
    }
    {
        HlhRun run(yaml);
        set_cd8(run, kEffector, 0);
        run.run({});
        EXPECT_EQ(cd8_states(run)[kEffector], 200);
    }
}

// Without antigen (stimulation 0 < antigen_sustain 0.05) effectors die at 1/effector_lifespan:
// p = 1 - e^(-2/100), 35 steps leave e^-0.7 = 0.497 of 200; while stimulation stays above
// antigen_sustain they live 5x longer: e^-0.14 = 0.869 survive (173.9 +- 4.8).
TEST(Cd8Rules, EffectorsContractWithoutAntigen) {
    HlhRun run(R"(
duration: 70 min
cd8: {naive_count: 400, effector_lifespan: 100 min, antigen_sustain: 0.05,
      stimulation_decay: 0 1/min}
)");
    set_cd8(run, kEffector, 0);
    auto stim = run.col<double>("cd8", "stimulation");
    for (std::size_t i = 0; i < 200; ++i) stim[i] = 1;
    run.run({});
    int sustained = 0, unsustained = 0;
    for (double s : run.col<double>("cd8", "stimulation")) (s > 0.5 ? sustained : unsustained)++;
    EXPECT_EQ(cd8_states(run)[kEffector], sustained + unsustained);
    EXPECT_LT(binomial_z(unsustained, 200, std::exp(-0.7)), 4) << unsustained;
    EXPECT_LT(binomial_z(sustained, 200, std::exp(-0.14)), 4) << sustained;
}

/// Sustained effectors dividing at 0.01/min under a clamped IL-2 of 1e4 pg/mL.
HlhRun dividing(const std::string& capacity, const std::string& duration) {
    return HlhRun(R"(
cd8: {naive_count: 50, division_rate: 0.01 1/min, antigen_sustain: 0.05,
      stimulation_decay: 0 1/min, il2_division: {ec50: 1 pg/mL, hill: 1, emax: 1},
      crowd_limit: 1000, max_cells: 1000000, capacity: )" +
                  capacity + "}\nduration: " + duration + R"(
perturbations:
  - {at: 0 min, add_cytokine: {field: il2, amount: 10000 pg/mL}}
)");
}

// Each sustained effector divides with p = p(0.01 H(IL-2)) x (1 - n/capacity) per step:
// with capacity 100 the clone of 50 fills the niche and stops there. The births counted
// step by step must match the sum of n p (1 - n/100) within 4 sd (a martingale), and the
// count never passes the capacity by more than a cell or two. Without the capacity the
// same 100 steps take it past 200 (50 x 1.0198^100 = 355).
TEST(Cd8Rules, DivisionsStopAsCountNearsCapacity) {
    const double p = per_step(0.01 * 1e4 / (1 + 1e4));
    {
        HlhRun run = dividing("100", "1000 min");
        set_cd8(run, kEffector, 1);
        BirthTally t(50);
        run.run([&](int) {
            t.step(static_cast<double>(run.pop("cd8").size()), p * std::max(0.0, 1 - t.prev / 100));
        });
        EXPECT_LE(t.peak, 102);
        EXPECT_GE(t.prev, 95);
        EXPECT_LT(t.z(), 4) << t.births << " births, expected " << t.expected;
    }
    {
        HlhRun run = dividing("1e9", "200 min");
        set_cd8(run, kEffector, 1);
        run.run({});
        EXPECT_GT(run.pop("cd8").size(), 200u);
    }
}

}  // namespace
}  // namespace hlhsim::models::hlh
