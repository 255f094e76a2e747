#include "sim/core/huge_page_allocator.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <fstream>
#include <iterator>
#include <numeric>
#include <sstream>
#include <string>
#include <vector>

namespace hlhsim {
namespace {

using HugeVector = std::vector<double, HugePageAllocator<double>>;

// The THP mode the kernel is in ("always", "madvise" or "never"), or "" if unknown.
std::string thp_mode() {
    std::ifstream in("/sys/kernel/mm/transparent_hugepage/enabled");
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const auto open = text.find('['), close = text.find(']');
    if (open == std::string::npos || close == std::string::npos) return "";
    return text.substr(open + 1, close - open - 1);
}

// The THPeligible flag /proc/self/smaps gives the mapping that holds `address`, or -1.
int thp_eligible(const void* address) {
    const auto at = reinterpret_cast<std::uintptr_t>(address);
    std::ifstream smaps("/proc/self/smaps");
    std::string line;
    bool inside = false;
    while (std::getline(smaps, line)) {
        std::uintptr_t lo = 0, hi = 0;
        char dash = 0;
        std::istringstream head(line);
        if (head >> std::hex >> lo >> dash >> hi && dash == '-') {
            inside = lo <= at && at < hi;
        } else if (inside && line.rfind("THPeligible:", 0) == 0) {
            return std::stoi(line.substr(12));
        }
    }
    return -1;
}

TEST(HugePageAllocator, LargeArraysAre2MiBAlignedAndSmallOnesOrdinary) {
    constexpr std::size_t kLarge = HugePageAllocator<double>::kMinBytes / sizeof(double) + 3;
    HugeVector large(kLarge, 1.5);
    EXPECT_EQ(reinterpret_cast<std::uintptr_t>(large.data()) % (std::size_t{2} << 20), 0u);
    EXPECT_EQ(std::accumulate(large.begin(), large.end(), 0.0), 1.5 * kLarge);
    HugeVector small(100, 2.0);
    EXPECT_EQ(small[99], 2.0);
    // Copies, growth and release go through the matching path (ASan/valgrind would see a
    // mismatched free).
    HugeVector copy = large;
    copy.resize(kLarge * 2, 0.5);
    small = copy;
    EXPECT_EQ(small.back(), 0.5);
    small.assign(10, 3.0);
    small.shrink_to_fit();
    EXPECT_EQ(small.size(), 10u);
}

TEST(HugePageAllocator, LargeArraysAreMarkedForHugePagesWhereTheKernelAsks) {
    const std::string mode = thp_mode();
    if (mode != "madvise" && mode != "always") GTEST_SKIP() << "THP mode '" << mode << "'";
    HugeVector large(HugePageAllocator<double>::kMinBytes / sizeof(double), 1.0);
    const int eligible = thp_eligible(large.data());
    if (eligible < 0) GTEST_SKIP() << "no THPeligible line in /proc/self/smaps";
    EXPECT_EQ(eligible, 1);
}

}  // namespace
}  // namespace hlhsim
