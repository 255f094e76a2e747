#include "viz/headless_display.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <poll.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <memory>
#include <mutex>

#include "sim/core/errors.hpp"

namespace hlhsim::viz {

namespace {

bool display_set() {
    const char* d = std::getenv("DISPLAY");
    return d != nullptr && *d != '\0';
}

/// Reads Xvfb's display number from `fd` (a line like "3\n"); "" on EOF or timeout.
std::string read_display_number(int fd, int timeout_ms) {
    std::string line;
    while (line.find('\n') == std::string::npos) {
        pollfd p{fd, POLLIN, 0};
        const int r = poll(&p, 1, timeout_ms);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) return {};
        char buf[32];
        const ssize_t n = read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return {};
        line.append(buf, static_cast<std::size_t>(n));
    }
    line.resize(line.find('\n'));
    return line;
}

}  // namespace

HeadlessDisplay::HeadlessDisplay() {
    if (display_set()) {
        display_ = std::getenv("DISPLAY");
        return;
    }
    int fds[2];
    if (pipe(fds) != 0) throw IoError("headless display: cannot create a pipe for Xvfb");
    const pid_t parent = getpid();
    const pid_t pid = fork();
    if (pid < 0) {
        close(fds[0]);
        close(fds[1]);
        throw IoError("headless display: cannot fork to start Xvfb");
    }
    if (pid == 0) {
        // Child: die with the parent, keep Xvfb's chatter off the user's terminal.
        prctl(PR_SET_PDEATHSIG, SIGTERM);
        if (getppid() != parent) _exit(1);
        close(fds[0]);
        const int devnull = open("/dev/null", O_RDWR);
        if (devnull >= 0) {
            dup2(devnull, STDIN_FILENO);
            dup2(devnull, STDOUT_FILENO);
            dup2(devnull, STDERR_FILENO);
        }
        const std::string fd = std::to_string(fds[1]);
        execlp("Xvfb", "Xvfb", "-displayfd", fd.c_str(), "-screen", "0", "3840x2160x24",
               "-nolisten", "tcp", "-noreset", static_cast<char*>(nullptr));
        _exit(127);
    }
    close(fds[1]);
    const std::string number = read_display_number(fds[0], 15000);
    close(fds[0]);
    if (number.empty()) {
        kill(pid, SIGTERM);
        waitpid(pid, nullptr, 0);
        throw IoError(
            "headless display: DISPLAY is unset and Xvfb could not be started (install the "
            "'xvfb' package, or set DISPLAY to an X server)");
    }
    pid_ = pid;
    display_ = ":" + number;
    setenv("DISPLAY", display_.c_str(), 1);
}

HeadlessDisplay::~HeadlessDisplay() {
    if (pid_ <= 0) return;
    kill(pid_, SIGTERM);
    waitpid(pid_, nullptr, 0);
    unsetenv("DISPLAY");
}

void ensure_display() {
    // The display is process-wide state by nature (the DISPLAY variable); one server
    // serves every renderer until exit, when the static is destroyed.
    static std::once_flag once;
    static std::unique_ptr<HeadlessDisplay> display;
    std::call_once(once, [] { display = std::make_unique<HeadlessDisplay>(); });
}

}  // namespace hlhsim::viz
