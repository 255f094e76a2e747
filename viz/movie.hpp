#pragma once
// Frames to a movie through the ffmpeg command line (H.264 MP4, playable in browsers
// and presentation software). Without ffmpeg the PNG sequence stays the result.
#include <string>

namespace hlhsim::viz {

/// The full path of `program` when it is on PATH, else "".
std::string find_program(const std::string& program);

/// Encodes dir/frame_%06d.png into `mp4_path` at `fps` frames per second. Returns
/// false (writing nothing) when ffmpeg is not on PATH; throws IoError when ffmpeg
/// fails (its last output lines in the message).
bool encode_movie(const std::string& frames_dir, const std::string& mp4_path, double fps = 8.0);

}  // namespace hlhsim::viz
