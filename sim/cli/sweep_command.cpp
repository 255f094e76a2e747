#include "sim/cli/sweep_command.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <filesystem>
#include <optional>
#include <system_error>
#include <thread>

#include "sim/cli/child_pool.hpp"
#include "sim/cli/progress.hpp"
#include "sim/cli/run_command.hpp"
#include "sim/cli/sweep_plan.hpp"
#include "sim/cli/sweep_table.hpp"
#include "sim/config/yaml_loader.hpp"
#include "sim/core/errors.hpp"

namespace hlhsim::cli {
namespace {

namespace fs = std::filesystem;

/// Distinct errors shown in full, and combinations listed by number for each.
constexpr std::size_t kProblemsShown = 3;
constexpr std::size_t kIndicesListed = 10;

std::vector<std::string> non_empty(const std::vector<std::string>& v) {
    std::vector<std::string> out;
    std::copy_if(v.begin(), v.end(), std::back_inserter(out),
                 [](const std::string& s) { return !s.empty(); });
    return out;
}

/// The seed a run without --seed uses: the resolved config's `seed` ("" if unset).
std::string config_seed(const std::string& config, const std::vector<std::string>& overrides) {
    config::ConfigNode tree = config::load_file(config);
    for (const auto& o : overrides) config::apply_override(tree, o);
    const config::ConfigNode* seed = tree.find("seed");
    return seed && seed->is_scalar() ? seed->value() : "";
}

/// Checks every combination in-process, as `hlhsim check` does, and returns the seed
/// each will use; throws one InputError naming the invalid combinations. A seed cannot
/// make a config invalid (parse_seeds admits only valid ones), so each tuple of values
/// is checked once, with its first seed: 32 seeds cost one check.
std::vector<std::string> check_combinations(const std::string& config,
                                            const std::vector<VaryAxis>& axes,
                                            const std::vector<Combination>& combos,
                                            const std::vector<std::vector<std::string>>& overrides,
                                            std::size_t per_tuple) {
    const std::size_t n = combos.size();
    std::vector<std::string> seeds(n);
    // Invalid combinations grouped by error text: a bad value repeats over the seeds.
    std::vector<std::pair<std::string, std::vector<std::size_t>>> problems;
    std::optional<std::size_t> tuple_problem;  // of the tuple checked last
    std::size_t bad = 0;
    for (const Combination& c : combos) {
        const auto& o = overrides[c.index];
        if (c.index % per_tuple != 0) {
            seeds[c.index] = std::to_string(*c.seed);
            if (tuple_problem) {
                ++bad;
                problems[*tuple_problem].second.push_back(c.index);
            }
            continue;
        }
        tuple_problem.reset();
        RunOptions check;
        check.config = config;
        check.overrides = o;
        check.seed = c.seed;
        check.check_only = true;
        check.quiet = true;
        try {
            run_scenario(check);
            seeds[c.index] = c.seed ? std::to_string(*c.seed) : config_seed(config, o);
        } catch (const InputError& e) {
            ++bad;
            auto same = std::find_if(problems.begin(), problems.end(),
                                     [&](const auto& p) { return p.first == e.what(); });
            if (same == problems.end()) same = problems.insert(problems.end(), {e.what(), {}});
            same->second.push_back(c.index);
            tuple_problem = static_cast<std::size_t>(same - problems.begin());
        }
    }
    if (bad == 0) return seeds;
    std::string msg =
        fmt::format("hlhsim sweep: {} of {} combinations (numbered from 0) are invalid", bad, n);
    for (std::size_t p = 0; p < problems.size() && p < kProblemsShown; ++p) {
        const auto& [error, which] = problems[p];
        msg += fmt::format("\ncombination {} ({})", which[0], describe(axes, combos[which[0]]));
        if (which.size() > 1) {
            const std::size_t listed = std::min<std::size_t>(which.size(), kIndicesListed + 1);
            msg += fmt::format(" and {} more with the same error ({}{})", which.size() - 1,
                               fmt::join(which.begin() + 1, which.begin() + listed, ", "),
                               listed < which.size() ? ", ..." : "");
        }
        msg += ":\n" + error;
    }
    if (problems.size() > kProblemsShown)
        msg += fmt::format("\n... and {} more errors", problems.size() - kProblemsShown);
    throw InputError(msg);
}

std::string wall_text(double seconds) {
    return seconds < 60 ? fmt::format("{:.2f} s", seconds) : format_duration(seconds);
}

std::string run_name(std::size_t index) { return fmt::format("run_{:04}", index); }

}  // namespace

SweepCommand::SweepCommand(CLI::App& app) {
    sub_ = app.add_subcommand(
        "sweep", "run a scenario over combinations of values and seeds, several runs at a time");
    sub_->add_option("CONFIG", config_, "scenario file (YAML)")
        ->required()
        ->check(CLI::ExistingFile);
    sub_->add_option("--vary", vary_,
                     "KEY=V1,V2,... values of a config key to sweep (repeatable; the "
                     "product of all --vary lists and --seeds is run). Values are separated "
                     "by ';' instead when the list holds a ';': "
                     "'domain.size=[200 um, 200 um];[300 um, 300 um]'")
        ->type_name("K=V1,V2")
        ->allow_extra_args(false);
    sub_->add_option("--seeds", seeds_,
                     "seeds for every combination: 1-8, 1,4,9 or 1-3,7 (default: the "
                     "config's seed only)");
    sub_->add_option("--set", overrides_,
                     "override a config value in every run, KEY.PATH=VALUE (repeatable)")
        ->type_name("K=V")
        ->allow_extra_args(false);
    sub_->add_option("-j,--jobs", jobs_,
                     "runs at a time (default: cores / --threads-per-run, at least 1)")
        ->check(CLI::Range(1, 4096));
    sub_->add_option("--threads-per-run", threads_per_run_, "worker threads of each run")
        ->capture_default_str()
        ->check(CLI::Range(1, 4096));
    sub_->add_option("-d,--out-dir", out_dir_,
                     "folder for run_NNNN.h5, run_NNNN.log and sweep.csv (created)")
        ->required();
    sub_->add_option("--events", events_,
                     "event kinds whose first time [day] goes into the table (comma-separated; "
                     "'' for none)")
        ->delimiter(',')
        ->capture_default_str();
    sub_->add_option("--readouts", readouts_,
                     "/timeseries columns whose last value goes into the table "
                     "(comma-separated; default none)")
        ->delimiter(',');
    sub_->add_flag("-q,--quiet", quiet_, "no progress lines and no table at the end");
    sub_->footer(
        "Combination order: the first --vary key changes slowest, the seed fastest; run i is\n"
        "DIR/run_NNNN.h5 (NNNN = i, from 0000), its output in DIR/run_NNNN.log. Every\n"
        "combination is checked first, as `hlhsim check` does: a bad value stops the sweep\n"
        "(exit 2) before anything is run or written. A failed run does not stop the others;\n"
        "the exit code is then 1. Ctrl-C stops the runs (exit 130; table so far in\n"
        "DIR/sweep.csv.partial). Columns of sweep.csv: docs/sweeps.md.\n"
        "Example:\n"
        "  hlhsim sweep configs/scenarios/healthy_infection.yaml --seeds 1-8 \\\n"
        "      --vary 'patient.cytotoxic_competence=1,0.5,0.1' --readouts ferritin -d out/sw");
}

bool SweepCommand::selected() const { return sub_->parsed(); }

int SweepCommand::run() const {
    std::vector<VaryAxis> axes;
    for (const auto& v : vary_) axes.push_back(parse_vary(v));
    const std::vector<std::uint64_t> seeds =
        seeds_.empty() ? std::vector<std::uint64_t>{} : parse_seeds(seeds_);
    const std::vector<Combination> combos = combinations(axes, seeds);
    const SummarySpec spec{non_empty(events_), non_empty(readouts_)};
    const std::size_t n = combos.size();

    // Check every combination before writing anything.
    std::vector<std::vector<std::string>> overrides(n);
    for (const Combination& c : combos) {
        overrides[c.index] = overrides_;
        for (const auto& a : assignments(axes, c)) overrides[c.index].push_back(a);
    }
    const std::vector<std::string> seed_text =
        check_combinations(config_, axes, combos, overrides, seeds.empty() ? 1 : seeds.size());
    std::vector<SweepRow> rows(n);
    for (std::size_t i = 0; i < n; ++i) rows[i].seed = seed_text[i];

    std::error_code ec;
    fs::create_directories(out_dir_, ec);
    if (ec) throw IoError(fmt::format("cannot create folder {}: {}", out_dir_, ec.message()));
    const fs::path dir(out_dir_);
    // The same program as this one, named by its real path (it shows in provenance).
    const std::string exe = fs::read_symlink("/proc/self/exe").string();
    const unsigned cores = std::max(1U, std::thread::hardware_concurrency());
    const int parallel =
        jobs_ > 0 ? jobs_ : std::max(1, static_cast<int>(cores) / threads_per_run_);
    std::vector<ChildJob> jobs(n);
    for (const Combination& c : combos) {
        const std::string name = run_name(c.index);
        ChildJob& job = jobs[c.index];
        job.argv = {exe, "run", config_};
        for (const auto& o : overrides[c.index]) job.argv.insert(job.argv.end(), {"--set", o});
        if (c.seed) job.argv.insert(job.argv.end(), {"--seed", std::to_string(*c.seed)});
        job.argv.insert(job.argv.end(), {"--threads", std::to_string(threads_per_run_), "-o",
                                         (dir / (name + ".h5")).string(), "-q"});
        job.log_path = (dir / (name + ".log")).string();
        rows[c.index].combination = c;
        rows[c.index].run_file = name + ".h5";
    }

    if (!quiet_)
        fmt::print(stderr, "hlhsim sweep: {} run{} of {}, {} at a time on {} thread{} each -> {}\n",
                   n, n == 1 ? "" : "s", config_, parallel, threads_per_run_,
                   threads_per_run_ == 1 ? "" : "s", out_dir_);
    std::vector<ChildResult> results;
    std::size_t finished = 0;
    const bool completed = run_children(jobs, parallel, results, [&](std::size_t i) {
        ++finished;
        if (quiet_) return;
        const int status = results[i].status.value_or(-1);
        fmt::print(stderr, "hlhsim sweep: [{}/{}] {} ({}): {} in {}\n", finished, n, run_name(i),
                   describe(axes, combos[i]),
                   status == 0 ? "ok" : fmt::format("FAILED, exit {}", status),
                   wall_text(results[i].wall_seconds));
    });

    std::vector<std::string> notes;
    std::vector<std::size_t> failed;
    for (std::size_t i = 0; i < n; ++i) {
        rows[i].status = results[i].status;
        rows[i].wall_seconds = results[i].wall_seconds;
        if (results[i].status && *results[i].status != 0) failed.push_back(i);
        if (results[i].status != 0) continue;
        try {
            // Notes (a readout a file lacks) from the first file only: they repeat.
            rows[i].summary = summarize_run((dir / rows[i].run_file).string(), spec,
                                            notes.empty() ? &notes : nullptr);
        } catch (const IoError& e) {
            notes.push_back(
                fmt::format("cannot read the summary of {}: {}", rows[i].run_file, e.what()));
        }
    }
    for (const auto& note : notes) fmt::print(stderr, "hlhsim sweep: warning: {}\n", note);

    const std::string csv = (dir / "sweep.csv").string();
    write_text_file(csv, sweep_csv(axes, spec, rows), !completed);
    if (!completed) {
        fmt::print(stderr,
                   "hlhsim sweep: interrupted: {} of {} runs finished; stopped runs keep "
                   "run_NNNN.h5.partial; table so far in {}.partial\n",
                   finished, n, csv);
        return 130;
    }
    if (!quiet_) fmt::print("{}", sweep_text_table(axes, spec, rows));
    if (!failed.empty()) {
        std::string which;
        for (std::size_t i : failed)
            which += fmt::format("\n  {} ({}): exit {}, see {}", run_name(i),
                                 describe(axes, combos[i]), *rows[i].status, jobs[i].log_path);
        fmt::print(stderr, "hlhsim sweep: {} of {} runs failed:{}\n", failed.size(), n, which);
        return 1;
    }
    if (!quiet_) fmt::print(stderr, "hlhsim sweep: {} run{} ok -> {}\n", n, n == 1 ? "" : "s", csv);
    return 0;
}

}  // namespace hlhsim::cli
