#include "sim/fields/voxel_accumulator.hpp"

#include <gtest/gtest.h>
#include <tbb/task_arena.h>

#include <cstdint>
#include <cstring>
#include <random>
#include <stdexcept>
#include <vector>

namespace hlhsim {
namespace {

struct Agents {
    std::vector<std::uint32_t> voxel;
    std::vector<double> amount;
};

// Many agents, most of them crowded into a few voxels, amounts of very different
// magnitude (so that the summation order shows in the last bits).
Agents crowded_agents(std::size_t n, std::uint32_t num_voxels, std::uint64_t seed) {
    std::mt19937_64 gen(seed);
    std::uniform_int_distribution<std::uint32_t> any(0, num_voxels - 1);
    std::uniform_int_distribution<std::uint32_t> crowd(0, 2);
    std::uniform_real_distribution<double> u(0, 1);
    Agents a;
    for (std::size_t i = 0; i < n; ++i) {
        a.voxel.push_back(u(gen) < 0.7 ? crowd(gen) * 17 : any(gen));
        a.amount.push_back(u(gen) * (u(gen) < 0.5 ? 1e-6 : 1e3));
    }
    return a;
}

std::vector<double> serial_sum(const Agents& a, std::size_t num_voxels, double start) {
    std::vector<double> t(num_voxels, start);
    for (std::size_t i = 0; i < a.voxel.size(); ++i) t[a.voxel[i]] += a.amount[i];
    return t;
}

TEST(VoxelAccumulator, MatchesTheSerialLoopBitwise) {
    // 200,000 agents take the parallel path, 5,000 the serial one (and the same
    // accumulator goes from one to the other).
    const std::uint32_t nv = 1000;
    VoxelAccumulator acc(nv);
    for (const std::size_t n : {200000, 5000, 200000}) {
        const Agents a = crowded_agents(n, nv, n);
        acc.bin(a.voxel);
        EXPECT_EQ(acc.num_agents(), a.voxel.size());
        std::vector<double> target(nv, 0.25);
        acc.add_to(target, a.amount);
        const std::vector<double> ref = serial_sum(a, nv, 0.25);
        EXPECT_EQ(std::memcmp(target.data(), ref.data(), nv * sizeof(double)), 0) << n;
    }
}

TEST(VoxelAccumulator, BitwiseIdenticalForOneAndTwoThreads) {
    const std::uint32_t nv = 4096;
    const Agents a = crowded_agents(300000, nv, 2);
    std::vector<std::vector<double>> out;
    for (int threads : {1, 2}) {
        tbb::task_arena arena(threads);
        arena.execute([&] {
            VoxelAccumulator acc(nv);
            std::vector<double> target(nv, 0.0);
            for (int step = 0; step < 3; ++step) {  // rebinning reuses the buffers
                acc.bin(a.voxel);
                acc.add_to(target, a.amount);
            }
            out.push_back(target);
        });
    }
    EXPECT_EQ(std::memcmp(out[0].data(), out[1].data(), nv * sizeof(double)), 0);
    // Sanity: the three crowded voxels got most agents.
    EXPECT_GT(out[0][17], out[0][1]);
}

TEST(VoxelAccumulator, OccupiedVoxelsAndSeveralFields) {
    VoxelAccumulator acc(10);
    const std::vector<std::uint32_t> voxel{7, 2, 7, 7, 9};
    acc.bin(voxel);
    const std::vector<std::uint32_t> occupied(acc.occupied_voxels().begin(),
                                              acc.occupied_voxels().end());
    EXPECT_EQ(occupied, (std::vector<std::uint32_t>{2, 7, 9}));
    std::vector<double> a(10, 0.0), b(10, 1.0);
    const std::vector<double> amount_a{1, 2, 3, 4, 5};
    const std::vector<double> amount_b{-1, 0.5, 0, 0, 2};
    acc.add_to(a, amount_a);
    acc.add_to(b, amount_b);
    EXPECT_EQ(a, (std::vector<double>{0, 0, 2, 0, 0, 0, 0, 8, 0, 5}));
    EXPECT_EQ(b, (std::vector<double>{1, 1, 1.5, 1, 1, 1, 1, 0, 1, 3}));
    acc.bin({});
    EXPECT_EQ(acc.num_agents(), 0u);
    acc.add_to(a, {});
    EXPECT_EQ(a[7], 8.0);
}

TEST(VoxelAccumulator, RejectsBadInput) {
    VoxelAccumulator acc(4);
    const std::vector<std::uint32_t> bad{1, 4};
    EXPECT_THROW(acc.bin(bad), std::out_of_range);
    EXPECT_EQ(acc.num_agents(), 0u);
    const std::vector<std::uint32_t> ok{1, 3};
    acc.bin(ok);
    std::vector<double> target(4, 0.0), short_target(3, 0.0);
    const std::vector<double> amount{1, 2}, short_amount{1};
    EXPECT_THROW(acc.add_to(short_target, amount), std::invalid_argument);
    EXPECT_THROW(acc.add_to(target, short_amount), std::invalid_argument);
    acc.add_to(target, amount);
    EXPECT_EQ(target, (std::vector<double>{0, 1, 0, 2}));
}

}  // namespace
}  // namespace hlhsim
