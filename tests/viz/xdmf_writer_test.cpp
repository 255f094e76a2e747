#include "viz/xdmf_writer.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <regex>

#include "sim/io/h5_read.hpp"
#include "sim/io/input_file.hpp"
#include "synthetic_run.hpp"

namespace hlhsim::viz {
namespace {

std::string slurp(const std::string& path) {
    std::ifstream in(path);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

/// Every "file.h5:/path" the sidecar names must exist with the dimensions it states.
void expect_items_exist(const std::string& xmf, const std::string& h5, std::size_t expected) {
    const std::string text = slurp(xmf);
    const auto file = io::InputFile::open(h5);
    static const std::regex item(
        R"re(<DataItem Dimensions="([0-9 ]+)" NumberType="(\w+)" Precision="(\d)" Format="HDF">([^:<]+):([^<]+)</DataItem>)re");
    std::size_t n = 0;
    for (auto it = std::sregex_iterator(text.begin(), text.end(), item);
         it != std::sregex_iterator(); ++it, ++n) {
        const auto& m = *it;
        EXPECT_EQ(m[4].str(), "run.h5");
        const std::string path = m[5].str();
        ASSERT_TRUE(io::is_dataset(file, path)) << path;
        std::string dims;
        for (auto d : io::shape(file, path)) dims += (dims.empty() ? "" : " ") + std::to_string(d);
        EXPECT_EQ(dims, m[1].str()) << path;
        if (path.ends_with("/x") || path.find("/fields/") != std::string::npos) {
            EXPECT_EQ(m[2].str(), "Float");
            EXPECT_EQ(m[3].str(), "8");
        }
        if (path.ends_with("/state")) {
            EXPECT_EQ(m[2].str() + m[3].str(), "UChar1");
        }
        if (path.ends_with("/id")) {
            EXPECT_EQ(m[2].str() + m[3].str(), "UInt8");
        }
    }
    EXPECT_EQ(n, expected);
}

TEST(Xdmf, NamesDatasetsThatExist2D) {
    test::TempDir dir;
    test::write_synthetic_run(dir.file("run.h5"), {.snapshots = 3});
    const std::string xmf = write_xdmf(dir.file("run.h5"));
    EXPECT_EQ(xmf, dir.file("run.xmf"));
    // Per snapshot: 2 fields + x, y + id, type, state.
    expect_items_exist(xmf, dir.file("run.h5"), 3u * 7u);
    const std::string text = slurp(xmf);
    EXPECT_NE(text.find("TopologyType=\"2DCoRectMesh\" Dimensions=\"21 26\""), std::string::npos);
    EXPECT_NE(text.find("GeometryType=\"X_Y\""), std::string::npos);
    EXPECT_NE(text.find("<Time Value=\"30\"/>"), std::string::npos);  // day 30 of 60
}

TEST(Xdmf, ThreeDimensional) {
    test::TempDir dir;
    test::write_synthetic_run(dir.file("run.h5"), {.dims = 3, .clinical = false, .snapshots = 2});
    expect_items_exist(write_xdmf(dir.file("run.h5")), dir.file("run.h5"), 2u * 8u);
    const std::string text = slurp(dir.file("run.xmf"));
    EXPECT_NE(text.find("3DCoRectMesh\" Dimensions=\"6 21 26\""), std::string::npos);
    EXPECT_NE(text.find("X_Y_Z"), std::string::npos);
}

TEST(Xdmf, SidecarPath) {
    EXPECT_EQ(xdmf_path_for("out/run.h5"), "out/run.xmf");
    EXPECT_EQ(xdmf_path_for("out/run.h5.partial"), "out/run.xmf");
}

}  // namespace
}  // namespace hlhsim::viz
