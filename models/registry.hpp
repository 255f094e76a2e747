#pragma once
// The one explicit list of models the hlhsim command knows (no static registration).
#include <memory>
#include <string>
#include <vector>

#include "sim/schedule/model.hpp"

namespace hlhsim::models {

/// Names of every registered model, for --help and "did you mean" messages.
std::vector<std::string> model_names();

/// A new model by name; nullptr for an unknown name.
std::unique_ptr<Model> make_model(const std::string& name);

}  // namespace hlhsim::models
