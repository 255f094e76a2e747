#include "viz/report.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <vector>

#include "sim/core/errors.hpp"
#include "sim/core/units.hpp"
#include "viz/dashboard.hpp"
#include "viz/frame_renderer.hpp"
#include "viz/run_file.hpp"
#include "viz/story.hpp"

namespace hlhsim::viz {

namespace fs = std::filesystem;

std::string base64_encode(std::span<const std::uint8_t> bytes) {
    static constexpr char kAlphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    out.reserve((bytes.size() + 2) / 3 * 4);
    for (std::size_t i = 0; i < bytes.size(); i += 3) {
        const std::uint32_t b0 = bytes[i];
        const std::uint32_t b1 = i + 1 < bytes.size() ? bytes[i + 1] : 0;
        const std::uint32_t b2 = i + 2 < bytes.size() ? bytes[i + 2] : 0;
        const std::uint32_t v = (b0 << 16) | (b1 << 8) | b2;
        out += kAlphabet[(v >> 18) & 63];
        out += kAlphabet[(v >> 12) & 63];
        out += i + 1 < bytes.size() ? kAlphabet[(v >> 6) & 63] : '=';
        out += i + 2 < bytes.size() ? kAlphabet[v & 63] : '=';
    }
    return out;
}

std::string html_escape(const std::string& text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += "&quot;";
                break;
            default:
                out += c;
        }
    }
    return out;
}

namespace {

std::string img_tag(const RgbImage& image, const std::string& alt) {
    const auto png = encode_png(image);
    return fmt::format(
        "<img src=\"data:image/png;base64,{}\" width=\"{}\" height=\"{}\" alt=\"{}\">",
        base64_encode(png), image.width, image.height, html_escape(alt));
}

std::string cell_text(const std::string& column, double v) {
    if (column == "day" || column == "count" || column == "total") return fmt::format("{:g}", v);
    if (v == 0) return "<span class=\"no\">&ndash;</span>";
    if (v == 1) return "<span class=\"yes\">&#10003;</span>";
    return fmt::format("{:g}", v);
}

std::string criteria_html(const RunFile& run) {
    const auto t = run.criteria("hlh2004");
    if (!t || t->rows() == 0) return "<p class=\"note\">This run has no HLH-2004 table.</p>";
    const auto hscore = run.criteria("hscore");
    std::map<double, double> hs;
    if (hscore && hscore->values.count("day") && hscore->values.count("total"))
        for (std::size_t r = 0; r < hscore->rows(); ++r)
            hs[hscore->values.at("day")[r]] = hscore->values.at("total")[r];
    std::string h = "<table class=\"criteria\"><thead><tr>";
    for (const auto& c : t->columns) h += "<th>" + html_escape(c) + "</th>";
    if (!hs.empty()) h += "<th>HScore</th>";
    h += "</tr></thead><tbody>\n";
    for (std::size_t r : changed_rows(*t, "count")) {
        const bool diag = t->values.count("count") && t->values.at("count")[r] >= 5;
        h += diag ? "<tr class=\"diag\">" : "<tr>";
        for (const auto& c : t->columns) h += "<td>" + cell_text(c, t->values.at(c)[r]) + "</td>";
        if (!hs.empty()) {
            const double day = t->values.count("day") ? t->values.at("day")[r] : -1;
            h += hs.count(day) ? fmt::format("<td>{:g}</td>", hs[day]) : "<td></td>";
        }
        h += "</tr>\n";
    }
    h += "</tbody></table>\n<p class=\"note\">Only the first and last day and the days where the "
         "count changes are listed. Highlighted: 5 or more of 8 criteria (diagnostic).</p>\n";
    return h;
}

std::string events_html(const RunFile& run) {
    const auto events = run.events();
    if (events.empty()) return "<p class=\"note\">No events recorded.</p>";
    std::string h =
        "<table class=\"events\"><thead><tr><th>day</th><th>event</th><th>detail</th>"
        "</tr></thead><tbody>\n";
    std::map<std::string, std::pair<int, std::pair<double, double>>> doses;
    std::size_t shown = 0;
    for (const auto& e : events) {
        if (e.kind == "dose") {
            auto& d = doses[dose_drug(e)];
            if (d.first++ == 0) d.second.first = e.time_min;
            d.second.second = e.time_min;
            continue;
        }
        if (++shown > 200) continue;
        h += fmt::format("<tr><td>{:.2f}</td><td>{}</td><td>{}</td></tr>\n",
                         e.time_min / kMinutesPerDay, html_escape(e.kind), html_escape(e.detail));
    }
    h += "</tbody></table>\n";
    if (shown > 200)
        h += fmt::format("<p class=\"note\">{} more events not listed.</p>", shown - 200);
    if (!doses.empty()) {
        h += "<p>Doses: ";
        bool first = true;
        for (const auto& [drug, d] : doses) {
            h += fmt::format("{}<b>{}</b> &times;{} (day {:.1f} to {:.1f})", first ? "" : "; ",
                             html_escape(drug), d.first, d.second.first / kMinutesPerDay,
                             d.second.second / kMinutesPerDay);
            first = false;
        }
        h += ".</p>\n";
    }
    return h;
}

struct RunSections {
    std::string name, summary, dashboard, frames, criteria, events, config;
};

RunSections build_sections(const std::string& path, const ReportOptions& opt) {
    const RunFile run(path);
    RunSections s;
    s.name = fs::path(path).filename().string();
    s.summary = fmt::format(
        "<table class=\"summary\"><tr><th>model</th><td>{}</td></tr>"
        "<tr><th>simulated</th><td>{:.4g} days</td></tr><tr><th>snapshots</th><td>{}</td></tr>"
        "<tr><th>events</th><td>{}</td></tr></table>\n",
        html_escape(run.model().empty() ? "?" : run.model()), run.duration_min() / kMinutesPerDay,
        run.snapshot_names().size(), run.events().size());
    const Dashboard dash = render_dashboard(run);
    s.dashboard = img_tag(dash.image, "clinical course of " + s.name);

    auto moments = key_moments(run);
    if (moments.size() > opt.max_key_frames) moments.resize(opt.max_key_frames);
    if (moments.empty()) {
        s.frames = "<p class=\"note\">The run has no snapshots.</p>";
    } else {
        std::vector<std::size_t> snaps;
        for (const auto& m : moments) snaps.push_back(m.snapshot);
        FrameRenderer renderer(run, {opt.field, opt.frame_width, opt.frame_height}, snaps);
        s.frames = "<div class=\"frames\">\n";
        for (const auto& m : moments) {
            const double shown = run.snapshot_times()[m.snapshot];
            const std::string nearest = shown == m.time_min
                                            ? std::string{}
                                            : " <span class=\"note\">(picture: nearest snapshot, " +
                                                  html_escape(format_sim_time(shown)) + ")</span>";
            s.frames += fmt::format(
                "<figure>{}<figcaption><b>{}</b> &mdash; {}{}{}</figcaption></figure>\n",
                img_tag(renderer.render(m.snapshot), m.label), html_escape(m.label),
                html_escape(format_sim_time(m.time_min)),
                m.detail.empty() ? "" : " &mdash; " + html_escape(m.detail), nearest);
        }
        s.frames += "</div>\n";
    }
    s.criteria = criteria_html(run);
    s.events = events_html(run);
    const std::string cfg = run.config_text();
    s.config = cfg.empty() ? "<p class=\"note\">No configuration stored.</p>"
                           : "<pre>" + html_escape(cfg) + "</pre>";
    return s;
}

constexpr const char* kStyle = R"(
body{font-family:"Helvetica Neue",Arial,sans-serif;color:#222;margin:24px auto;max-width:1900px;padding:0 16px;line-height:1.45}
h1{font-size:28px;margin:0 0 4px}h2{font-size:22px;border-bottom:2px solid #ddd;padding-bottom:4px;margin-top:32px}
h3{font-size:17px;margin:8px 0}.lead{color:#555}.note{color:#666;font-size:13px}
.row{display:grid;gap:24px;grid-template-columns:repeat(var(--cols),minmax(0,1fr))}
img{max-width:100%;height:auto;border:1px solid #e3e3e3}
.frames{display:grid;gap:12px;grid-template-columns:repeat(auto-fill,minmax(min(100%,420px),1fr))}
figure{margin:0}figcaption{font-size:14px;color:#444;margin-top:2px}
table{border-collapse:collapse;font-size:13px}th,td{border:1px solid #ddd;padding:3px 7px;text-align:center}
th{background:#f4f4f6}tr.diag td{background:#fde8e8}.yes{color:#b2182b;font-weight:bold}.no{color:#aaa}
.summary th{text-align:left}pre{background:#f7f7f9;border:1px solid #e3e3e3;padding:10px;font-size:12px;overflow:auto;max-height:520px}
)";

}  // namespace

std::uintmax_t write_report(const std::string& run_path, const std::string& html_path,
                            const ReportOptions& options) {
    std::vector<RunSections> runs;
    runs.push_back(build_sections(run_path, options));
    if (!options.compare.empty()) runs.push_back(build_sections(options.compare, options));
    const std::size_t cols = runs.size();

    std::string title = runs.size() == 1 ? runs[0].name : runs[0].name + " vs " + runs[1].name;
    std::string h = fmt::format(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        "<title>hlhsim report: {}</title>\n<style>{}</style>\n</head>\n<body style=\"--cols:{}\">\n"
        "<h1>hlhsim run report</h1>\n<p class=\"lead\">{}. Hemophagocytic lymphohistiocytosis "
        "(HLH) is diagnosed when 5 of the 8 HLH-2004 criteria are met: fever, splenomegaly, "
        "cytopenias, high triglycerides or low fibrinogen, hemophagocytosis, low NK activity, "
        "ferritin &ge; 500 ng/mL and sCD25 &ge; 2400 U/mL. The red lines in the charts mark "
        "those thresholds.</p>\n",
        html_escape(title), kStyle, cols, html_escape(title));
    auto section = [&](const std::string& heading, auto member) {
        h += "<h2>" + heading + "</h2>\n<div class=\"row\">\n";
        for (const auto& r : runs)
            h += "<div>" + (cols > 1 ? "<h3>" + html_escape(r.name) + "</h3>\n" : std::string{}) +
                 r.*member + "</div>\n";
        h += "</div>\n";
    };
    section("Summary", &RunSections::summary);
    section("Clinical course", &RunSections::dashboard);
    section("Key moments", &RunSections::frames);
    section("HLH-2004 criteria by day", &RunSections::criteria);
    section("Events", &RunSections::events);
    section("Configuration", &RunSections::config);
    h += "<p class=\"note\">Made by hlhsim " HLHSIM_VERSION
         " from the run file(s) alone; self-contained (images embedded).</p>\n</body>\n</html>\n";

    if (const auto parent = fs::path(html_path).parent_path(); !parent.empty())
        fs::create_directories(parent);
    std::ofstream f(html_path, std::ios::binary);
    f << h;
    f.close();
    if (!f) throw IoError("cannot write report '" + html_path + "'");
    return fs::file_size(html_path);
}

}  // namespace hlhsim::viz
