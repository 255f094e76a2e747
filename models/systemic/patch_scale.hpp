#pragma once
// Patch -> body: turns what happened in the simulated tissue patch during one systemic
// interval into whole-body PatchSignals (docs/systemic.md, "Patch to body").
//
// The patch stands for `factor` identical patches: the body's reactive tissue (spleen,
// lymph nodes, marrow, liver infiltrates) divided by the patch volume. Extensive
// quantities (amounts secreted, engulfment events, cell counts) are multiplied by it;
// fractions of macrophages are intensive and pass unchanged. Engulfment events become a
// fraction of the circulating pool per day by dividing by the body's pool.
#include <array>

#include "models/systemic/patch_signals.hpp"
#include "models/systemic/systemic_model.hpp"

namespace hlhsim::models {

/// How many patches make the body's reactive tissue, and how much of what they secrete
/// reaches plasma.
struct PatchScale {
    double factor = 1;  ///< body tissue volume / patch volume [1], > 0
    /// Fraction of the cytokine secreted in tissue that reaches plasma rather than being
    /// degraded or taken up locally [0-1]. 1 when the tally already counts the efflux.
    double plasma_fraction = 1;

    /// From volumes in mL (e.g. tissue 1000 mL; a 1 mm x 1 mm x 20 um patch is 2e-5 mL).
    static PatchScale from_volumes(double patch_volume_ml, double tissue_volume_ml,
                                   double plasma_fraction = 1);
    /// From the patch volume in the engine's um^3 (1 mL = 1e12 um^3) and tissue in mL.
    static PatchScale from_um3(double patch_volume_um3, double tissue_volume_ml,
                               double plasma_fraction = 1);
};

/// What the agent model counted in the patch over one systemic interval.
struct PatchTally {
    double interval_h = 0;  ///< length of the interval [h], > 0
    /// Amount secreted into the patch's fields during the interval [pg], by Cytokine.
    std::array<double, kCytokineCount> secreted_pg{};
    double macrophages = 0;                 ///< all macrophages now [cells]
    double activated_macrophages = 0;       ///< activated or hemophagocytic, now [cells]
    double hemophagocytic_macrophages = 0;  ///< hemophagocytic, now [cells]
    double engulfed_rbc = 0;                ///< engulfment events during the interval
    double engulfed_platelets = 0;
    double engulfed_neutrophils = 0;
    double activated_cd8 = 0;  ///< activated CD8 T cells now [cells]
};

/// Whole-body signals from one patch tally. `pools` are the body's circulating cells
/// (SystemicModel::circulating_cells()). Secretion [pg/h] = secreted_pg * factor *
/// plasma_fraction / interval_h; engulfment [1/d] = events * factor / pool * 24 /
/// interval_h. Throws std::invalid_argument for a non-positive interval or scale, a
/// plasma fraction outside [0, 1], or negative counts.
PatchSignals scale_patch(const PatchTally& tally, const PatchScale& scale,
                         const CirculatingPools& pools);

}  // namespace hlhsim::models
