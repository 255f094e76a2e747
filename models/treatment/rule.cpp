#include "models/treatment/rule.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <deque>
#include <limits>
#include <optional>

#include "sim/config/config_node.hpp"
#include "sim/config/section.hpp"
#include "sim/config/suggest.hpp"
#include "sim/core/errors.hpp"
#include "sim/core/units.hpp"

namespace hlhsim::models::treatment {
namespace {

using config::ConfigNode;
using config::Context;
constexpr double kEps = 1e-6;  // [min], slack for "held for" comparisons

std::string fmt_min(double m) {
    if (m >= kMinutesPerDay && std::fmod(m, kMinutesPerDay) == 0)
        return fmt::format("{:g} day", m / kMinutesPerDay);
    if (m >= 60 && std::fmod(m, 60) == 0) return fmt::format("{:g} h", m / 60);
    return fmt::format("{:g} min", m);
}

class Group final : public Condition {
  public:
    Group(bool all, std::vector<std::unique_ptr<Condition>> items)
        : all_(all), items_(std::move(items)) {}
    bool update(double t, const RuleFacts& f) override {
        bool result = all_;
        for (auto& c : items_) {  // every child, so that each keeps its history
            const bool v = c->update(t, f);
            result = all_ ? (result && v) : (result || v);
        }
        return result;
    }
    void reset() override {
        for (auto& c : items_) c->reset();
    }
    std::string describe() const override {
        std::string s;
        for (const auto& c : items_)
            s += (s.empty() ? "" : all_ ? " and " : " or ") + c->describe();
        return items_.size() > 1 ? "(" + s + ")" : s;
    }

  private:
    bool all_;
    std::vector<std::unique_ptr<Condition>> items_;
};

class Not final : public Condition {
  public:
    explicit Not(std::unique_ptr<Condition> c) : c_(std::move(c)) {}
    bool update(double t, const RuleFacts& f) override { return !c_->update(t, f); }
    void reset() override { c_->reset(); }
    std::string describe() const override { return "not " + c_->describe(); }

  private:
    std::unique_ptr<Condition> c_;
};

class Fact final : public Condition {
  public:
    enum class Kind { kEvent, kStarted, kStopped, kAfter };
    Fact(Kind k, std::string name, double number) : k_(k), name_(std::move(name)), n_(number) {}
    bool update(double t, const RuleFacts& f) override {
        switch (k_) {
            case Kind::kEvent:
                return f.event_count(name_) >= static_cast<int>(n_);
            case Kind::kStarted:
                return f.started(name_);
            case Kind::kStopped:
                return f.stopped(name_);
            case Kind::kAfter:
                break;
        }
        return t >= n_ - kEps;
    }
    void reset() override {}
    std::string describe() const override {
        switch (k_) {
            case Kind::kEvent:
                return n_ > 1 ? fmt::format("{} x{:g}", name_, n_) : name_;
            case Kind::kStarted:
                return name_ + " started";
            case Kind::kStopped:
                return name_ + " stopped";
            case Kind::kAfter:
                break;
        }
        return "after " + fmt_min(n_);
    }

  private:
    Kind k_;
    std::string name_;
    double n_;
};

class ReadoutCondition final : public Condition {
  public:
    enum class Op { kAbove, kBelow, kAtLeast, kAtMost, kRising, kFalling, kFallenFromPeak };
    ReadoutCondition(const Readout* r, Op op, double x, double window, double hold,
                     std::string text)
        : r_(r), op_(op), x_(x), window_(window), hold_(hold), text_(std::move(text)) {}

    bool update(double t, const RuleFacts&) override {
        const double v = r_->value();
        bool raw = false;
        switch (op_) {
            case Op::kAbove:
                raw = v > x_;
                break;
            case Op::kBelow:
                raw = v < x_;
                break;
            case Op::kAtLeast:
                raw = v >= x_;
                break;
            case Op::kAtMost:
                raw = v <= x_;
                break;
            case Op::kRising:
            case Op::kFalling: {
                history_.emplace_back(t, v);
                while (!history_.empty() && history_.front().first < t - window_ - kEps)
                    history_.pop_front();
                double lo = v, hi = v;
                for (const auto& [ht, hv] : history_) lo = std::min(lo, hv), hi = std::max(hi, hv);
                raw = op_ == Op::kRising ? (v > lo && v >= (1 + x_) * lo)
                                         : (v < hi && v <= (1 - x_) * hi);
                break;
            }
            case Op::kFallenFromPeak:
                peak_ = std::max(peak_, v);
                raw = peak_ > 0 && v <= (1 - x_) * peak_;
                break;
        }
        if (!raw) {
            since_.reset();
            return false;
        }
        if (!since_) since_ = t;
        return t - *since_ >= hold_ - kEps;
    }
    void reset() override {
        since_.reset();
        history_.clear();
        peak_ = -std::numeric_limits<double>::infinity();
    }
    std::string describe() const override {
        std::string s = r_->name + " " + text_;
        if (hold_ > 0) s += " for " + fmt_min(hold_);
        return s;
    }

  private:
    const Readout* r_;
    Op op_;
    double x_, window_, hold_;
    std::string text_;
    std::optional<double> since_;
    std::deque<std::pair<double, double>> history_;
    double peak_ = -std::numeric_limits<double>::infinity();
};

/// Reading one condition, with errors located at the nodes.
struct Reader {
    Context& ctx;
    const RuleContext& rc;

    void error(const ConfigNode& n, const std::string& path, const std::string& msg) {
        ctx.error(n.location(), fmt::format("'{}': {}", path, msg));
    }

    const ConfigNode* scalar(const ConfigNode& map, const std::string& key,
                             const std::string& path) {
        const ConfigNode* n = map.find(key);
        if (n && !n->is_scalar()) {
            error(*n, path + "." + key, "expected a value, got " + n->kind_name());
            return nullptr;
        }
        return n;
    }

    std::optional<double> quantity(const ConfigNode& n, const std::string& path,
                                   std::string_view unit) {
        try {
            return parse_in(n.value(), unit);
        } catch (const InputError& e) {
            error(n, path, e.what());
            return std::nullopt;
        }
    }

    /// A threshold in the readout's unit; a bare number is taken in that unit.
    std::optional<double> threshold(const ConfigNode& n, const std::string& path,
                                    const std::string& unit) {
        const std::string& text = n.value();
        char* end = nullptr;
        errno = 0;
        const double v = std::strtod(text.c_str(), &end);
        if (end != text.c_str() && errno == 0) {
            while (*end == ' ') ++end;
            if (*end == '\0') return v;
        }
        return quantity(n, path, unit);
    }

    bool check_keys(const ConfigNode& map, const std::string& path,
                    const std::vector<std::string>& allowed) {
        bool ok = true;
        for (const auto& [key, value] : map.entries())
            if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
                ctx.error(map.key_location(key), fmt::format("'{}': unknown key '{}'{}", path, key,
                                                             config::did_you_mean(key, allowed)));
                ok = false;
            }
        return ok;
    }

    std::unique_ptr<Condition> event(const ConfigNode& n, const std::string& name,
                                     const std::string& path, double count) {
        if (std::find(rc.events.begin(), rc.events.end(), name) == rc.events.end()) {
            error(n, path,
                  fmt::format("unknown event '{}'{}", name, config::did_you_mean(name, rc.events)));
            return nullptr;
        }
        return std::make_unique<Fact>(Fact::Kind::kEvent, name, count);
    }

    std::unique_ptr<Condition> read(const ConfigNode& n, const std::string& path);
    std::unique_ptr<Condition> readout(const ConfigNode& n, const std::string& path);
};

std::unique_ptr<Condition> Reader::readout(const ConfigNode& n, const std::string& path) {
    if (!check_keys(n, path,
                    {"readout", "above", "below", "at_least", "at_most", "rising", "falling",
                     "fallen_from_peak", "over", "for"}))
        return nullptr;
    const ConfigNode* name = scalar(n, "readout", path);
    if (!name) return nullptr;
    const Readout* r = rc.readouts ? rc.readouts->find(name->value()) : nullptr;
    if (!r) {
        const auto names = rc.readouts ? rc.readouts->names() : std::vector<std::string>{};
        error(*name, path + ".readout",
              fmt::format("unknown readout '{}'{}", name->value(),
                          config::did_you_mean(name->value(), names)));
        return nullptr;
    }
    using Op = ReadoutCondition::Op;
    const std::vector<std::pair<std::string, Op>> ops{{"above", Op::kAbove},
                                                      {"below", Op::kBelow},
                                                      {"at_least", Op::kAtLeast},
                                                      {"at_most", Op::kAtMost},
                                                      {"rising", Op::kRising},
                                                      {"falling", Op::kFalling},
                                                      {"fallen_from_peak", Op::kFallenFromPeak}};
    const ConfigNode* value = nullptr;
    std::string key;
    Op op = Op::kAbove;
    for (const auto& [k, o] : ops)
        if (const ConfigNode* v = scalar(n, k, path)) {
            if (value) {
                error(*v, path, "give one comparison (" + key + " or " + k + ")");
                return nullptr;
            }
            value = v, key = k, op = o;
        }
    if (!value) {
        error(n, path,
              "needs one of above, below, at_least, at_most, rising, falling, "
              "fallen_from_peak");
        return nullptr;
    }
    const bool relative = op == Op::kRising || op == Op::kFalling || op == Op::kFallenFromPeak;
    const auto x = relative ? quantity(*value, path + "." + key, "1")
                            : threshold(*value, path + "." + key, r->unit);
    double window = 0, hold = 0;
    if (const ConfigNode* w = scalar(n, "over", path)) {
        if (op != Op::kRising && op != Op::kFalling)
            error(*w, path + ".over", "'over' goes with rising or falling");
        window = quantity(*w, path + ".over", "min").value_or(0);
    } else if (op == Op::kRising || op == Op::kFalling) {
        error(n, path, key + " needs 'over' (the window, e.g. 7 day)");
        return nullptr;
    }
    if (const ConfigNode* h = scalar(n, "for", path))
        hold = quantity(*h, path + ".for", "min").value_or(0);
    if (!x) return nullptr;
    if (window < 0 || hold < 0 || (relative && (*x < 0 || *x >= 1e6))) {
        error(n, path, "durations and fractions must be >= 0");
        return nullptr;
    }
    std::string text = key + " " + value->value();
    if (window > 0) text += " over " + fmt_min(window);
    return std::make_unique<ReadoutCondition>(r, op, *x, window, hold, std::move(text));
}

std::unique_ptr<Condition> Reader::read(const ConfigNode& n, const std::string& path) {
    if (n.is_scalar()) return event(n, n.value(), path, 1);
    if (!n.is_map()) {
        error(n, path, "expected a condition (a map or an event name), got " + n.kind_name());
        return nullptr;
    }
    const std::vector<std::string> kinds{"readout", "event", "started", "stopped",
                                         "after",   "all",   "any",     "not"};
    std::string kind;
    for (const auto& [key, value] : n.entries())
        if (std::find(kinds.begin(), kinds.end(), key) != kinds.end()) {
            if (!kind.empty()) {
                error(n, path,
                      fmt::format("one condition per map ('{}' and '{}'); use all/any", kind, key));
                return nullptr;
            }
            kind = key;
        }
    if (kind.empty()) {
        const std::string first = n.entries().empty() ? "" : n.entries().front().first;
        error(n, path,
              fmt::format("a condition needs one of readout, event, started, stopped, after, "
                          "all, any, not{}",
                          first.empty() ? "" : config::did_you_mean(first, kinds)));
        return nullptr;
    }
    if (kind == "readout") return readout(n, path);
    const ConfigNode& v = *n.find(kind);
    const std::string sub = path + "." + kind;
    if (kind == "all" || kind == "any") {
        if (!check_keys(n, path, {kind})) return nullptr;
        if (!v.is_sequence() || v.items().empty()) {
            error(v, sub, "expected a non-empty list of conditions");
            return nullptr;
        }
        std::vector<std::unique_ptr<Condition>> items;
        bool ok = true;
        for (std::size_t i = 0; i < v.items().size(); ++i) {
            auto c = read(v.items()[i], fmt::format("{}[{}]", sub, i));
            ok = ok && c;
            items.push_back(std::move(c));
        }
        if (!ok) return nullptr;
        return std::make_unique<Group>(kind == "all", std::move(items));
    }
    if (kind == "not") {
        if (!check_keys(n, path, {kind})) return nullptr;
        auto c = read(v, sub);
        return c ? std::make_unique<Not>(std::move(c)) : nullptr;
    }
    if (!check_keys(n, path,
                    kind == "event" ? std::vector<std::string>{"event", "count"}
                                    : std::vector<std::string>{kind}))
        return nullptr;
    if (!v.is_scalar()) {
        error(v, sub, "expected a name, got " + v.kind_name());
        return nullptr;
    }
    if (kind == "event") {
        double count = 1;
        if (const ConfigNode* c = scalar(n, "count", path))
            count = quantity(*c, path + ".count", "1").value_or(1);
        return event(v, v.value(), sub, count);
    }
    if (kind == "after") {
        const auto t = quantity(v, sub, "min");
        return t ? std::make_unique<Fact>(Fact::Kind::kAfter, "", *t) : nullptr;
    }
    if (std::find(rc.treatments.begin(), rc.treatments.end(), v.value()) == rc.treatments.end()) {
        error(v, sub,
              fmt::format("unknown treatment '{}'{}", v.value(),
                          config::did_you_mean(v.value(), rc.treatments)));
        return nullptr;
    }
    return std::make_unique<Fact>(kind == "started" ? Fact::Kind::kStarted : Fact::Kind::kStopped,
                                  v.value(), 0);
}

}  // namespace

void ReadoutList::add(std::string name, std::string unit, std::function<double()> value) {
    items_.push_back(
        std::make_unique<Readout>(Readout{std::move(name), std::move(unit), std::move(value)}));
}

const Readout* ReadoutList::find(std::string_view name) const {
    for (const auto& r : items_)
        if (r->name == name) return r.get();
    return nullptr;
}

std::vector<std::string> ReadoutList::names() const {
    std::vector<std::string> out;
    for (const auto& r : items_) out.push_back(r->name);
    return out;
}

std::unique_ptr<Condition> read_condition(const ConfigNode& node, const std::string& path,
                                          Context& ctx, const RuleContext& rc) {
    return Reader{ctx, rc}.read(node, path);
}

}  // namespace hlhsim::models::treatment
