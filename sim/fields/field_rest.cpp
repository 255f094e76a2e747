#include "sim/fields/field_rest.hpp"

#include <algorithm>
#include <cstdint>
#include <cstring>

namespace hlhsim {
namespace {

// Every value is +0.0 (bitwise: -0.0 is not, as x + (-0.0) and x + 0.0 differ for x = -0.0).
// Blocks of values are OR-ed without branches, and the scan stops at the first block with a
// bit set: a busy field's rate array (most calls) is rejected after its first block rather
// than read whole.
bool all_positive_zero(std::span<const double> a) {
    constexpr std::size_t kBlock = 256;
    for (std::size_t begin = 0; begin < a.size(); begin += kBlock) {
        const std::size_t end = std::min(a.size(), begin + kBlock);
        std::uint64_t bits = 0;
        for (std::size_t i = begin; i < end; ++i) {
            std::uint64_t b;
            std::memcpy(&b, &a[i], sizeof b);
            bits |= b;
        }
        if (bits != 0) return false;
    }
    return true;
}

bool same_bits(std::span<const double> a, std::span<const double> b) {
    return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size_bytes()) == 0;
}

}  // namespace

FieldRest::FieldRest(std::size_t num_fields) : state_(num_fields) {}

bool FieldRest::before_step(std::size_t f, std::span<const double> values,
                            std::span<const std::span<const double>> rates, unsigned mask,
                            double dt) {
    State& s = state_.at(f);
    s.probing = false;
    const auto quiet = [&] {
        return std::ranges::all_of(rates, [](auto r) { return all_positive_zero(r); });
    };
    if (s.at_rest) {
        // The same input as the step that changed nothing: the same output, i.e. values.
        if (s.mask == mask && s.dt == dt && quiet() && same_bits(values, s.input)) return true;
        s.at_rest = false;
        s.wait = 0;
    }
    if (s.wait > 0) {
        --s.wait;
        return false;
    }
    s.wait = kProbeEvery - 1;
    if (!quiet()) return false;
    s.input.assign(values.begin(), values.end());
    s.mask = mask;
    s.dt = dt;
    s.probing = true;
    return false;
}

void FieldRest::after_step(std::size_t f, std::span<const double> values) {
    State& s = state_.at(f);
    if (!s.probing) return;
    s.probing = false;
    s.at_rest = same_bits(values, s.input);
}

}  // namespace hlhsim
