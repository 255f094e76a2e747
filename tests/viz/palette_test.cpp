#include "viz/palette.hpp"

#include <gtest/gtest.h>

#include <set>
#include <tuple>

namespace hlhsim::viz {
namespace {

TEST(Palette, FixedHlhColoursDifferByState) {
    const Rgb resting = agent_color("macrophage", "resting", 0, 0);
    const Rgb activated = agent_color("macrophage", "activated", 0, 1);
    const Rgb hemo = agent_color("macrophage", "hemophagocytic", 0, 2);
    EXPECT_NE(resting, activated);
    EXPECT_NE(activated, hemo);
    EXPECT_EQ(activated, (Rgb{0xF2, 0x8E, 0x2B}));
    // Fixed: independent of the population's position in the file.
    EXPECT_EQ(agent_color("cd8", "effector", 7, 1), agent_color("cd8", "effector", 0, 1));
}

TEST(Palette, EveryHlhPairAndFallbackIsDistinct) {
    std::set<std::tuple<int, int, int>> seen;
    const std::vector<std::pair<std::string, std::vector<std::string>>> pops = {
        {"macrophage", {"resting", "activated", "hemophagocytic"}},
        {"cd8", {"naive", "effector", "proliferating", "exhausted"}},
        {"trigger", {"infected"}},
        {"blood", {"red_cell", "platelet", "neutrophil", "lymphocyte"}},
        {"walkers", {"moving", "crowded"}},
        {"other", {"a", "b", "c"}}};
    std::size_t n = 0;
    for (std::size_t p = 0; p < pops.size(); ++p)
        for (std::size_t s = 0; s < pops[p].second.size(); ++s) {
            const Rgb c = agent_color(pops[p].first, pops[p].second[s], p, s);
            seen.insert({c.r, c.g, c.b});
            ++n;
        }
    EXPECT_EQ(seen.size(), n);
}

TEST(Palette, FieldMapRunsFromWhiteToDarkAndClamps) {
    EXPECT_EQ(field_color(0), (Rgb{255, 255, 255}));
    EXPECT_EQ(field_color(-3), field_color(0));
    EXPECT_EQ(field_color(7), field_color(1));
    auto lum = [](Rgb c) { return 0.3 * c.r + 0.59 * c.g + 0.11 * c.b; };
    double last = 256;
    for (int i = 0; i <= 20; ++i) {
        const double l = lum(field_color(i / 20.0));
        EXPECT_LT(l, last);
        last = l;
    }
    EXPECT_GT(last, 90);  // the darkest stays mid-grey so glyphs show on it
}

TEST(Palette, RadiiAndHex) {
    EXPECT_DOUBLE_EQ(default_radius_um("macrophage"), 10.0);
    EXPECT_DOUBLE_EQ(default_radius_um("unknown"), 5.0);
    EXPECT_EQ(to_hex(Rgb{255, 0, 16}), "#ff0010");
}

}  // namespace
}  // namespace hlhsim::viz
