/* paragraph.c - set one paragraph of styled runs into lines.
 *
 * Each run is shaped once, whole (its whitespace shaped as spaces), so
 * kerning inside a word comes from the font; a word's last glyph loses
 * any kern against the space after it, and there is no kerning across a
 * change of style.  A word is a maximal stretch of characters between
 * spaces and may span runs ("**An Alliance** endorsed").
 *
 * The item list is Knuth and Plass's:
 *   - a word is one box, or several where it may break: after an
 *     explicit hyphen, en or em dash (penalty 50, flagged, as TeX's
 *     \exhyphenpenalty), after a slash (penalty 50, not flagged: no
 *     hyphen is added and the slash stays visible, so a slash at two line
 *     ends running is no ladder of hyphens), and at hyphenation points
 *     (penalty 400, flagged, the width of "-" in the style of the letter
 *     before).  Explicit breaks need two letters or digits on either
 *     side, so that "IECMH-E" stays whole.
 *   - a space is glue of the font's space width, stretch 1/2 and shrink
 *     1/3 of it (TeX's fontdimens for Computer Modern have the same
 *     proportions); a no-break space is the same glue after penalty +INF;
 *   - a hard line break ("\n" in a run) is TeX's \hfil\break: penalty
 *     +INF, fil glue, penalty -INF, and the paragraph ends the same way
 *     (\parfillskip).
 * Ragged alignment uses TeX's \rightskip method within the item list:
 * every place a line may end gets glue of 0 plus 3em before its break
 * and 0 minus 3em after it (discarded at a break, cancelling otherwise),
 * and spaces neither stretch nor shrink; lines are then set at natural
 * width and the breaker still balances their ragged ends.
 *
 * With spec->ligatures, runs are shaped with the font's standard
 * ligatures, and a hyphenation point inside a ligature ("of-fice") is
 * TeX's discretionary (push_disc): the penalty carries the first piece
 * and its hyphen shaped on their own, then glue of the ligature's width
 * less the second piece's, which a break discards, then a box of the
 * second piece, drawn only where it starts a line; unbroken, the glue
 * draws the ligature and the box nothing.
 *
 * A hyphen the breaker adds stands for a soft hyphen (U+00AD) in the
 * segment's text: a reader taking the text from the glyphs gets a word
 * broken at a soft hyphen, not two words.
 *
 * A segment is text shown at the font's nominal advances from its own x,
 * so a segment ends wherever the next glyph does not sit at the nominal
 * advance of the previous one: after a kerned glyph, at a change of
 * style, at a justified space.  At natural spacing a space is kept in the
 * segment instead, so a ragged or last line of one style without kerns is
 * one segment.  A break inside a word also undoes the kern of the glyph
 * before it, which is the reason a penalty's width is its hyphen's width
 * minus that kern.
 */
#include "paragraph.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../util/err.h"
#include "../util/grow.h"
#include "../util/utf8.h"
#include "linebreak.h"

#define HYPHEN_PENALTY      400/* TeX's \hyphenpenalty, raised from
                                   plain's 50 as book setting does: a
                                   hyphen only where the spacing needs it */
#define EXHYPHEN_PENALTY    50  /* TeX's \exhyphenpenalty */
#define SLASH_PENALTY       50
#define RAGGED_STRETCH      3.0 /* em: the \rightskip stretch */
#define SPACE_STRETCH       (1.0 / 2)   /* of a space's width */
#define SPACE_SHRINK        (1.0 / 3)
#define EMERGENCY_STRETCH   2.0 /* em, rating lines in the final pass */
#define MAX_SPACE           1.6 /* a justified space at most this many
                                   times its natural width, where the
                                   text allows */
#define EXPANSION           0.02    /* justified glyphs may be set 2%
                                       wider or narrower (pdfTeX's font
                                       expansion, microtype's default) */
#define OVERFULL_SLACK      0.5 /* pt a line may exceed its measure */
#define MAX_POINTS          32  /* hyphenation points per word */

typedef enum { G_CHAR, G_SPACE, G_NBSP, G_NEWLINE } glyph_class;

/* The hyphen a break adds is shaped from hyphen_text and stands for a
 * soft hyphen (U+00AD): a reader that takes the text from the glyphs
 * gets a word with a soft hyphen in it, not two words. */
static const char hyphen_text[] = "-";
static const char soft_hyphen[] = "\xc2\xad";

typedef struct {
    uint32_t cp;        /* its (first) character */
    uint32_t gid;
    const char *s;      /* the text it stands for, in its run */
    size_t slen;        /* bytes; 0 for a further glyph of a cluster */
    pledge_style style;
    glyph_class cls;
    double adv;         /* as placed: kerning included */
    double kern;        /* adv minus the nominal advance */
    double dx, dy;      /* GPOS offset from the pen (a mark) */
} glyph;

/* What an item stands for, beside the pledge_item the breaker sees. */
typedef struct {
    size_t g0, g1;          /* box: glyphs [g0, g1); a break inside a
                               ligature (disc): the penalty's glyphs at
                               the line end, the glue's when unbroken */
    pledge_style style;     /* space glue: its style; penalty: hyphen's */
    uint32_t space_cp;      /* glue: the space character, or 0 */
    uint32_t space_gid;     /* glue: its glyph */
    int add_hyphen;         /* penalty: a "-" goes at the line end */
    int disc;               /* a break inside a ligature: 1 on its
                               penalty, its glue and the box after, which
                               holds the glyphs that start the next line
                               when it is taken */
} item_info;

typedef struct {
    const pledge_para_spec *spec;
    glyph *g;
    size_t ng, capg;
    pledge_item *items;
    item_info *info;
    size_t n, cap, capinfo;
    double hyphen_w[PLEDGE_STYLE_COUNT];    /* < 0: not measured yet */
    uint32_t hyphen_gid[PLEDGE_STYLE_COUNT];
    char *word;                 /* scratch: a word's UTF-8 */
    size_t *word_off;           /* scratch: each glyph's byte in word */
    size_t capword, capoff;
} builder;

static int is_space_byte(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
           c == '\v';
}

static double em(const builder *b)
{
    return b->spec->size;
}

/* Shapes every run and appends its glyphs to b->g. */
static int shape_runs(builder *b, const pledge_run *runs, size_t nruns,
                      pledge_err *err)
{
    const pledge_para_spec *spec = b->spec;
    char *copy = NULL;
    size_t capcopy = 0, r, i;
    void *q;

    for (r = 0; r < nruns; r++) {
        const char *text = runs[r].text;
        size_t len = text != NULL ? strlen(text) : 0, n;
        pledge_glyph *sg;
        pledge_font *font;

        if (len == 0)
            continue;
        if ((unsigned)runs[r].style >= PLEDGE_STYLE_COUNT ||
            spec->fonts[runs[r].style] == NULL) {
            pledge_err_set(err, "set paragraph: no font for style %d",
                           (int)runs[r].style);
            goto fail;
        }
        font = spec->fonts[runs[r].style];
        /* Whitespace is shaped as spaces: fonts have no glyph for "\n". */
        q = pledge_grow(copy, &capcopy, len, 1);
        if (q == NULL)
            goto oom;
        copy = q;
        for (i = 0; i < len; i++)
            copy[i] = is_space_byte(text[i]) ? ' ' : text[i];
        if (pledge_font_shape_with(font, copy, len, spec->size,
                                   spec->ligatures ? PLEDGE_SHAPE_LIGATURES
                                                   : 0, &sg, &n, err) < 0)
            goto fail;
        q = pledge_grow(b->g, &b->capg, b->ng + n, sizeof *b->g);
        if (q == NULL) {
            free(sg);
            goto oom;
        }
        b->g = q;
        for (i = 0; i < n; i++) {
            glyph *g = &b->g[b->ng++];

            g->cp = sg[i].cp;
            g->gid = sg[i].gid;
            g->s = text + sg[i].offset;
            g->slen = sg[i].len;
            g->style = runs[r].style;
            g->adv = sg[i].advance;
            g->kern = sg[i].kern;
            g->dx = sg[i].dx;
            g->dy = sg[i].dy;
            if (sg[i].len == 0)
                g->cls = G_CHAR;
            else if (text[sg[i].offset] == '\n')
                g->cls = G_NEWLINE;
            else if (sg[i].cp == ' ')
                g->cls = G_SPACE;
            else if (sg[i].cp == 0xa0)
                g->cls = G_NBSP;
            else
                g->cls = G_CHAR;
        }
        free(sg);
    }
    free(copy);
    return 0;

oom:
    pledge_err_set(err, "set paragraph: out of memory");
fail:
    free(copy);
    return -1;
}

static int push(builder *b, pledge_item_kind kind, double w, double st,
                double sh, int pen, int flagged, item_info **info)
{
    pledge_item *it;
    item_info *in;

    it = pledge_grow(b->items, &b->cap, b->n + 1, sizeof *b->items);
    if (it == NULL)
        return -1;
    b->items = it;
    in = pledge_grow(b->info, &b->capinfo, b->n + 1, sizeof *b->info);
    if (in == NULL)
        return -1;
    b->info = in;
    it = &b->items[b->n];
    it->kind = kind;
    it->width = w;
    it->stretch = st;
    it->shrink = sh;
    it->penalty = pen;
    it->flagged = flagged;
    memset(&b->info[b->n], 0, sizeof b->info[b->n]);
    if (info != NULL)
        *info = &b->info[b->n];
    b->n++;
    return 0;
}

static int push_box(builder *b, size_t g0, size_t g1)
{
    item_info *info;
    double w = 0;
    size_t k;

    for (k = g0; k < g1; k++)
        w += b->g[k].adv;
    if (push(b, PLEDGE_ITEM_BOX, w, 0, 0, 0, 0, &info) < 0)
        return -1;
    info->g0 = g0;
    info->g1 = g1;
    return 0;
}

/* A break inside a word: the penalty, wrapped for ragged setting. */
static int push_break(builder *b, double w, int pen, int flagged,
                      pledge_style style, int add_hyphen)
{
    int ragged = b->spec->align == PLEDGE_ALIGN_RAGGED;
    double s = RAGGED_STRETCH * em(b);
    item_info *info;

    if (ragged && (push(b, PLEDGE_ITEM_PENALTY, 0, 0, 0, PLEDGE_INF_PENALTY,
                        0, NULL) < 0 ||
                   push(b, PLEDGE_ITEM_GLUE, 0, s, 0, 0, 0, NULL) < 0))
        return -1;
    if (push(b, PLEDGE_ITEM_PENALTY, w, 0, 0, pen, flagged, &info) < 0)
        return -1;
    info->style = style;
    info->add_hyphen = add_hyphen;
    if (ragged && push(b, PLEDGE_ITEM_GLUE, 0, -s, 0, 0, 0, NULL) < 0)
        return -1;
    return 0;
}

/* The space between two words; sep is its first space glyph. */
static int push_space(builder *b, const glyph *sep, int breakable)
{
    double w = sep->adv - sep->kern;
    double s = RAGGED_STRETCH * em(b);
    item_info *info;

    if (!breakable && push(b, PLEDGE_ITEM_PENALTY, 0, 0, 0,
                           PLEDGE_INF_PENALTY, 0, NULL) < 0)
        return -1;
    if (b->spec->align == PLEDGE_ALIGN_RAGGED) {
        if (breakable &&
            (push(b, PLEDGE_ITEM_GLUE, 0, s, 0, 0, 0, NULL) < 0 ||
             push(b, PLEDGE_ITEM_PENALTY, 0, 0, 0, 0, 0, NULL) < 0 ||
             push(b, PLEDGE_ITEM_GLUE, w, -s, 0, 0, 0, &info) < 0))
            return -1;
        if (!breakable &&
            push(b, PLEDGE_ITEM_GLUE, w, 0, 0, 0, 0, &info) < 0)
            return -1;
    } else if (push(b, PLEDGE_ITEM_GLUE, w, w * SPACE_STRETCH,
                    w * SPACE_SHRINK, 0, 0, &info) < 0) {
        return -1;
    }
    info->style = sep->style;
    info->space_cp = sep->cp;
    info->space_gid = sep->gid;
    return 0;
}

/* TeX's \hfil\break, and with it the end of the paragraph. */
static int push_end(builder *b)
{
    if (push(b, PLEDGE_ITEM_PENALTY, 0, 0, 0, PLEDGE_INF_PENALTY, 0,
             NULL) < 0 ||
        push(b, PLEDGE_ITEM_GLUE, 0, INFINITY, 0, 0, 0, NULL) < 0 ||
        push(b, PLEDGE_ITEM_PENALTY, 0, 0, 0, -PLEDGE_INF_PENALTY, 0,
             NULL) < 0)
        return -1;
    return 0;
}

static double hyphen_width(builder *b, pledge_style style)
{
    pledge_font *font = b->spec->fonts[style];
    pledge_glyph *g;
    size_t n;

    if (b->hyphen_w[style] < 0) {
        b->hyphen_w[style] = 0;
        if (pledge_font_has(font, '-') &&
            pledge_font_shape(font, hyphen_text, 1, b->spec->size, &g, &n,
                              NULL) == 0) {
            if (n == 1) {
                b->hyphen_w[style] = g[0].advance;
                b->hyphen_gid[style] = g[0].gid;
            }
            free(g);
        }
    }
    return b->hyphen_w[style];
}

static int is_dash(uint32_t cp)
{
    return cp == '-' || cp == 0x2010 || cp == 0x2013 || cp == 0x2014;
}

/* Letters and digits, roughly: enough to tell "IECMH-E" and its
 * registered sign (one letter after the hyphen) from "anti-bias". */
static int is_alnum(uint32_t cp)
{
    if (cp < 0x80)
        return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') ||
               (cp >= '0' && cp <= '9');
    return cp >= 0xc0 && cp != 0xd7 && cp != 0xf7 &&
           !(cp >= 0x2000 && cp <= 0x2bff);
}

static size_t count_alnum(const glyph *g, size_t from, size_t to)
{
    size_t n = 0;

    for (; from < to; from++)
        n += is_alnum(g[from].cp);
    return n;
}

/* Whether word g[a..e) may break after glyph k at an explicit hyphen,
 * dash or slash, with two letters or digits on either side; if so sets
 * *pen and *flagged. */
static int explicit_break(const glyph *g, size_t a, size_t e, size_t k,
                          int *pen, int *flagged)
{
    if (is_dash(g[k].cp) && !is_dash(g[k + 1].cp)) {
        *pen = EXHYPHEN_PENALTY;
        *flagged = PLEDGE_FLAG_EXPLICIT;
    } else if (g[k].cp == '/' && g[k + 1].cp != '/') {
        *pen = SLASH_PENALTY;
        *flagged = 0;
    } else {
        return 0;
    }
    return count_alnum(g, a, k) >= 2 && count_alnum(g, k + 1, e) >= 2;
}

/* Shapes the first n bytes of t followed by tail (tail NULL: none)
 * in style and appends the glyphs to b->g as [*g0, b->ng); their text is
 * t's and tail's own.  *w gets their width.  Returns 0, or -1 with err
 * set. */
static int append_shaped(builder *b, pledge_style style, const char *t,
                         size_t n, const char *tail, double *w, size_t *g0,
                         pledge_err *err)
{
    size_t tl = tail != NULL ? strlen(tail) : 0, k, ng;
    pledge_glyph *sg;
    char buf[64];
    glyph *q;

    if (n + tl > sizeof buf)
        return pledge_err_set(err, "set paragraph: ligature too long");
    memcpy(buf, t, n);
    if (tl > 0)
        memcpy(buf + n, tail, tl);
    if (pledge_font_shape_with(b->spec->fonts[style], buf, n + tl,
                               b->spec->size, b->spec->ligatures ?
                               PLEDGE_SHAPE_LIGATURES : 0, &sg, &ng,
                               err) < 0)
        return -1;
    q = pledge_grow(b->g, &b->capg, b->ng + ng, sizeof *b->g);
    if (q == NULL) {
        free(sg);
        return pledge_err_set(err, "set paragraph: out of memory");
    }
    b->g = q;
    *g0 = b->ng;
    *w = 0;
    for (k = 0; k < ng; k++) {
        glyph *g = &b->g[b->ng++];

        memset(g, 0, sizeof *g);
        g->cp = sg[k].offset < n ? sg[k].cp : 0xad;
        g->gid = sg[k].gid;
        g->s = sg[k].offset < n ? t + sg[k].offset : soft_hyphen;
        g->slen = sg[k].offset < n || sg[k].len == 0 ? sg[k].len
                                                     : strlen(soft_hyphen);
        g->style = style;
        g->cls = G_CHAR;
        g->adv = sg[k].advance;
        g->kern = sg[k].kern;
        g->dx = sg[k].dx;
        g->dy = sg[k].dy;
        *w += g->adv;
    }
    free(sg);
    return 0;
}

/* A hyphenation point inside ligature glyph k, split bytes into its
 * text: TeX's discretionary.  Unbroken, the word keeps the ligature; at
 * the break, the first piece with its hyphen and the second are shaped
 * each on its own.  Items: the penalty (the first piece's width), glue
 * of the ligature's width less the second piece's, which a break
 * discards, and a box of the second piece, drawn only where it starts a
 * line. */
static int push_disc(builder *b, size_t k, size_t split, pledge_err *err)
{
    glyph lig = b->g[k];
    size_t p0, p1, q0, n0;
    double wp, wq;
    item_info *info;
    int ragged = b->spec->align == PLEDGE_ALIGN_RAGGED;

    if (append_shaped(b, lig.style, lig.s, split, hyphen_text, &wp, &p0,
                      err) < 0)
        return -1;
    p1 = b->ng;
    if (append_shaped(b, lig.style, lig.s + split, lig.slen - split, NULL,
                      &wq, &q0, err) < 0)
        return -1;
    n0 = b->n;
    if (push_break(b, wp, HYPHEN_PENALTY, PLEDGE_FLAG_HYPHEN, lig.style,
                   0) < 0 ||
        push(b, PLEDGE_ITEM_GLUE, lig.adv - wq, 0, 0, 0, 0, &info) < 0)
        return pledge_err_set(err, "set paragraph: out of memory");
    info->disc = 1;
    info->g0 = k;
    info->g1 = k + 1;
    info = &b->info[n0 + (ragged ? 2 : 0)];
    info->disc = 1;
    info->g0 = p0;
    info->g1 = p1;
    if (push_box(b, q0, b->ng) < 0)
        return pledge_err_set(err, "set paragraph: out of memory");
    b->info[b->n - 1].disc = 1;
    return 0;
}

/* Appends the items of word g[a..e). */
static int push_word(builder *b, size_t a, size_t e, pledge_err *err)
{
    glyph *g = b->g;
    unsigned char hyph_at[256];     /* 1: a hyphenation point before */
    unsigned char lig_at[256];      /* > 0: a point that many bytes into
                                       the glyph's text (a ligature) */
    size_t offs[MAX_POINTS], np = 0, k, len, start;

    /* Nothing follows the word's last glyph on its line but glue. */
    g[e - 1].adv -= g[e - 1].kern;
    g[e - 1].kern = 0;

    memset(hyph_at, 0, sizeof hyph_at);
    memset(lig_at, 0, sizeof lig_at);
    if (b->spec->hyphen != NULL && e - a < sizeof hyph_at) {
        size_t *wo;
        char *w;

        for (len = 0, k = a; k < e; k++)
            len += g[k].slen;
        w = pledge_grow(b->word, &b->capword, len + 1, 1);
        if (w == NULL)
            goto oom;
        b->word = w;
        wo = pledge_grow(b->word_off, &b->capoff, e - a + 1, sizeof *wo);
        if (wo == NULL)
            goto oom;
        b->word_off = wo;
        len = 0;
        for (k = a; k < e; k++) {
            b->word_off[k - a] = len;
            memcpy(b->word + len, g[k].s, g[k].slen);
            len += g[k].slen;
        }
        b->word_off[e - a] = len;
        np = pledge_hyphen_points(b->spec->hyphen, b->word, len, offs,
                                  MAX_POINTS);
        /* Byte offsets back to glyphs: a point before glyph j, or inside
         * the text of a ligature j. */
        for (k = 0; k < np; k++) {
            size_t j;

            for (j = 1; j < e - a && (b->word_off[j] != offs[k] ||
                                      g[a + j].slen == 0); j++)
                ;
            if (j < e - a) {
                hyph_at[j] = 1;
                continue;
            }
            for (j = 0; j < e - a; j++) {
                size_t o = b->word_off[j];

                if (o < offs[k] && offs[k] < o + g[a + j].slen &&
                    offs[k] - o < 256)
                    lig_at[j] = (unsigned char)(offs[k] - o);
            }
        }
    }

    start = a;
    for (k = a; k < e; k++) {
        int pen, flagged, hyphen = 0;
        double w;

        if (lig_at[k - a] && hyphen_width(b, b->g[k].style) > 0) {
            if ((k > start && push_box(b, start, k) < 0))
                goto oom;
            if (push_disc(b, k, lig_at[k - a], err) < 0)
                return -1;
            start = k + 1;
        }
        g = b->g;
        if (k + 1 >= e)
            break;
        if (k + 1 - a < sizeof hyph_at && hyph_at[k + 1 - a] &&
            hyphen_width(b, g[k].style) > 0) {
            pen = HYPHEN_PENALTY;
            flagged = PLEDGE_FLAG_HYPHEN;
            hyphen = 1;
        } else if (!explicit_break(g, a, e, k, &pen, &flagged)) {
            continue;
        }
        w = (hyphen ? hyphen_width(b, g[k].style) : 0) - g[k].kern;
        if ((k + 1 > start && push_box(b, start, k + 1) < 0) ||
            push_break(b, w, pen, flagged, g[k].style, hyphen) < 0)
            goto oom;
        start = k + 1;
    }
    if (start < e && push_box(b, start, e) < 0)
        goto oom;
    return 0;

oom:
    return pledge_err_set(err, "set paragraph: out of memory");
}

/* Builds b->items from b->g.  Returns 0, or -1 with err set. */
static int build_items(builder *b, pledge_err *err)
{
    size_t i = 0, a, ng = b->ng;
    int words = 0;

    while (i < ng) {
        const glyph *sep = NULL;
        int newline = 0, breakable = 0;

        /* Whitespace before the word: collapsed into one separator. */
        for (; i < ng && b->g[i].cls != G_CHAR; i++) {
            if (b->g[i].cls == G_NEWLINE)
                newline = 1;
            else if (b->g[i].cls == G_SPACE && !breakable)
                sep = &b->g[i], breakable = 1;
            else if (sep == NULL)
                sep = &b->g[i];
        }
        if (i == ng)
            break;
        if (words > 0) {
            if (newline) {
                if (push_end(b) < 0)
                    goto oom;
            } else if (push_space(b, sep, breakable) < 0) {
                goto oom;
            }
        }
        for (a = i; i < ng && b->g[i].cls == G_CHAR; i++)
            ;
        if (push_word(b, a, i, err) < 0)
            return -1;
        words++;
    }
    if (words > 0 && push_end(b) < 0)
        goto oom;
    return 0;

oom:
    return pledge_err_set(err, "set paragraph: out of memory");
}

static void builder_free(builder *b)
{
    free(b->g);
    free(b->items);
    free(b->info);
    free(b->word);
    free(b->word_off);
}

static int builder_run(builder *b, const pledge_para_spec *spec,
                       const pledge_run *runs, size_t nruns, pledge_err *err)
{
    int s;

    memset(b, 0, sizeof *b);
    b->spec = spec;
    for (s = 0; s < PLEDGE_STYLE_COUNT; s++)
        b->hyphen_w[s] = -1;
    if (spec->widths == NULL || spec->nwidths == 0 || !(spec->size > 0))
        return pledge_err_set(err, "set paragraph: no measure or size");
    if (shape_runs(b, runs, nruns, err) < 0)
        return -1;
    if (build_items(b, err) < 0)
        return -1;
    return 0;
}

void pledge_paragraph_params(const pledge_para_spec *spec,
                             pledge_linebreak_params *p)
{
    double r = (MAX_SPACE - 1) / SPACE_STRETCH;

    pledge_linebreak_defaults(p);
    /* The badness of a line whose spaces reach MAX_SPACE: TeX's
     * pretolerance 100 and tolerance 200 on Times' spaces (stretch 0.6
     * of the space) allow 1.6 and 1.76 times; here both passes stop at
     * MAX_SPACE, the first without hyphenation, so that a paragraph that
     * can be set without hyphens is, and a line looser than that is left
     * to the final pass, which makes as few of them as it can. */
    p->pretolerance = p->tolerance = floor(100 * r * r * r);
    p->emergency_stretch = EMERGENCY_STRETCH * spec->size;
    p->expansion = spec->align == PLEDGE_ALIGN_RAGGED ? 0 : EXPANSION;
}

int pledge_paragraph_items(const pledge_para_spec *spec,
                           const pledge_run *runs, size_t nruns,
                           pledge_item **items, size_t *n, pledge_err *err)
{
    builder b;

    if (builder_run(&b, spec, runs, nruns, err) < 0) {
        builder_free(&b);
        return -1;
    }
    *items = b.items;
    *n = b.n;
    b.items = NULL;
    builder_free(&b);
    return 0;
}

/* ---- setting the lines ---- */

typedef struct {
    size_t len, cap;            /* a segment's text: length, capacity */
    size_t capg;                /* its glyphs' capacity */
} seg_room;

typedef struct {
    pledge_seg *segs;
    size_t nsegs, capsegs;
    seg_room *room;             /* one per segment */
    size_t caproom;
    int cont;                   /* the next glyph may extend the segment */
    glyph pend;                 /* a natural space waiting for the next */
    int has_pend;               /* glyph of its style */
} line_builder;

/* Appends glyph g to the last segment, at its nominal advance (a kern
 * ends a segment). */
static int seg_append(line_builder *lb, const glyph *g)
{
    pledge_seg *s = &lb->segs[lb->nsegs - 1];
    seg_room *r = &lb->room[lb->nsegs - 1];
    pledge_glyph *pg;
    char *t;

    t = pledge_grow(s->text, &r->cap, r->len + g->slen + 1, 1);
    if (t == NULL)
        return -1;
    s->text = t;
    pg = pledge_grow(s->glyphs, &r->capg, s->nglyphs + 1, sizeof *pg);
    if (pg == NULL)
        return -1;
    s->glyphs = pg;
    pg += s->nglyphs++;
    memset(pg, 0, sizeof *pg);
    pg->cp = g->cp;
    pg->gid = g->gid;
    pg->offset = r->len;
    pg->len = g->slen;
    pg->advance = g->adv - g->kern;
    memcpy(t + r->len, g->s, g->slen);
    r->len += g->slen;
    t[r->len] = '\0';
    return 0;
}

static int seg_new(line_builder *lb, pledge_style style, double x)
{
    pledge_seg *s;
    seg_room *r;

    s = pledge_grow(lb->segs, &lb->capsegs, lb->nsegs + 1, sizeof *s);
    if (s == NULL)
        return -1;
    lb->segs = s;
    r = pledge_grow(lb->room, &lb->caproom, lb->nsegs + 1, sizeof *r);
    if (r == NULL)
        return -1;
    lb->room = r;
    s = &lb->segs[lb->nsegs];
    r = &lb->room[lb->nsegs];
    lb->nsegs++;
    memset(s, 0, sizeof *s);
    memset(r, 0, sizeof *r);
    s->style = style;
    s->x = x;
    s->text = malloc(1);
    if (s->text == NULL)
        return -1;
    s->text[0] = '\0';
    r->cap = 1;
    return 0;
}

static int place_glyph(line_builder *lb, const glyph *g, double x)
{
    /* A glyph GPOS moved (a mark onto its base) is a segment of its own
     * where it goes, and the next glyph starts another. */
    if (g->dx != 0 || g->dy != 0) {
        glyph at = *g;

        if (seg_new(lb, g->style, x + g->dx) < 0)
            return -1;
        lb->segs[lb->nsegs - 1].dy = g->dy;
        lb->has_pend = 0;
        lb->cont = 0;
        at.dx = at.dy = 0;
        return seg_append(lb, &at);
    }
    if (lb->nsegs > 0 && lb->cont &&
        lb->segs[lb->nsegs - 1].style == g->style &&
        (!lb->has_pend || lb->pend.style == g->style)) {
        if (lb->has_pend && seg_append(lb, &lb->pend) < 0)
            return -1;
    } else if (seg_new(lb, g->style, x) < 0) {
        return -1;
    }
    lb->has_pend = 0;
    lb->cont = g->kern == 0;
    return seg_append(lb, g);
}

/* Places glyphs [g0, g1) from *x on, moving *x past them. */
static int place_glyphs(const builder *b, line_builder *lb, size_t g0,
                        size_t g1, double scale, double *x)
{
    size_t k;

    for (k = g0; k < g1; k++) {
        glyph g = b->g[k];

        g.dx *= scale;
        if (place_glyph(lb, &g, *x) < 0)
            return -1;
        *x += g.adv * scale;
    }
    return 0;
}

/* Optical margin alignment: how far a glyph at a justified line's end
 * (right) or start (left) hangs into the margin, in thousandths of its
 * advance; microtype's default factors for these characters. */
static int protrusion(uint32_t cp, int right)
{
    static const struct {
        uint32_t cp;
        short left, right;
    } f[] = {
        { '.', 0, 700 }, { ',', 0, 500 }, { ':', 0, 500 }, { ';', 0, 300 },
        { '!', 0, 200 }, { '?', 0, 200 }, { '(', 100, 0 }, { ')', 0, 200 },
        { '-', 0, 500 }, { 0x2010, 0, 500 }, { 0x2013, 200, 200 },
        { 0x2014, 150, 150 }, { 0x2018, 300, 400 }, { 0x2019, 300, 400 },
        { 0x201c, 300, 300 }, { 0x201d, 300, 300 }, { '"', 300, 300 },
        { '\'', 300, 400 },
    };
    size_t i;

    for (i = 0; i < sizeof f / sizeof f[0]; i++)
        if (f[i].cp == cp)
            return right ? f[i].right : f[i].left;
    return 0;
}

/* The protrusion of the line items[from..brk] (from its first box) into
 * the left margin (*left) and, unless it ends the paragraph or a hard
 * line break, the right (*right), pt at the font's widths. */
static void line_protrusion(const builder *b, size_t from, size_t brk,
                            double *left, double *right)
{
    const pledge_item *bi = &b->items[brk];
    const glyph *g;
    size_t i;

    *left = *right = 0;
    if (b->spec->align == PLEDGE_ALIGN_RAGGED ||
        b->items[from].kind != PLEDGE_ITEM_BOX)
        return;
    g = &b->g[b->info[from].g0];
    *left = protrusion(g->cp, 0) * g->adv / 1000;
    if (bi->kind == PLEDGE_ITEM_PENALTY && bi->penalty <= -PLEDGE_INF_PENALTY)
        return;
    if (bi->kind == PLEDGE_ITEM_PENALTY && b->info[brk].add_hyphen) {
        *right = protrusion('-', 1) *
                 b->hyphen_w[b->info[brk].style] / 1000;
        return;
    }
    for (i = brk; i-- > from && b->items[i].kind != PLEDGE_ITEM_BOX;)
        ;
    if (i >= brk || b->items[i].kind != PLEDGE_ITEM_BOX ||
        b->info[i].g1 <= b->info[i].g0)
        return;
    g = &b->g[b->info[i].g1 - 1];
    *right = protrusion(g->cp, 1) * g->adv / 1000;
}

/* How the line items[from..brk] is set to width: its glyphs at *scale
 * times their width, its glue at ratio *glue; r is the breaker's ratio
 * (over glue and glyphs alike) for the measure, and width may exceed the
 * measure by the line's protrusion.  The glyphs stretch with the glue up
 * to their limit (EXPANSION), the glue alone beyond it. */
static void line_scale(const builder *b, size_t from, size_t brk, double r,
                       double width, double *scale, double *glue)
{
    double natural = 0, boxes = 0, stretch = 0, shrink = 0, e, over;
    size_t i, fil = 0;

    *scale = 1;
    *glue = r;
    if (b->spec->align == PLEDGE_ALIGN_RAGGED)
        return;
    e = EXPANSION;
    for (i = from; i <= brk; i++) {
        const pledge_item *it = &b->items[i];

        /* A ligature's glue is drawn as its glyphs, scaled as a box. */
        if (it->kind == PLEDGE_ITEM_BOX ||
            (i < brk && it->kind == PLEDGE_ITEM_GLUE && b->info[i].disc) ||
            (i == brk && it->kind == PLEDGE_ITEM_PENALTY)) {
            boxes += it->width;
            natural += it->width;
        } else if (i < brk && it->kind == PLEDGE_ITEM_GLUE) {
            natural += it->width;
            fil += isinf(it->stretch) != 0;
            if (!isinf(it->stretch))
                stretch += it->stretch;
            shrink += it->shrink;
        }
    }
    /* A line ending in fil glue (the last) only shrinks, as the
     * breaker set it. */
    if (fil > 0) {
        if (r < 0)
            *scale = 1 + e * r;
        return;
    }
    if (r == 0 && fabs(width - natural) < 1e-7)
        return;
    over = width - natural;
    if (over > 0)
        r = stretch + e * boxes > 0 ? over / (stretch + e * boxes) : 0;
    else
        r = shrink + e * boxes > 0 ? over / (shrink + e * boxes) : 0;
    if (r < -1)
        r = -1;
    *glue = r;
    /* A line without glue that cannot be filled is left short, at the
     * font's widths. */
    if (r > 1 && stretch <= 0)
        return;
    *scale = 1 + e * (r > 1 ? 1 : r);
    if (r > 1)
        *glue = (r * (stretch + e * boxes) - e * boxes) / stretch;
}

/* The glyphs items[i] draws as the line is set, the line's first box
 * being items[first]: a box its glyphs, but a ligature's second piece
 * only where it starts the line; a ligature's glue the ligature. */
static int drawn(const builder *b, size_t i, size_t first, size_t *g0,
                 size_t *g1)
{
    const pledge_item *it = &b->items[i];
    const item_info *in = &b->info[i];

    if ((it->kind == PLEDGE_ITEM_BOX && (!in->disc || i == first)) ||
        (it->kind == PLEDGE_ITEM_GLUE && in->disc)) {
        *g0 = in->g0;
        *g1 = in->g1;
        return 1;
    }
    return 0;
}

/* Sets the line of items[from..brk] (brk the break) into ln. */
static int set_line(const builder *b, size_t from, size_t brk, double ratio,
                    double measure, pledge_line *ln, line_builder *lb)
{
    const pledge_item *bi = &b->items[brk];
    const item_info *binfo = &b->info[brk];
    double x, scale, left, right;
    size_t i, g0, g1;
    int natural;

    lb->nsegs = 0;
    lb->cont = 0;
    lb->has_pend = 0;
    while (from < brk && b->items[from].kind != PLEDGE_ITEM_BOX)
        from++;
    line_protrusion(b, from, brk, &left, &right);
    line_scale(b, from, brk, ratio, measure + left + right, &scale, &ratio);
    natural = b->spec->align == PLEDGE_ALIGN_RAGGED || ratio == 0;
    x = -left;
    for (i = from; i < brk; i++) {
        const pledge_item *it = &b->items[i];
        const item_info *info = &b->info[i];
        double w;

        if (drawn(b, i, from, &g0, &g1)) {
            if (place_glyphs(b, lb, g0, g1, scale, &x) < 0)
                return -1;
            continue;
        }
        if (it->kind != PLEDGE_ITEM_GLUE)
            continue;
        w = it->width;
        if (!natural && !isinf(it->stretch))
            w += ratio * (ratio > 0 ? it->stretch : it->shrink);
        if (isinf(it->stretch) || w == 0)
            continue;
        if (natural && info->space_cp != 0 && lb->cont && !lb->has_pend &&
            lb->segs[lb->nsegs - 1].style == info->style) {
            lb->has_pend = 1;
            memset(&lb->pend, 0, sizeof lb->pend);
            lb->pend.cp = info->space_cp;
            lb->pend.gid = info->space_gid;
            lb->pend.style = info->style;
            lb->pend.adv = w;
            lb->pend.s = info->space_cp == ' ' ? " " : "\xc2\xa0";
            lb->pend.slen = info->space_cp == ' ' ? 1 : 2;
        } else {
            lb->cont = 0;
            lb->has_pend = 0;
        }
        x += w;
    }
    if (bi->kind == PLEDGE_ITEM_PENALTY && binfo->disc) {
        if (place_glyphs(b, lb, binfo->g0, binfo->g1, scale, &x) < 0)
            return -1;
    } else if (bi->kind == PLEDGE_ITEM_PENALTY && binfo->add_hyphen &&
               lb->nsegs > 0) {
        /* The hyphen follows the last glyph at its nominal advance (the
         * break undid its kern), in a segment of its own after a mark. */
        glyph h;
        const pledge_seg *last = &lb->segs[lb->nsegs - 1];

        memset(&h, 0, sizeof h);
        h.cp = 0xad;
        h.gid = b->hyphen_gid[binfo->style];
        h.s = soft_hyphen;
        h.slen = strlen(soft_hyphen);
        h.style = binfo->style;
        h.adv = b->hyphen_w[binfo->style];
        if ((last->dy != 0 || last->style != h.style) &&
            seg_new(lb, h.style, x) < 0)
            return -1;
        if (seg_append(lb, &h) < 0)
            return -1;
        x += bi->width * scale;
    } else if (bi->kind == PLEDGE_ITEM_PENALTY &&
               bi->penalty > -PLEDGE_INF_PENALTY) {
        x += bi->width * scale;
    }
    ln->segs = lb->segs;
    ln->nsegs = lb->nsegs;
    ln->width = x - right;
    ln->hscale = scale;
    ln->left = left;
    ln->right = right;
    ln->hyphen = bi->kind == PLEDGE_ITEM_PENALTY && bi->flagged;
    lb->segs = NULL;
    lb->capsegs = 0;
    lb->nsegs = 0;
    return 0;
}

static void seg_free(pledge_seg *s)
{
    free(s->text);
    free(s->glyphs);
}

void pledge_lines_free(pledge_lines *lines)
{
    size_t i, j;

    if (lines == NULL)
        return;
    for (i = 0; i < lines->nlines; i++) {
        for (j = 0; j < lines->lines[i].nsegs; j++)
            seg_free(&lines->lines[i].segs[j]);
        free(lines->lines[i].segs);
    }
    free(lines->lines);
    lines->lines = NULL;
    lines->nlines = 0;
}

int pledge_paragraph_set(const pledge_para_spec *spec, const pledge_run *runs,
                         size_t nruns, pledge_lines *out, int *overfull,
                         pledge_err *err)
{
    pledge_linebreak_params p;
    pledge_breaks br;
    pledge_lines res;
    line_builder lb;
    builder b;
    size_t i, from;
    int over = 0;

    memset(&br, 0, sizeof br);
    memset(&res, 0, sizeof res);
    memset(&lb, 0, sizeof lb);
    if (builder_run(&b, spec, runs, nruns, err) < 0)
        goto fail;
    if (b.n == 0)
        goto done;
    pledge_paragraph_params(spec, &p);
    if (pledge_linebreak(b.items, b.n, spec->widths, spec->nwidths, &p, &br,
                         err) < 0)
        goto fail;
    res.lines = calloc(br.nlines, sizeof *res.lines);
    if (res.lines == NULL)
        goto oom;
    for (i = 0, from = 0; i < br.nlines; i++) {
        double measure = spec->widths[i < spec->nwidths ? i
                                                        : spec->nwidths - 1];

        if (set_line(&b, from, br.breaks[i], br.ratios[i], measure,
                     &res.lines[i], &lb) < 0)
            goto oom;
        res.nlines++;
        if (res.lines[i].width > measure + OVERFULL_SLACK)
            over = 1;
        from = br.breaks[i] + 1;
    }

done:
    if (overfull != NULL && over)
        *overfull = 1;
    *out = res;
    free(lb.segs);
    free(lb.room);
    pledge_breaks_free(&br);
    builder_free(&b);
    return 0;

oom:
    pledge_err_set(err, "set paragraph: out of memory");
fail:
    for (i = 0; i < lb.nsegs; i++)
        seg_free(&lb.segs[i]);
    free(lb.segs);
    free(lb.room);
    pledge_lines_free(&res);
    pledge_breaks_free(&br);
    builder_free(&b);
    return -1;
}
