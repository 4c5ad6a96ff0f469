/* paragraph.h - set one paragraph of styled runs into lines.
 *
 * Turns runs into boxes (words, shaped with kerning), glue (inter-word
 * space with stretch and shrink) and penalties (hyphenation points from
 * libhyphen, explicit hyphens and dashes), breaks them with the total-fit
 * line breaker and returns the lines with every segment placed: justified
 * lines spread their glue, the last line and ragged lines stay at natural
 * spacing.
 */
#ifndef PLEDGE_PARAGRAPH_H
#define PLEDGE_PARAGRAPH_H

#include <stddef.h>

#include "../doc/doc.h"
#include "font.h"
#include "hyphen.h"
#include "linebreak.h"

typedef struct {
    pledge_style style;
    double x;           /* from the line's left edge, pt */
    double dy;          /* pt above the baseline (a mark GPOS raised) */
    char *text;         /* UTF-8, owned */
    pledge_glyph *glyphs;   /* owned: what text shows, at nominal
                               advances (a kern ends a segment), offsets
                               into text */
    size_t nglyphs;
} pledge_seg;

typedef struct {
    pledge_seg *segs;
    size_t nsegs;
    double width;       /* set width of the line, pt, from its left
                           edge to its right without the protrusion */
    double left, right; /* optical margin alignment: pt its first and
                           last glyph hang out past the edges; its first
                           segment starts at -left */
    double hscale;      /* its glyphs' horizontal scale (font
                           expansion); 1: as the font has them */
    int hyphen;         /* it ends at a hyphen, added or explicit */
} pledge_line;

typedef struct {
    pledge_line *lines;
    size_t nlines;
} pledge_lines;

typedef struct {
    pledge_font *fonts[PLEDGE_STYLE_COUNT];
    const pledge_hyphenator *hyphen;    /* NULL: no hyphenation */
    double size;                        /* pt */
    pledge_align align;
    const double *widths;               /* per line; last one repeats */
    size_t nwidths;
    int ligatures;                      /* standard ligatures (fi, ffl) */
} pledge_para_spec;

/* Sets runs[0..nruns) into lines.  A character no font has is an error
 * naming it (U+XXXX); a word wider than the measure is set overfull only
 * when it cannot be hyphenated, and then *overfull is set to 1 (if not
 * NULL) so that the caller can refuse it.  A line is overfull when its
 * set width (justified: after all the shrink it has) exceeds its measure
 * by more than 0.5pt.  Runs with no words give no lines; "\n" in a run
 * ends a line there, set at natural width.  On error returns -1 and
 * leaves *out untouched.  The caller frees out with pledge_lines_free(). */
int pledge_paragraph_set(const pledge_para_spec *spec, const pledge_run *runs,
                         size_t nruns, pledge_lines *out, int *overfull,
                         pledge_err *err);

void pledge_lines_free(pledge_lines *lines);

/* The item list pledge_paragraph_set() breaks, and the parameters it
 * breaks it with: for tests and tools that compare breakers.  Same errors
 * as pledge_paragraph_set(); *items is NULL and *n 0 when there are no
 * words.  The caller frees *items with free(). */
int pledge_paragraph_items(const pledge_para_spec *spec,
                           const pledge_run *runs, size_t nruns,
                           pledge_item **items, size_t *n, pledge_err *err);
void pledge_paragraph_params(const pledge_para_spec *spec,
                             pledge_linebreak_params *p);

#endif
