#include "sim/io/h5_read.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "sim/core/errors.hpp"
#include "sim/io/h5_write.hpp"
#include "tests/sim/io/io_test_util.hpp"

namespace hlhsim::io {
namespace {

using test::TempDir;

/// Expects `action` to throw IoError whose message contains every needle.
template <class F>
void expect_io_error(F&& action, const std::vector<std::string>& needles) {
    try {
        action();
        ADD_FAILURE() << "expected IoError";
    } catch (const IoError& e) {
        for (const auto& n : needles)
            EXPECT_NE(std::string(e.what()).find(n), std::string::npos)
                << "'" << n << "' missing in: " << e.what();
    }
}

class ReadTest : public ::testing::Test {
  protected:
    void SetUp() override {
        path_ = dir_.file("r.h5");
        auto file = OutputFile::create(path_);
        write_array(file, "/b/d", std::vector<double>{0.5, 1.5, -2.5, 1e300});
        write_array(file, "/b/i32", std::vector<std::int32_t>{-1, 0, 70000});
        write_array(file, "/b/u8", std::vector<std::uint8_t>{0, 200, 255});
        write_array(file, "/b/u64",
                    std::vector<std::uint64_t>{1, std::numeric_limits<std::uint64_t>::max()});
        write_array(file, "/a/c/z", std::vector<float>{});
        write_strings(file, "/a/names", {"x", "y"});
        write_attribute(file, "/b/d", "unit", "ng/mL");
        write_attribute(file, "/b/d", "count", 3);
        file.commit();
    }
    TempDir dir_;
    std::string path_;
};

TEST_F(ReadTest, ExistsAndListGroup) {
    const auto in = InputFile::open(path_);
    EXPECT_TRUE(exists(in, "/"));
    EXPECT_TRUE(exists(in, "/b/d"));
    EXPECT_TRUE(exists(in, "b/d"));  // leading slash optional
    EXPECT_TRUE(exists(in, "/a/c"));
    EXPECT_FALSE(exists(in, "/a/missing/deeper"));
    EXPECT_FALSE(exists(in, "/b/d/below_a_dataset"));
    EXPECT_EQ(list_group(in, "/"), (std::vector<std::string>{"a", "b"}));
    EXPECT_EQ(list_group(in, "/b"), (std::vector<std::string>{"d", "i32", "u64", "u8"}));
    EXPECT_EQ(list_group(in, "/a/c"), (std::vector<std::string>{"z"}));
    EXPECT_TRUE(is_dataset(in, "/b/d"));
    EXPECT_FALSE(is_dataset(in, "/b"));
    EXPECT_FALSE(is_dataset(in, "/nothing"));
    EXPECT_TRUE(has_attribute(in, "/b/d", "unit"));
    EXPECT_FALSE(has_attribute(in, "/b/d", "scale"));
}

TEST_F(ReadTest, ConvertsBetweenNumericTypes) {
    const auto in = InputFile::open(path_);
    EXPECT_EQ(read_array<double>(in, "/b/i32"), (std::vector<double>{-1.0, 0.0, 70000.0}));
    EXPECT_EQ(read_array<std::int64_t>(in, "/b/u8"), (std::vector<std::int64_t>{0, 200, 255}));
    EXPECT_EQ(read_array<std::int32_t>(in, "/b/u8"), (std::vector<std::int32_t>{0, 200, 255}));
    EXPECT_EQ(read_array<float>(in, "/b/i32"), (std::vector<float>{-1.0F, 0.0F, 70000.0F}));
    EXPECT_TRUE(read_array<double>(in, "/a/c/z").empty());
    EXPECT_EQ(read_attribute_double(in, "/b/d", "count"), 3.0);  // int attribute as double
}

TEST_F(ReadTest, RefusesLossyConversions) {
    const auto in = InputFile::open(path_);
    expect_io_error([&] { read_array<std::int64_t>(in, "/b/d"); }, {"/b/d", "floating-point"});
    expect_io_error([&] { read_array<std::uint8_t>(in, "/b/i32"); }, {"/b/i32", path_});
    expect_io_error([&] { read_array<std::int64_t>(in, "/b/u64"); }, {"/b/u64"});
    expect_io_error([&] { read_array<float>(in, "/b/d"); }, {"/b/d"});  // 1e300
    expect_io_error([&] { read_array<double>(in, "/a/names"); }, {"/a/names", "not numeric"});
    expect_io_error([&] { read_attribute_int(in, "/b/d", "unit"); }, {"unit", "not numeric"});
    expect_io_error([&] { read_attribute_string(in, "/b/d", "count"); }, {"count", "not strings"});
    expect_io_error([&] { read_strings(in, "/b/d"); }, {"/b/d", "not strings"});
}

TEST_F(ReadTest, MissingThingsThrowWithPath) {
    const auto in = InputFile::open(path_);
    expect_io_error([&] { read_array<double>(in, "/b/nothing"); },
                    {"/b/nothing", path_, "no such"});
    expect_io_error([&] { read_array<double>(in, "/b"); }, {"/b", "not a dataset"});
    expect_io_error([&] { list_group(in, "/b/d"); }, {"/b/d", "not a group"});
    expect_io_error([&] { list_group(in, "/zzz"); }, {"/zzz", "no such group"});
    expect_io_error([&] { read_text(in, "/config"); }, {"/config"});
    expect_io_error([&] { read_attribute_double(in, "/b/d", "scale"); },
                    {"/b/d @scale", "no such attribute"});
    expect_io_error([&] { has_attribute(in, "/nothing", "x"); }, {"/nothing"});
    expect_io_error([&] { shape(in, "/b"); }, {"/b"});
}

TEST(ReadInterop, ReadsFilesWrittenByH5py) {
    if (!test::have_h5py()) GTEST_SKIP() << "no /usr/bin/python3 with h5py";
    const TempDir dir;
    const std::string path = dir.file("from_h5py.h5");
    const std::string script = R"(
import sys, h5py, numpy as np
with h5py.File(sys.argv[1], 'w') as f:
    f['fixed'] = np.array([b'ab', b'c'], dtype='S4')
    f['vlen'] = np.array(['x', 'yz'], dtype=h5py.string_dtype())
    f['text'] = 'hello'
    f['grid'] = np.arange(6, dtype='<i2').reshape(2, 3)
    f['be'] = np.array([1.5, 2.5], dtype='>f8')
    f.attrs['fixed_attr'] = np.bytes_(b'abc')
    f.attrs['n'] = np.int16(-5)
    f.attrs['v'] = np.array([1, 2, 3], dtype=np.int32)
)";
    std::string out;
    ASSERT_EQ(test::run_python(dir, script, path, out), 0) << out;
    const auto in = InputFile::open(path);
    EXPECT_EQ(read_strings(in, "/fixed"), (std::vector<std::string>{"ab", "c"}));
    EXPECT_EQ(read_strings(in, "/vlen"), (std::vector<std::string>{"x", "yz"}));
    EXPECT_EQ(read_text(in, "/text"), "hello");
    std::vector<std::uint64_t> dims;
    EXPECT_EQ(read_array<std::int64_t>(in, "/grid", &dims),
              (std::vector<std::int64_t>{0, 1, 2, 3, 4, 5}));
    EXPECT_EQ(dims, (std::vector<std::uint64_t>{2, 3}));
    EXPECT_EQ(read_array<double>(in, "/be"), (std::vector<double>{1.5, 2.5}));
    EXPECT_EQ(read_attribute_string(in, "/", "fixed_attr"), "abc");
    EXPECT_EQ(read_attribute_int(in, "/", "n"), -5);
    EXPECT_EQ(read_attribute_ints(in, "/", "v"), (std::vector<std::int64_t>{1, 2, 3}));
}

}  // namespace
}  // namespace hlhsim::io
