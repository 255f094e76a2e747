#include "viz/rgb_image.hpp"

#include <gtest/gtest.h>

#include "sim/core/errors.hpp"
#include "synthetic_run.hpp"

namespace hlhsim::viz {
namespace {

TEST(RgbImage, PngRoundTripKeepsPixelsAndOrientation) {
    test::TempDir dir;
    RgbImage img;
    img.width = 5;
    img.height = 3;
    img.rgb.assign(5 * 3 * 3, 0);
    img.rgb[0] = 255;                    // top-left red
    img.rgb[(2 * 5 + 4) * 3 + 2] = 200;  // bottom-right blue
    write_png(img, dir.file("a/b.png"));
    const RgbImage back = read_png(dir.file("a/b.png"));
    EXPECT_EQ(back.width, 5);
    EXPECT_EQ(back.height, 3);
    EXPECT_EQ(back.rgb, img.rgb);
    EXPECT_EQ(back.at(0, 0), (Rgb{255, 0, 0}));
    EXPECT_EQ(back.at(4, 2), (Rgb{0, 0, 200}));
    const auto bytes = encode_png(img);
    ASSERT_GT(bytes.size(), 8u);
    EXPECT_EQ(bytes[1], 'P');
    EXPECT_EQ(bytes[2], 'N');
    EXPECT_THROW(read_png(dir.file("missing.png")), IoError);
}

}  // namespace
}  // namespace hlhsim::viz
