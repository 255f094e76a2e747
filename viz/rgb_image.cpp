#include "viz/rgb_image.hpp"

#include <vtkImageData.h>
#include <vtkNew.h>
#include <vtkPNGReader.h>
#include <vtkPNGWriter.h>
#include <vtkPointData.h>
#include <vtkUnsignedCharArray.h>

#include <cstring>
#include <filesystem>

#include "sim/core/errors.hpp"

namespace hlhsim::viz {

namespace {

// zlib level 3: frames are flat colour areas, which compress nearly as well as at the
// default level 5 at about half the encoding time (a fifth of a frame's cost).
constexpr int kPngCompression = 3;

vtkNew<vtkImageData> to_vtk_image(const RgbImage& image) {
    vtkNew<vtkImageData> out;
    out->SetDimensions(image.width, image.height, 1);
    out->AllocateScalars(VTK_UNSIGNED_CHAR, 3);
    auto* dst = static_cast<std::uint8_t*>(out->GetScalarPointer());
    const std::size_t row = static_cast<std::size_t>(image.width) * 3;
    for (int y = 0; y < image.height; ++y)  // VTK images start at the bottom row
        std::memcpy(dst + static_cast<std::size_t>(image.height - 1 - y) * row,
                    image.rgb.data() + static_cast<std::size_t>(y) * row, row);
    return out;
}

}  // namespace

RgbImage from_vtk_image(vtkImageData* image) {
    int dims[3];
    image->GetDimensions(dims);
    const int comps = image->GetNumberOfScalarComponents();
    if (image->GetScalarType() != VTK_UNSIGNED_CHAR || comps < 3)
        throw IoError("image: expected 8-bit RGB(A) pixels");
    RgbImage out;
    out.width = dims[0];
    out.height = dims[1];
    out.rgb.resize(static_cast<std::size_t>(dims[0]) * static_cast<std::size_t>(dims[1]) * 3);
    const auto* src = static_cast<const std::uint8_t*>(image->GetScalarPointer());
    for (int y = 0; y < dims[1]; ++y) {
        const std::uint8_t* s = src + static_cast<std::size_t>(dims[1] - 1 - y) *
                                          static_cast<std::size_t>(dims[0]) *
                                          static_cast<std::size_t>(comps);
        std::uint8_t* d =
            out.rgb.data() + static_cast<std::size_t>(y) * static_cast<std::size_t>(dims[0]) * 3;
        for (int x = 0; x < dims[0]; ++x)
            for (int c = 0; c < 3; ++c)
                d[x * 3 + c] = s[static_cast<std::size_t>(x) * static_cast<std::size_t>(comps) +
                                 static_cast<std::size_t>(c)];
    }
    return out;
}

void write_png(const RgbImage& image, const std::string& path) {
    const auto parent = std::filesystem::path(path).parent_path();
    std::error_code ec;
    if (!parent.empty()) std::filesystem::create_directories(parent, ec);
    auto img = to_vtk_image(image);
    vtkNew<vtkPNGWriter> w;
    w->SetInputData(img);
    w->SetCompressionLevel(kPngCompression);
    w->SetFileName(path.c_str());
    w->Write();
    if (w->GetErrorCode() != 0 || !std::filesystem::exists(path))
        throw IoError("cannot write PNG '" + path + "'");
}

std::vector<std::uint8_t> encode_png(const RgbImage& image) {
    auto img = to_vtk_image(image);
    vtkNew<vtkPNGWriter> w;
    w->SetInputData(img);
    w->SetCompressionLevel(kPngCompression);
    w->WriteToMemoryOn();
    w->Write();
    vtkUnsignedCharArray* bytes = w->GetResult();
    if (bytes == nullptr || bytes->GetNumberOfValues() == 0)
        throw IoError("cannot encode PNG in memory");
    const auto* p = bytes->GetPointer(0);
    return {p, p + bytes->GetNumberOfValues()};
}

RgbImage read_png(const std::string& path) {
    if (!std::filesystem::exists(path)) throw IoError("no PNG file '" + path + "'");
    vtkNew<vtkPNGReader> r;
    if (!r->CanReadFile(path.c_str())) throw IoError("not a PNG file: '" + path + "'");
    r->SetFileName(path.c_str());
    r->Update();
    return from_vtk_image(r->GetOutput());
}

}  // namespace hlhsim::viz
