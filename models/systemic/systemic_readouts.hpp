#pragma once
// The systemic model's time-series readouts, named and united as in docs/output.md,
// so that the model that owns a SystemicModel can record them all in one call:
//
//     for (const auto& r : systemic_readouts())
//         sim.add_readout(std::string(r.name), std::string(r.unit),
//                         [&model, &r] { return r.value(model); });
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "models/systemic/systemic_model.hpp"

namespace hlhsim::models {

/// One readout: its /timeseries name, its unit and how to read it from a model.
struct SystemicReadout {
    std::string_view name;
    std::string_view unit;
    double (*value)(const SystemicModel&);
};

/// Every readout, in a fixed order: temperature, hemoglobin, platelets, neutrophils, wbc,
/// ferritin, triglycerides, fibrinogen, scd25, ldh, ast, spleen_ratio, liver_ratio,
/// liver_injury, plasma_<cytokine> for ifng, il6, tnf, il10, il18, il2.
std::span<const SystemicReadout> systemic_readouts();

/// (name, unit) of every readout, in the order of systemic_readouts().
std::vector<std::pair<std::string, std::string>> readout_names();

/// Calls fn(name, unit, value) for every readout, in the order of systemic_readouts().
void for_each_readout(
    const SystemicModel& model,
    const std::function<void(const std::string& name, const std::string& unit, double value)>& fn);

}  // namespace hlhsim::models
