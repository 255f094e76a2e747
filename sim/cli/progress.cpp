#include "sim/cli/progress.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>

#include "sim/core/units.hpp"

namespace hlhsim::cli {

std::string format_duration(double seconds) {
    const long s = std::lround(std::max(0.0, seconds));
    if (s >= 3600) return fmt::format("{}:{:02}:{:02}", s / 3600, (s / 60) % 60, s % 60);
    return fmt::format("{}:{:02}", s / 60, s % 60);
}

std::string format_sim_time(double minutes) {
    if (minutes < 120) return fmt::format("{:.1f} min", minutes);
    if (minutes < 2 * kMinutesPerDay) return fmt::format("{:.1f} h", minutes / 60);
    return fmt::format("day {:.1f}", minutes / kMinutesPerDay);
}

Progress::Progress(double total_minutes, bool enabled) : total_(total_minutes), enabled_(enabled) {}

bool Progress::stderr_is_terminal() { return isatty(STDERR_FILENO) == 1; }

void Progress::update(double simulated_minutes) {
    if (!enabled_) return;
    const auto now = Clock::now();
    if (now - last_draw_ < std::chrono::milliseconds(200)) return;
    last_draw_ = now;
    draw(simulated_minutes);
}

void Progress::draw(double simulated_minutes) {
    const double fraction = total_ > 0 ? std::clamp(simulated_minutes / total_, 0.0, 1.0) : 1.0;
    const double elapsed = std::chrono::duration<double>(Clock::now() - start_).count();
    const int width = 30;
    const int filled = static_cast<int>(fraction * width);
    std::string bar(static_cast<std::size_t>(filled), '#');
    bar.resize(width, '-');
    std::string eta = "--:--";
    if (fraction > 0.001) eta = format_duration(elapsed * (1 - fraction) / fraction);
    std::fprintf(stderr, "\r[%s] %5.1f%%  %s of %s  elapsed %s  ETA %s   ", bar.c_str(),
                 100 * fraction, format_sim_time(simulated_minutes).c_str(),
                 format_sim_time(total_).c_str(), format_duration(elapsed).c_str(), eta.c_str());
    std::fflush(stderr);
}

void Progress::finish(double simulated_minutes) {
    if (!enabled_) return;
    draw(simulated_minutes);
    std::fputc('\n', stderr);
}

}  // namespace hlhsim::cli
