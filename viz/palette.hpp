#pragma once
// Colours: a fixed palette for the HLH model's populations and states (so a picture
// means the same thing in every run and every class), a fallback palette for other
// models, the heat-map colour map of the fields and the default glyph radius.
#include <cstdint>
#include <string>

namespace hlhsim::viz {

struct Rgb {
    std::uint8_t r = 0, g = 0, b = 0;
    friend bool operator==(const Rgb&, const Rgb&) = default;
};

/// Colour of an agent of `population` in `state`. Known HLH names (macrophage
/// resting/activated/hemophagocytic, cd8 naive/activated/effector/proliferating/exhausted,
/// trigger, blood red_cell/platelet/neutrophil/lymphocyte, ...) have fixed colours;
/// other names get a colour from the population's index (a categorical palette)
/// shaded by the state's index, so every (population, state) pair differs.
Rgb agent_color(const std::string& population, const std::string& state,
                std::size_t population_index, std::size_t state_index);

/// Radius to draw an agent with when the file records none [um]: typical cell radii
/// (macrophage 10, T cell 4, trigger 6, blood cells 3.5, other 5).
double default_radius_um(const std::string& population);

/// The field colour map at t in [0, 1] (clamped): white through lavender-grey to a mid
/// slate, light enough that the coloured agents stay readable on top of it.
Rgb field_color(double t);

/// Colour of HLH-2004 threshold lines in the dashboard.
inline constexpr Rgb kThresholdColor{214, 39, 40};
/// Colour of the main data series in the dashboard.
inline constexpr Rgb kSeriesColor{31, 88, 160};

/// "#rrggbb".
std::string to_hex(Rgb c);

}  // namespace hlhsim::viz
