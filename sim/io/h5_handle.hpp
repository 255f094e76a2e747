#pragma once
// Internal to sim/io: RAII ownership of HDF5 identifiers and the helpers every
// HDF5-touching .cpp file of the module shares. Includes <hdf5.h>, so it must never
// be included from a public header (targets outside hlhsim_sim have no HDF5 include
// path).
#include <hdf5.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace hlhsim::io::detail {

static_assert(sizeof(hid_t) == sizeof(std::int64_t), "public headers carry hid_t as int64");

/// Owns one HDF5 identifier and closes it with H5Idec_ref, which works for every kind
/// (file, group, dataset, dataspace, datatype, attribute, property list).
class H5Handle {
  public:
    H5Handle() = default;
    /// Takes ownership of `id`. A negative id is an HDF5 failure: throws IoError naming
    /// `operation`, `path` and `file`, with the library's own message.
    H5Handle(hid_t id, std::string_view operation, std::string_view path,
             std::string_view file = {});
    H5Handle(const H5Handle&) = delete;
    H5Handle& operator=(const H5Handle&) = delete;
    H5Handle(H5Handle&& other) noexcept : id_(other.id_) { other.id_ = H5I_INVALID_HID; }
    H5Handle& operator=(H5Handle&& other) noexcept;
    ~H5Handle() { reset(); }

    hid_t get() const { return id_; }
    void reset() noexcept;

  private:
    hid_t id_ = H5I_INVALID_HID;
};

/// Switches HDF5's automatic error printing off for the current thread for its
/// lifetime and restores the previous handler afterwards: our errors travel in IoError.
class ErrorSilence {
  public:
    ErrorSilence();
    ErrorSilence(const ErrorSilence&) = delete;
    ErrorSilence& operator=(const ErrorSilence&) = delete;
    ~ErrorSilence();

  private:
    H5E_auto2_t old_func_ = nullptr;
    void* old_data_ = nullptr;
    bool saved_ = false;
};

/// Throws IoError "HDF5: cannot <operation> '<path>' in <file>: <HDF5 messages>" built
/// from the current HDF5 error stack, which it then clears.
[[noreturn]] void throw_h5(std::string_view operation, std::string_view path,
                           std::string_view file = {});
/// Throws IoError without consulting the HDF5 error stack (our own checks).
[[noreturn]] void throw_io(std::string_view operation, std::string_view path, std::string_view why,
                           std::string_view file = {});
/// Checks an herr_t/htri_t result: negative means failure (throw_h5).
inline void check(herr_t status, std::string_view operation, std::string_view path,
                  std::string_view file = {}) {
    if (status < 0) throw_h5(operation, path, file);
}

/// The name of the file that `loc` belongs to (for messages); "" if unknown.
std::string file_name(hid_t loc);

/// Splits "/a/b/c" (leading slash optional, empty components ignored) into {a, b, c}.
std::vector<std::string> split_path(std::string_view path);
/// "/a/b" for {a, b}; "/" for {}.
std::string join_path(const std::vector<std::string>& parts, std::size_t count);

/// True if every component of `path` exists below `loc` ("/" always exists).
bool path_exists(hid_t loc, std::string_view path);
/// Opens the group at `path`, creating missing groups (without timestamps) on the way.
H5Handle ensure_group(hid_t file, std::string_view path);
/// Creates the parent groups of the object at `path` and returns the parent, plus the
/// object's own name in `leaf`. Throws if `path` names the root or already exists.
H5Handle prepare_new_object(hid_t file, std::string_view path, std::string& leaf);

/// File access list shared by OutputFile and InputFile: format bounds fixed to
/// [1.8, 1.10] (layout independent of the library version; superblock 2, so a killed
/// writer leaves no "file open" flag), strong close, file locking where supported.
H5Handle file_access_plist();
/// Property lists that keep files byte-stable: no modification times in object headers.
H5Handle group_create_plist();
H5Handle dataset_create_plist();
/// Variable-length UTF-8 string type (what h5py writes for str).
H5Handle utf8_string_type();
/// Transfer property list whose conversions fail on overflow instead of clamping.
H5Handle strict_transfer_plist();

/// Reads a string-typed dataset or attribute (`is_attribute` selects the API) whose
/// type is `file_type`, fixed- or variable-length, as `count` strings.
std::vector<std::string> read_string_values(hid_t obj, hid_t file_type, std::size_t count,
                                            bool is_attribute, std::string_view path);

/// Creates attribute `name` on the open object `obj` (replacing one of that name) and
/// writes `data` unless `space` is empty. `where` names it in messages.
void replace_attribute(hid_t obj, const std::string& name, hid_t type, hid_t space,
                       const void* data, std::string_view where);
/// Scalar dataspace, or a 1-D one of n elements (the null dataspace when n == 0).
H5Handle scalar_space();
H5Handle vector_space(std::size_t n);

/// Number of elements and extents of a dataspace.
std::vector<std::uint64_t> space_dims(hid_t space, std::string_view path);

}  // namespace hlhsim::io::detail
