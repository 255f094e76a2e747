#pragma once
// Support for the end-to-end tests of the hlhsim command: running the real binary (or
// an HDF5 tool) as a child process in a per-test directory with stdout and stderr
// captured, reading back the run file it wrote, and comparing two run files.
#include <gtest/gtest.h>
#include <sys/types.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace hlhsim::cli::test {

namespace fs = std::filesystem;

/// How a child process ended: its exit status, or 128 + signal number if a signal
/// ended it (as a shell reports it); -1 if it had to be killed at the timeout.
struct Result {
    int code = -1;
    std::string out;  ///< everything it wrote to stdout
    std::string err;  ///< everything it wrote to stderr
};

/// A child process started with posix_spawn in a given directory, stdin from /dev/null,
/// stdout and stderr into files. Killed (SIGKILL) and reaped if still running at
/// destruction, so a failing test never leaves a simulator running.
class Process {
  public:
    /// Starts argv (argv[0] looked up on PATH unless it holds a '/') in `cwd`, capturing
    /// its output under `capture_dir`. Fails the test (ADD_FAILURE) if it cannot start.
    Process(const std::vector<std::string>& argv, const fs::path& cwd, const fs::path& capture_dir);
    Process(const Process&) = delete;
    Process& operator=(const Process&) = delete;
    ~Process();

    pid_t pid() const { return pid_; }
    /// True while the child has not exited (reaps it if it has).
    bool running();
    /// Sends `sig` to the child if it is still running.
    void send(int sig);
    /// Waits for the end [s]; past `timeout_s` kills it and fails the test.
    Result wait(double timeout_s = 60.0);

  private:
    pid_t pid_ = -1;
    int status_ = 0;
    bool reaped_ = false;
    std::string out_path_;
    std::string err_path_;
};

/// Runs argv to completion (see Process) and returns how it ended.
Result run(const std::vector<std::string>& argv, const fs::path& cwd, const fs::path& capture_dir,
           double timeout_s = 60.0);

/// The hlhsim binary under test (absolute path, from the build).
std::string hlhsim_exe();
/// A file of the source tree, e.g. source_file("configs/examples/random_walkers.yaml").
fs::path source_file(const std::string& relative);
/// A test config in tests/data/configs/.
fs::path data_config(const std::string& name);

/// True if an executable `name` is on PATH.
bool have_tool(const std::string& name);
/// True if /usr/bin/python3 exists and imports h5py.
bool have_h5py();

/// The whole file as bytes ("" if it cannot be read).
std::string read_bytes(const fs::path& path);
/// Writes `bytes` to `path`, replacing it.
void write_bytes(const fs::path& path, const std::string& bytes);
/// Names of the entries of a directory, sorted.
std::vector<std::string> list_dir(const fs::path& dir);

/// Snapshot groups of a run file that another process may still be writing, counted
/// in a forked child with HDF5 file locking off (the writer holds the lock); a torn
/// read only costs that child. -1 if the file cannot be read (yet).
int count_snapshots_live(const fs::path& h5);

/// Fixture: a fresh working directory per test (the child's cwd) and a capture
/// directory beside it. Removed after a passing test, kept (and named) after a failure.
class CliTest : public ::testing::Test {
  protected:
    void SetUp() override;
    void TearDown() override;

    /// Runs `hlhsim ARGS...` in work() to completion.
    Result hlhsim(const std::vector<std::string>& args, double timeout_s = 60.0);
    /// Starts `hlhsim ARGS...` in work() and returns at once.
    std::unique_ptr<Process> start_hlhsim(const std::vector<std::string>& args);
    /// Runs any tool (looked up on PATH) in work() to completion.
    Result tool(const std::vector<std::string>& argv, double timeout_s = 60.0);

    const fs::path& work() const { return work_; }
    fs::path file(const std::string& name) const { return work_ / name; }

  private:
    fs::path root_;
    fs::path work_;
    fs::path capture_;
};

}  // namespace hlhsim::cli::test
