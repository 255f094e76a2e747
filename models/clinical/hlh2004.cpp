#include "models/clinical/hlh2004.hpp"

namespace hlhsim::models {

int Hlh2004Result::count() const {
    const bool met[] = {
        fever,           splenomegaly, cytopenias, triglycerides_or_fibrinogen, hemophagocytosis,
        low_nk_activity, ferritin,     scd25};
    int n = 0;
    for (bool m : met) n += m ? 1 : 0;
    return n;
}

Hlh2004Result evaluate_hlh2004(const ClinicalState& s) {
    namespace t = hlh2004;
    Hlh2004Result r;
    // Every comparison is written so that NaN (not measured) gives false.
    r.fever = s.temperature_c >= t::kFeverC;
    r.splenomegaly = s.spleen_enlarged;
    r.cytopenic_lineages = (s.hemoglobin_g_per_l < t::kHemoglobinGPerL ? 1 : 0) +
                           (s.platelets_e9_per_l < t::kPlateletsE9PerL ? 1 : 0) +
                           (s.neutrophils_e9_per_l < t::kNeutrophilsE9PerL ? 1 : 0);
    r.cytopenias = r.cytopenic_lineages >= t::kCytopenicLineagesNeeded;
    r.triglycerides_or_fibrinogen = s.triglycerides_mmol_per_l >= t::kTriglyceridesMmolPerL ||
                                    s.fibrinogen_g_per_l <= t::kFibrinogenGPerL;
    r.hemophagocytosis = s.hemophagocytosis;
    r.low_nk_activity = s.nk_activity_low;
    r.ferritin = s.ferritin_ng_per_ml >= t::kFerritinNgPerMl;
    r.scd25 = s.scd25_u_per_ml >= t::kScd25UPerMl;
    return r;
}

}  // namespace hlhsim::models
