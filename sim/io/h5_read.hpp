#pragma once
// Reading datasets and attributes from an InputFile (tests, viz, restart). Numeric
// reads convert between numeric types (int32 data read as double, and so on) but refuse
// conversions that lose information: floating data into integers, and values out of
// the target's range. Every failure throws IoError naming the file, path and operation.
#include <cstdint>
#include <string>
#include <vector>

#include "sim/io/input_file.hpp"

namespace hlhsim::io {

/// True if a group or dataset exists at `path` ("/" always does).
bool exists(const InputFile& file, const std::string& path);
/// Names of the children of the group at `path`, sorted.
std::vector<std::string> list_group(const InputFile& file, const std::string& path);
/// True if `path` is a dataset (false for groups and missing paths).
bool is_dataset(const InputFile& file, const std::string& path);
/// Extents of the dataset at `path` ({} for a scalar dataset).
std::vector<std::uint64_t> shape(const InputFile& file, const std::string& path);

/// All elements of the numeric dataset at `path` in row-major order; its shape goes to
/// `dims` when given. T is one of float, double, int32, uint32, int64, uint64, uint8.
template <class T>
std::vector<T> read_array(const InputFile& file, const std::string& path,
                          std::vector<std::uint64_t>* dims = nullptr);
extern template std::vector<float> read_array(const InputFile&, const std::string&,
                                              std::vector<std::uint64_t>*);
extern template std::vector<double> read_array(const InputFile&, const std::string&,
                                               std::vector<std::uint64_t>*);
extern template std::vector<std::int32_t> read_array(const InputFile&, const std::string&,
                                                     std::vector<std::uint64_t>*);
extern template std::vector<std::uint32_t> read_array(const InputFile&, const std::string&,
                                                      std::vector<std::uint64_t>*);
extern template std::vector<std::int64_t> read_array(const InputFile&, const std::string&,
                                                     std::vector<std::uint64_t>*);
extern template std::vector<std::uint64_t> read_array(const InputFile&, const std::string&,
                                                      std::vector<std::uint64_t>*);
extern template std::vector<std::uint8_t> read_array(const InputFile&, const std::string&,
                                                     std::vector<std::uint64_t>*);

/// The scalar string dataset at `path` (fixed- or variable-length).
std::string read_text(const InputFile& file, const std::string& path);
/// All strings of a string dataset (e.g. a string column), in order.
std::vector<std::string> read_strings(const InputFile& file, const std::string& path);

/// True if the object at `object_path` has attribute `name`; throws if the object is missing.
bool has_attribute(const InputFile& file, const std::string& object_path, const std::string& name);
/// A scalar string attribute.
std::string read_attribute_string(const InputFile& file, const std::string& object_path,
                                  const std::string& name);
/// A scalar integer attribute.
std::int64_t read_attribute_int(const InputFile& file, const std::string& object_path,
                                const std::string& name);
/// A scalar integer or floating-point attribute, as double.
double read_attribute_double(const InputFile& file, const std::string& object_path,
                             const std::string& name);
/// A string attribute of any length (an empty attribute gives {}).
std::vector<std::string> read_attribute_strings(const InputFile& file,
                                                const std::string& object_path,
                                                const std::string& name);
/// An integer attribute of any length.
std::vector<std::int64_t> read_attribute_ints(const InputFile& file, const std::string& object_path,
                                              const std::string& name);
/// An integer or floating-point attribute of any length, as doubles.
std::vector<double> read_attribute_doubles(const InputFile& file, const std::string& object_path,
                                           const std::string& name);

}  // namespace hlhsim::io
