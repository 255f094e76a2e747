#pragma once
// Rendering without a screen. The Debian VTK renders through GLX, which needs an X
// server even for off-screen windows, so on a headless machine (DISPLAY unset) the
// program starts its own private X server:
//
//   Xvfb -displayfd FD -screen 0 3840x2160x24 -nolisten tcp -noreset
//
// Xvfb picks a free display number itself and writes it to FD once it accepts
// clients; we then set DISPLAY=:N for VTK (Mesa's llvmpipe does the GL in software)
// and terminate the server when done. The child also gets PR_SET_PDEATHSIG, so a
// crashed or killed hlhsim never leaves an Xvfb behind. When DISPLAY is already set,
// nothing is started and that display is used.
#include <sys/types.h>

#include <string>

namespace hlhsim::viz {

class HeadlessDisplay {
  public:
    /// Starts Xvfb when DISPLAY is unset or empty. Throws IoError when Xvfb is not
    /// installed or does not come up within 15 s.
    HeadlessDisplay();
    /// Stops our Xvfb (if we started one) and unsets DISPLAY again.
    ~HeadlessDisplay();
    HeadlessDisplay(const HeadlessDisplay&) = delete;
    HeadlessDisplay& operator=(const HeadlessDisplay&) = delete;

    /// True when this object started an Xvfb.
    bool started() const { return pid_ > 0; }
    /// The display in use, e.g. ":3".
    const std::string& display() const { return display_; }

  private:
    pid_t pid_ = -1;
    std::string display_;
};

/// Makes sure the process has an X display for the rest of its life: the first call
/// creates a process-wide HeadlessDisplay (stopped at exit); later calls do nothing.
/// Every renderer of this library calls it before opening a VTK window.
void ensure_display();

}  // namespace hlhsim::viz
