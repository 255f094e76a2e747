#include "viz/vtk_export.hpp"

#include <fmt/format.h>
#include <vtkCellArray.h>
#include <vtkCellData.h>
#include <vtkDoubleArray.h>
#include <vtkFieldData.h>
#include <vtkImageData.h>
#include <vtkNew.h>
#include <vtkPointData.h>
#include <vtkPoints.h>
#include <vtkPolyData.h>
#include <vtkStringArray.h>
#include <vtkTypeUInt64Array.h>
#include <vtkUnsignedCharArray.h>
#include <vtkXMLImageDataWriter.h>
#include <vtkXMLPolyDataWriter.h>

#include <filesystem>
#include <fstream>
#include <limits>

#include "sim/core/errors.hpp"
#include "sim/core/units.hpp"

namespace hlhsim::viz {

namespace fs = std::filesystem;

namespace {

template <class Writer>
void write_xml(Writer* w, const std::string& path) {
    w->SetFileName(path.c_str());
    w->SetDataModeToAppended();
    w->EncodeAppendedDataOff();
    if (w->Write() != 1) throw IoError("cannot write VTK file '" + path + "'");
}

vtkNew<vtkPolyData> agents_polydata(const RunFile& run, std::size_t index, const Snapshot& s) {
    vtkNew<vtkPolyData> pd;
    vtkNew<vtkPoints> pts;
    pts->SetDataTypeToDouble();
    vtkNew<vtkCellArray> verts;
    const auto n = static_cast<vtkIdType>(s.x.size());
    pts->SetNumberOfPoints(n);
    for (vtkIdType i = 0; i < n; ++i) {
        const auto k = static_cast<std::size_t>(i);
        pts->SetPoint(i, s.x[k], s.y[k], s.z[k]);
        verts->InsertNextCell(1, &i);
    }
    pd->SetPoints(pts);
    pd->SetVerts(verts);
    vtkNew<vtkTypeUInt64Array> id;
    vtkNew<vtkUnsignedCharArray> type, state;
    vtkNew<vtkDoubleArray> radius;
    id->SetName("id");
    type->SetName("type");
    state->SetName("state");
    radius->SetName("radius");
    for (vtkIdType i = 0; i < n; ++i) {
        const auto k = static_cast<std::size_t>(i);
        id->InsertNextValue(s.id[k]);
        type->InsertNextValue(s.type[k]);
        state->InsertNextValue(s.state[k]);
        radius->InsertNextValue(s.radius[k]);
    }
    for (vtkAbstractArray* a : std::initializer_list<vtkAbstractArray*>{id, type, state, radius})
        pd->GetPointData()->AddArray(a);
    vtkNew<vtkStringArray> types;
    types->SetName("populations");
    for (const auto& pop : s.populations) {
        types->InsertNextValue(pop.name);
        vtkNew<vtkStringArray> names;
        names->SetName(("state_names_" + pop.name).c_str());
        for (const auto& sn : pop.state_names) names->InsertNextValue(sn);
        pd->GetFieldData()->AddArray(names);
        for (const auto& col : run.population_columns(index, pop.name)) {
            std::vector<double> v;
            try {
                v = run.population_column(index, pop.name, col);
            } catch (const IoError&) {
                continue;  // a non-numeric column: ParaView cannot colour by it anyway
            }
            vtkNew<vtkDoubleArray> arr;
            arr->SetName((pop.name + "." + col).c_str());
            arr->SetNumberOfTuples(n);
            arr->Fill(std::numeric_limits<double>::quiet_NaN());
            for (std::size_t r = 0; r < v.size() && r < pop.count; ++r)
                arr->SetValue(static_cast<vtkIdType>(pop.first + r), v[r]);
            pd->GetPointData()->AddArray(arr);
        }
    }
    pd->GetFieldData()->AddArray(types);
    return pd;
}

vtkNew<vtkImageData> field_image(const GridInfo& g, const FieldData& f) {
    vtkNew<vtkImageData> img;
    img->SetExtent(0, f.n[0], 0, f.n[1], 0, g.dims == 3 ? f.n[2] : 0);
    img->SetOrigin(g.origin[0], g.origin[1], g.dims == 3 ? g.origin[2] : 0.0);
    img->SetSpacing(g.dx, g.dx, g.dx);
    vtkNew<vtkDoubleArray> values;
    values->SetName(f.name.c_str());
    values->SetNumberOfTuples(static_cast<vtkIdType>(f.values.size()));
    std::copy(f.values.begin(), f.values.end(), values->GetPointer(0));
    img->GetCellData()->SetScalars(values);
    vtkNew<vtkStringArray> unit;
    unit->SetName("unit");
    unit->InsertNextValue(f.unit);
    img->GetFieldData()->AddArray(unit);
    return img;
}

}  // namespace

VtkExport export_vtk(const RunFile& run, const std::string& dir) {
    fs::create_directories(dir);
    VtkExport out;
    const std::string stem = fs::path(run.path()).stem().string();
    out.pvd = (fs::path(dir) / (stem + ".pvd")).string();
    std::string entries;
    for (std::size_t i = 0; i < run.snapshot_names().size(); ++i) {
        const Snapshot s = run.snapshot(i);
        const double day = s.time_min / kMinutesPerDay;
        const std::string vtp = fmt::format("agents_{}.vtp", s.name);
        vtkNew<vtkXMLPolyDataWriter> pw;
        auto pd = agents_polydata(run, i, s);
        pw->SetInputData(pd);
        write_xml(pw.Get(), (fs::path(dir) / vtp).string());
        out.files.push_back((fs::path(dir) / vtp).string());
        entries += fmt::format(
            "    <DataSet timestep=\"{:.17g}\" part=\"0\" name=\"agents\" "
            "file=\"{}\"/>\n",
            day, vtp);
        if (!run.grid()) continue;
        int part = 1;
        for (const auto& name : run.field_names(i)) {
            const FieldData f = run.field(i, name);
            const std::string vti = fmt::format("{}_{}.vti", name, s.name);
            vtkNew<vtkXMLImageDataWriter> iw;
            auto img = field_image(*run.grid(), f);
            iw->SetInputData(img);
            write_xml(iw.Get(), (fs::path(dir) / vti).string());
            out.files.push_back((fs::path(dir) / vti).string());
            entries += fmt::format(
                "    <DataSet timestep=\"{:.17g}\" part=\"{}\" name=\"{}\" "
                "file=\"{}\"/>\n",
                day, part++, name, vti);
        }
    }
    std::ofstream pvd(out.pvd);
    pvd << "<?xml version=\"1.0\"?>\n"
        << "<!-- hlhsim run " << fs::path(run.path()).filename().string()
        << ": timestep in days; part 0 agents, then one part per field -->\n"
        << "<VTKFile type=\"Collection\" version=\"0.1\" byte_order=\"LittleEndian\">\n"
        << "  <Collection>\n"
        << entries << "  </Collection>\n</VTKFile>\n";
    if (!pvd.good()) throw IoError("cannot write '" + out.pvd + "'");
    return out;
}

}  // namespace hlhsim::viz
