#pragma once
// Deterministic, race-free accumulation of many agents' contributions into voxels.
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace hlhsim {

/// Sums per-agent amounts (secretion, uptake) into per-voxel arrays without atomics on
/// doubles and without depending on the thread count. bin() groups the agents by voxel
/// once per step (a serial counting sort, agents ascending within each voxel); add_to() then
/// works per occupied voxel in parallel and adds its agents' amounts in ascending agent
/// order. The result is bitwise identical to the serial loop
/// `for (a = 0; a < n; ++a) target[voxel[a]] += amount[a]` for any number of threads.
class VoxelAccumulator {
  public:
    explicit VoxelAccumulator(std::size_t num_voxels);

    std::size_t num_voxels() const { return count_.size(); }
    /// Number of agents given to the last bin().
    std::size_t num_agents() const { return num_agents_; }
    /// Voxels holding at least one agent after the last bin(), ascending.
    std::span<const std::uint32_t> occupied_voxels() const { return occupied_; }

    /// Groups agents 0 .. n-1 by their voxel (voxel_of_agent[a] < num_voxels()). Call once
    /// per step; the grouping is shared by every field. Throws std::out_of_range for a bad
    /// voxel index (the accumulator is then empty). No allocation once the sizes are reached.
    void bin(std::span<const std::uint32_t> voxel_of_agent);
    /// target[v] += amount_per_agent[a] for every binned agent a in voxel v, in ascending a.
    /// Throws std::invalid_argument if target is not num_voxels() long or amount_per_agent
    /// not num_agents() long.
    void add_to(std::span<double> target, std::span<const double> amount_per_agent) const;

  private:
    std::size_t num_agents_ = 0;
    std::vector<std::uint32_t> count_;     // per voxel: agents counted, then a fill cursor
    std::vector<std::uint32_t> occupied_;  // voxels with agents, ascending
    std::vector<std::uint32_t> start_;  // occupied_[o]'s agents: order_[start_[o] .. start_[o+1])
    std::vector<std::uint32_t> order_;  // agent indices grouped by voxel
};

}  // namespace hlhsim
