#pragma once
// The seam between the engine and a disease (or example) model. The engine owns
// space, agents, fields, the schedule and output; a Model reads its parameters
// and wires its populations, phases and readouts into a Simulation.
#include <string>

namespace hlhsim {

class Simulation;
namespace config {
class Section;
}

class Model {
  public:
    virtual ~Model() = default;
    /// Reads the model's parameters from the root of the configuration (recording
    /// the schema as it goes) and adds populations, phases, readouts, tables and
    /// events to `sim`. Collects config errors in the section's context instead of
    /// throwing; must not write output.
    virtual void build(Simulation& sim, config::Section& root) = 0;
    /// Called once after the last step, before the final record (optional).
    virtual void finish(Simulation& /*sim*/) {}
};

}  // namespace hlhsim
