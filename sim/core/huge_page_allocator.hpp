#pragma once
// An allocator for large arrays that asks Linux to back them with 2 MiB pages.
//
// The field solver sweeps columns: a bundle of y-lines (2-D) or z-lines (3-D) touches one
// short run of every row or plane, each on another 4 KiB page, so with small pages most
// accesses of a column sweep need a new TLB entry. Where transparent huge pages are set to
// "madvise" (Debian's default), memory is only backed by 2 MiB pages if asked for before
// it is first touched: hence an allocator rather than a call after allocation.
#include <sys/mman.h>

#include <cstddef>
#include <cstdlib>
#include <memory>
#include <new>

namespace hlhsim {

template <class T>
struct HugePageAllocator {
    using value_type = T;
    static constexpr std::size_t kHugePage = std::size_t{2} << 20;
    /// Smaller arrays come from the ordinary allocator: rounding them up to 2 MiB would
    /// waste memory, and they gain little.
    static constexpr std::size_t kMinBytes = 2 * kHugePage;

    HugePageAllocator() = default;
    template <class U>
    HugePageAllocator(const HugePageAllocator<U>&) noexcept {}

    T* allocate(std::size_t n) {
        const std::size_t bytes = n * sizeof(T);
        if (bytes < kMinBytes) return std::allocator<T>{}.allocate(n);
        const std::size_t rounded = (bytes + kHugePage - 1) / kHugePage * kHugePage;
        void* p = std::aligned_alloc(kHugePage, rounded);
        if (p == nullptr) throw std::bad_alloc();
#ifdef MADV_HUGEPAGE
        madvise(p, rounded, MADV_HUGEPAGE);  // a hint: without THP it changes nothing
#endif
        return static_cast<T*>(p);
    }
    void deallocate(T* p, std::size_t n) noexcept {
        if (n * sizeof(T) < kMinBytes) {
            std::allocator<T>{}.deallocate(p, n);
        } else {
            std::free(p);
        }
    }
    template <class U>
    bool operator==(const HugePageAllocator<U>&) const noexcept {
        return true;
    }
};

}  // namespace hlhsim
