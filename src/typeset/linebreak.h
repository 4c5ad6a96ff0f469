/* linebreak.h - total-fit paragraph breaking (Knuth and Plass, 1981).
 *
 * The paragraph is a list of boxes, glue and penalties with widths in pt.
 * The breaker chooses the breakpoints that minimise total demerits over the
 * whole paragraph, as TeX does: badness from the adjustment ratio, line
 * penalty, fitness classes (very loose, loose, decent, tight) with extra
 * demerits for adjacent lines two classes apart, and extra demerits for
 * two consecutive flagged (hyphen) breaks and for a hyphen on the
 * second-last line.  Knows nothing of fonts.
 */
#ifndef PLEDGE_LINEBREAK_H
#define PLEDGE_LINEBREAK_H

#include <stddef.h>

#include "../pledge.h"

#define PLEDGE_INF_PENALTY 10000    /* >= this: never break here */

typedef enum {
    PLEDGE_ITEM_BOX,
    PLEDGE_ITEM_GLUE,
    PLEDGE_ITEM_PENALTY
} pledge_item_kind;

/* Values of pledge_item.flagged.  Both kinds count as hyphen breaks for
 * the flagged and final-hyphen demerits; like TeX, the first pass tries
 * explicit hyphens and dashes but not the points found by hyphenation. */
#define PLEDGE_FLAG_HYPHEN      1   /* a discretionary from the patterns */
#define PLEDGE_FLAG_EXPLICIT    2   /* after an explicit hyphen or dash */

/* A glue may break the line only when a box precedes it; a penalty only
 * when it is below PLEDGE_INF_PENALTY.  The glue and penalties after a
 * break, up to the next box, are discarded. */
typedef struct {
    pledge_item_kind kind;
    double width;       /* pt; a penalty's width is the hyphen it adds */
    double stretch;     /* glue only; INFINITY for fil glue */
    double shrink;      /* glue only; finite */
    int penalty;        /* penalty only; <= -PLEDGE_INF_PENALTY forces */
    int flagged;        /* penalty only: 0 or a PLEDGE_FLAG_ value */
} pledge_item;

typedef struct {
    double tolerance;           /* max badness of a line, e.g. 200 */
    double pretolerance;        /* first pass, without hyphenation
                                   points; < 0 skips it */
    int line_penalty;           /* e.g. 10 */
    int flagged_demerits;       /* e.g. 10000 */
    int fitness_demerits;       /* e.g. 10000 */
    int final_hyphen_demerits;  /* e.g. 5000 */
    double tail_demerits;       /* more when the last line is only the
                                   rest of a hyphenated word */
    int max_hyphen_run;         /* lines ending at a hyphen in a row;
                                   0: any; the final pass may exceed it */
    double excess_demerits;     /* the final pass: more for each line
                                   looser than tolerance */
    double emergency_stretch;   /* extra stretch for a last pass; 0: none */
    double expansion;           /* font expansion: every box may stretch
                                   and shrink by this fraction of its
                                   width (pdfTeX's); 0: none */
} pledge_linebreak_params;

/* TeX's plain defaults, suited to justified text (flagged demerits
 * 10000, final hyphen demerits 5000), no emergency stretch, and two
 * rules TeX leaves to the author: at most two hyphens in a row, and a
 * last line that is only a word's tail costs 1000000 demerits, as does
 * each line the final pass sets looser than the tolerance. */
void pledge_linebreak_defaults(pledge_linebreak_params *p);

typedef struct {
    size_t *breaks;     /* item index of each break; last = final item */
    double *ratios;     /* adjustment ratio of each line */
    size_t nlines;
    double demerits;    /* total demerits of the chosen breaking, as
                           the pass that chose it counts them */
} pledge_breaks;

/* Breaks items[0..n) into lines.  widths[i] is the width of line i; the
 * last width repeats for lines beyond nwidths.  The list must end with a
 * forced break (the usual finishing glue + penalty -INF).  Passes as in
 * TeX: pretolerance without hyphenation, tolerance, tolerance with
 * emergency stretch; then a last resort that accepts any line that is not
 * overfull and, only where nothing else is possible, overfull lines (as
 * TeX's final pass does), so it always returns a breaking.  A line's ratio
 * is its glue's set ratio, >= -1; 0 for a short line with fil glue.
 * p may be NULL for pledge_linebreak_defaults().  On error (out of
 * memory, malformed list) returns -1 and leaves *out untouched.
 * The caller frees out with pledge_breaks_free(). */
int pledge_linebreak(const pledge_item *items, size_t n,
                     const double *widths, size_t nwidths,
                     const pledge_linebreak_params *p, pledge_breaks *out,
                     pledge_err *err);

/* First-fit breaking (each line as full as it fits), scored with the same
 * demerits; for comparison in tests and as a baseline.  Same contract as
 * pledge_linebreak(). */
int pledge_linebreak_greedy(const pledge_item *items, size_t n,
                            const double *widths, size_t nwidths,
                            const pledge_linebreak_params *p,
                            pledge_breaks *out, pledge_err *err);

void pledge_breaks_free(pledge_breaks *b);

#endif
