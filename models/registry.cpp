#include "models/registry.hpp"

namespace hlhsim::models {

std::vector<std::string> model_names() { return {}; }

}  // namespace hlhsim::models
