#pragma once
// The plan of `hlhsim sweep`: the --vary axes and --seeds parsed from the command line,
// and their cartesian product as numbered combinations. Pure functions, no I/O; bad
// input throws InputError (exit 2).
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace hlhsim::cli {

/// One --vary option: a config key and the values it takes, in the order given.
struct VaryAxis {
    std::string key;                  ///< KEY.PATH as for --set
    std::vector<std::string> values;  ///< YAML values as for --set, e.g. "0.005 1/min"
};

/// One run of a sweep: a value of every axis and a seed.
struct Combination {
    std::size_t index = 0;              ///< 0-based position in combination order
    std::vector<std::string> values;    ///< one per axis, in axis order
    std::optional<std::uint64_t> seed;  ///< --seeds value; none: the config's seed
};

/// Parses "KEY=V1,V2,...". Values are separated by ';' when the list holds a ';'
/// (write "[200 um, 200 um];[300 um, 300 um]" for values with commas; a single such
/// value takes a trailing ';'), otherwise by ','. Spaces around values are dropped.
/// Throws InputError for a missing '=', an empty key, or an empty value.
VaryAxis parse_vary(const std::string& text);

/// Parses "1-8", "1,4,9" or a mix ("1-3,7"): seeds in the order written. Throws
/// InputError for anything but integers in [0, 2^63) and ascending ranges, for a seed
/// given twice, and for more than a million seeds.
std::vector<std::uint64_t> parse_seeds(const std::string& text);

/// The cartesian product of the axes' values and the seeds: the first axis varies
/// slowest, the seed fastest. No seeds: one combination per value tuple, seed unset.
/// No axes: one combination per seed (or a single one). Throws InputError when two axes
/// name the same key, for --vary seed with seeds, and beyond a million combinations.
std::vector<Combination> combinations(const std::vector<VaryAxis>& axes,
                                      const std::vector<std::uint64_t>& seeds);

/// The --set assignments of a combination ("KEY=VALUE", one per axis).
std::vector<std::string> assignments(const std::vector<VaryAxis>& axes, const Combination& c);

/// "walkers.speed=4 um/min, seed 3" for messages.
std::string describe(const std::vector<VaryAxis>& axes, const Combination& c);

}  // namespace hlhsim::cli
