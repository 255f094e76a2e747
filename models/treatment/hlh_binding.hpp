#pragma once
// What the treatment layer may read and touch in the HLH model: its readouts (the
// systemic labs, HLH-2004 criteria count, HScore, cell counts of the patch), its cell
// populations (depletion, added cells), its fields and its named parameters. Kept here,
// beside the layer, so that models/hlh/hlh_model.cpp only wires it in.
#include <memory>
#include <string>
#include <vector>

#include "models/hlh/hlh_params.hpp"
#include "models/hlh/patch_state.hpp"
#include "models/treatment/perturbation.hpp"
#include "models/treatment/rule.hpp"
#include "models/treatment/treatment_layer.hpp"

namespace hlhsim {
class Simulation;
}
namespace hlhsim::models::hlh {
class ClinicalCourse;
}

namespace hlhsim::models::treatment {

class HlhBinding final : public PerturbationTarget {
  public:
    /// All references must outlive the binding; `params` is what the rules read each step,
    /// so parameters set through it act from the next step on.
    HlhBinding(Simulation& sim, hlh::Patch& patch, hlh::Params& params,
               const hlh::ClinicalCourse& course);

    /// The host description for TreatmentLayer (patient, readouts, this target, fields).
    TreatmentLayer::Host host();

    std::vector<CellType> cell_types() const override;
    std::size_t deplete(const std::string& population, int state, double fraction,
                        std::uint64_t key) override;
    std::size_t add_cells(const std::string& population, int state, std::int64_t count,
                          std::uint64_t key) override;
    ParameterRegistry& parameters() override { return registry_; }
    const ReadoutSource& readouts() const { return readouts_; }

  private:
    struct Pop {
        std::string name;
        Population* pop;
        Column<std::uint8_t> state;
        std::vector<std::string> states;
    };
    Pop& find(const std::string& name);
    void register_parameters(hlh::Params& p);

    Simulation& sim_;
    hlh::Patch& patch_;
    hlh::Params& params_;
    std::vector<Pop> pops_;
    ReadoutList readouts_;
    ParameterRegistry registry_;
};

}  // namespace hlhsim::models::treatment
