#pragma once
// Internal to sim/io: the HDF5 type of each C++ element type. Files always store
// little-endian standard types, so they are byte-identical on every machine; memory
// uses the native types and HDF5 converts.
#include <hdf5.h>

#include <cstdint>

namespace hlhsim::io::detail {

template <class T>
hid_t file_type();
template <class T>
hid_t memory_type();

template <>
inline hid_t file_type<float>() {
    return H5T_IEEE_F32LE;
}
template <>
inline hid_t file_type<double>() {
    return H5T_IEEE_F64LE;
}
template <>
inline hid_t file_type<std::int32_t>() {
    return H5T_STD_I32LE;
}
template <>
inline hid_t file_type<std::uint32_t>() {
    return H5T_STD_U32LE;
}
template <>
inline hid_t file_type<std::int64_t>() {
    return H5T_STD_I64LE;
}
template <>
inline hid_t file_type<std::uint64_t>() {
    return H5T_STD_U64LE;
}
template <>
inline hid_t file_type<std::uint8_t>() {
    return H5T_STD_U8LE;
}

template <>
inline hid_t memory_type<float>() {
    return H5T_NATIVE_FLOAT;
}
template <>
inline hid_t memory_type<double>() {
    return H5T_NATIVE_DOUBLE;
}
template <>
inline hid_t memory_type<std::int32_t>() {
    return H5T_NATIVE_INT32;
}
template <>
inline hid_t memory_type<std::uint32_t>() {
    return H5T_NATIVE_UINT32;
}
template <>
inline hid_t memory_type<std::int64_t>() {
    return H5T_NATIVE_INT64;
}
template <>
inline hid_t memory_type<std::uint64_t>() {
    return H5T_NATIVE_UINT64;
}
template <>
inline hid_t memory_type<std::uint8_t>() {
    return H5T_NATIVE_UINT8;
}

}  // namespace hlhsim::io::detail
