#pragma once
// A drug as data: its pharmacokinetics and the behaviours it acts on, read from YAML
// (configs/drugs/<name>.yaml), and its state in one patient. A new drug needs no code:
// every effect names one of the fixed targets below, which the model applies.
//
// Concentrations: "plasma" is the total plasma concentration, "unbound" the free
// fraction of it, "effect_site" a hypothetical compartment that follows plasma with
// rate ke0 (dCe/dt = ke0 (Cp - Ce)): the effect lags the plasma level and outlasts it,
// as dexamethasone's (plasma t1/2 ~3.6 h, biological effect 36-54 h).
#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "models/pharma/pd.hpp"
#include "models/pharma/pk.hpp"

namespace hlhsim::config {
class Section;
}

namespace hlhsim::models::treatment {

/// What an effect acts on: one field of hlh::DrugEffects (the tissue patch) or of
/// SystemicDrugEffects (the body).
enum class EffectTarget : std::uint8_t {
    kJakMacrophage,           ///< JAK1/2: IFN-gamma -> STAT1 in macrophages [fraction]
    kJakTcell,                ///< JAK1/3: IL-2 driven T-cell division [fraction]
    kGlucocorticoid,          ///< cytokine transcription in the patch [fraction]
    kLymphocyteKill,          ///< extra T-cell apoptosis [rate]
    kCyclingKill,             ///< kill of cycling (activated, dividing) T cells [rate]
    kCalcineurin,             ///< T-cell activation and IL-2 (NFAT) [fraction]
    kIfngNeutralised,         ///< free IFN-gamma neutralised [fraction]
    kDegranulation,           ///< CTL granule exocytosis (perforin/granzyme) [fraction]
    kSystemicJak2,            ///< EPO/TPO/G-CSF signalling in the marrow [fraction]
    kSystemicGlucocorticoid,  ///< antipyresis, lymphocyte redistribution [fraction]
    kSystemicMyelotoxic,      ///< precursor kill in the marrow [fraction]
};
inline constexpr std::size_t kEffectTargetCount = 11;
/// YAML names of the targets, in enum order.
inline constexpr std::array<std::string_view, kEffectTargetCount> kEffectTargetNames{
    "jak_macrophage",          "jak_tcell",          "glucocorticoid",
    "lymphocyte_kill",         "cycling_kill",       "calcineurin",
    "ifng_neutralised",        "degranulation",      "systemic_jak2",
    "systemic_glucocorticoid", "systemic_myelotoxic"};

/// True for targets that take a kill rate (max_rate) rather than a fraction (emax).
constexpr bool is_rate_target(EffectTarget t) {
    return t == EffectTarget::kLymphocyteKill || t == EffectTarget::kCyclingKill;
}

/// Which concentration an effect responds to.
enum class Concentration : std::uint8_t { kPlasma, kUnbound, kEffectSite };

/// One pharmacodynamic effect: a Hill curve on a concentration.
struct DrugEffect {
    EffectTarget target = EffectTarget::kJakMacrophage;
    Concentration concentration = Concentration::kPlasma;
    double c50_nm = 1;    ///< IC50 / EC50 [nM], in the chosen concentration
    double hill = 1;      ///< Hill coefficient [1]
    double emax = 1;      ///< maximal fraction, for fraction targets [0-1]
    double max_rate = 0;  ///< maximal kill rate, for rate targets [1/min]
    /// Fraction of the maximal response at concentration c [nM], in [0, 1].
    double fraction(double c_nm) const;
    /// The effect at c [nM]: a fraction (fraction targets) or a rate [1/min].
    double value(double c_nm) const;
    friend bool operator==(const DrugEffect&, const DrugEffect&) = default;
};

struct DrugSpec {
    std::string name;
    PkParams pk;
    double infusion_h = 0;  ///< default infusion duration when the route is iv_infusion [h]
    double ke0_per_h = 0;   ///< effect-site equilibration rate [1/h]; 0 = no effect site
    /// Readout that sets the target level of target-mediated clearance (e.g. plasma_ifng).
    std::string clearance_target;
    std::vector<DrugEffect> effects;  ///< the first is the "main" effect (drug_<name>_effect)
    bool operator==(const DrugSpec& o) const;
};

/// Reads a drug from its map ({pk: {...}, effects: [...]}); errors go to the section's
/// context with FILE:LINE:COL. The result is valid only when no error was added.
DrugSpec read_drug(config::Section& s, const std::string& name);

/// Route names in YAML: oral, iv_bolus, iv_infusion, subcutaneous.
std::vector<std::string> route_names();
Route route_from_name(std::string_view name);

/// One drug in one patient: PK amounts, the effect site, time in hours.
class DrugState {
  public:
    /// `spec` must outlive the state.
    explicit DrugState(const DrugSpec& spec);

    /// Advances to `time_h` (>= time_h()): exact PK between doses; the effect site by
    /// steps of at most kEffectSubstepH with plasma linear within each step. `target` is
    /// the level of the clearance target [pg/mL], held over the step.
    void advance_to(double time_h, double target = 0);
    /// Gives `mg` now by `route` (infusion_h > 0 only for iv_infusion).
    void dose(double mg, Route route, double infusion_h);

    double plasma_nm() const { return pk_.concentration_nm(); }
    double unbound_nm() const { return pk_.unbound_nm(); }
    double effect_site_nm() const { return effect_site_nm_; }
    double concentration_nm(Concentration c) const;
    /// Effect k of the spec now: a fraction or a rate [1/min].
    double effect(std::size_t k) const;
    /// The main effect as a fraction of its maximum (0-1), for the drug_<name>_effect readout.
    double main_effect_fraction() const;
    double time_h() const { return time_h_; }
    const PkState& pk() const { return pk_; }
    const DrugSpec& spec() const { return *spec_; }

    static constexpr double kEffectSubstepH = 0.1;

  private:
    const DrugSpec* spec_;
    PkState pk_;
    double effect_site_nm_ = 0;
    double time_h_ = 0;
};

/// Converts a concentration ("281 nM", "0.5 ug/mL") to nM; mass concentrations use the
/// molar mass [g/mol]. Throws UnitError for anything else.
double concentration_to_nm(std::string_view text, double mw_g_per_mol);

}  // namespace hlhsim::models::treatment
