#pragma once
// Rules on readouts: conditions that start or stop treatments and detect remission and
// relapse, without dates for outcomes. A condition is a tree written in YAML:
//
//   {readout: temperature, above: "38.5 C", for: "2 day"}   value vs threshold, held
//   {readout: ferritin, rising: "50 %", over: "7 day"}       above (1+x) x the window's minimum
//   {readout: ferritin, falling: "30 %", over: "7 day"}      below (1-x) x the window's maximum
//   {readout: ferritin, fallen_from_peak: "50 %"}            below (1-x) x the peak so far
//   {event: relapse, count: 1}  or just  relapse             the monitor has logged it
//   {started: hlh2004}, {stopped: any}                       a treatment's state
//   {after: "20 day"}                                        simulated time reached
//   {all: [...]}, {any: [...]}, {not: {...}}
//
// Conditions are evaluated at fixed check times; each node keeps its own history
// (how long it has held, a window of values, a peak), so every node is updated at every
// check (no short-circuit). reset() forgets the history (the monitor resets a condition
// when it starts watching for it).
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace hlhsim::config {
class ConfigNode;
class Context;
}  // namespace hlhsim::config

namespace hlhsim::models::treatment {

/// A named value the model exposes to rules, in its own unit.
struct Readout {
    std::string name;
    std::string unit;  ///< e.g. "C", "ng/mL", "1"
    std::function<double()> value;
};

/// Where rules find readouts.
class ReadoutSource {
  public:
    virtual ~ReadoutSource() = default;
    /// The readout called `name`, or null.
    virtual const Readout* find(std::string_view name) const = 0;
    /// Every name, for "did you mean".
    virtual std::vector<std::string> names() const = 0;
};

/// A ReadoutSource over a list (used by models and tests).
class ReadoutList final : public ReadoutSource {
  public:
    void add(std::string name, std::string unit, std::function<double()> value);
    const Readout* find(std::string_view name) const override;
    std::vector<std::string> names() const override;

  private:
    std::vector<std::unique_ptr<Readout>> items_;  // stable addresses
};

/// Facts of the treatment layer that rules may test.
class RuleFacts {
  public:
    virtual ~RuleFacts() = default;
    /// How many events of this kind (relapse, remission) the monitor has logged.
    virtual int event_count(std::string_view kind) const = 0;
    virtual bool started(std::string_view treatment) const = 0;
    virtual bool stopped(std::string_view treatment) const = 0;
};

class Condition {
  public:
    virtual ~Condition() = default;
    /// Evaluates at time t [min], updating the node's history.
    virtual bool update(double t_min, const RuleFacts& facts) = 0;
    /// Forgets the history.
    virtual void reset() = 0;
    /// One line for events, e.g. "temperature >= 38.5 C for 2 day".
    virtual std::string describe() const = 0;
};

/// What a condition may refer to, for checks while reading.
struct RuleContext {
    const ReadoutSource* readouts = nullptr;
    std::vector<std::string> treatments;  ///< names valid in started/stopped
    std::vector<std::string> events{"relapse", "remission"};
};

/// Reads a condition from `node` (a map, or the name of an event as a scalar). Errors go to
/// `ctx` with FILE:LINE:COL, unknown keys with "did you mean"; returns null on error.
std::unique_ptr<Condition> read_condition(const config::ConfigNode& node, const std::string& path,
                                          config::Context& ctx, const RuleContext& rc);

}  // namespace hlhsim::models::treatment
