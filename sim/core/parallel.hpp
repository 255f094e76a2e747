#pragma once
// One way to run a loop over [0, n) in blocks, in parallel or, for small work, serially.
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <cstddef>

namespace hlhsim {

/// body(begin, end) over [0, n) in blocks of at least `grain`, in parallel; or, when
/// `serial` is true (work too small to repay waking a second thread and joining it),
/// in one call body(0, n) without entering the task scheduler. The blocks' results must
/// not depend on how [0, n) was split, so both ways give the same outcome.
template <class Body>
void for_blocks(std::size_t n, std::size_t grain, bool serial, const Body& body) {
    if (n == 0) return;
    if (serial) {
        body(std::size_t{0}, n);
        return;
    }
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, n, grain),
                      [&](const tbb::blocked_range<std::size_t>& r) { body(r.begin(), r.end()); });
}

/// f(i) for every i in [0, n): for_blocks with a loop over each block's indices.
template <class F>
void for_each_index(std::size_t n, std::size_t grain, bool serial, const F& f) {
    for_blocks(n, grain, serial, [&](std::size_t begin, std::size_t end) {
        for (std::size_t i = begin; i != end; ++i) f(i);
    });
}

}  // namespace hlhsim
