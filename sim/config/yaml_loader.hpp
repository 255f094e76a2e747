#pragma once
// Reading YAML into a located ConfigNode tree: includes, --set overrides, and
// writing the resolved tree back out as YAML (stored in every output file).
#include <string>
#include <vector>

#include "sim/config/config_node.hpp"

namespace hlhsim::config {

/// Loads a YAML file. In any map, the key `include:` (a path or a list of paths,
/// relative to the including file) loads those files first, in order, as the
/// base; the map's own keys are then merged on top (maps merge deeply, other
/// values are replaced). Syntax errors, missing files and include cycles throw
/// ConfigError with FILE:LINE:COL.
ConfigNode load_file(const std::string& path);

/// Parses YAML text (for tests and --set values); `name` stands in for the file name.
ConfigNode load_string(const std::string& text, const std::string& name);

/// Applies "a.b.c=value" (value parsed as YAML, e.g. "6 um/min", "[1, 2]", "true").
/// Numeric path parts index into lists ("populations.0.count=10"). Missing map
/// keys are created; the schema check later reports keys no model uses.
void apply_override(ConfigNode& root, const std::string& assignment);

/// The tree as YAML text (block style, keys in file order).
std::string to_yaml(const ConfigNode& node);

}  // namespace hlhsim::config
