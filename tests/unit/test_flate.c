/* test_flate.c - pledge_flate_fixed writes zlib streams that zlib reads
 * back whole, and writes exactly the bytes its documented rules give:
 * endorsement panels already signed depend on them, so a change to the
 * coder's choices must fail here, not in a verifier's hands.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "../../src/util/flate.h"
#include "run_suite.h"

/* The stream for in as lowercase hex, in a buffer the caller frees. */
static char *hex_stream(const void *in, size_t n)
{
    unsigned char *z;
    size_t zn, i;
    char *hex;

    ck_assert_int_eq(pledge_flate_fixed(in, n, &z, &zn), 0);
    hex = malloc(2 * zn + 1);
    ck_assert_ptr_nonnull(hex);
    for (i = 0; i < zn; i++)
        snprintf(hex + 2 * i, 3, "%02x", z[i]);
    free(z);
    return hex;
}

static void round_trip(const unsigned char *in, size_t n)
{
    unsigned char *z, *back = malloc(n + 1);
    size_t zn;
    uLongf bn = n + 1;

    ck_assert_ptr_nonnull(back);
    ck_assert_int_eq(pledge_flate_fixed(in, n, &z, &zn), 0);
    ck_assert_int_le(zn, n + n / 8 + 16);
    ck_assert_int_eq(uncompress(back, &bn, z, zn), Z_OK);
    ck_assert_uint_eq(bn, n);
    ck_assert_msg(n == 0 || memcmp(back, in, n) == 0, "%zu bytes differ",
                  n);
    free(z);
    free(back);
}

/* Streams worked out by hand from the rules in flate.h (and by a second,
 * naive coder of those rules): literals; a match that overlaps itself;
 * the longest match, 258, then the rest; the nearest of equal matches. */
START_TEST(known_streams)
{
    static const struct { const char *in; size_t reps; const char *z; } k[] = {
        { "", 1, "7801030000000001" },
        { "a", 1, "78014b040000620062" },
        { "abcabcabcabc", 1, "78014b4c4a8623001de00499" },
        { "x", 300, "7801ab1805440300b20a8ca1" },
        { "pledge verify pledge verify pledge verify pledge sign", 1,
          "78012bc8494d494f55284b2dca4cab542082579c999e0700206f1415" },
    };
    size_t i, j;

    for (i = 0; i < sizeof k / sizeof k[0]; i++) {
        size_t len = strlen(k[i].in) * k[i].reps;
        char *in = malloc(len + 1), *hex;

        ck_assert_ptr_nonnull(in);
        for (j = 0; j < k[i].reps; j++)
            memcpy(in + j * strlen(k[i].in), k[i].in, strlen(k[i].in));
        hex = hex_stream(in, len);
        ck_assert_msg(strcmp(hex, k[i].z) == 0, "case %zu: %s, not %s", i,
                      hex, k[i].z);
        free(hex);
        free(in);
    }
}
END_TEST

START_TEST(reads_back)
{
    size_t n = 100000, i, len;
    unsigned char *buf = malloc(n);
    unsigned x = 12345;

    ck_assert_ptr_nonnull(buf);
    for (i = 0; i < 256; i++)
        buf[i] = (unsigned char)i;
    round_trip(buf, 256);
    /* Runs across every length code's edges, overlapping their source. */
    memset(buf, 'a', 1000);
    for (len = 0; len <= 1000; len += len < 270 ? 1 : 37)
        round_trip(buf, len);
    /* Text with repeats near and far, past the 32 KiB window. */
    for (i = 0; i < n; i++) {
        x = x * 1103515245u + 12345u;
        buf[i] = (unsigned char)("pledge verify sign batch\n"[(x >> 16) %
                                                             25]);
    }
    memcpy(buf + 40000, buf, 5000);
    memcpy(buf + 70000, buf + 70000 - 32768, 3000);
    memcpy(buf + 80000, buf + 80000 - 32769, 3000);
    round_trip(buf, n);
    /* Noise: literals of both code lengths. */
    for (i = 0; i < 5000; i++) {
        x = x * 1103515245u + 12345u;
        buf[i] = (unsigned char)(x >> 16);
    }
    round_trip(buf, 5000);
    free(buf);
}
END_TEST

/* A panel's drawing repeats itself: the coder must earn its place. */
START_TEST(compresses_a_panel)
{
    static const char panel[] =
        "q\n0 0 207 107 re W n\n0.96 g 0 G 0.5 w\n"
        "0.25 0.25 206.50 106.50 re B\n0 g\nBT\n/F2 6.0 Tf\n"
        "1 0 0 1 6.00 97.10 Tm (Endorsement) Tj\n/F1 6.0 Tf\n"
        "1 0 0 1 6.00 88.10 Tm (Endorsed by the Association) Tj\n"
        "1 0 0 1 6.00 80.30 Tm (key 0123456789ABCDEF on June 1) Tj\n"
        "1 0 0 1 6.00 72.50 Tm (It certifies that the applicant) Tj\n"
        "1 0 0 1 6.00 64.70 Tm (signed this pledge with key) Tj\n"
        "1 0 0 1 6.00 56.90 Tm (To verify, run pledge verify) Tj\n"
        "ET\nQ\n";
    unsigned char *z;
    size_t zn, n = sizeof panel - 1;

    ck_assert_int_eq(pledge_flate_fixed((const unsigned char *)panel, n,
                                        &z, &zn), 0);
    ck_assert_msg(zn * 10 < n * 7, "%zu bytes of %zu", zn, n);
    free(z);
    round_trip((const unsigned char *)panel, n);
}
END_TEST

static Suite *flate_suite(void)
{
    Suite *s = suite_create("flate");
    TCase *tc = tcase_create("core");

    tcase_add_test(tc, known_streams);
    tcase_add_test(tc, reads_back);
    tcase_add_test(tc, compresses_a_panel);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return run_suite(flate_suite());
}
