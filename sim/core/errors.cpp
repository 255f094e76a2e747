#include "sim/core/errors.hpp"

namespace hlhsim {
namespace {
std::string join_lines(const std::vector<std::string>& lines) {
    std::string out;
    for (const auto& l : lines) {
        if (!out.empty()) out += '\n';
        out += l;
    }
    return out;
}
}  // namespace

ConfigError::ConfigError(std::vector<std::string> messages)
    : InputError(join_lines(messages)), messages_(std::move(messages)) {}

}  // namespace hlhsim
