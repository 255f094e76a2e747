#include "models/treatment/perturbation.hpp"

#include <gtest/gtest.h>

#include "sim/fields/field_set.hpp"
#include "tests/models/treatment/treatment_test_util.hpp"

namespace hlhsim::models::treatment {
namespace {

using testing::Yaml;

/// Records what perturbations ask of it.
struct FakeTarget final : PerturbationTarget {
    double rate = 0.002;
    std::int64_t cap = 100;
    ParameterRegistry reg;
    std::vector<std::string> calls;
    FakeTarget() {
        reg.add("cd8.division_rate", &rate, "1/min");
        reg.add("cd8.max_cells", &cap);
    }
    std::vector<CellType> cell_types() const override {
        return {{"cd8", {"naive", "activated", "effector"}}, {"trigger", {"antigen_bearing"}}};
    }
    std::size_t deplete(const std::string& pop, int state, double f, std::uint64_t) override {
        calls.push_back("deplete " + pop + " " + std::to_string(state) + " " + std::to_string(f));
        return 3;
    }
    std::size_t add_cells(const std::string& pop, int state, std::int64_t n,
                          std::uint64_t) override {
        calls.push_back("add " + pop + " " + std::to_string(state) + " " + std::to_string(n));
        return static_cast<std::size_t>(n);
    }
    ParameterRegistry& parameters() override { return reg; }
};

const std::vector<FieldInfo> kFields{{"ifng", "pg/mL"}, {"antigen", "1/mL"}};

std::vector<Perturbation> read(FakeTarget& t, const std::string& yaml, std::string* e = nullptr) {
    Yaml y(yaml);
    config::Section root = y.root();
    auto out = read_perturbations(root, t, kFields);
    if (e)
        *e = y.errors();
    else if (y.ctx.has_errors())
        throw std::runtime_error(y.errors());
    return out;
}

TEST(Perturbation, ReadsEveryKind) {
    FakeTarget t;
    const auto ps = read(t, R"(
perturbations:
  - {at: 30 day, parameter: cd8.division_rate, set: 0.06 1/h}
  - {from: 30 day, until: 60 day, parameter: cd8.division_rate, scale: 0.5}
  - {at: 10 day, deplete: {population: cd8, state: effector, fraction: 90 %}}
  - {from: 10 day, until: 20 day, every: 1 day, deplete: {population: cd8, fraction: 0.5}}
  - {at: 5 day, add_cells: {population: trigger, count: 20}}
  - {at: 10 day, neutralise: {field: ifng, fraction: 0.9}}
  - {from: 10 day, until: 30 day, neutralise: {field: ifng, fraction: 0.9}}
  - {at: 1 day, add_cytokine: {field: ifng, amount: 100 pg/mL}}
  - {from: 1 day, until: 2 day, add_cytokine: {field: ifng, rate: 5 pg/mL/min}}
)");
    ASSERT_EQ(ps.size(), 9u);
    using A = Perturbation::Action;
    EXPECT_EQ(ps[0].action, A::kSetParameter);
    EXPECT_NEAR(ps[0].value, 0.001, 1e-15);  // 0.06 1/h in the parameter's 1/min
    EXPECT_DOUBLE_EQ(ps[0].from_min, 30 * 1440.0);
    EXPECT_TRUE(ps[0].continuous());
    EXPECT_EQ(ps[1].action, A::kScaleParameter);
    EXPECT_DOUBLE_EQ(ps[1].until_min, 60 * 1440.0);
    EXPECT_EQ(ps[2].action, A::kDeplete);
    EXPECT_EQ(ps[2].state, 2);
    EXPECT_DOUBLE_EQ(ps[2].value, 0.9);
    EXPECT_EQ(ps[3].state, -1);
    EXPECT_DOUBLE_EQ(ps[3].every_min, 1440);
    EXPECT_FALSE(ps[3].continuous());
    EXPECT_EQ(ps[4].action, A::kAddCells);
    EXPECT_DOUBLE_EQ(ps[4].value, 20);
    EXPECT_FALSE(ps[5].continuous());
    EXPECT_TRUE(ps[6].continuous());
    EXPECT_DOUBLE_EQ(ps[7].value, 100);
    EXPECT_DOUBLE_EQ(ps[8].value, 5);
    EXPECT_EQ(ps[2].text, "deplete cd8 effector 90%");
}

TEST(Perturbation, ActsOnTargetAndFields) {
    FakeTarget t;
    const auto ps = read(t, R"(
perturbations:
  - {at: 10 day, deplete: {population: cd8, state: effector, fraction: 0.9}}
  - {at: 5 day, add_cells: {population: trigger, count: 20}}
  - {at: 10 day, neutralise: {field: ifng, fraction: 0.75}}
  - {at: 1 day, add_cytokine: {field: ifng, amount: 100 pg/mL}}
  - {from: 10 day, until: 30 day, neutralise: {field: ifng, fraction: 0.75}}
  - {from: 1 day, until: 2 day, add_cytokine: {field: ifng, rate: 5 pg/mL/min}}
)");
    GridSpec g;
    g.n = {3, 3, 1};
    FieldSet fields(g, {{"ifng", "pg/mL", 1000, 0.1, 40}});
    EXPECT_EQ(apply_once(ps[0], t, &fields, 1), "deplete cd8 effector 90%: 3 cells");
    EXPECT_EQ(apply_once(ps[1], t, &fields, 1), "add 20 trigger antigen_bearing");
    EXPECT_EQ(t.calls, (std::vector<std::string>{"deplete cd8 2 0.900000", "add trigger 0 20"}));
    apply_once(ps[2], t, &fields, 1);
    EXPECT_DOUBLE_EQ(fields.values(0)[4], 10);  // 40 x (1 - 0.75)
    apply_once(ps[3], t, &fields, 1);
    EXPECT_DOUBLE_EQ(fields.values(0)[4], 110);
    fields.clear_sources();
    add_field_rates(ps[4], fields);
    add_field_rates(ps[5], fields);
    EXPECT_NEAR(fields.uptake(0)[0], 0.1 * 0.75 / 0.25, 1e-15);  // decay x f / (1 - f)
    EXPECT_DOUBLE_EQ(fields.source(0)[8], 5);
}

TEST(Perturbation, ErrorsSuggestNames) {
    FakeTarget t;
    std::string e;
    read(t, R"(
perturbations:
  - {at: 1 day, parameter: cd8.divison_rate, set: 0 1/min}
  - {at: 1 day, parameter: cd8.division_rate, set: 0}
  - {at: 1 day, deplete: {population: cd9, fraction: 0.5}}
  - {at: 1 day, deplete: {population: cd8, state: efector, fraction: 0.5}}
  - {at: 1 day, neutralise: {field: ifn, fraction: 0.5}}
  - {at: 1 day, from: 2 day, deplete: {population: cd8, fraction: 0.5}}
  - {from: 1 day, until: 2 day, deplete: {population: cd8, fraction: 0.5}}
  - {at: 1 day}
)",
         &e);
    EXPECT_NE(e.find("test.yaml:3:"), std::string::npos) << e;
    EXPECT_NE(e.find("did you mean 'cd8.division_rate'"), std::string::npos) << e;
    EXPECT_NE(e.find("give a unit: cd8.division_rate is in 1/min"), std::string::npos) << e;
    EXPECT_NE(e.find("did you mean 'cd8'"), std::string::npos) << e;
    EXPECT_NE(e.find("did you mean 'effector'"), std::string::npos) << e;
    EXPECT_NE(e.find("did you mean 'ifng'"), std::string::npos) << e;
    EXPECT_NE(e.find("give at (a time) or from"), std::string::npos) << e;
    EXPECT_NE(e.find("give every"), std::string::npos) << e;
    EXPECT_NE(e.find("give exactly one of parameter"), std::string::npos) << e;
}

}  // namespace
}  // namespace hlhsim::models::treatment
