#pragma once
// Typed errors thrown by library code. Only main() turns them into exit codes:
// InputError (bad config, bad file, bad command line) -> exit 2; anything else -> 1.
#include <stdexcept>
#include <string>
#include <vector>

namespace hlhsim {

/// A problem with what the user gave us (config, command line, input file).
class InputError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

/// One or more configuration errors, each already formatted as "FILE:LINE:COL: message".
class ConfigError : public InputError {
  public:
    explicit ConfigError(std::vector<std::string> messages);
    const std::vector<std::string>& messages() const { return messages_; }

  private:
    std::vector<std::string> messages_;
};

/// A unit string that does not parse or does not have the expected dimension.
class UnitError : public InputError {
  public:
    using InputError::InputError;
};

/// Failure reading or writing an output/input file (HDF5, images).
class IoError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

}  // namespace hlhsim
