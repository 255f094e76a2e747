#include "sim/cli/sweep_plan.hpp"

#include <fmt/format.h>

#include <charconv>
#include <limits>
#include <set>

#include "sim/core/errors.hpp"

namespace hlhsim::cli {
namespace {

/// More runs than any machine finishes: a typo like --seeds 1-1000000000.
constexpr std::uint64_t kMaxCombinations = 1'000'000;

std::string trim(const std::string& s) {
    const auto first = s.find_first_not_of(" \t");
    if (first == std::string::npos) return {};
    const auto last = s.find_last_not_of(" \t");
    return s.substr(first, last - first + 1);
}

std::vector<std::string> split(const std::string& s, char sep) {
    std::vector<std::string> parts;
    std::size_t start = 0;
    while (true) {
        const auto pos = s.find(sep, start);
        parts.push_back(trim(s.substr(start, pos - start)));
        if (pos == std::string::npos) return parts;
        start = pos + 1;
    }
}

std::uint64_t parse_seed(const std::string& text, const std::string& whole) {
    std::uint64_t value = 0;
    const char* end = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(text.data(), end, value);
    // The config's seed is an int64: a larger one would fail in the runs.
    if (text.empty() || ec != std::errc() || ptr != end ||
        value > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
        throw InputError(fmt::format(
            "--seeds '{}': '{}' is not a seed (an integer from 0 to 2^63-1); write e.g. "
            "--seeds 1-8 or --seeds 1,4,9",
            whole, text));
    return value;
}

}  // namespace

VaryAxis parse_vary(const std::string& text) {
    const auto eq = text.find('=');
    if (eq == std::string::npos)
        throw InputError(fmt::format(
            "--vary '{}': expected KEY=V1,V2,... (e.g. --vary walkers.speed='2 um/min,4 um/min')",
            text));
    VaryAxis axis{trim(text.substr(0, eq)), {}};
    if (axis.key.empty()) throw InputError(fmt::format("--vary '{}': the key is empty", text));
    const std::string list = text.substr(eq + 1);
    const bool semicolons = list.find(';') != std::string::npos;
    axis.values = split(list, semicolons ? ';' : ',');
    // "[200 um, 200 um];" is one value with commas.
    if (semicolons && axis.values.size() > 1 && axis.values.back().empty()) axis.values.pop_back();
    for (std::size_t i = 0; i < axis.values.size(); ++i) {
        if (axis.values[i].empty())
            throw InputError(
                fmt::format("--vary '{}': value {} of {} is empty (values are separated by '{}'{})",
                            text, i + 1, axis.values.size(), semicolons ? ';' : ',',
                            semicolons ? "" : "; use ';' between values that contain commas"));
    }
    return axis;
}

std::vector<std::uint64_t> parse_seeds(const std::string& text) {
    std::vector<std::uint64_t> seeds;
    std::set<std::uint64_t> seen;
    for (const std::string& part : split(text, ',')) {
        const auto dash = part.find('-');
        std::uint64_t first = 0;
        std::uint64_t last = 0;
        if (dash == std::string::npos) {
            first = last = parse_seed(part, text);
        } else {
            first = parse_seed(trim(part.substr(0, dash)), text);
            last = parse_seed(trim(part.substr(dash + 1)), text);
            if (last < first)
                throw InputError(fmt::format("--seeds '{}': range {} runs backwards", text, part));
        }
        if (last - first >= kMaxCombinations)
            throw InputError(
                fmt::format("--seeds '{}': more than {} seeds", text, kMaxCombinations));
        for (std::uint64_t s = first;; ++s) {
            if (!seen.insert(s).second)
                throw InputError(fmt::format("--seeds '{}': seed {} is given twice", text, s));
            seeds.push_back(s);
            if (s == last) break;
        }
    }
    return seeds;
}

std::vector<Combination> combinations(const std::vector<VaryAxis>& axes,
                                      const std::vector<std::uint64_t>& seeds) {
    std::set<std::string> keys;
    for (const auto& a : axes) {
        if (!keys.insert(a.key).second)
            throw InputError(fmt::format("--vary: the key '{}' is varied twice", a.key));
        if (a.key == "seed" && !seeds.empty())
            throw InputError("--vary seed=... and --seeds together: use --seeds only");
    }
    std::size_t n = seeds.empty() ? 1 : seeds.size();
    for (const auto& a : axes) {
        n *= a.values.size();
        if (n > kMaxCombinations)
            throw InputError(fmt::format("more than {} combinations", kMaxCombinations));
    }
    std::vector<Combination> out(n);
    for (std::size_t i = 0; i < n; ++i) {
        Combination& c = out[i];
        c.index = i;
        // Mixed-radix digits of i: the seed is the fastest digit, the first axis the slowest.
        std::size_t rest = i;
        if (!seeds.empty()) {
            c.seed = seeds[rest % seeds.size()];
            rest /= seeds.size();
        }
        c.values.resize(axes.size());
        for (std::size_t k = axes.size(); k-- > 0;) {
            c.values[k] = axes[k].values[rest % axes[k].values.size()];
            rest /= axes[k].values.size();
        }
    }
    return out;
}

std::vector<std::string> assignments(const std::vector<VaryAxis>& axes, const Combination& c) {
    std::vector<std::string> out;
    for (std::size_t k = 0; k < axes.size(); ++k) out.push_back(axes[k].key + "=" + c.values[k]);
    return out;
}

std::string describe(const std::vector<VaryAxis>& axes, const Combination& c) {
    std::string s;
    for (const auto& a : assignments(axes, c)) s += (s.empty() ? "" : ", ") + a;
    if (c.seed) s += fmt::format("{}seed {}", s.empty() ? "" : ", ", *c.seed);
    return s.empty() ? "the config as given" : s;
}

}  // namespace hlhsim::cli
