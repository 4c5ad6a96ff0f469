/* test_pdfwrite.c - subsetting and PDF output, checked with poppler and
 * qpdf.
 *
 * The raster test is the proof that nested composite glyphs survive
 * libharu: each glyph of a Vietnamese, Greek and Cyrillic sample is drawn
 * in a cell of its own at 72 pt, the page is rasterised at 72 dpi by
 * pdftoppm, and each cell's ink is compared with FreeType's rendering of
 * the same glyph from the original font.
 */
#include <check.h>
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>

#include <ft2build.h>
#include FT_FREETYPE_H
#include <zlib.h>
#include <hpdf.h>
#include <hpdf_utils.h>

#include "../../src/pdf/pdfparse.h"
#include "../../src/pdf/pdfwrite.h"
#include "../../src/pdf/subset.h"
#include "../../src/typeset/pages.h"
#include "../../src/util/utf8.h"
#include "run_suite.h"

static const char *const style_files[PLEDGE_STYLE_COUNT] = {
    PLEDGE_SRCDIR "/fonts/NotoSerif-Regular.ttf",
    PLEDGE_SRCDIR "/fonts/NotoSerif-Bold.ttf",
    PLEDGE_SRCDIR "/fonts/NotoSerif-Italic.ttf",
    PLEDGE_SRCDIR "/fonts/NotoSerif-BoldItalic.ttf",
};

/* The sample: Vietnamese, Cyrillic and Greek letters made of several
 * components, then letters that in Debian's Noto Serif are composites of
 * composites (U+00BD, U+00BE, U+1E08, U+1E09, U+1E1C, U+1E1D, U+2153),
 * which libharu alone embeds with parts missing. */
#define NAMES "Nguy\xe1\xbb\x85n Th\xe1\xbb\x8b \xe1\xbb\x86 \xe1\xbb\x99 " \
    "\xe1\xbb\xaf \xc7\x95 \xc7\x98 \xd0\x81 \xce\x90"
#define NESTED "\xc2\xbd \xc2\xbe \xe1\xb8\x88 \xe1\xb8\x89 \xe1\xb8\x9c " \
    "\xe1\xb8\x9d \xe2\x85\x93"
#define SAMPLE NAMES " " NESTED

static pledge_font *fonts[PLEDGE_STYLE_COUNT];
static char dir[64];

static const pledge_pdf_info info = {
    "Code of Ethics \xe2\x80\x94 Pledge of Nguy\xe1\xbb\x85n",
    "Nguy\xe1\xbb\x85n Th\xe1\xbb\x8b", "VAIMH Code of Ethics", NULL,
    "pledge 0.1.0", 1700000000, NULL, 0, NULL, 0, NULL, NULL
};

static void setup(void)
{
    pledge_err err;
    int i;

    for (i = 0; i < PLEDGE_STYLE_COUNT; i++)
        ck_assert_msg(pledge_font_open(&fonts[i], style_files[i], &err) == 0,
                      "%s", err.msg);
}

static void teardown(void)
{
    int i;

    for (i = 0; i < PLEDGE_STYLE_COUNT; i++)
        pledge_font_close(fonts[i]);
}

/* The scratch directory is made and removed outside the forked tests, so
 * that it goes even when a test fails. */
static void make_dir(void)
{
    strcpy(dir, "/tmp/pledge-test-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void remove_dir(void)
{
    static const char *const files[] = {
        "doc.pdf", "page.pgm", "out.txt", "err.txt", "lines.txt"
    };
    char path[128];
    size_t i;

    for (i = 0; i < sizeof files / sizeof files[0]; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, files[i]);
        unlink(path);
    }
    rmdir(dir);
}

static const char *in_dir(const char *name)
{
    static char path[4][128];
    static int next;

    next = (next + 1) % 4;
    snprintf(path[next], sizeof path[next], "%s/%s", dir, name);
    return path[next];
}

static void write_file(const char *path, const unsigned char *buf,
                       size_t len)
{
    FILE *f = fopen(path, "wb");

    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(fwrite(buf, 1, len, f), len);
    ck_assert_int_eq(fclose(f), 0);
}

/* Reads a whole file as a NUL-terminated string; frees with free(). */
static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf;
    long n;

    ck_assert_msg(f != NULL, "cannot open %s", path);
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    rewind(f);
    buf = malloc((size_t)n + 1);
    ck_assert_ptr_nonnull(buf);
    ck_assert_uint_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
    buf[n] = '\0';
    fclose(f);
    if (len != NULL)
        *len = (size_t)n;
    return buf;
}

/* Runs a shell command; returns its exit status, or -1. */
static int run(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int run(const char *fmt, ...)
{
    char cmd[512];
    va_list ap;
    int st;

    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    st = system(cmd);
    return st != -1 && WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void add_text(pledge_page *pg, pledge_style st, double size,
                     double x, double y, const char *s)
{
    ck_assert_int_eq(pledge_page_text(pg, st, size, x, y, s, strlen(s)), 0);
}

/* A typical pledge: two letter pages of 10.5 pt text set word by word in
 * all four styles, a heading, the sample line, rules and a box. */
static void typical(pledge_pages *pages)
{
    static const char *const words[] = {
        "We", "commit", "to", "upholding", "these", "values", "in", "our",
        "professional", "work", "with", "infants,", "young", "children,",
        "and", "their", "families;", "\xe2\x80\x9c" "respect\xe2\x80\x9d",
        "\xe2\x80\x94", "integrity", "and", "competence", "(see", "\xc2\xa7",
        "2.1)."
    };
    const size_t nwords = sizeof words / sizeof words[0];
    size_t w = 0, p;
    pledge_page *pg;
    double y;
    int line;

    memset(pages, 0, sizeof *pages);
    pages->width = 612;
    pages->height = 792;
    for (p = 0; p < 2; p++) {
        pg = pledge_pages_add(pages);
        ck_assert_ptr_nonnull(pg);
        add_text(pg, PLEDGE_STYLE_BOLD, 18, 72, 700, "Code of Ethics");
        ck_assert_int_eq(pledge_page_rule(pg, 72, 690, 540, 690, 0.5, 0), 0);
        for (line = 0, y = 660; y > 120; line++, y -= 13.5) {
            pledge_style st = (pledge_style)(line % PLEDGE_STYLE_COUNT);
            double x = 72;

            for (;;) {
                const char *s = words[w % nwords];
                double width = pledge_font_width(fonts[st], s, strlen(s),
                                                 10.5);

                if (x + width > 540)
                    break;
                add_text(pg, st, 10.5, x, y, s);
                x += width + 2.8;
                w++;
            }
        }
        ck_assert_int_eq(pledge_page_box(pg, 72, 72, 468, 30, 0.5, 0.92),
                         0);
        add_text(pg, PLEDGE_STYLE_REGULAR, 10.5, 80, 84, SAMPLE);
    }
}

static unsigned char *write_pdf(const pledge_pages *pages, size_t *len)
{
    unsigned char *pdf = NULL;
    pledge_err err;

    ck_assert_msg(pledge_pdf_write(pages, fonts, &info, &pdf, len,
                                   &err) == 0, "%s", err.msg);
    ck_assert_ptr_nonnull(pdf);
    return pdf;
}

/* Next code point of UTF-8 s, advancing it. */
static uint32_t next_cp(const char **s)
{
    const unsigned char *p = (const unsigned char *)*s;
    uint32_t c;
    int n, i;

    if (p[0] < 0x80)
        n = 1, c = p[0];
    else if (p[0] < 0xe0)
        n = 2, c = p[0] & 0x1f;
    else if (p[0] < 0xf0)
        n = 3, c = p[0] & 0x0f;
    else
        n = 4, c = p[0] & 0x07;
    for (i = 1; i < n; i++)
        c = c << 6 | (p[i] & 0x3f);
    *s += n;
    return c;
}

/* Ink of one glyph: dark pixels and their box relative to the origin
 * (x to the right, y up). */
typedef struct {
    long ink;
    int left, right, bottom, top;
} ink;

static void ink_add(ink *k, int x, int y)
{
    if (k->ink == 0) {
        k->left = k->right = x;
        k->bottom = k->top = y;
    }
    k->ink++;
    if (x < k->left)
        k->left = x;
    if (x > k->right)
        k->right = x;
    if (y < k->bottom)
        k->bottom = y;
    if (y > k->top)
        k->top = y;
}

static ink freetype_ink(FT_Face face, uint32_t cp)
{
    FT_Bitmap *bm;
    ink k;
    unsigned int r, c;

    memset(&k, 0, sizeof k);
    ck_assert_int_eq(FT_Load_Char(face, cp, FT_LOAD_RENDER |
                                  FT_LOAD_NO_HINTING), 0);
    bm = &face->glyph->bitmap;
    ck_assert_int_eq(bm->pixel_mode, FT_PIXEL_MODE_GRAY);
    for (r = 0; r < bm->rows; r++) {
        for (c = 0; c < bm->width; c++) {
            if (bm->buffer[r * bm->pitch + c] >= 128)
                ink_add(&k, face->glyph->bitmap_left + (int)c,
                        face->glyph->bitmap_top - 1 - (int)r);
        }
    }
    return k;
}

#define CELL_W 110
#define CELL_H 140
#define PER_ROW 8

START_TEST(nested_composites_render)
{
    pledge_pages pages;
    pledge_page *pg;
    unsigned char *pdf, *px;
    char *pgm;
    size_t len, pgmlen;
    const char *s;
    int n = 0, rows, width, height, maxval, hdr, i;
    FT_Library lib;
    FT_Face face;
    uint32_t cps[128];

    for (s = SAMPLE; *s != '\0';) {
        uint32_t c = next_cp(&s);

        if (c != ' ')
            cps[n++] = c;
    }
    rows = (n + PER_ROW - 1) / PER_ROW;
    memset(&pages, 0, sizeof pages);
    pages.width = PER_ROW * CELL_W;
    pages.height = rows * CELL_H;
    pg = pledge_pages_add(&pages);
    ck_assert_ptr_nonnull(pg);
    for (i = 0; i < n; i++) {
        char one[8];
        const char *p = SAMPLE;
        int j = 0;

        /* The i-th non-space character of SAMPLE as UTF-8. */
        for (;;) {
            const char *start = p;
            uint32_t c = next_cp(&p);

            if (c != ' ' && j++ == i) {
                memcpy(one, start, (size_t)(p - start));
                one[p - start] = '\0';
                break;
            }
        }
        add_text(pg, PLEDGE_STYLE_REGULAR, 72, i % PER_ROW * CELL_W + 20,
                 pages.height - (i / PER_ROW * CELL_H + 100), one);
    }
    pdf = write_pdf(&pages, &len);
    write_file(in_dir("doc.pdf"), pdf, len);
    free(pdf);
    pledge_pages_clear(&pages);

    ck_assert_int_eq(run("pdftoppm -r 72 -gray -singlefile %s %s",
                         in_dir("doc.pdf"), in_dir("page")), 0);
    pgm = read_file(in_dir("page.pgm"), &pgmlen);
    ck_assert_int_eq(sscanf(pgm, "P5 %d %d %d%n", &width, &height, &maxval,
                            &hdr), 3);
    ck_assert_int_eq(width, PER_ROW * CELL_W);
    ck_assert_int_eq(height, rows * CELL_H);
    ck_assert_uint_eq(pgmlen, (size_t)hdr + 1 + (size_t)width * height);
    px = (unsigned char *)pgm + hdr + 1;

    ck_assert_int_eq(FT_Init_FreeType(&lib), 0);
    ck_assert_int_eq(FT_New_Face(lib, style_files[0], 0, &face), 0);
    ck_assert_int_eq(FT_Set_Char_Size(face, 0, 72 * 64, 72, 72), 0);
    for (i = 0; i < n; i++) {
        int x0 = i % PER_ROW * CELL_W, y0 = i / PER_ROW * CELL_H;
        int ox = x0 + 20, base = y0 + 100;     /* origin in pixels */
        ink want = freetype_ink(face, cps[i]), got;
        int x, y;

        memset(&got, 0, sizeof got);
        for (y = y0; y < y0 + CELL_H; y++) {
            for (x = x0; x < x0 + CELL_W; x++) {
                if (px[(size_t)y * width + x] < 128)
                    ink_add(&got, x - ox, base - 1 - y);
            }
        }
        ck_assert_msg(want.ink > 100, "U+%04X: FreeType drew nothing",
                      (unsigned int)cps[i]);
        ck_assert_msg(labs(got.ink - want.ink) <= want.ink / 50 + 4,
                      "U+%04X: %ld dark pixels in the PDF, %ld in FreeType",
                      (unsigned int)cps[i], got.ink, want.ink);
        ck_assert_msg(abs(got.left - want.left) <= 1 &&
                      abs(got.right - want.right) <= 1 &&
                      abs(got.bottom - want.bottom) <= 1 &&
                      abs(got.top - want.top) <= 1,
                      "U+%04X: ink box %d,%d..%d,%d in the PDF, "
                      "%d,%d..%d,%d in FreeType", (unsigned int)cps[i],
                      got.left, got.bottom, got.right, got.top,
                      want.left, want.bottom, want.right, want.top);
    }
    FT_Done_Face(face);
    FT_Done_FreeType(lib);
    free(pgm);
}
END_TEST

/* 1 when glyph gid of face is a composite with a composite component. */
static int nested(FT_Face face, FT_UInt gid)
{
    FT_UInt i;

    ck_assert_int_eq(FT_Load_Glyph(face, gid, FT_LOAD_NO_RECURSE |
                                   FT_LOAD_NO_SCALE), 0);
    if (face->glyph->format != FT_GLYPH_FORMAT_COMPOSITE)
        return 0;
    for (i = 0; i < face->glyph->num_subglyphs; i++) {
        FT_Int index, a1, a2;
        FT_UInt flags;
        FT_Matrix m;

        ck_assert_int_eq(FT_Get_SubGlyph_Info(face->glyph, i, &index,
                                              &flags, &a1, &a2, &m), 0);
        ck_assert_int_eq(FT_Load_Glyph(face, (FT_UInt)index,
                                       FT_LOAD_NO_RECURSE |
                                       FT_LOAD_NO_SCALE), 0);
        if (face->glyph->format == FT_GLYPH_FORMAT_COMPOSITE)
            return 1;
        /* Reload the parent: the slot holds one glyph at a time. */
        ck_assert_int_eq(FT_Load_Glyph(face, gid, FT_LOAD_NO_RECURSE |
                                       FT_LOAD_NO_SCALE), 0);
    }
    return 0;
}

START_TEST(subset_flattens_but_keeps_outlines)
{
    uint32_t cps[128];
    size_t n = 0, len, i;
    unsigned char *sub;
    const char *s;
    pledge_err err;
    FT_Library lib;
    FT_Face orig, flat;
    int was_nested = 0;

    for (s = SAMPLE; *s != '\0';)
        cps[n++] = next_cp(&s);
    ck_assert_int_eq(pledge_subset_font(fonts[0], cps, n, &sub, &len, &err),
                     0);
    ck_assert_uint_lt(len, 40000);
    ck_assert_int_eq(FT_Init_FreeType(&lib), 0);
    ck_assert_int_eq(FT_New_Face(lib, style_files[0], 0, &orig), 0);
    ck_assert_int_eq(FT_New_Memory_Face(lib, sub, (FT_Long)len, 0, &flat),
                     0);
    ck_assert_int_lt(flat->num_glyphs, 64);
    for (i = 0; i < n; i++) {
        FT_UInt go = FT_Get_Char_Index(orig, cps[i]);
        FT_UInt gf = FT_Get_Char_Index(flat, cps[i]);
        FT_Bitmap *a, *b;
        unsigned char *copy;
        size_t size;

        ck_assert_uint_ne(go, 0);
        ck_assert_uint_ne(gf, 0);
        was_nested |= nested(orig, go);
        ck_assert_msg(!nested(flat, gf), "U+%04X still nested",
                      (unsigned int)cps[i]);
        /* Same advance, same pixels. */
        ck_assert_int_eq(FT_Set_Char_Size(orig, 0, 100 * 64, 72, 72), 0);
        ck_assert_int_eq(FT_Set_Char_Size(flat, 0, 100 * 64, 72, 72), 0);
        ck_assert_int_eq(FT_Load_Glyph(orig, go, FT_LOAD_RENDER |
                                       FT_LOAD_NO_HINTING), 0);
        a = &orig->glyph->bitmap;
        size = (size_t)a->rows * (size_t)abs(a->pitch);
        copy = malloc(size + 1);
        ck_assert_ptr_nonnull(copy);
        if (size != 0)      /* a space has no bitmap */
            memcpy(copy, a->buffer, size);
        ck_assert_int_eq(FT_Load_Glyph(flat, gf, FT_LOAD_RENDER |
                                       FT_LOAD_NO_HINTING), 0);
        b = &flat->glyph->bitmap;
        ck_assert_int_eq(orig->glyph->advance.x, flat->glyph->advance.x);
        ck_assert_uint_eq(a->rows, b->rows);
        ck_assert_uint_eq(a->width, b->width);
        ck_assert_int_eq(a->pitch, b->pitch);
        ck_assert_int_eq(orig->glyph->bitmap_left, flat->glyph->bitmap_left);
        ck_assert_int_eq(orig->glyph->bitmap_top, flat->glyph->bitmap_top);
        ck_assert_msg(size == 0 || memcmp(copy, b->buffer, size) == 0,
                      "U+%04X renders differently", (unsigned int)cps[i]);
        free(copy);
    }
    /* The sample is a real test of flattening, whatever the font version. */
    ck_assert(was_nested);
    FT_Done_Face(flat);
    FT_Done_Face(orig);
    FT_Done_FreeType(lib);
    free(sub);
}
END_TEST

START_TEST(reproducible)
{
    pledge_pages pages;
    unsigned char *a, *b, *c;
    size_t alen, blen, clen;
    pledge_err err;
    int i, fd;

    typical(&pages);
    a = write_pdf(&pages, &alen);
    b = write_pdf(&pages, &blen);
    ck_assert_uint_eq(alen, blen);
    ck_assert(memcmp(a, b, alen) == 0);

    /* Fonts at other addresses, other descriptors in use. */
    for (i = 0; i < PLEDGE_STYLE_COUNT; i++) {
        pledge_font_close(fonts[i]);
        ck_assert_int_eq(pledge_font_open(&fonts[i], style_files[i], &err),
                         0);
    }
    fd = dup(0);
    c = write_pdf(&pages, &clen);
    if (fd >= 0)
        close(fd);
    ck_assert_uint_eq(alen, clen);
    ck_assert(memcmp(a, c, alen) == 0);
    free(a);
    free(b);
    free(c);
    pledge_pages_clear(&pages);
}
END_TEST

START_TEST(valid_small_and_extractable)
{
    pledge_pages pages;
    pledge_page *pg;
    unsigned char *pdf;
    size_t len, nfonts = 0;
    char *out, *line, *save;

    typical(&pages);
    /* A name typed in decomposed form: e U+0302 U+0301. */
    pg = &pages.pages[1];
    add_text(pg, PLEDGE_STYLE_ITALIC, 10.5, 300, 84,
             "Nguye\xcc\x82\xcc\x81n");
    pdf = write_pdf(&pages, &len);
    pledge_pages_clear(&pages);
    write_file(in_dir("doc.pdf"), pdf, len);
    free(pdf);
    /* Tens of KB for two pages in four styles. */
    ck_assert_msg(len < 60000, "%zu bytes", len);

    ck_assert_int_eq(run("qpdf --check %s >%s 2>&1", in_dir("doc.pdf"),
                         in_dir("out.txt")), 0);
    out = read_file(in_dir("out.txt"), NULL);
    ck_assert_msg(strstr(out, "No syntax or stream encoding errors") !=
                  NULL && strstr(out, "WARNING") == NULL, "%s", out);
    free(out);

    ck_assert_int_eq(run("pdftotext -enc UTF-8 %s %s 2>%s",
                         in_dir("doc.pdf"), in_dir("out.txt"),
                         in_dir("err.txt")), 0);
    out = read_file(in_dir("out.txt"), NULL);
    ck_assert_msg(strstr(out, NAMES) != NULL, "%s", out);
    ck_assert_msg(strstr(out, NESTED) != NULL, "%s", out);
    ck_assert_msg(strstr(out, "Nguy\xe1\xba\xbfn") != NULL, "%s", out);
    ck_assert_msg(strstr(out, "\xe2\x80\x9crespect\xe2\x80\x9d") != NULL,
                  "%s", out);
    free(out);
    out = read_file(in_dir("err.txt"), NULL);
    ck_assert_msg(out[0] == '\0', "pdftotext: %s", out);
    free(out);

    /* Every font embedded and subset, with a tag and a ToUnicode map. */
    ck_assert_int_eq(run("pdffonts %s >%s", in_dir("doc.pdf"),
                         in_dir("out.txt")), 0);
    out = read_file(in_dir("out.txt"), NULL);
    line = strtok_r(out, "\n", &save);
    line = strtok_r(NULL, "\n", &save);     /* the ---- line */
    while ((line = strtok_r(NULL, "\n", &save)) != NULL) {
        int k;

        for (k = 0; k < 6; k++)
            ck_assert_msg(isupper((unsigned char)line[k]), "%s", line);
        ck_assert_msg(line[6] == '+', "%s", line);
        ck_assert_msg(strstr(line, "NotoSerif-") == line + 7, "%s", line);
        ck_assert_msg(strstr(line, "CID TrueType") != NULL, "%s", line);
        ck_assert_msg(strstr(line, " yes yes yes ") != NULL, "%s", line);
        nfonts++;
    }
    ck_assert_uint_eq(nfonts, PLEDGE_STYLE_COUNT);
    free(out);

    ck_assert_int_eq(run("pdfinfo -isodates %s >%s", in_dir("doc.pdf"),
                         in_dir("out.txt")), 0);
    out = read_file(in_dir("out.txt"), NULL);
    ck_assert_msg(strstr(out, info.title) != NULL, "%s", out);
    ck_assert_msg(strstr(out, info.author) != NULL, "%s", out);
    ck_assert_msg(strstr(out, "pledge 0.1.0") != NULL, "%s", out);
    ck_assert_msg(strstr(out, "2023-11-14T22:13:20") != NULL, "%s", out);
    ck_assert_msg(strstr(out, "Pages:           2") != NULL, "%s", out);
    free(out);
}
END_TEST

/* The first s in p[0..n), or NULL. */
static const unsigned char *find_bytes(const unsigned char *p, size_t n,
                                       const char *s)
{
    size_t k = strlen(s), i;

    for (i = 0; i + k <= n; i++)
        if (memcmp(p + i, s, k) == 0)
            return p + i;
    return NULL;
}

/* The catalog entry key of pdf, resolved; fails the test when missing. */
static const pledge_pdf_obj *catalog_get(pledge_pdf *pdf, const char *key)
{
    const pledge_pdf_obj *cat, *v;
    pledge_err err;

    ck_assert_int_eq(pledge_pdf_resolve(pdf, pledge_pdf_dict_get(
        pledge_pdf_trailer(pdf), "Root"), &cat, &err), 0);
    v = pledge_pdf_dict_get(cat, key);
    ck_assert_msg(v != NULL, "the catalog has no /%s", key);
    ck_assert_int_eq(pledge_pdf_resolve(pdf, v, &v, &err), 0);
    return v;
}

/* The trailer's /ID: two equal 16-byte strings; copied into id. */
static void trailer_id(pledge_pdf *pdf, unsigned char id[16])
{
    const pledge_pdf_obj *a = pledge_pdf_dict_get(pledge_pdf_trailer(pdf),
                                                  "ID");

    ck_assert_ptr_nonnull(a);
    ck_assert_int_eq(a->type, PLEDGE_PDF_ARRAY);
    ck_assert_uint_eq(a->u.arr.n, 2);
    ck_assert_int_eq(a->u.arr.items[0]->type, PLEDGE_PDF_HEX);
    ck_assert_uint_eq(a->u.arr.items[0]->u.s.len, 16);
    ck_assert_uint_eq(a->u.arr.items[1]->u.s.len, 16);
    ck_assert(memcmp(a->u.arr.items[0]->u.s.p, a->u.arr.items[1]->u.s.p,
                     16) == 0);
    memcpy(id, a->u.arr.items[0]->u.s.p, 16);
}

START_TEST(described_for_readers_and_archives)
{
    pledge_pdf_info mine = info;
    pledge_pages pages;
    pledge_pdf *pdf;
    const pledge_pdf_obj *o;
    unsigned char *data, id[16], id2[16], packet[8192];
    const unsigned char *xmp, *at;
    const pledge_pdf_obj *filter;
    uLongf plen = sizeof packet;
    size_t len, k;
    pledge_err err;

    typical(&pages);
    mine.title = "Code <of> Ethics & \"More\"";
    mine.keywords = "pledge; layout test";
    mine.language = "de-CH";
    ck_assert_int_eq(pledge_pdf_write(&pages, fonts, &mine, &data, &len,
                                      &err), 0);
    ck_assert(len > 9 && memcmp(data, "%PDF-1.7\n", 9) == 0);
    ck_assert_int_eq(pledge_pdf_open(&pdf, data, len, &err), 0);

    o = catalog_get(pdf, "Lang");
    ck_assert_int_eq(o->type, PLEDGE_PDF_STRING);
    ck_assert_str_eq((const char *)o->u.s.p, "de-CH");
    o = pledge_pdf_dict_get(catalog_get(pdf, "ViewerPreferences"),
                            "DisplayDocTitle");
    ck_assert(o != NULL && o->type == PLEDGE_PDF_BOOL && o->u.b);
    o = catalog_get(pdf, "Metadata");
    ck_assert(pledge_pdf_is_name(pledge_pdf_dict_get(o, "Type"),
                                 "Metadata"));
    ck_assert(pledge_pdf_is_name(pledge_pdf_dict_get(o, "Subtype"), "XML"));
    /* Compressed: the packet is what the stream after the dictionary
     * inflates to. */
    filter = pledge_pdf_dict_get(o, "Filter");
    if (filter != NULL && filter->type == PLEDGE_PDF_ARRAY &&
        filter->u.arr.n == 1)
        filter = filter->u.arr.items[0];
    ck_assert(pledge_pdf_is_name(filter, "FlateDecode"));
    ck_assert_uint_le(o->end, len);
    at = find_bytes(data + o->end, len - o->end, "stream\n");
    ck_assert_ptr_nonnull(at);
    at += 7;
    ck_assert_int_eq(uncompress(packet, &plen, at,
                                (uLong)(data + len - at)), Z_OK);
    xmp = packet;
    k = plen;
    ck_assert(memcmp(xmp, "<?xpacket begin", 15) == 0);
    ck_assert_ptr_nonnull(find_bytes(xmp, k,
        "<dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">"
        "Code &lt;of&gt; Ethics &amp; &quot;More&quot;</rdf:li>"));
    ck_assert_ptr_nonnull(find_bytes(xmp, k,
        "<dc:language><rdf:Bag><rdf:li>de-CH</rdf:li>"));
    ck_assert_ptr_nonnull(find_bytes(xmp, k,
        "<pdf:Keywords>pledge; layout test</pdf:Keywords>"));
    ck_assert_ptr_nonnull(find_bytes(xmp, k,
                                     "<xmp:CreatorTool>pledge 0.1.0<"));
    /* info's epoch, 1700000000, as in /CreationDate. */
    ck_assert_ptr_nonnull(find_bytes(xmp, k,
        "<xmp:CreateDate>2023-11-14T22:13:20Z</xmp:CreateDate>"));
    trailer_id(pdf, id);
    pledge_pdf_close(pdf);
    free(data);

    /* Another title: another ID.  No language: en-US. */
    mine.title = "Code of Ethics";
    mine.language = NULL;
    ck_assert_int_eq(pledge_pdf_write(&pages, fonts, &mine, &data, &len,
                                      &err), 0);
    ck_assert_int_eq(pledge_pdf_open(&pdf, data, len, &err), 0);
    trailer_id(pdf, id2);
    ck_assert(memcmp(id, id2, 16) != 0);
    ck_assert_str_eq((const char *)catalog_get(pdf, "Lang")->u.s.p,
                     "en-US");
    pledge_pdf_close(pdf);
    free(data);

    /* Other page content, same info: another ID. */
    add_text(&pages.pages[1], PLEDGE_STYLE_REGULAR, 10.5, 300, 100, "x");
    ck_assert_int_eq(pledge_pdf_write(&pages, fonts, &mine, &data, &len,
                                      &err), 0);
    ck_assert_int_eq(pledge_pdf_open(&pdf, data, len, &err), 0);
    trailer_id(pdf, id);
    ck_assert(memcmp(id, id2, 16) != 0);
    pledge_pdf_close(pdf);
    free(data);
    pledge_pages_clear(&pages);
}
END_TEST

/* Every stream is compressed by the writer itself (libdeflate, its
 * /Filter the name /FlateDecode), none left to libharu's zlib (which
 * writes /Filter [ /FlateDecode ]): the page contents, the font programs,
 * the fonts' CIDToGIDMaps and ToUnicode CMaps, the XMP, the object stream
 * and the cross-reference stream.  Each inflates. */
START_TEST(every_stream_compressed_by_the_writer)
{
    pledge_pages pages;
    unsigned char *pdf, *out = malloc(1 << 20);
    const unsigned char *p, *at, *dict;
    size_t len, nstreams = 0;

    ck_assert_ptr_nonnull(out);
    typical(&pages);
    pdf = write_pdf(&pages, &len);
    pledge_pages_clear(&pages);
    ck_assert_ptr_null(find_bytes(pdf, len, "/Filter["));
    ck_assert_ptr_null(find_bytes(pdf, len, "/Filter ["));
    for (p = pdf; (at = find_bytes(p, len - (size_t)(p - pdf),
                                   ">>stream\n")) != NULL;
         p = at + 1) {
        uLongf olen = 1 << 20;
        const unsigned char *data = at + 9;

        /* The dictionary: from its object's "obj\n<<". */
        for (dict = at; dict > p && memcmp(dict, "obj\n<<", 6) != 0; dict--)
            ;
        ck_assert_msg(find_bytes(dict, (size_t)(at - dict),
                                 "/Filter/FlateDecode") != NULL,
                      "stream %zu is not compressed by the writer",
                      nstreams);
        ck_assert_int_eq(uncompress(out, &olen, data,
                                    (uLong)(pdf + len - data)), Z_OK);
        nstreams++;
    }
    /* Two pages; four fonts with a program and two maps each; the XMP;
     * the object stream and the cross-reference stream. */
    ck_assert_uint_eq(nstreams, 2 + 3 * PLEDGE_STYLE_COUNT + 1 + 2);
    free(pdf);
    free(out);
}
END_TEST

/* The writer's HPDF_MemSet, HPDF_MemCpy and HPDF_StrLen, which libharu
 * calls in place of its own, keep their contracts: the bytes, and the end
 * of what was written returned; a copy forward onto an overlapping
 * buffer; a length cut at maxlen unless it is negative, 0 for NULL. */
START_TEST(libharu_memory_helpers)
{
    HPDF_BYTE buf[16] = "abcdefghijklmno";

    ck_assert_ptr_eq(HPDF_MemSet(buf + 1, 'x', 3), buf + 4);
    ck_assert_str_eq((const char *)buf, "axxxefghijklmno");
    ck_assert_ptr_eq(HPDF_MemSet(buf, 'y', 0), buf);
    ck_assert_ptr_eq(HPDF_MemCpy(buf, buf + 8, 4), buf + 4);
    ck_assert_str_eq((const char *)buf, "ijklefghijklmno");
    ck_assert_ptr_eq(HPDF_MemCpy(buf, buf + 2, 6), buf + 6);
    ck_assert_str_eq((const char *)buf, "klefghghijklmno");
    ck_assert_ptr_eq(HPDF_MemCpy(buf + 3, buf, 0), buf + 3);
    ck_assert_uint_eq(HPDF_StrLen("abcdef", -1), 6);
    ck_assert_uint_eq(HPDF_StrLen("abcdef", 4), 4);
    ck_assert_uint_eq(HPDF_StrLen("abc", 10), 3);
    ck_assert_uint_eq(HPDF_StrLen("abc", 0), 0);
    ck_assert_uint_eq(HPDF_StrLen(NULL, -1), 0);
}
END_TEST

START_TEST(errors)
{
    pledge_pages pages;
    pledge_page *pg;
    unsigned char *pdf = (unsigned char *)&pdf;
    size_t len = 7;
    pledge_err err;
    pledge_pdf_info bad_info = info;

    memset(&pages, 0, sizeof pages);
    pages.width = 612;
    pages.height = 792;
    ck_assert_int_eq(pledge_pdf_write(&pages, fonts, &info, &pdf, &len,
                                      &err), -1);
    ck_assert_msg(strstr(err.msg, "no pages") != NULL, "%s", err.msg);

    pg = pledge_pages_add(&pages);
    ck_assert_ptr_nonnull(pg);
    pg = pledge_pages_add(&pages);
    ck_assert_ptr_nonnull(pg);
    add_text(pg, PLEDGE_STYLE_BOLD, 10, 72, 72, "a\xe4\xb8\x80");
    ck_assert_int_eq(pledge_pdf_write(&pages, fonts, &info, &pdf, &len,
                                      &err), -1);
    ck_assert_msg(strstr(err.msg, "page 2") != NULL &&
                  strstr(err.msg, "U+4E00") != NULL &&
                  strstr(err.msg, "NotoSerif-Bold.ttf") != NULL,
                  "%s", err.msg);
    ck_assert_ptr_eq(pdf, (unsigned char *)&pdf);
    ck_assert_uint_eq(len, 7);
    pledge_pages_clear(&pages);
    ck_assert_uint_eq(pages.npages, 0);

    pg = pledge_pages_add(&pages);
    add_text(pg, PLEDGE_STYLE_REGULAR, 10, 72, 72, "tab\there");
    ck_assert_int_eq(pledge_pdf_write(&pages, fonts, &info, &pdf, &len,
                                      &err), -1);
    ck_assert_msg(strstr(err.msg, "U+0009") != NULL, "%s", err.msg);
    pledge_pages_clear(&pages);

    pg = pledge_pages_add(&pages);
    add_text(pg, PLEDGE_STYLE_REGULAR, 10, 72, 72, "fine");
    bad_info.title = "Caf\xe9";                  /* Latin-1, not UTF-8 */
    ck_assert_int_eq(pledge_pdf_write(&pages, fonts, &bad_info, &pdf, &len,
                                      &err), -1);
    ck_assert_msg(strstr(err.msg, "document info") != NULL, "%s", err.msg);
    ck_assert_ptr_eq(pdf, (unsigned char *)&pdf);
    pledge_pages_clear(&pages);
}
END_TEST

START_TEST(pages_own_their_text)
{
    pledge_pages pages;
    pledge_page *pg;
    char text[] = "hello world";
    int i;

    memset(&pages, 0, sizeof pages);
    for (i = 0; i < 40; i++) {
        pg = pledge_pages_add(&pages);
        ck_assert_ptr_nonnull(pg);
        ck_assert_int_eq(pledge_page_text(pg, PLEDGE_STYLE_ITALIC, 9, i, 2,
                                          text, 5), 0);
        ck_assert_int_eq(pledge_page_rule(pg, 0, 1, 2, 3, 0.5, 0.25), 0);
        ck_assert_int_eq(pledge_page_box(pg, 1, 2, 3, 4, 0, -1), 0);
    }
    text[0] = 'j';
    ck_assert_uint_eq(pages.npages, 40);
    ck_assert_str_eq(pages.pages[39].texts[0].text, "hello");
    ck_assert_double_eq(pages.pages[39].texts[0].x, 39);
    ck_assert_int_eq(pages.pages[0].texts[0].style, PLEDGE_STYLE_ITALIC);
    ck_assert_double_eq(pages.pages[7].rules[0].gray, 0.25);
    ck_assert_double_eq(pages.pages[7].boxes[0].fill_gray, -1);
    pledge_page_clear(&pages.pages[3]);
    ck_assert_uint_eq(pages.pages[3].ntexts, 0);
    ck_assert_ptr_null(pages.pages[3].texts);
    ck_assert_int_eq(pledge_page_text(&pages.pages[3], PLEDGE_STYLE_BOLD, 9,
                                      0, 0, "again", 5), 0);
    ck_assert_str_eq(pages.pages[3].texts[0].text, "again");
    pledge_pages_clear(&pages);
    ck_assert_ptr_null(pages.pages);
}
END_TEST

/* More than 255 distinct characters, so the writer's two-byte codes cross
 * from one high byte to the next (01FF, 0201, ...) and the ToUnicode CMap
 * must split its ranges there; every line must come back from pdftotext
 * exactly. */
START_TEST(many_characters_extract)
{
    static const uint32_t ranges[][2] = {
        { 0x00a1, 0x024f }, { 0x0391, 0x03c9 }, { 0x0410, 0x044f }
    };
    pledge_pages pages;
    pledge_page *pg;
    unsigned char *pdf;
    char line[256], *out;
    size_t len, n = 0, r, nlines = 0, distinct = 0;
    uint32_t cp;
    FILE *want;
    double y = 760;

    memset(&pages, 0, sizeof pages);
    pages.width = 612;
    pages.height = 792;
    pg = pledge_pages_add(&pages);
    ck_assert_ptr_nonnull(pg);
    want = fopen(in_dir("lines.txt"), "w");
    ck_assert_ptr_nonnull(want);
    for (r = 0; r < sizeof ranges / sizeof ranges[0]; r++) {
        for (cp = ranges[r][0]; cp <= ranges[r][1]; cp++) {
            char u[8];
            size_t k;
            uint32_t *cps;
            size_t ncps;
            pledge_err err;

            if (cp == 0xad)             /* soft hyphen: not shown */
                continue;
            k = pledge_utf8_encode(cp, u);
            if (pledge_font_codepoints(fonts[0], u, k, &cps, &ncps,
                                       &err) != 0)
                continue;               /* not in the font */
            free(cps);
            memcpy(line + n, u, k);
            n += k;
            distinct++;
            if (n > 60 || (cp == ranges[r][1] &&
                           r + 1 == sizeof ranges / sizeof ranges[0])) {
                line[n] = '\0';
                add_text(pg, PLEDGE_STYLE_REGULAR, 9, 40, y, line);
                fprintf(want, "%s\n", line);
                y -= 12;
                n = 0;
                nlines++;
            }
        }
    }
    ck_assert_int_eq(fclose(want), 0);
    ck_assert_uint_gt(distinct, 300);
    pdf = write_pdf(&pages, &len);
    write_file(in_dir("doc.pdf"), pdf, len);
    free(pdf);
    pledge_pages_clear(&pages);

    ck_assert_int_eq(run("qpdf --check %s >/dev/null 2>&1",
                         in_dir("doc.pdf")), 0);
    ck_assert_int_eq(run("pdftotext -raw -enc UTF-8 %s %s",
                         in_dir("doc.pdf"), in_dir("out.txt")), 0);
    out = read_file(in_dir("out.txt"), NULL);
    want = fopen(in_dir("lines.txt"), "r");
    ck_assert_ptr_nonnull(want);
    while (fgets(line, sizeof line, want) != NULL) {
        line[strcspn(line, "\n")] = '\0';
        ck_assert_msg(strstr(out, line) != NULL, "lost: %s", line);
        nlines--;
    }
    ck_assert_uint_eq(nlines, 0);
    fclose(want);
    free(out);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("pdfwrite");
    TCase *tc = tcase_create("pdfwrite");

    tcase_add_unchecked_fixture(tc, make_dir, remove_dir);
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, nested_composites_render);
    tcase_add_test(tc, subset_flattens_but_keeps_outlines);
    tcase_add_test(tc, reproducible);
    tcase_add_test(tc, valid_small_and_extractable);
    tcase_add_test(tc, described_for_readers_and_archives);
    tcase_add_test(tc, every_stream_compressed_by_the_writer);
    tcase_add_test(tc, libharu_memory_helpers);
    tcase_add_test(tc, errors);
    tcase_add_test(tc, pages_own_their_text);
    tcase_add_test(tc, many_characters_extract);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
