#pragma once
// `hlhsim run` and `hlhsim check`: configuration in, HDF5 run file out.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace hlhsim::cli {

struct RunOptions {
    std::string config;                  ///< path of the scenario YAML
    std::string out;                     ///< run file; default out/<config stem>.h5
    int threads = 0;                     ///< 0 = all cores
    std::optional<std::uint64_t> seed;   ///< overrides the file's seed
    std::vector<std::string> overrides;  ///< KEY.PATH=VALUE
    bool quiet = false;                  ///< no progress or summary (with check_only: no "ok" line)
    bool check_only = false;             ///< validate and stop (no output)
    bool print_schema = false;           ///< print the configuration reference and stop
    std::string command_line;            ///< for provenance
};

/// Runs a scenario. Returns the process exit code; throws InputError (exit 2) for
/// bad configuration, before any output exists.
int run_scenario(const RunOptions& options);

}  // namespace hlhsim::cli
