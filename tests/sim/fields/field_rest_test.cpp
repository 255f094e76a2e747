#include "sim/fields/field_rest.hpp"

#include <gtest/gtest.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <limits>
#include <span>
#include <vector>

#include "sim/fields/field_set.hpp"

namespace hlhsim {
namespace {

bool same_bits(std::span<const double> a, std::span<const double> b) {
    return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size_bytes()) == 0;
}

TEST(FieldRest, SkipsOnlyARepeatOfAStepThatChangedNothing) {
    FieldRest rest(2);
    std::vector<double> values{1e-323, 1e-323, 0.0};
    std::vector<double> zero(3, 0.0);
    const std::array<std::span<const double>, 1> rates{std::span<const double>(zero)};
    // First quiet step: probed (copied), not skipped; it changes nothing -> at rest.
    EXPECT_FALSE(rest.before_step(0, values, rates, 1, 2.0));
    rest.after_step(0, values);
    EXPECT_TRUE(rest.at_rest(0));
    EXPECT_FALSE(rest.at_rest(1));
    EXPECT_TRUE(rest.before_step(0, values, rates, 1, 2.0));  // same input: skip
    // Another dt, mask, value or a non-zero rate (even -0.0) is another input.
    EXPECT_FALSE(rest.before_step(0, values, rates, 1, 1.0));
    EXPECT_FALSE(rest.at_rest(0));
}

TEST(FieldRest, NegativeZeroRatesAndChangedValuesAreNotSkipped) {
    FieldRest rest(1);
    std::vector<double> values{1.0, 2.0};
    std::vector<double> rate{0.0, -0.0};
    const std::array<std::span<const double>, 1> rates{std::span<const double>(rate)};
    EXPECT_FALSE(rest.before_step(0, values, rates, 1, 2.0));  // -0.0: not quiet, no probe
    rest.after_step(0, values);
    EXPECT_FALSE(rest.at_rest(0));
    rate[1] = 0.0;
    // Probes wait kProbeEvery steps after the last one.
    for (int s = 1; s < FieldRest::kProbeEvery; ++s) {
        EXPECT_FALSE(rest.before_step(0, values, rates, 1, 2.0));
        rest.after_step(0, values);
        EXPECT_FALSE(rest.at_rest(0));
    }
    EXPECT_FALSE(rest.before_step(0, values, rates, 1, 2.0));  // probe
    values[0] = 0.5;                                           // the step changed the field
    rest.after_step(0, values);
    EXPECT_FALSE(rest.at_rest(0));
}

// The quiet check scans rate arrays in blocks and stops at the first block with a bit set:
// a single non-zero bit anywhere, also in a last partial block, must still count.
TEST(FieldRest, ANonZeroBitAnywhereInALongRateArrayIsNotQuiet) {
    const std::vector<double> values(1000, 1.0);
    for (const std::size_t at :
         {std::size_t{0}, std::size_t{255}, std::size_t{256}, std::size_t{700}, std::size_t{999}}) {
        for (const double bit : {-0.0, std::numeric_limits<double>::denorm_min()}) {
            FieldRest rest(1);
            std::vector<double> rate(values.size(), 0.0);
            rate[at] = bit;
            const std::array<std::span<const double>, 1> rates{std::span<const double>(rate)};
            EXPECT_FALSE(rest.before_step(0, values, rates, 1, 2.0));
            rest.after_step(0, values);  // unchanged values: at rest only if it had probed
            EXPECT_FALSE(rest.at_rest(0)) << "value " << bit << " at " << at;
        }
    }
    FieldRest rest(1);  // the control: all +0.0 is quiet
    const std::vector<double> zero(values.size(), 0.0);
    const std::array<std::span<const double>, 1> rates{std::span<const double>(zero)};
    EXPECT_FALSE(rest.before_step(0, values, rates, 1, 2.0));
    rest.after_step(0, values);
    EXPECT_TRUE(rest.at_rest(0));
}

// A field with no sources decays to a denormal value that the step maps onto itself; from
// then on its steps are skipped. A twin whose source array holds -0.0 (x + dt * -0.0 == x:
// the same arithmetic, but never "quiet") is computed every step: the bits must agree.
TEST(FieldRest, FieldSetSkipsAFixedPointWithTheSameBits) {
    for (int threads : {1, 2}) {
        tbb::task_arena arena(threads);
        arena.execute([&] {
            const GridSpec g{2, {6, 5, 1}, 20.0, {}, {}};
            FieldSet fast(g, {{"a", "", 1000, 0.1, 1.0}, {"b", "", 1000, 0.3, 0.0}});
            FieldSet full = fast;
            std::ranges::fill(fast.source(0), 0.0);
            std::ranges::fill(full.source(0), -0.0);
            std::ranges::fill(full.source(1), -0.0);
            fast.values(0)[7] = 3.0;
            full.values(0)[7] = 3.0;
            int steps_at_rest = 0;
            for (int s = 0; s < 6000; ++s) {
                fast.step(2.0);
                full.step(2.0);
                ASSERT_TRUE(same_bits(fast.values(0), full.values(0))) << "step " << s;
                ASSERT_TRUE(same_bits(fast.values(1), full.values(1))) << "step " << s;
                steps_at_rest += fast.at_rest(0) ? 1 : 0;
                EXPECT_FALSE(full.at_rest(0));
            }
            const double v = fast.values(0)[0];
            EXPECT_GT(v, 0.0);
            EXPECT_LT(v, std::numeric_limits<double>::min());  // denormal
            EXPECT_GT(steps_at_rest, 1000);
            EXPECT_TRUE(fast.at_rest(1));  // all zero: at rest from the start

            // A source wakes the field; a changed value too. Both twins stay equal.
            fast.source(0)[3] = 1.0;
            full.source(0)[3] = 1.0;
            fast.step(2.0);
            full.step(2.0);
            EXPECT_FALSE(fast.at_rest(0));
            fast.clear_sources();
            std::ranges::fill(full.source(0), -0.0);
            fast.values(1)[2] = 1e-3;
            full.values(1)[2] = 1e-3;
            for (int s = 0; s < 200; ++s) {
                fast.step(2.0);
                full.step(2.0);
                ASSERT_TRUE(same_bits(fast.values(0), full.values(0)));
                ASSERT_TRUE(same_bits(fast.values(1), full.values(1)));
            }
        });
    }
}

}  // namespace
}  // namespace hlhsim
