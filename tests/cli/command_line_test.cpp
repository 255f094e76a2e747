// End to end: the command line itself: help, version, models, the schema table, usage
// errors (exit 2) and an output that cannot be created (exit 1). None of these write
// anything.
#include <gtest/gtest.h>

#include <ostream>
#include <sstream>
#include <string>
#include <vector>

#include "tests/cli/cli_test_support.hpp"

namespace hlhsim::cli::test {
namespace {

const std::string kExample = source_file("configs/examples/random_walkers.yaml").string();
const std::string kSmall = data_config("walkers_small.yaml").string();

class CommandLine : public CliTest {
  protected:
    void TearDown() override {
        EXPECT_TRUE(list_dir(work()).empty()) << "the command wrote into its directory";
        CliTest::TearDown();
    }
};

void expect_mentions(const std::string& text, const std::vector<std::string>& words) {
    for (const auto& w : words) EXPECT_NE(text.find(w), std::string::npos) << w << " in\n" << text;
}

TEST_F(CommandLine, HelpListsSubcommandsAndExitCodes) {
    const Result r = hlhsim({"--help"});
    EXPECT_EQ(r.code, 0) << r.err;
    expect_mentions(r.out, {"run", "check", "schema", "version", "models", "Exit codes"});
}

TEST_F(CommandLine, RunHelpListsOptions) {
    const Result r = hlhsim({"run", "--help"});
    EXPECT_EQ(r.code, 0) << r.err;
    expect_mentions(r.out, {"CONFIG", "--out", "--threads", "--seed", "--set", "--quiet"});
}

TEST_F(CommandLine, VersionPrintsTheProjectVersion) {
    const Result r = hlhsim({"version"});
    EXPECT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(r.out, std::string("hlhsim ") + HLHSIM_VERSION + "\n");
}

TEST_F(CommandLine, ModelsListsTheExampleModel) {
    const Result r = hlhsim({"models"});
    EXPECT_EQ(r.code, 0) << r.err;
    expect_mentions(r.out, {"random_walkers\n"});
}

TEST_F(CommandLine, SchemaPrintsMarkdownTableWithUnits) {
    const Result r = hlhsim({"schema", kExample});
    ASSERT_EQ(r.code, 0) << r.err;
    std::istringstream in(r.out);
    std::vector<std::string> lines;
    for (std::string line; std::getline(in, line);)
        if (!line.empty()) lines.push_back(line);
    ASSERT_GT(lines.size(), 10U) << r.out;
    EXPECT_EQ(lines[0].rfind("| key | type | unit |", 0), 0U) << lines[0];
    EXPECT_EQ(lines[1].rfind("|---|", 0), 0U) << lines[1];
    bool speed_row = false;
    for (const auto& line : lines) {
        EXPECT_EQ(line.front(), '|') << line;
        EXPECT_EQ(line.back(), '|') << line;
        if (line.rfind("| `walkers.speed` |", 0) == 0) {
            speed_row = true;
            EXPECT_NE(line.find("| um/min |"), std::string::npos) << line;
        }
    }
    EXPECT_TRUE(speed_row) << r.out;
    expect_mentions(r.out, {"`duration`", "`fields.substances.<name>.diffusion`", "um^2/min"});
}

struct UsageCase {
    const char* name;
    std::vector<std::string> args;
    std::string mention;  ///< what stderr must name
};

void PrintTo(const UsageCase& c, std::ostream* os) { *os << c.name; }

class UsageErrors : public CommandLine, public ::testing::WithParamInterface<UsageCase> {};

TEST_P(UsageErrors, ExitTwoAndSayWhy) {
    const Result r = hlhsim(GetParam().args);
    EXPECT_EQ(r.code, 2) << r.out << r.err;
    EXPECT_NE(r.err.find(GetParam().mention), std::string::npos) << r.err;
}

INSTANTIATE_TEST_SUITE_P(
    Cases, UsageErrors,
    ::testing::Values(UsageCase{"NoSubcommand", {}, "subcommand"},
                      UsageCase{
                          "UnknownSubcommand", {"frobnicate"}, "unknown command 'frobnicate'"},
                      UsageCase{"UnknownOption", {"run", kSmall, "--bogus"}, "--bogus"},
                      UsageCase{"MissingConfig", {"run", "no_such.yaml"}, "no_such.yaml"},
                      UsageCase{"NoConfig", {"run"}, "CONFIG"},
                      UsageCase{"ZeroThreads", {"run", kSmall, "--threads", "0"}, "--threads"},
                      UsageCase{"NonNumericSeed", {"run", kSmall, "--seed", "abc"}, "--seed"}),
    [](const ::testing::TestParamInfo<UsageCase>& param_info) {
        return std::string(param_info.param.name);
    });

TEST_F(CommandLine, UncreatableOutputExitsOne) {
    const fs::path blocker = file("blocker");
    write_bytes(blocker, "a file where a directory is needed");
    const Result r = hlhsim({"run", kSmall, "-q", "--out", "blocker/run.h5"});
    EXPECT_EQ(r.code, 1) << r.err;
    EXPECT_NE(r.err.find("I/O error"), std::string::npos) << r.err;
    EXPECT_EQ(read_bytes(blocker), "a file where a directory is needed");
    fs::remove(blocker);  // so that TearDown finds the directory as it was
}

}  // namespace
}  // namespace hlhsim::cli::test
