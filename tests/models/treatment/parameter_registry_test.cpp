#include "models/treatment/parameter_registry.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

namespace hlhsim::models::treatment {
namespace {

TEST(ParameterRegistry, FindsSetsAndRoundsIntegers) {
    double rate = 0.5;
    std::int64_t count = 7;
    ParameterRegistry r;
    r.add("a.rate", &rate, "1/min");
    r.add("a.count", &count);
    EXPECT_EQ(r.names(), (std::vector<std::string>{"a.rate", "a.count"}));
    const auto* e = r.find("a.rate");
    ASSERT_NE(e, nullptr);
    EXPECT_EQ(e->unit, "1/min");
    EXPECT_DOUBLE_EQ(ParameterRegistry::get(*e), 0.5);
    ParameterRegistry::set(*e, 0.25);
    EXPECT_DOUBLE_EQ(rate, 0.25);
    ParameterRegistry::set(*r.find("a.count"), 9.6);
    EXPECT_EQ(count, 10);
    EXPECT_EQ(r.find("a.missing"), nullptr);
    EXPECT_THROW(r.add("a.rate", &rate), std::invalid_argument);
}

}  // namespace
}  // namespace hlhsim::models::treatment
