#include "sim/config/yaml_loader.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "sim/core/errors.hpp"

namespace hlhsim::config {
namespace {

namespace fs = std::filesystem;

class YamlLoader : public ::testing::Test {
  protected:
    void SetUp() override {
        dir_ = fs::path(::testing::TempDir()) /
               ("hlhsim_yaml_" +
                std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
        fs::remove_all(dir_);
        fs::create_directories(dir_ / "sub");
    }
    void write(const std::string& name, const std::string& text) {
        std::ofstream(dir_ / name) << text;
    }
    std::string path(const std::string& name) const { return (dir_ / name).string(); }
    std::string message_of(const std::string& name) {
        try {
            load_file(path(name));
        } catch (const ConfigError& e) {
            return e.what();
        }
        return "";
    }
    fs::path dir_;
};

TEST_F(YamlLoader, IncludesMergeDeeplyAndTheIncluderWins) {
    write("sub/base.yaml", "a: 1\nnested:\n  x: 1\n  y: 2\nlist: [1, 2]\n");
    write("main.yaml", "include: sub/base.yaml\nnested:\n  y: 3\nlist: [9]\nb: 2\n");
    const ConfigNode root = load_file(path("main.yaml"));
    EXPECT_EQ(root.find("a")->value(), "1");
    EXPECT_EQ(root.find("b")->value(), "2");
    EXPECT_EQ(root.find("nested")->find("x")->value(), "1");
    EXPECT_EQ(root.find("nested")->find("y")->value(), "3");
    ASSERT_EQ(root.find("list")->items().size(), 1u);
    EXPECT_EQ(root.find("include"), nullptr);
    // values keep the file they came from
    EXPECT_NE(root.find("a")->location().str().find("base.yaml:1:4"), std::string::npos);
    EXPECT_NE(root.find("b")->location().str().find("main.yaml:5:4"), std::string::npos);
}

TEST_F(YamlLoader, IncludeInsideANestedMapAndAList) {
    write("drug.yaml", "dose: 5 mg\n");
    write("main.yaml", "treatment:\n  - include: drug.yaml\n    every: 12 h\n");
    const ConfigNode root = load_file(path("main.yaml"));
    const ConfigNode& item = root.find("treatment")->items()[0];
    EXPECT_EQ(item.find("dose")->value(), "5 mg");
    EXPECT_EQ(item.find("every")->value(), "12 h");
}

TEST_F(YamlLoader, SyntaxErrorHasFileLineColumn) {
    write("bad.yaml", "a: 1\nb: [1, 2\n");
    const std::string m = message_of("bad.yaml");
    EXPECT_NE(m.find("bad.yaml:"), std::string::npos) << m;
    EXPECT_NE(m.find("YAML syntax error"), std::string::npos) << m;
}

TEST_F(YamlLoader, MissingIncludeAndCyclesAreLocated) {
    write("main.yaml", "x: 1\ninclude: nowhere.yaml\n");
    std::string m = message_of("main.yaml");
    EXPECT_NE(m.find("main.yaml:2:10: included file"), std::string::npos) << m;
    EXPECT_NE(m.find("does not exist"), std::string::npos) << m;
    write("a.yaml", "include: b.yaml\n");
    write("b.yaml", "include: a.yaml\n");
    m = message_of("a.yaml");
    EXPECT_NE(m.find("include cycle"), std::string::npos) << m;
    EXPECT_NE(message_of("absent.yaml").find("does not exist"), std::string::npos);
}

TEST_F(YamlLoader, DuplicateKeysAreErrors) {
    write("dup.yaml", "a: 1\na: 2\n");
    EXPECT_NE(message_of("dup.yaml").find("dup.yaml:2:1: duplicate key 'a'"), std::string::npos);
}

TEST(Override, SetsNestedValuesAndListItems) {
    ConfigNode root = load_string("a:\n  b: 1\nl:\n  - {c: 1}\n  - {c: 2}\n", "t.yaml");
    apply_override(root, "a.b=6 um/min");
    apply_override(root, "l.1.c=5");
    apply_override(root, "new.key=[1, 2]");
    EXPECT_EQ(root.find("a")->find("b")->value(), "6 um/min");
    EXPECT_EQ(root.find("a")->find("b")->location().str(), "--set a.b");
    EXPECT_EQ(root.find("l")->items()[1].find("c")->value(), "5");
    EXPECT_EQ(root.find("new")->find("key")->items().size(), 2u);
    EXPECT_THROW(apply_override(root, "novalue"), ConfigError);
    EXPECT_THROW(apply_override(root, "l.7.c=1"), ConfigError);
    EXPECT_THROW(apply_override(root, "a.b.c=1"), ConfigError);
}

TEST(ToYaml, RoundTrips) {
    const ConfigNode root = load_string("a: 1\nb:\n  c: \"x y\"\n  d: [1, 2]\n", "t.yaml");
    const ConfigNode again = load_string(to_yaml(root), "again.yaml");
    EXPECT_EQ(to_yaml(again), to_yaml(root));
    EXPECT_EQ(again.find("b")->find("d")->items()[1].value(), "2");
    EXPECT_TRUE(again.find("b")->find("c")->quoted());
}

}  // namespace
}  // namespace hlhsim::config
