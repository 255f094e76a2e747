#include "sim/io/input_file.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <string>
#include <utility>

#include "sim/core/errors.hpp"
#include "sim/io/h5_read.hpp"
#include "sim/io/h5_write.hpp"
#include "tests/sim/io/io_test_util.hpp"

namespace hlhsim::io {
namespace {

using test::TempDir;

/// The message of the IoError that `action` throws ("" if none).
template <class F>
std::string io_error_message(F&& action) {
    try {
        action();
    } catch (const IoError& e) {
        return e.what();
    }
    return "";
}

TEST(InputFile, OpensReadOnlyAndMoves) {
    const TempDir dir;
    const std::string path = dir.file("in.h5");
    {
        auto out = OutputFile::create(path);
        write_attribute(out, "/", "n", 5);
        out.commit();
    }
    auto a = InputFile::open(path);
    EXPECT_EQ(a.path(), path);
    InputFile b = std::move(a);
    EXPECT_LT(a.handle(), 0);  // NOLINT(bugprone-use-after-move): tested on purpose
    EXPECT_EQ(read_attribute_int(b, "/", "n"), 5);
    a = std::move(b);
    EXPECT_EQ(read_attribute_int(a, "/", "n"), 5);
    // Two readers of one file at once.
    const auto c = InputFile::open(path);
    EXPECT_EQ(read_attribute_int(c, "/", "n"), 5);
}

TEST(InputFile, MissingFileThrowsWithPath) {
    const TempDir dir;
    const std::string missing = dir.file("missing.h5");
    const std::string msg = io_error_message([&] { InputFile::open(missing); });
    EXPECT_NE(msg.find(missing), std::string::npos) << msg;
    EXPECT_NE(msg.find("no such file"), std::string::npos) << msg;
    EXPECT_NE(io_error_message([&] { InputFile::open(dir.path().string()); }), "");
}

TEST(InputFile, NonHdf5FileThrowsWithPath) {
    const TempDir dir;
    const std::string text = dir.file("text.h5");
    std::ofstream(text) << "not hdf5 at all";
    const std::string msg = io_error_message([&] { InputFile::open(text); });
    EXPECT_NE(msg.find(text), std::string::npos) << msg;
    EXPECT_NE(msg.find("not an HDF5 file"), std::string::npos) << msg;
}

}  // namespace
}  // namespace hlhsim::io
