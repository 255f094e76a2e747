#include "sim/schedule/schedule.hpp"

#include <gtest/gtest.h>
#include <tbb/task_arena.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>
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
        s.add_phase("fast", 0.5, fast, {.batch = [&, fast](const Tick& first, std::uint64_t count) {
                        batch_sizes->push_back(count);
                        for (std::uint64_t k = 0; k < count; ++k) {
                            const std::uint64_t step = first.step + k;
                            fast(Tick{step, static_cast<double>(step) * 0.5, first.dt});
                        }
                    }});
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

// A base-period phase "fast" (batchable when `ready`) and a slow phase "slow" (5 min)
// after it, declared independent of fast or not, with an event at 3.2 min, to 11 min. Each
// phase logs its own steps (the two may run at the same time), and on_step logs how many
// steps of fast had run when it was told of each step.
// With `stop_at`, on_step asks to stop when told of that step, and the run is resumed.
struct BesideRun {
    std::vector<std::string> fast, slow, seen;
    std::vector<std::uint64_t> batch_sizes;
    double stopped_at = -1;  ///< the schedule's time when the stop took effect [min]
};

BesideRun run_beside(bool independent, bool ready, bool early = false, int stop_at = -1) {
    Schedule s;
    BesideRun r;
    const auto fast = [&r](const Tick& t) { r.fast.push_back("f" + std::to_string(t.step)); };
    if (early) s.add_phase("early", 5.5, [](const Tick&) {});
    s.add_phase("fast", 0.5, fast,
                {.batch =
                     [&r, fast](const Tick& first, std::uint64_t count) {
                         r.batch_sizes.push_back(count);
                         for (std::uint64_t k = 0; k < count; ++k)
                             fast(Tick{first.step + k, 0, first.dt});
                     },
                 .batch_ready = [ready] { return ready; }});
    s.add_phase("slow", 5.0,
                [&r](const Tick& t) { r.slow.push_back("s" + std::to_string(t.step)); },
                {.independent_of = independent ? "fast" : ""});
    s.add_event(3.2, "dose", [](const Tick&) {});
    const auto on_step = [&r, stop_at](const Tick& t) {
        r.seen.push_back(std::to_string(t.step) + ":" + std::to_string(r.fast.size()));
        return static_cast<int>(t.step) != stop_at;
    };
    s.run_until(11.0, on_step);
    r.stopped_at = s.time();
    s.run_until(11.0, on_step);
    return r;
}

// A phase independent of a batching one runs beside that phase's next batch when it is the
// last due on its step: each phase runs the same steps, in the same order, as without; the
// pass just takes the batch with it, so on_step hears of the phase's step after the batch.
TEST(Schedule, IndependentPhaseRunsBesideTheNextBatch) {
    const BesideRun beside = run_beside(true, true), plain = run_beside(false, true);
    EXPECT_EQ(beside.fast, plain.fast);
    EXPECT_EQ(beside.slow, plain.slow);
    // The same batches, and one more: step 21, beside slow's step 20 (alone without).
    EXPECT_EQ(beside.batch_sizes, (std::vector<std::uint64_t>{6, 4, 10, 1}));
    EXPECT_EQ(plain.batch_sizes, (std::vector<std::uint64_t>{6, 4, 10}));
    EXPECT_EQ(beside.fast.size(), 22u);
    // Slow on steps 0, 10, 20. Step 0: fast alone, then slow beside fast's steps 1-6 (cut
    // before the event, which fires before step 7): on_step hears of step 0 once fast has run
    // 7 steps. Step 10: slow beside 11-20. Step 20: slow beside step 21 (the last).
    EXPECT_EQ(plain.seen.front(), "0:1");
    EXPECT_EQ(beside.seen.front(), "0:7");
    EXPECT_EQ(beside.seen[10], "10:21");
    EXPECT_EQ(beside.seen[20], "20:22");
    // Steps 7-10 form a pass of their own as before (the event came first).
    EXPECT_EQ(beside.seen[7], "7:11");
    EXPECT_EQ(plain.seen[7], "7:11");
}

// A stop asked for in the middle of a pass takes effect at the end of the step whose phases
// are running: the slow phase then runs alone, without starting the next batch; resumed, the
// run does what it would have done.
TEST(Schedule, StopDuringAPassWithAPhaseBesideEndsItAtTheCurrentStep) {
    const BesideRun plain = run_beside(false, true);
    const BesideRun stopped = run_beside(true, true, false, 12);
    // Told of step 12 after slow's step 10 and fast's steps 11-20 ran: step 20 is finished
    // (slow runs alone) and the run stops before step 21.
    EXPECT_EQ(stopped.seen[12], "12:21");
    EXPECT_DOUBLE_EQ(stopped.stopped_at, 10.5);
    EXPECT_EQ(stopped.fast, plain.fast);
    EXPECT_EQ(stopped.slow, plain.slow);
    EXPECT_EQ(stopped.seen.size(), plain.seen.size());
}

// Not beside: when the batching phase cannot batch now, nor when an earlier phase is due on
// the step after (it must see the slow phase's work done).
TEST(Schedule, IndependentPhaseRunsAloneWhenTheNextStepsCannotBatch) {
    const BesideRun not_ready = run_beside(true, false);
    EXPECT_TRUE(not_ready.batch_sizes.empty());
    EXPECT_EQ(not_ready.seen.front(), "0:1");
    EXPECT_EQ(not_ready.seen[10], "10:11");
    // An early phase on steps 0, 11, 22: slow's step 10 runs alone (early must see it
    // done), step 0 still beside 1-6.
    const BesideRun early = run_beside(true, true, true);
    const BesideRun early_plain = run_beside(false, true, true);
    EXPECT_EQ(early.fast, early_plain.fast);
    EXPECT_EQ(early.slow, early_plain.slow);
    EXPECT_EQ(early.seen.front(), "0:7");
    EXPECT_EQ(early.seen[10], "10:11");
    EXPECT_EQ(early_plain.seen[10], "10:11");
}

TEST(Schedule, IndependentOfNamesAnEarlierPhase) {
    Schedule s;
    s.add_phase("a", 1.0, [](const Tick&) {}, {.independent_of = "b"});
    s.add_phase("b", 1.0, [](const Tick&) {});
    EXPECT_THROW(s.finalize(), std::logic_error);
}

// The independent phase and the batch really run at the same time on two threads: each
// waits (up to 10 s) for the other to have started.
TEST(Schedule, IndependentPhaseAndBatchOverlapOnTwoThreads) {
    Schedule s;
    std::atomic<bool> batch_started{false}, slow_started{false};
    std::atomic<int> met{0};
    const auto meet = [&met](std::atomic<bool>& mine, const std::atomic<bool>& other) {
        mine = true;
        const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(10);
        while (!other && std::chrono::steady_clock::now() < until) std::this_thread::yield();
        if (other) ++met;
    };
    s.add_phase("fast", 1.0, [](const Tick&) {},
                {.batch = [&](const Tick&, std::uint64_t) { meet(batch_started, slow_started); }});
    s.add_phase("slow", 4.0,
                [&](const Tick& t) {
                    if (t.step == 0) meet(slow_started, batch_started);
                },
                {.independent_of = "fast"});
    tbb::task_arena(2).execute([&] { s.run_until(4.0); });
    EXPECT_EQ(met.load(), 2);
}

// After a batch, the phases of its last step see that step's time in time() (what, e.g., an
// event a phase logs is stamped with), not the time of the batch's first step.
TEST(Schedule, TimeIsThatOfTheRunningStepAfterABatch) {
    Schedule s;
    int checked = 0;
    s.add_phase("fast", 0.5, [](const Tick&) {}, {.batch = [](const Tick&, std::uint64_t) {}});
    s.add_phase("slow", 5.0, [&](const Tick& t) {
        EXPECT_DOUBLE_EQ(s.time(), t.time);
        ++checked;
    });
    s.run_until(11.0);
    EXPECT_EQ(checked, 3);
}

TEST(Schedule, OnlyBaseStepPhasesBatch) {
    Schedule s;
    int singles = 0, batches = 0;
    s.add_phase("base", 1.0, [&](const Tick&) {});
    s.add_phase("slow", 2.0, [&](const Tick&) { ++singles; },
                {.batch = [&](const Tick&, std::uint64_t) { ++batches; }});
    s.run_until(10.0);
    EXPECT_EQ(singles, 5);
    EXPECT_EQ(batches, 0);
}

}  // namespace
}  // namespace hlhsim
