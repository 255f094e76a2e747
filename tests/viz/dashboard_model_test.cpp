#include "viz/dashboard_model.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "synthetic_run.hpp"

namespace hlhsim::viz {
namespace {

const Panel* find(const DashboardModel& m, const std::string& key) {
    for (const auto& p : m.panels)
        if (p.key == key) return &p;
    return nullptr;
}

TEST(DashboardModel, ClinicalPanelsWithThresholds) {
    test::TempDir dir;
    test::write_synthetic_run(dir.file("run.h5"));
    const DashboardModel m = build_dashboard(RunFile(dir.file("run.h5")));
    EXPECT_EQ(m.panels.size(), 13u);  // 8 labs, cytokines, cells, drugs, criteria, HScore
    EXPECT_TRUE(m.missing.empty());
    EXPECT_DOUBLE_EQ(m.t_max_day, 60.0);
    const Panel* plt = find(m, "platelets");
    ASSERT_NE(plt, nullptr);
    EXPECT_EQ(plt->threshold, 100.0);
    EXPECT_FALSE(plt->log_y);
    EXPECT_LE(plt->y_min, 40.0);
    EXPECT_GE(plt->y_max, 260.0);
    const Panel* fer = find(m, "ferritin");
    ASSERT_NE(fer, nullptr);
    EXPECT_TRUE(fer->log_y);
    EXPECT_EQ(fer->threshold, 500.0);
    const Panel* cyto = find(m, "plasma_cytokines");
    ASSERT_NE(cyto, nullptr);
    EXPECT_EQ(cyto->curves.size(), 3u);
    EXPECT_EQ(cyto->curves[0].name, "ifng");
    // The synthetic run has one of the patch's cell series: one curve, from 0.
    const Panel* cells = find(m, "patch_cells");
    ASSERT_NE(cells, nullptr);
    ASSERT_EQ(cells->curves.size(), 1u);
    EXPECT_EQ(cells->curves[0].name, "activated macrophages");
    EXPECT_EQ(cells->y_min, 0.0);
    EXPECT_GE(cells->y_max, 320.0);
    const Panel* drugs = find(m, "drug_schedule");
    ASSERT_NE(drugs, nullptr);
    EXPECT_EQ(drugs->rows, (std::vector<std::string>{"dexamethasone", "etoposide"}));
    EXPECT_EQ(drugs->bars.size(), 21u + 5u);
    const Panel* crit = find(m, "hlh2004");
    ASSERT_NE(crit, nullptr);
    EXPECT_EQ(crit->kind, PanelKind::kBars);
    EXPECT_EQ(crit->threshold, 5.0);
    ASSERT_NE(find(m, "hscore"), nullptr);
}

TEST(DashboardModel, WrongUnitDropsOnlyTheThreshold) {
    test::TempDir dir;
    test::write_synthetic_run(dir.file("run.h5"), {.ferritin_unit_ng = false});
    const DashboardModel m = build_dashboard(RunFile(dir.file("run.h5")));
    const Panel* fer = find(m, "ferritin");
    ASSERT_NE(fer, nullptr);
    EXPECT_FALSE(fer->threshold.has_value());
    ASSERT_EQ(m.notes.size(), 1u);
    EXPECT_NE(m.notes[0].find("ug/L"), std::string::npos);
}

TEST(DashboardModel, OtherModelsGetTheirOwnSeries) {
    test::TempDir dir;
    test::write_synthetic_run(dir.file("run.h5"), {.clinical = false});
    const DashboardModel m = build_dashboard(RunFile(dir.file("run.h5")));
    EXPECT_TRUE(m.panels.empty());  // no time series at all
    EXPECT_EQ(std::count(m.missing.begin(), m.missing.end(), "Ferritin"), 1);
    EXPECT_EQ(m.missing.size(), 12u);
}

TEST(DashboardModel, AxisRange) {
    auto [a, b] = axis_range({10, 20}, 100.0, false);  // the threshold widens the range
    EXPECT_NEAR(a, 2.8, 1e-12);
    EXPECT_NEAR(b, 107.2, 1e-12);
    auto [a0, b0] = axis_range({1, 100}, std::nullopt, false);
    EXPECT_DOUBLE_EQ(a0, 0.0);  // non-negative data: floored at 0
    EXPECT_NEAR(b0, 107.92, 1e-12);
    auto [c, d] = axis_range({10, 1000}, 500.0, true);
    EXPECT_DOUBLE_EQ(c, 10 / 1.6);
    EXPECT_DOUBLE_EQ(d, 1600.0);
    auto [e, f] = axis_range({-1, 1}, std::nullopt, false);
    EXPECT_NEAR(e, -1.16, 1e-12);
    EXPECT_NEAR(f, 1.16, 1e-12);
    auto [g, h] = axis_range({}, std::nullopt, true);
    EXPECT_EQ(g, 1.0);
    EXPECT_EQ(h, 10.0);
}

}  // namespace
}  // namespace hlhsim::viz
