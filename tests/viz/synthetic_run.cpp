#include "synthetic_run.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "sim/io/appendable_table.hpp"
#include "sim/io/h5_write.hpp"
#include "sim/io/output_file.hpp"

namespace hlhsim::viz::test {

namespace {

/// Smooth bump from 0 to 1 between days a and b, back to 0 between c and d.
double course(double day, double a, double b, double c, double d) {
    auto ramp = [](double t) { return t <= 0 ? 0.0 : t >= 1 ? 1.0 : t * t * (3 - 2 * t); };
    return ramp((day - a) / (b - a)) * (1.0 - ramp((day - c) / (d - c)));
}

void write_clinical(io::OutputFile& f, const SyntheticOptions& o) {
    io::AppendableTable ts(f, "/timeseries", 64);
    const std::vector<std::pair<std::string, std::string>> cols = {
        {"time", "min"},
        {"temperature", "C"},
        {"hemoglobin", "g/L"},
        {"platelets", "10^9/L"},
        {"neutrophils", "10^9/L"},
        {"ferritin", o.ferritin_unit_ng ? "ng/mL" : "ug/L"},
        {"triglycerides", "mmol/L"},
        {"fibrinogen", "g/L"},
        {"scd25", "U/mL"},
        {"plasma_ifng", "pg/mL"},
        {"plasma_il6", "pg/mL"},
        {"plasma_il10", "pg/mL"},
        {"cells_macrophage_activated", "cells"}};
    for (const auto& [name, unit] : cols) ts.add_double_column(name, unit);
    for (int i = 0; i <= static_cast<int>(kSyntheticDays) * 4; ++i) {
        const double day = i / 4.0;
        const double s = course(day, 5, 18, 24, 40) + 0.6 * course(day, 46, 52, 56, 70);
        ts.append_row({day * 1440.0, 37.0 + 2.6 * s, 135.0 - 60.0 * s, 260.0 - 220.0 * s,
                       4.5 - 3.9 * s, 150.0 * std::pow(100.0, s), 1.2 + 3.0 * s, 3.2 - 2.2 * s,
                       700.0 + 11000.0 * s, 2.0 + 400.0 * s, 5.0 + 150.0 * s, 3.0 + 60.0 * s,
                       20.0 + 300.0 * s});
    }
    ts.flush_rows();

    io::AppendableTable ev(f, "/events", 64);
    ev.add_double_column("time", "min");
    ev.add_string_column("kind");
    ev.add_string_column("detail");
    auto event = [&](double day, const char* kind, const std::string& detail) {
        ev.append_row({day * 1440.0, std::string(kind), detail});
    };
    event(8, "criterion_met", "fever");
    event(18, "hlh2004_diagnostic", "5 of 8 criteria");
    event(20, "treatment_start", "HLH-94 protocol");
    for (int d = 20; d <= 40; ++d) event(d, "dose", "dexamethasone 10 mg/m2");
    for (int d = 20; d <= 34; d += 3) event(d + 0.25, "dose", "etoposide 150 mg/m2");
    event(38, "remission", "");
    event(48, "relapse", "");
    ev.flush_rows();

    io::AppendableTable hlh(f, "/criteria/hlh2004", 64);
    io::AppendableTable hs(f, "/criteria/hscore", 64);
    hlh.add_double_column("day", "day");
    for (const char* c : {"fever", "splenomegaly", "cytopenias", "tg_or_fibrinogen",
                          "hemophagocytosis", "nk_low", "ferritin", "scd25", "count"})
        hlh.add_int_column(c);
    hs.add_double_column("day", "day");
    hs.add_int_column("total");
    for (int d = 0; d <= static_cast<int>(kSyntheticDays); ++d) {
        const double s = course(d, 5, 18, 24, 40) + 0.6 * course(d, 46, 52, 56, 70);
        std::vector<io::AppendableTable::Cell> row = {static_cast<double>(d)};
        std::int64_t count = 0;
        for (int k = 0; k < 8; ++k) {
            const std::int64_t met = s > 0.1 + 0.1 * k ? 1 : 0;
            count += met;
            row.emplace_back(met);
        }
        row.emplace_back(count);
        hlh.append_row(row);
        hs.append_row(
            {static_cast<double>(d), static_cast<std::int64_t>(std::lround(60 + 180 * s))});
    }
    hlh.flush_rows();
    hs.flush_rows();
}

struct Agents {
    std::vector<std::uint64_t> id;
    std::vector<std::uint8_t> type, state;
    std::vector<double> x, y, z;
    std::vector<std::int64_t> offsets;
};

}  // namespace

void write_synthetic_run(const std::string& path, const SyntheticOptions& o) {
    auto f = io::OutputFile::create(path);
    const bool big = o.big_agent;
    const double lx = big ? 200 : 500, ly = big ? 150 : 400, lz = o.dims == 3 ? 100 : 0;
    const double dx = 20;
    const int nx = static_cast<int>(lx / dx), ny = static_cast<int>(ly / dx);
    const int nz = o.dims == 3 ? static_cast<int>(lz / dx) : 1;
    const double days = o.clinical ? kSyntheticDays : 1.0;
    io::write_attribute(f, "/", "format_version", std::int64_t{1});
    io::write_attribute(f, "/", "hlhsim_version", "test");
    io::write_attribute(f, "/", "model", big ? "one_cell" : "hlh_synthetic");
    io::write_attribute(f, "/", "seed", std::int64_t{1});
    io::write_attribute(f, "/", "duration_min", days * 1440.0);
    io::write_text(f, "/config", "model: hlh_synthetic\nduration: 60 day  # <test & check>\n");
    io::write_attribute(f, "/domain", "dims", std::int64_t{o.dims});
    io::write_attribute(f, "/domain", "lo", std::vector<double>{0, 0, 0});
    io::write_attribute(f, "/domain", "hi", std::vector<double>{lx, ly, lz});
    io::write_attribute(f, "/domain", "unit", "um");
    io::write_attribute(f, "/domain", "boundary", "periodic");
    io::write_attribute(f, "/grid", "dims", std::int64_t{o.dims});
    io::write_attribute(f, "/grid", "n", std::vector<std::int64_t>{nx, ny, nz});
    io::write_attribute(f, "/grid", "dx", dx);
    io::write_attribute(f, "/grid", "origin", std::vector<double>{0, 0, 0});
    const std::vector<std::string> fields =
        big ? std::vector<std::string>{"ifng"} : std::vector<std::string>{"ifng", "il6"};
    io::write_attribute(f, "/grid", "fields", fields);
    if (o.clinical) write_clinical(f, o);

    const std::vector<std::string> pops =
        big ? std::vector<std::string>{"macrophage"}
            : std::vector<std::string>{"macrophage", "cd8", "trigger", "blood"};
    const std::vector<std::vector<std::string>> states = {
        {"resting", "activated", "hemophagocytic"},
        {"naive", "effector", "exhausted"},
        {"infected"},
        {"red_cell", "platelet", "neutrophil"}};
    const std::array<int, 4> counts = {30, 40, 6, 60};
    for (int s = 0; s < o.snapshots; ++s) {
        const std::string g =
            "/snapshots/" + std::string(6 - std::to_string(s).size(), '0') + std::to_string(s);
        const double t = o.snapshots > 1 ? days * 1440.0 * s / (o.snapshots - 1) : 0.0;
        io::write_attribute(f, g, "time", t);
        io::write_attribute(f, g, "step", std::int64_t{s * 100});
        Agents a;
        std::vector<std::vector<double>> radius(pops.size());
        std::uint64_t next = 1;
        for (std::size_t p = 0; p < pops.size(); ++p) {
            a.offsets.push_back(static_cast<std::int64_t>(a.id.size()));
            const int n = big ? 1 : counts[p] + 5 * s;
            for (int i = 0; i < n; ++i) {
                const double h = std::fmod(0.6180339887 * (next * 7 + s * 13), 1.0);
                const double k = std::fmod(0.7548776662 * (next * 11 + s * 5), 1.0);
                a.id.push_back(next++);
                a.type.push_back(static_cast<std::uint8_t>(p));
                a.state.push_back(big ? 1 : static_cast<std::uint8_t>((i + s) % states[p].size()));
                a.x.push_back(big ? kBigAgentX : 5 + h * (lx - 10));
                a.y.push_back(big ? kBigAgentY : 5 + k * (ly - 10));
                a.z.push_back(o.dims == 3 ? (i % 5) * 20.0 + 10.0 : 0.0);
                if (big) radius[p].push_back(kBigAgentRadius);
            }
        }
        io::write_attribute(f, g + "/agents", "types", pops);
        io::write_attribute(f, g + "/agents", "offsets", a.offsets);
        for (std::size_t p = 0; p < pops.size(); ++p)
            io::write_attribute(f, g + "/agents", "state_names_" + pops[p], states[p]);
        io::write_array(f, g + "/agents/id", std::span<const std::uint64_t>(a.id));
        io::write_array(f, g + "/agents/type", std::span<const std::uint8_t>(a.type));
        io::write_array(f, g + "/agents/state", std::span<const std::uint8_t>(a.state));
        io::write_array(f, g + "/agents/x", std::span<const double>(a.x));
        io::write_array(f, g + "/agents/y", std::span<const double>(a.y));
        if (o.dims == 3) io::write_array(f, g + "/agents/z", std::span<const double>(a.z));
        if (big)
            io::write_array(f, g + "/agents/macrophage/radius", std::span<const double>(radius[0]));
        for (std::size_t fi = 0; fi < fields.size(); ++fi) {
            std::vector<double> v(static_cast<std::size_t>(nx) * ny * nz);
            for (int kz = 0; kz < nz; ++kz)
                for (int j = 0; j < ny; ++j)
                    for (int i = 0; i < nx; ++i) {
                        const double cx = (i + 0.5) * dx - lx / 2, cy = (j + 0.5) * dx - ly / 2;
                        v[(static_cast<std::size_t>(kz) * ny + j) * nx + i] =
                            big ? 0.0
                                : (fi + 1) * (s + 1) * 10.0 *
                                      std::exp(-(cx * cx + cy * cy) / (2 * 120.0 * 120.0)) *
                                      (1 + 0.1 * kz);
                    }
            std::vector<std::uint64_t> dims =
                o.dims == 3 ? std::vector<std::uint64_t>{std::uint64_t(nz), std::uint64_t(ny),
                                                         std::uint64_t(nx)}
                            : std::vector<std::uint64_t>{std::uint64_t(ny), std::uint64_t(nx)};
            const std::string fp = g + "/fields/" + fields[fi];
            io::write_array(f, fp, std::span<const double>(v), dims);
            io::write_attribute(f, fp, "unit", "pg/mL");
        }
    }
    f.commit();
}

TempDir::TempDir() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    std::string name = std::string("hlhsim_viz_") + std::to_string(::getpid()) + "_" +
                       info->test_suite_name() + "_" + info->name();
    for (char& c : name)
        if (c == '/') c = '_';
    path_ = std::filesystem::path(::testing::TempDir()) / name;
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
}

TempDir::~TempDir() {
    if (std::getenv("HLHSIM_KEEP_TEST_FILES") != nullptr) {
        std::printf("kept test files in %s\n", path_.c_str());
        return;
    }
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
}

int run_command(const std::string& command, std::string& output) {
    output.clear();
    FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
    if (pipe == nullptr) return -1;
    std::array<char, 4096> buf{};
    std::size_t n = 0;
    while ((n = std::fread(buf.data(), 1, buf.size(), pipe)) > 0) output.append(buf.data(), n);
    const int status = ::pclose(pipe);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace hlhsim::viz::test
