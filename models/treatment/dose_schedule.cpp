#include "models/treatment/dose_schedule.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>

#include "models/treatment/drug.hpp"
#include "sim/config/section.hpp"
#include "sim/core/errors.hpp"
#include "sim/core/units.hpp"

namespace hlhsim::models::treatment {
namespace {

using config::Section;
constexpr double kInf = std::numeric_limits<double>::infinity();

struct Frequency {
    std::string_view name;
    double interval_min;  ///< 0 for once
};
constexpr std::array<Frequency, 8> kFrequencies{{{"once", 0},
                                                 {"daily", kMinutesPerDay},
                                                 {"qd", kMinutesPerDay},
                                                 {"bid", kMinutesPerDay / 2},
                                                 {"tid", kMinutesPerDay / 3},
                                                 {"qid", kMinutesPerDay / 4},
                                                 {"qod", 2 * kMinutesPerDay},
                                                 {"weekly", 7 * kMinutesPerDay}}};

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

std::optional<double> frequency_interval(std::string_view name) {
    const std::string l = lower(name);
    for (const Frequency& f : kFrequencies)
        if (f.name == l) return f.interval_min;
    return std::nullopt;
}

void read_rhythm(Section& s, DosePhase& p) {
    const bool has_days = s.has("days"), has_every = s.has("every"), has_freq = s.has("frequency");
    std::optional<double> interval;
    if (has_freq) {
        const std::string f =
            s.string("frequency", {.doc = "once, daily (qd), bid, tid, qid, qod, weekly"});
        interval = frequency_interval(f);
        if (!interval)
            s.error("frequency", fmt::format("'{}' is not one of once, daily, qd, bid, tid, qid, "
                                             "qod, weekly (any case)",
                                             f));
    }
    if (has_days) {
        if (has_every) s.error("every", "give days or every, not both");
        for (double d : s.quantities("days", "1", {.doc = "day numbers, 1 = the start"})) {
            if (d < 1 || d != std::floor(d)) {
                s.error("days", fmt::format("day numbers are whole numbers >= 1, got {}", d));
                continue;
            }
            p.days.push_back(static_cast<int>(d));
        }
        std::sort(p.days.begin(), p.days.end());
        p.days.erase(std::unique(p.days.begin(), p.days.end()), p.days.end());
        if (interval) {
            if (*interval <= 0 || *interval > kMinutesPerDay)
                s.error("frequency", "with days: daily, bid, tid or qid (doses per listed day)");
            else
                p.doses_per_listed_day = static_cast<int>(std::lround(kMinutesPerDay / *interval));
        }
    } else if (has_every) {
        if (has_freq) s.error("frequency", "give every or frequency, not both");
        p.every_min = s.quantity("every", "min", {.min = 1e-6, .doc = "interval between doses"});
    } else if (interval) {
        p.every_min = *interval;
        if (*interval == 0) p.count = 1;
    } else if (!has_freq) {
        s.error("dose", "give the rhythm: every, frequency or days");
    }
}

DosePhase read_phase(Section& s) {
    DosePhase p;
    const std::string text =
        s.string("dose", {.doc = "mg, mg/kg or mg/m^2 per dose, or per day (e.g. 6 mg/kg/day)"});
    try {
        p.dose = parse_dose(text);
    } catch (const InputError& e) {
        s.error("dose", e.what());
    }
    read_rhythm(s, p);
    if (s.has("count"))
        p.count = s.integer("count", {.min = 1, .doc = "number of doses in this phase"});
    p.repeat_min =
        s.quantity("repeat_every", "min", {.def = "0 min", .min = 0, .doc = "days pattern period"});
    p.offset_min =
        s.quantity("offset", "min", {.def = "0 min", .min = 0, .doc = "first dose after start"});
    const bool once = p.every_min == 0 && p.days.empty();
    if (s.has("duration"))
        p.duration_min = s.quantity("duration", "min", {.min = 0, .doc = "length of the phase"});
    else if (p.count > 0 && p.every_min > 0)
        p.duration_min = p.offset_min + static_cast<double>(p.count) * p.every_min;
    else if (once)
        p.duration_min = 0;
    else if (!p.days.empty() && p.repeat_min == 0)
        p.duration_min = p.offset_min + p.days.back() * kMinutesPerDay;
    if (p.dose.per_day && once) s.error("dose", "a daily amount needs a rhythm, not once");
    if (p.repeat_min > 0 && p.days.empty()) s.error("repeat_every", "repeats a days list");
    return p;
}

}  // namespace

double DoseAmount::mg(const Patient& patient, double doses_per_day) const {
    double v = value;
    if (basis == Basis::kPerKg) v *= patient.weight_kg;
    if (basis == Basis::kPerM2) v *= patient.bsa_m2;
    return per_day ? v / doses_per_day : v;
}

DoseAmount parse_dose(std::string_view text) {
    const Quantity q = parse_quantity(text);
    const Dimension mass = parse_unit("mg").dim, time = parse_unit("day").dim,
                    area = parse_unit("m^2").dim;
    const std::string l = lower(text);
    const bool kg = l.find("/kg") != std::string::npos;
    DoseAmount d;
    d.text = std::string(text);
    for (bool per_day : {false, true}) {
        const Dimension t = per_day ? time : Dimension{};
        const std::string suffix = per_day ? "/day" : "";
        d.per_day = per_day;
        if (q.dim() == mass / t && !kg) {
            d.basis = DoseAmount::Basis::kFlat, d.value = q.in("mg" + suffix);
            return d;
        }
        if (q.dim() == (mass / area) / t && !kg) {
            d.basis = DoseAmount::Basis::kPerM2, d.value = q.in("mg/m^2" + suffix);
            return d;
        }
        if (q.dim() == Dimension{} / t && kg) {
            d.basis = DoseAmount::Basis::kPerKg, d.value = q.in("mg/kg" + suffix);
            return d;
        }
    }
    throw UnitError(fmt::format(
        "dose '{}': expected mg, mg/kg or mg/m^2, optionally per day (e.g. 10 mg/m^2/day)", text));
}

double DosePhase::doses_per_day() const {
    if (every_min > 0) return kMinutesPerDay / every_min;
    if (!days.empty()) return doses_per_listed_day;
    return 1;
}

std::vector<Dose> expand(const DoseSchedule& s, const Patient& patient, double horizon_min) {
    std::vector<Dose> out;
    const double stop = std::min(horizon_min, s.until_min);
    double start = s.from_min;
    for (const DosePhase& p : s.phases) {
        if (!(start < stop)) break;
        const double end = p.duration_min < 0 ? kInf : start + p.duration_min;
        const double mg = p.dose.mg(patient, p.doses_per_day());
        std::int64_t n = 0;
        auto emit = [&](double t) {
            out.push_back({t, s.drug, mg, s.route, s.infusion_h, p.dose.text});
            ++n;
        };
        auto more = [&] { return p.count < 0 || n < p.count; };
        if (p.every_min > 0) {
            for (std::int64_t k = 0; more(); ++k) {
                const double t = start + p.offset_min + static_cast<double>(k) * p.every_min;
                if (!(t < end && t < stop)) break;
                emit(t);
            }
        } else if (!p.days.empty()) {
            const double step = kMinutesPerDay / p.doses_per_listed_day;
            for (std::int64_t r = 0; more(); ++r) {
                const double base = start + p.offset_min + static_cast<double>(r) * p.repeat_min;
                if (!(base < end && base < stop)) break;
                for (int d : p.days)
                    for (int j = 0; j < p.doses_per_listed_day && more(); ++j) {
                        const double t = base + (d - 1) * kMinutesPerDay + j * step;
                        if (t < end && t < stop) emit(t);
                    }
                if (!(p.repeat_min > 0)) break;
            }
        } else if (start + p.offset_min < stop) {
            emit(start + p.offset_min);  // once
        }
        start = end;
    }
    std::stable_sort(out.begin(), out.end(),
                     [](const Dose& a, const Dose& b) { return a.time_min < b.time_min; });
    return out;
}

double schedule_end(const DoseSchedule& s) {
    double t = s.from_min;
    for (const DosePhase& p : s.phases) {
        if (p.duration_min < 0) return std::min(kInf, s.until_min);
        t += std::max(p.duration_min, p.offset_min);
    }
    return std::min(t, s.until_min);
}

DoseSchedule read_schedule(Section& s) {
    DoseSchedule d;
    d.drug = s.string("drug", {.doc = "name of a drug defined under drugs"});
    if (s.has("route")) {
        const std::string r =
            s.string("route", {.choices = route_names(), .doc = "overrides the drug's route"});
        const auto names = route_names();
        if (std::find(names.begin(), names.end(), r) != names.end()) d.route = route_from_name(r);
    }
    d.infusion_h = s.quantity("infusion", "h", {.def = "0 h", .min = 0, .doc = "iv_infusion time"});
    if (d.route == Route::iv_infusion && !(d.infusion_h > 0))
        s.error("infusion", "route iv_infusion needs an infusion duration > 0");
    d.from_min = s.quantity("from", "min", {.def = "0 min", .min = 0, .doc = "after the start"});
    if (s.has("until"))
        d.until_min = s.quantity("until", "min", {.min = 0, .doc = "no dose at or after"});
    if (s.has("phases")) {
        auto phases = s.list("phases", {.doc = "step-ups and tapers, one after another"});
        for (Section& p : phases) d.phases.push_back(read_phase(p));
        if (phases.empty()) s.error("phases", "needs at least one phase");
    } else {
        d.phases.push_back(read_phase(s));
    }
    for (std::size_t i = 0; i + 1 < d.phases.size(); ++i)
        if (d.phases[i].duration_min < 0)
            s.error("phases", fmt::format("phase {} has no end (duration or count); only the "
                                          "last phase may run until the treatment stops",
                                          i + 1));
    return d;
}

std::vector<std::string> frequency_names() {
    std::vector<std::string> out;
    for (const Frequency& f : kFrequencies) out.emplace_back(f.name);
    return out;
}

}  // namespace hlhsim::models::treatment
