#pragma once
// Dosing schedules as data: amounts in mg, mg/kg or mg/m^2 (per dose, or per day and
// split over the day's doses), every N hours, BID/TID/QID/daily/weekly, explicit day
// lists (day 1 = the start), repeating patterns, and a list of phases for step-ups and
// tapers. A schedule expands to a plain list of doses; times are minutes relative to
// the start of the treatment (or block) that holds it.
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "models/pharma/pk.hpp"

namespace hlhsim::config {
class Section;
}

namespace hlhsim::models::treatment {

/// The patient as dosing sees her.
struct Patient {
    double weight_kg = 60;  ///< [kg]
    double bsa_m2 = 1.65;   ///< body surface area [m^2]
};

/// An amount as written: "5 mg", "6 mg/kg", "150 mg/m^2", or per day: "10 mg/m^2/day".
struct DoseAmount {
    enum class Basis : std::uint8_t { kFlat, kPerKg, kPerM2 };
    double value = 0;  ///< in mg, mg/kg or mg/m^2 (per day when per_day)
    Basis basis = Basis::kFlat;
    bool per_day = false;  ///< a daily amount, divided among the day's doses
    std::string text;      ///< as written, for events
    /// mg of one administration for `patient`; a daily amount is divided by doses_per_day.
    double mg(const Patient& patient, double doses_per_day) const;
};
/// Parses a dose amount; throws UnitError naming what is wrong.
DoseAmount parse_dose(std::string_view text);

/// One stretch of a schedule with its own dose and rhythm.
struct DosePhase {
    DoseAmount dose;
    double every_min = 0;          ///< interval between doses [min]; 0 = days list or once
    std::vector<int> days;         ///< explicit day numbers, 1 = the phase start
    int doses_per_listed_day = 1;  ///< with days: doses on each listed day (frequency)
    double duration_min = -1;      ///< < 0: open-ended (last phase only)
    std::int64_t count = -1;       ///< at most this many doses (-1: no limit)
    double repeat_min = 0;         ///< the days pattern repeats with this period [min]
    double offset_min = 0;         ///< first dose this long after the phase start [min]
    /// Doses per day, for splitting a daily amount.
    double doses_per_day() const;
};

struct DoseSchedule {
    std::string drug;
    std::optional<Route> route;  ///< overrides the drug's usual route
    double infusion_h = 0;       ///< infusion duration when the route is iv_infusion [h]
    double from_min = 0;         ///< start, relative to the treatment start [min]
    double until_min = std::numeric_limits<double>::infinity();  ///< no dose at or after
    std::vector<DosePhase> phases;
};

/// One administration.
struct Dose {
    double time_min = 0;  ///< relative to the treatment start [min]
    std::string drug;
    double mg = 0;
    std::optional<Route> route;
    double infusion_h = 0;
    std::string amount;  ///< the amount as written, e.g. "150 mg/m^2"
};

/// All doses of `s` for `patient` before `horizon_min` (relative), in time order.
std::vector<Dose> expand(const DoseSchedule& s, const Patient& patient, double horizon_min);

/// When the last phase of `s` ends (relative) [min]; infinity when open-ended.
double schedule_end(const DoseSchedule& s);

/// Reads one schedule ({drug, dose, frequency, ...} or {drug, phases: [...]}).
DoseSchedule read_schedule(config::Section& s);

/// Frequency names: once, daily (qd), bid, tid, qid, qod, weekly (any case).
std::vector<std::string> frequency_names();

}  // namespace hlhsim::models::treatment
