#include "models/registry.hpp"

#include <functional>
#include <utility>

#include "models/examples/immune_patch.hpp"
#include "models/examples/random_walkers.hpp"
#include "models/hlh/hlh_model.hpp"

namespace hlhsim::models {
namespace {

using Factory = std::unique_ptr<Model> (*)();

const std::vector<std::pair<std::string, Factory>>& registry() {
    static const std::vector<std::pair<std::string, Factory>> list{
        {"hlh", &make_hlh_model},
        {"immune_patch", &make_immune_patch},
        {"random_walkers", &make_random_walkers},
    };
    return list;
}

}  // namespace

std::vector<std::string> model_names() {
    std::vector<std::string> names;
    for (const auto& [name, factory] : registry()) names.push_back(name);
    return names;
}

std::unique_ptr<Model> make_model(const std::string& name) {
    for (const auto& [n, factory] : registry())
        if (n == name) return factory();
    return nullptr;
}

}  // namespace hlhsim::models
