// The hlhsim command: the composition root that wires the engine, the models and
// the renderers together. Exit codes: 0 success, 1 internal or I/O failure,
// 2 bad input (configuration, command line), 130 interrupted (partial output kept).
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>

#include "models/registry.hpp"
#include "sim/cli/run_command.hpp"
#include "sim/cli/sweep_command.hpp"
#include "sim/config/suggest.hpp"
#include "sim/core/errors.hpp"
#ifdef HLHSIM_HAVE_VIZ
#include "sim/cli/viz_commands.hpp"
#endif

namespace {

std::string join_args(int argc, char** argv) {
    std::string s;
    for (int i = 0; i < argc; ++i) s += (i ? " " : "") + std::string(argv[i]);
    return s;
}

}  // namespace

int main(int argc, char** argv) {
    using namespace hlhsim;
    CLI::App app{"hlhsim: a parallel agent-based simulator of hemophagocytic lymphohistiocytosis",
                 "hlhsim"};
    app.require_subcommand(1);
    app.footer(
        "Examples:\n"
        "  hlhsim run configs/default.yaml --out out/default.h5\n"
        "  hlhsim run configs/examples/random_walkers.yaml --threads 2 --set walkers.count=500\n"
        "  hlhsim check configs/default.yaml\n"
        "  hlhsim sweep configs/scenarios/healthy_infection.yaml --seeds 1-8 -d out/sweep\n"
        "  hlhsim render out/default.h5 --movie      # PNG frames (+ MP4), headless\n"
        "  hlhsim dashboard out/default.h5            # the clinical course as one PNG\n"
        "  hlhsim report out/default.h5 --compare other.h5   # one self-contained HTML\n"
        "Exit codes: 0 ok, 1 internal or I/O error, 2 bad input, 130 interrupted.");

    cli::RunOptions run;
    run.command_line = join_args(argc, argv);
    auto add_config_options = [&](CLI::App* sub) {
        sub->add_option("CONFIG", run.config, "scenario file (YAML)")
            ->required()
            ->check(CLI::ExistingFile);
        sub->add_option("--set", run.overrides,
                        "override a config value, KEY.PATH=VALUE (repeatable), e.g. "
                        "--set duration='30 day'")
            ->type_name("K=V");
    };
    CLI::App* run_cmd = app.add_subcommand("run", "run a scenario and write an HDF5 run file");
    add_config_options(run_cmd);
    run_cmd->add_option("-o,--out", run.out, "run file to write (default out/<config name>.h5)");
    run_cmd->add_option("-t,--threads", run.threads, "worker threads (default: all cores)")
        ->check(CLI::Range(1, 4096));
    run_cmd->add_option("-s,--seed", run.seed, "random seed (overrides the file's seed)");
    run_cmd->add_flag("-q,--quiet", run.quiet, "no progress bar or summary");

    const cli::SweepCommand sweep(app);

    CLI::App* check_cmd = app.add_subcommand("check", "validate a scenario without running it");
    add_config_options(check_cmd);
    CLI::App* schema_cmd =
        app.add_subcommand("schema", "print the configuration reference (Markdown) of a scenario");
    add_config_options(schema_cmd);
    CLI::App* version_cmd = app.add_subcommand("version", "print the version");
    CLI::App* models_cmd = app.add_subcommand("models", "list the models this build knows");
#ifdef HLHSIM_HAVE_VIZ
    cli::VizCommands viz(app);
#endif

    // CLI11 reports an unknown command only as "a subcommand is required": name it.
    if (argc > 1 && argv[1][0] != '-') {
        std::vector<std::string> known;
        for (const auto* sub : app.get_subcommands([](const CLI::App*) { return true; }))
            known.push_back(sub->get_name());
        if (std::find(known.begin(), known.end(), argv[1]) == known.end()) {
            fmt::print(stderr, "hlhsim: unknown command '{}'{}; commands: {}\n", argv[1],
                       config::did_you_mean(argv[1], known), fmt::join(known, ", "));
            return 2;
        }
    }
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        const int code = app.exit(e);
        return code == 0 ? 0 : 2;
    }

    try {
#ifdef HLHSIM_HAVE_VIZ
        if (viz.selected()) return viz.run();
#endif
        if (sweep.selected()) return sweep.run();
        if (*version_cmd) {
            fmt::print("hlhsim {}\n", HLHSIM_VERSION);
            return 0;
        }
        if (*models_cmd) {
            for (const auto& m : models::model_names()) fmt::print("{}\n", m);
            return 0;
        }
        if (*check_cmd) run.check_only = true;
        if (*schema_cmd) run.print_schema = true;
        return cli::run_scenario(run);
    } catch (const InputError& e) {
        fmt::print(stderr, "{}\nhlhsim: stopped: no output was written.\n", e.what());
        return 2;
    } catch (const IoError& e) {
        fmt::print(stderr, "hlhsim: I/O error: {}\n", e.what());
        return 1;
    } catch (const std::exception& e) {
        fmt::print(stderr, "hlhsim: internal error: {}\n", e.what());
        return 1;
    }
}
