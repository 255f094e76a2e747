#include "sim/io/h5_write.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <limits>
#include <string>
#include <vector>

#include "sim/core/errors.hpp"
#include "sim/io/h5_read.hpp"
#include "tests/sim/io/io_test_util.hpp"

namespace hlhsim::io {
namespace {

using test::TempDir;
using Dims = std::vector<std::uint64_t>;

/// Distinct, type-representable values (including the type's extremes).
template <class T>
std::vector<T> sample(std::size_t n) {
    std::vector<T> v(n);
    for (std::size_t i = 0; i < n; ++i) {
        if constexpr (std::is_floating_point_v<T>)
            v[i] = static_cast<T>(0.25 * static_cast<double>(i) - 3.0);
        else
            v[i] = static_cast<T>(i * 7 + 1);
    }
    if (n >= 2) {
        v[0] = std::numeric_limits<T>::lowest();
        v[1] = std::numeric_limits<T>::max();
    }
    return v;
}

template <class T>
class WriteArrayRoundTrip : public ::testing::Test {};
using ElementTypes = ::testing::Types<float, double, std::int32_t, std::uint32_t, std::int64_t,
                                      std::uint64_t, std::uint8_t>;
TYPED_TEST_SUITE(WriteArrayRoundTrip, ElementTypes);

TYPED_TEST(WriteArrayRoundTrip, EveryShape) {
    using T = TypeParam;
    const TempDir dir;
    const std::string path = dir.file("arrays.h5");
    const std::vector<std::pair<std::string, Dims>> shapes = {
        {"/one_d", {7}},
        {"/two_d", {3, 4}},
        {"/three_d", {2, 3, 5}},
        {"/g/empty", {0}},
        {"/g/empty2d", {0, 3}},
        {"/big/chunked", {40, 30}},
        {"/big/chunked3d", {10, 20, 30}},
    };
    {
        auto file = OutputFile::create(path);
        for (const auto& [name, dims] : shapes) {
            std::uint64_t n = 1;
            for (auto d : dims) n *= d;
            const auto data = sample<T>(n);
            write_array(file, name, std::span<const T>(data), dims);
        }
        file.commit();
    }
    const auto in = InputFile::open(path);
    for (const auto& [name, dims] : shapes) {
        Dims got_dims;
        const auto got = read_array<T>(in, name, &got_dims);
        EXPECT_EQ(got_dims, dims) << name;
        EXPECT_EQ(shape(in, name), dims) << name;
        EXPECT_EQ(got, sample<T>(got.size())) << name;
        std::uint64_t n = 1;
        for (auto d : dims) n *= d;
        EXPECT_EQ(got.size(), n) << name;
    }
}

TEST(WriteArray, OneDimensionalWhenDimsAreOmitted) {
    const TempDir dir;
    auto file = OutputFile::create(dir.file("a.h5"));
    const std::vector<std::int32_t> v{5, 6, 7};
    write_array(file, "/v", v);
    file.commit();
    Dims dims;
    EXPECT_EQ(read_array<std::int32_t>(InputFile::open(dir.file("a.h5")), "/v", &dims), v);
    EXPECT_EQ(dims, Dims{3});
}

TEST(WriteArray, LargeArraysAreCompressed) {
    const TempDir dir;
    std::vector<double> zeros(200000, 0.0);
    auto file = OutputFile::create(dir.file("a.h5"));
    write_array(file, "/z", zeros);
    file.commit();
    // 1.6 MB of zeros must shrink to a few kB; contiguous storage would not.
    EXPECT_LT(std::filesystem::file_size(dir.file("a.h5")), 100000U);
    EXPECT_EQ(read_array<double>(InputFile::open(dir.file("a.h5")), "/z"), zeros);
}

TEST(WriteArray, DeflateZeroKeepsLargeArraysContiguous) {
    const TempDir dir;
    std::vector<double> zeros(20000, 0.0);
    auto file = OutputFile::create(dir.file("a.h5"));
    write_array(file, "/z", zeros, {}, 0);
    file.commit();
    EXPECT_GT(std::filesystem::file_size(dir.file("a.h5")), 160000U);
}

TEST(WriteArray, ErrorsNameThePath) {
    const TempDir dir;
    auto file = OutputFile::create(dir.file("a.h5"));
    const std::vector<double> v{1, 2, 3, 4, 5, 6};
    write_array(file, "/x/v", v, {2, 3});
    const auto expect_error = [&](auto&& action, const std::string& needle) {
        try {
            action();
            ADD_FAILURE() << "expected IoError containing " << needle;
        } catch (const IoError& e) {
            EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
        }
    };
    expect_error([&] { write_array(file, "/x/w", v, {4, 2}); }, "/x/w");
    expect_error([&] { write_array(file, "/x/v", v); }, "exists");
    expect_error([&] { write_array(file, "/x/v/inner", v); }, "not a group");
    expect_error([&] { write_array(file, "/x/u", v, {}, 12); }, "deflate");
    expect_error([&] { write_array(file, "/", v); }, "root");
    expect_error([&] { remove(file, "/x/nothing"); }, "/x/nothing");
}

TEST(WriteArray, RemoveThenRewrite) {
    const TempDir dir;
    auto file = OutputFile::create(dir.file("a.h5"));
    write_array(file, "/checkpoint/x", std::vector<double>{1.0});
    EXPECT_TRUE(exists(file, "/checkpoint/x"));
    remove(file, "/checkpoint");
    EXPECT_FALSE(exists(file, "/checkpoint/x"));
    EXPECT_FALSE(exists(file, "/checkpoint"));
    write_array(file, "/checkpoint/x", std::vector<double>{2.0});
    file.commit();
    EXPECT_EQ(read_array<double>(InputFile::open(dir.file("a.h5")), "/checkpoint/x"),
              std::vector<double>{2.0});
}

TEST(WriteAttribute, EveryKindRoundTrips) {
    const TempDir dir;
    const std::string path = dir.file("a.h5");
    {
        auto file = OutputFile::create(path);
        write_array(file, "/d", std::vector<float>{1.0F});
        write_attribute(file, "/", "name", std::string("hlhsim ü"));
        write_attribute(file, "/", "literal", "text");
        write_attribute(file, "/", "seed", std::int64_t{-9007199254740993});
        write_attribute(file, "/", "threads", 4);
        write_attribute(file, "/", "ranks", std::size_t{1});
        write_attribute(file, "/", "big", std::numeric_limits<std::int64_t>::max());
        write_attribute(file, "/d", "scale", 0.1);
        write_attribute(file, "/d", "labels", std::vector<std::string>{"a", "", "c d"});
        write_attribute(file, "/d", "origin", std::vector<double>{0.5, -1.5, 2.0});
        write_attribute(file, "/d", "shape", std::vector<std::int64_t>{3, 4});
        write_attribute(file, "/d", "none", std::vector<double>{});
        write_attribute(file, "/d", "no_names", std::vector<std::string>{});
        write_attribute(file, "/snapshots/000003", "time", 1440.0);  // creates the group
        write_attribute(file, "/", "replaced", 1.0);
        write_attribute(file, "/", "replaced", std::string("now a string"));
        file.commit();
    }
    const auto in = InputFile::open(path);
    EXPECT_EQ(read_attribute_string(in, "/", "name"), "hlhsim ü");
    EXPECT_EQ(read_attribute_string(in, "/", "literal"), "text");
    EXPECT_EQ(read_attribute_int(in, "/", "seed"), -9007199254740993);
    EXPECT_EQ(read_attribute_int(in, "/", "threads"), 4);
    EXPECT_EQ(read_attribute_int(in, "/", "ranks"), 1);
    EXPECT_EQ(read_attribute_int(in, "/", "big"), std::numeric_limits<std::int64_t>::max());
    EXPECT_EQ(read_attribute_double(in, "/d", "scale"), 0.1);
    EXPECT_EQ(read_attribute_strings(in, "/d", "labels"),
              (std::vector<std::string>{"a", "", "c d"}));
    EXPECT_EQ(read_attribute_doubles(in, "/d", "origin"), (std::vector<double>{0.5, -1.5, 2.0}));
    EXPECT_EQ(read_attribute_ints(in, "/d", "shape"), (std::vector<std::int64_t>{3, 4}));
    EXPECT_TRUE(read_attribute_doubles(in, "/d", "none").empty());
    EXPECT_TRUE(read_attribute_strings(in, "/d", "no_names").empty());
    EXPECT_EQ(read_attribute_double(in, "/snapshots/000003", "time"), 1440.0);
    EXPECT_EQ(read_attribute_string(in, "/", "replaced"), "now a string");
}

TEST(WriteAttribute, UnsignedTooLargeForInt64Throws) {
    const TempDir dir;
    auto file = OutputFile::create(dir.file("a.h5"));
    EXPECT_THROW(write_attribute(file, "/", "x", std::numeric_limits<std::uint64_t>::max()),
                 IoError);
}

TEST(WriteText, TextAndStringsRoundTrip) {
    const TempDir dir;
    const std::string yaml = "run:\n  seed: 42   # ümlaut, µm\n  name: \"x\"\n";
    const std::vector<std::string> names{"macrophage", "cd8", "", "trigger cell"};
    {
        auto file = OutputFile::create(dir.file("a.h5"));
        write_text(file, "/config", yaml);
        write_text(file, "/empty_text", "");
        write_strings(file, "/populations/names", names);
        write_strings(file, "/populations/none", {});
        file.commit();
    }
    const auto in = InputFile::open(dir.file("a.h5"));
    EXPECT_EQ(read_text(in, "/config"), yaml);
    EXPECT_EQ(read_text(in, "/empty_text"), "");
    EXPECT_EQ(read_strings(in, "/populations/names"), names);
    EXPECT_TRUE(read_strings(in, "/populations/none").empty());
    EXPECT_THROW(read_text(in, "/populations/names"), IoError);  // not one string
}

TEST(WriteInterop, H5pyReadsEveryKind) {
    if (!test::have_h5py()) GTEST_SKIP() << "no /usr/bin/python3 with h5py";
    const TempDir dir;
    const std::string path = dir.file("interop.h5");
    {
        auto file = OutputFile::create(path);
        write_attribute(file, "/", "seed", 42);
        write_attribute(file, "/", "version", "0.1.0");
        write_text(file, "/config", "a: 1\n");
        std::vector<double> field(3000);
        for (std::size_t i = 0; i < field.size(); ++i) field[i] = 0.5 * i;
        write_array(file, "/fields/ifng", field, {10, 20, 15});
        write_array(file, "/agents/type", std::vector<std::uint8_t>{1, 2, 3});
        write_strings(file, "/names", {"a", "béta"});
        write_attribute(file, "/fields/ifng", "spacing", std::vector<double>{10.0, 10.0, 10.0});
        file.commit();
    }
    const std::string script = R"(
import sys, h5py, numpy as np
f = h5py.File(sys.argv[1], 'r')
assert f.attrs['seed'] == 42 and f.attrs['seed'].dtype == np.int64
assert f.attrs['version'] == '0.1.0'
assert f['config'].asstr()[()] == 'a: 1\n'
x = f['fields/ifng']
assert x.shape == (10, 20, 15) and x.dtype == np.float64
assert x.compression == 'gzip' and x.shuffle
assert np.array_equal(x[...].ravel(), 0.5 * np.arange(3000))
assert list(x.attrs['spacing']) == [10.0, 10.0, 10.0]
assert f['agents/type'].dtype == np.uint8 and list(f['agents/type'][...]) == [1, 2, 3]
assert list(f['names'].asstr()[...]) == ['a', 'b\u00e9ta']
print('ok')
)";
    std::string out;
    EXPECT_EQ(test::run_python(dir, script, path, out), 0) << out;
    EXPECT_NE(out.find("ok"), std::string::npos) << out;
}

TEST(WriteInterop, H5dumpReadsTheHeader) {
    if (!test::have_h5dump()) GTEST_SKIP() << "no h5dump";
    const TempDir dir;
    const std::string path = dir.file("dump.h5");
    {
        auto file = OutputFile::create(path);
        write_array(file, "/snapshots/000001/agents/x", std::vector<double>{1, 2});
        write_text(file, "/config", "k: v\n");
        file.commit();
    }
    std::string out;
    ASSERT_EQ(test::run_command("h5dump -H '" + path + "'", out), 0) << out;
    EXPECT_NE(out.find("H5T_IEEE_F64LE"), std::string::npos) << out;
    EXPECT_NE(out.find("H5T_CSET_UTF8"), std::string::npos) << out;
    EXPECT_NE(out.find("DATASET \"x\""), std::string::npos) << out;
}

}  // namespace
}  // namespace hlhsim::io
