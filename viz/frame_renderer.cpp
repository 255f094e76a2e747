#include "viz/frame_renderer.hpp"

#include <fmt/format.h>
#include <vtkActor.h>
#include <vtkCamera.h>
#include <vtkCellData.h>
#include <vtkDataSetMapper.h>
#include <vtkDoubleArray.h>
#include <vtkFloatArray.h>
#include <vtkGlyph3DMapper.h>
#include <vtkImageData.h>
#include <vtkLookupTable.h>
#include <vtkNew.h>
#include <vtkPointData.h>
#include <vtkPoints.h>
#include <vtkPolyData.h>
#include <vtkPolyDataMapper.h>
#include <vtkProperty.h>
#include <vtkRegularPolygonSource.h>
#include <vtkRenderWindow.h>
#include <vtkRenderer.h>
#include <vtkUnsignedCharArray.h>
#include <vtkWindowToImageFilter.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <limits>
#include <regex>

#include "sim/core/errors.hpp"
#include "viz/frame_overlay.hpp"
#include "viz/headless_display.hpp"
#include "viz/story.hpp"

namespace hlhsim::viz {

std::array<int, 2> parse_size(const std::string& text) {
    static const std::regex re(R"((\d{1,5})[xX](\d{1,5}))");
    std::smatch m;
    if (std::regex_match(text, m, re)) {
        const int w = std::stoi(m[1]), h = std::stoi(m[2]);
        if (w >= 16 && h >= 16 && w <= 8192 && h <= 8192) return {w, h};
    }
    throw InputError(
        fmt::format("--size '{}': expected WIDTHxHEIGHT in pixels, e.g. 1280x960 "
                    "(16..8192 each)",
                    text));
}

struct FrameRenderer::Impl {
    const RunFile& run;
    FrameOptions opt;
    std::vector<Event> events;
    detail::FrameLayout layout;
    std::string field;
    std::string field_unit;
    ColorScale scale;
    int slice = 0;          ///< z index of the field slice (3-D)
    double slice_z = 0;     ///< its centre [um]
    double slice_half = 0;  ///< agents within this distance of slice_z are shown [um]

    vtkNew<vtkRenderWindow> window;
    vtkNew<vtkRenderer> background, view;
    vtkNew<vtkImageData> grid;
    vtkNew<vtkLookupTable> lut;
    vtkNew<vtkLookupTable> bar_lut;  ///< same colours, range in the colour bar's units
    vtkNew<vtkActor> field_actor, agent_actor, outline_actor, border_actor;
    vtkNew<vtkPolyData> agents;
    std::unique_ptr<detail::FrameOverlay> overlay;

    Impl(const RunFile& r, FrameOptions o) : run(r), opt(std::move(o)), events(r.events()) {}
    void choose_field(const std::vector<std::size_t>& snaps);
    void build_scene(double max_radius_um);
    void update_field(std::size_t index);
    std::vector<detail::LegendEntry> update_agents(const Snapshot& s);
};

void FrameRenderer::Impl::choose_field(const std::vector<std::size_t>& snaps) {
    const auto& g = run.grid();
    if (opt.field == "none" || !g) {
        if (!opt.field.empty() && opt.field != "none")
            throw InputError(
                fmt::format("{}: --field {}: the run has no fields", run.path(), opt.field));
        return;
    }
    field = opt.field.empty() ? (g->fields.empty() ? "" : g->fields.front()) : opt.field;
    if (field.empty()) return;
    if (std::find(g->fields.begin(), g->fields.end(), field) == g->fields.end())
        throw InputError(fmt::format("{}: no field '{}' (fields: {})", run.path(), field,
                                     fmt::join(g->fields, ", ")));
    slice = g->dims == 3 ? g->n[2] / 2 : 0;
    slice_z = g->origin[2] + (slice + 0.5) * g->dx;
    slice_half = g->dx;
    ValueSummary values(
        run.grid() ? static_cast<std::size_t>(g->n[0]) * g->n[1] * g->n[2] * snaps.size() : 0);
    for (std::size_t i : snaps) {
        const auto names = run.field_names(i);
        if (std::find(names.begin(), names.end(), field) == names.end()) continue;
        const FieldData f = run.field(i, field);
        field_unit = f.unit;
        values.add(f.values);
    }
    scale = choose_scale(values, opt.scale);
}

void FrameRenderer::Impl::build_scene(double max_radius_um) {
    const DomainInfo& d = run.domain();
    const double lx = d.hi[0] - d.lo[0], ly = d.hi[1] - d.lo[1];
    layout = detail::make_layout(opt.width, opt.height, lx, ly, 0.5 * (d.lo[0] + d.hi[0]),
                                 0.5 * (d.lo[1] + d.hi[1]));
    window->SetOffScreenRendering(1);
    window->SetSize(opt.width, opt.height);
    window->SetMultiSamples(0);  // exact colours at glyph centres; disks have many sides
    window->AddRenderer(background);
    window->AddRenderer(view);
    background->SetBackground(1, 1, 1);
    view->SetBackground(0.93, 0.93, 0.93);
    const auto& l = layout;
    view->SetViewport(double(l.view_x0) / l.width, double(l.view_y0) / l.height,
                      double(l.view_x0 + l.view_w) / l.width,
                      double(l.view_y0 + l.view_h) / l.height);
    vtkCamera* cam = view->GetActiveCamera();
    cam->ParallelProjectionOn();
    cam->SetFocalPoint(l.cx, l.cy, 0);
    cam->SetPosition(l.cx, l.cy, 1000);
    cam->SetViewUp(0, 1, 0);
    cam->SetParallelScale(0.5 * l.view_h / l.px_per_um);
    cam->SetClippingRange(1, 2000);

    // Field: one flat-coloured quad per voxel (cell data), no interpolation.
    lut->SetNumberOfTableValues(256);
    for (int i = 0; i < 256; ++i) {
        const Rgb c = field_color(i / 255.0);
        lut->SetTableValue(i, c.r / 255.0, c.g / 255.0, c.b / 255.0, 1.0);
    }
    lut->SetTableRange(scale.lo, scale.hi);
    if (scale.log) lut->SetScaleToLog10();
    lut->SetBelowRangeColor(1, 1, 1, 1);  // zero on a log scale: white like the low end
    lut->UseBelowRangeColorOn();
    lut->SetNanColor(0.8, 0.8, 0.8, 1.0);
    if (const auto& g = run.grid(); g && !field.empty()) {
        grid->SetDimensions(g->n[0] + 1, g->n[1] + 1, 1);
        grid->SetSpacing(g->dx, g->dx, 1);
        grid->SetOrigin(g->origin[0], g->origin[1], 0);
        vtkNew<vtkDoubleArray> values;
        values->SetName("field");
        values->SetNumberOfTuples(static_cast<vtkIdType>(g->n[0]) * g->n[1]);
        values->Fill(0);
        grid->GetCellData()->SetScalars(values);
        vtkNew<vtkDataSetMapper> m;
        m->SetInputData(grid);
        m->SetLookupTable(lut);
        m->SetScalarModeToUseCellData();
        m->UseLookupTableScalarRangeOn();
        field_actor->SetMapper(m);
        field_actor->GetProperty()->LightingOff();
        view->AddActor(field_actor);
    }

    // Agents: disks (glyphs) with a thin dark outline drawn just below them.
    vtkNew<vtkPoints> pts;
    agents->SetPoints(pts);
    vtkNew<vtkRegularPolygonSource> circle;
    // About one side per 3 px of circumference: round at any size, and cheap when a
    // thousand small cells fill the frame (llvmpipe rasterises every triangle).
    const double r_px = max_radius_um * layout.px_per_um;
    circle->SetNumberOfSides(std::clamp(static_cast<int>(2 * M_PI * r_px / 3), 12, 64));
    circle->SetRadius(1.0);
    circle->SetNormal(0, 0, 1);
    for (auto* a : {agent_actor.Get(), outline_actor.Get()}) {
        vtkNew<vtkGlyph3DMapper> m;
        m->SetInputData(agents);
        m->SetSourceConnection(circle->GetOutputPort());
        m->SetScaleModeToScaleByMagnitude();
        m->SetScaleArray(a == agent_actor.Get() ? "radius" : "outline");
        m->ScalingOn();
        m->OrientOff();
        if (a == agent_actor.Get()) {
            m->SetScalarModeToUsePointFieldData();
            m->SelectColorArray("rgb");
            m->SetColorModeToDirectScalars();
            m->ScalarVisibilityOn();
        } else {
            m->ScalarVisibilityOff();
            a->GetProperty()->SetColor(0.15, 0.15, 0.18);
        }
        a->SetMapper(m);
        a->GetProperty()->LightingOff();
        view->AddActor(a);
    }
    outline_actor->SetPosition(0, 0, 1);  // field at z=0, outlines at 1, disks at 2
    agent_actor->SetPosition(0, 0, 2);

    overlay = std::make_unique<detail::FrameOverlay>(background, layout);
    overlay->add_frame(layout.view_x0, layout.view_y0, layout.view_w, layout.view_h);
    // Very small or large values: the bar shows them scaled by a power of ten, which
    // the title states, so the tick labels stay short.
    const double factor = std::pow(10.0, -scale.shift);
    bar_lut->DeepCopy(lut);
    bar_lut->SetTableRange(scale.lo * factor, scale.hi * factor);
    std::string unit = field_unit;
    if (scale.shift != 0) unit = fmt::format("10^{} {}", scale.shift, field_unit);
    if (scale.log) unit += unit.empty() ? "log scale" : ", log scale";
    // VTK's default font draws square brackets like parentheses: use parentheses.
    overlay->set_color_bar(field.empty() ? nullptr : bar_lut.Get(),
                           unit.empty() ? field : fmt::format("{} ({})", field, unit), scale.labels,
                           scale.log);
}

void FrameRenderer::Impl::update_field(std::size_t index) {
    if (field.empty()) return;
    const auto names = run.field_names(index);
    const bool has = std::find(names.begin(), names.end(), field) != names.end();
    field_actor->SetVisibility(has);
    if (!has) return;
    const FieldData f = run.field(index, field);
    auto* values = vtkDoubleArray::SafeDownCast(grid->GetCellData()->GetScalars());
    const vtkIdType plane = static_cast<vtkIdType>(f.n[0]) * f.n[1];
    if (values->GetNumberOfTuples() != plane)
        throw InputError(
            fmt::format("{}: field '{}' of snapshot {} has {}x{} voxels, the grid "
                        "{}x{}",
                        run.path(), field, run.snapshot_names()[index], f.n[0], f.n[1],
                        run.grid()->n[0], run.grid()->n[1]));
    const int k = std::min(slice, f.n[2] - 1);
    std::copy_n(f.values.begin() + k * plane, plane, values->GetPointer(0));
    values->Modified();
}

std::vector<detail::LegendEntry> FrameRenderer::Impl::update_agents(const Snapshot& s) {
    const bool three_d = run.domain().dims == 3;
    const double min_r = 2.0 / layout.px_per_um;  // at least 2 px
    const double rim = 1.2 / layout.px_per_um;    // outline width: 1.2 px
    vtkNew<vtkPoints> pts;
    vtkNew<vtkFloatArray> radius, outline;
    vtkNew<vtkUnsignedCharArray> rgb;
    radius->SetName("radius");
    outline->SetName("outline");
    rgb->SetName("rgb");
    rgb->SetNumberOfComponents(3);
    std::vector<detail::LegendEntry> legend;
    for (std::size_t p = 0; p < s.populations.size(); ++p) {
        const PopulationSlice& pop = s.populations[p];
        const double r_default = default_radius_um(pop.name);
        std::vector<std::size_t> count(std::max<std::size_t>(pop.state_names.size(), 1), 0);
        for (std::size_t i = pop.first; i < pop.first + pop.count && i < s.x.size(); ++i) {
            if (three_d && std::abs(s.z[i] - slice_z) > slice_half) continue;
            const std::size_t st = s.state[i];
            if (st >= count.size()) count.resize(st + 1, 0);
            ++count[st];
            const std::string sname = st < pop.state_names.size() ? pop.state_names[st] : "";
            const Rgb c = agent_color(pop.name, sname, p, st);
            const double r = std::max(s.radius[i] > 0 ? s.radius[i] : r_default, min_r);
            pts->InsertNextPoint(s.x[i], s.y[i], 0);
            radius->InsertNextValue(static_cast<float>(r));
            outline->InsertNextValue(static_cast<float>(r + rim));
            rgb->InsertNextTuple3(c.r, c.g, c.b);
        }
        std::size_t total = 0;
        for (auto c : count) total += c;
        legend.push_back({fmt::format("{} ({})", pop.name, total), true, {}});
        for (std::size_t st = 0; st < count.size(); ++st) {
            const std::string sname =
                st < pop.state_names.size() ? pop.state_names[st] : fmt::format("state {}", st);
            if (st >= pop.state_names.size() && count[st] == 0) continue;
            legend.push_back({fmt::format("{}  {}", sname, count[st]), false,
                              agent_color(pop.name, sname, p, st)});
        }
    }
    agents->SetPoints(pts);
    agents->GetPointData()->Initialize();
    agents->GetPointData()->AddArray(radius);
    agents->GetPointData()->AddArray(outline);
    agents->GetPointData()->AddArray(rgb);
    agents->Modified();
    return legend;
}

FrameRenderer::FrameRenderer(const RunFile& run, FrameOptions options,
                             const std::vector<std::size_t>& range_snapshots)
    : impl_(std::make_unique<Impl>(run, std::move(options))) {
    std::vector<std::size_t> snaps = range_snapshots;
    if (snaps.empty())
        for (std::size_t i = 0; i < run.snapshot_names().size(); ++i) snaps.push_back(i);
    impl_->choose_field(snaps);
    ensure_display();
    // The largest glyph of the first frame sets how finely disks are drawn.
    double max_r = 5.0;
    if (!snaps.empty()) {
        const Snapshot first = run.snapshot(snaps.front());
        for (const auto& pop : first.populations) {
            max_r = std::max(max_r, default_radius_um(pop.name));
            for (std::size_t i = pop.first; i < pop.first + pop.count && i < first.radius.size();
                 ++i)
                max_r = std::max(max_r, first.radius[i]);
        }
    }
    impl_->build_scene(max_r);
}

FrameRenderer::~FrameRenderer() = default;

RgbImage FrameRenderer::render(std::size_t index) {
    Impl& m = *impl_;
    const Snapshot s = m.run.snapshot(index);
    m.update_field(index);
    m.overlay->set_legend(m.update_agents(s));

    // Caption lines are cut (with "...") to the width, longest-lived facts first.
    const auto& l = m.layout;
    auto fit = [&](const std::string& text, int font) {
        return fit_text(text, static_cast<std::size_t>((l.width - 2 * l.pad) / (0.56 * font)));
    };
    std::string title = m.field.empty() ? "cells" : m.field;
    if (!m.field_unit.empty()) title += " (" + m.field_unit + ")";
    if (!m.field.empty()) title += " and cells";
    if (m.run.domain().dims == 3)
        title += fmt::format(" \u2014 slice z = {:.4g} \u00b5m, cells within \u00b1{:.3g} \u00b5m",
                             m.slice_z, m.slice_half);
    const std::string treat = active_treatments(m.events, s.time_min);
    const std::string name = std::filesystem::path(m.run.path()).filename().string();
    const std::string when = fmt::format("{}   (t = {:.6g} min, snapshot {})   {}",
                                         format_sim_time(s.time_min), s.time_min, s.name, name);
    const std::string doses =
        "treatments in the last 24 h: " + (treat.empty() ? std::string("none") : treat);
    m.overlay->set_caption(fit(title, l.title_font),
                           fit(when, l.text_font) + "\n" + fit(doses, l.text_font));

    m.window->Render();
    vtkNew<vtkWindowToImageFilter> grab;
    grab->SetInput(m.window);
    grab->SetInputBufferTypeToRGB();
    grab->ReadFrontBufferOff();
    grab->ShouldRerenderOff();
    grab->Update();
    return from_vtk_image(grab->GetOutput());
}

std::array<double, 2> FrameRenderer::to_pixel(double x_um, double y_um) const {
    const auto& l = impl_->layout;
    const double col = l.view_x0 + 0.5 * l.view_w + (x_um - l.cx) * l.px_per_um;
    const double row_up = l.view_y0 + 0.5 * l.view_h + (y_um - l.cy) * l.px_per_um;
    return {col, l.height - row_up};
}

const std::string& FrameRenderer::field() const { return impl_->field; }

bool FrameRenderer::log_scale() const { return impl_->scale.log; }

std::array<double, 2> FrameRenderer::field_range() const {
    return {impl_->scale.lo, impl_->scale.hi};
}

std::vector<std::string> render_frames(
    const RunFile& run, const FrameOptions& options, const std::string& dir, std::size_t every,
    const std::function<void(std::size_t, std::size_t)>& progress) {
    std::vector<std::size_t> snaps;
    for (std::size_t i = 0; i < run.snapshot_names().size(); i += std::max<std::size_t>(every, 1))
        snaps.push_back(i);
    if (snaps.empty()) throw InputError(fmt::format("{}: the run has no snapshots", run.path()));
    FrameRenderer renderer(run, options, snaps);
    std::filesystem::create_directories(dir);
    std::vector<std::string> paths;
    for (std::size_t k = 0; k < snaps.size(); ++k) {
        const std::string path =
            (std::filesystem::path(dir) / fmt::format("frame_{:06d}.png", k)).string();
        write_png(renderer.render(snaps[k]), path);
        paths.push_back(path);
        if (progress) progress(k + 1, snaps.size());
    }
    return paths;
}

}  // namespace hlhsim::viz
