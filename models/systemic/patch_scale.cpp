#include "models/systemic/patch_scale.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace hlhsim::models {
namespace {

constexpr double kUm3PerMl = 1e12;

void require(bool ok, const char* what) {
    if (!ok) throw std::invalid_argument(what);
}

/// Fraction of a pool engulfed per day; 0 when the pool is empty.
double per_day(double body_events, double pool, double interval_h) {
    if (!(pool > 0)) return 0;
    return body_events / pool * (24.0 / interval_h);
}

}  // namespace

PatchScale PatchScale::from_volumes(double patch_volume_ml, double tissue_volume_ml,
                                    double plasma_fraction) {
    require(patch_volume_ml > 0 && tissue_volume_ml > 0,
            "PatchScale: patch and tissue volumes must be > 0");
    return PatchScale{tissue_volume_ml / patch_volume_ml, plasma_fraction};
}

PatchScale PatchScale::from_um3(double patch_volume_um3, double tissue_volume_ml,
                                double plasma_fraction) {
    return from_volumes(patch_volume_um3 / kUm3PerMl, tissue_volume_ml, plasma_fraction);
}

PatchSignals scale_patch(const PatchTally& t, const PatchScale& scale,
                         const CirculatingPools& pools) {
    require(t.interval_h > 0, "scale_patch: interval_h must be > 0");
    require(scale.factor > 0 && std::isfinite(scale.factor), "scale_patch: factor must be > 0");
    require(scale.plasma_fraction >= 0 && scale.plasma_fraction <= 1,
            "scale_patch: plasma_fraction must lie in [0, 1]");
    require(t.macrophages >= 0 && t.activated_macrophages >= 0 &&
                t.hemophagocytic_macrophages >= 0 && t.engulfed_rbc >= 0 &&
                t.engulfed_platelets >= 0 && t.engulfed_neutrophils >= 0 && t.activated_cd8 >= 0,
            "scale_patch: counts must be >= 0");
    PatchSignals s;
    for (std::size_t i = 0; i < kCytokineCount; ++i) {
        require(t.secreted_pg[i] >= 0, "scale_patch: secreted amounts must be >= 0");
        s.secretion_pg_per_h[i] =
            t.secreted_pg[i] * scale.factor * scale.plasma_fraction / t.interval_h;
    }
    if (t.macrophages > 0) {
        s.activated_macrophage_fraction = std::min(1.0, t.activated_macrophages / t.macrophages);
        s.hemophagocytic_fraction = std::min(1.0, t.hemophagocytic_macrophages / t.macrophages);
    }
    s.engulfment_rbc_per_day = per_day(t.engulfed_rbc * scale.factor, pools.rbc, t.interval_h);
    s.engulfment_platelets_per_day =
        per_day(t.engulfed_platelets * scale.factor, pools.platelets, t.interval_h);
    s.engulfment_neutrophils_per_day =
        per_day(t.engulfed_neutrophils * scale.factor, pools.neutrophils, t.interval_h);
    s.activated_cd8_cells = t.activated_cd8 * scale.factor;
    return s;
}

}  // namespace hlhsim::models
