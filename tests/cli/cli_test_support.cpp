#include "tests/cli/cli_test_support.hpp"

#include <fcntl.h>
#include <hdf5.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <thread>

#include "sim/core/errors.hpp"
#include "sim/io/h5_read.hpp"
#include "sim/io/input_file.hpp"

extern char** environ;

namespace hlhsim::cli::test {
namespace {

int decode_status(int status) {
    if (WIFEXITED(status)) return WEXITSTATUS(status);
    if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
    return -1;
}

std::string join(const std::vector<std::string>& v) {
    std::string s;
    for (const auto& x : v) s += (s.empty() ? "" : " ") + x;
    return s;
}

}  // namespace

Process::Process(const std::vector<std::string>& argv, const fs::path& cwd,
                 const fs::path& capture_dir) {
    static int counter = 0;
    const std::string stem = (capture_dir / std::to_string(++counter)).string();
    out_path_ = stem + ".out";
    err_path_ = stem + ".err";

    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, out_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                     0644);
    posix_spawn_file_actions_addopen(&actions, 2, err_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                     0644);
    posix_spawn_file_actions_addchdir_np(&actions, cwd.c_str());

    // A test runner started in the background may ignore SIGINT; the child must not
    // inherit that, or the interrupt tests would test nothing.
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    sigset_t defaults;
    sigemptyset(&defaults);
    sigaddset(&defaults, SIGINT);
    sigaddset(&defaults, SIGTERM);
    sigset_t none;
    sigemptyset(&none);
    posix_spawnattr_setsigdefault(&attr, &defaults);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);

    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    const int rc = posix_spawnp(&pid_, args[0], &actions, &attr, args.data(), environ);
    posix_spawnattr_destroy(&attr);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) {
        pid_ = -1;
        ADD_FAILURE() << "cannot start '" << join(argv) << "': " << std::strerror(rc);
    }
}

Process::~Process() {
    if (pid_ > 0 && !reaped_) {
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, &status_, 0);
    }
}

bool Process::running() {
    if (pid_ <= 0 || reaped_) return false;
    if (::waitpid(pid_, &status_, WNOHANG) == pid_) reaped_ = true;
    return !reaped_;
}

void Process::send(int sig) {
    if (running()) ::kill(pid_, sig);
}

Result Process::wait(double timeout_s) {
    Result r;
    if (pid_ <= 0) return r;
    const auto deadline =
        std::chrono::steady_clock::now() + std::chrono::duration<double>(timeout_s);
    while (running()) {
        if (std::chrono::steady_clock::now() > deadline) {
            ::kill(pid_, SIGKILL);
            ::waitpid(pid_, &status_, 0);
            reaped_ = true;
            ADD_FAILURE() << "child " << pid_ << " still running after " << timeout_s
                          << " s: killed";
            r.out = read_bytes(out_path_);
            r.err = read_bytes(err_path_);
            return r;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    r.code = decode_status(status_);
    r.out = read_bytes(out_path_);
    r.err = read_bytes(err_path_);
    return r;
}

Result run(const std::vector<std::string>& argv, const fs::path& cwd, const fs::path& capture_dir,
           double timeout_s) {
    Process p(argv, cwd, capture_dir);
    return p.wait(timeout_s);
}

std::string hlhsim_exe() { return HLHSIM_EXE; }

fs::path source_file(const std::string& relative) { return fs::path(HLHSIM_SOURCE_DIR) / relative; }

fs::path data_config(const std::string& name) { return source_file("tests/data/configs/" + name); }

bool have_tool(const std::string& name) {
    const char* path = std::getenv("PATH");
    std::string dirs = path ? path : "/usr/bin:/bin";
    std::size_t start = 0;
    while (start <= dirs.size()) {
        const std::size_t end = std::min(dirs.find(':', start), dirs.size());
        const fs::path candidate = fs::path(dirs.substr(start, end - start)) / name;
        if (::access(candidate.c_str(), X_OK) == 0) return true;
        start = end + 1;
    }
    return false;
}

bool have_h5py() {
    static const bool present =
        fs::exists("/usr/bin/python3") &&
        std::system("/usr/bin/python3 -c 'import h5py' >/dev/null 2>&1") == 0;
    return present;
}

std::string read_bytes(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void write_bytes(const fs::path& path, const std::string& bytes) {
    std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
}

std::vector<std::string> list_dir(const fs::path& dir) {
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(dir)) names.push_back(e.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
}

int count_snapshots_live(const fs::path& h5) {
    const pid_t pid = ::fork();
    if (pid < 0) return -1;
    if (pid == 0) {
        // Child: raw HDF5 with locking off (the writer holds the file lock); any
        // failure, or even a crash on half-written metadata, just means "not yet".
        const int devnull = ::open("/dev/null", O_WRONLY);
        if (devnull >= 0) ::dup2(devnull, 2);
        H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
        const hid_t fapl = H5Pcreate(H5P_FILE_ACCESS);
        H5Pset_file_locking(fapl, false, true);
        const hid_t file = H5Fopen(h5.c_str(), H5F_ACC_RDONLY, fapl);
        if (file < 0) ::_exit(255);
        if (H5Lexists(file, "/snapshots", H5P_DEFAULT) <= 0) ::_exit(0);
        const hid_t group = H5Gopen2(file, "/snapshots", H5P_DEFAULT);
        H5G_info_t info;
        if (group < 0 || H5Gget_info(group, &info) < 0) ::_exit(255);
        ::_exit(static_cast<int>(std::min<hsize_t>(info.nlinks, 200)));
    }
    int status = 0;
    if (::waitpid(pid, &status, 0) != pid || !WIFEXITED(status)) return -1;
    const int n = WEXITSTATUS(status);
    return n == 255 ? -1 : n;
}

void CliTest::SetUp() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    std::string name = std::string("hlhsim_cli_") + info->test_suite_name() + "_" + info->name() +
                       "_" + std::to_string(::getpid());
    std::replace(name.begin(), name.end(), '/', '_');
    root_ = fs::temp_directory_path() / name;
    fs::remove_all(root_);
    work_ = root_ / "work";
    capture_ = root_ / "capture";
    fs::create_directories(work_);
    fs::create_directories(capture_);
}

void CliTest::TearDown() {
    if (HasFailure()) {
        std::cerr << "[ kept     ] " << root_.string() << "\n";
        return;
    }
    std::error_code ec;
    fs::remove_all(root_, ec);
}

Result CliTest::hlhsim(const std::vector<std::string>& args, double timeout_s) {
    std::vector<std::string> argv{hlhsim_exe()};
    argv.insert(argv.end(), args.begin(), args.end());
    return run(argv, work_, capture_, timeout_s);
}

std::unique_ptr<Process> CliTest::start_hlhsim(const std::vector<std::string>& args) {
    std::vector<std::string> argv{hlhsim_exe()};
    argv.insert(argv.end(), args.begin(), args.end());
    return std::make_unique<Process>(argv, work_, capture_);
}

Result CliTest::tool(const std::vector<std::string>& argv, double timeout_s) {
    return run(argv, work_, capture_, timeout_s);
}

}  // namespace hlhsim::cli::test
