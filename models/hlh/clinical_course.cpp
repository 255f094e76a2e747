#include "models/hlh/clinical_course.hpp"

#include <fmt/format.h>

#include "models/clinical/hlh2004.hpp"
#include "models/clinical/hscore.hpp"
#include "models/systemic/systemic_readouts.hpp"
#include "sim/core/units.hpp"
#include "sim/schedule/simulation.hpp"

namespace hlhsim::models::hlh {
namespace {

constexpr std::array<const char*, 8> kCriteria{
    "fever",  "splenomegaly", "cytopenias", "tg_or_fibrinogen", "hemophagocytosis",
    "nk_low", "ferritin",     "scd25"};

std::array<bool, 8> as_array(const Hlh2004Result& r) {
    return {r.fever,
            r.splenomegaly,
            r.cytopenias,
            r.triglycerides_or_fibrinogen,
            r.hemophagocytosis,
            r.low_nk_activity,
            r.ferritin,
            r.scd25};
}

}  // namespace

ClinicalCourse::ClinicalCourse(Simulation& sim, Patch& patch, SystemicParams params,
                               PatchScale scale)
    : sim_(sim), patch_(patch), body_(std::move(params)), scale_(scale) {
    for (const auto& r : systemic_readouts())
        sim.add_readout(std::string(r.name), std::string(r.unit),
                        [this, &r] { return r.value(body_); });
    using K = RecordTable::Kind;
    std::vector<RecordTable::ColumnSpec> cols{{"day", K::kDouble, "day"}};
    for (const char* c : kCriteria) cols.push_back({c, K::kInt, "1"});
    cols.push_back({"count", K::kInt, "1"});
    hlh2004_ = &sim.add_table("/criteria/hlh2004", cols);
    hscore_ = &sim.add_table("/criteria/hscore", {{"day", K::kDouble, "day"},
                                                  {"total", K::kInt, "points"},
                                                  {"temperature", K::kInt, "points"},
                                                  {"organomegaly", K::kInt, "points"},
                                                  {"cytopenias", K::kInt, "points"},
                                                  {"ferritin", K::kInt, "points"},
                                                  {"triglycerides", K::kInt, "points"},
                                                  {"fibrinogen", K::kInt, "points"},
                                                  {"ast", K::kInt, "points"},
                                                  {"hemophagocytosis", K::kInt, "points"},
                                                  {"immunosuppression", K::kInt, "points"}});
}

void ClinicalCourse::step(const Tick& t, const SystemicDrugEffects& drugs) {
    const auto states = std::as_const(*patch_.mac).col(patch_.mc.state);
    hlhsim::models::PatchTally tally;
    tally.interval_h = t.dt / 60.0;
    for (std::size_t c = 0; c < kCytokineCount; ++c)
        tally.secreted_pg[c] = patch_.tally.secreted_pg[c];
    tally.macrophages = static_cast<double>(states.size());
    for (std::uint8_t s : states) {
        if (s != static_cast<std::uint8_t>(MacState::kResting)) tally.activated_macrophages += 1;
        if (s == static_cast<std::uint8_t>(MacState::kHemophagocytic))
            tally.hemophagocytic_macrophages += 1;
    }
    tally.engulfed_rbc = patch_.tally.engulfed[static_cast<std::size_t>(BloodKind::kRbc)];
    tally.engulfed_platelets =
        patch_.tally.engulfed[static_cast<std::size_t>(BloodKind::kPlatelet)];
    tally.engulfed_neutrophils =
        patch_.tally.engulfed[static_cast<std::size_t>(BloodKind::kNeutrophil)];
    for (std::uint8_t s : std::as_const(*patch_.cd8).col(patch_.tc.state))
        if (s == static_cast<std::uint8_t>(Cd8State::kActivated) ||
            s == static_cast<std::uint8_t>(Cd8State::kEffector))
            tally.activated_cd8 += 1;
    patch_.tally = {};
    const PatchSignals signals = scale_patch(tally, scale_, body_.circulating_cells());
    body_.step(t.dt / 60.0, signals, drugs);
    // The patch sees the blood the body has: cytopenias thin the cells passing through.
    const auto& normal = SystemicModel::normal_state(body_.params());
    const auto& now = body_.state();
    patch_.blood_supply = {now.hemoglobin_g_per_l / normal.hemoglobin_g_per_l,
                           now.platelets_e9_per_l / normal.platelets_e9_per_l,
                           now.neutrophils_e9_per_l / normal.neutrophils_e9_per_l,
                           now.other_leukocytes_e9_per_l / normal.other_leukocytes_e9_per_l};
}

void ClinicalCourse::evaluate_day(const Tick& t) {
    const ClinicalState labs = body_.clinical();
    const Hlh2004Result h = evaluate_hlh2004(labs);
    const HScoreResult s = evaluate_hscore(labs);
    const double day = t.time / kMinutesPerDay;
    const auto met = as_array(h);
    std::vector<RecordTable::Cell> row{day};
    for (bool b : met) row.emplace_back(std::int64_t{b});
    row.emplace_back(std::int64_t{h.count()});
    hlh2004_->append(std::move(row));
    hscore_->append({day, std::int64_t{s.total()}, std::int64_t{s.temperature},
                     std::int64_t{s.organomegaly}, std::int64_t{s.cytopenias},
                     std::int64_t{s.ferritin}, std::int64_t{s.triglycerides},
                     std::int64_t{s.fibrinogen}, std::int64_t{s.ast},
                     std::int64_t{s.hemophagocytosis}, std::int64_t{s.immunosuppression}});
    for (std::size_t c = 0; c < met.size(); ++c) {
        if (met[c] && !ever_met_[c]) sim_.log_event("criterion_met", kCriteria[c]);
        ever_met_[c] = ever_met_[c] || met[c];
    }
    if (h.diagnostic() != diagnostic_) {
        diagnostic_ = h.diagnostic();
        sim_.log_event(diagnostic_ ? "hlh2004_diagnostic" : "hlh2004_below_threshold",
                       fmt::format("{} of 8 criteria, HScore {}", h.count(), s.total()));
    }
}

}  // namespace hlhsim::models::hlh
