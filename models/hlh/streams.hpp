#pragma once
// Random-number streams of the HLH model, all in one place so none is reused.
#include "sim/core/streams.hpp"

namespace hlhsim::models::hlh::streams {
using hlhsim::streams::kFirstModelStream;
inline constexpr StreamId kMacrophage = kFirstModelStream + 1;
inline constexpr StreamId kCd8 = kFirstModelStream + 2;
inline constexpr StreamId kTrigger = kFirstModelStream + 3;
inline constexpr StreamId kBlood = kFirstModelStream + 4;
inline constexpr StreamId kInflux = kFirstModelStream + 5;  ///< entity = source index
inline constexpr StreamId kPlacement = kFirstModelStream + 6;
}  // namespace hlhsim::models::hlh::streams
