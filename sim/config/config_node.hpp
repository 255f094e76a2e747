#pragma once
// The configuration as a tree that remembers where every value came from
// (file, line, column), so that errors point at the exact spot even after
// includes are merged and --set overrides applied.
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace hlhsim::config {

struct SourceLocation {
    std::shared_ptr<const std::string> file;  ///< shared by every node of one file
    int line = 0;                             ///< 1-based; 0 when unknown
    int column = 0;                           ///< 1-based
    /// "FILE:LINE:COL" (or just FILE, or "<unknown>").
    std::string str() const;
};

class ConfigNode {
  public:
    enum class Kind { kNull, kScalar, kSequence, kMap };

    ConfigNode() = default;
    static ConfigNode scalar(std::string value, SourceLocation loc);
    static ConfigNode sequence(SourceLocation loc);
    static ConfigNode map(SourceLocation loc);

    Kind kind() const { return kind_; }
    bool is_null() const { return kind_ == Kind::kNull; }
    bool is_scalar() const { return kind_ == Kind::kScalar; }
    bool is_sequence() const { return kind_ == Kind::kSequence; }
    bool is_map() const { return kind_ == Kind::kMap; }
    const SourceLocation& location() const { return loc_; }
    void set_location(SourceLocation loc) { loc_ = std::move(loc); }
    /// "a scalar", "a list", "a map", "nothing" for messages.
    std::string kind_name() const;

    const std::string& value() const { return scalar_; }
    /// True for scalars written in quotes in YAML ("1" is a string, 1 a number).
    bool quoted() const { return quoted_; }
    void set_quoted(bool q) { quoted_ = q; }

    // sequences
    const std::vector<ConfigNode>& items() const { return items_; }
    std::vector<ConfigNode>& items() { return items_; }
    void push_back(ConfigNode n) { items_.push_back(std::move(n)); }

    // maps keep insertion order (output and messages follow the file)
    using Entry = std::pair<std::string, ConfigNode>;
    const std::vector<Entry>& entries() const { return entries_; }
    std::vector<Entry>& entries() { return entries_; }
    const ConfigNode* find(const std::string& key) const;
    ConfigNode* find(const std::string& key);
    /// Location of the key itself (not its value), for "unknown key" messages.
    const SourceLocation& key_location(const std::string& key) const;
    /// Inserts or replaces.
    ConfigNode& set(const std::string& key, ConfigNode value, SourceLocation key_loc = {});
    bool erase(const std::string& key);

    /// Bookkeeping for schema checks: which keys of this map the model asked for.
    void mark_known(const std::string& key) const;
    const std::vector<std::string>& known_keys() const { return known_; }
    void mark_used() const { used_ = true; }
    bool used() const { return used_; }

  private:
    Kind kind_ = Kind::kNull;
    SourceLocation loc_;
    std::string scalar_;
    bool quoted_ = false;
    std::vector<ConfigNode> items_;
    std::vector<Entry> entries_;
    std::vector<SourceLocation> key_locs_;
    mutable std::vector<std::string> known_;
    mutable bool used_ = false;
};

/// Deep merge: maps merge key by key (overlay wins), anything else is replaced.
void merge_into(ConfigNode& base, const ConfigNode& overlay);

}  // namespace hlhsim::config
