#pragma once
// Writing datasets and attributes into an OutputFile. Paths are absolute inside the
// file ("/snapshots/000001/agents/x"); missing groups on the way are created. All types
// are standard ones h5py and h5dump read: little-endian IEEE floats and integers,
// variable-length UTF-8 strings. Objects carry no timestamps, so equal content gives
// byte-identical files. Every failure throws IoError naming the path and the operation.
#include <concepts>
#include <cstdint>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "sim/core/errors.hpp"
#include "sim/io/output_file.hpp"

namespace hlhsim::io {

/// Arrays with more elements than this are chunked and compressed (deflate + shuffle).
inline constexpr std::size_t kChunkThreshold = 1024;

/// Sets attribute `name` on the group or dataset at `object_path` ("/" for the file),
/// creating missing groups, replacing an attribute of the same name. Scalars are scalar
/// attributes, vectors 1-D ones (an empty vector is an empty attribute).
void write_attribute(OutputFile& file, const std::string& object_path, const std::string& name,
                     const std::string& value);
void write_attribute(OutputFile& file, const std::string& object_path, const std::string& name,
                     const char* value);
void write_attribute(OutputFile& file, const std::string& object_path, const std::string& name,
                     std::int64_t value);
void write_attribute(OutputFile& file, const std::string& object_path, const std::string& name,
                     double value);
void write_attribute(OutputFile& file, const std::string& object_path, const std::string& name,
                     const std::vector<std::string>& value);
void write_attribute(OutputFile& file, const std::string& object_path, const std::string& name,
                     const std::vector<double>& value);
void write_attribute(OutputFile& file, const std::string& object_path, const std::string& name,
                     const std::vector<std::int64_t>& value);
/// Any other integer (int, unsigned, size_t...) is stored as int64; throws IoError if
/// it does not fit.
template <std::integral I>
requires(!std::same_as<I, std::int64_t> && !std::same_as<I, bool>) void write_attribute(
    OutputFile& file, const std::string& object_path, const std::string& name, I value) {
    if (!std::in_range<std::int64_t>(value))
        throw IoError("HDF5: cannot write attribute '" + name + "' on '" + object_path +
                      "': value does not fit in int64");
    write_attribute(file, object_path, name, static_cast<std::int64_t>(value));
}

/// A scalar variable-length UTF-8 string dataset (e.g. /config holding the YAML).
void write_text(OutputFile& file, const std::string& path, const std::string& text);
/// A 1-D dataset of variable-length UTF-8 strings (may be empty).
void write_strings(OutputFile& file, const std::string& path,
                   const std::vector<std::string>& values);

/// A new dataset of shape `dims` (row-major; empty `dims` means 1-D of data.size()).
/// The product of `dims` must equal data.size(); zero-sized shapes are allowed. Arrays
/// above kChunkThreshold elements are chunked and compressed with `deflate_level`
/// (1..9; 0 keeps them contiguous and uncompressed). Throws IoError if `path` exists.
void write_array(OutputFile& file, const std::string& path, std::span<const float> data,
                 std::vector<std::uint64_t> dims = {}, int deflate_level = 4);
void write_array(OutputFile& file, const std::string& path, std::span<const double> data,
                 std::vector<std::uint64_t> dims = {}, int deflate_level = 4);
void write_array(OutputFile& file, const std::string& path, std::span<const std::int32_t> data,
                 std::vector<std::uint64_t> dims = {}, int deflate_level = 4);
void write_array(OutputFile& file, const std::string& path, std::span<const std::uint32_t> data,
                 std::vector<std::uint64_t> dims = {}, int deflate_level = 4);
void write_array(OutputFile& file, const std::string& path, std::span<const std::int64_t> data,
                 std::vector<std::uint64_t> dims = {}, int deflate_level = 4);
void write_array(OutputFile& file, const std::string& path, std::span<const std::uint64_t> data,
                 std::vector<std::uint64_t> dims = {}, int deflate_level = 4);
void write_array(OutputFile& file, const std::string& path, std::span<const std::uint8_t> data,
                 std::vector<std::uint64_t> dims = {}, int deflate_level = 4);

/// True if a group or dataset exists at `path` ("/" always does).
bool exists(const OutputFile& file, const std::string& path);
/// Unlinks the object at `path` (e.g. to replace the latest /checkpoint). The space is
/// not reclaimed inside the file. Throws IoError if nothing is there.
void remove(OutputFile& file, const std::string& path);

}  // namespace hlhsim::io
