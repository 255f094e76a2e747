#include "viz/report.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <regex>

#include "synthetic_run.hpp"
#include "viz/movie.hpp"

namespace hlhsim::viz {
namespace {

std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

TEST(Report, Base64AndEscaping) {
    const std::string s = "Man";
    const std::vector<std::uint8_t> a(s.begin(), s.end());
    EXPECT_EQ(base64_encode(a), "TWFu");
    EXPECT_EQ(base64_encode(std::vector<std::uint8_t>{'M', 'a'}), "TWE=");
    EXPECT_EQ(base64_encode(std::vector<std::uint8_t>{'M'}), "TQ==");
    EXPECT_EQ(base64_encode(std::vector<std::uint8_t>{}), "");
    EXPECT_EQ(html_escape("<a & \"b\">"), "&lt;a &amp; &quot;b&quot;&gt;");
}

/// Loads `html` in headless Chromium with a script appended that records, after the
/// load event, how many images there are and how many decoded (naturalWidth > 0).
std::string chromium_check(const test::TempDir& dir, const std::string& html) {
    std::string page = slurp(html);
    const std::string probe =
        "<script>window.addEventListener('load',function(){var im=document.images,ok=0;"
        "for(var i=0;i<im.length;i++){if(im[i].complete&&im[i].naturalWidth>0)ok++;}"
        "var p=document.createElement('pre');p.id='probe';p.textContent='IMAGES '+im.length+' "
        "DECODED '+ok;document.body.appendChild(p);});</script>";
    page.insert(page.rfind("</body>"), probe);
    const std::string probed = dir.file("probed.html");
    std::ofstream(probed, std::ios::binary) << page;
    std::string out;
    const std::string cmd =
        "timeout 60 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run "
        "--disable-background-networking --disable-component-update --disable-sync "
        "--virtual-time-budget=10000 --user-data-dir=" +
        dir.file("chrome-profile") + " --dump-dom file://" + probed;
    test::run_command(cmd, out);
    return out;
}

TEST(Report, SelfContainedHtmlOpensInChromiumWithEveryImageDecoded) {
    test::TempDir dir;
    test::write_synthetic_run(dir.file("run.h5"));
    ReportOptions opt;
    opt.frame_width = 480;
    opt.frame_height = 360;
    const auto bytes = write_report(dir.file("run.h5"), dir.file("report.html"), opt);
    EXPECT_LT(bytes, 20u * 1024u * 1024u);
    const std::string html = slurp(dir.file("report.html"));
    EXPECT_EQ(html.find("src=\"http"), std::string::npos);  // nothing external
    EXPECT_EQ(html.find("src=\"file"), std::string::npos);
    const std::regex img("<img src=\"data:image/png;base64,");
    const auto n_img =
        std::distance(std::sregex_iterator(html.begin(), html.end(), img), std::sregex_iterator());
    // dashboard + start, onset, diagnosis, treatment, remission, relapse, end of run
    EXPECT_EQ(n_img, 1 + 7);
    for (const char* s : {"onset", "diagnosis", "treatment", "remission", "relapse",
                          "HLH-2004 criteria by day", "dexamethasone", "&lt;test &amp; check&gt;"})
        EXPECT_NE(html.find(s), std::string::npos) << s;

    if (find_program("chromium").empty()) GTEST_SKIP() << "chromium not installed";
    const std::string dom = chromium_check(dir, dir.file("report.html"));
    EXPECT_NE(dom.find("IMAGES 8 DECODED 8"), std::string::npos) << dom.substr(0, 2000);
}

TEST(Report, CompareShowsTwoRunsSideBySide) {
    test::TempDir dir;
    test::write_synthetic_run(dir.file("a.h5"), {.snapshots = 2});
    test::write_synthetic_run(dir.file("b.h5"), {.clinical = false, .snapshots = 3});
    ReportOptions opt;
    opt.compare = dir.file("b.h5");
    opt.frame_width = 320;
    opt.frame_height = 240;
    opt.max_key_frames = 3;
    write_report(dir.file("a.h5"), dir.file("cmp.html"), opt);
    const std::string html = slurp(dir.file("cmp.html"));
    EXPECT_NE(html.find("--cols:2"), std::string::npos);
    EXPECT_NE(html.find("a.h5 vs b.h5"), std::string::npos);
    EXPECT_NE(html.find("This run has no HLH-2004 table"), std::string::npos);
    if (find_program("chromium").empty()) GTEST_SKIP() << "chromium not installed";
    const std::string dom = chromium_check(dir, dir.file("cmp.html"));
    // a: dashboard + 3 key frames (start, onset, diagnosis); b: dashboard + 3 evenly
    // spaced frames.
    EXPECT_NE(dom.find("IMAGES 8 DECODED 8"), std::string::npos) << dom.substr(0, 2000);
}

}  // namespace
}  // namespace hlhsim::viz
