#pragma once
// The behaviour of each cell type over one agent step. Each rule reads the patch
// as it was at the start of the step (positions, fields, neighbour grids) and
// writes only its own agents' columns, proposed positions and claims, so rules run
// in parallel over agents; conflicts are settled afterwards in resolve_claims().
#include "models/hlh/drug_effects.hpp"
#include "models/hlh/hlh_params.hpp"
#include "models/hlh/patch_state.hpp"
#include "sim/fields/field_set.hpp"
#include "sim/schedule/schedule.hpp"

namespace hlhsim::models::hlh {

/// Macrophages: JAK-STAT1 signalling from IFN-gamma (braked by IL-10 and drugs),
/// resting -> activated -> hemophagocytic by thresholds with hysteresis, antigen
/// presentation, engulfment claims on adjacent blood cells, motion, turnover.
void step_macrophages(Patch& patch, const Params& p, const DrugEffects& drugs, const Tick& t);
/// CD8 T cells: priming by antigen, killing synapses whose speed depends on the
/// patient's cytotoxic competence, division (IL-2, JAK), exhaustion, death, motion.
void step_cd8(Patch& patch, const Params& p, const DrugEffects& drugs, const Tick& t);
/// Trigger cells: replication up to a carrying capacity, natural death, drift.
void step_triggers(Patch& patch, const Params& p, const Tick& t);
/// Blood cells: leave after their transit time, drift.
void step_blood(Patch& patch, const Params& p, const Tick& t);
/// Settles kill and engulfment claims (lowest distance, then id, wins) and marks
/// the losers' targets dead; updates tallies.
void resolve_claims(Patch& patch);
/// New cells entering the patch: naive T cells, monocytes, the trigger's source
/// (constant and inflammation-driven), blood cells at the systemic counts.
void influx(Patch& patch, const Params& p, const Tick& t);
/// Adds every agent's secretion of the step to the field sources; tallies amounts.
void secrete(Patch& patch, const Params& p, const DrugEffects& drugs, FieldSet& fields,
             const Tick& t);

/// Mean value of a field over the patch [field unit].
double field_mean(const Patch& patch, FieldId f);

}  // namespace hlhsim::models::hlh
