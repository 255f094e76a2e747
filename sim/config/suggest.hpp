#pragma once
// "Did you mean ...?" suggestions for misspelt keys and names.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hlhsim::config {

/// Levenshtein edit distance.
std::size_t edit_distance(std::string_view a, std::string_view b);

/// The closest candidate within a small distance (about a third of the word), if any.
std::optional<std::string> closest(std::string_view word,
                                   const std::vector<std::string>& candidates);

/// " (did you mean 'x'?)" or "" — ready to append to a message.
std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace hlhsim::config
