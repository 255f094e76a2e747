// End to end: `hlhsim run` writes a run file (docs/output.md) that the engine's reader,
// the HDF5 tools and h5py all read, and --set overrides reach both the stored config
// and the results.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "tests/cli/cli_test_support.hpp"
#include "tests/cli/run_file_check.hpp"

namespace hlhsim::cli::test {
namespace {

const std::string kSmall = data_config("walkers_small.yaml").string();

// Reads the run file of walkers_small.yaml run with --set walkers.count=45; argv[1] is
// the file. Domain 200 x 160 um with 20 um voxels: fields are (ny, nx) = (8, 10).
constexpr const char* kH5pyCheck = R"(
import sys, h5py
f = h5py.File(sys.argv[1], "r")
cfg = f["config"][()]
cfg = cfg.decode() if isinstance(cfg, bytes) else cfg
assert "count: 45" in cfg, cfg
t = f["timeseries/time"][:]
assert len(t) == 21 and t[0] == 0 and t[-1] == 20, t
assert f["timeseries/walkers"][0] == 45
snaps = sorted(f["snapshots"])
assert len(snaps) >= 2, snaps
for s in snaps:
    g = f["snapshots"][s]
    n = len(g["agents/id"])
    assert len(g["agents/x"]) == n and len(g["agents/y"]) == n, s
    assert g["fields/signal"].shape == (8, 10), g["fields/signal"].shape
print("h5py read", len(snaps), "snapshots")
)";

class RunOutput : public CliTest {};

TEST_F(RunOutput, WritesRunFileWithConfigTimeSeriesSnapshotsAgentsAndFields) {
    const Result r = hlhsim({"run", kSmall, "--out", "run.h5", "--threads", "2", "-q", "--set",
                             "walkers.count=45", "--set", "walkers.speed=5 um/min"});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(r.err, "") << "-q must keep stderr empty on success";
    // The .partial was renamed onto the final name; beside it only the XDMF sidecar
    // for ParaView (when the viz library is built).
    std::vector<std::string> files = list_dir(work());
    std::erase(files, std::string("run.xmf"));
    EXPECT_EQ(files, std::vector<std::string>{"run.h5"});

    const RunFile run = check_run_file(file("run.h5"));
    EXPECT_NE(run.config.find("count: 45"), std::string::npos) << run.config;
    EXPECT_NE(run.config.find("speed: 5 um/min"), std::string::npos) << run.config;
    EXPECT_NE(run.config.find("model: random_walkers"), std::string::npos) << run.config;
    ASSERT_EQ(run.time.size(), 21U);  // every minute of 20 min, both ends
    EXPECT_EQ(run.time.front(), 0.0);
    EXPECT_EQ(run.time.back(), 20.0);
    EXPECT_EQ(run.snapshot_times, (std::vector<double>{0.0, 10.0, 20.0}));
    ASSERT_FALSE(run.agents.empty());
    EXPECT_EQ(run.agents.front(), 45U);
    EXPECT_EQ(read_column(file("run.h5"), "/timeseries/walkers").front(), 45.0);

    // Periodic domain 200 x 160 um: every walker is inside it.
    for (const char* axis : {"x", "y"}) {
        const auto v = read_column(file("run.h5"), std::string("/snapshots/000002/agents/") + axis);
        ASSERT_FALSE(v.empty());
        const double hi = axis[0] == 'x' ? 200.0 : 160.0;
        EXPECT_GE(*std::min_element(v.begin(), v.end()), 0.0) << axis;
        EXPECT_LE(*std::max_element(v.begin(), v.end()), hi) << axis;
    }
}

TEST_F(RunOutput, HdfToolsReadRunFile) {
    if (!have_tool("h5ls") || !have_tool("h5dump")) GTEST_SKIP() << "h5ls/h5dump not installed";
    ASSERT_EQ(hlhsim({"run", kSmall, "--out", "run.h5", "-q", "--set", "walkers.count=45"}).code,
              0);
    const Result ls = tool({"h5ls", "-r", "run.h5"});
    ASSERT_EQ(ls.code, 0) << ls.err;
    for (const char* path : {"/config ", "/timeseries/time ", "/snapshots/000001/agents/x ",
                             "/snapshots/000001/fields/signal "})
        EXPECT_NE(ls.out.find(path), std::string::npos) << path << " missing in\n" << ls.out;
    const Result header = tool({"h5dump", "-H", "run.h5"});
    EXPECT_EQ(header.code, 0) << header.err;
    const Result config = tool({"h5dump", "-d", "/config", "run.h5"});
    EXPECT_EQ(config.code, 0) << config.err;
    EXPECT_NE(config.out.find("count: 45"), std::string::npos) << config.out;
}

TEST_F(RunOutput, H5pyReadsRunFile) {
    if (!have_h5py()) GTEST_SKIP() << "/usr/bin/python3 with h5py not installed";
    ASSERT_EQ(hlhsim({"run", kSmall, "--out", "run.h5", "-q", "--set", "walkers.count=45"}).code,
              0);
    const Result py = tool({"/usr/bin/python3", "-c", kH5pyCheck, "run.h5"});
    EXPECT_EQ(py.code, 0) << py.err;
    EXPECT_NE(py.out.find("h5py read 3 snapshots"), std::string::npos) << py.out;
}

TEST_F(RunOutput, ThreeDimensionalRunHasZAndThreeDimensionalFields) {
    const Result r = hlhsim({"run", kSmall, "--out", "run3.h5", "-q", "--set", "domain.dims=3",
                             "--set", "domain.size=[100 um, 80 um, 60 um]"});
    ASSERT_EQ(r.code, 0) << r.err;
    check_run_file(file("run3.h5"));  // 3-D: z column and (nz, ny, nx) fields
    const auto z = read_column(file("run3.h5"), "/snapshots/000001/agents/z");
    ASSERT_FALSE(z.empty());
    EXPECT_GE(*std::min_element(z.begin(), z.end()), 0.0);
    EXPECT_LE(*std::max_element(z.begin(), z.end()), 60.0);
    EXPECT_GT(*std::max_element(z.begin(), z.end()), 0.0) << "z never moved";
}

TEST_F(RunOutput, SetOverridesChangeTheResult) {
    ASSERT_EQ(hlhsim({"run", kSmall, "--out", "base.h5", "-q"}).code, 0);
    ASSERT_EQ(hlhsim({"run", kSmall, "--out", "none.h5", "-q", "--set", "walkers.count=0"}).code,
              0);
    const auto base = read_column(file("base.h5"), "/timeseries/walkers");
    const auto none = read_column(file("none.h5"), "/timeseries/walkers");
    ASSERT_EQ(base.size(), 21U);
    ASSERT_EQ(none.size(), 21U);
    EXPECT_EQ(base.front(), 60.0);
    EXPECT_TRUE(std::all_of(none.begin(), none.end(), [](double n) { return n == 0.0; }));
    const RunFile run = check_run_file(file("none.h5"));
    EXPECT_EQ(run.agents, (std::vector<std::size_t>{0, 0, 0}));
    EXPECT_NE(run.config.find("count: 0"), std::string::npos);

    // A changed rate changes the trajectory, not only the stored text.
    ASSERT_EQ(
        hlhsim({"run", kSmall, "--out", "fast.h5", "-q", "--set", "walkers.death_rate=0.2 1/min"})
            .code,
        0);
    const auto fast = read_column(file("fast.h5"), "/timeseries/walkers");
    ASSERT_EQ(fast.size(), 21U);
    EXPECT_LT(fast.back(), base.back() / 4) << "a 40-fold death rate left most walkers alive";
}

TEST_F(RunOutput, StoredConfigReproducesTheRun) {
    // /config is self-contained: includes expanded and --set applied, so running it
    // again gives the same datasets.
    const std::string with_include = data_config("walkers_include.yaml").string();
    ASSERT_EQ(hlhsim({"run", with_include, "--out", "first.h5", "-q", "--set",
                      "fields.substances.signal.decay=0.05 1/min"})
                  .code,
              0);
    const RunFile first = check_run_file(file("first.h5"));
    EXPECT_EQ(first.config.find("include"), std::string::npos) << first.config;
    EXPECT_NE(first.config.find("count: 25"), std::string::npos) << first.config;
    EXPECT_NE(first.config.find("decay: 0.05 1/min"), std::string::npos) << first.config;
    ASSERT_FALSE(first.agents.empty());
    EXPECT_EQ(first.agents.front(), 25U);
    write_bytes(file("stored.yaml"), first.config);
    ASSERT_EQ(hlhsim({"run", "stored.yaml", "--out", "second.h5", "-q"}).code, 0);
    std::string why;
    EXPECT_TRUE(same_datasets(file("first.h5"), file("second.h5"), &why)) << why;
}

TEST_F(RunOutput, DefaultOutputIsOutConfigNameInWorkingDirectory) {
    const Result r = hlhsim({"run", kSmall, "-q"});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_TRUE(fs::is_regular_file(file("out/walkers_small.h5")));
    EXPECT_FALSE(fs::exists(file("out/walkers_small.h5.partial")));
}

TEST_F(RunOutput, CheckValidatesWithoutWriting) {
    const Result r = hlhsim({"check", kSmall});
    EXPECT_EQ(r.code, 0) << r.err;
    EXPECT_NE(r.out.find("ok"), std::string::npos) << r.out;
    EXPECT_TRUE(list_dir(work()).empty());
}

}  // namespace
}  // namespace hlhsim::cli::test
