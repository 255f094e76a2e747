#include "viz/dashboard.hpp"

#include <fmt/format.h>
#include <vtkAxis.h>
#include <vtkChartLegend.h>
#include <vtkChartMatrix.h>
#include <vtkChartXY.h>
#include <vtkContextScene.h>
#include <vtkContextView.h>
#include <vtkDoubleArray.h>
#include <vtkNew.h>
#include <vtkPen.h>
#include <vtkPlot.h>
#include <vtkPlotBar.h>
#include <vtkPlotLine.h>
#include <vtkRenderWindow.h>
#include <vtkRenderer.h>
#include <vtkStringArray.h>
#include <vtkTable.h>
#include <vtkTextActor.h>
#include <vtkTextProperty.h>
#include <vtkVector.h>
#include <vtkWindowToImageFilter.h>

#include <algorithm>
#include <cmath>

#include "viz/headless_display.hpp"

namespace hlhsim::viz {

namespace {

constexpr int kColumns = 3;
constexpr int kHeader = 110;  ///< header band [px]

vtkSmartPointer<vtkTable> xy_table(const std::vector<double>& x, const std::vector<double>& y,
                                   bool log) {
    auto table = vtkSmartPointer<vtkTable>::New();
    vtkNew<vtkDoubleArray> xs, ys;
    xs->SetName("x");
    ys->SetName("y");
    for (std::size_t i = 0; i < x.size() && i < y.size(); ++i) {
        if (!std::isfinite(y[i]) || (log && y[i] <= 0)) continue;  // gaps, not zeros
        xs->InsertNextValue(x[i]);
        ys->InsertNextValue(y[i]);
    }
    table->AddColumn(xs);
    table->AddColumn(ys);
    return table;
}

void style_axis(vtkAxis* axis, const std::string& title, int font) {
    axis->SetTitle(title);
    axis->GetTitleProperties()->SetFontSize(font);
    axis->GetTitleProperties()->BoldOff();
    axis->GetLabelProperties()->SetFontSize(font);
    axis->GetLabelProperties()->SetColor(0.2, 0.2, 0.25);
    axis->GetGridPen()->SetColor(225, 225, 230);
    axis->SetBehavior(vtkAxis::FIXED);
}

/// Ticks at 1, 2, 5 x 10^k (whole decades only when the range spans more than four),
/// labelled as plain numbers (5000000 rather than 5e+06).
void set_log_ticks(vtkAxis* axis, double lo, double hi) {
    vtkNew<vtkDoubleArray> pos;
    vtkNew<vtkStringArray> labels;
    const int k0 = static_cast<int>(std::floor(std::log10(lo)));
    const int k1 = static_cast<int>(std::ceil(std::log10(hi)));
    const bool dense = k1 - k0 <= 4;
    for (int k = k0; k <= k1; ++k)
        for (double m : {1.0, 2.0, 5.0}) {
            const double v = m * std::pow(10.0, k);
            if ((m != 1.0 && !dense) || v < lo || v > hi) continue;
            pos->InsertNextValue(std::log10(v));  // log axes take positions as log10
            labels->InsertNextValue(fmt::format("{:.7g}", v));
        }
    axis->SetCustomTickPositions(pos, labels);
}

vtkPlot* add_line(vtkChartXY* chart, vtkTable* table, Rgb c, float width) {
    vtkPlot* plot = chart->AddPlot(vtkChart::LINE);
    plot->SetInputData(table, 0, 1);
    plot->SetColor(c.r, c.g, c.b, 255);
    plot->SetWidth(width);
    return plot;
}

void draw_panel(vtkChartXY* chart, const Panel& p, double t_max, int font) {
    chart->SetTitle(p.threshold ? fmt::format("{}   (threshold {})", p.title, p.threshold_label)
                                : p.title);
    chart->GetTitleProperties()->SetFontSize(font + 3);
    chart->GetTitleProperties()->BoldOn();
    chart->SetShowLegend(p.curves.size() > 1);
    if (p.curves.size() > 1) chart->GetLegend()->GetLabelProperties()->SetFontSize(font);
    vtkAxis* x = chart->GetAxis(vtkAxis::BOTTOM);
    style_axis(x, "day", font);
    x->SetRange(0, t_max);
    vtkAxis* y = chart->GetAxis(vtkAxis::LEFT);
    style_axis(y, "", font);
    y->SetLogScale(p.log_y);
    y->SetUnscaledRange(p.y_min, p.y_max);
    if (p.log_y) set_log_ticks(y, p.y_min, p.y_max);

    if (p.kind == PanelKind::kSchedule) {
        vtkNew<vtkDoubleArray> pos;
        vtkNew<vtkStringArray> names;
        for (std::size_t r = 0; r < p.rows.size(); ++r) {
            pos->InsertNextValue(static_cast<double>(r));
            names->InsertNextValue(p.rows[r]);
            std::vector<double> xs, ys;
            for (const auto& b : p.bars)
                if (b.drug == r) {
                    xs.insert(xs.end(), {b.start_day, b.end_day});
                    ys.insert(ys.end(), {double(r), double(r)});
                }
            auto* line = vtkPlotLine::SafeDownCast(
                add_line(chart, xy_table(xs, ys, false),
                         Rgb{static_cast<std::uint8_t>(90 + 50 * (r % 3)), 110, 170}, 14.0f));
            line->SetPolyLine(false);  // one segment per dose
        }
        y->SetCustomTickPositions(pos, names);
        y->SetGridVisible(false);
        return;
    }
    for (const auto& c : p.curves) {
        auto table = xy_table(c.x_day, c.y, p.log_y);
        if (p.kind == PanelKind::kBars) {
            auto* bar = vtkPlotBar::SafeDownCast(chart->AddPlot(vtkChart::BAR));
            bar->SetInputData(table, 0, 1);
            bar->SetColor(c.color.r, c.color.g, c.color.b, 255);
            bar->SetWidth(0.8f);
        } else {
            vtkPlot* plot = add_line(chart, table, c.color, 2.5f);
            plot->SetLabel(c.name);
        }
    }
    if (p.threshold) {
        auto table = xy_table({0.0, t_max}, {*p.threshold, *p.threshold}, p.log_y);
        vtkPlot* plot = add_line(chart, table, kThresholdColor, 2.0f);
        plot->SetLabel("threshold");
        plot->SetLegendVisibility(false);
    }
}

}  // namespace

double PanelPlacement::row_of(double v) const {
    const double f =
        log_y ? (std::log10(v) - std::log10(y_min)) / (std::log10(y_max) - std::log10(y_min))
              : (v - y_min) / (y_max - y_min);
    return row_bottom - f * (row_bottom - row_top);
}

Dashboard render_dashboard(const RunFile& run, const DashboardOptions& options) {
    Dashboard out;
    out.model = build_dashboard(run);
    const auto& panels = out.model.panels;
    const int n = static_cast<int>(panels.size());
    const int rows = std::max(1, (n + kColumns - 1) / kColumns);
    const int width = options.width;
    const int height = options.height > 0 ? options.height : kHeader + 360 * rows;
    const int font = std::max(11, std::min(width / kColumns, (height - kHeader) / rows) / 24);

    ensure_display();
    vtkNew<vtkContextView> view;
    view->GetRenderWindow()->SetOffScreenRendering(1);
    view->GetRenderWindow()->SetMultiSamples(0);
    view->GetRenderWindow()->SetSize(width, height);
    view->GetRenderer()->SetBackground(1, 1, 1);

    vtkNew<vtkChartMatrix> matrix;
    view->GetScene()->AddItem(matrix);
    matrix->SetSize(vtkVector2i(kColumns, rows));
    // Charts align their axes to the cells; tick labels and titles live in the borders
    // and gutters, which therefore scale with the font.
    // The drug schedule (first column) labels its rows with drug names: room for them.
    std::size_t longest = 0;
    for (const auto& p : panels)
        for (const auto& r : p.rows) longest = std::max(longest, r.size());
    const int left = std::max(6 * font, static_cast<int>((0.62 * longest + 1.5) * font));
    matrix->SetBorders(left, 5 * font, 2 * font, kHeader + 2 * font);
    matrix->SetGutter(vtkVector2f(7.0f * font, 6.5f * font));
    std::vector<vtkChartXY*> charts;
    for (int i = 0; i < n; ++i) {
        const vtkVector2i pos(i % kColumns, rows - 1 - i / kColumns);  // (0,0) is bottom left
        auto* chart = vtkChartXY::SafeDownCast(matrix->GetChart(pos));
        draw_panel(chart, panels[static_cast<std::size_t>(i)], out.model.t_max_day, font);
        charts.push_back(chart);
    }

    vtkNew<vtkTextActor> title, caption;
    title->SetInput(out.model.title.c_str());
    title->GetTextProperty()->SetFontSize(font + 10);
    title->GetTextProperty()->BoldOn();
    title->GetTextProperty()->SetColor(0.13, 0.13, 0.16);
    title->GetTextProperty()->SetVerticalJustificationToTop();
    title->SetDisplayPosition(20, height - 14);
    std::string note = n == 0 ? "No clinical series, criteria or doses in this run file." : "";
    if (!out.model.missing.empty())
        note += fmt::format("Not in this run (panels skipped): {}.",
                            fmt::join(out.model.missing, ", "));
    for (const auto& s : out.model.notes) note += "  " + s + ".";
    note += "  Red lines: HLH-2004 / HScore thresholds.";
    caption->SetInput(note.c_str());
    caption->GetTextProperty()->SetFontSize(font + 1);
    caption->GetTextProperty()->SetColor(0.35, 0.35, 0.4);
    caption->GetTextProperty()->SetVerticalJustificationToTop();
    caption->SetDisplayPosition(20, height - 24 - (font + 10) * 3 / 2);
    view->GetRenderer()->AddActor2D(title);
    view->GetRenderer()->AddActor2D(caption);

    view->GetRenderWindow()->Render();
    vtkNew<vtkWindowToImageFilter> grab;
    grab->SetInput(view->GetRenderWindow());
    grab->SetInputBufferTypeToRGB();
    grab->ReadFrontBufferOff();
    grab->ShouldRerenderOff();
    grab->Update();
    out.image = from_vtk_image(grab->GetOutput());

    for (int i = 0; i < n; ++i) {
        const Panel& p = panels[static_cast<std::size_t>(i)];
        vtkChartXY* c = charts[static_cast<std::size_t>(i)];
        PanelPlacement pl;
        pl.key = p.key;
        pl.x0 = c->GetPoint1()[0];
        pl.x1 = c->GetPoint2()[0];
        pl.row_bottom = height - 1 - c->GetPoint1()[1];
        pl.row_top = height - 1 - c->GetPoint2()[1];
        vtkAxis* y = c->GetAxis(vtkAxis::LEFT);
        pl.y_min = y->GetUnscaledMinimum();
        pl.y_max = y->GetUnscaledMaximum();
        pl.log_y = p.log_y;
        out.placements.push_back(pl);
    }
    return out;
}

}  // namespace hlhsim::viz
