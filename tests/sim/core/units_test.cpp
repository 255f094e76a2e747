#include "sim/core/units.hpp"

#include <gtest/gtest.h>

#include "sim/core/errors.hpp"

namespace hlhsim {
namespace {

TEST(Units, ParsesTheIssueExamples) {
    EXPECT_DOUBLE_EQ(parse_in("6 min", "min"), 6);
    EXPECT_DOUBLE_EQ(parse_in("6 min", "s"), 360);
    EXPECT_DOUBLE_EQ(parse_in("20 um", "um"), 20);
    EXPECT_DOUBLE_EQ(parse_in("6000 um^2/min", "um^2/min"), 6000);
    EXPECT_NEAR(parse_in("6000 um^2/min", "mm^2/h"), 6000 * 60 * 1e-6, 1e-12);
    EXPECT_DOUBLE_EQ(parse_in("150 mg/m^2", "mg/m^2"), 150);
    EXPECT_DOUBLE_EQ(parse_in("2.5 mg", "ug"), 2500);
    EXPECT_DOUBLE_EQ(parse_in("0.1 ng/mL", "pg/mL"), 100);
}

TEST(Units, ConvertsCompoundAndInverseUnits) {
    EXPECT_NEAR(parse_in("0.01 1/min", "1/h"), 0.6, 1e-12);
    EXPECT_NEAR(parse_in("1 pg/cell/day", "pg/min"), 1.0 / 1440, 1e-15);
    EXPECT_NEAR(parse_in("1 ng/mL", "pg/um^3"), 1e-9, 1e-20);
    EXPECT_NEAR(parse_in("17.7 L/h", "mL/min"), 17.7e3 / 60, 1e-9);
    EXPECT_NEAR(parse_in("205 nM", "mol/L"), 205e-9, 1e-18);
    EXPECT_NEAR(parse_in("5000 molecules/min", "pmol/min"), 5000 / kAvogadro * 1e12, 1e-20);
    EXPECT_NEAR(parse_in("50 %", "1"), 0.5, 1e-15);
    EXPECT_NEAR(parse_in("2400 U/mL", "U/L"), 2.4e6, 1e-6);
    EXPECT_NEAR(parse_in("1 week", "day"), 7, 1e-12);
    // A leading '/' is "1/": "2e-3/min" and "0.5 /h" are rates.
    EXPECT_NEAR(parse_in("2e-3/min", "1/min"), 2e-3, 1e-18);
    EXPECT_NEAR(parse_in("0.5 /h", "1/min"), 0.5 / 60, 1e-15);
    EXPECT_THROW(parse_unit("/"), UnitError);
    EXPECT_THROW(parse_unit("//min"), UnitError);
}

TEST(Units, CelsiusIsAnOffsetScale) {
    EXPECT_NEAR(parse_in("38.5 C", "K"), 311.65, 1e-9);
    EXPECT_NEAR(parse_in("311.65 K", "C"), 38.5, 1e-9);
    EXPECT_THROW(parse_unit("C/min"), UnitError);
}

TEST(Units, DimensionlessNumbersNeedNoUnit) {
    EXPECT_DOUBLE_EQ(parse_in("0.4", "1"), 0.4);
    EXPECT_DOUBLE_EQ(parse_in("3 cells", "1"), 3);
}

TEST(Units, RejectsUnknownUnitsWithTheirName) {
    try {
        parse_quantity("6 furlongs");
        FAIL() << "no exception";
    } catch (const UnitError& e) {
        EXPECT_NE(std::string(e.what()).find("unknown unit 'furlongs'"), std::string::npos);
    }
}

TEST(Units, RejectsDimensionMismatch) {
    try {
        parse_in("6 um", "min");
        FAIL() << "no exception";
    } catch (const UnitError& e) {
        const std::string m = e.what();
        EXPECT_NE(m.find("time"), std::string::npos) << m;
        EXPECT_NE(m.find("length"), std::string::npos) << m;
    }
    EXPECT_THROW(parse_in("6", "min"), UnitError);
    EXPECT_THROW(parse_in("min", "min"), UnitError);
    EXPECT_THROW(parse_in("nan min", "min"), UnitError);
}

TEST(Units, DescribesDimensions) {
    EXPECT_EQ(parse_unit("um^2/min").dim.describe(), "length^2/time");
    EXPECT_EQ(parse_unit("1/min").dim.describe(), "1/time");
    EXPECT_EQ(parse_unit("%").dim.describe(), "dimensionless");
}

}  // namespace
}  // namespace hlhsim
