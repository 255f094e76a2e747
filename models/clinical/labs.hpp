#pragma once
// Systemic readouts of a patient in the units a clinician reads them, and the
// normal adult (female) reference ranges of biology.md section 5.
//
// A readout that was not measured is NaN: every criterion and score treats NaN as
// "not met" (all comparisons with NaN are false), as a clinician would treat a
// missing test.
#include <limits>

namespace hlhsim::models {

/// Triglycerides: 1 mmol/L = 88.57 mg/dL (molar mass of triolein ~885.7 g/mol).
inline constexpr double kTriglycerideMgPerDlPerMmolPerL = 88.57;

/// Triglycerides [mg/dL] -> [mmol/L].
constexpr double triglycerides_mg_per_dl_to_mmol_per_l(double mg_per_dl) {
    return mg_per_dl / kTriglycerideMgPerDlPerMmolPerL;
}

/// Triglycerides [mmol/L] -> [mg/dL].
constexpr double triglycerides_mmol_per_l_to_mg_per_dl(double mmol_per_l) {
    return mmol_per_l * kTriglycerideMgPerDlPerMmolPerL;
}

/// The readouts the HLH-2004 criteria and the HScore need, in clinical units.
struct ClinicalState {
    static constexpr double kNotMeasured = std::numeric_limits<double>::quiet_NaN();

    double temperature_c = kNotMeasured;             ///< body temperature [C]
    double hemoglobin_g_per_l = kNotMeasured;        ///< haemoglobin [g/L]
    double platelets_e9_per_l = kNotMeasured;        ///< platelets [10^9/L]
    double neutrophils_e9_per_l = kNotMeasured;      ///< absolute neutrophil count [10^9/L]
    double wbc_e9_per_l = kNotMeasured;              ///< white blood cells [10^9/L]
    double ferritin_ng_per_ml = kNotMeasured;        ///< serum ferritin [ng/mL] (= ug/L)
    double triglycerides_mmol_per_l = kNotMeasured;  ///< fasting triglycerides [mmol/L]
    double fibrinogen_g_per_l = kNotMeasured;        ///< plasma fibrinogen [g/L]
    double scd25_u_per_ml = kNotMeasured;            ///< soluble CD25 (sIL-2R) [U/mL]
    double ast_iu_per_l = kNotMeasured;              ///< aspartate aminotransferase [IU/L]
    double ldh_u_per_l = kNotMeasured;               ///< lactate dehydrogenase [U/L]
    /// Splenomegaly on examination or imaging. The systemic model decides it (e.g. from a
    /// spleen size ratio against its own threshold); the criteria only see the finding.
    bool spleen_enlarged = false;
    bool liver_enlarged = false;    ///< hepatomegaly
    bool hemophagocytosis = false;  ///< haemophagocytosis seen in marrow, spleen, node or liver
    bool nk_activity_low = false;   ///< NK-cell activity low or absent
    bool known_immunosuppression = false;  ///< HIV or long-term immunosuppressive therapy (HScore)
};

/// A closed interval of normal values [low, high], in the readout's unit.
struct ReferenceRange {
    double low;
    double high;
};

/// Normal adult ranges for women (biology.md section 5). Upper-only limits ("< 35")
/// use 0 as the lower bound.
namespace normal_range {
inline constexpr ReferenceRange kTemperatureC{36.5, 37.5};
inline constexpr ReferenceRange kHemoglobinGPerL{120.0, 160.0};
inline constexpr ReferenceRange kPlateletsE9PerL{150.0, 400.0};
inline constexpr ReferenceRange kNeutrophilsE9PerL{1.5, 8.0};
/// Not in biology.md: the usual adult laboratory range, 4-11 x10^9/L.
inline constexpr ReferenceRange kWbcE9PerL{4.0, 11.0};
inline constexpr ReferenceRange kFerritinNgPerMl{15.0, 150.0};
/// "< 150 mg/dL", i.e. < 1.694 mmol/L.
inline constexpr ReferenceRange kTriglyceridesMmolPerL{
    0.0, triglycerides_mg_per_dl_to_mmol_per_l(150.0)};
inline constexpr ReferenceRange kFibrinogenGPerL{2.0, 4.0};
/// Adult reference; assay dependent.
inline constexpr ReferenceRange kScd25UPerMl{241.0, 846.0};
inline constexpr ReferenceRange kLdhUPerL{140.0, 280.0};
/// "< 35 U/L".
inline constexpr ReferenceRange kAstIuPerL{0.0, 35.0};
}  // namespace normal_range

/// True when `value` lies in [range.low, range.high]; false for NaN (not measured).
constexpr bool in_normal_range(double value, const ReferenceRange& range) {
    return value >= range.low && value <= range.high;
}

/// True when every numeric readout is measured and in its normal range and there is no
/// organomegaly, haemophagocytosis or low NK activity. Immunosuppression is history, not
/// a lab, and is ignored.
constexpr bool in_normal_range(const ClinicalState& s) {
    namespace r = normal_range;
    return in_normal_range(s.temperature_c, r::kTemperatureC) &&
           in_normal_range(s.hemoglobin_g_per_l, r::kHemoglobinGPerL) &&
           in_normal_range(s.platelets_e9_per_l, r::kPlateletsE9PerL) &&
           in_normal_range(s.neutrophils_e9_per_l, r::kNeutrophilsE9PerL) &&
           in_normal_range(s.wbc_e9_per_l, r::kWbcE9PerL) &&
           in_normal_range(s.ferritin_ng_per_ml, r::kFerritinNgPerMl) &&
           in_normal_range(s.triglycerides_mmol_per_l, r::kTriglyceridesMmolPerL) &&
           in_normal_range(s.fibrinogen_g_per_l, r::kFibrinogenGPerL) &&
           in_normal_range(s.scd25_u_per_ml, r::kScd25UPerMl) &&
           in_normal_range(s.ldh_u_per_l, r::kLdhUPerL) &&
           in_normal_range(s.ast_iu_per_l, r::kAstIuPerL) && !s.spleen_enlarged &&
           !s.liver_enlarged && !s.hemophagocytosis && !s.nk_activity_low;
}

/// A healthy adult woman: the middle of each normal range (WBC 6.5, TG 1.0 mmol/L,
/// AST 20 U/L), 37.0 C, no findings. A baseline for the systemic model and for tests.
constexpr ClinicalState healthy_adult_female() {
    ClinicalState s;
    s.temperature_c = 37.0;
    s.hemoglobin_g_per_l = 140.0;
    s.platelets_e9_per_l = 275.0;
    s.neutrophils_e9_per_l = 4.0;
    s.wbc_e9_per_l = 6.5;
    s.ferritin_ng_per_ml = 80.0;
    s.triglycerides_mmol_per_l = 1.0;
    s.fibrinogen_g_per_l = 3.0;
    s.scd25_u_per_ml = 500.0;
    s.ast_iu_per_l = 20.0;
    s.ldh_u_per_l = 200.0;
    return s;
}

}  // namespace hlhsim::models
