#include "models/treatment/rule.hpp"

#include <gtest/gtest.h>

#include <map>

#include "tests/models/treatment/treatment_test_util.hpp"

namespace hlhsim::models::treatment {
namespace {

using testing::Yaml;
constexpr double kDay = 1440;

struct Facts final : RuleFacts {
    std::map<std::string, int, std::less<>> events;
    std::map<std::string, bool, std::less<>> on;
    int event_count(std::string_view k) const override {
        auto it = events.find(k);
        return it == events.end() ? 0 : it->second;
    }
    bool started(std::string_view t) const override {
        auto it = on.find(t);
        return it != on.end() && it->second;
    }
    bool stopped(std::string_view) const override { return false; }
};

struct Fixture {
    double temperature = 37, ferritin = 500;
    ReadoutList readouts;
    Facts facts;
    Fixture() {
        readouts.add("temperature", "C", [this] { return temperature; });
        readouts.add("ferritin", "ng/mL", [this] { return ferritin; });
    }
    std::unique_ptr<Condition> read(const std::string& yaml, std::string* errors = nullptr) {
        Yaml y(yaml);
        RuleContext rc{&readouts, {"hlh2004"}};
        auto c = read_condition(*y.tree.find("when"), "when", y.ctx, rc);
        if (errors) *errors = y.errors();
        return c;
    }
};

TEST(Rule, HeldThresholdFiresAfterItsDuration) {
    Fixture f;
    auto c = f.read("when: {readout: temperature, above: 38.5 C, for: 2 day}");
    ASSERT_TRUE(c);
    const std::vector<double> temps{37, 39, 39, 38, 39, 39, 39, 39};
    std::vector<bool> got;
    for (std::size_t d = 0; d < temps.size(); ++d) {
        f.temperature = temps[d];
        got.push_back(c->update(static_cast<double>(d) * kDay, f.facts));
    }
    // true from the third consecutive day above 38.5 (held 2 days), reset by day 3.
    EXPECT_EQ(got, (std::vector<bool>{false, false, false, false, false, false, true, true}));
    EXPECT_EQ(c->describe(), "temperature above 38.5 C for 2 day");
}

TEST(Rule, ThresholdsConvertUnits) {
    Fixture f;
    auto c = f.read("when: {readout: ferritin, at_least: 1 ug/mL}");  // 1000 ng/mL
    f.ferritin = 999;
    EXPECT_FALSE(c->update(0, f.facts));
    f.ferritin = 1001;
    EXPECT_TRUE(c->update(1, f.facts));
    auto bare = f.read("when: {readout: ferritin, below: 1500}");  // bare: the readout's unit
    EXPECT_TRUE(bare->update(2, f.facts));
    f.ferritin = 1600;
    EXPECT_FALSE(bare->update(3, f.facts));
}

TEST(Rule, RisingFallingAndFallenFromPeak) {
    Fixture f;
    auto rising = f.read("when: {readout: ferritin, rising: 50 %, over: 7 day}");
    auto fallen = f.read("when: {readout: ferritin, fallen_from_peak: 50 %}");
    auto falling = f.read("when: {readout: ferritin, falling: 30 %, over: 3 day}");
    const std::vector<double> series{4000, 8000, 6000, 3000, 2000, 1500, 1200,
                                     1000, 1100, 1300, 1400, 1600, 1800};
    std::vector<int> r, fp, fl;
    for (std::size_t d = 0; d < series.size(); ++d) {
        f.ferritin = series[d];
        const double t = static_cast<double>(d) * kDay;
        r.push_back(rising->update(t, f.facts));
        fp.push_back(fallen->update(t, f.facts));
        fl.push_back(falling->update(t, f.facts));
    }
    // rising: >= 1.5 x the minimum of the last 7 days: days 1-2 (over 4000), then from
    // day 11 (1600 over the 1000 of day 7).
    EXPECT_EQ(r, (std::vector<int>{0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1}));
    // fallen from the 8000 peak by half: from day 3 (3000) on.
    EXPECT_EQ(fp, (std::vector<int>{0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1}));
    // falling 30% below the 3-day maximum.
    EXPECT_EQ(fl, (std::vector<int>{0, 0, 0, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0}));
    fallen->reset();
    f.ferritin = 1800;
    EXPECT_FALSE(fallen->update(20 * kDay, f.facts));  // the peak was forgotten
}

TEST(Rule, GroupsEventsAndTreatments) {
    Fixture f;
    auto c = f.read(R"(
when:
  all:
    - relapse
    - {started: hlh2004}
    - any: [{readout: temperature, at_least: 38.5 C}, {not: {readout: ferritin, below: 10000}}]
    - {after: 10 day}
)");
    ASSERT_TRUE(c);
    f.temperature = 39;
    EXPECT_FALSE(c->update(11 * kDay, f.facts));
    f.facts.events["relapse"] = 1;
    EXPECT_FALSE(c->update(12 * kDay, f.facts));
    f.facts.on["hlh2004"] = true;
    EXPECT_TRUE(c->update(13 * kDay, f.facts));
    EXPECT_FALSE(c->update(9 * kDay, f.facts));  // before day 10
    f.temperature = 37;
    EXPECT_FALSE(c->update(14 * kDay, f.facts));
    f.ferritin = 20000;
    EXPECT_TRUE(c->update(15 * kDay, f.facts));
    auto twice = f.read("when: {event: relapse, count: 2}");
    EXPECT_FALSE(twice->update(0, f.facts));
    f.facts.events["relapse"] = 2;
    EXPECT_TRUE(twice->update(0, f.facts));
}

TEST(Rule, ErrorsNameTheProblemAndSuggest) {
    Fixture f;
    std::string e;
    EXPECT_FALSE(f.read("when: {readout: ferritn, above: 1 ng/mL}", &e));
    EXPECT_NE(e.find("did you mean 'ferritin'"), std::string::npos) << e;
    EXPECT_NE(e.find("test.yaml:1:"), std::string::npos) << e;
    EXPECT_FALSE(f.read("when: relapsed", &e));
    EXPECT_NE(e.find("did you mean 'relapse'"), std::string::npos) << e;
    EXPECT_FALSE(f.read("when: {readout: temperature, above: 38.5 mg}", &e));
    EXPECT_NE(e.find("when.above"), std::string::npos) << e;
    EXPECT_FALSE(f.read("when: {readout: ferritin, rising: 50 %}", &e));
    EXPECT_NE(e.find("needs 'over'"), std::string::npos) << e;
    EXPECT_FALSE(f.read("when: {readout: ferritin, above: 5 ng/mL, fro: 1 day}", &e));
    EXPECT_NE(e.find("did you mean 'for'"), std::string::npos) << e;
    EXPECT_FALSE(f.read("when: {started: hlh2040}", &e));
    EXPECT_NE(e.find("did you mean 'hlh2004'"), std::string::npos) << e;
    EXPECT_FALSE(f.read("when: {al: []}", &e));
    EXPECT_NE(e.find("did you mean 'all'"), std::string::npos) << e;
}

}  // namespace
}  // namespace hlhsim::models::treatment
