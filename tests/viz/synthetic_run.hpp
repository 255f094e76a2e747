#pragma once
// Small synthetic run files for the viz tests, written with the sim/io writers in the
// layout of docs/output.md: an HLH-like clinical course (time series, /criteria,
// /events with doses), snapshots of the four HLH populations and two fields, or a
// single big agent at a known place for pixel tests.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

namespace hlhsim::viz::test {

struct SyntheticOptions {
    int dims = 2;            ///< 2 or 3
    bool clinical = true;    ///< time series, criteria and events
    bool big_agent = false;  ///< one macrophage (activated, radius 40 um) at (60, 50)
                             ///< in a 200 x 150 um domain with a zero field; nothing else
    int snapshots = 6;
    bool ferritin_unit_ng = true;  ///< false: ferritin in ug/L (threshold not drawable)
};

/// Writes a synthetic run file at `path` (committed).
void write_synthetic_run(const std::string& path, const SyntheticOptions& options = {});

/// Values of the synthetic clinical course (for expectations).
inline constexpr double kSyntheticDays = 60.0;   ///< simulated duration [day]
inline constexpr double kBigAgentX = 60.0;       ///< [um]
inline constexpr double kBigAgentY = 50.0;       ///< [um]
inline constexpr double kBigAgentRadius = 40.0;  ///< [um]

/// A fresh directory named after the running test; removed on destruction unless
/// HLHSIM_KEEP_TEST_FILES is set (then its path is printed, to look at the images).
class TempDir {
  public:
    TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    ~TempDir();
    std::string file(const std::string& name) const { return (path_ / name).string(); }
    const std::filesystem::path& path() const { return path_; }

  private:
    std::filesystem::path path_;
};

/// Runs a shell command; returns its exit status, stdout+stderr in `output`.
int run_command(const std::string& command, std::string& output);

}  // namespace hlhsim::viz::test
