#pragma once
// The colour scale of a field picture, chosen from the values to be shown (no VTK):
// linear from zero to a round end, or logarithmic over whole decades; the number of
// colour-bar labels that lands each on a round value; and a power-of-ten factor that
// keeps very small or large labels short.
#include <cstddef>
#include <string>
#include <vector>

namespace hlhsim::viz {

/// Colour scale of the field: linear from 0, logarithmic (whole decades), or automatic:
/// log when the median voxel is more than a decade below the peak (over the frames
/// rendered), where a linear scale would leave most of the picture white.
enum class FieldScale { kAuto, kLinear, kLog };

/// "auto", "linear" or "log"; throws InputError.
FieldScale parse_scale(const std::string& text);

struct ColorScale {
    double lo = 0, hi = 1;  ///< colour range [field unit]
    bool log = false;
    int labels = 5;  ///< colour-bar tick labels, evenly spaced (in log10 when log)
    int shift = 0;   ///< the bar shows values times 10^-shift (0: as they are)
};

/// Collects what choose_scale needs from many arrays without keeping them: the
/// finite minimum and maximum and a bounded sample of the positive values.
class ValueSummary {
  public:
    /// `expected_total` sizes the sampling stride (about 500 000 values kept at most).
    explicit ValueSummary(std::size_t expected_total);
    void add(const std::vector<double>& values);
    double lo() const { return lo_; }
    double hi() const { return hi_; }
    bool empty() const { return !(lo_ <= hi_); }
    /// Quantile q in [0, 1] of the sampled positive values (0 when there are none).
    double positive_quantile(double q);
    std::size_t positive_count() const { return positive_.size(); }

  private:
    std::size_t stride_;
    double lo_, hi_;
    std::vector<double> positive_;
};

/// Chooses the scale for the summarised values. Linear: [min(lo, 0), a round end >= hi]
/// (1, 1.5, 2, 2.5, 3, 4, 5, 6, 8 x 10^k). Log: [10^a, 10^b] from the 5th percentile of
/// the positive values (at most 6 decades below the peak) to the peak.
ColorScale choose_scale(ValueSummary& values, FieldScale mode);

/// `text` cut to at most `max_chars` characters (UTF-8 aware), ending in "..." if cut.
std::string fit_text(const std::string& text, std::size_t max_chars);

}  // namespace hlhsim::viz
