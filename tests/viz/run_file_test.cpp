#include "viz/run_file.hpp"

#include <gtest/gtest.h>

#include "sim/core/errors.hpp"
#include "synthetic_run.hpp"

namespace hlhsim::viz {
namespace {

TEST(RunFile, ReadsDomainGridAndSnapshots) {
    test::TempDir dir;
    test::write_synthetic_run(dir.file("run.h5"));
    const RunFile run(dir.file("run.h5"));
    EXPECT_EQ(run.domain().dims, 2);
    EXPECT_DOUBLE_EQ(run.domain().hi[0], 500.0);
    EXPECT_DOUBLE_EQ(run.domain().hi[1], 400.0);
    ASSERT_TRUE(run.grid().has_value());
    EXPECT_EQ(run.grid()->n[0], 25);
    EXPECT_EQ(run.grid()->n[1], 20);
    EXPECT_DOUBLE_EQ(run.grid()->dx, 20.0);
    ASSERT_EQ(run.snapshot_names().size(), 6u);
    EXPECT_EQ(run.snapshot_names()[1], "000001");
    EXPECT_DOUBLE_EQ(run.snapshot_times()[5], 60.0 * 1440.0);
    EXPECT_DOUBLE_EQ(run.duration_min(), 60.0 * 1440.0);
    EXPECT_EQ(run.model(), "hlh_synthetic");

    const Snapshot s = run.snapshot(1);
    ASSERT_EQ(s.populations.size(), 4u);
    EXPECT_EQ(s.populations[0].name, "macrophage");
    EXPECT_EQ(s.populations[0].count, 35u);  // 30 + 5 per snapshot
    EXPECT_EQ(s.populations[1].first, 35u);
    EXPECT_EQ(s.populations[3].state_names,
              (std::vector<std::string>{"red_cell", "platelet", "neutrophil"}));
    EXPECT_EQ(s.x.size(), 35u + 45u + 11u + 65u);
    EXPECT_EQ(s.z.size(), s.x.size());
    EXPECT_EQ(s.z[3], 0.0);
    EXPECT_EQ(s.radius[0], 0.0);  // not recorded
    EXPECT_EQ(s.id[0], 1u);
}

TEST(RunFile, ReadsFieldsSeriesEventsCriteria) {
    test::TempDir dir;
    test::write_synthetic_run(dir.file("run.h5"));
    const RunFile run(dir.file("run.h5"));
    EXPECT_EQ(run.field_names(0), (std::vector<std::string>{"ifng", "il6"}));
    const FieldData f = run.field(2, "il6");
    EXPECT_EQ(f.unit, "pg/mL");
    EXPECT_EQ(f.n[0], 25);
    EXPECT_EQ(f.n[1], 20);
    EXPECT_EQ(f.n[2], 1);
    EXPECT_EQ(f.values.size(), 500u);
    EXPECT_GT(f.at(12, 10), f.at(0, 0));  // a Gaussian bump in the middle
    EXPECT_THROW((void)run.field(0, "tnf"), InputError);

    EXPECT_TRUE(run.has_series("ferritin"));
    EXPECT_FALSE(run.has_series("ldh"));
    const Series fer = run.series("ferritin");
    EXPECT_EQ(fer.unit, "ng/mL");
    EXPECT_EQ(fer.values.size(), 241u);
    EXPECT_EQ(run.series_names().front(), "temperature");

    const auto ev = run.events();
    ASSERT_FALSE(ev.empty());
    EXPECT_EQ(ev[0].kind, "criterion_met");
    EXPECT_DOUBLE_EQ(ev[0].time_min, 8 * 1440.0);

    const auto hlh = run.criteria("hlh2004");
    ASSERT_TRUE(hlh.has_value());
    EXPECT_EQ(hlh->rows(), 61u);
    EXPECT_EQ(hlh->columns.back(), "count");
    EXPECT_FALSE(run.criteria("nothing").has_value());
    EXPECT_NE(run.config_text().find("hlh_synthetic"), std::string::npos);
}

TEST(RunFile, ThreeDimensionalAndMissingParts) {
    test::TempDir dir;
    test::write_synthetic_run(dir.file("run3.h5"), {.dims = 3, .clinical = false, .snapshots = 2});
    const RunFile run(dir.file("run3.h5"));
    EXPECT_EQ(run.domain().dims, 3);
    EXPECT_EQ(run.grid()->n[2], 5);
    const FieldData f = run.field(0, "ifng");
    EXPECT_EQ(f.n[2], 5);
    EXPECT_GT(f.at(0, 0, 4), f.at(0, 0, 0));
    EXPECT_TRUE(run.events().empty());
    EXPECT_TRUE(run.series_names().empty());
    EXPECT_FALSE(run.criteria("hlh2004").has_value());
    EXPECT_DOUBLE_EQ(run.snapshot(1).z[1], 30.0);
}

TEST(RunFile, RejectsMissingOrForeignFiles) {
    test::TempDir dir;
    EXPECT_THROW(RunFile(dir.file("nope.h5")), IoError);
}

TEST(FormatSimTime, DayAndClock) {
    EXPECT_EQ(format_sim_time(0), "day 0, 00:00");
    EXPECT_EQ(format_sim_time(1440 * 3 + 270), "day 3, 04:30");
    EXPECT_EQ(format_sim_time(1439.7), "day 1, 00:00");
}

}  // namespace
}  // namespace hlhsim::viz
