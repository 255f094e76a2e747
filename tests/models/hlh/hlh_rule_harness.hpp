#pragma once
// Drives the real HLH model in-process for the rule tests: a tiny patch whose every
// parameter that a rule reads is set here (the defaults are being recalibrated, so no
// test may depend on them), plus a test's own YAML merged on top. After build() a test
// may move agents and set their columns; run() calls a function after every base step
// (one agent step: timesteps.agents = fields.timestep = 2 min), where the test reads the
// populations. Everything is off unless a test turns it on: no secretion, no turnover,
// no influx, no killing, no division, no drug.
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "models/hlh/hlh_model.hpp"
#include "sim/config/config_node.hpp"
#include "sim/config/section.hpp"
#include "sim/config/yaml_loader.hpp"
#include "sim/io/h5_read.hpp"
#include "sim/io/input_file.hpp"
#include "sim/io/output_file.hpp"
#include "sim/schedule/simulation.hpp"

namespace hlhsim::models::hlh::testing {

inline constexpr double kDt = 2;  ///< agent step [min], set in kBaseYaml

/// p(r) = 1 - exp(-r dt): the per-step probability of an event of rate r [1/min].
inline double per_step(double rate) { return 1 - std::exp(-rate * kDt); }

/// A 100 um x 100 um sheet (5 x 5 voxels of 20 um), nothing happening.
inline const char* const kBaseYaml = R"(
seed: 7
duration: 600 min
domain: {dims: 2, size: [100 um, 100 um], boundary: periodic}
fields:
  voxel: 20 um
  timestep: 2 min
  substances:
    ifng: {unit: pg/mL, diffusion: 1000 um^2/min, decay: 0 1/min, initial: 0 pg/mL}
    il6: {unit: pg/mL, diffusion: 1000 um^2/min, decay: 0.3 1/min, initial: 0 pg/mL}
    tnf: {unit: pg/mL, diffusion: 1000 um^2/min, decay: 0.3 1/min, initial: 0 pg/mL}
    il10: {unit: pg/mL, diffusion: 1000 um^2/min, decay: 0.1 1/min, initial: 0 pg/mL}
    il18: {unit: pg/mL, diffusion: 1000 um^2/min, decay: 0.1 1/min, initial: 0 pg/mL}
    il2: {unit: pg/mL, diffusion: 1000 um^2/min, decay: 0 1/min, initial: 0 pg/mL}
    antigen: {unit: 1/mL, diffusion: 100 um^2/min, decay: 0.005 1/min, initial: 0 1/mL}
timesteps: {agents: 2 min, systemic: 60 min}
output: {record_every: 2 min, snapshot_every: 100000 day, fields: false}
patient: {cytotoxic_competence: 1}
cd8:
  naive_count: 0
  naive_lifespan: 0 min
  speed: 0 um/min
  naive_speed: 0 um/min
  contact_speed: 0 um/min
  persistence: 3 min
  contact_radius: 12 um
  priming_rate: 0 1/min
  first_division_delay: 100000 day
  division_rate: 0 1/min
  il2_division: {ec50: 1 pg/mL, hill: 1, emax: 1}
  antigen_sustain: 0.05
  kill_time: 10 min
  detach_time: 40 min
  stimulation_decay: 0 1/min
  exhaustion_rate: 0 1/min
  effector_lifespan: 0 min
  exhausted_lifespan: 0 min
  exhausted_killing: 0.3
  ifng_secretion: 0 pg/min
  failed_kill_factor: 4
  residual_secretion: 0
  il18_boost: {ec50: 200 pg/mL, hill: 1, emax: 0}
  il6_impairment: {ec50: 1000 pg/mL, hill: 2, emax: 0}
  exhausted_secretion: 0
  tnf_secretion: 0 pg/min
  il2_secretion: 0 pg/min
  crowd_limit: 1000
  max_cells: 1000000
  capacity: 1000000000
macrophages:
  count: 0
  lifespan: 0 min
  speed: 0 um/min
  activated_speed: 0 um/min
  hemophagocytic_speed: 0 um/min
  persistence: 10 min
  ifng_stat1: {ec50: 300 pg/mL, hill: 2, emax: 1}
  stat1_on: 0 1/min
  stat1_off: 0 1/min
  jak_dependence: 1
  il10_brake: {ec50: 500 pg/mL, hill: 1, emax: 0}
  activation_threshold: 0.5
  deactivation_threshold: 0.3
  hemophagocytic_threshold: 0.99
  hemophagocytic_rate: 0 1/min
  engulf_rate: 0 1/min
  contact_radius: 18 um
  il6_secretion: 0 pg/min
  tnf_secretion: 0 pg/min
  il18_secretion: 0 pg/min
  il10_secretion: 0 pg/min
  hemophagocytic_secretion_factor: 2
  antigen_uptake: 0 mL/min
  presentation_decay: 0 1/min
  presentation_threshold: 0.2
trigger:
  initial: 0
  division_rate: 0 1/min
  carrying_capacity: 1000000
  lifespan: 0 min
  influx: 0 1/min
  reactivation: 0 1/min
  tnf_reactivation: {ec50: 100 pg/mL, hill: 2, emax: 1}
  source_start: 0 min
  source_stop: 100000 day
  reservoir: 0
  latency_rate: 0 1/min
  antigen_secretion: 0 1/min
  speed: 0 um/min
blood:
  rbc: 0
  platelets: 0
  neutrophils: 0
  lymphocytes: 0
  transit_time: 60 min
  speed: 0 um/min
)";

/// One in-process run of the HLH model on kBaseYaml plus `extra` (merged on top: maps
/// merge deeply, other values are replaced).
class HlhRun {
  public:
    explicit HlhRun(const std::string& extra)
        : tree_(std::make_unique<config::ConfigNode>(config::load_string(kBaseYaml, "base.yaml"))),
          ctx_(std::make_unique<config::Context>()) {
        if (!extra.empty()) config::merge_into(*tree_, config::load_string(extra, "test.yaml"));
        root_ = std::make_unique<config::Section>(tree_.get(), "", *ctx_);
        root_->string("model", {.def = "hlh"});  // read by the command line, not the model
        sim_ = std::make_unique<Simulation>(*root_);
        model_ = make_hlh_model();
        model_->build(*sim_, *root_);
        config::check_unknown_keys(*tree_, *ctx_);
        ctx_->throw_if_errors();
    }

    Simulation& sim() { return *sim_; }
    const Simulation& sim() const { return *sim_; }
    Population& pop(const std::string& name) { return sim_->population(name); }

    /// Column `column` of population `name` (its element type must be T).
    template <class T>
    std::span<T> col(const std::string& name, const std::string& column) {
        Population& p = pop(name);
        const auto index = p.find_column(column);
        if (!index) throw std::invalid_argument("no column " + name + "." + column);
        return p.col(Column<T>{static_cast<std::uint32_t>(*index)});
    }

    /// Values of field `name` [its unit], one per voxel.
    std::span<double> field(const std::string& name) {
        return sim_->fields().values(*sim_->fields().index_of(name));
    }

    /// Runs to the configured duration on `threads` threads; after agent step k (1, 2, ...)
    /// calls after_step(k). With `output_name` the run file goes to the temporary directory
    /// and its time series can be read with series().
    void run(const std::function<void(int)>& after_step, int threads = 1,
             const std::string& output_name = "") {
        int k = 0;
        auto step = [&](double) {
            ++k;
            if (after_step) after_step(k);
            return true;
        };
        if (output_name.empty()) {
            sim_->run(nullptr, threads, step);
            return;
        }
        path_ = (std::filesystem::temp_directory_path() /
                 ("hlhsim_rules_" + std::to_string(::getpid()) + "_" + output_name + ".h5"))
                    .string();
        {
            io::OutputFile out = io::OutputFile::create(path_);
            sim_->run(&out, threads, step);
            out.commit();
        }
        // Kept open and unlinked at once: no file is left behind in the temporary directory.
        file_ = io::InputFile::open(path_);
        std::filesystem::remove(path_);
    }

    /// A column of /timeseries of the run file written by run(..., output_name).
    std::vector<double> series(const std::string& name) const {
        return io::read_array<double>(file_.value(), "/timeseries/" + name);
    }

  private:
    std::unique_ptr<config::ConfigNode> tree_;
    std::unique_ptr<config::Context> ctx_;
    std::unique_ptr<config::Section> root_;
    std::unique_ptr<Simulation> sim_;
    std::unique_ptr<Model> model_;
    std::string path_;
    std::optional<io::InputFile> file_;
};

/// Counts of the values of a uint8 state column.
inline std::vector<int> count_states(std::span<const std::uint8_t> state, int n_states) {
    std::vector<int> n(static_cast<std::size_t>(n_states), 0);
    for (std::uint8_t s : state) ++n[s];
    return n;
}

/// Births of a dividing population step by step, against the expectation of one Bernoulli
/// division per cell and step: `step(n, q)` takes the count after the step and the
/// division probability q that held during it (from the count before, `prev`).
struct BirthTally {
    double prev = 0, births = 0, expected = 0, var = 0, peak = 0;
    explicit BirthTally(double start) : prev(start), peak(start) {}
    void step(double n, double q) {
        births += n - prev, expected += prev * q, var += prev * q * (1 - q);
        prev = n, peak = std::max(peak, n);
    }
    /// |births - expected| in standard deviations.
    double z() const { return std::abs(births - expected) / std::sqrt(var); }
};

/// |observed - expected| in units of the binomial standard deviation of n trials of p.
inline double binomial_z(double observed, double n, double p) {
    return std::abs(observed - n * p) / std::sqrt(n * p * (1 - p));
}

}  // namespace hlhsim::models::hlh::testing
