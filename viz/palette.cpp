#include "viz/palette.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <utility>

namespace hlhsim::viz {

namespace {

constexpr Rgb hex(std::uint32_t v) {
    return {static_cast<std::uint8_t>(v >> 16), static_cast<std::uint8_t>((v >> 8) & 0xff),
            static_cast<std::uint8_t>(v & 0xff)};
}

// Fixed colours of the HLH model's (population, state) pairs. Macrophages run warm
// (tan -> orange -> magenta as they turn hemophagocytic), T cells cool (light blue ->
// blue -> grey-violet when exhausted), triggers green, blood cells in their own hues.
const std::map<std::pair<std::string, std::string>, Rgb>& hlh_palette() {
    static const std::map<std::pair<std::string, std::string>, Rgb> p = {
        {{"macrophage", "resting"}, hex(0xC9A66B)},
        {{"macrophage", "activated"}, hex(0xF28E2B)},
        {{"macrophage", "hemophagocytic"}, hex(0x8E0152)},
        {{"macrophage", "dead"}, hex(0x9E9E9E)},
        {{"cd8", "naive"}, hex(0x9ECAE1)},
        {{"cd8", "activated"}, hex(0x5E9ED6)},
        {{"cd8", "effector"}, hex(0x2171B5)},
        {{"cd8", "proliferating"}, hex(0x08306B)},
        {{"cd8", "memory"}, hex(0x6BAED6)},
        {{"cd8", "exhausted"}, hex(0x8C6BB1)},
        {{"cd8", "dead"}, hex(0xBDBDBD)},
        {{"trigger", "infected"}, hex(0x33A02C)},
        {{"trigger", "antigen_bearing"}, hex(0x33A02C)},
        {{"trigger", "active"}, hex(0x33A02C)},
        {{"trigger", "apc"}, hex(0x1B7837)},
        {{"trigger", "presenting"}, hex(0x1B7837)},
        {{"trigger", "latent"}, hex(0xA6DBA0)},
        {{"trigger", "cleared"}, hex(0xC7E9C0)},
        {{"trigger", "dead"}, hex(0xC7E9C0)},
        {{"blood", "red_cell"}, hex(0xE31A1C)},
        {{"blood", "rbc"}, hex(0xE31A1C)},
        {{"blood", "erythrocyte"}, hex(0xE31A1C)},
        {{"blood", "platelet"}, hex(0xFFD92F)},
        {{"blood", "neutrophil"}, hex(0x17BECF)},
        {{"blood", "lymphocyte"}, hex(0x8C564B)},
        {{"blood", "engulfed"}, hex(0x525252)},
    };
    return p;
}

// Base colour per HLH population for states the table above does not name.
const std::map<std::string, Rgb>& hlh_population_base() {
    static const std::map<std::string, Rgb> p = {
        {"macrophage", hex(0xF28E2B)},
        {"cd8", hex(0x2171B5)},
        {"trigger", hex(0x33A02C)},
        {"blood", hex(0xE31A1C)},
    };
    return p;
}

// Categorical fallback (Tableau 10 without the greys, which the field map uses).
constexpr std::array<Rgb, 9> kCategorical = {hex(0x4E79A7), hex(0xF28E2B), hex(0xE15759),
                                             hex(0x76B7B2), hex(0x59A14F), hex(0xEDC948),
                                             hex(0xB07AA1), hex(0xFF9DA7), hex(0x9C755F)};

Rgb mix(Rgb a, Rgb b, double t) {
    auto m = [t](std::uint8_t x, std::uint8_t y) {
        return static_cast<std::uint8_t>(std::lround(x + (y - x) * t));
    };
    return {m(a.r, b.r), m(a.g, b.g), m(a.b, b.b)};
}

/// State 0 keeps the base colour; later states alternate darker and lighter shades.
Rgb shade(Rgb base, std::size_t state_index) {
    if (state_index == 0) return base;
    const double step = 0.4 * static_cast<double>((state_index + 1) / 2);
    const double t = std::min(step, 0.75);
    return state_index % 2 == 1 ? mix(base, Rgb{0, 0, 0}, t) : mix(base, Rgb{255, 255, 255}, t);
}

}  // namespace

Rgb agent_color(const std::string& population, const std::string& state,
                std::size_t population_index, std::size_t state_index) {
    const auto& fixed = hlh_palette();
    if (auto it = fixed.find({population, state}); it != fixed.end()) return it->second;
    const auto& base = hlh_population_base();
    if (auto it = base.find(population); it != base.end()) return shade(it->second, state_index);
    return shade(kCategorical[population_index % kCategorical.size()], state_index);
}

double default_radius_um(const std::string& population) {
    if (population == "macrophage") return 10.0;
    if (population == "cd8") return 4.0;
    if (population == "trigger") return 6.0;
    if (population == "blood") return 3.5;
    return 5.0;
}

Rgb field_color(double t) {
    // Lightness falls evenly; the darkest colour stays mid-grey so dark glyphs remain
    // visible on the highest concentrations.
    static constexpr std::array<std::pair<double, Rgb>, 4> kStops = {{
        {0.0, hex(0xFFFFFF)},
        {0.33, hex(0xE4E1EE)},
        {0.66, hex(0xB8B1CE)},
        {1.0, hex(0x7D759C)},
    }};
    if (!(t > 0)) return kStops.front().second;  // also NaN
    if (t >= 1) return kStops.back().second;
    for (std::size_t i = 1; i < kStops.size(); ++i) {
        if (t <= kStops[i].first) {
            const double u = (t - kStops[i - 1].first) / (kStops[i].first - kStops[i - 1].first);
            return mix(kStops[i - 1].second, kStops[i].second, u);
        }
    }
    return kStops.back().second;
}

std::string to_hex(Rgb c) { return fmt::format("#{:02x}{:02x}{:02x}", c.r, c.g, c.b); }

}  // namespace hlhsim::viz
