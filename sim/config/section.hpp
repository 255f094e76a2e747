#pragma once
// Typed, documented access to one map of the configuration.
//
// Models declare their parameters by reading them: every call names the key,
// its type, unit, default, range and a line of documentation. The calls both
// return the value and record the schema, so the reference page
// (`hlhsim schema`) can never drift from the code. Errors do not throw at once:
// they are collected with FILE:LINE:COL so the user sees all of them in one go,
// and Context::throw_if_errors() raises one ConfigError at the end.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/config/config_node.hpp"
#include "sim/config/schema.hpp"

namespace hlhsim::config {

/// Collected errors and the schema recorded while a configuration is read.
class Context {
  public:
    void error(const SourceLocation& loc, const std::string& message);
    bool has_errors() const { return !errors_.empty(); }
    /// A model that found errors in its first keys and stopped reading calls this: the
    /// top-level sections it would have read later (treatments, monitor, ...) are then
    /// not reported as unknown keys, which would only bury the real errors.
    void note_stopped_early() { stopped_early_ = true; }
    bool stopped_early() const { return stopped_early_; }
    const std::vector<std::string>& errors() const { return errors_; }
    /// Throws ConfigError holding every message so far (in the order found).
    void throw_if_errors() const;
    Schema& schema() { return schema_; }

  private:
    std::vector<std::string> errors_;
    Schema schema_;
    bool stopped_early_ = false;
};

struct QuantityOpts {
    std::optional<std::string> def;  ///< default with its unit, e.g. "6 um/min"; none = required
    std::optional<double> min;       ///< in the requested unit, inclusive
    std::optional<double> max;
    std::string doc;
};
struct NumberOpts {
    std::optional<double> def;
    std::optional<double> min;
    std::optional<double> max;
    std::string doc;
};
struct IntOpts {
    std::optional<std::int64_t> def;
    std::optional<std::int64_t> min;
    std::optional<std::int64_t> max;
    std::string doc;
};
struct BoolOpts {
    std::optional<bool> def;
    std::string doc;
};
struct StringOpts {
    std::optional<std::string> def;
    std::vector<std::string> choices;  ///< empty = any string
    std::string doc;
};
struct SectionOpts {
    bool required = false;
    std::string doc;
};

class Section {
  public:
    /// `node` may be null: an absent optional section, read entirely from defaults.
    /// `schema_path` names the entry in the reference ("cells[].speed" for every item
    /// of a list); it defaults to `path`, which names this very map in messages.
    Section(const ConfigNode* node, std::string path, Context& ctx, std::string schema_path = {});

    /// A physical quantity converted to `unit` ("6000 um^2/min" -> 6000 for unit "um^2/min").
    double quantity(const std::string& key, std::string_view unit, const QuantityOpts& opts);
    double number(const std::string& key, const NumberOpts& opts);
    std::int64_t integer(const std::string& key, const IntOpts& opts);
    bool boolean(const std::string& key, const BoolOpts& opts);
    std::string string(const std::string& key, const StringOpts& opts);
    /// A list of strings (a single string counts as a list of one).
    std::vector<std::string> strings(const std::string& key, const SectionOpts& opts);
    /// A list of quantities in `unit`.
    std::vector<double> quantities(const std::string& key, std::string_view unit,
                                   const SectionOpts& opts);

    /// A nested map. Absent and not required: a Section over nothing (all defaults).
    Section section(const std::string& key, const SectionOpts& opts);
    /// A list of maps.
    std::vector<Section> list(const std::string& key, const SectionOpts& opts);
    /// A map whose keys are names chosen by the user (fields: {ifng: {...}, il6: {...}}).
    std::vector<std::pair<std::string, Section>> named(const std::string& key,
                                                       const SectionOpts& opts);

    bool has(const std::string& key) const;
    bool present() const { return node_ != nullptr && !node_->is_null(); }
    /// The raw node under key (declared as known, subtree excluded from checks).
    const ConfigNode* raw(const std::string& key, const std::string& doc);
    /// Where key is (or this section, if absent), for errors found later.
    SourceLocation location(const std::string& key) const;
    SourceLocation location() const;
    /// Adds an error located at key (or at this section).
    void error(const std::string& key, const std::string& message);
    const std::string& path() const { return path_; }
    Context& context() { return ctx_; }

  private:
    const ConfigNode* lookup(const std::string& key) const;
    /// text converted to unit, or an error at loc (and nullopt).
    std::optional<double> convert(const std::string& text, std::string_view unit,
                                  const SourceLocation& loc, const std::string& key);
    const ConfigNode* scalar_at(const std::string& key);
    std::string key_path(const std::string& key) const;
    std::string schema_key(const std::string& key) const;

    const ConfigNode* node_;
    std::string path_;
    std::string schema_path_;
    /// A required section that is missing: its error is reported once, its keys not.
    bool missing_ = false;
    Context& ctx_;
};

/// Reports every key in maps that were opened as a Section but never asked for,
/// with "did you mean" from the keys that were asked for.
void check_unknown_keys(const ConfigNode& root, Context& ctx);

}  // namespace hlhsim::config
