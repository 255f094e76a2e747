#pragma once
// HScore for reactive haemophagocytic syndrome (Fardet et al., Arthritis Rheumatol
// 2014;66:2613-2620): nine weighted variables, 0-337 points, cut-off 169.
//
// The paper and its web calculator also turn the score into a probability of HLH
// (< 1% at <= 90, > 99% at >= 250). The formula behind that conversion could not be
// confirmed from a primary source, so no probability is computed here; callers that
// need one should report the score and the cut-off.
#include "models/clinical/labs.hpp"

namespace hlhsim::models {

/// Thresholds and points of the HScore (biology.md section 5).
namespace hscore {
inline constexpr double kTemperatureLowC = 38.4;           ///< 33 points from here (inclusive) [C]
inline constexpr double kTemperatureHighC = 39.4;          ///< 49 points above this [C]
inline constexpr double kHemoglobinGPerL = 92.0;           ///< lineage cytopenic when <= [g/L]
inline constexpr double kWbcE9PerL = 5.0;                  ///< lineage cytopenic when <= [10^9/L]
inline constexpr double kPlateletsE9PerL = 110.0;          ///< lineage cytopenic when <= [10^9/L]
inline constexpr double kFerritinLowNgPerMl = 2000.0;      ///< 35 points from here (inclusive)
inline constexpr double kFerritinHighNgPerMl = 6000.0;     ///< 50 points above this
inline constexpr double kTriglyceridesLowMmolPerL = 1.5;   ///< 44 points from here (inclusive)
inline constexpr double kTriglyceridesHighMmolPerL = 4.0;  ///< 64 points above this
inline constexpr double kFibrinogenGPerL = 2.5;            ///< 30 points when <= [g/L]
inline constexpr double kAstIuPerL = 30.0;                 ///< 19 points when >= [IU/L]
/// Best cut-off of the paper (sensitivity 93%, specificity 86%).
inline constexpr int kCutoff = 169;
}  // namespace hscore

/// Points per HScore variable for one patient.
struct HScoreResult {
    int immunosuppression = 0;   ///< 0 or 18
    int temperature = 0;         ///< 0, 33 or 49
    int organomegaly = 0;        ///< 0, 23 (liver or spleen) or 38 (both)
    int cytopenias = 0;          ///< 0 (0-1 lineage), 24 (2) or 34 (3)
    int ferritin = 0;            ///< 0, 35 or 50
    int triglycerides = 0;       ///< 0, 44 or 64
    int fibrinogen = 0;          ///< 0 or 30
    int ast = 0;                 ///< 0 or 19
    int hemophagocytosis = 0;    ///< 0 or 35 (haemophagocytosis on marrow aspirate)
    int cytopenic_lineages = 0;  ///< how many of Hb, WBC, platelets (0-3)

    /// Sum of the points (0-337).
    int total() const;
    /// True when total() >= 169, the paper's cut-off.
    bool above_cutoff() const { return total() >= hscore::kCutoff; }
};

/// Scores one set of readouts. Not-measured (NaN) readouts score 0 points.
HScoreResult evaluate_hscore(const ClinicalState& state);

}  // namespace hlhsim::models
