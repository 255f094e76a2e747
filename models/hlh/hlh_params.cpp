#include "models/hlh/hlh_params.hpp"

#include "sim/config/section.hpp"

namespace hlhsim::models::hlh {
namespace {

using config::Section;

/// A response curve in YAML: {ec50: "300 pg/mL", hill: 2, emax: 1}.
HillResponse read_hill(Section& parent, const std::string& key, const std::string& unit,
                       const std::string& ec50, double hill, double emax, const std::string& doc) {
    Section s = parent.section(key, {.doc = doc});
    HillResponse h;
    h.ec50 = s.quantity("ec50", unit, {.def = ec50, .min = 1e-12, .doc = "half-maximal signal"});
    h.hill = s.number("hill", {.def = hill, .min = 0.1, .max = 10, .doc = "Hill coefficient"});
    h.emax = s.number("emax", {.def = emax, .min = 0, .doc = "maximal effect"});
    h.baseline = 0;
    return h;
}

double minutes(Section& s, const std::string& key, const std::string& def, const std::string& doc) {
    return s.quantity(key, "min", {.def = def, .min = 0, .doc = doc});
}
double per_min(Section& s, const std::string& key, const std::string& def, const std::string& doc) {
    return s.quantity(key, "1/min", {.def = def, .min = 0, .doc = doc});
}
double pg_per_min(Section& s, const std::string& key, const std::string& def,
                  const std::string& doc) {
    return s.quantity(key, "pg/min", {.def = def, .min = 0, .doc = doc});
}
double speed(Section& s, const std::string& key, const std::string& def, const std::string& doc) {
    return s.quantity(key, "um/min", {.def = def, .min = 0, .doc = doc});
}

void read_patient(Section s, PatientParams& p) {
    p.age_years = s.quantity("age", "year", {.def = "46 year", .min = 0, .max = 120, .doc = "age"});
    p.weight_kg = s.quantity("weight", "kg", {.def = "60 kg", .min = 1, .doc = "body weight"});
    p.bsa_m2 = s.quantity("body_surface_area", "m^2",
                          {.def = "1.65 m^2", .min = 0.1, .max = 3, .doc = "for mg/m^2 dosing"});
    p.cytotoxic_competence = s.number(
        "cytotoxic_competence",
        {.def = 1,
         .min = 0,
         .max = 1,
         .doc = "perforin-dependent killing: 0 = perforin null, 1 = normal (Jenkins 2015)"});
}

void read_cd8(Section s, Cd8Params& p) {
    p.naive_count =
        s.integer("naive_count",
                  {.def = 20, .min = 0, .doc = "antigen-specific precursors kept in the patch"});
    p.naive_lifespan = minutes(s, "naive_lifespan", "30 day", "naive cells turn over, replaced");
    p.speed = speed(s, "speed", "6 um/min", "effector speed in inflamed tissue (4-10)");
    p.naive_speed = speed(s, "naive_speed", "10 um/min", "naive T cell speed");
    p.contact_speed = speed(s, "contact_speed", "1 um/min", "speed while bound (0.5-2)");
    p.persistence = minutes(s, "persistence", "3 min", "persistence time (2-5)");
    p.contact_radius = s.quantity(
        "contact_radius", "um", {.def = "12 um", .min = 1, .doc = "centre distance of a contact"});
    p.priming_rate =
        per_min(s, "priming_rate", "0.05 1/min", "naive activation per contact minute");
    p.first_division_delay =
        minutes(s, "first_division_delay", "24 h", "priming to first division");
    p.division_rate =
        per_min(s, "division_rate", "0.002 1/min", "effector cycling at full drive (every ~8 h)");
    p.il2_division = read_hill(s, "il2_division", "pg/mL", "20 pg/mL", 1, 1,
                               "IL-2 -> share of the division rate (JAK1/3; cut by ruxolitinib)");
    p.antigen_sustain =
        s.number("antigen_sustain",
                 {.def = 0.05, .min = 0, .max = 1, .doc = "stimulation needed to keep dividing"});
    p.kill_time = minutes(s, "kill_time", "8.5 min", "synapse time to kill at full competence");
    p.detach_time = minutes(s, "detach_time", "41 min", "time to detach from an unkilled target");
    p.stimulation_decay =
        per_min(s, "stimulation_decay", "0.003 1/min",
                "forgetting of antigen exposure (~4 h half-life: expansion stops within a day of "
                "antigen clearance)");
    p.exhaustion_rate =
        per_min(s, "exhaustion_rate", "0.0001 1/min", "effector -> exhausted at full stimulation");
    p.effector_lifespan = minutes(s, "effector_lifespan", "3 day", "without antigen");
    p.exhausted_lifespan = minutes(s, "exhausted_lifespan", "10 day", "exhausted cells");
    p.exhausted_killing =
        s.number("exhausted_killing",
                 {.def = 0.3, .min = 0, .max = 1, .doc = "kill efficiency when exhausted"});
    p.ifng_secretion = pg_per_min(s, "ifng_secretion", "1.4e-4 pg/min",
                                  "per effector, ~5000 molecules/min of 16.5 kDa");
    p.failed_kill_factor = s.number(
        "failed_kill_factor", {.def = 4, .min = 1, .doc = "IFN-gamma x during a failed contact"});
    p.residual_secretion =
        s.number("residual_secretion",
                 {.def = 0.0,
                  .min = 0,
                  .max = 1,
                  .doc = "cytokine output outside a synapse, per unit of recent stimulation"});
    p.il18_boost = read_hill(s, "il18_boost", "pg/mL", "200 pg/mL", 1, 2,
                             "IL-18 -> extra IFN-gamma output (fold over 1)");
    p.il6_impairment = read_hill(
        s, "il6_impairment", "pg/mL", "1000 pg/mL", 2, 0,
        "IL-6 (JAK1-STAT3) -> fraction of perforin/granzyme killing lost (Cifaldi 2015: IL-6 "
        "lowers perforin and granzyme B; ruxolitinib lifts it)");
    p.exhausted_secretion =
        s.number("exhausted_secretion",
                 {.def = 0.3, .min = 0, .max = 1, .doc = "exhausted output fraction"});
    p.tnf_secretion = pg_per_min(s, "tnf_secretion", "3e-5 pg/min", "per effector");
    p.il2_secretion = pg_per_min(s, "il2_secretion", "5e-5 pg/min", "per stimulated T cell");
    p.crowd_limit = s.integer("crowd_limit", {.def = 4,
                                              .min = 0,
                                              .doc = "T cells within contact radius that stop "
                                                     "division (space in the tissue)"});
    p.max_cells = s.integer("max_cells", {.def = 5000, .min = 1, .doc = "safety cap"});
    p.capacity = s.number(
        "capacity",
        {.def = 800,
         .min = 1,
         .doc = "antigen-specific T cells the patch holds: each division succeeds with "
                "probability 1 - n/capacity (the patch holds ~5000 cells at 1e9 cells/mL; a "
                "storm's clone may take ~20% of them)"});
}

void read_macrophage(Section s, MacrophageParams& p) {
    p.count =
        s.integer("count", {.def = 150, .min = 0, .doc = "resident macrophages in the patch"});
    p.lifespan = minutes(s, "lifespan", "60 day", "replaced by monocyte influx");
    p.speed = speed(s, "speed", "2 um/min", "resting (1-4)");
    p.activated_speed = speed(s, "activated_speed", "1 um/min", "activated");
    p.hemophagocytic_speed = speed(s, "hemophagocytic_speed", "0.4 um/min", "phagocytosing");
    p.persistence = minutes(s, "persistence", "10 min", "persistence time");
    p.ifng_stat1 = read_hill(s, "ifng_stat1", "pg/mL", "300 pg/mL", 2, 1,
                             "IFN-gamma -> JAK1/2-STAT1 drive (EC50 0.05-1 ng/mL, Hill 1-2)");
    p.stat1_on = per_min(s, "stat1_on", "0.0015 1/min",
                         "STAT1 activation at full drive (~8 h to activation: a pulse of a few "
                         "hours does not activate, sustained IFN-gamma does)");
    p.stat1_off = per_min(s, "stat1_off", "0.0003 1/min",
                          "STAT1 programme decay (~1.5 day: activated macrophages persist)");
    p.jak_dependence = s.number(
        "jak_dependence",
        {.def = 3,
         .min = 0,
         .max = 8,
         .doc = "the IFN-gamma receptor signals only while both its JAK1 and its JAK2 are "
                "active, and STAT1 acts as a phosphorylated homodimer: the STAT1 drive scales "
                "as (1 - JAK inhibition)^n; n = 3 (calibrated, range 1-4): the 'steep "
                "downstream response' that lets ruxolitinib's ~17% mean inhibition matter"});
    p.il10_brake = read_hill(s, "il10_brake", "pg/mL", "500 pg/mL", 1, 0.3,
                             "IL-10 (JAK1/TYK2-STAT3) -> fractional brake on activation");
    p.activation_threshold = s.number("activation_threshold", {.def = 0.5, .min = 0, .max = 1});
    p.deactivation_threshold = s.number("deactivation_threshold", {.def = 0.4, .min = 0, .max = 1});
    p.hemophagocytic_threshold =
        s.number("hemophagocytic_threshold", {.def = 0.55, .min = 0, .max = 1});
    p.hemophagocytic_rate = per_min(s, "hemophagocytic_rate", "0.0007 1/min",
                                    "activated -> hemophagocytic above threshold (~1/day)");
    p.engulf_rate = per_min(s, "engulf_rate", "0.167 1/min",
                            "engulfment attempts of a hemophagocyte on the nearest blood cell in "
                            "reach (PhysiCell: 0.167/min per adjacent target)");
    p.contact_radius =
        s.quantity("contact_radius", "um", {.def = "18 um", .min = 1, .doc = "engulfing reach"});
    p.il6_secretion = pg_per_min(s, "il6_secretion", "2e-5 pg/min", "activated macrophage");
    p.tnf_secretion = pg_per_min(s, "tnf_secretion", "2e-5 pg/min", "activated macrophage");
    p.il18_secretion = pg_per_min(s, "il18_secretion", "3e-5 pg/min", "activated macrophage");
    p.il10_secretion = pg_per_min(s, "il10_secretion", "2e-5 pg/min", "activated macrophage");
    p.hemophagocytic_secretion_factor =
        s.number("hemophagocytic_secretion_factor", {.def = 2, .min = 0});
    p.antigen_uptake = s.quantity(
        "antigen_uptake", "mL/min",
        {.def = "0.01 mL/min", .min = 0, .doc = "presentation gained per AU/mL of local antigen"});
    p.presentation_decay =
        per_min(s, "presentation_decay", "0.001 1/min", "loss of presented antigen");
    p.presentation_threshold = s.number(
        "presentation_threshold", {.def = 0.2, .min = 0, .doc = "presentation that stimulates"});
}

void read_trigger(Section s, TriggerParams& p) {
    p.initial = s.integer("initial", {.def = 0, .min = 0, .doc = "antigen-bearing cells at t=0"});
    p.division_rate = per_min(s, "division_rate", "0 1/min", "replication of the trigger");
    p.carrying_capacity = s.integer("carrying_capacity", {.def = 2000, .min = 1});
    p.lifespan = minutes(s, "lifespan", "0 min", "natural death (0 = none)");
    p.influx = per_min(s, "influx", "0 1/min", "new antigen-bearing cells (persistent source)");
    p.reactivation = per_min(s, "reactivation", "0 1/min", "extra influx at full inflammation");
    p.tnf_reactivation = read_hill(s, "tnf_reactivation", "pg/mL", "100 pg/mL", 2, 1,
                                   "TNF -> share of the reactivation influx");
    p.source_start = minutes(s, "source_start", "0 min", "persistent source switched on");
    p.source_stop = minutes(s, "source_stop", "100000 day", "and off");
    p.reservoir =
        s.integer("reservoir",
                  {.def = 0,
                   .min = 0,
                   .doc = "hidden antigen-bearing cells (latent infection, occult clone) that feed "
                          "influx and reactivation, each event taking one; 0 = an endless source"});
    p.latency_rate =
        per_min(s, "latency_rate", "0 1/min",
                "visible trigger cells that escape killing go back into hiding (refill "
                "the reservoir)");
    p.reservoir_growth = per_min(
        s, "reservoir_growth", "0 1/min",
        "growth of the hidden cells when inflammation feeds them (IL-6 and IL-10 are growth "
        "factors of EBV-infected B cells and of lymphoma cells)");
    p.reservoir_capacity =
        s.number("reservoir_capacity",
                 {.def = 1000, .min = 1, .doc = "hidden cells the niche holds (logistic growth)"});
    p.il6_reservoir_growth = read_hill(s, "il6_reservoir_growth", "pg/mL", "1000 pg/mL", 2, 1,
                                       "tissue IL-6 (JAK1-STAT3) -> share of reservoir_growth");
    p.antigen_secretion = s.quantity(
        "antigen_secretion", "1/min",
        {.def = "1 1/min", .min = 0, .doc = "antigen released into its voxel [AU/mL per min]"});
    p.speed = speed(s, "speed", "0.5 um/min", "trigger cells barely move");
}

void read_blood(Section s, BloodParams& p) {
    p.rbc = s.integer("rbc", {.def = 120, .min = 0, .doc = "red cells in the patch at normal Hb"});
    p.platelets = s.integer("platelets", {.def = 60, .min = 0});
    p.neutrophils = s.integer("neutrophils", {.def = 30, .min = 0});
    p.lymphocytes = s.integer("lymphocytes", {.def = 30, .min = 0});
    p.transit_time = minutes(s, "transit_time", "60 min", "mean stay in the patch");
    p.filtration_per_day =
        s.quantity("filtration", "1/day",
                   {.def = "2 1/day", .min = 0, .doc = "blood passes through such tissue per day"});
    p.speed = speed(s, "speed", "3 um/min", "drift of blood cells");
}

}  // namespace

Params read_params(Section& root) {
    Params p;
    read_patient(root.section("patient", {.doc = "the patient"}), p.patient);
    read_cd8(root.section("cd8", {.doc = "antigen-specific CD8 T cells"}), p.cd8);
    read_macrophage(root.section("macrophages", {.doc = "tissue macrophages"}), p.macrophage);
    read_trigger(root.section("trigger", {.doc = "antigen-bearing trigger cells"}), p.trigger);
    read_blood(root.section("blood", {.doc = "blood cells passing through the patch"}), p.blood);
    Section t = root.section("timesteps", {.doc = "phase periods"});
    p.time.agents = t.quantity("agents", "min", {.def = "2 min", .min = 1e-3, .doc = "agent step"});
    p.time.systemic =
        t.quantity("systemic", "min", {.def = "60 min", .min = 1e-3, .doc = "systemic ODE step"});
    Section b = root.section("body", {.doc = "how the patch stands for the whole body"});
    p.body.tissue_volume_ml = b.quantity(
        "tissue_volume", "mL",
        {.def = "1000 mL",
         .min = 1e-6,
         .doc = "reactive tissue the patch represents: spleen ~210, nodes ~400, marrow 500-1500 "
                "mL (Hosseini 2020), of which a part is involved"});
    p.body.plasma_fraction = b.number(
        "plasma_fraction",
        {.def = 0.01,
         .min = 0,
         .max = 1,
         .doc = "share of tissue-secreted cytokine that reaches plasma (the rest is taken up "
                "locally; calibrated to serum levels of Xu 2012)"});
    return p;
}

}  // namespace hlhsim::models::hlh
