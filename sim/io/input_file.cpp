#include "sim/io/input_file.hpp"

#include <filesystem>
#include <system_error>
#include <utility>

#include "sim/io/h5_handle.hpp"

namespace hlhsim::io {

InputFile InputFile::open(const std::string& path) {
    const detail::ErrorSilence silence;
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec)) detail::throw_io("open", path, "no such file");
    if (H5Fis_hdf5(path.c_str()) <= 0) {
        H5Eclear2(H5E_DEFAULT);
        detail::throw_io("open", path, "not an HDF5 file");
    }
    const detail::H5Handle fapl = detail::file_access_plist();
    const hid_t id = H5Fopen(path.c_str(), H5F_ACC_RDONLY, fapl.get());
    if (id < 0) detail::throw_h5("open", path);
    return InputFile(id, path);
}

InputFile::InputFile(InputFile&& other) noexcept
    : id_(std::exchange(other.id_, -1)), path_(std::move(other.path_)) {}

InputFile& InputFile::operator=(InputFile&& other) noexcept {
    if (this != &other) {
        close();
        id_ = std::exchange(other.id_, -1);
        path_ = std::move(other.path_);
    }
    return *this;
}

InputFile::~InputFile() { close(); }

void InputFile::close() noexcept {
    if (id_ < 0) return;
    const detail::ErrorSilence silence;
    H5Fclose(id_);
    H5Eclear2(H5E_DEFAULT);
    id_ = -1;
}

}  // namespace hlhsim::io
