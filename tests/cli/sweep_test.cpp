// End to end: `hlhsim sweep` runs the product of --vary values and --seeds as child
// processes; each run file equals a plain `hlhsim run` with the same overrides, the
// table (DIR/sweep.csv) does not depend on --jobs, bad input stops the sweep with exit 2
// before anything is written, and Ctrl-C stops the children (exit 130).
#include <gtest/gtest.h>
#include <signal.h>

#include <algorithm>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "sim/io/h5_read.hpp"
#include "sim/io/input_file.hpp"
#include "tests/cli/cli_test_support.hpp"
#include "tests/cli/run_file_check.hpp"

namespace hlhsim::cli::test {
namespace {

const std::string kWalkers = source_file("configs/examples/random_walkers.yaml").string();
const std::string kHealthy = source_file("configs/scenarios/healthy_infection.yaml").string();

/// A short, small random-walker run (10 simulated minutes, well under a second).
const std::vector<std::string> kSmall{"--set", "duration=10 min",
                                      "--set", "output.snapshot_every=5 min",
                                      "--set", "domain.size=[200 um, 200 um]"};
const std::vector<std::string> kVary{"--vary", "walkers.speed=2 um/min,4 um/min", "--vary",
                                     "walkers.count=30,60"};

using Csv = std::vector<std::vector<std::string>>;

/// Parses CSV text with RFC 4180 quoting.
Csv parse_csv(const std::string& text) {
    Csv rows;
    std::vector<std::string> row;
    std::string cell;
    bool quoted = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (quoted) {
            if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
                cell += '"';
                ++i;
            } else if (c == '"') {
                quoted = false;
            } else {
                cell += c;
            }
        } else if (c == '"') {
            quoted = true;
        } else if (c == ',') {
            row.push_back(cell);
            cell.clear();
        } else if (c == '\n') {
            row.push_back(cell);
            rows.push_back(row);
            row.clear();
            cell.clear();
        } else {
            cell += c;
        }
    }
    return rows;
}

std::size_t column(const Csv& csv, const std::string& name) {
    for (std::size_t i = 0; i < csv.front().size(); ++i)
        if (csv.front()[i] == name) return i;
    ADD_FAILURE() << "no column " << name;
    return 0;
}

std::vector<std::string> concat(std::vector<std::string> a, const std::vector<std::string>& b) {
    a.insert(a.end(), b.begin(), b.end());
    return a;
}

class Sweep : public CliTest {
  protected:
    Csv csv(const std::string& dir) { return parse_csv(read_bytes(file(dir) / "sweep.csv")); }
};

TEST_F(Sweep, TwoByTwoEqualsPlainRunsWhateverTheJobs) {
    auto args = [&](const std::string& dir, const std::string& jobs) {
        return concat(concat({"sweep", kWalkers, "--readouts", "walkers,signal_total", "--out-dir",
                              dir, "--jobs", jobs, "-q"},
                             kVary),
                      kSmall);
    };
    const Result r = hlhsim(args("j2", "2"));
    ASSERT_EQ(r.code, 0) << r.err;
    for (const auto* name : {"sweep.csv", "run_0000.h5", "run_0003.h5", "run_0003.log"})
        EXPECT_TRUE(fs::exists(file("j2") / name)) << name;
    EXPECT_FALSE(fs::exists(file("j2") / "run_0004.h5"));
    EXPECT_FALSE(fs::exists(file("j2") / "sweep.csv.partial"));
    const Csv table = csv("j2");
    ASSERT_EQ(table.size(), 5U);
    EXPECT_EQ(table[0], (std::vector<std::string>{
                            "index", "walkers.speed", "walkers.count", "seed", "status", "wall_s",
                            "run_file", "hlh2004_diagnostic_day", "remission_day", "relapse_day",
                            "walkers_last", "signal_total_last"}));
    // Combination order: the first --vary key slowest.
    const std::vector<std::pair<std::string, std::string>> order{
        {"2 um/min", "30"}, {"2 um/min", "60"}, {"4 um/min", "30"}, {"4 um/min", "60"}};
    for (std::size_t i = 0; i < order.size(); ++i) {
        const auto& row = table[i + 1];
        ASSERT_EQ(row.size(), table[0].size());
        EXPECT_EQ(row[0], std::to_string(i));
        EXPECT_EQ(row[1], order[i].first);
        EXPECT_EQ(row[2], order[i].second);
        EXPECT_EQ(row[3], "7");  // the config's seed
        EXPECT_EQ(row[4], "0");
        EXPECT_GT(std::stod(row[5]), 0.0);
        EXPECT_EQ(row[6], "run_000" + std::to_string(i) + ".h5");
        EXPECT_EQ(row[7], "");  // random walkers log no HLH events
        EXPECT_EQ(row[9], "");

        // A plain run with the same overrides writes the same datasets, bit for bit.
        const std::string plain = "plain_" + std::to_string(i) + ".h5";
        const Result p =
            hlhsim(concat({"run", kWalkers, "-o", plain, "-q", "--threads", "2"},
                          concat(kSmall, {"--set", "walkers.speed=" + order[i].first, "--set",
                                          "walkers.count=" + order[i].second})));
        ASSERT_EQ(p.code, 0) << p.err;
        std::string why;
        EXPECT_TRUE(same_datasets(file("j2") / row[6], file(plain), &why)) << row[6] << ": " << why;
        // The summary is the run file's last record, written to read back exactly.
        const auto walkers = read_column(file(plain), "/timeseries/walkers");
        const auto signal = read_column(file(plain), "/timeseries/signal_total");
        EXPECT_EQ(std::stod(row[column(table, "walkers_last")]), walkers.back());
        EXPECT_EQ(std::stod(row[column(table, "signal_total_last")]), signal.back());
    }
    // The counts differ between combinations, so the comparison above can fail.
    EXPECT_NE(table[1][10], table[2][10]);

    // One at a time: the same table except the wall times.
    const Result r1 = hlhsim(args("j1", "1"));
    ASSERT_EQ(r1.code, 0) << r1.err;
    Csv t1 = csv("j1");
    Csv t2 = table;
    ASSERT_EQ(t1.size(), t2.size());
    for (auto* t : {&t1, &t2})
        for (auto& row : *t) row.erase(row.begin() + 5);
    EXPECT_EQ(t1, t2);
}

TEST_F(Sweep, AFailedRunDoesNotStopTheOthers) {
    // A folder where run_0001.h5 should go: that run cannot rename its file into place.
    fs::create_directories(file("fail") / "run_0001.h5" / "occupied");
    const Result r = hlhsim(concat({"sweep", kWalkers, "--vary", "walkers.count=20,30,40",
                                    "--readouts", "walkers", "--out-dir", "fail", "--jobs", "2"},
                                   kSmall));
    EXPECT_EQ(r.code, 1) << r.err;
    EXPECT_NE(r.err.find("1 of 3 runs failed"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("run_0001 (walkers.count=30): exit 1"), std::string::npos) << r.err;
    const Csv table = csv("fail");
    ASSERT_EQ(table.size(), 4U);
    const std::size_t status = column(table, "status");
    const std::size_t walkers = column(table, "walkers_last");
    EXPECT_EQ(table[1][status], "0");
    EXPECT_EQ(table[2][status], "1");
    EXPECT_EQ(table[3][status], "0");
    EXPECT_EQ(table[1][walkers].empty(), false);
    EXPECT_EQ(table[2][walkers], "");  // no summary of a failed run
    EXPECT_EQ(table[3][walkers].empty(), false);
    EXPECT_NE(read_bytes(file("fail") / "run_0001.log").find("error"), std::string::npos);
}

TEST_F(Sweep, BadValueStopsEverythingAndNamesTheCombination) {
    const Result r = hlhsim(concat({"sweep", kWalkers, "--vary", "walkers.speed=2 um/min,3 um",
                                    "--seeds", "1-2", "--out-dir", "bad"},
                                   kSmall));
    EXPECT_EQ(r.code, 2) << r.err;
    EXPECT_NE(r.err.find("2 of 4 combinations (numbered from 0) are invalid"), std::string::npos)
        << r.err;
    EXPECT_NE(
        r.err.find("combination 2 (walkers.speed=3 um, seed 1) and 1 more with the same error (3)"),
        std::string::npos)
        << r.err;
    EXPECT_NE(r.err.find("walkers.speed"), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(file("bad"))) << "a rejected sweep wrote output";
}

TEST_F(Sweep, MalformedOptionsExit2) {
    Result r = hlhsim({"sweep", kWalkers, "--vary", "walkers.speed", "--out-dir", "bad"});
    EXPECT_EQ(r.code, 2) << r.err;
    EXPECT_NE(r.err.find("expected KEY=V1,V2"), std::string::npos) << r.err;
    r = hlhsim({"sweep", kWalkers, "--vary", "walkers.count=30,,40", "--out-dir", "bad"});
    EXPECT_EQ(r.code, 2) << r.err;
    EXPECT_NE(r.err.find("value 2 of 3 is empty"), std::string::npos) << r.err;
    r = hlhsim({"sweep", kWalkers, "--seeds", "3-1", "--out-dir", "bad"});
    EXPECT_EQ(r.code, 2) << r.err;
    EXPECT_NE(r.err.find("runs backwards"), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(file("bad")));
}

TEST_F(Sweep, ValuesWithCommasAreSeparatedBySemicolons) {
    const Result r =
        hlhsim(concat({"sweep", kWalkers, "--vary", "domain.size=[200 um, 200 um];[240 um, 160 um]",
                       "--events", "", "--out-dir", "sizes", "-q"},
                      kSmall));
    ASSERT_EQ(r.code, 0) << r.err;
    const Csv table = csv("sizes");
    ASSERT_EQ(table.size(), 3U);
    EXPECT_EQ(table[0], (std::vector<std::string>{"index", "domain.size", "seed", "status",
                                                  "wall_s", "run_file"}));
    EXPECT_EQ(table[1][1], "[200 um, 200 um]");
    EXPECT_EQ(table[2][1], "[240 um, 160 um]");
    EXPECT_NE(read_bytes(file("sizes") / "sweep.csv").find("\"[240 um, 160 um]\""),
              std::string::npos);
}

TEST_F(Sweep, HlhSeedsWithAReadout) {
    const Result r = hlhsim({"sweep", kHealthy, "--seeds", "1,2", "--readouts", "ferritin", "--set",
                             "duration=1 day", "--set", "domain.size=[200 um, 200 um]", "--out-dir",
                             "hlh", "--jobs", "2"});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_NE(r.out.find("ferritin_last"), std::string::npos) << "no table printed:\n" << r.out;
    const Csv table = csv("hlh");
    ASSERT_EQ(table.size(), 3U);
    const std::size_t ferritin = column(table, "ferritin_last");
    for (std::size_t i = 1; i < 3; ++i) {
        EXPECT_EQ(table[i][column(table, "seed")], std::to_string(i));
        EXPECT_EQ(table[i][column(table, "status")], "0");
        const auto series =
            read_column(file("hlh") / table[i][column(table, "run_file")], "/timeseries/ferritin");
        ASSERT_FALSE(series.empty());
        EXPECT_GT(series.back(), 0.0);
        EXPECT_EQ(std::stod(table[i][ferritin]), series.back());
        // A healthy patient is not diagnosed with HLH on day 1.
        EXPECT_EQ(table[i][column(table, "hlh2004_diagnostic_day")], "");
    }
}

TEST_F(Sweep, EventDayIsTheFirstEventOfItsKind) {
    // The seed case meets the HLH-2004 criteria on day 3 (README), also on a small patch.
    const Result r =
        hlhsim({"sweep", source_file("configs/scenarios/seed_case.yaml").string(), "--seeds", "1",
                "--events", "hlh2004_diagnostic,criterion_met", "--set", "duration=4 day", "--set",
                "domain.size=[200 um, 200 um]", "--out-dir", "seed_case", "-q"});
    ASSERT_EQ(r.code, 0) << r.err;
    const Csv table = csv("seed_case");
    ASSERT_EQ(table.size(), 2U);
    const auto f = io::InputFile::open((file("seed_case") / "run_0000.h5").string());
    const auto times = io::read_array<double>(f, "/events/time");
    const auto kinds = io::read_strings(f, "/events/kind");
    for (const std::string kind : {"hlh2004_diagnostic", "criterion_met"}) {
        const auto it = std::find(kinds.begin(), kinds.end(), kind);
        ASSERT_NE(it, kinds.end()) << "no " << kind << " event in 4 days";
        const double day = times[static_cast<std::size_t>(it - kinds.begin())] / 1440.0;
        EXPECT_EQ(std::stod(table[1][column(table, kind + "_day")]), day) << kind;
    }
    EXPECT_EQ(std::stod(table[1][column(table, "hlh2004_diagnostic_day")]), 3.0);
}

TEST_F(Sweep, InterruptStopsTheChildrenAndExits130) {
    auto sweep = start_hlhsim(
        concat({"sweep", kWalkers, "--vary", "walkers.count=30,40,50", "--out-dir", "int", "--jobs",
                "2", "-q"},
               {"--set", "duration=1000000 min", "--set", "output.snapshot_every=1000 min"}));
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (std::chrono::steady_clock::now() < deadline &&
           !(fs::exists(file("int") / "run_0000.h5.partial") &&
             fs::exists(file("int") / "run_0001.h5.partial")))
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    ASSERT_TRUE(sweep->running());
    sweep->send(SIGINT);
    const Result r = sweep->wait(30);
    EXPECT_EQ(r.code, 130) << r.err;
    EXPECT_NE(r.err.find("interrupted"), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(file("int") / "sweep.csv"));
    const Csv table = parse_csv(read_bytes(file("int") / "sweep.csv.partial"));
    ASSERT_EQ(table.size(), 4U);
    // Stopped by SIGTERM: 130 from the run's handler, or 143 (128 + SIGTERM) for a run
    // stopped before it installed its handler.
    for (std::size_t row = 1; row <= 2; ++row) {
        const std::string status = table[row][column(table, "status")];
        EXPECT_TRUE(status == "130" || status == "143") << "row " << row << ": " << status;
    }
    EXPECT_EQ(table[3][column(table, "status")], "");  // never started
    EXPECT_FALSE(fs::exists(file("int") / "run_0002.log"));
}

}  // namespace
}  // namespace hlhsim::cli::test
