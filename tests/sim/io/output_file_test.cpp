#include "sim/io/output_file.hpp"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>
#include <vector>

#include "sim/core/errors.hpp"
#include "sim/io/appendable_table.hpp"
#include "sim/io/h5_read.hpp"
#include "sim/io/h5_write.hpp"
#include "tests/sim/io/io_test_util.hpp"

namespace hlhsim::io {
namespace {

namespace fs = std::filesystem;
using test::TempDir;

/// Writes a tiny file whose /version attribute says `version`.
void write_version(const std::string& path, std::int64_t version, bool commit) {
    auto file = OutputFile::create(path);
    write_attribute(file, "/", "version", version);
    if (commit) file.commit();
}

TEST(OutputFile, WritesToPartialUntilCommit) {
    const TempDir dir;
    const std::string path = dir.file("run.h5");
    auto file = OutputFile::create(path);
    EXPECT_EQ(file.partial_path(), path + ".partial");
    EXPECT_EQ(file.final_path(), path);
    EXPECT_TRUE(fs::exists(path + ".partial"));
    EXPECT_FALSE(fs::exists(path));
    const std::vector<double> x{1.5, -2.0, 3.25};
    write_array(file, "/data/x", x);
    file.commit();
    EXPECT_TRUE(file.committed());
    EXPECT_FALSE(file.is_open());
    EXPECT_TRUE(fs::exists(path));
    EXPECT_FALSE(fs::exists(path + ".partial"));
    const auto in = InputFile::open(path);
    EXPECT_EQ(read_array<double>(in, "/data/x"), x);
}

TEST(OutputFile, CreatesMissingParentDirectories) {
    const TempDir dir;
    const std::string path = dir.file("a/b/c/run.h5");
    auto file = OutputFile::create(path);
    file.commit();
    EXPECT_TRUE(fs::is_regular_file(path));
}

TEST(OutputFile, EarlierFileSurvivesWriterDestroyedWithoutCommit) {
    const TempDir dir;
    const std::string path = dir.file("run.h5");
    write_version(path, 1, true);
    write_version(path, 2, false);  // destroyed without commit
    EXPECT_EQ(read_attribute_int(InputFile::open(path), "/", "version"), 1);
    // The abandoned run is still there, closed and readable.
    EXPECT_EQ(read_attribute_int(InputFile::open(path + ".partial"), "/", "version"), 2);
}

TEST(OutputFile, CommitReplacesEarlierFile) {
    const TempDir dir;
    const std::string path = dir.file("run.h5");
    write_version(path, 1, true);
    write_version(path, 2, true);
    EXPECT_EQ(read_attribute_int(InputFile::open(path), "/", "version"), 2);
    EXPECT_FALSE(fs::exists(path + ".partial"));
}

TEST(OutputFile, MoveKeepsTheFileOpen) {
    const TempDir dir;
    const std::string path = dir.file("run.h5");
    auto a = OutputFile::create(path);
    OutputFile b = std::move(a);
    EXPECT_FALSE(a.is_open());  // NOLINT(bugprone-use-after-move): tested on purpose
    write_attribute(b, "/", "answer", 42);
    OutputFile c = OutputFile::create(dir.file("other.h5"));
    c = std::move(b);  // closes other.h5.partial, takes over run.h5.partial
    c.commit();
    EXPECT_EQ(read_attribute_int(InputFile::open(path), "/", "answer"), 42);
    EXPECT_TRUE(fs::exists(dir.file("other.h5.partial")));
}

TEST(OutputFile, UseAfterCommitThrows) {
    const TempDir dir;
    auto file = OutputFile::create(dir.file("run.h5"));
    file.commit();
    EXPECT_THROW(file.flush(), IoError);
    EXPECT_THROW(file.commit(), IoError);
    try {
        write_attribute(file, "/", "x", 1.0);
        FAIL() << "expected IoError";
    } catch (const IoError& e) {
        EXPECT_NE(std::string(e.what()).find("committed"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("run.h5"), std::string::npos) << e.what();
    }
}

TEST(OutputFile, UncreatableDirectoryThrowsWithPath) {
    const TempDir dir;
    std::ofstream(dir.file("plain_file")) << "not a directory";
    const std::string path = dir.file("plain_file/sub/run.h5");
    try {
        OutputFile::create(path);
        FAIL() << "expected IoError";
    } catch (const IoError& e) {
        EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("cannot create output file"), std::string::npos)
            << e.what();
    }
}

TEST(OutputFile, UnwritableFileThrowsWithPath) {
    const TempDir dir;
    // A directory where the .partial should go: HDF5 itself fails to create the file.
    const std::string path = dir.file("run.h5");
    fs::create_directories(path + ".partial");
    try {
        OutputFile::create(path);
        FAIL() << "expected IoError";
    } catch (const IoError& e) {
        EXPECT_NE(std::string(e.what()).find(path + ".partial"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("unable to"), std::string::npos)
            << "HDF5's own message is kept: " << e.what();
    }
}

TEST(OutputFile, CommitOntoADirectoryThrows) {
    const TempDir dir;
    const std::string path = dir.file("run.h5");
    fs::create_directories(path + "/occupied");
    auto file = OutputFile::create(path);
    try {
        file.commit();
        FAIL() << "expected IoError";
    } catch (const IoError& e) {
        EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
    }
    EXPECT_TRUE(fs::exists(path + ".partial"));
}

TEST(OutputFile, KilledWriterLeavesReadablePartial) {
    const TempDir dir;
    const std::string path = dir.file("killed.h5");
    const pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
        // Child: write, flush, keep writing without flushing, then die without closing.
        try {
            auto file = OutputFile::create(path);
            write_attribute(file, "/", "seed", 7);
            const std::vector<std::int64_t> ids{3, 1, 4, 1, 5};
            write_array(file, "/snapshots/000000/agents/id", ids);
            AppendableTable table(file, "/timeseries", 4);
            table.add_double_column("time", "min");
            for (int i = 0; i < 10; ++i) table.append_row({0.5 * i});
            table.flush_rows();
            file.flush();
            write_array(file, "/snapshots/000001/agents/id", ids);  // never flushed
            for (int i = 10; i < 13; ++i) table.append_row({0.5 * i});
            ::_exit(1);  // a kill: no destructor runs, the file is never closed
        } catch (...) {
            ::_exit(3);
        }
    }
    int status = 0;
    ASSERT_EQ(::waitpid(pid, &status, 0), pid);
    ASSERT_TRUE(WIFEXITED(status));
    ASSERT_EQ(WEXITSTATUS(status), 1);
    EXPECT_FALSE(fs::exists(path));
    const auto in = InputFile::open(path + ".partial");
    EXPECT_EQ(read_attribute_int(in, "/", "seed"), 7);
    EXPECT_EQ(read_array<std::int64_t>(in, "/snapshots/000000/agents/id"),
              (std::vector<std::int64_t>{3, 1, 4, 1, 5}));
    const auto time = read_array<double>(in, "/timeseries/time");
    ASSERT_GE(time.size(), 10U);
    for (std::size_t i = 0; i < time.size(); ++i) EXPECT_EQ(time[i], 0.5 * i);
    if (test::have_h5dump()) {
        std::string out;
        EXPECT_EQ(test::run_command("h5dump -d /timeseries/time '" + path + ".partial'", out), 0)
            << out;
    }
}

/// Writes the same content as a run would: attributes, arrays, text and a table.
void write_sample(const std::string& path) {
    auto file = OutputFile::create(path);
    write_attribute(file, "/", "format_version", 1);
    write_text(file, "/config", "seed: 1\n");
    std::vector<double> field(5000);
    for (std::size_t i = 0; i < field.size(); ++i) field[i] = 0.001 * i;
    write_array(file, "/snapshots/000000/fields/ifng", field, {50, 100});
    write_attribute(file, "/snapshots/000000", "time", 0.0);
    AppendableTable table(file, "/timeseries", 8);
    table.add_double_column("time", "min");
    table.add_string_column("note");
    for (int i = 0; i < 20; ++i) table.append_row({1.0 * i, std::string("row")});
    table.flush_rows();
    file.commit();
}

TEST(OutputFile, EqualContentGivesByteIdenticalFiles) {
    const TempDir dir;
    write_sample(dir.file("a.h5"));
    // Object modification times have one-second resolution: wait past a tick.
    std::this_thread::sleep_for(std::chrono::milliseconds(1100));
    write_sample(dir.file("b.h5"));
    const std::string a = test::read_bytes(dir.file("a.h5"));
    const std::string b = test::read_bytes(dir.file("b.h5"));
    ASSERT_FALSE(a.empty());
    EXPECT_TRUE(a == b) << "files differ although their content is equal";
}

}  // namespace
}  // namespace hlhsim::io
