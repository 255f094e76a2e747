#pragma once
// Physical quantities from strings such as "6 min", "6000 um^2/min", "150 mg/m^2",
// "0.1 ng/mL" or "38.5 C".
//
// A Quantity holds its value in SI base units (m, s, kg, mol, assay unit U,
// kelvin) with the exponents of each base dimension. Code never uses SI values
// directly: it asks for the number in the unit it works in,
//     parse_quantity("6000 um^2/min").in("um^2/min") == 6000
// and a mismatch in dimension is a UnitError. The engine works in um and min.
#include <array>
#include <string>
#include <string_view>

namespace hlhsim {

/// The engine's clock counts minutes (Tick::time, periods, durations); a day is this many.
inline constexpr double kMinutesPerDay = 1440;

/// Exponents of the base dimensions.
struct Dimension {
    enum Base { kLength, kTime, kMass, kAmount, kActivity, kTemperature, kCount };
    std::array<int, kCount> exp{};

    friend bool operator==(const Dimension&, const Dimension&) = default;
    Dimension operator*(const Dimension& o) const;
    Dimension operator/(const Dimension& o) const;
    Dimension pow(int p) const;
    bool dimensionless() const { return *this == Dimension{}; }
    /// Human-readable, e.g. "length^2/time" or "dimensionless".
    std::string describe() const;
};

/// A parsed unit: multiply a number in this unit by `factor` (then add `offset`) to get SI.
struct Unit {
    double factor = 1.0;
    double offset = 0.0;  ///< only for temperatures in C
    Dimension dim;
};

/// Parses a unit expression: terms joined by '*', '.' or '/' (which applies to the
/// next term only), each an optional power '^n'. "1/min", "pg/cell/day", "mg/m^2".
/// Throws UnitError naming the unknown symbol.
Unit parse_unit(std::string_view text);

class Quantity {
  public:
    Quantity() = default;
    Quantity(double value_si, Dimension dim) : si_(value_si), dim_(dim) {}

    /// The value expressed in `unit` (e.g. "um^2/min"); UnitError if dimensions differ.
    double in(std::string_view unit) const;
    double in(const Unit& unit) const;
    double si() const { return si_; }
    const Dimension& dim() const { return dim_; }

  private:
    double si_ = 0;
    Dimension dim_;
};

/// Parses "<number> <unit>" (the unit may be omitted for dimensionless numbers).
Quantity parse_quantity(std::string_view text);

/// Parses text and converts it to `unit`: the usual entry point for config values.
/// A bare number (no unit) is accepted only when `unit` is dimensionless.
double parse_in(std::string_view text, std::string_view unit);

/// Avogadro's number [1/mol], for molecule counts.
inline constexpr double kAvogadro = 6.02214076e23;

}  // namespace hlhsim
