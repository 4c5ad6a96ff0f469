/* pdfwrite.c - write typeset pages as a PDF with libharu.
 *
 * Text is shown glyph by glyph, as the typesetter shaped it (or, for an
 * item without glyphs, as shaped here without kerning or ligatures).
 * Each distinct pair of a glyph and the character it stands for has a
 * two-byte code, 0001, 0002, ... in the order of the characters, the
 * same for a letter in every font (collect, assign_codes); a glyph
 * standing for several characters (a ligature) shows its code and a code
 * of no width and no ink for each further character (see shown).  A text
 * item is one string of those codes (show_glyphs), a TJ with an
 * adjustment where a glyph is not where the last one's width leaves the
 * pen (a mark moved onto its base) and a text rise (Ts) for a mark moved
 * up or down.  Positions are kept in thousandths of an em, as the widths
 * are, so that rounding never accumulates.
 *
 * Each font is subset to the glyphs it shows (subset.c, which also works
 * around libharu's loss of nested composite glyphs) and handed to libharu
 * from memory (load_ttf; 2.3.0's public API loads TrueType fonts only by
 * path).  Each becomes a Type0 font with Identity-H encoding, so a code
 * is also its CID.  The font program itself is embedded by embed_program,
 * compressed once per distinct subset; page contents are compressed by
 * compress_contents, and the fonts' maps and the XMP by compress_rest,
 * all with libdeflate (deflated) at one level.
 *
 * libharu makes a Type0 font only for an encoder of its own, and builds
 * its /W and CIDToGIDMap from the encoder's code points: one CMap encoder
 * of ours (init_codes) maps codes of the characters shown to Unicode,
 * and set_cids gives CIDs to the codes of the font being made only, so
 * that HPDF_GetFont looks up only those in the font's cmap (with libharu's
 * UTF-8 encoder it looked up all 65536, a third of a pledge's time).  The
 * /W and CIDToGIDMap it makes are then replaced with ones for the glyph
 * codes (write_glyph_map), and the text is written to the content stream
 * here, not through libharu's text functions.
 *
 * What libharu 2.3.0 gets wrong for such fonts is patched in its object
 * tree (hence the internal headers behind hpdf.h; see patch_font):
 * notably its ToUnicode CMap is a copy of the encoding CMap, which
 * readers reject ("Invalid 'begincidrange' operator in ToUnicode CMap"),
 * so it is replaced with a real one mapping each code a font shows to
 * its character.
 *
 * Output is reproducible: libharu writes no /ID without encryption, and
 * the /ID written here (set_identity) is a hash of the compressed font
 * programs, page contents and info; the subset tags come from the
 * subsets' bytes, the codes follow the characters' order, and the dates
 * come from info->epoch.
 *
 * The catalog's /Lang, /ViewerPreferences and /Metadata (XMP, written by
 * write_xmp from the same info as the Info dictionary) and the trailer's
 * /ID are added to libharu's object tree, which 2.3.0 offers no API for.
 * So is the tagged structure (PDF/UA-1; the tag_* functions): marked
 * content around what the pages draw, a structure tree, a parent tree.
 * Where libharu's own serialisation would make a pledge large (an entry
 * a line, every string in hex UTF-16), dictionaries are written from
 * strings of ours through a dictionary's write_fn: the Info entries
 * (set_info) and the structure elements (tag_object).
 */
#include "pdfwrite.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <hpdf.h>
#include <hpdf_utils.h>
#include <hpdf_version.h>
#include <libdeflate.h>
#include <sodium.h>

/* The object-tree patches here rely on libharu 2.3.0's internal structs
 * (HPDF_Doc_Rec, HPDF_FontAttr, HPDF_PageAttr, the xref's trailer). */
#if !defined(HPDF_VERSION_ID) || HPDF_VERSION_ID != 20300
#error "pdfwrite.c patches libharu 2.3.0's internals: install libharu 2.3.0"
#endif

#include "pdfparse.h"
#include "subset.h"
#include "../util/err.h"
#include "../util/grow.h"
#include "../util/utf8.h"

/* The first error libharu reported; its handler must not longjmp. */
typedef struct {
    HPDF_STATUS code;
    HPDF_STATUS detail;
} hpdf_error;

/* Dictionary entries written as they are (see set_info). */
typedef struct {
    char *p;
    size_t len, cap;
} literal;

/* A glyph as the document shows it in one font: a glyph of the font and
 * the character it stands for.  Each has a code of its own, the
 * ToUnicode CMap maps the code to the character, and the CIDToGIDMap to
 * the glyph.  A glyph that stands for several characters (a ligature, a
 * letter the font composes with its mark) is shown as its code, for the
 * first, and one code for each further character, of an empty glyph and
 * no width (COMPANION): one character to a code reads right in every
 * reader, where Ghostscript 10.0 garbles a code of several ("fi" as
 * U+6600 U+6900). */
typedef struct {
    uint32_t gid;               /* in the full font, or COMPANION */
    uint32_t newgid;            /* in the subset */
    char *text;                 /* UTF-8, owned */
    size_t len;
    unsigned int k;             /* how many glyphs of the font with the
                                   same text come before it */
    unsigned int code;          /* see assign_codes */
    int width;                  /* /W: thousandths of an em */
} shown;

#define COMPANION 0xffffffffu

/* One distinct font file, the glyphs shown in it and the code points
 * whose glyphs those are. */
typedef struct {
    pledge_font *font;
    shown *shown;
    size_t nshown, capshown;
    size_t *slot;               /* hash of shown: index + 1, or 0 */
    size_t nslots;
    /* Most glyphs stand for one ASCII character: the last glyph found
     * for each, and its index in shown + 1 (0: none yet), looked at
     * before the hash. */
    struct {
        uint32_t gid;
        size_t slot;
    } ascii[128];
    size_t space;               /* index of the word space in shown */
    unsigned int maxcode;
    unsigned char *seen;        /* bitmap over the BMP */
    uint32_t *cps;              /* sorted */
    size_t ncps;
    HPDF_Font hfont;
} used_font;

/* The name of the document's encoder (see init_codes). */
#define ENCODER "pledge"

/* Codes have two bytes from 01 to FF each. */
#define MAX_CODES (255 * 255)

/* A compressed font program: raw (the subset, to compare) and z. */
typedef struct {
    const pledge_font *font;
    unsigned char *raw, *z;
    size_t rawlen, zlen;
    unsigned long used;
} program;

#define CACHED_PROGRAMS 8

/* Objects pack() adds after libharu's: the object stream and the
 * cross-reference stream, so the file's /Size is libharu's + 2. */
#define PACK_OBJECTS 2

struct pledge_pdf_cache {
    program p[CACHED_PROGRAMS];
    unsigned long clock;
    struct libdeflate_compressor *dc;  /* made on first use */
};

typedef struct {
    HPDF_Doc pdf;
    hpdf_error herr;
    pledge_pdf_cache *cache;    /* may be NULL */
    used_font used[PLEDGE_STYLE_COUNT];
    int nused;
    int of_style[PLEDGE_STYLE_COUNT];   /* index into used, or -1 */
    uint32_t *chars;            /* every code point used, sorted */
    size_t nchars;
    uint16_t *code;             /* code of each code point used, or 0 */
    HPDF_CMapEncoderAttr codes; /* the encoder's tables */
    char tags[PLEDGE_STYLE_COUNT][7];   /* subset tags given so far */
    int ntags;
    crypto_generichash_state idh;   /* what the /ID is a hash of */
    literal info;               /* Info entries (see set_info) */
    char *tj;                   /* scratch: a text item's operators */
    size_t captj;
    struct libdeflate_compressor *dc;   /* when there is no cache */
    HPDF_Dict meta;             /* the XMP stream, compressed last */
    int greek_spans;            /* 1: a tagged run of Greek letters is a
                                   Span with /Lang (el), the document's
                                   language being another */
} writer;

/* libharu 2.3.0's HPDF_MemSet, HPDF_MemCpy and HPDF_StrLen go one byte
 * a loop turn, and it calls them on large buffers for every document:
 * 256 KB of encoder tables (HPDF_CMapEncoder_InitAttr), 128 KB per font
 * (CIDFontType2_New), 512 bytes per text operator, and the length of
 * every string it writes.  That was a sixth of a pledge's instructions.
 * Its own calls go through the PLT, so these definitions, with the same
 * contracts (the first two return the end of what they wrote), take
 * their place: libc's, which go a word at a time. */
void *HPDF_MemSet(void *s, HPDF_BYTE c, HPDF_UINT n)
{
    if (n == 0)
        return s;
    return (HPDF_BYTE *)memset(s, c, n) + n;
}

HPDF_BYTE *HPDF_MemCpy(HPDF_BYTE *out, const HPDF_BYTE *in, HPDF_UINT n)
{
    if (n == 0)
        return out;
    /* libharu's copies forward; memmove also where the two overlap. */
    return (HPDF_BYTE *)memmove(out, in, n) + n;
}

/* The length of s, at most maxlen unless that is negative; 0 for NULL. */
HPDF_UINT HPDF_StrLen(const char *s, HPDF_INT maxlen)
{
    if (s == NULL)
        return 0;
    return (HPDF_UINT)(maxlen < 0 ? strlen(s) : strnlen(s, (size_t)maxlen));
}

static void HPDF_STDCALL on_error(HPDF_STATUS code, HPDF_STATUS detail,
                                  void *data)
{
    hpdf_error *e = data;

    if (e->code == 0) {
        e->code = code;
        e->detail = detail;
    }
}

/* Sets err for a failed libharu call made while doing what. */
static int hpdf_fail(writer *w, pledge_err *err, const char *what)
{
    return pledge_err_set(err, "write PDF: libharu error 0x%04lX "
                          "(detail %lu) while %s",
                          (unsigned long)w->herr.code,
                          (unsigned long)w->herr.detail, what);
}

/* A status from a libharu call: the one it returned, or the one its
 * handler recorded. */
static int bad(writer *w, HPDF_STATUS st)
{
    if (st != HPDF_OK && w->herr.code == 0)
        w->herr.code = st;
    return st != HPDF_OK || w->herr.code != 0;
}

static const char *font_name(const pledge_font *font)
{
    const char *path = pledge_font_path(font), *slash;

    slash = strrchr(path, '/');
    return slash != NULL ? slash + 1 : path;
}

/* The k-th code, counting from 0. */
static unsigned int code_at(size_t k)
{
    return (unsigned int)((k / 255 + 1) << 8 | (k % 255 + 1));
}

/* Finds or adds the used font for style: fonts opened from the same file
 * share one subset, as libharu refuses a font name twice. */
static int use_style(writer *w, pledge_font *const fonts[], int style,
                     pledge_err *err)
{
    int i;

    if (w->of_style[style] >= 0)
        return w->of_style[style];
    if (fonts[style] == NULL)
        return pledge_err_set(err, "write PDF: no font for style %d", style);
    for (i = 0; i < w->nused; i++) {
        if (w->used[i].font == fonts[style] ||
            strcmp(pledge_font_path(w->used[i].font),
                   pledge_font_path(fonts[style])) == 0)
            break;
    }
    if (i == w->nused) {
        w->used[i].font = fonts[style];
        w->used[i].seen = calloc(0x10000 / 8, 1);
        if (w->used[i].seen == NULL)
            return pledge_err_set(err, "write PDF: out of memory");
        w->nused++;
    }
    w->of_style[style] = i;
    return i;
}

/* Decodes document info string s into code points, checked to be in
 * the Basic Multilingual Plane.  On error returns -1 and leaves *cps
 * untouched.  The caller frees *cps with free(). */
static int info_codepoints(const char *s, uint32_t **cps, size_t *n,
                           pledge_err *err)
{
    size_t i = 0, k = 0, len = strlen(s);
    uint32_t *out = malloc((len != 0 ? len : 1) * sizeof *out);

    if (out == NULL)
        return pledge_err_set(err, "write PDF: out of memory");
    while (i < len) {
        if (pledge_utf8_next(s, len, &i, &out[k]) != 0 || out[k] > 0xffff) {
            free(out);
            return pledge_err_set(err, "write PDF: document info \"%s\" "
                                  "is not UTF-8 within U+FFFF", s);
        }
        k++;
    }
    *cps = out;
    *n = k;
    return 0;
}

static void mark(unsigned char *bits, const uint32_t *cps, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        bits[cps[i] >> 3] |= (unsigned char)(1u << (cps[i] & 7));
}

/* The number of code points set in bitmap bits, each stored in order
 * into out unless it is NULL.  A document shows a few hundred of the
 * 65536: the bitmap is passed over 64 bits at a time where they are all
 * clear. */
static size_t bitmap_scan(const unsigned char *bits, uint32_t *out)
{
    size_t j, i, k = 0;
    uint64_t v;
    unsigned int b;

    for (j = 0; j < 0x10000 / 8; j += 8) {
        memcpy(&v, bits + j, sizeof v);
        for (i = j; v != 0 && i < j + 8; i++)
            for (b = bits[i]; b != 0; b &= b - 1, k++)
                if (out != NULL)
                    out[k] = (uint32_t)(8 * i + (size_t)__builtin_ctz(b));
    }
    return k;
}

/* The code points in bitmap bits, in order, or NULL when out of memory.
 * The caller frees the array with free(). */
static uint32_t *bitmap_cps(const unsigned char *bits, size_t *n)
{
    size_t k = bitmap_scan(bits, NULL);
    uint32_t *cps = malloc((k != 0 ? k : 1) * sizeof *cps);

    if (cps == NULL)
        return NULL;
    *n = bitmap_scan(bits, cps);
    return cps;
}

/* What a glyph of no text of its own (a further glyph of a character
 * the font draws as several) reads as: a zero width space, since a
 * ToUnicode entry cannot be empty. */
#define NO_TEXT "\xe2\x80\x8b"

/* The glyphs of text item t: its own, or shaped here as the item says
 * (kerning and ligatures off) into *mine, which the caller frees. */
static int item_glyphs(const used_font *f, const pledge_text *t,
                       const pledge_glyph **g, size_t *n,
                       pledge_glyph **mine, pledge_err *err)
{
    size_t len = strlen(t->text), i;

    *mine = NULL;
    if (t->glyphs == NULL) {
        if (pledge_font_shape_with(f->font, t->text, len, t->size,
                                   PLEDGE_SHAPE_NO_KERNING, mine, n,
                                   err) != 0)
            return -1;
        *g = *mine;
    } else {
        *g = t->glyphs;
        *n = t->nglyphs;
    }
    for (i = 0; i < *n; i++) {
        if ((*g)[i].offset > len || (*g)[i].len > len - (*g)[i].offset) {
            free(*mine);
            return pledge_err_set(err, "a glyph of \"%s\" stands for text "
                                  "past its end", t->text);
        }
    }
    return 0;
}

static size_t shown_hash(uint32_t gid, const char *text, size_t len)
{
    uint64_t h = 14695981039346656037ULL ^ gid;
    size_t i;

    for (i = 0; i < len; i++)
        h = (h ^ (unsigned char)text[i]) * 1099511628211ULL;
    return (size_t)(h ^ h >> 29);
}

/* The index in f->shown of glyph gid standing for text[0..len), added
 * when add is set and it is not there; -1 when it is not there, or out
 * of memory. */
static long shown_find(used_font *f, uint32_t gid, const char *text,
                       size_t len, int add)
{
    size_t h, i, k;
    shown *s;

    if (len == 0) {
        text = NO_TEXT;
        len = strlen(NO_TEXT);
    }
    if (add && 2 * (f->nshown + 1) > f->nslots) {
        size_t n = f->nslots ? 2 * f->nslots : 256, *slot;

        if ((slot = calloc(n, sizeof *slot)) == NULL)
            return -1;
        for (k = 0; k < f->nshown; k++) {
            s = &f->shown[k];
            for (i = shown_hash(s->gid, s->text, s->len) & (n - 1);
                 slot[i] != 0; i = (i + 1) & (n - 1))
                ;
            slot[i] = k + 1;
        }
        free(f->slot);
        f->slot = slot;
        f->nslots = n;
    }
    if (f->nslots == 0)
        return -1;
    h = shown_hash(gid, text, len);
    for (i = h & (f->nslots - 1); f->slot[i] != 0;
         i = (i + 1) & (f->nslots - 1)) {
        s = &f->shown[f->slot[i] - 1];
        if (s->gid == gid && s->len == len && memcmp(s->text, text, len) == 0)
            return (long)(f->slot[i] - 1);
    }
    if (!add)
        return -1;
    s = pledge_grow(f->shown, &f->capshown, f->nshown + 1, sizeof *s);
    if (s == NULL)
        return -1;
    f->shown = s;
    s = &f->shown[f->nshown];
    memset(s, 0, sizeof *s);
    if ((s->text = malloc(len)) == NULL)
        return -1;
    memcpy(s->text, text, len);
    s->gid = gid;
    s->len = len;
    f->slot[i] = ++f->nshown;
    return (long)(f->nshown - 1);
}

/* The text glyph g of text item t stands for, as *text and its length:
 * its cluster's, but the one character it shows for a letter the font
 * composed from it and its marks (U+00C9 for "E" U+0301), so that the
 * text reads as it would with the precomposed letter typed.  buf holds
 * such a letter. */
static size_t glyph_text(const pledge_glyph *g, const pledge_text *t,
                         char buf[PLEDGE_UTF8_MAX], const char **text)
{
    size_t i = 0;
    uint32_t c;

    *text = t->text + g->offset;
    if (g->len > 0 && g->cp != 0 &&
        pledge_utf8_next(*text, g->len, &i, &c) == 0 && c != g->cp) {
        *text = buf;
        return pledge_utf8_encode(g->cp, buf);
    }
    return g->len;
}

/* The shown glyph of the part of glyph gid's text text[0..len) that
 * starts at *at, which moves past it: the glyph with the first
 * character, then a companion with each further one.  add and the
 * result as for shown_find(). */
static long next_part(used_font *f, uint32_t gid, const char *text,
                      size_t len, size_t *at, int add)
{
    size_t from = *at;
    uint32_t cp;
    unsigned char c = len == 1 ? (unsigned char)text[0] : 0x80;
    long r;

    if (from == 0 && c < 0x80) {
        *at = 1;
        if (f->ascii[c].slot != 0 && f->ascii[c].gid == gid)
            return (long)f->ascii[c].slot - 1;
        if ((r = shown_find(f, gid, text, 1, add)) >= 0) {
            f->ascii[c].gid = gid;
            f->ascii[c].slot = (size_t)r + 1;
        }
        return r;
    }
    if (len == 0) {
        *at = 1;
        return shown_find(f, gid, text, 0, add);
    }
    if (pledge_utf8_next(text, len, at, &cp) != 0) {
        *at = len;
        return shown_find(f, from == 0 ? gid : COMPANION, text + from,
                          len - from, add);
    }
    return shown_find(f, from == 0 ? gid : COMPANION, text + from,
                      *at - from, add);
}

/* Orders two shown glyphs by their text. */
static int text_cmp(const shown *x, const shown *y)
{
    size_t n = x->len < y->len ? x->len : y->len;
    int c;

    if ((c = memcmp(x->text, y->text, n)) != 0)
        return c;
    return x->len < y->len ? -1 : x->len > y->len;
}

/* Orders shown glyphs by text, then glyph. */
static int shown_cmp(const void *a, const void *b)
{
    const shown *x = *(shown *const *)a, *y = *(shown *const *)b;
    int c = text_cmp(x, y);

    return c != 0 ? c : x->gid < y->gid ? -1 : x->gid > y->gid;
}

/* Orders shown glyphs of all fonts by text, then k. */
static int text_k_cmp(const void *a, const void *b)
{
    const shown *x = *(shown *const *)a, *y = *(shown *const *)b;
    int c = text_cmp(x, y);

    return c != 0 ? c : x->k < y->k ? -1 : x->k > y->k;
}

/* Orders shown glyphs by code. */
static int code_cmp(const void *a, const void *b)
{
    const shown *x = *(shown *const *)a, *y = *(shown *const *)b;

    return x->code < y->code ? -1 : x->code > y->code;
}

/* f's shown glyphs in the order cmp gives, or NULL when out of memory.
 * The caller frees the array with free(). */
static shown **shown_sorted(const used_font *f,
                            int (*cmp)(const void *, const void *))
{
    shown **order = malloc((f->nshown ? f->nshown : 1) * sizeof *order);
    size_t i;

    if (order == NULL)
        return NULL;
    for (i = 0; i < f->nshown; i++)
        order[i] = &f->shown[i];
    qsort(order, f->nshown, sizeof *order, cmp);
    return order;
}

/* Gives f's shown glyphs their widths and k, and marks in f->seen the
 * code points each glyph (not a companion) stands for, which the subset
 * keeps in its cmap.  Returns 0, or -1 when out of memory. */
static int rank_glyphs(used_font *f)
{
    shown **order = shown_sorted(f, shown_cmp);
    size_t i, at;
    uint32_t cp;

    if (order == NULL)
        return -1;
    for (i = 0; i < f->nshown; i++) {
        shown *g = order[i];

        g->k = i > 0 && text_cmp(order[i - 1], g) == 0 ?
               order[i - 1]->k + 1 : 0;
        g->width = g->gid == COMPANION ? 0 :
                   pledge_font_glyph_width(f->font, g->gid);
        at = 0;
        if (g->gid != COMPANION &&
            pledge_utf8_next(g->text, g->len, &at, &cp) == 0 &&
            at == g->len && cp < 0x10000)
            mark(f->seen, &cp, 1);
    }
    free(order);
    return 0;
}

/* Gives every shown glyph its code: the rank of its text and k among
 * those of all fonts, so that a letter has the same code in every font,
 * which the page contents compress the better for, and the codes follow
 * the text's order, reproducibly.  Returns 0, or -1 with err set. */
static int assign_codes(writer *w, pledge_err *err)
{
    shown **all;
    size_t n = 0, i, k;
    unsigned int code = 0;
    int u;

    for (u = 0; u < w->nused; u++)
        n += w->used[u].nshown;
    if ((all = malloc((n ? n : 1) * sizeof *all)) == NULL)
        return pledge_err_set(err, "write PDF: out of memory");
    for (n = 0, u = 0; u < w->nused; u++)
        for (k = 0; k < w->used[u].nshown; k++)
            all[n++] = &w->used[u].shown[k];
    qsort(all, n, sizeof *all, text_k_cmp);
    for (i = 0; i < n; i++) {
        if (i == 0 || text_k_cmp(&all[i - 1], &all[i]) != 0)
            code++;
        all[i]->code = code;
    }
    free(all);
    if (code >= 0xffff)
        return pledge_err_set(err, "write PDF: more than 65534 distinct "
                              "glyphs");
    for (u = 0; u < w->nused; u++) {
        w->used[u].maxcode = 0;
        for (k = 0; k < w->used[u].nshown; k++)
            if (w->used[u].shown[k].code > w->used[u].maxcode)
                w->used[u].maxcode = w->used[u].shown[k].code;
    }
    return 0;
}

/* The info strings and where pledge_pdf_info holds them. */
static const struct {
    HPDF_InfoType type;
    size_t off;
} info_fields[] = {
    { HPDF_INFO_TITLE, offsetof(pledge_pdf_info, title) },
    { HPDF_INFO_AUTHOR, offsetof(pledge_pdf_info, author) },
    { HPDF_INFO_SUBJECT, offsetof(pledge_pdf_info, subject) },
    { HPDF_INFO_KEYWORDS, offsetof(pledge_pdf_info, keywords) },
    { HPDF_INFO_CREATOR, offsetof(pledge_pdf_info, creator) },
};
#define NINFO (sizeof info_fields / sizeof info_fields[0])

static const char *info_string(const pledge_pdf_info *info, size_t i)
{
    return *(const char *const *)((const char *)info + info_fields[i].off);
}

/* Adds to each style's font the glyph of every character of the page's
 * reserved text (pledge_page) that the font has, shown alone, so that
 * its code maps that one character (the endorsement panel draws with
 * them, see panelfont.c). */
static int reserve(writer *w, const pledge_page *page,
                   pledge_font *const fonts[], pledge_err *err)
{
    size_t i, k, n, ng;
    uint32_t cp;
    pledge_glyph *g;
    int s, u;

    for (s = 0; s < PLEDGE_STYLE_COUNT; s++) {
        const char *t = page->reserved[s];

        if (t == NULL)
            continue;
        if ((u = use_style(w, fonts, s, err)) < 0)
            return -1;
        for (i = 0, n = strlen(t); i < n;) {
            k = i;
            if (pledge_utf8_next(t, n, &i, &cp) != 0) {
                i = k + 1;
                continue;
            }
            if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0) || cp > 0xffff ||
                !pledge_font_has(w->used[u].font, cp))
                continue;
            if (pledge_font_shape_with(w->used[u].font, t + k, i - k, 10,
                                       PLEDGE_SHAPE_NO_KERNING, &g, &ng,
                                       NULL) != 0)
                continue;
            if (ng == 1 && shown_find(&w->used[u], g[0].gid, t + k, i - k,
                                      1) < 0) {
                free(g);
                return pledge_err_set(err, "write PDF: out of memory");
            }
            free(g);
        }
    }
    return 0;
}

/* Pass one: collects the glyphs each font shows (and a word space in
 * each, see tag_word_ends) and gives each its code; collects the code points
 * of those glyphs and of the info strings for the document's encoder. */
static int collect(writer *w, const pledge_pages *pages,
                   pledge_font *const fonts[], const pledge_pdf_info *info,
                   pledge_err *err)
{
    const char *v;
    unsigned char *all;
    size_t p, i, k, n;
    uint32_t *cps = NULL;
    const pledge_glyph *g;
    pledge_glyph *mine;
    int u;

    for (p = 0; p < pages->npages; p++) {
        const pledge_page *page = &pages->pages[p];

        for (i = 0; i < page->ntexts; i++) {
            const pledge_text *t = &page->texts[i];
            used_font *f;

            if ((int)t->style < 0 || t->style >= PLEDGE_STYLE_COUNT)
                return pledge_err_set(err, "write PDF page %zu: bad style "
                                      "%d", p + 1, (int)t->style);
            u = use_style(w, fonts, t->style, err);
            if (u < 0)
                return -1;
            f = &w->used[u];
            if (item_glyphs(f, t, &g, &n, &mine, err) != 0)
                return pledge_err_prefix(err, "write PDF page %zu", p + 1);
            for (k = 0; k < n; k++) {
                char buf[PLEDGE_UTF8_MAX];
                const char *text;
                size_t at = 0, len = glyph_text(&g[k], t, buf, &text);

                while (at < (len ? len : 1)) {
                    if (next_part(f, g[k].gid, text, len, &at, 1) < 0) {
                        free(mine);
                        return pledge_err_set(err, "write PDF: out of "
                                              "memory");
                    }
                }
            }
            free(mine);
        }
        if (reserve(w, page, fonts, err) != 0)
            return pledge_err_prefix(err, "write PDF page %zu", p + 1);
    }
    all = calloc(0x10000 / 8, 1);
    if (all == NULL)
        return pledge_err_set(err, "write PDF: out of memory");
    for (i = 0; i < NINFO; i++) {
        if ((v = info_string(info, i)) == NULL)
            continue;
        if (info_codepoints(v, &cps, &n, err) != 0) {
            free(all);
            return -1;
        }
        mark(all, cps, n);
        free(cps);
    }
    for (u = 0; u < w->nused; u++) {
        used_font *f = &w->used[u];
        long sp = -1;

        /* Every font can show a word space (see tag_word_ends). */
        if (pledge_font_has(f->font, ' ') &&
            pledge_font_shape_with(f->font, " ", 1, 10,
                                   PLEDGE_SHAPE_NO_KERNING, &mine, &n,
                                   NULL) == 0) {
            if (n == 1)
                sp = shown_find(f, mine[0].gid, " ", 1, 1);
            free(mine);
        }
        f->space = sp >= 0 ? (size_t)sp : (size_t)-1;
        if (rank_glyphs(f) != 0 ||
            (f->cps = bitmap_cps(f->seen, &f->ncps)) == NULL) {
            free(all);
            return pledge_err_set(err, "write PDF: out of memory");
        }
        mark(all, f->cps, f->ncps);
    }
    w->chars = bitmap_cps(all, &w->nchars);
    free(all);
    w->code = calloc(0x10000, sizeof *w->code);
    if (w->chars == NULL || w->code == NULL)
        return pledge_err_set(err, "write PDF: out of memory");
    /* One more code marks the end (see set_cids). */
    if (w->nchars + 1 > MAX_CODES)
        return pledge_err_set(err, "write PDF: more than %d distinct "
                              "characters", MAX_CODES - 1);
    for (i = 0; i < w->nchars; i++)
        w->code[w->chars[i]] = (uint16_t)code_at(i);
    return assign_codes(w, err);
}

/* A code is a lead byte and a trail byte. */
static HPDF_ByteType code_byte_type(HPDF_Encoder enc,
                                    HPDF_ParseText_Rec *state)
{
    (void)enc;
    if (state->index >= state->len)
        return HPDF_BYTE_TYPE_UNKNOWN;
    return state->index++ % 2 == 0 ? HPDF_BYTE_TYPE_LEAD :
           HPDF_BYTE_TYPE_TRIAL;
}

/* Readies the document's encoder when libharu first looks it up.  Its
 * to_unicode_fn stays HPDF_CMapEncoder_ToUnicode (code to unicode_map),
 * set by HPDF_CMapEncoder_New: only for an encoder with that function
 * does CIDFontType2_New skip the codes without a CID.  The ordering
 * Identity-H makes libharu name the font's /Encoding /Identity-H, so the
 * codes are the CIDs, and write its CMap (replaced in patch_font) as the
 * /ToUnicode. */
static HPDF_STATUS init_codes(HPDF_Encoder enc)
{
    HPDF_CMapEncoderAttr a;
    HPDF_STATUS st = HPDF_CMapEncoder_InitAttr(enc);

    if (st != HPDF_OK)
        return st;
    a = enc->attr;
    enc->byte_type_fn = code_byte_type;
    strcpy(a->registry, "Adobe");
    strcpy(a->ordering, "Identity-H");
    enc->type = HPDF_ENCODER_TYPE_DOUBLE_BYTE;
    return HPDF_OK;
}

/* Adds the document's encoder, with each code mapped to its code point,
 * and makes it current, so that the info strings go through it too. */
static int make_encoder(writer *w, pledge_err *err)
{
    char name[] = ENCODER;      /* HPDF_CMapEncoder_New wants a char * */
    HPDF_Encoder enc;
    size_t i;

    enc = HPDF_CMapEncoder_New(w->pdf->mmgr, name, init_codes);
    if (enc == NULL)
        return pledge_err_set(err, "write PDF: out of memory");
    /* libharu frees enc: at once if this fails, else with the document. */
    if (bad(w, HPDF_Doc_RegisterEncoder(w->pdf, enc)) ||
        bad(w, HPDF_SetCurrentEncoder(w->pdf, ENCODER)))
        return hpdf_fail(w, err, "setting up the encoder");
    w->codes = enc->attr;
    for (i = 0; i < w->nchars; i++) {
        unsigned int c = code_at(i);

        w->codes->unicode_map[c & 0xff][c >> 8] = (HPDF_UNICODE)w->chars[i];
    }
    return 0;
}

/* Gives f's codes their CIDs (the codes themselves) for HPDF_GetFont, or
 * takes them back (on 0) so that the next font gets only its own.
 * libharu writes /W and the CIDToGIDMap for the CIDs below the highest
 * one only, so the code after the document's last is given one too. */
static void set_cids(writer *w, const used_font *f, int on)
{
    size_t i;
    unsigned int c;

    for (i = 0; i <= f->ncps; i++) {
        c = i < f->ncps ? w->code[f->cps[i]] : code_at(w->nchars);
        w->codes->cid_map[c & 0xff][c >> 8] = (HPDF_UINT16)(on ? c : 0);
    }
}

/* Loads the TrueType font data[0..len) as libharu's LoadTTFontFromFile
 * does, but from memory: 2.3.0 can only read fonts from files, and
 * reading one through a file costs hundreds of system calls per font.
 * Returns the font's name, or NULL with libharu's error set. */
static const char *load_ttf(writer *w, const unsigned char *data,
                            size_t len)
{
    HPDF_Doc pdf = w->pdf;
    /* One buffer a byte larger than the font: libharu's memory stream
     * fails a read that ends exactly at the end of a full buffer. */
    HPDF_Stream s = HPDF_MemStream_New(pdf->mmgr, (HPDF_UINT)len + 1);
    HPDF_FontDef def;
    uint64_t h = 14695981039346656037ULL;
    char tag[7];
    size_t k;
    int i, again;

    if (s == NULL)
        return NULL;
    if (HPDF_Stream_Write(s, data, (HPDF_UINT)len) != HPDF_OK) {
        HPDF_Stream_Free(s);
        return NULL;
    }
    /* The definition keeps the stream (embedding) and frees it. */
    if ((def = HPDF_TTFontDef_Load(pdf->mmgr, s, HPDF_TRUE)) == NULL)
        return NULL;
    if (HPDF_Doc_FindFontDef(pdf, def->base_font) != NULL ||
        HPDF_List_Add(pdf->fontdef_list, def) != HPDF_OK) {
        HPDF_FontDef_Free(def);
        return NULL;
    }
    /* The subset tag: six capitals from a hash (FNV-1a) of the subset,
     * so that a subset has the same name in every file and different
     * subsets different names, as ISO 32000-1 9.6.4 asks, in a merged
     * print file too; moved on in the rare case that two subsets of one
     * document meet. */
    for (k = 0; k < len; k++)
        h = (h ^ data[k]) * 1099511628211ULL;
    do {
        uint64_t v = h;

        for (i = 0; i < 6; i++, v /= 26)
            tag[i] = (char)('A' + v % 26);
        tag[6] = 0;
        again = 0;
        for (i = 0; i < w->ntags; i++)
            again |= memcmp(w->tags[i], tag, 6) == 0;
        h++;
    } while (again);
    if (w->ntags < PLEDGE_STYLE_COUNT)
        memcpy(w->tags[w->ntags++], tag, 7);
    HPDF_TTFontDef_SetTagName(def, tag);
    return def->base_font;
}

/* Writes v (below 0x10000) as four capital hex digits at out, as
 * "%04X" would, and returns the end: snprintf for each of thousands of
 * codes a pledge maps was a percent of its time. */
static char *hex4(char *out, unsigned int v)
{
    static const char digit[] = "0123456789ABCDEF";

    out[0] = digit[v >> 12 & 15];
    out[1] = digit[v >> 8 & 15];
    out[2] = digit[v >> 4 & 15];
    out[3] = digit[v & 15];
    return out + 4;
}

/* Writes text[0..len) (UTF-8) to s as hex UTF-16BE, a code point beyond
 * the BMP as its surrogate pair. */
static HPDF_STATUS write_utf16(HPDF_Stream s, const char *text, size_t len)
{
    size_t at = 0;
    uint32_t cp;
    char hex[16], *end;
    HPDF_STATUS st = HPDF_OK;

    while (at < len && st == HPDF_OK) {
        if (pledge_utf8_next(text, len, &at, &cp) != 0)
            return HPDF_INVALID_PARAMETER;
        if (cp > 0xffff)
            end = hex4(hex4(hex, 0xd800 + ((cp - 0x10000) >> 10)),
                       0xdc00 + ((cp - 0x10000) & 0x3ff));
        else
            end = hex4(hex, cp);
        st = HPDF_Stream_Write(s, (const HPDF_BYTE *)hex,
                               (HPDF_UINT)(end - hex));
    }
    return st;
}

/* Writes a ToUnicode CMap for f: each code to the character it stands
 * for (see shown), one bfchar entry each (some readers, Ghostscript among
 * them, misread ranges), in UTF-16BE. */
static int write_tounicode(HPDF_Stream s, const used_font *f)
{
    char line[32];
    size_t i;
    HPDF_STATUS st = HPDF_OK;
    shown **order = shown_sorted(f, code_cmp);

    if (order == NULL)
        return -1;
    st |= HPDF_Stream_WriteStr(s,
        "/CIDInit /ProcSet findresource begin\n"
        "12 dict begin\n"
        "begincmap\n"
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) "
        "/Supplement 0 >> def\n"
        "/CMapName /Adobe-Identity-UCS def\n"
        "/CMapType 2 def\n"
        "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n");
    /* At most 100 entries to a block, in code order; a code point beyond
     * the BMP as its surrogate pair. */
    for (i = 0; i < f->nshown; i++) {
        const shown *g = order[i];

        if (i % 100 == 0) {
            snprintf(line, sizeof line, "%zu beginbfchar\n",
                     f->nshown - i < 100 ? f->nshown - i : 100);
            st |= HPDF_Stream_WriteStr(s, line);
        }
        line[0] = '<';
        memcpy(hex4(line + 1, g->code), "> <", 3);
        st |= HPDF_Stream_Write(s, (const HPDF_BYTE *)line, 8);
        st |= write_utf16(s, g->text, g->len);
        st |= HPDF_Stream_WriteStr(s, ">\n");
        if ((i + 1) % 100 == 0 || i + 1 == f->nshown)
            st |= HPDF_Stream_WriteStr(s, "endbfchar\n");
    }
    st |= HPDF_Stream_WriteStr(s,
        "endcmap\n"
        "CMapName currentdict /CMap defineresource pop\n"
        "end\n"
        "end\n");
    free(order);
    return st != HPDF_OK ? -1 : 0;
}

/* Replaces the /W and the CIDToGIDMap libharu made from the code points
 * with f's codes: each code's CID is the code, its glyph the subset's,
 * its width the glyph's advance. */
static int write_glyph_map(writer *w, used_font *f)
{
    HPDF_FontAttr fa = (HPDF_FontAttr)f->hfont->attr;
    HPDF_Array wa, run = NULL;
    unsigned char *map;
    size_t i, n = (size_t)f->maxcode + 1;
    HPDF_STATUS st = HPDF_OK;
    shown **order;

    wa = HPDF_Dict_GetItem(fa->descendant_font, "W", HPDF_OCLASS_ARRAY);
    if (wa == NULL || fa->map_stream == NULL ||
        fa->map_stream->stream == NULL)
        return -1;
    if ((order = shown_sorted(f, code_cmp)) == NULL)
        return -1;
    if ((map = calloc(n, 2)) == NULL) {
        free(order);
        return -1;
    }
    /* The widths as runs of consecutive codes: "c [w w ...] ...". */
    HPDF_Array_Clear(wa);
    for (i = 0; i < f->nshown; i++) {
        const shown *g = order[i];

        map[2 * g->code] = (unsigned char)(g->newgid >> 8);
        map[2 * g->code + 1] = (unsigned char)(g->newgid & 0xff);
        if (i == 0 || order[i - 1]->code + 1 != g->code) {
            st |= HPDF_Array_AddNumber(wa, (HPDF_INT32)g->code);
            if ((run = HPDF_Array_New(w->pdf->mmgr)) == NULL ||
                HPDF_Array_Add(wa, run) != HPDF_OK) {
                st = HPDF_FAILD_TO_ALLOC_MEM;
                break;
            }
        }
        st |= HPDF_Array_AddNumber(run, g->width);
    }
    HPDF_MemStream_FreeData(fa->map_stream->stream);
    st |= HPDF_Stream_Write(fa->map_stream->stream, map, (HPDF_UINT)(2 * n));
    free(map);
    free(order);
    return st != HPDF_OK || bad(w, HPDF_OK) ? -1 : 0;
}

/* Corrects what libharu 2.3.0 made for a TrueType Type0 font:
 * - its ToUnicode CMap, a copy of the encoding CMap, becomes a real one;
 * - its /W and CIDToGIDMap, made for codes of code points, are made for
 *   the codes of the glyphs shown;
 * - its BaseFont carries a ",Bold" style suffix, which is for fonts that
 *   are not embedded; an embedded subset is named tag+PostScript name.
 * Its CIDToGIDMap is right as it is, and short: it ends before the code
 * that set_cids adds after the last. */
static int patch_font(writer *w, used_font *f, pledge_err *err)
{
    static const char *const drop[] = {
        "Type", "CMapName", "CIDSystemInfo", "WMode"
    };
    HPDF_FontAttr fa = (HPDF_FontAttr)f->hfont->attr;
    HPDF_TTFontDefAttr da;
    HPDF_Dict tu;
    size_t i;
    char *comma;

    if (fa == NULL || fa->fontdef == NULL || fa->cmap_stream == NULL ||
        fa->cmap_stream->stream == NULL ||
        HPDF_Dict_GetItem(f->hfont, "ToUnicode", HPDF_OCLASS_DICT) !=
        fa->cmap_stream)
        return pledge_err_set(err, "write PDF: %s: libharu made an "
                              "unexpected font", font_name(f->font));
    da = (HPDF_TTFontDefAttr)fa->fontdef->attr;
    tu = fa->cmap_stream;

    HPDF_MemStream_FreeData(tu->stream);
    for (i = 0; i < sizeof drop / sizeof drop[0]; i++) {
        if (HPDF_Dict_RemoveElement(tu, drop[i]) != HPDF_OK) {
            /* A key libharu did not write is no error. */
            HPDF_ResetError(w->pdf);
            w->herr.code = 0;
        }
    }
    if (write_tounicode(tu->stream, f) != 0)
        return hpdf_fail(w, err, "writing a ToUnicode CMap");
    if (write_glyph_map(w, f) != 0)
        return hpdf_fail(w, err, "writing a font's widths and glyph map");

    if (da != NULL && (comma = strchr(da->base_font, ',')) != NULL)
        *comma = '\0';
    return 0;
}

int pledge_pdf_cache_new(pledge_pdf_cache **out, pledge_err *err)
{
    pledge_pdf_cache *c = calloc(1, sizeof *c);

    if (c == NULL)
        return pledge_err_set(err, "out of memory");
    *out = c;
    return 0;
}

void pledge_pdf_cache_free(pledge_pdf_cache *cache)
{
    size_t i;

    if (cache == NULL)
        return;
    for (i = 0; i < CACHED_PROGRAMS; i++) {
        free(cache->p[i].raw);
        free(cache->p[i].z);
    }
    libdeflate_free_compressor(cache->dc);
    free(cache);
}

/* libdeflate's level for every stream, as measured on each kind of a
 * pledge's streams.  Page contents, 15-18 KB of operators a page: level 6
 * is 5 times as fast as level 9 (0.10 ms a page against 0.50) for 5% more
 * bytes (under 200 a page), and still a fifth smaller than zlib's level
 * 3; level 7 took 0.16 ms for half the difference in bytes.  Font
 * programs (once per distinct subset, see compressed) and the small
 * streams (CMaps, CIDToGIDMaps, the XMP) come out within a few bytes of
 * level 9, in half the time on a ToUnicode CMap (13 us against 26). */
#define DEFLATE_LEVEL 6

/* data[0..len) in the zlib format, in a malloc'd buffer, or NULL when
 * out of memory.  *dc is the compressor to use, made here when NULL (a
 * compressor is hundreds of KB: made once per cache, or per document).
 * The caller frees the result, and in the end *dc with
 * libdeflate_free_compressor(). */
static unsigned char *deflated(struct libdeflate_compressor **dc,
                               const unsigned char *data, size_t len,
                               size_t *zlen)
{
    struct libdeflate_compressor *c = *dc;
    size_t bound;
    unsigned char *z;

    if (c == NULL && (c = *dc = libdeflate_alloc_compressor(
                          DEFLATE_LEVEL)) == NULL)
        return NULL;
    bound = libdeflate_zlib_compress_bound(c, len);
    z = malloc(bound != 0 ? bound : 1);
    *zlen = z == NULL ? 0 : libdeflate_zlib_compress(c, data, len, z, bound);
    if (*zlen == 0) {
        free(z);
        return NULL;
    }
    return z;
}

/* Where the compressor deflated() uses is kept: the cache's, else the
 * writer's own. */
static struct libdeflate_compressor **compressor(writer *w)
{
    return w->cache != NULL ? &w->cache->dc : &w->dc;
}

/* The subset raw[0..len) of font compressed, from the cache when it holds
 * the same bytes, else made now (and kept when there is a cache).  *z
 * belongs to the cache, or to the caller (*owned set) when there is
 * none.  Returns 0, or -1 when out of memory. */
static int compressed(pledge_pdf_cache *c,
                      struct libdeflate_compressor **dc,
                      const pledge_font *font,
                      const unsigned char *raw, size_t len,
                      unsigned char **z, size_t *zlen, int *owned)
{
    program *slot = NULL;
    size_t n;
    unsigned char *out;
    size_t i;

    *owned = 0;
    for (i = 0; c != NULL && i < CACHED_PROGRAMS; i++) {
        program *p = &c->p[i];

        if (p->font == font && p->rawlen == len &&
            memcmp(p->raw, raw, len) == 0) {
            p->used = ++c->clock;
            *z = p->z;
            *zlen = p->zlen;
            return 0;
        }
        if (slot == NULL || p->used < slot->used)
            slot = p;
    }
    if ((out = deflated(dc, raw, len, &n)) == NULL)
        return -1;
    if (slot == NULL) {
        *z = out;
        *zlen = n;
        *owned = 1;
        return 0;
    }
    free(slot->raw);
    free(slot->z);
    memset(slot, 0, sizeof *slot);
    if ((slot->raw = malloc(len != 0 ? len : 1)) == NULL) {
        *z = out;
        *zlen = n;
        *owned = 1;
        return 0;
    }
    memcpy(slot->raw, raw, len);
    slot->font = font;
    slot->rawlen = len;
    slot->z = out;
    slot->zlen = n;
    slot->used = ++c->clock;
    *z = out;
    *zlen = n;
    return 0;
}

static HPDF_STATUS flate_entry(HPDF_Dict dict, HPDF_Stream stream)
{
    (void)dict;
    return HPDF_Stream_WriteStr(stream, "/Filter /FlateDecode\012");
}

/* Gives f's font its descriptor now, with the font program as given,
 * already compressed.  libharu 2.3.0 would make the descriptor while
 * saving, rebuilding the TrueType file from its tables and compressing it
 * for every document (a third of a pledge's time); it skips all that for
 * a font definition that has a descriptor.  The entries are the ones it
 * writes. */
static int embed_program(writer *w, used_font *f, const unsigned char *z,
                         size_t zlen, size_t rawlen, pledge_err *err)
{
    HPDF_FontAttr fa = (HPDF_FontAttr)f->hfont->attr;
    HPDF_FontDef def = fa->fontdef;
    HPDF_TTFontDefAttr da = (HPDF_TTFontDefAttr)def->attr;
    HPDF_MMgr mm = w->pdf->mmgr;
    HPDF_Dict desc, file;
    HPDF_STATUS st = HPDF_OK;

    if (def->descriptor != NULL || da == NULL || fa->xref == NULL)
        return pledge_err_set(err, "write PDF: %s: libharu made an "
                              "unexpected font", font_name(f->font));
    desc = HPDF_Dict_New(mm);
    file = HPDF_DictStream_New(mm, fa->xref);
    if (desc == NULL || file == NULL)
        return hpdf_fail(w, err, "embedding a font");
    /* Written as it is: libharu would drop a /Filter entry of a stream it
     * does not filter itself, so flate_entry writes it. */
    file->filter = HPDF_STREAM_FILTER_NONE;
    file->write_fn = flate_entry;
    st |= HPDF_Dict_AddNumber(file, "Length1", (HPDF_INT32)rawlen);
    st |= HPDF_Stream_Write(file->stream, z, (HPDF_UINT)zlen);
    crypto_generichash_update(&w->idh, z, zlen);
    st |= HPDF_Xref_Add(fa->xref, desc);
    st |= HPDF_Dict_AddName(desc, "Type", "FontDescriptor");
    st |= HPDF_Dict_AddNumber(desc, "Ascent", def->ascent);
    st |= HPDF_Dict_AddNumber(desc, "Descent", def->descent);
    st |= HPDF_Dict_AddNumber(desc, "Flags", (HPDF_INT32)def->flags);
    st |= HPDF_Dict_Add(desc, "FontBBox",
                        HPDF_Box_Array_New(mm, def->font_bbox));
    st |= HPDF_Dict_AddName(desc, "FontName", da->base_font);
    st |= HPDF_Dict_AddNumber(desc, "ItalicAngle", def->italic_angle);
    st |= HPDF_Dict_AddNumber(desc, "StemV", def->stemv);
    st |= HPDF_Dict_AddNumber(desc, "XHeight", def->x_height);
    st |= HPDF_Dict_Add(desc, "FontFile2", file);
    if (st != HPDF_OK || bad(w, HPDF_OK))
        return hpdf_fail(w, err, "embedding a font");
    def->descriptor = desc;
    return 0;
}

/* Loads one font's subset data[0..len) into libharu, patches what it
 * makes and embeds the program compressed as z[0..zlen). */
/* Removes an entry libharu writes that says nothing here, if it is
 * there: a pledge is kept small. */
static void trim_entry(writer *w, HPDF_Dict d, const char *key)
{
    if (d != NULL && HPDF_Dict_RemoveElement(d, key) != HPDF_OK) {
        HPDF_ResetError(w->pdf);
        w->herr.code = 0;
    }
}

/* A font's /DW2, the metrics of vertical writing, which pledges never
 * use. */
static int trim_font(writer *w, used_font *f, pledge_err *err)
{
    HPDF_FontAttr fa = (HPDF_FontAttr)f->hfont->attr;

    if (fa == NULL || fa->descendant_font == NULL)
        return pledge_err_set(err, "write PDF: %s: libharu made an "
                              "unexpected font", font_name(f->font));
    trim_entry(w, fa->descendant_font, "DW2");
    return 0;
}

static int load_font(writer *w, used_font *f, const unsigned char *data,
                     size_t len, const unsigned char *z, size_t zlen,
                     size_t rawlen, pledge_err *err)
{
    char what[300];
    const char *name = load_ttf(w, data, len);

    if (name == NULL || bad(w, HPDF_OK)) {
        snprintf(what, sizeof what, "loading the subset of %s",
                 font_name(f->font));
        return hpdf_fail(w, err, what);
    }
    set_cids(w, f, 1);
    f->hfont = HPDF_GetFont(w->pdf, name, ENCODER);
    set_cids(w, f, 0);
    if (f->hfont == NULL || bad(w, HPDF_OK)) {
        snprintf(what, sizeof what, "making a Type0 font of %s",
                 font_name(f->font));
        return hpdf_fail(w, err, what);
    }
    if (patch_font(w, f, err) != 0 || trim_font(w, f, err) != 0)
        return -1;
    return embed_program(w, f, z, zlen, rawlen, err);
}

/* Pass two, per font: subset, compress (or find in the cache), load. */
static int load_fonts(writer *w, pledge_err *err)
{
    unsigned char *data, *emb, *z;
    size_t len, emblen, zlen, i;
    uint32_t *gids;
    int u, owned, rc;

    for (u = 0; u < w->nused; u++) {
        used_font *f = &w->used[u];

        gids = malloc(2 * (f->nshown + 1) * sizeof *gids);
        if (gids == NULL)
            return pledge_err_set(err, "write PDF: out of memory");
        /* A companion is the word space's glyph, which has no ink. */
        for (i = 0; i < f->nshown; i++)
            gids[i] = f->shown[i].gid != COMPANION ? f->shown[i].gid :
                      f->space < f->nshown ? f->shown[f->space].gid : 0;
        rc = pledge_subset_glyphs(f->font, f->cps, f->ncps, gids,
                                  gids + f->nshown + 1, f->nshown, &data,
                                  &len, err);
        for (i = 0; rc == 0 && i < f->nshown; i++)
            f->shown[i].newgid = gids[f->nshown + 1 + i];
        free(gids);
        if (rc != 0)
            return pledge_err_prefix(err, "write PDF");
        if (pledge_subset_embeddable(data, len, &emb, &emblen, err) != 0) {
            free(data);
            return pledge_err_prefix(err, "write PDF: %s",
                                     font_name(f->font));
        }
        rc = compressed(w->cache, compressor(w), f->font, emb, emblen, &z,
                        &zlen, &owned);
        free(emb);
        if (rc != 0) {
            free(data);
            return pledge_err_set(err, "write PDF: %s: out of memory "
                                  "compressing the subset font",
                                  font_name(f->font));
        }
        rc = load_font(w, f, data, len, z, zlen, emblen, err);
        if (owned)
            free(z);
        free(data);
        if (rc != 0)
            return -1;
    }
    return 0;
}

/* The Info entries pledge writes itself, kept in the Info dictionary's
 * attr: libharu writes every string as hex UTF-16, four bytes a letter. */
static HPDF_STATUS write_info(HPDF_Dict info, HPDF_Stream s)
{
    const literal *l = info->attr;

    return HPDF_Stream_Write(s, (const HPDF_BYTE *)l->p, (HPDF_UINT)l->len);
}

/* Appends "/key (" p[0..n) ")" to l, p escaped as a literal string: its
 * bytes as they are but for a backslash before \, ( and ), and \r for a
 * carriage return (which a reader would take for a line end); or, hex
 * non-zero, "/key <" p in uppercase hex ">".  A line feed follows.
 * Returns 0, or -1 when out of memory. */
static int put_string(literal *l, const char *key, const unsigned char *p,
                      size_t n, int hex)
{
    size_t i, need = l->len + strlen(key) + 2 * n + 8;
    char *q = pledge_grow(l->p, &l->cap, need, 1);

    if (q == NULL)
        return -1;
    l->p = q;
    l->len += (size_t)sprintf(q + l->len, hex ? "/%s <" : "/%s (", key);
    for (i = 0; i < n; i++) {
        if (hex) {
            l->len += (size_t)sprintf(q + l->len, "%02X", p[i]);
            continue;
        }
        if (p[i] == '\\' || p[i] == '(' || p[i] == ')' || p[i] == '\r')
            q[l->len++] = '\\';
        q[l->len++] = p[i] == '\r' ? 'r' : (char)p[i];
    }
    q[l->len++] = hex ? '>' : ')';
    q[l->len++] = '\012';
    return 0;
}

/* PDFDocEncoding's codes from 0x80 to 0xA0 (ISO 32000-1 D.2); from 0xA1
 * on it is Latin-1 but for 0xAD, which it leaves undefined. */
static const uint16_t pdfdoc_80[33] = {
    0x2022, 0x2020, 0x2021, 0x2026, 0x2014, 0x2013, 0x0192, 0x2044,
    0x2039, 0x203A, 0x2212, 0x2030, 0x201E, 0x201C, 0x201D, 0x2018,
    0x2019, 0x201A, 0x2122, 0xFB01, 0xFB02, 0x0141, 0x0152, 0x0160,
    0x0178, 0x017D, 0x0131, 0x0142, 0x0153, 0x0161, 0x017E, 0, 0x20AC
};

/* The PDFDocEncoding byte of cp, or 0 when it has none. */
static unsigned char pdfdoc_byte(uint32_t cp)
{
    size_t i;

    if ((cp >= 0x20 && cp < 0x7f) || cp == '\n' || cp == '\t')
        return (unsigned char)cp;
    if (cp >= 0xa1 && cp <= 0xff && cp != 0xad)
        return (unsigned char)cp;
    for (i = 0; i < sizeof pdfdoc_80 / sizeof *pdfdoc_80; i++)
        if (pdfdoc_80[i] != 0 && pdfdoc_80[i] == cp)
            return (unsigned char)(0x80 + i);
    return 0;
}

/* Appends "/key (text)": UTF-8 v as a text string, in PDFDocEncoding
 * when it has every character, else UTF-16BE after a byte order mark.
 * Returns 0, or -1 when out of memory. */
static int put_text(literal *l, const char *key, const char *v)
{
    size_t len = strlen(v), i = 0, n = 0;
    unsigned char *b = malloc(2 + 4 * len + 1);
    uint32_t cp;
    int doc = 1, r;

    if (b == NULL)
        return -1;
    while (doc && i < len && pledge_utf8_next(v, len, &i, &cp) == 0)
        if ((b[n++] = pdfdoc_byte(cp)) == 0)
            doc = 0;
    /* "\xfe\xff" first would read as a byte order mark. */
    if (n >= 2 && b[0] == 0xfe && b[1] == 0xff)
        doc = 0;
    if (!doc) {
        b[0] = 0xfe;
        b[1] = 0xff;
        n = 2;
        i = 0;
        while (i < len && pledge_utf8_next(v, len, &i, &cp) == 0) {
            if (cp >= 0x10000) {
                uint32_t u = cp - 0x10000, hi = 0xd800 | (u >> 10);

                b[n++] = (unsigned char)(hi >> 8);
                b[n++] = (unsigned char)hi;
                cp = 0xdc00 | (u & 0x3ff);
            }
            b[n++] = (unsigned char)(cp >> 8);
            b[n++] = (unsigned char)cp;
        }
    }
    r = put_string(l, key, b, n, 0);
    free(b);
    return r;
}

/* Fills the Info dictionary: the dates through libharu (which makes the
 * dictionary and its /Producer), the strings and /PledgeInputs as
 * literal strings of pledge's own (write_info). */
static int set_info(writer *w, const pledge_pdf_info *info, pledge_err *err)
{
    static const char *const keys[] = {
        "Title", "Author", "Subject", "Keywords", "Creator"
    };
    struct tm tm;
    time_t t = (time_t)info->epoch;
    HPDF_Date date;
    size_t i;

    if ((long long)t != info->epoch || gmtime_r(&t, &tm) == NULL ||
        tm.tm_year + 1900 < 1 || tm.tm_year + 1900 > 9999)
        return pledge_err_set(err, "write PDF: bad timestamp %lld",
                              info->epoch);
    memset(&date, 0, sizeof date);
    date.year = tm.tm_year + 1900;
    date.month = tm.tm_mon + 1;
    date.day = tm.tm_mday;
    date.hour = tm.tm_hour;
    date.minutes = tm.tm_min;
    date.seconds = tm.tm_sec < 60 ? tm.tm_sec : 59;
    date.ind = 'Z';
    if (bad(w, HPDF_SetInfoDateAttr(w->pdf, HPDF_INFO_CREATION_DATE,
                                    date)) ||
        bad(w, HPDF_SetInfoDateAttr(w->pdf, HPDF_INFO_MOD_DATE, date)))
        return hpdf_fail(w, err, "setting the document dates");
    if (w->pdf->info == NULL || w->pdf->info->write_fn != NULL)
        return pledge_err_set(err, "write PDF: no document info");
    for (i = 0; i < NINFO; i++) {
        const char *v = info_string(info, i);

        if (v != NULL && *v != '\0' &&
            put_text(&w->info, keys[i], v) != 0)
            return pledge_err_set(err, "write PDF: out of memory");
    }
    if ((info->inputs != NULL &&
         put_string(&w->info, "PledgeInputs", info->inputs,
                    info->inputs_len, 0) != 0) ||
        (info->seal != NULL &&
         put_string(&w->info, "PledgeSeal", info->seal, info->seal_len,
                    1) != 0))
        return pledge_err_set(err, "write PDF: out of memory");
    w->pdf->info->attr = &w->info;
    w->pdf->info->write_fn = write_info;
    return 0;
}

/* Feeds one value into the /ID's hash, after its field number and
 * length, so that no two different infos hash alike. */
static void hash_value(writer *w, unsigned char field, const void *p,
                       size_t n)
{
    unsigned char len[8];
    int i;

    for (i = 0; i < 8; i++)
        len[i] = (unsigned char)((unsigned long long)n >> (8 * i));
    crypto_generichash_update(&w->idh, &field, 1);
    crypto_generichash_update(&w->idh, len, sizeof len);
    crypto_generichash_update(&w->idh, p, n);
}

typedef struct {
    HPDF_Stream s;
    HPDF_STATUS st;
} xml_out;

/* Writes UTF-8 t as XML character data: markup characters escaped, the
 * C0 controls XML 1.0 forbids left out. */
static void xml_text(xml_out *o, const char *t)
{
    const char *run = t;

    for (; *t != '\0'; t++) {
        unsigned char c = (unsigned char)*t;
        const char *rep = c == '&' ? "&amp;" : c == '<' ? "&lt;" :
                          c == '>' ? "&gt;" : c == '"' ? "&quot;" :
                          c < 0x20 && c != '\t' && c != '\n' && c != '\r' ?
                          "" : NULL;

        if (rep == NULL)
            continue;
        o->st |= HPDF_Stream_Write(o->s, (const HPDF_BYTE *)run,
                                   (HPDF_UINT)(t - run));
        o->st |= HPDF_Stream_WriteStr(o->s, rep);
        run = t + 1;
    }
    o->st |= HPDF_Stream_Write(o->s, (const HPDF_BYTE *)run,
                               (HPDF_UINT)(t - run));
}

/* Writes open, t escaped, close; nothing when t is NULL or empty. */
static void xml_elem(xml_out *o, const char *open, const char *t,
                     const char *close)
{
    if (t == NULL || *t == '\0')
        return;
    o->st |= HPDF_Stream_WriteStr(o->s, open);
    xml_text(o, t);
    o->st |= HPDF_Stream_WriteStr(o->s, close);
}

/* The XMP packet: the Info dictionary's values again (ISO 16684-1 and
 * the PDF mapping of ISO 32000-1 14.3.2), with the language.  Producer
 * is what libharu put in Info. */
static HPDF_STATUS write_xmp(writer *w, HPDF_Stream s,
                             const pledge_pdf_info *info, const char *lang,
                             const char *date)
{
    xml_out o = { s, HPDF_OK };

    o.st |= HPDF_Stream_WriteStr(s,
        "<?xpacket begin=\"\xef\xbb\xbf\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n"
        "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n"
        "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n"
        "<rdf:Description rdf:about=\"\"\n"
        " xmlns:dc=\"http://purl.org/dc/elements/1.1/\"\n"
        " xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\"\n"
        " xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\"\n"
        " xmlns:pdfuaid=\"http://www.aiim.org/pdfua/ns/id/\">\n"
        "<dc:format>application/pdf</dc:format>\n"
        "<pdfuaid:part>1</pdfuaid:part>\n");
    xml_elem(&o, "<dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">",
             info->title, "</rdf:li></rdf:Alt></dc:title>\n");
    xml_elem(&o, "<dc:creator><rdf:Seq><rdf:li>", info->author,
             "</rdf:li></rdf:Seq></dc:creator>\n");
    xml_elem(&o, "<dc:description><rdf:Alt><rdf:li xml:lang=\"x-default\">",
             info->subject, "</rdf:li></rdf:Alt></dc:description>\n");
    xml_elem(&o, "<dc:language><rdf:Bag><rdf:li>", lang,
             "</rdf:li></rdf:Bag></dc:language>\n");
    xml_elem(&o, "<pdf:Keywords>", info->keywords, "</pdf:Keywords>\n");
    xml_elem(&o, "<pdf:Producer>",
             HPDF_GetInfoAttr(w->pdf, HPDF_INFO_PRODUCER),
             "</pdf:Producer>\n");
    xml_elem(&o, "<xmp:CreatorTool>", info->creator, "</xmp:CreatorTool>\n");
    xml_elem(&o, "<xmp:CreateDate>", date, "</xmp:CreateDate>\n");
    xml_elem(&o, "<xmp:ModifyDate>", date, "</xmp:ModifyDate>\n");
    xml_elem(&o, "<xmp:MetadataDate>", date, "</xmp:MetadataDate>\n");
    o.st |= HPDF_Stream_WriteStr(s, "</rdf:Description>\n</rdf:RDF>\n"
                                 "</x:xmpmeta>\n<?xpacket end=\"r\"?>");
    return o.st;
}

/* What the catalog says of the whole document: its language, that a
 * viewer shows its title, its XMP metadata; and PDF 1.7.  Call after
 * set_info, which checked info->epoch. */
static int set_document(writer *w, const pledge_pdf_info *info,
                        pledge_err *err)
{
    HPDF_MMgr mm = w->pdf->mmgr;
    HPDF_Dict cat = w->pdf->catalog, prefs, meta;
    const char *lang = info->language != NULL ? info->language : "en-US";
    time_t t = (time_t)info->epoch;
    unsigned char epoch[8];
    char date[32];
    struct tm tm;
    size_t i;

    w->greek_spans = !(strncmp(lang, "el", 2) == 0 &&
                       (lang[2] == '\0' || lang[2] == '-'));

    for (i = 0; i < NINFO; i++) {
        const char *v = info_string(info, i);

        if (v != NULL)
            hash_value(w, (unsigned char)i, v, strlen(v));
    }
    for (i = 0; i < 8; i++)
        epoch[i] = (unsigned char)((unsigned long long)info->epoch >>
                                   (8 * i));
    hash_value(w, NINFO, epoch, sizeof epoch);
    hash_value(w, NINFO + 1, lang, strlen(lang));
    if (info->inputs != NULL)
        hash_value(w, NINFO + 2, info->inputs, info->inputs_len);
    if (info->seal != NULL)
        hash_value(w, NINFO + 3, info->seal, info->seal_len);

    if (gmtime_r(&t, &tm) == NULL ||
        strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
        return pledge_err_set(err, "write PDF: bad timestamp %lld",
                              info->epoch);
    w->pdf->pdf_version = HPDF_VER_17;
    prefs = HPDF_Dict_New(mm);
    if (prefs == NULL ||
        bad(w, HPDF_Dict_AddBoolean(prefs, "DisplayDocTitle", HPDF_TRUE)) ||
        bad(w, HPDF_Dict_Add(cat, "ViewerPreferences", prefs)) ||
        bad(w, HPDF_Dict_Add(cat, "Lang", HPDF_String_New(mm, lang, NULL))))
        return hpdf_fail(w, err, "setting the language");
    meta = HPDF_DictStream_New(mm, w->pdf->xref);
    if (meta == NULL || bad(w, HPDF_OK))
        return hpdf_fail(w, err, "adding the metadata");
    /* Compressed (by compress_rest): half its size, 0.7 KB of a pledge.
     * Nothing asks a pledge's XMP to be readable in the raw file
     * (PDF/UA-1 does not; PDF/A-1, which would, is not what a pledge
     * claims to be). */
    w->meta = meta;
    if (bad(w, HPDF_Dict_AddName(meta, "Type", "Metadata")) ||
        bad(w, HPDF_Dict_AddName(meta, "Subtype", "XML")) ||
        bad(w, write_xmp(w, meta->stream, info, lang, date)) ||
        bad(w, HPDF_Dict_Add(cat, "Metadata", meta)))
        return hpdf_fail(w, err, "adding the metadata");
    return 0;
}

/* The trailer's /ID: both halves the hash of the font programs, page
 * contents and info fed in since the writer started, so that the same
 * pledge gets the same ID and a different one another.  Call last before
 * saving. */
static int set_identity(writer *w, pledge_err *err)
{
    HPDF_MMgr mm = w->pdf->mmgr;
    unsigned char id[16];
    HPDF_Array a;
    int i;

    crypto_generichash_final(&w->idh, id, sizeof id);
    a = HPDF_Array_New(mm);
    if (a == NULL || bad(w, HPDF_Dict_Add(w->pdf->trailer, "ID", a)))
        return hpdf_fail(w, err, "setting the document ID");
    for (i = 0; i < 2; i++) {
        HPDF_Binary b = HPDF_Binary_New(mm, id, sizeof id);

        if (b == NULL || bad(w, HPDF_Array_Add(a, b)))
            return hpdf_fail(w, err, "setting the document ID");
    }
    return 0;
}

/* ---- The tagged structure (ISO 32000-1 14.7-14.8, PDF/UA-1) ----------
 *
 * While the pages are drawn, each run of text items of one block is
 * wrapped in a marked-content sequence: tagged with the role of its
 * element and an MCID (tag_text), or, for a running header or footer,
 * an artifact, as rules and boxes are (tag_graphics); a 2-D code that
 * has words for a reader is a Figure, drawn after the page's text
 * (tag_codes).  Elements are made in the order their first item is
 * drawn, which is reading order: the title H1, headings H2.., P, and
 * list items as L > LI > Lbl + LBody (a block's label and body share its
 * block number; consecutive item blocks make one list, so the signature
 * block's fields are one list of label/value pairs).  tag_finish then
 * writes the tree: one indirect object per element, kept small (no
 * optional /Type, a /Pg only where it differs from the parent's, the
 * content of other pages as marked-content references), the parent tree
 * as one number tree node, and /StructParents on every page. */

/* A growing string: the body of one compact dictionary. */
typedef struct {
    char *p;
    size_t len, cap;
    int oom;
} sbuf;

/* ELEM_SPAN: a run of Greek letters inside a leaf, its own element so
 * that it can say its language (/Lang el) and still be the leaf's text
 * in order: a leaf's kids are its MCIDs and its spans, as drawn. */
enum { ELEM_LEAF, ELEM_L, ELEM_LI, ELEM_FORM, ELEM_FIGURE, ELEM_SPAN };

typedef struct {
    int kind;
    pledge_tag tag;         /* ELEM_LEAF */
    int block;              /* ELEM_LEAF, ELEM_LI */
    long parent;            /* index, or -1: the Document */
    const pledge_code *code;    /* ELEM_FIGURE: what it shows */
    HPDF_Dict dict;
} selem;

typedef struct {
    size_t page;
    int mcid;
    size_t elem;
} mcref;

/* What is open in the content stream being written. */
enum { MC_NONE, MC_TAGGED, MC_ARTIFACT };

typedef struct {
    selem *e;
    size_t n, cap;
    mcref *mc;
    size_t nmc, capmc;
    HPDF_Page *pages;
    size_t npages, cappages;
    sbuf **bodies;              /* of the compact dictionaries */
    size_t nbodies, capbodies;
    int open, open_block, next_mcid;
    pledge_tag open_tag;
    long open_span;             /* the leaf whose Span is open, or -1 */
    size_t area_page;           /* 1 + the page with the endorsement
                                   area, or 0: none */
} tagging;

static const char *const tag_role[] = {
    [PLEDGE_TAG_H1] = "H1", [PLEDGE_TAG_H2] = "H2", [PLEDGE_TAG_H3] = "H3",
    [PLEDGE_TAG_H4] = "H4", [PLEDGE_TAG_P] = "P", [PLEDGE_TAG_LBL] = "Lbl",
    [PLEDGE_TAG_LBODY] = "LBody"
};

static void tag_free(tagging *tg)
{
    size_t i;

    for (i = 0; i < tg->nbodies; i++) {
        free(tg->bodies[i]->p);
        free(tg->bodies[i]);
    }
    free(tg->bodies);
    free(tg->e);
    free(tg->mc);
    free(tg->pages);
}

/* Appends an element; returns its index, or -1 when out of memory. */
static long tag_add(tagging *tg, int kind, pledge_tag tag, int block,
                    long parent)
{
    selem *p = pledge_grow(tg->e, &tg->cap, tg->n + 1, sizeof *p);

    if (p == NULL)
        return -1;
    tg->e = p;
    p[tg->n].kind = kind;
    p[tg->n].tag = tag;
    p[tg->n].block = block;
    p[tg->n].parent = parent;
    p[tg->n].code = NULL;
    p[tg->n].dict = NULL;
    return (long)tg->n++;
}

/* The last element of kind with block (and tag, for a leaf), or -1. */
static long tag_find(const tagging *tg, int kind, pledge_tag tag, int block)
{
    size_t i;

    for (i = tg->n; i-- > 0;)
        if (tg->e[i].kind == kind && tg->e[i].block == block &&
            (kind != ELEM_LEAF || tg->e[i].tag == tag))
            return (long)i;
    return -1;
}

/* The leaf element for tag and block, made (with its list item and list
 * when it is a label or body) if this is its first text.  Returns its
 * index, or -1 when out of memory. */
static long tag_leaf(tagging *tg, pledge_tag tag, int block)
{
    long leaf = tag_find(tg, ELEM_LEAF, tag, block), li, top;
    size_t i;

    if (leaf >= 0)
        return leaf;
    if (tag != PLEDGE_TAG_LBL && tag != PLEDGE_TAG_LBODY)
        return tag_add(tg, ELEM_LEAF, tag, block, -1);
    li = tag_find(tg, ELEM_LI, 0, block);
    if (li < 0) {
        /* The list goes on when the last element of the Document is a
         * list. */
        top = -1;
        for (i = tg->n; i-- > 0;)
            if (tg->e[i].parent == -1) {
                top = (long)i;
                break;
            }
        if (top < 0 || tg->e[top].kind != ELEM_L)
            top = tag_add(tg, ELEM_L, 0, 0, -1);
        if (top < 0 || (li = tag_add(tg, ELEM_LI, 0, block, top)) < 0)
            return -1;
    }
    return tag_add(tg, ELEM_LEAF, tag, block, li);
}

static HPDF_STATUS tag_write(HPDF_Page page, const char *s)
{
    return HPDF_Stream_WriteStr(((HPDF_PageAttr)page->attr)->stream, s);
}

/* Ends the open marked-content sequence, if any. */
static HPDF_STATUS tag_close(tagging *tg, HPDF_Page page)
{
    if (tg->open == MC_NONE)
        return HPDF_OK;
    tg->open = MC_NONE;
    tg->open_span = -1;
    return tag_write(page, "EMC\012");
}

/* Records that the page's next MCID (on page pageno, from 0) belongs to
 * element elem.  Returns 0, or -1 when out of memory. */
static int tag_mcid(tagging *tg, size_t pageno, long elem)
{
    mcref *m = pledge_grow(tg->mc, &tg->capmc, tg->nmc + 1, sizeof *m);

    if (m == NULL)
        return -1;
    tg->mc = m;
    m[tg->nmc].page = pageno;
    m[tg->nmc].mcid = tg->next_mcid;
    m[tg->nmc].elem = (size_t)elem;
    tg->nmc++;
    return 0;
}

/* Opens the marked-content sequence text item t belongs to, unless it is
 * the one open.  pageno counts from 0.  Returns nonzero on error:
 * libharu's, or *oom set. */
static HPDF_STATUS tag_text(tagging *tg, HPDF_Page page, size_t pageno,
                            const pledge_text *t, int *oom)
{
    char op[48];
    long leaf;
    HPDF_STATUS st;

    if (t->tag == PLEDGE_TAG_ARTIFACT || (int)t->tag < 0 ||
        (size_t)t->tag >= sizeof tag_role / sizeof *tag_role) {
        if (tg->open == MC_ARTIFACT)
            return HPDF_OK;
        if ((st = tag_close(tg, page)) != HPDF_OK)
            return st;
        tg->open = MC_ARTIFACT;
        return tag_write(page, "/Artifact BMC\012");
    }
    if (tg->open == MC_TAGGED && tg->open_tag == t->tag &&
        tg->open_block == t->block)
        return HPDF_OK;
    if ((st = tag_close(tg, page)) != HPDF_OK)
        return st;
    leaf = tag_leaf(tg, t->tag, t->block);
    if (leaf < 0 || tag_mcid(tg, pageno, leaf) < 0) {
        *oom = 1;
        return HPDF_FAILD_TO_ALLOC_MEM;
    }
    tg->open = MC_TAGGED;
    tg->open_tag = t->tag;
    tg->open_block = t->block;
    tg->open_span = -1;
    snprintf(op, sizeof op, "/%s<</MCID %d>>BDC\012", tag_role[t->tag],
             tg->next_mcid++);
    return tag_write(page, op);
}

/* Opens a marked-content sequence for a run of Greek letters of text
 * item t, unless one of t's leaf is open (a name set as several items):
 * a Span element of t's leaf with /Lang (el), one MCID.  The sequence
 * open before is ended, and tag_close ends this one.  Returns nonzero
 * on error: libharu's, or *oom set. */
static HPDF_STATUS tag_span(tagging *tg, HPDF_Page page, size_t pageno,
                            const pledge_text *t, int *oom)
{
    char op[48];
    long leaf = tag_leaf(tg, t->tag, t->block), span;
    HPDF_STATUS st;

    if (leaf >= 0 && tg->open == MC_TAGGED && tg->open_span == leaf)
        return HPDF_OK;
    if ((st = tag_close(tg, page)) != HPDF_OK)
        return st;
    span = leaf < 0 ? -1 : tag_add(tg, ELEM_SPAN, t->tag, t->block, leaf);
    if (span < 0 || tag_mcid(tg, pageno, span) < 0) {
        *oom = 1;
        return HPDF_FAILD_TO_ALLOC_MEM;
    }
    /* Not t's own sequence: the next item of t's block opens that. */
    tg->open = MC_TAGGED;
    tg->open_tag = PLEDGE_TAG_ARTIFACT;
    tg->open_span = leaf;
    snprintf(op, sizeof op, "/Span<</MCID %d>>BDC\012", tg->next_mcid++);
    return tag_write(page, op);
}

/* Whether text item i ends its word and another word of its block
 * follows: on the same line, after a gap wider than a kern; or on the
 * next line, unless the line ends in a hyphen, dash or slash.  width is
 * the item's width, pt, before its horizontal scale.  The items of a
 * justified line are words placed apart, with no space between them,
 * and lines have none at their ends: for a reader that takes the words
 * from the tagged content, a word space is shown after such an item.
 * It moves nothing: each item is placed from its line's start
 * (move_to). */
static int tag_word_ends(const pledge_page *pg, size_t i, double width)
{
    const pledge_text *t = &pg->texts[i], *next;
    size_t len = strlen(t->text);
    const char *end = t->text + len;

    if (i + 1 >= pg->ntexts || t->tag == PLEDGE_TAG_ARTIFACT || len == 0)
        return 0;
    next = &pg->texts[i + 1];
    if (next->tag != t->tag || next->block != t->block || end[-1] == ' ')
        return 0;
    if (next->y != t->y)
        return !(end[-1] == '-' || end[-1] == '/' ||
                 (len >= 2 && memcmp(end - 2, "\xc2\xad", 2) == 0) ||
                 (len >= 3 && (memcmp(end - 3, "\xe2\x80\x93", 3) == 0 ||
                               memcmp(end - 3, "\xe2\x80\x94", 3) == 0 ||
                               memcmp(end - 3, "\xe2\x80\x90", 3) == 0)));
    /* The item's width as shown: at its horizontal scale (font
     * expansion). */
    return next->x - t->x - width * (t->hscale > 0 ? t->hscale : 1) >
           0.15 * t->size;
}

/* Starts a page's marked content: MCIDs count from 0 on each page. */
static int tag_page(tagging *tg, HPDF_Page page)
{
    HPDF_Page *p = pledge_grow(tg->pages, &tg->cappages, tg->npages + 1,
                               sizeof *p);

    if (p == NULL)
        return -1;
    tg->pages = p;
    p[tg->npages++] = page;
    tg->open = MC_NONE;
    tg->open_span = -1;
    tg->next_mcid = 0;
    return 0;
}

/* An object's number, for a reference to it. */
static unsigned long tag_num(void *obj)
{
    return (unsigned long)(((HPDF_Obj_Header *)obj)->obj_id & 0x00FFFFFF);
}

static void sb_printf(sbuf *b, const char *fmt, ...)
{
    va_list ap;
    int n;
    char *p;
    size_t room;

    /* Pieces are short: formatted straight into the room there is, and
     * a second time only when that was too little. */
    if (b->oom || (p = pledge_grow(b->p, &b->cap, b->len + 64, 1)) == NULL) {
        b->oom = 1;
        return;
    }
    b->p = p;
    room = b->cap - b->len;
    va_start(ap, fmt);
    n = vsnprintf(b->p + b->len, room, fmt, ap);
    va_end(ap);
    if (n >= 0 && (size_t)n >= room) {
        if ((p = pledge_grow(b->p, &b->cap, b->len + (size_t)n + 1,
                             1)) == NULL) {
            b->oom = 1;
            return;
        }
        b->p = p;
        va_start(ap, fmt);
        vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
        va_end(ap);
    }
    if (n < 0) {
        b->oom = 1;
        return;
    }
    b->len += (size_t)n;
}

/* Writes a compact dictionary's entries, kept in its attr: libharu would
 * give every entry a line and pad arrays with spaces, which for the
 * hundred-odd elements of a pledge's tree comes to kilobytes. */
static HPDF_STATUS tag_write_body(HPDF_Dict d, HPDF_Stream s)
{
    const sbuf *b = d->attr;

    return HPDF_Stream_Write(s, (const HPDF_BYTE *)b->p, (HPDF_UINT)b->len);
}

/* Appends p[0..n), which may hold NULs (a UTF-16 literal string). */
static void sb_put(sbuf *b, const char *p, size_t n)
{
    char *q;

    if (b->oom)
        return;
    if ((q = pledge_grow(b->p, &b->cap, b->len + n + 1, 1)) == NULL) {
        b->oom = 1;
        return;
    }
    b->p = q;
    memcpy(b->p + b->len, p, n);
    b->len += n;
    b->p[b->len] = '\0';
}

/* A new dictionary, an indirect object of the document, whose entries
 * are written from its attr (set later, owned by the tagging).  NULL
 * when out of memory. */
static HPDF_Dict tag_object(writer *w)
{
    HPDF_Dict d = HPDF_Dict_New(w->pdf->mmgr);

    if (d == NULL || HPDF_Xref_Add(w->pdf->xref, d) != HPDF_OK)
        return NULL;
    d->write_fn = tag_write_body;
    return d;
}

/* Hands b's string to d as its body; the tagging frees it. */
static int tag_body(tagging *tg, HPDF_Dict d, sbuf *b)
{
    sbuf **p = pledge_grow(tg->bodies, &tg->capbodies, tg->nbodies + 1,
                           sizeof *p);
    sbuf *keep = malloc(sizeof *keep);

    if (b->oom || b->p == NULL || p == NULL || keep == NULL) {
        free(keep);
        free(b->p);
        memset(b, 0, sizeof *b);
        return -1;
    }
    *keep = *b;
    tg->bodies = p;
    p[tg->nbodies++] = keep;
    d->attr = keep;
    memset(b, 0, sizeof *b);
    return 0;
}

/* The page of element i's first marked content (i == -1: the
 * Document's), or -1 if it has none.  An element's /Pg is written only
 * where it differs from its parent's: readers take a missing /Pg from
 * the nearest ancestor that has one. */
static long tag_elem_page(const tagging *tg, long i)
{
    size_t j;
    long k;

    for (j = 0; j < tg->nmc; j++)
        for (k = (long)tg->mc[j].elem; k >= 0; k = tg->e[k].parent)
            if (k == i || i < 0)
                return (long)tg->mc[j].page;
    return -1;
}

/* Appends an element's /Pg (when not its parent's) and /K: the marked
 * content of a leaf (an MCID on its page, a marked-content reference on
 * other pages), else the elements whose parent is i (i == -1: the
 * Document's, then form, then endorse). */
static void tag_kids(const tagging *tg, sbuf *b, long i, HPDF_Dict form,
                     HPDF_Dict endorse)
{
    long pg = tag_elem_page(tg, i);
    sbuf k = {0};
    size_t j, n = 0;

    if (pg >= 0 && (i < 0 || tag_elem_page(tg, tg->e[i].parent) != pg))
        sb_printf(b, "/Pg %lu 0 R", tag_num(tg->pages[pg]));
    if (i >= 0 && (tg->e[i].kind == ELEM_LEAF ||
                   tg->e[i].kind == ELEM_FIGURE ||
                   tg->e[i].kind == ELEM_SPAN)) {
        for (j = 0; j < tg->nmc; j++) {
            const mcref *m = &tg->mc[j];

            if (m->elem != (size_t)i) {
                if (tg->e[m->elem].kind == ELEM_SPAN &&
                    tg->e[m->elem].parent == i)
                    sb_printf(&k, n++ ? " %lu 0 R" : "%lu 0 R",
                              tag_num(tg->e[m->elem].dict));
                continue;
            }
            if ((long)m->page == pg)
                sb_printf(&k, n++ ? " %d" : "%d", m->mcid);
            else if (++n)
                sb_printf(&k, "<</Pg %lu 0 R/MCID %d>>",
                          tag_num(tg->pages[m->page]), m->mcid);
        }
    } else {
        for (j = 0; j < tg->n; j++)
            if (tg->e[j].parent == i)
                sb_printf(&k, n++ ? " %lu 0 R" : "%lu 0 R",
                          tag_num(tg->e[j].dict));
        if (form != NULL)
            sb_printf(&k, n++ ? " %lu 0 R" : "%lu 0 R", tag_num(form));
        if (endorse != NULL)
            sb_printf(&k, n++ ? " %lu 0 R" : "%lu 0 R", tag_num(endorse));
    }
    if (k.oom)
        b->oom = 1;
    else if (n == 1)            /* one kid needs no array */
        sb_printf(b, k.p[0] == '<' ? "/K%s" : "/K %s", k.p);
    else
        sb_printf(b, "/K[%s]", n > 0 ? k.p : "");
    free(k.p);
}

/* Appends an /Alt entry of text t (UTF-8), as the Info's strings are
 * written (put_text). */
static void sb_alt(sbuf *b, const char *t)
{
    literal lit = {0};

    if (put_text(&lit, "Alt", t) != 0)
        b->oom = 1;
    else
        sb_put(b, lit.p, lit.len - 1);      /* without its line end */
    free(lit.p);
}

/* The Form element of the signature field that signing will add: the
 * signing update (docs/signature-format.md) writes the widget as object
 * /Size + 1 of this file, so the element points at that number now.
 * Until the update is appended the reference is to an object not yet
 * defined, which a reader takes for null (ISO 32000-1 7.3.10).  Call
 * last before saving: no object may be made after it. */
static HPDF_Dict tag_form(writer *w, tagging *tg, HPDF_Dict doc,
                          const char *signer)
{
    HPDF_Dict form = tag_object(w);
    HPDF_Xref x = w->pdf->xref;
    sbuf b = {0};
    char *alt;

    if (form == NULL)
        return NULL;
    sb_printf(&b, "/S/Form/P %lu 0 R", tag_num(doc));
    alt = malloc(strlen(signer) + sizeof "Digital signature of ");
    if (alt == NULL)
        return NULL;
    sprintf(alt, "Digital signature of %s", signer);
    sb_alt(&b, alt);
    free(alt);
    sb_printf(&b, "/K<</Type/OBJR/Obj %lu 0 R>>",
              (unsigned long)(x->start_offset + x->entries->count +
                              PACK_OBJECTS + 1));
    return tag_body(tg, form, &b) == 0 ? form : NULL;
}

/* The Form element of the endorsement field an association may add to a
 * pledge its applicant signs, made as object e: the signing update takes
 * object numbers /Size and /Size + 1, the endorsement's update the next
 * two, its widget the second (docs/signature-format.md), so the element
 * points at /Size + 3 of this file.  The widget's /StructParent is the
 * parent tree's key for e, the number of pages + 1 (tag_finish; the
 * number of pages is left for the signature's widget), which the
 * endorsement finds there.  Call after the last object is made. */
static int tag_endorsement(writer *w, tagging *tg, HPDF_Dict e,
                           HPDF_Dict doc)
{
    HPDF_Xref x = w->pdf->xref;
    sbuf b = {0};

    sb_printf(&b, "/S/Form/P %lu 0 R/Pg %lu 0 R/K<</Type/OBJR/Obj %lu 0 R>>",
              tag_num(doc), tag_num(tg->pages[tg->area_page - 1]),
              (unsigned long)(x->start_offset + x->entries->count +
                              PACK_OBJECTS + 3));
    return tag_body(tg, e, &b);
}

/* Writes the structure tree of what the pages drew, the parent tree,
 * each page's /StructParents and the catalog's /MarkInfo; with a Form
 * element for the coming signature when signer is not NULL. */
static int tag_finish(writer *w, tagging *tg, const char *signer,
                      pledge_err *err)
{
    HPDF_MMgr mm = w->pdf->mmgr;
    HPDF_Dict root, doc, mark, form = NULL, endorse = NULL;
    sbuf b = {0};
    size_t i, j;

    root = tag_object(w);
    doc = tag_object(w);
    mark = HPDF_Dict_New(mm);
    if (root == NULL || doc == NULL || mark == NULL || bad(w, HPDF_OK) ||
        bad(w, HPDF_Dict_AddBoolean(mark, "Marked", HPDF_TRUE)) ||
        bad(w, HPDF_Dict_Add(w->pdf->catalog, "MarkInfo", mark)) ||
        bad(w, HPDF_Dict_Add(w->pdf->catalog, "StructTreeRoot", root)))
        goto fail;
    for (i = 0; i < tg->n; i++)
        if ((tg->e[i].dict = tag_object(w)) == NULL)
            goto fail;
    if (signer != NULL && tg->area_page > 0 &&
        (endorse = tag_object(w)) == NULL)
        goto fail;
    for (i = 0; i < tg->n; i++) {
        const selem *e = &tg->e[i];

        sb_printf(&b, "/S/%s/P %lu 0 R", e->kind == ELEM_L ? "L" :
                  e->kind == ELEM_LI ? "LI" :
                  e->kind == ELEM_FIGURE ? "Figure" :
                  e->kind == ELEM_SPAN ? "Span" : tag_role[e->tag],
                  tag_num(e->parent < 0 ? doc : tg->e[e->parent].dict));
        if (e->kind == ELEM_SPAN)
            sb_printf(&b, "/Lang(el)");
        if (e->kind == ELEM_FIGURE) {
            const pledge_code *c = e->code;
            double side = c->module * c->size;

            sb_alt(&b, c->alt);
            sb_printf(&b, "/A<</O/Layout/BBox[%.2f %.2f %.2f %.2f]>>",
                      c->x, c->y, c->x + side, c->y + side);
        }
        tag_kids(tg, &b, (long)i, NULL, NULL);
        if (tag_body(tg, e->dict, &b) != 0)
            goto fail;
    }
    /* Made now, the last object (tag_form), so that the parent tree can
     * name it. */
    if (signer != NULL && (form = tag_form(w, tg, doc, signer)) == NULL)
        goto fail;
    sb_printf(&b, "/Type/StructTreeRoot/K %lu 0 R/ParentTree<</Nums[",
              tag_num(doc));
    for (i = 0; i < tg->npages; i++) {
        if (bad(w, HPDF_Dict_AddNumber(tg->pages[i], "StructParents",
                                       (HPDF_INT32)i)))
            goto fail;
        sb_printf(&b, i ? " %zu[" : "%zu[", i);
        for (j = 0; j < tg->nmc; j++)
            if (tg->mc[j].page == i)
                sb_printf(&b, tg->mc[j].mcid ? " %lu 0 R" : "%lu 0 R",
                          tag_num(tg->e[tg->mc[j].elem].dict));
        sb_printf(&b, "]");
    }
    /* The key after the pages' is the signature widget's /StructParent,
     * which the signing update gives it, the next the endorsement
     * widget's (docs/signature-format.md). */
    if (form != NULL)
        sb_printf(&b, " %zu %lu 0 R", tg->npages, tag_num(form));
    if (endorse != NULL)
        sb_printf(&b, " %zu %lu 0 R", tg->npages + 1, tag_num(endorse));
    sb_printf(&b, "]>>");
    if (tag_body(tg, root, &b) != 0 ||
        (endorse != NULL && tag_endorsement(w, tg, endorse, doc) != 0))
        goto fail;
    sb_printf(&b, "/S/Document/P %lu 0 R", tag_num(root));
    tag_kids(tg, &b, -1, form, endorse);
    if (tag_body(tg, doc, &b) != 0)
        goto fail;
    return 0;

fail:
    if (w->herr.code != 0)
        return hpdf_fail(w, err, "writing the document structure");
    return pledge_err_set(err, "write PDF: out of memory");
}

/* Graphics state already set on the page, to skip redundant operators. */
typedef struct {
    double fill, stroke, width;
} gstate;

static int set_fill(writer *w, HPDF_Page page, gstate *gs, double gray)
{
    if (gs->fill == gray)
        return 0;
    gs->fill = gray;
    return bad(w, HPDF_Page_SetGrayFill(page, (HPDF_REAL)gray));
}

static int set_stroke(writer *w, HPDF_Page page, gstate *gs, double gray,
                      double width)
{
    if (gs->stroke != gray) {
        gs->stroke = gray;
        if (bad(w, HPDF_Page_SetGrayStroke(page, (HPDF_REAL)gray)))
            return 1;
    }
    if (gs->width != width) {
        gs->width = width;
        if (bad(w, HPDF_Page_SetLineWidth(page, (HPDF_REAL)width)))
            return 1;
    }
    return 0;
}

/* A 2-D code: an inline image mask of one bit a module (a dark module a
 * 0 bit, which a mask paints), rows from the top padded to whole bytes,
 * in ASCII hex, scaled to the code's size: some 500 bytes of content
 * stream before compression where a rectangle per run of dark modules
 * took two kilobytes after it. */
static int draw_code(writer *w, HPDF_Page page, const pledge_code *c,
                     gstate *gs)
{
    HPDF_Stream st = ((HPDF_PageAttr)page->attr)->stream;
    double side = c->module * c->size;
    char head[128], hex[8];
    int r, x, i, bits;

    if (set_fill(w, page, gs, 0) || bad(w, HPDF_Page_GSave(page)) ||
        bad(w, HPDF_Page_Concat(page, (HPDF_REAL)side, 0, 0,
                                (HPDF_REAL)side, (HPDF_REAL)c->x,
                                (HPDF_REAL)c->y)))
        return -1;
    snprintf(head, sizeof head, "BI /W %d /H %d /IM true /F /AHx ID\012",
             c->size, c->size);
    if (bad(w, HPDF_Stream_WriteStr(st, head)))
        return -1;
    for (r = 0; r < c->size; r++) {
        const unsigned char *row = c->dark + (size_t)r * (size_t)c->size;

        for (x = 0; x < c->size; x += 8) {
            bits = 0;
            for (i = 0; i < 8; i++)
                bits = bits << 1 | (x + i < c->size && row[x + i] ? 0 : 1);
            snprintf(hex, sizeof hex, "%02X", (unsigned)bits & 0xffu);
            if (bad(w, HPDF_Stream_WriteStr(st, hex)))
                return -1;
        }
        if (bad(w, HPDF_Stream_WriteStr(st, "\012")))
            return -1;
    }
    if (bad(w, HPDF_Stream_WriteStr(st, ">\012EI\012")) ||
        bad(w, HPDF_Page_GRestore(page)))
        return -1;
    return 0;
}

static int draw_graphics(writer *w, HPDF_Page page, const pledge_page *pg,
                         gstate *gs)
{
    size_t i;

    for (i = 0; i < pg->nboxes; i++) {
        const pledge_boxdraw *b = &pg->boxes[i];
        int fill = b->fill_gray >= 0, stroke = b->width > 0;

        if (!fill && !stroke)
            continue;
        if ((fill && set_fill(w, page, gs, b->fill_gray)) ||
            (stroke && set_stroke(w, page, gs, 0, b->width)) ||
            bad(w, HPDF_Page_Rectangle(page, (HPDF_REAL)b->x,
                                       (HPDF_REAL)b->y, (HPDF_REAL)b->w,
                                       (HPDF_REAL)b->h)))
            return -1;
        if (bad(w, fill && stroke ? HPDF_Page_FillStroke(page) :
                   fill ? HPDF_Page_Fill(page) : HPDF_Page_Stroke(page)))
            return -1;
    }
    for (i = 0; i < pg->nrules; i++) {
        const pledge_rule *r = &pg->rules[i];

        if (set_stroke(w, page, gs, r->gray, r->width) ||
            bad(w, HPDF_Page_MoveTo(page, (HPDF_REAL)r->x0,
                                    (HPDF_REAL)r->y0)) ||
            bad(w, HPDF_Page_LineTo(page, (HPDF_REAL)r->x1,
                                    (HPDF_REAL)r->y1)) ||
            bad(w, HPDF_Page_Stroke(page)))
            return -1;
    }
    return 0;
}

/* Draws a page's rules and boxes as one layout artifact. */
static int tag_graphics(writer *w, HPDF_Page page, const pledge_page *pg,
                        gstate *gs)
{
    if (pg->nboxes + pg->nrules == 0)
        return 0;
    if (bad(w, tag_write(page, "/Artifact BMC\012")) ||
        draw_graphics(w, page, pg, gs) != 0 ||
        bad(w, tag_write(page, "EMC\012")))
        return -1;
    return 0;
}

/* Draws a page's codes after its text, so that a code read out comes
 * after the panel beside it: one with words for a reader (alt) as a
 * Figure element of its own, any other as an artifact.  pageno counts
 * from 0.  Returns 0, or -1 with *oom set when out of memory. */
static int tag_codes(writer *w, tagging *tg, HPDF_Page page,
                     const pledge_page *pg, size_t pageno, gstate *gs,
                     int *oom)
{
    char op[48];
    size_t i;
    long fig;

    for (i = 0; i < pg->ncodes; i++) {
        const pledge_code *c = &pg->codes[i];

        if (c->alt == NULL) {
            snprintf(op, sizeof op, "/Artifact BMC\012");
        } else {
            if ((fig = tag_add(tg, ELEM_FIGURE, 0, 0, -1)) < 0 ||
                tag_mcid(tg, pageno, fig) < 0) {
                *oom = 1;
                return -1;
            }
            tg->e[fig].code = c;
            snprintf(op, sizeof op, "/Figure<</MCID %d>>BDC\012",
                     tg->next_mcid++);
        }
        if (bad(w, tag_write(page, op)) || draw_code(w, page, c, gs) != 0 ||
            bad(w, tag_write(page, "EMC\012")))
            return -1;
    }
    return 0;
}

/* Moves to a text item's start.  Positions are kept in thousandths of a
 * point.  A short move from the previous item is a Td, whose operand
 * libharu prints exactly (it prints reals with five decimals from a
 * float, exact for thousandths below 64), so the reader's sum of moves
 * is the intended position; anything longer sets the text matrix
 * absolutely with Tm.  Either way rounding never accumulates. */
static int move_to(writer *w, HPDF_Page page, double x, double y,
                   int *first, long long *cx, long long *cy)
{
    long long qx = llround(x * 1000.0), qy = llround(y * 1000.0);
    long long dx = qx - *cx, dy = qy - *cy;

    if (!*first && dx > -64000 && dx < 64000 && dy > -64000 && dy < 64000) {
        if (bad(w, HPDF_Page_MoveTextPos(page, (HPDF_REAL)(dx / 1000.0),
                                         (HPDF_REAL)(dy / 1000.0))))
            return -1;
    } else if (bad(w, HPDF_Page_SetTextMatrix(page, 1, 0, 0, 1,
                                              (HPDF_REAL)(qx / 1000.0),
                                              (HPDF_REAL)(qy / 1000.0)))) {
        return -1;
    }
    *first = 0;
    *cx = qx;
    *cy = qy;
    return 0;
}

/* Writes s to the page's content stream as it is.  Returns nonzero on
 * error, libharu's error set. */
static int put_raw(writer *w, HPDF_Page page, const char *s)
{
    HPDF_PageAttr pa = (HPDF_PageAttr)page->attr;

    return bad(w, HPDF_Stream_WriteStr(pa->stream, s));
}

/* Where a TJ being written stands. */
typedef struct {
    int open;           /* inside the array */
    int in_hex;         /* inside a string of codes */
    double rise;        /* the text rise (Ts) set, pt */
    int plain;          /* one string, no adjustment: a Tj will do */
    char *buf;          /* what is written, flushed by show_glyphs */
    size_t len, cap;
} tj_state;

/* Appends str to what s writes.  Returns nonzero when out of memory. */
/* Appends str[0..n) to what s holds, kept NUL-terminated. */
static int tj_putn(tj_state *s, const char *str, size_t n)
{
    char *p;

    if ((p = pledge_grow(s->buf, &s->cap, s->len + n + 1, 1)) == NULL)
        return 1;
    s->buf = p;
    memcpy(p + s->len, str, n);
    s->len += n;
    p[s->len] = '\0';
    return 0;
}

static int tj_put(writer *w, HPDF_Page page, tj_state *s, const char *str)
{
    (void)w;
    (void)page;
    return tj_putn(s, str, strlen(str));
}

/* Appends code as four hex digits. */
static int tj_code(writer *w, HPDF_Page page, tj_state *s, unsigned code)
{
    char c[4];

    (void)w;
    (void)page;
    hex4(c, code);
    return tj_putn(s, c, sizeof c);
}

static int tj_close(writer *w, HPDF_Page page, tj_state *s)
{
    if (s->in_hex && tj_put(w, page, s, ">"))
        return 1;
    s->in_hex = 0;
    if (s->open && tj_put(w, page, s, "]TJ\012"))
        return 1;
    s->open = 0;
    return 0;
}

/* How far before its glyph's end, in thousandths of an em, a ligature's
 * further character that repeats the one before it is shown (see
 * show_pass): in every reader tried, from 0.003 to 0.03 em keeps it. */
#define REPEAT_BACK 15

/* Sets the text rise to dy (pt) when it is not that, between TJ arrays,
 * and opens an array.  Returns nonzero on error, as tj_put(). */
static int tj_rise(writer *w, HPDF_Page page, tj_state *st, double dy)
{
    char num[48];

    if (fabs(dy - st->rise) > 1e-9) {
        st->plain = 0;
        if (tj_close(w, page, st))
            return 1;
        snprintf(num, sizeof num, "%.3f Ts\012", dy);
        if (tj_put(w, page, st, num))
            return 1;
        st->rise = dy;
    }
    if (!st->open && tj_put(w, page, st, "["))
        return 1;
    st->open = 1;
    return 0;
}

/* Moves the pen, at *pen in thousandths of an em from where the TJ
 * started, to to, with an adjustment when they differ, and opens a
 * string of codes.  Returns nonzero on error, as tj_put(). */
static int tj_move(writer *w, HPDF_Page page, tj_state *st, long *pen,
                   long to)
{
    char num[24];

    if (to != *pen) {
        st->plain = 0;
        if (st->in_hex && tj_put(w, page, st, ">"))
            return 1;
        st->in_hex = 0;
        snprintf(num, sizeof num, "%ld", *pen - to);
        if (tj_put(w, page, st, num))
            return 1;
        *pen = to;
    }
    if (!st->in_hex && tj_put(w, page, st, "<"))
        return 1;
    st->in_hex = 1;
    return 0;
}

/* Writes the TJ of show_glyphs() into st. */
static int show_pass(writer *w, HPDF_Page page, used_font *f,
                     const pledge_text *t, const pledge_glyph *g, size_t n,
                     const shown *space, double *lead, tj_state *st)
{
    double want = *lead, k = 1000.0 / t->size;
    long pen = 0;
    size_t i;

    for (i = 0; i < n + (space != NULL); i++) {
        const shown *s;
        double dy = 0;
        long at;
        size_t part = 0, len = 0;
        char buf[PLEDGE_UTF8_MAX];
        const char *text = NULL;

        if (i < n) {
            long sh;

            len = glyph_text(&g[i], t, buf, &text);
            sh = next_part(f, g[i].gid, text, len, &part, 0);
            if (sh < 0)
                return bad(w, HPDF_INVALID_PARAMETER);
            s = &f->shown[sh];
            dy = g[i].dy;
            at = lround((want + g[i].dx) * k);
        } else {
            s = space;
            at = lround(want * k);
        }
        if (tj_rise(w, page, st, dy) ||
            tj_move(w, page, st, &pen, at) ||
            tj_code(w, page, st, s->code))
            return 1;
        pen += s->width;
        /* The glyph's further characters (a ligature's), of no width and
         * no ink, at the glyph's end; one equal to the character before
         * it (the second f of ff) REPEAT_BACK before the end, since MuPDF
         * 1.25 drops a character that repeats the last one where that one
         * ended, taking it for fake bold.  Further back, poppler reads it
         * as a new word (from 0.035 em), and raised Ghostscript drops it. */
        if (i < n && part < len) {
            uint32_t before = 0, cp = 0;
            size_t x = 0;

            if (pledge_utf8_next(text, len, &x, &before) != 0)
                before = 0;
            while (part < len) {
                size_t y = part;
                long sh, back = 0;

                if (pledge_utf8_next(text, len, &y, &cp) != 0)
                    cp = 0;
                if (cp != 0 && cp == before)
                    back = s->width < REPEAT_BACK ? s->width : REPEAT_BACK;
                sh = next_part(f, g[i].gid, text, len, &part, 0);
                if (sh < 0)
                    return bad(w, HPDF_INVALID_PARAMETER);
                if (tj_move(w, page, st, &pen, at + s->width - back) ||
                    tj_code(w, page, st, f->shown[sh].code))
                    return 1;
                before = cp;
            }
        }
        if (i < n)
            want += g[i].advance;
    }
    *lead = want - (double)pen / k;
    if (tj_close(w, page, st))
        return 1;
    return st->rise != 0 && tj_put(w, page, st, "0 Ts\012");
}


/* Shows the n glyphs g of text item t in font f: each glyph's code, the
 * pen moved by its advance, a glyph moved from the pen by an offset (a
 * mark on its base) with a TJ adjustment across and the text rise (Ts)
 * up.  Positions are kept in thousandths of an em, as TJ's adjustments
 * and the widths (/W) are, so that rounding never accumulates.  space,
 * when set, is shown after the last glyph (see tag_word_ends).  Text
 * that needs neither is one string of codes and a Tj.  *lead (pt) is
 * where the first glyph goes from the pen, 0 for an item's first, and
 * becomes where the next would: what the item's earlier glyphs advanced
 * past what they showed.  Returns nonzero on error, libharu's error
 * set. */
static int show_glyphs(writer *w, HPDF_Page page, used_font *f,
                       const pledge_text *t, const pledge_glyph *g,
                       size_t n, const shown *space, double *lead)
{
    tj_state st = { 0, 0, 0, 1, w->tj, 0, w->captj };
    int r = show_pass(w, page, f, t, g, n, space, lead, &st);

    w->tj = st.buf;
    w->captj = st.cap;
    if (r != 0)
        return w->herr.code != 0 ? 1 : bad(w, HPDF_FAILD_TO_ALLOC_MEM);
    /* "[<...>]TJ" as "<...>Tj". */
    if (st.plain && st.len > 4 && st.buf[0] == '[') {
        memcpy(st.buf + st.len - 4, "Tj\012", 4);
        return put_raw(w, page, st.buf + 1);
    }
    return st.len > 0 && put_raw(w, page, st.buf);
}

/* Sets the horizontal scaling (Tz) text t is shown at, when it differs
 * from *cur (in thousandths of a percent, so that equal scales compare
 * equal).  Returns nonzero on error, libharu's error set. */
static int set_hscale(writer *w, HPDF_Page page, const pledge_text *t,
                      long *cur)
{
    double s = t->hscale > 0 ? t->hscale : 1;
    long q = lround(s * 100000.0);

    if (q == *cur)
        return 0;
    *cur = q;
    return bad(w, HPDF_Page_SetHorizontalScalling(page,
                                                  (HPDF_REAL)(q / 1000.0)));
}

/* Whether cp is a letter of the Greek script (Greek and Coptic, Greek
 * Extended): Greek is the only language it is written in. */
static int greek(uint32_t cp)
{
    return (cp >= 0x370 && cp <= 0x3ff) || (cp >= 0x1f00 && cp <= 0x1fff);
}

/* The end of the run of glyphs from g[a] that are all Greek or all not:
 * a combining mark, or a glyph after the first of its cluster, goes with
 * the glyph before it, and spaces between Greek words with the words.
 * *is_greek says which the run is. */
static size_t greek_run(const pledge_glyph *g, size_t n, size_t a,
                        int *is_greek)
{
    size_t b, c;

    *is_greek = greek(g[a].cp);
    for (b = a + 1; b < n; b++) {
        uint32_t cp = g[b].cp;

        if (g[b].len == 0 || (cp >= 0x300 && cp <= 0x36f) ||
            greek(cp) == *is_greek)
            continue;
        if (*is_greek && cp == ' ') {
            for (c = b; c < n && g[c].cp == ' '; c++)
                ;
            if (c < n && greek(g[c].cp)) {
                b = c;
                continue;
            }
        }
        break;
    }
    return b;
}

/* Whether item t's Greek letters are Spans of their own (show_item) and
 * its first glyph g[0] is one: then its Span opens its marked content. */
static int starts_greek(const writer *w, const pledge_text *t,
                        const pledge_glyph *g, size_t n)
{
    return n > 0 && greek(g[0].cp) && w->greek_spans &&
           t->tag != PLEDGE_TAG_ARTIFACT;
}

/* Shows text item t's glyphs in its marked content (tag_text), each run
 * of Greek letters of a tagged item, when the document is in another
 * language, as a Span element with /Lang (el) (tag_span): a reader then
 * speaks a Greek name as Greek.  Returns nonzero on error, libharu's
 * error set, or *oom. */
static int show_item(writer *w, tagging *tg, HPDF_Page page, size_t pageno,
                     used_font *f, const pledge_text *t,
                     const pledge_glyph *g, size_t n, const shown *space,
                     int *oom)
{
    double lead = 0;
    size_t a, b, k;
    int is_greek = 0;

    for (k = 0; k < n && !greek(g[k].cp); k++)
        ;
    if (k == n || !w->greek_spans || t->tag == PLEDGE_TAG_ARTIFACT)
        return bad(w, tag_text(tg, page, pageno - 1, t, oom)) ||
               show_glyphs(w, page, f, t, g, n, space, &lead);
    for (a = 0; a < n; a = b) {
        b = greek_run(g, n, a, &is_greek);
        if (bad(w, is_greek ? tag_span(tg, page, pageno - 1, t, oom) :
                tag_text(tg, page, pageno - 1, t, oom)) ||
            show_glyphs(w, page, f, t, g + a, b - a, b == n ? space : NULL,
                        &lead))
            return 1;
    }
    return 0;
}

static int draw_text(writer *w, tagging *tg, HPDF_Page page,
                     const pledge_page *pg, size_t pageno, gstate *gs,
                     pledge_err *err)
{
    int oom = 0;
    HPDF_Font cur = NULL;
    double cursize = 0;
    long long cx = 0, cy = 0;
    long scale = 100000;
    int first = 1;
    size_t i;

    if (pg->ntexts == 0)
        return 0;
    if (set_fill(w, page, gs, 0) || bad(w, HPDF_Page_BeginText(page)))
        return hpdf_fail(w, err, "starting text");
    for (i = 0; i < pg->ntexts; i++) {
        const pledge_text *t = &pg->texts[i];
        used_font *f = &w->used[w->of_style[t->style]];
        const pledge_glyph *g;
        pledge_glyph *mine;
        const shown *space = NULL;
        double width = 0;
        size_t n, k;
        int r;

        if (t->text[0] == '\0')
            continue;
        if (item_glyphs(f, t, &g, &n, &mine, err) != 0)
            return pledge_err_prefix(err, "write PDF page %zu", pageno);
        for (k = 0; k < n; k++)
            width += g[k].advance;
        if (f->space < f->nshown && tag_word_ends(pg, i, width))
            space = &f->shown[f->space];
        /* An item that starts with Greek letters opens its Span first
         * (show_item), with no empty sequence of its own before it. */
        r = !starts_greek(w, t, g, n) &&
            bad(w, tag_text(tg, page, pageno - 1, t, &oom));
        if (r) {
            free(mine);
            return oom ? pledge_err_set(err, "write PDF: out of memory") :
                   hpdf_fail(w, err, "marking content");
        }
        if (f->hfont != cur || t->size != cursize) {
            if (bad(w, HPDF_Page_SetFontAndSize(page, f->hfont,
                                                (HPDF_REAL)t->size))) {
                free(mine);
                return hpdf_fail(w, err, "setting the font");
            }
            cur = f->hfont;
            cursize = t->size;
        }
        r = set_hscale(w, page, t, &scale) != 0 ||
            move_to(w, page, t->x, t->y, &first, &cx, &cy) != 0 ||
            show_item(w, tg, page, pageno, f, t, g, n, space, &oom);
        free(mine);
        if (r)
            return oom ? pledge_err_set(err, "write PDF: out of memory") :
                   hpdf_fail(w, err, "showing text");
    }
    if (bad(w, tag_close(tg, page)) || bad(w, HPDF_Page_EndText(page)))
        return hpdf_fail(w, err, "ending text");
    return 0;
}

/* Compresses stream object d's data in place (deflated),
 * and marks it so, instead of libharu's zlib at its default level while
 * saving (a zlib stream set up and torn down per stream).  Returns 0, or
 * -1 when out of memory. */
static int compress_stream(writer *w, HPDF_Dict d)
{
    HPDF_Stream s = d->stream;
    HPDF_UINT i, n, part;
    HPDF_BYTE *p;
    unsigned char *raw, *z = NULL;
    size_t len, zlen, off = 0;
    int rc = -1;

    len = HPDF_Stream_Size(s);
    n = HPDF_MemStream_GetBufCount(s);
    raw = malloc(len != 0 ? len : 1);
    if (raw == NULL)
        goto done;
    for (i = 0; i < n && off < len; i++) {
        p = HPDF_MemStream_GetBufPtr(s, i, &part);
        if (p == NULL || part > len - off)
            goto done;
        memcpy(raw + off, p, part);
        off += part;
    }
    if (off != len ||
        (z = deflated(compressor(w), raw, len, &zlen)) == NULL)
        goto done;
    HPDF_MemStream_FreeData(s);
    if (HPDF_Stream_Write(s, z, (HPDF_UINT)zlen) != HPDF_OK)
        goto done;
    crypto_generichash_update(&w->idh, z, zlen);
    d->filter = HPDF_STREAM_FILTER_NONE;
    d->write_fn = flate_entry;
    rc = 0;

done:
    free(raw);
    free(z);
    return rc;
}

/* Compresses a finished page's content stream now.  Returns 0, or -1
 * when out of memory. */
static int compress_contents(writer *w, HPDF_Page page)
{
    HPDF_PageAttr pa = (HPDF_PageAttr)page->attr;

    if (pa == NULL || pa->contents == NULL || pa->gmode !=
        HPDF_GMODE_PAGE_DESCRIPTION || pa->contents->stream == NULL)
        return -1;
    return compress_stream(w, pa->contents);
}

/* Compresses the streams libharu would still compress itself while
 * saving: each font's CIDToGIDMap and ToUnicode CMap, and the XMP.  A
 * font's streams take its filter when it is written
 * (CIDFontType2_BeforeWrite_Func), so the font's is cleared too.  Call
 * when they are complete, before set_identity. */
static int compress_rest(writer *w, pledge_err *err)
{
    int u;

    for (u = 0; u < w->nused; u++) {
        HPDF_Font font = w->used[u].hfont;
        HPDF_FontAttr fa = (HPDF_FontAttr)font->attr;

        if ((fa->map_stream != NULL &&
             compress_stream(w, fa->map_stream) != 0) ||
            (fa->cmap_stream != NULL &&
             compress_stream(w, fa->cmap_stream) != 0))
            return pledge_err_set(err, "write PDF: %s: out of memory "
                                  "compressing the font's maps",
                                  font_name(w->used[u].font));
        font->filter = HPDF_STREAM_FILTER_NONE;
    }
    if (w->meta != NULL && compress_stream(w, w->meta) != 0)
        return pledge_err_set(err, "write PDF: out of memory compressing "
                              "the metadata");
    return 0;
}

/* The page's endorsement area as /PledgeEndorsementArea [x0 y0 x1 y1],
 * whole points inside the area the design leaves free, so that an
 * endorsement can find it (docs/signature-format.md). */
static int set_area(writer *w, HPDF_Page page, const pledge_page *pg)
{
    HPDF_Array a;

    if (!pg->has_area)
        return 0;
    a = HPDF_Array_New(w->pdf->mmgr);
    if (a == NULL ||
        bad(w, HPDF_Array_AddNumber(a, (HPDF_INT32)ceil(pg->area_x))) ||
        bad(w, HPDF_Array_AddNumber(a, (HPDF_INT32)ceil(pg->area_y))) ||
        bad(w, HPDF_Array_AddNumber(a, (HPDF_INT32)floor(pg->area_x +
                                                         pg->area_w))) ||
        bad(w, HPDF_Array_AddNumber(a, (HPDF_INT32)floor(pg->area_y +
                                                         pg->area_h))))
        return -1;
    return bad(w, HPDF_Dict_Add(page, PLEDGE_PDF_AREA_KEY, a)) ? -1 : 0;
}

static int draw_pages(writer *w, tagging *tg, const pledge_pages *pages,
                      pledge_err *err)
{
    size_t p;
    int oom = 0;

    for (p = 0; p < pages->npages; p++) {
        const pledge_page *pg = &pages->pages[p];
        gstate gs = { 0, 0, 1 };
        HPDF_Page page;

        page = HPDF_AddPage(w->pdf);
        if (page == NULL || bad(w, HPDF_OK) ||
            bad(w, HPDF_Page_SetWidth(page, (HPDF_REAL)pages->width)) ||
            bad(w, HPDF_Page_SetHeight(page, (HPDF_REAL)pages->height)))
            return hpdf_fail(w, err, "adding a page");
        /* /ProcSet is obsolete since PDF 1.4. */
        trim_entry(w, HPDF_Dict_GetItem(page, "Resources", HPDF_OCLASS_DICT),
                   "ProcSet");
        if (tag_page(tg, page) != 0)
            return pledge_err_set(err, "write PDF: out of memory");
        if (tag_graphics(w, page, pg, &gs) != 0)
            return hpdf_fail(w, err, "drawing rules and boxes");
        if (set_area(w, page, pg) != 0)
            return hpdf_fail(w, err, "recording the endorsement area");
        if (pg->has_area && tg->area_page == 0)
            tg->area_page = p + 1;
        if (draw_text(w, tg, page, pg, p + 1, &gs, err) != 0)
            return -1;
        if (tag_codes(w, tg, page, pg, p, &gs, &oom) != 0)
            return oom ? pledge_err_set(err, "write PDF: out of memory") :
                   hpdf_fail(w, err, "drawing the seal");
        if (compress_contents(w, page) != 0)
            return pledge_err_set(err, "write PDF page %zu: cannot "
                                  "compress its contents", p + 1);
    }
    return 0;
}

/* ---- Object streams and a cross-reference stream (ISO 32000-1 7.5.7-8)
 *
 * libharu 2.3.0 writes every object on its own with a classic xref table,
 * a dictionary entry a line.  pack() rewrites what it saved, read back
 * with the strict reader: streams stay objects of their own (their
 * dictionaries written compactly, /Length direct), every other object
 * goes, compact and in number order, into one object stream, and the
 * xref becomes a compressed /Type/XRef stream holding the trailer's
 * entries.  Object numbers do not change: a stream's /Length object,
 * written direct instead, is left free.  Values are copied as the bytes
 * they came from, containers rebuilt with the fewest separators, so the
 * output depends on libharu's bytes alone and stays reproducible. */

typedef struct {
    unsigned char type;         /* 0 free, 1 in the file, 2 in the stream */
    size_t f2;                  /* offset, or the object stream's number */
    unsigned f3;                /* the index in the object stream */
    const pledge_pdf_obj *val;
    size_t body, blen;          /* a stream's data */
    int stream, length_of;      /* length_of: a stream's /Length object */
} packed;

/* The delimiters of ISO 32000-1 7.2.2. */
static const char pk_delims[] = "()<>[]{}/%";

/* Appends p[0..n), with a space first when the last byte written and
 * p[0] are both regular characters. */
static void pk_token(sbuf *b, const unsigned char *p, size_t n)
{
    if (n == 0)
        return;
    if (b->len > 0 && !b->oom) {
        int last = (unsigned char)b->p[b->len - 1], first = p[0];

        if (last > ' ' && strchr(pk_delims, last) == NULL && first > ' ' &&
            strchr(pk_delims, first) == NULL)
            sb_put(b, " ", 1);
    }
    sb_put(b, (const char *)p, n);
}

/* Appends the name key[0..n) with '/', escaped as #xx where ISO 32000-1
 * 7.3.5 asks. */
static void pk_name(sbuf *b, const char *key, size_t n)
{
    size_t i;

    pk_token(b, (const unsigned char *)"/", 1);
    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)key[i];

        if (c <= ' ' || c >= 0x7f || c == '#' || strchr(pk_delims, c))
            sb_printf(b, "#%02X", c);
        else
            sb_put(b, (const char *)&c, 1);
    }
}

/* Writes v compactly: containers rebuilt, every other value its bytes.
 * A stream's /Length, if given, is written as that number. */
static void pk_value(sbuf *b, const pledge_pdf *pdf, const pledge_pdf_obj *v,
                     long long length)
{
    size_t i;

    if (v->type == PLEDGE_PDF_ARRAY) {
        pk_token(b, (const unsigned char *)"[", 1);
        for (i = 0; i < v->u.arr.n; i++)
            pk_value(b, pdf, v->u.arr.items[i], -1);
        pk_token(b, (const unsigned char *)"]", 1);
    } else if (v->type == PLEDGE_PDF_DICT) {
        pk_token(b, (const unsigned char *)"<<", 2);
        for (i = 0; i < v->u.dict.n; i++) {
            const pledge_pdf_entry *e = &v->u.dict.entries[i];
            const pledge_pdf_obj *k = e->val;

            pk_name(b, e->key, e->keylen);
            if (length >= 0 && strcmp(e->key, "Length") == 0) {
                char num[24];

                snprintf(num, sizeof num, "%lld", length);
                pk_token(b, (const unsigned char *)num, strlen(num));
            } else {
                pk_value(b, pdf, k, -1);
            }
        }
        pk_token(b, (const unsigned char *)">>", 2);
    } else {
        pk_token(b, pledge_pdf_span(pdf, v), v->end - v->start);
    }
}

/* The stream data of object v (at v->end, in the file): *body and *blen,
 * its /Length resolved.  Returns 1 for a stream, 0 for another object,
 * -1 when its /Length is not a length in the file. */
static int pk_stream(pledge_pdf *pdf, const unsigned char *d, size_t len,
                     const pledge_pdf_obj *v, size_t *body, size_t *blen,
                     unsigned *lenobj)
{
    const pledge_pdf_obj *l, *lv;
    size_t p = v->end;

    while (p < len && (d[p] == ' ' || d[p] == '\r' || d[p] == '\n'))
        p++;
    if (v->type != PLEDGE_PDF_DICT || len - p < 7 ||
        memcmp(d + p, "stream", 6) != 0)
        return 0;
    p += 6;
    p += d[p] == '\r' ? 2 : 1;
    l = pledge_pdf_dict_get(v, "Length");
    if (l == NULL || pledge_pdf_resolve(pdf, l, &lv, NULL) < 0 ||
        lv->type != PLEDGE_PDF_INT || lv->u.i < 0 ||
        (unsigned long long)lv->u.i > len - p)
        return -1;
    *lenobj = l->type == PLEDGE_PDF_REF ? l->u.ref.num : 0;
    *body = p;
    *blen = (size_t)lv->u.i;
    return 1;
}

/* The bytes needed for v, at least 1. */
static int pk_width(unsigned long long v)
{
    int n = 1;

    while (v >>= 8)
        n++;
    return n;
}

static void pk_field(sbuf *b, unsigned long long v, int n)
{
    while (n-- > 0) {
        char c = (char)(v >> (8 * n) & 0xff);

        sb_put(b, &c, 1);
    }
}

/* Rewrites the classic file libharu saved, in[0..inlen), as object
 * streams and a cross-reference stream (above) into *out and *outlen.
 * The caller frees *out with free(). */
static int pack(writer *w, const unsigned char *in, size_t inlen,
                unsigned char **out, size_t *outlen, pledge_err *err)
{
    pledge_pdf *pdf = NULL;
    packed *o = NULL;
    sbuf f = { NULL, 0, 0, 0 }, os = { NULL, 0, 0, 0 },
         hdr = { NULL, 0, 0, 0 }, xs = { NULL, 0, 0, 0 };
    const pledge_pdf_obj *t;
    unsigned char *z = NULL;
    size_t zlen, first = inlen, xoff, ctab, i;
    unsigned size, onum, xnum, nin = 0, maxidx = 0, num, run;
    int ret = -1, w1, w2;
    static const char *const keep[] = { "Root", "Info", "ID" };

    if (pledge_pdf_open(&pdf, in, inlen, err) < 0)
        goto fail;
    size = pledge_pdf_size(pdf);
    onum = size;
    xnum = size + PACK_OBJECTS - 1;
    o = calloc((size_t)xnum + 1, sizeof *o);
    if (o == NULL)
        goto oom;
    for (num = 1; num < size; num++) {
        size_t off;
        unsigned lenobj = 0;
        int st;

        if (pledge_pdf_offset(pdf, num, &off, NULL) < 0)
            continue;
        if (off < first)
            first = off;
        if (pledge_pdf_get(pdf, num, &o[num].val, err) < 0)
            goto fail;
        st = pk_stream(pdf, in, inlen, o[num].val, &o[num].body,
                       &o[num].blen, &lenobj);
        if (st < 0) {
            pledge_err_set(err, "object %u: a stream without a length", num);
            goto fail;
        }
        o[num].stream = st;
        if (lenobj != 0 && lenobj < size)
            o[lenobj].length_of = 1;
    }
    sb_put(&f, (const char *)in, first);

    /* Streams, each an object of its own. */
    for (num = 1; num < size; num++) {
        if (o[num].val == NULL || !o[num].stream)
            continue;
        o[num].type = 1;
        o[num].f2 = f.len;
        sb_printf(&f, "%u 0 obj\n", num);
        pk_value(&f, pdf, o[num].val, (long long)o[num].blen);
        sb_put(&f, "stream\n", 7);
        sb_put(&f, (const char *)in + o[num].body, o[num].blen);
        sb_put(&f, "\nendstream\nendobj\n", 18);
    }

    /* Every other object in the object stream, but lengths made direct. */
    for (num = 1; num < size; num++) {
        if (o[num].val == NULL || o[num].stream ||
            (o[num].length_of && o[num].val->type == PLEDGE_PDF_INT))
            continue;
        o[num].type = 2;
        o[num].f2 = onum;
        o[num].f3 = nin;
        maxidx = nin++;
        sb_printf(&hdr, "%u %zu ", num, os.len);
        pk_value(&os, pdf, o[num].val, -1);
        sb_put(&os, "\n", 1);
    }
    sb_put(&hdr, os.p, os.len);
    if (hdr.oom || os.oom || f.oom)
        goto oom;
    z = deflated(compressor(w), (const unsigned char *)hdr.p, hdr.len,
                 &zlen);
    if (z == NULL)
        goto oom;
    o[onum].type = 1;
    o[onum].f2 = f.len;
    sb_printf(&f, "%u 0 obj\n<</Type/ObjStm/N %u/First %zu/Filter"
              "/FlateDecode/Length %zu>>stream\n", onum, nin,
              hdr.len - os.len, zlen);
    sb_put(&f, (const char *)z, zlen);
    sb_put(&f, "\nendstream\nendobj\n", 18);
    free(z);
    z = NULL;

    /* The cross-reference stream, the last object. */
    xoff = f.len;
    o[xnum].type = 1;
    o[xnum].f2 = xoff;
    w1 = pk_width(xoff);
    w2 = pk_width(maxidx);
    for (num = 0; num <= xnum; num++) {
        pk_field(&xs, o[num].type, 1);
        pk_field(&xs, o[num].type != 0 ? o[num].f2 : 0, w1);
        pk_field(&xs, o[num].f3, w2);
    }
    if (xs.oom)
        goto oom;
    z = deflated(compressor(w), (const unsigned char *)xs.p, xs.len, &zlen);
    if (z == NULL)
        goto oom;
    t = pledge_pdf_trailer(pdf);
    sb_printf(&f, "%u 0 obj\n<</Type/XRef/Size %u/W[1 %d %d]/Filter"
              "/FlateDecode/Length %zu>>stream\n", xnum, xnum + 1, w1, w2,
              zlen);
    sb_put(&f, (const char *)z, zlen);
    sb_put(&f, "\nendstream\nendobj\n", 18);

    /* The classic table of the objects in the file, whose trailer names
     * the stream for the rest: a hybrid-reference file (7.5.8.4), so
     * that the classic sections of the incremental updates that signing
     * appends chain to a classic one, as every reader expects. */
    ctab = f.len;
    sb_printf(&f, "xref\n0 1\n0000000000 65535 f\r\n");
    for (num = 1; num <= xnum; num = run) {
        for (; num <= xnum && o[num].type != 1; num++)
            ;
        for (run = num; run <= xnum && o[run].type == 1; run++)
            ;
        if (run > num)
            sb_printf(&f, "%u %u\n", num, run - num);
        for (i = num; i < run; i++)
            sb_printf(&f, "%010zu 00000 n\r\n", o[i].f2);
    }
    sb_printf(&f, "trailer\n<</Size %u", xnum + 1);
    for (i = 0; i < sizeof keep / sizeof keep[0]; i++) {
        const pledge_pdf_obj *v = pledge_pdf_dict_get(t, keep[i]);

        if (v != NULL) {
            pk_name(&f, keep[i], strlen(keep[i]));
            pk_value(&f, pdf, v, -1);
        }
    }
    sb_printf(&f, "/XRefStm %zu>>\nstartxref\n%zu\n%%%%EOF\n", xoff, ctab);
    if (f.oom)
        goto oom;
    *out = (unsigned char *)f.p;
    *outlen = f.len;
    f.p = NULL;
    ret = 0;
    goto fail;
oom:
    pledge_err_set(err, "out of memory");
fail:
    if (ret < 0)
        pledge_err_prefix(err, "write PDF: packing objects");
    pledge_pdf_close(pdf);
    free(o);
    free(z);
    free(f.p);
    free(os.p);
    free(hdr.p);
    free(xs.p);
    return ret;
}

static int save(writer *w, unsigned char **out, size_t *len, pledge_err *err)
{
    unsigned char *buf;
    HPDF_UINT32 size, got = 0;

    if (bad(w, HPDF_SaveToStream(w->pdf)))
        return hpdf_fail(w, err, "saving");
    size = HPDF_GetStreamSize(w->pdf);
    buf = malloc(size != 0 ? size : 1);
    if (buf == NULL)
        return pledge_err_set(err, "write PDF: out of memory");
    while (got < size) {
        HPDF_UINT32 n = size - got;
        HPDF_STATUS st = HPDF_ReadFromStream(w->pdf, buf + got, &n);

        if ((st != HPDF_OK && st != HPDF_STREAM_EOF) || n == 0) {
            free(buf);
            w->herr.code = st;
            return hpdf_fail(w, err, "reading the saved document");
        }
        got += n;
    }
    if (pack(w, buf, size, out, len, err) < 0) {
        free(buf);
        return -1;
    }
    free(buf);
    return 0;
}

const char *pledge_pdf_deflate_version(void)
{
    return LIBDEFLATE_VERSION_STRING;
}

int pledge_pdf_write(const pledge_pages *pages,
                     pledge_font *const fonts[PLEDGE_STYLE_COUNT],
                     const pledge_pdf_info *info, unsigned char **out,
                     size_t *len, pledge_err *err)
{
    return pledge_pdf_write_cached(NULL, pages, fonts, info, out, len, err);
}

int pledge_pdf_write_cached(pledge_pdf_cache *cache,
                            const pledge_pages *pages,
                            pledge_font *const fonts[PLEDGE_STYLE_COUNT],
                            const pledge_pdf_info *info, unsigned char **out,
                            size_t *len, pledge_err *err)
{
    writer w;
    tagging tg;
    int i, ret = -1;

    memset(&w, 0, sizeof w);
    memset(&tg, 0, sizeof tg);
    w.cache = cache;
    crypto_generichash_init(&w.idh, NULL, 0, 16);
    for (i = 0; i < PLEDGE_STYLE_COUNT; i++)
        w.of_style[i] = -1;
    if (pages->npages == 0)
        return pledge_err_set(err, "write PDF: no pages");
    if (collect(&w, pages, fonts, info, err) != 0)
        goto done;

    w.pdf = HPDF_New(on_error, &w.herr);
    if (w.pdf == NULL) {
        pledge_err_set(err, "write PDF: out of memory");
        goto done;
    }
    if (bad(&w, HPDF_SetCompressionMode(w.pdf, HPDF_COMP_ALL))) {
        hpdf_fail(&w, err, "setting up the document");
        goto done;
    }
    if (make_encoder(&w, err) != 0)
        goto done;
    if (load_fonts(&w, err) != 0 || set_info(&w, info, err) != 0 ||
        set_document(&w, info, err) != 0 ||
        draw_pages(&w, &tg, pages, err) != 0 ||
        tag_finish(&w, &tg, info->signature_of, err) != 0 ||
        compress_rest(&w, err) != 0 ||
        set_identity(&w, err) != 0 ||
        save(&w, out, len, err) != 0)
        goto done;
    ret = 0;

done:
    if (w.pdf != NULL)
        HPDF_Free(w.pdf);
    tag_free(&tg);
    for (i = 0; i < w.nused; i++) {
        size_t k;

        for (k = 0; k < w.used[i].nshown; k++)
            free(w.used[i].shown[k].text);
        free(w.used[i].shown);
        free(w.used[i].slot);
        free(w.used[i].seen);
        free(w.used[i].cps);
    }
    free(w.chars);
    free(w.code);
    free(w.info.p);
    libdeflate_free_compressor(w.dc);
    free(w.tj);
    return ret;
}

int pledge_pdf_base14_widths(const char *font, unsigned short widths[256],
                             pledge_err *err)
{
    hpdf_error herr = { 0, 0 };
    HPDF_Doc pdf = HPDF_New(on_error, &herr);
    HPDF_Font f;
    unsigned c;
    int rc = -1;

    if (pdf == NULL)
        return pledge_err_set(err, "measure %s: out of memory", font);
    f = HPDF_GetFont(pdf, font, "WinAnsiEncoding");
    for (c = 0; f != NULL && herr.code == 0 && c < 256; c++) {
        HPDF_BYTE s[1];

        s[0] = (HPDF_BYTE)c;
        widths[c] = c < 32 ? 0 :
                    (unsigned short)HPDF_Font_TextWidth(f, s, 1).width;
    }
    if (f == NULL || herr.code != 0)
        pledge_err_set(err, "measure %s: libharu error 0x%04lX", font,
                       (unsigned long)herr.code);
    else
        rc = 0;
    HPDF_Free(pdf);
    return rc;
}
