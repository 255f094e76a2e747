#pragma once
// The treatment layer of a run: the drugs in the patient (PK/PD from configs/drugs), the
// treatments that dose them (at times or by rules on readouts), the remission/relapse
// monitor and the perturbations. A model creates it in build(), attaches it to the
// Simulation (events, readouts, the rule phase), advances it each step and copies its
// effects into what its rules read. Every dose, start, stop, perturbation, remission and
// relapse goes to /events.
#include <array>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "models/hlh/drug_effects.hpp"
#include "models/systemic/patch_signals.hpp"
#include "models/treatment/dose_schedule.hpp"
#include "models/treatment/drug.hpp"
#include "models/treatment/perturbation.hpp"
#include "models/treatment/rule.hpp"
#include "models/treatment/treatment_spec.hpp"

namespace hlhsim {
class Simulation;
class FieldSet;
namespace config {
class Section;
}
}  // namespace hlhsim

namespace hlhsim::models::treatment {

class TreatmentLayer final : private RuleFacts {
  public:
    /// What the model provides.
    struct Host {
        Patient patient;
        const ReadoutSource* readouts = nullptr;  ///< the model's readouts, for rules
        PerturbationTarget* target = nullptr;     ///< null: no cell/parameter perturbations
        std::vector<FieldInfo> fields;            ///< fields perturbations may name
        double duration_min = 0;                  ///< end of the run [min]
    };
    struct Logged {
        double time_min;
        std::string kind, detail;
    };

    /// Reads drugs, treatments, monitor and perturbations from the root section; errors go
    /// to its context (FILE:LINE:COL, "did you mean"). `host` pointers must outlive this.
    TreatmentLayer(config::Section& root, Host host);
    ~TreatmentLayer() override;
    TreatmentLayer(const TreatmentLayer&) = delete;
    TreatmentLayer& operator=(const TreatmentLayer&) = delete;

    /// Registers drug readouts (drug_<name>_plasma [nM], _effect [1], _effect_site [nM]),
    /// the timed starts, stops and perturbations, and the rule phase "treatment" (period
    /// monitor.check_every). Add it after the model's own phases: rules then see this
    /// step's readouts.
    void attach(Simulation& sim);

    /// Advances every drug to `time_min` (no-op if already there).
    void advance(double time_min);
    /// Effects on the tissue patch now (fractions combine as independent actions,
    /// 1 - prod(1 - e); kill rates add) [fractions; rates in 1/min].
    hlh::DrugEffects patch_effects() const;
    /// Systemic effects averaged over [t, t + dt) [min], sampled every 10 min.
    SystemicDrugEffects systemic_effects(double t_min, double dt_min);
    /// Adds the windowed field perturbations to this step's field rates.
    void exchange_fields(FieldSet& fields) const;
    /// Runs the monitor and the start/stop rules at time t [min].
    void check(double t_min);

    const std::vector<Logged>& log() const { return log_; }
    /// The state of drug `name`, or null.
    const DrugState* drug(std::string_view name) const;
    const std::vector<DrugSpec>& drugs() const { return *specs_; }
    /// Readouts rules can use: the model's and the drugs'.
    const ReadoutSource& readouts() const;
    double check_every_min() const { return monitor_.check_every_min; }

    int event_count(std::string_view kind) const override;
    bool started(std::string_view treatment) const override;
    bool stopped(std::string_view treatment) const override;

  private:
    struct Running {
        TreatmentSpec spec;
        bool started = false, pending = false, stopped = false;
        double start_min = 0;
    };
    class Readouts;

    void record(double t, std::string kind, std::string detail);
    void start(std::size_t i, double t, const std::string& why);
    void stop(std::size_t i, double t, const std::string& why);
    void give(const Dose& d, double t);
    void schedule_perturbation(std::size_t k);
    std::array<double, kEffectTargetCount> combined(const std::vector<DrugState>& states) const;

    Host host_;
    Simulation* sim_ = nullptr;
    std::unique_ptr<std::vector<DrugSpec>> specs_;  // stable addresses for DrugState
    std::vector<DrugState> states_;
    std::vector<const Readout*> clearance_targets_;  // per drug, or null
    std::unique_ptr<Readouts> readouts_;
    std::vector<Running> treatments_;
    MonitorSpec monitor_;
    enum class Course : std::uint8_t { kBeforeOnset, kActive, kRemission };
    Course course_ = Course::kActive;
    int remissions_ = 0, relapses_ = 0;
    std::vector<Perturbation> perturbations_;
    std::vector<double> saved_;  // parameter values before each perturbation
    std::vector<bool> active_;   // windowed field perturbations now acting
    std::vector<Logged> log_;
};

}  // namespace hlhsim::models::treatment
