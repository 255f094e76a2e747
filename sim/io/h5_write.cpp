#include "sim/io/h5_write.hpp"

#include <fmt/format.h>

#include <functional>
#include <numeric>

#include "sim/io/h5_handle.hpp"
#include "sim/io/h5_types.hpp"

namespace hlhsim::io {

using detail::check;
using detail::ErrorSilence;
using detail::H5Handle;

namespace {

/// Below this size chunks are not split further; above it the slowest dimensions are
/// halved until a chunk fits (HDF5's default chunk cache holds 1 MiB).
constexpr std::size_t kChunkBytes = 256 * 1024;

/// Opens the group or dataset at `path`; a missing path becomes a (new) group.
H5Handle open_or_create_object(hid_t file, const std::string& path) {
    if (detail::path_exists(file, path))
        return H5Handle(H5Oopen(file, path.c_str(), H5P_DEFAULT), "open object", path,
                        detail::file_name(file));
    return detail::ensure_group(file, path);
}

void write_attribute_raw(OutputFile& file, const std::string& object_path, const std::string& name,
                         hid_t type, hid_t space, const void* data) {
    const ErrorSilence silence;
    const H5Handle obj = open_or_create_object(file.handle(), object_path);
    detail::replace_attribute(obj.get(), name, type, space, data, object_path + " @" + name);
}

/// Chunk shape for `dims`: the full shape, with the slowest dimensions halved (rounding
/// up) until one chunk holds at most kChunkBytes. Depends only on the shape.
std::vector<hsize_t> chunk_shape(const std::vector<hsize_t>& dims, std::size_t elem_size) {
    std::vector<hsize_t> chunk = dims;
    const auto bytes = [&] {
        return std::accumulate(chunk.begin(), chunk.end(), hsize_t{elem_size}, std::multiplies<>());
    };
    for (auto& c : chunk) {
        while (bytes() > kChunkBytes && c > 1) c = (c + 1) / 2;
    }
    return chunk;
}

/// Creates the dataset at `path` and writes `data` (n elements of `mem_type`).
void write_dataset(OutputFile& file, const std::string& path, hid_t file_type, hid_t mem_type,
                   std::size_t elem_size, const void* data, std::size_t n,
                   std::vector<std::uint64_t> dims, int deflate_level) {
    const ErrorSilence silence;
    const hid_t fid = file.handle();
    if (dims.empty()) dims.push_back(n);
    const std::uint64_t product =
        std::accumulate(dims.begin(), dims.end(), std::uint64_t{1}, std::multiplies<>());
    if (product != n)
        detail::throw_io("write dataset", path,
                         fmt::format("shape [{}] holds {} elements, data has {}",
                                     fmt::join(dims, ", "), product, n),
                         file.partial_path());
    if (deflate_level < 0 || deflate_level > 9)
        detail::throw_io("write dataset", path,
                         fmt::format("deflate level {} is not in 0..9", deflate_level),
                         file.partial_path());
    std::string leaf;
    const H5Handle parent = detail::prepare_new_object(fid, path, leaf);
    const std::vector<hsize_t> hdims(dims.begin(), dims.end());
    const H5Handle space(H5Screate_simple(static_cast<int>(hdims.size()), hdims.data(), nullptr),
                         "create dataspace for", path);
    const H5Handle dcpl = detail::dataset_create_plist();
    if (n > kChunkThreshold && deflate_level > 0) {
        const auto chunk = chunk_shape(hdims, elem_size);
        check(H5Pset_chunk(dcpl.get(), static_cast<int>(chunk.size()), chunk.data()), "chunk", path,
              file.partial_path());
        check(H5Pset_shuffle(dcpl.get()), "set shuffle filter on", path, file.partial_path());
        check(H5Pset_deflate(dcpl.get(), static_cast<unsigned>(deflate_level)),
              "set deflate filter on", path, file.partial_path());
    }
    const H5Handle dset(H5Dcreate2(parent.get(), leaf.c_str(), file_type, space.get(), H5P_DEFAULT,
                                   dcpl.get(), H5P_DEFAULT),
                        "create dataset", path, file.partial_path());
    if (n > 0)
        check(H5Dwrite(dset.get(), mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data), "write dataset",
              path, file.partial_path());
}

template <class T>
void write_typed(OutputFile& file, const std::string& path, std::span<const T> data,
                 std::vector<std::uint64_t> dims, int deflate_level) {
    const ErrorSilence silence;
    write_dataset(file, path, detail::file_type<T>(), detail::memory_type<T>(), sizeof(T),
                  data.data(), data.size(), std::move(dims), deflate_level);
}

}  // namespace

void write_attribute(OutputFile& file, const std::string& object_path, const std::string& name,
                     const std::string& value) {
    const ErrorSilence silence;
    const H5Handle type = detail::utf8_string_type();
    const char* ptr = value.c_str();
    write_attribute_raw(file, object_path, name, type.get(), detail::scalar_space().get(), &ptr);
}

void write_attribute(OutputFile& file, const std::string& object_path, const std::string& name,
                     const char* value) {
    write_attribute(file, object_path, name, std::string(value != nullptr ? value : ""));
}

void write_attribute(OutputFile& file, const std::string& object_path, const std::string& name,
                     std::int64_t value) {
    const ErrorSilence silence;
    write_attribute_raw(file, object_path, name, detail::file_type<std::int64_t>(),
                        detail::scalar_space().get(), &value);
}

void write_attribute(OutputFile& file, const std::string& object_path, const std::string& name,
                     double value) {
    const ErrorSilence silence;
    write_attribute_raw(file, object_path, name, detail::file_type<double>(),
                        detail::scalar_space().get(), &value);
}

void write_attribute(OutputFile& file, const std::string& object_path, const std::string& name,
                     const std::vector<std::string>& value) {
    const ErrorSilence silence;
    const H5Handle type = detail::utf8_string_type();
    std::vector<const char*> ptrs;
    ptrs.reserve(value.size());
    for (const auto& s : value) ptrs.push_back(s.c_str());
    write_attribute_raw(file, object_path, name, type.get(),
                        detail::vector_space(value.size()).get(), ptrs.data());
}

void write_attribute(OutputFile& file, const std::string& object_path, const std::string& name,
                     const std::vector<double>& value) {
    const ErrorSilence silence;
    write_attribute_raw(file, object_path, name, detail::file_type<double>(),
                        detail::vector_space(value.size()).get(), value.data());
}

void write_attribute(OutputFile& file, const std::string& object_path, const std::string& name,
                     const std::vector<std::int64_t>& value) {
    const ErrorSilence silence;
    write_attribute_raw(file, object_path, name, detail::file_type<std::int64_t>(),
                        detail::vector_space(value.size()).get(), value.data());
}

void write_text(OutputFile& file, const std::string& path, const std::string& text) {
    const ErrorSilence silence;
    const hid_t fid = file.handle();
    std::string leaf;
    const H5Handle parent = detail::prepare_new_object(fid, path, leaf);
    const H5Handle type = detail::utf8_string_type();
    const H5Handle dcpl = detail::dataset_create_plist();
    const H5Handle dset(
        H5Dcreate2(parent.get(), leaf.c_str(), type.get(), detail::scalar_space().get(),
                   H5P_DEFAULT, dcpl.get(), H5P_DEFAULT),
        "create text dataset", path, file.partial_path());
    const char* ptr = text.c_str();
    check(H5Dwrite(dset.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, &ptr), "write text", path,
          file.partial_path());
}

void write_strings(OutputFile& file, const std::string& path,
                   const std::vector<std::string>& values) {
    const ErrorSilence silence;
    const H5Handle type = detail::utf8_string_type();
    std::vector<const char*> ptrs;
    ptrs.reserve(values.size());
    for (const auto& s : values) ptrs.push_back(s.c_str());
    write_dataset(file, path, type.get(), type.get(), sizeof(const char*), ptrs.data(), ptrs.size(),
                  {}, 4);
}

void write_array(OutputFile& file, const std::string& path, std::span<const float> data,
                 std::vector<std::uint64_t> dims, int deflate_level) {
    write_typed(file, path, data, std::move(dims), deflate_level);
}
void write_array(OutputFile& file, const std::string& path, std::span<const double> data,
                 std::vector<std::uint64_t> dims, int deflate_level) {
    write_typed(file, path, data, std::move(dims), deflate_level);
}
void write_array(OutputFile& file, const std::string& path, std::span<const std::int32_t> data,
                 std::vector<std::uint64_t> dims, int deflate_level) {
    write_typed(file, path, data, std::move(dims), deflate_level);
}
void write_array(OutputFile& file, const std::string& path, std::span<const std::uint32_t> data,
                 std::vector<std::uint64_t> dims, int deflate_level) {
    write_typed(file, path, data, std::move(dims), deflate_level);
}
void write_array(OutputFile& file, const std::string& path, std::span<const std::int64_t> data,
                 std::vector<std::uint64_t> dims, int deflate_level) {
    write_typed(file, path, data, std::move(dims), deflate_level);
}
void write_array(OutputFile& file, const std::string& path, std::span<const std::uint64_t> data,
                 std::vector<std::uint64_t> dims, int deflate_level) {
    write_typed(file, path, data, std::move(dims), deflate_level);
}
void write_array(OutputFile& file, const std::string& path, std::span<const std::uint8_t> data,
                 std::vector<std::uint64_t> dims, int deflate_level) {
    write_typed(file, path, data, std::move(dims), deflate_level);
}

bool exists(const OutputFile& file, const std::string& path) {
    const ErrorSilence silence;
    return detail::path_exists(file.handle(), path);
}

void remove(OutputFile& file, const std::string& path) {
    const ErrorSilence silence;
    const hid_t fid = file.handle();
    if (detail::split_path(path).empty())
        detail::throw_io("remove", path, "cannot remove the root group", file.partial_path());
    if (!detail::path_exists(fid, path))
        detail::throw_io("remove", path, "no such object", file.partial_path());
    check(H5Ldelete(fid, path.c_str(), H5P_DEFAULT), "remove", path, file.partial_path());
}

}  // namespace hlhsim::io
