#include "sim/io/h5_read.hpp"

#include <algorithm>
#include <type_traits>

#include "sim/io/h5_handle.hpp"
#include "sim/io/h5_types.hpp"

namespace hlhsim::io {

using detail::check;
using detail::ErrorSilence;
using detail::H5Handle;

namespace {

/// Opens the object at `path`, which must exist and be of `kind` (group or dataset).
H5Handle open_object(const InputFile& file, const std::string& path, H5I_type_t kind) {
    const char* what = kind == H5I_GROUP ? "group" : "dataset";
    if (!detail::path_exists(file.handle(), path))
        detail::throw_io(std::string("open ") + what, path, std::string("no such ") + what,
                         file.path());
    H5Handle obj(H5Oopen(file.handle(), path.c_str(), H5P_DEFAULT), "open", path, file.path());
    if (H5Iget_type(obj.get()) != kind)
        detail::throw_io(std::string("open ") + what, path, std::string("not a ") + what,
                         file.path());
    return obj;
}

H5Handle open_any(const InputFile& file, const std::string& path) {
    if (!detail::path_exists(file.handle(), path))
        detail::throw_io("open object", path, "no such group or dataset", file.path());
    return H5Handle(H5Oopen(file.handle(), path.c_str(), H5P_DEFAULT), "open", path, file.path());
}

/// Refuses non-numeric data, and floating data when the target is an integer type.
void check_numeric(hid_t type, bool integral_target, const std::string& what,
                   const InputFile& file) {
    const H5T_class_t cls = H5Tget_class(type);
    if (cls == H5T_INTEGER) return;
    if (cls == H5T_FLOAT) {
        if (integral_target)
            detail::throw_io("read", what, "floating-point data cannot be read as integers",
                             file.path());
        return;
    }
    detail::throw_io("read", what, "the data are not numeric", file.path());
}

std::size_t point_count(hid_t space, const std::string& what) {
    const hssize_t n = H5Sget_simple_extent_npoints(space);
    if (n < 0) detail::throw_h5("count elements of", what);
    return static_cast<std::size_t>(n);
}

H5Handle open_attribute(const InputFile& file, const std::string& object_path,
                        const std::string& name) {
    const H5Handle obj = open_any(file, object_path);
    const std::string where = object_path + " @" + name;
    const htri_t there = H5Aexists(obj.get(), name.c_str());
    check(there, "look up attribute", where, file.path());
    if (there == 0) detail::throw_io("read attribute", where, "no such attribute", file.path());
    return H5Handle(H5Aopen(obj.get(), name.c_str(), H5P_DEFAULT), "open attribute", where);
}

template <class T>
std::vector<T> read_numeric_attribute(const InputFile& file, const std::string& object_path,
                                      const std::string& name, bool scalar) {
    const ErrorSilence silence;
    const std::string where = object_path + " @" + name;
    const H5Handle attr = open_attribute(file, object_path, name);
    const H5Handle type(H5Aget_type(attr.get()), "get type of", where);
    check_numeric(type.get(), std::is_integral_v<T>, where, file);
    const H5Handle space(H5Aget_space(attr.get()), "get dataspace of", where);
    const std::size_t n = point_count(space.get(), where);
    if (scalar && n != 1)
        detail::throw_io("read attribute", where, "expected one value, found " + std::to_string(n),
                         file.path());
    std::vector<T> out(n);
    if (n > 0)
        check(H5Aread(attr.get(), detail::memory_type<T>(), out.data()), "read attribute", where,
              file.path());
    return out;
}

std::vector<std::string> read_string_attribute(const InputFile& file,
                                               const std::string& object_path,
                                               const std::string& name) {
    const std::string where = object_path + " @" + name;
    const H5Handle attr = open_attribute(file, object_path, name);
    const H5Handle type(H5Aget_type(attr.get()), "get type of", where);
    const H5Handle space(H5Aget_space(attr.get()), "get dataspace of", where);
    return detail::read_string_values(attr.get(), type.get(), point_count(space.get(), where), true,
                                      where);
}

std::vector<std::string> read_string_dataset(const InputFile& file, const std::string& path) {
    const H5Handle dset = open_object(file, path, H5I_DATASET);
    const H5Handle type(H5Dget_type(dset.get()), "get type of", path);
    const H5Handle space(H5Dget_space(dset.get()), "get dataspace of", path);
    return detail::read_string_values(dset.get(), type.get(), point_count(space.get(), path), false,
                                      path);
}

}  // namespace

bool exists(const InputFile& file, const std::string& path) {
    const ErrorSilence silence;
    return detail::path_exists(file.handle(), path);
}

std::vector<std::string> list_group(const InputFile& file, const std::string& path) {
    const ErrorSilence silence;
    const H5Handle group = open_object(file, path, H5I_GROUP);
    H5G_info_t info;
    check(H5Gget_info(group.get(), &info), "list group", path, file.path());
    std::vector<std::string> names;
    names.reserve(info.nlinks);
    for (hsize_t i = 0; i < info.nlinks; ++i) {
        const ssize_t len = H5Lget_name_by_idx(group.get(), ".", H5_INDEX_NAME, H5_ITER_INC, i,
                                               nullptr, 0, H5P_DEFAULT);
        if (len < 0) detail::throw_h5("list group", path, file.path());
        std::string name(static_cast<std::size_t>(len) + 1, '\0');
        if (H5Lget_name_by_idx(group.get(), ".", H5_INDEX_NAME, H5_ITER_INC, i, name.data(),
                               name.size(), H5P_DEFAULT) < 0)
            detail::throw_h5("list group", path, file.path());
        name.resize(static_cast<std::size_t>(len));
        names.push_back(std::move(name));
    }
    std::sort(names.begin(), names.end());
    return names;
}

bool is_dataset(const InputFile& file, const std::string& path) {
    const ErrorSilence silence;
    if (!detail::path_exists(file.handle(), path)) return false;
    const H5Handle obj(H5Oopen(file.handle(), path.c_str(), H5P_DEFAULT), "open", path,
                       file.path());
    return H5Iget_type(obj.get()) == H5I_DATASET;
}

std::vector<std::uint64_t> shape(const InputFile& file, const std::string& path) {
    const ErrorSilence silence;
    const H5Handle dset = open_object(file, path, H5I_DATASET);
    const H5Handle space(H5Dget_space(dset.get()), "get dataspace of", path);
    return detail::space_dims(space.get(), path);
}

template <class T>
std::vector<T> read_array(const InputFile& file, const std::string& path,
                          std::vector<std::uint64_t>* dims) {
    const ErrorSilence silence;
    const H5Handle dset = open_object(file, path, H5I_DATASET);
    const H5Handle type(H5Dget_type(dset.get()), "get type of", path);
    check_numeric(type.get(), std::is_integral_v<T>, path, file);
    const H5Handle space(H5Dget_space(dset.get()), "get dataspace of", path);
    std::vector<T> out(point_count(space.get(), path));
    if (!out.empty()) {
        const H5Handle xfer = detail::strict_transfer_plist();
        check(
            H5Dread(dset.get(), detail::memory_type<T>(), H5S_ALL, H5S_ALL, xfer.get(), out.data()),
            "read dataset (values must fit the requested type)", path, file.path());
    }
    if (dims != nullptr) *dims = detail::space_dims(space.get(), path);
    return out;
}

template std::vector<float> read_array(const InputFile&, const std::string&,
                                       std::vector<std::uint64_t>*);
template std::vector<double> read_array(const InputFile&, const std::string&,
                                        std::vector<std::uint64_t>*);
template std::vector<std::int32_t> read_array(const InputFile&, const std::string&,
                                              std::vector<std::uint64_t>*);
template std::vector<std::uint32_t> read_array(const InputFile&, const std::string&,
                                               std::vector<std::uint64_t>*);
template std::vector<std::int64_t> read_array(const InputFile&, const std::string&,
                                              std::vector<std::uint64_t>*);
template std::vector<std::uint64_t> read_array(const InputFile&, const std::string&,
                                               std::vector<std::uint64_t>*);
template std::vector<std::uint8_t> read_array(const InputFile&, const std::string&,
                                              std::vector<std::uint64_t>*);

std::string read_text(const InputFile& file, const std::string& path) {
    const ErrorSilence silence;
    auto values = read_string_dataset(file, path);
    if (values.size() != 1)
        detail::throw_io("read text", path,
                         "expected one string, found " + std::to_string(values.size()),
                         file.path());
    return std::move(values.front());
}

std::vector<std::string> read_strings(const InputFile& file, const std::string& path) {
    const ErrorSilence silence;
    return read_string_dataset(file, path);
}

bool has_attribute(const InputFile& file, const std::string& object_path, const std::string& name) {
    const ErrorSilence silence;
    const H5Handle obj = open_any(file, object_path);
    const htri_t there = H5Aexists(obj.get(), name.c_str());
    check(there, "look up attribute", object_path + " @" + name, file.path());
    return there > 0;
}

std::string read_attribute_string(const InputFile& file, const std::string& object_path,
                                  const std::string& name) {
    const ErrorSilence silence;
    auto values = read_string_attribute(file, object_path, name);
    if (values.size() != 1)
        detail::throw_io("read attribute", object_path + " @" + name,
                         "expected one string, found " + std::to_string(values.size()),
                         file.path());
    return std::move(values.front());
}

std::int64_t read_attribute_int(const InputFile& file, const std::string& object_path,
                                const std::string& name) {
    return read_numeric_attribute<std::int64_t>(file, object_path, name, true).front();
}

double read_attribute_double(const InputFile& file, const std::string& object_path,
                             const std::string& name) {
    return read_numeric_attribute<double>(file, object_path, name, true).front();
}

std::vector<std::string> read_attribute_strings(const InputFile& file,
                                                const std::string& object_path,
                                                const std::string& name) {
    const ErrorSilence silence;
    return read_string_attribute(file, object_path, name);
}

std::vector<std::int64_t> read_attribute_ints(const InputFile& file, const std::string& object_path,
                                              const std::string& name) {
    return read_numeric_attribute<std::int64_t>(file, object_path, name, false);
}

std::vector<double> read_attribute_doubles(const InputFile& file, const std::string& object_path,
                                           const std::string& name) {
    return read_numeric_attribute<double>(file, object_path, name, false);
}

}  // namespace hlhsim::io
