#pragma once
// An HDF5 output file written safely: everything goes to "<path>.partial" and only
// commit() renames it onto <path>. Until then an earlier <path> is untouched, and a
// killed run leaves a .partial that holds everything flushed so far (h5py/h5dump read
// it: the file keeps superblock version 2, which has no "open for writing" flag).
//
// HDF5 types stay out of this header; handle() gives the raw hid_t as an int64 to the
// .cpp files of sim/io. Not thread-safe: use one file from one thread at a time.
#include <cstdint>
#include <string>

namespace hlhsim::io {

class OutputFile {
  public:
    /// Creates (truncating) "<final_path>.partial"; missing parent directories are made.
    /// Throws IoError when the directory or the file cannot be created.
    static OutputFile create(const std::string& final_path);

    OutputFile(OutputFile&& other) noexcept;
    OutputFile& operator=(OutputFile&& other) noexcept;
    OutputFile(const OutputFile&) = delete;
    OutputFile& operator=(const OutputFile&) = delete;
    /// Without commit(): closes the file and leaves the .partial in place.
    ~OutputFile();

    /// Writes all buffered data and metadata to the operating system (H5Fflush), so a
    /// kill after this point loses nothing written before it.
    void flush();
    /// Closes the file (and any object still open in it) and renames the .partial onto
    /// the final path, replacing an earlier file. The object is closed afterwards.
    void commit();

    bool is_open() const { return id_ >= 0; }
    bool committed() const { return committed_; }
    const std::string& final_path() const { return final_path_; }
    const std::string& partial_path() const { return partial_path_; }
    /// The HDF5 file identifier (hid_t); throws IoError once the file is closed.
    std::int64_t handle() const;

  private:
    OutputFile(std::int64_t id, std::string final_path, std::string partial_path);
    void close() noexcept;

    std::int64_t id_ = -1;
    std::string final_path_;
    std::string partial_path_;
    bool committed_ = false;
};

}  // namespace hlhsim::io
