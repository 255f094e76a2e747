#pragma once
// Helpers shared by the treatment tests: reading YAML snippets and the shipped drug files.
#include <string>
#include <vector>

#include "models/treatment/drug.hpp"
#include "models/treatment/treatment_spec.hpp"
#include "sim/config/config_node.hpp"
#include "sim/config/section.hpp"
#include "sim/config/yaml_loader.hpp"

namespace hlhsim::models::treatment::testing {

inline std::string source_path(const std::string& rel) {
    return std::string(HLHSIM_SOURCE_DIR) + "/" + rel;
}

/// A parsed YAML tree with its context; reading errors collect in ctx.
struct Yaml {
    config::ConfigNode tree;
    config::Context ctx;
    explicit Yaml(const std::string& text, const std::string& name = "test.yaml")
        : tree(config::load_string(text, name)) {}
    config::Section root() { return config::Section(&tree, "", ctx); }
    std::string errors() const {
        std::string s;
        for (const auto& e : ctx.errors()) s += e + "\n";
        return s;
    }
};

/// The drugs of the shipped files configs/drugs/<name>.yaml.
inline std::vector<DrugSpec> shipped_drugs(const std::vector<std::string>& names) {
    std::string text = "drugs:\n  include: [";
    for (std::size_t i = 0; i < names.size(); ++i)
        text += (i ? ", " : "") + source_path("configs/drugs/" + names[i] + ".yaml");
    Yaml y(text + "]\n");
    config::Section root = y.root();
    auto drugs = read_drug_table(root);
    if (y.ctx.has_errors()) throw std::runtime_error(y.errors());
    return drugs;
}

inline DrugSpec shipped_drug(const std::string& name) { return shipped_drugs({name}).front(); }

}  // namespace hlhsim::models::treatment::testing
