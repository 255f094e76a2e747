#include "sim/schedule/schedule.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>

#include "sim/core/errors.hpp"

namespace hlhsim {

void Schedule::add_phase(std::string name, double period, Action action) {
    if (!(period > 0) || !std::isfinite(period))
        throw InputError(fmt::format("phase '{}': period must be > 0 min, got {}", name, period));
    if (finalized_) throw std::logic_error("Schedule::add_phase after finalize()");
    info_.push_back({std::move(name), period, 0});
    actions_.push_back(std::move(action));
    batches_.emplace_back();
}

void Schedule::add_phase(std::string name, double period, Action action, BatchAction batch) {
    add_phase(std::move(name), period, std::move(action));
    batches_.back() = std::move(batch);
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
        if (info_[i].every != 1) batches_[i] = nullptr;
    finalized_ = true;
}

std::uint64_t Schedule::batch_length(std::size_t i, double end) const {
    if (!batches_[i]) return 1;
    std::uint64_t n = kMaxBatch;
    for (std::size_t j = 0; j < info_.size(); ++j) {
        if (j == i) continue;
        const std::uint64_t every = info_[j].every;
        // A phase before i in the order may not be due on any step of the batch but the
        // first (it has run there already); a phase after i may be due on the last one (it
        // runs after the batch, as it would after that step's turn of phase i).
        const std::uint64_t from = j < i ? step_ + 1 : step_;
        const std::uint64_t next = (from + every - 1) / every * every;  // next step j is due
        n = std::min(n, j < i ? next - step_ : next - step_ + 1);
    }
    // Steps whose start reaches the next event, or the end, are not taken.
    for (std::uint64_t k = 1; k < n; ++k) {
        const double t = static_cast<double>(step_ + k) * base_dt_;
        if (t >= end - 1e-9 * base_dt_ ||
            (!events_.empty() && events_.front().time <= t + 1e-9 * base_dt_)) {
            n = k;
            break;
        }
    }
    return n;
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
    while (time() < end - 1e-9 * base_dt_) {
        const Tick base{step_, time(), base_dt_};
        fire_events(base);
        std::uint64_t steps = 1;    // base steps taken by this pass (> 1 only in a batch)
        std::uint64_t now = step_;  // the step whose phases run: after a batch, its last
        for (std::size_t i = 0; i < actions_.size(); ++i) {
            PhaseInfo& p = info_[i];
            if (now % p.every != 0) continue;
            const auto t0 = Clock::now();
            const std::uint64_t count = batch_length(i, end);
            if (count > 1) {
                batches_[i](Tick{now, base.time, p.period}, count);
                steps = count;
                now = step_ + count - 1;
            } else {
                actions_[i](Tick{now, static_cast<double>(now) * base_dt_, p.period});
            }
            p.seconds += std::chrono::duration<double>(Clock::now() - t0).count();
            p.runs += count;
        }
        bool go_on = true;
        for (std::uint64_t k = 0; k < steps; ++k) {
            const Tick done{step_, time(), base_dt_};
            ++step_;
            if (on_step && !on_step(done)) go_on = false;
        }
        if (!go_on) break;
    }
    fire_events(Tick{step_, time(), 0});
}

}  // namespace hlhsim
