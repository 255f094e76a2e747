#include "viz/color_scale.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <utility>

#include "sim/core/errors.hpp"

namespace hlhsim::viz {

namespace {

// Colour bar ends: m times a power of ten, with the number of tick labels that puts
// every label on a round value (1.5 -> 0, 0.5, 1, 1.5).
constexpr std::array<std::pair<double, int>, 10> kNiceEnds = {{{1.0, 6},
                                                               {1.5, 4},
                                                               {2.0, 5},
                                                               {2.5, 6},
                                                               {3.0, 4},
                                                               {4.0, 5},
                                                               {5.0, 6},
                                                               {6.0, 4},
                                                               {8.0, 5},
                                                               {10.0, 6}}};

/// The smallest nice end >= v, and its label count.
std::pair<double, int> nice_end(double v) {
    const double p = std::pow(10.0, std::floor(std::log10(v)));
    for (const auto& [m, labels] : kNiceEnds)
        if (m * p >= v * (1 - 1e-12)) return {m * p, labels};
    return {10 * p, 6};
}

}  // namespace

FieldScale parse_scale(const std::string& text) {
    if (text == "auto") return FieldScale::kAuto;
    if (text == "linear") return FieldScale::kLinear;
    if (text == "log") return FieldScale::kLog;
    throw InputError(fmt::format("--scale '{}': expected auto, linear or log", text));
}

ValueSummary::ValueSummary(std::size_t expected_total)
    : stride_(std::max<std::size_t>(1, expected_total / 500000)),
      lo_(std::numeric_limits<double>::infinity()),
      hi_(-std::numeric_limits<double>::infinity()) {}

void ValueSummary::add(const std::vector<double>& values) {
    for (std::size_t k = 0; k < values.size(); ++k) {
        const double v = values[k];
        if (!std::isfinite(v)) continue;
        lo_ = std::min(lo_, v);
        hi_ = std::max(hi_, v);
        if (v > 0 && k % stride_ == 0) positive_.push_back(v);
    }
}

double ValueSummary::positive_quantile(double q) {
    if (positive_.empty()) return 0;
    const auto it = positive_.begin() +
                    static_cast<std::ptrdiff_t>(q * static_cast<double>(positive_.size() - 1));
    std::nth_element(positive_.begin(), it, positive_.end());
    return *it;
}

ColorScale choose_scale(ValueSummary& v, FieldScale mode) {
    ColorScale s;
    const double lo = v.empty() ? 0.0 : v.lo(), hi = v.empty() ? 0.0 : v.hi();
    s.log = mode == FieldScale::kLog;
    if (mode == FieldScale::kAuto && lo >= 0 && hi > 0 && v.positive_count() > 10)
        s.log = v.positive_quantile(0.5) < hi / 10;
    if (s.log && hi > 0 && v.positive_count() > 0) {
        s.hi = std::pow(10.0, std::ceil(std::log10(hi) - 1e-9));
        const double floor_v = std::max(v.positive_quantile(0.05), s.hi * 1e-6);
        s.lo = std::pow(10.0, std::floor(std::log10(floor_v)));
        if (s.lo >= s.hi) s.lo = s.hi / 10;
        s.labels = static_cast<int>(std::lround(std::log10(s.hi / s.lo))) + 1;
        return s;
    }
    s.log = false;
    // Concentrations start at zero; only a field with negative values gets its own floor.
    s.lo = std::min(lo, 0.0);
    if (hi > s.lo && hi > 0) {
        const auto [end, labels] = nice_end(hi);
        s.hi = end;
        s.labels = s.lo == 0 ? labels : 5;
    } else {
        s.hi = s.lo + 1.0;
    }
    const double top = std::max(std::abs(s.lo), std::abs(s.hi));
    const int e = static_cast<int>(std::floor(std::log10(top)));
    s.shift = e < -2 || e > 4 ? e : 0;
    return s;
}

std::string fit_text(const std::string& text, std::size_t max_chars) {
    std::size_t chars = 0, keep = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if ((static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) continue;  // continuation
        if (chars + 3 == max_chars) keep = i;
        if (++chars > max_chars) return text.substr(0, keep) + "...";
    }
    return text;
}

}  // namespace hlhsim::viz
