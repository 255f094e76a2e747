#pragma once
// Linear compartmental pharmacokinetics, exact between doses, with an optional
// target-mediated clearance (emapalumab) integrated by fixed-step RK4.
//
// Compartments: an absorption depot (oral, subcutaneous), the central compartment
// (plasma, where concentrations are read) and an optional peripheral compartment.
// Amounts in mg, volumes in L, clearances in L/h, time in h: the PK clock is hours
// because drug labels are; the caller converts from the engine's minutes.
//
//   depot'      = -ka * depot
//   central'    =  ka * depot - (CL + Q)/Vc * central + Q/Vp * peripheral + infusion rate
//   peripheral' =  Q/Vc * central - Q/Vp * peripheral
//
// Apparent parameters. Oral fits report V/F and CL/F. Concentrations depend only on
// those ratios, so a drug given only orally can use F = 1 with V = V/F and CL = CL/F.
// PkParams::from_apparent() instead keeps the real F and stores V = F * (V/F) and
// CL = F * (CL/F): the same oral concentrations, and correct ones for an IV dose too.
#include <optional>
#include <utility>
#include <vector>

namespace hlhsim::models {

/// How a dose enters the body.
enum class Route {
    oral,          ///< into the depot, scaled by bioavailability, absorbed at ka
    iv_bolus,      ///< instantly into the central compartment
    iv_infusion,   ///< into the central compartment at a constant rate over a duration
    subcutaneous,  ///< like oral: depot, bioavailability, ka
};

/// Clearance that depends on the level of an external target (for emapalumab: total
/// serum IFN-gamma, free plus drug-bound), given as a table. Between table points the
/// clearance is linear in log10(target); beyond the ends it is constant.
struct TargetMediatedClearance {
    struct Point {
        double target_pg_per_ml;  ///< target level [pg/mL], > 0, ascending in the table
        double cl_l_per_h;        ///< clearance at that level [L/h]
    };
    std::vector<Point> table;
    /// Largest RK4 sub-step [h]. RK4's relative error scales as (rate * step)^4 / 120: for
    /// emapalumab (fastest rate ~0.06/h in a child) 0.25 h keeps it near 2e-10.
    double max_substep_h = 0.25;

    /// Clearance at `target_pg_per_ml` [L/h]; the first point's value for levels <= 0.
    double clearance(double target_pg_per_ml) const;
};

/// Parameters of one drug (1- or 2-compartment, with a depot for extravascular doses).
struct PkParams {
    Route route = Route::oral;      ///< the drug's usual route (schedules may override per dose)
    double bioavailability = 1.0;   ///< F: fraction of an oral/SC dose reaching the depot, (0, 1]
    double ka_per_h = 0.0;          ///< first-order absorption rate [1/h]; > 0 for oral/SC doses
    double v_central_l = 0.0;       ///< central volume [L], > 0
    double cl_l_per_h = 0.0;        ///< linear clearance from the central compartment [L/h]
    double q_l_per_h = 0.0;         ///< intercompartmental clearance [L/h]; 0 = one compartment
    double v_peripheral_l = 0.0;    ///< peripheral volume [L], > 0 when q > 0
    double fraction_unbound = 1.0;  ///< unbound fraction in plasma, (0, 1]
    double mw_g_per_mol = 0.0;      ///< molar mass [g/mol], > 0, for nM
    /// Optional clearance added to cl_l_per_h that depends on a target level. When set,
    /// cl_l_per_h may be 0 and the state is integrated by RK4 instead of exactly.
    std::optional<TargetMediatedClearance> target_clearance;

    /// Parameters from an oral fit's apparent values: V = F * (V/F), CL = F * (CL/F).
    static PkParams from_apparent(double bioavailability, double ka_per_h, double v_over_f_l,
                                  double cl_over_f_l_per_h, double mw_g_per_mol);

    /// Throws InputError naming the first invalid field.
    void validate() const;
};

/// Clearance that gives half-life `t_half_h` in volume `v_l`: ln2 * V / t1/2 [L/h].
double clearance_from_half_life(double v_l, double t_half_h);

/// Terminal (slowest) half-life [h] of the 1- or 2-compartment system without depot.
double terminal_half_life_h(double cl_l_per_h, double v_central_l, double q_l_per_h = 0.0,
                            double v_peripheral_l = 0.0);

/// Amounts of one drug in one patient, advanced exactly between doses.
class PkState {
  public:
    /// Validates `params` (InputError when invalid). Starts empty at time 0.
    explicit PkState(PkParams params);

    /// Gives `mg` by `route`. `infusion_h` is the infusion duration [h]: > 0 for
    /// Route::iv_infusion and 0 for every other route (InputError otherwise).
    void dose(double mg, Route route, double infusion_h = 0.0);
    /// Gives `mg` by the drug's usual route (PkParams::route).
    void dose(double mg, double infusion_h = 0.0) { dose(mg, params_.route, infusion_h); }

    /// Advances `hours` >= 0: exactly (closed form) for linear clearance, by RK4
    /// sub-steps with target-mediated clearance (target level held constant).
    void advance(double hours);
    /// Advances `hours` while the target level moves linearly from its current value to
    /// `target_end_pg_per_ml`, which becomes the current level.
    void advance(double hours, double target_end_pg_per_ml);
    /// Sets the target level [pg/mL] (only used with target-mediated clearance).
    void set_target_level(double target_pg_per_ml);
    double target_level() const { return target_; }

    double depot_mg() const { return depot_; }
    double central_mg() const { return central_; }
    double peripheral_mg() const { return peripheral_; }
    /// Amount still to be delivered by running infusions [mg].
    double infusion_remaining_mg() const;
    /// Amount that has reached the body so far: F * extravascular doses + IV doses [mg].
    double administered_mg() const { return administered_; }
    /// Amount eliminated [mg], by mass balance: administered - in body - still infusing.
    double eliminated_mg() const;

    /// Total plasma concentration [mg/L].
    double concentration_mg_per_l() const { return central_ / params_.v_central_l; }
    /// Unbound plasma concentration [mg/L].
    double unbound_mg_per_l() const { return params_.fraction_unbound * concentration_mg_per_l(); }
    /// Total plasma concentration [nM].
    double concentration_nm() const;
    /// Unbound plasma concentration [nM].
    double unbound_nm() const { return params_.fraction_unbound * concentration_nm(); }
    /// Clearance now [L/h] (linear plus target-mediated at the current level).
    double clearance_l_per_h() const;
    /// Time since construction [h].
    double time_h() const { return time_h_; }
    const PkParams& params() const { return params_; }

  private:
    struct Infusion {
        double rate_mg_per_h;
        double remaining_h;
    };
    /// 2x2 matrix, row-major: {a, b; c, d}.
    struct Mat2 {
        double a, b, c, d;
    };

    void advance_segment(double h, double target0, double target1);
    void step_exact(double h, double infusion_mg_per_h);
    void step_rk4(double h, double infusion_mg_per_h, double target0, double target1);

    PkParams params_;
    double k12_ = 0, k21_ = 0;  ///< distribution rate constants [1/h]
    double lambda_[2]{};        ///< decay rates of the central/peripheral modes [1/h]
    Mat2 proj_[2]{};            ///< spectral projectors of the central/peripheral matrix
    double depot_ = 0, central_ = 0, peripheral_ = 0;
    double administered_ = 0;
    double time_h_ = 0;
    double target_ = 0;
    std::vector<Infusion> infusions_;
};

/// Textbook closed forms of the one-compartment model, for tests and documentation.
/// k = CL / V. Every formula has its limit when ka == k.
namespace pk_closed_form {
/// Concentration after one oral dose at t >= 0 [mg/L]:
/// F D ka / (V (ka - k)) (exp(-k t) - exp(-ka t)).
double oral_concentration(double dose_mg, double f, double ka_per_h, double v_l, double cl_l_per_h,
                          double t_h);
/// Time of the peak after one oral dose [h]: ln(ka / k) / (ka - k).
double oral_tmax_h(double ka_per_h, double k_per_h);
/// Peak concentration after one oral dose [mg/L].
double oral_cmax(double dose_mg, double f, double ka_per_h, double v_l, double cl_l_per_h);
/// AUC from 0 to infinity of one dose [mg h/L]: F D / CL.
double auc_infinity(double dose_mg, double f, double cl_l_per_h);
/// Concentration after one IV bolus at t >= 0 [mg/L]: D / V exp(-k t).
double iv_bolus_concentration(double dose_mg, double v_l, double cl_l_per_h, double t_h);
/// Accumulation ratio of repeated dosing every `tau_h`: 1 / (1 - exp(-k tau)).
double accumulation_ratio(double k_per_h, double tau_h);
}  // namespace pk_closed_form

}  // namespace hlhsim::models
