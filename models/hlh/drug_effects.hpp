#pragma once
// How treatments reach the tissue patch: fractional effects (0 = none, 1 = full)
// on the behaviours they act on. The treatment layer (PK/PD from configs/drugs)
// computes them each step; without treatment they are all zero.
namespace hlhsim::models::hlh {

struct DrugEffects {
    double jak_macrophage = 0;    ///< JAK1/2 inhibition of IFN-gamma -> STAT1 in macrophages
    double jak_tcell = 0;         ///< JAK1/3 inhibition of IL-2 driven T-cell division
    double glucocorticoid = 0;    ///< cytokine transcription suppression (dexamethasone)
    double lymphocyte_kill = 0;   ///< extra apoptosis of T cells [1/min] (glucocorticoid)
    double cycling_kill = 0;      ///< kill rate of cycling T cells [1/min] (etoposide)
    double calcineurin = 0;       ///< block of T-cell activation and IL-2 (cyclosporine A)
    double ifng_neutralised = 0;  ///< fraction of free IFN-gamma neutralised (emapalumab)
    double degranulation = 0;     ///< block of CTL granule exocytosis (cyclosporine, steroid)
};

}  // namespace hlhsim::models::hlh
