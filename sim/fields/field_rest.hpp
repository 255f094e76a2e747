#pragma once
// Skipping the steps of a field that sits at a fixed point of its own step.
//
// A field with no sources and no uptake decays towards 0, and in floating point it often
// stops short of it: e.g. a cytokine no cell secretes ends on a denormal value (~1e-323)
// that the decay and diffusion round back to itself. Every step then gives the same bits
// again, yet costs far more than usual (arithmetic on denormals runs in microcode on x86).
// A step is a pure function of the field's values, its rate arrays, which of them are
// read (the mask) and dt; so once a step has returned its input unchanged, with every rate
// zero, the next step with the same values, zero rates, mask and dt would return it again
// and can be skipped without changing a bit.
#include <cstddef>
#include <span>
#include <vector>

namespace hlhsim {

class FieldRest {
  public:
    /// Between attempts to catch a quiet field at rest, a field waits this many steps
    /// (an attempt copies the field and compares it after the step).
    static constexpr int kProbeEvery = 8;

    explicit FieldRest(std::size_t num_fields);

    /// Before a step of field f: values [unit], the rate arrays the step reads, the mask that
    /// says which they are, and dt [min]. True if the step can be skipped (it would leave
    /// values unchanged); otherwise call after_step() once the step is done.
    bool before_step(std::size_t f, std::span<const double> values,
                     std::span<const std::span<const double>> rates, unsigned mask, double dt);
    /// After a step of field f that before_step() did not skip: values after it [unit].
    void after_step(std::size_t f, std::span<const double> values);
    /// True if field f was found at rest (its last step changed nothing).
    bool at_rest(std::size_t f) const { return state_.at(f).at_rest; }

  private:
    struct State {
        std::vector<double> input;  // values before the probed step (empty: none kept)
        unsigned mask = 0;
        double dt = 0;
        bool probing = false;  // input holds this step's input; after_step() compares
        bool at_rest = false;  // the probed step returned input unchanged
        int wait = 0;          // steps before the next probe
    };
    std::vector<State> state_;
};

}  // namespace hlhsim
