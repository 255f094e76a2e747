#pragma once
// The benchmark model of workload W1 (benchmarks/README.md, workloads.md): an
// "immune patch" in the style of the PhysiCell examples, used to compare hlhsim's
// speed with a widely used simulator on the same work. A 2-D sheet of static
// epithelial cells, 10% of them infected and secreting from t = 0, and motile
// macrophages that follow a persistent random walk biased up the interferon
// gradient, push and weakly stick to every cell they touch (PhysiCell-like contact
// potentials, Adams-Bashforth position update) and scan their contacts every
// phenotype step. Two fields: "virus" (taken up by epithelial cells) and
// "interferon" (secreted by infected cells). No cell is added or removed.
//
// Populations: "macrophages" (columns state, contacts, mx, my, vx, vy, turn_at, and gx,
// gy: the interferon gradient sensed for the last turn) and
// "epithelium" (column state: healthy or infected). Positions [um], time [min].
#include <memory>

#include "sim/schedule/model.hpp"

namespace hlhsim::models {

std::unique_ptr<Model> make_immune_patch();

}  // namespace hlhsim::models
