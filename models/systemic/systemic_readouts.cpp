#include "models/systemic/systemic_readouts.hpp"

#include <array>

namespace hlhsim::models {
namespace {

template <Cytokine C>
double plasma(const SystemicModel& m) {
    return m.plasma_pg_per_ml(C);
}

constexpr std::array kReadouts{
    SystemicReadout{"temperature", "C",
                    [](const SystemicModel& m) { return m.state().temperature_c; }},
    SystemicReadout{"hemoglobin", "g/L",
                    [](const SystemicModel& m) { return m.state().hemoglobin_g_per_l; }},
    SystemicReadout{"platelets", "10^9/L",
                    [](const SystemicModel& m) { return m.state().platelets_e9_per_l; }},
    SystemicReadout{"neutrophils", "10^9/L",
                    [](const SystemicModel& m) { return m.state().neutrophils_e9_per_l; }},
    SystemicReadout{"wbc", "10^9/L", [](const SystemicModel& m) { return m.wbc_e9_per_l(); }},
    SystemicReadout{"ferritin", "ng/mL",
                    [](const SystemicModel& m) { return m.state().ferritin_ng_per_ml; }},
    SystemicReadout{"triglycerides", "mmol/L",
                    [](const SystemicModel& m) { return m.state().triglycerides_mmol_per_l; }},
    SystemicReadout{"fibrinogen", "g/L",
                    [](const SystemicModel& m) { return m.state().fibrinogen_g_per_l; }},
    SystemicReadout{"scd25", "U/mL",
                    [](const SystemicModel& m) { return m.state().scd25_u_per_ml; }},
    SystemicReadout{"ldh", "U/L", [](const SystemicModel& m) { return m.state().ldh_u_per_l; }},
    SystemicReadout{"ast", "IU/L", [](const SystemicModel& m) { return m.state().ast_u_per_l; }},
    SystemicReadout{"spleen_ratio", "1",
                    [](const SystemicModel& m) { return m.state().spleen_ratio; }},
    SystemicReadout{"liver_ratio", "1",
                    [](const SystemicModel& m) { return m.state().liver_ratio; }},
    SystemicReadout{"liver_injury", "1",
                    [](const SystemicModel& m) { return m.state().liver_injury; }},
    SystemicReadout{"plasma_ifng", "pg/mL", plasma<Cytokine::ifng>},
    SystemicReadout{"plasma_il6", "pg/mL", plasma<Cytokine::il6>},
    SystemicReadout{"plasma_tnf", "pg/mL", plasma<Cytokine::tnf>},
    SystemicReadout{"plasma_il10", "pg/mL", plasma<Cytokine::il10>},
    SystemicReadout{"plasma_il18", "pg/mL", plasma<Cytokine::il18>},
    SystemicReadout{"plasma_il2", "pg/mL", plasma<Cytokine::il2>},
};

}  // namespace

std::span<const SystemicReadout> systemic_readouts() { return kReadouts; }

std::vector<std::pair<std::string, std::string>> readout_names() {
    std::vector<std::pair<std::string, std::string>> names;
    names.reserve(kReadouts.size());
    for (const auto& r : kReadouts) names.emplace_back(r.name, r.unit);
    return names;
}

void for_each_readout(
    const SystemicModel& model,
    const std::function<void(const std::string& name, const std::string& unit, double value)>& fn) {
    for (const auto& r : kReadouts) fn(std::string(r.name), std::string(r.unit), r.value(model));
}

}  // namespace hlhsim::models
