#pragma once
// One run: the world (domain, fields, populations), the schedule that steps it,
// and what is recorded. Built from configuration in two steps so that every
// config error is reported before any output is written:
//   Simulation sim(root_section, seed);  model.build(sim, root_section);
//   check_unknown_keys + throw_if_errors;  then sim.run(output, threads, ...).
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "sim/agents/population.hpp"
#include "sim/fields/field_set.hpp"
#include "sim/schedule/schedule.hpp"
#include "sim/space/domain.hpp"

namespace hlhsim {

namespace config {
class Section;
}
namespace io {
class OutputFile;
}

/// What the output section of the configuration asks for.
struct OutputSettings {
    double record_every = 1;      ///< time-series interval [min]
    double snapshot_every = 60;   ///< agents + fields snapshot interval [min]
    bool snapshot_fields = true;  ///< write fields into snapshots
    int compression = 4;          ///< deflate level 0-9
};

/// A table of rows recorded by a model (e.g. /criteria/hlh2004 once a day).
class RecordTable {
  public:
    using Cell = std::variant<double, std::int64_t, std::string>;
    enum class Kind { kDouble, kInt, kString };
    struct ColumnSpec {
        std::string name;
        Kind kind;
        std::string unit;
    };
    RecordTable(std::string path, std::vector<ColumnSpec> columns)
        : path_(std::move(path)), columns_(std::move(columns)) {}
    void append(std::vector<Cell> row);
    const std::string& path() const { return path_; }
    const std::vector<ColumnSpec>& columns() const { return columns_; }
    /// Rows not yet written to the output file (taken by the writer).
    std::vector<std::vector<Cell>> take_pending() { return std::exchange(pending_, {}); }
    std::size_t rows() const { return rows_; }

  private:
    std::string path_;
    std::vector<ColumnSpec> columns_;
    std::vector<std::vector<Cell>> pending_;
    std::size_t rows_ = 0;
};

class Simulation {
  public:
    /// Reads the engine's keys from the root section: seed, duration, domain,
    /// fields, output. `seed_override` (from --seed) wins over the file.
    Simulation(config::Section& root, std::optional<std::uint64_t> seed_override = {});
    ~Simulation();
    Simulation(const Simulation&) = delete;
    Simulation& operator=(const Simulation&) = delete;

    // ---- the world
    const Domain& domain() const { return *domain_; }
    bool has_fields() const { return fields_ != nullptr; }
    FieldSet& fields();
    const FieldSet& fields() const;
    /// The index of field `name`, or an error in `section` (at `key`) if it is not declared.
    std::optional<std::size_t> require_field(const std::string& name, config::Section& section,
                                             const std::string& key);
    Population& add_population(const std::string& name);
    Population& population(const std::string& name);
    const std::deque<Population>& populations() const { return populations_; }
    /// Names the values of a uint8 state column, for output and rendering.
    void set_state_column(const Population& pop, Column<std::uint8_t> state,
                          std::vector<std::string> names);
    IdSource& ids() { return ids_; }

    // ---- time
    std::uint64_t seed() const { return seed_; }
    double duration() const { return duration_; }
    Schedule& schedule() { return schedule_; }
    double time() const { return schedule_.time(); }
    std::uint64_t step() const { return schedule_.step(); }

    /// Adds a function that fills field sources/uptake before each field step.
    void add_field_exchange(std::function<void(FieldSet&, const Tick&)> exchange);
    /// Adds one that runs before the first field step only (e.g. the steady rates of
    /// static agents). Where a run has no per-step exchange, field steps with nothing else
    /// between them run several at a time (FieldSet::step_many): same results, fewer
    /// forks and joins; and a phase added with `.independent_of = "fields"` (one that
    /// neither reads nor writes the fields) may run beside them (Schedule::PhaseOptions).
    void add_field_setup(std::function<void(FieldSet&, const Tick&)> setup);

    // ---- records
    /// A scalar readout, sampled every record interval into /timeseries/<name>.
    void add_readout(std::string name, std::string unit, std::function<double()> value);
    /// A table of rows at `path` (e.g. "/criteria/hlh2004").
    RecordTable& add_table(std::string path, std::vector<RecordTable::ColumnSpec> columns);
    /// Appends to /events at the current simulated time.
    void log_event(std::string kind, std::string detail);
    const OutputSettings& output_settings() const { return output_; }

    /// Runs to the configured duration inside a task arena of `threads` threads,
    /// writing to `out` (may be null: no output). `on_step` may stop the run early.
    void run(io::OutputFile* out, int threads,
             const std::function<bool(double minutes)>& on_step = {});
    /// Provenance written to /provenance (not compared between runs).
    void set_provenance(std::vector<std::pair<std::string, std::string>> items);

  private:
    struct StateColumn {
        std::string population;
        Column<std::uint8_t> column;
        std::vector<std::string> names;
    };
    struct Readout {
        std::string name, unit;
        std::function<double()> value;
    };
    struct Writer;  // output state, defined in simulation.cpp
    void record();
    void snapshot();

    std::uint64_t seed_ = 0;
    double duration_ = 0;
    std::unique_ptr<Domain> domain_;
    std::unique_ptr<FieldSet> fields_;
    double field_period_ = 0;
    std::deque<Population> populations_;
    std::vector<StateColumn> state_columns_;
    IdSource ids_;
    Schedule schedule_;
    std::vector<std::function<void(FieldSet&, const Tick&)>> exchanges_, setups_;
    bool setups_done_ = false;
    void field_step(const Tick& t);
    std::vector<Readout> readouts_;
    std::deque<RecordTable> tables_;
    RecordTable events_{"/events",
                        {{"time", RecordTable::Kind::kDouble, "min"},
                         {"kind", RecordTable::Kind::kString, ""},
                         {"detail", RecordTable::Kind::kString, ""}}};
    OutputSettings output_;
    std::vector<std::pair<std::string, std::string>> provenance_;
    std::unique_ptr<Writer> writer_;
    std::int64_t snapshot_index_ = 0;
    double last_record_time_ = -1;
    double last_snapshot_time_ = -1;
};

}  // namespace hlhsim
