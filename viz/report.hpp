#pragma once
// A run told as one self-contained HTML page for a class: the dashboard, key frames at
// onset / diagnosis / treatment / relapse / remission (from /events; evenly spaced
// snapshots when the run has no such events), the HLH-2004 criteria by day (only the
// days where the count changes), the events and the configuration. With a second run
// the two are shown side by side, section by section. Images are PNGs embedded as
// base64 data URIs: the file needs nothing else to open.
#include <cstdint>
#include <span>
#include <string>

namespace hlhsim::viz {

struct ReportOptions {
    std::string compare;    ///< second run file, "" for none
    std::string field;      ///< field of the key frames ("" = the run's first)
    int frame_width = 900;  ///< key frame size [px]
    int frame_height = 675;
    std::size_t max_key_frames = 8;  ///< per run
};

/// Writes the report of `run_path` to `html_path`; returns the file size [bytes].
/// Throws IoError / InputError for unreadable runs or an unwritable output.
std::uintmax_t write_report(const std::string& run_path, const std::string& html_path,
                            const ReportOptions& options = {});

/// Standard base64 (RFC 4648, with padding).
std::string base64_encode(std::span<const std::uint8_t> bytes);

/// Escapes &, <, >, " for HTML text and attributes.
std::string html_escape(const std::string& text);

}  // namespace hlhsim::viz
