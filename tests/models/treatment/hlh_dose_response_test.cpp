// Dose response of ruxolitinib in the HLH model at small size (integration): peak ferritin
// and plasma IFN-gamma after the start of treatment should fall monotonically with the dose
// over 0, 2.5, 5, 10 and 20 mg BID (issue 4).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>

#include "tests/models/treatment/hlh_run_util.hpp"

namespace hlhsim::models::treatment {
namespace {

using testing::run_hlh;
using testing::small_patch;
using testing::source_path;
constexpr double kDay = 1440;
constexpr double kStart = 1 * kDay;  // treatment start, before the storm of days 2-4

struct Peaks {
    double ferritin = 0, ifng = 0;
};

Peaks peaks_after_start(double mg_bid) {
    std::string extra = "drugs: {include: " + source_path("configs/drugs/ruxolitinib.yaml") + "}\n";
    if (mg_bid > 0)
        extra +=
            "treatments:\n  - {name: rux, start: 1 day, schedules: [{drug: ruxolitinib, "
            "dose: " +
            std::to_string(mg_bid) + " mg, frequency: bid}]}\n";
    const auto run = run_hlh("configs/scenarios/adult_idiopathic.yaml", small_patch("6 day"), extra,
                             2, "dose_" + std::to_string(mg_bid));
    const auto t = run.series("time"), ferritin = run.series("ferritin"),
               ifng = run.series("plasma_ifng");
    Peaks p;
    for (std::size_t i = 0; i < t.size(); ++i)
        if (t[i] >= kStart)
            p.ferritin = std::max(p.ferritin, ferritin[i]), p.ifng = std::max(p.ifng, ifng[i]);
    return p;
}

// DISABLED_ while the biology is being calibrated (models/hlh). With the model of commit
// 10c355d (seed 1, 200 um patch, treatment from day 1, peaks over days 1-6) the response is
// all-or-none rather than graded: 0 / 2.5 / 5 / 10 / 20 mg BID gave peak ferritin 31511 /
// 29748 / 80 / 24433 / 80 ng/mL and peak IFN-gamma 2256 / 1267 / 624 / 1219 / 624 pg/mL:
// whether the storm ignites at all is decided by chance near the tipping point, so 10 mg
// does worse than 5 mg. Run it with --gtest_also_run_disabled_tests.
TEST(HlhDoseResponse, DISABLED_PeakFerritinAndIfngFallWithRuxolitinibDose) {
    const std::vector<double> doses{0, 2.5, 5, 10, 20};
    std::vector<Peaks> p;
    for (double d : doses) {
        p.push_back(peaks_after_start(d));
        std::printf(
            "ruxolitinib %4.1f mg BID: peak ferritin %8.1f ng/mL, peak IFN-gamma %7.2f "
            "pg/mL\n",
            d, p.back().ferritin, p.back().ifng);
    }
    for (std::size_t i = 1; i < p.size(); ++i) {
        EXPECT_LE(p[i].ferritin, p[i - 1].ferritin) << doses[i] << " mg";
        EXPECT_LE(p[i].ifng, p[i - 1].ifng) << doses[i] << " mg";
    }
    EXPECT_LT(p.back().ferritin, 0.8 * p.front().ferritin);
    EXPECT_LT(p.back().ifng, 0.8 * p.front().ifng);
}

}  // namespace
}  // namespace hlhsim::models::treatment
