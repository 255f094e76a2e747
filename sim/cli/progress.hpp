#pragma once
// A one-line progress bar with ETA for terminals; silent when stderr is not a TTY
// (pipes, CI logs), so logs stay clean.
#include <chrono>
#include <cstdio>
#include <string>

namespace hlhsim::cli {

class Progress {
  public:
    /// total: simulated minutes to run; enabled: draw at all (false for --quiet or pipes).
    Progress(double total_minutes, bool enabled);
    /// Redraws at most ~5 times a second.
    void update(double simulated_minutes);
    /// Clears the line (or prints the final summary) when done.
    void finish(double simulated_minutes);
    /// True when stderr is a terminal.
    static bool stderr_is_terminal();

  private:
    void draw(double simulated_minutes);
    using Clock = std::chrono::steady_clock;
    double total_;
    bool enabled_;
    Clock::time_point start_ = Clock::now();
    Clock::time_point last_draw_{};
};

/// "1:02:03" or "2:03" for a duration in seconds.
std::string format_duration(double seconds);
/// Simulated time for people: "45.0 min", "12.5 h", "day 12.3".
std::string format_sim_time(double minutes);

}  // namespace hlhsim::cli
