#include "sim/io/h5_handle.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <utility>

#include "sim/core/errors.hpp"

namespace hlhsim::io::detail {

H5Handle::H5Handle(hid_t id, std::string_view operation, std::string_view path,
                   std::string_view file)
    : id_(id) {
    if (id_ < 0) {
        id_ = H5I_INVALID_HID;
        throw_h5(operation, path, file);
    }
}

H5Handle& H5Handle::operator=(H5Handle&& other) noexcept {
    if (this != &other) {
        reset();
        id_ = other.id_;
        other.id_ = H5I_INVALID_HID;
    }
    return *this;
}

void H5Handle::reset() noexcept {
    if (id_ >= 0) {
        // A handle may outlive its file when the file was closed with H5F_CLOSE_STRONG;
        // the id is then already invalid and must not be released twice.
        const ErrorSilence silence;
        if (H5Iis_valid(id_) > 0) H5Idec_ref(id_);
        H5Eclear2(H5E_DEFAULT);
        id_ = H5I_INVALID_HID;
    }
}

ErrorSilence::ErrorSilence() {
    saved_ = H5Eget_auto2(H5E_DEFAULT, &old_func_, &old_data_) >= 0;
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
}

ErrorSilence::~ErrorSilence() {
    if (saved_) H5Eset_auto2(H5E_DEFAULT, old_func_, old_data_);
}

namespace {

herr_t collect_message(unsigned /*n*/, const H5E_error2_t* err, void* data) {
    auto* out = static_cast<std::vector<std::string>*>(data);
    std::string msg = (err->desc != nullptr && err->desc[0] != '\0') ? err->desc : "";
    if (msg.empty()) {
        char buf[256] = {};
        if (H5Eget_msg(err->min_num, nullptr, buf, sizeof buf) > 0) msg = buf;
    }
    if (!msg.empty() && (out->empty() || out->back() != msg)) out->push_back(std::move(msg));
    return 0;
}

std::string location(std::string_view file) {
    return file.empty() ? std::string() : fmt::format(" in '{}'", file);
}

}  // namespace

void throw_h5(std::string_view operation, std::string_view path, std::string_view file) {
    std::vector<std::string> messages;
    H5Ewalk2(H5E_DEFAULT, H5E_WALK_DOWNWARD, collect_message, &messages);
    H5Eclear2(H5E_DEFAULT);
    std::string detail;
    for (const auto& m : messages) {
        if (!detail.empty()) detail += "; ";
        detail += m;
    }
    if (detail.empty()) detail = "HDF5 call failed";
    throw IoError(
        fmt::format("HDF5: cannot {} '{}'{}: {}", operation, path, location(file), detail));
}

void throw_io(std::string_view operation, std::string_view path, std::string_view why,
              std::string_view file) {
    throw IoError(fmt::format("HDF5: cannot {} '{}'{}: {}", operation, path, location(file), why));
}

std::string file_name(hid_t loc) {
    const ErrorSilence silence;
    const ssize_t n = H5Fget_name(loc, nullptr, 0);
    if (n <= 0) {
        H5Eclear2(H5E_DEFAULT);
        return {};
    }
    std::string name(static_cast<std::size_t>(n) + 1, '\0');
    H5Fget_name(loc, name.data(), name.size());
    name.resize(static_cast<std::size_t>(n));
    return name;
}

std::vector<std::string> split_path(std::string_view path) {
    std::vector<std::string> parts;
    std::size_t start = 0;
    while (start <= path.size()) {
        const std::size_t end = std::min(path.find('/', start), path.size());
        if (end > start) parts.emplace_back(path.substr(start, end - start));
        start = end + 1;
    }
    return parts;
}

std::string join_path(const std::vector<std::string>& parts, std::size_t count) {
    if (count == 0) return "/";
    std::string out;
    for (std::size_t i = 0; i < count; ++i) out += "/" + parts[i];
    return out;
}

bool path_exists(hid_t loc, std::string_view path) {
    const auto parts = split_path(path);
    for (std::size_t i = 1; i <= parts.size(); ++i) {
        const std::string prefix = join_path(parts, i);
        // Negative (error) means an intermediate component is not a group: not there.
        if (H5Lexists(loc, prefix.c_str(), H5P_DEFAULT) <= 0) {
            H5Eclear2(H5E_DEFAULT);
            return false;
        }
    }
    return true;
}

H5Handle ensure_group(hid_t file, std::string_view path) {
    const auto parts = split_path(path);
    H5Handle group(H5Gopen2(file, "/", H5P_DEFAULT), "open group", "/");
    const H5Handle gcpl = group_create_plist();
    for (std::size_t i = 0; i < parts.size(); ++i) {
        const std::string sub = join_path(parts, i + 1);
        const htri_t there = H5Lexists(group.get(), parts[i].c_str(), H5P_DEFAULT);
        check(there, "look up", sub, file_name(file));
        if (there > 0) {
            H5Handle obj(H5Oopen(group.get(), parts[i].c_str(), H5P_DEFAULT), "open", sub,
                         file_name(file));
            if (H5Iget_type(obj.get()) != H5I_GROUP)
                throw_io("create group", path, fmt::format("'{}' is not a group", sub),
                         file_name(file));
            group = std::move(obj);
        } else {
            group = H5Handle(
                H5Gcreate2(group.get(), parts[i].c_str(), H5P_DEFAULT, gcpl.get(), H5P_DEFAULT),
                "create group", sub, file_name(file));
        }
    }
    return group;
}

H5Handle prepare_new_object(hid_t file, std::string_view path, std::string& leaf) {
    const auto parts = split_path(path);
    if (parts.empty()) throw_io("create", path, "the path names the root group");
    H5Handle parent = ensure_group(file, join_path(parts, parts.size() - 1));
    leaf = parts.back();
    const htri_t there = H5Lexists(parent.get(), leaf.c_str(), H5P_DEFAULT);
    check(there, "look up", path, file_name(file));
    if (there > 0) throw_io("create", path, "an object of that name exists", file_name(file));
    return parent;
}

H5Handle file_access_plist() {
    H5Handle fapl(H5Pcreate(H5P_FILE_ACCESS), "create property list", "file access");
    check(H5Pset_libver_bounds(fapl.get(), H5F_LIBVER_V18, H5F_LIBVER_V110), "set format bounds",
          "file access");
    // Strong: closing the file also closes anything left open in it, so commit() can
    // rename a file that is really closed.
    check(H5Pset_fclose_degree(fapl.get(), H5F_CLOSE_STRONG), "set close degree", "file access");
#if H5_VERSION_GE(1, 10, 7)
    // Lock where the file system supports it; cluster file systems without flock work too.
    check(H5Pset_file_locking(fapl.get(), 1, 1), "set file locking", "file access");
#endif
    return fapl;
}

H5Handle group_create_plist() {
    H5Handle plist(H5Pcreate(H5P_GROUP_CREATE), "create property list", "group");
    check(H5Pset_obj_track_times(plist.get(), 0), "set track times", "group");
    return plist;
}

H5Handle dataset_create_plist() {
    H5Handle plist(H5Pcreate(H5P_DATASET_CREATE), "create property list", "dataset");
    check(H5Pset_obj_track_times(plist.get(), 0), "set track times", "dataset");
    return plist;
}

H5Handle utf8_string_type() {
    H5Handle type(H5Tcopy(H5T_C_S1), "copy type", "string");
    check(H5Tset_size(type.get(), H5T_VARIABLE), "set size", "string");
    check(H5Tset_cset(type.get(), H5T_CSET_UTF8), "set cset", "string");
    return type;
}

namespace {
H5T_conv_ret_t refuse_overflow(H5T_conv_except_t except, hid_t, hid_t, void*, void*, void*) {
    switch (except) {
        case H5T_CONV_EXCEPT_RANGE_HI:
        case H5T_CONV_EXCEPT_RANGE_LOW:
        case H5T_CONV_EXCEPT_TRUNCATE:
            return H5T_CONV_ABORT;
        default:
            return H5T_CONV_UNHANDLED;
    }
}
}  // namespace

H5Handle strict_transfer_plist() {
    H5Handle plist(H5Pcreate(H5P_DATASET_XFER), "create property list", "transfer");
    check(H5Pset_type_conv_cb(plist.get(), refuse_overflow, nullptr), "set conversion callback",
          "transfer");
    return plist;
}

std::vector<std::string> read_string_values(hid_t obj, hid_t file_type, std::size_t count,
                                            bool is_attribute, std::string_view path) {
    if (H5Tget_class(file_type) != H5T_STRING)
        throw_io("read strings from", path, "the data are not strings", file_name(obj));
    std::vector<std::string> out;
    out.reserve(count);
    const H5Handle mem(H5Tcopy(file_type), "copy type", path);
    const auto read = [&](void* buf) {
        const herr_t status = is_attribute
                                  ? H5Aread(obj, mem.get(), buf)
                                  : H5Dread(obj, mem.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, buf);
        check(status, "read strings from", path, file_name(obj));
    };
    if (H5Tis_variable_str(file_type) > 0) {
        std::vector<char*> buf(count, nullptr);
        if (count > 0) read(buf.data());
        for (char* s : buf) {
            out.emplace_back(s != nullptr ? s : "");
            if (s != nullptr) H5free_memory(s);
        }
        return out;
    }
    const std::size_t size = H5Tget_size(file_type);
    std::vector<char> buf(count * size, '\0');
    if (count > 0) read(buf.data());
    const bool space_pad = H5Tget_strpad(file_type) == H5T_STR_SPACEPAD;
    for (std::size_t i = 0; i < count; ++i) {
        const char* begin = buf.data() + i * size;
        std::size_t len = strnlen(begin, size);
        while (space_pad && len > 0 && begin[len - 1] == ' ') --len;
        out.emplace_back(begin, len);
    }
    return out;
}

void replace_attribute(hid_t obj, const std::string& name, hid_t type, hid_t space,
                       const void* data, std::string_view where) {
    const htri_t there = H5Aexists(obj, name.c_str());
    check(there, "look up attribute", where, file_name(obj));
    if (there > 0) check(H5Adelete(obj, name.c_str()), "replace attribute", where, file_name(obj));
    const H5Handle attr(H5Acreate2(obj, name.c_str(), type, space, H5P_DEFAULT, H5P_DEFAULT),
                        "create attribute", where);
    if (H5Sget_simple_extent_npoints(space) > 0)
        check(H5Awrite(attr.get(), type, data), "write attribute", where, file_name(obj));
}

H5Handle scalar_space() { return H5Handle(H5Screate(H5S_SCALAR), "create dataspace", "scalar"); }

H5Handle vector_space(std::size_t n) {
    if (n == 0) return H5Handle(H5Screate(H5S_NULL), "create dataspace", "empty");
    const hsize_t dim = n;
    return H5Handle(H5Screate_simple(1, &dim, nullptr), "create dataspace", "vector");
}

std::vector<std::uint64_t> space_dims(hid_t space, std::string_view path) {
    const int rank = H5Sget_simple_extent_ndims(space);
    if (rank < 0) throw_h5("get the shape of", path);
    std::vector<hsize_t> dims(static_cast<std::size_t>(rank));
    if (rank > 0) check(H5Sget_simple_extent_dims(space, dims.data(), nullptr), "get shape", path);
    return {dims.begin(), dims.end()};
}

}  // namespace hlhsim::io::detail
