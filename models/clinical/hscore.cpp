#include "models/clinical/hscore.hpp"

namespace hlhsim::models {

int HScoreResult::total() const {
    return immunosuppression + temperature + organomegaly + cytopenias + ferritin + triglycerides +
           fibrinogen + ast + hemophagocytosis;
}

HScoreResult evaluate_hscore(const ClinicalState& s) {
    namespace t = hscore;
    HScoreResult r;
    // Each band tests "greater" before "at least" so that the boundaries fall exactly as
    // in the table (38.4 and 39.4 both score 33), and NaN fails every test (0 points).
    r.immunosuppression = s.known_immunosuppression ? 18 : 0;

    if (s.temperature_c > t::kTemperatureHighC) {
        r.temperature = 49;
    } else if (s.temperature_c >= t::kTemperatureLowC) {
        r.temperature = 33;
    }

    const int organs = (s.liver_enlarged ? 1 : 0) + (s.spleen_enlarged ? 1 : 0);
    r.organomegaly = organs == 2 ? 38 : (organs == 1 ? 23 : 0);

    r.cytopenic_lineages = (s.hemoglobin_g_per_l <= t::kHemoglobinGPerL ? 1 : 0) +
                           (s.wbc_e9_per_l <= t::kWbcE9PerL ? 1 : 0) +
                           (s.platelets_e9_per_l <= t::kPlateletsE9PerL ? 1 : 0);
    r.cytopenias = r.cytopenic_lineages == 3 ? 34 : (r.cytopenic_lineages == 2 ? 24 : 0);

    if (s.ferritin_ng_per_ml > t::kFerritinHighNgPerMl) {
        r.ferritin = 50;
    } else if (s.ferritin_ng_per_ml >= t::kFerritinLowNgPerMl) {
        r.ferritin = 35;
    }

    if (s.triglycerides_mmol_per_l > t::kTriglyceridesHighMmolPerL) {
        r.triglycerides = 64;
    } else if (s.triglycerides_mmol_per_l >= t::kTriglyceridesLowMmolPerL) {
        r.triglycerides = 44;
    }

    r.fibrinogen = s.fibrinogen_g_per_l <= t::kFibrinogenGPerL ? 30 : 0;
    r.ast = s.ast_iu_per_l >= t::kAstIuPerL ? 19 : 0;
    r.hemophagocytosis = s.hemophagocytosis ? 35 : 0;
    return r;
}

}  // namespace hlhsim::models
