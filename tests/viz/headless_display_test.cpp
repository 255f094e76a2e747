#include "viz/headless_display.hpp"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "viz/movie.hpp"

namespace hlhsim::viz {
namespace {

TEST(HeadlessDisplay, StartsXvfbWhenDisplayIsUnsetAndStopsIt) {
    if (find_program("Xvfb").empty()) GTEST_SKIP() << "Xvfb not installed";
    const char* old = std::getenv("DISPLAY");
    const std::string saved = old ? old : "";
    unsetenv("DISPLAY");
    std::string display;
    {
        HeadlessDisplay d;
        ASSERT_TRUE(d.started());
        display = d.display();
        ASSERT_EQ(display.rfind(':', 0), 0u);
        EXPECT_EQ(std::string(std::getenv("DISPLAY")), display);
        // The server's socket exists while it runs.
        EXPECT_TRUE(std::filesystem::exists("/tmp/.X11-unix/X" + display.substr(1)));
    }
    EXPECT_EQ(std::getenv("DISPLAY"), nullptr);
    EXPECT_FALSE(std::filesystem::exists("/tmp/.X11-unix/X" + display.substr(1)));
    if (!saved.empty()) setenv("DISPLAY", saved.c_str(), 1);
}

TEST(HeadlessDisplay, KeepsAnExistingDisplay) {
    const char* old = std::getenv("DISPLAY");
    const std::string saved = old ? old : "";
    setenv("DISPLAY", ":4242", 1);
    {
        HeadlessDisplay d;
        EXPECT_FALSE(d.started());
        EXPECT_EQ(d.display(), ":4242");
    }
    EXPECT_EQ(std::string(std::getenv("DISPLAY")), ":4242");
    if (saved.empty())
        unsetenv("DISPLAY");
    else
        setenv("DISPLAY", saved.c_str(), 1);
}

}  // namespace
}  // namespace hlhsim::viz
