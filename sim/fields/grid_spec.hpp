#pragma once
// The regular grid shared by all scalar fields of a run: size, spacing, boundaries.
#include <array>
#include <cstddef>

#include "sim/core/vec.hpp"

namespace hlhsim {

/// What happens at the two ends of one grid axis.
enum class FieldBoundary {
    kNoFlux,    ///< zero normal gradient: nothing enters or leaves through the face
    kPeriodic,  ///< the axis wraps around (needs at least 3 voxels)
};

/// A regular grid of n[0] x n[1] x n[2] cubic voxels of edge dx [um].
/// Voxel (i, j, k) has its centre at origin + (i + 0.5, j + 0.5, k + 0.5) dx (2-D: z = origin.z)
/// and the flat
/// index i + n[0] * (j + n[1] * k), so x varies fastest. A 2-D grid has n[2] == 1 and
/// ignores z; it is one voxel (dx) thick, so amounts per voxel are value * dx^3 either way.
struct GridSpec {
    int dims = 2;                             ///< 2 or 3
    std::array<int, 3> n{1, 1, 1};            ///< voxels along x, y, z
    double dx = 20;                           ///< voxel edge [um]
    Vec3 origin{};                            ///< lower corner of voxel (0, 0, 0) [um]
    std::array<FieldBoundary, 3> boundary{};  ///< per axis; unused axes are ignored

    std::size_t num_voxels() const {
        return static_cast<std::size_t>(n[0]) * static_cast<std::size_t>(n[1]) *
               static_cast<std::size_t>(n[2]);
    }
    std::size_t index(std::size_t i, std::size_t j, std::size_t k) const {
        return i + static_cast<std::size_t>(n[0]) * (j + static_cast<std::size_t>(n[1]) * k);
    }
    /// Centre of voxel (i, j, k) [um]. On a 2-D grid z is origin.z, the plane of the agents.
    Vec3 centre(std::size_t i, std::size_t j, std::size_t k) const {
        const double z = dims == 3 ? (static_cast<double>(k) + 0.5) * dx : 0.0;
        return origin +
               Vec3{(static_cast<double>(i) + 0.5) * dx, (static_cast<double>(j) + 0.5) * dx, z};
    }
};

}  // namespace hlhsim
