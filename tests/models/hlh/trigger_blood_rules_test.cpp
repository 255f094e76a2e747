// The trigger and blood rules of the HLH model (models/hlh/trigger_blood_rules.cpp,
// docs/model.md 7.4, 7.5, 7.7), driven through the real model on a 100 um patch: logistic
// division of the trigger, its Poisson influx and TNF-driven reactivation, the finite
// reservoir with return to latency, and the transit of blood cells.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numeric>
#include <set>
#include <string>
#include <vector>

#include "tests/models/hlh/hlh_rule_harness.hpp"

namespace hlhsim::models::hlh {
namespace {

using testing::binomial_z;
using testing::BirthTally;
using testing::HlhRun;
using testing::kDt;
using testing::per_step;

double trigger_count(HlhRun& run) { return static_cast<double>(run.pop("trigger").size()); }

// Each trigger cell divides with p = 1 - exp(-0.01 (1 - n/100) 2) per step: 20 cells fill the
// niche of 100 and stop. Births counted step by step must match the sum of n p within 4 sd (a
// martingale), and the count never passes 100 by more than a cell or two (at n = 99 a step
// makes 0.02 births on average). Without the carrying capacity the same cells pass 300 in
// 200 steps (20 x 1.0198^200 = 1000).
TEST(TriggerRules, DivisionStopsAtCarryingCapacity) {
    auto yaml = [](const std::string& capacity, const std::string& duration) {
        return "duration: " + duration +
               "\ntrigger: {initial: 20, division_rate: 0.01 1/min, lifespan: 0 min, "
               "carrying_capacity: " +
               capacity + "}\n";
    };
    {
        HlhRun run(yaml("100", "1200 min"));
        BirthTally t(20);
        run.run([&](int) {
            t.step(trigger_count(run), per_step(0.01 * std::max(0.0, 1 - t.prev / 100)));
        });
        EXPECT_LE(t.peak, 102);
        EXPECT_GE(t.prev, 95);
        EXPECT_LT(t.z(), 4) << t.births << " births, expected " << t.expected;
    }
    {
        HlhRun run(yaml("1000000", "400 min"));
        run.run({});
        EXPECT_GT(trigger_count(run), 300);
    }
}

/// New trigger cells per step over `duration`.
std::vector<double> arrivals(const std::string& extra) {
    HlhRun run(extra);
    std::vector<double> per_step_counts;
    double prev = 0;
    run.run([&](int) {
        const double n = trigger_count(run);
        per_step_counts.push_back(n - prev);
        prev = n;
    });
    return per_step_counts;
}

// influx 0.5/min: Poisson counts of mean 0.5 x 2 = 1 per step, only while the source is on
// (steps 51-250: time 100 <= t < 500 min). 200 steps give 200 +- 14.1 cells, with variance
// about equal to the mean (sd of the sample variance sqrt(3/200) = 0.12).
TEST(TriggerRules, InfluxIsPoissonWithinTheSourceWindow) {
    const auto a = arrivals(R"(
duration: 700 min
trigger: {influx: 0.5 1/min, source_start: 100 min, source_stop: 500 min, reservoir: 0}
)");
    ASSERT_EQ(a.size(), 350u);
    double sum = 0, sum2 = 0;
    for (std::size_t k = 0; k < a.size(); ++k) {
        const bool on = k + 1 >= 51 && k + 1 <= 250;
        if (!on) {
            EXPECT_EQ(a[k], 0) << "step " << k + 1;
            continue;
        }
        sum += a[k], sum2 += a[k] * a[k];
    }
    EXPECT_LT(std::abs(sum - 200), 4 * std::sqrt(200.0)) << sum;
    const double mean = sum / 200, var = (sum2 - 200 * mean * mean) / 199;
    EXPECT_GT(var / mean, 0.5);
    EXPECT_LT(var / mean, 1.5);
}

// Reactivation adds reactivation x H(mean TNF; 100 pg/mL, 2): TNF held at 100 pg/mL gives
// 0.5 x 0.5 = 0.25/min, 0.5 per step: 200 steps bring 100 +- 10 cells.
TEST(TriggerRules, ReactivationFollowsTissueTnf) {
    const auto a = arrivals(R"(
duration: 400 min
fields: {substances: {tnf: {decay: 0 1/min}}}
trigger: {influx: 0 1/min, reactivation: 0.5 1/min, reservoir: 0,
          tnf_reactivation: {ec50: 100 pg/mL, hill: 2, emax: 1}}
perturbations:
  - {at: 0 min, add_cytokine: {field: tnf, amount: 100 pg/mL}}
)");
    const double sum = std::accumulate(a.begin(), a.end(), 0.0);
    EXPECT_LT(std::abs(sum - 100), 4 * std::sqrt(100.0)) << sum;
}

// A finite reservoir of 40 hidden cells: influx 0.5/min x R/40, each arrival leaving the
// reservoir, and visible cells going back at latency_rate 0.02/min (p = 0.0392 per step).
// With no division, killing or death, reservoir + visible = 40 at every record. Arrivals
// (new ids) and returns (vanished ids) must match their expected sums within 4 sd:
// sum of R/40 per step for arrivals (R after the step's returns), sum of n p for returns.
TEST(TriggerRules, ReservoirPlusVisibleIsConservedWithLatency) {
    HlhRun run(R"(
duration: 800 min
trigger: {influx: 0.5 1/min, reservoir: 40, latency_rate: 0.02 1/min, division_rate: 0 1/min,
          lifespan: 0 min}
)");
    std::set<std::uint64_t> seen;
    double reservoir = 40, arrived = 0, arrived_expected = 0, returned = 0, returned_expected = 0,
           returned_var = 0;
    const double p_hide = per_step(0.02);
    run.run(
        [&](int) {
            const auto ids = run.pop("trigger").ids();
            const std::set<std::uint64_t> now(ids.begin(), ids.end());
            double in = 0, out = 0;
            for (std::uint64_t id : now) in += seen.count(id) ? 0 : 1;
            for (std::uint64_t id : seen) out += now.count(id) ? 0 : 1;
            const double visible_before = static_cast<double>(seen.size());
            returned_expected += visible_before * p_hide;
            returned_var += visible_before * p_hide * (1 - p_hide);
            // Returns come first in the step, so arrivals see the refilled reservoir.
            arrived_expected += 0.5 * kDt * (reservoir + out) / 40;
            reservoir += out - in;
            arrived += in, returned += out;
            seen = now;
            ASSERT_GE(reservoir, 0);
        },
        1, "reservoir");
    EXPECT_GT(returned, 10);
    EXPECT_LT(std::abs(arrived - arrived_expected), 4 * std::sqrt(arrived_expected))
        << arrived << " arrivals, expected " << arrived_expected;
    EXPECT_LT(std::abs(returned - returned_expected), 4 * std::sqrt(returned_var))
        << returned << " returns, expected " << returned_expected;
    const auto r = run.series("trigger_reservoir"), v = run.series("cells_trigger");
    ASSERT_EQ(r.size(), 401u);
    for (std::size_t i = 0; i < r.size(); ++i) ASSERT_EQ(r[i] + v[i], 40) << "record " << i;
    EXPECT_EQ(r.back(), reservoir);
    EXPECT_LT(*std::min_element(r.begin(), r.end()), 30);  // it did empty and refill
}

// Without latency the reservoir only empties: at influx 5/min x R/40 (R/4 per step) all 40
// cells are out within 200 steps, never more than 40.
TEST(TriggerRules, ReservoirWithoutLatencyOnlyEmpties) {
    HlhRun run(R"(
duration: 400 min
trigger: {influx: 5 1/min, reservoir: 40, latency_rate: 0 1/min}
)");
    run.run({}, 1, "reservoir_empties");
    const auto r = run.series("trigger_reservoir"), v = run.series("cells_trigger");
    for (std::size_t i = 0; i < r.size(); ++i) {
        ASSERT_EQ(r[i] + v[i], 40) << "record " << i;
        if (i > 0) {
            ASSERT_LE(r[i], r[i - 1]) << "record " << i;
        }
    }
    EXPECT_EQ(r.back(), 0);
    EXPECT_EQ(v.back(), 40);
}

// The reservoir grows by whole births at reservoir_growth x il6_reservoir_growth(IL-6) x R
// x (1 - R / capacity). IL-6 is held at 1000 pg/mL against an EC50 of 1 pg/mL (share
// > 0.998 even after the field's decay within a step), so from 50 hidden cells of a
// 1000-cell niche at 0.0005/min the births over 2000 min are Poisson with the mean summed
// from the recorded R (~85), and R is a whole number at every record.
/// The reservoir's record over `duration` with tissue IL-6 held at 1000 pg/mL after every
/// step, against an EC50 of 1 pg/mL: a saturated growth signal.
std::vector<double> reservoir_with_il6_held(const std::string& duration, const std::string& trigger,
                                            const std::string& name,
                                            std::vector<double>* visible = nullptr) {
    HlhRun run("duration: " + duration + "\ntrigger: {" + trigger +
               ", reservoir_capacity: 1000, il6_reservoir_growth: {ec50: 1 pg/mL, hill: 1}}\n");
    run.run([&](int) { std::ranges::fill(run.field("il6"), 1000.0); }, 1, name);
    if (visible) *visible = run.series("cells_trigger");
    return run.series("trigger_reservoir");
}

TEST(TriggerRules, ReservoirGrowsByWholeBirths) {
    const auto r = reservoir_with_il6_held(
        "2000 min", "influx: 0 1/min, reservoir: 50, reservoir_growth: 0.0005 1/min",
        "reservoir_grows");
    double expected = 0;
    // Record 0 is t = 0 and step 1 runs before IL-6 is first set: births from step 2 on.
    for (std::size_t i = 1; i < r.size(); ++i) {
        ASSERT_EQ(r[i], std::floor(r[i])) << "record " << i;
        ASSERT_GE(r[i], r[i - 1]) << "record " << i;
        if (i >= 2) expected += 0.0005 * r[i - 1] * (1 - r[i - 1] / 1000) * kDt;
    }
    const double births = r.back() - 50;
    EXPECT_GT(expected, 60);
    EXPECT_LT(std::abs(births - expected), 4 * std::sqrt(expected))
        << births << " births, expected " << expected;
}

// A reservoir whose last hidden cell has come out stays empty under the same IL-6: once
// the T cells have killed what it released, the source is gone (the cure of the seed case).
TEST(TriggerRules, AnEmptiedReservoirStaysEmpty) {
    std::vector<double> v;
    const auto r = reservoir_with_il6_held(
        "400 min", "influx: 100 1/min, reservoir: 5, reservoir_growth: 0.01 1/min",
        "reservoir_stays_empty", &v);
    ASSERT_GE(r.size(), 3u);
    EXPECT_EQ(r[1], 0);  // all 5 out in step 1 (mean 200 arrivals asked for)
    for (std::size_t i = 1; i < r.size(); ++i) ASSERT_EQ(r[i], 0) << "record " << i;
    EXPECT_EQ(v.back(), 5);
}

/// Mean stay [min] of the 400 blood cells present at t = 0, leaving at 1/transit_time.
double mean_stay(const std::string& transit, int* left_after_21) {
    HlhRun run(R"(
duration: 1600 min
blood: {rbc: 400, transit_time: )" +
               transit + "}\n");
    // Ids are never reused and the cells arriving later get larger ids than every cell
    // placed at t = 0: the cohort is the rows with id <= the largest initial one.
    const auto ids0 = run.pop("blood").ids();
    const std::uint64_t last = *std::max_element(ids0.begin(), ids0.end());
    double stay = 0, cohort = 400;
    run.run([&](int k) {
        const auto ids = run.pop("blood").ids();
        const auto n = static_cast<double>(
            std::count_if(ids.begin(), ids.end(), [&](std::uint64_t id) { return id <= last; }));
        stay += (cohort - n) * k * kDt;  // these left in step k, after k steps in the patch
        cohort = n;
        if (k == 21) *left_after_21 = static_cast<int>(n);
    });
    EXPECT_EQ(cohort, 0);
    return stay / 400;
}

// Leaving with p = 1 - e^(-2/T) per step, a cell stays k steps with probability
// (1-p)^(k-1) p: mean 2/p = 61.0 min for T = 60 min (31.0 for 30), sd 2 sqrt(1-p)/p = 60,
// so the mean of 400 is good to 3 min; after 21 steps e^(-42/60) = 0.497 are still there.
TEST(BloodRules, CellsLeaveAfterTheirTransitTime) {
    for (const double transit : {60.0, 30.0}) {
        int left = 0;
        const double mean = mean_stay(std::to_string(transit) + " min", &left);
        const double p = per_step(1 / transit);
        EXPECT_LT(std::abs(mean - kDt / p), 4 * kDt * std::sqrt(1 - p) / p / 20)
            << "transit " << transit << ": mean stay " << mean;
        if (transit == 60.0) {
            EXPECT_LT(binomial_z(left, 400, std::exp(-0.7)), 4) << left;
        }
    }
}

/// Every column of every population, as raw bytes.
std::vector<std::vector<unsigned char>> dump(const HlhRun& run) {
    std::vector<std::vector<unsigned char>> out;
    for (const Population& p : run.sim().populations())
        for (std::size_t c = 0; c < p.num_columns(); ++c) {
            const auto* b = static_cast<const unsigned char*>(p.column_data(c));
            out.emplace_back(b, b + p.size() * column_type_size(p.column_type(c)));
        }
    return out;
}

// Kill and engulfment claims are settled serially in a fixed order and every draw is keyed
// by (seed, stream, step, id): a busy patch (hundreds of each cell, every rule on) ends
// bitwise the same on 1 and 2 threads.
TEST(ClaimRules, SameAgentsOnOneAndTwoThreads) {
    const std::string yaml = R"(
duration: 200 min
domain: {size: [200 um, 200 um]}
patient: {cytotoxic_competence: 0.5}
cd8: {naive_count: 300, speed: 6 um/min, contact_speed: 1 um/min, naive_speed: 10 um/min,
      priming_rate: 0.05 1/min, first_division_delay: 20 min, division_rate: 0.01 1/min,
      exhaustion_rate: 0.001 1/min, effector_lifespan: 1000 min,
      stimulation_decay: 0.001 1/min, ifng_secretion: 1e-4 pg/min, il2_secretion: 5e-5 pg/min,
      capacity: 2000}
macrophages: {count: 200, speed: 2 um/min, activated_speed: 1 um/min,
              hemophagocytic_speed: 0.4 um/min, stat1_on: 0.05 1/min, stat1_off: 0.002 1/min,
              hemophagocytic_threshold: 0.6, hemophagocytic_rate: 0.05 1/min,
              engulf_rate: 0.2 1/min, antigen_uptake: 0.01 mL/min,
              presentation_decay: 0.001 1/min}
trigger: {initial: 300, division_rate: 0.005 1/min, carrying_capacity: 1000,
          speed: 0.5 um/min, antigen_secretion: 1 1/min, influx: 0.2 1/min}
blood: {rbc: 300, platelets: 100, transit_time: 60 min, speed: 3 um/min}
perturbations:
  - {at: 0 min, add_cytokine: {field: ifng, amount: 1000 pg/mL}}
  - {at: 0 min, add_cytokine: {field: il2, amount: 100 pg/mL}}
)";
    HlhRun one(yaml), two(yaml);
    one.run({}, 1);
    two.run({}, 2);
    int kills = 0, engulfed = 0;
    for (std::int32_t k : one.col<std::int32_t>("cd8", "kills")) kills += k;
    for (std::int32_t e : one.col<std::int32_t>("macrophage", "engulfed")) engulfed += e;
    EXPECT_GT(kills, 20);
    EXPECT_GT(engulfed, 20);
    EXPECT_TRUE(dump(one) == dump(two));
}

}  // namespace
}  // namespace hlhsim::models::hlh
