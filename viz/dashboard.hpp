#pragma once
// The clinical course of a run as one picture, drawn with VTK's charts (vtkChartXY in
// a vtkChartMatrix, off-screen vtkContextView): the panels of dashboard_model.hpp,
// HLH-2004 thresholds as red lines, the drug schedule as bars along the time axis.
#include <string>
#include <vector>

#include "viz/dashboard_model.hpp"
#include "viz/rgb_image.hpp"
#include "viz/run_file.hpp"

namespace hlhsim::viz {

struct DashboardOptions {
    int width = 1800;  ///< [px]
    int height = 0;    ///< [px]; 0 = 110 + 360 per row of panels
};

/// Where a panel's plot area landed in the image, for checks and tests.
struct PanelPlacement {
    std::string key;
    int x0 = 0, x1 = 0;               ///< plot area columns [px]
    int row_top = 0, row_bottom = 0;  ///< plot area rows [px, 0 = top of the image]
    double y_min = 0, y_max = 0;      ///< left axis range (unscaled)
    bool log_y = false;
    /// Image row of value v on this panel's left axis.
    double row_of(double v) const;
};

struct Dashboard {
    RgbImage image;
    DashboardModel model;
    std::vector<PanelPlacement> placements;  ///< parallel to model.panels
};

/// Renders the dashboard of `run`. Starts a headless display if needed.
Dashboard render_dashboard(const RunFile& run, const DashboardOptions& options = {});

}  // namespace hlhsim::viz
