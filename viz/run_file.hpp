#pragma once
// Read-only access to a run file (docs/output.md) for the renderers: the domain and
// grid, the snapshot list, one snapshot's agents and fields, the time series, the
// events and the criteria tables. Reads go through sim/io; nothing here touches the
// live engine. Missing optional parts (no fields, no events, no criteria) read as empty.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "sim/io/input_file.hpp"

namespace hlhsim::viz {

/// The simulated patch: /domain attrs.
struct DomainInfo {
    int dims = 2;              ///< 2 or 3
    double lo[3] = {0, 0, 0};  ///< lower corner [um]
    double hi[3] = {0, 0, 0};  ///< upper corner [um]
    std::string boundary;      ///< "periodic" or "reflecting"
};

/// The field grid: /grid attrs (absent when the run has no fields).
struct GridInfo {
    int dims = 2;
    int n[3] = {1, 1, 1};             ///< voxels per axis (x, y, z)
    double dx = 1;                    ///< voxel edge [um]
    double origin[3] = {0, 0, 0};     ///< corner of voxel (0,0,0) [um]
    std::vector<std::string> fields;  ///< field names
};

/// One population's slice of a snapshot's combined agent table.
struct PopulationSlice {
    std::string name;
    std::size_t first = 0;  ///< first row in the combined table
    std::size_t count = 0;
    std::vector<std::string> state_names;  ///< names of the values of `state`
};

/// One /snapshots/NNNNNN group.
struct Snapshot {
    std::string name;     ///< "000012"
    double time_min = 0;  ///< simulated time [min]
    std::int64_t step = 0;
    std::vector<std::uint64_t> id;
    std::vector<std::uint8_t> type;  ///< index into populations
    std::vector<std::uint8_t> state;
    std::vector<double> x, y, z;  ///< positions [um]; z is all 0 in 2-D
    std::vector<double> radius;   ///< agents/<pop>/radius [um]; 0 where not recorded
    std::vector<PopulationSlice> populations;
};

/// A 2-D or 3-D field of one snapshot, x fastest.
struct FieldData {
    std::string name;
    std::string unit;
    int n[3] = {1, 1, 1};        ///< extents (x, y, z)
    std::vector<double> values;  ///< n[0]*n[1]*n[2] values
    double at(int i, int j, int k = 0) const {
        return values[(static_cast<std::size_t>(k) * static_cast<std::size_t>(n[1]) +
                       static_cast<std::size_t>(j)) *
                          static_cast<std::size_t>(n[0]) +
                      static_cast<std::size_t>(i)];
    }
};

/// One time series: /timeseries/<name>.
struct Series {
    std::string name;
    std::string unit;
    std::vector<double> values;
};

/// One row of /events.
struct Event {
    double time_min = 0;  ///< [min]
    std::string kind;     ///< dose, treatment_start, relapse, ...
    std::string detail;   ///< e.g. "ruxolitinib 5 mg"
};

/// A criteria table (/criteria/<name>): numeric columns by name, one row per day.
struct Table {
    std::vector<std::string> columns;  ///< in the group's order
    std::map<std::string, std::vector<double>> values;
    std::size_t rows() const { return values.empty() ? 0 : values.begin()->second.size(); }
};

class RunFile {
  public:
    /// Opens a run file (committed or .partial). Throws IoError if it cannot be read
    /// and InputError if it is not a run file (no /domain).
    explicit RunFile(const std::string& path);

    const std::string& path() const { return path_; }
    const DomainInfo& domain() const { return domain_; }
    /// The field grid, or nullopt for a run without fields.
    const std::optional<GridInfo>& grid() const { return grid_; }
    /// Snapshot group names in time order.
    const std::vector<std::string>& snapshot_names() const { return snapshots_; }
    /// Simulated time of every snapshot [min], parallel to snapshot_names().
    const std::vector<double>& snapshot_times() const { return snapshot_times_; }
    /// Simulated duration [min] (root attr duration_min, else the last time recorded).
    double duration_min() const { return duration_min_; }
    std::string model() const { return model_; }

    /// Reads snapshot `index` (of snapshot_names()): agents only.
    Snapshot snapshot(std::size_t index) const;
    /// Reads field `name` of snapshot `index`. Throws InputError naming the fields the
    /// snapshot has when `name` is not one of them.
    FieldData field(std::size_t index, const std::string& name) const;
    /// Names of the extra columns of `population` in snapshot `index` (agents/<pop>/*).
    std::vector<std::string> population_columns(std::size_t index,
                                                const std::string& population) const;
    /// One extra column as doubles (rows of that population only).
    std::vector<double> population_column(std::size_t index, const std::string& population,
                                          const std::string& column) const;
    /// Field names of snapshot `index`.
    std::vector<std::string> field_names(std::size_t index) const;

    /// Names of /timeseries columns other than "time", in file order.
    std::vector<std::string> series_names() const;
    bool has_series(const std::string& name) const;
    /// /timeseries/<name> with its unit; "time" gives the times [min].
    Series series(const std::string& name) const;
    /// All rows of /events (empty when absent).
    std::vector<Event> events() const;
    /// /criteria/<name> (nullopt when absent).
    std::optional<Table> criteria(const std::string& name) const;
    /// The resolved configuration text (/config), "" when absent.
    std::string config_text() const;

    const io::InputFile& file() const { return file_; }

  private:
    std::string path_;
    io::InputFile file_;
    DomainInfo domain_;
    std::optional<GridInfo> grid_;
    std::vector<std::string> snapshots_;
    std::vector<double> snapshot_times_;
    double duration_min_ = 0;
    std::string model_;
};

/// "day 3, 04:30" for a time in minutes (day counted from 0).
std::string format_sim_time(double time_min);

}  // namespace hlhsim::viz
