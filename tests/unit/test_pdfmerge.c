/* test_pdfmerge.c - print files merged from real pledges, checked by
 * outside tools (qpdf, pdfinfo, pdftotext) and by pledge's own reader.
 *
 * The pledges are rendered once in main() through the public API (five
 * layouts, letter and A4, some signed) and written to a temporary
 * directory, so every expectation comes from the inputs themselves: a
 * merged page must show the same text at the same size as the page it
 * was copied from.  Small PDFs that pledge would not write (inherited
 * attributes, annotations, broken streams) are built here with their
 * offsets taken from the builder as it writes.
 */
#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "../../src/pdf/pdfmerge.h"
#include "../../src/pdf/pdfparse.h"
#include "../../src/pledge.h"
#include "../../src/util/file.h"
#include "run_suite.h"

#define SIGN_TIME 1795262400LL      /* 2026-11-21T12:00:00Z */
#define NPLEDGES 5
#define MAX_PAGES 4096

/* What a PDF shows, as poppler reads it: page sizes and texts. */
typedef struct {
    size_t n;
    double w[MAX_PAGES], h[MAX_PAGES];
    int rot[MAX_PAGES];
    char *text[MAX_PAGES];
} shown;

static const struct {
    const char *layout, *name;
    pledge_paper paper;
    int signed_;
} specs[NPLEDGES] = {
    {"vaimh-values", "Esther Eze", PLEDGE_PAPER_A4, 1},
    {"miaimh-code", "Bruno Brandt", PLEDGE_PAPER_DEFAULT, 0},
    {"nysaimh-code", "Chloe Chen", PLEDGE_PAPER_A4, 1},
    {"alliance-code", "Dmitri Dvorak", PLEDGE_PAPER_DEFAULT, 0},
    {"vaimh-code", "Ada Lovelace", PLEDGE_PAPER_DEFAULT, 1},
};

static char dir[64];
static unsigned char *pdfs[NPLEDGES];
static size_t lens[NPLEDGES];
static shown *inputs[NPLEDGES];

/* ---- running the tools ------------------------------------------------ */

/* The standard output of cmd, which must exit 0.  The caller frees the
 * result with free(). */
static char *run(const char *cmd)
{
    FILE *p = popen(cmd, "r");
    char *out = NULL;
    size_t len = 0, cap = 0, n;

    ck_assert_msg(p != NULL, "popen %s", cmd);
    do {
        if (len + 4096 + 1 > cap) {
            cap = (len + 4096 + 1) * 2;
            out = realloc(out, cap);
            ck_assert_ptr_nonnull(out);
        }
        n = fread(out + len, 1, 4096, p);
        len += n;
    } while (n > 0);
    out[len] = '\0';
    ck_assert_msg(pclose(p) == 0, "%s failed", cmd);
    return out;
}

static void qpdf_check(const char *path)
{
    char cmd[256];

    snprintf(cmd, sizeof cmd, "qpdf --check '%s' >/dev/null 2>&1", path);
    ck_assert_msg(system(cmd) == 0, "qpdf --check %s fails", path);
}

/* Reads page sizes, rotations and texts of the PDF at path. */
static shown *show(const char *path)
{
    shown *s = calloc(1, sizeof *s);
    char cmd[256], *info, *text, *line, *p;
    size_t i;

    ck_assert_ptr_nonnull(s);
    snprintf(cmd, sizeof cmd, "pdfinfo -f 1 -l %d '%s'", MAX_PAGES, path);
    info = run(cmd);
    line = strstr(info, "\nPages:");
    ck_assert_ptr_nonnull(line);
    s->n = strtoul(line + 7, NULL, 10);
    ck_assert(s->n > 0 && s->n <= MAX_PAGES);
    for (line = info; (line = strstr(line, "\nPage ")) != NULL; line++) {
        unsigned page;
        double w, h;
        int rot;

        if (sscanf(line, "\nPage %u size: %lf x %lf", &page, &w, &h) == 3) {
            ck_assert(page >= 1 && page <= s->n);
            s->w[page - 1] = w;
            s->h[page - 1] = h;
        } else if (sscanf(line, "\nPage %u rot: %d", &page, &rot) == 2) {
            ck_assert(page >= 1 && page <= s->n);
            s->rot[page - 1] = rot;
        }
    }
    free(info);
    snprintf(cmd, sizeof cmd, "pdftotext -enc UTF-8 '%s' -", path);
    text = run(cmd);
    /* pdftotext ends every page with a form feed. */
    for (i = 0, line = text; i < s->n; i++) {
        p = strchr(line, '\f');
        ck_assert_msg(p != NULL, "%s: text of page %zu missing", path, i + 1);
        *p = '\0';
        s->text[i] = strdup(line);
        ck_assert_ptr_nonnull(s->text[i]);
        line = p + 1;
    }
    free(text);
    return s;
}

static void shown_free(shown *s)
{
    size_t i;

    for (i = 0; i < s->n; i++)
        free(s->text[i]);
    free(s);
}

static int blank_text(const char *s)
{
    for (; *s != '\0'; s++)
        if (*s != ' ' && *s != '\n')
            return 0;
    return 1;
}

/* ---- merging ---------------------------------------------------------- */

static void path_of(char *path, size_t size, const char *name)
{
    snprintf(path, size, "%s/%s", dir, name);
}

/* Merges the fixtures order[0..n) into dir/name. */
static void merge(const char *name, int duplex, const int *order, size_t n,
                  size_t *pages)
{
    char path[128];
    pledge_merge *m;
    pledge_err err;
    FILE *f;
    size_t i;

    path_of(path, sizeof path, name);
    f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    ck_assert_msg(pledge_merge_begin(&m, f, duplex, &err) == 0, "%s",
                  err.msg);
    for (i = 0; i < n; i++)
        ck_assert_msg(pledge_merge_add(m, pdfs[order[i]], lens[order[i]],
                                       &err) == 0, "add %zu: %s", i,
                      err.msg);
    if (pages != NULL)
        *pages = pledge_merge_page_count(m);
    ck_assert_msg(pledge_merge_finish(m, &err) == 0, "%s", err.msg);
    pledge_merge_free(m);
    ck_assert_int_eq(fclose(f), 0);
}

/* Checks that page `page` of out shows what page `k` of input i does. */
static void same_page(const shown *out, size_t page, int i, size_t k)
{
    const shown *in = inputs[i];

    ck_assert_msg(out->w[page] == in->w[k] && out->h[page] == in->h[k],
                  "page %zu is %gx%g, page %zu of %s is %gx%g", page + 1,
                  out->w[page], out->h[page], k + 1, specs[i].name,
                  in->w[k], in->h[k]);
    ck_assert_msg(strcmp(out->text[page], in->text[k]) == 0,
                  "page %zu does not show page %zu of %s", page + 1, k + 1,
                  specs[i].name);
}

/* The fixtures differ where the merge could go wrong, or they would prove
 * nothing: page counts odd and even, two paper sizes. */
START_TEST(test_fixtures_vary)
{
    int odd = 0, even = 0, a4 = 0, letter = 0, i;

    for (i = 0; i < NPLEDGES; i++) {
        odd += inputs[i]->n % 2 == 1;
        even += inputs[i]->n % 2 == 0;
        a4 += inputs[i]->w[0] < 600;
        letter += inputs[i]->w[0] >= 600;
        ck_assert_msg(strstr(inputs[i]->text[0], specs[i].name) != NULL,
                      "%s: name not on page 1", specs[i].name);
    }
    ck_assert(odd > 0 && even > 0 && a4 > 0 && letter > 0);
}
END_TEST

START_TEST(test_simplex)
{
    static const int order[] = {0, 1, 2, 3, 4};
    char path[128];
    shown *out;
    size_t pages, page = 0, k, total = 0;
    int i;

    merge("simplex.pdf", 0, order, NPLEDGES, &pages);
    path_of(path, sizeof path, "simplex.pdf");
    qpdf_check(path);
    out = show(path);
    for (i = 0; i < NPLEDGES; i++)
        total += inputs[i]->n;
    ck_assert_uint_eq(out->n, total);
    ck_assert_uint_eq(pages, total);
    for (i = 0; i < NPLEDGES; i++) {
        ck_assert_msg(strstr(out->text[page], specs[i].name) != NULL,
                      "%s does not start on page %zu", specs[i].name,
                      page + 1);
        for (k = 0; k < inputs[i]->n; k++)
            same_page(out, page++, i, k);
    }
    shown_free(out);
}
END_TEST

/* Another order, so that the order of the roster is what counts. */
START_TEST(test_roster_order)
{
    static const int order[] = {4, 2, 0, 3, 1};
    char path[128];
    shown *out;
    size_t page = 0, k, i;

    merge("order.pdf", 0, order, NPLEDGES, NULL);
    path_of(path, sizeof path, "order.pdf");
    out = show(path);
    for (i = 0; i < NPLEDGES; i++)
        for (k = 0; k < inputs[order[i]]->n; k++)
            same_page(out, page++, order[i], k);
    ck_assert_uint_eq(out->n, page);
    shown_free(out);
}
END_TEST

START_TEST(test_duplex)
{
    static const int order[] = {0, 1, 2, 3, 4, 0};
    const size_t n = sizeof order / sizeof order[0];
    char path[128];
    shown *out;
    size_t page = 0, k, i, blanks = 0;

    merge("duplex.pdf", 1, order, n, NULL);
    path_of(path, sizeof path, "duplex.pdf");
    qpdf_check(path);
    out = show(path);
    for (i = 0; i < n; i++) {
        const shown *in = inputs[order[i]];

        ck_assert_msg(page % 2 == 0, "%s starts on page %zu",
                      specs[order[i]].name, page + 1);
        ck_assert(strstr(out->text[page], specs[order[i]].name) != NULL);
        for (k = 0; k < in->n; k++)
            same_page(out, page++, order[i], k);
        if (in->n % 2 == 1 && i + 1 < n) {
            /* A blank of the size of the page before it. */
            ck_assert_msg(blank_text(out->text[page]), "page %zu is not "
                          "blank", page + 1);
            ck_assert(out->w[page] == in->w[in->n - 1] &&
                      out->h[page] == in->h[in->n - 1]);
            page++;
            blanks++;
        }
    }
    ck_assert_uint_eq(out->n, page);
    /* The fixtures are chosen so that some blanks are needed. */
    ck_assert_uint_gt(blanks, 0);
    shown_free(out);
}
END_TEST

/* The print file read back with pledge's own strict reader: a two-level
 * page tree whose every /Parent is right, and nothing of the signature,
 * the forms or the inputs' documents left. */
START_TEST(test_structure)
{
    static const int order[] = {0, 2, 4, 1};
    char path[128], *data;
    size_t len, pages, i, k, seen = 0;
    pledge_pdf *pdf;
    pledge_err err;
    const pledge_pdf_obj *root, *cat, *tree, *kids, *group, *gkids, *page;
    const pledge_pdf_obj *info, *v;
    unsigned num;

    merge("structure.pdf", 0, order, 4, &pages);
    path_of(path, sizeof path, "structure.pdf");
    ck_assert(pledge_file_read(path, 1 << 26, &data, &len, &err) == 0);
    ck_assert(len > 15 && memcmp(data, "%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", 15)
              == 0);
    ck_assert_msg(pledge_pdf_open(&pdf, (unsigned char *)data, len, &err)
                  == 0, "%s", err.msg);
    ck_assert_uint_eq(pledge_pdf_nsections(pdf), 1);
    root = pledge_pdf_dict_get(pledge_pdf_trailer(pdf), "Root");
    ck_assert(pledge_pdf_resolve(pdf, root, &cat, &err) == 0);
    ck_assert(pledge_pdf_is_name(pledge_pdf_dict_get(cat, "Type"),
                                 "Catalog"));
    ck_assert_ptr_null(pledge_pdf_dict_get(cat, "AcroForm"));
    info = pledge_pdf_dict_get(pledge_pdf_trailer(pdf), "Info");
    ck_assert_ptr_nonnull(info);
    ck_assert(pledge_pdf_resolve(pdf, info, &info, &err) == 0);
    v = pledge_pdf_dict_get(info, "Producer");
    ck_assert(v != NULL && v->type == PLEDGE_PDF_STRING &&
              strncmp((const char *)v->u.s.p, "pledge", 6) == 0);

    tree = pledge_pdf_dict_get(cat, "Pages");
    ck_assert(tree != NULL && tree->type == PLEDGE_PDF_REF);
    ck_assert(pledge_pdf_resolve(pdf, tree, &v, &err) == 0);
    ck_assert_int_eq(pledge_pdf_dict_get(v, "Count")->u.i, (long long)pages);
    kids = pledge_pdf_dict_get(v, "Kids");
    for (i = 0; i < kids->u.arr.n; i++) {
        ck_assert(pledge_pdf_resolve(pdf, kids->u.arr.items[i], &group,
                                     &err) == 0);
        ck_assert(pledge_pdf_is_name(pledge_pdf_dict_get(group, "Type"),
                                     "Pages"));
        ck_assert_uint_eq(pledge_pdf_dict_get(group, "Parent")->u.ref.num,
                          tree->u.ref.num);
        gkids = pledge_pdf_dict_get(group, "Kids");
        ck_assert_int_eq(pledge_pdf_dict_get(group, "Count")->u.i,
                         (long long)gkids->u.arr.n);
        for (k = 0; k < gkids->u.arr.n; k++, seen++) {
            ck_assert(pledge_pdf_resolve(pdf, gkids->u.arr.items[k], &page,
                                         &err) == 0);
            ck_assert(pledge_pdf_is_name(pledge_pdf_dict_get(page, "Type"),
                                         "Page"));
            ck_assert_uint_eq(pledge_pdf_dict_get(page, "Parent")->u.ref.num,
                              kids->u.arr.items[i]->u.ref.num);
            ck_assert_ptr_nonnull(pledge_pdf_dict_get(page, "MediaBox"));
            ck_assert_ptr_nonnull(pledge_pdf_dict_get(page, "Resources"));
            ck_assert_ptr_null(pledge_pdf_dict_get(page, "Annots"));
        }
    }
    ck_assert_uint_eq(seen, pages);

    /* Every object is in use, and none is a signature or form field. */
    for (num = 1; num < pledge_pdf_size(pdf); num++) {
        ck_assert_msg(pledge_pdf_get(pdf, num, &v, &err) == 0, "%s",
                      err.msg);
        ck_assert(!pledge_pdf_is_name(pledge_pdf_dict_get(v, "Type"), "Sig"));
        ck_assert(!pledge_pdf_is_name(pledge_pdf_dict_get(v, "Type"),
                                      "Annot"));
        ck_assert_ptr_null(pledge_pdf_dict_get(v, "ByteRange"));
        ck_assert_ptr_null(pledge_pdf_dict_get(v, "PledgeInputs"));
    }
    pledge_pdf_close(pdf);
    free(data);
}
END_TEST

/* ---- small PDFs built here ------------------------------------------- */

typedef struct {
    char *p;
    size_t len, cap;
} buf;

static void bputf(buf *b, const char *fmt, ...)
{
    va_list ap;
    int n;

    for (;;) {
        va_start(ap, fmt);
        n = vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
        va_end(ap);
        ck_assert(n >= 0);
        if (b->len + (size_t)n < b->cap)
            break;
        b->cap = (b->len + (size_t)n + 1) * 2;
        b->p = realloc(b->p, b->cap);
        ck_assert_ptr_nonnull(b->p);
    }
    b->len += (size_t)n;
}

/* A PDF of objects 1..n (obj[0] is object 1; a NULL one is left free),
 * with object 1 as the catalog.  The caller frees *out with free(). */
static void build(const char *const *obj, size_t n, unsigned char **out,
                  size_t *len)
{
    buf b = {malloc(256), 0, 256};
    size_t off[64], i, xref;

    ck_assert(b.p != NULL && n < 64);
    bputf(&b, "%%PDF-1.4\n");
    for (i = 0; i < n; i++) {
        off[i] = b.len;
        if (obj[i] != NULL)
            bputf(&b, "%zu 0 obj\n%s\nendobj\n", i + 1, obj[i]);
    }
    xref = b.len;
    bputf(&b, "xref\n0 %zu\n0000000000 65535 f \n", n + 1);
    for (i = 0; i < n; i++)
        if (obj[i] != NULL)
            bputf(&b, "%010zu 00000 n \n", off[i]);
        else
            bputf(&b, "0000000000 00000 f \n");
    bputf(&b, "trailer\n<</Size %zu/Root 1 0 R>>\nstartxref\n%zu\n%%%%EOF\n",
          n + 1, xref);
    *out = (unsigned char *)b.p;
    *len = b.len;
}

/* The content stream every built PDF shares. */
static const char content[] = "/G#20s gs 0 0 m 100 100 l S";

/* A PDF whose pages inherit from two levels of page tree, share a
 * content stream with an indirect /Length, and carry a signature widget
 * in /Annots, like a hand-signed form would.  length_delta spoils the
 * stream's /Length. */
static void build_tree(int length_delta, unsigned char **out, size_t *len)
{
    char stream[256], length[32];
    const char *obj[10] = {
        "<</Type/Catalog/Pages 2 0 R/AcroForm<</Fields[6 0 R]>>>>",
        "<</Type/Pages/Kids[9 0 R 10 0 R]/Count 2/MediaBox[0 0 200 300]"
        "/Rotate 90/Resources 7 0 R>>",
        "<</Type/Page/Parent 9 0 R/Contents 4 0 R/Annots[6 0 R]>>",
        stream,
        length,
        "<</Type/Annot/Subtype/Widget/FT/Sig/Rect[0 0 0 0]/P 3 0 R>>",
        "<</ExtGState<</G#20s 8 0 R>>>>",
        "<</Type/ExtGState/CA 0.5/Note/a#20b#23c\vd>>",
        "<</Type/Pages/Parent 2 0 R/Kids[3 0 R]/Count 1"
        "/MediaBox[0 0 250.5 350]>>",
        "<</Type/Page/Parent 2 0 R/Contents 4 0 R>>",
    };

    snprintf(stream, sizeof stream, "<</Length 5 0 R>>\nstream\n%s\n"
             "endstream", content);
    snprintf(length, sizeof length, "%d",
             (int)strlen(content) + length_delta);
    build(obj, 10, out, len);
}

START_TEST(test_inherited)
{
    unsigned char *in;
    char path[128], *data;
    size_t inlen, len, copied = 0;
    pledge_merge *m;
    pledge_pdf *pdf;
    pledge_err err;
    FILE *f;
    shown *out;
    const pledge_pdf_obj *p1, *p2, *v, *c1, *c2, *res, *gs;
    unsigned num;

    build_tree(0, &in, &inlen);
    path_of(path, sizeof path, "inherited.pdf");
    f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    ck_assert(pledge_merge_begin(&m, f, 0, &err) == 0);
    ck_assert_msg(pledge_merge_add(m, in, inlen, &err) == 0, "%s", err.msg);
    ck_assert_msg(pledge_merge_finish(m, &err) == 0, "%s", err.msg);
    pledge_merge_free(m);
    ck_assert_int_eq(fclose(f), 0);
    qpdf_check(path);
    out = show(path);
    ck_assert_uint_eq(out->n, 2);
    /* The nearest ancestor's box wins; the rotation comes from the root. */
    ck_assert(out->w[0] == 250.5 && out->h[0] == 350 && out->rot[0] == 90);
    ck_assert(out->w[1] == 200 && out->h[1] == 300 && out->rot[1] == 90);
    shown_free(out);

    ck_assert(pledge_file_read(path, 1 << 20, &data, &len, &err) == 0);
    ck_assert(pledge_pdf_open(&pdf, (unsigned char *)data, len, &err) == 0);
    v = pledge_pdf_dict_get(pledge_pdf_trailer(pdf), "Root");
    ck_assert(pledge_pdf_resolve(pdf, v, &v, &err) == 0);
    v = pledge_pdf_dict_get(v, "Pages");
    ck_assert(pledge_pdf_resolve(pdf, v, &v, &err) == 0);
    v = pledge_pdf_dict_get(v, "Kids");
    ck_assert(pledge_pdf_resolve(pdf, v->u.arr.items[0], &v, &err) == 0);
    v = pledge_pdf_dict_get(v, "Kids");
    ck_assert_uint_eq(v->u.arr.n, 2);
    ck_assert(pledge_pdf_resolve(pdf, v->u.arr.items[0], &p1, &err) == 0);
    ck_assert(pledge_pdf_resolve(pdf, v->u.arr.items[1], &p2, &err) == 0);
    ck_assert_ptr_null(pledge_pdf_dict_get(p1, "Annots"));
    /* The shared stream is copied once, its /Length made direct. */
    c1 = pledge_pdf_dict_get(p1, "Contents");
    c2 = pledge_pdf_dict_get(p2, "Contents");
    ck_assert_uint_eq(c1->u.ref.num, c2->u.ref.num);
    ck_assert(pledge_pdf_resolve(pdf, c1, &v, &err) == 0);
    v = pledge_pdf_dict_get(v, "Length");
    ck_assert(v->type == PLEDGE_PDF_INT &&
              v->u.i == (long long)strlen(content));
    /* Inherited /Resources, renumbered; a key that needs #20 survives. */
    res = pledge_pdf_dict_get(p1, "Resources");
    ck_assert(res != NULL && res->type == PLEDGE_PDF_REF);
    ck_assert_uint_eq(pledge_pdf_dict_get(p2, "Resources")->u.ref.num,
                      res->u.ref.num);
    ck_assert(pledge_pdf_resolve(pdf, res, &res, &err) == 0);
    gs = pledge_pdf_dict_get(pledge_pdf_dict_get(res, "ExtGState"), "G s");
    ck_assert(gs != NULL && pledge_pdf_resolve(pdf, gs, &gs, &err) == 0);
    ck_assert(pledge_pdf_is_name(pledge_pdf_dict_get(gs, "Type"),
                                 "ExtGState"));
    /* A raw control byte, which the strict reader lets by in a name but
     * qpdf would not, goes out as #0B. */
    ck_assert(pledge_pdf_is_name(pledge_pdf_dict_get(gs, "Note"),
                                 "a b#c\vd"));
    /* Copied: two pages, the stream, resources, the graphics state; the
     * length object, the widget, the input's catalog and tree are not. */
    for (num = 1; num < pledge_pdf_size(pdf); num++) {
        ck_assert(pledge_pdf_get(pdf, num, &v, &err) == 0);
        ck_assert(!pledge_pdf_is_name(pledge_pdf_dict_get(v, "Type"),
                                      "Annot"));
        copied += v->type != PLEDGE_PDF_INT;
    }
    /* Plus the print file's root, one group, catalog and info. */
    ck_assert_uint_eq(copied, 5 + 4);
    pledge_pdf_close(pdf);
    free(data);
    free(in);
}
END_TEST

/* Inputs that cannot be read are refused with a reason, before anything
 * is written: the merge goes on as if they had not been added. */
START_TEST(test_refused)
{
    static const char garbage[] = "this is not a PDF at all";
    unsigned char *bad_len, *g, *loop, *missing, *half;
    size_t bad_len_n, loop_n, missing_n;
    char path[128];
    const char *obj_loop[3] = {
        "<</Type/Catalog/Pages 2 0 R>>",
        "<</Type/Pages/Kids[3 0 R]/Count 1>>",
        "<</Type/Pages/Kids[2 0 R]/Count 1>>",
    };
    const char *obj_missing[3] = {
        "<</Type/Catalog/Pages 2 0 R>>",
        "<</Type/Pages/Kids[3 0 R]/Count 1>>",
        "<</Type/Page/Parent 2 0 R/MediaBox[0 0 10 10]/Contents 7 0 R>>",
    };
    const char *obj_nobox[3] = {
        "<</Type/Catalog/Pages 2 0 R>>",
        "<</Type/Pages/Kids[3 0 R]/Count 1>>",
        "<</Type/Page/Parent 2 0 R>>",
    };
    unsigned char *nobox;
    size_t nobox_n;
    pledge_merge *m;
    pledge_err err;
    FILE *f;
    shown *out;
    size_t k;
    long size;

    build_tree(3, &bad_len, &bad_len_n);
    build(obj_loop, 3, &loop, &loop_n);
    build(obj_missing, 3, &missing, &missing_n);
    build(obj_nobox, 3, &nobox, &nobox_n);
    g = malloc(sizeof garbage - 1);
    memcpy(g, garbage, sizeof garbage - 1);
    half = malloc(lens[0] / 2);
    memcpy(half, pdfs[0], lens[0] / 2);

    path_of(path, sizeof path, "refused.pdf");
    f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    ck_assert(pledge_merge_begin(&m, f, 1, &err) == 0);
    /* Odd-paged first, so a blank is due before the next. */
    ck_assert(inputs[0]->n % 2 == 1);
    ck_assert(pledge_merge_add(m, pdfs[0], lens[0], &err) == 0);
    ck_assert(fflush(f) == 0 && (size = ftell(f)) > 0);

#define REFUSED(data, n, what) \
    do { \
        err.msg[0] = '\0'; \
        ck_assert_int_eq(pledge_merge_add(m, data, n, &err), -1); \
        ck_assert_msg(strstr(err.msg, what) != NULL, "\"%s\" lacks \"%s\"", \
                      err.msg, what); \
    } while (0)
    REFUSED(g, sizeof garbage - 1, "not a PDF");
    REFUSED(half, lens[0] / 2, "startxref");
    REFUSED(bad_len, bad_len_n, "endstream");
    REFUSED(loop, loop_n, "appears twice");
    REFUSED(missing, missing_n, "object 7");
    REFUSED(nobox, nobox_n, "MediaBox");
#undef REFUSED
    ck_assert(fflush(f) == 0 && ftell(f) == size);
    ck_assert_uint_eq(pledge_merge_page_count(m), inputs[0]->n);
    ck_assert(pledge_merge_add(m, pdfs[1], lens[1], &err) == 0);
    ck_assert(pledge_merge_finish(m, &err) == 0);
    pledge_merge_free(m);
    ck_assert_int_eq(fclose(f), 0);
    qpdf_check(path);
    out = show(path);
    ck_assert_uint_eq(out->n, inputs[0]->n + 1 + inputs[1]->n);
    for (k = 0; k < inputs[1]->n; k++)
        same_page(out, inputs[0]->n + 1 + k, 1, k);
    shown_free(out);
    free(bad_len);
    free(loop);
    free(missing);
    free(nobox);
    free(g);
    free(half);
}
END_TEST

START_TEST(test_no_pages)
{
    pledge_merge *m;
    pledge_err err;
    FILE *f = tmpfile();

    ck_assert_ptr_nonnull(f);
    ck_assert(pledge_merge_begin(&m, f, 0, &err) == 0);
    ck_assert_int_eq(pledge_merge_finish(m, &err), -1);
    ck_assert(strstr(err.msg, "no pages") != NULL);
    pledge_merge_free(m);
    fclose(f);
}
END_TEST

/* A full disk spoils the merge: the failing add says why, and every later
 * call fails the same way. */
START_TEST(test_write_error)
{
    pledge_merge *m;
    pledge_err err;
    FILE *f = fopen("/dev/full", "wb");

    ck_assert_ptr_nonnull(f);
    /* The first add is larger than the stream's buffer: it must write. */
    ck_assert(setvbuf(f, NULL, _IOFBF, 4096) == 0 && lens[0] > 4096);
    ck_assert(pledge_merge_begin(&m, f, 0, &err) == 0);
    ck_assert_int_eq(pledge_merge_add(m, pdfs[0], lens[0], &err), -1);
    ck_assert_msg(strstr(err.msg, "write the print file") != NULL, "%s",
                  err.msg);
    err.msg[0] = '\0';
    ck_assert_int_eq(pledge_merge_add(m, pdfs[1], lens[1], &err), -1);
    ck_assert(strstr(err.msg, "write the print file") != NULL);
    ck_assert_int_eq(pledge_merge_finish(m, &err), -1);
    pledge_merge_free(m);
    fclose(f);
}
END_TEST

static long max_rss_kb(void)
{
    struct rusage ru;

    ck_assert(getrusage(RUSAGE_SELF, &ru) == 0);
    return ru.ru_maxrss;
}

/* A roster of 200: the output stays valid, and memory grows by the
 * bookkeeping only (a few bytes per page and object), not by anything
 * the size of a pledge.  AddressSanitizer keeps freed memory in
 * quarantine, so peak memory is only meaningful without it. */
START_TEST(test_many)
{
    const size_t n = 200, warm = 20;
    char path[128], cmd[256], *info;
    pledge_merge *m;
    pledge_err err;
    FILE *f;
    size_t i;
    long before = 0, after;

    path_of(path, sizeof path, "many.pdf");
    f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    ck_assert(pledge_merge_begin(&m, f, 1, &err) == 0);
    for (i = 0; i < n; i++) {
        if (i == warm)
            before = max_rss_kb();
        ck_assert_msg(pledge_merge_add(m, pdfs[0], lens[0], &err) == 0,
                      "add %zu: %s", i, err.msg);
    }
    after = max_rss_kb();
    ck_assert(pledge_merge_finish(m, &err) == 0);
    pledge_merge_free(m);
    ck_assert_int_eq(fclose(f), 0);
#ifndef __SANITIZE_ADDRESS__
    /* 180 leaked inputs would be 180 x lens[0] and more. */
    ck_assert_msg((size_t)(after - before) * 1024 < (n - warm) * lens[0] / 8,
                  "peak memory grew %ld KB over %zu pledges", after - before,
                  n - warm);
#else
    (void)before;
    (void)after;
#endif
    qpdf_check(path);
    snprintf(cmd, sizeof cmd, "pdfinfo '%s'", path);
    info = run(cmd);
    ck_assert(strstr(info, "\nPages:") != NULL);
    ck_assert_uint_eq(strtoul(strstr(info, "\nPages:") + 7, NULL, 10),
                      n * (inputs[0]->n + inputs[0]->n % 2) -
                      inputs[0]->n % 2);
    free(info);
}
END_TEST

/* Reads what the inputs show once, before the tests fork, where Check
 * reports a failed assertion as an error of the suite. */
static void read_inputs(void)
{
    char path[128];
    int i;

    for (i = 0; i < NPLEDGES; i++) {
        snprintf(path, sizeof path, "%s/in%d.pdf", dir, i);
        inputs[i] = show(path);
    }
}

static void free_inputs(void)
{
    int i;

    for (i = 0; i < NPLEDGES; i++)
        if (inputs[i] != NULL)
            shown_free(inputs[i]);
}

static Suite *suite(void)
{
    Suite *s = suite_create("pdfmerge");
    TCase *tc = tcase_create("core");

    tcase_add_unchecked_fixture(tc, read_inputs, free_inputs);
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, test_fixtures_vary);
    tcase_add_test(tc, test_simplex);
    tcase_add_test(tc, test_roster_order);
    tcase_add_test(tc, test_duplex);
    tcase_add_test(tc, test_structure);
    tcase_add_test(tc, test_inherited);
    tcase_add_test(tc, test_refused);
    tcase_add_test(tc, test_no_pages);
    tcase_add_test(tc, test_write_error);
    tcase_add_test(tc, test_many);
    suite_add_tcase(s, tc);
    return s;
}

/* Renders the fixtures and writes each where poppler can read it. */
static int setup(void)
{
    pledge_engine *eng;
    pledge_layout *lay;
    pledge_seckey *key;
    pledge_pubkey pk;
    pledge_err err;
    char path[128], name[128];
    int i;

    if (pledge_engine_open(&eng, PLEDGE_SRCDIR, &err) < 0 ||
        pledge_key_generate(&key, &pk, &err) < 0) {
        fprintf(stderr, "test_pdfmerge: set up: %s\n", err.msg);
        return -1;
    }
    for (i = 0; i < NPLEDGES; i++) {
        pledge_person person = {specs[i].name, "IMH-E", "12345",
                                "2026-11-21"};
        pledge_signing s = {key, "Test Association", SIGN_TIME, 0};
        pledge_render_opts o = {specs[i].paper, SIGN_TIME,
                                specs[i].signed_ ? &s : NULL};

        snprintf(path, sizeof path, "%s/layouts/%s.md", PLEDGE_SRCDIR,
                 specs[i].layout);
        if (pledge_layout_load(&lay, path, &err) < 0 ||
            pledge_render_pdf(eng, lay, &person, &o, &pdfs[i], &lens[i],
                              &err) < 0) {
            fprintf(stderr, "test_pdfmerge: %s: %s\n", specs[i].layout,
                    err.msg);
            return -1;
        }
        pledge_layout_free(lay);
        snprintf(name, sizeof name, "%s/in%d.pdf", dir, i);
        if (pledge_file_write(name, pdfs[i], lens[i], 0644, 1, &err) < 0) {
            fprintf(stderr, "test_pdfmerge: write %s: %s\n", name, err.msg);
            return -1;
        }
    }
    pledge_seckey_free(key);
    pledge_engine_close(eng);
    return 0;
}

int main(void)
{
    char cmd[160];
    int rc, i;

    strcpy(dir, "/tmp/pledge-test-pdfmerge-XXXXXX");
    if (mkdtemp(dir) == NULL || setup() < 0)
        return EXIT_FAILURE;
    rc = run_suite(suite());
    for (i = 0; i < NPLEDGES; i++)
        free(pdfs[i]);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        rc = EXIT_FAILURE;
    return rc;
}
