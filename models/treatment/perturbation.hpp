#pragma once
// Generic perturbations, at a time or over a window, written in YAML:
//
//   - {at: 30 day, parameter: trigger.influx, set: "0 1/min"}          until the end
//   - {from: 30 day, until: 60 day, parameter: cd8.division_rate, scale: 0.5}   restored after
//   - {at: 10 day, deplete: {population: cd8, state: effector, fraction: 0.9}}
//   - {from: 10 day, until: 20 day, every: 1 day, deplete: {...}}       repeated in the window
//   - {at: 5 day, add_cells: {population: trigger, state: antigen_bearing, count: 20}}
//   - {at: 10 day, neutralise: {field: ifng, fraction: 0.9}}           removes 90% now
//   - {from: 10 day, until: 30 day, neutralise: {field: ifng, fraction: 0.9}}  extra clearance
//   - {at: 10 day, add_cytokine: {field: ifng, amount: "100 pg/mL"}}   added to every voxel
//   - {from: 10 day, until: 12 day, add_cytokine: {field: ifng, rate: "5 pg/mL/min"}}
//
// The trigger source is changed through its parameters (trigger.influx, trigger.reactivation,
// trigger.source_start, trigger.source_stop, ...). Cells and parameters are reached through
// PerturbationTarget, which the model implements; fields through the engine's FieldSet.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "models/treatment/parameter_registry.hpp"

namespace hlhsim {
class FieldSet;
namespace config {
class Section;
}
}  // namespace hlhsim

namespace hlhsim::models::treatment {

/// What a model lets perturbations touch.
class PerturbationTarget {
  public:
    struct CellType {
        std::string population;
        std::vector<std::string> states;  ///< names of the state values, in order
    };
    virtual ~PerturbationTarget() = default;
    virtual std::vector<CellType> cell_types() const = 0;
    /// Removes each cell of `population` in `state` (-1: any) with probability `fraction`,
    /// drawn per cell id from `key` (deterministic). Returns how many were removed.
    virtual std::size_t deplete(const std::string& population, int state, double fraction,
                                std::uint64_t key) = 0;
    /// Adds `count` cells in `state` at random positions drawn from `key`. Returns count.
    virtual std::size_t add_cells(const std::string& population, int state, std::int64_t count,
                                  std::uint64_t key) = 0;
    virtual ParameterRegistry& parameters() = 0;
};

struct Perturbation {
    enum class Action : std::uint8_t {
        kSetParameter,
        kScaleParameter,
        kDeplete,
        kAddCells,
        kNeutralise,
        kAddCytokine
    };
    Action action = Action::kSetParameter;
    double from_min = 0;    ///< `at` or `from` [min]
    double until_min = -1;  ///< end of the window [min]; < 0: none
    double every_min = 0;   ///< repeat of one-shot actions within the window [min]
    std::string target;     ///< parameter, population or field name
    int state = -1;         ///< cell state (-1: any)
    double value = 0;       ///< set value (internal unit), factor, fraction, count, amount or rate
    std::string text;       ///< one line for events

    /// True for actions that hold over the window (parameters, field rates) rather than
    /// act at instants.
    bool continuous() const;
};

/// A field the perturbations may name: its name and unit (from the engine).
struct FieldInfo {
    std::string name, unit;
};

/// Reads the `perturbations:` list. Errors (unknown names with "did you mean", bad units)
/// go to the section's context.
std::vector<Perturbation> read_perturbations(config::Section& root, PerturbationTarget& target,
                                             const std::vector<FieldInfo>& fields);

/// Applies an instantaneous action (deplete, add cells, neutralise or add to a field now)
/// and returns the event detail. `fields` may be null when no field is named.
std::string apply_once(const Perturbation& p, PerturbationTarget& target, FieldSet* fields,
                       std::uint64_t key);

/// Adds a windowed field action (neutralise, add_cytokine with rate) to the field rates of
/// this step.
void add_field_rates(const Perturbation& p, FieldSet& fields);

}  // namespace hlhsim::models::treatment
