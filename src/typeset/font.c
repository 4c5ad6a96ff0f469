/* font.c - one TrueType face: metrics, coverage and shaping.
 *
 * The file is memory-mapped once (hb_blob_create_from_file).  FreeType
 * reads it at open for the vertical metrics (hhea, OS/2) and to check it
 * is a TrueType font with glyf outlines; HarfBuzz shapes it, with the
 * advances and GPOS kerning of the same tables.  The HarfBuzz font is kept
 * at its design scale (units per em), so every position it reports is in
 * font units and scaling to pt is one multiplication.
 *
 * Shaping applies kerning unless asked not to, mark positioning (mark,
 * mkmk: a combining mark is placed on its base by an offset), the font's
 * glyph composition (ccmp) to text that has a combining mark and, when
 * asked, standard ligatures (liga); contextual and discretionary
 * ligatures and contextual alternates stay off.  Canonically decomposed input ("e" U+0302 U+0301) is composed
 * here, before shaping, into the precomposed character when the font has
 * it, which draws the letter as its designer did.  The buffer keeps
 * HarfBuzz's character-level clusters, so each glyph knows the bytes of
 * text it stands for: a ligature several characters, a mark its own.
 *
 * A pledge_font is not safe for concurrent shaping: shaping reuses one
 * HarfBuzz buffer and scratch arrays per font.
 *
 * What shaping gives is kept per font, in font units, under the text and
 * flags: a batch sets the same text around each name again and again,
 * and HarfBuzz gives the same glyphs for the same text and font every
 * time.  When the kept results pass SHAPED_MAX bytes, those not used
 * since the last time that happened are dropped: the text every pledge
 * shares stays, each person's goes, and a long batch of different names
 * stays in bounded memory.
 */
#include "font.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <ft2build.h>
#include FT_FREETYPE_H
#include FT_TRUETYPE_TABLES_H
#include FT_TRUETYPE_TAGS_H
#include <hb.h>
#include <hb-ot.h>

#include "../util/err.h"
#include "../util/grow.h"
#include "../util/utf8.h"

struct pledge_font {
    char *path;
    const char *name;           /* file name part of path, for messages */
    hb_blob_t *blob;
    hb_face_t *face;
    hb_font_t *font;            /* at design scale: positions in font units */
    hb_buffer_t *buf;
    double upem;
    double ascender, descender, cap_height, x_height;   /* font units */
    /* Scratch for shaping: code points after composition and the byte
     * offset each starts at. */
    uint32_t *cps;
    size_t *offs;
    size_t capcps, capoffs;
    int marks;                  /* the last text decoded has a combining
                                   mark left after composition */
    /* One bit per BMP code point the cmap maps: every character of every
     * pledge is checked, and a bit test is far cheaper than a cmap
     * lookup. */
    unsigned char bmp[0x10000 / 8];
    uint32_t *char_of;          /* per glyph: the first code point the
                                   cmap maps to it, or 0 */
    unsigned int nglyphs;
    struct shaped **kept;       /* SHAPED_SLOTS lists, made on first use */
    size_t keptbytes;
};

/* One glyph of a kept shaping, in font units. */
typedef struct {
    uint32_t cp, gid;
    size_t offset, len;
    int32_t advance, kern, dx, dy;
} shaped_glyph;

/* A kept shaping: flags and text[0..len) gave glyphs g[0..n). */
typedef struct shaped {
    struct shaped *next;        /* in the same hash slot */
    uint64_t hash;
    int flags;
    int used;                   /* since the last sweep_shaped() */
    size_t len, n, bytes;
    char *text;                 /* after g, in the same allocation */
    shaped_glyph g[];
} shaped;

#define SHAPED_SLOTS 1024
#define SHAPED_MAX (256u << 10)

/* A feature on (1) or off (0) over the whole text. */
#define FEATURE(a, b, c, d, on) \
    { HB_TAG(a, b, c, d), on, HB_FEATURE_GLOBAL_START, HB_FEATURE_GLOBAL_END }

/* The features shaping sets; the first three follow the flags and the
 * text (set_features), the rest are off. */
static const hb_feature_t shape_features[] = {
    FEATURE('k', 'e', 'r', 'n', 1),
    FEATURE('l', 'i', 'g', 'a', 0),
    FEATURE('c', 'c', 'm', 'p', 1),
    FEATURE('c', 'l', 'i', 'g', 0),
    FEATURE('d', 'l', 'i', 'g', 0),
    FEATURE('h', 'l', 'i', 'g', 0),
    FEATURE('c', 'a', 'l', 't', 0),
};
#define NFEATURES (sizeof shape_features / sizeof shape_features[0])

const char *pledge_font_shaper_version(void)
{
    return hb_version_string();
}

/* Glyph composition (ccmp) only for text with a combining mark left
 * after composition, the only text it changes in the scripts a pledge
 * is set in; it is a good part of the time spent shaping. */
static void set_features(hb_feature_t *f, int flags, int marks)
{
    memcpy(f, shape_features, sizeof shape_features);
    f[0].value = !(flags & PLEDGE_SHAPE_NO_KERNING);
    f[1].value = (flags & PLEDGE_SHAPE_LIGATURES) != 0;
    f[2].value = marks != 0;
}

/* A height in font units: OS/2's when the table has one (version 2 and
 * later), else the top of cp's ink, else fallback. */
static double height(FT_Face face, int os2_value, uint32_t cp,
                     double fallback)
{
    FT_UInt gid;

    if (os2_value > 0)
        return os2_value;
    gid = FT_Get_Char_Index(face, cp);
    if (gid != 0 && FT_Load_Glyph(face, gid, FT_LOAD_NO_SCALE) == 0 &&
        face->glyph->metrics.horiBearingY > 0)
        return (double)face->glyph->metrics.horiBearingY;
    return fallback;
}

/* Reads the vertical metrics with FreeType, which also checks that the
 * file is a TrueType font with glyf outlines.  Returns 0, or -1 with a
 * message naming path. */
static int read_metrics(pledge_font *f, const char *path, pledge_err *err)
{
    FT_Library lib = NULL;
    FT_Face face = NULL;
    FT_ULong glyf_len = 0;
    TT_OS2 *os2;
    unsigned int blob_len;
    const char *data = hb_blob_get_data(f->blob, &blob_len);
    int rc = -1;

    if (FT_Init_FreeType(&lib) != 0) {
        pledge_err_set(err, "open font %s: FreeType failed to start", path);
        goto done;
    }
    if (FT_New_Memory_Face(lib, (const FT_Byte *)data, (FT_Long)blob_len, 0,
                           &face) != 0 || !FT_IS_SFNT(face) ||
        face->units_per_EM == 0) {
        pledge_err_set(err, "open font %s: not a TrueType font", path);
        goto done;
    }
    if (FT_Load_Sfnt_Table(face, TTAG_glyf, 0, NULL, &glyf_len) != 0 ||
        glyf_len == 0) {
        pledge_err_set(err, "open font %s: no TrueType outlines (glyf)",
                       path);
        goto done;
    }
    f->upem = face->units_per_EM;
    f->ascender = face->ascender;
    f->descender = face->descender;
    if (f->ascender <= 0 || f->descender >= 0) {
        pledge_err_set(err, "open font %s: bad ascender or descender",
                       path);
        goto done;
    }
    os2 = FT_Get_Sfnt_Table(face, FT_SFNT_OS2);
    f->cap_height = height(face, os2 && os2->version >= 2 ?
                           os2->sCapHeight : 0, 'H', 0.7 * f->upem);
    f->x_height = height(face, os2 && os2->version >= 2 ?
                         os2->sxHeight : 0, 'x', 0.5 * f->upem);
    rc = 0;

done:
    if (face != NULL)
        FT_Done_Face(face);
    if (lib != NULL)
        FT_Done_FreeType(lib);
    return rc;
}

static int collect_bmp(pledge_font *f)
{
    hb_set_t *set = hb_set_create();
    hb_codepoint_t cp = HB_SET_VALUE_INVALID, gid;

    f->nglyphs = hb_face_get_glyph_count(f->face);
    f->char_of = calloc(f->nglyphs ? f->nglyphs : 1, sizeof *f->char_of);
    if (!hb_set_allocation_successful(set) || f->char_of == NULL) {
        hb_set_destroy(set);
        return -1;
    }
    hb_face_collect_unicodes(f->face, set);
    while (hb_set_next(set, &cp)) {
        if (cp < 0x10000)
            f->bmp[cp >> 3] |= (unsigned char)(1u << (cp & 7));
        if (hb_font_get_nominal_glyph(f->font, cp, &gid) &&
            gid < f->nglyphs && f->char_of[gid] == 0)
            f->char_of[gid] = cp;
    }
    hb_set_destroy(set);
    return 0;
}

uint32_t pledge_font_glyph_char(const pledge_font *font, uint32_t gid)
{
    return gid < font->nglyphs ? font->char_of[gid] : 0;
}

const unsigned char *pledge_font_bytes(const pledge_font *font, size_t *len)
{
    unsigned int n = 0;
    const char *p = hb_blob_get_data(font->blob, &n);

    *len = n;
    return (const unsigned char *)p;
}

int pledge_font_open(pledge_font **out, const char *path, pledge_err *err)
{
    pledge_font *f;
    const char *slash;

    f = calloc(1, sizeof *f);
    if (f == NULL)
        return pledge_err_set(err, "open font %s: out of memory", path);
    f->path = strdup(path);
    if (f->path == NULL) {
        pledge_err_set(err, "open font %s: out of memory", path);
        goto fail;
    }
    slash = strrchr(f->path, '/');
    f->name = slash != NULL ? slash + 1 : f->path;

    errno = 0;
    f->blob = hb_blob_create_from_file_or_fail(path);
    if (f->blob == NULL) {
        pledge_err_set(err, "open font %s: %s", path,
                       errno != 0 ? strerror(errno) : "cannot read file");
        goto fail;
    }
    if (read_metrics(f, path, err) < 0)
        goto fail;
    f->face = hb_face_create(f->blob, 0);
    f->font = hb_font_create(f->face);
    hb_font_make_immutable(f->font);
    if (collect_bmp(f) < 0) {
        pledge_err_set(err, "open font %s: out of memory", path);
        goto fail;
    }
    f->buf = hb_buffer_create();
    if (!hb_buffer_allocation_successful(f->buf)) {
        pledge_err_set(err, "open font %s: out of memory", path);
        goto fail;
    }
    hb_buffer_set_cluster_level(f->buf,
                                HB_BUFFER_CLUSTER_LEVEL_CHARACTERS);

    *out = f;
    return 0;

fail:
    pledge_font_close(f);
    return -1;
}

/* Drops the kept shapings not used since the last call (all of them
 * when all is set) and marks the rest unused. */
static void sweep_shaped(pledge_font *f, int all)
{
    size_t i;
    shaped *k, **at;

    for (i = 0; f->kept != NULL && i < SHAPED_SLOTS; i++) {
        for (at = &f->kept[i]; (k = *at) != NULL;) {
            if (all || !k->used) {
                *at = k->next;
                f->keptbytes -= k->bytes;
                free(k);
            } else {
                k->used = 0;
                at = &k->next;
            }
        }
    }
}

void pledge_font_close(pledge_font *font)
{
    if (font == NULL)
        return;
    sweep_shaped(font, 1);
    free(font->kept);
    hb_buffer_destroy(font->buf);
    hb_font_destroy(font->font);
    hb_face_destroy(font->face);
    hb_blob_destroy(font->blob);
    free(font->cps);
    free(font->offs);
    free(font->char_of);
    free(font->path);
    free(font);
}

const char *pledge_font_path(const pledge_font *font)
{
    return font->path;
}

struct hb_face_t *pledge_font_face(const pledge_font *font)
{
    return font->face;
}

int pledge_font_has(const pledge_font *font, uint32_t cp)
{
    hb_codepoint_t gid;

    if (cp < 0x10000)
        return (font->bmp[cp >> 3] >> (cp & 7)) & 1;
    return hb_font_get_nominal_glyph(font->font, cp, &gid) ? 1 : 0;
}

uint32_t pledge_font_nominal_glyph(const pledge_font *font, uint32_t cp)
{
    hb_codepoint_t gid;

    return hb_font_get_nominal_glyph(font->font, cp, &gid) ? gid : 0;
}

double pledge_font_ascender(const pledge_font *font, double size)
{
    return font->ascender * size / font->upem;
}

double pledge_font_descender(const pledge_font *font, double size)
{
    return font->descender * size / font->upem;
}

double pledge_font_cap_height(const pledge_font *font, double size)
{
    return font->cap_height * size / font->upem;
}

double pledge_font_x_height(const pledge_font *font, double size)
{
    return font->x_height * size / font->upem;
}

static int reserve(pledge_font *f, size_t n)
{
    uint32_t *cps;
    size_t *offs;

    cps = pledge_grow(f->cps, &f->capcps, n, sizeof *cps);
    if (cps == NULL)
        return -1;
    f->cps = cps;
    offs = pledge_grow(f->offs, &f->capoffs, n, sizeof *offs);
    if (offs == NULL)
        return -1;
    f->offs = offs;
    return 0;
}

/* Composes the combining marks cps[start+1..end) into the starter
 * cps[start] where Unicode has a canonical composition the font can show
 * (the composition step of NFC, after sorting the marks into canonical
 * order).  Marks left over keep their canonical order.  Returns the new
 * end of the run. */
static size_t compose_run(const pledge_font *f, hb_unicode_funcs_t *uf,
                          size_t start, size_t end)
{
    uint32_t *cps = f->cps;
    size_t *offs = f->offs;
    size_t i, j, w;
    unsigned int ccc, last;
    hb_codepoint_t ab;

    /* Stable insertion sort by combining class; runs are short. */
    for (i = start + 2; i < end; i++) {
        uint32_t c = cps[i];
        size_t o = offs[i];

        ccc = hb_unicode_combining_class(uf, c);
        for (j = i; j > start + 1 &&
             hb_unicode_combining_class(uf, cps[j - 1]) > ccc; j--) {
            cps[j] = cps[j - 1];
            offs[j] = offs[j - 1];
        }
        cps[j] = c;
        offs[j] = o;
    }
    last = 0;
    w = start + 1;
    for (i = start + 1; i < end; i++) {
        ccc = hb_unicode_combining_class(uf, cps[i]);
        if ((w == start + 1 || last < ccc) &&
            hb_unicode_compose(uf, cps[start], cps[i], &ab) &&
            pledge_font_has(f, ab)) {
            cps[start] = ab;
            continue;
        }
        last = ccc;
        cps[w] = cps[i];
        offs[w] = offs[i];
        w++;
    }
    return w;
}

/* Decodes text into f->cps/f->offs, composing canonical sequences the
 * font has precomposed, and checks that the font has every code point.
 * Returns 0 with *ncps set, or -1 with err set. */
static int decode(pledge_font *f, const char *text, size_t len,
                  size_t *ncps, pledge_err *err)
{
    hb_unicode_funcs_t *uf = hb_unicode_funcs_get_default();
    size_t i, n, w, start, at;
    uint32_t cp;

    if (reserve(f, len + 1) != 0)
        return pledge_err_set(err, "shape text: out of memory");
    n = 0;
    start = 0;
    for (i = 0; i < len;) {
        at = i;
        if (pledge_utf8_next(text, len, &i, &cp) != 0)
            return pledge_err_set(err, "invalid UTF-8 at byte %zu", i);
        /* Nothing below U+0300 combines: skip the lookup for it. */
        if (cp < 0x300 || hb_unicode_combining_class(uf, cp) == 0) {
            if (n > start + 1)
                n = compose_run(f, uf, start, n);
            start = n;
        }
        f->cps[n] = cp;
        f->offs[n] = at;
        n++;
    }
    if (n > start + 1)
        n = compose_run(f, uf, start, n);

    f->marks = 0;
    for (w = 0; w < n; w++) {
        if (!pledge_font_has(f, f->cps[w]))
            return pledge_err_set(err, "no glyph for U+%04X in %s",
                                  (unsigned int)f->cps[w], f->name);
        if (f->cps[w] >= 0x300 &&
            hb_unicode_combining_class(uf, f->cps[w]) != 0)
            f->marks = 1;
    }
    *ncps = n;
    return 0;
}

/* Decodes text as decode() does and shapes it into f->buf with flags
 * (PLEDGE_SHAPE_*).  Returns 0 with *ncps set, or -1 with err set. */
static int shape(pledge_font *f, const char *text, size_t len, int flags,
                 size_t *ncps, pledge_err *err)
{
    hb_feature_t features[NFEATURES];
    size_t n;

    if (decode(f, text, len, &n, err) != 0)
        return -1;
    hb_buffer_clear_contents(f->buf);
    hb_buffer_set_cluster_level(f->buf,
                                HB_BUFFER_CLUSTER_LEVEL_CHARACTERS);
    hb_buffer_add_codepoints(f->buf, f->cps, (int)n, 0, (int)n);
    hb_buffer_set_direction(f->buf, HB_DIRECTION_LTR);
    hb_buffer_guess_segment_properties(f->buf);
    set_features(features, flags, f->marks);
    hb_shape(f->font, f->buf, features, NFEATURES);
    if (!hb_buffer_allocation_successful(f->buf))
        return pledge_err_set(err, "shape text: out of memory");
    *ncps = n;
    return 0;
}

int pledge_font_codepoints(pledge_font *font, const char *text, size_t len,
                           uint32_t **cps, size_t *n, pledge_err *err)
{
    uint32_t *out;
    size_t ncps;

    if (decode(font, text, len, &ncps, err) != 0)
        return -1;
    out = malloc((ncps != 0 ? ncps : 1) * sizeof *out);
    if (out == NULL)
        return pledge_err_set(err, "shape text: out of memory");
    memcpy(out, font->cps, ncps * sizeof *out);
    *cps = out;
    *n = ncps;
    return 0;
}

int pledge_font_shape(pledge_font *font, const char *text, size_t len,
                      double size, pledge_glyph **glyphs, size_t *n,
                      pledge_err *err)
{
    return pledge_font_shape_with(font, text, len, size, 0, glyphs, n, err);
}

static uint64_t text_hash(const char *text, size_t len, int flags)
{
    uint64_t h = 14695981039346656037ULL ^ (uint64_t)(unsigned)flags;
    size_t i;

    for (i = 0; i < len; i++)
        h = (h ^ (unsigned char)text[i]) * 1099511628211ULL;
    return h ^ h >> 31;
}

/* The kept shaping of text with flags, marked used, or NULL. */
static const shaped *find_shaped(pledge_font *f, const char *text,
                                 size_t len, int flags, uint64_t h)
{
    shaped *k;

    if (f->kept == NULL)
        return NULL;
    for (k = f->kept[h % SHAPED_SLOTS]; k != NULL; k = k->next)
        if (k->hash == h && k->flags == flags && k->len == len &&
            memcmp(k->text, text, len) == 0) {
            k->used = 1;
            return k;
        }
    return NULL;
}

/* Shapes text with flags into a new kept entry, kept in f when there is
 * room (else the caller frees it: *owned set).  NULL with err set on
 * failure. */
static shaped *shape_kept(pledge_font *f, const char *text, size_t len,
                          int flags, uint64_t h, int *owned,
                          pledge_err *err)
{
    hb_glyph_info_t *info;
    hb_glyph_position_t *pos;
    shaped *k;
    size_t ncps, i, j, bytes;
    unsigned int nglyphs;

    *owned = 1;
    if (shape(f, text, len, flags, &ncps, err) != 0)
        return NULL;
    info = hb_buffer_get_glyph_infos(f->buf, &nglyphs);
    pos = hb_buffer_get_glyph_positions(f->buf, NULL);
    bytes = sizeof *k + nglyphs * sizeof k->g[0] + len + 1;
    if ((k = malloc(bytes)) == NULL) {
        pledge_err_set(err, "shape text: out of memory");
        return NULL;
    }
    k->hash = h;
    k->flags = flags;
    k->used = 0;
    k->bytes = bytes;
    k->len = len;
    k->n = nglyphs;
    k->text = (char *)&k->g[nglyphs];
    memcpy(k->text, text, len);
    k->text[len] = '\0';
    for (i = 0; i < nglyphs; i++) {
        shaped_glyph *g = &k->g[i];
        uint32_t c = info[i].cluster;
        size_t end = len;

        /* Clusters rise left to right: the cluster's text ends where the
         * next one starts. */
        for (j = i + 1; j < nglyphs && info[j].cluster == c; j++)
            ;
        if (j < nglyphs && info[j].cluster < ncps)
            end = f->offs[info[j].cluster];
        g->cp = c < ncps ? f->cps[c] : 0;
        g->gid = info[i].codepoint;
        g->offset = c < ncps ? f->offs[c] : len;
        g->len = (i > 0 && info[i - 1].cluster == c) ||
                 end < g->offset ? 0 : end - g->offset;
        g->advance = pos[i].x_advance;
        g->kern = pos[i].x_advance -
                  hb_font_get_glyph_h_advance(f->font, info[i].codepoint);
        g->dx = pos[i].x_offset;
        g->dy = pos[i].y_offset;
    }
    if (f->kept == NULL &&
        (f->kept = calloc(SHAPED_SLOTS, sizeof *f->kept)) == NULL)
        return k;
    if (f->keptbytes + bytes > SHAPED_MAX)
        sweep_shaped(f, 0);
    if (f->keptbytes + bytes <= SHAPED_MAX) {
        k->next = f->kept[h % SHAPED_SLOTS];
        f->kept[h % SHAPED_SLOTS] = k;
        f->keptbytes += bytes;
        *owned = 0;
    }
    return k;
}

int pledge_font_shape_with(pledge_font *font, const char *text, size_t len,
                           double size, int flags, pledge_glyph **glyphs,
                           size_t *n, pledge_err *err)
{
    const shaped *k;
    shaped *made = NULL;
    pledge_glyph *g;
    size_t i;
    double scale = size / font->upem;
    uint64_t h = text_hash(text, len, flags);
    int owned = 0;

    if ((k = find_shaped(font, text, len, flags, h)) == NULL &&
        (k = made = shape_kept(font, text, len, flags, h, &owned,
                               err)) == NULL)
        return -1;
    g = malloc((k->n != 0 ? k->n : 1) * sizeof *g);
    if (g == NULL) {
        if (owned)
            free(made);
        return pledge_err_set(err, "shape text: out of memory");
    }
    for (i = 0; i < k->n; i++) {
        const shaped_glyph *s = &k->g[i];

        g[i].cp = s->cp;
        g[i].gid = s->gid;
        g[i].offset = s->offset;
        g[i].len = s->len;
        g[i].advance = s->advance * scale;
        g[i].kern = (double)s->kern * scale;
        g[i].dx = s->dx * scale;
        g[i].dy = s->dy * scale;
    }
    *glyphs = g;
    *n = k->n;
    if (owned)
        free(made);
    return 0;
}

int pledge_font_glyph_width(const pledge_font *font, uint32_t gid)
{
    return (int)lround(hb_font_get_glyph_h_advance(font->font, gid) *
                       1000.0 / font->upem);
}

/* Width of text at size shaped with flags (PLEDGE_SHAPE_*). */
static double text_width(pledge_font *font, const char *text, size_t len,
                         double size, int flags)
{
    hb_glyph_position_t *pos;
    unsigned int i, nglyphs;
    size_t ncps;
    long long sum = 0;

    if (shape(font, text, len, flags, &ncps, NULL) != 0)
        return 0;
    pos = hb_buffer_get_glyph_positions(font->buf, &nglyphs);
    for (i = 0; i < nglyphs; i++)
        sum += pos[i].x_advance;
    return (double)sum * size / font->upem;
}

double pledge_font_width(pledge_font *font, const char *text, size_t len,
                         double size)
{
    return text_width(font, text, len, size, 0);
}

double pledge_font_shown_width(pledge_font *font, const char *text,
                               size_t len, double size)
{
    return text_width(font, text, len, size, PLEDGE_SHAPE_NO_KERNING);
}
