/* sha256.c - SHA-256 (FIPS 180-4) with the x86 SHA extensions, else
 * libsodium's (see sha256.h). */
#include "sha256.h"

#include <stdint.h>
#include <string.h>

#include <sodium.h>

#if defined(__x86_64__) && defined(__GNUC__)
#include <cpuid.h>
#include <immintrin.h>

static const uint32_t K[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1,
    0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
    0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
    0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
    0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
    0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
    0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
    0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
    0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2
};

/* Runs the compression function over n 64-byte blocks at p.  The
 * instructions keep the state as ABEF and CDGH: it is rearranged from
 * and back to A..H around the blocks.  Each turn of the loop is four
 * rounds: the schedule's next four words from the sixteen before them
 * (sha256msg1 adds sigma0, the add W[t-7], sha256msg2 sigma1), two
 * rounds from the low two words plus constants, two from the high. */
__attribute__((target("sha,sse4.1")))
static void blocks_ni(uint32_t st[8], const unsigned char *p, size_t n)
{
    const __m128i swap = _mm_set_epi64x(0x0c0d0e0f08090a0bLL,
                                        0x0405060700010203LL);
    __m128i s0, s1, t, abef, cdgh, m[4], w, k;
    int g;

    t = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)&st[0]), 0xb1);
    s1 = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)&st[4]), 0x1b);
    s0 = _mm_alignr_epi8(t, s1, 8);             /* ABEF */
    s1 = _mm_blend_epi16(s1, t, 0xf0);          /* CDGH */
    for (; n > 0; n--, p += 64) {
        abef = s0;
        cdgh = s1;
        for (g = 0; g < 16; g++) {
            if (g < 4) {
                w = _mm_shuffle_epi8(
                    _mm_loadu_si128((const __m128i *)(p + 16 * g)), swap);
            } else {
                t = _mm_sha256msg1_epu32(m[g & 3], m[(g + 1) & 3]);
                t = _mm_add_epi32(t, _mm_alignr_epi8(m[(g + 3) & 3],
                                                     m[(g + 2) & 3], 4));
                w = _mm_sha256msg2_epu32(t, m[(g + 3) & 3]);
            }
            m[g & 3] = w;
            k = _mm_add_epi32(w, _mm_loadu_si128((const __m128i *)
                                                 &K[4 * g]));
            s1 = _mm_sha256rnds2_epu32(s1, s0, k);
            s0 = _mm_sha256rnds2_epu32(s0, s1, _mm_shuffle_epi32(k, 0x0e));
        }
        s0 = _mm_add_epi32(s0, abef);
        s1 = _mm_add_epi32(s1, cdgh);
    }
    t = _mm_shuffle_epi32(s0, 0x1b);            /* FEBA */
    s1 = _mm_shuffle_epi32(s1, 0xb1);           /* DCHG */
    _mm_storeu_si128((__m128i *)&st[0], _mm_blend_epi16(t, s1, 0xf0));
    _mm_storeu_si128((__m128i *)&st[4], _mm_alignr_epi8(s1, t, 8));
}

/* The digest of p[0..len) with blocks_ni: the whole blocks in place,
 * then the rest with the padding (a 1 bit, zeros, the length in bits)
 * in one or two blocks of its own. */
static void sha256_ni(const unsigned char *p, size_t len,
                      unsigned char out[PLEDGE_SHA256_BYTES])
{
    uint32_t st[8] = {
        0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f,
        0x9b05688c, 0x1f83d9ab, 0x5be0cd19
    };
    unsigned char tail[128];
    size_t whole = len / 64 * 64, rest = len - whole;
    size_t n = rest < 56 ? 64 : 128;
    uint64_t bits = (uint64_t)len * 8;
    int i;

    blocks_ni(st, p, whole / 64);
    memset(tail, 0, sizeof tail);
    if (rest != 0)
        memcpy(tail, p + whole, rest);
    tail[rest] = 0x80;
    for (i = 0; i < 8; i++)
        tail[n - 1 - i] = (unsigned char)(bits >> (8 * i));
    blocks_ni(st, tail, n / 64);
    for (i = 0; i < 8; i++) {
        out[4 * i] = (unsigned char)(st[i] >> 24);
        out[4 * i + 1] = (unsigned char)(st[i] >> 16);
        out[4 * i + 2] = (unsigned char)(st[i] >> 8);
        out[4 * i + 3] = (unsigned char)st[i];
    }
}

/* 1 when the CPU has the SHA extensions (CPUID leaf 7, EBX bit 29) and
 * SSE4.1 (leaf 1, ECX bit 19), asked of CPUID itself: not every
 * compiler's __builtin_cpu_supports knows "sha". */
static int have_ni(void)
{
    unsigned a, b, c, d;

    if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & (1u << 19)))
        return 0;
    return __get_cpuid_count(7, 0, &a, &b, &c, &d) && (b & (1u << 29));
}
#endif

void pledge_sha256(const unsigned char *p, size_t len,
                   unsigned char out[PLEDGE_SHA256_BYTES])
{
#if defined(__x86_64__) && defined(__GNUC__)
    if (have_ni()) {
        sha256_ni(p, len, out);
        return;
    }
#endif
    crypto_hash_sha256(out, p, len);
}

void pledge_sha256_hex(const unsigned char *p, size_t len, char out[65])
{
    unsigned char h[PLEDGE_SHA256_BYTES];

    pledge_sha256(p, len, h);
    sodium_bin2hex(out, 65, h, sizeof h);
}
