#include "viz/xdmf_writer.hpp"

#include <fmt/format.h>
#include <hdf5.h>

#include <filesystem>
#include <fstream>

#include "sim/core/errors.hpp"
#include "sim/core/units.hpp"
#include "sim/io/h5_read.hpp"
#include "viz/run_file.hpp"

namespace hlhsim::viz {

namespace fs = std::filesystem;

namespace {

/// XDMF NumberType and Precision of the dataset at `path`, e.g. ("Float", 8).
std::pair<std::string, int> element_type(const RunFile& run, const std::string& path) {
    const auto file = static_cast<hid_t>(run.file().handle());
    const hid_t ds = H5Dopen2(file, path.c_str(), H5P_DEFAULT);
    if (ds < 0) throw IoError(fmt::format("{}: cannot open dataset {}", run.path(), path));
    const hid_t type = H5Dget_type(ds);
    const H5T_class_t cls = H5Tget_class(type);
    const int size = static_cast<int>(H5Tget_size(type));
    const bool is_unsigned = cls == H5T_INTEGER && H5Tget_sign(type) == H5T_SGN_NONE;
    H5Tclose(type);
    H5Dclose(ds);
    if (cls == H5T_FLOAT) return {"Float", size};
    if (cls == H5T_INTEGER) {
        if (size == 1) return {is_unsigned ? "UChar" : "Char", 1};
        return {is_unsigned ? "UInt" : "Int", size};
    }
    throw IoError(fmt::format("{}: dataset {} is not numeric", run.path(), path));
}

std::string data_item(const RunFile& run, const std::string& file_name, const std::string& path,
                      const std::string& dims) {
    const auto [type, precision] = element_type(run, path);
    return fmt::format(
        "<DataItem Dimensions=\"{}\" NumberType=\"{}\" Precision=\"{}\" Format=\"HDF\">{}:{}"
        "</DataItem>",
        dims, type, precision, file_name, path);
}

std::string join_dims(const std::vector<std::uint64_t>& d) {
    std::string s;
    for (auto v : d) s += (s.empty() ? "" : " ") + std::to_string(v);
    return s;
}

}  // namespace

std::string xdmf_path_for(const std::string& h5_path) {
    fs::path p(h5_path);
    if (p.extension() == ".partial") p = p.parent_path() / p.stem();
    return p.replace_extension(".xmf").string();
}

std::string write_xdmf(const std::string& h5_path) {
    const RunFile run(h5_path);
    fs::path name = fs::path(h5_path).filename();
    if (name.extension() == ".partial") name = name.stem();
    const std::string file_name = name.string();
    const auto& grid = run.grid();
    const bool three_d = run.domain().dims == 3;

    std::string body;
    for (std::size_t i = 0; i < run.snapshot_names().size(); ++i) {
        const std::string g = "/snapshots/" + run.snapshot_names()[i];
        body += fmt::format(
            "      <Grid Name=\"snapshot {}\" GridType=\"Collection\" CollectionType=\"Spatial\">\n"
            "        <Time Value=\"{:.17g}\"/>\n",
            run.snapshot_names()[i], run.snapshot_times()[i] / kMinutesPerDay);
        const auto fields = run.field_names(i);
        if (grid && !fields.empty()) {
            // XDMF lists extents, origin and spacing slowest axis first (z, y, x).
            const std::string pts =
                three_d ? fmt::format("{} {} {}", grid->n[2] + 1, grid->n[1] + 1, grid->n[0] + 1)
                        : fmt::format("{} {}", grid->n[1] + 1, grid->n[0] + 1);
            const std::string origin =
                three_d ? fmt::format("{:.17g} {:.17g} {:.17g}", grid->origin[2], grid->origin[1],
                                      grid->origin[0])
                        : fmt::format("{:.17g} {:.17g}", grid->origin[1], grid->origin[0]);
            const std::string dx = three_d ? fmt::format("{0:.17g} {0:.17g} {0:.17g}", grid->dx)
                                           : fmt::format("{0:.17g} {0:.17g}", grid->dx);
            const int nd = three_d ? 3 : 2;
            body += fmt::format(
                "        <Grid Name=\"fields\" GridType=\"Uniform\">\n"
                "          <Topology TopologyType=\"{}DCoRectMesh\" Dimensions=\"{}\"/>\n"
                "          <Geometry GeometryType=\"{}\">\n"
                "            <DataItem Dimensions=\"{}\" NumberType=\"Float\" Precision=\"8\" "
                "Format=\"XML\">{}</DataItem>\n"
                "            <DataItem Dimensions=\"{}\" NumberType=\"Float\" Precision=\"8\" "
                "Format=\"XML\">{}</DataItem>\n"
                "          </Geometry>\n",
                nd, pts, three_d ? "ORIGIN_DXDYDZ" : "ORIGIN_DXDY", nd, origin, nd, dx);
            for (const auto& f : fields) {
                const std::string path = g + "/fields/" + f;
                body += fmt::format(
                    "          <Attribute Name=\"{}\" AttributeType=\"Scalar\" Center=\"Cell\">\n"
                    "            {}\n          </Attribute>\n",
                    f, data_item(run, file_name, path, join_dims(io::shape(run.file(), path))));
            }
            body += "        </Grid>\n";
        }
        const std::string a = g + "/agents";
        const std::size_t n =
            io::is_dataset(run.file(), a + "/x") ? io::shape(run.file(), a + "/x").at(0) : 0;
        if (n > 0) {
            const std::string dims = std::to_string(n);
            body += fmt::format(
                "        <Grid Name=\"agents\" GridType=\"Uniform\">\n"
                "          <Topology TopologyType=\"Polyvertex\" NumberOfElements=\"{}\" "
                "NodesPerElement=\"1\"/>\n"
                "          <Geometry GeometryType=\"{}\">\n",
                n, three_d ? "X_Y_Z" : "X_Y");
            for (const char* c : {"x", "y", "z"}) {
                if (std::string(c) == "z" && !three_d) break;
                body += "            " + data_item(run, file_name, a + "/" + c, dims) + "\n";
            }
            body += "          </Geometry>\n";
            for (const char* c : {"id", "type", "state"})
                body += fmt::format(
                    "          <Attribute Name=\"{}\" AttributeType=\"Scalar\" Center=\"Node\">\n"
                    "            {}\n          </Attribute>\n",
                    c, data_item(run, file_name, a + "/" + c, dims));
            body += "        </Grid>\n";
        }
        body += "      </Grid>\n";
    }

    const std::string out = xdmf_path_for(h5_path);
    std::ofstream f(out);
    f << "<?xml version=\"1.0\" ?>\n"
      << "<!DOCTYPE Xdmf SYSTEM \"Xdmf.dtd\" []>\n"
      << "<!-- ParaView sidecar of " << file_name << " (hlhsim): lengths in um, times in days -->\n"
      << "<Xdmf Version=\"2.0\">\n  <Domain>\n"
      << "    <Grid Name=\"run\" GridType=\"Collection\" CollectionType=\"Temporal\">\n"
      << body << "    </Grid>\n  </Domain>\n</Xdmf>\n";
    if (!f.good()) throw IoError("cannot write XDMF sidecar '" + out + "'");
    return out;
}

}  // namespace hlhsim::viz
