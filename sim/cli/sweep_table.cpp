#include "sim/cli/sweep_table.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>

#include "sim/config/suggest.hpp"
#include "sim/core/errors.hpp"
#include "sim/core/units.hpp"
#include "sim/io/h5_read.hpp"
#include "sim/io/input_file.hpp"

namespace hlhsim::cli {
namespace {

std::string csv_field(const std::string& s) {
    if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
    std::string q = "\"";
    for (char c : s) q += c == '"' ? std::string("\"\"") : std::string(1, c);
    return q + "\"";
}

/// Shortest text that reads back as the same double: the table is as deterministic as
/// the run files.
std::string number(const std::optional<double>& v) { return v ? fmt::format("{}", *v) : ""; }

std::vector<std::string> header(const std::vector<VaryAxis>& axes, const SummarySpec& spec,
                                bool with_wall, bool with_file) {
    std::vector<std::string> h{"index"};
    for (const auto& a : axes) h.push_back(a.key);
    h.insert(h.end(), {"seed", "status"});
    if (with_wall) h.push_back("wall_s");
    if (with_file) h.push_back("run_file");
    for (const auto& k : spec.events) h.push_back(k + "_day");
    for (const auto& r : spec.readouts) h.push_back(r + "_last");
    return h;
}

std::vector<std::string> cells(const SweepRow& row, const SummarySpec& spec, bool with_wall,
                               bool with_file) {
    std::vector<std::string> c{std::to_string(row.combination.index)};
    c.insert(c.end(), row.combination.values.begin(), row.combination.values.end());
    c.push_back(row.seed);
    c.push_back(row.status ? std::to_string(*row.status) : "");
    if (with_wall) c.push_back(row.status ? fmt::format("{:.3f}", row.wall_seconds) : "");
    if (with_file) c.push_back(row.run_file);
    const std::size_t n = spec.events.size() + spec.readouts.size();
    if (!row.summary) {
        c.insert(c.end(), n, "");
        return c;
    }
    for (const auto& d : row.summary->event_days) c.push_back(number(d));
    for (const auto& r : row.summary->readouts) c.push_back(number(r));
    return c;
}

}  // namespace

RunSummary summarize_run(const std::string& path, const SummarySpec& spec,
                         std::vector<std::string>* notes) {
    const io::InputFile file = io::InputFile::open(path);
    RunSummary s;
    s.event_days.resize(spec.events.size());
    if (!spec.events.empty() && io::is_dataset(file, "/events/time") &&
        io::is_dataset(file, "/events/kind")) {
        const auto times = io::read_array<double>(file, "/events/time");
        const auto kinds = io::read_strings(file, "/events/kind");
        const std::size_t n = std::min(times.size(), kinds.size());
        for (std::size_t k = 0; k < spec.events.size(); ++k) {
            for (std::size_t i = 0; i < n; ++i) {
                if (kinds[i] == spec.events[k]) {
                    s.event_days[k] = times[i] / kMinutesPerDay;
                    break;
                }
            }
        }
    }
    s.readouts.resize(spec.readouts.size());
    for (std::size_t k = 0; k < spec.readouts.size(); ++k) {
        const std::string column = "/timeseries/" + spec.readouts[k];
        if (io::is_dataset(file, column)) {
            const auto values = io::read_array<double>(file, column);
            if (!values.empty()) s.readouts[k] = values.back();
        } else if (notes) {
            const auto have = io::exists(file, "/timeseries") ? io::list_group(file, "/timeseries")
                                                              : std::vector<std::string>{};
            notes->push_back(
                fmt::format("{} has no readout '{}'{}; it has: {}", path, spec.readouts[k],
                            config::did_you_mean(spec.readouts[k], have), fmt::join(have, ", ")));
        }
    }
    return s;
}

std::string sweep_csv(const std::vector<VaryAxis>& axes, const SummarySpec& spec,
                      const std::vector<SweepRow>& rows, bool with_wall) {
    auto line = [](const std::vector<std::string>& fields) {
        std::string s;
        for (std::size_t i = 0; i < fields.size(); ++i) s += (i ? "," : "") + csv_field(fields[i]);
        return s + "\n";
    };
    std::string text = line(header(axes, spec, with_wall, true));
    for (const auto& row : rows) text += line(cells(row, spec, with_wall, true));
    return text;
}

std::string sweep_text_table(const std::vector<VaryAxis>& axes, const SummarySpec& spec,
                             const std::vector<SweepRow>& rows) {
    std::vector<std::vector<std::string>> table{header(axes, spec, true, false)};
    for (const auto& row : rows) table.push_back(cells(row, spec, true, false));
    std::vector<std::size_t> width(table.front().size(), 0);
    for (const auto& r : table)
        for (std::size_t i = 0; i < r.size(); ++i) width[i] = std::max(width[i], r[i].size());
    std::string text;
    for (const auto& r : table) {
        std::string line;
        for (std::size_t i = 0; i < r.size(); ++i)
            line += fmt::format("{:<{}}", r[i], i + 1 < r.size() ? width[i] + 2 : 0);
        text += line + "\n";
    }
    return text;
}

void write_text_file(const std::string& path, const std::string& text, bool keep_partial) {
    const std::string partial = path + ".partial";
    {
        std::ofstream f(partial, std::ios::binary | std::ios::trunc);
        f << text;
        f.flush();
        if (!f) throw IoError(fmt::format("cannot write {}: {}", partial, std::strerror(errno)));
    }
    if (!keep_partial && std::rename(partial.c_str(), path.c_str()) != 0)
        throw IoError(
            fmt::format("cannot rename {} to {}: {}", partial, path, std::strerror(errno)));
}

}  // namespace hlhsim::cli
