#include "models/treatment/treatment_spec.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <iterator>

#include "sim/config/section.hpp"
#include "sim/config/suggest.hpp"

namespace hlhsim::models::treatment {
namespace {

using config::Section;

void read_drugs_into(Section& s, std::vector<DrugSpec>& out) {
    for (auto& [name, d] : s.named("drugs", {.doc = "drug definitions (configs/drugs)"})) {
        DrugSpec spec = read_drug(d, name);
        const auto same =
            std::find_if(out.begin(), out.end(), [&](const DrugSpec& o) { return o.name == name; });
        if (same == out.end())
            out.push_back(std::move(spec));
        else if (!(*same == spec))
            d.error("pk", fmt::format("drug '{}' is defined twice, differently", name));
    }
}

std::unique_ptr<Condition> condition(Section& s, const std::string& key, const std::string& doc,
                                     const RuleContext& rules) {
    const config::ConfigNode* n = s.raw(key, doc);
    if (!n) return nullptr;
    return read_condition(*n, s.path() + "." + key, s.context(), rules);
}

void check_drug(Section& s, const DoseSchedule& d, const std::vector<DrugSpec>& drugs) {
    std::vector<std::string> names;
    for (const auto& x : drugs) names.push_back(x.name);
    const auto it = std::find_if(drugs.begin(), drugs.end(),
                                 [&](const DrugSpec& x) { return x.name == d.drug; });
    if (it == drugs.end()) {
        s.error("drug",
                fmt::format("unknown drug '{}'{}; defined: {}", d.drug,
                            config::did_you_mean(d.drug, names),
                            names.empty() ? "none" : fmt::format("{}", fmt::join(names, ", "))));
        return;
    }
    const Route r = d.route.value_or(it->pk.route);
    if ((r == Route::oral || r == Route::subcutaneous) && !(it->pk.ka_per_h > 0))
        s.error("route",
                fmt::format("{} has no absorption_rate for an extravascular dose", d.drug));
    if (r == Route::iv_infusion && !(d.infusion_h > 0) && !(it->infusion_h > 0))
        s.error("route", "iv_infusion needs an infusion duration (here or in the drug)");
}

void read_schedules(Section& s, double offset, const std::vector<DrugSpec>& drugs,
                    std::vector<DoseSchedule>& out) {
    for (Section& item : s.list("schedules", {.doc = "dosing schedules of the treatment"})) {
        DoseSchedule d = read_schedule(item);
        check_drug(item, d, drugs);
        d.from_min += offset;
        d.until_min += offset;
        out.push_back(std::move(d));
    }
}

}  // namespace

std::vector<DrugSpec> read_drug_table(Section& root) {
    std::vector<DrugSpec> out;
    read_drugs_into(root, out);
    for (Section& t : root.list("treatments", {.doc = "treatments given to the patient"}))
        read_drugs_into(t, out);
    return out;
}

std::vector<std::string> read_treatment_names(Section& root) {
    std::vector<std::string> out;
    for (Section& t : root.list("treatments", {.doc = "treatments given to the patient"})) {
        if (!t.boolean("enabled", {.def = true, .doc = "false: ignored"}) || !t.has("name"))
            continue;  // read_treatments reports a missing name
        out.push_back(t.string("name", {.doc = "unique name, used in events and rules"}));
    }
    return out;
}

std::vector<TreatmentSpec> read_treatments(Section& root, const std::vector<DrugSpec>& drugs,
                                           const RuleContext& rules) {
    std::vector<TreatmentSpec> out;
    for (Section& t : root.list("treatments", {.doc = "treatments given to the patient"})) {
        if (!t.boolean("enabled", {.def = true, .doc = "false: ignored"})) continue;
        TreatmentSpec spec;
        spec.name = t.string("name", {.doc = "unique name, used in events and rules"});
        for (const auto& o : out)
            if (o.name == spec.name) t.error("name", "two treatments are called " + spec.name);
        if (t.has("start") && t.has("start_when"))
            t.error("start_when", "give start (a time) or start_when (a rule), not both");
        if (t.has("start_when")) {
            spec.start_when = condition(t, "start_when", "rule that starts the treatment", rules);
            spec.delay_min =
                t.quantity("delay", "min", {.def = "0 min", .min = 0, .doc = "from rule to start"});
        } else {
            spec.start_min = t.quantity(
                "start", "min", {.def = "0 day", .min = 0, .doc = "start time (simulated)"});
        }
        if (t.has("stop") && t.has("stop_when"))
            t.error("stop_when", "give stop or stop_when, not both");
        if (t.has("stop"))
            spec.stop_min = t.quantity("stop", "min", {.min = 0, .doc = "stop time"});
        spec.stop_when = condition(t, "stop_when", "rule that stops the treatment", rules);
        read_schedules(t, 0, drugs, spec.schedules);
        for (auto& [name, b] : t.named("blocks", {.doc = "named groups of schedules"})) {
            const bool on = b.boolean("enabled", {.def = true, .doc = "false: not given"});
            const double from =
                b.quantity("from", "min", {.def = "0 min", .min = 0, .doc = "after the start"});
            std::vector<DoseSchedule> block;  // read (and checked) even when off
            read_schedules(b, from, drugs, block);
            if (on) std::move(block.begin(), block.end(), std::back_inserter(spec.schedules));
        }
        out.push_back(std::move(spec));
    }
    return out;
}

MonitorSpec read_monitor(Section& root, const RuleContext& rules) {
    MonitorSpec m;
    Section s = root.section("monitor", {.doc = "remission and relapse detection on readouts"});
    m.check_every_min = s.quantity("check_every", "min",
                                   {.def = "1 day", .min = 1e-6, .doc = "period of rule checks"});
    m.onset = condition(s, "onset", "when the disease counts as active (default: at once)", rules);
    m.remission = condition(s, "remission", "when the disease counts as in remission", rules);
    m.relapse = condition(s, "relapse", "when, after a remission, it counts as relapsed", rules);
    if (m.onset && !m.remission) s.error("onset", "onset goes with remission");
    if (m.relapse && !m.remission)
        s.error("relapse", "a relapse is detected after a remission: give remission too");
    return m;
}

}  // namespace hlhsim::models::treatment
