#pragma once
// The configuration reference, recorded while models read their parameters.
#include <string>
#include <vector>

namespace hlhsim::config {

struct SchemaEntry {
    std::string path;   ///< "populations[].speed"
    std::string type;   ///< "quantity", "number", "integer", "bool", "string", "list", "map"
    std::string unit;   ///< for quantities
    std::string def;    ///< default as written, "" when required
    std::string range;  ///< "[0, 1]", "one of a, b"
    std::string doc;
};

class Schema {
  public:
    /// Records an entry once per path (the first declaration wins).
    void record(SchemaEntry entry);
    const std::vector<SchemaEntry>& entries() const { return entries_; }
    /// A Markdown table of every entry, in declaration order.
    std::string markdown() const;

  private:
    std::vector<SchemaEntry> entries_;
};

}  // namespace hlhsim::config
