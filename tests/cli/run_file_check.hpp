#pragma once
// Reading back the run file hlhsim wrote (docs/output.md) with the engine's own reader,
// for the end-to-end tests: a layout check and a dataset-by-dataset comparison.
#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

namespace hlhsim::cli::test {

/// What check_run_file found in a run file.
struct RunFile {
    std::string config;                  ///< /config text (the resolved YAML)
    std::vector<double> time;            ///< /timeseries/time [min]
    std::vector<double> snapshot_times;  ///< attr time of each snapshot, in order [min]
    std::vector<std::size_t> agents;     ///< rows of each snapshot's agent table
};

/// Reads a run file and checks the layout of docs/output.md with gtest EXPECTs: root
/// attributes, /config, the time series (all as long as /timeseries/time, time
/// increasing), snapshots numbered 000000.. without gaps and with increasing times, each
/// complete (agent columns of equal length, offsets within the table, per-population
/// columns as long as the population's slice, fields shaped as /grid says).
RunFile check_run_file(const std::filesystem::path& h5);

/// True if the two run files hold the same datasets, bit for bit, /provenance aside
/// (what `h5diff --exclude-path /provenance` checks, without needing h5diff). Otherwise
/// `why` names the first dataset that differs.
bool same_datasets(const std::filesystem::path& a, const std::filesystem::path& b,
                   std::string* why);

/// The numeric dataset at `path` of a run file, as doubles (integers convert exactly).
std::vector<double> read_column(const std::filesystem::path& h5, const std::string& path);

}  // namespace hlhsim::cli::test
