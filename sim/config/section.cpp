#include "sim/config/section.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>

#include "sim/config/suggest.hpp"
#include "sim/core/errors.hpp"
#include "sim/core/units.hpp"

namespace hlhsim::config {
namespace {

std::string fmt_number(double v) { return fmt::format("{:g}", v); }

template <class T>
std::string range_text(const std::optional<T>& min, const std::optional<T>& max) {
    if (min && max) return fmt::format("[{}, {}]", *min, *max);
    if (min) return fmt::format(">= {}", *min);
    if (max) return fmt::format("<= {}", *max);
    return "";
}

std::optional<double> parse_double(const std::string& s) {
    double v = 0;
    const char* b = s.data();
    const char* e = s.data() + s.size();
    auto [p, ec] = std::from_chars(b, e, v);
    if (ec != std::errc{} || p != e || !std::isfinite(v)) return std::nullopt;
    return v;
}

std::optional<std::int64_t> parse_int(const std::string& s) {
    std::int64_t v = 0;
    const char* b = s.data();
    const char* e = s.data() + s.size();
    auto [p, ec] = std::from_chars(b, e, v);
    if (ec != std::errc{} || p != e) return std::nullopt;
    return v;
}

void mark_subtree_known(const ConfigNode& n) {
    n.mark_used();
    for (const auto& [k, v] : n.entries()) {
        n.mark_known(k);
        mark_subtree_known(v);
    }
    for (const auto& i : n.items()) mark_subtree_known(i);
}

}  // namespace

void Context::error(const SourceLocation& loc, const std::string& message) {
    errors_.push_back(loc.str() + ": " + message);
}

void Context::throw_if_errors() const {
    if (!errors_.empty()) throw ConfigError(errors_);
}

Section::Section(const ConfigNode* node, std::string path, Context& ctx, std::string schema_path)
    : node_(node), path_(std::move(path)), schema_path_(std::move(schema_path)), ctx_(ctx) {
    if (schema_path_.empty()) schema_path_ = path_;
    if (node_ && !node_->is_null() && !node_->is_map()) {
        ctx_.error(node_->location(),
                   fmt::format("'{}' must be a map of keys, not {}", path_, node_->kind_name()));
        node_ = nullptr;
    }
    if (node_) node_->mark_used();
}

std::string Section::key_path(const std::string& key) const {
    return path_.empty() ? key : path_ + "." + key;
}

std::string Section::schema_key(const std::string& key) const {
    return schema_path_.empty() ? key : schema_path_ + "." + key;
}

const ConfigNode* Section::lookup(const std::string& key) const {
    if (!node_ || node_->is_null()) return nullptr;
    node_->mark_known(key);
    const ConfigNode* n = node_->find(key);
    return (n && !n->is_null()) ? n : nullptr;
}

SourceLocation Section::location() const { return node_ ? node_->location() : SourceLocation{}; }

SourceLocation Section::location(const std::string& key) const {
    if (const ConfigNode* n = lookup(key)) return n->location();
    return location();
}

void Section::error(const std::string& key, const std::string& message) {
    if (missing_) return;
    ctx_.error(location(key), fmt::format("'{}': {}", key_path(key), message));
}

bool Section::has(const std::string& key) const { return lookup(key) != nullptr; }

const ConfigNode* Section::scalar_at(const std::string& key) {
    const ConfigNode* n = lookup(key);
    if (n && !n->is_scalar()) {
        error(key, fmt::format("expected a single value, got {}", n->kind_name()));
        return nullptr;
    }
    return n;
}

std::optional<double> Section::convert(const std::string& text, std::string_view unit,
                                       const SourceLocation& loc, const std::string& key) {
    auto fail = [&](const std::string& what) {
        ctx_.error(loc, fmt::format("'{}': {}", key_path(key), what));
        return std::nullopt;
    };
    try {
        const Quantity q = parse_quantity(text);
        const Unit target = parse_unit(unit);
        if (q.dim() == target.dim) return q.in(target);
        if (q.dim().dimensionless())
            return fail(fmt::format("'{}' has no unit: expected a quantity in {}, e.g. '{} {}'",
                                    text, unit, text, unit));
        return fail(fmt::format("expected a quantity in {} ({}), got '{}' ({})", unit,
                                target.dim.describe(), text, q.dim().describe()));
    } catch (const UnitError& e) {
        return fail(fmt::format("expected a quantity in {}: {}", unit, e.what()));
    }
}

double Section::quantity(const std::string& key, std::string_view unit, const QuantityOpts& o) {
    ctx_.schema().record({schema_key(key), "quantity", std::string(unit), o.def.value_or(""),
                          range_text(o.min, o.max), o.doc});
    const ConfigNode* n = lookup(key);
    const bool given = n != nullptr;
    if (n && !n->is_scalar()) {
        error(key, fmt::format("expected a quantity in {}, got {}", unit, n->kind_name()));
        return 0;
    }
    if (!given && !o.def) {
        error(key, fmt::format("missing required key (a quantity in {}{})", unit,
                               o.doc.empty() ? "" : ": " + o.doc));
        return 0;
    }
    const std::string text = given ? n->value() : *o.def;
    const auto converted = convert(text, unit, given ? n->location() : location(), key);
    if (!converted) return 0;
    const double v = *converted;
    if ((o.min && v < *o.min) || (o.max && v > *o.max)) {
        error(key, fmt::format("{} {} is out of range {} {}", fmt_number(v), unit,
                               range_text(o.min, o.max), unit));
    }
    return v;
}

double Section::number(const std::string& key, const NumberOpts& o) {
    ctx_.schema().record({schema_key(key), "number", "", o.def ? fmt_number(*o.def) : "",
                          range_text(o.min, o.max), o.doc});
    const ConfigNode* n = scalar_at(key);
    if (!n) {
        if (!o.def && !lookup(key)) error(key, "missing required key (a number)");
        return o.def.value_or(0);
    }
    const auto v = parse_double(n->value());
    if (!v) {
        error(key, fmt::format("expected a number, got '{}'", n->value()));
        return o.def.value_or(0);
    }
    if ((o.min && *v < *o.min) || (o.max && *v > *o.max))
        error(key, fmt::format("{} is out of range {}", fmt_number(*v), range_text(o.min, o.max)));
    return *v;
}

std::int64_t Section::integer(const std::string& key, const IntOpts& o) {
    ctx_.schema().record({schema_key(key), "integer", "", o.def ? std::to_string(*o.def) : "",
                          range_text(o.min, o.max), o.doc});
    const ConfigNode* n = scalar_at(key);
    if (!n) {
        if (!o.def && !lookup(key)) error(key, "missing required key (an integer)");
        return o.def.value_or(0);
    }
    const auto v = parse_int(n->value());
    if (!v) {
        error(key, fmt::format("expected an integer, got '{}'", n->value()));
        return o.def.value_or(0);
    }
    if ((o.min && *v < *o.min) || (o.max && *v > *o.max))
        error(key, fmt::format("{} is out of range {}", *v, range_text(o.min, o.max)));
    return *v;
}

bool Section::boolean(const std::string& key, const BoolOpts& o) {
    ctx_.schema().record(
        {schema_key(key), "bool", "", o.def ? (*o.def ? "true" : "false") : "", "", o.doc});
    const ConfigNode* n = scalar_at(key);
    if (!n) {
        if (!o.def && !lookup(key)) error(key, "missing required key (true or false)");
        return o.def.value_or(false);
    }
    const std::string& s = n->value();
    if (s == "true" || s == "yes" || s == "on") return true;
    if (s == "false" || s == "no" || s == "off") return false;
    error(key, fmt::format("expected true or false, got '{}'", s));
    return o.def.value_or(false);
}

std::string Section::string(const std::string& key, const StringOpts& o) {
    std::string choices;
    for (const auto& c : o.choices) choices += (choices.empty() ? "" : ", ") + c;
    ctx_.schema().record({schema_key(key), "string", "", o.def.value_or(""),
                          choices.empty() ? "" : "one of " + choices, o.doc});
    const ConfigNode* n = scalar_at(key);
    if (!n) {
        if (!o.def && !lookup(key))
            error(key, choices.empty() ? "missing required key (a string)"
                                       : "missing required key (one of " + choices + ")");
        return o.def.value_or("");
    }
    const std::string& s = n->value();
    if (!o.choices.empty() && std::find(o.choices.begin(), o.choices.end(), s) == o.choices.end()) {
        error(key, fmt::format("'{}' is not one of {}{}", s, choices, did_you_mean(s, o.choices)));
        return o.def.value_or(o.choices.front());
    }
    return s;
}

std::vector<std::string> Section::strings(const std::string& key, const SectionOpts& o) {
    ctx_.schema().record(
        {schema_key(key), "list of strings", "", o.required ? "" : "[]", "", o.doc});
    std::vector<std::string> out;
    const ConfigNode* n = lookup(key);
    if (!n) {
        if (o.required) error(key, "missing required key (a list of strings)");
        return out;
    }
    if (n->is_scalar()) return {n->value()};
    if (!n->is_sequence()) {
        error(key, fmt::format("expected a list of strings, got {}", n->kind_name()));
        return out;
    }
    for (const auto& item : n->items()) {
        if (!item.is_scalar()) {
            ctx_.error(item.location(), fmt::format("'{}': expected a string, got {}",
                                                    key_path(key), item.kind_name()));
            continue;
        }
        out.push_back(item.value());
    }
    return out;
}

std::vector<double> Section::quantities(const std::string& key, std::string_view unit,
                                        const SectionOpts& o) {
    ctx_.schema().record({schema_key(key), "list of quantities", std::string(unit),
                          o.required ? "" : "[]", "", o.doc});
    std::vector<double> out;
    const ConfigNode* n = lookup(key);
    if (!n) {
        if (o.required)
            error(key, fmt::format("missing required key (a list of quantities in {})", unit));
        return out;
    }
    std::vector<const ConfigNode*> items;
    if (n->is_scalar()) {
        items.push_back(n);
    } else if (n->is_sequence()) {
        for (const auto& i : n->items()) items.push_back(&i);
    } else {
        error(key,
              fmt::format("expected a list of quantities in {}, got {}", unit, n->kind_name()));
        return out;
    }
    for (const ConfigNode* item : items) {
        if (!item->is_scalar()) {
            ctx_.error(item->location(), fmt::format("'{}': expected a quantity in {}, got {}",
                                                     key_path(key), unit, item->kind_name()));
            continue;
        }
        if (auto v = convert(item->value(), unit, item->location(), key)) out.push_back(*v);
    }
    return out;
}

Section Section::section(const std::string& key, const SectionOpts& o) {
    ctx_.schema().record({schema_key(key), "map", "", o.required ? "" : "{}", "", o.doc});
    const ConfigNode* n = lookup(key);
    Section sub(n, key_path(key), ctx_, schema_key(key));
    if (!n && o.required) {
        error(key, "missing required section");
        sub.missing_ = true;
    }
    sub.missing_ = sub.missing_ || missing_;
    return sub;
}

std::vector<Section> Section::list(const std::string& key, const SectionOpts& o) {
    ctx_.schema().record({schema_key(key), "list of maps", "", o.required ? "" : "[]", "", o.doc});
    std::vector<Section> out;
    const ConfigNode* n = lookup(key);
    if (!n) {
        if (o.required) error(key, "missing required key (a list)");
        return out;
    }
    if (!n->is_sequence()) {
        error(key, fmt::format("expected a list, got {}", n->kind_name()));
        return out;
    }
    n->mark_used();
    for (std::size_t i = 0; i < n->items().size(); ++i)
        out.emplace_back(&n->items()[i], fmt::format("{}[{}]", key_path(key), i), ctx_,
                         schema_key(key) + "[]");
    return out;
}

std::vector<std::pair<std::string, Section>> Section::named(const std::string& key,
                                                            const SectionOpts& o) {
    ctx_.schema().record(
        {schema_key(key), "map of named maps", "", o.required ? "" : "{}", "", o.doc});
    std::vector<std::pair<std::string, Section>> out;
    const ConfigNode* n = lookup(key);
    if (!n) {
        if (o.required) error(key, "missing required section");
        return out;
    }
    if (!n->is_map()) {
        error(key, fmt::format("expected a map of names, got {}", n->kind_name()));
        return out;
    }
    n->mark_used();
    for (const auto& [name, value] : n->entries()) {
        n->mark_known(name);
        out.emplace_back(
            name, Section(&value, key_path(key) + "." + name, ctx_, schema_key(key) + ".<name>"));
    }
    return out;
}

const ConfigNode* Section::raw(const std::string& key, const std::string& doc) {
    ctx_.schema().record({schema_key(key), "any", "", "", "", doc});
    const ConfigNode* n = lookup(key);
    if (n) mark_subtree_known(*n);
    return n;
}

namespace {

void check_unknown_keys_below(const ConfigNode& node, Context& ctx, bool top) {
    if (node.is_map()) {
        for (const auto& [key, value] : node.entries()) {
            const auto& known = node.known_keys();
            if (node.used() && std::find(known.begin(), known.end(), key) == known.end()) {
                // A section the model never reached because it stopped at earlier errors.
                if (top && ctx.stopped_early()) continue;
                ctx.error(node.key_location(key),
                          fmt::format("unknown key '{}'{}", key, did_you_mean(key, known)));
                continue;
            }
            check_unknown_keys_below(value, ctx, false);
        }
    } else if (node.is_sequence()) {
        for (const auto& item : node.items()) check_unknown_keys_below(item, ctx, false);
    }
}

}  // namespace

void check_unknown_keys(const ConfigNode& root, Context& ctx) {
    check_unknown_keys_below(root, ctx, true);
}

}  // namespace hlhsim::config
