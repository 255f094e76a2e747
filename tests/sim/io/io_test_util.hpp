#pragma once
// Helpers shared by the sim/io tests: a per-test temporary directory and runners for
// the external HDF5 readers (h5py, h5dump) that the files must satisfy.
#include <gtest/gtest.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

namespace hlhsim::io::test {

/// A fresh directory under the test temp dir, named after the running test; removed on
/// destruction.
class TempDir {
  public:
    TempDir() {
        const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
        std::string name = std::string("hlhsim_io_") + std::to_string(::getpid()) + "_" +
                           info->test_suite_name() + "_" + info->name();
        for (char& c : name)
            if (c == '/') c = '_';
        path_ = std::filesystem::path(::testing::TempDir()) / name;
        std::filesystem::remove_all(path_);
        std::filesystem::create_directories(path_);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(path_, ec);
    }
    /// Absolute path of `name` inside the directory.
    std::string file(const std::string& name) const { return (path_ / name).string(); }
    const std::filesystem::path& path() const { return path_; }

  private:
    std::filesystem::path path_;
};

/// Whole file as bytes (for byte-stability checks).
inline std::string read_bytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

/// Runs a shell command; returns its exit status and puts stdout+stderr in `output`.
inline int run_command(const std::string& command, std::string& output) {
    output.clear();
    FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
    if (pipe == nullptr) return -1;
    std::array<char, 4096> buf{};
    std::size_t n = 0;
    while ((n = std::fread(buf.data(), 1, buf.size(), pipe)) > 0) output.append(buf.data(), n);
    const int status = ::pclose(pipe);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

inline constexpr const char* kPython = "/usr/bin/python3";

/// True if /usr/bin/python3 exists and imports h5py.
inline bool have_h5py() {
    if (!std::filesystem::exists(kPython)) return false;
    std::string out;
    return run_command(std::string(kPython) + " -c 'import h5py'", out) == 0;
}

/// True if the h5dump tool is on PATH.
inline bool have_h5dump() {
    std::string out;
    return run_command("command -v h5dump", out) == 0;
}

/// Runs a Python script (written to a file in `dir`) with the file path as argv[1].
inline int run_python(const TempDir& dir, const std::string& script, const std::string& h5_path,
                      std::string& output) {
    const std::string script_path = dir.file("check.py");
    std::ofstream(script_path) << script;
    return run_command(std::string(kPython) + " " + script_path + " '" + h5_path + "'", output);
}

}  // namespace hlhsim::io::test
