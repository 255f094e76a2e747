#include "models/treatment/perturbation.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>

#include "sim/config/section.hpp"
#include "sim/config/suggest.hpp"
#include "sim/core/errors.hpp"
#include "sim/core/units.hpp"
#include "sim/fields/field_set.hpp"

namespace hlhsim::models::treatment {
namespace {

using config::Section;
using Action = Perturbation::Action;

bool bare_number(const std::string& text, double& out) {
    char* end = nullptr;
    errno = 0;
    out = std::strtod(text.c_str(), &end);
    if (end == text.c_str() || errno != 0) return false;
    while (*end == ' ') ++end;
    return *end == '\0';
}

void read_parameter(Section& s, PerturbationTarget& target, Perturbation& p) {
    auto& reg = target.parameters();
    p.target = s.string("parameter", {.doc = "a model parameter (e.g. trigger.influx)"});
    const ParameterRegistry::Entry* e = reg.find(p.target);
    if (!e) {
        s.error("parameter", fmt::format("unknown parameter '{}'{}; known: {}", p.target,
                                         config::did_you_mean(p.target, reg.names()),
                                         fmt::join(reg.names(), ", ")));
        return;
    }
    if (s.has("set") == s.has("scale")) {
        s.error("parameter", "give set or scale");
        return;
    }
    if (s.has("scale")) {
        p.action = Action::kScaleParameter;
        p.value = s.number("scale", {.min = 0, .doc = "factor applied to the parameter"});
        p.text = fmt::format("{} x{:g}", p.target, p.value);
        return;
    }
    p.action = Action::kSetParameter;
    const std::string text = s.string("set", {.doc = "new value, with its unit"});
    double v = 0;
    if (bare_number(text, v) && e->unit != "1") {
        s.error("set", fmt::format("give a unit: {} is in {}", p.target, e->unit));
        return;
    }
    try {
        p.value = bare_number(text, v) ? v : parse_in(text, e->unit);
    } catch (const InputError& err) {
        s.error("set", err.what());
    }
    p.text = fmt::format("{} = {}", p.target, text);
}

int read_state(Section& a, const PerturbationTarget::CellType& type) {
    if (!a.has("state")) return -1;
    const std::string st = a.string("state", {.doc = "cell state (absent: every state)"});
    const auto it = std::find(type.states.begin(), type.states.end(), st);
    if (it == type.states.end()) {
        a.error("state",
                fmt::format("'{}' is not a state of {} ({}){}", st, type.population,
                            fmt::join(type.states, ", "), config::did_you_mean(st, type.states)));
        return -1;
    }
    return static_cast<int>(it - type.states.begin());
}

const PerturbationTarget::CellType* read_population(Section& a, const PerturbationTarget& t,
                                                    std::vector<PerturbationTarget::CellType>& all,
                                                    std::string& name) {
    all = t.cell_types();
    name = a.string("population", {.doc = "cell population"});
    std::vector<std::string> names;
    for (const auto& c : all) {
        names.push_back(c.population);
        if (c.population == name) return &c;
    }
    a.error("population",
            fmt::format("unknown population '{}'{}", name, config::did_you_mean(name, names)));
    return nullptr;
}

const FieldInfo* read_field(Section& a, const std::vector<FieldInfo>& fields, std::string& name) {
    name = a.string("field", {.doc = "a field (substance) of the model"});
    std::vector<std::string> names;
    for (const auto& f : fields) {
        names.push_back(f.name);
        if (f.name == name) return &f;
    }
    a.error("field", fmt::format("unknown field '{}'{}", name, config::did_you_mean(name, names)));
    return nullptr;
}

void read_action(Section& s, PerturbationTarget& target, const std::vector<FieldInfo>& fields,
                 Perturbation& p) {
    const std::vector<std::string> kinds{"parameter", "deplete", "add_cells", "neutralise",
                                         "add_cytokine"};
    std::vector<std::string> present;
    for (const auto& k : kinds)
        if (s.has(k)) present.push_back(k);
    if (present.size() != 1) {
        s.error(present.empty() ? "at" : present[1],
                "give exactly one of parameter, deplete, add_cells, neutralise, add_cytokine");
        return;
    }
    const std::string& kind = present.front();
    if (kind == "parameter") return read_parameter(s, target, p);
    Section a = s.section(kind, {.doc = "what the perturbation does"});
    std::vector<PerturbationTarget::CellType> types;
    if (kind == "deplete" || kind == "add_cells") {
        const auto* type = read_population(a, target, types, p.target);
        if (type) p.state = read_state(a, *type);
        if (type && kind == "add_cells" && p.state < 0) p.state = 0;  // the first state
        const std::string st = p.state < 0 ? "" : " " + type->states[p.state];
        if (kind == "deplete") {
            p.action = Action::kDeplete;
            p.value = a.quantity("fraction", "1", {.min = 0, .max = 1, .doc = "share removed"});
            p.text = fmt::format("deplete {}{} {:g}%", p.target, st, 100 * p.value);
        } else {
            p.action = Action::kAddCells;
            p.value = static_cast<double>(a.integer("count", {.min = 0, .doc = "cells added"}));
            p.text = fmt::format("add {:g} {}{}", p.value, p.target, st);
        }
        return;
    }
    const FieldInfo* f = read_field(a, fields, p.target);
    const std::string unit = f ? f->unit : "1";
    if (kind == "neutralise") {
        p.action = Action::kNeutralise;
        p.value = a.quantity("fraction", "1",
                             {.min = 0, .max = 0.999, .doc = "share of the free cytokine"});
        p.text = fmt::format("neutralise {} {:g}%", p.target, 100 * p.value);
        return;
    }
    p.action = Action::kAddCytokine;
    const bool window = p.until_min >= 0;
    const std::string key = window ? "rate" : "amount";
    const std::string other = window ? "amount" : "rate";
    if (a.has(other))
        a.error(other, window ? "over a window give a rate (" + unit + "/min)"
                              : "at one time give an amount (" + unit + ")");
    p.value = window ? a.quantity("rate", unit + "/min", {.min = 0, .doc = "source per voxel"})
                     : a.quantity("amount", unit, {.min = 0, .doc = "added to every voxel"});
    p.text = fmt::format("add {} {}", p.target, a.string(key, {.def = ""}));
}

}  // namespace

bool Perturbation::continuous() const {
    switch (action) {
        case Action::kSetParameter:
        case Action::kScaleParameter:
            return true;
        case Action::kNeutralise:
        case Action::kAddCytokine:
            return until_min >= 0;
        case Action::kDeplete:
        case Action::kAddCells:
            break;
    }
    return false;
}

std::vector<Perturbation> read_perturbations(Section& root, PerturbationTarget& target,
                                             const std::vector<FieldInfo>& fields) {
    std::vector<Perturbation> out;
    for (Section& s : root.list("perturbations", {.doc = "experiments at a time or a window"})) {
        Perturbation p;
        if (s.has("at") == s.has("from")) {
            s.error("at", "give at (a time) or from (a window start)");
            continue;
        }
        const bool at = s.has("at");
        p.from_min = s.quantity(at ? "at" : "from", "min", {.min = 0, .doc = "when"});
        if (s.has("until")) {
            if (at) s.error("until", "a window is from ... until ...");
            p.until_min = s.quantity("until", "min", {.min = 0, .doc = "end of the window"});
            if (p.until_min <= p.from_min) s.error("until", "must be after from");
        } else if (!at) {
            s.error("from", "from needs until");
        }
        if (s.has("every"))
            p.every_min = s.quantity("every", "min", {.min = 1e-6, .doc = "repeat in the window"});
        read_action(s, target, fields, p);
        const bool instant = p.action == Action::kDeplete || p.action == Action::kAddCells;
        if (instant && p.until_min >= 0 && !(p.every_min > 0))
            s.error("every", "deplete/add_cells over a window repeat: give every");
        if (!instant && p.every_min > 0) s.error("every", "only deplete and add_cells repeat");
        out.push_back(std::move(p));
    }
    return out;
}

std::string apply_once(const Perturbation& p, PerturbationTarget& target, FieldSet* fields,
                       std::uint64_t key) {
    switch (p.action) {
        case Action::kDeplete: {
            const std::size_t n = target.deplete(p.target, p.state, p.value, key);
            return fmt::format("{}: {} cells", p.text, n);
        }
        case Action::kAddCells:
            target.add_cells(p.target, p.state, static_cast<std::int64_t>(p.value), key);
            return p.text;
        case Action::kNeutralise:
        case Action::kAddCytokine: {
            if (!fields) throw std::logic_error("field perturbation without fields");
            const auto f = fields->index_of(p.target);
            if (!f) throw std::logic_error("unknown field " + p.target);
            for (double& v : fields->values(*f))
                v = p.action == Action::kNeutralise ? v * (1 - p.value) : v + p.value;
            return p.text;
        }
        case Action::kSetParameter:
        case Action::kScaleParameter:
            break;
    }
    throw std::logic_error("apply_once: not an instantaneous perturbation");
}

void add_field_rates(const Perturbation& p, FieldSet& fields) {
    const auto f = fields.index_of(p.target);
    if (!f) return;
    if (p.action == Action::kNeutralise) {
        // Bound cytokine is cleared with the field's own decay: as emapalumab in the patch.
        const double k = fields.spec(*f).decay * p.value / (1 - p.value);
        for (double& u : fields.uptake(*f)) u += k;
    } else if (p.action == Action::kAddCytokine) {
        for (double& s : fields.source(*f)) s += p.value;
    }
}

}  // namespace hlhsim::models::treatment
