#include "sim/fields/voxel_accumulator.hpp"

#include <algorithm>
#include <limits>
#include <stdexcept>
#include <string>

#include "sim/core/parallel.hpp"

namespace hlhsim {
namespace {

constexpr std::size_t kMaxIndex = std::numeric_limits<std::uint32_t>::max();
// Below this many agents add_to() runs serially: a parallel loop costs more than the sums.
constexpr std::size_t kSerialAgents = 1 << 15;

}  // namespace

VoxelAccumulator::VoxelAccumulator(std::size_t num_voxels) : count_(num_voxels, 0) {
    if (num_voxels > kMaxIndex) {
        throw std::invalid_argument("VoxelAccumulator: more than 2^32 - 1 voxels");
    }
}

void VoxelAccumulator::bin(std::span<const std::uint32_t> voxel_of_agent) {
    // A serial counting sort: the scatter visits agents in ascending order, so each voxel's
    // agents come out ascending with no atomics and no per-voxel sort. Measured against the
    // earlier parallel version (atomic counts, atomic scatter, per-voxel sort): 4-5x faster
    // at 10^4 agents, 3-4x at 10^5-10^6 (BM_VoxelAccumulatorBin, 1 thread; with 2 cores the
    // parallel one could at best halve its time, still slower).
    const std::size_t n = voxel_of_agent.size(), nv = count_.size();
    if (n > kMaxIndex) throw std::invalid_argument("VoxelAccumulator: more than 2^32 - 1 agents");
    num_agents_ = 0;
    occupied_.clear();
    start_.clear();
    // At most one occupied voxel per agent: no regrowth in the loop below.
    occupied_.reserve(std::min(n, nv));
    start_.reserve(std::min(n, nv) + 1);
    std::ranges::fill(count_, 0u);
    for (std::size_t a = 0; a < n; ++a) {
        const std::uint32_t v = voxel_of_agent[a];
        if (v >= nv) {
            std::ranges::fill(count_, 0u);
            throw std::out_of_range("VoxelAccumulator::bin: voxel index out of range (" +
                                    std::to_string(nv) + " voxels)");
        }
        ++count_[v];
    }
    // Offsets of the occupied voxels; count_ becomes each voxel's fill cursor.
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
    order_.resize(n);
    for (std::size_t a = 0; a < n; ++a)
        order_[count_[voxel_of_agent[a]]++] = static_cast<std::uint32_t>(a);
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
    const auto add_voxels = [&](std::size_t begin, std::size_t end) {
        for (std::size_t o = begin; o != end; ++o) {
            double sum = target[occupied_[o]];
            for (std::uint32_t k = start_[o]; k != start_[o + 1]; ++k) {
                sum += amount_per_agent[order_[k]];
            }
            target[occupied_[o]] = sum;
        }
    };
    // Few agents: serially, without even entering the task scheduler (same sums).
    for_blocks(occupied_.size(), 1, num_agents_ < kSerialAgents, add_voxels);
}

}  // namespace hlhsim
