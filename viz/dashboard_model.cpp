#include "viz/dashboard_model.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <filesystem>
#include <limits>
#include <string_view>
#include <utility>

#include "sim/core/units.hpp"

namespace hlhsim::viz {

namespace {

struct Spec {
    const char* key;
    const char* name;
    const char* unit;
    double threshold;  ///< NaN: none
    const char* label;
    bool log;
};

// HLH-2004 diagnostic cut-offs (Henter et al., Pediatr Blood Cancer 2007).
const std::array<Spec, 8> kClinical = {{
    {"temperature", "Temperature", "C", 38.5, "fever \u2265 38.5", false},
    {"hemoglobin", "Hemoglobin", "g/L", 90, "< 90", false},
    {"platelets", "Platelets", "10^9/L", 100, "< 100", false},
    {"neutrophils", "Neutrophils", "10^9/L", 1.0, "< 1.0", false},
    {"ferritin", "Ferritin", "ng/mL", 500, "\u2265 500", true},
    {"triglycerides", "Triglycerides", "mmol/L", 3.0, "\u2265 3.0", false},
    {"fibrinogen", "Fibrinogen", "g/L", 1.5, "\u2264 1.5", false},
    {"scd25", "sCD25", "U/mL", 2400, "\u2265 2400", true},
}};

constexpr std::array<Rgb, 8> kCurveColors = {{{31, 88, 160},
                                              {242, 142, 43},
                                              {89, 161, 79},
                                              {176, 122, 161},
                                              {225, 87, 89},
                                              {118, 183, 178},
                                              {156, 117, 95},
                                              {237, 201, 72}}};

std::string norm_unit(std::string u) {
    std::string out;
    for (std::size_t i = 0; i < u.size(); ++i) {
        if (u[i] == ' ') continue;
        if (u.compare(i, 2, "\u00b0") == 0) {  // degree sign
            ++i;
            continue;
        }
        out += static_cast<char>(std::tolower(static_cast<unsigned char>(u[i])));
    }
    if (out == "degc" || out == "celsius") out = "c";
    return out;
}

std::vector<double> days(const std::vector<double>& minutes) {
    std::vector<double> d(minutes.size());
    for (std::size_t i = 0; i < d.size(); ++i) d[i] = minutes[i] / kMinutesPerDay;
    return d;
}

std::string with_unit(const std::string& name, const std::string& unit) {
    // Parentheses: VTK's default font draws square brackets like them anyway.
    return unit.empty() || unit == "1" ? name : fmt::format("{} ({})", name, unit);
}

void finish_range(Panel& p) {
    std::vector<double> all;
    for (const auto& c : p.curves) all.insert(all.end(), c.y.begin(), c.y.end());
    const auto [lo, hi] = axis_range(all, p.threshold, p.log_y);
    p.y_min = lo;
    p.y_max = hi;
}

}  // namespace

std::pair<double, double> axis_range(const std::vector<double>& values,
                                     std::optional<double> threshold, bool log) {
    double lo = std::numeric_limits<double>::infinity(), hi = -lo;
    bool nonneg = true;
    auto take = [&](double v) {
        if (!std::isfinite(v) || (log && v <= 0)) return;
        lo = std::min(lo, v);
        hi = std::max(hi, v);
        nonneg = nonneg && v >= 0;
    };
    for (double v : values) take(v);
    if (threshold) take(*threshold);
    if (!(lo <= hi)) return log ? std::pair{1.0, 10.0} : std::pair{0.0, 1.0};
    if (log) return {lo / 1.6, hi * 1.6};
    const double pad = hi > lo ? 0.08 * (hi - lo) : std::max(0.5, 0.1 * std::abs(hi));
    double a = lo - pad;
    if (nonneg && a < 0) a = 0;
    return {a, hi + pad};
}

/// Cell-count series of the patch panel and their legend labels.
constexpr std::array<std::pair<std::string_view, std::string_view>, 5> kPatchCells{{
    {"cells_trigger", "trigger"},
    {"trigger_reservoir", "hidden reservoir"},
    {"cells_cd8_effector", "CD8 effectors"},
    {"cells_macrophage_activated", "activated macrophages"},
    {"cells_macrophage_hemophagocytic", "hemophagocytes"},
}};

DashboardModel build_dashboard(const RunFile& run) {
    DashboardModel m;
    m.title = fmt::format("Clinical course \u2014 {}",
                          std::filesystem::path(run.path()).filename().string());
    m.t_max_day = std::max(run.duration_min() / kMinutesPerDay, 1e-6);
    const bool has_time = run.has_series("time");
    const std::vector<double> t =
        has_time ? days(run.series("time").values) : std::vector<double>{};
    bool any_documented = false;

    for (const Spec& s : kClinical) {
        if (!has_time || !run.has_series(s.key)) {
            m.missing.push_back(s.name);
            continue;
        }
        any_documented = true;
        const Series v = run.series(s.key);
        Panel p;
        p.key = s.key;
        p.title = with_unit(s.name, v.unit.empty() ? s.unit : v.unit);
        p.log_y = s.log;
        if (v.unit.empty() || norm_unit(v.unit) == norm_unit(s.unit)) {
            p.threshold = s.threshold;
            p.threshold_label = s.label;
        } else {
            m.notes.push_back(
                fmt::format("{}: unit {} (not {}), threshold not drawn", s.name, v.unit, s.unit));
        }
        p.curves.push_back({s.name, t, v.values, kSeriesColor});
        finish_range(p);
        m.panels.push_back(std::move(p));
    }

    Panel cyto;
    cyto.key = "plasma_cytokines";
    cyto.title = "Plasma cytokines (pg/mL)";
    cyto.log_y = true;
    for (const auto& name : run.series_names()) {
        if (!has_time || name.rfind("plasma_", 0) != 0) continue;
        const Series v = run.series(name);
        cyto.curves.push_back(
            {name.substr(7), t, v.values, kCurveColors[cyto.curves.size() % kCurveColors.size()]});
    }
    if (cyto.curves.empty()) {
        m.missing.push_back("plasma cytokines");
    } else {
        any_documented = true;
        finish_range(cyto);
        m.panels.push_back(std::move(cyto));
    }

    // The agents behind the labs: the trigger (visible, and its hidden reservoir when the
    // source is finite), the killers and the activated macrophages. Model-specific: a run
    // without these series simply has no such panel.
    Panel cells;
    cells.key = "patch_cells";
    cells.title = "Cells in the patch";
    for (const auto& [key, label] : kPatchCells) {
        if (!has_time || !run.has_series(std::string(key))) continue;
        cells.curves.push_back({std::string(label), t, run.series(std::string(key)).values,
                                kCurveColors[cells.curves.size() % kCurveColors.size()]});
    }
    if (!cells.curves.empty()) {
        finish_range(cells);
        cells.y_min = 0;
        m.panels.push_back(std::move(cells));
    }

    const auto events = run.events();
    Panel drugs;
    drugs.key = "drug_schedule";
    drugs.title = "Drug schedule (doses)";
    drugs.kind = PanelKind::kSchedule;
    drugs.rows = drug_names(events);
    drugs.bars = dose_bars(events, 0.004 * m.t_max_day);
    drugs.y_min = -0.7;
    drugs.y_max = static_cast<double>(drugs.rows.size()) - 0.3;
    if (drugs.rows.empty())
        m.missing.push_back("drug schedule (no doses)");
    else
        m.panels.push_back(std::move(drugs));

    if (const auto c = run.criteria("hlh2004");
        c && c->values.count("day") && c->values.count("count")) {
        Panel p;
        p.key = "hlh2004";
        p.title = "HLH-2004 criteria met (of 8)";
        p.kind = PanelKind::kBars;
        p.threshold = 5;
        p.threshold_label = "\u2265 5: diagnostic";
        p.curves.push_back(
            {"criteria", c->values.at("day"), c->values.at("count"), {150, 170, 200}});
        p.y_min = 0;
        p.y_max = 8.5;
        m.panels.push_back(std::move(p));
    } else {
        m.missing.push_back("HLH-2004 criteria");
    }
    if (const auto c = run.criteria("hscore");
        c && c->values.count("day") && c->values.count("total")) {
        Panel p;
        p.key = "hscore";
        p.title = "HScore";
        p.threshold = 169;
        p.threshold_label = "169: HLH likely";
        p.curves.push_back({"HScore", c->values.at("day"), c->values.at("total"), kSeriesColor});
        finish_range(p);
        p.y_min = 0;
        m.panels.push_back(std::move(p));
    } else {
        m.missing.push_back("HScore");
    }

    if (!any_documented && has_time) {
        // Another model: show its own series so the dashboard is still useful.
        std::size_t shown = 0;
        for (const auto& name : run.series_names()) {
            if (shown == 9) {
                m.notes.push_back("more series in the file than panels (9 shown)");
                break;
            }
            const Series v = run.series(name);
            Panel p;
            p.key = name;
            p.title = with_unit(name, v.unit);
            p.curves.push_back({name, t, v.values, kSeriesColor});
            finish_range(p);
            m.panels.push_back(std::move(p));
            ++shown;
        }
    }
    return m;
}

}  // namespace hlhsim::viz
