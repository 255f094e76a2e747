#include "sim/cli/child_pool.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>

extern char** environ;

namespace hlhsim::cli {
namespace {

using Clock = std::chrono::steady_clock;

volatile std::sig_atomic_t g_stop = 0;

extern "C" void on_stop(int) { g_stop = 1; }
// SIGCHLD must have a handler (its default is to discard) for sigsuspend to wake.
extern "C" void on_child(int) {}

struct Running {
    pid_t pid;
    std::size_t job;
    Clock::time_point start;
};

/// Blocks SIGCHLD, SIGINT and SIGTERM and installs the pool's handlers; the destructor
/// puts everything back. While blocked, those signals wake only sigsuspend, so a child
/// that ends or a Ctrl-C between two checks is never missed.
class SignalScope {
  public:
    SignalScope() {
        sigset_t block;
        sigemptyset(&block);
        for (int s : kSignals) sigaddset(&block, s);
        sigprocmask(SIG_BLOCK, &block, &previous_mask_);
        for (std::size_t i = 0; i < std::size(kSignals); ++i) {
            struct sigaction sa {};
            sa.sa_handler = kSignals[i] == SIGCHLD ? on_child : on_stop;
            sigemptyset(&sa.sa_mask);
            sa.sa_flags = 0;  // no SA_RESTART: nothing here blocks but sigsuspend
            sigaction(kSignals[i], &sa, &previous_[i]);
        }
        g_stop = 0;
    }
    SignalScope(const SignalScope&) = delete;
    SignalScope& operator=(const SignalScope&) = delete;
    ~SignalScope() {
        for (std::size_t i = 0; i < std::size(kSignals); ++i)
            sigaction(kSignals[i], &previous_[i], nullptr);
        sigprocmask(SIG_SETMASK, &previous_mask_, nullptr);
    }
    /// Waits until one of the signals arrives (returns at once if one is pending).
    void wait() const {
        sigset_t open = previous_mask_;
        for (int s : kSignals) sigdelset(&open, s);
        sigsuspend(&open);
    }

  private:
    static constexpr int kSignals[] = {SIGCHLD, SIGINT, SIGTERM};
    sigset_t previous_mask_{};
    struct sigaction previous_[std::size(kSignals)]{};
};

/// Starts a job; returns the pid or -1 (with a line in its log when possible).
pid_t spawn(const ChildJob& job) {
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, job.log_path.c_str(),
                                     O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_adddup2(&actions, 1, 2);
    // The child starts with the signals this process had before the pool: nothing
    // blocked, default actions (hlhsim run installs its own SIGINT/SIGTERM handlers).
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    sigset_t none;
    sigemptyset(&none);
    posix_spawnattr_setsigmask(&attr, &none);
    sigset_t defaults;
    sigemptyset(&defaults);
    sigaddset(&defaults, SIGINT);
    sigaddset(&defaults, SIGTERM);
    sigaddset(&defaults, SIGCHLD);
    posix_spawnattr_setsigdefault(&attr, &defaults);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);

    std::vector<char*> argv;
    for (const auto& a : job.argv) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    pid_t pid = -1;
    const int rc = posix_spawn(&pid, argv[0], &actions, &attr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
    if (rc == 0) return pid;
    if (std::FILE* log = std::fopen(job.log_path.c_str(), "a")) {
        std::fprintf(log, "hlhsim sweep: could not start %s: %s\n", argv[0], std::strerror(rc));
        std::fclose(log);
    }
    return -1;
}

int status_code(int wait_status) {
    if (WIFEXITED(wait_status)) return WEXITSTATUS(wait_status);
    if (WIFSIGNALED(wait_status)) return 128 + WTERMSIG(wait_status);
    return 1;
}

}  // namespace

bool run_children(const std::vector<ChildJob>& jobs, int parallel,
                  std::vector<ChildResult>& results,
                  const std::function<void(std::size_t)>& on_finish) {
    results.assign(jobs.size(), ChildResult{});
    const std::size_t max_running = parallel < 1 ? 1 : static_cast<std::size_t>(parallel);
    const SignalScope signals;
    std::vector<Running> running;
    std::size_t next = 0;
    bool terminated = false;
    while (true) {
        // Reap whatever ended; only our own pids, so nothing else's child is taken.
        for (std::size_t i = 0; i < running.size();) {
            int status = 0;
            const pid_t r = waitpid(running[i].pid, &status, WNOHANG);
            if (r == 0 || (r < 0 && errno == EINTR)) {
                ++i;
                continue;
            }
            ChildResult& result = results[running[i].job];
            result.status = r < 0 ? 1 : status_code(status);
            result.wall_seconds =
                std::chrono::duration<double>(Clock::now() - running[i].start).count();
            const std::size_t job = running[i].job;
            running.erase(running.begin() + static_cast<std::ptrdiff_t>(i));
            if (on_finish) on_finish(job);
        }
        if (g_stop && !terminated) {
            for (const auto& r : running) kill(r.pid, SIGTERM);
            terminated = true;
        }
        while (!g_stop && running.size() < max_running && next < jobs.size()) {
            const std::size_t job = next++;
            const auto start = Clock::now();
            const pid_t pid = spawn(jobs[job]);
            if (pid < 0) {
                results[job].status = 127;
                if (on_finish) on_finish(job);
                continue;
            }
            running.push_back({pid, job, start});
        }
        if (running.empty() && (g_stop || next == jobs.size())) break;
        signals.wait();
    }
    return g_stop == 0;
}

}  // namespace hlhsim::cli
