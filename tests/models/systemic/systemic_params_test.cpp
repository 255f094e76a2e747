#include "models/systemic/systemic_params.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "sim/config/section.hpp"
#include "sim/config/yaml_loader.hpp"
#include "sim/core/errors.hpp"

namespace hlhsim::models {
namespace {

struct Read {
    SystemicParams params;
    std::vector<std::string> errors;
    std::size_t schema_entries = 0;
};

Read read(const std::string& yaml) {
    config::ConfigNode root = config::load_string(yaml, "systemic.yaml");
    config::Context ctx;
    config::Section top(&root, "", ctx);
    config::Section s = top.section("systemic", {.doc = "systemic compartment"});
    Read r;
    r.params = SystemicParams::read(s);
    config::check_unknown_keys(root, ctx);
    r.errors = ctx.errors();
    r.schema_entries = ctx.schema().entries().size();
    return r;
}

TEST(SystemicParams, AbsentSectionGivesTheDefaults) {
    const Read r = read("systemic: {}\n");
    ASSERT_TRUE(r.errors.empty()) << r.errors.front();
    const SystemicParams d;
    const SystemicParams& p = r.params;
    for (Cytokine c : kAllCytokines) {
        EXPECT_NEAR(p.cytokine(c).half_life_h, d.cytokine(c).half_life_h, 1e-12);
        EXPECT_DOUBLE_EQ(p.cytokine(c).volume_ml, d.cytokine(c).volume_ml);
        EXPECT_DOUBLE_EQ(p.cytokine(c).basal_pg_per_ml, d.cytokine(c).basal_pg_per_ml);
    }
    EXPECT_NEAR(p.cytokine(Cytokine::ifng).half_life_h, 38.0 / 60, 1e-12);
    EXPECT_DOUBLE_EQ(p.red_cells.lifespan_d, 120);
    EXPECT_DOUBLE_EQ(p.red_cells.suppression.jak2_emax, d.red_cells.suppression.jak2_emax);
    EXPECT_DOUBLE_EQ(p.platelets.count_e9_per_l, 275);
    EXPECT_DOUBLE_EQ(p.neutrophils.il6_mobilization.ec50, d.neutrophils.il6_mobilization.ec50);
    EXPECT_DOUBLE_EQ(p.ferritin.half_life_h, 30);
    EXPECT_DOUBLE_EQ(p.ferritin.il6.emax, d.ferritin.il6.emax);
    EXPECT_DOUBLE_EQ(p.fibrinogen.half_life_d, 4);
    EXPECT_DOUBLE_EQ(p.ldh.rbc_engulfment_u_d_per_l, d.ldh.rbc_engulfment_u_d_per_l);
    EXPECT_DOUBLE_EQ(p.scd25.shedding_u_per_cell_h, d.scd25.shedding_u_per_cell_h);
    EXPECT_DOUBLE_EQ(p.temperature.normal_c, 37);
    EXPECT_DOUBLE_EQ(p.spleen.cd8_half_cells, 1e10);
    EXPECT_FALSE(p.findings.nk_activity_low);
    EXPECT_NO_THROW(p.validate());
    // Every parameter is recorded in the schema (documented in docs/systemic.md).
    EXPECT_GT(r.schema_entries, 100u);
}

TEST(SystemicParams, ReadsValuesInAnyUnitOfTheRightDimension) {
    const Read r = read(R"(
systemic:
  blood_volume: 4.5 L
  cytokines:
    ifng: {half_life: 1 h, volume: 12 L, basal: 0.5 pg/mL}
  red_cells:
    lifespan: 100 d
    hemoglobin: 13 g/dL
    suppression: {jak2_emax: 0.8}
  platelets: {count: 250e9 1/L, lifespan: 216 h}
  neutrophils: {il6_mobilization: {ec50: 0.05 ng/mL, hill: 2, emax: 1.5}}
  ferritin: {half_life: 1.5 d, il6: {emax: 0.4 ug/mL}}
  ldh: {rbc_engulfment: 12000 U*d/L}
  scd25: {shedding: 0.24 U/cell/d}
  temperature: {normal: 36.8 C, max_rise: 3 K}
  spleen: {cd8_half: 5e9 cells}
  findings: {nk_activity_low: true}
)");
    ASSERT_TRUE(r.errors.empty()) << r.errors.front();
    const SystemicParams& p = r.params;
    EXPECT_DOUBLE_EQ(p.blood_volume_ml, 4500);
    EXPECT_DOUBLE_EQ(p.cytokine(Cytokine::ifng).half_life_h, 1);
    EXPECT_DOUBLE_EQ(p.cytokine(Cytokine::ifng).volume_ml, 12000);
    EXPECT_DOUBLE_EQ(p.cytokine(Cytokine::ifng).basal_pg_per_ml, 0.5);
    EXPECT_DOUBLE_EQ(p.red_cells.lifespan_d, 100);
    EXPECT_NEAR(p.red_cells.hemoglobin_g_per_l, 130, 1e-9);
    EXPECT_DOUBLE_EQ(p.red_cells.suppression.jak2_emax, 0.8);
    EXPECT_DOUBLE_EQ(p.red_cells.suppression.ifng_emax,
                     SystemicParams{}.red_cells.suppression.ifng_emax);
    EXPECT_NEAR(p.platelets.count_e9_per_l, 250, 1e-9);
    EXPECT_NEAR(p.platelets.lifespan_d, 9, 1e-12);
    EXPECT_NEAR(p.neutrophils.il6_mobilization.ec50, 50, 1e-9);
    EXPECT_DOUBLE_EQ(p.neutrophils.il6_mobilization.hill, 2);
    EXPECT_NEAR(p.ferritin.half_life_h, 36, 1e-12);
    EXPECT_NEAR(p.ferritin.il6.emax, 400, 1e-9);
    EXPECT_DOUBLE_EQ(p.ldh.rbc_engulfment_u_d_per_l, 12000);
    EXPECT_NEAR(p.scd25.shedding_u_per_cell_h, 0.01, 1e-15);
    EXPECT_NEAR(p.temperature.normal_c, 36.8, 1e-9);
    EXPECT_DOUBLE_EQ(p.temperature.max_rise_k, 3);
    EXPECT_DOUBLE_EQ(p.spleen.cd8_half_cells, 5e9);
    EXPECT_TRUE(p.findings.nk_activity_low);
}

TEST(SystemicParams, ReportsEveryErrorWithItsLocation) {
    const Read r = read(R"(
systemic:
  ferritin: {half_life: 30 mg}
  red_cells: {suppression: {ifng_emax: 1.5}}
  platelets: {lifespan: -2 d}
  spleen: {enlarged_ratoi: 1.4}
)");
    ASSERT_EQ(r.errors.size(), 4u);
    const std::string all = r.errors[0] + r.errors[1] + r.errors[2] + r.errors[3];
    EXPECT_NE(all.find("systemic.yaml:3:"), std::string::npos) << all;
    EXPECT_NE(all.find("ifng_emax"), std::string::npos) << all;
    EXPECT_NE(all.find("lifespan"), std::string::npos) << all;
    EXPECT_NE(all.find("did you mean 'enlarged_ratio'"), std::string::npos) << all;
}

TEST(SystemicParams, ValidateRejectsImpossibleValues) {
    SystemicParams p;
    p.cytokines[0].volume_ml = 0;
    EXPECT_THROW(p.validate(), InputError);
    p = {};
    p.triglycerides.tnf_lpl.emax = 1;  // no lipase left: no steady state
    EXPECT_THROW(p.validate(), InputError);
    p = {};
    p.spleen.enlarged_ratio = 0.9;
    EXPECT_THROW(p.validate(), InputError);
    p = {};
    p.findings.hemophagocytosis_fraction = 2;
    EXPECT_THROW(p.validate(), InputError);
}

TEST(SystemicParams, EveryKeyIsDocumented) {
    config::ConfigNode root = config::load_string("systemic: {}\n", "systemic.yaml");
    config::Context ctx;
    config::Section top(&root, "", ctx);
    config::Section s = top.section("systemic", {.doc = "systemic compartment"});
    SystemicParams::read(s);
    std::ifstream in(std::string(HLHSIM_SOURCE_DIR) + "/docs/systemic.md");
    std::stringstream ss;
    ss << in.rdbuf();
    const std::string docs = ss.str();
    ASSERT_FALSE(docs.empty());
    int keys = 0;
    for (const auto& e : ctx.schema().entries()) {
        if (e.type == "map") continue;
        const std::string key = e.path.substr(std::string("systemic.").size());
        EXPECT_NE(docs.find("`" + key + "`"), std::string::npos) << key << " not in docs";
        ++keys;
    }
    EXPECT_GT(keys, 100);
}

}  // namespace
}  // namespace hlhsim::models
