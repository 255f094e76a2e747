#include "sim/config/config_node.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace hlhsim::config {

std::string SourceLocation::str() const {
    const std::string f = file ? *file : std::string("<unknown>");
    if (line <= 0) return f;
    return fmt::format("{}:{}:{}", f, line, column);
}

ConfigNode ConfigNode::scalar(std::string value, SourceLocation loc) {
    ConfigNode n;
    n.kind_ = Kind::kScalar;
    n.scalar_ = std::move(value);
    n.loc_ = std::move(loc);
    return n;
}
ConfigNode ConfigNode::sequence(SourceLocation loc) {
    ConfigNode n;
    n.kind_ = Kind::kSequence;
    n.loc_ = std::move(loc);
    return n;
}
ConfigNode ConfigNode::map(SourceLocation loc) {
    ConfigNode n;
    n.kind_ = Kind::kMap;
    n.loc_ = std::move(loc);
    return n;
}

std::string ConfigNode::kind_name() const {
    switch (kind_) {
        case Kind::kNull:
            return "nothing";
        case Kind::kScalar:
            return "a single value";
        case Kind::kSequence:
            return "a list";
        case Kind::kMap:
            return "a map";
    }
    return "?";
}

const ConfigNode* ConfigNode::find(const std::string& key) const {
    for (const auto& [k, v] : entries_)
        if (k == key) return &v;
    return nullptr;
}
ConfigNode* ConfigNode::find(const std::string& key) {
    for (auto& [k, v] : entries_)
        if (k == key) return &v;
    return nullptr;
}

const SourceLocation& ConfigNode::key_location(const std::string& key) const {
    for (std::size_t i = 0; i < entries_.size(); ++i)
        if (entries_[i].first == key && i < key_locs_.size() && key_locs_[i].file)
            return key_locs_[i];
    return loc_;
}

ConfigNode& ConfigNode::set(const std::string& key, ConfigNode value, SourceLocation key_loc) {
    kind_ = Kind::kMap;
    for (std::size_t i = 0; i < entries_.size(); ++i) {
        if (entries_[i].first == key) {
            entries_[i].second = std::move(value);
            if (key_loc.file) key_locs_[i] = std::move(key_loc);
            return entries_[i].second;
        }
    }
    entries_.emplace_back(key, std::move(value));
    key_locs_.resize(entries_.size());
    key_locs_.back() = std::move(key_loc);
    return entries_.back().second;
}

bool ConfigNode::erase(const std::string& key) {
    for (std::size_t i = 0; i < entries_.size(); ++i) {
        if (entries_[i].first == key) {
            entries_.erase(entries_.begin() + static_cast<std::ptrdiff_t>(i));
            if (i < key_locs_.size())
                key_locs_.erase(key_locs_.begin() + static_cast<std::ptrdiff_t>(i));
            return true;
        }
    }
    return false;
}

void ConfigNode::mark_known(const std::string& key) const {
    if (std::find(known_.begin(), known_.end(), key) == known_.end()) known_.push_back(key);
}

void merge_into(ConfigNode& base, const ConfigNode& overlay) {
    if (base.is_map() && overlay.is_map()) {
        for (const auto& [key, value] : overlay.entries()) {
            if (ConfigNode* existing = base.find(key)) {
                merge_into(*existing, value);
            } else {
                base.set(key, value, overlay.key_location(key));
            }
        }
        return;
    }
    base = overlay;
}

}  // namespace hlhsim::config
