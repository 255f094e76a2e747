#pragma once
// Named model parameters that perturbations may set or scale while a run goes on.
// The model registers pointers into its own parameter structs with the unit the code
// works in ("1/min" for a rate read in 1/min); the treatment layer converts what the
// user wrote ("0.5 1/h") into that unit. Knows no biology.
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace hlhsim::models::treatment {

class ParameterRegistry {
  public:
    struct Entry {
        std::string name;                            ///< e.g. "trigger.influx"
        std::variant<double*, std::int64_t*> value;  ///< where the model reads it
        std::string unit;                            ///< internal unit ("1" when dimensionless)
    };

    /// Registers a real parameter in `unit`. Names must be unique (std::invalid_argument).
    void add(std::string name, double* value, std::string unit = "1");
    /// Registers an integer parameter (counts). Set values are rounded.
    void add(std::string name, std::int64_t* value);

    /// The entry called `name`, or null.
    const Entry* find(std::string_view name) const;
    /// Every registered name, in registration order (for messages and docs).
    std::vector<std::string> names() const;

    /// Current value of an entry, as double.
    static double get(const Entry& e);
    /// Writes `v` (rounded for integers).
    static void set(const Entry& e, double v);

  private:
    std::vector<Entry> entries_;
};

}  // namespace hlhsim::models::treatment
