#include "sim/cli/viz_commands.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>

#include "viz/dashboard.hpp"
#include "viz/frame_renderer.hpp"
#include "viz/movie.hpp"
#include "viz/report.hpp"
#include "viz/run_file.hpp"
#include "viz/vtk_export.hpp"
#include "viz/xdmf_writer.hpp"

namespace hlhsim::cli {

namespace fs = std::filesystem;

namespace {

/// "out/run.h5" + "_frames" -> "out/run_frames".
std::string beside(const std::string& run, const std::string& suffix) {
    const fs::path p(run);
    return (p.parent_path() / (p.stem().string() + suffix)).string();
}

std::string human_size(std::uintmax_t bytes) {
    if (bytes >= 1024 * 1024) return fmt::format("{:.1f} MB", bytes / (1024.0 * 1024.0));
    return fmt::format("{:.0f} kB", bytes / 1024.0);
}

}  // namespace

VizCommands::VizCommands(CLI::App& app) {
    auto add_run = [this](CLI::App* sub) {
        sub->add_option("RUN", run_file_, "run file (HDF5) written by hlhsim run")
            ->required()
            ->check(CLI::ExistingFile);
    };
    render_ = app.add_subcommand(
        "render", "one PNG per snapshot: field heat map, cells, legend, scale bar, time");
    add_run(render_);
    render_->add_option("-o,--out", out_, "folder for the frames (default <run>_frames/)");
    render_->add_option("-f,--field", field_,
                        "field to draw (default: the run's first; 'none' for cells only)");
    render_
        ->add_option("--scale", scale_,
                     "field colour scale: auto (log when peaks dominate), linear or log")
        ->check(CLI::IsMember({"auto", "linear", "log"}));
    render_->add_option("--every", every_, "render every N-th snapshot (default 1)")
        ->check(CLI::PositiveNumber);
    render_->add_option("--size", size_, "image size WIDTHxHEIGHT in pixels (default 1280x960)");
    render_->add_flag("--movie", movie_,
                      "also encode <out>/movie.mp4 with ffmpeg (kept as PNGs without ffmpeg)");
    render_->add_option("--fps", fps_, "movie frames per second (default 8)")
        ->check(CLI::Range(0.1, 120.0));

    dashboard_ = app.add_subcommand(
        "dashboard", "one PNG of the clinical course with HLH-2004 thresholds and doses");
    add_run(dashboard_);
    dashboard_->add_option("-o,--out", out_, "PNG to write (default <run>_dashboard.png)");
    dashboard_->add_option("--size", size_, "image size WIDTHxHEIGHT (default 1800 wide)");

    export_ = app.add_subcommand(
        "export", "ParaView files: XDMF sidecar next to the run, and VTK XML with --vtk");
    add_run(export_);
    export_->add_option("--vtk", vtk_dir_, "folder for .vti/.vtp files and one .pvd");

    report_ = app.add_subcommand(
        "report", "one self-contained HTML page: dashboard, key frames, criteria, config");
    add_run(report_);
    report_->add_option("--compare", compare_, "a second run to show side by side")
        ->check(CLI::ExistingFile);
    report_->add_option("-o,--out", out_, "HTML to write (default <run>_report.html)");
    report_->add_option("-f,--field", field_, "field of the key frames (default: the first)");
}

bool VizCommands::selected() const {
    return render_->parsed() || dashboard_->parsed() || export_->parsed() || report_->parsed();
}

int VizCommands::run() {
    if (render_->parsed()) return render();
    if (dashboard_->parsed()) return dashboard();
    if (export_->parsed()) return export_files();
    return report();
}

int VizCommands::render() {
    const viz::RunFile run(run_file_);
    viz::FrameOptions opt;
    opt.field = field_;
    opt.scale = viz::parse_scale(scale_);
    if (!size_.empty()) {
        const auto wh = viz::parse_size(size_);
        opt.width = wh[0];
        opt.height = wh[1];
    }
    const std::string dir = out_.empty() ? beside(run_file_, "_frames") : out_;
    const bool tty = isatty(STDERR_FILENO) != 0;
    const auto paths =
        viz::render_frames(run, opt, dir, every_, [tty](std::size_t k, std::size_t n) {
            if (tty) fmt::print(stderr, "\rhlhsim render: frame {}/{}", k, n);
        });
    if (tty) fmt::print(stderr, "\n");
    fmt::print("hlhsim render: {} frames ({}x{}) in {}/ (frame_000000.png ...)\n", paths.size(),
               opt.width, opt.height, dir);
    if (movie_) {
        const std::string mp4 = (fs::path(dir) / "movie.mp4").string();
        if (viz::encode_movie(dir, mp4, fps_))
            fmt::print("hlhsim render: movie {} ({})\n", mp4, human_size(fs::file_size(mp4)));
        else
            fmt::print(
                "hlhsim render: ffmpeg is not on PATH: no movie; the PNG sequence in {}/ "
                "is the result (install ffmpeg for MP4)\n",
                dir);
    }
    return 0;
}

int VizCommands::dashboard() {
    const viz::RunFile run(run_file_);
    viz::DashboardOptions opt;
    if (!size_.empty()) {
        const auto wh = viz::parse_size(size_);
        opt.width = wh[0];
        opt.height = wh[1];
    }
    const std::string out = out_.empty() ? beside(run_file_, "_dashboard.png") : out_;
    const viz::Dashboard d = viz::render_dashboard(run, opt);
    viz::write_png(d.image, out);
    fmt::print("hlhsim dashboard: {} ({} panels, {}x{})\n", out, d.model.panels.size(),
               d.image.width, d.image.height);
    if (!d.model.missing.empty())
        fmt::print("hlhsim dashboard: not in this run: {}\n", fmt::join(d.model.missing, ", "));
    return 0;
}

int VizCommands::export_files() {
    const std::string xmf = viz::write_xdmf(run_file_);
    fmt::print("hlhsim export: XDMF sidecar {} (open it in ParaView)\n", xmf);
    if (!vtk_dir_.empty()) {
        const viz::RunFile run(run_file_);
        const auto e = viz::export_vtk(run, vtk_dir_);
        fmt::print("hlhsim export: {} VTK files in {}/, collection {}\n", e.files.size(), vtk_dir_,
                   e.pvd);
    }
    return 0;
}

int VizCommands::report() {
    const std::string out = out_.empty() ? beside(run_file_, "_report.html") : out_;
    viz::ReportOptions opt;
    opt.compare = compare_;
    opt.field = field_;
    const auto bytes = viz::write_report(run_file_, out, opt);
    fmt::print("hlhsim report: {} ({}, self-contained)\n", out, human_size(bytes));
    return 0;
}

}  // namespace hlhsim::cli
