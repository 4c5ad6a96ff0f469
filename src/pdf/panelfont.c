/* panelfont.c - the signature page's fonts for the endorsement panel
 * (panelfont.h). */
#include "panelfont.h"

#include <stdlib.h>
#include <string.h>

#include <libdeflate.h>

#include "../util/utf8.h"

/* Bounds on what a hostile revision can make this read. */
#define MAX_CMAP_BYTES (1u << 20)
#define MAX_FONT_BYTES (8u << 20)
#define MAX_ENTRIES 4096
#define MAX_FONTS 16

typedef struct {
    uint32_t cp;
    uint16_t code, width;
} entry;

/* The bytes of stream dictionary d's body, or NULL when they are not
 * where its /Length says. */
static const unsigned char *stream_body(pledge_pdf *pdf,
                                        const unsigned char *data, size_t len,
                                        const pledge_pdf_obj *d, size_t *n)
{
    const pledge_pdf_obj *l = pledge_pdf_dict_get(d, "Length");
    size_t at = d->end;

    /* A value from an object stream has no stream after it. */
    if (at > len || l == NULL || pledge_pdf_resolve(pdf, l, &l, NULL) < 0 ||
        l->type != PLEDGE_PDF_INT || l->u.i < 0)
        return NULL;
    while (at < len && (data[at] == ' ' || data[at] == '\r' ||
                        data[at] == '\n'))
        at++;
    if (len - at < 6 || memcmp(data + at, "stream", 6) != 0)
        return NULL;
    at += 6;
    if (at < len && data[at] == '\r')
        at++;
    if (at < len && data[at] == '\n')
        at++;
    if (at > len || (unsigned long long)l->u.i > len - at)
        return NULL;
    *n = (size_t)l->u.i;
    return data + at;
}

/* Stream d's data decoded (none or FlateDecode), NUL-terminated, or NULL
 * (also when it is longer than max bytes).
 * The caller frees it with free(). */
static char *stream_text(pledge_pdf *pdf, const unsigned char *data,
                         size_t len, const pledge_pdf_obj *d, size_t max,
                         size_t *outlen)
{
    const pledge_pdf_obj *f = pledge_pdf_dict_get(d, "Filter");
    const unsigned char *body;
    struct libdeflate_decompressor *dc;
    enum libdeflate_result r = LIBDEFLATE_BAD_DATA;
    size_t n, got = 0, cap;
    char *out;

    if ((body = stream_body(pdf, data, len, d, &n)) == NULL ||
        pledge_pdf_dict_get(d, "DecodeParms") != NULL)
        return NULL;
    if (f != NULL && f->type == PLEDGE_PDF_ARRAY && f->u.arr.n == 1)
        f = f->u.arr.items[0];
    if (f == NULL) {
        if (n > max || (out = malloc(n + 1)) == NULL)
            return NULL;
        memcpy(out, body, n);
        out[n] = '\0';
        *outlen = n;
        return out;
    }
    if (!pledge_pdf_is_name(f, "FlateDecode") ||
        (dc = libdeflate_alloc_decompressor()) == NULL)
        return NULL;
    /* A pledge's CMap is a few kilobytes: room grows from 16 KB. */
    for (cap = 16384, out = NULL;; cap *= 2) {
        char *p = realloc(out, cap + 1);

        if (p == NULL)
            break;
        out = p;
        r = libdeflate_zlib_decompress(dc, body, n, out, cap, &got);
        if (r != LIBDEFLATE_INSUFFICIENT_SPACE || cap >= max)
            break;
    }
    libdeflate_free_decompressor(dc);
    if (out == NULL || r != LIBDEFLATE_SUCCESS) {
        free(out);
        return NULL;
    }
    out[got] = '\0';
    *outlen = got;
    return out;
}

/* The value of the hex string of exactly 4 digits at *p (past its '<'),
 * moving *p past its '>', or -1. */
static long hex4(const char **p, const char *end)
{
    const char *s = *p;
    long v = 0;
    int k;

    for (k = 0; s < end && *s != '>'; s++, k++) {
        int c = *s, d = c >= '0' && c <= '9' ? c - '0' :
                        c >= 'A' && c <= 'F' ? c - 'A' + 10 :
                        c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
        if (d < 0 || k >= 4)
            return -1;
        v = v << 4 | d;
    }
    if (s == end || k != 4)
        return -1;
    *p = s + 1;
    return v;
}

/* The bfchar entries of CMap text t[0, n): code and code point, each of
 * four hex digits (others are passed over).  Returns their number, or -1
 * when there are more than MAX_ENTRIES. */
static long parse_cmap(const char *t, size_t n, entry *e)
{
    const char *p = t, *end = t + n, *stop;
    long k = 0, a, b;

    while ((p = strstr(p, "beginbfchar")) != NULL) {
        p += 11;
        if ((stop = strstr(p, "endbfchar")) == NULL)
            stop = end;
        while ((p = memchr(p, '<', (size_t)(stop - p))) != NULL) {
            p++;
            a = hex4(&p, stop);
            while (p < stop && (*p == ' ' || *p == '\n' || *p == '\r'))
                p++;
            if (p >= stop || *p != '<')
                continue;
            p++;
            b = hex4(&p, stop);
            if (a < 0 || b < 0)
                continue;
            if (k == MAX_ENTRIES)
                return -1;
            e[k].code = (uint16_t)a;
            e[k].cp = (uint32_t)b;
            k++;
        }
        p = stop;
    }
    return k;
}

/* The advance of code in CIDFont cf's /W (default its /DW, else 1000). */
static uint16_t cid_width(pledge_pdf *pdf, const pledge_pdf_obj *cf,
                          unsigned code)
{
    const pledge_pdf_obj *w = pledge_pdf_dict_get(cf, "W"),
                         *dw = pledge_pdf_dict_get(cf, "DW"), *a, *b, *c;
    long long def = 1000;
    size_t i;

    if (dw != NULL && pledge_pdf_resolve(pdf, dw, &dw, NULL) == 0 &&
        dw->type == PLEDGE_PDF_INT && dw->u.i >= 0 && dw->u.i <= 65535)
        def = dw->u.i;
    if (w == NULL || pledge_pdf_resolve(pdf, w, &w, NULL) < 0 ||
        w->type != PLEDGE_PDF_ARRAY)
        return (uint16_t)def;
    for (i = 0; i + 1 < w->u.arr.n;) {
        a = w->u.arr.items[i];
        b = w->u.arr.items[i + 1];
        if (a->type != PLEDGE_PDF_INT)
            break;
        if (b->type == PLEDGE_PDF_ARRAY) {
            if (code >= a->u.i && code - a->u.i < (long long)b->u.arr.n) {
                c = b->u.arr.items[code - a->u.i];
                return c->type == PLEDGE_PDF_INT && c->u.i >= 0 &&
                       c->u.i <= 65535 ? (uint16_t)c->u.i : (uint16_t)def;
            }
            i += 2;
            continue;
        }
        if (i + 2 >= w->u.arr.n || b->type != PLEDGE_PDF_INT)
            break;
        c = w->u.arr.items[i + 2];
        if (code >= a->u.i && code <= b->u.i)
            return c->type == PLEDGE_PDF_INT && c->u.i >= 0 &&
                   c->u.i <= 65535 ? (uint16_t)c->u.i : (uint16_t)def;
        i += 3;
    }
    return (uint16_t)def;
}

/* Big-endian reads from a font program whose bounds the caller checked. */
static unsigned be16(const unsigned char *p)
{
    return (unsigned)p[0] << 8 | p[1];
}

static unsigned long be32(const unsigned char *p)
{
    return (unsigned long)p[0] << 24 | (unsigned long)p[1] << 16 |
           (unsigned long)p[2] << 8 | p[3];
}

static int s16(const unsigned char *p)
{
    unsigned v = be16(p);

    return v >= 0x8000 ? (int)v - 0x10000 : (int)v;
}

/* Table tag of TrueType program t[0, n) into *at and *tlen; -1 when it
 * has none or the table does not lie inside t. */
static int tt_table(const unsigned char *t, size_t n, const char *tag,
                    size_t *at, size_t *tlen)
{
    size_t i, k;

    if (n < 12)
        return -1;
    k = be16(t + 4);
    if (k > (n - 12) / 16)
        return -1;
    for (i = 0; i < k; i++) {
        const unsigned char *r = t + 12 + 16 * i;
        unsigned long off = be32(r + 8), l = be32(r + 12);

        if (memcmp(r, tag, 4) != 0)
            continue;
        if (off > n || l > n - off)
            return -1;
        *at = off;
        *tlen = l;
        return 0;
    }
    return -1;
}

/* The ink box of glyph g of TrueType program t[0, n) into b (font
 * units); all 0 for a glyph without outline.  -1 when g or its entry is
 * out of bounds. */
static int tt_box(const unsigned char *t, size_t n, unsigned g, int b[4])
{
    size_t head, hl, loca, ll, glyf, gl;
    unsigned long from, to;
    int i;

    if (tt_table(t, n, "head", &head, &hl) < 0 || hl < 54 ||
        tt_table(t, n, "loca", &loca, &ll) < 0 ||
        tt_table(t, n, "glyf", &glyf, &gl) < 0)
        return -1;
    if (s16(t + head + 50) == 0) {
        if ((size_t)g + 2 > ll / 2)
            return -1;
        from = 2ul * be16(t + loca + 2 * (size_t)g);
        to = 2ul * be16(t + loca + 2 * (size_t)g + 2);
    } else {
        if ((size_t)g + 2 > ll / 4)
            return -1;
        from = be32(t + loca + 4 * (size_t)g);
        to = be32(t + loca + 4 * (size_t)g + 4);
    }
    memset(b, 0, 4 * sizeof *b);
    if (from == to)
        return 0;
    if (from > to || to > gl || to - from < 10)
        return -1;
    for (i = 0; i < 4; i++)
        b[i] = s16(t + glyf + from + 2 + 2 * (size_t)i);
    return 0;
}

/* The ink boxes of f's codes (f->box, f->xheight) from the TrueType
 * program of CIDFont cf, whose /CIDToGIDMap (a stream, or none or
 * /Identity) gives each code's glyph.  Leaves f->box NULL when there is
 * no such program or it cannot be read; -1 only when out of memory. */
static int read_boxes(pledge_pdf *pdf, const unsigned char *data,
                      size_t len, const pledge_pdf_obj *cf,
                      pledge_pdf_panel_font *f)
{
    const pledge_pdf_obj *fd, *ff, *map = pledge_pdf_dict_get(cf,
                                                             "CIDToGIDMap");
    unsigned char *t, *gids = NULL;
    int16_t *box;
    size_t n, head, hl, i, ngids = 0;
    unsigned g;
    int b[4], upem, k;
    long x;

    if (map != NULL && !pledge_pdf_is_name(map, "Identity")) {
        if (map->type != PLEDGE_PDF_REF ||
            pledge_pdf_resolve(pdf, map, &map, NULL) < 0 ||
            map->type != PLEDGE_PDF_DICT ||
            (gids = (unsigned char *)stream_text(pdf, data, len, map,
                                                 MAX_CMAP_BYTES, &ngids)) ==
            NULL)
            return 0;
    }
    if ((fd = pledge_pdf_dict_get(cf, "FontDescriptor")) == NULL ||
        pledge_pdf_resolve(pdf, fd, &fd, NULL) < 0 ||
        (ff = pledge_pdf_dict_get(fd, "FontFile2")) == NULL ||
        ff->type != PLEDGE_PDF_REF ||
        pledge_pdf_resolve(pdf, ff, &ff, NULL) < 0 ||
        ff->type != PLEDGE_PDF_DICT ||
        (t = (unsigned char *)stream_text(pdf, data, len, ff,
                                          MAX_FONT_BYTES, &n)) == NULL) {
        free(gids);
        return 0;
    }
    if (tt_table(t, n, "head", &head, &hl) < 0 || hl < 54 ||
        (upem = (int)be16(t + head + 18)) < 16) {
        free(gids);
        free(t);
        return 0;
    }
    if ((box = malloc(4 * f->n * sizeof *box)) == NULL) {
        free(gids);
        free(t);
        return -1;
    }
    f->xheight = 500;
    for (i = 0; i < f->n; i++) {
        g = f->codes[i];
        if (gids != NULL)
            g = 2 * (size_t)g + 1 < ngids ? be16(gids + 2 * (size_t)g) :
                0xffff;
        if (tt_box(t, n, g, b) < 0) {
            free(box);
            free(gids);
            free(t);
            return 0;
        }
        for (k = 0; k < 4; k++) {
            x = (long)b[k] * 1000 / upem;
            box[4 * i + k] = (int16_t)(x < -32768 ? -32768 :
                                       x > 32767 ? 32767 : x);
        }
        if (f->cps[i] == 'x' && box[4 * i + 3] > 0)
            f->xheight = box[4 * i + 3];
    }
    free(gids);
    free(t);
    f->box = box;
    return 0;
}

static int by_cp(const void *x, const void *y)
{
    const entry *a = x, *b = y;

    if (a->cp != b->cp)
        return a->cp < b->cp ? -1 : 1;
    return a->code < b->code ? -1 : a->code > b->code;
}

void pledge_pdf_panel_font_free(pledge_pdf_panel_font *f)
{
    free((void *)f->cps);
    free((void *)f->codes);
    free((void *)f->widths);
    free((void *)f->box);
    memset(f, 0, sizeof *f);
}

/* Reads font ref (object num gen) into *f.  Returns 1 when it is a font
 * the panel can use, 0 when not, -1 when out of memory. */
static int read_font(pledge_pdf *pdf, const unsigned char *data, size_t len,
                     const pledge_pdf_obj *ref, pledge_pdf_panel_font *f)
{
    const pledge_pdf_obj *d, *tu, *df, *cf;
    entry *e = NULL;
    char *text = NULL;
    uint32_t *cps = NULL;
    uint16_t *codes = NULL, *widths = NULL;
    size_t tlen, i, k;
    long n;
    int rc = 0;

    if (ref->type != PLEDGE_PDF_REF ||
        pledge_pdf_resolve(pdf, ref, &d, NULL) < 0 ||
        d->type != PLEDGE_PDF_DICT ||
        !pledge_pdf_is_name(pledge_pdf_dict_get(d, "Subtype"), "Type0") ||
        !pledge_pdf_is_name(pledge_pdf_dict_get(d, "Encoding"),
                            "Identity-H") ||
        (tu = pledge_pdf_dict_get(d, "ToUnicode")) == NULL ||
        tu->type != PLEDGE_PDF_REF ||
        pledge_pdf_resolve(pdf, tu, &tu, NULL) < 0 ||
        tu->type != PLEDGE_PDF_DICT ||
        (df = pledge_pdf_dict_get(d, "DescendantFonts")) == NULL ||
        pledge_pdf_resolve(pdf, df, &df, NULL) < 0 ||
        df->type != PLEDGE_PDF_ARRAY || df->u.arr.n != 1 ||
        pledge_pdf_resolve(pdf, df->u.arr.items[0], &cf, NULL) < 0 ||
        cf->type != PLEDGE_PDF_DICT)
        return 0;
    if ((text = stream_text(pdf, data, len, tu, MAX_CMAP_BYTES, &tlen)) ==
        NULL)
        return 0;
    if ((e = malloc(MAX_ENTRIES * sizeof *e)) == NULL)
        goto nomem;
    if ((n = parse_cmap(text, tlen, e)) <= 0)
        goto done;
    qsort(e, (size_t)n, sizeof *e, by_cp);
    cps = malloc((size_t)n * sizeof *cps);
    codes = malloc((size_t)n * sizeof *codes);
    widths = malloc((size_t)n * sizeof *widths);
    if (cps == NULL || codes == NULL || widths == NULL)
        goto nomem;
    /* One code a character: when a CMap gives it several, the lowest
     * with a width (a ligature's further letters have codes of no width
     * and no ink), else the lowest. */
    for (i = 0, k = 0; i < (size_t)n; i++) {
        uint16_t wd = cid_width(pdf, cf, e[i].code);

        if (k > 0 && cps[k - 1] == e[i].cp) {
            if (widths[k - 1] == 0 && wd > 0) {
                codes[k - 1] = e[i].code;
                widths[k - 1] = wd;
            }
            continue;
        }
        cps[k] = e[i].cp;
        codes[k] = e[i].code;
        widths[k] = wd;
        k++;
    }
    f->num = ref->u.ref.num;
    f->gen = ref->u.ref.gen;
    f->cps = cps;
    f->codes = codes;
    f->widths = widths;
    f->n = k;
    cps = NULL;
    codes = NULL;
    widths = NULL;
    if (read_boxes(pdf, data, len, cf, f) < 0) {
        pledge_pdf_panel_font_free(f);
        goto nomem;
    }
    rc = 1;
    goto done;

nomem:
    rc = -1;
done:
    free(cps);
    free(codes);
    free(widths);
    free(e);
    free(text);
    return rc;
}

/* Whether f maps every character of s (UTF-8). */
static int covers(const pledge_pdf_panel_font *f, const char *s)
{
    size_t i = 0, n = strlen(s), lo, hi;
    uint32_t cp;

    while (i < n) {
        if (pledge_utf8_next(s, n, &i, &cp) < 0)
            return 0;
        for (lo = 0, hi = f->n; lo < hi;) {
            size_t mid = lo + (hi - lo) / 2;

            if (f->cps[mid] < cp)
                lo = mid + 1;
            else
                hi = mid;
        }
        if (lo == f->n || f->cps[lo] != cp)
            return 0;
    }
    return 1;
}

int pledge_pdf_panel_fonts(pledge_pdf *pdf, const unsigned char *data,
                           size_t len, const pledge_pdf_obj *page,
                           const char *chars, const char *title,
                           pledge_pdf_panel_font *font,
                           pledge_pdf_panel_font *bold, pledge_err *err)
{
    const pledge_pdf_obj *r, *fd;
    pledge_pdf_panel_font f;
    size_t i;
    int got, have_font = 0, have_bold = 0;

    memset(font, 0, sizeof *font);
    memset(bold, 0, sizeof *bold);
    if ((r = pledge_pdf_dict_get(page, "Resources")) == NULL ||
        pledge_pdf_resolve(pdf, r, &r, NULL) < 0 ||
        r->type != PLEDGE_PDF_DICT ||
        (fd = pledge_pdf_dict_get(r, "Font")) == NULL ||
        pledge_pdf_resolve(pdf, fd, &fd, NULL) < 0 ||
        fd->type != PLEDGE_PDF_DICT)
        return 0;
    for (i = 0; i < fd->u.dict.n && i < MAX_FONTS &&
                !(have_font && have_bold); i++) {
        memset(&f, 0, sizeof f);
        got = read_font(pdf, data, len, fd->u.dict.entries[i].val, &f);
        if (got < 0)
            goto nomem;
        if (got == 0)
            continue;
        if (!have_font && covers(&f, chars)) {
            *font = f;
            have_font = 1;
        } else if (!have_bold && covers(&f, title)) {
            *bold = f;
            have_bold = 1;
        } else {
            pledge_pdf_panel_font_free(&f);
        }
    }
    if (!have_font) {
        pledge_pdf_panel_font_free(bold);
        return 0;
    }
    return 1;

nomem:
    pledge_pdf_panel_font_free(font);
    pledge_pdf_panel_font_free(bold);
    return pledge_err_set(err, "read the page's fonts: out of memory");
}
