#pragma once
// The HLH tissue-patch model: CD8 T cells, macrophages, trigger (antigen-bearing)
// cells and blood cells in diffusing cytokine fields (IFN-gamma, IL-6, TNF, IL-10,
// IL-18, IL-2) plus a soluble antigen field. See docs/model.md for every rule.
#include <memory>

#include "sim/schedule/model.hpp"

namespace hlhsim::models {

std::unique_ptr<Model> make_hlh_model();

}  // namespace hlhsim::models
