#include "models/pharma/pk.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <string>

#include "sim/core/errors.hpp"

namespace hlhsim::models {
namespace {

/// phi1(x) = (exp(x) - 1) / x, with phi1(0) = 1; accurate for small |x| via expm1.
double phi1(double x) { return x == 0.0 ? 1.0 : std::expm1(x) / x; }

/// Integral over [0, h] of exp(-a (h - s)) exp(-b s) ds = (exp(-b h) - exp(-a h)) / (a - b),
/// written so that it stays exact as a -> b (then h exp(-a h)) and never overflows.
double exp_convolution(double a, double b, double h) {
    return h * std::exp(-std::min(a, b) * h) * phi1(-std::abs(a - b) * h);
}

void require(bool ok, const std::string& what) {
    if (!ok) throw InputError("pharmacokinetics: " + what);
}

bool finite(double x) { return std::isfinite(x); }

}  // namespace

double TargetMediatedClearance::clearance(double target_pg_per_ml) const {
    if (table.empty()) return 0.0;
    if (!(target_pg_per_ml > table.front().target_pg_per_ml)) return table.front().cl_l_per_h;
    if (target_pg_per_ml >= table.back().target_pg_per_ml) return table.back().cl_l_per_h;
    const auto upper =
        std::upper_bound(table.begin(), table.end(), target_pg_per_ml,
                         [](double v, const Point& p) { return v < p.target_pg_per_ml; });
    const Point& hi = *upper;
    const Point& lo = *(upper - 1);
    const double w = std::log(target_pg_per_ml / lo.target_pg_per_ml) /
                     std::log(hi.target_pg_per_ml / lo.target_pg_per_ml);
    return lo.cl_l_per_h + w * (hi.cl_l_per_h - lo.cl_l_per_h);
}

PkParams PkParams::from_apparent(double bioavailability, double ka_per_h, double v_over_f_l,
                                 double cl_over_f_l_per_h, double mw_g_per_mol) {
    PkParams p;
    p.route = Route::oral;
    p.bioavailability = bioavailability;
    p.ka_per_h = ka_per_h;
    p.v_central_l = bioavailability * v_over_f_l;
    p.cl_l_per_h = bioavailability * cl_over_f_l_per_h;
    p.mw_g_per_mol = mw_g_per_mol;
    return p;
}

void PkParams::validate() const {
    require(finite(bioavailability) && bioavailability > 0.0 && bioavailability <= 1.0,
            "bioavailability must be in (0, 1]");
    require(finite(ka_per_h) && ka_per_h >= 0.0, "ka must be >= 0 1/h");
    require(finite(v_central_l) && v_central_l > 0.0, "central volume must be > 0 L");
    require(finite(cl_l_per_h) && cl_l_per_h >= 0.0, "clearance must be >= 0 L/h");
    require(finite(q_l_per_h) && q_l_per_h >= 0.0, "intercompartmental clearance must be >= 0 L/h");
    require(finite(v_peripheral_l) && v_peripheral_l >= 0.0, "peripheral volume must be >= 0 L");
    require(q_l_per_h == 0.0 || v_peripheral_l > 0.0,
            "a peripheral compartment (q > 0) needs a peripheral volume > 0 L");
    require(finite(fraction_unbound) && fraction_unbound > 0.0 && fraction_unbound <= 1.0,
            "fraction unbound must be in (0, 1]");
    require(finite(mw_g_per_mol) && mw_g_per_mol > 0.0, "molar mass must be > 0 g/mol");
    if (target_clearance) {
        const auto& t = target_clearance->table;
        require(!t.empty(), "target-mediated clearance needs at least one table point");
        for (std::size_t i = 0; i < t.size(); ++i) {
            require(finite(t[i].target_pg_per_ml) && t[i].target_pg_per_ml > 0.0,
                    "target-mediated clearance: target levels must be > 0 pg/mL");
            require(finite(t[i].cl_l_per_h) && t[i].cl_l_per_h >= 0.0,
                    "target-mediated clearance: clearances must be >= 0 L/h");
            require(i == 0 || t[i].target_pg_per_ml > t[i - 1].target_pg_per_ml,
                    "target-mediated clearance: target levels must be strictly ascending");
        }
        require(finite(target_clearance->max_substep_h) && target_clearance->max_substep_h > 0.0,
                "target-mediated clearance: max_substep_h must be > 0 h");
    } else {
        require(cl_l_per_h > 0.0, "clearance must be > 0 L/h");
    }
}

double clearance_from_half_life(double v_l, double t_half_h) {
    return std::numbers::ln2 * v_l / t_half_h;
}

double terminal_half_life_h(double cl, double vc, double q, double vp) {
    const double k10 = cl / vc;
    if (q == 0.0) return std::numbers::ln2 / k10;
    const double k12 = q / vc;
    const double k21 = q / vp;
    const double sum = k10 + k12 + k21;
    // sum^2 - 4 k10 k21 rewritten without cancellation.
    const double root = std::sqrt((k10 + k12 - k21) * (k10 + k12 - k21) + 4.0 * k12 * k21);
    const double fast = 0.5 * (sum + root);
    const double slow = k10 * k21 / fast;  // product of the rates is k10 k21
    return std::numbers::ln2 / slow;
}

PkState::PkState(PkParams params) : params_(std::move(params)) {
    params_.validate();
    const double vc = params_.v_central_l;
    if (params_.q_l_per_h > 0.0) {
        k12_ = params_.q_l_per_h / vc;
        k21_ = params_.q_l_per_h / params_.v_peripheral_l;
    }
    if (params_.target_clearance) return;  // RK4 path; no fixed spectrum

    // Central/peripheral matrix B = {-(k10 + k12), k21; k12, -k21} with eigenvalues
    // -lambda_[0] < -lambda_[1] <= 0, distinct whenever CL > 0. exp(B t) is then
    // sum_i exp(-lambda_i t) P_i with the Sylvester projectors P_i.
    const double k10 = params_.cl_l_per_h / vc;
    if (params_.q_l_per_h == 0.0) {
        lambda_[0] = k10;
        lambda_[1] = 0.0;
        proj_[0] = {1.0, 0.0, 0.0, 0.0};
        proj_[1] = {0.0, 0.0, 0.0, 1.0};
        return;
    }
    const double sum = k10 + k12_ + k21_;
    const double root = std::sqrt((k10 + k12_ - k21_) * (k10 + k12_ - k21_) + 4.0 * k12_ * k21_);
    lambda_[0] = 0.5 * (sum + root);
    lambda_[1] = k10 * k21_ / lambda_[0];
    const Mat2 b{-(k10 + k12_), k21_, k12_, -k21_};
    // P_0 = (B + lambda_1 I) / (lambda_1 - lambda_0), P_1 = (B + lambda_0 I) / (lambda_0 -
    // lambda_1)
    const double gap = lambda_[0] - lambda_[1];
    proj_[0] = {-(b.a + lambda_[1]) / gap, -b.b / gap, -b.c / gap, -(b.d + lambda_[1]) / gap};
    proj_[1] = {(b.a + lambda_[0]) / gap, b.b / gap, b.c / gap, (b.d + lambda_[0]) / gap};
}

void PkState::dose(double mg, Route route, double infusion_h) {
    require(finite(mg) && mg >= 0.0, "dose must be >= 0 mg");
    require(finite(infusion_h) && infusion_h >= 0.0, "infusion duration must be >= 0 h");
    require(route == Route::iv_infusion || infusion_h == 0.0,
            "an infusion duration is only meaningful for iv_infusion");
    switch (route) {
        case Route::oral:
        case Route::subcutaneous:
            require(params_.ka_per_h > 0.0, "an oral or subcutaneous dose needs ka > 0 1/h");
            depot_ += params_.bioavailability * mg;
            administered_ += params_.bioavailability * mg;
            break;
        case Route::iv_bolus:
            central_ += mg;
            administered_ += mg;
            break;
        case Route::iv_infusion:
            require(infusion_h > 0.0, "an iv_infusion needs a duration > 0 h");
            if (mg > 0.0) infusions_.push_back({mg / infusion_h, infusion_h});
            administered_ += mg;
            break;
    }
}

void PkState::set_target_level(double target_pg_per_ml) {
    require(finite(target_pg_per_ml) && target_pg_per_ml >= 0.0, "target level must be >= 0 pg/mL");
    target_ = target_pg_per_ml;
}

void PkState::advance(double hours) { advance(hours, target_); }

void PkState::advance(double hours, double target_end_pg_per_ml) {
    require(finite(hours) && hours >= 0.0, "cannot advance by a negative or infinite time");
    require(finite(target_end_pg_per_ml) && target_end_pg_per_ml >= 0.0,
            "target level must be >= 0 pg/mL");
    const double target_start = target_;
    auto target_at = [&](double elapsed) {
        return target_start + (target_end_pg_per_ml - target_start) * (elapsed / hours);
    };
    // Split the step where an infusion ends, so that the input is constant per segment.
    double done = 0.0;
    while (done < hours) {
        double seg = hours - done;
        for (const Infusion& inf : infusions_) seg = std::min(seg, inf.remaining_h);
        advance_segment(seg, target_at(done), target_at(done + seg));
        done = (seg == hours - done) ? hours : done + seg;
    }
    target_ = target_end_pg_per_ml;
}

void PkState::advance_segment(double h, double target0, double target1) {
    double rate = 0.0;
    for (const Infusion& inf : infusions_) rate += inf.rate_mg_per_h;
    if (params_.target_clearance) {
        step_rk4(h, rate, target0, target1);
    } else {
        step_exact(h, rate);
    }
    for (Infusion& inf : infusions_) inf.remaining_h -= h;
    std::erase_if(infusions_, [](const Infusion& inf) { return inf.remaining_h <= 0.0; });
    time_h_ += h;
}

void PkState::step_exact(double h, double rate) {
    const double ka = params_.ka_per_h;
    const double d0 = depot_;
    const double c0 = central_;
    const double p0 = peripheral_;
    depot_ = d0 * std::exp(-ka * h);
    double c = 0.0;
    double p = 0.0;
    for (int i = 0; i < 2; ++i) {
        const double lam = lambda_[i];
        // Mode i of exp(B h) x0 plus the convolution of its decay with the inputs into the
        // central compartment (first-order absorption and a constant infusion).
        const double input = ka * d0 * exp_convolution(lam, ka, h) + rate * h * phi1(-lam * h);
        const double decay = std::exp(-lam * h);
        const double vc = decay * c0 + input;
        const double vp = decay * p0;
        c += proj_[i].a * vc + proj_[i].b * vp;
        p += proj_[i].c * vc + proj_[i].d * vp;
    }
    central_ = c;
    peripheral_ = p;
}

void PkState::step_rk4(double h, double rate, double target0, double target1) {
    const TargetMediatedClearance& tmc = *params_.target_clearance;
    const int n = std::max(1, static_cast<int>(std::ceil(h / tmc.max_substep_h)));
    const double dt = h / n;
    const double ka = params_.ka_per_h;
    const double vc = params_.v_central_l;
    const double cl_linear = params_.cl_l_per_h;
    auto k_el = [&](double t) {  // elimination rate constant at time t in the segment [1/h]
        const double target = target0 + (target1 - target0) * (t / h);
        return (cl_linear + tmc.clearance(target)) / vc;
    };
    struct Y {
        double d, c, p;
    };
    auto f = [&](double t, const Y& y) {
        return Y{-ka * y.d, ka * y.d - (k_el(t) + k12_) * y.c + k21_ * y.p + rate,
                 k12_ * y.c - k21_ * y.p};
    };
    auto axpy = [](const Y& y, double s, const Y& k) {
        return Y{y.d + s * k.d, y.c + s * k.c, y.p + s * k.p};
    };
    Y y{depot_, central_, peripheral_};
    for (int i = 0; i < n; ++i) {
        const double t = i * dt;
        const Y k1 = f(t, y);
        const Y k2 = f(t + 0.5 * dt, axpy(y, 0.5 * dt, k1));
        const Y k3 = f(t + 0.5 * dt, axpy(y, 0.5 * dt, k2));
        const Y k4 = f(t + dt, axpy(y, dt, k3));
        y.d += dt / 6.0 * (k1.d + 2.0 * k2.d + 2.0 * k3.d + k4.d);
        y.c += dt / 6.0 * (k1.c + 2.0 * k2.c + 2.0 * k3.c + k4.c);
        y.p += dt / 6.0 * (k1.p + 2.0 * k2.p + 2.0 * k3.p + k4.p);
    }
    depot_ = y.d;
    central_ = y.c;
    peripheral_ = y.p;
}

double PkState::infusion_remaining_mg() const {
    double mg = 0.0;
    for (const Infusion& inf : infusions_) mg += inf.rate_mg_per_h * inf.remaining_h;
    return mg;
}

double PkState::eliminated_mg() const {
    return administered_ - depot_ - central_ - peripheral_ - infusion_remaining_mg();
}

double PkState::concentration_nm() const {
    // mg/L divided by g/mol is mmol/L; 1 mmol/L = 1e6 nM.
    return concentration_mg_per_l() / params_.mw_g_per_mol * 1e6;
}

double PkState::clearance_l_per_h() const {
    double cl = params_.cl_l_per_h;
    if (params_.target_clearance) cl += params_.target_clearance->clearance(target_);
    return cl;
}

namespace pk_closed_form {

double oral_concentration(double dose_mg, double f, double ka, double v, double cl, double t) {
    const double k = cl / v;
    if (ka == k) return f * dose_mg * ka / v * t * std::exp(-k * t);
    return f * dose_mg * ka / (v * (ka - k)) * (std::exp(-k * t) - std::exp(-ka * t));
}

double oral_tmax_h(double ka, double k) {
    if (ka == k) return 1.0 / k;
    return std::log(ka / k) / (ka - k);
}

double oral_cmax(double dose_mg, double f, double ka, double v, double cl) {
    return oral_concentration(dose_mg, f, ka, v, cl, oral_tmax_h(ka, cl / v));
}

double auc_infinity(double dose_mg, double f, double cl) { return f * dose_mg / cl; }

double iv_bolus_concentration(double dose_mg, double v, double cl, double t) {
    return dose_mg / v * std::exp(-cl / v * t);
}

double accumulation_ratio(double k, double tau) { return 1.0 / (1.0 - std::exp(-k * tau)); }

}  // namespace pk_closed_form
}  // namespace hlhsim::models
