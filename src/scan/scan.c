/* scan.c - find the QR codes in a picture of a page (see scan.h). */
#include "scan.h"

#include <limits.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jpeglib.h>
#include <png.h>

#include "libs.h"
#include "../util/err.h"
#include "../util/file.h"

/* A PDF page is rendered at this resolution first: a seal's 0.5 mm module
 * is then 3 pixels, which zbar reads; when no page shows a code so, not
 * even made over, each is rendered again at the second, for a scan saved
 * as PDF. */
#define PDF_DPI_FIRST 150.0
#define PDF_DPI_SECOND 300.0

/* A picture larger than this is first tried halved: a 300-dpi page's
 * seal keeps 3-pixel modules, and zbar reads a quarter of the pixels. */
#define HALVE_ABOVE (4u * 1000 * 1000)

/* A hostile progressive JPEG can make libjpeg work through thousands of
 * scans of one picture; no camera or scanner writes more than a few. */
#define JPEG_MAX_SCANS 200

/* ---- pictures ---- */

static int grey_new(pledge_grey *g, int w, int h)
{
    g->px = malloc((size_t)w * (size_t)h);
    g->w = w;
    g->h = h;
    return g->px != NULL ? 0 : -1;
}

static int too_large(long long w, long long h, pledge_err *err)
{
    if (w <= 0 || h <= 0)
        return pledge_err_set(err, "picture of %lld x %lld pixels", w, h);
    if (w * h > PLEDGE_SCAN_MAX_PIXELS || w > INT_MAX / 4 ||
        h > INT_MAX / 4)
        return pledge_err_set(err, "picture of %lld x %lld pixels, more "
                              "than the %u million a page may have", w, h,
                              PLEDGE_SCAN_MAX_PIXELS / 1000000);
    return 0;
}

/* The grey of sRGB-encoded r, g, b by Rec. 601 weights, in the encoded
 * space: a threshold only needs dark and light apart. */
static unsigned char grey_of(unsigned r, unsigned g, unsigned b)
{
    return (unsigned char)((r * 77 + g * 150 + b * 29) >> 8);
}

static int decode_png(const unsigned char *data, size_t len,
                      pledge_grey *out, pledge_err *err)
{
    png_image im;
    png_color white = {255, 255, 255};
    pledge_grey g;

    memset(&im, 0, sizeof im);
    im.version = PNG_IMAGE_VERSION;
    if (!png_image_begin_read_from_memory(&im, data, len))
        return pledge_err_set(err, "PNG: %s", im.message);
    if (too_large(im.width, im.height, err) < 0) {
        png_image_free(&im);
        return -1;
    }
    im.format = PNG_FORMAT_GRAY;
    if (grey_new(&g, (int)im.width, (int)im.height) < 0) {
        png_image_free(&im);
        return pledge_err_set(err, "out of memory");
    }
    /* Transparent parts lie on white paper. */
    if (!png_image_finish_read(&im, &white, g.px, 0, NULL)) {
        free(g.px);
        return pledge_err_set(err, "PNG: %s", im.message);
    }
    *out = g;
    return 0;
}

typedef struct {
    struct jpeg_error_mgr pub;
    jmp_buf jump;
    char msg[JMSG_LENGTH_MAX];
} jpeg_fail;

static void jpeg_exit(j_common_ptr cinfo)
{
    jpeg_fail *f = (jpeg_fail *)cinfo->err;

    f->pub.format_message(cinfo, f->msg);
    longjmp(f->jump, 1);
}

/* libjpeg would print its warnings (corrupt data it decodes anyway). */
static void jpeg_quiet(j_common_ptr cinfo)
{
    (void)cinfo;
}

static void jpeg_progress(j_common_ptr cinfo)
{
    jpeg_fail *f = (jpeg_fail *)cinfo->err;

    if (((j_decompress_ptr)cinfo)->input_scan_number > JPEG_MAX_SCANS) {
        snprintf(f->msg, sizeof f->msg, "more than %d scans",
                 JPEG_MAX_SCANS);
        longjmp(f->jump, 1);
    }
}

static int decode_jpeg(const unsigned char *data, size_t len,
                       pledge_grey *out, pledge_err *err)
{
    struct jpeg_decompress_struct cinfo;
    struct jpeg_progress_mgr progress;
    jpeg_fail fail;
    pledge_grey g = {NULL, 0, 0};
    pledge_grey *volatile gp = &g;
    JSAMPROW row;

    memset(&cinfo, 0, sizeof cinfo);
    cinfo.err = jpeg_std_error(&fail.pub);
    fail.pub.error_exit = jpeg_exit;
    fail.pub.output_message = jpeg_quiet;
    fail.msg[0] = '\0';
    if (setjmp(fail.jump)) {
        free(gp->px);
        jpeg_destroy_decompress(&cinfo);
        return pledge_err_set(err, "JPEG: %s", fail.msg);
    }
    jpeg_create_decompress(&cinfo);
    progress.progress_monitor = jpeg_progress;
    cinfo.progress = &progress;
    jpeg_mem_src(&cinfo, data, (unsigned long)len);
    jpeg_read_header(&cinfo, TRUE);
    if (too_large(cinfo.image_width, cinfo.image_height, err) < 0) {
        jpeg_destroy_decompress(&cinfo);
        return -1;
    }
    if (cinfo.jpeg_color_space == JCS_CMYK ||
        cinfo.jpeg_color_space == JCS_YCCK) {
        jpeg_destroy_decompress(&cinfo);
        return pledge_err_set(err, "JPEG: CMYK pictures are not read; "
                              "save it as RGB or grey");
    }
    cinfo.out_color_space = JCS_GRAYSCALE;
    jpeg_start_decompress(&cinfo);
    if (grey_new(gp, (int)cinfo.output_width, (int)cinfo.output_height) <
        0) {
        jpeg_destroy_decompress(&cinfo);
        return pledge_err_set(err, "out of memory");
    }
    while (cinfo.output_scanline < cinfo.output_height) {
        row = gp->px + (size_t)cinfo.output_scanline * (size_t)gp->w;
        jpeg_read_scanlines(&cinfo, &row, 1);
    }
    jpeg_finish_decompress(&cinfo);
    jpeg_destroy_decompress(&cinfo);
    *out = g;
    return 0;
}

static int is_png(const unsigned char *d, size_t n)
{
    return n >= 8 && memcmp(d, "\x89PNG\r\n\x1a\n", 8) == 0;
}

static int is_jpeg(const unsigned char *d, size_t n)
{
    return n >= 3 && d[0] == 0xff && d[1] == 0xd8 && d[2] == 0xff;
}

static int is_pdf(const unsigned char *d, size_t n)
{
    return n >= 5 && memcmp(d, "%PDF-", 5) == 0;
}

int pledge_scan_decode_image(const unsigned char *data, size_t len,
                             pledge_grey *out, pledge_err *err)
{
    if (is_png(data, len))
        return decode_png(data, len, out, err);
    if (is_jpeg(data, len))
        return decode_jpeg(data, len, out, err);
    return pledge_err_set(err, "not a PNG, JPEG or PDF");
}

/* ---- made-over copies ---- */

int pledge_scan_halve(const pledge_grey *in, pledge_grey *out)
{
    int x, y, w = in->w / 2, h = in->h / 2;
    const unsigned char *a, *b;

    if (w < 1 || h < 1) {
        /* Nothing to halve: a copy. */
        if (grey_new(out, in->w, in->h) < 0)
            return -1;
        memcpy(out->px, in->px, (size_t)in->w * (size_t)in->h);
        return 0;
    }
    if (grey_new(out, w, h) < 0)
        return -1;
    for (y = 0; y < h; y++) {
        a = in->px + (size_t)(2 * y) * (size_t)in->w;
        b = a + in->w;
        for (x = 0; x < w; x++)
            out->px[(size_t)y * (size_t)w + (size_t)x] = (unsigned char)
                ((a[2 * x] + a[2 * x + 1] + b[2 * x] + b[2 * x + 1] + 2) /
                 4);
    }
    return 0;
}

/* Bilinear: the edges of small modules stay where they were. */
int pledge_scan_double(const pledge_grey *in, pledge_grey *out)
{
    int x, y, x0, y0, x1, y1, fx, fy, w = in->w * 2, h = in->h * 2;
    const unsigned char *p = in->px;
    size_t iw = (size_t)in->w;

    if (grey_new(out, w, h) < 0)
        return -1;
    for (y = 0; y < h; y++) {
        /* Source coordinates in quarters of a pixel, centres aligned. */
        fy = 2 * y - 1;
        y0 = fy < 0 ? 0 : fy / 4;
        y1 = y0 + 1 < in->h ? y0 + 1 : y0;
        fy = fy < 0 ? 0 : fy % 4;
        for (x = 0; x < w; x++) {
            fx = 2 * x - 1;
            x0 = fx < 0 ? 0 : fx / 4;
            x1 = x0 + 1 < in->w ? x0 + 1 : x0;
            fx = fx < 0 ? 0 : fx % 4;
            out->px[(size_t)y * (size_t)w + (size_t)x] = (unsigned char)
                (((4 - fy) * ((4 - fx) * p[y0 * iw + x0] +
                              fx * p[y0 * iw + x1]) +
                  fy * ((4 - fx) * p[y1 * iw + x0] +
                        fx * p[y1 * iw + x1]) + 8) / 16);
        }
    }
    return 0;
}

int pledge_scan_otsu_level(const pledge_grey *img)
{
    size_t hist[256] = {0}, i, n = (size_t)img->w * (size_t)img->h;
    double sum = 0, sumb = 0, wb = 0, best = -1, between, mb, mf;
    int t, level = 127;

    for (i = 0; i < n; i++)
        hist[img->px[i]]++;
    for (t = 0; t < 256; t++)
        sum += (double)t * (double)hist[t];
    for (t = 0; t < 256; t++) {
        wb += (double)hist[t];
        if (wb == 0)
            continue;
        if (wb == (double)n)
            break;
        sumb += (double)t * (double)hist[t];
        mb = sumb / wb;
        mf = (sum - sumb) / ((double)n - wb);
        between = wb * ((double)n - wb) * (mb - mf) * (mb - mf);
        if (between > best) {
            best = between;
            level = t;
        }
    }
    return level;
}

int pledge_scan_otsu(const pledge_grey *in, pledge_grey *out)
{
    size_t i, n = (size_t)in->w * (size_t)in->h;
    int level = pledge_scan_otsu_level(in);

    if (grey_new(out, in->w, in->h) < 0)
        return -1;
    for (i = 0; i < n; i++)
        out->px[i] = in->px[i] <= level ? 0 : 255;
    return 0;
}

/* Dark where darker than the mean of the box of radius r around it by a
 * margin: uneven light across a photo and a grey photocopy both become
 * black modules on white, and noise in an even patch of paper stays
 * white.  The box's sum slides: column sums over its rows, then along
 * the row. */
static int local_threshold(const pledge_grey *in, pledge_grey *out,
                           int r)
{
    unsigned long *col;
    unsigned long sum, area;
    const unsigned char *p;
    size_t w = (size_t)in->w;
    int x, y, x0, x1, y0, y1;

    if ((col = calloc(w, sizeof *col)) == NULL)
        return -1;
    if (grey_new(out, in->w, in->h) < 0) {
        free(col);
        return -1;
    }
    /* Rows [0, r) in the column sums before the first row is done. */
    for (y = 0; y < r && y < in->h; y++)
        for (x = 0, p = in->px + (size_t)y * w; x < in->w; x++)
            col[x] += p[x];
    for (y = 0; y < in->h; y++) {
        y0 = y - r < 0 ? 0 : y - r;
        y1 = y + r + 1 > in->h ? in->h : y + r + 1;
        if (y + r < in->h)
            for (x = 0, p = in->px + (size_t)(y + r) * w; x < in->w; x++)
                col[x] += p[x];
        if (y - r - 1 >= 0)
            for (x = 0, p = in->px + (size_t)(y - r - 1) * w; x < in->w;
                 x++)
                col[x] -= p[x];
        sum = 0;
        for (x = 0; x < r && x < in->w; x++)
            sum += col[x];
        p = in->px + (size_t)y * w;
        for (x = 0; x < in->w; x++) {
            x0 = x - r < 0 ? 0 : x - r;
            x1 = x + r + 1 > in->w ? in->w : x + r + 1;
            if (x + r < in->w)
                sum += col[x + r];
            if (x - r - 1 >= 0)
                sum -= col[x - r - 1];
            area = (unsigned long)(x1 - x0) * (unsigned long)(y1 - y0);
            /* px + 10 < sum / area, without dividing. */
            out->px[(size_t)y * w + (size_t)x] =
                (p[x] + 10) * area < sum ? 0 : 255;
        }
    }
    free(col);
    return 0;
}

static int side(const pledge_grey *in)
{
    return in->w > in->h ? in->w : in->h;
}

int pledge_scan_local(const pledge_grey *in, pledge_grey *out)
{
    return local_threshold(in, out, side(in) / 16 > 8 ? side(in) / 16 : 8);
}

int pledge_scan_local_fine(const pledge_grey *in, pledge_grey *out)
{
    return local_threshold(in, out, side(in) / 100 > 4 ? side(in) / 100 :
                           4);
}

/* out = (a + 2b + c) / 4 along rows (dx 1) or columns (dx = w) of in;
 * the first and last pixel of each keep their value. */
static void smooth_pass(const unsigned char *in, unsigned char *out, int w,
                        int h, int along_rows)
{
    size_t step = along_rows ? 1 : (size_t)w, i;
    int x, y, n = along_rows ? w : h;

    memcpy(out, in, (size_t)w * (size_t)h);
    for (y = 0; y < h; y++)
        for (x = 0; x < w; x++) {
            i = (size_t)y * (size_t)w + (size_t)x;
            if ((along_rows ? x : y) == 0 || (along_rows ? x : y) == n - 1)
                continue;
            out[i] = (unsigned char)((in[i - step] + 2 * in[i] +
                                      in[i + step] + 2) / 4);
        }
}

/* A 3 x 3 binomial blur, as two passes. */
int pledge_scan_blur(const pledge_grey *in, pledge_grey *out)
{
    unsigned char *tmp = malloc((size_t)in->w * (size_t)in->h);

    if (tmp == NULL || grey_new(out, in->w, in->h) < 0) {
        free(tmp);
        return -1;
    }
    smooth_pass(in->px, tmp, in->w, in->h, 1);
    smooth_pass(tmp, out->px, in->w, in->h, 0);
    free(tmp);
    return 0;
}

/* Unsharp mask: twice the picture less its blur. */
int pledge_scan_sharpen(const pledge_grey *in, pledge_grey *out)
{
    size_t i, n = (size_t)in->w * (size_t)in->h;
    int v;

    if (pledge_scan_blur(in, out) < 0)
        return -1;
    for (i = 0; i < n; i++) {
        v = 2 * in->px[i] - out->px[i];
        out->px[i] = (unsigned char)(v < 0 ? 0 : v > 255 ? 255 : v);
    }
    return 0;
}

/* ---- zbar ---- */

static int add_code(pledge_scan_codes *codes, const char *text, size_t len,
                    int page)
{
    pledge_scan_code *c;
    size_t i;

    for (i = 0; i < codes->n; i++)
        if (codes->code[i].page == page && codes->code[i].len == len &&
            memcmp(codes->code[i].text, text, len) == 0)
            return 0;
    c = realloc(codes->code, (codes->n + 1) * sizeof *c);
    if (c == NULL)
        return -1;
    codes->code = c;
    c += codes->n;
    memset(c, 0, sizeof *c);
    if ((c->text = malloc(len + 1)) == NULL)
        return -1;
    memcpy(c->text, text, len);
    c->text[len] = '\0';
    c->len = len;
    c->page = page;
    codes->n++;
    return 0;
}

/* A zbar scanner for QR codes, and the library it comes from. */
typedef struct {
    const pledge_zbar_lib *z;
    zbar_image_scanner_t *sc;
} reader;

/* zbar reads every nth line and column. */
static void density(const reader *r, int n)
{
    r->z->zbar_image_scanner_set_config(r->sc, 0, ZBAR_CFG_X_DENSITY, n);
    r->z->zbar_image_scanner_set_config(r->sc, 0, ZBAR_CFG_Y_DENSITY, n);
}

/* The QR codes zbar reads in img, appended to codes: how many, or -1. */
static int zbar_find(const reader *r, const pledge_grey *img, int page,
                     pledge_scan_codes *codes)
{
    const pledge_zbar_lib *z = r->z;
    zbar_image_t *zi = z->zbar_image_create();
    const zbar_symbol_t *sym;
    size_t before = codes->n;
    int rc = 0;

    if (zi == NULL)
        return -1;
    z->zbar_image_set_format(zi, zbar_fourcc('Y', '8', '0', '0'));
    z->zbar_image_set_size(zi, (unsigned)img->w, (unsigned)img->h);
    z->zbar_image_set_data(zi, img->px, (unsigned long)img->w *
                           (unsigned long)img->h, NULL);
    if (z->zbar_scan_image(r->sc, zi) > 0)
        for (sym = z->zbar_image_first_symbol(zi); sym != NULL && rc == 0;
             sym = z->zbar_symbol_next(sym))
            if (z->zbar_symbol_get_type(sym) == ZBAR_QRCODE)
                rc = add_code(codes, z->zbar_symbol_get_data(sym),
                              z->zbar_symbol_get_data_length(sym), page);
    z->zbar_image_destroy(zi);
    return rc < 0 ? -1 : (int)(codes->n - before);
}

typedef int (*makeover)(const pledge_grey *, pledge_grey *);

/* One step of the search: the copy made from the picture (from_previous
 * 0) or from the step before's copy (1); NULL: the picture itself. */
typedef struct {
    makeover make;
    int from_previous;
} step;

/* Cheapest and likeliest first.  What zbar's own binariser misses, a
 * threshold against the neighbourhood often catches; noise gives way to
 * smoothing first, blur to sharpening; last, a low-resolution picture's
 * modules are made larger.  A picture too large for these to be quick
 * is worked on halved (a 300-dpi seal keeps 3-pixel modules), then read
 * whole as a page rendered again is. */
static const step small[] = {
    {NULL, 0},
    {pledge_scan_local, 0},
    {pledge_scan_blur, 0}, {pledge_scan_local, 1},
    {pledge_scan_otsu, 0},
    {pledge_scan_sharpen, 0}, {pledge_scan_local_fine, 1},
    {pledge_scan_double, 0}, {pledge_scan_local, 1},
};
/* A page rendered again at a higher resolution, whose made-over copies
 * were tried at the lower; a large picture after its half, and then,
 * last, sharpened whole: halving blurs a blurred photo's modules into
 * each other where the whole picture still keeps them apart. */
static const step again[] = {
    {NULL, 0},
    {pledge_scan_local, 0},
    {pledge_scan_sharpen, 0}, {pledge_scan_local_fine, 1},
};
#define NAGAIN_PAGE 2

/* Doubling a picture above this many pixels would make it too slow to
 * read; at 100 dpi a Letter page is 0.9 million. */
#define DOUBLE_UP_TO (25u * 100 * 1000)

/* Runs the n steps over img; returns the codes found, or -1. */
static int search(const reader *r, const pledge_grey *img, int page,
                  const step *steps, size_t n, pledge_scan_codes *codes)
{
    pledge_grey prev = {NULL, 0, 0}, cur;
    int found = 0;
    size_t i;

    for (i = 0; i < n && found == 0; i++) {
        if (steps[i].make == NULL) {
            found = zbar_find(r, img, page, codes);
            continue;
        }
        if (steps[i].make == pledge_scan_double &&
            (size_t)img->w * (size_t)img->h > DOUBLE_UP_TO)
            break;
        if (steps[i].make(steps[i].from_previous ? &prev : img, &cur) < 0) {
            found = -1;
            break;
        }
        free(prev.px);
        prev = cur;
        found = zbar_find(r, &prev, page, codes);
    }
    free(prev.px);
    return found;
}

int pledge_scan_grey(const pledge_grey *img, int page,
                     pledge_scan_effort effort, pledge_scan_codes *codes,
                     pledge_err *err)
{
    size_t nsmall = sizeof small / sizeof small[0];
    pledge_grey half = {NULL, 0, 0};
    reader r;
    int found = 0, halved = 0;

    if ((r.z = pledge_scan_libs_zbar(err)) == NULL)
        return -1;
    if ((r.sc = r.z->zbar_image_scanner_create()) == NULL)
        return pledge_err_set(err, "out of memory");
    r.z->zbar_image_scanner_set_config(r.sc, 0, ZBAR_CFG_ENABLE, 0);
    r.z->zbar_image_scanner_set_config(r.sc, ZBAR_QRCODE, ZBAR_CFG_ENABLE,
                                       1);
    if (effort != PLEDGE_SCAN_AGAIN && effort != PLEDGE_SCAN_PLAIN &&
        (size_t)img->w * (size_t)img->h > HALVE_ABOVE) {
        if (pledge_scan_halve(img, &half) < 0) {
            found = -1;
        } else {
            /* Every other line and column first, in half the time:
             * enough where modules are 2 pixels or more, as a 300-dpi
             * seal's are halved. */
            density(&r, 2);
            found = zbar_find(&r, &half, page, codes);
            density(&r, 1);
            /* Doubled, the half would be the picture again. */
            if (found == 0)
                found = search(&r, &half, page, small, nsmall - 2, codes);
        }
        free(half.px);
        effort = PLEDGE_SCAN_AGAIN;
        halved = 1;
    }
    if (found == 0)
        found = effort == PLEDGE_SCAN_PLAIN ?
                search(&r, img, page, again, 1, codes) :
                effort == PLEDGE_SCAN_AGAIN ?
                search(&r, img, page, again, halved ?
                       sizeof again / sizeof again[0] : NAGAIN_PAGE, codes) :
                search(&r, img, page, small, effort == PLEDGE_SCAN_ALL ?
                       nsmall : nsmall - 2, codes);
    r.z->zbar_image_scanner_destroy(r.sc);
    return found < 0 ? pledge_err_set(err, "out of memory") : found;
}

/* ---- PDF ---- */

/* Renders page at dpi into a grey picture. */
static int render_page(const pledge_pdf_lib *P, PopplerPage *page,
                       double dpi, pledge_grey *out, pledge_err *err)
{
    double pw, ph;
    long long w, h;
    cairo_surface_t *s;
    cairo_t *cr;
    const unsigned char *row;
    const uint32_t *p;
    int stride, x, y;

    P->poppler_page_get_size(page, &pw, &ph);
    if (!(pw > 0 && ph > 0 && pw < 1e6 && ph < 1e6))
        return pledge_err_set(err, "a page of %g x %g points", pw, ph);
    w = (long long)(pw * dpi / 72 + 0.5);
    h = (long long)(ph * dpi / 72 + 0.5);
    if (too_large(w, h, err) < 0)
        return -1;
    s = P->cairo_image_surface_create(CAIRO_FORMAT_RGB24, (int)w, (int)h);
    if (P->cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
        P->cairo_surface_destroy(s);
        return pledge_err_set(err, "out of memory");
    }
    cr = P->cairo_create(s);
    P->cairo_set_source_rgb(cr, 1, 1, 1);
    P->cairo_paint(cr);
    P->cairo_scale(cr, dpi / 72, dpi / 72);
    P->poppler_page_render(page, cr);
    P->cairo_destroy(cr);
    P->cairo_surface_flush(s);
    if (grey_new(out, (int)w, (int)h) < 0) {
        P->cairo_surface_destroy(s);
        return pledge_err_set(err, "out of memory");
    }
    row = P->cairo_image_surface_get_data(s);
    stride = P->cairo_image_surface_get_stride(s);
    for (y = 0; y < (int)h; y++, row += stride) {
        p = (const uint32_t *)(const void *)row;
        for (x = 0; x < (int)w; x++)
            out->px[(size_t)y * (size_t)w + (size_t)x] =
                grey_of((p[x] >> 16) & 0xff, (p[x] >> 8) & 0xff,
                        p[x] & 0xff);
    }
    P->cairo_surface_destroy(s);
    return 0;
}

/* Scans page i (from 0) of doc rendered at dpi; the codes found get its
 * text. */
static int scan_page(const pledge_pdf_lib *P, PopplerDocument *doc, int i,
                     double dpi,
                     pledge_scan_effort effort, pledge_scan_codes *codes,
                     pledge_err *err)
{
    PopplerPage *page = P->poppler_document_get_page(doc, i);
    pledge_grey g;
    size_t before = codes->n, k;
    char *text;
    int found;

    if (page == NULL)
        return pledge_err_set(err, "PDF: page %d cannot be read", i + 1);
    if (render_page(P, page, dpi, &g, err) < 0) {
        P->g_object_unref(page);
        return pledge_err_prefix(err, "PDF page %d", i + 1);
    }
    found = pledge_scan_grey(&g, i + 1, effort, codes, err);
    free(g.px);
    if (found > 0 && (text = P->poppler_page_get_text(page)) != NULL) {
        for (k = before; k < codes->n && found >= 0; k++)
            if (text[0] != '\0' &&
                (codes->code[k].page_text = strdup(text)) == NULL)
                found = pledge_err_set(err, "out of memory");
        P->g_free(text);
    }
    P->g_object_unref(page);
    return found < 0 ? -1 : 0;
}

static int scan_pdf(const unsigned char *data, size_t len,
                    pledge_scan_codes *codes, pledge_err *err)
{
    static const struct {
        double dpi;
        pledge_scan_effort effort;
    } passes[] = {
        {PDF_DPI_FIRST, PLEDGE_SCAN_PLAIN},
        {PDF_DPI_FIRST, PLEDGE_SCAN_NO_DOUBLE},
        {PDF_DPI_SECOND, PLEDGE_SCAN_AGAIN},
    };
    const pledge_pdf_lib *P = pledge_scan_libs_pdf(err);
    GBytes *bytes;
    GError *gerr = NULL;
    PopplerDocument *doc;
    size_t k;
    int n, i, rc = 0;

    if (P == NULL)
        return -1;
    bytes = P->g_bytes_new_static(data, len);
    doc = P->poppler_document_new_from_bytes(bytes, NULL, &gerr);
    P->g_bytes_unref(bytes);
    if (doc == NULL) {
        pledge_err_set(err, "PDF: %s", gerr != NULL ? gerr->message :
                       "cannot be read");
        P->g_clear_error(&gerr);
        return -1;
    }
    n = P->poppler_document_get_n_pages(doc);
    if (n > PLEDGE_SCAN_MAX_PAGES)
        rc = pledge_err_set(err, "PDF of %d pages, more than the %d "
                            "searched", n, PLEDGE_SCAN_MAX_PAGES);
    /* Every page as rendered first, where a pledge's own seal is read;
     * only when none has a code, the made-over copies of each, then each
     * at the higher resolution. */
    for (k = 0; k < sizeof passes / sizeof passes[0] && rc == 0 &&
         codes->n == 0; k++)
        for (i = 0; i < n && rc == 0; i++)
            rc = scan_page(P, doc, i, passes[k].dpi, passes[k].effort,
                           codes, err);
    P->g_object_unref(doc);
    return rc;
}

/* ---- the page's text ---- */

static int is_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
           c == '\v';
}

/* s without its white space, in a malloc'd string, or NULL. */
static char *squeezed(const char *s)
{
    char *out = malloc(strlen(s) + 1), *o = out;

    if (out == NULL)
        return NULL;
    for (; *s != '\0'; s++)
        if (!is_space((unsigned char)*s))
            *o++ = *s;
    *o = '\0';
    return out;
}

int pledge_scan_page_shows(const char *page_text, const char *s)
{
    char *page = squeezed(page_text), *want = squeezed(s);
    int shows = page != NULL && want != NULL &&
                strstr(page, want) != NULL;

    free(page);
    free(want);
    return shows;
}

/* ---- the whole ---- */

void pledge_scan_free(pledge_scan_codes *c)
{
    size_t i;

    if (c == NULL)
        return;
    for (i = 0; i < c->n; i++) {
        free(c->code[i].text);
        free(c->code[i].page_text);
    }
    free(c->code);
    c->code = NULL;
    c->n = 0;
}

int pledge_scan_data(const unsigned char *data, size_t len,
                     pledge_scan_codes *out, pledge_err *err)
{
    pledge_scan_codes codes = {NULL, 0};
    pledge_grey g;
    int rc;

    out->code = NULL;
    out->n = 0;
    if (len > PLEDGE_SCAN_MAX_BYTES)
        return pledge_err_set(err, "%zu bytes, more than the %u MiB a "
                              "picture may have", len,
                              PLEDGE_SCAN_MAX_BYTES >> 20);
    if (is_pdf(data, len)) {
        rc = scan_pdf(data, len, &codes, err);
    } else {
        rc = pledge_scan_decode_image(data, len, &g, err);
        if (rc == 0) {
            rc = pledge_scan_grey(&g, 0, PLEDGE_SCAN_ALL, &codes, err);
            free(g.px);
        }
    }
    if (rc >= 0 && codes.n == 0)
        rc = pledge_err_set(err, "no QR code found");
    if (rc < 0) {
        pledge_scan_free(&codes);
        return -1;
    }
    *out = codes;
    return 0;
}

int pledge_scan_file(const char *path, pledge_scan_codes *out,
                     pledge_err *err)
{
    char *data;
    size_t len;
    int rc;

    out->code = NULL;
    out->n = 0;
    if (pledge_file_read(path, PLEDGE_SCAN_MAX_BYTES, &data, &len, err) < 0)
        return -1;
    rc = pledge_scan_data((const unsigned char *)data, len, out, err);
    free(data);
    return rc;
}
