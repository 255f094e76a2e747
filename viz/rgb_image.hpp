#pragma once
// An 8-bit RGB image in memory (top row first) and its PNG encoding. The renderers
// return these so callers (CLI, report, tests) can write, embed or inspect pixels.
#include <cstdint>
#include <string>
#include <vector>

#include "viz/palette.hpp"

class vtkImageData;

namespace hlhsim::viz {

struct RgbImage {
    int width = 0;
    int height = 0;
    std::vector<std::uint8_t> rgb;  ///< width*height*3 bytes, row 0 at the top

    /// Pixel at column x, row y (0 = top).
    Rgb at(int x, int y) const {
        const std::size_t i = (static_cast<std::size_t>(y) * static_cast<std::size_t>(width) +
                               static_cast<std::size_t>(x)) *
                              3;
        return {rgb[i], rgb[i + 1], rgb[i + 2]};
    }
};

/// Writes `image` as a PNG file; throws IoError on failure.
void write_png(const RgbImage& image, const std::string& path);
/// The PNG file bytes of `image`.
std::vector<std::uint8_t> encode_png(const RgbImage& image);
/// Reads a PNG file (RGB or RGBA; alpha dropped); throws IoError on failure.
RgbImage read_png(const std::string& path);

/// Internal: copies a VTK unsigned-char image (RGB or RGBA, bottom row first).
RgbImage from_vtk_image(vtkImageData* image);

}  // namespace hlhsim::viz
