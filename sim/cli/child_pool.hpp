#pragma once
// Runs a list of commands as child processes, at most N at a time, each with stdin from
// /dev/null and stdout and stderr into its own log file. SIGINT or SIGTERM to this
// process stops launching, sends SIGTERM to the running children and waits for them.
// Used by `hlhsim sweep`; POSIX only (posix_spawn, sigsuspend).
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace hlhsim::cli {

/// One command to run.
struct ChildJob {
    std::vector<std::string> argv;  ///< argv[0] is an absolute path (not looked up)
    std::string log_path;           ///< stdout and stderr go here (truncated)
};

/// How one command ended.
struct ChildResult {
    /// Exit status, 128 + signal number if a signal ended it, 127 if it could not be
    /// started; none if it was never started (the pool was interrupted first).
    std::optional<int> status;
    double wall_seconds = 0;  ///< from start to exit [s]
};

/// Runs `jobs` in order, at most `parallel` (>= 1) at once; `on_finish(i)` is called in
/// this thread as job i ends, after results[i] is set. Returns false if a signal
/// interrupted the pool (SIGINT or SIGTERM): unstarted jobs keep no status. The
/// previous signal dispositions and mask are restored before returning.
bool run_children(const std::vector<ChildJob>& jobs, int parallel,
                  std::vector<ChildResult>& results,
                  const std::function<void(std::size_t)>& on_finish);

}  // namespace hlhsim::cli
