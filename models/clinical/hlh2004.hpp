#pragma once
// HLH-2004 diagnostic criteria (Henter et al., Pediatr Blood Cancer 2007;48:124-131):
// HLH is diagnosed when 5 of the 8 clinical criteria below are met (the alternative,
// a molecular diagnosis, is not a readout of the model and is not evaluated here).
#include "models/clinical/labs.hpp"

namespace hlhsim::models {

/// Thresholds of the HLH-2004 criteria (biology.md section 5).
namespace hlh2004 {
inline constexpr double kFeverC = 38.5;             ///< met when >= [C]
inline constexpr double kHemoglobinGPerL = 90.0;    ///< lineage cytopenic when < [g/L]
inline constexpr double kPlateletsE9PerL = 100.0;   ///< lineage cytopenic when < [10^9/L]
inline constexpr double kNeutrophilsE9PerL = 1.0;   ///< lineage cytopenic when < [10^9/L]
inline constexpr int kCytopenicLineagesNeeded = 2;  ///< of the 3 lineages above
/// Fasting triglycerides, met when >= [mmol/L]. The paper states ">= 3.0 mmol/L (i.e.
/// >= 265 mg/dL)"; 265 mg/dL is the rounded conversion (2.99 mmol/L), so a value given
/// as exactly 265 mg/dL and converted lies just below this threshold.
inline constexpr double kTriglyceridesMmolPerL = 3.0;
inline constexpr double kFibrinogenGPerL = 1.5;    ///< met when <= [g/L]
inline constexpr double kFerritinNgPerMl = 500.0;  ///< met when >= [ng/mL]
inline constexpr double kScd25UPerMl = 2400.0;     ///< met when >= [U/mL]
inline constexpr int kCriteriaNeeded = 5;          ///< of the 8 criteria
}  // namespace hlh2004

/// Which of the eight HLH-2004 criteria a patient meets.
struct Hlh2004Result {
    bool fever = false;                        ///< temperature >= 38.5 C
    bool splenomegaly = false;                 ///< spleen enlarged
    bool cytopenias = false;                   ///< >= 2 of 3 lineages cytopenic
    bool triglycerides_or_fibrinogen = false;  ///< TG >= 3.0 mmol/L and/or fibrinogen <= 1.5 g/L
    bool hemophagocytosis = false;             ///< in marrow, spleen, lymph node or liver
    bool low_nk_activity = false;              ///< NK-cell activity low or absent
    bool ferritin = false;                     ///< ferritin >= 500 ng/mL
    bool scd25 = false;                        ///< soluble CD25 >= 2400 U/mL
    int cytopenic_lineages = 0;                ///< how many of Hb, platelets, neutrophils (0-3)

    /// Number of criteria met (0-8).
    int count() const;
    /// True when at least 5 criteria are met.
    bool diagnostic() const { return count() >= hlh2004::kCriteriaNeeded; }
};

/// Evaluates the HLH-2004 criteria on one set of readouts. Not-measured (NaN) readouts
/// do not meet their criterion.
Hlh2004Result evaluate_hlh2004(const ClinicalState& state);

}  // namespace hlhsim::models
