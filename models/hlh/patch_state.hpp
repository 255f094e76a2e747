#pragma once
// The HLH tissue patch: its agent populations with their typed columns, the
// neighbour grids rebuilt each step, the field indices, and the per-step scratch
// (proposed positions, kill and engulfment claims) shared by the cell rules.
#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

#include "sim/agents/population.hpp"
#include "sim/core/vec.hpp"
#include "sim/space/neighbor_grid.hpp"

namespace hlhsim {
class Simulation;
}

namespace hlhsim::models::hlh {

enum class MacState : std::uint8_t { kResting, kActivated, kHemophagocytic };
enum class Cd8State : std::uint8_t { kNaive, kActivated, kEffector, kExhausted };
enum class BloodKind : std::uint8_t { kRbc, kPlatelet, kNeutrophil, kLymphocyte };
inline constexpr int kBloodKinds = 4;

/// The fields of the loop, in the order of kFieldNames.
enum FieldId { kIfng, kIl6, kTnf, kIl10, kIl18, kIl2, kAntigen, kNumFields };
inline constexpr std::array<const char*, kNumFields> kFieldNames{"ifng", "il6", "tnf",    "il10",
                                                                 "il18", "il2", "antigen"};
/// The six cytokines also tracked in plasma (models/systemic Cytokine order).
inline constexpr int kNumCytokines = 6;

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

/// A claim of one agent on another (a kill, an engulfment), settled without regard
/// to thread timing: for each target the lowest (distance, claimant id) wins.
struct Claim {
    static constexpr std::uint32_t kNone = UINT32_MAX;
    std::uint32_t target = kNone;  ///< row of the claimed agent
    double distance2 = 0;
    std::uint64_t claimant_id = 0;
    std::uint32_t claimant = 0;  ///< row of the claimant
    bool operator<(const Claim& o) const {
        if (target != o.target) return target < o.target;
        if (distance2 != o.distance2) return distance2 < o.distance2;
        return claimant_id < o.claimant_id;
    }
};

/// A population's neighbour grid, built on the first query of a step (grid_on_demand() in
/// rule_support.hpp); `built` says whether it holds the positions of this step.
struct LazyGrid {
    std::unique_ptr<NeighborGrid> grid;
    std::atomic<bool> built{false};
    std::mutex mutex;
};

/// The nearest trigger cell within contact_radius of each T cell, found from the trigger
/// side (nearest_triggers() in cd8_rules.cpp): target row or Claim::kNone, squared
/// distance (1e300 for none), and whether another trigger cell is as near.
struct NearestTriggers {
    std::vector<std::uint32_t> target;
    std::vector<double> d2;
    std::vector<std::uint8_t> tie;
};

/// Buffers the rules refill every step, kept here so that once they have grown to the
/// populations' sizes a step allocates nothing.
struct StepScratch {
    std::vector<std::uint32_t> presenting;      ///< rows of presenting macrophages
    std::vector<std::uint8_t> near_presenting;  ///< per T cell: near one of them
    NearestTriggers nearest;                    ///< per T cell
    std::vector<double> il18_boost;             ///< per voxel (secretion)
    std::vector<std::uint8_t> il18_known;       ///< per voxel: il18_boost computed
    std::vector<Claim> claims;                  ///< resolve_claims()
};

/// What happened in the patch since the systemic compartment last looked.
struct PatchEvents {
    std::array<double, kNumCytokines> secreted_pg{};  ///< by FieldId (cytokines only)
    std::array<double, kBloodKinds> engulfed{};       ///< engulfment events by BloodKind
    double kills = 0;                                 ///< trigger cells killed
};

struct Patch {
    Simulation* sim = nullptr;
    std::array<std::size_t, kNumFields> field{};
    Population *mac = nullptr, *cd8 = nullptr, *trig = nullptr, *blood = nullptr;
    MacrophageColumns mc{};
    Cd8Columns tc{};
    TriggerColumns gc{};
    BloodColumns bc{};
    /// Only a dividing T cell, a presenting macrophage or a trigger cell queries cd8_grid,
    /// only an engulfing macrophage blood_grid, and mac_grid and trig_grid only a T cell
    /// outside the domain or equally near two trigger cells: they are built on their first
    /// query of a step, which many steps never make.
    LazyGrid mac_grid, cd8_grid, trig_grid, blood_grid;
    /// Proposed positions of this step, by population (mac, cd8, trig, blood).
    std::array<std::vector<Vec3>, 4> next_pos;
    std::vector<Claim> kill_claims, engulf_claims;
    /// Blood supply per lineage relative to normal counts, from the systemic model.
    std::array<double, kBloodKinds> blood_supply{1, 1, 1, 1};
    /// Hidden antigen-bearing cells (trigger.reservoir); meaningful only when that is > 0.
    double reservoir = 0;
    std::vector<std::uint8_t> hiding;  ///< trigger rows going back into the reservoir this step
    StepScratch scratch;
    PatchEvents tally;   ///< since the last systemic step
    PatchEvents totals;  ///< since the start
};

}  // namespace hlhsim::models::hlh
