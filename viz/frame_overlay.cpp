#include "viz/frame_overlay.hpp"

#include <fmt/format.h>
#include <vtkCellArray.h>
#include <vtkNew.h>
#include <vtkPoints.h>
#include <vtkPolyData.h>
#include <vtkPolyDataMapper2D.h>
#include <vtkProperty2D.h>
#include <vtkTextProperty.h>

#include <algorithm>
#include <array>
#include <cmath>

namespace hlhsim::viz::detail {

namespace {

constexpr double kInk[3] = {0.13, 0.13, 0.16};    // text
constexpr double kMuted[3] = {0.35, 0.35, 0.40};  // secondary text

/// A filled polygon (closed ring of points) in pixels, as 2-D polydata.
vtkSmartPointer<vtkPolyData> polygon(const std::vector<std::array<double, 2>>& ring) {
    vtkNew<vtkPoints> pts;
    vtkNew<vtkCellArray> polys;
    polys->InsertNextCell(static_cast<vtkIdType>(ring.size()));
    for (const auto& p : ring) polys->InsertCellPoint(pts->InsertNextPoint(p[0], p[1], 0));
    auto pd = vtkSmartPointer<vtkPolyData>::New();
    pd->SetPoints(pts);
    pd->SetPolys(polys);
    return pd;
}

vtkSmartPointer<vtkPolyData> disk(double r) {
    std::vector<std::array<double, 2>> ring;
    for (int i = 0; i < 32; ++i) {
        const double a = 2 * M_PI * i / 32;
        ring.push_back({r * std::cos(a), r * std::sin(a)});
    }
    return polygon(ring);
}

vtkSmartPointer<vtkActor2D> actor2d(vtkPolyData* pd, const double rgb[3]) {
    vtkNew<vtkPolyDataMapper2D> m;
    m->SetInputData(pd);
    auto a = vtkSmartPointer<vtkActor2D>::New();
    a->SetMapper(m);
    a->GetProperty()->SetColor(rgb[0], rgb[1], rgb[2]);
    return a;
}

/// 1, 2 or 5 times a power of ten, at most `limit`.
double nice_length(double limit) {
    const double p = std::pow(10.0, std::floor(std::log10(limit)));
    for (double m : {5.0, 2.0, 1.0})
        if (m * p <= limit) return m * p;
    return p;
}

}  // namespace

FrameLayout make_layout(int width, int height, double lx_um, double ly_um, double cx_um,
                        double cy_um) {
    FrameLayout l;
    l.width = width;
    l.height = height;
    const double u = std::min(width, height) / 1000.0;
    l.title_font = std::max(13, static_cast<int>(std::lround(26 * u)));
    l.text_font = std::max(11, static_cast<int>(std::lround(20 * u)));
    l.small_font = std::max(10, static_cast<int>(std::lround(17 * u)));
    l.pad = std::max(6, static_cast<int>(std::lround(16 * u)));
    l.caption_h = l.pad + l.title_font + 2 * (l.text_font + l.text_font / 3) + l.pad;
    l.panel_x0 = width - std::max(static_cast<int>(0.25 * width), 12 * l.small_font);
    // The domain view keeps the domain's aspect and fills what is left.
    const int avail_w = l.panel_x0 - 2 * l.pad;
    const int avail_h = height - l.caption_h - l.pad;
    const double s = std::min(avail_w / lx_um, avail_h / ly_um);
    l.view_w = std::max(1, static_cast<int>(std::floor(s * lx_um)));
    l.view_h = std::max(1, static_cast<int>(std::floor(s * ly_um)));
    l.view_x0 = l.pad + (avail_w - l.view_w) / 2;
    l.view_y0 = l.pad + (avail_h - l.view_h) / 2;
    l.px_per_um = l.view_h / ly_um;
    l.cx = cx_um;
    l.cy = cy_um;
    return l;
}

FrameOverlay::FrameOverlay(vtkRenderer* background, const FrameLayout& layout)
    : renderer_(background), layout_(layout) {
    title_ = text(layout_.title_font, true);
    title_->SetDisplayPosition(layout_.pad, layout_.height - layout_.pad);
    body_ = text(layout_.text_font, false);
    body_->GetTextProperty()->SetColor(kMuted[0], kMuted[1], kMuted[2]);
    body_->GetTextProperty()->SetLineSpacing(1.15);
    body_->SetDisplayPosition(layout_.pad,
                              layout_.height - layout_.pad - layout_.title_font * 4 / 3);

    const int px = layout_.panel_x0;
    const int top = layout_.height - layout_.caption_h;
    bar_title_ = text(layout_.small_font, true);
    bar_title_->SetDisplayPosition(px, top);
    bar_ = vtkSmartPointer<vtkScalarBarActor>::New();
    bar_->SetUnconstrainedFontSize(true);
    bar_->SetNumberOfLabels(5);
    bar_->SetLabelFormat("%g");
    bar_->SetBarRatio(0.28);
    bar_->SetTextPositionToSucceedScalarBar();
    bar_->DrawTickLabelsOn();
    bar_->SetTitle("");
    auto* lp = bar_->GetLabelTextProperty();
    lp->SetFontSize(layout_.small_font);
    lp->SetColor(kInk[0], kInk[1], kInk[2]);
    lp->BoldOff();
    lp->ItalicOff();
    lp->ShadowOff();
    const int bar_h = static_cast<int>(0.3 * (top - layout_.pad));
    const int bar_top = top - layout_.small_font * 2;
    bar_->GetPositionCoordinate()->SetCoordinateSystemToDisplay();
    bar_->GetPositionCoordinate()->SetValue(px, bar_top - bar_h);
    bar_->GetPosition2Coordinate()->SetCoordinateSystemToDisplay();
    bar_->GetPosition2Coordinate()->SetValue(layout_.width - px - layout_.pad, bar_h);
    bar_->SetVisibility(false);
    renderer_->AddActor2D(bar_);
    legend_top_ = bar_top - bar_h - layout_.small_font * 2;
    add_scale_bar();
}

vtkSmartPointer<vtkTextActor> FrameOverlay::text(int size, bool bold) {
    auto t = vtkSmartPointer<vtkTextActor>::New();
    auto* p = t->GetTextProperty();
    p->SetFontFamilyToArial();
    p->SetFontSize(size);
    p->SetBold(bold);
    p->SetColor(kInk[0], kInk[1], kInk[2]);
    p->SetVerticalJustificationToTop();
    p->SetJustificationToLeft();
    renderer_->AddActor2D(t);
    return t;
}

void FrameOverlay::set_caption(const std::string& title, const std::string& body) {
    title_->SetInput(title.c_str());
    body_->SetInput(body.c_str());
}

void FrameOverlay::add_frame(int x0, int y0, int w, int h) {
    const double grey[3] = {0.55, 0.55, 0.6};
    const double a = x0 - 1.5, b = y0 - 1.5, c = x0 + w + 1.5, d = y0 + h + 1.5;
    renderer_->AddActor2D(actor2d(polygon({{a, b}, {c, b}, {c, d}, {a, d}}), grey));
}

void FrameOverlay::set_color_bar(vtkScalarsToColors* lut, const std::string& title, int labels,
                                 bool log) {
    bar_->SetVisibility(lut != nullptr);
    bar_title_->SetVisibility(lut != nullptr);
    if (lut == nullptr) return;
    bar_->SetLookupTable(lut);
    bar_->SetNumberOfLabels(labels);
    bar_->SetLabelFormat(log ? "%.0e" : "%g");  // decades: 1e+04, 1e+05 ...
    bar_title_->SetInput(title.c_str());
}

void FrameOverlay::set_legend(const std::vector<LegendEntry>& entries) {
    const int line = layout_.small_font * 4 / 3;
    const int bottom = layout_.pad + 3 * layout_.small_font;  // above the scale bar
    const double r = layout_.small_font * 0.42;
    const std::size_t fit =
        static_cast<std::size_t>(std::max(1, (legend_top_ - bottom) / std::max(1, line)));
    std::vector<LegendEntry> shown(
        entries.begin(),
        entries.begin() + static_cast<std::ptrdiff_t>(std::min(entries.size(), fit)));
    if (entries.size() > fit && !shown.empty()) shown.back() = {"...", true, {}};
    while (labels_.size() < shown.size()) {
        const double black[3] = {0.15, 0.15, 0.15}, white[3] = {1, 1, 1};
        outlines_.push_back(actor2d(disk(r + 1.2), black));
        swatches_.push_back(actor2d(disk(r), white));
        renderer_->AddActor2D(outlines_.back());
        renderer_->AddActor2D(swatches_.back());
        labels_.push_back(text(layout_.small_font, false));
    }
    for (std::size_t i = 0; i < labels_.size(); ++i) {
        const bool on = i < shown.size();
        labels_[i]->SetVisibility(on);
        swatches_[i]->SetVisibility(on && !shown[i].header);
        outlines_[i]->SetVisibility(on && !shown[i].header);
        if (!on) continue;
        const int y = legend_top_ - static_cast<int>(i) * line;
        const int indent = shown[i].header ? 0 : static_cast<int>(2 * r + 0.6 * layout_.small_font);
        labels_[i]->SetInput(shown[i].text.c_str());
        labels_[i]->GetTextProperty()->SetBold(shown[i].header);
        labels_[i]->SetDisplayPosition(layout_.panel_x0 + indent, y);
        const double sx = layout_.panel_x0 + r + 1;
        const double sy = y - layout_.small_font * 0.5;
        swatches_[i]->SetPosition(sx, sy);
        outlines_[i]->SetPosition(sx, sy);
        const Rgb c = shown[i].color;
        swatches_[i]->GetProperty()->SetColor(c.r / 255.0, c.g / 255.0, c.b / 255.0);
    }
}

void FrameOverlay::add_scale_bar() {
    const double max_px = 0.8 * (layout_.width - layout_.panel_x0 - layout_.pad);
    const double len_um = nice_length(max_px / layout_.px_per_um);
    const double len_px = len_um * layout_.px_per_um;
    const double x0 = layout_.panel_x0, y0 = layout_.pad + layout_.small_font * 1.6;
    const double h = std::max(3.0, layout_.small_font * 0.35);
    renderer_->AddActor2D(
        actor2d(polygon({{x0, y0}, {x0 + len_px, y0}, {x0 + len_px, y0 + h}, {x0, y0 + h}}), kInk));
    auto label = text(layout_.small_font, false);
    label->SetInput(len_um >= 1000 ? fmt::format("{:g} mm", len_um / 1000).c_str()
                                   : fmt::format("{:g} \u00b5m", len_um).c_str());
    label->SetDisplayPosition(static_cast<int>(x0), static_cast<int>(y0) - 3);
}

}  // namespace hlhsim::viz::detail
