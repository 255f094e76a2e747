#pragma once
// Parameters of the systemic compartment (plasma cytokines, blood counts, liver and
// acute-phase proteins, temperature, organ size), read from YAML with units.
// Defaults, sources and calibration ranges: docs/systemic.md. The struct initialisers
// below ARE the defaults: SystemicParams::read() takes them from here, so code, schema
// and documentation cannot drift apart.
//
// Member suffixes give the unit: _h hours, _d days, _ml mL, _pg_per_ml pg/mL, _per_d 1/d,
// _e9_per_l 10^9/L, ... A HillResponse (models/pharma/pd.hpp) reads a signal in the unit
// named in its comment; its emax is a fraction of the process unless stated.
#include <array>

#include "models/pharma/pd.hpp"
#include "models/systemic/patch_signals.hpp"

namespace hlhsim::config {
class Section;
}

namespace hlhsim::models {

/// One cytokine in plasma: one compartment, first-order clearance.
struct PlasmaCytokineParams {
    double half_life_h = 1;      ///< plasma elimination half-life [h]
    double volume_ml = 3000;     ///< distribution volume [mL] (plasma 3 L)
    double basal_pg_per_ml = 1;  ///< level without inflammation [pg/mL]
};

/// Fraction of a lineage's marrow production removed by each influence at full effect.
struct LineageSuppression {
    double ifng_emax = 0;        ///< by plasma IFN-gamma (Hill of MarrowParams) [0-1]
    double tnf_emax = 0;         ///< by plasma TNF [0-1]
    double jak2_emax = 0;        ///< at SystemicDrugEffects::jak2 = 1 [0-1]
    double myelotoxic_emax = 0;  ///< at SystemicDrugEffects::myelotoxic = 1 [0-1]
};

/// Potency of plasma cytokines (excess over basal) on haematopoietic progenitors.
struct MarrowParams {
    double ifng_ec50_pg_per_ml = 300;  ///< [pg/mL]
    double ifng_hill = 1;
    double tnf_ec50_pg_per_ml = 50;  ///< [pg/mL]
    double tnf_hill = 1;
};

struct RedCellParams {
    double hemoglobin_g_per_l = 140;  ///< normal (set point and initial) haemoglobin [g/L]
    double lifespan_d = 120;          ///< red-cell mean lifespan [d]
    double precursor_time_d = 3;      ///< marrow output follows its drive with this lag [d]
    double epo_exponent = 2;          ///< EPO drive (Hb_normal / Hb)^exponent
    double epo_max_fold = 4;          ///< largest production over normal
    double mch_pg = 30;               ///< haemoglobin per red cell, for cell counts [pg]
    LineageSuppression suppression{0.5, 0.5, 0.6, 0.5};
};

struct PlateletParams {
    double count_e9_per_l = 275;         ///< normal platelet count [10^9/L]
    double lifespan_d = 9;               ///< [d]
    double precursor_time_d = 4;         ///< megakaryocyte lag [d]
    double tpo_exponent = 1;             ///< TPO drive (P_normal / P)^exponent
    double tpo_max_fold = 4;             ///< largest production over normal
    double consumption_max_per_d = 0.5;  ///< consumption at full coagulation activation [1/d]
    LineageSuppression suppression{0.7, 0.5, 0.7, 0.8};
};

struct NeutrophilParams {
    double count_e9_per_l = 4;       ///< normal absolute neutrophil count [10^9/L]
    double blood_half_life_h = 7.5;  ///< [h]
    double reserve_transit_d = 5;    ///< mean stay in the marrow storage pool [d]
    double gcsf_exponent = 1;        ///< G-CSF release drive (N_normal / N)^exponent
    double gcsf_max_fold = 3;        ///< largest release over normal
    /// IL-6 [pg/mL excess] -> extra release from the storage pool (emax: fold increase).
    HillResponse il6_mobilization{30, 1, 1, 0};
    LineageSuppression suppression{0.9, 0.5, 0.3, 0.9};
};

/// Lymphocytes, monocytes, eosinophils and basophils, lumped (WBC minus neutrophils).
struct OtherLeukocyteParams {
    double count_e9_per_l = 2.5;        ///< normal [10^9/L]
    double response_time_d = 2;         ///< [d]
    HillResponse ifng{300, 1, 0.5, 0};  ///< IFN-gamma [pg/mL excess] -> fraction lost
    double glucocorticoid_emax = 0.6;   ///< fraction lost at full glucocorticoid effect
    double myelotoxic_emax = 0.5;       ///< fraction lost at full myelotoxic effect
};

/// Coagulation activation (tissue factor, plasminogen activator of activated macrophages).
struct CoagulationParams {
    double activation_ec50 = 0.3;  ///< activated-macrophage fraction for half activation [0-1]
    double activation_hill = 2;
};

struct FerritinParams {
    double normal_ng_per_ml = 80;  ///< [ng/mL]
    double half_life_h = 30;       ///< [h]
    /// Steady-state rise when every macrophage is activated [ng/mL]; linear in the fraction.
    double macrophage_max_ng_per_ml = 40000;
    /// IL-6 [pg/mL excess] -> hepatic acute-phase rise (emax: steady-state rise [ng/mL]).
    HillResponse il6{30, 1, 500, 0};
};

struct TriglycerideParams {
    double normal_mmol_per_l = 1.0;         ///< [mmol/L]
    double half_life_h = 12;                ///< [h]
    HillResponse tnf_lpl{20, 1, 0.6, 0};    ///< TNF [pg/mL excess] -> lipoprotein lipase lost
    HillResponse ifng_lpl{300, 1, 0.6, 0};  ///< IFN-gamma [pg/mL excess] -> LPL lost
};

struct FibrinogenParams {
    double normal_g_per_l = 3.0;  ///< [g/L]
    double half_life_d = 4;       ///< [d]
    /// IL-6 [pg/mL excess] -> acute-phase synthesis (emax: fold increase over normal).
    HillResponse il6{30, 1, 1.0, 0};
    double liver_injury_emax = 0.5;      ///< synthesis lost at liver injury 1 [0-1]
    double consumption_max_per_d = 0.5;  ///< consumption at full coagulation activation [1/d]
};

struct LiverParams {
    /// Activated-macrophage fraction -> liver injury (0-1) it tends to.
    HillResponse injury{0.4, 2, 1, 0};
    double injury_time_d = 2;      ///< [d]
    double enlargement_max = 0.5;  ///< size ratio rise at activated fraction 1
    double enlarged_ratio = 1.2;   ///< hepatomegaly when size / normal > this
    double size_time_d = 4;        ///< [d]
};

/// A serum enzyme released by injured liver and by destroyed red cells.
struct EnzymeParams {
    double normal_u_per_l = 0;            ///< [U/L]
    double half_life_h = 24;              ///< [h]
    double liver_max_u_per_l = 0;         ///< steady-state rise at liver injury 1 [U/L]
    double rbc_engulfment_u_d_per_l = 0;  ///< rise per unit of engulfment_rbc_per_day [U*d/L]
};

struct Scd25Params {
    double normal_u_per_ml = 500;           ///< [U/mL]
    double half_life_h = 12;                ///< [h]
    double volume_ml = 3000;                ///< [mL]
    double shedding_u_per_cell_h = 1.6e-5;  ///< per activated CD8 T cell [U/h]
    HillResponse il2{10, 1, 1, 0};          ///< IL-2 [pg/mL excess] -> extra shedding (emax: fold)
};

struct TemperatureParams {
    double normal_c = 37.0;   ///< [C]
    double max_rise_k = 3.5;  ///< fever at saturating pyrogens [K]
    /// Excess over basal that alone gives half the maximal fever [pg/mL].
    double il6_half_pg_per_ml = 40, tnf_half_pg_per_ml = 30, ifng_half_pg_per_ml = 2000,
           il18_half_pg_per_ml = 10000;
    double hill = 2;
    double response_time_h = 1;        ///< [h]
    double glucocorticoid_emax = 0.7;  ///< fever removed at full glucocorticoid effect [0-1]
};

struct SpleenParams {
    double macrophage_max = 1.0;   ///< size ratio rise at activated fraction 1
    double cd8_max = 0.5;          ///< size ratio rise at saturating activated CD8 cells
    double cd8_half_cells = 1e10;  ///< activated CD8 cells for half of cd8_max [cells]
    double enlarged_ratio = 1.3;   ///< splenomegaly when size / normal > this
    double size_time_d = 4;        ///< [d]
};

struct FindingsParams {
    double hemophagocytosis_fraction = 0.02;  ///< hemophagocytic fraction seen on aspirate
    bool nk_activity_low = false;             ///< the patient's NK function test
    bool known_immunosuppression = false;     ///< HScore history item
};

struct SystemicParams {
    std::array<PlasmaCytokineParams, kCytokineCount> cytokines{{
        {38.0 / 60, 3000, 2},  // IFN-gamma
        {20.0 / 60, 3000, 2},  // IL-6
        {17.0 / 60, 3000, 3},  // TNF
        {3.0, 3000, 2},        // IL-10
        {2.0, 3000, 150},      // IL-18
        {10.0 / 60, 3000, 1},  // IL-2
    }};
    double blood_volume_ml = 5000;  ///< [mL]
    MarrowParams marrow;
    RedCellParams red_cells;
    PlateletParams platelets;
    NeutrophilParams neutrophils;
    OtherLeukocyteParams other_leukocytes;
    CoagulationParams coagulation;
    FerritinParams ferritin;
    TriglycerideParams triglycerides;
    FibrinogenParams fibrinogen;
    LiverParams liver;
    EnzymeParams ast{20, 17, 200, 1000};
    EnzymeParams ldh{200, 24, 800, 10000};
    Scd25Params scd25;
    TemperatureParams temperature;
    SpleenParams spleen;
    FindingsParams findings;

    const PlasmaCytokineParams& cytokine(Cytokine c) const {
        return cytokines[static_cast<std::size_t>(c)];
    }
    /// Reads every parameter from `s` (the `systemic:` map), recording the schema; missing
    /// keys take the defaults above. Errors go to the section's context.
    static SystemicParams read(config::Section& s);
    /// Throws InputError naming the first invalid value (for params built in code).
    void validate() const;
};

}  // namespace hlhsim::models
