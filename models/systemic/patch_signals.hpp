#pragma once
// What the tissue patch and the drugs tell the systemic compartment each systemic step.
//
// Scaling: the CALLER scales patch quantities to the whole body before filling
// PatchSignals (secretion in pg/h for the whole body, engulfment as a fraction of the
// circulating pool per day). models/systemic/patch_scale.hpp does that for a patch that
// stands for a volume of reactive tissue (docs/systemic.md, "Patch to body").
#include <array>
#include <cstddef>
#include <string_view>

namespace hlhsim::models {

/// The cytokines the systemic compartment carries in plasma.
enum class Cytokine : std::size_t { ifng, il6, tnf, il10, il18, il2 };
inline constexpr std::size_t kCytokineCount = 6;
inline constexpr std::array<Cytokine, kCytokineCount> kAllCytokines{
    Cytokine::ifng, Cytokine::il6, Cytokine::tnf, Cytokine::il10, Cytokine::il18, Cytokine::il2};

/// Short name used in YAML keys and readout names: "ifng", "il6", "tnf", "il10", "il18", "il2".
constexpr std::string_view cytokine_name(Cytokine c) {
    constexpr std::array<std::string_view, kCytokineCount> kNames{"ifng", "il6",  "tnf",
                                                                  "il10", "il18", "il2"};
    return kNames[static_cast<std::size_t>(c)];
}

/// What the tissue patch, scaled to the whole body by the caller, tells the body.
/// All values >= 0; fractions in [0, 1].
struct PatchSignals {
    /// Cytokine secretion of the whole body's reactive tissue into plasma [pg/h],
    /// indexed by Cytokine.
    std::array<double, kCytokineCount> secretion_pg_per_h{};
    /// Macrophages activated or hemophagocytic, fraction of all macrophages [0-1].
    /// Drives ferritin, coagulation, liver injury, LDH/AST, spleen and liver size.
    double activated_macrophage_fraction = 0;
    /// Macrophages hemophagocytic, fraction of all macrophages [0-1] (the marrow finding).
    double hemophagocytic_fraction = 0;
    /// Fraction of the circulating pool engulfed per day by the body's hemophagocytes [1/d].
    double engulfment_rbc_per_day = 0;
    double engulfment_platelets_per_day = 0;    ///< [1/d]
    double engulfment_neutrophils_per_day = 0;  ///< [1/d]
    /// Activated (effector, proliferating) CD8 T cells in the whole body [cells]. Shed
    /// CD25 (sCD25) and enlarge the spleen.
    double activated_cd8_cells = 0;

    double& secretion(Cytokine c) { return secretion_pg_per_h[static_cast<std::size_t>(c)]; }
    double secretion(Cytokine c) const { return secretion_pg_per_h[static_cast<std::size_t>(c)]; }
};

/// Fractional drug effects on systemic processes (0 = none, 1 = full), computed by the
/// caller from PK/PD (models/pharma). Each process scales them by its own emax.
struct SystemicDrugEffects {
    /// JAK2 inhibition (ruxolitinib): EPO, TPO and G-CSF signalling, so red-cell,
    /// platelet and (less) neutrophil production fall.
    double jak2 = 0;
    /// Glucocorticoid receptor occupancy (dexamethasone): antipyresis (COX-2/PGE2) and
    /// lymphocyte redistribution/apoptosis. Its effect on cytokine secretion belongs to
    /// the patch, so it reaches plasma through PatchSignals.
    double glucocorticoid = 0;
    /// Cytotoxic marrow suppression (etoposide): kills dividing haematopoietic
    /// precursors, lowering the production of every lineage.
    double myelotoxic = 0;
};

}  // namespace hlhsim::models
