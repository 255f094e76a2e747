// Scenario tests of the HLH model at reduced size (a 300 um patch, 10 days): the
// direction and size of the effects that separate a healthy response from primary HLH.
// They run the real hlhsim command and read the run file, like a user would.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "sim/io/h5_read.hpp"
#include "sim/io/input_file.hpp"
#include "tests/cli/cli_test_support.hpp"

namespace hlhsim::cli::test {
namespace {

/// A smaller patch with the cell counts scaled to its area (0.36 of the default).
const std::vector<std::string> kReduced{"--set",     "duration=10 day",
                                        "--set",     "domain.size=[300 um, 300 um]",
                                        "--set",     "macrophages.count=54",
                                        "--set",     "cd8.naive_count=8",
                                        "--set",     "trigger.initial=8",
                                        "--set",     "trigger.carrying_capacity=150",
                                        "--threads", "2",
                                        "-q"};

struct Course {
    std::vector<double> ferritin, trigger, hemophagocytes;
    std::vector<double> criteria, hscore;
    double max(const std::vector<double>& v) const { return *std::max_element(v.begin(), v.end()); }
};

class HlhScenario : public CliTest {
  protected:
    Course run_scenario(const std::string& name) {
        std::vector<std::string> args{"run",
                                      source_file("configs/scenarios/" + name + ".yaml").string(),
                                      "--out", name + ".h5"};
        args.insert(args.end(), kReduced.begin(), kReduced.end());
        const Result r = hlhsim(args, 300.0);
        EXPECT_EQ(r.code, 0) << r.err;
        const io::InputFile in = io::InputFile::open(file(name + ".h5").string());
        Course c;
        c.ferritin = io::read_array<double>(in, "/timeseries/ferritin");
        c.trigger = io::read_array<double>(in, "/timeseries/cells_trigger");
        c.hemophagocytes =
            io::read_array<double>(in, "/timeseries/cells_macrophage_hemophagocytic");
        c.criteria = io::read_array<double>(in, "/criteria/hlh2004/count");
        c.hscore = io::read_array<double>(in, "/criteria/hscore/total");
        return c;
    }
};

TEST_F(HlhScenario, HealthyInfectionClearsWithoutHlhWhilePerforinNullIgnites) {
    const Course healthy = run_scenario("healthy_infection");
    const Course primary = run_scenario("primary_hlh");
    // Healthy: the trigger is cleared, HLH-2004 never reaches 5 criteria, ferritin falls.
    EXPECT_EQ(healthy.trigger.back(), 0);
    EXPECT_LT(healthy.max(healthy.criteria), 5);
    EXPECT_LT(healthy.max(healthy.hscore), 169);
    EXPECT_LE(healthy.ferritin.back(), 150);  // back in the normal range (15-150 ng/mL)
    EXPECT_EQ(healthy.max(healthy.hemophagocytes), 0);
    // Perforin null: the trigger persists, hemophagocytes appear, >= 5 criteria and an
    // HScore above the 169 cut-off within the 10 days, ferritin keeps rising.
    EXPECT_GT(primary.trigger.back(), 50);
    EXPECT_GT(primary.max(primary.hemophagocytes), 0);
    EXPECT_GE(primary.max(primary.criteria), 5);
    EXPECT_GT(primary.max(primary.hscore), 169);
    EXPECT_GT(primary.ferritin.back(), 10 * healthy.max(healthy.ferritin));
    EXPECT_GT(primary.ferritin.back(), 10000);
}

}  // namespace
}  // namespace hlhsim::cli::test
