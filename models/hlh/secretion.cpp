// Secretion of the patch's agents into the fields, summed per voxel without races
// (VoxelAccumulator: in agent order, whatever the thread count).
#include "models/hlh/cell_rules.hpp"
#include "models/hlh/rule_support.hpp"
#include "sim/fields/voxel_accumulator.hpp"

namespace hlhsim::models::hlh {
namespace {

class Secretor {
  public:
    Secretor(Patch& patch, FieldSet& fields, double dt) : patch_(patch), fields_(fields), dt_(dt) {}

    /// Groups the population's agents by voxel; the following add() calls use it.
    void bin(const Population& pop) {
        voxel_.resize(pop.size());
        for (std::size_t i = 0; i < pop.size(); ++i)
            voxel_[i] = static_cast<std::uint32_t>(fields_.voxel_of(pop.position(i)));
        if (!accumulator_) accumulator_ = std::make_unique<VoxelAccumulator>(fields_.num_voxels());
        accumulator_->bin(voxel_);
    }
    /// Adds per-agent secretion [pg/min] to field f's sources [pg/mL/min].
    void add(FieldId f, const std::vector<double>& pg_per_min) {
        const double per_ml = 1.0 / (fields_.voxel_volume() * 1e-12);  // um^3 -> mL
        rate_.resize(pg_per_min.size());
        double total = 0;
        for (std::size_t i = 0; i < pg_per_min.size(); ++i) {
            rate_[i] = pg_per_min[i] * per_ml;
            total += pg_per_min[i];
        }
        accumulator_->add_to(fields_.source(patch_.field[static_cast<std::size_t>(f)]), rate_);
        if (f < kNumCytokines) patch_.tally.secreted_pg[static_cast<std::size_t>(f)] += total * dt_;
    }

  private:
    Patch& patch_;
    FieldSet& fields_;
    double dt_;
    std::vector<std::uint32_t> voxel_;
    std::vector<double> rate_;
    std::unique_ptr<VoxelAccumulator> accumulator_;
};

}  // namespace

void secrete(Patch& patch, const Params& p, const DrugEffects& drugs, FieldSet& fields,
             const Tick& t) {
    Secretor out(patch, fields, t.dt);
    const double steroid = 1 - drugs.glucocorticoid;  // transcription of cytokine genes

    // Macrophages: IL-6, TNF, IL-18, IL-10 when activated, more when hemophagocytic.
    {
        const MacrophageParams& q = p.macrophage;
        const auto st = std::as_const(*patch.mac).col(patch.mc.state);
        std::vector<double> il6(st.size()), tnf(st.size()), il18(st.size()), il10(st.size());
        for (std::size_t i = 0; i < st.size(); ++i) {
            const auto s = static_cast<MacState>(st[i]);
            const double level = s == MacState::kResting     ? 0.0
                                 : s == MacState::kActivated ? 1.0
                                                             : q.hemophagocytic_secretion_factor;
            il6[i] = level * steroid * q.il6_secretion;
            tnf[i] = level * steroid * q.tnf_secretion;
            il18[i] = level * q.il18_secretion;  // IL-18 is processed by the inflammasome
            il10[i] = level * q.il10_secretion;
        }
        out.bin(*patch.mac);
        out.add(kIl6, il6);
        out.add(kTnf, tnf);
        out.add(kIl18, il18);
        out.add(kIl10, il10);
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
        std::vector<double> ifng(st.size()), tnf(st.size()), il2(st.size());
        for (std::size_t i = 0; i < st.size(); ++i) {
            const auto s = static_cast<Cd8State>(st[i]);
            double level = 0;
            if (s == Cd8State::kEffector) level = 1;
            if (s == Cd8State::kExhausted) level = q.exhausted_secretion;
            // In a synapse: full output, and more while the target is not killed;
            // afterwards a trickle that fades with the memory of stimulation.
            level *= contact[i] >= 0 ? q.failed_kill_factor : q.residual_secretion * stim[i];
            const double boost = 1 + q.il18_boost(sample(patch, kIl18, c.position(i)));
            ifng[i] = level * boost * nfat * q.ifng_secretion;
            tnf[i] = level * nfat * q.tnf_secretion;
            const bool helper = s == Cd8State::kActivated || s == Cd8State::kEffector;
            il2[i] = helper ? stim[i] * nfat * q.il2_secretion : 0.0;
        }
        out.bin(c);
        out.add(kIfng, ifng);
        out.add(kTnf, tnf);
        out.add(kIl2, il2);
    }
    // Trigger cells release antigen [AU/min per cell; the field is in AU/mL].
    {
        out.bin(*patch.trig);
        out.add(kAntigen,
                std::vector<double>(patch.trig->size(),
                                    p.trigger.antigen_secretion * fields.voxel_volume() * 1e-12));
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
