// Secretion of the patch's agents into the fields. Each agent's amount is added to its
// voxel's source in ascending agent order, one population after another: a serial loop,
// so the sums do not depend on the thread count (and are the bits VoxelAccumulator gives,
// whose contract is this very loop; at the patch's few thousand agents the loop is faster
// than grouping the agents by voxel first).
#include <array>
#include <cstdint>
#include <vector>

#include "models/hlh/cell_rules.hpp"
#include "models/hlh/rule_support.hpp"

namespace hlhsim::models::hlh {
namespace {

/// Adds per-agent secretion [pg/min] of one population to several fields' sources
/// [pg/mL/min] and keeps, per field, the population's total [pg/min] summed in agent order.
template <std::size_t kFields>
class Secretor {
  public:
    Secretor(Patch& patch, FieldSet& fields, const std::array<FieldId, kFields>& ids)
        : patch_(patch), fields_(fields), ids_(ids) {
        for (std::size_t k = 0; k < kFields; ++k)
            source_[k] = fields.source(patch.field[static_cast<std::size_t>(ids[k])]).data();
    }

    /// For each agent i of pop: amounts(i, voxel) returns its kFields amounts [pg/min].
    template <class Amounts>
    void run(const Population& pop, Amounts&& amounts) {
        const double per_ml = 1.0 / (fields_.voxel_volume() * 1e-12);  // um^3 -> mL
        for (std::size_t i = 0; i < pop.size(); ++i) {
            const std::size_t v = fields_.voxel_of(pop.position(i));
            const std::array<double, kFields> a = amounts(i, v);
            for (std::size_t k = 0; k < kFields; ++k) {
                source_[k][v] += a[k] * per_ml;
                total_[k] += a[k];
            }
        }
    }
    /// Adds the totals of the cytokines to the patch's tally [pg] (dt [min]).
    void tally(double dt) {
        for (std::size_t k = 0; k < kFields; ++k)
            if (ids_[k] < kNumCytokines)
                patch_.tally.secreted_pg[static_cast<std::size_t>(ids_[k])] += total_[k] * dt;
    }

  private:
    Patch& patch_;
    FieldSet& fields_;
    std::array<FieldId, kFields> ids_;
    std::array<double*, kFields> source_{};
    std::array<double, kFields> total_{};
};

}  // namespace

void secrete(Patch& patch, const Params& p, const DrugEffects& drugs, FieldSet& fields,
             const Tick& t) {
    const double steroid = 1 - drugs.glucocorticoid;  // transcription of cytokine genes

    // Macrophages: IL-6, TNF, IL-18, IL-10 when activated, more when hemophagocytic.
    {
        const MacrophageParams& q = p.macrophage;
        const auto st = std::as_const(*patch.mac).col(patch.mc.state);
        Secretor<4> out(patch, fields, {kIl6, kTnf, kIl18, kIl10});
        out.run(*patch.mac, [&](std::size_t i, std::size_t) {
            const auto s = static_cast<MacState>(st[i]);
            const double level = s == MacState::kResting     ? 0.0
                                 : s == MacState::kActivated ? 1.0
                                                             : q.hemophagocytic_secretion_factor;
            return std::array<double, 4>{
                level * steroid * q.il6_secretion, level * steroid * q.tnf_secretion,
                level * q.il18_secretion,  // IL-18 is processed by the inflammasome
                level * q.il10_secretion};
        });
        out.tally(t.dt);
    }
    // CD8 T cells: IFN-gamma and TNF upon TCR signalling (recent stimulation), much
    // more during a synapse that does not kill (Jenkins 2015), boosted by IL-18;
    // IL-2 from stimulated activated/effector cells. Calcineurin inhibitors block NFAT.
    {
        const Cd8Params& q = p.cd8;
        const Population& c = *patch.cd8;
        const auto st = c.col(patch.tc.state);
        const auto stim = c.col(patch.tc.stimulation);
        const auto contact = c.col(patch.tc.contact);
        const double nfat = (1 - drugs.calcineurin) * steroid;
        // The IL-18 boost depends on the voxel only: once per voxel with T cells.
        const auto il18 = field_values(patch, kIl18);
        std::vector<double>& boost = patch.scratch.il18_boost;
        std::vector<std::uint8_t>& known = patch.scratch.il18_known;
        boost.resize(c.size() > 0 ? fields.num_voxels() : 0);
        known.assign(boost.size(), 0);
        Secretor<3> out(patch, fields, {kIfng, kTnf, kIl2});
        out.run(c, [&](std::size_t i, std::size_t v) {
            const auto s = static_cast<Cd8State>(st[i]);
            double level = 0;
            if (s == Cd8State::kEffector) level = 1;
            if (s == Cd8State::kExhausted) level = q.exhausted_secretion;
            // In a synapse: full output, and more while the target is not killed;
            // afterwards a trickle that fades with the memory of stimulation.
            level *= contact[i] >= 0 ? q.failed_kill_factor : q.residual_secretion * stim[i];
            if (!known[v]) boost[v] = 1 + q.il18_boost(il18[v]), known[v] = 1;
            const bool helper = s == Cd8State::kActivated || s == Cd8State::kEffector;
            return std::array<double, 3>{level * boost[v] * nfat * q.ifng_secretion,
                                         level * nfat * q.tnf_secretion,
                                         helper ? stim[i] * nfat * q.il2_secretion : 0.0};
        });
        out.tally(t.dt);
    }
    // Trigger cells release antigen [AU/min per cell; the field is in AU/mL].
    {
        const double each = p.trigger.antigen_secretion * fields.voxel_volume() * 1e-12;
        Secretor<1> out(patch, fields, {kAntigen});
        out.run(*patch.trig, [&](std::size_t, std::size_t) { return std::array<double, 1>{each}; });
        out.tally(t.dt);
    }
    // Neutralising antibody against IFN-gamma (emapalumab): free cytokine bound and
    // cleared, as an extra first-order sink proportional to the neutralised fraction.
    if (drugs.ifng_neutralised > 0) {
        const double f = std::min(drugs.ifng_neutralised, 0.999);
        const double k = fields.spec(patch.field[kIfng]).decay * f / (1 - f);
        for (double& u : fields.uptake(patch.field[kIfng])) u += k;
    }
}

}  // namespace hlhsim::models::hlh
