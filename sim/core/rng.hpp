#pragma once
// Counter-based random numbers (Philox4x32-10, Random123).
//
// Every draw is a pure function of (seed, stream, step, entity id, draw index),
// so results never depend on thread scheduling, thread count, rank count or the
// order in which agents are stored. There are no generator objects to share:
// each agent (or voxel, or event) makes a short-lived AgentRng on the stack.
//
// key     = (seed low 32 bits, seed high 32 bits)
// counter = (entity id low 32, entity id high 32, step, stream << 16 | draw)
// so one (stream, step, entity) has 65536 blocks of 4 x 32 bits.
#include <Random123/philox.h>

#include <bit>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <numbers>

namespace hlhsim {

/// Stream ids name the purpose of a draw; every model keeps its own in one header.
/// The engine reserves 0-255 (see sim/core/streams.hpp); models use 256 and up.
using StreamId = std::uint32_t;

class AgentRng {
  public:
    AgentRng(std::uint64_t seed, StreamId stream, std::uint64_t step, std::uint64_t entity)
        : key_{{static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32)}},
          ctr_{{static_cast<std::uint32_t>(entity), static_cast<std::uint32_t>(entity >> 32),
                static_cast<std::uint32_t>(step), (stream & 0xFFFFu) << 16}} {}

    /// Uniform on [0, 1), 53 random bits.
    double uniform() {
        const std::uint64_t hi = next_u32() >> 5;  // 27 bits
        const std::uint64_t lo = next_u32() >> 6;  // 26 bits
        return static_cast<double>((hi << 26) | lo) * 0x1.0p-53;
    }
    /// Uniform on (0, 1]: safe for log().
    double uniform_pos() { return 1.0 - uniform(); }
    double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
    /// Standard normal (Box-Muller; both values used in turn).
    double normal() {
        if (has_spare_) {
            has_spare_ = false;
            return spare_;
        }
        const double r = std::sqrt(-2.0 * std::log(uniform_pos()));
        const double a = 2.0 * std::numbers::pi * uniform();
        spare_ = r * std::sin(a);
        has_spare_ = true;
        return r * std::cos(a);
    }
    /// True with probability p.
    bool bernoulli(double p) { return uniform() < p; }
    /// Exponential waiting time with the given rate (same units inverted).
    double exponential(double rate) { return -std::log(uniform_pos()) / rate; }
    /// Poisson variate with the given mean (Knuth's product method for small means,
    /// a rounded normal approximation above 50).
    std::uint64_t poisson(double mean) {
        if (!(mean > 0)) return 0;
        if (mean > 50) {
            const double x = std::round(mean + std::sqrt(mean) * normal());
            return x > 0 ? static_cast<std::uint64_t>(x) : 0;
        }
        const double limit = std::exp(-mean);
        double product = uniform();
        std::uint64_t k = 0;
        while (product > limit) {
            ++k;
            product *= uniform();
        }
        return k;
    }
    /// Uniform integer in [0, n).
    std::uint32_t below(std::uint32_t n) {
        return static_cast<std::uint32_t>((static_cast<std::uint64_t>(next_u32()) * n) >> 32);
    }
    std::uint32_t next_u32() {
        if (used_ == 4) refill();
        return block_[used_++];
    }

  private:
    using Philox = r123::Philox4x32;
    // Out of line, so that the draws (two bounds checks and shifts) inline into callers.
    [[gnu::noinline]] void refill() {
        block_ = Philox()(ctr_, key_);
        ctr_.v[3] = (ctr_.v[3] & 0xFFFF0000u) | ((ctr_.v[3] + 1) & 0xFFFFu);
        used_ = 0;
    }

    Philox::key_type key_;
    Philox::ctr_type ctr_;
    Philox::ctr_type block_{};
    int used_ = 4;
    bool has_spare_ = false;
    double spare_ = 0;
};

namespace detail {
/// The last few results of rate_to_probability() on this thread, by the bits of (rate, dt).
/// Agent rules ask for the same few constant rates (turning, lifespans) once per agent and
/// step; expm1 costs ~20 ns, a hit ~2. A memo of a pure function: results are the same bits.
struct ProbabilityMemo {
    static constexpr int kBits = 6;
    struct Entry {
        std::uint64_t rate = 0, dt = 0;
        double p = 0;
        bool valid = false;
    };
    Entry entry[std::size_t{1} << kBits];
};
inline thread_local ProbabilityMemo probability_memo;
}  // namespace detail

/// Probability that an event with constant rate r [1/time] happens within dt:
/// -expm1(-r dt), remembered for recently used (r, dt) on this thread.
inline double rate_to_probability(double rate, double dt) {
    const auto r = std::bit_cast<std::uint64_t>(rate);
    const auto t = std::bit_cast<std::uint64_t>(dt);
    const std::size_t slot = ((r ^ (t * 0xD6E8FEB86659FD93ull)) * 0x9E3779B97F4A7C15ull) >>
                             (64 - detail::ProbabilityMemo::kBits);
    auto& e = detail::probability_memo.entry[slot];
    if (e.valid && e.rate == r && e.dt == t) return e.p;
    e = {r, t, -std::expm1(-rate * dt), true};
    return e.p;
}

/// rng.bernoulli(rate_to_probability(rate, dt)): the same single draw and the same outcome,
/// mostly without expm1. With x = rate dt in [0, 1], the probability 1 - exp(-x) lies in
/// [x - x^2 / 2, x], and expm1 (glibc: within 1 ulp) gives it to far better than the 2^-40
/// margins below, so a draw outside the bounds decides alone; only a draw between them (a
/// fraction ~x / 2 of the draws) needs the exact value. For rates that change from call to
/// call (the memo of rate_to_probability would miss), and cheaper than a memo hit too; a
/// draw between the bounds asks rate_to_probability, so constant rates still hit its memo.
inline bool bernoulli_rate(AgentRng& rng, double rate, double dt) {
    const double u = rng.uniform();
    const double x = rate * dt;  // the product rate_to_probability computes: -rate * dt == -x
    if (x >= 0.0 && x <= 1.0) {  // false for NaN: the exact path
        if (u >= x * (1 + 0x1p-40)) return false;
        if (u < (x - 0.5 * x * x) * (1 - 0x1p-40)) return true;
    }
    return u < rate_to_probability(rate, dt);
}

}  // namespace hlhsim
