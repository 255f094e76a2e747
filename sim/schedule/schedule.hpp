#pragma once
// The multi-rate step loop. Biology spans minutes (killing, secretion) to months
// (a case runs ~550 days), so each phase has its own period. The loop advances
// in base steps (the shortest period); a phase with period P runs at every time
// that is a multiple of P and advances its subsystem by P. Phases run in the
// order they were added (fields, sense, decide, act, commit, systemic, output);
// events (doses, perturbations) fire before the phases of the first step at or
// after their time, in (time, insertion) order. Where nothing else is due, a phase of
// the base period (the fields) may take several steps in one call, and a phase that
// shares no state with it may run at the same time as those steps (PhaseOptions): the
// results are those of the plain order.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace hlhsim {

/// What a phase or event is told when it runs.
struct Tick {
    std::uint64_t step = 0;  ///< base-step index (the RNG's step key)
    double time = 0;         ///< simulated time at the start of this step [min]
    double dt = 0;           ///< the phase's own period [min] (0 for events)
};

class Schedule {
  public:
    using Action = std::function<void(const Tick&)>;
    /// Runs `count` consecutive steps of a phase, the first at `first`: what `count` calls
    /// of its Action at those steps would do, in one call.
    using BatchAction = std::function<void(const Tick& first, std::uint64_t count)>;

    /// How a phase may share its steps with other work (all optional).
    struct PhaseOptions {
        /// For a phase that runs every base step: runs up to kMaxBatch consecutive base steps
        /// in one call where nothing else would run between their turns of this phase: no
        /// event, no phase added before it due on any step but the first, no phase added
        /// after it due on any step but the last (those run after the batch, as they would
        /// after the last step's turn). The results must be the same as step by step;
        /// `on_step` is still called for each of those steps, after the batch.
        BatchAction batch;
        /// Whether `batch` may be used now; empty: always. A batch it allows must read and
        /// write no state of other phases (so that a phase `independent_of` this one can run
        /// beside it).
        std::function<bool()> batch_ready;
        /// The name of a batching phase, added before this one, whose state this phase
        /// neither reads nor writes (e.g. agent mechanics that do not touch the fields).
        /// When this phase is the last due on its step and that phase's next steps can
        /// batch (nothing else due or fired on the first of them either), the two run at
        /// the same time: same results, one join fewer, and the threads' idle ends of each
        /// filled with the other's work.
        std::string independent_of;
    };
    /// Adds a phase. period [min] > 0; all periods must be whole multiples of the
    /// shortest (checked by finalize()).
    void add_phase(std::string name, double period, Action action, PhaseOptions options = {});
    static constexpr std::uint64_t kMaxBatch = 64;
    /// Adds an event at time [min] (>= 0). Events may be added while running.
    void add_event(double time, std::string name, Action action);

    /// Checks the periods and fixes the base step. Throws InputError naming the
    /// offending phase when a period is not a whole multiple of the shortest, and
    /// std::logic_error when an `independent_of` names no phase added before it.
    void finalize();
    double base_dt() const { return base_dt_; }
    std::uint64_t step() const { return step_; }
    double time() const { return static_cast<double>(step_) * base_dt_; }

    /// Runs base steps until time >= end [min]. `on_step` (may be empty) is
    /// called after each base step, e.g. for a progress bar (after a batch, for each of its
    /// steps); returning false stops once the phases of the step running then are done
    /// (with no further batch beside them).
    void run_until(double end, const std::function<bool(const Tick&)>& on_step = {});

    struct PhaseInfo {
        std::string name;
        double period;
        std::uint64_t every;  ///< in base steps
        std::uint64_t runs = 0;
        double seconds = 0;  ///< wall time spent, for profiling summaries (a phase run
                             ///< beside another counts its own; the two overlap)
    };
    const std::vector<PhaseInfo>& phases() const { return info_; }

  private:
    struct Event {
        double time;
        std::uint64_t order;
        std::string name;
        Action action;
    };
    void fire_events(const Tick& tick);

    std::vector<PhaseInfo> info_;
    /// Whether phase i has a batch and may use it now.
    bool can_batch(std::size_t i) const;
    /// Base steps from `first` on (at most kMaxBatch, before `end`) that phase i can take in
    /// one batch (see PhaseOptions::batch); 1 if phase i cannot batch now.
    std::uint64_t batch_length(std::size_t i, std::uint64_t first, double end) const;
    /// Whether phase i, due at step `now`, can run beside a batch of its independent_of
    /// phase starting at step now + 1.
    bool can_run_beside(std::size_t i, std::uint64_t now, double end) const;
    /// Runs phase i at step `now` and, at the same time, its independent_of phase's batch of
    /// `count` steps from now + 1, each timed on its own.
    void run_beside(std::size_t i, std::uint64_t now, std::uint64_t count);
    bool event_due(std::uint64_t step) const;
    /// Whether step `step` starts before `end` [min] (with rounding slack): it is run.
    bool starts_before(std::uint64_t step, double end) const {
        return time_of(step) < end - 1e-9 * base_dt_;
    }
    double time_of(std::uint64_t step) const { return static_cast<double>(step) * base_dt_; }

    std::vector<Action> actions_;
    std::vector<PhaseOptions> options_;
    static constexpr std::size_t kNone = static_cast<std::size_t>(-1);
    std::vector<std::size_t> beside_;  // per phase: index of its independent_of, or kNone
    std::vector<Event> events_;        // kept sorted by (time, order)
    std::uint64_t event_order_ = 0;
    double base_dt_ = 0;
    std::uint64_t step_ = 0;
    bool finalized_ = false;
};

}  // namespace hlhsim
