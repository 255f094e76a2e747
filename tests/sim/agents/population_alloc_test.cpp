// A steady population's commit allocates nothing once its buffers have grown: counted by
// replacing the global operator new in this test program only.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <new>

#include "sim/agents/population.hpp"

namespace {
std::atomic<std::size_t> g_allocations{0};
}  // namespace

void* operator new(std::size_t n) {
    g_allocations.fetch_add(1, std::memory_order_relaxed);
    if (void* p = std::malloc(n == 0 ? 1 : n)) return p;
    throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }

namespace hlhsim {
namespace {

// One round: every 10th row dies and every 10th (another) has a child, so the size stays.
std::size_t round_allocations(Population& p, Column<double> energy) {
    const std::size_t before = g_allocations.load();
    for (std::size_t i = 0; i < p.size(); i += 10) {
        p.mark_death(i);
        p.request_birth(i + 5, {1.0 * static_cast<double>(i), 2, 0});
    }
    for (const std::size_t child : p.commit()) p.col(energy)[child] = 0;
    return g_allocations.load() - before;
}

TEST(PopulationAllocation, ASteadyCommitAllocatesNothingOnceWarm) {
    IdSource ids;
    Population p("cells", 2, ids);
    const Column<double> energy = p.add_column<double>("energy", 1.0);
    for (int i = 0; i < 1000; ++i) p.add({1.0 * i, 0, 0});
    p.commit();
    for (int warm = 0; warm < 3; ++warm) round_allocations(p, energy);
    EXPECT_EQ(round_allocations(p, energy), 0u);
    EXPECT_EQ(round_allocations(p, energy), 0u);
    EXPECT_EQ(p.size(), 1000u);
}

}  // namespace
}  // namespace hlhsim
