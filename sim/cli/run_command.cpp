#include "sim/cli/run_command.hpp"

#include <fmt/format.h>
#include <tbb/global_control.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <thread>

#include "models/registry.hpp"
#include "sim/cli/progress.hpp"
#include "sim/config/section.hpp"
#include "sim/config/yaml_loader.hpp"
#include "sim/core/errors.hpp"
#include "sim/io/h5_write.hpp"
#include "sim/io/output_file.hpp"
#include "sim/schedule/simulation.hpp"
#ifdef HLHSIM_HAVE_VIZ
#include "viz/xdmf_writer.hpp"
#endif

namespace hlhsim::cli {
namespace {

std::atomic<bool> g_interrupted{false};

extern "C" void on_signal(int) { g_interrupted.store(true); }

std::string now_utc() {
    const auto t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

std::string hostname() {
    char buf[256] = {};
    if (gethostname(buf, sizeof buf - 1) != 0) return "unknown";
    return buf;
}

}  // namespace

int run_scenario(const RunOptions& o) {
    config::ConfigNode tree = config::load_file(o.config);
    for (const auto& s : o.overrides) config::apply_override(tree, s);
    // --seed is an override like any other, so /config reproduces the run.
    if (o.seed) config::apply_override(tree, fmt::format("seed={}", *o.seed));

    config::Context ctx;
    config::Section root(&tree, "", ctx);
    const std::vector<std::string> names = models::model_names();
    const std::string model_name = root.string(
        "model", {.choices = names,
                  .doc = "which model to run: " + fmt::format("{}", fmt::join(names, ", "))});
    Simulation sim(root);
    std::unique_ptr<Model> model = models::make_model(model_name);
    // A model is built only on a sound engine config; without it its keys would all
    // look unknown, so the unknown-key check waits until the first errors are fixed.
    if (model && !ctx.has_errors()) {
        model->build(sim, root);
        config::check_unknown_keys(tree, ctx);
    }
    if (o.print_schema) {
        fmt::print("{}", ctx.schema().markdown());
        return ctx.has_errors() ? 2 : 0;
    }
    ctx.throw_if_errors();
    if (o.check_only) {
        if (!o.quiet)
            fmt::print("{}: ok ({} model, {} min)\n", o.config, model_name, sim.duration());
        return 0;
    }

    const int threads =
        o.threads > 0 ? o.threads : static_cast<int>(std::thread::hardware_concurrency());
    std::string out_path = o.out;
    if (out_path.empty())
        out_path = "out/" + std::filesystem::path(o.config).stem().string() + ".h5";

    io::OutputFile out = io::OutputFile::create(out_path);
    io::write_text(out, "/config", config::to_yaml(tree));
    io::write_attribute(out, "/", "model", model_name);
    sim.set_provenance({{"command", o.command_line},
                        {"config_file", o.config},
                        {"started_utc", now_utc()},
                        {"host", hostname()}});

    Progress progress(sim.duration(), !o.quiet && Progress::stderr_is_terminal());
    g_interrupted = false;
    auto previous_int = std::signal(SIGINT, on_signal);
    auto previous_term = std::signal(SIGTERM, on_signal);
    const auto t0 = std::chrono::steady_clock::now();
    // oneTBB caps arenas at the machine's cores unless told otherwise; honour --threads
    // (oversubscription is how 4-thread determinism is tested on 2 cores).
    tbb::global_control allow(tbb::global_control::max_allowed_parallelism,
                              static_cast<std::size_t>(threads));
    sim.run(&out, threads, [&](double minutes) {
        progress.update(minutes);
        return !g_interrupted.load();
    });
    const double wall =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::signal(SIGINT, previous_int);
    std::signal(SIGTERM, previous_term);
    progress.finish(sim.time());
    if (model) model->finish(sim);
    io::write_attribute(out, "/provenance", "wall_seconds", wall);
    if (g_interrupted) {
        out.flush();
        fmt::print(stderr, "hlhsim: interrupted at {}; partial results kept in {}\n",
                   format_sim_time(sim.time()), out.partial_path());
        return 130;
    }
    out.commit();
#ifdef HLHSIM_HAVE_VIZ
    // The XDMF sidecar lets ParaView open the run file directly.
    viz::write_xdmf(out_path);
#endif
    if (!o.quiet)
        fmt::print(stderr, "hlhsim: {} simulated in {} on {} threads -> {}\n",
                   format_sim_time(sim.duration()), format_duration(wall), threads, out_path);
    return 0;
}

}  // namespace hlhsim::cli
