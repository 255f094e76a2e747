#pragma once
// The run file's layout for agents, fields and the domain (see docs/output.md):
//   /domain                       attrs dims, lo, hi, boundary
//   /grid                         attrs dims, n, dx, origin (when the run has fields)
//   <group>/agents/{id,type,state,x,y[,z]}   all populations, concatenated in order;
//       attrs types (population names), offsets (first row of each), state_names_<pop>
//   <group>/agents/<population>/<column>     every other column of that population
//   <group>/fields/<name>         shape (ny, nx) or (nz, ny, nx), attr unit
#include <cstdint>
#include <deque>
#include <string>
#include <vector>

namespace hlhsim {
class Population;
class FieldSet;
class Domain;
}  // namespace hlhsim

namespace hlhsim::io {

class OutputFile;

/// Names of the values of one population's uint8 state column.
struct StateNames {
    std::string population;
    std::uint32_t column;  ///< Column<uint8_t>::index
    std::vector<std::string> names;
};

void write_agents(OutputFile& file, const std::string& group,
                  const std::deque<Population>& populations, const std::vector<StateNames>& states,
                  int compression);
void write_fields(OutputFile& file, const std::string& group, const FieldSet& fields,
                  int compression);
void write_domain(OutputFile& file, const Domain& domain, const FieldSet* fields);

}  // namespace hlhsim::io
