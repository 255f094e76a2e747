#include "viz/story.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

namespace hlhsim::viz {

std::string dose_drug(const Event& dose) {
    const auto end = dose.detail.find(' ');
    return end == std::string::npos ? dose.detail : dose.detail.substr(0, end);
}

std::string active_treatments(const std::vector<Event>& events, double t_min, double window_min) {
    std::vector<std::string> order;
    std::map<std::string, int> count;
    for (const auto& e : events) {
        if (e.kind != "dose" || e.time_min > t_min || e.time_min <= t_min - window_min) continue;
        if (count[e.detail]++ == 0) order.push_back(e.detail);
    }
    std::string out;
    for (const auto& d : order) {
        if (!out.empty()) out += ", ";
        out += count[d] > 1 ? fmt::format("{} x{}", d, count[d]) : d;
    }
    return out;
}

std::vector<std::string> drug_names(const std::vector<Event>& events) {
    std::vector<std::string> names;
    for (const auto& e : events)
        if (e.kind == "dose") {
            const std::string d = dose_drug(e);
            if (std::find(names.begin(), names.end(), d) == names.end()) names.push_back(d);
        }
    return names;
}

std::vector<DoseBar> dose_bars(const std::vector<Event>& events, double min_width_day) {
    const auto names = drug_names(events);
    std::vector<std::vector<double>> times(names.size());
    for (const auto& e : events)
        if (e.kind == "dose") {
            const auto i = static_cast<std::size_t>(
                std::find(names.begin(), names.end(), dose_drug(e)) - names.begin());
            times[i].push_back(e.time_min / kMinutesPerDay);
        }
    std::vector<DoseBar> bars;
    for (std::size_t d = 0; d < names.size(); ++d) {
        auto& t = times[d];
        std::sort(t.begin(), t.end());
        for (std::size_t i = 0; i < t.size(); ++i) {
            double w = 1.0;
            if (i + 1 < t.size() && t[i + 1] > t[i]) w = std::min(1.0, 0.8 * (t[i + 1] - t[i]));
            bars.push_back({d, t[i], t[i] + std::max(w, min_width_day)});
        }
    }
    return bars;
}

std::size_t nearest_snapshot(const std::vector<double>& times, double time_min) {
    std::size_t best = 0;
    double best_d = std::numeric_limits<double>::infinity();
    for (std::size_t i = 0; i < times.size(); ++i) {
        const double d = std::abs(times[i] - time_min);
        if (d < best_d) {
            best_d = d;
            best = i;
        }
    }
    return best;
}

std::vector<KeyMoment> key_moments(const RunFile& run, std::size_t fallback_count) {
    std::vector<KeyMoment> out;
    const auto& times = run.snapshot_times();
    if (times.empty()) return out;
    bool onset = false, diagnosis = false, treatment = false;
    for (const auto& e : run.events()) {
        std::string label;
        if (e.kind == "criterion_met" && !onset) {
            label = "onset";
            onset = true;
        } else if (e.kind == "hlh2004_diagnostic" && !diagnosis) {
            label = "diagnosis";
            diagnosis = true;
        } else if ((e.kind == "treatment_start" || e.kind == "dose") && !treatment) {
            label = "treatment";
            treatment = true;
        } else if (e.kind == "relapse" || e.kind == "remission") {
            label = e.kind;
        }
        if (!label.empty())
            out.push_back({label, e.time_min, nearest_snapshot(times, e.time_min), e.detail});
    }
    if (!out.empty()) {
        // Frame the story with the first and the last picture of the run.
        out.push_back({"start", times.front(), 0, ""});
        out.push_back({"end of run", times.back(), times.size() - 1, ""});
        std::stable_sort(out.begin(), out.end(), [](const KeyMoment& a, const KeyMoment& b) {
            return a.time_min < b.time_min;
        });
        return out;
    }
    if (fallback_count == 0) return out;
    const std::size_t n = std::min(fallback_count, times.size());
    for (std::size_t k = 0; k < n; ++k) {
        const std::size_t i = n == 1 ? times.size() - 1 : k * (times.size() - 1) / (n - 1);
        out.push_back({fmt::format("t = {:.4g} day", times[i] / kMinutesPerDay), times[i], i, ""});
    }
    return out;
}

std::vector<std::size_t> changed_rows(const Table& table, const std::string& column) {
    std::vector<std::size_t> rows;
    const std::size_t n = table.rows();
    const auto it = table.values.find(column);
    for (std::size_t r = 0; r < n; ++r) {
        const bool changed =
            it == table.values.end() || r == 0 || r + 1 == n || it->second[r] != it->second[r - 1];
        if (changed) rows.push_back(r);
    }
    return rows;
}

}  // namespace hlhsim::viz
