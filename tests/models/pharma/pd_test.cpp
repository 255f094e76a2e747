#include "models/pharma/pd.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>

#include "models/pharma/pk.hpp"

namespace hlhsim::models {
namespace {

TEST(Pd, HalfEffectAtIc50) {
    for (double hill : {0.5, 1.0, 2.0, 4.0}) {
        EXPECT_DOUBLE_EQ(inhibition(281.0, 281.0, hill, 1.0), 0.5);
        EXPECT_DOUBLE_EQ(inhibition(3.3, 3.3, hill, 0.8), 0.4);
    }
}

TEST(Pd, HandWorkedValues) {
    // c = 3 ic50, h = 2: 9 / (1 + 9) = 0.9; c = ic50 / 2, h = 1: 0.5 / 1.5 = 1/3.
    EXPECT_NEAR(inhibition(30.0, 10.0, 2.0, 1.0), 0.9, 1e-15);
    EXPECT_NEAR(inhibition(5.0, 10.0, 1.0, 0.6), 0.2, 1e-15);
}

TEST(Pd, LimitsAndMonotone) {
    EXPECT_EQ(inhibition(0.0, 10.0, 1.5, 1.0), 0.0);
    EXPECT_EQ(inhibition(-1.0, 10.0, 1.5, 1.0), 0.0);
    EXPECT_EQ(inhibition(std::nan(""), 10.0, 1.5, 1.0), 0.0);
    EXPECT_NEAR(inhibition(1e12, 10.0, 1.5, 0.7), 0.7, 1e-15);
    EXPECT_DOUBLE_EQ(inhibition(1e300, 1e-300, 50.0, 1.0), 1.0);  // no overflow
    EXPECT_EQ(inhibition(1e-300, 1e300, 50.0, 1.0), 0.0);
    double previous = -1.0;
    for (double c = 1e-3; c < 1e5; c *= 1.3) {
        const double v = inhibition(c, 10.0, 2.5, 1.0);
        EXPECT_GT(v, previous);
        EXPECT_GE(v, 0.0);
        EXPECT_LE(v, 1.0);
        previous = v;
    }
    // Steeper Hill: lower below IC50, higher above.
    EXPECT_LT(inhibition(5.0, 10.0, 4.0, 1.0), inhibition(5.0, 10.0, 1.0, 1.0));
    EXPECT_GT(inhibition(20.0, 10.0, 4.0, 1.0), inhibition(20.0, 10.0, 1.0, 1.0));
}

TEST(Pd, HillResponseAroundBaseline) {
    // IFN-gamma -> activation probability rate: baseline 0.01/h, +0.5/h max, half at 50 pg/mL.
    const HillResponse up{.ec50 = 50.0, .hill = 2.0, .emax = 0.5, .baseline = 0.01};
    EXPECT_DOUBLE_EQ(up(0.0), 0.01);
    EXPECT_DOUBLE_EQ(up(50.0), 0.26);
    EXPECT_NEAR(up(150.0), 0.01 + 0.5 * 0.9, 1e-15);
    EXPECT_NEAR(up(1e12), 0.51, 1e-12);
    // A falling response (negative emax).
    const HillResponse down{.ec50 = 10.0, .hill = 1.0, .emax = -1.0, .baseline = 1.0};
    EXPECT_DOUBLE_EQ(down(10.0), 0.5);
    EXPECT_LT(down(100.0), down(10.0));
}

TEST(Pd, KillRate) {
    // Etoposide-like: 0.2/h at saturation, half at 1 mg/L.
    EXPECT_DOUBLE_EQ(kill_rate(1.0, 0.2, 1.0), 0.1);
    EXPECT_NEAR(kill_rate(3.0, 0.2, 1.0, 2.0), 0.18, 1e-15);
    EXPECT_EQ(kill_rate(0.0, 0.2, 1.0), 0.0);
    EXPECT_NEAR(kill_rate(1e9, 0.2, 1.0), 0.2, 1e-9);
}

// The design fact of biology.md section 3: at the case's doses ruxolitinib inhibits JAK
// signalling partly and intermittently (mean ~10% at 2.5 mg BID, ~17% at 5 mg BID,
// peaks 26-42%), with the whole-blood IC50 of 281 nM and the one-compartment PK fit.
struct Inhibition {
    double mean, peak;
};
Inhibition ruxolitinib_bid_inhibition(double dose_mg) {
    PkState s(PkParams::from_apparent(0.95, 3.75, 64.0, 17.7, 306.4));
    for (int d = 0; d < 10; ++d) {  // 5 days to steady state (t1/2 2.5 h)
        s.dose(dose_mg);
        s.advance(12.0);
    }
    s.dose(dose_mg);
    const int n = 1200;  // one 12-h interval, 36-s steps
    double sum = 0.0, peak = 0.0;
    for (int i = 0; i < n; ++i) {
        const double x = inhibition(s.concentration_nm(), 281.0, 1.0, 1.0);
        sum += x;
        peak = std::max(peak, x);
        s.advance(12.0 / n);
    }
    return {sum / n, peak};
}

TEST(Pd, RuxolitinibInhibitionIsPartialAndIntermittent) {
    const Inhibition low = ruxolitinib_bid_inhibition(2.5);
    const Inhibition high = ruxolitinib_bid_inhibition(5.0);
    std::printf(
        "ruxolitinib BID whole-blood inhibition: 2.5 mg mean %.1f%% peak %.1f%%; "
        "5 mg mean %.1f%% peak %.1f%%\n",
        100 * low.mean, 100 * low.peak, 100 * high.mean, 100 * high.peak);
    EXPECT_GT(low.mean, 0.08);
    EXPECT_LT(low.mean, 0.14);
    EXPECT_GT(high.mean, 0.14);
    EXPECT_LT(high.mean, 0.22);
    EXPECT_GT(low.peak, 0.24);
    EXPECT_LT(high.peak, 0.46);
}

TEST(Pd, SubnormalSignalGivesTheBitsOfTheFullFormula) {
    // The early return for subnormal c must give what the division would: 1 / (1 + inf).
    const auto full = [](double c, double c50, double hill) {
        const double r = c50 / c;
        return 1.0 / (1.0 + (hill == 1.0 ? r : std::pow(r, hill)));
    };
    for (double c50 : {0.5, 3.9, 4.0, 20.0, 300.0, 1e6}) {
        for (double hill : {0.1, 1.0, 2.0, 3.0}) {
            for (double c : {0x1p-1074, 1e-320, 1e-310, 0x1p-1023, 0x1.fffffffffffffp-1023,
                             0x1p-1022, 1e-300, 1e-20, 1.0}) {
                const double got = hill_fraction(c, c50, hill);
                const double want = full(c, c50, hill);
                EXPECT_EQ(std::signbit(got), std::signbit(want)) << c << " " << c50 << " " << hill;
                EXPECT_EQ(got, want) << c << " " << c50 << " " << hill;
            }
        }
    }
}

}  // namespace
}  // namespace hlhsim::models
