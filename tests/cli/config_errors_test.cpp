// End to end: every class of config error (unknown key, missing key, wrong type, bad
// unit, out-of-range value, YAML syntax, missing include, bad --set) exits with 2,
// reports FILE:LINE:COL at the right line, and writes nothing: no output, no .partial,
// and an earlier file at --out stays byte for byte as it was.
#include <gtest/gtest.h>

#include <fstream>
#include <ostream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "tests/cli/cli_test_support.hpp"

namespace hlhsim::cli::test {
namespace {

// Stands for an earlier run's file at --out; any bytes do for a byte comparison.
const std::string kEarlier = std::string("an earlier run file\n\x00\x01\x89HDF\r\n", 26);

/// Lines (1-based) of a data config that carry the "<- error" marker.
std::vector<int> marked_lines(const fs::path& path) {
    std::ifstream in(path);
    std::vector<int> lines;
    std::string line;
    for (int n = 1; std::getline(in, line); ++n)
        if (line.find("# <- error") != std::string::npos) lines.push_back(n);
    return lines;
}

/// The stderr lines that are located errors ("FILE:LINE:COL: message").
std::vector<std::smatch> located_errors(const std::string& err, std::vector<std::string>& store) {
    static const std::regex located(R"(^(.+):([0-9]+):([0-9]+): (.+)$)");
    std::istringstream in(err);
    for (std::string line; std::getline(in, line);) store.push_back(line);
    std::vector<std::smatch> out;
    for (const auto& line : store) {
        std::smatch m;
        if (std::regex_match(line, m, located)) out.push_back(m);
    }
    return out;
}

class ConfigErrors : public CliTest {
  protected:
    /// Runs `hlhsim run ARGS --out previous.h5` (an earlier file there) and `--out
    /// fresh.h5`: both must exit 2 and leave the directory as it was. Returns stderr.
    std::string expect_rejected(const std::vector<std::string>& args) {
        write_bytes(file("previous.h5"), kEarlier);
        std::string err;
        for (const char* out : {"previous.h5", "fresh.h5"}) {
            std::vector<std::string> argv{"run"};
            argv.insert(argv.end(), args.begin(), args.end());
            argv.insert(argv.end(), {"--out", out, "--threads", "2"});
            const Result r = hlhsim(argv);
            EXPECT_EQ(r.code, 2) << "--out " << out << "\n" << r.err;
            EXPECT_EQ(r.out, "");
            EXPECT_EQ(list_dir(work()), std::vector<std::string>{"previous.h5"})
                << "a rejected config wrote something (--out " << out << ")";
            EXPECT_EQ(read_bytes(file("previous.h5")), kEarlier) << "earlier file changed";
            EXPECT_NE(r.err.find("no output was written"), std::string::npos) << r.err;
            err = r.err;
        }
        return err;
    }
};

struct FileCase {
    const char* name;
    const char* config;  ///< under tests/data/configs/
    const char* marked;  ///< the file holding the "<- error" markers
    std::vector<std::string> messages;
};

void PrintTo(const FileCase& c, std::ostream* os) { *os << c.config; }

class ConfigFileErrors : public ConfigErrors, public ::testing::WithParamInterface<FileCase> {};

TEST_P(ConfigFileErrors, ExitTwoWithFileLineAndWriteNothing) {
    const FileCase& c = GetParam();
    const fs::path config = data_config(c.config);
    const std::string err = expect_rejected({config.string()});

    std::vector<std::string> store;
    const auto errors = located_errors(err, store);
    const std::vector<int> lines = marked_lines(data_config(c.marked));
    ASSERT_FALSE(lines.empty()) << "no '<- error' marker in " << c.marked;
    ASSERT_EQ(errors.size(), lines.size()) << err;
    const std::string marked_name = fs::path(c.marked).filename().string();
    for (std::size_t i = 0; i < errors.size(); ++i) {
        const std::string where = errors[i][1].str();
        EXPECT_EQ(fs::path(where).filename().string(), marked_name) << store[i];
        EXPECT_EQ(std::stoi(errors[i][2].str()), lines[i]) << store[i];
        EXPECT_GE(std::stoi(errors[i][3].str()), 1) << store[i];
    }
    // Every line but the closing one is a located error: none without a place.
    EXPECT_EQ(store.size(), errors.size() + 1) << err;
    for (const auto& m : c.messages) EXPECT_NE(err.find(m), std::string::npos) << m << "\n" << err;

    // `check` agrees and writes nothing either.
    const Result check = hlhsim({"check", config.string()});
    EXPECT_EQ(check.code, 2);
    EXPECT_EQ(check.err, err);
}

INSTANTIATE_TEST_SUITE_P(
    Classes, ConfigFileErrors,
    ::testing::Values(FileCase{"UnknownKey",
                               "errors/unknown_key.yaml",
                               "errors/unknown_key.yaml",
                               {"unknown key 'sped' (did you mean 'speed'?)"}},
                      FileCase{"MissingKey",
                               "errors/missing_key.yaml",
                               "errors/missing_key.yaml",
                               {"'duration': missing required key"}},
                      FileCase{"WrongType",
                               "errors/wrong_type.yaml",
                               "errors/wrong_type.yaml",
                               {"'walkers.count': expected an integer, got 'many'"}},
                      FileCase{"BadUnit",
                               "errors/bad_unit.yaml",
                               "errors/bad_unit.yaml",
                               {"'walkers.speed'", "unknown unit 'furlong'"}},
                      FileCase{"WrongDimension",
                               "errors/wrong_dimension.yaml",
                               "errors/wrong_dimension.yaml",
                               {"expected a quantity in um/min", "'4 um^2/min'"}},
                      FileCase{"OutOfRange",
                               "errors/out_of_range.yaml",
                               "errors/out_of_range.yaml",
                               {"'walkers.chemotaxis': 1.5 is out of range [0, 1]"}},
                      FileCase{"YamlSyntax",
                               "errors/syntax_error.yaml",
                               "errors/syntax_error.yaml",
                               {"YAML syntax error"}},
                      FileCase{"MissingInclude",
                               "errors/missing_include.yaml",
                               "errors/missing_include.yaml",
                               {"included file '", "no_such_file.yaml' does not exist"}},
                      FileCase{"ErrorInIncludedFile",
                               "errors/error_in_include.yaml",
                               "errors/bad_unit.yaml",
                               {"unknown unit 'furlong'"}},
                      FileCase{"TwoErrorsBothReported",
                               "errors/two_errors.yaml",
                               "errors/two_errors.yaml",
                               {"expected an integer, got 'many'", "unknown unit 'furlong'"}}),
    [](const ::testing::TestParamInfo<FileCase>& param_info) {
        return std::string(param_info.param.name);
    });

struct SetCase {
    const char* name;
    const char* assignment;  ///< the --set argument
    std::vector<std::string> messages;
};

void PrintTo(const SetCase& c, std::ostream* os) { *os << "--set " << c.assignment; }

class BadSet : public ConfigErrors, public ::testing::WithParamInterface<SetCase> {};

TEST_P(BadSet, ExitTwoNamingTheOverrideAndWriteNothing) {
    const SetCase& c = GetParam();
    const std::string err =
        expect_rejected({data_config("walkers_small.yaml").string(), "--set", c.assignment});
    for (const auto& m : c.messages) EXPECT_NE(err.find(m), std::string::npos) << m << "\n" << err;
}

INSTANTIATE_TEST_SUITE_P(
    Classes, BadSet,
    ::testing::Values(
        SetCase{"WrongType",
                "walkers.count=abc",
                {"--set walkers.count: 'walkers.count': expected an integer, got 'abc'"}},
        SetCase{"WrongDimension",
                "walkers.speed=3 kg",
                {"--set walkers.speed: ", "expected a quantity in um/min"}},
        SetCase{
            "OutOfRange", "walkers.chemotaxis=2", {"--set walkers.chemotaxis: ", "out of range"}},
        SetCase{"YamlSyntax", "walkers.count=[1", {"--set walkers.count", "YAML syntax error"}},
        SetCase{"NoEquals", "nonsense", {"--set nonsense: expected KEY.PATH=VALUE"}},
        SetCase{"IntoAScalar", "walkers.speed.x=3", {"'x' is inside a single value"}},
        SetCase{"UnknownKey", "walkers.sped=3", {"unknown key 'sped' (did you mean 'speed'?)"}}),
    [](const ::testing::TestParamInfo<SetCase>& param_info) {
        return std::string(param_info.param.name);
    });

// BUG (sim/config, reported): a key that only --set introduced is reported at the
// parent map's line in the file ("walkers_small.yaml:24:3: unknown key 'sped'"),
// because ConfigNode::key_location ignores locations with line 0, which all --set
// locations have. It must name the override instead.
TEST_F(ConfigErrors, UnknownKeyFromSetNamesTheOverride) {
    const std::string err =
        expect_rejected({data_config("walkers_small.yaml").string(), "--set", "walkers.sped=3"});
    EXPECT_NE(err.find("--set walkers.sped: unknown key 'sped'"), std::string::npos) << err;
    EXPECT_EQ(err.find("walkers_small.yaml:"), std::string::npos) << err;
}

// A bad value in the HLH model's parameters stops its build before the treatments and
// the monitor are read: those sections must not be reported as unknown keys (they were
// before, burying the real error), while a misspelt key in a section that was read still
// is, in the same run.
TEST_F(ConfigErrors, ModelThatStopsEarlyReportsNoUnreadSectionsAsUnknown) {
    const std::string err =
        expect_rejected({source_file("configs/scenarios/seed_case.yaml").string(), "--set",
                         "trigger.reservoir_growth=2e-3 kg", "--set", "trigger.influxx=1"});
    EXPECT_NE(err.find("--set trigger.reservoir_growth: "), std::string::npos) << err;
    EXPECT_NE(err.find("expected a quantity in 1/min"), std::string::npos) << err;
    EXPECT_NE(err.find("unknown key 'influxx' (did you mean 'influx'?)"), std::string::npos) << err;
    EXPECT_EQ(err.find("unknown key 'monitor'"), std::string::npos) << err;
    EXPECT_EQ(err.find("unknown key 'treatments'"), std::string::npos) << err;
}

// BUG (sim/config, reported): a missing required section also reports its required
// keys, as "<unknown>: 'domain.size': missing required key".
TEST_F(ConfigErrors, MissingSectionReportsOnlyLocatedErrors) {
    const std::string err = expect_rejected({data_config("errors/missing_section.yaml").string()});
    std::vector<std::string> store;
    const auto errors = located_errors(err, store);
    EXPECT_EQ(store.size(), errors.size() + 1) << err;
    EXPECT_EQ(err.find("<unknown>"), std::string::npos) << err;
    ASSERT_FALSE(errors.empty());
    EXPECT_EQ(errors.front()[2].str(), "3") << err;
}

}  // namespace
}  // namespace hlhsim::cli::test
