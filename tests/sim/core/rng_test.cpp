#include "sim/core/rng.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <set>
#include <thread>
#include <utility>
#include <vector>

namespace hlhsim {
namespace {

TEST(AgentRng, SameKeySameSequence) {
    AgentRng a(42, 7, 100, 12345), b(42, 7, 100, 12345);
    for (int i = 0; i < 100; ++i) EXPECT_EQ(a.next_u32(), b.next_u32());
}

TEST(AgentRng, EveryKeyPartChangesTheSequence) {
    const double base = AgentRng(42, 7, 100, 12345).uniform();
    EXPECT_NE(base, AgentRng(43, 7, 100, 12345).uniform());
    EXPECT_NE(base, AgentRng(42, 8, 100, 12345).uniform());
    EXPECT_NE(base, AgentRng(42, 7, 101, 12345).uniform());
    EXPECT_NE(base, AgentRng(42, 7, 100, 12346).uniform());
    EXPECT_NE(base, AgentRng(42, 7, 100, 12345ull + (1ull << 32)).uniform());
}

TEST(AgentRng, UniformMomentsAndRange) {
    double sum = 0, sum2 = 0;
    const int n = 200000;
    for (int i = 0; i < n; ++i) {
        AgentRng r(1, 1, 0, static_cast<std::uint64_t>(i));
        const double u = r.uniform();
        ASSERT_GE(u, 0.0);
        ASSERT_LT(u, 1.0);
        sum += u;
        sum2 += u * u;
    }
    EXPECT_NEAR(sum / n, 0.5, 0.005);
    EXPECT_NEAR(sum2 / n - 0.25, 1.0 / 12, 0.002);
}

TEST(AgentRng, NormalMoments) {
    AgentRng r(3, 2, 5, 9);
    double sum = 0, sum2 = 0;
    const int n = 100000;
    for (int i = 0; i < n; ++i) {
        const double x = r.normal();
        sum += x;
        sum2 += x * x;
    }
    EXPECT_NEAR(sum / n, 0.0, 0.02);
    EXPECT_NEAR(sum2 / n, 1.0, 0.02);
}

TEST(AgentRng, LongStreamsDoNotRepeatEarly) {
    AgentRng r(5, 5, 5, 5);
    std::set<std::uint32_t> seen;
    for (int i = 0; i < 4096; ++i) seen.insert(r.next_u32());
    EXPECT_GT(seen.size(), 4090u);
}

TEST(AgentRng, PoissonMeansAndVariances) {
    for (double mean : {0.3, 4.0, 120.0}) {
        double sum = 0, sum2 = 0;
        const int n = 20000;
        for (int i = 0; i < n; ++i) {
            AgentRng r(9, 4, 1, static_cast<std::uint64_t>(i));
            const double k = static_cast<double>(r.poisson(mean));
            sum += k;
            sum2 += k * k;
        }
        const double m = sum / n;
        EXPECT_NEAR(m, mean, 0.03 * mean + 0.01) << mean;
        EXPECT_NEAR(sum2 / n - m * m, mean, 0.06 * mean + 0.02) << mean;
    }
    AgentRng r(1, 1, 1, 1);
    EXPECT_EQ(r.poisson(0.0), 0u);
    EXPECT_EQ(r.poisson(-1.0), 0u);
}

// rate_to_probability() remembers recent results: mixing repeated and new arguments
// (and threads) must give the bits of the plain formula every time.
TEST(RateToProbability, MemoGivesThePlainFormulaBits) {
    std::vector<std::pair<double, double>> args;
    AgentRng r(7, 3, 0, 0);
    for (int k = 0; k < 300; ++k) args.emplace_back(r.uniform(0, 2), k % 3 == 0 ? 2.0 : 0.5);
    for (const double rate : {0.0, -0.0, 1e-300, 1.0 / 3.0}) args.emplace_back(rate, 2.0);
    const auto check = [&] {
        for (int pass = 0; pass < 4; ++pass) {
            for (std::size_t k = 0; k < args.size(); ++k) {
                const auto& [rate, dt] = args[(k * 7 + pass * 13) % args.size()];
                const double expected = -std::expm1(-rate * dt);
                const double got = rate_to_probability(rate, dt);
                ASSERT_EQ(std::memcmp(&expected, &got, sizeof got), 0) << rate << " " << dt;
            }
        }
    };
    check();
    std::thread other(check);
    check();
    other.join();
}

TEST(RateToProbability, MatchesTheExponential) {
    EXPECT_NEAR(rate_to_probability(0.2, 1.0), 1 - std::exp(-0.2), 1e-15);
    EXPECT_NEAR(rate_to_probability(1e-12, 1.0), 1e-12, 1e-24);
    EXPECT_EQ(rate_to_probability(0.0, 5.0), 0.0);
}

TEST(BernoulliRate, SameDrawsAndOutcomesAsBernoulliOfTheProbability) {
    // Rates from 0 through x = rate * dt around 1 and beyond, and the odd ones (negative,
    // infinite, NaN) that take the exact path; both generators must stay in step.
    std::vector<double> rates{0.0,
                              1e-300,
                              1e-12,
                              1e-6,
                              0.003,
                              0.1,
                              0.25,
                              0.49,
                              0.5,
                              0.51,
                              0.9,
                              1.0,
                              2.0,
                              -0.1,
                              std::numeric_limits<double>::infinity(),
                              std::numeric_limits<double>::quiet_NaN()};
    for (int k = 0; k < 200; ++k) rates.push_back(0.6 * k / 200.0 + 1e-9 * k);
    int agree = 0, hits = 0;
    for (std::size_t r = 0; r < rates.size(); ++r) {
        for (double dt : {2.0, 0.1}) {
            AgentRng a(7, 3, r, 11), b(7, 3, r, 11);
            for (int i = 0; i < 2000; ++i) {
                const bool expect = a.bernoulli(rate_to_probability(rates[r], dt));
                const bool got = bernoulli_rate(b, rates[r], dt);
                ASSERT_EQ(expect, got) << "rate " << rates[r] << " dt " << dt << " draw " << i;
                agree += 1;
                hits += got ? 1 : 0;
            }
            ASSERT_EQ(a.next_u32(), b.next_u32());
        }
    }
    EXPECT_GT(hits, agree / 20);  // the comparison covered both outcomes
    EXPECT_LT(hits, agree);
}

}  // namespace
}  // namespace hlhsim
