#include "sim/config/schema.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace hlhsim::config {

void Schema::record(SchemaEntry entry) {
    const bool seen = std::any_of(entries_.begin(), entries_.end(),
                                  [&](const SchemaEntry& e) { return e.path == entry.path; });
    if (!seen) entries_.push_back(std::move(entry));
}

std::string Schema::markdown() const {
    auto cell = [](std::string s) {
        std::string out;
        for (char c : s) out += (c == '|') ? std::string("\\|") : std::string(1, c);
        return out;
    };
    std::string out = "| key | type | unit | default | range | meaning |\n";
    out += "|---|---|---|---|---|---|\n";
    for (const auto& e : entries_) {
        out +=
            fmt::format("| `{}` | {} | {} | {} | {} | {} |\n", cell(e.path), e.type, cell(e.unit),
                        e.def.empty() ? "required" : cell(e.def), cell(e.range), cell(e.doc));
    }
    return out;
}

}  // namespace hlhsim::config
