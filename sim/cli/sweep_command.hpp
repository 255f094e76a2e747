#pragma once
// `hlhsim sweep`: a scenario run over the cartesian product of --vary values and
// --seeds, each combination a child `hlhsim run` process, at most --jobs at a time; the
// results table in DIR/sweep.csv (docs/sweeps.md). Every combination is validated
// in-process first, so bad input stops the whole sweep before anything is written.
#include <CLI/CLI.hpp>
#include <string>
#include <vector>

namespace hlhsim::cli {

class SweepCommand {
  public:
    /// Adds the subcommand and its options to `app` (call before parsing).
    explicit SweepCommand(CLI::App& app);
    /// True when the parsed command line chose `sweep`.
    bool selected() const;
    /// Runs the sweep; returns the exit code (0 all runs ok, 1 some failed, 130
    /// interrupted). Throws InputError (exit 2) for bad input before writing anything.
    int run() const;

  private:
    CLI::App* sub_ = nullptr;
    std::string config_;
    std::vector<std::string> vary_;
    std::string seeds_;
    std::vector<std::string> overrides_;
    int jobs_ = 0;
    int threads_per_run_ = 1;
    std::string out_dir_;
    std::vector<std::string> events_{"hlh2004_diagnostic", "remission", "relapse"};
    std::vector<std::string> readouts_;
    bool quiet_ = false;
};

}  // namespace hlhsim::cli
