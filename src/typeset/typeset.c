#include "typeset.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../util/err.h"
#include "../util/qr.h"
#include "paragraph.h"

/* Proportions of the page furniture, as fractions of the body size S and
 * leading L: chosen once here so that every layout looks of a piece. */
#define TITLE_SCALE      1.9    /* document title */
#define ASSOC_SCALE      1.0    /* association name above the title */
#define SUBTITLE_SCALE   1.15   /* "Pledge of NAME" */
#define SMALL_SCALE      0.82   /* labels, header, footer, panel text */
#define LIST_INDENT      1.5    /* hanging indent per list level, in S */
#define MARKER_GAP       0.45   /* space between a number and its text, S */
#define LABEL_COLUMN     9.5    /* signature block label column, in S */
#define SIGN_ROOM        2.3    /* the handwritten signature's line, in L */
/* The seal's QR code: 0.5 mm modules, which a 150-dpi scan resolves at
 * about three pixels each, and the quiet zone of 4 modules the standard
 * asks for. */
#define SEAL_MODULE      (0.5 * 72 / 25.4)
#define SEAL_QUIET       4
/* The endorsement panel's space beside the digital signature panel of a
 * pledge its applicant signed, kept free so that an association's
 * endorsement can be drawn there on any layout and paper without touching
 * the page's own content: tall enough for a square of 35 mm, a QR code of
 * up to 61 modules of 0.5 mm and its quiet zone of 4 modules a side.
 * Beside, not below, so that the signature block takes no more height
 * than an association-signed one's. */
#define ENDORSE_ROOM     101.0  /* pt: 35.6 mm, the area's least height */
#define ENDORSE_SHARE    0.49   /* of the measure: the area's width */
#define ENDORSE_GAP      0.4    /* in S: between the panel and the area */


#define SUPPLIED_NOTE "This statement was supplied for this pledge; %s " \
    "has not yet confirmed its wording."
#define PANEL_TITLE "Digital signature"
#define PANEL_TEXT "Not digitally signed. When this pledge is signed, the " \
    "signer, key ID and date appear here, and anyone can check it with " \
    "\xe2\x80\x9cpledge verify\xe2\x80\x9d."
#define SIGNED_TEXT "Digitally signed by %s \xc2\xb7 " \
    "key\xc2\xa0ID\xc2\xa0%s \xc2\xb7 %s. " \
    "To check that not one byte has changed since, run " \
    "\xe2\x80\x9cpledge verify\xe2\x80\x9d on this file with the " \
    "signer\xe2\x80\x99s public key, or minisign alone as the pledge " \
    "signature format describes."
/* The applicant's half of the signature row, beside the endorsement area:
 * the same facts, with room for only a pointer to the checks. */
#define SIGNED_SHORT "Signed by %s\xc2\xa0\xc2\xb7 key\xc2\xa0ID %s\xc2\xa0" \
    "\xc2\xb7 %s. Check it with \xe2\x80\x9cpledge verify\xe2\x80\x9d."
#define SEAL_LEAD "Scan\xc2\xa0to\xc2\xa0verify:"
#define SEAL_TEXT " the code beside, with \xe2\x80\x9cpledge verify --scan\xe2\x80\x9d " \
    "or the association\xe2\x80\x99s verify page."

/* Block numbers for tagging: the title's parts, then the body's blocks
 * from BODY_BLOCK, then the signature block's parts (back_block). */
enum { ASSOC_BLOCK = 1, TITLE_BLOCK, NAME_BLOCK, BODY_BLOCK = 16 };

#define LETTER_WIDTH     612.0
#define LETTER_HEIGHT    792.0
#define A4_WIDTH         595.276
#define A4_HEIGHT        841.890
#define MIN_SIDE         36.0   /* pt: the narrowest side margin the other
                                   paper's text block may leave */

static const double heading_scale[3] = {1.3, 1.08, 1.0};
static const pledge_style heading_style[3] = {
    PLEDGE_STYLE_BOLD, PLEDGE_STYLE_BOLD, PLEDGE_STYLE_BOLD_ITALIC
};

/* Baseline of a line of text at size within its leading, measured down
 * from the top of the line: the ascent of the type plus half the extra
 * leading, so lines of different sizes sit evenly. */
static double baseline_of(double size, double leading)
{
    return size * 0.78 + (leading - size) / 2;
}

static double paper_width(pledge_paper paper)
{
    return paper == PLEDGE_PAPER_A4 ? A4_WIDTH : LETTER_WIDTH;
}

void pledge_typeset_geometry(const pledge_meta *meta, pledge_paper paper,
                             pledge_geometry *g)
{
    double spare;

    if (paper == PLEDGE_PAPER_DEFAULT)
        paper = meta->paper;
    g->page_width = paper_width(paper);
    g->page_height = paper == PLEDGE_PAPER_A4 ? A4_HEIGHT : LETTER_HEIGHT;
    g->left = meta->margin_inner;
    g->right = meta->margin_outer;
    g->top = meta->margin_top;
    g->bottom = meta->margin_bottom;
    /* The measure is the type's, not the paper's: on the other paper the
     * text block keeps the width it has on the layout's own, and the side
     * margins share the difference (as LaTeX keeps its \textwidth), so
     * that a pledge breaks its lines alike on Letter and A4.  Unless that
     * would leave a side margin narrower than MIN_SIDE: then the margins
     * stay as given. */
    spare = (g->page_width - paper_width(meta->paper)) / 2;
    if (g->left + spare >= MIN_SIDE && g->right + spare >= MIN_SIDE) {
        g->left += spare;
        g->right += spare;
    }
    g->measure = g->page_width - g->left - g->right;
}

double pledge_typeset_list_indent(const pledge_meta *meta, int level)
{
    return LIST_INDENT * meta->font_size * (level < 1 ? 1 : level);
}

/* Sets runs into lines with one width for every line after the first. */
static int set_runs(const pledge_typo *typo, const pledge_run *runs,
                    size_t nruns, double size, pledge_align align,
                    double first_width, double width, pledge_lines *lines,
                    int *overfull, pledge_err *err)
{
    double widths[2];
    pledge_para_spec spec;

    widths[0] = first_width;
    widths[1] = width;
    memset(&spec, 0, sizeof spec);
    memcpy(spec.fonts, typo->fonts, sizeof spec.fonts);
    spec.hyphen = typo->hyphen;
    spec.size = size;
    spec.align = align;
    spec.widths = widths;
    spec.nwidths = 2;
    spec.ligatures = !typo->no_ligatures;
    *overfull = 0;
    return pledge_paragraph_set(&spec, runs, nruns, lines, overfull, err);
}

/* What a run of lines becomes in the vertical list. */
typedef struct {
    pledge_vrole role;
    double size, leading;
    double space_before;        /* before the first line */
    double x;                   /* left edge of the lines */
    double centre_in;           /* > 0: centre each line in this width */
    int keep_all;               /* never break inside or after */
    int widow_orphan;           /* keep the first two and last two lines */
    int balance;                /* wrapped: lines of even length */
} line_fmt;

/* Appends lines to list; *first (if not NULL) gets the index of the first
 * line's element: an index, since adding elements moves the array. */
static int add_lines(pledge_vlist *list, const pledge_lines *lines,
                     const line_fmt *f, size_t *first)
{
    size_t i, j;
    double base = baseline_of(f->size, f->leading);

    for (i = 0; i < lines->nlines; i++) {
        const pledge_line *ln = &lines->lines[i];
        double x = f->x;
        pledge_velem *e = pledge_vlist_add(list, i ? 0 : f->space_before,
                                           f->leading);
        if (e == NULL)
            return -1;
        if (i == 0 && first != NULL)
            *first = list->n - 1;
        e->role = f->role;
        e->line = (int)i;
        e->nlines = (int)lines->nlines;
        if (f->centre_in > 0)
            x += (f->centre_in - ln->width) / 2;
        for (j = 0; j < ln->nsegs; j++) {
            const pledge_seg *s = &ln->segs[j];
            if (pledge_page_text(&e->draw, s->style, f->size, x + s->x,
                                 -base + s->dy, s->text,
                                 strlen(s->text)) < 0 ||
                pledge_page_glyphs(&e->draw, s->glyphs, s->nglyphs) < 0)
                return -1;
            e->draw.texts[e->draw.ntexts - 1].hscale = ln->hscale;
        }
        /* A word is never split across a page. */
        if (f->keep_all || ln->hyphen)
            e->keep = 1;
        else if (f->widow_orphan && lines->nlines >= 2 &&
                 (i == 0 || i + 2 == lines->nlines))
            e->keep = 1;
    }
    return 0;
}

static pledge_typo no_hyphens(const pledge_typo *typo);

/* Sets wrapped lines again at the narrowest width that takes no more of
 * them, so that a heading or title breaks into lines of even length
 * rather than a full line and a word. */
static int balance(const pledge_typo *typo, const pledge_run *runs,
                   size_t nruns, double size, pledge_align align,
                   double width, pledge_lines *lines, pledge_err *err)
{
    size_t n = lines->nlines;
    /* n lines never fit much less than (n - 1) / n of the measure. */
    double lo = width * (double)(n - 1) / (double)n * 0.8, hi = width;
    int step, overfull;

    for (step = 0; step < 6; step++) {
        double mid = (lo + hi) / 2;
        pledge_lines t;

        memset(&t, 0, sizeof t);
        if (set_runs(typo, runs, nruns, size, align, mid, mid, &t,
                     &overfull, err) < 0)
            return -1;
        if (!overfull && t.nlines <= n)
            hi = mid;
        else
            lo = mid;
        pledge_lines_free(&t);
    }
    if (hi >= width)
        return 0;
    pledge_lines_free(lines);
    return set_runs(typo, runs, nruns, size, align, hi, hi, lines,
                    &overfull, err);
}

/* Sets runs and appends them to list; the common path for every block. */
static int add_text(const pledge_typo *typo, pledge_vlist *list,
                    const pledge_run *runs, size_t nruns, pledge_align align,
                    double width, const line_fmt *f, size_t *first,
                    const char *what, pledge_err *err)
{
    pledge_lines lines;
    int overfull, rc;

    memset(&lines, 0, sizeof lines);
    if (set_runs(typo, runs, nruns, f->size, align, width, width, &lines,
                 &overfull, err) < 0)
        return pledge_err_prefix(err, "%s", what);
    if (f->balance && !overfull && lines.nlines > 1 &&
        balance(typo, runs, nruns, f->size, align, width, &lines,
                err) < 0)
        return pledge_err_prefix(err, "%s", what);
    if (overfull) {
        pledge_lines_free(&lines);
        return pledge_err_set(err, "%s: a word is too long to fit the line",
                              what);
    }
    rc = add_lines(list, &lines, f, first);
    pledge_lines_free(&lines);
    if (rc < 0)
        return pledge_err_set(err, "%s: out of memory", what);
    return 0;
}

/* Tags every text item of list's elements from from on. */
static void tag_elems(pledge_vlist *list, size_t from, pledge_tag tag,
                      int block)
{
    for (; from < list->n; from++)
        pledge_page_tag(&list->elems[from].draw, 0, tag, block);
}

/* The block number of part k of what follows lay's body. */
static int back_block(const pledge_layout *lay, int k)
{
    return BODY_BLOCK + (int)lay->doc.nblocks + k;
}

/* Draws a list marker (bullet or number) on a block's first line, set
 * right-aligned against the text's hanging indent. */
static int add_marker(const pledge_typo *typo, pledge_velem *e,
                      const pledge_block *b, int block, double text_x,
                      double size, double leading)
{
    char mark[24];
    pledge_font *f = typo->fonts[PLEDGE_STYLE_REGULAR];
    double w;

    if (b->kind == PLEDGE_BLOCK_NUMBERED)
        snprintf(mark, sizeof mark, "%d.", b->number);
    else
        snprintf(mark, sizeof mark, "%s",
                 b->level == 2 ? "\xe2\x80\x93" : "\xe2\x80\xa2");
    w = pledge_font_shown_width(f, mark, strlen(mark), size);
    if (pledge_page_text(&e->draw, PLEDGE_STYLE_REGULAR, size,
                         text_x - MARKER_GAP * size - w,
                         -baseline_of(size, leading), mark,
                         strlen(mark)) < 0)
        return -1;
    pledge_page_tag(&e->draw, e->draw.ntexts - 1, PLEDGE_TAG_LBL, block);
    pledge_page_text_first(&e->draw);
    return 0;
}

/* The widest number of the numbered list block i is in, at its level,
 * with its gap: where the text must start for the number to stay inside
 * the text block ("10." is wider than the usual indent leaves). */
static double number_room(const pledge_typo *typo, const pledge_layout *lay,
                          size_t i, double size)
{
    const pledge_block *bl = lay->doc.blocks;
    size_t a = i, z = i;
    int most = 0;
    char mark[24];

    while (a > 0 && (bl[a - 1].kind == PLEDGE_BLOCK_BULLET ||
                     bl[a - 1].kind == PLEDGE_BLOCK_NUMBERED))
        a--;
    while (z + 1 < lay->doc.nblocks &&
           (bl[z + 1].kind == PLEDGE_BLOCK_BULLET ||
            bl[z + 1].kind == PLEDGE_BLOCK_NUMBERED))
        z++;
    for (; a <= z; a++)
        if (bl[a].kind == PLEDGE_BLOCK_NUMBERED &&
            bl[a].level == bl[i].level && bl[a].number > most)
            most = bl[a].number;
    snprintf(mark, sizeof mark, "%d.", most);
    return pledge_font_shown_width(typo->fonts[PLEDGE_STYLE_REGULAR], mark,
                                   strlen(mark), size) + MARKER_GAP * size;
}

int pledge_typeset_body(const pledge_typo *typo, const pledge_layout *lay,
                        double measure, pledge_vlist *out, pledge_err *err)
{
    const pledge_meta *m = &lay->meta;
    double S = m->font_size, L = m->leading;
    size_t i;
    int after_heading = 0, list, top = 3;
    char what[64];

    for (i = 0; i < lay->doc.nblocks; i++)
        if (lay->doc.blocks[i].kind == PLEDGE_BLOCK_HEADING &&
            lay->doc.blocks[i].level < top)
            top = lay->doc.blocks[i].level < 1 ? 1 :
                  lay->doc.blocks[i].level;

    for (i = 0; i < lay->doc.nblocks; i++) {
        const pledge_block *b = &lay->doc.blocks[i];
        pledge_align align = m->align;
        line_fmt f;
        size_t first = (size_t)-1;
        size_t before = out->n;
        double width = measure;

        memset(&f, 0, sizeof f);
        f.size = S;
        f.leading = L;
        f.widow_orphan = 1;
        f.role = PLEDGE_VROLE_TEXT;
        snprintf(what, sizeof what, "set %s line %d",
                 lay->path ? lay->path : "layout", b->line);
        switch (b->kind) {
        case PLEDGE_BLOCK_HEADING: {
            int lv = b->level < 1 ? 1 : b->level > 3 ? 3 : b->level;
            pledge_run *runs = malloc(b->nruns * sizeof *runs);
            pledge_typo plain = no_hyphens(typo);
            size_t k;
            int rc;

            if (runs == NULL && b->nruns > 0)
                return pledge_err_set(err, "%s: out of memory", what);
            for (k = 0; k < b->nruns; k++) {
                runs[k] = b->runs[k];
                runs[k].style = heading_style[lv - 1];
            }
            f.size = S * heading_scale[lv - 1];
            f.leading = L * heading_scale[lv - 1];
            f.space_before = lv == 1 ? 1.4 * L : 1.0 * L;
            f.keep_all = 1;
            f.balance = 1;
            f.role = PLEDGE_VROLE_HEADING;
            /* Headings are never justified (a stretched heading looks
             * like a mistake) nor hyphenated. */
            rc = add_text(&plain, out, runs, b->nruns, PLEDGE_ALIGN_RAGGED,
                          width, &f, NULL, what, err);
            free(runs);
            if (rc < 0)
                return -1;
            /* The title is H1: the body's highest headings are H2. */
            tag_elems(out, before, (pledge_tag)(PLEDGE_TAG_H2 + lv - top),
                      BODY_BLOCK + (int)i);
            /* A little air between heading and text, kept with both. */
            if (out->n > before)
                out->elems[out->n - 1].height += 0.25 * L;
            after_heading = 1;
            continue;
        }
        case PLEDGE_BLOCK_PARAGRAPH:
        case PLEDGE_BLOCK_COMMITMENT:
            f.space_before = 0.55 * L;
            break;
        case PLEDGE_BLOCK_BULLET:
        case PLEDGE_BLOCK_NUMBERED: {
            f.x = pledge_typeset_list_indent(m, b->level);
            if (b->kind == PLEDGE_BLOCK_NUMBERED) {
                double room = number_room(typo, lay, i, S);

                if (room > f.x)
                    f.x = room;
            }
            width = measure - f.x;
            f.space_before = 0.3 * L;
            break;
        }
        }
        if (i > 0 && lay->doc.blocks[i - 1].kind == PLEDGE_BLOCK_HEADING)
            f.space_before = 0;
        if (add_text(typo, out, b->runs, b->nruns, align, width, &f, &first,
                     what, err) < 0)
            return -1;
        list = b->kind == PLEDGE_BLOCK_BULLET ||
               b->kind == PLEDGE_BLOCK_NUMBERED;
        tag_elems(out, before, list ? PLEDGE_TAG_LBODY : PLEDGE_TAG_P,
                  BODY_BLOCK + (int)i);
        if (list && !b->continues && first != (size_t)-1 &&
            add_marker(typo, &out->elems[first], b, BODY_BLOCK + (int)i,
                       f.x, S, L) < 0)
            return pledge_err_set(err, "%s: out of memory", what);
        /* A heading keeps two lines of what follows: its own lines are
         * kept already, and a block of two or more lines keeps its first
         * line (no orphans); a one-line block must keep it explicitly. */
        if (after_heading && out->n > before)
            out->elems[before].keep = 1;
        after_heading = 0;
    }
    return 0;
}

/* One run of plain text in a style: how front matter and personal fields
 * enter the paragraph setter. */
static pledge_run one_run(const char *text, pledge_style style)
{
    pledge_run r;

    r.text = (char *)text;
    r.style = style;
    return r;
}

/* Names are never hyphenated: the same fonts without the patterns. */
static pledge_typo no_hyphens(const pledge_typo *typo)
{
    pledge_typo t = *typo;

    t.hyphen = NULL;
    return t;
}

/* A person's name and fields: unhyphenated, and without ligatures, each
 * letter as it was typed. */
static pledge_typo personal(const pledge_typo *typo)
{
    pledge_typo t = no_hyphens(typo);

    t.no_ligatures = 1;
    return t;
}

/* Copies text (NULL: nothing) to *p and moves *p past it. */
static void put_text(char **p, const char *text)
{
    size_t n = text != NULL ? strlen(text) : 0;

    if (n > 0)
        memcpy(*p, text, n);
    *p += n;
}

/* Lists what is set with typo itself rather than no_hyphens(typo): every
 * body block, the commitment in add_commitment() and the panel's text in
 * add_panel(). */
int pledge_typeset_hyphen_text(const pledge_layout *lay, char **out,
                               pledge_err *err)
{
    const char *tail[2];
    size_t len = 0, i, k;
    char *s, *p;

    tail[0] = lay->meta.commitment;
    tail[1] = PANEL_TEXT;
    for (i = 0; i < lay->doc.nblocks; i++) {
        for (k = 0; k < lay->doc.blocks[i].nruns; k++)
            if (lay->doc.blocks[i].runs[k].text != NULL)
                len += strlen(lay->doc.blocks[i].runs[k].text);
        len++;
    }
    for (i = 0; i < 2; i++)
        len += (tail[i] != NULL ? strlen(tail[i]) : 0) + 1;
    if ((s = malloc(len + 1)) == NULL)
        return pledge_err_set(err, "gather the text of %s to hyphenate: "
                              "out of memory",
                              lay->path ? lay->path : "layout");
    p = s;
    for (i = 0; i < lay->doc.nblocks; i++) {
        for (k = 0; k < lay->doc.blocks[i].nruns; k++)
            put_text(&p, lay->doc.blocks[i].runs[k].text);
        *p++ = '\n';
    }
    for (i = 0; i < 2; i++) {
        put_text(&p, tail[i]);
        *p++ = '\n';
    }
    *p = '\0';
    *out = s;
    return 0;
}

/* Sets plain text as lines centred on the measure, unhyphenated. */
static int add_centred(const pledge_typo *typo, pledge_vlist *list,
                       const char *text, pledge_style style, double size,
                       double leading, double space_before, double measure,
                       const char *what, pledge_err *err)
{
    pledge_run r = one_run(text, style);
    pledge_typo plain = no_hyphens(typo);
    line_fmt f;

    memset(&f, 0, sizeof f);
    f.size = size;
    f.leading = leading;
    f.space_before = space_before;
    f.centre_in = measure;
    f.keep_all = 1;
    f.balance = 1;
    f.role = PLEDGE_VROLE_TITLE;
    return add_text(&plain, list, &r, 1, PLEDGE_ALIGN_RAGGED, measure, &f,
                    NULL, what, err);
}

static int add_title(const pledge_typo *typo, const pledge_layout *lay,
                     const pledge_geometry *g, const pledge_person *p,
                     pledge_vlist *list, pledge_err *err)
{
    const pledge_meta *m = &lay->meta;
    double S = m->font_size, L = m->leading;
    char *sub = NULL;
    size_t len, at = list->n;
    pledge_velem *e;
    pledge_typo who;
    int rc;

    if (add_centred(typo, list, m->association, PLEDGE_STYLE_REGULAR,
                    S * ASSOC_SCALE, L * ASSOC_SCALE, 0, g->measure,
                    "set association name", err) < 0)
        return -1;
    tag_elems(list, at, PLEDGE_TAG_P, ASSOC_BLOCK);
    at = list->n;
    if (add_centred(typo, list, m->title, PLEDGE_STYLE_BOLD,
                    S * TITLE_SCALE, S * TITLE_SCALE * 1.2, 0.3 * L,
                    g->measure, "set title", err) < 0)
        return -1;
    tag_elems(list, at, PLEDGE_TAG_H1, TITLE_BLOCK);
    at = list->n;
    len = strlen(p->name) + 32;
    if ((sub = malloc(len)) == NULL)
        return pledge_err_set(err, "set name: out of memory");
    snprintf(sub, len, "Personal pledge of %s", p->name);
    who = personal(typo);
    rc = add_centred(&who, list, sub, PLEDGE_STYLE_ITALIC,
                     S * SUBTITLE_SCALE, L * SUBTITLE_SCALE, 0.35 * L,
                     g->measure, "name", err);
    free(sub);
    if (rc < 0)
        return -1;
    tag_elems(list, at, PLEDGE_TAG_P, NAME_BLOCK);
    /* A short rule closes the title block; the body follows after it. */
    e = pledge_vlist_add(list, 0.5 * L, 0.9 * L);
    if (e != NULL)
        e->role = PLEDGE_VROLE_TITLE;
    if (e == NULL ||
        pledge_page_rule(&e->draw, g->measure * 0.35, -0.2 * L,
                         g->measure * 0.65, -0.2 * L, 0.5, 0) < 0)
        return pledge_err_set(err, "set title: out of memory");
    e->keep = 1;
    return 0;
}

static const char *const month_names[12] = {
    "January", "February", "March", "April", "May", "June", "July",
    "August", "September", "October", "November", "December"
};

void pledge_typeset_format_date(const char *iso, char *out, size_t len)
{
    int y, mo, d;
    char tail;

    if (sscanf(iso, "%4d-%2d-%2d%c", &y, &mo, &d, &tail) == 3 &&
        mo >= 1 && mo <= 12)
        snprintf(out, len, "%s %d, %d", month_names[mo - 1], d, y);
    else
        snprintf(out, len, "%s", iso);
}

/* One labelled field of the signature block: the label small in the left
 * column, the value set ragged and unhyphenated in the right column,
 * wrapping as needed. */
static int add_field(const pledge_typo *typo, pledge_vlist *list,
                     const char *label, const char *value, int block,
                     double space_before, double S, double L,
                     double measure, const char *what, pledge_err *err)
{
    pledge_run r = one_run(value, PLEDGE_STYLE_REGULAR);
    pledge_typo plain = personal(typo);
    line_fmt f;
    size_t first = 0;
    pledge_page *pg;

    memset(&f, 0, sizeof f);
    f.size = S;
    f.leading = L;
    f.space_before = space_before;
    f.x = LABEL_COLUMN * S;
    f.keep_all = 1;
    f.role = PLEDGE_VROLE_SIGNATURE;
    if (add_text(&plain, list, &r, 1, PLEDGE_ALIGN_RAGGED, measure - f.x,
                 &f, &first, what, err) < 0)
        return -1;
    tag_elems(list, first, PLEDGE_TAG_LBODY, block);
    pg = &list->elems[first].draw;
    if (pledge_page_text(pg, PLEDGE_STYLE_REGULAR, S * SMALL_SCALE, 0,
                         -baseline_of(S, L), label, strlen(label)) < 0)
        return pledge_err_set(err, "%s: out of memory", what);
    /* Drawn first, so that the text reads label, then value. */
    pledge_page_tag(pg, pg->ntexts - 1, PLEDGE_TAG_LBL, block);
    pledge_page_text_first(pg);
    return 0;
}

static int add_text_at(pledge_page *pg, pledge_style style, double size,
                       double x, double y, const char *text)
{
    return pledge_page_text(pg, style, size, x, y, text, strlen(text));
}

/* What the seal's code states, in words, for a reader who cannot scan
 * it: every fact of the seal but its text hash, layout and revision
 * (which the pledge itself shows). */
static void seal_words(const pledge_seal *seal, char *out, size_t len)
{
    const pledge_seal_facts *f = &seal->f;
    char key[17], date[64], until[64];
    int n;

    pledge_key_id_hex(f->key_id, key);
    pledge_typeset_format_date(f->date, date, sizeof date);
    n = snprintf(out, len, "QR seal: %s with key %s on %s; pledge of %s",
                 pledge_seal_kind_text(f->kind), key, date, f->applicant);
    if (n >= 0 && (size_t)n < len && f->member_id[0] != '\0')
        n += snprintf(out + n, len - (size_t)n, ", member ID %s",
                      f->member_id);
    if (n >= 0 && (size_t)n < len)
        n += snprintf(out + n, len - (size_t)n, ", to %s", f->association);
    if (n >= 0 && (size_t)n < len && f->until[0] != '\0') {
        pledge_typeset_format_date(f->until, until, sizeof until);
        n += snprintf(out + n, len - (size_t)n, "; valid until %s", until);
    }
    if (n >= 0 && (size_t)n < len)
        snprintf(out + n, len - (size_t)n, ".");
}

/* The digital signature panel: a tinted box with a title and a few lines
 * of small text set ragged inside it.  Until the pledge is signed it says
 * so; signing fills it with the signer, key ID and date, and, when the
 * pledge has a seal, puts the seal's QR code at its right with its quiet
 * zone and says how to scan it.  text is set with typo's patterns, which
 * cover only pledge_typeset_hyphen_text(): the signer's fields are to be
 * set with no_hyphens(typo).  room > 0: the panel and its seal take the
 * measure less room, at least ENDORSE_ROOM tall, and the endorsement area
 * the room at their right, past a gap (text then says all, no lead to the
 * seal), and the page reserves for the endorsement panel, which draws
 * with the page's fonts, PLEDGE_TYPESET_PANEL_CHARS and the text reserve
 * in the regular face, its title in the bold. */
static int add_panel(const pledge_typo *typo, pledge_vlist *list,
                     const char *title, const char *text,
                     const pledge_seal *seal, int block, double S, double L,
                     double W, double room, const char *reserve,
                     pledge_err *err)
{
    double small = S * SMALL_SCALE, lead = L * SMALL_SCALE, pad = 0.6 * S;
    pledge_run r[3];
    pledge_lines lines;
    pledge_velem *e;
    char qrtext[PLEDGE_SEAL_TEXT_BYTES], words[1536];
    unsigned char *dark = NULL;
    double h, y, q = 0, m = SEAL_MODULE;
    size_t i, j, nr = 1;
    int overfull, size = 0, rc = -1;

    memset(&lines, 0, sizeof lines);
    r[0] = one_run(text, PLEDGE_STYLE_REGULAR);
    if (seal != NULL) {
        pledge_seal_text(seal, qrtext);
        if (pledge_qr_encode(qrtext, &dark, &size, err) < 0)
            return pledge_err_prefix(err, "set the seal");
        q = (size + 2 * SEAL_QUIET) * m;
        r[1] = one_run(" " SEAL_LEAD, PLEDGE_STYLE_BOLD);
        r[2] = one_run(SEAL_TEXT, PLEDGE_STYLE_REGULAR);
        nr = room > 0 ? 1 : 3;
    }
    W -= room;
    if (set_runs(typo, r, nr, small, PLEDGE_ALIGN_RAGGED, W - q - 2 * pad,
                 W - q - 2 * pad, &lines, &overfull, err) < 0) {
        pledge_err_prefix(err, "set signature panel");
        goto done;
    }
    h = pad * 2 + lead * (double)(lines.nlines + 1);
    if (h < q)
        h = q;
    if (room > 0 && h < ENDORSE_ROOM)
        h = ENDORSE_ROOM;
    e = pledge_vlist_add(list, 0.7 * L, h);
    if (e == NULL)
        goto nomem;
    e->role = PLEDGE_VROLE_SIGNATURE;
    y = -pad - baseline_of(small, lead);
    if (pledge_page_box(&e->draw, 0, -h, W - q, h, 0.5, 0.96) < 0 ||
        add_text_at(&e->draw, PLEDGE_STYLE_BOLD, small, pad, y, title) < 0)
        goto nomem;
    pledge_page_tag(&e->draw, 0, PLEDGE_TAG_P, block);
    for (i = 0; i < lines.nlines; i++) {
        y -= lead;
        for (j = 0; j < lines.lines[i].nsegs; j++) {
            const pledge_seg *sg = &lines.lines[i].segs[j];
            if (add_text_at(&e->draw, sg->style, small, pad + sg->x,
                            y + sg->dy, sg->text) < 0 ||
                pledge_page_glyphs(&e->draw, sg->glyphs, sg->nglyphs) < 0)
                goto nomem;
        }
    }
    pledge_page_tag(&e->draw, 1, PLEDGE_TAG_P, block + 1);
    if (dark != NULL) {
        seal_words(seal, words, sizeof words);
        if (pledge_page_code(&e->draw, W - q + SEAL_QUIET * m,
                             -(SEAL_QUIET + size) * m, m, size, dark,
                             words) < 0)
            goto nomem;
    }
    if (room > 0)
        pledge_page_area(&e->draw, W + ENDORSE_GAP * S, -h,
                         room - ENDORSE_GAP * S, h);
    if (room > 0 && reserve != NULL && (pledge_page_reserve(&e->draw,
            PLEDGE_STYLE_REGULAR, PLEDGE_TYPESET_PANEL_CHARS) < 0 ||
            pledge_page_reserve(&e->draw, PLEDGE_STYLE_REGULAR, reserve) < 0 ||
            pledge_page_reserve(&e->draw, PLEDGE_STYLE_BOLD,
                                PLEDGE_TYPESET_PANEL_TITLE) < 0))
        goto nomem;
    rc = 0;
    goto done;

nomem:
    pledge_err_set(err, "set signature panel: out of memory");
done:
    free(dark);
    pledge_lines_free(&lines);
    return rc;
}

/* The commitment statement, the signature block and the reserved digital
 * signature panel: one group that never splits across pages. */
static int add_commitment(const pledge_typo *typo, const pledge_layout *lay,
                          const pledge_geometry *g, const pledge_person *p,
                          const pledge_panel *panel, pledge_vlist *list,
                          pledge_err *err)
{
    pledge_typo plain = no_hyphens(typo);
    char signed_text[2048], reserve[3 * (PLEDGE_SEAL_STR_MAX + 1) + 1024];
    const pledge_meta *m = &lay->meta;
    double S = m->font_size, L = m->leading, W = g->measure;
    double small = S * SMALL_SCALE, gap = 0.2 * L;
    pledge_run r = one_run(m->commitment, PLEDGE_STYLE_ITALIC);
    char date[64];
    line_fmt f;
    pledge_velem *e;
    size_t start = list->n;

    memset(&f, 0, sizeof f);
    f.size = S;
    f.leading = L;
    f.space_before = 1.2 * L;
    f.keep_all = 1;
    f.role = PLEDGE_VROLE_COMMITMENT;
    if (add_text(typo, list, &r, 1, m->align, W, &f, NULL,
                 "set commitment", err) < 0)
        return -1;
    tag_elems(list, start, PLEDGE_TAG_P, back_block(lay, 0));
    if (m->commitment_supplied) {
        size_t at = list->n;
        char note[512];
        pledge_run nr;

        snprintf(note, sizeof note, SUPPLIED_NOTE, m->short_name);
        nr = one_run(note, PLEDGE_STYLE_REGULAR);
        f.size = small;
        f.leading = small * 1.3;
        f.space_before = 0.2 * L;
        if (add_text(&plain, list, &nr, 1, PLEDGE_ALIGN_RAGGED, W, &f, NULL,
                     "set commitment note", err) < 0)
            return -1;
        tag_elems(list, at, PLEDGE_TAG_P, back_block(lay, 1));
    }
    if (add_field(typo, list, "Name", p->name, back_block(lay, 2),
                  0.9 * L, S, L, W, "name", err) < 0)
        return -1;
    if (p->credentials && *p->credentials &&
        add_field(typo, list, "Credentials", p->credentials,
                  back_block(lay, 3), gap, S, L, W,
                  "credentials", err) < 0)
        return -1;
    if (p->member_id && *p->member_id &&
        add_field(typo, list, "Member ID", p->member_id,
                  back_block(lay, 4), gap, S, L, W,
                  "member ID", err) < 0)
        return -1;
    pledge_typeset_format_date(p->date, date, sizeof date);
    if (add_field(typo, list, "Date", date, back_block(lay, 5), gap, S,
                  L, W, "date", err) < 0)
        return -1;

    /* The handwritten signature: a rule with room above it to write. */
    e = pledge_vlist_add(list, 0, SIGN_ROOM * L);
    if (e != NULL)
        e->role = PLEDGE_VROLE_SIGNATURE;
    if (e == NULL ||
        add_text_at(&e->draw, PLEDGE_STYLE_REGULAR, small, 0,
                    -SIGN_ROOM * L + 0.3 * L, "Signature") < 0 ||
        pledge_page_rule(&e->draw, LABEL_COLUMN * S,
                         -SIGN_ROOM * L + 0.25 * L, W,
                         -SIGN_ROOM * L + 0.25 * L, 0.6, 0) < 0)
        return pledge_err_set(err, "set signature block: out of memory");
    pledge_page_tag(&e->draw, 0, PLEDGE_TAG_P, back_block(lay, 6));

    if (panel == NULL) {
        if (add_panel(typo, list, PANEL_TITLE, PANEL_TEXT, NULL,
                      back_block(lay, 7), S, L, W, 0, NULL, err) < 0)
            return -1;
    } else {
        /* Only a pledge its applicant signed can be endorsed: the
         * others keep their pages free of a space nothing would fill. */
        double room = panel->seal != NULL && panel->seal->f.kind == 'P' ?
                      ENDORSE_SHARE * W : 0;

        /* The signer's name is personal: set without hyphenation. */
        pledge_typeset_format_date(panel->date, date, sizeof date);
        snprintf(signed_text, sizeof signed_text,
                 room > 0 ? SIGNED_SHORT : SIGNED_TEXT, panel->signer,
                 panel->key_id, date);
        /* The endorsement panel names the association, the applicant
         * and the member ID: every character of theirs is kept. */
        if (room > 0)
            snprintf(reserve, sizeof reserve, "%.1000s%s%s", m->association,
                     panel->seal->f.applicant, panel->seal->f.member_id);
        if (add_panel(&plain, list, PANEL_TITLE, signed_text, panel->seal,
                      back_block(lay, 7), S, L, W, room, reserve,
                      err) < 0)
            return -1;
    }
    for (; start + 1 < list->n; start++)
        list->elems[start].keep = 1;
    return 0;
}

const char *pledge_typeset_revision(const pledge_meta *meta)
{
    return pledge_layout_revision_dated(meta->revision) ? meta->revision
                                                        : NULL;
}

/* Copies into out (size outsz) as much of name as fits avail pt in font
 * at size, ending in an ellipsis when cut, never in a space or before a
 * combining mark.  Returns its shown width. */
static double fit_name(pledge_font *font, const char *name, double size,
                       double avail, char *out, size_t outsz)
{
    size_t len = strlen(name);
    double w = pledge_font_shown_width(font, name, len, size);

    if (w <= avail || len + 4 > outsz) {
        snprintf(out, outsz, "%s", w <= avail ? name : "");
        return w <= avail ? w : 0;
    }
    while (len > 0) {
        unsigned char c;

        /* Back one code point, then past spaces and combining marks
         * (U+0300..U+036F: 0xcc 0x80 .. 0xcd 0xaf in UTF-8). */
        do
            len--;
        while (len > 0 && ((unsigned char)name[len] & 0xc0) == 0x80);
        for (;;) {
            c = (unsigned char)name[len];
            if (len > 0 && c == ' ') {
                len--;
            } else if (len > 0 && (c == 0xcc ||
                                   (c == 0xcd &&
                                    (unsigned char)name[len + 1] < 0xb0))) {
                do
                    len--;
                while (len > 0 &&
                       ((unsigned char)name[len] & 0xc0) == 0x80);
            } else {
                break;
            }
        }
        if (len > 0 && name[len - 1] == ' ')
            continue;
        memcpy(out, name, len);
        memcpy(out + len, "\xe2\x80\xa6", 4);
        w = pledge_font_shown_width(font, out, len + 3, size);
        if (w <= avail)
            return w;
    }
    snprintf(out, outsz, "\xe2\x80\xa6");
    return pledge_font_shown_width(font, out, 3, size);
}

/* Footer on every page: short name and title at the left, "Page N of M"
 * centred, the revision (unless undated) at the right.  Header from page
 * 2: title at the left, the person's name at the right, shortened with an
 * ellipsis when it does not fit.  Widths are measured as the strings are
 * drawn, at nominal advances, so nothing passes the margin. */
static int add_running(const pledge_typo *typo, const pledge_layout *lay,
                       const pledge_geometry *g, const pledge_person *p,
                       pledge_pages *pages, pledge_err *err)
{
    const pledge_meta *m = &lay->meta;
    const char *rev = pledge_typeset_revision(m);
    double small = m->font_size * SMALL_SCALE;
    double foot_y = g->bottom * 0.5;
    double head_y = g->page_height - g->top * 0.55;
    double x0 = g->left, x1 = g->page_width - g->right;
    pledge_font *reg = typo->fonts[PLEDGE_STYLE_REGULAR];
    pledge_font *ital = typo->fonts[PLEDGE_STYLE_ITALIC];
    char left[512], mid[64], name[1024], head[512];
    double wr = rev ? pledge_font_shown_width(reg, rev, strlen(rev), small)
                    : 0;
    double wl, wh, wn;
    size_t k;

    /* "VAIMH · Code of Ethics", or just "VAIMH" when a long title would
     * run into the page number; the header likewise, when the name would
     * otherwise keep less than half the line. */
    snprintf(left, sizeof left, "%s \xc2\xb7 %s", m->short_name, m->title);
    snprintf(head, sizeof head, "%s", left);
    wl = pledge_font_shown_width(reg, left, strlen(left), small);
    wh = wl;
    if (x0 + wh + 2 * small + (x1 - x0) / 2 > x1 &&
        x0 + wh + 2 * small + pledge_font_shown_width(ital, p->name,
                                                      strlen(p->name),
                                                      small) > x1) {
        snprintf(head, sizeof head, "%s", m->short_name);
        wh = pledge_font_shown_width(reg, head, strlen(head), small);
    }
    wn = fit_name(ital, p->name, small, x1 - x0 - wh - 2 * small, name,
                  sizeof name);
    for (k = 0; k < pages->npages; k++) {
        pledge_page *pg = &pages->pages[k];
        const char *l = left;
        double wm, w = wl;

        snprintf(mid, sizeof mid, "Page %zu of %zu", k + 1, pages->npages);
        wm = pledge_font_shown_width(reg, mid, strlen(mid), small);
        if (x0 + w + small >= (g->page_width - wm) / 2) {
            l = m->short_name;
            w = pledge_font_shown_width(reg, l, strlen(l), small);
        }
        if (add_text_at(pg, PLEDGE_STYLE_REGULAR, small,
                        (g->page_width - wm) / 2, foot_y, mid) < 0)
            goto nomem;
        /* The sides print only where they clear the page number. */
        if (x0 + w + small < (g->page_width - wm) / 2 &&
            add_text_at(pg, PLEDGE_STYLE_REGULAR, small, x0, foot_y,
                        l) < 0)
            goto nomem;
        if (rev != NULL && x1 - wr - small > (g->page_width + wm) / 2 &&
            add_text_at(pg, PLEDGE_STYLE_REGULAR, small, x1 - wr, foot_y,
                        rev) < 0)
            goto nomem;
        if (k == 0)
            continue;
        if (add_text_at(pg, PLEDGE_STYLE_REGULAR, small, x0, head_y,
                        head) < 0 ||
            pledge_page_rule(pg, x0, head_y - 0.45 * small * 1.6, x1,
                             head_y - 0.45 * small * 1.6, 0.4, 0) < 0)
            goto nomem;
        if (name[0] != '\0' &&
            add_text_at(pg, PLEDGE_STYLE_ITALIC, small, x1 - wn, head_y,
                        name) < 0)
            goto nomem;
    }
    return 0;

nomem:
    return pledge_err_set(err, "set header and footer: out of memory");
}

int pledge_typeset_assemble(const pledge_typo *typo,
                            const pledge_layout *lay,
                            const pledge_geometry *g,
                            const pledge_vlist *body,
                            const pledge_person *person,
                            const pledge_panel *panel, pledge_vlist *out,
                            pledge_err *err)
{
    if (add_title(typo, lay, g, person, out, err) < 0)
        return -1;
    if (pledge_vlist_append(out, body) < 0)
        return pledge_err_set(err, "set body: out of memory");
    return add_commitment(typo, lay, g, person, panel, out, err);
}

int pledge_typeset_pledge(const pledge_typo *typo, const pledge_layout *lay,
                          const pledge_geometry *g, const pledge_vlist *body,
                          const pledge_person *person,
                          const pledge_panel *panel, pledge_pages *out,
                          pledge_err *err)
{
    pledge_vlist list;
    pledge_frame frame;
    size_t *starts = NULL, npages = 0;
    int rc = -1;

    memset(&list, 0, sizeof list);
    if (pledge_typeset_assemble(typo, lay, g, body, person, panel, &list,
                                err) < 0)
        goto fail;
    if (pledge_pagebreak(&list, g->page_height - g->top - g->bottom,
                         &starts, &npages, err) < 0)
        goto fail;
    frame.page_width = g->page_width;
    frame.page_height = g->page_height;
    frame.left = g->left;
    frame.top = g->page_height - g->top;
    frame.height = g->page_height - g->top - g->bottom;
    if (pledge_pagebreak_place(&list, starts, npages, &frame, out, err) < 0 ||
        add_running(typo, lay, g, person, out, err) < 0)
        goto fail;
    rc = 0;

fail:
    free(starts);
    pledge_vlist_clear(&list);
    return rc;
}
