#include "sim/io/appendable_table.hpp"

#include <fmt/format.h>

#include <utility>

#include "sim/io/h5_handle.hpp"
#include "sim/io/h5_types.hpp"

namespace hlhsim::io {

using detail::check;
using detail::ErrorSilence;
using detail::H5Handle;

namespace {
constexpr const char* kKindNames[] = {"double", "int64", "string"};
}  // namespace

AppendableTable::AppendableTable(OutputFile& file, std::string group_path, std::size_t chunk_rows)
    : file_id_(file.handle()),
      file_name_(file.partial_path()),
      group_path_(std::move(group_path)),
      chunk_rows_(chunk_rows) {
    const ErrorSilence silence;
    if (chunk_rows_ == 0)
        detail::throw_io("create table", group_path_, "chunk_rows must be positive", file_name_);
    if (detail::split_path(group_path_).empty())
        detail::throw_io("create table", group_path_, "a table needs its own group", file_name_);
    detail::ensure_group(file_id_, group_path_);
}

AppendableTable::AppendableTable(AppendableTable&& other) noexcept
    : file_id_(std::exchange(other.file_id_, -1)),
      file_name_(std::move(other.file_name_)),
      group_path_(std::move(other.group_path_)),
      chunk_rows_(other.chunk_rows_),
      columns_(std::move(other.columns_)),
      rows_written_(std::exchange(other.rows_written_, 0)),
      buffered_(std::exchange(other.buffered_, 0)) {
    other.columns_.clear();
}

AppendableTable::~AppendableTable() {
    if (buffered_ == 0 || file_id_ < 0) return;
    const ErrorSilence silence;
    if (H5Iis_valid(file_id_) <= 0) return;
    try {
        flush_rows();
    } catch (...) {
        // A destructor must not throw; callers who care call flush_rows() themselves.
    }
}

void AppendableTable::add_double_column(std::string name, std::string unit) {
    add_column(std::move(name), std::move(unit), Kind::kDouble);
}
void AppendableTable::add_int_column(std::string name, std::string unit) {
    add_column(std::move(name), std::move(unit), Kind::kInt);
}
void AppendableTable::add_string_column(std::string name, std::string unit) {
    add_column(std::move(name), std::move(unit), Kind::kString);
}

void AppendableTable::add_column(std::string name, std::string unit, Kind kind) {
    const ErrorSilence silence;
    const std::string path = group_path_ + "/" + name;
    if (rows() > 0) detail::throw_io("add column", path, "the table already has rows", file_name_);
    if (name.empty() || name.find('/') != std::string::npos)
        detail::throw_io("add column", path, "column names must be non-empty, without '/'",
                         file_name_);
    const H5Handle group = detail::ensure_group(file_id_, group_path_);
    const htri_t there = H5Lexists(group.get(), name.c_str(), H5P_DEFAULT);
    check(there, "look up", path, file_name_);
    if (there > 0) detail::throw_io("add column", path, "the column exists", file_name_);

    const hsize_t zero = 0;
    const hsize_t unlimited = H5S_UNLIMITED;
    const H5Handle space(H5Screate_simple(1, &zero, &unlimited), "create dataspace for", path);
    const H5Handle dcpl = detail::dataset_create_plist();
    const hsize_t chunk = chunk_rows_;
    check(H5Pset_chunk(dcpl.get(), 1, &chunk), "chunk", path, file_name_);
    // No compression: a partly filled chunk is rewritten at every flush, and an
    // uncompressed chunk keeps its size and place in the file, so a run killed
    // between flushes never leaves a chunk index pointing at reused space.
    H5Handle string_type;
    hid_t type = H5I_INVALID_HID;
    switch (kind) {
        case Kind::kDouble:
            type = detail::file_type<double>();
            break;
        case Kind::kInt:
            type = detail::file_type<std::int64_t>();
            break;
        case Kind::kString:
            string_type = detail::utf8_string_type();
            type = string_type.get();
            break;
    }
    const H5Handle dset(H5Dcreate2(group.get(), name.c_str(), type, space.get(), H5P_DEFAULT,
                                   dcpl.get(), H5P_DEFAULT),
                        "create column", path, file_name_);
    if (!unit.empty()) {
        const H5Handle str = detail::utf8_string_type();
        const char* ptr = unit.c_str();
        detail::replace_attribute(dset.get(), "unit", str.get(), detail::scalar_space().get(), &ptr,
                                  path + " @unit");
    }
    columns_.push_back(Column{std::move(name), kind, {}, {}, {}});

    // The group's "columns" attribute keeps the column order (listing sorts by name).
    std::vector<const char*> names;
    for (const auto& c : columns_) names.push_back(c.name.c_str());
    const H5Handle str = detail::utf8_string_type();
    detail::replace_attribute(group.get(), "columns", str.get(),
                              detail::vector_space(names.size()).get(), names.data(),
                              group_path_ + " @columns");
}

void AppendableTable::append_row(const std::vector<Cell>& row) {
    if (columns_.empty())
        detail::throw_io("append row to", group_path_, "the table has no columns", file_name_);
    if (row.size() != columns_.size())
        detail::throw_io(
            "append row to", group_path_,
            fmt::format("the row has {} cells, the table {} columns", row.size(), columns_.size()),
            file_name_);
    for (std::size_t i = 0; i < row.size(); ++i) {
        if (row[i].index() != static_cast<std::size_t>(columns_[i].kind))
            detail::throw_io("append row to", group_path_ + "/" + columns_[i].name,
                             fmt::format("column is {}, cell is {}",
                                         kKindNames[static_cast<int>(columns_[i].kind)],
                                         kKindNames[row[i].index()]),
                             file_name_);
    }
    for (std::size_t i = 0; i < row.size(); ++i) {
        auto& col = columns_[i];
        switch (col.kind) {
            case Kind::kDouble:
                col.doubles.push_back(std::get<double>(row[i]));
                break;
            case Kind::kInt:
                col.ints.push_back(std::get<std::int64_t>(row[i]));
                break;
            case Kind::kString:
                col.strings.push_back(std::get<std::string>(row[i]));
                break;
        }
    }
    ++buffered_;
    if (buffered_ >= chunk_rows_) flush_rows();
}

void AppendableTable::flush_rows() {
    if (buffered_ == 0) return;
    const ErrorSilence silence;
    if (file_id_ < 0 || H5Iis_valid(file_id_) <= 0)
        detail::throw_io("flush rows of", group_path_, "the file is closed", file_name_);
    const hsize_t start = rows_written_;
    const hsize_t count = buffered_;
    const hsize_t total = start + count;
    const H5Handle group = detail::ensure_group(file_id_, group_path_);
    const H5Handle mem_space(H5Screate_simple(1, &count, nullptr), "create dataspace for",
                             group_path_);
    const H5Handle str = detail::utf8_string_type();
    for (auto& col : columns_) {
        const std::string path = group_path_ + "/" + col.name;
        const H5Handle dset(H5Dopen2(group.get(), col.name.c_str(), H5P_DEFAULT), "open column",
                            path, file_name_);
        check(H5Dset_extent(dset.get(), &total), "extend column", path, file_name_);
        const H5Handle file_space(H5Dget_space(dset.get()), "get dataspace of", path);
        check(
            H5Sselect_hyperslab(file_space.get(), H5S_SELECT_SET, &start, nullptr, &count, nullptr),
            "select rows of", path, file_name_);
        std::vector<const char*> ptrs;
        const void* data = nullptr;
        hid_t mem_type = H5I_INVALID_HID;
        switch (col.kind) {
            case Kind::kDouble:
                data = col.doubles.data();
                mem_type = detail::memory_type<double>();
                break;
            case Kind::kInt:
                data = col.ints.data();
                mem_type = detail::memory_type<std::int64_t>();
                break;
            case Kind::kString:
                for (const auto& s : col.strings) ptrs.push_back(s.c_str());
                data = ptrs.data();
                mem_type = str.get();
                break;
        }
        check(H5Dwrite(dset.get(), mem_type, mem_space.get(), file_space.get(), H5P_DEFAULT, data),
              "append rows to", path, file_name_);
    }
    for (auto& col : columns_) {
        col.doubles.clear();
        col.ints.clear();
        col.strings.clear();
    }
    rows_written_ += buffered_;
    buffered_ = 0;
}

}  // namespace hlhsim::io
