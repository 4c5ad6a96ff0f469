/* test_paragraph.c - real paragraphs of the seed codes, set with Noto
 * Serif at 10.5pt at the measures the layouts use.
 *
 * Every setting is checked from its output alone: the segments, measured
 * at the font's nominal advances as the PDF writer shows them, must fill
 * justified lines exactly, and the text they show must be the input, word
 * for word, with hyphens only where a line ends inside a word.
 */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/typeset/paragraph.h"
#include "../../src/typeset/typeset.h"
#include <glob.h>
#include "run_suite.h"

#ifndef PLEDGE_SRCDIR
#define PLEDGE_SRCDIR "."
#endif

#define SIZE 10.5
#define DIC "/usr/share/hyphen/hyph_en_US.dic"

static pledge_font *fonts[PLEDGE_STYLE_COUNT];
static pledge_hyphenator *hy;
static int hyphenated_lines;    /* line ends with an added hyphen, so far */

static void setup(void)
{
    static const char *names[PLEDGE_STYLE_COUNT] = {
        "Regular", "Bold", "Italic", "BoldItalic"
    };
    char path[512];
    pledge_err err;
    int s;

    for (s = 0; s < PLEDGE_STYLE_COUNT; s++) {
        snprintf(path, sizeof path, "%s/fonts/NotoSerif-%s.ttf",
                 PLEDGE_SRCDIR, names[s]);
        ck_assert_msg(pledge_font_open(&fonts[s], path, &err) == 0, "%s",
                      err.msg);
    }
    ck_assert_msg(pledge_hyphen_open(&hy, DIC, &err) == 0, "%s", err.msg);
}

static void teardown(void)
{
    int s;

    for (s = 0; s < PLEDGE_STYLE_COUNT; s++)
        pledge_font_close(fonts[s]);
    pledge_hyphen_close(hy);
}

/* ---- the texts (smart quotes applied, as cmark would) ---- */

#define R(t) { (char *)(t), PLEDGE_STYLE_REGULAR }
#define B(t) { (char *)(t), PLEDGE_STYLE_BOLD }
#define I(t) { (char *)(t), PLEDGE_STYLE_ITALIC }

/* seed 000, the introduction: the longest paragraph of the codes. */
static const pledge_run vaimh_intro[] = {
    R("The VAIMH Endorsement for Culturally Sensitive, Relationship-focused "
      "Practice Promoting Infant and Early Childhood Mental Health\u00ae "
      "(IECMH-E\u00ae) is intended to recognize experiences that lead to "
      "competency in the infant, early childhood, and family field. It "
      "does not replace licensure or certification but instead is meant "
      "as evidence of a specialization in this field. The VAIMH "
      "Endorsement is cross-sector and multidisciplinary including "
      "professionals from psychology, education, social work, psychiatry, "
      "child and/or human development, nursing, and others. Endorsement "
      "indicates an individual\u2019s efforts to specialize in the "
      "promotion/practice of infant and early childhood mental health "
      "within their own chosen discipline. Each endorsed professional is "
      "bound by their own discipline\u2019s ethical standards, as well of "
      "those defined here."),
};

/* seed 001, the introduction, with the association's name in bold. */
static const pledge_run alliance_intro[] = {
    R("The "),
    B("Alliance for the Advancement of Infant Mental Health"),
    R(" Endorsement for Culturally Sensitive, Relationship-focused "
      "Practice Promoting Infant and Early Childhood Mental Health\u00ae "
      "(IECMH-E\u00ae) is intended to recognize experiences that lead to "
      "competency in the infant, early childhood, and family field. It "
      "does not replace licensure or certification but instead is meant "
      "as evidence of a specialization in this field."),
};

/* seed 002, the second paragraph. */
static const pledge_run mi_services[] = {
    R("MI-AIMH service providers/professionals work in a variety of ways "
      "to assure that all infants have opportunities for nurturing "
      "relationships essential for optimal growth and development. "
      "MI-AIMH service providers/professionals offer direct services to "
      "infants and families: supervise and train staff; consult with, "
      "collaborate, and educate other community professionals; advocate "
      "for services; develop best practice policies; and/or teach and "
      "conduct research in colleges and universities. All of these "
      "activities reflect a commitment to values that are the bedrock of "
      "infant mental health practice."),
};

/* seed 004, the mission. */
static const pledge_run mission[] = {
    R("The primary mission of the infant mental health profession is to "
      "promote and support nurturing relationships for all infants. The "
      "focus is on the development of the infant or toddler within the "
      "context of complex relationships. Services are comprehensive and "
      "intensive, covering multiple domains, including concrete needs, "
      "problem-solving skills, and family relationships, as well as "
      "infant/toddler development, parent-infant interactions, and "
      "developing attachment relationships. Services are supportive, "
      "affirming, and strengths-based. They are specifically designed to "
      "be respectful of the infant\u2019s and family\u2019s individuality, "
      "culture, and ethnicity."),
};

/* List items: seeds 001, 000, 004 and 003. */
static const pledge_run item_reflection[] = {
    B("An Alliance"),
    R(" endorsed professional engages in ongoing deep personal and "
      "critical reflection, and participates in anti-racist, anti-bias "
      "professional development that commits them to the practice of "
      "infant mental health with a social and racial justice stance"),
};

static const pledge_run item_learner[] = {
    R("A VAIMH endorsed professional upholds the values of the families "
      "they serve by being a curious and responsible learner. This "
      "includes proactively engaging in consultation and formal training "
      "to learn about the cultures of the families they serve, so as not "
      "to burden families with the task of educating the professional."),
};

static const pledge_run item_conflicts[] = {
    R("Allowing core relational conflicts and emotions to be expressed by "
      "the parent-holding, containing, and talking about them as the "
      "parent is able."),
};

static const pledge_run item_standards[] = {
    R("A NYS-AIMH endorsed professional abides by the ethical standards "
      "of the agency or place of work and is guided by the legal and "
      "practice standards in human services, as well as those of "
      "his/her discipline"),
};

/* A style change inside a word, and emphasis. */
static const pledge_run mixed_styles[] = {
    R("A word may change style half way: Cultur"), B("ally"),
    R(" sensitive, "), I("relationship-focused"),
    R(" practice, and so on, long enough to need a few lines at the "
      "narrow measures."),
};

typedef struct {
    const char *name;
    const pledge_run *runs;
    size_t nruns;
} text;

#define TEXT(a) { #a, a, sizeof a / sizeof a[0] }

static const text paragraphs[] = {
    TEXT(vaimh_intro), TEXT(alliance_intro), TEXT(mi_services),
    TEXT(mission), TEXT(mixed_styles),
};

static const text items[] = {
    TEXT(item_reflection), TEXT(item_learner), TEXT(item_conflicts),
    TEXT(item_standards), TEXT(mixed_styles),
};

/* ---- checking a setting ---- */

/* Width of text at the font's nominal advances, as the PDF shows it. */
static double nominal(pledge_style style, const char *s)
{
    pledge_glyph *g;
    size_t n, i;
    pledge_err err;
    double w = 0;

    ck_assert_msg(pledge_font_shape(fonts[style], s, strlen(s), SIZE, &g,
                                    &n, &err) == 0, "%s", err.msg);
    for (i = 0; i < n; i++)
        w += g[i].advance - g[i].kern;
    free(g);
    return w;
}

/* The runs' text with every stretch of whitespace one space, trimmed. */
static char *normalised(const pledge_run *runs, size_t nruns)
{
    size_t total = 1, i, k = 0;
    const char *s;
    char *out;
    int space = 0;

    for (i = 0; i < nruns; i++)
        total += strlen(runs[i].text);
    out = malloc(total);
    ck_assert_ptr_nonnull(out);
    for (i = 0; i < nruns; i++) {
        for (s = runs[i].text; *s; s++) {
            if (*s == ' ' || *s == '\n' || *s == '\t') {
                space = k > 0;
                continue;
            }
            if (space)
                out[k++] = ' ';
            space = 0;
            out[k++] = *s;
        }
    }
    out[k] = '\0';
    return out;
}

/* A segment's width: its glyphs' advances (its text holds a soft
 * hyphen, of no width, where a hyphen glyph is shown). */
static double seg_width(const pledge_seg *s)
{
    double w = 0;
    size_t i;

    for (i = 0; i < s->nglyphs; i++)
        w += s->glyphs[i].advance;
    return w;
}

/* A line's text, with a space where segments are a space apart. */
static const char *joined(const pledge_line *ln)
{
    static char buf[2048];
    size_t j, k = 0, len;
    double end = 0;

    for (j = 0; j < ln->nsegs; j++) {
        const pledge_seg *s = &ln->segs[j];

        if (j > 0 && s->x - end > 1.5)
            buf[k++] = ' ';
        len = strlen(s->text);
        ck_assert_uint_lt(k + len, sizeof buf - 1);
        memcpy(buf + k, s->text, len);
        k += len;
        end = s->x + seg_width(s);
    }
    buf[k] = '\0';
    return buf;
}

static int ends_with(const char *s, const char *tail)
{
    size_t n = strlen(s), m = strlen(tail);

    return n >= m && strcmp(s + n - m, tail) == 0;
}

static pledge_para_spec make_spec(const double *widths, size_t nw,
                                  pledge_align align,
                                  const pledge_hyphenator *h)
{
    pledge_para_spec spec;

    memset(&spec, 0, sizeof spec);
    memcpy(spec.fonts, fonts, sizeof spec.fonts);
    spec.hyphen = h;
    spec.size = SIZE;
    spec.align = align;
    spec.widths = widths;
    spec.nwidths = nw;
    return spec;
}

/* Sets t and checks everything the output alone can tell. */
static void check_setting(const text *t, const double *widths, size_t nw,
                          pledge_align align)
{
    pledge_para_spec spec = make_spec(widths, nw, align, hy);
    char *want = normalised(t->runs, t->nruns);
    char line[2048];
    size_t p = 0, i, j, wantlen = strlen(want), n;
    pledge_linebreak_params params;
    pledge_breaks tb, gb;
    pledge_item *its;
    pledge_lines lines;
    int overfull = 0;
    pledge_err err;

    ck_assert_msg(pledge_paragraph_set(&spec, t->runs, t->nruns, &lines,
                                       &overfull, &err) == 0, "%s: %s",
                  t->name, err.msg);
    ck_assert_msg(!overfull, "%s at %.0f: overfull", t->name, widths[0]);
    ck_assert_uint_gt(lines.nlines, 1);

    for (i = 0; i < lines.nlines; i++) {
        const pledge_line *ln = &lines.lines[i];
        double measure = widths[i < nw ? i : nw - 1], end = 0;
        size_t len, k = 0;

        ck_assert_uint_gt(ln->nsegs, 0);
        ck_assert_double_eq_tol(ln->segs[0].x, -ln->left, 1e-9);
        /* Protrusion: justified lines only, at most 0.7 of a glyph. */
        ck_assert(ln->left >= 0 && ln->left < 0.3 * SIZE);
        ck_assert(ln->right >= 0 && ln->right < 0.3 * SIZE);
        if (align == PLEDGE_ALIGN_RAGGED)
            ck_assert(ln->left == 0 && ln->right == 0);
        /* Font expansion: justified lines only, within 2%; a last
         * line may shrink, never stretch. */
        if (align == PLEDGE_ALIGN_RAGGED)
            ck_assert_double_eq(ln->hscale, 1);
        else
            ck_assert_msg(fabs(ln->hscale - 1) <= 0.02 + 1e-9 &&
                          (i + 1 < lines.nlines || ln->hscale <= 1),
                          "%s line %zu: scale %g", t->name, i, ln->hscale);
        for (j = 0; j < ln->nsegs; j++) {
            const pledge_seg *s = &ln->segs[j];
            double gap = s->x - end;

            ck_assert(s->text != NULL && s->text[0] != '\0');
            /* Kerns are mostly negative (r. is -1.4pt) and under 1pt
             * when positive; a space, shrunk by at most a third, is
             * over 1.8pt. */
            ck_assert_msg(j == 0 || gap < 1.0 || gap > 1.5,
                          "%s line %zu: gap of %.3fpt", t->name, i, gap);
            if (j > 0 && gap > 1.5)
                line[k++] = ' ';
            len = strlen(s->text);
            ck_assert_uint_lt(k + len, sizeof line - 1);
            memcpy(line + k, s->text, len);
            k += len;
            end = s->x + seg_width(s) * ln->hscale;
        }
        line[k] = '\0';
        ck_assert_double_eq_tol(ln->width, end - ln->right, 0.01);
        end -= ln->right;
        if (align == PLEDGE_ALIGN_JUSTIFY && i + 1 < lines.nlines)
            ck_assert_msg(fabs(end - measure) <= 0.01, "%s at %.0f, line "
                          "%zu: %.3fpt: %s", t->name, measure, i, end,
                          line);
        else
            ck_assert_msg(end <= measure + 0.01, "%s line %zu: %.3fpt",
                          t->name, i, end);
        /* Within tolerance 200 a ragged line is short by at most
         * 200^(1/3)/100^(1/3) times the 3em line-end stretch; at the
         * layouts' measures no paragraph needs more. */
        if (align == PLEDGE_ALIGN_RAGGED && i + 1 < lines.nlines &&
            measure >= 300)
            ck_assert_msg(end >= measure - 3.0 * SIZE * 1.26, "%s line "
                          "%zu: ragged by %.1fpt", t->name, i,
                          measure - end);
        ck_assert(line[0] != ' ' && line[k - 1] != ' ');

        /* The text: between lines a space, unless the line before ended
         * inside a word. */
        if (i > 0) {
            if (want[p] == ' ')
                p++;
            else
                ck_assert_msg(ends_with(lines.lines[i - 1].segs[
                                  lines.lines[i - 1].nsegs - 1].text, "-") ||
                              ends_with(lines.lines[i - 1].segs[
                                  lines.lines[i - 1].nsegs - 1].text,
                                  "\u00ad") ||
                              ends_with(lines.lines[i - 1].segs[
                                  lines.lines[i - 1].nsegs - 1].text, "/") ||
                              ends_with(lines.lines[i - 1].segs[
                                  lines.lines[i - 1].nsegs - 1].text,
                                  "\u2014") ||
                              ends_with(lines.lines[i - 1].segs[
                                  lines.lines[i - 1].nsegs - 1].text,
                                  "\u2013"),
                              "%s: line %zu begins inside a word",
                              t->name, i);
        }
        if (p + k <= wantlen && strncmp(want + p, line, k) == 0) {
            p += k;
        } else {
            /* A hyphen the setter added (a soft hyphen in the text):
             * the word goes on. */
            ck_assert_msg(k > 2 && ends_with(line, "\u00ad") &&
                          strncmp(want + p, line, k - 2) == 0 &&
                          want[p + k - 2] != ' ' &&
                          want[p + k - 2] != '-',
                          "%s: line %zu is \"%s\"", t->name, i, line);
            ck_assert_uint_lt(i + 1, lines.nlines);
            p += k - 2;
            hyphenated_lines++;
        }
    }
    ck_assert_msg(p == wantlen, "%s: text lost after \"%s\"", t->name,
                  want + p);

    /* The lines are the breaker's. */
    ck_assert_int_eq(pledge_paragraph_items(&spec, t->runs, t->nruns, &its,
                                            &n, &err), 0);
    pledge_paragraph_params(&spec, &params);
    ck_assert_int_eq(pledge_linebreak(its, n, widths, nw, &params, &tb,
                                      &err), 0);
    ck_assert_uint_eq(tb.nlines, lines.nlines);
    pledge_breaks_free(&tb);
    /* Total fit beats first fit on the same breakpoints.  Without the
     * first pass, that is: a paragraph the first pass sets unhyphenated
     * within pretolerance is kept even when hyphenating would score
     * lower, which is TeX's choice and not a comparison of breakers. */
    params.pretolerance = -1;
    /* Nor with the rules first fit knows nothing of: the hyphen run it
     * may exceed, the final pass's count of loose lines. */
    params.max_hyphen_run = 0;
    params.excess_demerits = 0;
    ck_assert_int_eq(pledge_linebreak(its, n, widths, nw, &params, &tb,
                                      &err), 0);
    ck_assert_int_eq(pledge_linebreak_greedy(its, n, widths, nw, &params,
                                             &gb, &err), 0);
    ck_assert_msg(tb.demerits <= gb.demerits, "%s at %.0f: total fit %.0f, "
                  "first fit %.0f", t->name, widths[0], tb.demerits,
                  gb.demerits);
    pledge_breaks_free(&tb);
    pledge_breaks_free(&gb);
    free(its);
    pledge_lines_free(&lines);
    free(want);
}

START_TEST(paragraphs_justified)
{
    static const double measures[] = {432, 468};
    size_t i, m;

    for (i = 0; i < sizeof paragraphs / sizeof *paragraphs; i++)
        for (m = 0; m < 2; m++)
            check_setting(&paragraphs[i], &measures[m], 1,
                          PLEDGE_ALIGN_JUSTIFY);
}
END_TEST

/* List items hang at 396pt; a first line shorter than the rest, too. */
START_TEST(list_items_justified)
{
    static const double hanging = 396;
    static const double first_short[] = {372, 396};
    size_t i;

    for (i = 0; i < sizeof items / sizeof *items; i++) {
        check_setting(&items[i], &hanging, 1, PLEDGE_ALIGN_JUSTIFY);
        check_setting(&items[i], first_short, 2, PLEDGE_ALIGN_JUSTIFY);
    }
}
END_TEST

/* Every paragraph and list item of every bundled layout, at the measure
 * the layout gives it: no overfull line, justified lines exactly full,
 * no text lost, total fit no worse than first fit. */
START_TEST(layouts_at_their_measure)
{
    glob_t g;
    size_t f, b;
    int checked = 0;

    ck_assert_int_eq(glob(PLEDGE_SRCDIR "/layouts/*.md", 0, NULL, &g), 0);
    for (f = 0; f < g.gl_pathc; f++) {
        pledge_layout *lay;
        pledge_geometry geo;
        pledge_err err;

        ck_assert_msg(pledge_layout_load(&lay, g.gl_pathv[f], &err) == 0,
                      "%s", err.msg);
        ck_assert_double_eq_tol(lay->meta.font_size, SIZE, 1e-9);
        pledge_typeset_geometry(&lay->meta, PLEDGE_PAPER_DEFAULT, &geo);
        for (b = 0; b < lay->doc.nblocks; b++) {
            const pledge_block *bl = &lay->doc.blocks[b];
            double w = geo.measure;
            text t;
            pledge_para_spec spec;
            pledge_lines lines;
            int overfull = 0;

            if (bl->kind == PLEDGE_BLOCK_HEADING)
                continue;
            if (bl->kind == PLEDGE_BLOCK_BULLET ||
                bl->kind == PLEDGE_BLOCK_NUMBERED)
                w -= pledge_typeset_list_indent(&lay->meta, bl->level);
            t.name = g.gl_pathv[f];
            t.runs = bl->runs;
            t.nruns = bl->nruns;
            spec = make_spec(&w, 1, lay->meta.align, hy);
            ck_assert_msg(pledge_paragraph_set(&spec, bl->runs, bl->nruns,
                                               &lines, &overfull, &err) == 0,
                          "%s line %d: %s", t.name, bl->line, err.msg);
            ck_assert_msg(!overfull, "%s line %d: overfull at %.1fpt",
                          t.name, bl->line, w);
            if (lines.nlines > 1)
                check_setting(&t, &w, 1, lay->meta.align);
            pledge_lines_free(&lines);
            checked++;
        }
        pledge_layout_free(lay);
    }
    globfree(&g);
    ck_assert_int_ge(checked, 60);
}
END_TEST

/* The mean space between the words of a line over the font's natural
 * space (what bench/quality.sh measures), or 0 for a line of one word;
 * *words gets its words.  Segments more than 1.5pt apart are a space
 * apart, as in check_setting(); a space inside a segment (a line at
 * natural spacing is one) is a natural one. */
static double line_looseness(const pledge_line *ln, double space,
                             int *words)
{
    double end = 0, gaps = 0;
    const char *c;
    size_t j;

    *words = 1;
    for (j = 0; j < ln->nsegs; j++) {
        const pledge_seg *s = &ln->segs[j];

        if (j > 0 && s->x - end > 1.5) {
            gaps += s->x - end;
            ++*words;
        }
        for (c = s->text; *c != '\0'; c++)
            if (*c == ' ') {
                gaps += space;
                ++*words;
            }
        end = s->x + nominal(s->style, s->text) * ln->hscale;
    }
    return *words > 1 ? gaps / (*words - 1) / space : 0;
}

/* Whether the breaker, for items set at widths, ends a line at a
 * hyphenation point (not an explicit hyphen). */
static int breaks_at_pattern_hyphen(const pledge_para_spec *spec,
                                    const pledge_run *runs, size_t nruns)
{
    pledge_linebreak_params params;
    pledge_breaks br;
    pledge_item *its;
    pledge_err err;
    size_t n, i;
    int found = 0;

    ck_assert_int_eq(pledge_paragraph_items(spec, runs, nruns, &its, &n,
                                            &err), 0);
    pledge_paragraph_params(spec, &params);
    ck_assert_int_eq(pledge_linebreak(its, n, spec->widths, spec->nwidths,
                                      &params, &br, &err), 0);
    for (i = 0; i < br.nlines; i++)
        found |= its[br.breaks[i]].kind == PLEDGE_ITEM_PENALTY &&
                 its[br.breaks[i]].flagged == PLEDGE_FLAG_HYPHEN;
    pledge_breaks_free(&br);
    free(its);
    return found;
}

/* The loosest justified line of runs set at width (0 when none), and
 * whether any is overfull. */
static double loosest_line(const pledge_para_spec *spec,
                           const pledge_run *runs, size_t nruns,
                           pledge_lines *lines, int *overfull)
{
    double space = nominal(PLEDGE_STYLE_REGULAR, " "), most = 0, r;
    pledge_err err;
    size_t i;
    int words;

    *overfull = 0;
    ck_assert_msg(pledge_paragraph_set(spec, runs, nruns, lines, overfull,
                                       &err) == 0, "%s", err.msg);
    for (i = 0; i + 1 < lines->nlines; i++) {
        r = line_looseness(&lines->lines[i], space, &words);
        if (r > most)
            most = r;
    }
    return most;
}

/* Every paragraph, list item and commitment of every bundled layout, on
 * Letter and A4, set as evenly as pdflatex sets them (bench/quality.sh
 * compares): no justified line with spaces above 1.6 times the font's
 * natural space; a hyphenation point used only where the paragraph cannot
 * be set within that without one; never three hyphens in a row; no last
 * line that is only the tail of a hyphenated word.  And the measure is the
 * same on both papers, so the lines are. */
START_TEST(layouts_set_evenly)
{
    static const pledge_paper papers[] = {
        PLEDGE_PAPER_LETTER, PLEDGE_PAPER_A4
    };
    glob_t g;
    size_t f, b, i, pp;
    int checked = 0, hyphenated = 0;

    ck_assert_int_eq(glob(PLEDGE_SRCDIR "/layouts/*.md", 0, NULL, &g), 0);
    for (f = 0; f < g.gl_pathc; f++) {
        pledge_layout *lay;
        pledge_geometry geo[2];
        pledge_err err;

        ck_assert_msg(pledge_layout_load(&lay, g.gl_pathv[f], &err) == 0,
                      "%s", err.msg);
        for (pp = 0; pp < 2; pp++)
            pledge_typeset_geometry(&lay->meta, papers[pp], &geo[pp]);
        ck_assert_double_eq_tol(geo[0].measure, geo[1].measure, 1e-9);
        for (pp = 0; pp < 2; pp++) {
            for (b = 0; b <= lay->doc.nblocks; b++) {
                const pledge_block *bl = b < lay->doc.nblocks ?
                                         &lay->doc.blocks[b] : NULL;
                pledge_run commit = {
                    lay->meta.commitment, PLEDGE_STYLE_ITALIC
                };
                const pledge_run *runs = bl ? bl->runs : &commit;
                size_t nruns = bl ? bl->nruns : 1;
                double w = geo[pp].measure, most;
                pledge_para_spec spec, plain;
                pledge_lines lines, unhyph;
                int overfull, run = 0, words, line = bl ? bl->line : 0;

                if ((bl != NULL && bl->kind == PLEDGE_BLOCK_HEADING) ||
                    (bl == NULL && commit.text == NULL))
                    continue;
                if (bl != NULL && (bl->kind == PLEDGE_BLOCK_BULLET ||
                                   bl->kind == PLEDGE_BLOCK_NUMBERED))
                    w -= pledge_typeset_list_indent(&lay->meta, bl->level);
                spec = make_spec(&w, 1, lay->meta.align, hy);
                most = loosest_line(&spec, runs, nruns, &lines, &overfull);
                ck_assert_msg(!overfull && most <= 1.6 + 1e-6,
                              "%s line %d at %.1fpt: spaces %.2f times "
                              "natural", g.gl_pathv[f], line, w, most);
                for (i = 0; i < lines.nlines; i++) {
                    run = lines.lines[i].hyphen ? run + 1 : 0;
                    ck_assert_msg(run < 3, "%s line %d: three hyphens in "
                                  "a row", g.gl_pathv[f], line);
                }
                if (lines.nlines > 1 &&
                    lines.lines[lines.nlines - 2].hyphen) {
                    line_looseness(&lines.lines[lines.nlines - 1], 1,
                                   &words);
                    ck_assert_msg(words > 1, "%s line %d: the last line "
                                  "is a word's tail", g.gl_pathv[f], line);
                }
                if (breaks_at_pattern_hyphen(&spec, runs, nruns)) {
                    plain = make_spec(&w, 1, lay->meta.align, NULL);
                    most = loosest_line(&plain, runs, nruns, &unhyph,
                                        &overfull);
                    ck_assert_msg(overfull || most > 1.6, "%s line %d: "
                                  "hyphenated, yet set without within "
                                  "%.2f", g.gl_pathv[f], line, most);
                    pledge_lines_free(&unhyph);
                    hyphenated++;
                }
                pledge_lines_free(&lines);
                checked++;
            }
        }
        pledge_layout_free(lay);
    }
    globfree(&g);
    ck_assert_int_ge(checked, 120);
    /* The texts do need hyphens here and there: the check above ran. */
    ck_assert_int_gt(hyphenated, 0);
}
END_TEST

/* Justified lines share their adjustment between the spaces and the
 * glyphs (font expansion): a stretched line has wider glyphs, a shrunk
 * one narrower, never past 2%, and its spaces stretch less than they
 * would alone. */
START_TEST(font_expansion)
{
    const double width = 396;
    pledge_para_spec spec = make_spec(&width, 1, PLEDGE_ALIGN_JUSTIFY, hy);
    pledge_lines lines;
    pledge_err err;
    size_t i, wider = 0, narrower = 0;

    ck_assert_int_eq(pledge_paragraph_set(&spec, vaimh_intro,
                                          sizeof vaimh_intro /
                                          sizeof *vaimh_intro, &lines,
                                          NULL, &err), 0);
    for (i = 0; i + 1 < lines.nlines; i++) {
        double h = lines.lines[i].hscale;

        ck_assert(h >= 0.98 - 1e-9 && h <= 1.02 + 1e-9);
        wider += h > 1;
        narrower += h < 1;
    }
    ck_assert_uint_gt(wider, 0);
    ck_assert_uint_gt(narrower, 0);
    pledge_lines_free(&lines);
}
END_TEST

/* Optical margin alignment: an added hyphen hangs half its width into
 * the right margin, a period 0.7 of its, an opening quote starting the
 * paragraph 0.3 of its into the left; a letter not at all; ragged lines
 * never. */
START_TEST(margin_protrusion)
{
    static const pledge_run run[] = {
        R("\u201cCulturally culturally culturally.\u201d culturally "
          "culturally culturally culturally culturally culturally "
          "culturally culturally culturally culturally culturally."),
    };
    double width;
    int hyphens = 0, letters = 0, align;

    for (align = 0; align < 2; align++) {
        for (width = 90; width <= 200; width += 7) {
            pledge_para_spec spec = make_spec(&width, 1, align, hy);
            pledge_lines lines;
            pledge_err err;
            size_t i;

            ck_assert_int_eq(pledge_paragraph_set(&spec, run, 1, &lines,
                                                  NULL, &err), 0);
            for (i = 0; i < lines.nlines; i++) {
                const pledge_line *ln = &lines.lines[i];
                const char *t = joined(ln);
                double want = 0;

                if (align == PLEDGE_ALIGN_RAGGED) {
                    ck_assert(ln->left == 0 && ln->right == 0);
                    continue;
                }
                ck_assert_double_eq_tol(ln->left, i == 0 ?
                                        0.3 * nominal(0, "\u201c") : 0,
                                        1e-6);
                if (i + 1 == lines.nlines)
                    want = 0;
                else if (ends_with(t, "\u00ad"))
                    want = 0.5 * nominal(0, "-"), hyphens++;
                else if (ends_with(t, "."))
                    want = 0.7 * nominal(0, ".");
                else if (ends_with(t, "\u201d"))
                    want = 0.3 * nominal(0, "\u201d");
                else
                    letters++;
                ck_assert_msg(fabs(ln->right - want) < 1e-6, "%s: %g, not "
                              "%g", t, ln->right, want);
            }
            pledge_lines_free(&lines);
        }
    }
    ck_assert_int_gt(hyphens, 0);
    ck_assert_int_gt(letters, 0);
}
END_TEST

START_TEST(ragged_right)
{
    static const double measures[] = {432, 396};
    size_t i;

    for (i = 0; i < sizeof paragraphs / sizeof *paragraphs; i++)
        check_setting(&paragraphs[i], &measures[0], 1, PLEDGE_ALIGN_RAGGED);
    for (i = 0; i < sizeof items / sizeof *items; i++)
        check_setting(&items[i], &measures[1], 1, PLEDGE_ALIGN_RAGGED);
}
END_TEST

/* At a narrow measure hyphenation is needed, and happens. */
START_TEST(narrow_measure_hyphenates)
{
    static const double narrow = 200;
    size_t i;

    hyphenated_lines = 0;
    for (i = 0; i < sizeof paragraphs / sizeof *paragraphs; i++) {
        check_setting(&paragraphs[i], &narrow, 1, PLEDGE_ALIGN_JUSTIFY);
        check_setting(&paragraphs[i], &narrow, 1, PLEDGE_ALIGN_RAGGED);
    }
    ck_assert_int_gt(hyphenated_lines, 5);
}
END_TEST

/* Breaks inside a word: after explicit hyphens and dashes (flagged, no
 * width but for kerning), after slashes (not flagged), with two letters
 * or digits on either side. */
START_TEST(explicit_breaks)
{
    static const struct {
        const char *word;
        int breaks, flagged;
    } cases[] = {
        { "anti-bias", 1, PLEDGE_FLAG_EXPLICIT },
        { "Relationship\u2013focused", 1, PLEDGE_FLAG_EXPLICIT },
        { "strengths\u2014based", 1, PLEDGE_FLAG_EXPLICIT },
        { "parent-infant", 1, PLEDGE_FLAG_EXPLICIT },
        { "and/or", 1, 0 },
        { "providers/professionals", 1, 0 },
        { "(IECMH-E\u00ae)", 0, 0 },
        { "e-mail", 0, 0 },
        { "-5", 0, 0 },
        { "pre--", 0, 0 },
        { "NYS-AIMH", 1, PLEDGE_FLAG_EXPLICIT },
    };
    const double width = 432;
    pledge_para_spec spec = make_spec(&width, 1, PLEDGE_ALIGN_JUSTIFY, hy);
    size_t c, i, n;

    for (c = 0; c < sizeof cases / sizeof *cases; c++) {
        pledge_run run = R(cases[c].word);
        pledge_item *its;
        pledge_err err;
        int breaks = 0;

        ck_assert_int_eq(pledge_paragraph_items(&spec, &run, 1, &its, &n,
                                                &err), 0);
        for (i = 0; i < n; i++) {
            if (its[i].kind != PLEDGE_ITEM_PENALTY ||
                its[i].penalty >= PLEDGE_INF_PENALTY ||
                its[i].penalty <= -PLEDGE_INF_PENALTY)
                continue;
            breaks++;
            ck_assert_int_eq(its[i].penalty, 50);
            ck_assert_int_eq(its[i].flagged, cases[c].flagged);
            ck_assert_double_lt(fabs(its[i].width), 1.5);
        }
        ck_assert_msg(breaks == cases[c].breaks, "%s: %d breaks",
                      cases[c].word, breaks);
        free(its);
    }
}
END_TEST

/* Whether glyph k of segment s stands for the text want. */
static int glyph_is(const pledge_seg *s, size_t k, const char *want)
{
    return k < s->nglyphs && s->glyphs[k].len == strlen(want) &&
           memcmp(s->text + s->glyphs[k].offset, want, strlen(want)) == 0;
}

/* A hyphenation point inside a ligature, TeX's discretionary: unbroken,
 * "office" keeps its ffi ligature; broken "of-fice", each piece is
 * shaped on its own ("fice" with its fi).  Without ligatures (names and
 * fields) every letter is a glyph. */
START_TEST(break_inside_ligature)
{
    static const pledge_run run[] = { R("office") };
    double width = 300;
    pledge_para_spec spec = make_spec(&width, 1, PLEDGE_ALIGN_RAGGED, hy);
    const pledge_seg *s;
    pledge_lines lines;
    pledge_err err;
    int overfull = 0;

    spec.ligatures = 1;
    ck_assert_int_eq(pledge_paragraph_set(&spec, run, 1, &lines, &overfull,
                                          &err), 0);
    ck_assert_uint_eq(lines.nlines, 1);
    s = &lines.lines[0].segs[0];
    ck_assert_uint_eq(s->nglyphs, 4);
    ck_assert(glyph_is(s, 1, "ffi"));
    pledge_lines_free(&lines);

    /* Room for "of-" and "fice", not for the word. */
    width = nominal(PLEDGE_STYLE_REGULAR, "fice") + 1;
    ck_assert(width < nominal(PLEDGE_STYLE_REGULAR, "office"));
    ck_assert_int_eq(pledge_paragraph_set(&spec, run, 1, &lines, &overfull,
                                          &err), 0);
    ck_assert_int_eq(overfull, 0);
    ck_assert_uint_eq(lines.nlines, 2);
    s = &lines.lines[0].segs[lines.lines[0].nsegs - 1];
    ck_assert_str_eq(s->text, "of\xc2\xad");
    ck_assert_uint_eq(s->nglyphs, 3);
    ck_assert_double_eq_tol(lines.lines[0].width,
                            nominal(PLEDGE_STYLE_REGULAR, "of-"), 1e-9);
    s = &lines.lines[1].segs[0];
    ck_assert_str_eq(s->text, "fice");
    ck_assert(glyph_is(s, 0, "fi"));
    pledge_lines_free(&lines);

    spec.ligatures = 0;
    width = 300;
    ck_assert_int_eq(pledge_paragraph_set(&spec, run, 1, &lines, &overfull,
                                          &err), 0);
    ck_assert_uint_eq(lines.lines[0].segs[0].nglyphs, 6);
    pledge_lines_free(&lines);
}
END_TEST

/* A hyphen the setter adds is a soft hyphen in the text, shown as the
 * font's hyphen: the word's pieces read as one word broken at a soft
 * hyphen. */
START_TEST(added_hyphen_is_soft)
{
    static const pledge_run run[] = {
        R("Culturally culturally culturally culturally culturally"),
    };
    double width;
    int broken = 0;
    pledge_glyph *h;
    size_t nh;
    pledge_err err;

    ck_assert_int_eq(pledge_font_shape(fonts[0], "-", 1, SIZE, &h, &nh,
                                       &err), 0);
    for (width = 70; width <= 160; width += 3) {
        pledge_para_spec spec = make_spec(&width, 1, PLEDGE_ALIGN_JUSTIFY,
                                          hy);
        pledge_lines lines;
        size_t i;

        ck_assert_int_eq(pledge_paragraph_set(&spec, run, 1, &lines, NULL,
                                              &err), 0);
        for (i = 0; i + 1 < lines.nlines; i++) {
            const pledge_line *ln = &lines.lines[i];
            const pledge_seg *last = &ln->segs[ln->nsegs - 1];
            const pledge_glyph *g = &last->glyphs[last->nglyphs - 1];
            char word[2048 + 64], head[2048];
            const char *tail, *sp;

            if (!ends_with(last->text, "\xc2\xad"))
                continue;
            broken++;
            ck_assert(ln->hyphen);
            /* The soft hyphen is the last glyph, the font's hyphen. */
            ck_assert_uint_eq(g->gid, h[0].gid);
            ck_assert_uint_eq(g->len, 2);
            ck_assert_str_eq(last->text + g->offset, "\xc2\xad");
            /* The pieces make the word. */
            snprintf(head, sizeof head, "%s", joined(ln));
            tail = joined(&lines.lines[i + 1]);
            sp = strrchr(head, ' ');
            snprintf(word, sizeof word, "%s", sp != NULL ? sp + 1 : head);
            word[strlen(word) - 2] = '\0';
            strncat(word, tail, strcspn(tail, " "));
            ck_assert_msg(strcmp(word + 1, "ulturally") == 0, "%s", word);
        }
        pledge_lines_free(&lines);
    }
    free(h);
    ck_assert_int_gt(broken, 5);
}
END_TEST

/* A hyphen after a kerned glyph ("Cultur-ally": r kerns with a) goes
 * where the r's nominal advance ends, and the line is measured so. */
START_TEST(hyphen_after_kerned_glyph)
{
    static const pledge_run run[] = {
        R("Culturally culturally culturally culturally culturally "
          "culturally culturally culturally culturally culturally"),
    };
    static const text t = { "culturally", run, 1 };
    double width;
    int align, ends = 0;

    for (align = 0; align < 2; align++) {
        for (width = 70; width <= 160; width += 1) {
            pledge_para_spec spec = make_spec(&width, 1, align, hy);
            pledge_lines lines;
            pledge_err err;
            size_t i;
            int overfull = 0;

            check_setting(&t, &width, 1, align);
            ck_assert_int_eq(pledge_paragraph_set(&spec, run, 1, &lines,
                                                  &overfull, &err), 0);
            for (i = 0; i < lines.nlines; i++)
                ends += ends_with(joined(&lines.lines[i]), "ultur\u00ad");
            pledge_lines_free(&lines);
        }
    }
    ck_assert_int_gt(ends, 10);
}
END_TEST

/* Where each glyph lands, read back from the segments at nominal
 * advances, is where shaping each word alone puts it. */
START_TEST(kerning_reproduced)
{
    static const pledge_run run[] = { R("AVATAR Today, Wavy y\u2019all") };
    static const char *words[] = { "AVATAR", "Today,", "Wavy",
                                   "y\u2019all" };
    const double width = 400;
    pledge_para_spec spec = make_spec(&width, 1, PLEDGE_ALIGN_RAGGED, hy);
    double want[64], got[64], x = 0, space;
    size_t nwant = 0, ngot = 0, w, j, i, n;
    int kerns = 0, overfull = 0;
    pledge_lines lines;
    pledge_glyph *g;
    pledge_err err;

    space = nominal(PLEDGE_STYLE_REGULAR, " ");
    for (w = 0; w < 4; w++) {
        ck_assert_int_eq(pledge_font_shape(fonts[0], words[w],
                                           strlen(words[w]), SIZE, &g, &n,
                                           &err), 0);
        for (i = 0; i < n; i++) {
            want[nwant++] = x;
            x += g[i].advance;
            kerns += g[i].kern != 0;
        }
        x += space - g[n - 1].kern;
        free(g);
    }
    ck_assert_int_gt(kerns, 3);

    ck_assert_int_eq(pledge_paragraph_set(&spec, run, 1, &lines, &overfull,
                                          &err), 0);
    ck_assert_uint_eq(lines.nlines, 1);
    for (j = 0; j < lines.lines[0].nsegs; j++) {
        const pledge_seg *s = &lines.lines[0].segs[j];

        ck_assert_int_eq(pledge_font_shape(fonts[s->style], s->text,
                                           strlen(s->text), SIZE, &g, &n,
                                           &err), 0);
        x = s->x;
        for (i = 0; i < n; i++) {
            if (g[i].cp != ' ')
                got[ngot++] = x;
            x += g[i].advance - g[i].kern;
        }
        free(g);
    }
    ck_assert_uint_eq(ngot, nwant);
    for (i = 0; i < nwant; i++)
        ck_assert_double_eq_tol(got[i], want[i], 1e-9);
    /* Every kern inside a word started a segment. */
    ck_assert_uint_gt(lines.lines[0].nsegs, 3);
    pledge_lines_free(&lines);
}
END_TEST

/* At natural spacing, text of one style without kerns is one segment,
 * spaces included; leading, trailing and repeated spaces collapse. */
START_TEST(natural_lines_merge)
{
    static const pledge_run run[] = {
        R("  infant  mental\thealth   "),
    };
    static const pledge_run blank[] = { R(" \n  \t ") };
    const double width = 400;
    pledge_para_spec spec = make_spec(&width, 1, PLEDGE_ALIGN_RAGGED, hy);
    pledge_lines lines;
    pledge_glyph *g;
    pledge_err err;
    size_t n, i;
    int overfull = 0;

    ck_assert_int_eq(pledge_font_shape(fonts[0], "infant mental health",
                                       20, SIZE, &g, &n, &err), 0);
    for (i = 0; i < n; i++)
        ck_assert(g[i].kern == 0);
    free(g);
    ck_assert_int_eq(pledge_paragraph_set(&spec, run, 1, &lines, &overfull,
                                          &err), 0);
    ck_assert_uint_eq(lines.nlines, 1);
    ck_assert_uint_eq(lines.lines[0].nsegs, 1);
    ck_assert_str_eq(lines.lines[0].segs[0].text, "infant mental health");
    ck_assert_double_eq_tol(lines.lines[0].width,
                            nominal(0, "infant mental health"), 1e-9);
    pledge_lines_free(&lines);

    spec.align = PLEDGE_ALIGN_JUSTIFY;
    ck_assert_int_eq(pledge_paragraph_set(&spec, run, 1, &lines, &overfull,
                                          &err), 0);
    ck_assert_uint_eq(lines.nlines, 1);
    ck_assert_str_eq(lines.lines[0].segs[0].text, "infant mental health");
    pledge_lines_free(&lines);

    ck_assert_int_eq(pledge_paragraph_set(&spec, blank, 1, &lines,
                                          &overfull, &err), 0);
    ck_assert_uint_eq(lines.nlines, 0);
    ck_assert_int_eq(overfull, 0);
}
END_TEST

/* "\n" ends a line there, at natural width; the paragraph goes on. */
START_TEST(hard_line_breaks)
{
    static const pledge_run run[] = {
        R("Value: Integrity\n"
          "A MI-AIMH service provider/professional practices in ways that "
          "are ethical, trustworthy, honest, responsible and reliable.\n\n"),
    };
    const double width = 432;
    pledge_para_spec spec = make_spec(&width, 1, PLEDGE_ALIGN_JUSTIFY, hy);
    pledge_lines lines;
    pledge_err err;
    int overfull = 0;

    ck_assert_int_eq(pledge_paragraph_set(&spec, run, 1, &lines, &overfull,
                                          &err), 0);
    /* The heading-like line, then two lines of the sentence: the first
     * justified, the last not; the trailing "\n\n" adds nothing. */
    ck_assert_uint_eq(lines.nlines, 3);
    ck_assert_str_eq(joined(&lines.lines[0]), "Value: Integrity");
    ck_assert_double_eq_tol(lines.lines[0].width,
                            pledge_font_width(fonts[0], "Value: Integrity",
                                              16, SIZE), 1e-9);
    ck_assert_str_eq(lines.lines[1].segs[0].text, "A");
    ck_assert_double_eq_tol(lines.lines[1].width, width, 0.01);
    ck_assert_double_lt(lines.lines[2].width, width - 20);
    pledge_lines_free(&lines);
}
END_TEST

/* A word wider than the measure: hyphenated if it can be, overfull (and
 * said so) if it cannot. */
START_TEST(overfull_only_when_unavoidable)
{
    static const pledge_run run[] = {
        R("The pneumonoultramicroscopicsilicovolcanoconiosis case."),
    };
    const double width = 110;
    pledge_para_spec spec = make_spec(&width, 1, PLEDGE_ALIGN_JUSTIFY, hy);
    pledge_lines lines;
    pledge_err err;
    size_t i;
    int overfull = 0;

    ck_assert(nominal(0, "pneumonoultramicroscopicsilicovolcanoconiosis") >
              width);
    ck_assert_int_eq(pledge_paragraph_set(&spec, run, 1, &lines, &overfull,
                                          &err), 0);
    ck_assert_int_eq(overfull, 0);
    for (i = 0; i < lines.nlines; i++)
        ck_assert_double_le(lines.lines[i].width, width + 0.01);
    pledge_lines_free(&lines);

    spec.hyphen = NULL;
    ck_assert_int_eq(pledge_paragraph_set(&spec, run, 1, &lines, &overfull,
                                          &err), 0);
    ck_assert_int_eq(overfull, 1);
    ck_assert_uint_eq(lines.nlines, 3);
    pledge_lines_free(&lines);
}
END_TEST

/* A character no font has is an error naming it. */
START_TEST(missing_character)
{
    static const pledge_run smile[] = {
        R("Signed with a smile \xf0\x9f\x98\x80 today"),
    };
    static const pledge_run cjk[] = {
        R("Infant "), B("\xe4\xb8\xad"), R(" mental health"),
    };
    const double width = 432;
    pledge_para_spec spec = make_spec(&width, 1, PLEDGE_ALIGN_JUSTIFY, hy);
    pledge_lines lines;
    pledge_err err;
    int overfull = 0;

    lines.nlines = 77;
    ck_assert_int_eq(pledge_paragraph_set(&spec, smile, 1, &lines,
                                          &overfull, &err), -1);
    ck_assert_msg(strstr(err.msg, "U+1F600") != NULL, "%s", err.msg);
    ck_assert_uint_eq(lines.nlines, 77);
    ck_assert_int_eq(pledge_paragraph_set(&spec, cjk, 3, &lines, &overfull,
                                          &err), -1);
    ck_assert_msg(strstr(err.msg, "U+4E2D") != NULL, "%s", err.msg);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("paragraph");
    TCase *tc = tcase_create("core");

    tcase_set_timeout(tc, 120);
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, paragraphs_justified);
    tcase_add_test(tc, list_items_justified);
    tcase_add_test(tc, ragged_right);
    tcase_add_test(tc, layouts_at_their_measure);
    tcase_add_test(tc, layouts_set_evenly);
    tcase_add_test(tc, narrow_measure_hyphenates);
    tcase_add_test(tc, explicit_breaks);
    tcase_add_test(tc, hyphen_after_kerned_glyph);
    tcase_add_test(tc, break_inside_ligature);
    tcase_add_test(tc, added_hyphen_is_soft);
    tcase_add_test(tc, kerning_reproduced);
    tcase_add_test(tc, font_expansion);
    tcase_add_test(tc, margin_protrusion);
    tcase_add_test(tc, natural_lines_merge);
    tcase_add_test(tc, hard_line_breaks);
    tcase_add_test(tc, overfull_only_when_unavoidable);
    tcase_add_test(tc, missing_character);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
