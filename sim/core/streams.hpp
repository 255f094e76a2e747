#pragma once
// Stream ids reserved by the engine. Models define theirs from kFirstModelStream on,
// in one header per model (for HLH: models/streams.hpp).
#include "sim/core/rng.hpp"

namespace hlhsim::streams {
inline constexpr StreamId kPlacement = 1;     ///< initial agent positions
inline constexpr StreamId kMotility = 2;      ///< random-walk directions
inline constexpr StreamId kPerturbation = 3;  ///< which agents a depletion removes
inline constexpr StreamId kFirstModelStream = 256;
}  // namespace hlhsim::streams
