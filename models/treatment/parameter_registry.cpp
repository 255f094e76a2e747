#include "models/treatment/parameter_registry.hpp"

#include <cmath>
#include <stdexcept>

namespace hlhsim::models::treatment {

void ParameterRegistry::add(std::string name, double* value, std::string unit) {
    if (find(name)) throw std::invalid_argument("parameter registered twice: " + name);
    entries_.push_back({std::move(name), value, std::move(unit)});
}

void ParameterRegistry::add(std::string name, std::int64_t* value) {
    if (find(name)) throw std::invalid_argument("parameter registered twice: " + name);
    entries_.push_back({std::move(name), value, "1"});
}

const ParameterRegistry::Entry* ParameterRegistry::find(std::string_view name) const {
    for (const Entry& e : entries_)
        if (e.name == name) return &e;
    return nullptr;
}

std::vector<std::string> ParameterRegistry::names() const {
    std::vector<std::string> out;
    out.reserve(entries_.size());
    for (const Entry& e : entries_) out.push_back(e.name);
    return out;
}

double ParameterRegistry::get(const Entry& e) {
    if (const auto* d = std::get_if<double*>(&e.value)) return **d;
    return static_cast<double>(*std::get<std::int64_t*>(e.value));
}

void ParameterRegistry::set(const Entry& e, double v) {
    if (const auto* d = std::get_if<double*>(&e.value)) {
        **d = v;
        return;
    }
    *std::get<std::int64_t*>(e.value) = static_cast<std::int64_t>(std::llround(v));
}

}  // namespace hlhsim::models::treatment
