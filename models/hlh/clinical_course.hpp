#pragma once
// The patient's body around the patch: the systemic compartment (plasma cytokines,
// blood counts, labs) driven by what happens in the patch, and the daily clinical
// evaluation (HLH-2004 criteria, HScore) recorded in /criteria and /events.
#include <array>

#include "models/hlh/patch_state.hpp"
#include "models/systemic/patch_scale.hpp"
#include "models/systemic/systemic_model.hpp"
#include "sim/schedule/schedule.hpp"

namespace hlhsim {
class Simulation;
class RecordTable;
}  // namespace hlhsim

namespace hlhsim::models::hlh {

class ClinicalCourse {
  public:
    /// Registers the systemic readouts and the /criteria tables with `sim`.
    ClinicalCourse(Simulation& sim, Patch& patch, SystemicParams params, PatchScale scale);

    /// Advances the body by t.dt: scales the patch's events since the last call to
    /// whole-body signals, steps the ODEs, and sets the patch's blood supply.
    void step(const Tick& t, const SystemicDrugEffects& drugs);
    /// Evaluates HLH-2004 and the HScore; logs criteria met and diagnosis changes.
    void evaluate_day(const Tick& t);

    const SystemicModel& body() const { return body_; }
    const PatchScale& scale() const { return scale_; }

  private:
    Simulation& sim_;
    Patch& patch_;
    SystemicModel body_;
    PatchScale scale_;
    RecordTable* hlh2004_ = nullptr;
    RecordTable* hscore_ = nullptr;
    std::array<bool, 8> ever_met_{};
    bool diagnostic_ = false;
};

}  // namespace hlhsim::models::hlh
