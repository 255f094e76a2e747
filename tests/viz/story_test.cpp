#include "viz/story.hpp"

#include <gtest/gtest.h>

#include "synthetic_run.hpp"

namespace hlhsim::viz {
namespace {

TEST(Story, ActiveTreatmentsInTheLastDay) {
    const std::vector<Event> ev = {{100, "dose", "ruxolitinib 5 mg"},
                                   {700, "dose", "ruxolitinib 5 mg"},
                                   {800, "dose", "dexamethasone 10 mg"},
                                   {900, "relapse", ""},
                                   {3000, "dose", "etoposide 150 mg/m2"}};
    EXPECT_EQ(active_treatments(ev, 1000), "ruxolitinib 5 mg x2, dexamethasone 10 mg");
    // The dose at 100 min is more than a day before 2000 min; 700 and 800 are not.
    EXPECT_EQ(active_treatments(ev, 2000), "ruxolitinib 5 mg, dexamethasone 10 mg");
    EXPECT_EQ(active_treatments(ev, 2300), "");
    EXPECT_EQ(active_treatments(ev, 50), "");
    EXPECT_EQ(dose_drug(ev[4]), "etoposide");
}

TEST(Story, DoseBarsBandDailyDoses) {
    std::vector<Event> ev;
    for (int d = 0; d < 3; ++d) ev.push_back({d * 1440.0, "dose", "dex 10 mg"});
    ev.push_back({720, "dose", "etoposide 100 mg"});
    EXPECT_EQ(drug_names(ev), (std::vector<std::string>{"dex", "etoposide"}));
    const auto bars = dose_bars(ev, 0.05);
    ASSERT_EQ(bars.size(), 4u);
    EXPECT_EQ(bars[0].drug, 0u);
    EXPECT_DOUBLE_EQ(bars[0].start_day, 0.0);
    EXPECT_DOUBLE_EQ(bars[0].end_day, 0.8);  // 0.8 of the one-day gap
    EXPECT_DOUBLE_EQ(bars[2].end_day, 3.0);  // last dose: one day
    EXPECT_DOUBLE_EQ(bars[3].start_day, 0.5);
}

TEST(Story, KeyMomentsFromEvents) {
    test::TempDir dir;
    test::write_synthetic_run(dir.file("run.h5"));
    const RunFile run(dir.file("run.h5"));
    const auto m = key_moments(run);
    ASSERT_EQ(m.size(), 7u);
    EXPECT_EQ(m[0].label, "start");
    EXPECT_EQ(m[1].label, "onset");
    EXPECT_EQ(m[2].label, "diagnosis");
    EXPECT_EQ(m[3].label, "treatment");
    EXPECT_EQ(m[4].label, "remission");
    EXPECT_EQ(m[5].label, "relapse");
    EXPECT_EQ(m[6].label, "end of run");
    // Snapshots every 12 days: day 8 -> day 12, day 18 -> the first of the equally near
    // day 12 and 24, day 48 -> snapshot 4.
    EXPECT_EQ(m[1].snapshot, 1u);
    EXPECT_EQ(m[2].snapshot, 1u);
    EXPECT_EQ(m[5].snapshot, 4u);
    EXPECT_EQ(m[6].snapshot, 5u);
    EXPECT_DOUBLE_EQ(m[1].time_min, 8 * 1440.0);
}

TEST(Story, KeyMomentsFallBackToEvenlySpacedSnapshots) {
    test::TempDir dir;
    test::write_synthetic_run(dir.file("run.h5"), {.clinical = false, .snapshots = 7});
    const RunFile run(dir.file("run.h5"));
    const auto m = key_moments(run, 4);
    ASSERT_EQ(m.size(), 4u);
    EXPECT_EQ(m[0].snapshot, 0u);
    EXPECT_EQ(m[1].snapshot, 2u);
    EXPECT_EQ(m[3].snapshot, 6u);
}

TEST(Story, ChangedRows) {
    Table t;
    t.columns = {"day", "count"};
    t.values["day"] = {0, 1, 2, 3, 4, 5};
    t.values["count"] = {0, 0, 2, 2, 5, 5};
    EXPECT_EQ(changed_rows(t, "count"), (std::vector<std::size_t>{0, 2, 4, 5}));
    EXPECT_EQ(nearest_snapshot({0, 10, 20}, 14), 1u);
}

}  // namespace
}  // namespace hlhsim::viz
