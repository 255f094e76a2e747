#include "sim/fields/row_sweep_simd.hpp"

#include <vector>

#if defined(__GNUC__) && defined(__x86_64__)
#include <immintrin.h>
#define HLHSIM_ROW_SWEEP_AVX512 1
#endif

namespace hlhsim {

#ifdef HLHSIM_ROW_SWEEP_AVX512
namespace {

#define HLHSIM_AVX512 __attribute__((target("avx512f")))

// In-register 8 x 8 transpose: v[k] lane l <- v[l] lane k. Stage 1 pairs rows (unpack),
// stage 2 gathers four rows' 128-bit lanes, stage 3 joins the upper and lower four rows.
// The all-lanes masked forms (kAll) compile to the plain instructions; GCC 12's unmasked
// unpack and shuffle intrinsics trip -Wuninitialized on their internal undefined operand.
HLHSIM_AVX512 inline void transpose8(__m512d v[8]) {
    constexpr __mmask8 kAll = 0xFF;
    const __m512i lanes_02 = _mm512_setr_epi64(0, 1, 8, 9, 4, 5, 12, 13);
    const __m512i lanes_13 = _mm512_setr_epi64(2, 3, 10, 11, 6, 7, 14, 15);
    __m512d t[8], u[8];
    for (int k = 0; k < 8; k += 2) {
        t[k] = _mm512_maskz_unpacklo_pd(kAll, v[k], v[k + 1]);
        t[k + 1] = _mm512_maskz_unpackhi_pd(kAll, v[k], v[k + 1]);
    }
    for (int h = 0; h < 8; h += 4) {
        u[h + 0] = _mm512_permutex2var_pd(t[h], lanes_02, t[h + 2]);
        u[h + 1] = _mm512_permutex2var_pd(t[h + 1], lanes_02, t[h + 3]);
        u[h + 2] = _mm512_permutex2var_pd(t[h], lanes_13, t[h + 2]);
        u[h + 3] = _mm512_permutex2var_pd(t[h + 1], lanes_13, t[h + 3]);
    }
    for (int k = 0; k < 4; ++k) {
        v[k] = _mm512_maskz_shuffle_f64x2(kAll, u[k], u[k + 4], 0x44);
        v[k + 4] = _mm512_maskz_shuffle_f64x2(kAll, u[k], u[k + 4], 0xEE);
    }
}

// kGroups groups of 8 rows swept together. Per tile of 8 voxels along the rows, every group
// is transposed into `tile` (one vector per voxel and group, lane = line), then the
// recurrence steps voxel by voxel with the groups' chains interleaved. The forward pass
// keeps y in `scratch` in that column layout; the backward pass fills `tile` from it and
// transposes each group back into its rows. A last tile of fewer than 8 voxels is loaded
// and stored under a mask.
template <int kGroups>
HLHSIM_AVX512 void sweep_groups(const double* m, const double* w, std::size_t n, double* x,
                                std::size_t stride, double* scratch) {
    const auto rows_of = [&](int g, std::size_t i0) {
        return x + static_cast<std::size_t>(g) * 8 * stride + i0;
    };
    const auto at = [&](std::size_t i, int g) {
        return scratch + (i * kGroups + static_cast<std::size_t>(g)) * 8;
    };
    __m512d carry[kGroups];
    for (auto& c : carry) c = _mm512_setzero_pd();  // set at i = 0; initialised for the compiler
    __m512d tile[kGroups][8];
    for (std::size_t i0 = 0; i0 < n; i0 += 8) {
        const std::size_t width = n - i0 < 8 ? n - i0 : 8;
        const __mmask8 mask = static_cast<__mmask8>((1u << width) - 1);
        for (int g = 0; g < kGroups; ++g) {
            const double* rows = rows_of(g, i0);
            for (int k = 0; k < 8; ++k) {
                tile[g][k] = _mm512_maskz_loadu_pd(mask, rows + k * stride);
            }
            transpose8(tile[g]);
        }
        for (std::size_t k = 0; k < width; ++k) {
            const std::size_t i = i0 + k;
            const __m512d mi = _mm512_set1_pd(m[i]), wi = _mm512_set1_pd(w[i]);
            for (int g = 0; g < kGroups; ++g) {
                const __m512d scaled = _mm512_mul_pd(tile[g][k], mi);
                carry[g] = i == 0 ? scaled : _mm512_add_pd(scaled, _mm512_mul_pd(wi, carry[g]));
                _mm512_storeu_pd(at(i, g), carry[g]);
            }
        }
    }
    for (std::size_t i0 = (n - 1) / 8 * 8;; i0 -= 8) {
        const std::size_t width = n - i0 < 8 ? n - i0 : 8;
        const __mmask8 mask = static_cast<__mmask8>((1u << width) - 1);
        for (std::size_t k = width; k-- > 0;) {
            const std::size_t i = i0 + k;
            const __m512d wi = _mm512_set1_pd(w[i]);
            for (int g = 0; g < kGroups; ++g) {
                const __m512d y = _mm512_loadu_pd(at(i, g));
                carry[g] = i == n - 1 ? y : _mm512_add_pd(y, _mm512_mul_pd(wi, carry[g]));
                tile[g][k] = carry[g];
            }
        }
        for (int g = 0; g < kGroups; ++g) {
            for (std::size_t k = width; k < 8; ++k) tile[g][k] = _mm512_setzero_pd();
            transpose8(tile[g]);
            double* rows = rows_of(g, i0);
            for (int k = 0; k < 8; ++k) _mm512_mask_storeu_pd(rows + k * stride, mask, tile[g][k]);
        }
        if (i0 == 0) break;
    }
}

bool cpu_has_avx512() {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx512f");
}

const bool kHasAvx512 = cpu_has_avx512();

}  // namespace
#endif

std::size_t thomas_rows_simd(const double* m, const double* w, std::size_t n, double* x,
                             std::size_t line_stride, std::size_t count) {
#ifdef HLHSIM_ROW_SWEEP_AVX512
    if (!kHasAvx512 || n == 0 || count < 8) return 0;
    // Groups swept together. Measured per voxel on 96 rows of 100 voxels in cache (a W1
    // field), 3 interleaved runs: the scalar 8-line sweep 0.78-1.2 ns, 1 group 0.63-0.69 ns,
    // 2 groups 0.55-0.69 ns; 4 groups were slower than 1 (0.95-1.0 ns at n = 256: 32 rows'
    // loads and tiles exceed the registers and the L1 ways). y takes 16 n values of scratch
    // (128 KiB at n = 1024), allocated once per thread.
    constexpr std::size_t kWide = 2;
    thread_local std::vector<double> scratch;
    if (scratch.size() < kWide * 8 * n) scratch.resize(kWide * 8 * n);
    std::size_t l = 0;
    for (; l + kWide * 8 <= count; l += kWide * 8) {
        sweep_groups<kWide>(m, w, n, x + l * line_stride, line_stride, scratch.data());
    }
    for (; l + 8 <= count; l += 8) {
        sweep_groups<1>(m, w, n, x + l * line_stride, line_stride, scratch.data());
    }
    return l;
#else
    (void)m, (void)w, (void)n, (void)x, (void)line_stride, (void)count;
    return 0;
#endif
}

}  // namespace hlhsim
