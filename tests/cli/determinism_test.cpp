// End to end: the same config and seed give bitwise identical datasets whatever the
// thread count (1, 2 and an oversubscribed 4), on a workload with births, deaths,
// neighbour queries and field sources; and a different seed does change them, so the
// comparison can fail.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "sim/io/h5_read.hpp"
#include "sim/io/input_file.hpp"
#include "tests/cli/cli_test_support.hpp"
#include "tests/cli/run_file_check.hpp"

namespace hlhsim::cli::test {
namespace {

const std::string kCrowd = data_config("walkers_crowd.yaml").string();
constexpr std::size_t kInitial = 2000;  // walkers.count of walkers_crowd.yaml

class Determinism : public CliTest {
  protected:
    /// Runs walkers_crowd.yaml into `out` on `threads` threads, plus `extra` arguments.
    void run_crowd(const std::string& out, int threads, std::vector<std::string> extra = {}) {
        std::vector<std::string> args{
            "run", kCrowd, "--out", out, "-q", "--threads", std::to_string(threads)};
        args.insert(args.end(), extra.begin(), extra.end());
        const Result r = hlhsim(args);
        ASSERT_EQ(r.code, 0) << r.err;
    }

    /// `h5diff --exclude-path /provenance a b`: 0 same, 1 different (-1: not installed).
    int h5diff(const std::string& a, const std::string& b) {
        if (!have_tool("h5diff")) return -1;
        return tool({"h5diff", "-q", "--exclude-path", "/provenance", a, b}).code;
    }

    std::int64_t provenance_threads(const std::string& name) {
        const auto f = io::InputFile::open(file(name).string());
        return io::read_attribute_int(f, "/provenance", "threads");
    }
};

TEST_F(Determinism, ThreadCountsGiveIdenticalDatasets) {
    run_crowd("t1.h5", 1);
    run_crowd("t2.h5", 2);
    run_crowd("t4.h5", 4);  // more threads than the 2 cores of CI: oversubscribed
    EXPECT_EQ(provenance_threads("t1.h5"), 1);
    EXPECT_EQ(provenance_threads("t4.h5"), 4);

    // The workload really has births and deaths: new ids beyond the initial ones, and
    // initial ones gone; ids stay unique.
    const RunFile run = check_run_file(file("t1.h5"));
    ASSERT_EQ(run.agents.size(), 4U);  // 0, 10, 20, 30 min
    const auto ids = read_column(file("t1.h5"), "/snapshots/000003/agents/id");
    const std::set<double> unique(ids.begin(), ids.end());
    EXPECT_EQ(unique.size(), ids.size()) << "duplicate agent ids";
    const auto born =
        std::count_if(ids.begin(), ids.end(), [](double id) { return id >= kInitial; });
    const auto survivors = ids.size() - static_cast<std::size_t>(born);
    EXPECT_GT(born, 50) << "too few births for a race to show";
    EXPECT_LT(survivors, kInitial - 50) << "too few deaths for a race to show";

    std::string why;
    EXPECT_TRUE(same_datasets(file("t1.h5"), file("t2.h5"), &why)) << "1 vs 2 threads: " << why;
    EXPECT_TRUE(same_datasets(file("t1.h5"), file("t4.h5"), &why)) << "1 vs 4 threads: " << why;
    if (!have_tool("h5diff")) GTEST_SKIP() << "h5diff not installed (datasets compared above)";
    EXPECT_EQ(h5diff("t1.h5", "t2.h5"), 0);
    EXPECT_EQ(h5diff("t1.h5", "t4.h5"), 0);
}

TEST_F(Determinism, ThreeDimensionalPeriodicThreadCountsAgree) {
    const std::vector<std::string> three_d{"--set", "domain.dims=3",
                                           "--set", "domain.size=[200 um, 160 um, 120 um]",
                                           "--set", "domain.boundary=periodic"};
    run_crowd("a.h5", 1, three_d);
    run_crowd("b.h5", 2, three_d);
    check_run_file(file("a.h5"));
    std::string why;
    EXPECT_TRUE(same_datasets(file("a.h5"), file("b.h5"), &why)) << why;
}

TEST_F(Determinism, SeedChangesTheResult) {
    run_crowd("file_seed.h5", 2);
    run_crowd("seed3.h5", 2, {"--seed", "3"});  // the file's own seed
    run_crowd("seed4.h5", 2, {"--seed", "4"});
    std::string why;
    EXPECT_TRUE(same_datasets(file("file_seed.h5"), file("seed3.h5"), &why)) << why;
    EXPECT_FALSE(same_datasets(file("seed3.h5"), file("seed4.h5"), &why));
    // Not just an attribute: the trajectories differ.
    EXPECT_NE(read_column(file("seed3.h5"), "/snapshots/000001/agents/x"),
              read_column(file("seed4.h5"), "/snapshots/000001/agents/x"));
    if (!have_tool("h5diff")) GTEST_SKIP() << "h5diff not installed (datasets compared above)";
    EXPECT_EQ(h5diff("file_seed.h5", "seed3.h5"), 0);
    EXPECT_EQ(h5diff("seed3.h5", "seed4.h5"), 1);
}

// BUG (sim/cli, reported): with more threads than cores, oneTBB caps the workers at
// cores - 1 and prints "TBB Warning: The number of workers is currently limited to ..."
// on stderr of a -q run, so --threads 4 on 2 cores silently runs on 2. Enable once the
// CLI sets tbb::global_control(max_allowed_parallelism, threads).
TEST_F(Determinism, OversubscribedQuietRunKeepsStderrEmpty) {
    const Result r = hlhsim({"run", data_config("walkers_small.yaml").string(), "--out", "o.h5",
                             "-q", "--threads", "16"});
    EXPECT_EQ(r.code, 0);
    EXPECT_EQ(r.err, "");
}

}  // namespace
}  // namespace hlhsim::cli::test
