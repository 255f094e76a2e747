#pragma once
// What the events of a run say, for captions, dashboards and reports: the treatments
// active at a time, the drug schedule, and the key moments of the story (onset,
// diagnosis, treatment, relapse, remission). No VTK here.
#include <cstddef>
#include <string>
#include <vector>

#include "sim/core/units.hpp"
#include "viz/run_file.hpp"

namespace hlhsim::viz {

/// The drug of a dose event: the first word of its detail ("ruxolitinib 5 mg").
std::string dose_drug(const Event& dose);

/// Doses given in (t - window, t] [min], grouped by detail in order of first dose:
/// "ruxolitinib 5 mg x2, dexamethasone 10 mg". "" when none.
std::string active_treatments(const std::vector<Event>& events, double t_min,
                              double window_min = kMinutesPerDay);

/// One dose drawn as a bar on the time axis [day].
struct DoseBar {
    std::size_t drug = 0;  ///< index into drug_names()
    double start_day = 0;
    double end_day = 0;
};

/// Drugs dosed in the run, in order of first dose.
std::vector<std::string> drug_names(const std::vector<Event>& events);
/// One bar per dose: from the dose to 0.8 of the gap to the same drug's next dose,
/// at most 1 day and at least `min_width_day`, so daily dosing reads as a band.
std::vector<DoseBar> dose_bars(const std::vector<Event>& events, double min_width_day);

/// A moment of the run worth a picture.
struct KeyMoment {
    std::string label;         ///< "onset", "diagnosis", "treatment", "relapse", "remission",
                               ///< or "day N" for evenly spaced fallbacks
    double time_min = 0;       ///< event time [min]
    std::size_t snapshot = 0;  ///< index of the nearest snapshot
    std::string detail;        ///< the event's detail
};

/// The first onset (criterion_met), diagnosis (hlh2004_diagnostic), treatment
/// (treatment_start or first dose), and every relapse and remission, each with its
/// nearest snapshot, framed by "start" and "end of run" (first and last snapshot), in
/// time order; when the events name none of these, `fallback_count` evenly spaced
/// snapshots. Empty when the run has no snapshots.
std::vector<KeyMoment> key_moments(const RunFile& run, std::size_t fallback_count = 4);

/// Index of the snapshot whose time is nearest to `time_min`.
std::size_t nearest_snapshot(const std::vector<double>& snapshot_times, double time_min);

/// Rows of a criteria table worth printing: the first, the last, and every row whose
/// `column` value differs from the previous row's.
std::vector<std::size_t> changed_rows(const Table& table, const std::string& column);

}  // namespace hlhsim::viz
