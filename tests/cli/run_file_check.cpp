#include "tests/cli/run_file_check.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <exception>

#include "sim/core/errors.hpp"
#include "sim/io/h5_read.hpp"
#include "sim/io/input_file.hpp"

namespace hlhsim::cli::test {
namespace {

using io::InputFile;

void check_snapshot(const InputFile& f, const std::string& g, int dims,
                    const std::vector<std::string>& fields,
                    const std::vector<std::uint64_t>& field_shape, RunFile& run) {
    run.snapshot_times.push_back(io::read_attribute_double(f, g, "time"));
    EXPECT_GE(io::read_attribute_int(f, g, "step"), 0) << g;

    const std::string a = g + "/agents";
    std::vector<std::string> columns{"id", "type", "state", "x", "y"};
    if (dims == 3) columns.emplace_back("z");
    const std::size_t rows = io::shape(f, a + "/id").at(0);
    for (const auto& c : columns) {
        const auto s = io::shape(f, a + "/" + c);
        EXPECT_EQ(s, std::vector<std::uint64_t>{rows}) << a << "/" << c;
    }
    if (dims == 2) {
        EXPECT_FALSE(io::exists(f, a + "/z")) << a << ": z column in a 2-D run";
    }
    run.agents.push_back(rows);

    // Per-population slices: offsets start at 0, rise, stay within the table, and
    // every extra column of a population is as long as its slice.
    const auto types = io::read_attribute_strings(f, a, "types");
    const auto offsets = io::read_attribute_ints(f, a, "offsets");
    EXPECT_FALSE(types.empty()) << a;
    EXPECT_EQ(offsets.size(), types.size()) << a;
    for (std::size_t p = 0; p < types.size() && p < offsets.size(); ++p) {
        const auto begin = static_cast<std::uint64_t>(offsets[p]);
        const auto end = p + 1 < offsets.size() ? static_cast<std::uint64_t>(offsets[p + 1])
                                                : static_cast<std::uint64_t>(rows);
        EXPECT_LE(begin, end) << a << " offsets";
        EXPECT_TRUE(io::has_attribute(f, a, "state_names_" + types[p])) << a << " " << types[p];
        const std::string pop = a + "/" + types[p];
        if (!io::exists(f, pop)) continue;
        for (const auto& c : io::list_group(f, pop))
            EXPECT_EQ(io::shape(f, pop + "/" + c), std::vector<std::uint64_t>{end - begin})
                << pop << "/" << c;
    }
    if (!offsets.empty()) {
        EXPECT_EQ(offsets.front(), 0) << a;
    }

    for (const auto& name : fields) {
        const std::string path = g + "/fields/" + name;
        ASSERT_TRUE(io::is_dataset(f, path)) << path;
        EXPECT_EQ(io::shape(f, path), field_shape) << path;
        EXPECT_TRUE(io::has_attribute(f, path, "unit")) << path;
    }
}

void collect_datasets(const InputFile& f, const std::string& group, std::vector<std::string>& out) {
    for (const auto& name : io::list_group(f, group)) {
        const std::string path = (group == "/" ? "" : group) + "/" + name;
        if (path == "/provenance") continue;
        if (io::is_dataset(f, path))
            out.push_back(path);
        else
            collect_datasets(f, path, out);
    }
}

/// The dataset as raw bytes of doubles (numeric) or joined strings, plus its shape.
std::string dataset_bytes(const InputFile& f, const std::string& path) {
    std::vector<std::uint64_t> dims;
    std::string bytes;
    try {
        const auto v = io::read_array<double>(f, path, &dims);
        bytes.assign(reinterpret_cast<const char*>(v.data()), v.size() * sizeof(double));
    } catch (const IoError&) {
        // Not numeric: compare as text.
        dims = io::shape(f, path);
        if (dims.empty())
            bytes = io::read_text(f, path);
        else
            for (const auto& s : io::read_strings(f, path)) bytes += s + '\0';
    }
    std::string shape;
    for (auto d : dims) shape += std::to_string(d) + "x";
    return shape + "|" + bytes;
}

}  // namespace

RunFile check_run_file(const std::filesystem::path& h5) {
    RunFile run;
    try {
        const InputFile f = InputFile::open(h5.string());
        EXPECT_EQ(io::read_attribute_int(f, "/", "format_version"), 1);
        EXPECT_EQ(io::read_attribute_string(f, "/", "hlhsim_version"), HLHSIM_VERSION);
        EXPECT_FALSE(io::read_attribute_string(f, "/", "model").empty());
        EXPECT_TRUE(io::has_attribute(f, "/", "seed"));
        EXPECT_TRUE(io::has_attribute(f, "/provenance", "threads"));

        run.config = io::read_text(f, "/config");
        EXPECT_FALSE(run.config.empty());

        run.time = io::read_array<double>(f, "/timeseries/time");
        EXPECT_TRUE(std::is_sorted(run.time.begin(), run.time.end()));
        EXPECT_EQ(std::adjacent_find(run.time.begin(), run.time.end()), run.time.end())
            << "repeated time in /timeseries/time";
        const auto columns = io::read_attribute_strings(f, "/timeseries", "columns");
        EXPECT_NE(std::find(columns.begin(), columns.end(), "time"), columns.end());
        for (const auto& c : columns) {
            EXPECT_EQ(io::shape(f, "/timeseries/" + c), std::vector<std::uint64_t>{run.time.size()})
                << "/timeseries/" << c;
            EXPECT_TRUE(io::has_attribute(f, "/timeseries/" + c, "unit")) << c;
        }

        const int dims = static_cast<int>(io::read_attribute_int(f, "/domain", "dims"));
        const auto n = io::read_attribute_ints(f, "/grid", "n");
        EXPECT_EQ(n.size(), 3U);
        std::vector<std::uint64_t> field_shape;
        for (int d = dims - 1; d >= 0 && d < static_cast<int>(n.size()); --d)
            field_shape.push_back(static_cast<std::uint64_t>(n[static_cast<std::size_t>(d)]));
        const auto fields = io::read_attribute_strings(f, "/grid", "fields");

        const auto snaps = io::list_group(f, "/snapshots");
        for (std::size_t i = 0; i < snaps.size(); ++i) {
            EXPECT_EQ(snaps[i], fmt::format("{:06d}", i)) << "snapshot numbering";
            check_snapshot(f, "/snapshots/" + snaps[i], dims, fields, field_shape, run);
        }
        EXPECT_TRUE(std::is_sorted(run.snapshot_times.begin(), run.snapshot_times.end()));
    } catch (const std::exception& e) {
        ADD_FAILURE() << h5 << ": " << e.what();
    }
    return run;
}

bool same_datasets(const std::filesystem::path& a, const std::filesystem::path& b,
                   std::string* why) {
    const InputFile fa = InputFile::open(a.string());
    const InputFile fb = InputFile::open(b.string());
    std::vector<std::string> da;
    std::vector<std::string> db;
    collect_datasets(fa, "/", da);
    collect_datasets(fb, "/", db);
    if (da != db) {
        if (why) *why = "the files hold different datasets";
        return false;
    }
    for (const auto& path : da) {
        if (dataset_bytes(fa, path) != dataset_bytes(fb, path)) {
            if (why) *why = path;
            return false;
        }
    }
    return true;
}

std::vector<double> read_column(const std::filesystem::path& h5, const std::string& path) {
    const InputFile f = InputFile::open(h5.string());
    return io::read_array<double>(f, path);
}

}  // namespace hlhsim::cli::test
