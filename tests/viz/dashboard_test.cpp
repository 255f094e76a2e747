#include "viz/dashboard.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>

#include "synthetic_run.hpp"

namespace hlhsim::viz {
namespace {

/// Share of the plot area's columns whose pixel at `row` (or one row off, for
/// rounding) has the threshold colour.
double threshold_coverage(const RgbImage& img, const PanelPlacement& p, int row) {
    auto close = [](Rgb a, Rgb b) {
        return std::abs(a.r - b.r) < 30 && std::abs(a.g - b.g) < 30 && std::abs(a.b - b.b) < 30;
    };
    int hits = 0, n = 0;
    for (int x = p.x0 + 2; x < p.x1 - 2; ++x, ++n)
        for (int dy = -1; dy <= 1; ++dy)
            if (close(img.at(x, row + dy), kThresholdColor)) {
                ++hits;
                break;
            }
    return n > 0 ? double(hits) / n : 0.0;
}

const PanelPlacement& placement(const Dashboard& d, const std::string& key) {
    for (const auto& p : d.placements)
        if (p.key == key) return p;
    throw std::runtime_error("no panel " + key);
}

TEST(Dashboard, DrawsThresholdLinesWhereTheCriteriaAre) {
    test::TempDir dir;
    test::write_synthetic_run(dir.file("run.h5"));
    const RunFile run(dir.file("run.h5"));
    const Dashboard d = render_dashboard(run, {1500, 1300});
    if (std::getenv("HLHSIM_KEEP_TEST_FILES")) write_png(d.image, dir.file("dashboard.png"));
    ASSERT_EQ(d.image.width, 1500);
    ASSERT_EQ(d.image.height, 1300);
    ASSERT_EQ(d.placements.size(), d.model.panels.size());

    // Platelets: linear axis, threshold 100 x10^9/L.
    const PanelPlacement& plt = placement(d, "platelets");
    EXPECT_FALSE(plt.log_y);
    EXPECT_GT(plt.x1 - plt.x0, 200);
    EXPECT_GT(plt.row_bottom - plt.row_top, 150);
    const int row = static_cast<int>(std::lround(plt.row_of(100.0)));
    ASSERT_GT(row, plt.row_top);
    ASSERT_LT(row, plt.row_bottom);
    EXPECT_GT(threshold_coverage(d.image, plt, row), 0.9);
    // ... and nowhere else in that panel: 15 rows above and below have no red line.
    EXPECT_LT(threshold_coverage(d.image, plt, row - 15), 0.1);
    EXPECT_LT(threshold_coverage(d.image, plt, row + 15), 0.1);

    // Ferritin: log axis, threshold 500 ng/mL.
    const PanelPlacement& fer = placement(d, "ferritin");
    EXPECT_TRUE(fer.log_y);
    const int frow = static_cast<int>(std::lround(fer.row_of(500.0)));
    EXPECT_GT(threshold_coverage(d.image, fer, frow), 0.9);
    EXPECT_LT(threshold_coverage(d.image, fer, frow - 15), 0.1);

    // Criteria count: threshold 5 of 8 on a fixed 0..8.5 axis.
    const PanelPlacement& crit = placement(d, "hlh2004");
    EXPECT_DOUBLE_EQ(crit.y_min, 0.0);
    EXPECT_DOUBLE_EQ(crit.y_max, 8.5);
    EXPECT_GT(threshold_coverage(d.image, crit, int(std::lround(crit.row_of(5.0)))), 0.5);
}

TEST(Dashboard, RunWithoutClinicalSeriesStillRenders) {
    test::TempDir dir;
    test::write_synthetic_run(dir.file("run.h5"), {.clinical = false, .snapshots = 1});
    const Dashboard d = render_dashboard(RunFile(dir.file("run.h5")), {800, 0});
    EXPECT_EQ(d.image.width, 800);
    EXPECT_TRUE(d.placements.empty());
    EXPECT_EQ(d.model.missing.size(), 12u);
}

}  // namespace
}  // namespace hlhsim::viz
