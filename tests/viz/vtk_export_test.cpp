#include "viz/vtk_export.hpp"

#include <gtest/gtest.h>
#include <vtkCellData.h>
#include <vtkDataArray.h>
#include <vtkImageData.h>
#include <vtkNew.h>
#include <vtkPointData.h>
#include <vtkPolyData.h>
#include <vtkXMLImageDataReader.h>
#include <vtkXMLPolyDataReader.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <regex>

#include "synthetic_run.hpp"

namespace hlhsim::viz {
namespace {

void check_export(const RunFile& run, const std::string& dir) {
    const VtkExport e = export_vtk(run, dir);
    std::ifstream in(e.pvd);
    const std::string pvd{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    static const std::regex ds(
        R"re(<DataSet timestep="([^"]+)" part="(\d+)" name="(\w+)" file="([^"]+)"/>)re");
    std::size_t entries = 0;
    for (auto it = std::sregex_iterator(pvd.begin(), pvd.end(), ds); it != std::sregex_iterator();
         ++it, ++entries) {
        const auto& m = *it;
        const std::string file = (std::filesystem::path(dir) / m[4].str()).string();
        ASSERT_TRUE(std::filesystem::exists(file)) << file;
        // Which snapshot: the number in the file name.
        const std::string snap = m[4].str().substr(m[4].str().size() - 10, 6);
        const std::size_t index = static_cast<std::size_t>(std::stoi(snap));
        EXPECT_NEAR(std::stod(m[1].str()), run.snapshot_times()[index] / 1440.0, 1e-12);
        if (m[3].str() == "agents") {
            vtkNew<vtkXMLPolyDataReader> r;
            r->SetFileName(file.c_str());
            r->Update();
            vtkPolyData* pd = r->GetOutput();
            const Snapshot s = run.snapshot(index);
            ASSERT_EQ(pd->GetNumberOfPoints(), static_cast<vtkIdType>(s.x.size()));
            vtkDataArray* state = pd->GetPointData()->GetArray("state");
            vtkDataArray* id = pd->GetPointData()->GetArray("id");
            ASSERT_NE(state, nullptr);
            ASSERT_NE(id, nullptr);
            for (vtkIdType i = 0; i < pd->GetNumberOfPoints(); ++i) {
                const auto k = static_cast<std::size_t>(i);
                double p[3];
                pd->GetPoint(i, p);
                ASSERT_EQ(p[0], s.x[k]);
                ASSERT_EQ(p[1], s.y[k]);
                ASSERT_EQ(p[2], s.z[k]);
                ASSERT_EQ(state->GetTuple1(i), s.state[k]);
                ASSERT_EQ(id->GetTuple1(i), static_cast<double>(s.id[k]));
            }
        } else {
            vtkNew<vtkXMLImageDataReader> r;
            r->SetFileName(file.c_str());
            r->Update();
            vtkImageData* img = r->GetOutput();
            const FieldData f = run.field(index, m[3].str());
            vtkDataArray* a = img->GetCellData()->GetArray(m[3].str().c_str());
            ASSERT_NE(a, nullptr);
            ASSERT_EQ(a->GetNumberOfTuples(), static_cast<vtkIdType>(f.values.size()));
            for (vtkIdType i = 0; i < a->GetNumberOfTuples(); ++i)
                ASSERT_EQ(a->GetTuple1(i), f.values[static_cast<std::size_t>(i)]);
            double spacing[3];
            img->GetSpacing(spacing);
            EXPECT_EQ(spacing[0], run.grid()->dx);
            int dims[3];
            img->GetDimensions(dims);
            EXPECT_EQ(dims[0], f.n[0] + 1);
            EXPECT_EQ(dims[1], f.n[1] + 1);
        }
    }
    EXPECT_EQ(entries, e.files.size());
    EXPECT_EQ(entries, run.snapshot_names().size() * (1 + run.field_names(0).size()));
}

TEST(VtkExport, FilesLoadBackWithTheSameValues2D) {
    test::TempDir dir;
    test::write_synthetic_run(dir.file("run.h5"), {.snapshots = 3});
    check_export(RunFile(dir.file("run.h5")), dir.file("vtk"));
    EXPECT_TRUE(std::filesystem::exists(dir.file("vtk/run.pvd")));
}

TEST(VtkExport, FilesLoadBackWithTheSameValues3D) {
    test::TempDir dir;
    test::write_synthetic_run(dir.file("run.h5"), {.dims = 3, .clinical = false, .snapshots = 2});
    check_export(RunFile(dir.file("run.h5")), dir.file("vtk"));
}

TEST(VtkExport, PopulationColumnsBecomeArrays) {
    test::TempDir dir;
    test::write_synthetic_run(dir.file("one.h5"),
                              {.clinical = false, .big_agent = true, .snapshots = 1});
    export_vtk(RunFile(dir.file("one.h5")), dir.file("vtk"));
    vtkNew<vtkXMLPolyDataReader> r;
    r->SetFileName(dir.file("vtk/agents_000000.vtp").c_str());
    r->Update();
    vtkDataArray* radius = r->GetOutput()->GetPointData()->GetArray("macrophage.radius");
    ASSERT_NE(radius, nullptr);
    EXPECT_EQ(radius->GetTuple1(0), test::kBigAgentRadius);
}

}  // namespace
}  // namespace hlhsim::viz
