#include "sim/space/domain.hpp"

#include <gtest/gtest.h>

#include <limits>
#include <stdexcept>

#include "sim/core/errors.hpp"

namespace hlhsim::domain_test {

TEST(Domain, ValidatesArguments) {
    EXPECT_THROW(Domain(1, {0, 0, 0}, {1, 1, 1}, Boundary::kPeriodic), InputError);
    EXPECT_THROW(Domain(4, {0, 0, 0}, {1, 1, 1}, Boundary::kPeriodic), InputError);
    EXPECT_THROW(Domain(2, {0, 0, 0}, {1, 0, 0}, Boundary::kPeriodic), InputError);
    EXPECT_THROW(Domain(3, {0, 0, 1}, {1, 1, 1}, Boundary::kPeriodic), InputError);
    EXPECT_THROW(Domain(2, {0, 0, 0}, {std::numeric_limits<double>::infinity(), 1, 0},
                        Boundary::kReflecting),
                 InputError);
    // In 2-D the z range is ignored.
    EXPECT_NO_THROW(Domain(2, {0, 0, 5}, {1, 1, 0}, Boundary::kPeriodic));
}

TEST(Domain, GeometryAccessors) {
    const Domain d3(3, {-10, 0, 5}, {10, 40, 10},
                    {Boundary::kPeriodic, Boundary::kReflecting, Boundary::kPeriodic});
    EXPECT_EQ(d3.dims(), 3);
    EXPECT_EQ(d3.extent(), (Vec3{20, 40, 5}));
    EXPECT_DOUBLE_EQ(d3.volume(), 4000.0);
    EXPECT_EQ(d3.boundary(1), Boundary::kReflecting);
    EXPECT_TRUE(d3.periodic(2));
    EXPECT_THROW((void)d3.boundary(3), std::out_of_range);

    const Domain d2(2, {0, 0, 7}, {30, 20, 9}, Boundary::kReflecting);
    EXPECT_DOUBLE_EQ(d2.volume(), 600.0);  // an area in 2-D
    EXPECT_EQ(d2.lo().z, 0.0);
    EXPECT_EQ(d2.extent().z, 0.0);
}

TEST(Domain, PeriodicWrapIncludingLongMoves) {
    const Domain d(2, {-5, 0, 0}, {5, 10, 0}, Boundary::kPeriodic);
    EXPECT_EQ(d.confine({1.25, 3.5, 0}), (Vec3{1.25, 3.5, 0}));  // inside: unchanged
    EXPECT_DOUBLE_EQ(d.confine({5.5, 0, 0}).x, -4.5);
    EXPECT_DOUBLE_EQ(d.confine({-5.5, 0, 0}).x, 4.5);
    EXPECT_DOUBLE_EQ(d.confine({0, 10.0, 0}).y, 0.0);     // hi wraps to lo
    EXPECT_DOUBLE_EQ(d.confine({0, 37.25, 0}).y, 7.25);   // 3.7 extents
    EXPECT_DOUBLE_EQ(d.confine({0, -32.75, 0}).y, 7.25);  // -3.3 extents
    EXPECT_DOUBLE_EQ(d.confine({-5 + 1e6 + 0.5, 0, 0}).x, -4.5);
    // A tiny negative offset must not land on hi (which is lo on the torus).
    const Vec3 q = d.confine({0, -1e-17, 0});
    EXPECT_GE(q.y, 0.0);
    EXPECT_LT(q.y, 10.0);
}

TEST(Domain, ReflectIncludingLongMoves) {
    const Domain d(3, {0, 0, 0}, {10, 10, 10}, Boundary::kReflecting);
    EXPECT_EQ(d.confine({10, 0, 3}), (Vec3{10, 0, 3}));  // walls are inside
    EXPECT_DOUBLE_EQ(d.confine({12, 0, 0}).x, 8.0);
    EXPECT_DOUBLE_EQ(d.confine({-3, 0, 0}).x, 3.0);
    EXPECT_DOUBLE_EQ(d.confine({0, 23, 0}).y, 3.0);   // hits hi at 10, lo at 20, now 3
    EXPECT_DOUBLE_EQ(d.confine({0, 0, 34}).z, 6.0);   // folded 3 times
    EXPECT_DOUBLE_EQ(d.confine({0, 0, -27}).z, 7.0);  // 27 = 20 + 7
    EXPECT_DOUBLE_EQ(d.confine({0, 0, -13}).z, 7.0);  // mirrored at 0 then at 10
    EXPECT_DOUBLE_EQ(d.confine({40, 0, 0}).x, 0.0);
    EXPECT_DOUBLE_EQ(d.confine({30, 0, 0}).x, 10.0);
}

TEST(Domain, MixedBoundariesPerAxis) {
    const Domain d(3, {0, 0, 0}, {10, 10, 10},
                   {Boundary::kPeriodic, Boundary::kReflecting, Boundary::kPeriodic});
    EXPECT_EQ(d.confine({12, 12, -1}), (Vec3{2, 8, 9}));
    // Minimum image only on periodic axes.
    EXPECT_EQ(d.displacement({1, 1, 1}, {9, 9, 9}), (Vec3{-2, 8, -2}));
}

TEST(Domain, NonFiniteIsRejected) {
    const Domain d(2, {0, 0, 0}, {10, 10, 0}, Boundary::kPeriodic);
    EXPECT_THROW((void)d.confine({std::numeric_limits<double>::quiet_NaN(), 0, 0}),
                 std::domain_error);
    EXPECT_THROW((void)d.confine({0, std::numeric_limits<double>::infinity(), 0}),
                 std::domain_error);
}

TEST(Domain, TwoDimensionalZStaysZero) {
    const Domain d(2, {0, 0, 0}, {10, 10, 0}, Boundary::kReflecting);
    EXPECT_EQ(d.confine({3, 4, 17}).z, 0.0);
    EXPECT_EQ(d.confine({13, 4, -2}), (Vec3{7, 4, 0}));
    EXPECT_EQ(d.displacement({1, 1, 5}, {2, 3, -5}), (Vec3{1, 2, 0}));
    EXPECT_TRUE(d.contains({3, 4, 99}));  // z ignored in 2-D
}

TEST(Domain, DisplacementMinimumImage) {
    const Domain d(3, {0, 0, 0}, {100, 50, 20}, Boundary::kPeriodic);
    EXPECT_EQ(d.displacement({1, 1, 1}, {99, 2, 3}), (Vec3{-2, 1, 2}));
    EXPECT_EQ(d.displacement({99, 49, 19}, {1, 1, 1}), (Vec3{2, 2, 2}));
    EXPECT_EQ(d.displacement({10, 10, 10}, {40, 30, 15}), (Vec3{30, 20, 5}));
    // Points far outside still give the nearest image.
    EXPECT_EQ(d.displacement({0, 0, 0}, {301, -99, 41}), (Vec3{1, 1, 1}));
    // |d| never exceeds half the extent.
    for (double bx = 0; bx < 100; bx += 3.7) {
        const Vec3 v = d.displacement({50.5, 0, 0}, {bx, 0, 0});
        EXPECT_LE(std::abs(v.x), 50.0);
    }
}

TEST(Domain, Contains) {
    const Domain d(2, {0, 0, 0}, {10, 10, 0},
                   {Boundary::kPeriodic, Boundary::kReflecting, Boundary::kReflecting});
    EXPECT_TRUE(d.contains({0, 0, 0}));
    EXPECT_FALSE(d.contains({10, 5, 0}));  // periodic: hi is outside (it is lo)
    EXPECT_TRUE(d.contains({5, 10, 0}));   // reflecting: the wall is inside
    EXPECT_FALSE(d.contains({5, 10.001, 0}));
    EXPECT_FALSE(d.contains({-0.001, 5, 0}));
}

}  // namespace hlhsim::domain_test
