#pragma once
// The rendering subcommands of hlhsim (render, dashboard, export, report): thin
// wrappers that read a run file through hlhsim::viz and say where the results went.
// On a machine without DISPLAY, viz starts a private Xvfb (viz/headless_display.hpp).
#include <CLI/CLI.hpp>
#include <string>

namespace hlhsim::cli {

class VizCommands {
  public:
    /// Adds the subcommands and their options to `app` (call before parsing).
    explicit VizCommands(CLI::App& app);
    /// True when the parsed command line chose one of these subcommands.
    bool selected() const;
    /// Runs the chosen subcommand; returns the exit code. Throws InputError / IoError.
    int run();

  private:
    int render();
    int dashboard();
    int export_files();
    int report();

    CLI::App* render_ = nullptr;
    CLI::App* dashboard_ = nullptr;
    CLI::App* export_ = nullptr;
    CLI::App* report_ = nullptr;
    std::string run_file_;
    std::string out_;
    std::string field_;
    std::string size_;
    std::string scale_ = "auto";
    std::size_t every_ = 1;
    bool movie_ = false;
    double fps_ = 8.0;
    std::string vtk_dir_;
    std::string compare_;
};

}  // namespace hlhsim::cli
