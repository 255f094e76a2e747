#pragma once
// The results table of `hlhsim sweep`: a summary read from each run file (first day of
// chosen event kinds, last value of chosen readouts) and the rows of DIR/sweep.csv
// (docs/sweeps.md), written through a temporary file renamed into place.
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "sim/cli/sweep_plan.hpp"

namespace hlhsim::cli {

/// What the sweep reads from every finished run file.
struct SummarySpec {
    std::vector<std::string> events;    ///< /events kinds: first time of each [day]
    std::vector<std::string> readouts;  ///< /timeseries columns: last value of each
};

/// The summary of one run file; an empty optional is a cell left empty.
struct RunSummary {
    std::vector<std::optional<double>> event_days;  ///< per SummarySpec::events [day]
    std::vector<std::optional<double>> readouts;    ///< per SummarySpec::readouts, its unit
};

/// Reads the summary of the run file at `path`. A missing /events, event kind or
/// /timeseries column leaves its cell empty; a readout the file lacks also adds a line
/// to `notes` naming the columns it has. Throws IoError if the file cannot be read.
RunSummary summarize_run(const std::string& path, const SummarySpec& spec,
                         std::vector<std::string>* notes);

/// One row of the table: a combination and how its run went.
struct SweepRow {
    Combination combination;
    std::string seed;                   ///< the seed used ("" if the config's is unknown)
    std::optional<int> status;          ///< exit status (128 + signal); none: never ran
    double wall_seconds = 0;            ///< child process wall time [s]
    std::string run_file;               ///< relative to the sweep's folder
    std::optional<RunSummary> summary;  ///< none: run failed or not read
};

/// The header and rows as CSV text (RFC 4180 quoting), columns: index, the varied keys,
/// seed, status, wall_s, run_file, <kind>_day per event kind, <name>_last per readout.
/// `with_wall` false leaves the wall_s column out (to compare tables across --jobs).
std::string sweep_csv(const std::vector<VaryAxis>& axes, const SummarySpec& spec,
                      const std::vector<SweepRow>& rows, bool with_wall = true);

/// The same table aligned for people (no run_file column).
std::string sweep_text_table(const std::vector<VaryAxis>& axes, const SummarySpec& spec,
                             const std::vector<SweepRow>& rows);

/// Writes `text` to `path` via `path`.partial renamed into place; with `keep_partial`
/// the file stays `path`.partial (an interrupted sweep). Throws IoError.
void write_text_file(const std::string& path, const std::string& text, bool keep_partial);

}  // namespace hlhsim::cli
