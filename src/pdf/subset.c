/* subset.c - cut a TrueType font down to the glyphs a document uses.
 *
 * hb-subset keeps the glyphs for the code points (plus .notdef and the
 * components of composite glyphs) and only the tables a PDF TrueType font
 * program needs.  libharu 2.3.0 embeds exactly 13 tables, writing an
 * absent one as an empty entry; hinting (cvt, fpgm, prep and the glyph
 * instructions) is dropped, since print and PDF viewers do not use it.
 * libharu reads the PostScript name from 'name'.
 *
 * Then every composite glyph is flattened so that it references simple
 * glyphs only.  libharu, when it embeds a font, copies only the glyphs it
 * has marked as used: a shown glyph and the direct components of a
 * composite, but not the components of those components.  Debian's Noto
 * Serif has such glyphs (U+00BD, U+1E08, U+1E1D, U+2153, ...), and fonts
 * that build Vietnamese letters from letters with one accent have many;
 * libharu alone embeds them with parts missing (U+00BD shows only its
 * slash).  Flattening rewrites such a glyph as one composite whose
 * components are the simple glyphs at their combined transforms; the
 * outline, and the point numbering its instructions refer to, stay the
 * same.
 */
#include "subset.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <hb.h>
#include <hb-subset.h>

#include "../util/err.h"
#include "../util/grow.h"

/* The tables libharu requires (hpdf_fontdef_tt.c, REQUIRED_TAGS). */
enum { OS2, CMAP, CVT, FPGM, GLYF, HEAD, HHEA, HMTX, LOCA, MAXP, NAME, POST,
       PREP, NKEEP };
static const hb_tag_t keep_tags[NKEEP] = {
    HB_TAG('O', 'S', '/', '2'), HB_TAG('c', 'm', 'a', 'p'),
    HB_TAG('c', 'v', 't', ' '), HB_TAG('f', 'p', 'g', 'm'),
    HB_TAG('g', 'l', 'y', 'f'), HB_TAG('h', 'e', 'a', 'd'),
    HB_TAG('h', 'h', 'e', 'a'), HB_TAG('h', 'm', 't', 'x'),
    HB_TAG('l', 'o', 'c', 'a'), HB_TAG('m', 'a', 'x', 'p'),
    HB_TAG('n', 'a', 'm', 'e'), HB_TAG('p', 'o', 's', 't'),
    HB_TAG('p', 'r', 'e', 'p'),
};

/* Composite glyph flags (OpenType 'glyf'). */
#define ARG_1_AND_2_ARE_WORDS       0x0001
#define ARGS_ARE_XY_VALUES          0x0002
#define ROUND_XY_TO_GRID            0x0004
#define WE_HAVE_A_SCALE             0x0008
#define MORE_COMPONENTS             0x0020
#define WE_HAVE_AN_X_AND_Y_SCALE    0x0040
#define WE_HAVE_A_TWO_BY_TWO        0x0080
#define WE_HAVE_INSTRUCTIONS        0x0100
#define USE_MY_METRICS              0x0200
#define OVERLAP_COMPOUND            0x0400
#define SCALED_COMPONENT_OFFSET     0x0800
#define UNSCALED_COMPONENT_OFFSET   0x1000

/* Nesting deeper than this is treated as a broken font. */
#define MAX_DEPTH 8

/* One component: the glyph at x' = a x + c y + dx, y' = b x + d y + dy,
 * or, when xy is 0, aligned by point numbers p1 (parent) and p2 (child). */
typedef struct {
    unsigned int gid;
    unsigned int keep;          /* flags carried over unchanged */
    int xy;
    double a, b, c, d;
    double dx, dy;
    unsigned int p1, p2;
} component;

typedef struct {
    const unsigned char *glyf;
    size_t glyf_len;
    const unsigned char *loca;
    size_t loca_len;
    int long_loca;
    unsigned int nglyphs;
    component *comps;           /* the flattened glyph being built */
    size_t ncomps, capcomps;
} flattener;

static unsigned int get16(const unsigned char *p)
{
    return (unsigned int)p[0] << 8 | p[1];
}

static int sget16(const unsigned char *p)
{
    return (int)(int16_t)(uint16_t)get16(p);
}

static uint32_t get32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
           (uint32_t)p[2] << 8 | p[3];
}

static void put16(unsigned char *p, unsigned int v)
{
    p[0] = (unsigned char)(v >> 8);
    p[1] = (unsigned char)v;
}

static void put32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)(v >> 24);
    p[1] = (unsigned char)(v >> 16);
    p[2] = (unsigned char)(v >> 8);
    p[3] = (unsigned char)v;
}

/* Finds glyph gid's data.  Returns 0, or -1 when loca points outside
 * glyf. */
static int glyph_data(const flattener *f, unsigned int gid,
                      const unsigned char **data, size_t *len)
{
    size_t start, end;

    if (gid >= f->nglyphs)
        return -1;
    if (f->long_loca) {
        start = get32(f->loca + 4 * gid);
        end = get32(f->loca + 4 * gid + 4);
    } else {
        start = 2 * (size_t)get16(f->loca + 2 * gid);
        end = 2 * (size_t)get16(f->loca + 2 * gid + 2);
    }
    if (start > end || end > f->glyf_len)
        return -1;
    *data = f->glyf + start;
    *len = end - start;
    return 0;
}

static int is_composite(const unsigned char *g, size_t len)
{
    return len >= 10 && sget16(g) < 0;
}

/* Reads the component at g[*pos..len) into *c and advances *pos.
 * Returns its flags, or -1 when the data is truncated. */
static long read_component(const unsigned char *g, size_t len, size_t *pos,
                           component *c)
{
    size_t p = *pos;
    unsigned int flags;

    if (p + 4 > len)
        return -1;
    flags = get16(g + p);
    c->gid = get16(g + p + 2);
    p += 4;
    c->xy = (flags & ARGS_ARE_XY_VALUES) != 0;
    if (flags & ARG_1_AND_2_ARE_WORDS) {
        if (p + 4 > len)
            return -1;
        if (c->xy) {
            c->dx = sget16(g + p);
            c->dy = sget16(g + p + 2);
        } else {
            c->p1 = get16(g + p);
            c->p2 = get16(g + p + 2);
        }
        p += 4;
    } else {
        if (p + 2 > len)
            return -1;
        if (c->xy) {
            c->dx = (signed char)g[p];
            c->dy = (signed char)g[p + 1];
        } else {
            c->p1 = g[p];
            c->p2 = g[p + 1];
        }
        p += 2;
    }
    c->a = c->d = 1.0;
    c->b = c->c = 0.0;
    if (flags & WE_HAVE_A_SCALE) {
        if (p + 2 > len)
            return -1;
        c->a = c->d = sget16(g + p) / 16384.0;
        p += 2;
    } else if (flags & WE_HAVE_AN_X_AND_Y_SCALE) {
        if (p + 4 > len)
            return -1;
        c->a = sget16(g + p) / 16384.0;
        c->d = sget16(g + p + 2) / 16384.0;
        p += 4;
    } else if (flags & WE_HAVE_A_TWO_BY_TWO) {
        if (p + 8 > len)
            return -1;
        c->a = sget16(g + p) / 16384.0;
        c->b = sget16(g + p + 2) / 16384.0;
        c->c = sget16(g + p + 4) / 16384.0;
        c->d = sget16(g + p + 6) / 16384.0;
        p += 8;
    }
    /* Apple's scaled offsets: the offset goes through the matrix too. */
    if (c->xy && (flags & SCALED_COMPONENT_OFFSET) &&
        !(flags & UNSCALED_COMPONENT_OFFSET)) {
        double x = c->dx, y = c->dy;

        c->dx = c->a * x + c->c * y;
        c->dy = c->b * x + c->d * y;
    }
    c->keep = flags & (ROUND_XY_TO_GRID | USE_MY_METRICS | OVERLAP_COMPOUND);
    *pos = p;
    return (long)flags;
}

static int push(flattener *f, const component *c)
{
    component *p;

    p = pledge_grow(f->comps, &f->capcomps, f->ncomps + 1, sizeof *p);
    if (p == NULL)
        return -1;
    f->comps = p;
    f->comps[f->ncomps++] = *c;
    return 0;
}

/* Appends the simple glyphs that make up composite glyph g[0..len),
 * placed by the transform (t->a..t->dy) of the component that referenced
 * it.  top is 1 for the glyph being flattened itself.  Returns 0, -1 for
 * a broken or too deeply nested glyph or a point-matched component that
 * would need moving, or -2 when out of memory. */
static int expand(flattener *f, const unsigned char *g, size_t len,
                  const component *t, int top, int depth)
{
    size_t pos = 10;
    long flags;
    int r;

    if (depth > MAX_DEPTH)
        return -1;
    do {
        component c, o;
        const unsigned char *cg;
        size_t clen;

        flags = read_component(g, len, &pos, &c);
        if (flags < 0 || glyph_data(f, c.gid, &cg, &clen) != 0)
            return -1;
        if (top) {
            o = c;
        } else {
            if (!c.xy)
                return -1;
            o = c;
            o.a = t->a * c.a + t->c * c.b;
            o.b = t->b * c.a + t->d * c.b;
            o.c = t->a * c.c + t->c * c.d;
            o.d = t->b * c.c + t->d * c.d;
            o.dx = t->a * c.dx + t->c * c.dy + t->dx;
            o.dy = t->b * c.dx + t->d * c.dy + t->dy;
            o.keep = c.keep & ROUND_XY_TO_GRID;
        }
        if (is_composite(cg, clen)) {
            if (!o.xy)
                return -1;
            r = expand(f, cg, clen, &o, 0, depth + 1);
            if (r != 0)
                return r;
        } else if (push(f, &o) != 0) {
            return -2;
        }
    } while (flags & MORE_COMPONENTS);
    return 0;
}

/* Returns the end of the component records of composite g[0..len) and
 * whether instructions follow them, or 0 when the data is truncated. */
static size_t components_end(const unsigned char *g, size_t len,
                             int *has_instructions)
{
    size_t pos = 10;
    long flags, all = 0;
    component c;

    do {
        flags = read_component(g, len, &pos, &c);
        if (flags < 0)
            return 0;
        all |= flags;
    } while (flags & MORE_COMPONENTS);
    *has_instructions = (all & WE_HAVE_INSTRUCTIONS) != 0;
    return pos;
}

/* 1 when composite g[0..len) has a component that is itself composite. */
static int is_nested(const flattener *f, const unsigned char *g, size_t len)
{
    size_t pos = 10;
    long flags;
    component c;
    const unsigned char *cg;
    size_t clen;

    do {
        flags = read_component(g, len, &pos, &c);
        if (flags < 0 || glyph_data(f, c.gid, &cg, &clen) != 0)
            return 0;
        if (is_composite(cg, clen))
            return 1;
    } while (flags & MORE_COMPONENTS);
    return 0;
}

static int to_f2dot14(double v, unsigned int *out)
{
    long r = lround(v * 16384.0);

    if (r < -32768 || r > 32767)
        return -1;
    *out = (unsigned int)(r & 0xffff);
    return 0;
}

static int to_int16(double v, unsigned int *out)
{
    long r = lround(v);

    if (r < -32768 || r > 32767)
        return -1;
    *out = (unsigned int)(r & 0xffff);
    return 0;
}

/* Encodes f->comps as the composite glyph at out (room for 10 + 16 per
 * component + the instructions), keeping header bytes hdr[0..10) and
 * instructions ins[0..inslen) (inslen includes the count).  Returns the
 * length written, or 0 when a value does not fit. */
static size_t encode(const flattener *f, const unsigned char *hdr,
                     const unsigned char *ins, size_t inslen,
                     unsigned char *out)
{
    size_t i, p = 10;

    memcpy(out, hdr, 10);
    for (i = 0; i < f->ncomps; i++) {
        const component *c = &f->comps[i];
        unsigned int flags = ARG_1_AND_2_ARE_WORDS | c->keep;
        unsigned int v[4];
        int nscale;

        if (i + 1 < f->ncomps)
            flags |= MORE_COMPONENTS;
        else if (inslen != 0)
            flags |= WE_HAVE_INSTRUCTIONS;
        if (i != 0)
            flags &= ~(unsigned int)OVERLAP_COMPOUND;
        if (c->b == 0 && c->c == 0 && c->a == 1 && c->d == 1) {
            nscale = 0;
        } else if (c->b == 0 && c->c == 0 && c->a == c->d) {
            flags |= WE_HAVE_A_SCALE;
            nscale = 1;
        } else if (c->b == 0 && c->c == 0) {
            flags |= WE_HAVE_AN_X_AND_Y_SCALE;
            nscale = 2;
        } else {
            flags |= WE_HAVE_A_TWO_BY_TWO;
            nscale = 4;
        }
        if (c->xy) {
            flags |= ARGS_ARE_XY_VALUES;
            if (nscale != 0)
                flags |= UNSCALED_COMPONENT_OFFSET;
            if (to_int16(c->dx, &v[0]) != 0 || to_int16(c->dy, &v[1]) != 0)
                return 0;
        } else {
            v[0] = c->p1;
            v[1] = c->p2;
        }
        put16(out + p, flags);
        put16(out + p + 2, c->gid);
        put16(out + p + 4, v[0]);
        put16(out + p + 6, v[1]);
        p += 8;
        if (nscale == 1 || nscale == 2) {
            if (to_f2dot14(c->a, &v[0]) != 0 || to_f2dot14(c->d, &v[1]) != 0)
                return 0;
            put16(out + p, v[0]);
            p += 2;
            if (nscale == 2) {
                put16(out + p, v[1]);
                p += 2;
            }
        } else if (nscale == 4) {
            if (to_f2dot14(c->a, &v[0]) != 0 ||
                to_f2dot14(c->b, &v[1]) != 0 ||
                to_f2dot14(c->c, &v[2]) != 0 ||
                to_f2dot14(c->d, &v[3]) != 0)
                return 0;
            put16(out + p, v[0]);
            put16(out + p + 2, v[1]);
            put16(out + p + 4, v[2]);
            put16(out + p + 6, v[3]);
            p += 8;
        }
    }
    memcpy(out + p, ins, inslen);
    return p + inslen;
}

/* Builds the flattened glyf and long-format loca.  *maxcomps receives the
 * largest component count of any composite.  Returns 0, -1 for a glyph
 * that cannot be flattened (*bad names it) or no memory (*bad = -1). */
static int flatten(flattener *f, unsigned char **glyf_out, size_t *glyf_len,
                   unsigned char **loca_out, size_t *loca_len,
                   unsigned int *maxcomps, long *bad)
{
    unsigned char *glyf = NULL, *loca = NULL, *p;
    size_t cap = f->glyf_len + f->glyf_len / 2 + 64, len = 0, need;
    unsigned int gid;

    *bad = -1;
    *maxcomps = 0;
    glyf = malloc(cap);
    loca = malloc(4 * ((size_t)f->nglyphs + 1));
    if (glyf == NULL || loca == NULL)
        goto fail;
    for (gid = 0; gid < f->nglyphs; gid++) {
        const unsigned char *g;
        size_t glen, end = 0, n;
        int has_ins = 0, nested = 0, r;

        if (glyph_data(f, gid, &g, &glen) != 0) {
            *bad = gid;
            goto fail;
        }
        if (is_composite(g, glen)) {
            component id = { 0, 0, 1, 1, 0, 0, 1, 0, 0, 0, 0 };

            end = components_end(g, glen, &has_ins);
            if (end == 0) {
                *bad = gid;
                goto fail;
            }
            nested = is_nested(f, g, glen);
            f->ncomps = 0;
            r = expand(f, g, glen, &id, 1, 0);
            if (r != 0) {
                *bad = r == -2 ? -1 : (long)gid;
                goto fail;
            }
            if (f->ncomps > *maxcomps)
                *maxcomps = (unsigned int)f->ncomps;
        }
        need = nested ? 10 + 16 * f->ncomps + (glen - end) : glen;
        p = pledge_grow(glyf, &cap, len + need + 3, 1);
        if (p == NULL)
            goto fail;
        glyf = p;
        put32(loca + 4 * (size_t)gid, (uint32_t)len);
        if (nested) {
            n = encode(f, g, g + end, has_ins ? glen - end : 0, glyf + len);
            if (n == 0) {
                *bad = gid;
                goto fail;
            }
        } else {
            memcpy(glyf + len, g, glen);
            n = glen;
        }
        len += n;
        while (len % 4 != 0)
            glyf[len++] = 0;
    }
    put32(loca + 4 * (size_t)f->nglyphs, (uint32_t)len);
    *glyf_out = glyf;
    *glyf_len = len;
    *loca_out = loca;
    *loca_len = 4 * ((size_t)f->nglyphs + 1);
    return 0;

fail:
    free(glyf);
    free(loca);
    return -1;
}

/* Adds a table to builder from a malloc'd buffer it takes over. */
static void add_owned(hb_face_t *builder, hb_tag_t tag, unsigned char *data,
                      size_t len)
{
    hb_blob_t *blob = hb_blob_create((const char *)data, (unsigned int)len,
                                     HB_MEMORY_MODE_READONLY, data, free);

    hb_face_builder_add_table(builder, tag, blob);
    hb_blob_destroy(blob);
}

static unsigned char *copy_table(hb_blob_t *blob, size_t *len)
{
    unsigned int n;
    const char *data = hb_blob_get_data(blob, &n);
    unsigned char *copy = malloc(n != 0 ? n : 1);

    if (copy != NULL)
        memcpy(copy, data, n);
    *len = n;
    return copy;
}

/* Serialises face (a subset) into a malloc'd font file with its composite
 * glyphs flattened.  Returns 0, or -1 with err set. */
static int write_flat(hb_face_t *face, const char *name, unsigned char **out,
                      size_t *outlen, pledge_err *err)
{
    hb_blob_t *tables[NKEEP];
    hb_face_t *builder = NULL;
    hb_blob_t *font = NULL;
    flattener f;
    unsigned char *glyf = NULL, *loca = NULL, *head = NULL, *maxp = NULL;
    unsigned char *buf;
    const char *data;
    size_t glyf_len, loca_len, head_len, maxp_len, i;
    unsigned int n, maxcomps;
    long bad;
    int ret = -1;

    memset(&f, 0, sizeof f);
    for (i = 0; i < NKEEP; i++)
        tables[i] = hb_face_reference_table(face, keep_tags[i]);
    head = copy_table(tables[HEAD], &head_len);
    maxp = copy_table(tables[MAXP], &maxp_len);
    if (head == NULL || maxp == NULL) {
        pledge_err_set(err, "subset %s: out of memory", name);
        goto done;
    }
    if (head_len < 54 || maxp_len < 6) {
        pledge_err_set(err, "subset %s: bad head or maxp table", name);
        goto done;
    }
    f.glyf = (const unsigned char *)hb_blob_get_data(tables[GLYF], &n);
    f.glyf_len = n;
    f.loca = (const unsigned char *)hb_blob_get_data(tables[LOCA], &n);
    f.loca_len = n;
    f.long_loca = sget16(head + 50) != 0;
    f.nglyphs = get16(maxp + 4);
    if (f.loca_len < (f.long_loca ? 4 : 2) * ((size_t)f.nglyphs + 1)) {
        pledge_err_set(err, "subset %s: loca table too short", name);
        goto done;
    }
    if (flatten(&f, &glyf, &glyf_len, &loca, &loca_len, &maxcomps,
                &bad) != 0) {
        if (bad < 0)
            pledge_err_set(err, "subset %s: out of memory", name);
        else
            pledge_err_set(err, "subset %s: cannot flatten composite "
                           "glyph %ld", name, bad);
        goto done;
    }
    put16(head + 50, 1);                /* indexToLocFormat: long */
    if (maxp_len >= 32 && get32(maxp) == 0x00010000) {
        if (maxcomps > get16(maxp + 28))
            put16(maxp + 28, maxcomps);     /* maxComponentElements */
        put16(maxp + 30, maxcomps != 0 ? 1 : 0);  /* maxComponentDepth */
    }

    builder = hb_face_builder_create();
    for (i = 0; i < NKEEP; i++) {
        if (i == GLYF || i == HEAD || i == LOCA || i == MAXP)
            continue;
        if (hb_blob_get_length(tables[i]) != 0)
            hb_face_builder_add_table(builder, keep_tags[i], tables[i]);
    }
    add_owned(builder, keep_tags[GLYF], glyf, glyf_len);
    add_owned(builder, keep_tags[HEAD], head, head_len);
    add_owned(builder, keep_tags[LOCA], loca, loca_len);
    add_owned(builder, keep_tags[MAXP], maxp, maxp_len);
    glyf = loca = head = maxp = NULL;

    font = hb_face_reference_blob(builder);
    data = hb_blob_get_data(font, &n);
    if (n == 0) {
        pledge_err_set(err, "subset %s: HarfBuzz could not write the font",
                       name);
        goto done;
    }
    buf = malloc(n);
    if (buf == NULL) {
        pledge_err_set(err, "subset %s: out of memory", name);
        goto done;
    }
    memcpy(buf, data, n);
    *out = buf;
    *outlen = n;
    ret = 0;

done:
    hb_blob_destroy(font);
    hb_face_destroy(builder);
    for (i = 0; i < NKEEP; i++)
        hb_blob_destroy(tables[i]);
    free(f.comps);
    free(glyf);
    free(loca);
    free(head);
    free(maxp);
    return ret;
}

int pledge_subset_font(const pledge_font *font, const uint32_t *cps, size_t n,
                       unsigned char **out, size_t *len, pledge_err *err)
{
    return pledge_subset_glyphs(font, cps, n, NULL, NULL, 0, out, len, err);
}

int pledge_subset_glyphs(const pledge_font *font, const uint32_t *cps,
                         size_t n, const uint32_t *gids, uint32_t *newgids,
                         size_t ngids, unsigned char **out, size_t *len,
                         pledge_err *err)
{
    hb_face_t *face = pledge_font_face(font);
    hb_subset_input_t *input;
    hb_subset_plan_t *plan = NULL;
    const hb_map_t *map;
    hb_face_t *sub = NULL;
    hb_set_t *set, *nominal = NULL;
    hb_tag_t tags[64];
    unsigned int start = 0, count, i, j;
    const char *name, *slash;
    int ret = -1;

    name = pledge_font_path(font);
    slash = strrchr(name, '/');
    if (slash != NULL)
        name = slash + 1;

    input = hb_subset_input_create_or_fail();
    if (input == NULL)
        return pledge_err_set(err, "subset %s: out of memory", name);
    /* TrueType hinting only matters on low-resolution screens; print and
     * PDF viewers rasterise without it.  Dropping it halves a pledge. */
    hb_subset_input_set_flags(input, HB_SUBSET_FLAGS_NO_HINTING);
    set = hb_subset_input_unicode_set(input);
    for (i = 0; i < n; i++)
        hb_set_add(set, cps[i]);
    /* A glyph no code point given brings is asked for by a code point of
     * its own where it has one (U+FB01 for the fi ligature), else by its
     * id: for requested glyphs HarfBuzz looks through the whole cmap. */
    nominal = hb_set_create();
    for (i = 0; i < n; i++)
        hb_set_add(nominal, pledge_font_nominal_glyph(font, cps[i]));
    for (i = 0; i < ngids; i++) {
        uint32_t cp = pledge_font_glyph_char(font, gids[i]);

        if (hb_set_has(nominal, gids[i]))
            continue;
        hb_set_add(cp != 0 ? hb_subset_input_unicode_set(input)
                           : hb_subset_input_glyph_set(input), cp != 0 ?
                   cp : gids[i]);
    }
    /* Drop every table libharu does not embed: no time is spent
     * subsetting GSUB and GPOS, which the PDF cannot use. */
    set = hb_subset_input_set(input, HB_SUBSET_SETS_DROP_TABLE_TAG);
    do {
        count = sizeof tags / sizeof tags[0];
        hb_face_get_table_tags(face, start, &count, tags);
        for (i = 0; i < count; i++) {
            for (j = 0; j < NKEEP && keep_tags[j] != tags[i]; j++)
                ;
            if (j == NKEEP)
                hb_set_add(set, tags[i]);
        }
        start += count;
    } while (count == sizeof tags / sizeof tags[0]);
    if (!hb_set_allocation_successful(set)) {
        pledge_err_set(err, "subset %s: out of memory", name);
        goto done;
    }

    plan = hb_subset_plan_create_or_fail(face, input);
    if (plan != NULL) {
        map = hb_subset_plan_old_to_new_glyph_mapping(plan);
        for (i = 0; i < ngids; i++)
            newgids[i] = hb_map_get(map, gids[i]);
        sub = hb_subset_plan_execute_or_fail(plan);
    }
    if (sub == NULL) {
        pledge_err_set(err, "subset %s: HarfBuzz could not subset the font",
                       name);
        goto done;
    }
    ret = write_flat(sub, name, out, len, err);

done:
    hb_face_destroy(sub);
    hb_subset_plan_destroy(plan);
    hb_set_destroy(nominal);
    hb_subset_input_destroy(input);
    return ret;
}

int pledge_subset_embeddable(const unsigned char *ttf, size_t len,
                             unsigned char **out, size_t *outlen,
                             pledge_err *err)
{
    static const char keep[][5] = {
        "cvt ", "fpgm", "glyf", "head", "hhea", "hmtx", "loca", "maxp",
        "prep"
    };
    unsigned int n, i, k, nkeep = 0;
    size_t size, off;
    unsigned char *buf;

    if (len < 12 || (n = get16(ttf + 4)) == 0 || 12 + 16 * (size_t)n > len)
        return pledge_err_set(err, "embed font: not a TrueType file");
    size = 12;
    for (i = 0; i < n; i++) {
        const unsigned char *e = ttf + 12 + 16 * i;
        uint32_t at = get32(e + 8), tl = get32(e + 12);

        if (at > len || tl > len - at)
            return pledge_err_set(err, "embed font: a table runs past "
                                  "the end of the file");
        for (k = 0; k < sizeof keep / sizeof keep[0] &&
                    memcmp(e, keep[k], 4) != 0; k++)
            ;
        if (k < sizeof keep / sizeof keep[0]) {
            nkeep++;
            size += 16 + ((size_t)tl + 3) / 4 * 4;
        }
    }
    if ((buf = calloc(size, 1)) == NULL)
        return pledge_err_set(err, "embed font: out of memory");
    /* The sfnt header, with searchRange and the rest for nkeep tables. */
    memcpy(buf, ttf, 4);
    put16(buf + 4, nkeep);
    for (k = 0; (2u << k) <= nkeep; k++)
        ;
    put16(buf + 6, 16u << k);
    put16(buf + 8, k);
    put16(buf + 10, nkeep * 16 - (16u << k));
    off = 12 + 16 * (size_t)nkeep;
    for (i = 0, nkeep = 0; i < n; i++) {
        const unsigned char *e = ttf + 12 + 16 * i;
        unsigned char *d = buf + 12 + 16 * nkeep;
        uint32_t tl = get32(e + 12);

        for (k = 0; k < sizeof keep / sizeof keep[0] &&
                    memcmp(e, keep[k], 4) != 0; k++)
            ;
        if (k == sizeof keep / sizeof keep[0])
            continue;
        memcpy(d, e, 8);        /* tag and checksum */
        put32(d + 8, (uint32_t)off);
        put32(d + 12, tl);
        memcpy(buf + off, ttf + get32(e + 8), tl);
        off += ((size_t)tl + 3) / 4 * 4;
        nkeep++;
    }
    *out = buf;
    *outlen = size;
    return 0;
}
