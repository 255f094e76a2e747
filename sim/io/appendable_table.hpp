#pragma once
// A group of extendible, chunked 1-D datasets that grow together by rows: /timeseries,
// /criteria/hlh2004, /events. Each column is a dataset of the group (double, int64 or
// variable-length UTF-8 string) with an optional "unit" attribute; the group's
// "columns" attribute lists the column names in order. h5py reads a column as an
// ordinary 1-D dataset.
//
// Rows are buffered in memory and written by flush_rows() (and automatically whenever
// a chunk's worth is buffered). Call flush_rows() before OutputFile::flush() so the
// rows survive a kill. The table refers to its file by HDF5 id: it may outlive moves of
// the OutputFile but must be flushed before OutputFile::commit().
#include <cstddef>
#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "sim/io/output_file.hpp"

namespace hlhsim::io {

class AppendableTable {
  public:
    /// One value of a row; its alternative must match the column's type.
    using Cell = std::variant<double, std::int64_t, std::string>;

    /// Creates the group `group_path` (and missing parents) in `file`. Columns are
    /// chunked by `chunk_rows` rows (> 0), which is also the auto-flush size.
    AppendableTable(OutputFile& file, std::string group_path, std::size_t chunk_rows = 1024);
    AppendableTable(AppendableTable&& other) noexcept;
    AppendableTable& operator=(AppendableTable&& other) = delete;
    AppendableTable(const AppendableTable&) = delete;
    AppendableTable& operator=(const AppendableTable&) = delete;
    /// Writes buffered rows if the file is still open; errors are swallowed here, so
    /// call flush_rows() explicitly to see them.
    ~AppendableTable();

    /// Adds an (empty) column; only before the first row. `unit` like "um" or "1/min"
    /// becomes the column's "unit" attribute when not empty.
    void add_double_column(std::string name, std::string unit = "");
    void add_int_column(std::string name, std::string unit = "");
    void add_string_column(std::string name, std::string unit = "");

    /// Buffers one row: one cell per column, in column order, of the column's type.
    /// Throws IoError (and buffers nothing) on a wrong count or type.
    void append_row(const std::vector<Cell>& row);
    /// Writes all buffered rows to the file.
    void flush_rows();

    /// Rows appended so far (written and buffered).
    std::size_t rows() const { return rows_written_ + buffered_; }
    /// Rows still in memory.
    std::size_t buffered_rows() const { return buffered_; }
    std::size_t columns() const { return columns_.size(); }
    const std::string& group_path() const { return group_path_; }

  private:
    enum class Kind { kDouble, kInt, kString };
    struct Column {
        std::string name;
        Kind kind;
        std::vector<double> doubles;
        std::vector<std::int64_t> ints;
        std::vector<std::string> strings;
    };
    void add_column(std::string name, std::string unit, Kind kind);

    std::int64_t file_id_ = -1;
    std::string file_name_;
    std::string group_path_;
    std::size_t chunk_rows_;
    std::vector<Column> columns_;
    std::size_t rows_written_ = 0;
    std::size_t buffered_ = 0;
};

}  // namespace hlhsim::io
