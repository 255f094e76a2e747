#pragma once
// The systemic compartment of the HLH model: ODEs in clinical units for plasma
// cytokines, blood counts, ferritin, triglycerides, fibrinogen, sCD25, AST, LDH,
// temperature and organ size, driven by the tissue patch (PatchSignals) and by drugs
// (SystemicDrugEffects). Equations and parameters: docs/systemic.md.
//
// Integration: each step solves every equation exactly with its coefficients held
// constant over the step (models/systemic/relaxation.hpp); steps longer than
// kMaxSubstepH are split. It is unconditionally stable and keeps every quantity >= 0;
// 1 h steps agree with 1 min steps to well under 1% (tests).
#include "models/clinical/labs.hpp"
#include "models/systemic/patch_signals.hpp"
#include "models/systemic/systemic_params.hpp"

namespace hlhsim::models {

/// Everything the systemic compartment remembers (for checkpoints and inspection).
struct SystemicState {
    double time_h = 0;                                      ///< time since construction [h]
    std::array<double, kCytokineCount> plasma_pg_per_ml{};  ///< by Cytokine [pg/mL]
    double hemoglobin_g_per_l = 0;
    double rbc_production_g_per_l_d = 0;  ///< erythroid output into blood [g/L per d]
    double platelets_e9_per_l = 0;
    double platelet_production_e9_per_l_d = 0;  ///< megakaryocyte output [10^9/L per d]
    double neutrophils_e9_per_l = 0;
    double neutrophil_reserve_e9_per_l = 0;  ///< marrow storage pool, blood-equivalent [10^9/L]
    double other_leukocytes_e9_per_l = 0;    ///< lymphocytes, monocytes, eos, basos [10^9/L]
    double ferritin_ng_per_ml = 0;
    double triglycerides_mmol_per_l = 0;
    double fibrinogen_g_per_l = 0;
    double liver_injury = 0;  ///< 0 (none) - 1 (maximal)
    double ast_u_per_l = 0;
    double ldh_u_per_l = 0;
    double scd25_u_per_ml = 0;
    double temperature_c = 0;
    double spleen_ratio = 1;             ///< spleen size / normal
    double liver_ratio = 1;              ///< liver size / normal
    double hemophagocytic_fraction = 0;  ///< from the last step's signals [0-1]
};

/// Circulating blood cells in the whole body [cells].
struct CirculatingPools {
    double rbc = 0;
    double platelets = 0;
    double neutrophils = 0;
};

class SystemicModel {
  public:
    using Params = SystemicParams;
    /// Longest internal step [h]; longer calls to step() are split into equal parts.
    static constexpr double kMaxSubstepH = 1.0;

    /// Validates `params` (InputError) and starts at the normal steady state.
    explicit SystemicModel(Params params);

    /// The steady state without inflammation: every readout at its normal value.
    static SystemicState normal_state(const Params& params);

    /// Advances `hours` >= 0 with the signals and drug effects held constant. Throws
    /// std::invalid_argument for negative, non-finite or out-of-range inputs.
    void step(double hours, const PatchSignals& signals, const SystemicDrugEffects& drugs = {});

    /// The readouts in clinical units (models/clinical/labs.hpp).
    ClinicalState clinical() const;
    /// Plasma concentration [pg/mL].
    double plasma_pg_per_ml(Cytokine c) const {
        return state_.plasma_pg_per_ml[static_cast<std::size_t>(c)];
    }
    /// WBC = neutrophils + other leukocytes [10^9/L].
    double wbc_e9_per_l() const {
        return state_.neutrophils_e9_per_l + state_.other_leukocytes_e9_per_l;
    }
    /// Circulating cells in the body, for turning patch engulfment events into fractions.
    CirculatingPools circulating_cells() const;
    double time_h() const { return state_.time_h; }

    const SystemicState& state() const { return state_; }
    /// Restores a state (checkpoint restart). Throws std::invalid_argument if any
    /// value is negative or not finite.
    void set_state(const SystemicState& state);
    /// The NK-cell function test result reported in clinical() (a patient property).
    void set_nk_activity_low(bool low) { params_.findings.nk_activity_low = low; }
    const Params& params() const { return params_; }

  private:
    void substep(double h, const PatchSignals& s, const SystemicDrugEffects& d);
    void step_blood(double days, const PatchSignals& s, const SystemicDrugEffects& d);
    void step_chemistry(double hours, const PatchSignals& s);
    void step_clinical(double hours, const SystemicDrugEffects& d);
    /// Plasma level above basal [pg/mL], >= 0: the inflammatory signal.
    double excess(Cytokine c) const;
    /// Fraction of a lineage's production left by cytokines and drugs [0-1].
    double marrow_factor(const LineageSuppression& l, const SystemicDrugEffects& d) const;

    Params params_;
    SystemicState state_;
};

}  // namespace hlhsim::models
