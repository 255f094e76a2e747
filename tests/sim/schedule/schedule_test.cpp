#include "sim/schedule/schedule.hpp"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "sim/core/errors.hpp"

namespace hlhsim {
namespace {

TEST(Schedule, PhasesRunAtTheirOwnPeriodsInOrder) {
    Schedule s;
    std::vector<std::string> log;
    s.add_phase("fast", 0.1, [&](const Tick& t) { log.push_back("f" + std::to_string(t.step)); });
    s.add_phase("slow", 0.3, [&](const Tick& t) {
        EXPECT_DOUBLE_EQ(t.dt, 0.3);
        log.push_back("s" + std::to_string(t.step));
    });
    s.run_until(0.6);
    const std::vector<std::string> expected{"f0", "s0", "f1", "f2", "f3", "s3", "f4", "f5"};
    EXPECT_EQ(log, expected);
    EXPECT_DOUBLE_EQ(s.base_dt(), 0.1);
    EXPECT_EQ(s.phases()[1].every, 3u);
    EXPECT_EQ(s.phases()[1].runs, 2u);
}

TEST(Schedule, RejectsPeriodsThatAreNotWholeMultiples) {
    Schedule s;
    s.add_phase("a", 1.0, [](const Tick&) {});
    s.add_phase("b", 2.5, [](const Tick&) {});
    try {
        s.finalize();
        FAIL();
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("'b'"), std::string::npos);
    }
    EXPECT_THROW(s.add_phase("c", 0, [](const Tick&) {}), InputError);
}

TEST(Schedule, EventsFireBeforeThePhasesOfTheirStepInTimeOrder) {
    Schedule s;
    std::vector<std::string> log;
    s.add_phase("p", 1.0, [&](const Tick& t) { log.push_back("p" + std::to_string(t.step)); });
    s.add_event(2.0, "late",
                [&](const Tick& t) { log.push_back("late@" + std::to_string(t.step)); });
    s.add_event(1.5, "mid", [&](const Tick& t) {
        log.push_back("mid@" + std::to_string(t.step));
        s.add_event(2.0, "added", [&](const Tick&) { log.push_back("added"); });
    });
    s.add_event(0.0, "first", [&](const Tick&) { log.push_back("first"); });
    s.run_until(3.0);
    const std::vector<std::string> expected{"first", "p0", "p1", "mid@2", "late@2", "added", "p2"};
    EXPECT_EQ(log, expected);
}

TEST(Schedule, StopsOnRequestAndResumes) {
    Schedule s;
    int runs = 0;
    s.add_phase("p", 0.5, [&](const Tick&) { ++runs; });
    s.run_until(10.0, [](const Tick& t) { return t.step < 3; });
    EXPECT_EQ(runs, 4);
    s.run_until(10.0);
    EXPECT_EQ(runs, 20);
    EXPECT_DOUBLE_EQ(s.time(), 10.0);
}

TEST(Schedule, LongRunsDoNotDriftInTime) {
    Schedule s;
    std::uint64_t runs = 0;
    s.add_phase("p", 0.1, [&](const Tick&) { ++runs; });
    s.run_until(1000.0);
    EXPECT_EQ(runs, 10000u);
}

// Runs a fast base-period phase (0.5 min) between an optional early phase (2 min, added
// before it) and a slow one (5 min, added after it), with an event at 3.2 min, to 11 min;
// batched or step by step. Returns what ran, in order, and what on_step saw, and appends
// the batches' sizes to `batch_sizes`.
std::pair<std::vector<std::string>, std::vector<std::string>> run_fast_and_slow(
    bool batched, bool early, std::vector<std::uint64_t>* batch_sizes) {
    Schedule s;
    std::vector<std::string> work, seen;
    const auto fast = [&work](const Tick& t) {
        work.push_back("f" + std::to_string(t.step) + "@" + std::to_string(t.time));
    };
    if (early) {
        s.add_phase("early", 2.0, [&](const Tick& t) {
            work.push_back("p" + std::to_string(t.step) + "@" + std::to_string(t.time));
        });
    }
    if (batched) {
        s.add_phase("fast", 0.5, fast, [&, fast](const Tick& first, std::uint64_t count) {
            batch_sizes->push_back(count);
            for (std::uint64_t k = 0; k < count; ++k) {
                const std::uint64_t step = first.step + k;
                fast(Tick{step, static_cast<double>(step) * 0.5, first.dt});
            }
        });
    } else {
        s.add_phase("fast", 0.5, fast);
    }
    s.add_phase("slow", 5.0, [&](const Tick& t) {
        work.push_back("s" + std::to_string(t.step) + "@" + std::to_string(t.time));
    });
    s.add_event(3.2, "dose", [&](const Tick& t) { work.push_back("e" + std::to_string(t.step)); });
    s.run_until(11.0, [&](const Tick& t) {
        seen.push_back("o" + std::to_string(t.step));
        return true;
    });
    return {work, seen};
}

// run_fast_and_slow batched and step by step: the two must run the same things in the same
// order and show on_step the same steps. Returns the batches' sizes and how many steps
// on_step saw.
std::pair<std::vector<std::uint64_t>, std::size_t> batched_against_single(bool early) {
    std::vector<std::uint64_t> sizes;
    const auto batched = run_fast_and_slow(true, early, &sizes);
    const auto single = run_fast_and_slow(false, early, nullptr);
    EXPECT_EQ(batched.first, single.first);
    EXPECT_EQ(batched.second, single.second);
    return {sizes, single.second.size()};
}

// A batchable base-period phase gets runs of steps between which nothing else is due; what
// runs when (events and phases) is the same as step by step, and on_step still sees every
// step in order (after the pass rather than between the batch's steps).
TEST(Schedule, BatchesGiveTheStepsOneByOneWouldGive) {
    const auto [sizes, steps_seen] = batched_against_single(false);
    EXPECT_EQ(steps_seen, 22u);  // steps 0-21 (the end at 11 min)
    // Step 0 alone (the slow phase, added after, runs on it too); then steps 1-6, cut before
    // step 7 by the event (t = 3.2 fires before step 7 at t = 3.5); 7-10 and 11-20, each
    // ending on a step of the slow phase, which runs after the batch; step 21 alone.
    EXPECT_EQ(sizes, (std::vector<std::uint64_t>{6, 4, 10}));
}

// A phase added before the batching one ends a batch before its next step.
TEST(Schedule, BatchesStopBeforeTheStepsOfEarlierPhases) {
    const std::vector<std::uint64_t> sizes = batched_against_single(true).first;
    // Early phase on steps 0, 4, 8, ..., 20; slow on 0, 10, 20; event before step 7:
    // 1-3, 4-6, 7 alone, 8-10, 11 alone, 12-15, 16-19, 20 and 21 alone.
    EXPECT_EQ(sizes, (std::vector<std::uint64_t>{3, 3, 3, 4, 4}));
}

TEST(Schedule, OnlyBaseStepPhasesBatch) {
    Schedule s;
    int singles = 0, batches = 0;
    s.add_phase("base", 1.0, [&](const Tick&) {});
    s.add_phase(
        "slow", 2.0, [&](const Tick&) { ++singles; },
        [&](const Tick&, std::uint64_t) { ++batches; });
    s.run_until(10.0);
    EXPECT_EQ(singles, 5);
    EXPECT_EQ(batches, 0);
}

}  // namespace
}  // namespace hlhsim
