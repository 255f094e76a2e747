#pragma once
// Treatments as data. A treatment is a named set of dosing schedules with a start (a
// time, or a rule on readouts) and optionally a stop; protocol files hold the schedules
// and the drugs they use, and are pulled into a treatment with `include:`.
//
//   drugs:                      # drug definitions by name (also allowed in a treatment)
//     include: ../drugs/ruxolitinib.yaml
//   treatments:
//     - name: hlh2004
//       include: ../protocols/hlh2004.yaml   # drugs + schedules (+ blocks)
//       start: 20 day                       # or start_when: <condition>, delay: 1 day
//       stop_when: relapse                  # or stop: 100 day
//       blocks: {continuation: {enabled: true}}
//   monitor:                    # remission/relapse detector (logs the events)
//     check_every: 1 day
//     onset: <condition>        # optional: the disease counts as active from then on
//     remission: <condition>
//     relapse: <condition>
//
// Blocks are named groups of schedules that start `from` after the treatment start and
// can be switched off (`enabled: false`), e.g. the HLH-2004 continuation phase.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "models/treatment/dose_schedule.hpp"
#include "models/treatment/drug.hpp"
#include "models/treatment/rule.hpp"
#include "sim/core/units.hpp"

namespace hlhsim::config {
class Section;
}

namespace hlhsim::models::treatment {

struct TreatmentSpec {
    std::string name;
    std::optional<double> start_min;        ///< absolute start time [min], or
    std::unique_ptr<Condition> start_when;  ///< a rule checked every check interval
    double delay_min = 0;                   ///< from the rule firing to the start [min]
    std::optional<double> stop_min;         ///< absolute stop time [min]
    std::unique_ptr<Condition> stop_when;   ///< checked once started
    std::vector<DoseSchedule> schedules;    ///< times relative to the start
};

struct MonitorSpec {
    double check_every_min = kMinutesPerDay;  ///< period of rule checks [min]
    /// Active disease (watched first, when given), then remission, then relapse (which
    /// makes the disease active again, so the next remission is watched).
    std::unique_ptr<Condition> onset, remission, relapse;
};

/// Every drug defined under the root `drugs:` and the treatments' `drugs:`, in order.
/// A name defined twice must have the same definition.
std::vector<DrugSpec> read_drug_table(config::Section& root);

/// Names of the enabled treatments (for rules that refer to them).
std::vector<std::string> read_treatment_names(config::Section& root);

/// The enabled treatments; schedules must name drugs in `drugs` ("did you mean").
std::vector<TreatmentSpec> read_treatments(config::Section& root,
                                           const std::vector<DrugSpec>& drugs,
                                           const RuleContext& rules);

MonitorSpec read_monitor(config::Section& root, const RuleContext& rules);

}  // namespace hlhsim::models::treatment
