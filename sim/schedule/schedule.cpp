#include "sim/schedule/schedule.hpp"

#include <fmt/format.h>
#include <tbb/parallel_invoke.h>

#include <algorithm>
#include <chrono>
#include <cmath>

#include "sim/core/errors.hpp"

namespace hlhsim {

void Schedule::add_phase(std::string name, double period, Action action, PhaseOptions options) {
    if (!(period > 0) || !std::isfinite(period))
        throw InputError(fmt::format("phase '{}': period must be > 0 min, got {}", name, period));
    if (finalized_) throw std::logic_error("Schedule::add_phase after finalize()");
    info_.push_back({std::move(name), period, 0});
    actions_.push_back(std::move(action));
    options_.push_back(std::move(options));
}

void Schedule::add_event(double time, std::string name, Action action) {
    if (!(time >= 0) || !std::isfinite(time))
        throw InputError(fmt::format("event '{}': time must be >= 0, got {}", name, time));
    Event e{time, event_order_++, std::move(name), std::move(action)};
    const auto pos =
        std::upper_bound(events_.begin(), events_.end(), e, [](const Event& a, const Event& b) {
            return a.time < b.time || (a.time == b.time && a.order < b.order);
        });
    events_.insert(pos, std::move(e));
}

void Schedule::finalize() {
    if (info_.empty()) throw InputError("schedule has no phases");
    base_dt_ = info_.front().period;
    for (const auto& p : info_) base_dt_ = std::min(base_dt_, p.period);
    for (auto& p : info_) {
        const double ratio = p.period / base_dt_;
        const double whole = std::round(ratio);
        if (std::abs(ratio - whole) > 1e-9 * whole)
            throw InputError(fmt::format(
                "phase '{}': period {} min is not a whole multiple of the shortest period {} min",
                p.name, p.period, base_dt_));
        p.every = static_cast<std::uint64_t>(whole);
    }
    // Only a phase of the base period can batch: its steps are consecutive base steps.
    for (std::size_t i = 0; i < info_.size(); ++i)
        if (info_[i].every != 1) options_[i].batch = nullptr;
    beside_.assign(info_.size(), kNone);
    for (std::size_t i = 0; i < info_.size(); ++i) {
        const std::string& other = options_[i].independent_of;
        if (other.empty()) continue;
        for (std::size_t j = 0; j < i; ++j)
            if (info_[j].name == other) beside_[i] = j;
        if (beside_[i] == kNone)
            throw std::logic_error(
                fmt::format("phase '{}': independent_of '{}' is no phase added before it",
                            info_[i].name, other));
    }
    finalized_ = true;
}

bool Schedule::event_due(std::uint64_t step) const {
    return !events_.empty() && events_.front().time <= time_of(step) + 1e-9 * base_dt_;
}

bool Schedule::can_batch(std::size_t i) const {
    const PhaseOptions& o = options_[i];
    return o.batch && (!o.batch_ready || o.batch_ready());
}

std::uint64_t Schedule::batch_length(std::size_t i, std::uint64_t first, double end) const {
    if (!can_batch(i)) return 1;
    std::uint64_t n = kMaxBatch;
    for (std::size_t j = 0; j < info_.size(); ++j) {
        if (j == i) continue;
        const std::uint64_t every = info_[j].every;
        // A phase before i in the order may not be due on any step of the batch but the
        // first (it has run there already); a phase after i may be due on the last one (it
        // runs after the batch, as it would after that step's turn of phase i).
        const std::uint64_t from = j < i ? first + 1 : first;
        const std::uint64_t next = (from + every - 1) / every * every;  // next step j is due
        n = std::min(n, j < i ? next - first : next - first + 1);
    }
    // Steps whose start reaches the next event, or the end, are not taken.
    for (std::uint64_t k = 1; k < n; ++k) {
        if (!starts_before(first + k, end) || event_due(first + k)) {
            n = k;
            break;
        }
    }
    return n;
}

bool Schedule::can_run_beside(std::size_t i, std::uint64_t now, double end) const {
    const std::size_t b = beside_[i];
    if (b == kNone || !can_batch(b)) return false;
    // Phase i must be the last due on its step (a later phase would see it unfinished)...
    for (std::size_t j = i + 1; j < info_.size(); ++j)
        if (now % info_[j].every == 0) return false;
    // ...and the batch's first step must start with phase b: no event, nothing before it.
    const std::uint64_t first = now + 1;
    if (!starts_before(first, end) || event_due(first)) return false;
    for (std::size_t j = 0; j < b; ++j)
        if (first % info_[j].every == 0) return false;
    return true;
}

void Schedule::run_beside(std::size_t i, std::uint64_t now, std::uint64_t count) {
    using Clock = std::chrono::steady_clock;
    const std::size_t b = beside_[i];
    const auto timed = [](PhaseInfo& p, std::uint64_t runs, const auto& work) {
        const auto t0 = Clock::now();
        work();
        p.seconds += std::chrono::duration<double>(Clock::now() - t0).count();
        p.runs += runs;
    };
    const Tick at_i{now, time_of(now), info_[i].period};
    const Tick at_b{now + 1, time_of(now + 1), info_[b].period};
    tbb::parallel_invoke([&] { timed(info_[i], 1, [&] { actions_[i](at_i); }); },
                         [&] { timed(info_[b], count, [&] { options_[b].batch(at_b, count); }); });
}

void Schedule::fire_events(const Tick& tick) {
    // An event's action may add further events; take them one at a time.
    const double now = tick.time + 1e-9 * base_dt_;
    while (!events_.empty() && events_.front().time <= now) {
        Event e = std::move(events_.front());
        events_.erase(events_.begin());
        e.action(Tick{tick.step, tick.time, 0});
    }
}

void Schedule::run_until(double end, const std::function<bool(const Tick&)>& on_step) {
    if (!finalized_) finalize();
    using Clock = std::chrono::steady_clock;
    // Stop when the next step would start at or after `end` (with rounding slack).
    while (starts_before(step_, end)) {
        fire_events(Tick{step_, time(), base_dt_});
        bool go_on = true;
        // Tells on_step of the steps before `step`, whose phases have all run; step_ (and so
        // time()) is then the step whose phases run, also after a batch.
        const auto done_before = [&](std::uint64_t step) {
            while (step_ < step) {
                const Tick done{step_, time(), base_dt_};
                ++step_;
                if (on_step && !on_step(done)) go_on = false;
            }
        };
        for (std::size_t i = 0; i < actions_.size(); ++i) {
            PhaseInfo& p = info_[i];
            if (step_ % p.every != 0) continue;
            // Not after a stop request: the pass ends with this step.
            if (go_on && can_run_beside(i, step_, end)) {
                // Phase i runs beside the next steps of phase b; the pass goes on after b,
                // on the batch's last step.
                const std::size_t b = beside_[i];
                const std::uint64_t count = batch_length(b, step_ + 1, end);
                run_beside(i, step_, count);
                done_before(step_ + count);
                i = b;
                continue;
            }
            const auto t0 = Clock::now();
            const std::uint64_t count = batch_length(i, step_, end);
            if (count > 1)
                options_[i].batch(Tick{step_, time(), p.period}, count);
            else
                actions_[i](Tick{step_, time(), p.period});
            p.seconds += std::chrono::duration<double>(Clock::now() - t0).count();
            p.runs += count;
            done_before(step_ + count - 1);
        }
        done_before(step_ + 1);
        if (!go_on) break;
    }
    fire_events(Tick{step_, time(), 0});
}

}  // namespace hlhsim
