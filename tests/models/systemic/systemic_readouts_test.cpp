#include "models/systemic/systemic_readouts.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>
#include <string>

namespace hlhsim::models {
namespace {

TEST(SystemicReadouts, NamesAndUnitsOfDocsOutput) {
    const auto names = readout_names();
    ASSERT_EQ(names.size(), systemic_readouts().size());
    const std::pair<std::string, std::string> expected[] = {{"temperature", "C"},
                                                            {"hemoglobin", "g/L"},
                                                            {"platelets", "10^9/L"},
                                                            {"neutrophils", "10^9/L"},
                                                            {"wbc", "10^9/L"},
                                                            {"ferritin", "ng/mL"},
                                                            {"triglycerides", "mmol/L"},
                                                            {"fibrinogen", "g/L"},
                                                            {"scd25", "U/mL"},
                                                            {"ldh", "U/L"},
                                                            {"ast", "IU/L"},
                                                            {"spleen_ratio", "1"},
                                                            {"plasma_ifng", "pg/mL"},
                                                            {"plasma_il6", "pg/mL"},
                                                            {"plasma_tnf", "pg/mL"},
                                                            {"plasma_il10", "pg/mL"},
                                                            {"plasma_il18", "pg/mL"},
                                                            {"plasma_il2", "pg/mL"}};
    for (const auto& e : expected) {
        bool found = false;
        for (const auto& n : names) found = found || n == e;
        EXPECT_TRUE(found) << e.first << " [" << e.second << "]";
    }
    std::set<std::string> unique;
    for (const auto& n : names) EXPECT_TRUE(unique.insert(n.first).second) << n.first;
}

TEST(SystemicReadouts, EveryNameIsDocumented) {
    // docs/output.md lists the time series; names beyond it must be in docs/systemic.md.
    std::string docs;
    for (const char* file : {"/docs/output.md", "/docs/systemic.md"}) {
        std::ifstream in(std::string(HLHSIM_SOURCE_DIR) + file);
        std::stringstream ss;
        ss << in.rdbuf();
        docs += ss.str();
    }
    for (const auto& [name, unit] : readout_names()) {
        if (name.rfind("plasma_", 0) == 0) continue;  // documented as plasma_<cytokine>
        EXPECT_NE(docs.find("| " + name + " |"), std::string::npos) << name;
    }
}

TEST(SystemicReadouts, ValuesComeFromTheModel) {
    SystemicModel m{SystemicParams{}};
    PatchSignals s;
    s.secretion(Cytokine::il6) = 1e6;
    s.activated_macrophage_fraction = 0.5;
    m.step(48.0, s);
    const ClinicalState c = m.clinical();
    int n = 0;
    for_each_readout(m, [&](const std::string& name, const std::string&, double value) {
        ++n;
        if (name == "ferritin") {
            EXPECT_EQ(value, c.ferritin_ng_per_ml);
        }
        if (name == "wbc") {
            EXPECT_EQ(value, c.wbc_e9_per_l);
        }
        if (name == "ast") {
            EXPECT_EQ(value, c.ast_iu_per_l);
        }
        if (name == "spleen_ratio") {
            EXPECT_EQ(value, m.state().spleen_ratio);
        }
        if (name == "plasma_il6") {
            EXPECT_EQ(value, m.plasma_pg_per_ml(Cytokine::il6));
        }
        if (name == "plasma_il2") {
            EXPECT_EQ(value, m.plasma_pg_per_ml(Cytokine::il2));
        }
    });
    EXPECT_EQ(n, static_cast<int>(systemic_readouts().size()));
    for (const auto& r : systemic_readouts()) {
        if (r.name == "temperature") {
            EXPECT_EQ(r.value(m), c.temperature_c);
        }
    }
}

}  // namespace
}  // namespace hlhsim::models
