#include "sim/core/units.hpp"

#include <fmt/format.h>

#include <cctype>
#include <charconv>
#include <cmath>
#include <map>

#include "sim/core/errors.hpp"

namespace hlhsim {
namespace {

Dimension dim_of(Dimension::Base b, int e = 1) {
    Dimension d;
    d.exp[b] = e;
    return d;
}

// The symbol table is explicit (no generic SI prefixes) so that "min" can never be
// read as milli-inch and every accepted spelling is listed in one place.
const std::map<std::string, Unit, std::less<>>& symbols() {
    static const auto table = [] {
        using D = Dimension;
        std::map<std::string, Unit, std::less<>> t;
        auto add = [&](std::initializer_list<const char*> names, double f, Dimension d,
                       double off = 0) {
            for (const char* n : names) t[n] = Unit{f, off, d};
        };
        const D L = dim_of(D::kLength), T = dim_of(D::kTime), M = dim_of(D::kMass),
                N = dim_of(D::kAmount), A = dim_of(D::kActivity), K = dim_of(D::kTemperature);
        const D V = dim_of(D::kLength, 3);
        // length
        add({"m"}, 1, L);
        add({"cm"}, 1e-2, L);
        add({"mm"}, 1e-3, L);
        add({"um", "µm", "micron", "microns"}, 1e-6, L);
        add({"nm"}, 1e-9, L);
        // volume
        add({"L", "l"}, 1e-3, V);
        add({"dL", "dl"}, 1e-4, V);
        add({"mL", "ml"}, 1e-6, V);
        add({"uL", "ul", "µL"}, 1e-9, V);
        add({"nL", "nl"}, 1e-12, V);
        add({"pL", "pl"}, 1e-15, V);
        add({"fL", "fl"}, 1e-18, V);
        // time
        add({"ms"}, 1e-3, T);
        add({"s", "sec", "second", "seconds"}, 1, T);
        add({"min", "mins", "minute", "minutes"}, 60, T);
        add({"h", "hr", "hrs", "hour", "hours"}, 3600, T);
        add({"d", "day", "days"}, 86400, T);
        add({"wk", "week", "weeks"}, 7 * 86400.0, T);
        add({"yr", "year", "years"}, 365.25 * 86400.0, T);
        // mass
        add({"kg"}, 1, M);
        add({"g"}, 1e-3, M);
        add({"mg"}, 1e-6, M);
        add({"ug", "µg", "mcg"}, 1e-9, M);
        add({"ng"}, 1e-12, M);
        add({"pg"}, 1e-15, M);
        add({"fg"}, 1e-18, M);
        add({"kDa"}, 1e3 / kAvogadro * 1e-3, M);  // mass of one molecule of 1 kDa
        // amount of substance
        add({"mol"}, 1, N);
        add({"mmol"}, 1e-3, N);
        add({"umol", "µmol"}, 1e-6, N);
        add({"nmol"}, 1e-9, N);
        add({"pmol"}, 1e-12, N);
        add({"fmol"}, 1e-15, N);
        add({"molecule", "molecules"}, 1 / kAvogadro, N);
        const D molar = N / V;
        add({"M"}, 1e3, molar);  // mol/L = 1e3 mol/m^3
        add({"mM"}, 1, molar);
        add({"uM", "µM"}, 1e-3, molar);
        add({"nM"}, 1e-6, molar);
        add({"pM"}, 1e-9, molar);
        // assay units (enzyme activity, sCD25 U/mL, AST IU/L)
        add({"U", "IU"}, 1, A);
        add({"kU"}, 1e3, A);
        // temperature
        add({"K"}, 1, K);
        add({"C", "degC"}, 1, K, 273.15);
        // dimensionless counts and fractions
        add({"1", "cell", "cells", "count", "dose", "doses"}, 1, D{});
        add({"%", "percent"}, 1e-2, D{});
        add({"m2"}, 1, dim_of(D::kLength, 2));  // common spelling in dosing tables
        return t;
    }();
    return table;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return s;
}

}  // namespace

Dimension Dimension::operator*(const Dimension& o) const {
    Dimension r;
    for (int i = 0; i < kCount; ++i) r.exp[i] = exp[i] + o.exp[i];
    return r;
}
Dimension Dimension::operator/(const Dimension& o) const {
    Dimension r;
    for (int i = 0; i < kCount; ++i) r.exp[i] = exp[i] - o.exp[i];
    return r;
}
Dimension Dimension::pow(int p) const {
    Dimension r;
    for (int i = 0; i < kCount; ++i) r.exp[i] = exp[i] * p;
    return r;
}

std::string Dimension::describe() const {
    static const char* names[kCount] = {"length", "time",     "mass",
                                        "amount", "activity", "temperature"};
    std::string num, den;
    for (int i = 0; i < kCount; ++i) {
        if (exp[i] == 0) continue;
        std::string& side = exp[i] > 0 ? num : den;
        const int e = std::abs(exp[i]);
        if (!side.empty()) side += '*';
        side += names[i];
        if (e != 1) side += fmt::format("^{}", e);
    }
    if (num.empty() && den.empty()) return "dimensionless";
    if (den.empty()) return num;
    return fmt::format("{}/{}", num.empty() ? std::string("1") : num, den);
}

Unit parse_unit(std::string_view text) {
    const std::string_view whole = trim(text);
    Unit result;
    if (whole.empty()) return result;
    // A leading '/' reads as "1/": "2e-3/min" is 2e-3 per minute.
    bool divide = whole.front() == '/';
    std::size_t i = divide ? 1 : 0;
    int terms = 0;
    while (i < whole.size()) {
        while (i < whole.size() && whole[i] == ' ') ++i;
        // symbol: letters, µ (UTF-8), %, or the digit 1 as a numerator
        std::size_t start = i;
        while (i < whole.size() && whole[i] != '/' && whole[i] != '*' && whole[i] != '^' &&
               whole[i] != ' ' && !(whole[i] == '.' && i > start))
            ++i;
        const std::string_view sym = whole.substr(start, i - start);
        if (sym.empty()) throw UnitError(fmt::format("malformed unit '{}'", whole));
        const auto it = symbols().find(sym);
        if (it == symbols().end())
            throw UnitError(fmt::format("unknown unit '{}' in '{}'", sym, whole));
        int power = 1;
        if (i < whole.size() && whole[i] == '^') {
            ++i;
            const char* b = whole.data() + i;
            const char* e = whole.data() + whole.size();
            auto [p, ec] = std::from_chars(b, e, power);
            if (ec != std::errc{} || p == b)
                throw UnitError(fmt::format("malformed power in unit '{}'", whole));
            i += static_cast<std::size_t>(p - b);
        }
        const Unit& u = it->second;
        if (u.offset != 0 && (whole != sym))
            throw UnitError(
                fmt::format("'{}' (an offset scale) cannot be combined in '{}'", sym, whole));
        const int signed_power = divide ? -power : power;
        result.factor *= std::pow(u.factor, signed_power);
        result.dim = result.dim * u.dim.pow(signed_power);
        result.offset = u.offset;
        ++terms;
        while (i < whole.size() && whole[i] == ' ') ++i;
        if (i == whole.size()) break;
        const char op = whole[i];
        if (op == '/') {
            divide = true;
            ++i;
        } else if (op == '*' || op == '.') {
            divide = false;
            ++i;
        } else {
            divide = false;  // juxtaposition, "mg m^-2"
        }
    }
    if (divide && terms == 0) throw UnitError(fmt::format("malformed unit '{}'", whole));
    return result;
}

double Quantity::in(const Unit& unit) const {
    if (!(unit.dim == dim_))
        throw UnitError(fmt::format("expected a quantity of dimension {}, got {}",
                                    unit.dim.describe(), dim_.describe()));
    return (si_ - unit.offset) / unit.factor;
}

double Quantity::in(std::string_view unit) const {
    const Unit u = parse_unit(unit);
    if (!(u.dim == dim_))
        throw UnitError(fmt::format("expected a quantity in {} ({}), got {}", unit,
                                    u.dim.describe(), dim_.describe()));
    return in(u);
}

Quantity parse_quantity(std::string_view text) {
    const std::string_view s = trim(text);
    double value = 0;
    const char* b = s.data();
    const char* e = s.data() + s.size();
    auto [p, ec] = std::from_chars(b, e, value);
    if (ec != std::errc{} || p == b)
        throw UnitError(fmt::format("expected '<number> <unit>', got '{}'", s));
    if (!std::isfinite(value)) throw UnitError(fmt::format("'{}' is not a finite number", s));
    const Unit u = parse_unit(std::string_view(p, static_cast<std::size_t>(e - p)));
    return Quantity(value * u.factor + u.offset, u.dim);
}

double parse_in(std::string_view text, std::string_view unit) {
    return parse_quantity(text).in(unit);
}

}  // namespace hlhsim
