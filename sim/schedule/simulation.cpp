#include "sim/schedule/simulation.hpp"

#include <fmt/format.h>
#include <tbb/task_arena.h>

#include <chrono>
#include <cmath>

#include "sim/config/section.hpp"
#include "sim/core/errors.hpp"
#include "sim/core/units.hpp"
#include "sim/io/appendable_table.hpp"
#include "sim/io/h5_write.hpp"
#include "sim/io/output_file.hpp"
#include "sim/io/snapshot_writer.hpp"

namespace hlhsim {

// ---------------------------------------------------------------- RecordTable

void RecordTable::append(std::vector<Cell> row) {
    if (row.size() != columns_.size())
        throw std::logic_error(fmt::format("table {}: row of {} cells for {} columns", path_,
                                           row.size(), columns_.size()));
    pending_.push_back(std::move(row));
    ++rows_;
}

// ---------------------------------------------------------------- output state

struct Simulation::Writer {
    io::OutputFile* file = nullptr;
    std::unique_ptr<io::AppendableTable> timeseries;
    std::vector<io::AppendableTable> tables;  // parallel to tables_, then events_

    static io::AppendableTable make_table(io::OutputFile& f, const RecordTable& t) {
        io::AppendableTable table(f, t.path(), 256);
        for (const auto& c : t.columns()) {
            switch (c.kind) {
                case RecordTable::Kind::kDouble:
                    table.add_double_column(c.name, c.unit);
                    break;
                case RecordTable::Kind::kInt:
                    table.add_int_column(c.name, c.unit);
                    break;
                case RecordTable::Kind::kString:
                    table.add_string_column(c.name, c.unit);
                    break;
            }
        }
        return table;
    }
    static void drain(RecordTable& from, io::AppendableTable& to) {
        for (auto& row : from.take_pending()) {
            std::vector<io::AppendableTable::Cell> cells;
            cells.reserve(row.size());
            for (auto& c : row) std::visit([&](auto&& v) { cells.emplace_back(v); }, c);
            to.append_row(cells);
        }
    }
};

// ---------------------------------------------------------------- construction

namespace {

Boundary read_boundary(config::Section& s) {
    const std::string b = s.string("boundary", {.def = "periodic",
                                                .choices = {"periodic", "reflecting"},
                                                .doc = "what agents meet at the domain's edge; "
                                                       "fields get periodic or no-flux faces"});
    return b == "periodic" ? Boundary::kPeriodic : Boundary::kReflecting;
}

}  // namespace

Simulation::Simulation(config::Section& root, std::optional<std::uint64_t> seed_override) {
    const std::int64_t seed = root.integer(
        "seed", {.def = 1, .min = 0, .doc = "random seed; same seed and config, same output"});
    seed_ = seed_override.value_or(static_cast<std::uint64_t>(seed));
    duration_ = root.quantity("duration", "min",
                              {.min = 0, .doc = "simulated time to run, e.g. '550 day'"});

    config::Section dom = root.section("domain", {.required = true, .doc = "the tissue patch"});
    const int dims = static_cast<int>(
        dom.integer("dims", {.def = 2, .min = 2, .max = 3, .doc = "2-D sheet or 3-D block"}));
    std::vector<double> size = dom.quantities(
        "size", "um", {.required = true, .doc = "edge lengths [x, y(, z)] of the patch"});
    const Boundary boundary = read_boundary(dom);
    if (size.size() != static_cast<std::size_t>(dims)) {
        if (dom.present() && !size.empty())
            dom.error("size", fmt::format("expected {} lengths for a {}-D domain, got {}", dims,
                                          dims, size.size()));
        size.assign(static_cast<std::size_t>(dims), 1000.0);
    }
    for (double s : size)
        if (!(s > 0)) dom.error("size", "every edge length must be > 0 um");
    Vec3 hi{size[0] > 0 ? size[0] : 1.0, size[1] > 0 ? size[1] : 1.0,
            dims == 3 && size[2] > 0 ? size[2] : 0.0};
    domain_ = std::make_unique<Domain>(dims, Vec3{}, hi, boundary);

    config::Section f = root.section("fields", {.doc = "diffusing substances on one grid"});
    if (f.present()) {
        const double voxel = f.quantity(
            "voxel", "um", {.def = "20 um", .min = 1e-3, .doc = "edge of a cubic voxel"});
        field_period_ = f.quantity("timestep", "min",
                                   {.def = "1 min",
                                    .min = 1e-6,
                                    .doc = "solver step (implicit, stable "
                                           "for any step; accuracy is yours)"});
        GridSpec grid;
        grid.dims = dims;
        grid.dx = voxel;
        for (int a = 0; a < dims; ++a) {
            const double cells = size[static_cast<std::size_t>(a)] / voxel;
            grid.n[static_cast<std::size_t>(a)] = std::max(1, static_cast<int>(std::lround(cells)));
            if (std::abs(cells - std::round(cells)) > 1e-6 * cells)
                f.error("voxel", fmt::format("domain edge {} um is not a whole number of {} um "
                                             "voxels",
                                             size[static_cast<std::size_t>(a)], voxel));
            grid.boundary[static_cast<std::size_t>(a)] =
                boundary == Boundary::kPeriodic ? FieldBoundary::kPeriodic : FieldBoundary::kNoFlux;
        }
        std::vector<FieldSpec> specs;
        for (auto& [name, s] :
             f.named("substances", {.required = true, .doc = "one entry per field, by name"})) {
            FieldSpec spec;
            spec.name = name;
            spec.unit = s.string("unit", {.def = "ng/mL", .doc = "concentration unit of values"});
            std::string unit = spec.unit;
            try {
                parse_unit(unit);
            } catch (const UnitError& e) {
                s.error("unit", e.what());
                unit = "1";
            }
            spec.diffusion = s.quantity("diffusion", "um^2/min",
                                        {.min = 0, .doc = "diffusion coefficient in tissue"});
            spec.decay = s.quantity("decay", "1/min",
                                    {.def = "0 1/min", .min = 0, .doc = "first-order decay rate"});
            spec.initial = s.quantity(
                "initial", unit, {.def = "0 " + unit, .min = 0, .doc = "uniform initial value"});
            specs.push_back(std::move(spec));
        }
        if (!root.context().has_errors()) {
            try {
                fields_ = std::make_unique<FieldSet>(grid, std::move(specs));
            } catch (const InputError& e) {
                f.error("substances", e.what());
            }
        }
    }

    config::Section out = root.section("output", {.doc = "what is written and how often"});
    output_.record_every = out.quantity(
        "record_every", "min", {.def = "1 min", .min = 1e-6, .doc = "time-series interval"});
    output_.snapshot_every = out.quantity(
        "snapshot_every", "min", {.def = "60 min", .min = 1e-6, .doc = "snapshot interval"});
    output_.snapshot_fields =
        out.boolean("fields", {.def = true, .doc = "include fields in snapshots"});
    output_.compression = static_cast<int>(
        out.integer("compression", {.def = 4, .min = 0, .max = 9, .doc = "deflate level"}));

    // Output phases come first: they see the state at the start of each step.
    schedule_.add_phase("record", output_.record_every, [this](const Tick&) { record(); });
    schedule_.add_phase("snapshot", output_.snapshot_every, [this](const Tick&) { snapshot(); });
    if (fields_) {
        // Field steps with nothing else between them run several at a time, where no
        // exchange reads agents before each step: the same as `count` field_step()s.
        schedule_.add_phase("fields", field_period_, [this](const Tick& t) { field_step(t); },
                            {.batch =
                                 [this](const Tick& first, std::uint64_t count) {
                                     fields_->clear_sources();
                                     fields_->step_many(first.dt, count);
                                 },
                             .batch_ready = [this] { return exchanges_.empty() && setups_done_; }});
    }
}

Simulation::~Simulation() = default;

FieldSet& Simulation::fields() {
    if (!fields_) throw std::logic_error("this run has no fields");
    return *fields_;
}
const FieldSet& Simulation::fields() const {
    if (!fields_) throw std::logic_error("this run has no fields");
    return *fields_;
}

std::optional<std::size_t> Simulation::require_field(const std::string& name,
                                                     config::Section& section,
                                                     const std::string& key) {
    if (fields_) {
        if (auto f = fields_->index_of(name)) return f;
    }
    if (!section.context().has_errors())
        section.error(key, fmt::format("needs a field '{}' under fields.substances", name));
    return std::nullopt;
}

Population& Simulation::add_population(const std::string& name) {
    for (const auto& p : populations_)
        if (p.name() == name) throw std::logic_error("duplicate population " + name);
    return populations_.emplace_back(name, domain_->dims(), ids_);
}

Population& Simulation::population(const std::string& name) {
    for (auto& p : populations_)
        if (p.name() == name) return p;
    throw std::logic_error("no population " + name);
}

void Simulation::set_state_column(const Population& pop, Column<std::uint8_t> state,
                                  std::vector<std::string> names) {
    state_columns_.push_back({pop.name(), state, std::move(names)});
}

void Simulation::field_step(const Tick& t) {
    fields_->clear_sources();
    if (!setups_done_) {
        for (auto& setup : setups_) setup(*fields_, t);
        setups_done_ = true;
    }
    for (auto& ex : exchanges_) ex(*fields_, t);
    fields_->step(t.dt);
}

void Simulation::add_field_setup(std::function<void(FieldSet&, const Tick&)> setup) {
    setups_.push_back(std::move(setup));
}

void Simulation::add_field_exchange(std::function<void(FieldSet&, const Tick&)> exchange) {
    exchanges_.push_back(std::move(exchange));
}

void Simulation::add_readout(std::string name, std::string unit, std::function<double()> value) {
    readouts_.push_back({std::move(name), std::move(unit), std::move(value)});
}

RecordTable& Simulation::add_table(std::string path, std::vector<RecordTable::ColumnSpec> columns) {
    return tables_.emplace_back(std::move(path), std::move(columns));
}

void Simulation::log_event(std::string kind, std::string detail) {
    events_.append({time(), std::move(kind), std::move(detail)});
}

void Simulation::set_provenance(std::vector<std::pair<std::string, std::string>> items) {
    provenance_ = std::move(items);
}

// ---------------------------------------------------------------- running

void Simulation::record() {
    const double t = time();
    if (t == last_record_time_) return;
    last_record_time_ = t;
    if (!writer_) return;
    std::vector<io::AppendableTable::Cell> row;
    row.reserve(readouts_.size() + 1);
    row.emplace_back(t);
    for (const auto& r : readouts_) row.emplace_back(r.value());
    writer_->timeseries->append_row(row);
}

void Simulation::snapshot() {
    const double t = time();
    if (t == last_snapshot_time_) return;
    last_snapshot_time_ = t;
    if (!writer_) return;
    io::OutputFile& f = *writer_->file;
    const std::string group = fmt::format("/snapshots/{:06d}", snapshot_index_++);
    std::vector<io::StateNames> names;
    for (const auto& s : state_columns_) names.push_back({s.population, s.column.index, s.names});
    io::write_agents(f, group + "/agents", populations_, names, output_.compression);
    if (fields_ && output_.snapshot_fields)
        io::write_fields(f, group + "/fields", *fields_, output_.compression);
    io::write_attribute(f, group, "time", t);
    io::write_attribute(f, group, "step", static_cast<std::int64_t>(step()));
    // Everything recorded so far reaches the disk with each snapshot, so a killed
    // run keeps it.
    writer_->timeseries->flush_rows();
    for (std::size_t i = 0; i < tables_.size(); ++i) {
        Writer::drain(tables_[i], writer_->tables[i]);
        writer_->tables[i].flush_rows();
    }
    Writer::drain(events_, writer_->tables.back());
    writer_->tables.back().flush_rows();
    f.flush();
}

void Simulation::run(io::OutputFile* out, int threads,
                     const std::function<bool(double minutes)>& on_step) {
    if (out) {
        writer_ = std::make_unique<Writer>();
        writer_->file = out;
        io::write_attribute(*out, "/", "format_version", std::int64_t{1});
        io::write_attribute(*out, "/", "hlhsim_version", HLHSIM_VERSION);
        io::write_attribute(*out, "/", "seed", static_cast<std::int64_t>(seed_));
        io::write_attribute(*out, "/", "duration_min", duration_);
        io::write_domain(*out, *domain_, fields_.get());
        for (const auto& [k, v] : provenance_) io::write_attribute(*out, "/provenance", k, v);
        io::write_attribute(*out, "/provenance", "threads", static_cast<std::int64_t>(threads));
        writer_->timeseries = std::make_unique<io::AppendableTable>(*out, "/timeseries", 1024);
        writer_->timeseries->add_double_column("time", "min");
        for (const auto& r : readouts_) writer_->timeseries->add_double_column(r.name, r.unit);
        for (const auto& t : tables_) writer_->tables.push_back(Writer::make_table(*out, t));
        writer_->tables.push_back(Writer::make_table(*out, events_));
        out->flush();
    }
    tbb::task_arena arena(threads);
    double loop_seconds = 0;  // the step loop's wall time (phases may overlap; see Schedule)
    arena.execute([&] {
        const auto t0 = std::chrono::steady_clock::now();
        schedule_.run_until(
            duration_, [&](const Tick&) { return on_step ? on_step(schedule_.time()) : true; });
        loop_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        record();
        snapshot();
    });
    if (writer_) {
        std::vector<std::string> names;
        std::vector<double> periods, seconds;
        for (const auto& p : schedule_.phases()) {
            names.push_back(p.name);
            periods.push_back(p.period);
            seconds.push_back(p.seconds);
        }
        io::write_attribute(*out, "/provenance", "phase_names", names);
        io::write_attribute(*out, "/provenance", "phase_seconds", seconds);
        io::write_attribute(*out, "/provenance", "loop_seconds", loop_seconds);
        io::write_attribute(*out, "/", "phase_periods_min", periods);
        out->flush();
        writer_.reset();
    }
}

}  // namespace hlhsim
