/* test_scan.c - finding QR codes in pictures.
 *
 * tests/data/scan/seal-qr.png is the QR code of seal-qr.txt as the
 * qrencode command draws it (3-pixel modules, as a seal scanned at 150
 * dpi).  Pictures made here in memory around it test the made-over copies
 * the search tries and the limits hostile input meets.
 */
#include <check.h>
#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "../../src/scan/scan.h"
#include "../../src/util/file.h"
#include "run_suite.h"

#ifndef PLEDGE_SRCDIR
#define PLEDGE_SRCDIR "."
#endif

#define DATA PLEDGE_SRCDIR "/tests/data/scan/"

typedef int (*makeover_fn)(const pledge_grey *, pledge_grey *);

static char *read_data(const char *name, size_t *len)
{
    char *d;
    pledge_err err;

    ck_assert_msg(pledge_file_read(name, 1 << 20, &d, len, &err) == 0,
                  "%s: %s", name, err.msg);
    return d;
}

/* The text the fixture's code holds. */
static char *expected_text(void)
{
    size_t len;
    char *t = read_data(DATA "seal-qr.txt", &len);

    while (len > 0 && (t[len - 1] == '\n' || t[len - 1] == '\r'))
        t[--len] = '\0';
    return t;
}

static pledge_grey fixture(void)
{
    size_t len;
    char *d = read_data(DATA "seal-qr.png", &len);
    pledge_grey g;
    pledge_err err;

    ck_assert_msg(pledge_scan_decode_image((unsigned char *)d, len, &g,
                                           &err) == 0, "%s", err.msg);
    free(d);
    return g;
}

/* img as a grey PNG in memory.  The caller frees the result. */
static unsigned char *png_of(const pledge_grey *img, size_t *len)
{
    png_image im;
    png_alloc_size_t size = 0;
    unsigned char *out;

    memset(&im, 0, sizeof im);
    im.version = PNG_IMAGE_VERSION;
    im.width = (png_uint_32)img->w;
    im.height = (png_uint_32)img->h;
    im.format = PNG_FORMAT_GRAY;
    ck_assert(png_image_write_to_memory(&im, NULL, &size, 0, img->px, 0,
                                        NULL));
    out = malloc(size);
    ck_assert_ptr_nonnull(out);
    ck_assert(png_image_write_to_memory(&im, out, &size, 0, img->px, 0,
                                        NULL));
    *len = size;
    return out;
}

START_TEST(fixture_decodes)
{
    size_t len;
    char *d = read_data(DATA "seal-qr.png", &len);
    char *want = expected_text();
    pledge_scan_codes c;
    pledge_err err;

    ck_assert_msg(pledge_scan_data((unsigned char *)d, len, &c, &err) == 0,
                  "%s", err.msg);
    ck_assert_uint_eq(c.n, 1);
    ck_assert_str_eq(c.code[0].text, want);
    ck_assert_uint_eq(c.code[0].len, strlen(want));
    ck_assert_int_eq(c.code[0].page, 0);
    ck_assert_ptr_null(c.code[0].page_text);
    pledge_scan_free(&c);
    ck_assert_uint_eq(c.n, 0);
    free(d);
    free(want);
}
END_TEST

/* Faint print under light falling off across the page, and salt and
 * pepper on top: zbar alone reads nothing, a made-over copy does. */
START_TEST(faint_uneven_noisy_photo_decodes)
{
    pledge_grey g = fixture(), big;
    char *want = expected_text();
    pledge_scan_codes c = {NULL, 0};
    pledge_err err;
    unsigned seed = 7;
    int x, y, v;

    /* Four times the size, so the light can fall off across modules. */
    ck_assert_int_eq(pledge_scan_double(&g, &big), 0);
    free(g.px);
    ck_assert_int_eq(pledge_scan_double(&big, &g), 0);
    free(big.px);
    for (y = 0; y < g.h; y++)
        for (x = 0; x < g.w; x++) {
            v = g.px[y * g.w + x] * 50 / 255 + 150 - 120 * x / g.w;
            seed = seed * 1103515245u + 12345u;
            if ((seed >> 16) % 40 == 0)
                v = (seed >> 8) % 2 ? 255 : 0;
            g.px[y * g.w + x] = (unsigned char)v;
        }
    ck_assert_int_eq(pledge_scan_grey(&g, 3, PLEDGE_SCAN_PLAIN, &c, &err),
                     0);
    ck_assert_int_eq(pledge_scan_grey(&g, 3, PLEDGE_SCAN_ALL, &c, &err), 1);
    ck_assert_str_eq(c.code[0].text, want);
    ck_assert_int_eq(c.code[0].page, 3);
    pledge_scan_free(&c);
    free(g.px);
    free(want);
}
END_TEST

START_TEST(same_code_twice_is_kept_once)
{
    pledge_grey g = fixture();
    pledge_scan_codes c = {NULL, 0};
    pledge_err err;

    ck_assert_int_eq(pledge_scan_grey(&g, 0, PLEDGE_SCAN_ALL, &c, &err), 1);
    ck_assert_int_eq(pledge_scan_grey(&g, 0, PLEDGE_SCAN_ALL, &c, &err), 0);
    ck_assert_uint_eq(c.n, 1);
    ck_assert_int_eq(pledge_scan_grey(&g, 2, PLEDGE_SCAN_AGAIN, &c, &err),
                     1);
    ck_assert_uint_eq(c.n, 2);
    pledge_scan_free(&c);
    free(g.px);
}
END_TEST

START_TEST(otsu_splits_two_inks)
{
    unsigned char px[100];
    pledge_grey g = {px, 10, 10}, out;
    int i, level;

    for (i = 0; i < 100; i++)
        px[i] = i % 3 == 0 ? (unsigned char)(40 + i % 7) :
                (unsigned char)(200 + i % 5);
    level = pledge_scan_otsu_level(&g);
    ck_assert_int_ge(level, 46);
    ck_assert_int_lt(level, 200);
    ck_assert_int_eq(pledge_scan_otsu(&g, &out), 0);
    for (i = 0; i < 100; i++)
        ck_assert_int_eq(out.px[i], px[i] < 100 ? 0 : 255);
    free(out.px);
}
END_TEST

START_TEST(halve_and_double_keep_the_picture)
{
    unsigned char px[4 * 6] = {
        0, 255, 10, 10, 100, 100,
        255, 0, 10, 10, 100, 100,
        7, 7, 7, 7, 7, 7,
        7, 7, 7, 7, 7, 7,
    };
    unsigned char one = 9;
    pledge_grey g = {px, 6, 4}, dot = {&one, 1, 1}, h, d;
    int i;

    ck_assert_int_eq(pledge_scan_halve(&g, &h), 0);
    ck_assert_int_eq(h.w, 3);
    ck_assert_int_eq(h.h, 2);
    ck_assert_int_eq(h.px[0], 128);
    ck_assert_int_eq(h.px[1], 10);
    ck_assert_int_eq(h.px[2], 100);
    ck_assert_int_eq(h.px[3], 7);
    ck_assert_int_eq(pledge_scan_double(&h, &d), 0);
    ck_assert_int_eq(d.w, 6);
    ck_assert_int_eq(d.h, 4);
    /* An even patch stays even; values stay between their neighbours. */
    ck_assert_int_eq(d.px[3 * 6 + 0], 7);
    for (i = 0; i < 24; i++)
        ck_assert_int_le(d.px[i], 128);
    free(h.px);
    free(d.px);
    /* Nothing to halve: the picture itself. */
    ck_assert_int_eq(pledge_scan_halve(&dot, &h), 0);
    ck_assert_int_eq(h.w, 1);
    ck_assert_int_eq(h.px[0], 9);
    free(h.px);
}
END_TEST

/* A dark dot on paper that darkens from left to right: only the dot is
 * black, though the right-hand paper is darker than the dot's
 * surroundings at the left; with either size of box. */
START_TEST(local_threshold_follows_the_light)
{
    makeover_fn makes[2] = {pledge_scan_local, pledge_scan_local_fine};
    pledge_grey g, out;
    int x, y, k;

    g.w = 200;
    g.h = 40;
    g.px = malloc(200 * 40);
    for (y = 0; y < g.h; y++)
        for (x = 0; x < g.w; x++)
            g.px[y * g.w + x] = (unsigned char)(230 - x / 2);
    g.px[20 * 200 + 20] = 120;
    for (k = 0; k < 2; k++) {
        ck_assert_int_eq(makes[k](&g, &out), 0);
        for (y = 0; y < g.h; y++)
            for (x = 0; x < g.w; x++)
                ck_assert_int_eq(out.px[y * g.w + x],
                                 x == 20 && y == 20 ? 0 : 255);
        free(out.px);
    }
    free(g.px);
}
END_TEST

START_TEST(blur_and_sharpen_keep_flat_paper_flat)
{
    unsigned char px[25];
    pledge_grey g = {px, 5, 5}, b, s;
    int i;

    memset(px, 200, sizeof px);
    px[12] = 0;
    ck_assert_int_eq(pledge_scan_blur(&g, &b), 0);
    /* The dot spreads: a quarter of its depth stays at the centre. */
    ck_assert_int_eq(b.px[12], 150);
    ck_assert_int_lt(b.px[11], 200);
    ck_assert_int_eq(b.px[0], 200);
    ck_assert_int_eq(pledge_scan_sharpen(&g, &s), 0);
    ck_assert_int_eq(s.px[12], 0);
    ck_assert_int_gt(s.px[11], 200);
    for (i = 0; i < 25; i++)
        if (i != 12 && i != 11 && i != 13 && i != 7 && i != 17 &&
            i != 6 && i != 8 && i != 16 && i != 18)
            ck_assert_int_eq(s.px[i], 200);
    free(b.px);
    free(s.px);
}
END_TEST

/* Each hostile input gets its own message and leaves no codes. */
static void refused(const void *data, size_t len, const char *says)
{
    pledge_scan_codes c = {(pledge_scan_code *)1, 5};
    pledge_err err;

    err.msg[0] = '\0';
    ck_assert_int_eq(pledge_scan_data(data, len, &c, &err), -1);
    ck_assert_msg(strstr(err.msg, says) != NULL, "\"%s\" lacks \"%s\"",
                  err.msg, says);
    ck_assert_ptr_null(c.code);
    ck_assert_uint_eq(c.n, 0);
}

START_TEST(hostile_input_is_refused_by_name)
{
    unsigned char blank_px[64 * 64], *png, *huge;
    pledge_grey blank = {blank_px, 64, 64};
    size_t len, n;
    char *d = read_data(DATA "seal-qr.png", &len);
    static const unsigned char jpeg_head[] = {0xff, 0xd8, 0xff, 0xe0, 0, 16,
                                              'J', 'F', 'I', 'F', 0};

    refused("", 0, "not a PNG, JPEG or PDF");
    refused("GIF89a", 6, "not a PNG, JPEG or PDF");
    refused(d, len / 2, "PNG: ");
    refused(jpeg_head, sizeof jpeg_head, "JPEG: ");
    refused("%PDF-1.7\n1 0 obj junk", 21, "PDF: ");
    memset(blank_px, 255, sizeof blank_px);
    png = png_of(&blank, &n);
    refused(png, n, "no QR code found");
    /* A header that claims 100000 x 100000 pixels is refused before a
     * byte of them is inflated; the IHDR CRC is made right so libpng
     * reads that far. */
    png[16] = png[20] = 0x00;
    png[17] = png[21] = 0x01;
    png[18] = png[22] = 0x86;
    png[19] = png[23] = 0xa0;
    {
        unsigned long crc = crc32(0, png + 12, 17);

        png[29] = (unsigned char)(crc >> 24);
        png[30] = (unsigned char)(crc >> 16);
        png[31] = (unsigned char)(crc >> 8);
        png[32] = (unsigned char)crc;
    }
    refused(png, n, "100000 x 100000 pixels, more than");
    free(png);
    huge = calloc(1, PLEDGE_SCAN_MAX_BYTES + 1);
    ck_assert_ptr_nonnull(huge);
    memcpy(huge, d, len);
    refused(huge, PLEDGE_SCAN_MAX_BYTES + 1, "MiB");
    free(huge);
    free(d);
}
END_TEST

static Suite *scan_suite(void)
{
    Suite *s = suite_create("scan");
    TCase *tc = tcase_create("scan");

    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, fixture_decodes);
    tcase_add_test(tc, faint_uneven_noisy_photo_decodes);
    tcase_add_test(tc, same_code_twice_is_kept_once);
    tcase_add_test(tc, otsu_splits_two_inks);
    tcase_add_test(tc, halve_and_double_keep_the_picture);
    tcase_add_test(tc, local_threshold_follows_the_light);
    tcase_add_test(tc, blur_and_sharpen_keep_flat_paper_flat);
    tcase_add_test(tc, hostile_input_is_refused_by_name);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return run_suite(scan_suite());
}
