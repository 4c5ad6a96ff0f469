/* test_tagged.c - the machine-checkable conditions of PDF/UA-1 (those of
 * the Matterhorn Protocol that apply to a pledge), checked over the
 * parsed file of every bundled layout, unsigned and signed:
 *
 *   - the catalog: /MarkInfo <</Marked true>>, a /Lang, DisplayDocTitle,
 *     a structure tree; XMP with dc:title and pdfuaid:part 1;
 *   - every text-showing and path-painting operator of every page inside
 *     a marked-content sequence that is tagged (an MCID) or an artifact,
 *     and no MCID twice on a page;
 *   - the parent tree: each page's /StructParents entry names, for each
 *     MCID, the element whose /K holds it;
 *   - the structure tree: standard types only (there is no role map),
 *     each /P the element it hangs from, each /Pg a page of the document,
 *     every MCID of the content reached exactly once, headings starting
 *     at H1 and never skipping a level; the signed pledge's Form element
 *     points at its signature widget, which has a /TU and a
 *     /StructParent that the parent tree maps to that element; the
 *     seal's QR code a Figure with an /Alt and a /BBox;
 *   - every font embedded (a FontFile2), with a ToUnicode CMap that maps
 *     every code the pages show.
 */
#include <check.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "../../src/pledge.h"
#include "../../src/pdf/pdfparse.h"
#include "../../src/render/engine.h"
#include "../../src/render/render.h"
#include "../../src/sign/claim.h"
#include "../../src/sign/key.h"
#include "../../src/sign/seal.h"
#include "../../src/sign/sign.h"
#include "packed.h"
#include "run_suite.h"

#define SIGN_TIME 1795262400LL      /* 2026-11-21T12:00:00Z */
#define LAYOUTS PLEDGE_SRCDIR "/layouts"
#define MAX_PAGES 16
#define MAX_MCID 1024

static const char *const layouts[] = {
    "alliance-code", "miaimh-code", "nysaimh-code", "vaimh-code",
    "vaimh-values"
};

static const char *const standard_types[] = {
    "Document", "Part", "Art", "Sect", "Div", "BlockQuote", "Caption",
    "TOC", "TOCI", "Index", "NonStruct", "Private", "H", "H1", "H2", "H3",
    "H4", "H5", "H6", "P", "L", "LI", "Lbl", "LBody", "Table", "TR", "TH",
    "TD", "THead", "TBody", "TFoot", "Span", "Quote", "Note", "Reference",
    "BibEntry", "Code", "Link", "Annot", "Ruby", "Warichu", "Figure",
    "Formula", "Form"
};

static pledge_engine *eng;
static pledge_seckey *key;
static char key_id[17];

/* What the check learns of one document. */
typedef struct {
    pledge_pdf *pdf;
    const unsigned char *data;
    size_t len;
    size_t npages;
    unsigned page_num[MAX_PAGES];
    long struct_parents[MAX_PAGES];
    unsigned char mcid_used[MAX_PAGES][MAX_MCID];  /* in the content */
    unsigned char mcid_seen[MAX_PAGES][MAX_MCID];  /* from the tree */
    int last_heading;
    int has_form, has_figure, is_signed;
    const char *what;
    void *owned[64];            /* freed when the check ends */
    size_t nowned;
    pledge_pdf_obj *ops[8];     /* a content operator's operands */
    size_t nops;
    jmp_buf fail;
    char msg[512];
} doc;

/* Ends the check of d with a message naming what failed. */
static void fail_at(doc *d, const char *fmt, ...)
{
    va_list ap;
    int n = snprintf(d->msg, sizeof d->msg, "%s: ", d->what);

    va_start(ap, fmt);
    vsnprintf(d->msg + n, sizeof d->msg - (size_t)n, fmt, ap);
    va_end(ap);
    longjmp(d->fail, 1);
}

#define REQUIRE(cond, ...) \
    do { if (!(cond)) fail_at(d, __VA_ARGS__); } while (0)
#define CHECK(cond) REQUIRE(cond, "%s", #cond)

/* Keeps p until the check ends; returns it. */
static void *own(doc *d, void *p)
{
    if (p == NULL || d->nowned == sizeof d->owned / sizeof *d->owned)
        fail_at(d, "out of memory");
    return d->owned[d->nowned++] = p;
}

/* Frees p, the buffer last kept. */
static void release(doc *d, void *p)
{
    if (d->nowned > 0 && d->owned[d->nowned - 1] == p) {
        free(p);
        d->nowned--;
    }
}

/* Frees the operands gathered so far. */
static void drop_ops(doc *d)
{
    while (d->nops > 0)
        pledge_pdf_obj_free(d->ops[--d->nops]);
}

static const pledge_pdf_obj *get(doc *d, const pledge_pdf_obj *o)
{
    const pledge_pdf_obj *r = NULL;
    pledge_err err;

    if (o == NULL)
        return NULL;
    REQUIRE(pledge_pdf_resolve(d->pdf, o, &r, &err) == 0, "%s",
                  err.msg);
    return r;
}

static const pledge_pdf_obj *key_of(doc *d, const pledge_pdf_obj *dict,
                                    const char *k)
{
    return get(d, pledge_pdf_dict_get(dict, k));
}

/* The decoded data of stream object num.  The caller frees *out. */
static void stream_of(doc *d, unsigned num, unsigned char **out,
                      size_t *outlen)
{
    const pledge_pdf_obj *o, *len, *filter;
    pledge_err err;
    size_t at, n, cap;
    unsigned char *buf;
    z_stream z;
    int rc;

    REQUIRE(pledge_pdf_get(d->pdf, num, &o, &err) == 0, "%s",
                  err.msg);
    ck_assert_int_eq(o->type, PLEDGE_PDF_DICT);
    len = key_of(d, o, "Length");
    CHECK(len != NULL && len->type == PLEDGE_PDF_INT);
    at = o->end;
    while (at < d->len && strchr(" \r\n", d->data[at]) != NULL)
        at++;
    CHECK(at + 6 < d->len && memcmp(d->data + at, "stream", 6) == 0);
    at += 6;
    at += d->data[at] == '\r' ? 2 : 1;
    n = (size_t)len->u.i;
    CHECK(at + n <= d->len);
    filter = key_of(d, o, "Filter");
    if (filter != NULL && filter->type == PLEDGE_PDF_ARRAY)
        filter = filter->u.arr.n == 1 ? get(d, filter->u.arr.items[0]) : NULL;
    if (filter == NULL) {
        *out = own(d, malloc(n + 1));
        memcpy(*out, d->data + at, n);
        *outlen = n;
        return;
    }
    CHECK(pledge_pdf_is_name(filter, "FlateDecode"));
    cap = 64 * n + 65536;
    buf = own(d, malloc(cap + 1));
    memset(&z, 0, sizeof z);
    CHECK(inflateInit(&z) == Z_OK);
    z.next_in = (unsigned char *)d->data + at;
    z.avail_in = (uInt)n;
    do {
        if (z.total_out == cap) {
            inflateEnd(&z);
            fail_at(d, "stream %u inflates to more than %zu bytes", num,
                    cap);
        }
        z.next_out = buf + z.total_out;
        z.avail_out = (uInt)(cap - z.total_out);
        rc = inflate(&z, Z_NO_FLUSH);
    } while (rc == Z_OK);
    *outlen = z.total_out;
    inflateEnd(&z);
    REQUIRE(rc == Z_STREAM_END, "stream %u does not inflate", num);
    buf[*outlen] = '\0';
    *out = buf;
}

/* Marks in covered[] every code a ToUnicode CMap maps. */
static void cmap_codes(doc *d, const unsigned char *p, size_t n,
                       unsigned char *covered)
{
    const char *s = (const char *)p, *end = s + n, *at;
    unsigned a, b, u;

    for (at = s; at < end && (at = strstr(at, "beginbf")) != NULL; at++) {
        int range = strncmp(at, "beginbfrange", 12) == 0;
        const char *stop = strstr(at, range ? "endbfrange" : "endbfchar");
        const char *q = strchr(at, '\n');

        CHECK(stop != NULL && q != NULL);
        while (q != NULL && q < stop) {
            q++;
            if (range && sscanf(q, "<%x> <%x> <%x>", &a, &b, &u) == 3) {
                for (; a <= b && a < 0x10000; a++)
                    covered[a] = 1;
            } else if (!range && sscanf(q, "<%x> <%x>", &a, &u) == 2) {
                covered[a & 0xffff] = 1;
            }
            q = strchr(q, '\n');
        }
    }
}

/* A font of a page's resources: embedded, with a ToUnicode CMap; fills
 * covered[] with the codes it maps. */
static void check_font(doc *d, const pledge_pdf_obj *font,
                       unsigned char *covered)
{
    const pledge_pdf_obj *tu, *desc, *fd, *ff;
    unsigned char *cmap;
    size_t n;

    CHECK(font != NULL && font->type == PLEDGE_PDF_DICT);
    tu = pledge_pdf_dict_get(font, "ToUnicode");
    REQUIRE(tu != NULL && tu->type == PLEDGE_PDF_REF,
                  "a font has no ToUnicode");
    desc = key_of(d, font, "DescendantFonts");
    CHECK(desc != NULL && desc->type == PLEDGE_PDF_ARRAY &&
              desc->u.arr.n == 1);
    fd = key_of(d, get(d, desc->u.arr.items[0]), "FontDescriptor");
    ff = fd != NULL ? pledge_pdf_dict_get(fd, "FontFile2") : NULL;
    REQUIRE(ff != NULL && ff->type == PLEDGE_PDF_REF,
                  "a font is not embedded");
    stream_of(d, tu->u.ref.num, &cmap, &n);
    memset(covered, 0, 0x10000);
    cmap_codes(d, cmap, n, covered);
    release(d, cmap);
}

/* One marked-content level: its MCID (or -1), whether an artifact. */
typedef struct {
    int mcid, artifact;
} mclevel;

/* Whether the innermost levels make the content marked. */
static int marked(const mclevel *st, int depth)
{
    int i;

    for (i = 0; i < depth; i++)
        if (st[i].mcid >= 0 || st[i].artifact)
            return 1;
    return 0;
}

/* Walks page k's content: marked content, MCIDs, codes shown. */
static void check_content(doc *d, size_t k, const pledge_pdf_obj *page)
{
    const pledge_pdf_obj *contents = pledge_pdf_dict_get(page, "Contents");
    const pledge_pdf_obj *fonts = key_of(d, key_of(d, page, "Resources"),
                                         "Font");
    pledge_pdf_obj **ops = d->ops;
    unsigned char *p, *covered = own(d, malloc(0x10000));
    size_t n, pos = 0, j;
    mclevel st[16];
    int depth = 0, shows = 0;
    pledge_err err;

    CHECK(contents != NULL && contents->type == PLEDGE_PDF_REF);
    CHECK(fonts != NULL);
    memset(covered, 0, 0x10000);
    stream_of(d, contents->u.ref.num, &p, &n);
    while (pos < n) {
        pledge_pdf_obj *v;
        size_t end, w;

        while (pos < n && strchr(" \r\n\t", p[pos]) != NULL)
            pos++;
        if (pos >= n)
            break;
        if (pledge_pdf_parse_value(p, n, pos, &v, &end, &err) == 0) {
            if (d->nops == 8)
                pledge_pdf_obj_free(v);
            CHECK(d->nops < 8);
            ops[d->nops++] = v;
            pos = end;
            continue;
        }
        for (w = pos; w < n && strchr(" \r\n\t/<([", p[w]) == NULL; w++)
            ;
        REQUIRE(w > pos, "page %zu: bad content at %zu", k + 1, pos);
#define OP(s) (w - pos == strlen(s) && memcmp(p + pos, s, w - pos) == 0)
        if (OP("BDC") || OP("BMC")) {
            CHECK(depth < 16 && d->nops >= 1 &&
                      ops[0]->type == PLEDGE_PDF_NAME);
            st[depth].mcid = -1;
            st[depth].artifact = pledge_pdf_is_name(ops[0], "Artifact");
            if (OP("BDC") && d->nops == 2 && ops[1]->type == PLEDGE_PDF_DICT) {
                const pledge_pdf_obj *m = pledge_pdf_dict_get(ops[1], "MCID");

                if (m != NULL) {
                    CHECK(m->type == PLEDGE_PDF_INT && m->u.i >= 0 &&
                              m->u.i < MAX_MCID);
                    REQUIRE(!d->mcid_used[k][m->u.i],
                                  "page %zu: MCID %lld used twice",
                                  k + 1, m->u.i);
                    d->mcid_used[k][m->u.i] = 1;
                    st[depth].mcid = (int)m->u.i;
                }
            }
            depth++;
        } else if (OP("EMC")) {
            REQUIRE(depth > 0, "page %zu: EMC without BDC",
                          k + 1);
            depth--;
        } else if (OP("Tf")) {
            CHECK(d->nops == 2 && ops[0]->type == PLEDGE_PDF_NAME);
            check_font(d, key_of(d, fonts, (const char *)ops[0]->u.s.p),
                       covered);
        } else if (OP("Tj") || OP("TJ") || OP("'") || OP("\"") ||
                   OP("S") || OP("s") || OP("f") || OP("F") || OP("f*") ||
                   OP("B") || OP("B*") || OP("b") || OP("b*")) {
            REQUIRE(marked(st, depth), "page %zu: content at "
                          "byte %zu is neither tagged nor an artifact",
                          k + 1, pos);
            if (OP("Tj") || OP("TJ")) {
                pledge_pdf_obj **str = ops;
                size_t ns = 1, m;

                CHECK(d->nops == 1);
                if (OP("TJ")) {
                    CHECK(ops[0]->type == PLEDGE_PDF_ARRAY);
                    str = ops[0]->u.arr.items;
                    ns = ops[0]->u.arr.n;
                }
                /* Every code shown, in a Tj string or a TJ array's. */
                for (m = 0; m < ns; m++) {
                    if (OP("TJ") && str[m]->type != PLEDGE_PDF_HEX) {
                        CHECK(str[m]->type == PLEDGE_PDF_INT ||
                              str[m]->type == PLEDGE_PDF_REAL);
                        continue;
                    }
                    CHECK(str[m]->type == PLEDGE_PDF_HEX &&
                          str[m]->u.s.len % 2 == 0);
                    for (j = 0; j < str[m]->u.s.len; j += 2) {
                        unsigned c = str[m]->u.s.p[j] << 8 |
                                     str[m]->u.s.p[j + 1];

                        REQUIRE(covered[c], "page %zu: code %04X has "
                                      "no ToUnicode mapping", k + 1, c);
                    }
                }
                shows++;
            }
        }
#undef OP
        drop_ops(d);
        pos = w;
    }
    drop_ops(d);
    REQUIRE(depth == 0, "page %zu: marked content left open",
                  k + 1);
    CHECK(shows > 0);
}

/* The index of the page object num, or -1. */
static long page_index(const doc *d, unsigned num)
{
    size_t i;

    for (i = 0; i < d->npages; i++)
        if (d->page_num[i] == num)
            return (long)i;
    return -1;
}

static int is_standard(const char *s)
{
    size_t i;

    for (i = 0; i < sizeof standard_types / sizeof *standard_types; i++)
        if (strcmp(s, standard_types[i]) == 0)
            return 1;
    return 0;
}

/* The value the parent tree holds for key k, as written (unresolved), or
 * NULL. */
static const pledge_pdf_obj *parent_entry(doc *d, long long k)
{
    const pledge_pdf_obj *root, *nums;
    size_t j;

    root = key_of(d, key_of(d, pledge_pdf_trailer(d->pdf), "Root"),
                  "StructTreeRoot");
    nums = key_of(d, key_of(d, root, "ParentTree"), "Nums");
    CHECK(nums != NULL && nums->type == PLEDGE_PDF_ARRAY);
    for (j = 0; j + 1 < nums->u.arr.n; j += 2)
        if (nums->u.arr.items[j]->type == PLEDGE_PDF_INT &&
            nums->u.arr.items[j]->u.i == k)
            return nums->u.arr.items[j + 1];
    return NULL;
}

/* The signature widget w of Form element ref: described (/TU), and in
 * the structure through a /StructParent of its own, which the parent
 * tree maps to the element. */
static void check_widget(doc *d, const pledge_pdf_obj *w,
                         const pledge_pdf_obj *ref)
{
    const pledge_pdf_obj *tu = key_of(d, w, "TU"), *sp, *at;
    size_t i;

    REQUIRE(tu != NULL && (tu->type == PLEDGE_PDF_STRING ||
                           tu->type == PLEDGE_PDF_HEX) && tu->u.s.len > 0,
            "the signature widget has no /TU");
    sp = pledge_pdf_dict_get(w, "StructParent");
    REQUIRE(sp != NULL && sp->type == PLEDGE_PDF_INT,
            "the signature widget has no /StructParent");
    for (i = 0; i < d->npages; i++)
        REQUIRE(sp->u.i != d->struct_parents[i], "the widget's "
                "/StructParent is page %zu's /StructParents", i + 1);
    at = parent_entry(d, sp->u.i);
    REQUIRE(at != NULL && at->type == PLEDGE_PDF_REF &&
            at->u.ref.num == ref->u.ref.num, "the parent tree does not "
            "map the widget's /StructParent to its Form element");
}

/* A Figure: words for a reader (/Alt) and where it is (/BBox). */
static void check_figure(doc *d, const pledge_pdf_obj *e)
{
    const pledge_pdf_obj *alt = key_of(d, e, "Alt"), *a, *box;

    REQUIRE(alt != NULL && (alt->type == PLEDGE_PDF_STRING ||
                            alt->type == PLEDGE_PDF_HEX) &&
            alt->u.s.len > 0, "a Figure has no /Alt");
    a = key_of(d, e, "A");
    box = a != NULL ? key_of(d, a, "BBox") : NULL;
    REQUIRE(a != NULL && pledge_pdf_is_name(pledge_pdf_dict_get(a, "O"),
                                            "Layout") &&
            box != NULL && box->type == PLEDGE_PDF_ARRAY &&
            box->u.arr.n == 4, "a Figure has no /BBox");
    d->has_figure = 1;
}

/* Walks the element that ref names, child of the object parent, whose
 * page (its /Pg or an ancestor's) is pg. */
static void check_elem(doc *d, const pledge_pdf_obj *ref, unsigned parent,
                       long pg, int depth)
{
    const pledge_pdf_obj *e = get(d, ref), *s, *p, *pgo, *k;
    size_t i, nk;

    CHECK(depth < 32);
    REQUIRE(ref->type == PLEDGE_PDF_REF && e != NULL &&
                  e->type == PLEDGE_PDF_DICT, "an element is not an "
                  "indirect dictionary");
    s = pledge_pdf_dict_get(e, "S");
    CHECK(s != NULL && s->type == PLEDGE_PDF_NAME);
    REQUIRE(is_standard((const char *)s->u.s.p), "type /%s is not "
                  "standard and there is no role map", s->u.s.p);
    p = pledge_pdf_dict_get(e, "P");
    REQUIRE(p != NULL && p->type == PLEDGE_PDF_REF &&
                  p->u.ref.num == parent, "/%s's /P is not its parent",
                  s->u.s.p);
    pgo = pledge_pdf_dict_get(e, "Pg");
    if (pgo != NULL) {
        CHECK(pgo->type == PLEDGE_PDF_REF);
        pg = page_index(d, pgo->u.ref.num);
        REQUIRE(pg >= 0, "/Pg %u is not a page", pgo->u.ref.num);
    }
    if (s->u.s.len == 2 && s->u.s.p[0] == 'H' && s->u.s.p[1] >= '1' &&
        s->u.s.p[1] <= '6') {
        int level = s->u.s.p[1] - '0';

        REQUIRE(level <= d->last_heading + 1, "H%d follows H%d",
                      level, d->last_heading);
        d->last_heading = level;
    }
    if (pledge_pdf_is_name(s, "Figure"))
        check_figure(d, e);
    /* A kid may be a reference, so /K is resolved only when it is not
     * one. */
    k = pledge_pdf_dict_get(e, "K");
    if (k == NULL)
        return;
    if (k->type == PLEDGE_PDF_REF) {
        const pledge_pdf_obj *kd = get(d, k);

        if (kd->type == PLEDGE_PDF_ARRAY)
            k = kd;
    }
    nk = k->type == PLEDGE_PDF_ARRAY ? k->u.arr.n : 1;
    for (i = 0; i < nk; i++) {
        const pledge_pdf_obj *kid = k->type == PLEDGE_PDF_ARRAY ?
                                    k->u.arr.items[i] : k;
        long kpg = pg;
        long long mcid = -1;

        if (kid->type == PLEDGE_PDF_REF) {
            const pledge_pdf_obj *kd = get(d, kid);

            if (kd != NULL && kd->type == PLEDGE_PDF_DICT &&
                pledge_pdf_dict_get(kd, "S") != NULL) {
                check_elem(d, kid, ref->u.ref.num, pg, depth + 1);
                continue;
            }
        }
        if (kid->type == PLEDGE_PDF_INT) {
            mcid = kid->u.i;
        } else if (kid->type == PLEDGE_PDF_DICT &&
                   pledge_pdf_is_name(pledge_pdf_dict_get(kid, "Type"),
                                      "OBJR")) {
            const pledge_pdf_obj *obj = pledge_pdf_dict_get(kid, "Obj");
            const pledge_pdf_obj *w;

            CHECK(pledge_pdf_is_name(s, "Form") && obj != NULL &&
                      obj->type == PLEDGE_PDF_REF);
            d->has_form = 1;
            /* An object not yet written is null: the endorsement's
             * widget, which an applicant-signed pledge keeps an element
             * for (one with no /Alt: its widget's /TU will describe it),
             * or, unsigned, the signature's. */
            if (obj->u.ref.num >= pledge_pdf_size(d->pdf)) {
                REQUIRE(!d->is_signed ||
                            pledge_pdf_dict_get(e, "Alt") == NULL,
                        "the signature's Form element names no widget");
                continue;
            }
            /* Signed: the widget.  Unsigned: not yet there (null). */
            w = get(d, obj);
            if (d->is_signed) {
                REQUIRE(w != NULL && pledge_pdf_is_name(
                            pledge_pdf_dict_get(w, "Subtype"), "Widget"),
                        "the Form element is not the signature widget's");
                check_widget(d, w, ref);
            }
            continue;
        } else if (kid->type == PLEDGE_PDF_DICT) {
            const pledge_pdf_obj *m = pledge_pdf_dict_get(kid, "MCID");
            const pledge_pdf_obj *mp = pledge_pdf_dict_get(kid, "Pg");

            CHECK(m != NULL && m->type == PLEDGE_PDF_INT);
            mcid = m->u.i;
            if (mp != NULL) {
                CHECK(mp->type == PLEDGE_PDF_REF);
                kpg = page_index(d, mp->u.ref.num);
            }
        } else {
            REQUIRE(0, "an element's kid of an unknown kind");
        }
        REQUIRE(kpg >= 0, "MCID %lld of /%s has no page", mcid, s->u.s.p);
        CHECK(mcid >= 0 && mcid < MAX_MCID);
        REQUIRE(d->mcid_used[kpg][mcid], "/%s names MCID %lld, "
                      "not on page %ld", s->u.s.p, mcid, kpg + 1);
        REQUIRE(!d->mcid_seen[kpg][mcid], "MCID %lld of page %ld "
                      "in two elements", mcid, kpg + 1);
        d->mcid_seen[kpg][mcid] = 1;
        /* The parent tree names this element for the MCID. */
        {
            const pledge_pdf_obj *arr, *at;

            arr = get(d, parent_entry(d, d->struct_parents[kpg]));
            REQUIRE(arr != NULL && arr->type == PLEDGE_PDF_ARRAY &&
                          (size_t)mcid < arr->u.arr.n, "page %ld's "
                          "parent tree entry lacks MCID %lld", kpg + 1, mcid);
            at = arr->u.arr.items[mcid];
            REQUIRE(at->type == PLEDGE_PDF_REF &&
                          at->u.ref.num == ref->u.ref.num, "the parent "
                          "tree names another element for MCID %lld of "
                          "page %ld", mcid, kpg + 1);
        }
    }
}

static void check_doc(doc *d, int is_signed);

/* Every condition above, on the PDF p[0..n) named what.  Returns NULL
 * when it meets them all, else (in a static buffer) what it fails. */
static const char *check_pdf(const unsigned char *p, size_t n,
                             const char *what, int is_signed)
{
    static char msg[512];
    doc *d = calloc(1, sizeof *d);
    int failed;

    ck_assert(d != NULL);
    d->data = p;
    d->len = n;
    d->what = what;
    failed = setjmp(d->fail);
    if (!failed)
        check_doc(d, is_signed);
    else
        snprintf(msg, sizeof msg, "%s", d->msg);
    drop_ops(d);
    while (d->nowned > 0)
        free(d->owned[--d->nowned]);
    if (d->pdf != NULL)
        pledge_pdf_close(d->pdf);
    free(d);
    return failed ? msg : NULL;
}

static void check_doc(doc *d, int is_signed)
{
    const pledge_pdf_obj *t, *cat, *o, *root, *pages, *kids, *meta;
    unsigned char *xmp;
    size_t i, j, xlen;
    pledge_err err;

    d->is_signed = is_signed;
    REQUIRE(pledge_pdf_open(&d->pdf, d->data, d->len, &err) == 0, "%s",
            err.msg);
    t = pledge_pdf_trailer(d->pdf);
    cat = key_of(d, t, "Root");
    CHECK(cat != NULL && cat->type == PLEDGE_PDF_DICT);
    o = key_of(d, key_of(d, cat, "MarkInfo"), "Marked");
    REQUIRE(o != NULL && o->type == PLEDGE_PDF_BOOL && o->u.b,
                  "not /Marked");
    o = key_of(d, cat, "Lang");
    REQUIRE(o != NULL && o->type == PLEDGE_PDF_STRING && o->u.s.len > 0,
                  "no /Lang");
    o = key_of(d, key_of(d, cat, "ViewerPreferences"), "DisplayDocTitle");
    REQUIRE(o != NULL && o->type == PLEDGE_PDF_BOOL && o->u.b,
                  "DisplayDocTitle is not true");
    REQUIRE(pledge_pdf_dict_get(cat, "RoleMap") == NULL, "a role "
                  "map, though every type is standard");
    meta = pledge_pdf_dict_get(cat, "Metadata");
    CHECK(meta != NULL && meta->type == PLEDGE_PDF_REF);
    stream_of(d, meta->u.ref.num, &xmp, &xlen);
    REQUIRE(strstr((char *)xmp, "<dc:title><rdf:Alt><rdf:li "
                         "xml:lang=\"x-default\">") != NULL,
                  "no dc:title");
    REQUIRE(strstr((char *)xmp, "<pdfuaid:part>1</pdfuaid:part>") !=
                  NULL, "no pdfuaid:part 1");

    pages = key_of(d, cat, "Pages");
    kids = key_of(d, pages, "Kids");
    CHECK(kids != NULL && kids->type == PLEDGE_PDF_ARRAY &&
              kids->u.arr.n > 0 && kids->u.arr.n <= MAX_PAGES);
    d->npages = kids->u.arr.n;
    for (i = 0; i < d->npages; i++) {
        CHECK(kids->u.arr.items[i]->type == PLEDGE_PDF_REF);
        d->page_num[i] = kids->u.arr.items[i]->u.ref.num;
    }
    for (i = 0; i < d->npages; i++) {
        const pledge_pdf_obj *page = get(d, kids->u.arr.items[i]);
        const pledge_pdf_obj *sp = pledge_pdf_dict_get(page, "StructParents");

        REQUIRE(sp != NULL && sp->type == PLEDGE_PDF_INT, "page "
                      "%zu has no /StructParents", i + 1);
        d->struct_parents[i] = (long)sp->u.i;
        check_content(d, i, page);
    }

    root = key_of(d, cat, "StructTreeRoot");
    REQUIRE(root != NULL && root->type == PLEDGE_PDF_DICT,
                  "no structure tree");
    o = pledge_pdf_dict_get(root, "K");
    CHECK(o != NULL && o->type == PLEDGE_PDF_REF);
    CHECK(pledge_pdf_is_name(pledge_pdf_dict_get(get(d, o), "S"),
                                 "Document"));
    check_elem(d, o, pledge_pdf_dict_get(cat, "StructTreeRoot")->u.ref.num,
               -1, 0);
    REQUIRE(d->last_heading >= 1, "no heading");
    REQUIRE(d->has_form || !is_signed, "signed, but no Form element");
    REQUIRE(d->has_figure || !is_signed, "sealed, but no Figure element");
    for (i = 0; i < d->npages; i++)
        for (j = 0; j < MAX_MCID; j++)
            REQUIRE(d->mcid_used[i][j] == d->mcid_seen[i][j],
                          "MCID %zu of page %zu is in no element",j, i + 1);
}

/* Makes layout id's pledge, with the panel and seal and signed when sign
 * is set; fn (unless NULL) edits the base's object stream first
 * (packed.h). */
static const char *const vietnamese =
    "Nguy\xe1\xbb\x85n Th\xe1\xbb\x8b Minh Khai";
static const char *applicant = vietnamese;      /* the pledges' name */

static void make_edited(const char *id, int sign, packed_fn fn, void *arg,
                        unsigned char **out, size_t *n)
{
    pledge_person person = {applicant, "PhD, IMH-E\xc2\xae", "VA-0142",
                            "2026-11-21"};
    pledge_render_opts opts;
    pledge_panel panel;
    pledge_layout *lay;
    pledge_claim c;
    pledge_seal_facts facts;
    pledge_seal seal;
    pledge_err err;
    char path[512];
    unsigned char *base;
    size_t blen;

    snprintf(path, sizeof path, LAYOUTS "/%s.md", id);
    ck_assert_msg(pledge_layout_load(&lay, path, &err) == 0, "%s", err.msg);
    memset(&opts, 0, sizeof opts);
    opts.epoch = SIGN_TIME;
    memset(&c, 0, sizeof c);
    strcpy(c.signer, person.name);
    strcpy(c.key, key_id);
    ck_assert_int_eq(pledge_claim_time(SIGN_TIME, c.time), 0);
    strcpy(c.association, pledge_layout_association(lay));
    strcpy(c.layout, pledge_layout_id(lay));
    strcpy(c.revision, pledge_layout_revision(lay));
    strcpy(c.applicant, person.name);
    ck_assert_int_eq(pledge_layout_text_hash(lay, c.text, &err), 0);
    ck_assert_int_eq(pledge_seal_facts_from_claim(&c, 'P', person.member_id,
                                                  NULL, &facts, &err), 0);
    ck_assert_int_eq(pledge_seal_make(&facts, key, &seal, &err), 0);
    memset(&panel, 0, sizeof panel);
    panel.signer = person.name;
    panel.key_id = key_id;
    panel.date = "2026-11-21";
    panel.seal = &seal;
    ck_assert_msg(pledge_render_panel(eng, lay, NULL, &person, &opts,
                                      sign ? &panel : NULL, NULL, &base,
                                      &blen, &err) == 0, "%s", err.msg);
    if (fn != NULL)
        packed_edit(&base, &blen, fn, arg);
    if (!sign) {
        *out = base;
        *n = blen;
        pledge_layout_free(lay);
        return;
    }
    ck_assert_msg(pledge_sign_append(base, blen, key, &c, out, n, &err) == 0,
                  "%s", err.msg);
    free(base);
    pledge_layout_free(lay);
}

static void make(const char *id, int sign, unsigned char **out, size_t *n)
{
    make_edited(id, sign, NULL, NULL, out, n);
}

/* Layout i's pledge, signed or not, meets every condition. */
static void check_layout(int i, int sign)
{
    unsigned char *p;
    const char *why;
    size_t n;

    make(layouts[i], sign, &p, &n);
    why = check_pdf(p, n, layouts[i], sign);
    ck_assert_msg(why == NULL, "%s", why);
    free(p);
}

START_TEST(every_layout_unsigned)
{
    check_layout(_i, 0);
}
END_TEST

START_TEST(every_layout_signed)
{
    check_layout(_i, 1);
}
END_TEST

/* Counts, in the object stream, the Span elements and those that say
 * their language is Greek: arg is two counts. */
static void count_spans(unsigned char *d, size_t n, void *arg)
{
    size_t *c = arg, i, j;

    for (i = 0; i + 7 <= n; i++) {
        if (memcmp(d + i, "/S/Span", 7) != 0)
            continue;
        c[0]++;
        /* "/S/Span/P N 0 R/Lang(el)": the parent, then the language. */
        for (j = i + 7; j + 9 <= n && j < i + 40; j++)
            if (memcmp(d + j, "/Lang(el)", 9) == 0) {
                c[1]++;
                break;
            }
    }
}

/* A Greek name in an English pledge is a Span with /Lang (el) wherever
 * it is read (the subtitle, the Name field, the signature panel), and
 * the pledge still meets every condition; a Cyrillic one, whose script
 * does not tell its language, has none. */
START_TEST(greek_name_says_greek)
{
    unsigned char *p;
    const char *why;
    size_t n, c[2];
    int sign;

    for (sign = 0; sign <= 1; sign++) {
        applicant = "\xce\x93\xce\xb5\xcf\x8e\xcf\x81\xce\xb3\xce\xb9"
                    "\xce\xbf\xcf\x82 \xce\xa0\xce\xb1\xcf\x80\xce\xb1"
                    "\xce\xb4\xcf\x8c\xcf\x80\xce\xbf\xcf\x85\xce\xbb"
                    "\xce\xbf\xcf\x82";
        make("vaimh-code", sign, &p, &n);
        why = check_pdf(p, n, "vaimh-code", sign);
        ck_assert_msg(why == NULL, "%s", why);
        free(p);
        c[0] = c[1] = 0;
        make_edited("vaimh-code", sign, count_spans, c, &p, &n);
        free(p);
        ck_assert_uint_ge(c[0], 2 + (size_t)sign);
        ck_assert_uint_eq(c[1], c[0]);
        applicant = "\xd0\x9d\xd0\xb0\xd1\x82\xd0\xb0\xd0\xbb\xd1\x8c"
                    "\xd1\x8f \xd0\x81\xd0\xbb\xd0\xba\xd0\xb8\xd0\xbd"
                    "\xd0\xb0";
        c[0] = c[1] = 0;
        make_edited("vaimh-code", sign, count_spans, c, &p, &n);
        free(p);
        ck_assert_uint_eq(c[0], 0);
    }
    applicant = vietnamese;
}
END_TEST

/* base with an incremental update that gives its first page the content
 * stream `content` (uncompressed).  The caller frees the result. */
static unsigned char *with_content(const unsigned char *base, size_t n,
                                   const char *content, size_t *outlen)
{
    const pledge_pdf_obj *t, *root, *kids, *pg;
    pledge_pdf *pdf;
    pledge_err err;
    unsigned num, pnum;
    size_t len = n, cap = n + 16384, opage, ocont, oxref;
    unsigned char *out = malloc(cap);
    char dict[4096], *at, *end;

    ck_assert(out != NULL);
    memcpy(out, base, n);
    ck_assert_msg(pledge_pdf_open(&pdf, base, n, &err) == 0, "%s", err.msg);
    t = pledge_pdf_trailer(pdf);
    num = pledge_pdf_size(pdf);
    ck_assert_int_eq(pledge_pdf_resolve(pdf, pledge_pdf_dict_get(t, "Root"),
                                        &root, &err), 0);
    ck_assert_int_eq(pledge_pdf_resolve(pdf, pledge_pdf_dict_get(root,
                                        "Pages"), &pg, &err), 0);
    kids = pledge_pdf_dict_get(pg, "Kids");
    pnum = kids->u.arr.items[0]->u.ref.num;
    ck_assert_int_eq(pledge_pdf_get(pdf, pnum, &pg, &err), 0);
    ck_assert(pg->end - pg->start < sizeof dict);
    memcpy(dict, pledge_pdf_span(pdf, pg), pg->end - pg->start);
    dict[pg->end - pg->start] = '\0';
    at = strstr(dict, "/Contents ");
    ck_assert(at != NULL);
    end = strstr(at, " R") + 2;
    ocont = len;
    len += (size_t)snprintf((char *)out + len, cap - len,
                            "%u 0 obj\n<</Length %zu>>\nstream\n%s\n"
                            "endstream\nendobj\n", num, strlen(content) + 1,
                            content);
    opage = len;
    len += (size_t)snprintf((char *)out + len, cap - len,
                            "%u 0 obj\n%.*s/Contents %u 0 R%s\nendobj\n",
                            pnum, (int)(at - dict), dict, num, end);
    oxref = len;
    len += (size_t)snprintf((char *)out + len, cap - len,
                            "xref\n%u 1\n%010zu 00000 n\r\n%u 1\n"
                            "%010zu 00000 n\r\ntrailer\n<</Size %u/Root "
                            "%u 0 R/Prev %zu>>\nstartxref\n%zu\n%%%%EOF\n",
                            pnum, opage, num, ocont, num + 1,
                            pledge_pdf_dict_get(t, "Root")->u.ref.num,
                            pledge_pdf_startxref(pdf), oxref);
    ck_assert(len < cap);
    pledge_pdf_close(pdf);
    *outlen = len;
    return out;
}

/* The checker fails what it is for: each content below breaks one
 * condition, and the reason names it. */
START_TEST(checker_catches_faults)
{
    static const struct {
        const char *content, *reason;
    } bad[] = {
        { "BT /F1 10 Tf 100 100 Td <0001> Tj ET",
          "neither tagged nor an artifact" },
        { "/P <</MCID 0>> BDC BT /F1 10 Tf 100 100 Td <0001> Tj ET EMC "
          "/P <</MCID 0>> BDC BT <0001> Tj ET EMC", "MCID 0 used twice" },
        { "/Artifact BMC BT /F1 10 Tf 100 100 Td <FFFE> Tj ET EMC",
          "code FFFE has no ToUnicode mapping" },
        { "/Artifact BMC BT /F1 10 Tf 100 100 Td <0001> Tj ET",
          "marked content left open" },
        { "/Artifact BMC BT /F1 10 Tf 100 100 Td <0001> Tj ET EMC",
          "names MCID 0, not on page 1" },
    };
    unsigned char *base, *p;
    const char *why;
    size_t n, len, i;

    make("vaimh-code", 0, &base, &n);
    for (i = 0; i < sizeof bad / sizeof *bad; i++) {
        p = with_content(base, n, bad[i].content, &len);
        why = check_pdf(p, len, "tampered", 0);
        ck_assert_msg(why != NULL && strstr(why, bad[i].reason) != NULL,
                      "case %zu: %s", i, why != NULL ? why : "passed");
        free(p);
    }
    free(base);
}
END_TEST

/* The first occurrence of what in p[from..n), or -1. */
static long find(const unsigned char *p, size_t n, size_t from,
                 const char *what)
{
    size_t k = strlen(what), i;

    for (i = from; i + k <= n; i++)
        if (memcmp(p + i, what, k) == 0)
            return (long)i;
    return -1;
}

/* An edit of a base's object stream: the first from after after (or
 * from the start) made to; at gets where it was, or -1. */
typedef struct {
    const char *after, *from, *to;
    long at;
} stream_edit;

static void edit_stream(unsigned char *d, size_t n, void *arg)
{
    stream_edit *e = arg;
    long a = find(d, n, 0, e->after);

    e->at = a < 0 ? -1 : find(d, n, (size_t)a, e->from);
    if (e->at >= 0)
        memcpy(d + e->at, e->to, strlen(e->to));
}

/* The number of the seal's Figure element in pledge p. */
static unsigned figure_num(const unsigned char *p, size_t n)
{
    pledge_pdf *pdf;
    pledge_err err;
    const pledge_pdf_obj *o;
    unsigned num, fig = 0;

    ck_assert_int_eq(pledge_pdf_open(&pdf, p, n, &err), 0);
    for (num = 1; num < pledge_pdf_size(pdf); num++)
        if (pledge_pdf_get(pdf, num, &o, &err) == 0 &&
            pledge_pdf_is_name(pledge_pdf_dict_get(o, "S"), "Figure"))
            fig = num;
    pledge_pdf_close(pdf);
    return fig;
}

/* The checker fails what it is for in the signature widget and the
 * seal's Figure: each edit below (of the same length, so the file stays
 * readable) breaks one condition, and the reason names it.  The widget
 * is in the signing update, edited as written; the structure is in the
 * base's object stream, edited before signing. */
START_TEST(checker_catches_widget_and_figure_faults)
{
    static const struct {
        const char *after, *from, *to, *reason;
        int in_base;
    } bad[] = {
        { "", "/TU(", "/XU(", "the signature widget has no /TU", 0 },
        { "", "/StructParent ", "/XtructParent ",
          "the signature widget has no /StructParent", 0 },
        { "", "/StructParent ", "/StructParent 0",
          "/StructParent is page 1's /StructParents", 0 },
        { "/S/Figure", "/Alt", "/Xlt", "a Figure has no /Alt", 1 },
        { "", "/O/Layout/BBox", "/O/Layout/BBoy", "a Figure has no /BBox",
          1 },
        { "", "/S/Figure", "/S/Div   ", "sealed, but no Figure element",
          1 },
    };
    unsigned char *base, *p;
    const char *why;
    char from[32], to[32];
    size_t n, pn, i;
    long at;
    unsigned fig, sp;
    stream_edit e;

    make("vaimh-code", 1, &base, &n);
    why = check_pdf(base, n, "signed", 1);
    ck_assert_msg(why == NULL, "%s", why);
    for (i = 0; i < sizeof bad / sizeof *bad; i++) {
        e.after = bad[i].after;
        e.from = bad[i].from;
        e.to = bad[i].to;
        if (bad[i].in_base) {
            make_edited("vaimh-code", 1, edit_stream, &e, &p, &pn);
            ck_assert_msg(e.at >= 0, "no %s", bad[i].from);
        } else {
            p = malloc(n);
            ck_assert(p != NULL);
            memcpy(p, base, n);
            pn = n;
            at = find(p, n, 0, bad[i].from);
            ck_assert_msg(at >= 0, "no %s", bad[i].from);
            if (strcmp(bad[i].to, "/StructParent 0") == 0) {
                /* The widget's key (one digit) made page 1's. */
                ck_assert(p[at + 15] < '0' || p[at + 15] > '9');
                p[at + 14] = '0';
            } else {
                memcpy(p + at, bad[i].to, strlen(bad[i].to));
            }
        }
        why = check_pdf(p, pn, "tampered", 1);
        ck_assert_msg(why != NULL && strstr(why, bad[i].reason) != NULL,
                      "case %zu: %s", i, why != NULL ? why : "passed");
        free(p);
    }
    /* The widget's key made one the parent tree does not have (the
     * tree's last key is the widget's). */
    p = malloc(n);
    ck_assert(p != NULL);
    memcpy(p, base, n);
    at = find(p, n, 0, "/StructParent ");
    ck_assert(at >= 0);
    sp = (unsigned)strtoul((const char *)p + at + 14, NULL, 10);
    ck_assert(sp < 9 && (p[at + 15] < '0' || p[at + 15] > '9'));
    p[at + 14] = (unsigned char)('1' + sp);
    why = check_pdf(p, n, "tampered", 1);
    ck_assert_msg(why != NULL && strstr(why, "does not map the widget's") !=
                  NULL, "%s", why != NULL ? why : "passed");
    free(p);
    /* The parent tree names the element before the Figure for its MCID. */
    fig = figure_num(base, n);
    ck_assert(fig > 100);
    snprintf(from, sizeof from, " %u 0 R]", fig);
    snprintf(to, sizeof to, " %u 0 R]", fig - 1);
    ck_assert_uint_eq(strlen(from), strlen(to));
    e.after = "/Type/StructTreeRoot";
    e.from = from;
    e.to = to;
    make_edited("vaimh-code", 1, edit_stream, &e, &p, &pn);
    ck_assert(e.at >= 0);
    why = check_pdf(p, pn, "tampered", 1);
    ck_assert_msg(why != NULL && strstr(why, "the parent tree names another "
                  "element for MCID") != NULL, "%s",
                  why != NULL ? why : "passed");
    free(p);
    free(base);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("tagged");
    TCase *t = tcase_create("tagged");
    int nl = (int)(sizeof layouts / sizeof *layouts);

    tcase_set_timeout(t, 60);
    tcase_add_loop_test(t, every_layout_unsigned, 0, nl);
    tcase_add_loop_test(t, every_layout_signed, 0, nl);
    tcase_add_test(t, checker_catches_faults);
    tcase_add_test(t, greek_name_says_greek);
    tcase_add_test(t, checker_catches_widget_and_figure_faults);
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    pledge_pubkey pk;
    pledge_err err;
    int rc;

    if (pledge_engine_open(&eng, PLEDGE_SRCDIR, &err) < 0 ||
        pledge_key_generate(&key, &pk, &err) < 0) {
        fprintf(stderr, "test_tagged: set up: %s\n", err.msg);
        return EXIT_FAILURE;
    }
    pledge_key_id_hex(pk.id, key_id);
    rc = run_suite(suite());
    pledge_seckey_free(key);
    pledge_engine_close(eng);
    return rc;
}
