#include "sim/fields/voxel_accumulator.hpp"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <atomic>
#include <limits>
#include <stdexcept>
#include <string>

namespace hlhsim {
namespace {

constexpr std::size_t kMaxIndex = std::numeric_limits<std::uint32_t>::max();

}  // namespace

VoxelAccumulator::VoxelAccumulator(std::size_t num_voxels) : count_(num_voxels, 0) {
    if (num_voxels > kMaxIndex) {
        throw std::invalid_argument("VoxelAccumulator: more than 2^32 - 1 voxels");
    }
}

void VoxelAccumulator::bin(std::span<const std::uint32_t> voxel_of_agent) {
    const std::size_t n = voxel_of_agent.size();
    if (n > kMaxIndex) throw std::invalid_argument("VoxelAccumulator: more than 2^32 - 1 agents");
    num_agents_ = 0;
    occupied_.clear();
    start_.clear();
    std::ranges::fill(count_, 0u);

    // 1. Count agents per voxel. Integer increments give the same counts in any order.
    const std::size_t nv = count_.size();
    std::atomic<bool> bad{false};
    tbb::parallel_for(
        tbb::blocked_range<std::size_t>(0, n), [&](const tbb::blocked_range<std::size_t>& range) {
            for (std::size_t a = range.begin(); a != range.end(); ++a) {
                const std::uint32_t v = voxel_of_agent[a];
                if (v >= nv) {
                    bad.store(true, std::memory_order_relaxed);
                    continue;
                }
                std::atomic_ref<std::uint32_t>(count_[v]).fetch_add(1, std::memory_order_relaxed);
            }
        });
    if (bad.load()) {
        std::ranges::fill(count_, 0u);
        throw std::out_of_range("VoxelAccumulator::bin: voxel index out of range (" +
                                std::to_string(nv) + " voxels)");
    }

    // 2. Offsets of the occupied voxels; count_ becomes each voxel's fill cursor.
    std::uint32_t offset = 0;
    for (std::size_t v = 0; v < nv; ++v) {
        const std::uint32_t c = count_[v];
        if (c == 0) continue;
        occupied_.push_back(static_cast<std::uint32_t>(v));
        start_.push_back(offset);
        count_[v] = offset;
        offset += c;
    }
    start_.push_back(offset);

    // 3. Scatter agents to their voxel's slots. The order within a voxel depends on
    //    timing here, so 4. sorts each voxel's agents back into ascending order.
    order_.resize(n);
    tbb::parallel_for(
        tbb::blocked_range<std::size_t>(0, n), [&](const tbb::blocked_range<std::size_t>& range) {
            for (std::size_t a = range.begin(); a != range.end(); ++a) {
                const std::uint32_t slot = std::atomic_ref<std::uint32_t>(count_[voxel_of_agent[a]])
                                               .fetch_add(1, std::memory_order_relaxed);
                order_[slot] = static_cast<std::uint32_t>(a);
            }
        });
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, occupied_.size()),
                      [&](const tbb::blocked_range<std::size_t>& range) {
                          for (std::size_t o = range.begin(); o != range.end(); ++o) {
                              std::sort(order_.begin() + start_[o], order_.begin() + start_[o + 1]);
                          }
                      });
    num_agents_ = n;
}

void VoxelAccumulator::add_to(std::span<double> target,
                              std::span<const double> amount_per_agent) const {
    if (target.size() != count_.size()) {
        throw std::invalid_argument("VoxelAccumulator::add_to: target has " +
                                    std::to_string(target.size()) + " voxels, expected " +
                                    std::to_string(count_.size()));
    }
    if (amount_per_agent.size() != num_agents_) {
        throw std::invalid_argument(
            "VoxelAccumulator::add_to: " + std::to_string(amount_per_agent.size()) +
            " amounts for " + std::to_string(num_agents_) + " agents");
    }
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, occupied_.size()),
                      [&](const tbb::blocked_range<std::size_t>& range) {
                          for (std::size_t o = range.begin(); o != range.end(); ++o) {
                              double sum = target[occupied_[o]];
                              for (std::uint32_t k = start_[o]; k != start_[o + 1]; ++k) {
                                  sum += amount_per_agent[order_[k]];
                              }
                              target[occupied_[o]] = sum;
                          }
                      });
}

}  // namespace hlhsim
