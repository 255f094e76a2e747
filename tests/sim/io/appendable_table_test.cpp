#include "sim/io/appendable_table.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "sim/core/errors.hpp"
#include "sim/io/h5_read.hpp"
#include "sim/io/h5_write.hpp"
#include "tests/sim/io/io_test_util.hpp"

namespace hlhsim::io {
namespace {

using test::TempDir;
using Cell = AppendableTable::Cell;

/// Expected content of row i: time, count, label.
double time_of(std::size_t i) { return 0.1 * static_cast<double>(i) + 1e-9; }
std::int64_t count_of(std::size_t i) { return static_cast<std::int64_t>(i * i) - 50; }
std::string label_of(std::size_t i) { return i % 3 == 0 ? "" : "event " + std::to_string(i); }

AppendableTable make_table(OutputFile& file, std::size_t chunk_rows) {
    AppendableTable table(file, "/timeseries", chunk_rows);
    table.add_double_column("time", "min");
    table.add_int_column("count");
    table.add_string_column("label");
    return table;
}

void append(AppendableTable& table, std::size_t begin, std::size_t end) {
    for (std::size_t i = begin; i < end; ++i)
        table.append_row({time_of(i), count_of(i), label_of(i)});
}

void expect_rows(const InputFile& in, std::size_t n) {
    const auto t = read_array<double>(in, "/timeseries/time");
    const auto c = read_array<std::int64_t>(in, "/timeseries/count");
    const auto l = read_strings(in, "/timeseries/label");
    ASSERT_EQ(t.size(), n);
    ASSERT_EQ(c.size(), n);
    ASSERT_EQ(l.size(), n);
    for (std::size_t i = 0; i < n; ++i) {
        EXPECT_EQ(t[i], time_of(i)) << i;
        EXPECT_EQ(c[i], count_of(i)) << i;
        EXPECT_EQ(l[i], label_of(i)) << i;
    }
}

TEST(AppendableTable, BatchesWithFlushesReadBackExactly) {
    const TempDir dir;
    const std::string path = dir.file("t.h5");
    {
        auto file = OutputFile::create(path);
        auto table = make_table(file, 16);
        append(table, 0, 5);
        table.flush_rows();
        file.flush();
        append(table, 5, 40);  // crosses two auto-flushes at 16 buffered rows
        EXPECT_EQ(table.rows(), 40U);
        EXPECT_EQ(table.buffered_rows(), 40U - 5U - 32U);
        table.flush_rows();
        table.flush_rows();  // nothing buffered: no-op
        append(table, 40, 41);
        table.flush_rows();
        EXPECT_EQ(table.rows(), 41U);
        EXPECT_EQ(table.buffered_rows(), 0U);
        file.commit();
    }
    const auto in = InputFile::open(path);
    expect_rows(in, 41);
    EXPECT_EQ(read_attribute_string(in, "/timeseries/time", "unit"), "min");
    EXPECT_FALSE(has_attribute(in, "/timeseries/count", "unit"));
    EXPECT_EQ(read_attribute_strings(in, "/timeseries", "columns"),
              (std::vector<std::string>{"time", "count", "label"}));
}

TEST(AppendableTable, EmptyTableHasEmptyColumns) {
    const TempDir dir;
    {
        auto file = OutputFile::create(dir.file("t.h5"));
        auto table = make_table(file, 8);
        file.commit();
    }
    const auto in = InputFile::open(dir.file("t.h5"));
    EXPECT_EQ(list_group(in, "/timeseries"), (std::vector<std::string>{"count", "label", "time"}));
    expect_rows(in, 0);
}

TEST(AppendableTable, DestructorWritesBufferedRowsAndMoveKeepsThem) {
    const TempDir dir;
    {
        auto file = OutputFile::create(dir.file("t.h5"));
        {
            auto table = make_table(file, 100);
            append(table, 0, 3);
            AppendableTable moved(std::move(table));
            append(moved, 3, 7);
            EXPECT_EQ(moved.rows(), 7U);
        }
        file.commit();
    }
    expect_rows(InputFile::open(dir.file("t.h5")), 7);
}

TEST(AppendableTable, BadRowsThrowAndBufferNothing) {
    const TempDir dir;
    auto file = OutputFile::create(dir.file("t.h5"));
    auto table = make_table(file, 8);
    const auto message = [&](const std::vector<Cell>& row) {
        try {
            table.append_row(row);
        } catch (const IoError& e) {
            return std::string(e.what());
        }
        return std::string();
    };
    EXPECT_NE(message({1.0, std::int64_t{2}}).find("2 cells"), std::string::npos);
    const std::string wrong_type = message({1.0, 2.0, std::string("x")});
    EXPECT_NE(wrong_type.find("/timeseries/count"), std::string::npos) << wrong_type;
    EXPECT_NE(wrong_type.find("int64"), std::string::npos) << wrong_type;
    EXPECT_EQ(table.rows(), 0U);
    append(table, 0, 1);
    EXPECT_THROW(table.add_double_column("late"), IoError);
    EXPECT_THROW(AppendableTable(file, "/t2").append_row({1.0}), IoError);  // no columns
    AppendableTable other(file, "/t3");
    other.add_double_column("a");
    EXPECT_THROW(other.add_int_column("a"), IoError);
    EXPECT_THROW(other.add_int_column("a/b"), IoError);
    EXPECT_THROW(AppendableTable(file, "/", 8), IoError);
    EXPECT_THROW(AppendableTable(file, "/t4", 0), IoError);
}

TEST(AppendableTable, FlushAfterCommitThrows) {
    const TempDir dir;
    auto file = OutputFile::create(dir.file("t.h5"));
    auto table = make_table(file, 8);
    append(table, 0, 2);
    file.commit();
    EXPECT_THROW(table.flush_rows(), IoError);
}

TEST(AppendableTable, H5pyReadsColumns) {
    if (!test::have_h5py()) GTEST_SKIP() << "no /usr/bin/python3 with h5py";
    const TempDir dir;
    const std::string path = dir.file("t.h5");
    {
        auto file = OutputFile::create(path);
        auto table = make_table(file, 4);
        append(table, 0, 10);
        table.flush_rows();
        file.commit();
    }
    const std::string script = R"(
import sys, h5py, numpy as np
g = h5py.File(sys.argv[1], 'r')['timeseries']
assert g['time'].shape == (10,) and g['time'].maxshape == (None,)
assert g['time'].attrs['unit'] == 'min'
assert list(g.attrs['columns']) == ['time', 'count', 'label']
assert list(g['count'][...]) == [i * i - 50 for i in range(10)]
assert g['label'].asstr()[4] == 'event 4'
print('ok')
)";
    std::string out;
    EXPECT_EQ(test::run_python(dir, script, path, out), 0) << out;
}

}  // namespace
}  // namespace hlhsim::io
