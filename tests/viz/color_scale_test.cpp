#include "viz/color_scale.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "sim/core/errors.hpp"

namespace hlhsim::viz {
namespace {

ColorScale scale_of(const std::vector<double>& v, FieldScale mode = FieldScale::kAuto) {
    ValueSummary s(v.size());
    s.add(v);
    return choose_scale(s, mode);
}

TEST(ColorScale, LinearEndsOnRoundNumbersWithRoundLabels) {
    const ColorScale a = scale_of({0, 10, 30, 49.8});
    EXPECT_FALSE(a.log);
    EXPECT_EQ(a.lo, 0.0);
    EXPECT_DOUBLE_EQ(a.hi, 50.0);
    EXPECT_EQ(a.labels, 6);  // 0 10 20 30 40 50
    EXPECT_EQ(a.shift, 0);
    const ColorScale b = scale_of({1.2, 1.3, 1.31});
    EXPECT_DOUBLE_EQ(b.hi, 1.5);
    EXPECT_EQ(b.labels, 4);  // 0 0.5 1 1.5
    EXPECT_DOUBLE_EQ(scale_of({0.7, 0.71}).hi, 0.8);
    EXPECT_DOUBLE_EQ(scale_of({1000, 1000}).hi, 1000.0);
}

TEST(ColorScale, TinyAndHugeValuesAreShiftedForTheLabels) {
    const ColorScale a = scale_of({1e-4, 1.2e-4, 1.31e-4});
    EXPECT_EQ(a.shift, -4);
    EXPECT_NEAR(a.hi, 1.5e-4, 1e-18);
    EXPECT_EQ(scale_of({3e6, 3.1e6}, FieldScale::kLinear).shift, 6);
    EXPECT_EQ(scale_of({-2, 3}).lo, -2.0);  // negative data keep their floor
}

TEST(ColorScale, AutoTurnsLogWhenPeaksDominate) {
    std::vector<double> v(1000, 10.0);
    v[3] = 5000;  // median 10, peak 5000: more than a decade apart
    const ColorScale a = scale_of(v);
    EXPECT_TRUE(a.log);
    EXPECT_DOUBLE_EQ(a.hi, 1e4);
    EXPECT_DOUBLE_EQ(a.lo, 10.0);  // decade of the 5th percentile
    EXPECT_EQ(a.labels, 4);        // 10, 100, 1000, 10000
    std::vector<double> broad(1000);
    for (std::size_t i = 0; i < broad.size(); ++i) broad[i] = 1.0 + static_cast<double>(i);
    EXPECT_FALSE(scale_of(broad).log);
    EXPECT_FALSE(scale_of(v, FieldScale::kLinear).log);
    const ColorScale forced = scale_of(broad, FieldScale::kLog);
    EXPECT_TRUE(forced.log);
    EXPECT_DOUBLE_EQ(forced.hi, 1e3);
}

TEST(ColorScale, EmptyOrZeroFields) {
    const ColorScale a = scale_of({});
    EXPECT_EQ(a.lo, 0.0);
    EXPECT_EQ(a.hi, 1.0);
    EXPECT_FALSE(scale_of({0, 0, 0}, FieldScale::kLog).log);  // nothing positive
}

TEST(ColorScale, ParseAndFitText) {
    EXPECT_EQ(parse_scale("auto"), FieldScale::kAuto);
    EXPECT_THROW(parse_scale("Log"), InputError);
    EXPECT_EQ(fit_text("abcdef", 6), "abcdef");
    EXPECT_EQ(fit_text("abcdefgh", 6), "abc...");
    EXPECT_EQ(fit_text("\u00b5\u00b5\u00b5\u00b5\u00b5\u00b5\u00b5", 5), "\u00b5\u00b5...");
}

}  // namespace
}  // namespace hlhsim::viz
