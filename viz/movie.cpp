#include "viz/movie.hpp"

#include <fmt/format.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include "sim/core/errors.hpp"

namespace hlhsim::viz {

namespace fs = std::filesystem;

std::string find_program(const std::string& program) {
    const char* path = std::getenv("PATH");
    if (path == nullptr) return {};
    std::stringstream dirs(path);
    std::string dir;
    while (std::getline(dirs, dir, ':')) {
        if (dir.empty()) continue;
        const fs::path p = fs::path(dir) / program;
        if (access(p.c_str(), X_OK) == 0 && fs::is_regular_file(p)) return p.string();
    }
    return {};
}

bool encode_movie(const std::string& frames_dir, const std::string& mp4_path, double fps) {
    const std::string ffmpeg = find_program("ffmpeg");
    if (ffmpeg.empty()) return false;
    if (!fs::exists(fs::path(frames_dir) / "frame_000000.png"))
        throw IoError(fmt::format("movie: no frames in {} (frame_000000.png missing)", frames_dir));
    if (const auto parent = fs::path(mp4_path).parent_path(); !parent.empty())
        fs::create_directories(parent);
    const std::string log = mp4_path + ".ffmpeg.log";
    // Even width and height (yuv420p needs them), 8 fps, faststart for streaming.
    const std::vector<std::string> args = {ffmpeg,
                                           "-y",
                                           "-hide_banner",
                                           "-loglevel",
                                           "error",
                                           "-framerate",
                                           fmt::format("{}", fps),
                                           "-i",
                                           (fs::path(frames_dir) / "frame_%06d.png").string(),
                                           "-vf",
                                           "pad=ceil(iw/2)*2:ceil(ih/2)*2:color=white",
                                           "-c:v",
                                           "libx264",
                                           "-pix_fmt",
                                           "yuv420p",
                                           "-crf",
                                           "20",
                                           "-movflags",
                                           "+faststart",
                                           mp4_path};
    const pid_t pid = fork();
    if (pid < 0) throw IoError("movie: cannot fork to run ffmpeg");
    if (pid == 0) {
        if (std::FILE* f = std::freopen(log.c_str(), "w", stderr)) (void)f;
        if (std::FILE* f = std::freopen("/dev/null", "r", stdin)) (void)f;
        std::vector<char*> argv;
        for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
        argv.push_back(nullptr);
        execv(ffmpeg.c_str(), argv.data());
        _exit(127);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    const bool ok = WIFEXITED(status) && WEXITSTATUS(status) == 0 && fs::exists(mp4_path) &&
                    fs::file_size(mp4_path) > 0;
    std::ifstream in(log);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::error_code ec;
    fs::remove(log, ec);
    if (!ok)
        throw IoError(fmt::format("movie: ffmpeg failed for {}: {}", mp4_path,
                                  text.size() > 600 ? text.substr(text.size() - 600) : text));
    return true;
}

}  // namespace hlhsim::viz
