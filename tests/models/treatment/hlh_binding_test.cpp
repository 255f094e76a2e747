// Integration tests of the treatment layer inside the HLH model (small patch, a few days):
// doses and perturbations reach /events, drug series /timeseries, results do not depend
// on the thread count, and etoposide spares naive T cells.
#include "models/treatment/hlh_binding.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <string>
#include <utility>
#include <vector>

#include "tests/models/treatment/hlh_run_util.hpp"

namespace hlhsim::models::treatment {
namespace {

using testing::run_hlh;
using testing::small_patch;
using testing::source_path;
constexpr double kDay = 1440;
const std::string kScenario = "configs/scenarios/adult_idiopathic.yaml";

std::string drugs(const std::vector<std::string>& names) {
    std::string s = "drugs:\n  include: [";
    for (std::size_t i = 0; i < names.size(); ++i)
        s += (i ? ", " : "") + source_path("configs/drugs/" + names[i] + ".yaml");
    return s + "]\n";
}

const std::string kTreated = drugs({"ruxolitinib", "etoposide", "dexamethasone"}) + R"(
treatments:
  - name: rux
    start: 1 day
    schedules: [{drug: ruxolitinib, dose: 5 mg, frequency: bid}]
  - name: chemo
    start: 2 day
    schedules:
      - {drug: etoposide, dose: 150 mg/m^2, frequency: once}
      - {drug: dexamethasone, dose: 10 mg/m^2/day, frequency: daily}
perturbations:
  - {at: 36 h, deplete: {population: cd8, state: effector, fraction: 0.5}}
  - {at: 36 h, add_cells: {population: trigger, count: 5}}
  - {from: 2 day, until: 60 h, parameter: cd8.division_rate, scale: 0.5}
  - {from: 2 day, until: 60 h, neutralise: {field: ifng, fraction: 0.5}}
)";

TEST(HlhBinding, DosesAndDrugSeriesAreRecordedIdenticallyOnOneAndTwoThreads) {
    const auto one = run_hlh(kScenario, small_patch("3 day"), kTreated, 1, "t1");
    const auto two = run_hlh(kScenario, small_patch("3 day"), kTreated, 2, "t2");

    const auto kinds = one.strings("/events/kind"), details = one.strings("/events/detail");
    const auto times = one.event_times();
    std::vector<double> rux_times;
    int perturbations = 0, starts = 0;
    bool etoposide = false;
    for (std::size_t i = 0; i < kinds.size(); ++i) {
        if (kinds[i] == "dose" && details[i] == "ruxolitinib 5 mg") rux_times.push_back(times[i]);
        if (kinds[i] == "dose" && details[i] == "etoposide 247.5 mg (150 mg/m^2)")
            etoposide = times[i] == 2 * kDay;
        perturbations += kinds[i] == "perturbation";
        starts += kinds[i] == "treatment_start";
    }
    EXPECT_EQ(rux_times, (std::vector<double>{kDay, 1.5 * kDay, 2 * kDay, 2.5 * kDay}));
    EXPECT_TRUE(etoposide);
    EXPECT_EQ(starts, 2);
    EXPECT_EQ(perturbations, 6);  // deplete, add, parameter on/off, neutralise on/off

    const auto t = one.series("time");
    const auto rux = one.series("drug_ruxolitinib_plasma");
    const auto effect = one.series("drug_ruxolitinib_effect");
    ASSERT_EQ(rux.size(), t.size());
    double before = 0, after = 0;
    for (std::size_t i = 0; i < t.size(); ++i) {
        if (t[i] < kDay) before = std::max(before, rux[i]);
        if (t[i] > kDay && t[i] < 1.5 * kDay) after = std::max(after, rux[i]);
    }
    EXPECT_EQ(before, 0);
    EXPECT_GT(after, 100);  // nM; ~207 nM peak, sampled hourly
    EXPECT_GT(*std::max_element(effect.begin(), effect.end()), 0.2);
    EXPECT_FALSE(one.series("drug_dexamethasone_effect_site").empty());
    EXPECT_FALSE(one.series("drug_etoposide_effect").empty());

    // Same config, seed: identical series and events on 1 and 2 threads.
    for (const char* name : {"time", "drug_ruxolitinib_plasma", "drug_etoposide_plasma",
                             "drug_dexamethasone_effect", "ferritin", "plasma_ifng",
                             "cells_cd8_effector", "cells_trigger", "tissue_ifng", "mean_stat1"})
        EXPECT_EQ(one.series(name), two.series(name)) << name;
    EXPECT_EQ(kinds, two.strings("/events/kind"));
    EXPECT_EQ(details, two.strings("/events/detail"));
    EXPECT_EQ(times, two.event_times());
}

// Etoposide kills cycling (activated, dividing) T cells and spares quiescent ones
// (Johnson et al., J Immunol 2014). Both arms get 200 naive cells before the dose, and
// priming is switched off then, so that they stay naive in this antigen-rich patch.
TEST(HlhBinding, EtoposideSparesNaiveTCells) {
    const std::string common = R"(
perturbations:
  - {at: 58 h, parameter: cd8.priming_rate, set: 0 1/min}
  - {at: 58 h, add_cells: {population: cd8, state: naive, count: 200}}
)";
    const std::string treated = drugs({"etoposide"}) + common + R"(
treatments:
  - {name: e, start: 60 h, schedules: [{drug: etoposide, dose: 150 mg/m^2, frequency: once}]}
)";
    const auto ctrl = run_hlh(kScenario, small_patch("84 h"), common, 2, "ctrl");
    const auto eto = run_hlh(kScenario, small_patch("84 h"), treated, 2, "eto");
    auto last = [](const testing::RunFile& f, const char* name) { return f.series(name).back(); };
    const double cycling_ctrl =
        last(ctrl, "cells_cd8_activated") + last(ctrl, "cells_cd8_effector");
    const double cycling_eto = last(eto, "cells_cd8_activated") + last(eto, "cells_cd8_effector");
    const double naive_ctrl = last(ctrl, "cells_cd8_naive"),
                 naive_eto = last(eto, "cells_cd8_naive");
    std::printf(
        "24 h after etoposide: activated+effector %.0f vs %.0f (control), naive %.0f vs "
        "%.0f\n",
        cycling_eto, cycling_ctrl, naive_eto, naive_ctrl);
    ASSERT_GT(cycling_ctrl, 50);
    ASSERT_GT(naive_ctrl, 50);
    const double cycling_ratio = cycling_eto / cycling_ctrl, naive_ratio = naive_eto / naive_ctrl;
    EXPECT_LT(cycling_ratio, 0.6);
    EXPECT_GT(naive_ratio, 0.9);
    EXPECT_GT(naive_ratio - cycling_ratio, 0.3);
}

/// What building the HLH model of a config gives (nothing is run).
struct Built {
    std::vector<std::string> errors;  ///< config errors, unknown keys included
    std::vector<config::SchemaEntry> schema;
    double duration_min = 0;
};
Built build_hlh(config::ConfigNode tree) {
    config::Context ctx;
    config::Section root(&tree, "", ctx);
    root.string("model", {});
    Simulation sim(root);
    make_hlh_model()->build(sim, root);
    config::check_unknown_keys(tree, ctx);
    return {ctx.errors(), ctx.schema().entries(), sim.duration()};
}

// Every shipped scenario with treatments builds without a config error.
TEST(HlhBinding, SeedCaseScenariosAreValid) {
    for (const char* f : {"configs/default.yaml", "configs/scenarios/seed_case.yaml",
                          "configs/scenarios/seed_case_hlh2004_only.yaml",
                          "configs/scenarios/seed_case_hlh2004_continued.yaml",
                          "configs/scenarios/seed_case_ruxolitinib_first.yaml",
                          "configs/scenarios/seed_case_untreated.yaml",
                          "configs/scenarios/seed_case_emapalumab_at_relapse.yaml"}) {
        const Built built = build_hlh(config::load_file(source_path(f)));
        EXPECT_TRUE(built.errors.empty()) << f << ": " << built.errors.front();
        EXPECT_DOUBLE_EQ(built.duration_min, 600 * kDay) << f;
    }
}

// The names perturbations may set (registered in hlh_binding.cpp) must be the model's own
// config keys, in the same units: the registry lists them a second time, and this keeps the
// two lists from drifting apart. The registry's names come from the error that an unknown
// name gets, the config keys and their units from the schema recorded while the model read
// them; then every name is set to "1 <its config unit>", which the registry accepts only
// in a unit of its own dimension (and a bare number only where it has none).
Built build_with(const std::string& perturbations) {
    config::ConfigNode tree = config::load_file(source_path("configs/default.yaml"));
    config::merge_into(tree, config::load_string("perturbations:\n" + perturbations, "p.yaml"));
    return build_hlh(std::move(tree));
}

TEST(HlhBinding, EveryPerturbableParameterIsAConfigKeyInItsUnit) {
    const Built unknown = build_with("  - {at: 1 day, parameter: no.such, set: 1}\n");
    const std::vector<config::SchemaEntry>& schema = unknown.schema;
    // The unknown name's error lists the known ones (the entry's other keys, left unread,
    // are reported too).
    const std::string marker = "known: ";
    const auto error = std::find_if(unknown.errors.begin(), unknown.errors.end(),
                                    [&](const std::string& e) { return e.find(marker) != e.npos; });
    ASSERT_NE(error, unknown.errors.end()) << unknown.errors.size() << " errors";
    std::vector<std::string> names;
    std::string rest = error->substr(error->find(marker) + marker.size());
    for (std::size_t comma; (comma = rest.find(", ")) != std::string::npos;) {
        names.push_back(rest.substr(0, comma));
        rest = rest.substr(comma + 2);
    }
    names.push_back(rest);
    EXPECT_GT(names.size(), 40u);  // the list was found and split
    std::string sets;
    for (const std::string& name : names) {
        const auto entry =
            std::find_if(schema.begin(), schema.end(),
                         [&](const config::SchemaEntry& e) { return e.path == name; });
        ASSERT_NE(entry, schema.end()) << "'" << name << "' is not a config key";
        sets += "  - {at: 1 day, parameter: " + name + ", set: 1" +
                (entry->unit.empty() ? "" : " " + entry->unit) + "}\n";
    }
    const std::vector<std::string> unit_errors = build_with(sets).errors;
    EXPECT_TRUE(unit_errors.empty())
        << unit_errors.size()
        << " errors, the first: " << (unit_errors.empty() ? "" : unit_errors[0]);
}

}  // namespace
}  // namespace hlhsim::models::treatment
