#pragma once
// One picture per snapshot, rendered off-screen with VTK: the chosen field as a heat
// map (colour bar with unit), agents as disks coloured by population and state
// (palette.hpp), a legend with counts, a scale bar, and a caption with the simulated
// time and the treatments given in the last day. 3-D runs show the field's mid-z
// slice and the agents within one voxel of it.
#include <array>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "viz/color_scale.hpp"
#include "viz/rgb_image.hpp"
#include "viz/run_file.hpp"

namespace hlhsim::viz {

struct FrameOptions {
    /// Field to draw: "" = the run's first field; "none" = agents only.
    std::string field;
    int width = 1280;  ///< image width [px]
    int height = 960;  ///< image height [px]
    FieldScale scale = FieldScale::kAuto;
};

/// Parses "WxH" such as "1280x960" (16..8192 each); throws InputError.
std::array<int, 2> parse_size(const std::string& text);

class FrameRenderer {
  public:
    /// Builds the VTK scene once (reused for every frame). The field's colour range
    /// spans the given snapshots (all when empty), so frames of a movie compare.
    /// Starts a headless display if needed (headless_display.hpp). Throws InputError
    /// for an unknown field.
    FrameRenderer(const RunFile& run, FrameOptions options,
                  const std::vector<std::size_t>& range_snapshots = {});
    ~FrameRenderer();
    FrameRenderer(const FrameRenderer&) = delete;
    FrameRenderer& operator=(const FrameRenderer&) = delete;

    /// Renders snapshot `index` (of run.snapshot_names()).
    RgbImage render(std::size_t index);

    /// The pixel (column, row from the top) where domain point (x, y) [um] lands.
    std::array<double, 2> to_pixel(double x_um, double y_um) const;
    /// The field drawn ("" when none).
    const std::string& field() const;
    /// The field's colour range [field unit].
    std::array<double, 2> field_range() const;
    /// True when the field is coloured on a log scale.
    bool log_scale() const;

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

/// Renders every `every`-th snapshot to dir/frame_000000.png, frame_000001.png, ...
/// (consecutive numbers, as movie encoders expect). `progress(done, total)` is called
/// after each frame when given. Returns the file paths in order.
std::vector<std::string> render_frames(
    const RunFile& run, const FrameOptions& options, const std::string& dir, std::size_t every,
    const std::function<void(std::size_t, std::size_t)>& progress = {});

}  // namespace hlhsim::viz
