#pragma once
// Pharmacodynamics: the Emax/Hill family of response curves. Used both for drugs
// (concentration -> fraction of a rate inhibited, or a kill rate) and for the
// "signal X changes behaviour Y, half-max, Hill" rules of cytokine responses.
//
// The concentration or signal and its half-maximal value must be in the same unit
// (nM with nM, pg/mL with pg/mL); the curves are dimensionless in that unit.
#include <cmath>

namespace hlhsim::models {

/// Fraction of the maximal Hill response at `c`: c^h / (c50^h + c^h), in [0, 1].
/// 0 for c <= 0 (or NaN). Written as 1 / (1 + (c50/c)^h) so that large h or c do not
/// overflow.
inline double hill_fraction(double c, double c50, double hill) {
    if (!(c > 0.0)) return 0.0;
    // A subnormal c (a field decayed to nothing) makes c50 / c overflow to +inf once
    // c50 >= 4 (> 2^1024), so the fraction is 1 / (1 + inf) = 0 for any hill > 0: returned
    // before the division, which is slow (a microcode assist) on subnormal operands.
    if (c < 0x1p-1022 && c50 >= 4.0 && hill > 0.0) return 0.0;
    const double r = c50 / c;
    // pow(r, 1) is r exactly: skipping the call for the common Hill coefficient 1 changes no bit.
    return 1.0 / (1.0 + (hill == 1.0 ? r : std::pow(r, hill)));
}

/// Emax inhibition: emax * c^h / (ic50^h + c^h). With emax = 1 this is the fraction
/// of the target's activity removed by the drug; the remaining activity is 1 - inhibition.
/// `c` and `ic50` in the same unit (e.g. nM); `hill` > 0 dimensionless; `emax` in [0, 1].
inline double inhibition(double c, double ic50, double hill, double emax) {
    return emax * hill_fraction(c, ic50, hill);
}

/// A response curve: baseline + emax * s^h / (ec50^h + s^h). A negative emax makes the
/// behaviour fall with the signal (e.g. IL-10 lowering macrophage activation).
struct HillResponse {
    double ec50 = 1.0;      ///< signal giving half the maximal change, in the signal's unit
    double hill = 1.0;      ///< Hill coefficient (steepness), dimensionless, > 0
    double emax = 1.0;      ///< maximal change over baseline, in the response's unit
    double baseline = 0.0;  ///< response at zero signal, in the response's unit

    /// The response at `signal`.
    double operator()(double signal) const {
        return baseline + emax * hill_fraction(signal, ec50, hill);
    }
};

/// Cell-kill rate of a cytotoxic drug (Emax model on a rate) [1/h]:
/// kmax * c^h / (ec50^h + c^h). `kmax_per_h` is the kill rate at saturating drug [1/h];
/// `c` and `ec50` in the same unit.
inline double kill_rate(double c, double kmax_per_h, double ec50, double hill = 1.0) {
    return kmax_per_h * hill_fraction(c, ec50, hill);
}

}  // namespace hlhsim::models
