#include "models/treatment/dose_schedule.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <map>

#include "sim/core/errors.hpp"
#include "tests/models/treatment/treatment_test_util.hpp"

namespace hlhsim::models::treatment {
namespace {

using testing::source_path;
using testing::Yaml;
constexpr double kDay = 1440;
const Patient kPatient{60, 1.65};

/// The schedules of one treatment item (with its drugs), read as the layer reads them.
std::vector<DoseSchedule> treatment_schedules(const std::string& item) {
    Yaml y("treatments:\n  - " + item + "\n");
    config::Section root = y.root();
    const auto drugs = read_drug_table(root);
    auto ts = read_treatments(root, drugs, RuleContext{});
    if (y.ctx.has_errors()) throw std::runtime_error(y.errors());
    return std::move(ts.at(0).schedules);
}

std::vector<Dose> doses_of(const std::vector<DoseSchedule>& ss, const std::string& drug) {
    std::vector<Dose> out;
    for (const auto& s : ss)
        if (s.drug == drug)
            for (const Dose& d : expand(s, kPatient, 1e9)) out.push_back(d);
    return out;
}

std::vector<DoseSchedule> schedules(const std::string& yaml, std::string* errors = nullptr) {
    Yaml y(yaml);
    config::Section root = y.root();
    std::vector<DoseSchedule> out;
    for (config::Section& s : root.list("schedules", {})) out.push_back(read_schedule(s));
    if (errors)
        *errors = y.errors();
    else if (y.ctx.has_errors())
        throw std::runtime_error(y.errors());
    return out;
}

TEST(DoseSchedule, Hlh2004InitialTherapyForBsa165) {
    const auto ss = treatment_schedules(
        "{name: h, include: " + source_path("configs/protocols/hlh2004.yaml") + "}");
    const auto eto = doses_of(ss, "etoposide");
    const std::vector<int> days{1, 4, 8, 11, 15, 22, 29, 36, 43, 50};
    ASSERT_EQ(eto.size(), days.size());
    double total = 0;
    for (std::size_t i = 0; i < days.size(); ++i) {
        EXPECT_DOUBLE_EQ(eto[i].time_min, (days[i] - 1) * kDay);
        EXPECT_NEAR(eto[i].mg, 247.5, 1e-9);  // 150 mg/m^2 x 1.65 m^2
        total += eto[i].mg;
    }
    EXPECT_NEAR(total / 1.65, 1500, 1e-9);  // 1,500 mg/m^2 in 10 doses

    const auto dex = doses_of(ss, "dexamethasone");
    ASSERT_EQ(dex.size(), 56u);  // daily for 8 weeks
    std::map<int, double> by_week;
    for (const Dose& d : dex) {
        const int day = static_cast<int>(d.time_min / kDay);
        EXPECT_DOUBLE_EQ(d.time_min, day * kDay);
        by_week[day / 7 + 1] = d.mg / 1.65;  // mg/m^2/day
    }
    const std::map<int, double> expected{{1, 10},  {2, 10},  {3, 5},    {4, 5},
                                         {5, 2.5}, {6, 2.5}, {7, 1.25}, {8, 0.625}};
    for (const auto& [week, v] : expected) EXPECT_NEAR(by_week[week], v, 1e-12) << week;

    const auto csa = doses_of(ss, "cyclosporine");
    ASSERT_EQ(csa.size(), 112u);  // two a day for 8 weeks
    for (std::size_t i = 0; i < csa.size(); ++i) {
        EXPECT_DOUBLE_EQ(csa[i].time_min, 720.0 * static_cast<double>(i));
        EXPECT_NEAR(csa[i].mg, 180, 1e-9);  // 6 mg/kg/day in two doses, 60 kg
    }
}

TEST(DoseSchedule, Hlh2004ContinuationIsAnOptionalBlock) {
    const auto ss =
        treatment_schedules("{name: h, include: " + source_path("configs/protocols/hlh2004.yaml") +
                            ", blocks: {continuation: {enabled: true}}}");
    const auto eto = doses_of(ss, "etoposide");
    ASSERT_EQ(eto.size(), 10u + 16u);
    for (int k = 0; k < 16; ++k)  // weeks 9, 11, ..., 39
        EXPECT_DOUBLE_EQ(eto[10 + static_cast<std::size_t>(k)].time_min, (56 + 14 * k) * kDay);
    const auto dex = doses_of(ss, "dexamethasone");
    ASSERT_EQ(dex.size(), 56u + 48u);               // 16 pulses of 3 days
    EXPECT_DOUBLE_EQ(dex[56].time_min, 63 * kDay);  // week 10, day 1
    EXPECT_DOUBLE_EQ(dex[58].time_min, 65 * kDay);
    EXPECT_DOUBLE_EQ(dex[59].time_min, 77 * kDay);  // two weeks later
    EXPECT_NEAR(dex.back().mg, 16.5, 1e-9);
    EXPECT_LT(dex.back().time_min, 280 * kDay);  // within week 40
    EXPECT_EQ(doses_of(ss, "cyclosporine").size(), 112u + 2 * 7 * 32);
}

TEST(DoseSchedule, BidStepUpAndTaperOfTheSalvageProtocol) {
    const auto ss = treatment_schedules(
        "{name: r, include: " + source_path("configs/protocols/ruxolitinib_salvage.yaml") + "}");
    const auto rux = doses_of(ss, "ruxolitinib");
    ASSERT_EQ(rux.size(), 14u + 294u + 14u + 14u);
    EXPECT_DOUBLE_EQ(rux[1].time_min, 720);  // BID
    EXPECT_DOUBLE_EQ(rux[13].mg, 2.5);
    EXPECT_DOUBLE_EQ(rux[14].mg, 5);  // step-up at 1 week
    EXPECT_DOUBLE_EQ(rux[14].time_min, 7 * kDay);
    EXPECT_DOUBLE_EQ(rux[308].time_min, 154 * kDay);  // 5 mg daily from week 23
    EXPECT_DOUBLE_EQ(rux[309].time_min, 155 * kDay);
    EXPECT_DOUBLE_EQ(rux.back().mg, 2.5);
    EXPECT_DOUBLE_EQ(rux.back().time_min, 181 * kDay);  // off at 26 weeks (~6 months)
    EXPECT_DOUBLE_EQ(schedule_end(ss[0]), 182 * kDay);
}

TEST(DoseSchedule, AmountsPerKgPerM2AndPerDay) {
    EXPECT_DOUBLE_EQ(parse_dose("5 mg").mg(kPatient, 2), 5);
    EXPECT_DOUBLE_EQ(parse_dose("1 mg/kg").mg(kPatient, 1), 60);
    EXPECT_NEAR(parse_dose("150 mg/m^2").mg(kPatient, 1), 247.5, 1e-12);
    EXPECT_NEAR(parse_dose("6 mg/kg/day").mg(kPatient, 2), 180, 1e-9);
    EXPECT_NEAR(parse_dose("10 mg/m2/day").mg(kPatient, 1), 16.5, 1e-12);
    EXPECT_NEAR(parse_dose("0.5 g").mg(kPatient, 1), 500, 1e-9);
    EXPECT_NEAR(parse_dose("300 ug/kg").mg(kPatient, 1), 18, 1e-9);
    EXPECT_TRUE(parse_dose("6 mg/kg/day").per_day);
    EXPECT_THROW(parse_dose("5"), UnitError);
    EXPECT_THROW(parse_dose("5 mL"), UnitError);
    EXPECT_THROW(parse_dose("150 mg/m^3"), UnitError);
    EXPECT_THROW(parse_dose("5 gramz"), UnitError);
}

TEST(DoseSchedule, RhythmsCountsOffsetsAndWindows) {
    const auto ss = schedules(R"(
schedules:
  - {drug: a, dose: 5 mg, frequency: BID, duration: 3 day}
  - {drug: b, dose: 9 mg/day, frequency: TID, duration: 1 day}
  - {drug: c, dose: 1 mg, every: 8 h, count: 4, offset: 2 h}
  - {drug: d, dose: 1 mg, frequency: weekly, duration: 4 week, from: 1 day, until: 15 day}
  - {drug: e, dose: 2 mg, frequency: once, from: 3 day}
  - {drug: f, dose: 2 mg/day, days: [1, 3], frequency: bid}
  - {drug: g, dose: 1 mg, frequency: daily}
)");
    auto times = [&](std::size_t i, double horizon = 1e9) {
        std::vector<double> t;
        for (const Dose& d : expand(ss[i], kPatient, horizon)) t.push_back(d.time_min);
        return t;
    };
    EXPECT_EQ(times(0), (std::vector<double>{0, 720, 1440, 2160, 2880, 3600}));
    const auto b = expand(ss[1], kPatient, 1e9);
    ASSERT_EQ(b.size(), 3u);
    EXPECT_DOUBLE_EQ(b[0].mg, 3);  // 9 mg/day in three doses
    EXPECT_EQ(times(2), (std::vector<double>{120, 600, 1080, 1560}));
    EXPECT_EQ(times(3), (std::vector<double>{kDay, 8 * kDay}));  // until day 15 (exclusive)
    EXPECT_EQ(times(4), (std::vector<double>{3 * kDay}));
    EXPECT_EQ(times(5), (std::vector<double>{0, 720, 2 * kDay, 2 * kDay + 720}));
    EXPECT_DOUBLE_EQ(expand(ss[5], kPatient, 1e9)[0].mg, 1);
    EXPECT_EQ(times(6, 3 * kDay).size(), 3u);  // open-ended: up to the horizon
    EXPECT_TRUE(std::isinf(schedule_end(ss[6])));
}

TEST(DoseSchedule, ErrorsAreReported) {
    std::string e;
    schedules(R"(
schedules:
  - {drug: a, dose: 5}
  - {drug: a, dose: 5 mg, frequency: twice}
  - {drug: a, dose: 5 mg}
  - drug: a
    phases:
      - {dose: 5 mg, frequency: bid}
      - {dose: 2 mg, frequency: bid, duration: 1 week}
  - {drug: a, dose: 5 mg/day, frequency: once}
)",
              &e);
    EXPECT_NE(e.find("test.yaml:3:"), std::string::npos) << e;
    EXPECT_NE(e.find("expected mg, mg/kg or mg/m^2"), std::string::npos) << e;
    EXPECT_NE(e.find("'twice' is not one of"), std::string::npos) << e;
    EXPECT_NE(e.find("give the rhythm"), std::string::npos) << e;
    EXPECT_NE(e.find("phase 1 has no end"), std::string::npos) << e;
    EXPECT_NE(e.find("a daily amount needs a rhythm"), std::string::npos) << e;
}

}  // namespace
}  // namespace hlhsim::models::treatment
