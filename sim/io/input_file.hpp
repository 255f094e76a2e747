#pragma once
// A read-only HDF5 file (a committed output, a .partial left by a killed run, or a
// file written by h5py). HDF5 types stay out of this header; the reading functions
// are in sim/io/h5_read.hpp. Not thread-safe: use one file from one thread at a time.
#include <cstdint>
#include <string>
#include <utility>

namespace hlhsim::io {

class InputFile {
  public:
    /// Opens `path` read-only. Throws IoError if it is missing or not an HDF5 file.
    static InputFile open(const std::string& path);

    InputFile(InputFile&& other) noexcept;
    InputFile& operator=(InputFile&& other) noexcept;
    InputFile(const InputFile&) = delete;
    InputFile& operator=(const InputFile&) = delete;
    ~InputFile();

    const std::string& path() const { return path_; }
    /// The HDF5 file identifier (hid_t) for the .cpp files of sim/io.
    std::int64_t handle() const { return id_; }

  private:
    InputFile(std::int64_t id, std::string path) : id_(id), path_(std::move(path)) {}
    void close() noexcept;

    std::int64_t id_ = -1;
    std::string path_;
};

}  // namespace hlhsim::io
