#include "sim/io/output_file.hpp"

#include <filesystem>
#include <system_error>
#include <utility>

#include "sim/core/errors.hpp"
#include "sim/io/h5_handle.hpp"

namespace hlhsim::io {

using detail::check;
using detail::ErrorSilence;
using detail::H5Handle;

OutputFile OutputFile::create(const std::string& final_path) {
    const ErrorSilence silence;
    if (final_path.empty()) detail::throw_io("create output file", final_path, "empty path");
    const std::filesystem::path target(final_path);
    if (target.has_parent_path()) {
        std::error_code ec;
        std::filesystem::create_directories(target.parent_path(), ec);
        if (ec)
            detail::throw_io(
                "create output file", final_path,
                "cannot create directory '" + target.parent_path().string() + "': " + ec.message());
    }
    std::string partial = final_path + ".partial";
    const H5Handle fcpl(H5Pcreate(H5P_FILE_CREATE), "create property list", partial);
    // The root group is created from the file creation list: no timestamps there either.
    check(H5Pset_obj_track_times(fcpl.get(), 0), "set track times", partial);
    const H5Handle fapl = detail::file_access_plist();
    const hid_t id = H5Fcreate(partial.c_str(), H5F_ACC_TRUNC, fcpl.get(), fapl.get());
    if (id < 0) detail::throw_h5("create output file", partial);
    return OutputFile(id, final_path, std::move(partial));
}

OutputFile::OutputFile(std::int64_t id, std::string final_path, std::string partial_path)
    : id_(id), final_path_(std::move(final_path)), partial_path_(std::move(partial_path)) {}

OutputFile::OutputFile(OutputFile&& other) noexcept
    : id_(std::exchange(other.id_, -1)),
      final_path_(std::move(other.final_path_)),
      partial_path_(std::move(other.partial_path_)),
      committed_(other.committed_) {}

OutputFile& OutputFile::operator=(OutputFile&& other) noexcept {
    if (this != &other) {
        close();
        id_ = std::exchange(other.id_, -1);
        final_path_ = std::move(other.final_path_);
        partial_path_ = std::move(other.partial_path_);
        committed_ = other.committed_;
    }
    return *this;
}

OutputFile::~OutputFile() { close(); }

void OutputFile::close() noexcept {
    if (id_ < 0) return;
    const ErrorSilence silence;
    H5Fclose(id_);
    H5Eclear2(H5E_DEFAULT);
    id_ = -1;
}

std::int64_t OutputFile::handle() const {
    if (id_ < 0)
        detail::throw_io("use output file", final_path_,
                         committed_ ? "the file is already committed" : "the file is closed");
    return id_;
}

void OutputFile::flush() {
    const ErrorSilence silence;
    check(H5Fflush(handle(), H5F_SCOPE_GLOBAL), "flush", partial_path_);
}

void OutputFile::commit() {
    const ErrorSilence silence;
    const hid_t id = handle();
    id_ = -1;  // closed from here on, whatever happens
    check(H5Fclose(id), "close", partial_path_);
    std::error_code ec;
    std::filesystem::rename(partial_path_, final_path_, ec);
    if (ec)
        detail::throw_io("commit output file", final_path_,
                         "cannot rename '" + partial_path_ + "': " + ec.message());
    committed_ = true;
}

}  // namespace hlhsim::io
