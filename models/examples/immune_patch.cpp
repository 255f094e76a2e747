#include "models/examples/immune_patch.hpp"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cmath>
#include <numbers>
#include <span>
#include <vector>

#include "sim/agents/motility.hpp"
#include "sim/config/section.hpp"
#include "sim/core/parallel.hpp"
#include "sim/core/rng.hpp"
#include "sim/core/streams.hpp"
#include "sim/fields/voxel_accumulator.hpp"
#include "sim/schedule/simulation.hpp"
#include "sim/space/neighbor_grid.hpp"

namespace hlhsim::models {
namespace {

// Random streams of this model (motility uses the engine's kMotility).
constexpr StreamId kInfection = streams::kFirstModelStream + 0;
constexpr std::uint8_t kScanning = 0, kEngaged = 1;  // macrophage states
constexpr std::uint8_t kHealthy = 0, kInfected = 1;  // epithelial states
// Macrophages per parallel task: a few hundred neighbour queries amortise the scheduling.
constexpr std::size_t kAgentGrain = 512;
// Macrophages per task of sensing (mostly a test of the turn time): below this, serial.
constexpr std::size_t kSenseGrain = std::size_t{1} << 14;
// Static cells per task in the one-off set-up of their field rates.
constexpr std::size_t kSetupGrain = std::size_t{1} << 14;
// Re-sort macrophages by grid cell every this many mechanics steps (memory locality).
constexpr std::uint64_t kSortEvery = 50;
// Largest contact-list margin [um]. The grids' cells are reach + this wide whatever the
// margin, so the row order (sorted by cell) and hence the results do not depend on it.
constexpr double kMaxSkin = 5;

/// Per-row lists of neighbour indices, stored by fixed blocks of rows so that one pass
/// fills them in parallel (each block owns a vector, reused from build to build).
struct NeighbourLists {
    // Blocks are the tasks of a build: 128 rows make 26 at W1's N = 10^4 (3,333
    // macrophages), which two threads share evenly; the 7 blocks of 512 rows split 4:3.
    // (W1 N = 10^4 on 2 threads, 30 interleaved pairs: mechanics speed-up 1.74 -> 1.82.)
    static constexpr std::size_t kBlock = 128;
    std::vector<std::vector<std::uint32_t>> block;
    std::vector<std::uint32_t> end;  // row i: block[i / kBlock][begin .. end[i])
    std::span<const std::uint32_t> of(std::size_t i) const {
        const std::uint32_t* data = block[i / kBlock].data();
        return {data + (i % kBlock == 0 ? 0 : end[i - 1]), data + end[i]};
    }
};

/// Lists, for each point (x[i], y[i]), the points of `grid` within `radius` (not i itself
/// when `self` is set: the grid indexes the same points), in ascending index order, so the
/// lists do not depend on when they were built, nor (fixed blocks) on the threads.
void build_lists(const NeighborGrid& grid, std::span<const double> x, std::span<const double> y,
                 double radius, bool self, NeighbourLists& out) {
    const std::size_t n = x.size(),
                      blocks = (n + NeighbourLists::kBlock - 1) / NeighbourLists::kBlock;
    out.block.resize(std::max(out.block.size(), blocks));
    out.end.resize(n);
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, blocks, 1), [&](const auto& r) {
        for (std::size_t b = r.begin(); b != r.end(); ++b) {
            std::vector<std::uint32_t>& list = out.block[b];
            list.clear();
            const std::size_t last = std::min(n, (b + 1) * NeighbourLists::kBlock);
            for (std::size_t i = b * NeighbourLists::kBlock; i < last; ++i) {
                const std::size_t first = list.size();
                grid.for_each_within({x[i], y[i], 0}, radius,
                                     [&](std::size_t j, const Vec3&, double) {
                                         if (!self || j != i)
                                             list.push_back(static_cast<std::uint32_t>(j));
                                     });
                std::sort(list.begin() + static_cast<std::ptrdiff_t>(first), list.end());
                out.end[i] = static_cast<std::uint32_t>(list.size());
            }
        }
    });
}

struct Params {
    std::int64_t cells = 0;
    double macrophage_fraction = 0;
    double infected_fraction = 0;
    double radius = 0;           ///< [um], from the cell volume
    double repulsion = 0;        ///< cell-cell repulsion strength [um/min]
    double adhesion = 0;         ///< cell-cell adhesion strength [um/min]
    double adhesion_reach = 0;   ///< max adhesion distance / radius (PhysiCell: 1.25)
    double mechanics_step = 0;   ///< [min]
    double phenotype_step = 0;   ///< [min]
    double skin = 0;             ///< neighbour-list margin [um]; 0 = rebuild every step
    MotilityParams motility;     ///< macrophages
    double virus_uptake = 0;     ///< per epithelial cell [1/min] (scaled by volume fraction)
    double interferon_rate = 0;  ///< per infected cell, concentration rate in its voxel
    double virus_rate = 0;       ///< per infected cell, concentration rate in its voxel
};

Params read_params(config::Section& root, const std::string& virus_unit,
                   const std::string& ifn_unit) {
    Params p;
    config::Section s = root.section("immune_patch", {.required = true, .doc = "workload W1"});
    p.cells = s.integer("cells", {.def = 1000, .min = 0, .max = 2'000'000'000, .doc = "N"});
    p.macrophage_fraction = s.number(
        "macrophage_fraction", {.def = 1.0 / 3, .min = 0, .max = 1, .doc = "motile share of N"});
    p.infected_fraction = s.number(
        "infected_fraction",
        {.def = 0.1, .min = 0, .max = 1, .doc = "share of epithelial cells infected at t = 0"});
    const double volume = s.quantity(
        "cell_volume", "um^3", {.def = "2494 um^3", .min = 1e-3, .doc = "volume of every cell"});
    p.radius = std::cbrt(3 * volume / (4 * std::numbers::pi));
    p.repulsion = s.quantity("repulsion", "um/min",
                             {.def = "10 um/min", .min = 0, .doc = "cell-cell repulsion strength"});
    p.adhesion = s.quantity("adhesion", "um/min",
                            {.def = "0.4 um/min", .min = 0, .doc = "cell-cell adhesion strength"});
    p.adhesion_reach =
        s.number("adhesion_reach",
                 {.def = 1.25, .min = 1, .max = 4, .doc = "max adhesion distance, in cell radii"});
    p.mechanics_step = s.quantity("mechanics_step", "min",
                                  {.def = "0.1 min", .min = 1e-6, .doc = "motion and contacts"});
    p.phenotype_step = s.quantity("phenotype_step", "min",
                                  {.def = "6 min", .min = 1e-6, .doc = "contact scanning"});
    p.skin = s.quantity("neighbour_skin", "um",
                        {.def = "3 um",
                         .min = 0,
                         .max = kMaxSkin,
                         .doc = "margin of the contact lists (a numerical knob: results do not "
                                "depend on it); lists are rebuilt once a macrophage has moved "
                                "half of it"});
    config::Section m = s.section("macrophage", {.doc = "macrophage motility"});
    p.motility.speed =
        m.quantity("speed", "um/min", {.def = "0.5 um/min", .min = 0, .doc = "migration speed"});
    p.motility.persistence = m.quantity(
        "persistence", "min", {.def = "15 min", .min = 1e-6, .doc = "mean time between turns"});
    p.motility.chemotaxis = m.number(
        "chemotaxis", {.def = 0.4, .min = 0, .max = 1, .doc = "bias up the interferon gradient"});
    p.virus_uptake = s.quantity("virus_uptake", "1/min",
                                {.def = "10 1/min",
                                 .min = 0,
                                 .doc = "uptake by an epithelial cell (times V_cell/V_voxel)"});
    // Secretion: amount per cell per minute, turned into a concentration rate per voxel later.
    p.interferon_rate =
        s.quantity("interferon_secretion", ifn_unit + "*um^3/min",
                   {.def = "1000 " + ifn_unit + "*um^3/min", .min = 0, .doc = "per infected cell"});
    p.virus_rate =
        s.quantity("virus_secretion", virus_unit + "*um^3/min",
                   {.def = "0 " + virus_unit + "*um^3/min", .min = 0, .doc = "per infected cell"});
    return p;
}

class ImmunePatch final : public Model {
  public:
    void build(Simulation& sim, config::Section& root) override {
        sim_ = &sim;
        config::Section fs = root.section("fields", {});
        virus_ = sim.require_field("virus", fs, "substances").value_or(0);
        ifn_ = sim.require_field("interferon", fs, "substances").value_or(0);
        if (root.context().has_errors()) {
            root.context().note_stopped_early();  // what follows reads no keys now
            return;
        }
        if (sim.domain().dims() != 2) root.section("domain", {}).error("dims", "W1 is 2-D");
        p_ = read_params(root, sim.fields().spec(virus_).unit, sim.fields().spec(ifn_).unit);
        if (root.context().has_errors()) {
            root.context().note_stopped_early();  // what follows reads no keys now
            return;
        }

        mac_ = &sim.add_population("macrophages");
        mac_state_ = mac_->add_column<std::uint8_t>("state", kScanning);
        contacts_ = mac_->add_column<std::int32_t>("contacts");
        mx_ = mac_->add_column<double>("mx");  // motility velocity [um/min]
        my_ = mac_->add_column<double>("my");
        vx_ = mac_->add_column<double>("vx");  // last total velocity [um/min] (Adams-Bashforth)
        vy_ = mac_->add_column<double>("vy");
        turn_at_ = mac_->add_column<double>("turn_at");  // next change of direction [min]
        gx_ = mac_->add_column<double>("gx");  // interferon gradient sensed for the last turn
        gy_ = mac_->add_column<double>("gy");  // [interferon unit / um]
        sim.set_state_column(*mac_, mac_state_, {"scanning", "engaged"});
        epi_ = &sim.add_population("epithelium");
        epi_state_ = epi_->add_column<std::uint8_t>("state", kHealthy);
        sim.set_state_column(*epi_, epi_state_, {"healthy", "infected"});
        place(sim);

        reach_ = 2 * p_.adhesion_reach * p_.radius;
        for (int a = 0; a < 2; ++a) {
            periodic_[a] = sim.domain().periodic(a);
            extent_[a] = sim.domain().extent()[a];
            half_extent_[a] = 0.5 * extent_[a];
        }
        mac_grid_ = std::make_unique<NeighborGrid>(sim.domain(), reach_ + kMaxSkin);
        epi_grid_ = std::make_unique<NeighborGrid>(sim.domain(), reach_ + kMaxSkin);
        // Sensing reads the fields; mechanics and phenotype touch none, so they may run
        // beside the next field steps.
        sim.schedule().add_phase("sense", p_.mechanics_step, [this](const Tick& t) { sense(t); });
        sim.schedule().add_phase("mechanics", p_.mechanics_step,
                                 [this](const Tick& t) { mechanics(t); },
                                 {.independent_of = "fields"});
        sim.schedule().add_phase("phenotype", p_.phenotype_step,
                                 [this](const Tick&) { phenotype(); },
                                 {.independent_of = "fields"});
        sim.add_field_setup([this](FieldSet&, const Tick&) { ensure_static(); });
        sim.add_readout("macrophages", "cells", [this] { return double(mac_->size()); });
        sim.add_readout("epithelium", "cells", [this] { return double(epi_->size()); });
        sim.add_readout("engaged_fraction", "1", [this] { return engaged_fraction(); });
        sim.add_readout("virus_total", sim.fields().spec(virus_).unit + "*um^3",
                        [this] { return sim_->fields().total(virus_); });
        sim.add_readout("interferon_total", sim.fields().spec(ifn_).unit + "*um^3",
                        [this] { return sim_->fields().total(ifn_); });
    }

  private:
    // Epithelial cells on a regular lattice (no overlap at W1 densities), macrophages
    // uniformly at random; infection drawn per epithelial cell.
    void place(Simulation& sim) {
        const Domain& d = sim.domain();
        const auto n_mac = static_cast<std::int64_t>(
            std::llround(p_.macrophage_fraction * static_cast<double>(p_.cells)));
        const std::int64_t n_epi = p_.cells - n_mac;
        for (std::int64_t i = 0; i < n_mac; ++i) {
            AgentRng rng(sim.seed(), streams::kPlacement, 0, static_cast<std::uint64_t>(i));
            mac_->add({rng.uniform(d.lo().x, d.hi().x), rng.uniform(d.lo().y, d.hi().y), 0});
        }
        if (n_epi == 0) return;
        const Vec3 ext = d.extent();
        const auto cols = static_cast<std::int64_t>(
            std::ceil(std::sqrt(static_cast<double>(n_epi) * ext.x / ext.y)));
        const std::int64_t rows = (n_epi + cols - 1) / cols;
        const double sx = ext.x / static_cast<double>(cols), sy = ext.y / static_cast<double>(rows);
        const double p_inf = p_.infected_fraction;
        for (std::int64_t i = 0; i < n_epi; ++i) {
            const auto c = static_cast<double>(i % cols), r = static_cast<double>(i / cols);
            const std::size_t row = epi_->add(d.lo() + Vec3{(c + 0.5) * sx, (r + 0.5) * sy, 0});
            AgentRng rng(sim.seed(), kInfection, 0, epi_->ids()[row]);
            if (rng.bernoulli(p_inf)) epi_->col(epi_state_)[row] = kInfected;
        }
    }

    double engaged_fraction() const {
        const auto s = std::as_const(*mac_).col(mac_state_);
        if (s.empty()) return 0;
        return static_cast<double>(std::count(s.begin(), s.end(), kEngaged)) /
               static_cast<double>(s.size());
    }

    // Epithelial cells never move, so their index and their per-voxel rates are built
    // once, on first use (after any repositioning a test may do between build and run),
    // as steady rates of the fields: nothing to clear and refill before each field step.
    void ensure_static() {
        if (static_ready_) return;
        // Rows in grid-cell order, so that a query reads neighbouring rows.
        epi_grid_->build(epi_->x(), epi_->y(), epi_->z());
        epi_->sort_by_cell(*epi_grid_);
        epi_grid_->build(epi_->x(), epi_->y(), epi_->z());
        FieldSet& f = sim_->fields();
        const std::size_t n = epi_->size();
        // The per-cell loops in parallel: at W1's N = 10^6 (667,000 static cells) this set-up
        // is a tenth of a 1-minute run's loop on 2 threads.
        const auto each_cell = [n](const auto& body) {
            for_each_index(n, kSetupGrain, n <= kSetupGrain, body);
        };
        std::vector<std::uint32_t> voxel(n);
        each_cell([&](std::size_t i) {
            voxel[i] = static_cast<std::uint32_t>(f.voxel_of(epi_->position(i)));
        });
        VoxelAccumulator acc(f.num_voxels());
        acc.bin(voxel);
        const double vfrac = (4 * std::numbers::pi / 3 * std::pow(p_.radius, 3)) / f.voxel_volume();
        const auto state = std::as_const(*epi_).col(epi_state_);
        std::vector<double> amount(n), rate(f.num_voxels());
        // Per-voxel rates [per min] of one field: the cells' amounts summed by voxel.
        const auto rates = [&](auto per_cell) -> std::span<const double> {
            each_cell([&](std::size_t i) { amount[i] = per_cell(state[i]); });
            std::ranges::fill(rate, 0.0);
            acc.add_to(rate, amount);
            return rate;
        };
        f.set_steady_uptake(virus_, rates([&](std::uint8_t) { return p_.virus_uptake * vfrac; }));
        f.set_steady_source(ifn_, rates([&](std::uint8_t s) {
                                return s == kInfected ? p_.interferon_rate / f.voxel_volume() : 0.0;
                            }));
        if (p_.virus_rate > 0) {
            f.set_steady_source(virus_, rates([&](std::uint8_t s) {
                                    return s == kInfected ? p_.virus_rate / f.voxel_volume() : 0.0;
                                }));
        }
        static_ready_ = true;
    }

    /// Velocity [um/min] of a cell at p from the contact potentials of the cells at
    /// (nx, ny)[j] for j in `list`: PhysiCell's repulsion (1 - d/R)^2 c_r for d < R = 2 r
    /// and adhesion (1 - d/R_a)^2 c_a for d < R_a = 2 reach r, along the line of centres.
    /// The lists hold every cell within R_a + skin, in ascending order.
    void add_contacts(std::span<const std::uint32_t> list, std::span<const double> nx,
                      std::span<const double> ny, const Vec3& p, Vec3& v) const {
        const double r_rep = 2 * p_.radius, inv_rep = 1 / r_rep, inv_adh = 1 / reach_;
        const double reach2 = reach_ * reach_;
        double vx = v.x, vy = v.y;
        for (const std::uint32_t j : list) {
            // From p to the neighbour: Domain::displacement in 2-D, written out in scalars.
            double dx = nx[j] - p.x, dy = ny[j] - p.y;
            if (periodic_[0] && std::abs(dx) > half_extent_[0])
                dx -= extent_[0] * std::round(dx / extent_[0]);
            if (periodic_[1] && std::abs(dy) > half_extent_[1])
                dy -= extent_[1] * std::round(dy / extent_[1]);
            const double d2 = dx * dx + dy * dy;
            // Written without branches on the distance: they would mispredict often.
            const double dist = std::sqrt(d2);
            const double rep = std::max(0.0, 1 - dist * inv_rep);
            const double adh = std::max(0.0, 1 - dist * inv_adh);
            const double push = p_.repulsion * rep * rep - p_.adhesion * adh * adh;
            // Beyond reach (list margin) and coincident cells add nothing.
            const bool acts = (d2 <= reach2) & (d2 > 0);
            const double scale = acts ? push / dist : 0.0;
            vx -= scale * dx;
            vy -= scale * dy;
        }
        v.x = vx;
        v.y = vy;
    }

    // Contact lists and, every kSortEvery mechanics steps, the row order of macrophages.
    // Lists are rebuilt at those steps and whenever a macrophage has moved more than half
    // the skin since the last build, so every pair within reach is listed; as lists are
    // sorted and the rebuild steps do not depend on threads, neither do the results.
    void rebuild_lists(bool sort) {
        Population& mac = *mac_;
        mac_grid_->build(mac.x(), mac.y(), mac.z());
        if (sort && mac.size() > 0) {
            mac.sort_by_cell(*mac_grid_);
            mac_grid_->build(mac.x(), mac.y(), mac.z());
        }
        const auto x = std::as_const(mac).x(), y = std::as_const(mac).y();
        build_lists(*epi_grid_, x, y, reach_ + p_.skin, false, epi_lists_);
        build_lists(*mac_grid_, x, y, reach_ + p_.skin, true, mac_lists_);
        x0_.assign(x.begin(), x.end());
        y0_.assign(y.begin(), y.end());
        rebuild_ = false;
    }

    // What mechanics needs of the fields: each macrophage about to turn samples the
    // interferon gradient where it is (after this step's field update, as before moving).
    // Without chemotaxis a turn ignores the gradient, and nothing is sampled.
    void sense(const Tick& t) {
        ensure_static();
        if (!(p_.motility.chemotaxis > 0)) return;
        Population& mac = *mac_;
        const auto x = std::as_const(mac).x(), y = std::as_const(mac).y();
        const auto turn_at = std::as_const(mac).col(turn_at_);
        auto gx = mac.col(gx_), gy = mac.col(gy_);
        const FieldSet& fields = sim_->fields();
        const std::size_t n = mac.size();
        for_each_index(n, kSenseGrain, n <= kSenseGrain, [&](std::size_t i) {
            if (t.time < turn_at[i]) return;
            const Vec3 g = fields.gradient(ifn_, {x[i], y[i], 0});
            gx[i] = g.x;
            gy[i] = g.y;
        });
    }

    // Touches no field (sense, on the same steps just before, has read them), so that it
    // may run beside the next field steps.
    void mechanics(const Tick& t) {
        Population& mac = *mac_;
        const std::size_t n = mac.size();
        const bool sort = mechanics_steps_++ % kSortEvery == 0;
        if (sort || rebuild_ || p_.skin == 0) rebuild_lists(sort);
        next_x_.resize(n);
        next_y_.resize(n);
        const auto x = std::as_const(mac).x(), y = std::as_const(mac).y();
        const auto ex = std::as_const(*epi_).x(), ey = std::as_const(*epi_).y();
        const auto ids = mac.ids();
        auto mx = mac.col(mx_), my = mac.col(my_), vx = mac.col(vx_), vy = mac.col(vy_);
        auto turn_at = mac.col(turn_at_);
        const Domain& dom = sim_->domain();
        const auto gx = std::as_const(mac).col(gx_), gy = std::as_const(mac).col(gy_);
        const double dt = t.dt, half_skin2 = 0.25 * p_.skin * p_.skin;
        std::atomic<bool> moved{false};
        tbb::parallel_for(tbb::blocked_range<std::size_t>(0, n, kAgentGrain), [&](const auto& r) {
            bool block_moved = false;  // one shared store per task, not per cell
            for (std::size_t i = r.begin(); i != r.end(); ++i) {
                const Vec3 p{x[i], y[i], 0};
                // Persistent walk: turns come as a Poisson process of rate 1/persistence,
                // drawn as exponential waiting times (no draw on the steps in between).
                if (t.time >= turn_at[i]) {
                    AgentRng rng(sim_->seed(), streams::kMotility, t.step, ids[i]);
                    const Vec3 m =
                        next_velocity(Vec3{}, Vec3{gx[i], gy[i], 0}, p_.motility, dt, rng, 2);
                    mx[i] = m.x;
                    my[i] = m.y;
                    turn_at[i] = t.time + rng.exponential(1 / p_.motility.persistence);
                }
                Vec3 v{mx[i], my[i], 0};
                add_contacts(epi_lists_.of(i), ex, ey, p, v);
                add_contacts(mac_lists_.of(i), x, y, p, v);
                // Adams-Bashforth 2 (as PhysiCell): x += dt (3/2 v - 1/2 v_prev).
                const Vec3 q =
                    dom.confine(p + dt * Vec3{1.5 * v.x - 0.5 * vx[i], 1.5 * v.y - 0.5 * vy[i], 0});
                vx[i] = v.x;
                vy[i] = v.y;
                next_x_[i] = q.x;
                next_y_[i] = q.y;
                block_moved |= norm2(dom.displacement({x0_[i], y0_[i], 0}, q)) > half_skin2;
            }
            if (block_moved) moved.store(true, std::memory_order_relaxed);
        });
        // The new positions become the population's; the old ones, the next step's buffers.
        mac.swap_x(next_x_);
        mac.swap_y(next_y_);
        rebuild_ = moved.load();
    }

    // Each macrophage counts the infected epithelial cells within adhesion reach.
    void phenotype() {
        ensure_static();
        Population& mac = *mac_;
        const auto x = std::as_const(mac).x(), y = std::as_const(mac).y();
        const auto epi_state = std::as_const(*epi_).col(epi_state_);
        auto contacts = mac.col(contacts_);
        auto state = mac.col(mac_state_);
        tbb::parallel_for(
            tbb::blocked_range<std::size_t>(0, mac.size(), kAgentGrain), [&](const auto& r) {
                for (std::size_t i = r.begin(); i != r.end(); ++i) {
                    std::int32_t count = 0;
                    epi_grid_->for_each_within({x[i], y[i], 0}, reach_,
                                               [&](std::size_t j, const Vec3&, double) {
                                                   count += epi_state[j] == kInfected ? 1 : 0;
                                               });
                    contacts[i] = count;
                    state[i] = count > 0 ? kEngaged : kScanning;
                }
            });
    }

    Simulation* sim_ = nullptr;
    Params p_;
    double reach_ = 0;  ///< neighbour query radius: max adhesion distance [um]
    // The domain's minimum image in x and y, for contact displacements.
    std::array<bool, 2> periodic_{};
    std::array<double, 2> extent_{}, half_extent_{};
    std::size_t virus_ = 0, ifn_ = 0;
    Population* mac_ = nullptr;
    Population* epi_ = nullptr;
    Column<std::uint8_t> mac_state_{}, epi_state_{};
    Column<std::int32_t> contacts_{};
    Column<double> mx_{}, my_{}, vx_{}, vy_{}, turn_at_{}, gx_{}, gy_{};
    std::unique_ptr<NeighborGrid> mac_grid_, epi_grid_;
    bool static_ready_ = false;
    std::vector<double> next_x_, next_y_;
    std::uint64_t mechanics_steps_ = 0;
    // Contact lists of each macrophage (epithelial rows, macrophage rows) and the
    // positions they were built at.
    NeighbourLists epi_lists_, mac_lists_;
    std::vector<double> x0_, y0_;
    bool rebuild_ = true;
};

}  // namespace

std::unique_ptr<Model> make_immune_patch() { return std::make_unique<ImmunePatch>(); }

}  // namespace hlhsim::models
