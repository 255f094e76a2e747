#pragma once
// The agent populations of the HLH patch and their typed columns.
#include <cstdint>

#include "sim/agents/population.hpp"

namespace hlhsim::models::hlh {

enum class MacState : std::uint8_t { kResting, kActivated, kHemophagocytic };
enum class Cd8State : std::uint8_t { kNaive, kActivated, kEffector, kExhausted };
enum class BloodKind : std::uint8_t { kRbc, kPlatelet, kNeutrophil, kLymphocyte };
inline constexpr int kBloodKinds = 4;

struct MacrophageColumns {
    Column<std::uint8_t> state;
    Column<double> stat1;         ///< JAK-STAT1 signalling level [0-1]
    Column<double> presentation;  ///< antigen presented [0-1]
    Column<double> vx, vy, vz;    ///< velocity [um/min]
    Column<std::int32_t> engulfed;
};

struct Cd8Columns {
    Column<std::uint8_t> state;
    Column<double> stimulation;    ///< recent antigen exposure [0-1]
    Column<std::int64_t> contact;  ///< id of the target in contact, -1 none
    Column<double> contact_time;   ///< [min]
    Column<double> state_time;     ///< time in the current state [min]
    Column<double> vx, vy, vz;
    Column<std::int32_t> kills;
};

struct TriggerColumns {
    Column<std::uint8_t> state;  ///< 0: antigen-bearing
    Column<double> vx, vy, vz;
};

struct BloodColumns {
    Column<std::uint8_t> kind;
    Column<double> vx, vy, vz;
};

}  // namespace hlhsim::models::hlh
