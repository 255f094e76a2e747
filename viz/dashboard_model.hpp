#pragma once
// What the dashboard shows, decided from the run file alone (no VTK): one panel per
// documented clinical series present (docs/output.md names), with the HLH-2004
// threshold where the file's unit matches, the drug schedule from /events, and the
// daily HLH-2004 criteria count and HScore from /criteria. Missing series are listed
// so the picture can say what it leaves out. A run with none of these names (another
// model) gets a panel per time series instead.
#include <optional>
#include <string>
#include <vector>

#include "viz/palette.hpp"
#include "viz/run_file.hpp"
#include "viz/story.hpp"

namespace hlhsim::viz {

enum class PanelKind { kLines, kBars, kSchedule };

struct Curve {
    std::string name;
    std::vector<double> x_day;  ///< [day]
    std::vector<double> y;      ///< in the panel's unit
    Rgb color;
};

struct Panel {
    std::string key;    ///< series or table name, e.g. "platelets"
    std::string title;  ///< "Platelets (10^9/L)"
    PanelKind kind = PanelKind::kLines;
    bool log_y = false;
    std::optional<double> threshold;  ///< HLH-2004 / HScore cut-off, in the panel's unit
    std::string threshold_label;      ///< "< 100"
    std::vector<Curve> curves;
    std::vector<std::string> rows;  ///< kSchedule: drug names, bottom to top
    std::vector<DoseBar> bars;      ///< kSchedule
    double y_min = 0, y_max = 1;    ///< axis range (unscaled, also for log axes)
};

struct DashboardModel {
    std::string title;
    double t_max_day = 1;  ///< time axis end [day]
    std::vector<Panel> panels;
    std::vector<std::string> missing;  ///< documented panels without data
    std::vector<std::string> notes;    ///< e.g. thresholds left out for a unit
};

/// Chooses panels and their axis ranges for `run`.
DashboardModel build_dashboard(const RunFile& run);

/// Axis range for values plus an optional threshold: padded by 8 % (linear; floored
/// at 0 for non-negative data) or by a factor 1.6 on positive values (log).
std::pair<double, double> axis_range(const std::vector<double>& values,
                                     std::optional<double> threshold, bool log);

}  // namespace hlhsim::viz
