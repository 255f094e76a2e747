#pragma once
// Parameters of the HLH tissue-patch model, read from YAML with units. Every
// default is documented with its source or calibration range in docs/model.md.
// Internal units: um, min; cytokines in pg/mL (fields), antigen in arbitrary
// units per voxel volume (AU/mL).
#include <cstdint>
#include <string>

#include "models/pharma/pd.hpp"

namespace hlhsim {
namespace config {
class Section;
}
}  // namespace hlhsim

namespace hlhsim::models::hlh {

/// The patient: who she is and how well her cytotoxic lymphocytes kill.
struct PatientParams {
    double age_years = 46;
    double weight_kg = 60;
    double bsa_m2 = 1.65;
    /// 0 = perforin null (primary HLH), 1 = normal killing.
    double cytotoxic_competence = 1;
};

struct Cd8Params {
    std::int64_t naive_count = 60;    ///< antigen-specific precursors in the patch (kept by influx)
    double naive_lifespan = 0;        ///< [min]
    double speed = 6;                 ///< effector speed [um/min]
    double naive_speed = 10;          ///< [um/min]
    double contact_speed = 1;         ///< speed while bound to a target [um/min]
    double persistence = 3;           ///< [min]
    double contact_radius = 12;       ///< centre distance for a contact [um]
    double priming_rate = 0;          ///< naive activation per contact minute [1/min]
    double first_division_delay = 0;  ///< activated -> effector [min]
    double division_rate = 0;         ///< effector cycling at full IL-2 signal [1/min]
    HillResponse il2_division;        ///< IL-2 [pg/mL] -> fraction of division_rate
    double antigen_sustain = 0;       ///< stimulation level [1] below which division stops
    double kill_time = 8.5;           ///< mean synapse time to a kill at full competence [min]
    double detach_time = 41;          ///< mean time to give up on a target not killed [min]
    double stimulation_decay = 0;     ///< forgetting of antigen exposure [1/min]
    double exhaustion_rate = 0;       ///< effector -> exhausted at stimulation 1 [1/min]
    double effector_lifespan = 0;     ///< mean life of an effector without antigen [min]
    double exhausted_lifespan = 0;    ///< [min]
    double exhausted_killing = 0.3;   ///< kill efficiency of exhausted cells [1]
    double ifng_secretion = 0;        ///< per effector [pg/min]
    double failed_kill_factor = 4;    ///< IFN-gamma multiplier during a contact that does not kill
    double residual_secretion = 0.1;  ///< output out of contact, per unit of stimulation [1]
    HillResponse il18_boost;          ///< IL-18 [pg/mL] -> extra IFN-gamma (fold)
    HillResponse il6_impairment;      ///< IL-6 [pg/mL] -> fraction of killing lost (JAK1-STAT3)
    double exhausted_secretion = 0.3;  ///< exhausted cells secrete this fraction [1]
    double tnf_secretion = 0;          ///< per effector [pg/min]
    double il2_secretion = 0;          ///< per activated/effector cell in contact [pg/min]
    std::int64_t crowd_limit = 4;      ///< T cells within contact radius that stop division
    std::int64_t max_cells = 5000;     ///< a safety cap on the patch's T cells
    double capacity = 800;             ///< T cells at which division stops (logistic room)
};

struct MacrophageParams {
    std::int64_t count = 150;
    double lifespan = 0;  ///< [min]; replaced by monocyte influx
    double speed = 2, activated_speed = 1, hemophagocytic_speed = 0.4;  ///< [um/min]
    double persistence = 10;                                            ///< [min]
    HillResponse ifng_stat1;            ///< IFN-gamma [pg/mL] -> STAT1 drive (0-1)
    double stat1_on = 0;                ///< STAT1 activation rate at full drive [1/min]
    double stat1_off = 0;               ///< STAT1 deactivation rate [1/min]
    double jak_dependence = 1;          ///< exponent: STAT1 drive scales as (1 - JAK inhibition)^n
    HillResponse il10_brake;            ///< IL-10 [pg/mL] -> fractional brake on STAT1 drive
    double activation_threshold = 0.5;  ///< STAT1 above which a resting cell activates
    double deactivation_threshold = 0.3;
    double hemophagocytic_threshold = 0.8;
    double hemophagocytic_rate = 0;  ///< activated -> hemophagocytic above threshold [1/min]
    double engulf_rate = 0;      ///< attempts per hemophagocyte on its nearest blood cell [1/min]
    double contact_radius = 18;  ///< [um]
    double il6_secretion = 0, tnf_secretion = 0, il18_secretion = 0,
           il10_secretion = 0;  ///< [pg/min]
    double hemophagocytic_secretion_factor = 2;
    double antigen_uptake = 0;          ///< antigen presentation gain per AU/mL [1/min per AU/mL]
    double presentation_decay = 0;      ///< [1/min]
    double presentation_threshold = 0;  ///< presentation level that stimulates T cells [1]
};

struct TriggerParams {
    std::int64_t initial = 0;  ///< antigen-bearing cells at t = 0
    double division_rate = 0;  ///< replication [1/min]
    std::int64_t carrying_capacity = 2000;
    double lifespan = 0;            ///< natural death [min] (0 = immortal)
    double influx = 0;              ///< new antigen-bearing cells (persistent source) [1/min]
    double reactivation = 0;        ///< extra influx at full inflammation [1/min]
    HillResponse tnf_reactivation;  ///< TNF [pg/mL] -> fraction of reactivation
    double source_start = 0, source_stop = 0;  ///< window of the persistent source [min]
    std::int64_t reservoir = 0;     ///< hidden (latent) antigen-bearing cells at t = 0; 0 = endless
    double latency_rate = 0;        ///< visible trigger cells going back into hiding [1/min]
    double reservoir_growth = 0;    ///< growth of the hidden cells at full signal [1/min]
    double reservoir_capacity = 1;  ///< hidden cells the niche holds (logistic growth)
    HillResponse il6_reservoir_growth;  ///< IL-6 [pg/mL] -> share of reservoir_growth
    double antigen_secretion = 0;       ///< [AU/mL per min per cell in its voxel]
    double speed = 0.5;                 ///< [um/min]
};

struct BloodParams {
    std::int64_t rbc = 120, platelets = 60, neutrophils = 30,
                 lymphocytes = 30;  ///< at normal counts
    double transit_time = 60;       ///< mean time a blood cell spends in the patch [min]
    double filtration_per_day = 1;  ///< passes of the blood through such tissue per day [1/day]
    double speed = 3;               ///< [um/min]
};

struct TimeParams {
    double agents = 2;     ///< agent step [min]
    double systemic = 60;  ///< systemic ODE step [min]
};

/// How the patch stands for the body (models/systemic/patch_scale.hpp).
struct BodyParams {
    double tissue_volume_ml = 1000;  ///< reactive tissue the patch represents [mL]
    double plasma_fraction = 0.01;   ///< share of tissue-secreted cytokine reaching plasma
};

struct Params {
    PatientParams patient;
    Cd8Params cd8;
    MacrophageParams macrophage;
    TriggerParams trigger;
    BloodParams blood;
    TimeParams time;
    BodyParams body;
};

/// Reads every parameter (recording the schema); errors go to the section's context.
Params read_params(config::Section& root);

}  // namespace hlhsim::models::hlh
