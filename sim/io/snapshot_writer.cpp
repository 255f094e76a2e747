#include "sim/io/snapshot_writer.hpp"

#include <span>

#include "sim/agents/population.hpp"
#include "sim/fields/field_set.hpp"
#include "sim/io/h5_write.hpp"
#include "sim/io/output_file.hpp"
#include "sim/space/domain.hpp"

namespace hlhsim::io {
namespace {

template <class T>
std::span<const T> as_span(const void* data, std::size_t n) {
    return {static_cast<const T*>(data), n};
}

void write_column(OutputFile& f, const std::string& path, const Population& p, std::size_t c,
                  int compression) {
    const void* d = p.column_data(c);
    const std::size_t n = p.size();
    switch (p.column_type(c)) {
        case ColumnType::kFloat64:
            write_array(f, path, as_span<double>(d, n), {}, compression);
            break;
        case ColumnType::kFloat32:
            write_array(f, path, as_span<float>(d, n), {}, compression);
            break;
        case ColumnType::kInt32:
            write_array(f, path, as_span<std::int32_t>(d, n), {}, compression);
            break;
        case ColumnType::kUInt32:
            write_array(f, path, as_span<std::uint32_t>(d, n), {}, compression);
            break;
        case ColumnType::kInt64:
            write_array(f, path, as_span<std::int64_t>(d, n), {}, compression);
            break;
        case ColumnType::kUInt64:
            write_array(f, path, as_span<std::uint64_t>(d, n), {}, compression);
            break;
        case ColumnType::kUInt8:
            write_array(f, path, as_span<std::uint8_t>(d, n), {}, compression);
            break;
    }
}

}  // namespace

void write_agents(OutputFile& file, const std::string& group,
                  const std::deque<Population>& populations, const std::vector<StateNames>& states,
                  int compression) {
    std::size_t total = 0;
    for (const auto& p : populations) total += p.size();
    std::vector<std::uint64_t> id;
    std::vector<std::uint8_t> type, state;
    std::vector<double> x, y, z;
    id.reserve(total);
    type.reserve(total);
    state.reserve(total);
    x.reserve(total);
    y.reserve(total);
    const int dims = populations.empty() ? 2 : populations.front().dims();
    std::vector<std::string> names;
    std::vector<std::int64_t> offsets;
    for (std::size_t k = 0; k < populations.size(); ++k) {
        const Population& p = populations[k];
        names.push_back(p.name());
        offsets.push_back(static_cast<std::int64_t>(id.size()));
        const StateNames* sn = nullptr;
        for (const auto& s : states)
            if (s.population == p.name()) sn = &s;
        const auto ids = p.ids();
        id.insert(id.end(), ids.begin(), ids.end());
        type.insert(type.end(), p.size(), static_cast<std::uint8_t>(k));
        if (sn) {
            const auto* st = static_cast<const std::uint8_t*>(p.column_data(sn->column));
            state.insert(state.end(), st, st + p.size());
        } else {
            state.insert(state.end(), p.size(), 0);
        }
        x.insert(x.end(), p.x().begin(), p.x().end());
        y.insert(y.end(), p.y().begin(), p.y().end());
        if (dims == 3) z.insert(z.end(), p.z().begin(), p.z().end());
        for (std::size_t c = 4; c < p.num_columns(); ++c) {
            if (sn && c == sn->column) continue;
            write_column(file, group + "/" + p.name() + "/" + p.column_name(c), p, c, compression);
        }
    }
    write_array(file, group + "/id", std::span<const std::uint64_t>(id), {}, compression);
    write_array(file, group + "/type", std::span<const std::uint8_t>(type), {}, compression);
    write_array(file, group + "/state", std::span<const std::uint8_t>(state), {}, compression);
    write_array(file, group + "/x", std::span<const double>(x), {}, compression);
    write_array(file, group + "/y", std::span<const double>(y), {}, compression);
    if (dims == 3) write_array(file, group + "/z", std::span<const double>(z), {}, compression);
    write_attribute(file, group, "types", names);
    write_attribute(file, group, "offsets", offsets);
    for (const auto& s : states)
        write_attribute(file, group, "state_names_" + s.population, s.names);
}

void write_fields(OutputFile& file, const std::string& group, const FieldSet& fields,
                  int compression) {
    const GridSpec& g = fields.grid();
    std::vector<std::uint64_t> shape;
    if (g.dims == 3) shape.push_back(static_cast<std::uint64_t>(g.n[2]));
    shape.push_back(static_cast<std::uint64_t>(g.n[1]));
    shape.push_back(static_cast<std::uint64_t>(g.n[0]));
    for (std::size_t f = 0; f < fields.num_fields(); ++f) {
        const std::string path = group + "/" + fields.spec(f).name;
        write_array(file, path, fields.values(f), shape, compression);
        write_attribute(file, path, "unit", fields.spec(f).unit);
    }
}

void write_domain(OutputFile& file, const Domain& domain, const FieldSet* fields) {
    write_attribute(file, "/domain", "dims", static_cast<std::int64_t>(domain.dims()));
    write_attribute(file, "/domain", "lo",
                    std::vector<double>{domain.lo().x, domain.lo().y, domain.lo().z});
    write_attribute(file, "/domain", "hi",
                    std::vector<double>{domain.hi().x, domain.hi().y, domain.hi().z});
    write_attribute(file, "/domain", "unit", "um");
    write_attribute(file, "/domain", "boundary",
                    domain.boundary(0) == Boundary::kPeriodic ? "periodic" : "reflecting");
    if (!fields) return;
    const GridSpec& g = fields->grid();
    write_attribute(file, "/grid", "dims", static_cast<std::int64_t>(g.dims));
    write_attribute(file, "/grid", "n", std::vector<std::int64_t>{g.n[0], g.n[1], g.n[2]});
    write_attribute(file, "/grid", "dx", g.dx);
    write_attribute(file, "/grid", "origin",
                    std::vector<double>{g.origin.x, g.origin.y, g.origin.z});
    std::vector<std::string> names;
    for (std::size_t f = 0; f < fields->num_fields(); ++f) names.push_back(fields->spec(f).name);
    write_attribute(file, "/grid", "fields", names);
}

}  // namespace hlhsim::io
