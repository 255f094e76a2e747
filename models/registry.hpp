#pragma once
// The one explicit list of models the hlhsim command knows (no static registration).
#include <memory>
#include <string>
#include <vector>

namespace hlhsim::models {

/// Names of every registered model, for --help and "did you mean" messages.
std::vector<std::string> model_names();

}  // namespace hlhsim::models
