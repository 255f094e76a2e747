#pragma once
// Internal to viz (includes VTK): the 2-D annotations of a frame (caption, colour bar,
// legend, scale bar) laid out in pixels around the domain view.
#include <vtkActor2D.h>
#include <vtkRenderer.h>
#include <vtkScalarBarActor.h>
#include <vtkScalarsToColors.h>
#include <vtkSmartPointer.h>
#include <vtkTextActor.h>

#include <string>
#include <vector>

#include "viz/palette.hpp"

namespace hlhsim::viz::detail {

/// Where everything goes in a frame [px, origin at the bottom left as in VTK].
struct FrameLayout {
    int width = 0, height = 0;
    int pad = 0;        ///< margin
    int caption_h = 0;  ///< height of the caption band at the top
    int panel_x0 = 0;   ///< left edge of the right-hand panel
    int view_x0 = 0, view_y0 = 0, view_w = 0, view_h = 0;  ///< domain view
    double px_per_um = 1;                                  ///< scale of the domain view
    double cx = 0, cy = 0;  ///< domain point at the centre of the view [um]
    int title_font = 0, text_font = 0, small_font = 0;  ///< [px]
};

/// Lays out a width x height frame for a domain of lx x ly um.
FrameLayout make_layout(int width, int height, double lx_um, double ly_um, double cx_um,
                        double cy_um);

struct LegendEntry {
    std::string text;
    bool header = false;  ///< a population name (no swatch)
    Rgb color;
};

class FrameOverlay {
  public:
    FrameOverlay(vtkRenderer* background, const FrameLayout& layout);
    void set_caption(const std::string& title, const std::string& body);
    /// A thin frame just outside the rectangle (x0, y0, w, h) [px]: the domain's edge.
    void add_frame(int x0, int y0, int w, int h);
    /// Shows the colour bar for `lut` titled `title` with `labels` tick labels (evenly
    /// spaced over the lookup table's range); nullptr hides it.
    void set_color_bar(vtkScalarsToColors* lut, const std::string& title, int labels = 5,
                       bool log = false);
    /// Entries top to bottom below the colour bar; extra entries are dropped with a
    /// final "..." line when the panel is full.
    void set_legend(const std::vector<LegendEntry>& entries);

  private:
    vtkSmartPointer<vtkTextActor> text(int size, bool bold);
    void add_scale_bar();

    vtkRenderer* renderer_;
    FrameLayout layout_;
    vtkSmartPointer<vtkTextActor> title_, body_;
    vtkSmartPointer<vtkScalarBarActor> bar_;
    vtkSmartPointer<vtkTextActor> bar_title_;
    int legend_top_ = 0;  ///< y of the legend's first line [px]
    std::vector<vtkSmartPointer<vtkActor2D>> swatches_, outlines_;
    std::vector<vtkSmartPointer<vtkTextActor>> labels_;
};

}  // namespace hlhsim::viz::detail
