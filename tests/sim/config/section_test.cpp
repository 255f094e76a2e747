// Every class of configuration error: unknown keys (with "did you mean"), missing
// keys, wrong types, bad units, out-of-range values; each reported as
// FILE:LINE:COL: message, all collected before anything throws.
#include "sim/config/section.hpp"

#include <gtest/gtest.h>

#include "sim/config/yaml_loader.hpp"
#include "sim/core/errors.hpp"

namespace hlhsim::config {
namespace {

struct Walker {
    double speed = 0;
    double diffusion = 0;
    std::int64_t count = 0;
    bool secretes = false;
    std::string shape;
    double fraction = 0;
};

Walker read(Section s) {
    Walker w;
    w.speed = s.quantity("speed", "um/min", {.def = "6 um/min", .min = 0, .doc = "speed"});
    w.diffusion = s.quantity("diffusion", "um^2/min", {.min = 0, .doc = "diffusion"});
    w.count = s.integer("count", {.def = 10, .min = 0});
    w.secretes = s.boolean("secretes", {.def = false});
    w.shape = s.string("shape", {.def = "round", .choices = {"round", "flat"}});
    w.fraction = s.number("fraction", {.def = 0.5, .min = 0, .max = 1});
    return w;
}

std::vector<std::string> errors_of(const std::string& yaml) {
    ConfigNode root = load_string(yaml, "test.yaml");
    Context ctx;
    read(Section(&root, "", ctx));
    check_unknown_keys(root, ctx);
    return ctx.errors();
}

TEST(Section, ReadsValuesAndDefaults) {
    ConfigNode root = load_string("diffusion: 0.1 mm^2/min\ncount: 3\nsecretes: true\n", "t.yaml");
    Context ctx;
    const Walker w = read(Section(&root, "", ctx));
    check_unknown_keys(root, ctx);
    EXPECT_FALSE(ctx.has_errors());
    EXPECT_DOUBLE_EQ(w.speed, 6);
    EXPECT_NEAR(w.diffusion, 1e5, 1e-9);
    EXPECT_EQ(w.count, 3);
    EXPECT_TRUE(w.secretes);
    EXPECT_EQ(w.shape, "round");
    EXPECT_EQ(ctx.schema().entries().size(), 6u);
}

TEST(Section, UnknownKeyWithSuggestionAndLocation) {
    const auto e = errors_of("diffusion: 1 um^2/min\nsped: 4 um/min\n");
    ASSERT_EQ(e.size(), 1u);
    EXPECT_EQ(e[0], "test.yaml:2:1: unknown key 'sped' (did you mean 'speed'?)");
}

TEST(Section, MissingRequiredKey) {
    const auto e = errors_of("speed: 4 um/min\n");
    ASSERT_EQ(e.size(), 1u);
    EXPECT_NE(e[0].find("test.yaml:1:1: 'diffusion': missing required key"), std::string::npos)
        << e[0];
    EXPECT_NE(e[0].find("um^2/min"), std::string::npos);
}

TEST(Section, WrongTypes) {
    const auto e = errors_of(
        "diffusion: 1 um^2/min\ncount: many\nsecretes: maybe\nspeed: [1, 2]\nshape: square\n");
    ASSERT_EQ(e.size(), 4u);
    EXPECT_EQ(e[0], "test.yaml:4:8: 'speed': expected a quantity in um/min, got a list");
    EXPECT_EQ(e[1], "test.yaml:2:8: 'count': expected an integer, got 'many'");
    EXPECT_EQ(e[2], "test.yaml:3:11: 'secretes': expected true or false, got 'maybe'");
    EXPECT_NE(e[3].find("test.yaml:5:8: 'shape': 'square' is not one of round, flat"),
              std::string::npos)
        << e[3];
}

TEST(Section, BadUnits) {
    auto e = errors_of("diffusion: 6000 um/min\n");
    ASSERT_EQ(e.size(), 1u);
    EXPECT_EQ(e[0],
              "test.yaml:1:12: 'diffusion': expected a quantity in um^2/min (length^2/time), got "
              "'6000 um/min' (length/time)");
    e = errors_of("diffusion: 6000\n");
    ASSERT_EQ(e.size(), 1u);
    EXPECT_NE(e[0].find("'6000' has no unit"), std::string::npos) << e[0];
    e = errors_of("diffusion: 6000 um^2/fortnight\n");
    ASSERT_EQ(e.size(), 1u);
    EXPECT_NE(e[0].find("unknown unit 'fortnight'"), std::string::npos) << e[0];
}

TEST(Section, OutOfRange) {
    const auto e = errors_of("diffusion: -1 um^2/min\nfraction: 1.5\ncount: -2\n");
    ASSERT_EQ(e.size(), 3u);
    EXPECT_EQ(e[0], "test.yaml:1:12: 'diffusion': -1 um^2/min is out of range >= 0 um^2/min");
    EXPECT_EQ(e[1], "test.yaml:3:8: 'count': -2 is out of range >= 0");
    EXPECT_EQ(e[2], "test.yaml:2:11: 'fraction': 1.5 is out of range [0, 1]");
}

TEST(Section, NestedSectionsAndLists) {
    ConfigNode root = load_string(
        "walkers:\n  - diffusion: 1 um^2/min\n  - diffusion: 2 um^2/min\n    colour: red\n"
        "fields:\n  ifng: {decay: 0.01 1/min}\n",
        "t.yaml");
    Context ctx;
    Section top(&root, "", ctx);
    auto walkers = top.list("walkers", {.required = true});
    ASSERT_EQ(walkers.size(), 2u);
    EXPECT_DOUBLE_EQ(read(walkers[1]).diffusion, 2);
    read(walkers[0]);
    auto fields = top.named("fields", {});
    ASSERT_EQ(fields.size(), 1u);
    EXPECT_EQ(fields[0].first, "ifng");
    EXPECT_DOUBLE_EQ(fields[0].second.quantity("decay", "1/min", {}), 0.01);
    check_unknown_keys(root, ctx);
    ASSERT_EQ(ctx.errors().size(), 1u);
    EXPECT_EQ(ctx.errors()[0], "t.yaml:4:5: unknown key 'colour'");
    EXPECT_THROW(ctx.throw_if_errors(), ConfigError);
}

TEST(Section, ErrorsAreCollectedNotThrownOneByOne) {
    const auto e = errors_of("diffusion: x\ncount: y\nfraction: z\nbogus: 1\n");
    EXPECT_EQ(e.size(), 4u);
}

}  // namespace
}  // namespace hlhsim::config
