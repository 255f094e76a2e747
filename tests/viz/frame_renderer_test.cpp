#include "viz/frame_renderer.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <set>
#include <tuple>

#include "sim/core/errors.hpp"
#include "synthetic_run.hpp"

namespace hlhsim::viz {
namespace {

std::size_t distinct_colours(const RgbImage& img) {
    std::set<std::tuple<int, int, int>> s;
    for (int y = 0; y < img.height; ++y)
        for (int x = 0; x < img.width; ++x) {
            const Rgb c = img.at(x, y);
            s.insert({c.r, c.g, c.b});
        }
    return s.size();
}

double non_white_fraction(const RgbImage& img) {
    std::size_t n = 0;
    for (std::size_t i = 0; i < img.rgb.size(); i += 3)
        n += img.rgb[i] < 250 || img.rgb[i + 1] < 250 || img.rgb[i + 2] < 250;
    return static_cast<double>(n) / (img.rgb.size() / 3);
}

TEST(FrameRenderer, FrameHasTheRequestedSizeAndIsNotBlank) {
    test::TempDir dir;
    test::write_synthetic_run(dir.file("run.h5"), {.snapshots = 3});
    const RunFile run(dir.file("run.h5"));
    FrameRenderer r(run, {"il6", 640, 480});
    EXPECT_EQ(r.field(), "il6");
    EXPECT_DOUBLE_EQ(r.field_range()[0], 0.0);
    EXPECT_NEAR(r.field_range()[1], 2 * 3 * 10.0, 3.0);  // the peak of the last snapshot
    const RgbImage img = r.render(2);
    EXPECT_EQ(img.width, 640);
    EXPECT_EQ(img.height, 480);
    EXPECT_GT(distinct_colours(img), 50u);
    EXPECT_GT(non_white_fraction(img), 0.3);
    const RgbImage wide = FrameRenderer(run, {"", 300, 200}).render(0);
    EXPECT_EQ(wide.width, 300);
    EXPECT_EQ(wide.height, 200);
}

TEST(FrameRenderer, PixelAtAKnownAgentHasItsStateColour) {
    test::TempDir dir;
    test::write_synthetic_run(dir.file("one.h5"),
                              {.clinical = false, .big_agent = true, .snapshots = 1});
    const RunFile run(dir.file("one.h5"));
    FrameRenderer r(run, {"ifng", 600, 450});
    const RgbImage img = r.render(0);
    const Rgb expected = agent_color("macrophage", "activated", 0, 1);
    const auto c = r.to_pixel(test::kBigAgentX, test::kBigAgentY);
    EXPECT_EQ(img.at(int(c[0]), int(c[1])), expected);
    // Inside the disk (90 % of the radius) in four directions: still the state colour.
    const double rad = test::kBigAgentRadius * 0.9;
    for (auto [dx, dy] : {std::pair{rad, 0.0}, {-rad, 0.0}, {0.0, rad}, {0.0, -rad}}) {
        const auto p = r.to_pixel(test::kBigAgentX + dx, test::kBigAgentY + dy);
        EXPECT_EQ(img.at(int(p[0]), int(p[1])), expected) << dx << "," << dy;
    }
    // Outside it (130 % of the radius): the (zero) field, white.
    const auto out = r.to_pixel(test::kBigAgentX + 1.3 * test::kBigAgentRadius, test::kBigAgentY);
    EXPECT_EQ(img.at(int(out[0]), int(out[1])), field_color(0));
}

TEST(FrameRenderer, LogScaleSpansWholeDecades) {
    test::TempDir dir;
    test::write_synthetic_run(dir.file("run.h5"), {.snapshots = 3});
    const RunFile run(dir.file("run.h5"));
    FrameRenderer lin(run, {"il6", 200, 150, FieldScale::kAuto});
    EXPECT_FALSE(lin.log_scale());  // a broad bump: the median is near the peak
    FrameRenderer log(run, {"il6", 200, 150, FieldScale::kLog});
    EXPECT_TRUE(log.log_scale());
    EXPECT_DOUBLE_EQ(log.field_range()[1], 100.0);  // peak ~60 -> next decade
    const double decades = std::log10(log.field_range()[1] / log.field_range()[0]);
    EXPECT_NEAR(decades, std::round(decades), 1e-9);
    EXPECT_GE(decades, 1.0);
    EXPECT_EQ(log.render(1).width, 200);
    EXPECT_EQ(parse_scale("log"), FieldScale::kLog);
    EXPECT_THROW(parse_scale("sqrt"), InputError);
}

TEST(FrameRenderer, ThreeDimensionalRunShowsTheMidSlice) {
    test::TempDir dir;
    test::write_synthetic_run(dir.file("run3.h5"), {.dims = 3, .clinical = false, .snapshots = 2});
    const RunFile run(dir.file("run3.h5"));
    FrameRenderer r(run, {"ifng", 400, 300});
    const RgbImage img = r.render(1);
    EXPECT_EQ(img.width, 400);
    EXPECT_GT(distinct_colours(img), 30u);
}

TEST(FrameRenderer, RejectsUnknownFieldsAndSizes) {
    test::TempDir dir;
    test::write_synthetic_run(dir.file("run.h5"), {.snapshots = 1});
    const RunFile run(dir.file("run.h5"));
    EXPECT_THROW(FrameRenderer(run, {"tnf", 100, 100}), InputError);
    EXPECT_EQ(parse_size("1000x800"), (std::array<int, 2>{1000, 800}));
    EXPECT_THROW(parse_size("1000"), InputError);
    EXPECT_THROW(parse_size("10x10"), InputError);
}

TEST(FrameRenderer, RenderFramesWritesConsecutiveFiles) {
    test::TempDir dir;
    test::write_synthetic_run(dir.file("run.h5"), {.snapshots = 5});
    const RunFile run(dir.file("run.h5"));
    std::size_t calls = 0;
    const auto paths = render_frames(run, {"", 200, 160}, dir.file("frames"), 2,
                                     [&](std::size_t, std::size_t) { ++calls; });
    ASSERT_EQ(paths.size(), 3u);  // snapshots 0, 2, 4
    EXPECT_EQ(calls, 3u);
    EXPECT_TRUE(std::filesystem::exists(dir.file("frames/frame_000002.png")));
    EXPECT_EQ(read_png(paths[1]).width, 200);
}

TEST(FrameRenderer, MatchesTheGoldenImage) {
    // A small frame of the synthetic run, compared with tolerance (fonts and GL
    // rasterisation may differ by a few pixels between machines, not by content).
    // HLHSIM_UPDATE_GOLDEN=1 rewrites it.
    test::TempDir dir;
    test::write_synthetic_run(dir.file("run.h5"), {.snapshots = 3});
    const RunFile run(dir.file("run.h5"));
    const RgbImage img = FrameRenderer(run, {"ifng", 320, 240}).render(1);
    const std::string golden = std::string(HLHSIM_SOURCE_DIR) + "/tests/data/viz/frame_golden.png";
    if (std::getenv("HLHSIM_UPDATE_GOLDEN") != nullptr) write_png(img, golden);
    ASSERT_TRUE(std::filesystem::exists(golden)) << golden;
    EXPECT_LT(std::filesystem::file_size(golden), 50u * 1024u);
    const RgbImage ref = read_png(golden);
    ASSERT_EQ(ref.width, img.width);
    ASSERT_EQ(ref.height, img.height);
    double sum = 0;
    std::size_t far = 0;
    for (std::size_t i = 0; i < img.rgb.size(); i += 3) {
        int worst = 0;
        for (int c = 0; c < 3; ++c) {
            const int d = std::abs(int(img.rgb[i + c]) - int(ref.rgb[i + c]));
            sum += d;
            worst = std::max(worst, d);
        }
        far += worst > 48;
    }
    const double pixels = img.rgb.size() / 3.0;
    EXPECT_LT(sum / img.rgb.size(), 2.0);
    EXPECT_LT(far / pixels, 0.01);
}

}  // namespace
}  // namespace hlhsim::viz
