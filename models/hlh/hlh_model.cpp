#include "models/hlh/hlh_model.hpp"

#include <fmt/format.h>
#include <tbb/parallel_invoke.h>

#include <algorithm>

#include "models/hlh/cell_rules.hpp"
#include "models/hlh/clinical_course.hpp"
#include "models/hlh/drug_effects.hpp"
#include "models/hlh/hlh_params.hpp"
#include "models/hlh/patch_state.hpp"
#include "models/hlh/streams.hpp"
#include "models/treatment/hlh_binding.hpp"
#include "models/treatment/treatment_layer.hpp"
#include "sim/config/section.hpp"
#include "sim/core/rng.hpp"
#include "sim/core/units.hpp"
#include "sim/schedule/simulation.hpp"

namespace hlhsim::models {
namespace {

using namespace hlh;

class HlhModel final : public Model {
  public:
    void build(Simulation& sim, config::Section& root) override {
        patch_.sim = &sim;
        p_ = read_params(root);
        config::Section systemic = root.section("systemic", {.doc = "the body's compartments"});
        SystemicParams body = SystemicParams::read(systemic);
        config::Section fields = root.section("fields", {});
        for (int f = 0; f < kNumFields; ++f) {
            const auto idx =
                sim.require_field(kFieldNames[static_cast<std::size_t>(f)], fields, "substances");
            patch_.field[static_cast<std::size_t>(f)] = idx.value_or(0);
        }
        if (root.context().has_errors()) {
            root.context().note_stopped_early();  // what follows reads no keys now
            return;
        }

        create_populations(sim);
        place_initial(sim);
        const double reach = std::max(p_.cd8.contact_radius, p_.macrophage.contact_radius);
        for (LazyGrid* lazy :
             {&patch_.mac_grid, &patch_.cd8_grid, &patch_.trig_grid, &patch_.blood_grid})
            lazy->grid = std::make_unique<NeighborGrid>(sim.domain(), reach);

        const Domain& d = sim.domain();
        const double patch_um3 = d.dims() == 3 ? d.volume() : d.volume() * sim.fields().grid().dx;
        course_ = std::make_unique<ClinicalCourse>(
            sim, patch_, std::move(body),
            PatchScale::from_um3(patch_um3, p_.body.tissue_volume_ml, p_.body.plasma_fraction));

        // Treatments and perturbations (models/treatment): drugs' effects reach the rules
        // through drugs_ and body_drugs_, refreshed every agent and systemic step.
        binding_ = std::make_unique<treatment::HlhBinding>(sim, patch_, p_, *course_);
        treatment_ = std::make_unique<treatment::TreatmentLayer>(root, binding_->host());

        sim.add_field_exchange([this](FieldSet& f, const Tick& t) {
            secrete(patch_, p_, drugs_, f, t);
            treatment_->exchange_fields(f);
        });
        sim.schedule().add_phase("agents", p_.time.agents, [this](const Tick& t) {
            treatment_->advance(t.time);
            drugs_ = treatment_->patch_effects();
            step(t);
        });
        sim.schedule().add_phase("systemic", p_.time.systemic, [this](const Tick& t) {
            body_drugs_ = treatment_->systemic_effects(t.time, t.dt);
            course_->step(t, body_drugs_);
        });
        sim.schedule().add_phase("clinical", kMinutesPerDay,
                                 [this](const Tick& t) { course_->evaluate_day(t); });
        add_readouts(sim);
        treatment_->attach(sim);  // after the clinical phase: rules see the day's readouts
    }

  private:
    void create_populations(Simulation& sim) {
        Patch& pt = patch_;
        pt.mac = &sim.add_population("macrophage");
        pt.mc.state = pt.mac->add_column<std::uint8_t>("state");
        pt.mc.stat1 = pt.mac->add_column<double>("stat1");
        pt.mc.presentation = pt.mac->add_column<double>("presentation");
        pt.mc.vx = pt.mac->add_column<double>("vx");
        pt.mc.vy = pt.mac->add_column<double>("vy");
        pt.mc.vz = pt.mac->add_column<double>("vz");
        pt.mc.engulfed = pt.mac->add_column<std::int32_t>("engulfed");
        sim.set_state_column(*pt.mac, pt.mc.state, {"resting", "activated", "hemophagocytic"});

        pt.cd8 = &sim.add_population("cd8");
        pt.tc.state = pt.cd8->add_column<std::uint8_t>("state");
        pt.tc.stimulation = pt.cd8->add_column<double>("stimulation");
        pt.tc.contact = pt.cd8->add_column<std::int64_t>("contact", -1);
        pt.tc.contact_time = pt.cd8->add_column<double>("contact_time");
        pt.tc.state_time = pt.cd8->add_column<double>("state_time");
        pt.tc.vx = pt.cd8->add_column<double>("vx");
        pt.tc.vy = pt.cd8->add_column<double>("vy");
        pt.tc.vz = pt.cd8->add_column<double>("vz");
        pt.tc.kills = pt.cd8->add_column<std::int32_t>("kills");
        sim.set_state_column(*pt.cd8, pt.tc.state, {"naive", "activated", "effector", "exhausted"});

        pt.trig = &sim.add_population("trigger");
        pt.gc.state = pt.trig->add_column<std::uint8_t>("state");
        pt.gc.vx = pt.trig->add_column<double>("vx");
        pt.gc.vy = pt.trig->add_column<double>("vy");
        pt.gc.vz = pt.trig->add_column<double>("vz");
        sim.set_state_column(*pt.trig, pt.gc.state, {"antigen_bearing"});

        pt.blood = &sim.add_population("blood");
        pt.bc.kind = pt.blood->add_column<std::uint8_t>("kind");
        pt.bc.vx = pt.blood->add_column<double>("vx");
        pt.bc.vy = pt.blood->add_column<double>("vy");
        pt.bc.vz = pt.blood->add_column<double>("vz");
        sim.set_state_column(*pt.blood, pt.bc.kind,
                             {"rbc", "platelet", "neutrophil", "lymphocyte"});
    }

    void place_initial(Simulation& sim) {
        const Domain& d = sim.domain();
        std::uint64_t k = 0;
        auto place = [&](Population& pop, std::int64_t n) {
            for (std::int64_t i = 0; i < n; ++i) {
                AgentRng rng(sim.seed(), streams::kPlacement, 0, k++);
                Vec3 pos{rng.uniform(d.lo().x, d.hi().x), rng.uniform(d.lo().y, d.hi().y), 0};
                if (d.dims() == 3) pos.z = rng.uniform(d.lo().z, d.hi().z);
                pop.add(pos);
            }
        };
        place(*patch_.mac, p_.macrophage.count);
        place(*patch_.cd8, p_.cd8.naive_count);
        place(*patch_.trig, p_.trigger.initial);
        patch_.reservoir = static_cast<double>(p_.trigger.reservoir);
        const std::array<std::int64_t, kBloodKinds> counts{
            p_.blood.rbc, p_.blood.platelets, p_.blood.neutrophils, p_.blood.lymphocytes};
        for (int kind = 0; kind < kBloodKinds; ++kind) {
            const std::size_t first = patch_.blood->size();
            place(*patch_.blood, counts[static_cast<std::size_t>(kind)]);
            for (std::size_t i = first; i < patch_.blood->size(); ++i)
                patch_.blood->col(patch_.bc.kind)[i] = static_cast<std::uint8_t>(kind);
        }
    }

    void step(const Tick& t) {
        Patch& pt = patch_;
        const std::array<LazyGrid*, 4> grids{&pt.mac_grid, &pt.cd8_grid, &pt.trig_grid,
                                             &pt.blood_grid};   // by population, as pops
        for (LazyGrid* lazy : grids) lazy->built.store(false);  // built on demand
        // Trigger and blood cells read nothing the macrophage and T-cell rules write, nor the
        // reverse: their steps run beside those (the T cells' rows are shared out as usual).
        tbb::parallel_invoke(
            [&] {
                step_macrophages(pt, p_, drugs_, t);
                step_cd8(pt, p_, drugs_, t);
            },
            [&] {
                step_triggers(pt, p_, t);
                step_blood(pt, p_, t);
            });
        resolve_claims(pt);
        const std::array<Population*, 4> pops{pt.mac, pt.cd8, pt.trig, pt.blood};
        for (std::size_t k = 0; k < pops.size(); ++k)
            for (std::size_t i = 0; i < pops[k]->size(); ++i)
                pops[k]->set_position(i, pt.next_pos[k][i]);
        pt.mac->commit();
        for (std::size_t child : pt.cd8->commit()) {
            pt.cd8->col(pt.tc.state_time)[child] = 0;
            pt.cd8->col(pt.tc.contact)[child] = -1;
            pt.cd8->col(pt.tc.kills)[child] = 0;
        }
        pt.trig->commit();
        pt.blood->commit();
        influx(pt, p_, t);
        // Keep neighbours close in memory: re-sort every population by grid cell now and then.
        if (t.step % 200 == 0) {
            for (std::size_t k = 0; k < pops.size(); ++k) {
                if (pops[k]->size() == 0) continue;
                NeighborGrid& grid = *grids[k]->grid;
                grid.build(pops[k]->x(), pops[k]->y(), pops[k]->z());
                pops[k]->sort_by_cell(grid);
            }
        }
    }

    double count(const Population& pop, Column<std::uint8_t> col, int state) const {
        const auto s = pop.col(col);
        return static_cast<double>(
            std::count(s.begin(), s.end(), static_cast<std::uint8_t>(state)));
    }

    void add_readouts(Simulation& sim) {
        const char* mac_states[] = {"resting", "activated", "hemophagocytic"};
        for (int s = 0; s < 3; ++s)
            sim.add_readout(fmt::format("cells_macrophage_{}", mac_states[s]), "cells",
                            [this, s] { return count(*patch_.mac, patch_.mc.state, s); });
        const char* cd8_states[] = {"naive", "activated", "effector", "exhausted"};
        for (int s = 0; s < 4; ++s)
            sim.add_readout(fmt::format("cells_cd8_{}", cd8_states[s]), "cells",
                            [this, s] { return count(*patch_.cd8, patch_.tc.state, s); });
        sim.add_readout("cells_trigger", "cells",
                        [this] { return static_cast<double>(patch_.trig->size()); });
        const char* kinds[] = {"rbc", "platelet", "neutrophil", "lymphocyte"};
        for (int k = 0; k < kBloodKinds; ++k)
            sim.add_readout(fmt::format("cells_blood_{}", kinds[k]), "cells",
                            [this, k] { return count(*patch_.blood, patch_.bc.kind, k); });
        for (int f = 0; f < kNumFields; ++f)
            sim.add_readout(fmt::format("tissue_{}", kFieldNames[static_cast<std::size_t>(f)]),
                            sim.fields().spec(patch_.field[static_cast<std::size_t>(f)]).unit,
                            [this, f] { return field_mean(patch_, static_cast<FieldId>(f)); });
        // Cumulative counts: their differences give rates over any window.
        sim.add_readout("hemophagocytosis_total", "events", [this] {
            double sum = 0;
            for (double e : patch_.totals.engulfed) sum += e;
            return sum;
        });
        sim.add_readout("trigger_kills_total", "events", [this] { return patch_.totals.kills; });
        sim.add_readout("trigger_reservoir", "cells", [this] { return patch_.reservoir; });
        sim.add_readout("mean_stat1", "1", [this] {
            const auto s = std::as_const(*patch_.mac).col(patch_.mc.stat1);
            double sum = 0;
            for (double v : s) sum += v;
            return s.empty() ? 0.0 : sum / static_cast<double>(s.size());
        });
    }

    Params p_;
    Patch patch_;
    DrugEffects drugs_;
    SystemicDrugEffects body_drugs_;
    std::unique_ptr<ClinicalCourse> course_;
    std::unique_ptr<treatment::HlhBinding> binding_;
    std::unique_ptr<treatment::TreatmentLayer> treatment_;
};

}  // namespace

std::unique_ptr<Model> make_hlh_model() { return std::make_unique<HlhModel>(); }

}  // namespace hlhsim::models
