#include "models/systemic/relaxation.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace hlhsim::models::relaxation {
namespace {

/// x' = u(t) - k x with u relaxing from u0 to ut at rate a, by RK4 with tiny steps.
double reference(double x, double k, double u0, double ut, double a, double h) {
    const int n = 200000;
    const double dt = h / n;
    auto f = [&](double t, double y) { return ut + (u0 - ut) * std::exp(-a * t) - k * y; };
    double t = 0;
    for (int i = 0; i < n; ++i, t += dt) {
        const double k1 = f(t, x), k2 = f(t + dt / 2, x + dt / 2 * k1);
        const double k3 = f(t + dt / 2, x + dt / 2 * k2), k4 = f(t + dt, x + dt * k3);
        x += dt / 6 * (k1 + 2 * k2 + 2 * k3 + k4);
    }
    return x;
}

TEST(Relaxation, RelaxHalvesTheDistanceEachHalfLife) {
    const double k = std::log(2.0) / 30;  // 30 h
    EXPECT_NEAR(relax(1080, 80, k, 30), 580, 1e-9);
    EXPECT_NEAR(relax(1080, 80, k, 60), 330, 1e-9);
    EXPECT_EQ(relax(5, 5, k, 1e6), 5);
    EXPECT_EQ(relax(7, 3, k, 0), 7);
}

TEST(Relaxation, DecayWithInputReachesInputOverRate) {
    EXPECT_NEAR(decay_with_input(0, 2, 0.5, 1e3), 4, 1e-12);
    EXPECT_NEAR(decay_with_input(1, 0, 0.1, 10), std::exp(-1.0), 1e-15);
    EXPECT_DOUBLE_EQ(decay_with_input(1, 3, 0, 2), 7);  // no decay: x + u h
    EXPECT_DOUBLE_EQ(decay_integral(0, 2.5), 2.5);
    EXPECT_NEAR(decay_integral(1e-14, 2.5), 2.5, 1e-12);
}

TEST(Relaxation, RelaxingInputMatchesReferenceIntegration) {
    // (x, k, u0, ut, a, h): far apart, close, equal rates, and a fast-decaying input.
    const double cases[][6] = {{140, 1.0 / 120, 1.17, 0.4, 1.0 / 3, 14},
                               {10, 0.5, 2, 8, 0.5000001, 3},
                               {10, 0.5, 2, 8, 0.5, 3},
                               {4, 2.2, 20, 1, 60, 0.5},
                               {0, 0.1, 0, 5, 0.01, 40}};
    for (const auto& c : cases) {
        const double exact = decay_with_relaxing_input(c[0], c[1], c[2], c[3], c[4], c[5]);
        EXPECT_NEAR(exact, reference(c[0], c[1], c[2], c[3], c[4], c[5]), 1e-9 * (1 + exact));
    }
}

TEST(Relaxation, StableAndNonNegativeForHugeSteps) {
    // Rates far beyond 1/h: no overflow, no negative values, the steady state.
    EXPECT_NEAR(decay_with_relaxing_input(5, 1e3, 0, 2, 1e-3, 1e3), 2e-3 * (1 - std::exp(-1.0)),
                1e-6);
    const double v = decay_with_relaxing_input(1e-300, 50, 0, 0, 900, 10);
    EXPECT_GE(v, 0);
    EXPECT_TRUE(std::isfinite(v));
    EXPECT_GE(decay_with_relaxing_input(0, 3, 1e9, 0, 1e4, 1e-3), 0);
}

}  // namespace
}  // namespace hlhsim::models::relaxation
