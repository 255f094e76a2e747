#pragma once
// An XDMF (version 2) sidecar so ParaView opens a run file directly: a temporal
// collection with, per snapshot, the field grid (co-rectilinear mesh, cell-centred
// attributes) and the agents (polyvertex with x, y[, z], id, type, state), all
// pointing into the HDF5 file by relative name. Times are in days.
#include <string>

namespace hlhsim::viz {

/// The sidecar path for a run file: "out/run.h5" -> "out/run.xmf" (a ".partial"
/// suffix is kept off: "out/run.h5.partial" -> "out/run.xmf").
std::string xdmf_path_for(const std::string& h5_path);

/// Writes the sidecar of the run file at `h5_path` next to it and returns its path.
/// The sidecar refers to the run file by the file name it should have once committed,
/// so call it on the committed file (after OutputFile::commit()). Throws IoError when
/// the run file cannot be read or the sidecar cannot be written.
std::string write_xdmf(const std::string& h5_path);

}  // namespace hlhsim::viz
