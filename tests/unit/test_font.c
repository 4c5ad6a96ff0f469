/* test_font.c - font metrics, coverage and shaping. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/typeset/font.h"
#include "run_suite.h"

#define FONT PLEDGE_SRCDIR "/fonts/NotoSerif-Regular.ttf"

static pledge_font *font;

static void setup(void)
{
    pledge_err err;

    ck_assert_msg(pledge_font_open(&font, FONT, &err) == 0, "%s", err.msg);
}

static void teardown(void)
{
    pledge_font_close(font);
    font = NULL;
}

/* Shapes s at 10 pt, failing the test on error. */
static pledge_glyph *shape(const char *s, size_t *n)
{
    pledge_glyph *g = NULL;
    pledge_err err;

    ck_assert_msg(pledge_font_shape(font, s, strlen(s), 10, &g, n,
                                    &err) == 0, "%s: %s", s, err.msg);
    return g;
}

/* The nominal advance of g: its advance without kerning. */
static double nominal(const pledge_glyph *g)
{
    return g->advance - g->kern;
}

static void check_kerned(const char *pair)
{
    pledge_glyph *g;
    size_t n;

    g = shape(pair, &n);
    ck_assert_uint_eq(n, 2);
    ck_assert_msg(g[0].kern < 0, "%s: kern %g", pair, g[0].kern);
    ck_assert_double_lt(g[0].advance + g[1].advance,
                        nominal(&g[0]) + nominal(&g[1]));
    free(g);
}

START_TEST(kerning_from_gpos)
{
    check_kerned("AV");
    check_kerned("To");
}
END_TEST

START_TEST(unkerned_pair_is_nominal)
{
    pledge_glyph *g;
    size_t n, i;

    g = shape("nn", &n);
    ck_assert_uint_eq(n, 2);
    for (i = 0; i < n; i++)
        ck_assert_double_eq(g[i].kern, 0);
    ck_assert_double_gt(g[0].advance, 0);
    free(g);
}
END_TEST

START_TEST(no_ligatures)
{
    const char *text = "office";
    pledge_glyph *g;
    size_t n, i;

    g = shape(text, &n);
    ck_assert_uint_eq(n, strlen(text));
    for (i = 0; i < n; i++) {
        ck_assert_uint_eq(g[i].cp, (unsigned char)text[i]);
        ck_assert_uint_eq(g[i].offset, i);
    }
    /* Both f glyphs are the plain f. */
    ck_assert_uint_eq(g[1].gid, g[2].gid);
    free(g);
}
END_TEST

START_TEST(offsets_are_bytes)
{
    /* "Nguyễn": ễ is three bytes. */
    static const size_t want[] = { 0, 1, 2, 3, 4, 7 };
    pledge_glyph *g;
    size_t n, i;

    g = shape("Nguy\xe1\xbb\x85n", &n);
    ck_assert_uint_eq(n, 6);
    for (i = 0; i < n; i++)
        ck_assert_uint_eq(g[i].offset, want[i]);
    ck_assert_uint_eq(g[4].cp, 0x1ec5);
    free(g);
}
END_TEST

START_TEST(greek_and_cyrillic)
{
    pledge_glyph *g;
    size_t n;

    g = shape("\xce\x90\xd0\x81", &n);    /* U+0390 U+0401 */
    ck_assert_uint_eq(n, 2);
    ck_assert_uint_eq(g[0].cp, 0x390);
    ck_assert_uint_eq(g[1].cp, 0x401);
    ck_assert_uint_ne(g[0].gid, 0);
    ck_assert_uint_ne(g[1].gid, 0);
    free(g);
}
END_TEST

START_TEST(decomposed_input_is_composed)
{
    pledge_glyph *pre, *dec;
    size_t n1, n2;

    /* U+1EBF against e U+0302 U+0301. */
    pre = shape("\xe1\xba\xbf", &n1);
    dec = shape("e\xcc\x82\xcc\x81", &n2);
    ck_assert_uint_eq(n1, 1);
    ck_assert_uint_eq(n2, 1);
    ck_assert_uint_eq(dec[0].cp, 0x1ebf);
    ck_assert_uint_eq(dec[0].gid, pre[0].gid);
    ck_assert_uint_eq(dec[0].offset, 0);
    ck_assert_double_eq(dec[0].advance, pre[0].advance);
    free(pre);
    free(dec);

    /* Marks out of canonical order: e U+0302 U+0323 is U+1EC7. */
    dec = shape("e\xcc\x82\xcc\xa3x", &n2);
    ck_assert_uint_eq(n2, 2);
    ck_assert_uint_eq(dec[0].cp, 0x1ec7);
    ck_assert_uint_eq(dec[1].cp, 'x');
    ck_assert_uint_eq(dec[1].offset, 5);
    free(dec);
}
END_TEST

START_TEST(uncomposable_mark_is_own_glyph)
{
    pledge_glyph *g;
    size_t n;

    g = shape("q\xcc\x82", &n);         /* no precomposed q-circumflex */
    ck_assert_uint_eq(n, 2);
    ck_assert_uint_eq(g[0].cp, 'q');
    ck_assert_uint_eq(g[1].cp, 0x302);
    ck_assert_uint_eq(g[1].offset, 1);
    free(g);
}
END_TEST

START_TEST(codepoints_match_shaping)
{
    const char *text = "Nguye\xcc\x82\xcc\x83n \xce\x90!";
    pledge_glyph *g;
    uint32_t *cps;
    size_t n, ncps, i;
    pledge_err err;

    g = shape(text, &n);
    ck_assert_int_eq(pledge_font_codepoints(font, text, strlen(text), &cps,
                                            &ncps, &err), 0);
    ck_assert_uint_eq(ncps, n);
    for (i = 0; i < n; i++)
        ck_assert_uint_eq(cps[i], g[i].cp);
    ck_assert_uint_eq(cps[4], 0x1ec5);
    free(cps);
    free(g);
}
END_TEST

START_TEST(missing_codepoint)
{
    pledge_glyph *g = (pledge_glyph *)&g;
    size_t n = 99;
    pledge_err err;
    const char *text = "a\xe4\xb8\x80z";  /* U+4E00 */

    ck_assert_int_eq(pledge_font_shape(font, text, strlen(text), 10, &g,
                                       &n, &err), -1);
    ck_assert_ptr_eq(g, (pledge_glyph *)&g);
    ck_assert_msg(strstr(err.msg, "U+4E00") != NULL, "%s", err.msg);
    ck_assert_msg(strstr(err.msg, "NotoSerif-Regular.ttf") != NULL, "%s",
                  err.msg);
    ck_assert_int_eq(pledge_font_has(font, 0x4e00), 0);
    ck_assert_int_eq(pledge_font_has(font, 'a'), 1);
    ck_assert_int_eq(pledge_font_has(font, 0x1ec7), 1);
    ck_assert_double_eq(pledge_font_width(font, text, strlen(text), 10), 0);
}
END_TEST

START_TEST(invalid_utf8)
{
    static const char *const bad[] = {
        "\xff",                 /* never valid */
        "a\x80",                /* stray continuation */
        "\xc0\xaf",             /* overlong '/' */
        "\xe0\x80\xaf",         /* overlong '/' */
        "\xed\xa0\x80",         /* surrogate */
        "\xf4\x90\x80\x80",     /* past U+10FFFF */
        "\xe1\xbb",             /* truncated */
    };
    pledge_glyph *g = NULL;
    size_t n, i;
    pledge_err err;

    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        err.msg[0] = '\0';
        ck_assert_int_eq(pledge_font_shape(font, bad[i], strlen(bad[i]), 10,
                                           &g, &n, &err), -1);
        ck_assert_msg(strstr(err.msg, "UTF-8") != NULL, "%zu: %s", i,
                      err.msg);
        ck_assert_ptr_null(g);
    }
}
END_TEST

START_TEST(width_is_sum_of_advances)
{
    const char *text = "To AVow, Nguy\xe1\xbb\x85n.";
    pledge_glyph *g;
    size_t n, i;
    double sum = 0;

    g = shape(text, &n);
    for (i = 0; i < n; i++)
        sum += g[i].advance;
    ck_assert_double_eq_tol(pledge_font_width(font, text, strlen(text), 10),
                            sum, 1e-9);
    free(g);
    /* Advances scale with size. */
    ck_assert_double_eq_tol(pledge_font_width(font, text, strlen(text), 20),
                            2 * sum, 1e-9);
}
END_TEST

START_TEST(metrics_sane)
{
    double asc = pledge_font_ascender(font, 10);
    double desc = pledge_font_descender(font, 10);
    double cap = pledge_font_cap_height(font, 10);
    double xh = pledge_font_x_height(font, 10);

    ck_assert_double_gt(asc, 0);
    ck_assert_double_lt(desc, 0);
    ck_assert_double_gt(asc, cap);
    ck_assert_double_gt(cap, xh);
    ck_assert_double_gt(xh, 0);
    ck_assert_double_lt(asc - desc, 20);
    ck_assert_double_eq_tol(pledge_font_ascender(font, 20), 2 * asc, 1e-9);
    ck_assert_str_eq(pledge_font_path(font), FONT);
}
END_TEST

START_TEST(open_errors)
{
    pledge_font *f = (pledge_font *)&f;
    pledge_err err;

    ck_assert_int_eq(pledge_font_open(&f, PLEDGE_SRCDIR "/fonts/none.ttf",
                                      &err), -1);
    ck_assert_ptr_eq(f, (pledge_font *)&f);
    ck_assert_msg(strstr(err.msg, "none.ttf") != NULL, "%s", err.msg);
    ck_assert_int_eq(pledge_font_open(&f, PLEDGE_SRCDIR "/Makefile", &err),
                     -1);
    ck_assert_msg(strstr(err.msg, "Makefile") != NULL, "%s", err.msg);
}
END_TEST

/* Standard ligatures only when asked: "office" is o, ffi, c, e, the
 * ligature standing for the three letters it replaces. */
START_TEST(ligatures_on_request)
{
    pledge_glyph *g;
    size_t n, i;
    pledge_err err;

    ck_assert_int_eq(pledge_font_shape_with(font, "office", 6, 10,
                                            PLEDGE_SHAPE_LIGATURES, &g, &n,
                                            &err), 0);
    ck_assert_uint_eq(n, 4);
    ck_assert_uint_eq(g[1].cp, 'f');
    ck_assert_uint_eq(g[1].offset, 1);
    ck_assert_uint_eq(g[1].len, 3);
    ck_assert_uint_eq(g[2].offset, 4);
    ck_assert_uint_eq(g[2].len, 1);
    free(g);
    g = shape("office", &n);
    ck_assert_uint_eq(n, 6);
    for (i = 0; i < n; i++)
        ck_assert_uint_eq(g[i].len, 1);
    free(g);
}
END_TEST

/* A combining mark with no precomposed form sits where the font's mark
 * attachment puts it: on a capital, raised above where it sits on a
 * lowercase letter, and moved over the letter. */
START_TEST(marks_placed_on_capitals)
{
    static const char *const caps[] = {
        "M\xcc\x82", "Q\xcc\x83", "J\xcc\x8c"
    };
    pledge_glyph *g;
    size_t n, i;

    for (i = 0; i < sizeof caps / sizeof caps[0]; i++) {
        g = shape(caps[i], &n);
        ck_assert_uint_eq(n, 2);
        ck_assert_uint_eq(g[1].offset, 1);
        ck_assert_uint_eq(g[1].len, 2);
        ck_assert_double_eq(g[1].advance, 0);
        ck_assert_msg(g[1].dy > 0.1 * pledge_font_cap_height(font, 10) &&
                      g[1].dy < pledge_font_cap_height(font, 10),
                      "%s: dy %g", caps[i], g[1].dy);
        ck_assert_msg(g[1].dx != 0, "%s: dx 0", caps[i]);
        free(g);
    }
    /* On a lowercase letter the nominal height is right. */
    g = shape("q\xcc\x83", &n);
    ck_assert_uint_eq(n, 2);
    ck_assert_double_eq_tol(g[1].dy, 0, 1e-9);
    free(g);
}
END_TEST

/* Kerning off: no glyph kerned, marks still placed, and the width is
 * what pledge_font_shown_width() says. */
START_TEST(no_kerning_on_request)
{
    pledge_glyph *g;
    size_t n, i;
    pledge_err err;
    double sum = 0;
    const char *text = "AVow Q\xcc\x83";

    ck_assert_int_eq(pledge_font_shape_with(font, text, strlen(text), 10,
                                            PLEDGE_SHAPE_NO_KERNING, &g, &n,
                                            &err), 0);
    for (i = 0; i < n; i++) {
        ck_assert_double_eq_tol(g[i].kern, 0, 1e-9);
        sum += g[i].advance;
    }
    ck_assert(g[n - 1].dy > 0);
    ck_assert_double_eq_tol(sum, pledge_font_shown_width(font, text,
                                                         strlen(text), 10),
                            1e-9);
    free(g);
}
END_TEST

/* g[0..n) and h[0..m) are the same glyphs at the same places. */
static void same_glyphs(const pledge_glyph *g, size_t n,
                        const pledge_glyph *h, size_t m, const char *what)
{
    size_t i;

    ck_assert_msg(n == m, "%s: %zu glyphs, then %zu", what, n, m);
    for (i = 0; i < n; i++)
        ck_assert_msg(g[i].cp == h[i].cp && g[i].gid == h[i].gid &&
                      g[i].offset == h[i].offset && g[i].len == h[i].len &&
                      g[i].advance == h[i].advance &&
                      g[i].kern == h[i].kern && g[i].dx == h[i].dx &&
                      g[i].dy == h[i].dy, "%s: glyph %zu differs", what, i);
}

/* Shaping kept from before gives what shaping afresh does, at any size
 * and for each set of flags, however many other texts (megabytes of
 * glyphs, past what is kept) were shaped in between. */
START_TEST(kept_shaping_is_fresh_shaping)
{
    static const char *const texts[] = {
        "office affine", "AVow Q\xcc\x83 Zo\xc3\xab",
        "\xce\x91\xce\xb8\xce\xae\xce\xbd\xce\xb1",
        "Practice Promoting Infant and Early Childhood Mental Health"
    };
    static const int flags[] = {
        0, PLEDGE_SHAPE_LIGATURES, PLEDGE_SHAPE_NO_KERNING
    };
    pledge_font *fresh;
    pledge_glyph *g, *h;
    size_t n, m, t, f, round, i;
    pledge_err err;
    char other[80];

    ck_assert_int_eq(pledge_font_open(&fresh, FONT, &err), 0);
    for (round = 0; round < 3; round++) {
        for (t = 0; t < sizeof texts / sizeof *texts; t++) {
            for (f = 0; f < sizeof flags / sizeof *flags; f++) {
                const char *s = texts[t];

                ck_assert_int_eq(pledge_font_shape_with(
                    font, s, strlen(s), 9.5 + (double)round, flags[f], &g,
                    &n, &err), 0);
                /* A new font each time: nothing kept. */
                pledge_font_close(fresh);
                ck_assert_int_eq(pledge_font_open(&fresh, FONT, &err), 0);
                ck_assert_int_eq(pledge_font_shape_with(
                    fresh, s, strlen(s), 9.5 + (double)round, flags[f], &h,
                    &m, &err), 0);
                same_glyphs(g, n, h, m, s);
                free(g);
                free(h);
            }
        }
        for (i = 0; i < 20000; i++) {
            snprintf(other, sizeof other, "Attendee %zu of round %zu, "
                     "with a long enough name to fill", i, round);
            ck_assert_int_eq(pledge_font_shape(font, other, strlen(other),
                                               10, &g, &n, &err), 0);
            free(g);
        }
    }
    pledge_font_close(fresh);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("font");
    TCase *tc = tcase_create("font");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, kerning_from_gpos);
    tcase_add_test(tc, unkerned_pair_is_nominal);
    tcase_add_test(tc, no_ligatures);
    tcase_add_test(tc, offsets_are_bytes);
    tcase_add_test(tc, greek_and_cyrillic);
    tcase_add_test(tc, decomposed_input_is_composed);
    tcase_add_test(tc, uncomposable_mark_is_own_glyph);
    tcase_add_test(tc, codepoints_match_shaping);
    tcase_add_test(tc, missing_codepoint);
    tcase_add_test(tc, invalid_utf8);
    tcase_add_test(tc, ligatures_on_request);
    tcase_add_test(tc, marks_placed_on_capitals);
    tcase_add_test(tc, no_kerning_on_request);
    tcase_add_test(tc, kept_shaping_is_fresh_shaping);
    tcase_add_test(tc, width_is_sum_of_advances);
    tcase_add_test(tc, metrics_sane);
    tcase_add_test(tc, open_errors);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
