#include "sim/config/yaml_loader.hpp"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "sim/core/errors.hpp"

namespace hlhsim::config {
namespace {

namespace fs = std::filesystem;

SourceLocation at(const std::shared_ptr<const std::string>& file, const YAML::Mark& m) {
    return SourceLocation{file, m.line + 1, m.column + 1};
}

[[noreturn]] void fail(const SourceLocation& loc, const std::string& msg) {
    throw ConfigError({loc.str() + ": " + msg});
}

ConfigNode convert(const YAML::Node& node, const std::shared_ptr<const std::string>& file) {
    const SourceLocation loc = at(file, node.Mark());
    switch (node.Type()) {
        case YAML::NodeType::Undefined:
        case YAML::NodeType::Null: {
            ConfigNode n;
            n.set_location(loc);
            return n;
        }
        case YAML::NodeType::Scalar: {
            ConfigNode n = ConfigNode::scalar(node.Scalar(), loc);
            n.set_quoted(node.Tag() == "!");
            return n;
        }
        case YAML::NodeType::Sequence: {
            ConfigNode n = ConfigNode::sequence(loc);
            for (const auto& item : node) n.push_back(convert(item, file));
            return n;
        }
        case YAML::NodeType::Map: {
            ConfigNode n = ConfigNode::map(loc);
            for (const auto& kv : node) {
                const std::string key = kv.first.as<std::string>();
                if (n.find(key))
                    fail(at(file, kv.first.Mark()), fmt::format("duplicate key '{}'", key));
                n.set(key, convert(kv.second, file), at(file, kv.first.Mark()));
            }
            return n;
        }
    }
    return {};
}

ConfigNode parse(const std::string& text, const std::string& name) {
    auto file = std::make_shared<const std::string>(name);
    try {
        return convert(YAML::Load(text), file);
    } catch (const YAML::ParserException& e) {
        fail(at(file, e.mark), "YAML syntax error: " + e.msg);
    }
}

void expand_includes(ConfigNode& node, const fs::path& dir, std::vector<fs::path>& stack);

ConfigNode load_resolved(const fs::path& path, const SourceLocation& from,
                         std::vector<fs::path>& stack) {
    std::error_code ec;
    const fs::path canonical = fs::weakly_canonical(path, ec);
    for (const auto& p : stack)
        if (p == canonical)
            fail(from, fmt::format("include cycle: '{}' includes itself", path.string()));
    std::ifstream in(path);
    if (!in) {
        const std::string why = fs::exists(path) ? "cannot be read" : "does not exist";
        if (from.file) fail(from, fmt::format("included file '{}' {}", path.string(), why));
        throw ConfigError({fmt::format("{}: config file {}", path.string(), why)});
    }
    std::stringstream text;
    text << in.rdbuf();
    ConfigNode root = parse(text.str(), path.string());
    stack.push_back(canonical);
    expand_includes(root, path.parent_path(), stack);
    stack.pop_back();
    return root;
}

void expand_includes(ConfigNode& node, const fs::path& dir, std::vector<fs::path>& stack) {
    if (node.is_sequence()) {
        for (auto& item : node.items()) expand_includes(item, dir, stack);
        return;
    }
    if (!node.is_map()) return;
    if (const ConfigNode* inc = node.find("include")) {
        std::vector<std::pair<std::string, SourceLocation>> paths;
        if (inc->is_scalar()) {
            paths.emplace_back(inc->value(), inc->location());
        } else if (inc->is_sequence()) {
            for (const auto& p : inc->items()) {
                if (!p.is_scalar()) fail(p.location(), "expected a file path in 'include'");
                paths.emplace_back(p.value(), p.location());
            }
        } else {
            fail(inc->location(), "expected a file path or a list of paths in 'include'");
        }
        ConfigNode merged = ConfigNode::map(node.location());
        for (const auto& [p, loc] : paths) {
            fs::path target(p);
            if (target.is_relative()) target = dir / target;
            ConfigNode included = load_resolved(target, loc, stack);
            if (!included.is_map())
                fail(loc, fmt::format("included file '{}' must hold a map, not {}", p,
                                      included.kind_name()));
            merge_into(merged, included);
        }
        node.erase("include");
        for (auto& [key, value] : node.entries()) expand_includes(value, dir, stack);
        merge_into(merged, node);
        node = std::move(merged);
        return;
    }
    for (auto& [key, value] : node.entries()) expand_includes(value, dir, stack);
}

std::vector<std::string> split_path(const std::string& path) {
    std::vector<std::string> parts;
    std::string cur;
    for (char c : path) {
        if (c == '.') {
            parts.push_back(cur);
            cur.clear();
        } else {
            cur += c;
        }
    }
    parts.push_back(cur);
    return parts;
}

// Values from the command line have no lines: every node points at "--set KEY".
void relocate(ConfigNode& n, const SourceLocation& loc) {
    n.set_location(loc);
    for (auto& i : n.items()) relocate(i, loc);
    for (auto& [k, v] : n.entries()) relocate(v, loc);
}

void emit(YAML::Emitter& out, const ConfigNode& n) {
    switch (n.kind()) {
        case ConfigNode::Kind::kNull:
            out << YAML::Null;
            break;
        case ConfigNode::Kind::kScalar:
            if (n.quoted()) out << YAML::DoubleQuoted;
            out << n.value();
            break;
        case ConfigNode::Kind::kSequence:
            out << YAML::BeginSeq;
            for (const auto& i : n.items()) emit(out, i);
            out << YAML::EndSeq;
            break;
        case ConfigNode::Kind::kMap:
            out << YAML::BeginMap;
            for (const auto& [k, v] : n.entries()) {
                out << YAML::Key << k << YAML::Value;
                emit(out, v);
            }
            out << YAML::EndMap;
            break;
    }
}

}  // namespace

ConfigNode load_file(const std::string& path) {
    std::vector<fs::path> stack;
    return load_resolved(fs::path(path), SourceLocation{}, stack);
}

ConfigNode load_string(const std::string& text, const std::string& name) {
    ConfigNode root = parse(text, name);
    std::vector<fs::path> stack;
    expand_includes(root, fs::current_path(), stack);
    return root;
}

void apply_override(ConfigNode& root, const std::string& assignment) {
    const auto eq = assignment.find('=');
    if (eq == std::string::npos || eq == 0)
        throw ConfigError({fmt::format("--set {}: expected KEY.PATH=VALUE", assignment)});
    const std::string path = assignment.substr(0, eq);
    const std::string text = assignment.substr(eq + 1);
    const std::string origin = "--set " + path;
    ConfigNode value = parse(text, origin);
    relocate(value, SourceLocation{std::make_shared<const std::string>(origin), 0, 0});
    ConfigNode* node = &root;
    const auto parts = split_path(path);
    for (std::size_t i = 0; i < parts.size(); ++i) {
        const std::string& part = parts[i];
        const bool last = i + 1 == parts.size();
        if (part.empty())
            throw ConfigError({fmt::format("--set {}: empty part in key path", assignment)});
        if (node->is_sequence()) {
            std::size_t index = 0;
            try {
                index = std::stoul(part);
            } catch (const std::exception&) {
                throw ConfigError({fmt::format("--set {}: '{}' indexes a list: expected a number",
                                               assignment, part)});
            }
            if (index >= node->items().size())
                throw ConfigError({fmt::format("--set {}: index {} is past the end of a list of {}",
                                               assignment, index, node->items().size())});
            node = &node->items()[index];
        } else {
            if (!node->is_map() && !node->is_null())
                throw ConfigError(
                    {fmt::format("--set {}: '{}' is inside a single value", assignment, part)});
            ConfigNode* child = node->find(part);
            if (!child)
                child = &node->set(part, ConfigNode::map(value.location()), value.location());
            node = child;
        }
        if (last) {
            SourceLocation keep = value.location();
            *node = value;
            node->set_location(keep);
        }
    }
}

std::string to_yaml(const ConfigNode& node) {
    YAML::Emitter out;
    emit(out, node);
    return std::string(out.c_str()) + "\n";
}

}  // namespace hlhsim::config
