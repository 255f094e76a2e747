#include "models/examples/immune_patch.hpp"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <vector>

#include "sim/agents/motility.hpp"
#include "sim/config/section.hpp"
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
// Re-sort macrophages by grid cell every this many mechanics steps (memory locality).
constexpr std::uint64_t kSortEvery = 50;

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
        if (root.context().has_errors()) return;
        if (sim.domain().dims() != 2) root.section("domain", {}).error("dims", "W1 is 2-D");
        p_ = read_params(root, sim.fields().spec(virus_).unit, sim.fields().spec(ifn_).unit);
        if (root.context().has_errors()) return;

        mac_ = &sim.add_population("macrophages");
        mac_state_ = mac_->add_column<std::uint8_t>("state", kScanning);
        contacts_ = mac_->add_column<std::int32_t>("contacts");
        mx_ = mac_->add_column<double>("mx");  // motility velocity [um/min]
        my_ = mac_->add_column<double>("my");
        vx_ = mac_->add_column<double>("vx");  // last total velocity [um/min] (Adams-Bashforth)
        vy_ = mac_->add_column<double>("vy");
        sim.set_state_column(*mac_, mac_state_, {"scanning", "engaged"});
        epi_ = &sim.add_population("epithelium");
        epi_state_ = epi_->add_column<std::uint8_t>("state", kHealthy);
        sim.set_state_column(*epi_, epi_state_, {"healthy", "infected"});
        place(sim);

        reach_ = 2 * p_.adhesion_reach * p_.radius;
        mac_grid_ = std::make_unique<NeighborGrid>(sim.domain(), reach_);
        epi_grid_ = std::make_unique<NeighborGrid>(sim.domain(), reach_);
        sim.schedule().add_phase("mechanics", p_.mechanics_step,
                                 [this](const Tick& t) { mechanics(t); });
        sim.schedule().add_phase("phenotype", p_.phenotype_step,
                                 [this](const Tick&) { phenotype(); });
        sim.add_field_exchange([this](FieldSet& f, const Tick&) { exchange(f); });
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

    // Epithelial cells never move, so their index and their per-voxel sources are built
    // once, on first use (after any repositioning a test may do between build and run).
    void ensure_static() {
        if (static_ready_) return;
        // Rows in grid-cell order, so that a query reads neighbouring rows.
        epi_grid_->build(epi_->x(), epi_->y(), epi_->z());
        epi_->sort_by_cell(*epi_grid_);
        epi_grid_->build(epi_->x(), epi_->y(), epi_->z());
        const FieldSet& f = sim_->fields();
        const std::size_t n = epi_->size(), nv = f.num_voxels();
        std::vector<std::uint32_t> voxel(n);
        for (std::size_t i = 0; i < n; ++i)
            voxel[i] = static_cast<std::uint32_t>(f.voxel_of(epi_->position(i)));
        VoxelAccumulator acc(nv);
        acc.bin(voxel);
        const double vfrac = (4 * std::numbers::pi / 3 * std::pow(p_.radius, 3)) / f.voxel_volume();
        const auto state = std::as_const(*epi_).col(epi_state_);
        std::vector<double> amount(n);
        const auto fill = [&](std::vector<double>& target, auto per_cell) {
            target.assign(nv, 0.0);
            for (std::size_t i = 0; i < n; ++i) amount[i] = per_cell(state[i]);
            acc.add_to(target, amount);
        };
        fill(virus_uptake_, [&](std::uint8_t) { return p_.virus_uptake * vfrac; });
        fill(ifn_source_, [&](std::uint8_t s) {
            return s == kInfected ? p_.interferon_rate / f.voxel_volume() : 0.0;
        });
        fill(virus_source_, [&](std::uint8_t s) {
            return s == kInfected ? p_.virus_rate / f.voxel_volume() : 0.0;
        });
        static_ready_ = true;
    }

    void exchange(FieldSet& f) {
        ensure_static();
        std::ranges::copy(virus_uptake_, f.uptake(virus_).begin());
        std::ranges::copy(ifn_source_, f.source(ifn_).begin());
        if (p_.virus_rate > 0) std::ranges::copy(virus_source_, f.source(virus_).begin());
    }

    /// Velocity [um/min] of a cell at p from the contact potentials of the cells in `grid`
    /// (skipping row `self`): PhysiCell's repulsion (1 - d/R)^2 c_r for d < R = 2 r and
    /// adhesion (1 - d/R_a)^2 c_a for d < R_a = 2 reach r, along the line of centres.
    template <class Grid>
    void add_contacts(const Grid& grid, const Vec3& p, std::size_t self, Vec3& v) const {
        const double r_rep = 2 * p_.radius, inv_rep = 1 / r_rep, inv_adh = 1 / reach_;
        grid.for_each_within(p, reach_, [&](std::size_t j, const Vec3& d, double d2) {
            if (j == self || d2 == 0) return;
            const double dist = std::sqrt(d2);
            double push = 0;
            if (dist < r_rep) push += p_.repulsion * (1 - dist * inv_rep) * (1 - dist * inv_rep);
            push -= p_.adhesion * (1 - dist * inv_adh) * (1 - dist * inv_adh);
            v -= (push / dist) * d;  // d points from p to the neighbour
        });
    }

    void mechanics(const Tick& t) {
        ensure_static();
        Population& mac = *mac_;
        const std::size_t n = mac.size();
        mac_grid_->build(mac.x(), mac.y(), mac.z());
        if (mechanics_steps_++ % kSortEvery == 0 && n > 0) {
            mac.sort_by_cell(*mac_grid_);
            mac_grid_->build(mac.x(), mac.y(), mac.z());
        }
        next_x_.resize(n);
        next_y_.resize(n);
        const auto x = std::as_const(mac).x(), y = std::as_const(mac).y();
        const auto ids = mac.ids();
        auto mx = mac.col(mx_), my = mac.col(my_), vx = mac.col(vx_), vy = mac.col(vy_);
        const Domain& dom = sim_->domain();
        const FieldSet& fields = sim_->fields();
        const double dt = t.dt;
        constexpr std::size_t kNone = ~std::size_t{0};
        tbb::parallel_for(tbb::blocked_range<std::size_t>(0, n, kAgentGrain), [&](const auto& r) {
            for (std::size_t i = r.begin(); i != r.end(); ++i) {
                const Vec3 p{x[i], y[i], 0};
                AgentRng rng(sim_->seed(), streams::kMotility, t.step, ids[i]);
                const Vec3 m = next_velocity(
                    {mx[i], my[i], 0}, [&] { return fields.gradient(ifn_, p); }, p_.motility, dt,
                    rng, 2);
                mx[i] = m.x;
                my[i] = m.y;
                Vec3 v = m;
                add_contacts(*epi_grid_, p, kNone, v);
                add_contacts(*mac_grid_, p, i, v);
                // Adams-Bashforth 2 (as PhysiCell): x += dt (3/2 v - 1/2 v_prev).
                const Vec3 q =
                    dom.confine(p + dt * Vec3{1.5 * v.x - 0.5 * vx[i], 1.5 * v.y - 0.5 * vy[i], 0});
                vx[i] = v.x;
                vy[i] = v.y;
                next_x_[i] = q.x;
                next_y_[i] = q.y;
            }
        });
        std::ranges::copy(next_x_, mac.x().begin());
        std::ranges::copy(next_y_, mac.y().begin());
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
    std::size_t virus_ = 0, ifn_ = 0;
    Population* mac_ = nullptr;
    Population* epi_ = nullptr;
    Column<std::uint8_t> mac_state_{}, epi_state_{};
    Column<std::int32_t> contacts_{};
    Column<double> mx_{}, my_{}, vx_{}, vy_{};
    std::unique_ptr<NeighborGrid> mac_grid_, epi_grid_;
    bool static_ready_ = false;
    std::vector<double> virus_uptake_, ifn_source_, virus_source_;  // per voxel
    std::vector<double> next_x_, next_y_;
    std::uint64_t mechanics_steps_ = 0;
};

}  // namespace

std::unique_ptr<Model> make_immune_patch() { return std::make_unique<ImmunePatch>(); }

}  // namespace hlhsim::models
