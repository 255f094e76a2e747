// Dose response of ruxolitinib in the HLH model (integration): ferritin and plasma
// IFN-gamma two to three weeks after the start of treatment, started in an established storm,
// should fall monotonically with the dose over 0, 2.5, 5, 10 and 20 mg BID (issue 4).
// The adult idiopathic storm sits near its tipping point (docs/model.md section 8): a dose
// either tips it back to the quiet state within the window or leaves it burning.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>

#include "tests/models/treatment/hlh_run_util.hpp"

namespace hlhsim::models::treatment {
namespace {

using testing::run_hlh;
using testing::source_path;
constexpr double kDay = 1440;
constexpr double kStart = 8 * kDay;  // storm established from day 3
constexpr double kFrom = kStart + 14 * kDay, kTo = kStart + 21 * kDay;  // the response window

/// Peak ferritin and mean plasma IFN-gamma in the window: IFN-gamma comes in bursts around
/// single synapses, so its peak is noise; its mean is the level.
struct Peaks {
    double ferritin = 0, ifng = 0;
};

Peaks peaks_in_window(double mg_bid) {
    std::string extra = "drugs: {include: " + source_path("configs/drugs/ruxolitinib.yaml") + "}\n";
    if (mg_bid > 0)
        extra +=
            "treatments:\n  - {name: rux, start: 8 day, schedules: [{drug: ruxolitinib, "
            "dose: " +
            std::to_string(mg_bid) + " mg, frequency: bid}]}\n";
    // The scenario's own 500 um patch: the tipping point depends on the patch's noise.
    const auto run =
        run_hlh("configs/scenarios/adult_idiopathic.yaml",
                {"duration=29 day", "output.record_every=60 min", "output.snapshot_every=1000 day"},
                extra, 2, "dose_" + std::to_string(mg_bid));
    const auto t = run.series("time"), ferritin = run.series("ferritin"),
               ifng = run.series("plasma_ifng");
    Peaks p;
    int n = 0;
    for (std::size_t i = 0; i < t.size(); ++i)
        if (t[i] >= kFrom && t[i] <= kTo)
            p.ferritin = std::max(p.ferritin, ferritin[i]), p.ifng += ifng[i], ++n;
    p.ifng /= std::max(n, 1);
    return p;
}

/// In a quiet patch the week's mean plasma IFN-gamma is ~6 pg/mL, set by a few synapse
/// bursts; between two doses that both hold the storm off it differs by up to ~1 pg/mL.
constexpr double kIfngNoise = 1.0;  // pg/mL

TEST(HlhDoseResponse, FerritinAndIfngFallWithRuxolitinibDose) {
    const std::vector<double> doses{0, 2.5, 5, 10, 20};
    std::vector<Peaks> p;
    for (double d : doses) {
        p.push_back(peaks_in_window(d));
        std::printf(
            "ruxolitinib %4.1f mg BID: days 22-29 peak ferritin %8.1f ng/mL, mean IFN-gamma "
            "%7.2f pg/mL\n",
            d, p.back().ferritin, p.back().ifng);
    }
    for (std::size_t i = 1; i < p.size(); ++i) {
        EXPECT_LE(p[i].ferritin, p[i - 1].ferritin) << doses[i] << " mg";
        // Ruxolitinib does not touch the T cells' IFN-gamma output (Das 2016): at a given
        // state (storm or quiet) the level is the same whatever the dose, so equal levels
        // differ only by noise (measured: 81.6 / 81.8 / 13.8 / 14.7 / 14.2 pg/mL).
        EXPECT_LE(p[i].ifng, 1.1 * p[i - 1].ifng + kIfngNoise) << doses[i] << " mg";
    }
    EXPECT_GT(p.front().ferritin, 10000);  // untreated: the storm goes on
    EXPECT_LT(p.back().ferritin, 0.1 * p.front().ferritin);
    EXPECT_LT(p.back().ifng, 0.5 * p.front().ifng);
}

}  // namespace
}  // namespace hlhsim::models::treatment
