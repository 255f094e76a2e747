#pragma once
// A run as VTK XML files for ParaView: per snapshot one .vtp of the agents and one
// .vti per field (cell data, the HDF5 values unchanged), and one .pvd collection that
// names them all with their times [day].
#include <string>
#include <vector>

#include "viz/run_file.hpp"

namespace hlhsim::viz {

struct VtkExport {
    std::string pvd;                 ///< dir/<run stem>.pvd
    std::vector<std::string> files;  ///< every .vtp/.vti written, in .pvd order
};

/// Writes dir/agents_NNNNNN.vtp (points x,y,z [um]; arrays id, type, state, radius and
/// every population column as <population>.<column>, NaN on other populations' rows),
/// dir/<field>_NNNNNN.vti (cell data, origin and spacing [um]) and dir/<stem>.pvd.
/// Throws IoError when a file cannot be written.
VtkExport export_vtk(const RunFile& run, const std::string& dir);

}  // namespace hlhsim::viz
