#include "viz/run_file.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "sim/core/errors.hpp"
#include "sim/core/units.hpp"
#include "sim/io/h5_read.hpp"

namespace hlhsim::viz {

namespace {

std::vector<double> attr_doubles_or(const io::InputFile& f, const std::string& obj,
                                    const std::string& name, std::vector<double> def) {
    return io::has_attribute(f, obj, name) ? io::read_attribute_doubles(f, obj, name) : def;
}

/// Column names of an appendable-table group: its "columns" attr, else its children.
std::vector<std::string> table_columns(const io::InputFile& f, const std::string& group) {
    if (io::has_attribute(f, group, "columns"))
        return io::read_attribute_strings(f, group, "columns");
    return io::list_group(f, group);
}

}  // namespace

RunFile::RunFile(const std::string& path) : path_(path), file_(io::InputFile::open(path)) {
    if (!io::exists(file_, "/domain"))
        throw InputError(fmt::format("{}: not an hlhsim run file (no /domain group)", path));
    domain_.dims = static_cast<int>(io::read_attribute_int(file_, "/domain", "dims"));
    const auto lo = attr_doubles_or(file_, "/domain", "lo", {0, 0, 0});
    const auto hi = io::read_attribute_doubles(file_, "/domain", "hi");
    for (std::size_t a = 0; a < 3; ++a) {
        domain_.lo[a] = a < lo.size() ? lo[a] : 0.0;
        domain_.hi[a] = a < hi.size() ? hi[a] : 0.0;
    }
    if (io::has_attribute(file_, "/domain", "boundary"))
        domain_.boundary = io::read_attribute_string(file_, "/domain", "boundary");

    if (io::exists(file_, "/grid") && io::has_attribute(file_, "/grid", "n")) {
        GridInfo g;
        g.dims = static_cast<int>(io::read_attribute_int(file_, "/grid", "dims"));
        const auto n = io::read_attribute_ints(file_, "/grid", "n");
        for (std::size_t a = 0; a < 3 && a < n.size(); ++a) g.n[a] = static_cast<int>(n[a]);
        g.dx = io::read_attribute_double(file_, "/grid", "dx");
        const auto o = attr_doubles_or(file_, "/grid", "origin", {0, 0, 0});
        for (std::size_t a = 0; a < 3 && a < o.size(); ++a) g.origin[a] = o[a];
        if (io::has_attribute(file_, "/grid", "fields"))
            g.fields = io::read_attribute_strings(file_, "/grid", "fields");
        grid_ = g;
    }

    if (io::exists(file_, "/snapshots")) snapshots_ = io::list_group(file_, "/snapshots");
    for (const auto& s : snapshots_)
        snapshot_times_.push_back(io::read_attribute_double(file_, "/snapshots/" + s, "time"));
    // Names are zero-padded step counters, but sort by time to be safe.
    std::vector<std::size_t> order(snapshots_.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return snapshot_times_[a] < snapshot_times_[b];
    });
    std::vector<std::string> names;
    std::vector<double> times;
    for (std::size_t i : order) {
        names.push_back(snapshots_[i]);
        times.push_back(snapshot_times_[i]);
    }
    snapshots_ = std::move(names);
    snapshot_times_ = std::move(times);

    if (io::has_attribute(file_, "/", "model"))
        model_ = io::read_attribute_string(file_, "/", "model");
    if (io::has_attribute(file_, "/", "duration_min"))
        duration_min_ = io::read_attribute_double(file_, "/", "duration_min");
    if (!(duration_min_ > 0)) {
        if (has_series("time") || io::exists(file_, "/timeseries/time")) {
            const auto t = io::read_array<double>(file_, "/timeseries/time");
            if (!t.empty()) duration_min_ = t.back();
        }
        if (!snapshot_times_.empty())
            duration_min_ = std::max(duration_min_, snapshot_times_.back());
    }
}

Snapshot RunFile::snapshot(std::size_t index) const {
    if (index >= snapshots_.size())
        throw InputError(
            fmt::format("{}: snapshot {} of {} does not exist", path_, index, snapshots_.size()));
    Snapshot s;
    s.name = snapshots_[index];
    const std::string g = "/snapshots/" + s.name;
    s.time_min = snapshot_times_[index];
    if (io::has_attribute(file_, g, "step")) s.step = io::read_attribute_int(file_, g, "step");
    const std::string a = g + "/agents";
    if (!io::exists(file_, a + "/x")) return s;
    s.x = io::read_array<double>(file_, a + "/x");
    s.y = io::read_array<double>(file_, a + "/y");
    s.z = io::exists(file_, a + "/z") ? io::read_array<double>(file_, a + "/z")
                                      : std::vector<double>(s.x.size(), 0.0);
    s.id = io::read_array<std::uint64_t>(file_, a + "/id");
    s.type = io::read_array<std::uint8_t>(file_, a + "/type");
    s.state = io::read_array<std::uint8_t>(file_, a + "/state");
    const std::size_t n = s.x.size();
    if (s.y.size() != n || s.z.size() != n || s.id.size() != n || s.type.size() != n ||
        s.state.size() != n)
        throw InputError(fmt::format("{}: {}: agent columns differ in length", path_, a));
    s.radius.assign(n, 0.0);

    const auto types = io::read_attribute_strings(file_, a, "types");
    const auto offsets = io::read_attribute_ints(file_, a, "offsets");
    for (std::size_t p = 0; p < types.size(); ++p) {
        PopulationSlice pop;
        pop.name = types[p];
        pop.first = p < offsets.size() ? static_cast<std::size_t>(offsets[p]) : n;
        const std::size_t end =
            p + 1 < offsets.size() ? static_cast<std::size_t>(offsets[p + 1]) : n;
        pop.count = end > pop.first ? end - pop.first : 0;
        const std::string sn = "state_names_" + pop.name;
        if (io::has_attribute(file_, a, sn))
            pop.state_names = io::read_attribute_strings(file_, a, sn);
        const std::string rpath = a + "/" + pop.name + "/radius";
        if (io::is_dataset(file_, rpath)) {
            const auto r = io::read_array<double>(file_, rpath);
            for (std::size_t i = 0; i < r.size() && i < pop.count; ++i)
                s.radius[pop.first + i] = r[i];
        }
        s.populations.push_back(std::move(pop));
    }
    return s;
}

std::vector<std::string> RunFile::population_columns(std::size_t index,
                                                     const std::string& population) const {
    const std::string g = "/snapshots/" + snapshots_.at(index) + "/agents/" + population;
    std::vector<std::string> out;
    if (!io::exists(file_, g)) return out;
    for (const auto& c : io::list_group(file_, g))
        if (io::is_dataset(file_, g + "/" + c)) out.push_back(c);
    return out;
}

std::vector<double> RunFile::population_column(std::size_t index, const std::string& population,
                                               const std::string& column) const {
    return io::read_array<double>(
        file_, "/snapshots/" + snapshots_.at(index) + "/agents/" + population + "/" + column);
}

std::vector<std::string> RunFile::field_names(std::size_t index) const {
    const std::string g = "/snapshots/" + snapshots_.at(index) + "/fields";
    return io::exists(file_, g) ? io::list_group(file_, g) : std::vector<std::string>{};
}

FieldData RunFile::field(std::size_t index, const std::string& name) const {
    const std::string path = "/snapshots/" + snapshots_.at(index) + "/fields/" + name;
    if (!io::is_dataset(file_, path)) {
        const auto names = field_names(index);
        throw InputError(
            fmt::format("{}: snapshot {} has no field '{}' (fields: {})", path_, snapshots_[index],
                        name, names.empty() ? "none" : fmt::format("{}", fmt::join(names, ", "))));
    }
    FieldData f;
    f.name = name;
    std::vector<std::uint64_t> dims;
    f.values = io::read_array<double>(file_, path, &dims);
    // Stored (ny, nx) or (nz, ny, nx): reverse into (x, y, z) extents.
    for (std::size_t a = 0; a < dims.size() && a < 3; ++a)
        f.n[a] = static_cast<int>(dims[dims.size() - 1 - a]);
    if (io::has_attribute(file_, path, "unit"))
        f.unit = io::read_attribute_string(file_, path, "unit");
    return f;
}

std::vector<std::string> RunFile::series_names() const {
    std::vector<std::string> out;
    if (!io::exists(file_, "/timeseries")) return out;
    for (const auto& c : table_columns(file_, "/timeseries"))
        if (c != "time") out.push_back(c);
    return out;
}

bool RunFile::has_series(const std::string& name) const {
    return io::is_dataset(file_, "/timeseries/" + name);
}

Series RunFile::series(const std::string& name) const {
    const std::string path = "/timeseries/" + name;
    if (!io::is_dataset(file_, path))
        throw InputError(fmt::format("{}: no time series '{}'", path_, name));
    Series s;
    s.name = name;
    s.values = io::read_array<double>(file_, path);
    if (io::has_attribute(file_, path, "unit"))
        s.unit = io::read_attribute_string(file_, path, "unit");
    return s;
}

std::vector<Event> RunFile::events() const {
    std::vector<Event> out;
    if (!io::is_dataset(file_, "/events/time")) return out;
    const auto t = io::read_array<double>(file_, "/events/time");
    const auto kind = io::read_strings(file_, "/events/kind");
    const auto detail = io::is_dataset(file_, "/events/detail")
                            ? io::read_strings(file_, "/events/detail")
                            : std::vector<std::string>(t.size());
    for (std::size_t i = 0; i < t.size() && i < kind.size(); ++i)
        out.push_back({t[i], kind[i], i < detail.size() ? detail[i] : std::string{}});
    return out;
}

std::optional<Table> RunFile::criteria(const std::string& name) const {
    const std::string g = "/criteria/" + name;
    if (!io::exists(file_, g) || io::is_dataset(file_, g)) return std::nullopt;
    Table t;
    for (const auto& c : table_columns(file_, g)) {
        if (!io::is_dataset(file_, g + "/" + c)) continue;
        try {
            t.values[c] = io::read_array<double>(file_, g + "/" + c);
            t.columns.push_back(c);
        } catch (const IoError&) {
            // a string column (notes): not part of the numeric table
        }
    }
    return t;
}

std::string RunFile::config_text() const {
    return io::is_dataset(file_, "/config") ? io::read_text(file_, "/config") : std::string{};
}

std::string format_sim_time(double time_min) {
    const long long total = std::llround(time_min);  // whole minutes
    constexpr auto kPerDay = static_cast<long long>(kMinutesPerDay);
    const long long day = total >= 0 ? total / kPerDay : -((-total + kPerDay - 1) / kPerDay);
    const long long rem = total - day * kPerDay;
    return fmt::format("day {}, {:02d}:{:02d}", day, rem / 60, rem % 60);
}

}  // namespace hlhsim::viz
