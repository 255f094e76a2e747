#include "viz/movie.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "sim/core/errors.hpp"
#include "synthetic_run.hpp"
#include "viz/frame_renderer.hpp"

namespace hlhsim::viz {
namespace {

TEST(Movie, FindsProgramsOnPath) {
    EXPECT_FALSE(find_program("sh").empty());
    EXPECT_TRUE(find_program("no-such-program-hlhsim").empty());
}

TEST(Movie, EncodesFramesToMp4) {
    if (find_program("ffmpeg").empty()) GTEST_SKIP() << "ffmpeg not on PATH";
    test::TempDir dir;
    test::write_synthetic_run(dir.file("run.h5"), {.clinical = false, .snapshots = 4});
    const RunFile run(dir.file("run.h5"));
    render_frames(run, {"", 241, 181}, dir.file("frames"), 1);  // odd sizes get padded
    ASSERT_TRUE(encode_movie(dir.file("frames"), dir.file("frames/movie.mp4"), 4));
    ASSERT_TRUE(std::filesystem::exists(dir.file("frames/movie.mp4")));
    std::ifstream in(dir.file("frames/movie.mp4"), std::ios::binary);
    char head[12] = {};
    in.read(head, sizeof head);
    EXPECT_EQ(std::string(head + 4, 4), "ftyp");  // an MP4 container
    std::string out;
    if (!find_program("ffprobe").empty()) {
        ASSERT_EQ(
            test::run_command("ffprobe -v error -count_frames -select_streams v:0 -show_entries "
                              "stream=nb_read_frames,codec_name -of csv=p=0 " +
                                  dir.file("frames/movie.mp4"),
                              out),
            0);
        EXPECT_NE(out.find("h264,4"), std::string::npos) << out;
    }
}

TEST(Movie, WithoutFfmpegKeepsThePngs) {
    test::TempDir dir;
    const char* old = std::getenv("PATH");
    const std::string saved = old ? old : "";
    setenv("PATH", dir.path().c_str(), 1);  // nothing there
    EXPECT_FALSE(encode_movie(dir.file("frames"), dir.file("m.mp4")));
    setenv("PATH", saved.c_str(), 1);
    EXPECT_FALSE(std::filesystem::exists(dir.file("m.mp4")));
}

TEST(Movie, MissingFramesAreAnError) {
    if (find_program("ffmpeg").empty()) GTEST_SKIP() << "ffmpeg not on PATH";
    test::TempDir dir;
    EXPECT_THROW(encode_movie(dir.file("none"), dir.file("m.mp4")), IoError);
}

}  // namespace
}  // namespace hlhsim::viz
