/* test_linebreak.c - the total-fit line breaker against known answers, a
 * reference solver and first-fit.
 *
 * The reference solver below is written independently of linebreak.c:
 * a plain dynamic program over every pair of legal breakpoints, with the
 * line sums recomputed by walking the items.  It knows nothing of active
 * nodes, prefix sums or pruning, so agreeing with it on many random
 * paragraphs checks those.
 */
#include <check.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/typeset/linebreak.h"
#include "run_suite.h"

#define INF PLEDGE_INF_PENALTY
#define MAXN 4096

/* The usual inter-word glue of these tests: 6pt, +3 -2. */
#define SPACE_W 6.0
#define SPACE_ST 3.0
#define SPACE_SH 2.0
#define HYPHEN_W 4.0

typedef struct {
    pledge_item it[MAXN];
    size_t n;
} list;

static void add(list *l, pledge_item_kind kind, double w, double st,
                double sh, int pen, int flagged)
{
    pledge_item *it;

    ck_assert_uint_lt(l->n, MAXN);
    it = &l->it[l->n++];
    it->kind = kind;
    it->width = w;
    it->stretch = st;
    it->shrink = sh;
    it->penalty = pen;
    it->flagged = flagged;
}

static void box(list *l, double w)
{
    add(l, PLEDGE_ITEM_BOX, w, 0, 0, 0, 0);
}

static void space(list *l)
{
    add(l, PLEDGE_ITEM_GLUE, SPACE_W, SPACE_ST, SPACE_SH, 0, 0);
}

static void finish(list *l)
{
    add(l, PLEDGE_ITEM_PENALTY, 0, 0, 0, INF, 0);
    add(l, PLEDGE_ITEM_GLUE, 0, INFINITY, 0, 0, 0);
    add(l, PLEDGE_ITEM_PENALTY, 0, 0, 0, -INF, 0);
}

/* Builds a list from a compact description: a number is a box of that
 * width, "_" a space, "-" a hyphenation point (penalty 50, flagged, 4pt
 * hyphen), "=" an explicit hyphen (penalty 50, flagged explicit, no
 * width), "^" penalty +INF, "!" a forced break ("^ fil !" as at the end
 * of a paragraph).  The paragraph end is appended. */
static void parse(list *l, const char *s)
{
    char *end;

    l->n = 0;
    while (*s) {
        if (*s == ' ') {
            s++;
        } else if (*s == '_') {
            space(l);
            s++;
        } else if (*s == '-') {
            add(l, PLEDGE_ITEM_PENALTY, HYPHEN_W, 0, 0, 50,
                PLEDGE_FLAG_HYPHEN);
            s++;
        } else if (*s == '=') {
            add(l, PLEDGE_ITEM_PENALTY, 0, 0, 0, 50, PLEDGE_FLAG_EXPLICIT);
            s++;
        } else if (*s == '^') {
            add(l, PLEDGE_ITEM_PENALTY, 0, 0, 0, INF, 0);
            s++;
        } else if (*s == '!') {
            finish(l);
            s++;
        } else {
            box(l, strtod(s, &end));
            ck_assert_ptr_ne(end, s);
            s = end;
        }
    }
    finish(l);
}

static pledge_linebreak_params params(double pretol, double tol)
{
    pledge_linebreak_params p;

    pledge_linebreak_defaults(&p);
    p.pretolerance = pretol;
    p.tolerance = tol;
    /* Knuth and Plass's algorithm alone, which the reference solver
     * implements; the rules beyond it are tested on their own. */
    p.tail_demerits = 0;
    p.max_hyphen_run = 0;
    p.excess_demerits = 0;
    return p;
}

/* ---- the reference solver ---- */

typedef struct {
    double natural, stretch, shrink;
    int fil;
} sums;

static int legal(const list *l, size_t b, int hyphenate)
{
    const pledge_item *it = &l->it[b];

    if (it->kind == PLEDGE_ITEM_GLUE)
        return b > 0 && l->it[b - 1].kind == PLEDGE_ITEM_BOX;
    if (it->kind == PLEDGE_ITEM_PENALTY)
        return it->penalty < INF &&
               (hyphenate || it->flagged != PLEDGE_FLAG_HYPHEN);
    return 0;
}

static int forced(const list *l, size_t i)
{
    return l->it[i].kind == PLEDGE_ITEM_PENALTY && l->it[i].penalty <= -INF;
}

/* The line after a break at `after` (SIZE_MAX: paragraph start) up to a
 * break at b: it starts at the first box after the break. */
static void line_sums(const list *l, size_t after, size_t b, sums *s)
{
    size_t i = after == SIZE_MAX ? 0 : after + 1;

    memset(s, 0, sizeof *s);
    while (i < b && l->it[i].kind != PLEDGE_ITEM_BOX)
        i++;
    for (; i < b; i++) {
        const pledge_item *it = &l->it[i];

        if (it->kind == PLEDGE_ITEM_PENALTY)
            continue;
        s->natural += it->width;
        if (it->kind == PLEDGE_ITEM_GLUE) {
            s->shrink += it->shrink;
            if (isinf(it->stretch))
                s->fil = 1;
            else
                s->stretch += it->stretch;
        }
    }
    if (l->it[b].kind == PLEDGE_ITEM_PENALTY)
        s->natural += l->it[b].width;
}

/* Badness and fitness class (0 very loose .. 3 tight); -1 overfull. */
static double judge(const sums *s, double width, double extra, int *fit)
{
    double t = width - s->natural, r, b;

    if (t > 1e-7) {
        if (s->fil) {
            *fit = 2;
            return 0;
        }
        if (s->stretch + extra <= 0) {
            b = 10000;
        } else {
            r = t / (s->stretch + extra);
            b = fmin(10000, 100 * r * r * r);
        }
        *fit = b > 99 ? 0 : b > 12 ? 1 : 2;
        return b;
    }
    if (-t > s->shrink + 1e-7)
        return -1;
    if (-t <= 1e-7) {
        *fit = 2;
        return 0;
    }
    r = -t / s->shrink;
    b = fmin(10000, 100 * r * r * r);
    *fit = b > 12 ? 3 : 2;
    return b;
}

static double line_demerits(const pledge_linebreak_params *p, const list *l,
                            size_t after, size_t b, double bad, int fit,
                            int prevfit)
{
    const pledge_item *it = &l->it[b];
    int prevflag = after != SIZE_MAX &&
                   l->it[after].kind == PLEDGE_ITEM_PENALTY &&
                   l->it[after].flagged;
    double d = p->line_penalty + bad;

    d = fabs(d) >= 10000 ? 1e8 : d * d;
    if (it->kind == PLEDGE_ITEM_PENALTY && it->penalty > 0)
        d += (double)it->penalty * it->penalty;
    else if (it->kind == PLEDGE_ITEM_PENALTY && it->penalty > -INF)
        d -= (double)it->penalty * it->penalty;
    if (prevflag && b + 1 == l->n)
        d += p->final_hyphen_demerits;
    else if (prevflag && it->kind == PLEDGE_ITEM_PENALTY && it->flagged)
        d += p->flagged_demerits;
    if (abs(fit - prevfit) > 1)
        d += p->fitness_demerits;
    return d;
}

#define NLC 4   /* line classes the reference tracks: widths <= 4 */

/* Least total demerits of a breaking whose every line has badness at most
 * threshold (none overfull), or HUGE_VAL when there is none. */
static double reference(const list *l, const double *widths, size_t nw,
                        const pledge_linebreak_params *p, double threshold,
                        int hyphenate, double extra)
{
    static double best[MAXN + 1][4][NLC];
    size_t bp[MAXN + 1], nb = 0, i, j, k;
    double answer = HUGE_VAL;
    int f, c;

    ck_assert_uint_le(nw, NLC);
    bp[nb++] = SIZE_MAX;
    for (i = 0; i < l->n; i++)
        if (legal(l, i, hyphenate))
            bp[nb++] = i;
    for (i = 0; i < nb; i++)
        for (f = 0; f < 4; f++)
            for (c = 0; c < NLC; c++)
                best[i][f][c] = HUGE_VAL;
    best[0][2][0] = 0;
    for (j = 1; j < nb; j++) {
        for (i = j; i-- > 0;) {
            sums s;
            int blocked = 0;

            for (k = (i == 0 ? 0 : bp[i] + 1); k < bp[j]; k++)
                if (forced(l, k))
                    blocked = 1;
            if (blocked)
                break;
            line_sums(l, bp[i], bp[j], &s);
            for (c = 0; c < NLC; c++) {
                double w = widths[(size_t)c < nw ? (size_t)c : nw - 1];
                int fit, nc = (size_t)c + 1 < nw ? c + 1 : (int)nw - 1;
                double bad = judge(&s, w, extra, &fit);

                if (bad < 0 || bad > threshold)
                    continue;
                for (f = 0; f < 4; f++) {
                    double d;

                    if (best[i][f][c] == HUGE_VAL)
                        continue;
                    d = best[i][f][c] +
                        line_demerits(p, l, bp[i], bp[j], bad, fit, f);
                    if (d < best[j][fit][nc])
                        best[j][fit][nc] = d;
                }
            }
        }
    }
    if (bp[nb - 1] != l->n - 1)
        return HUGE_VAL;
    for (f = 0; f < 4; f++)
        for (c = 0; c < NLC; c++)
            answer = fmin(answer, best[nb - 1][f][c]);
    return answer;
}

/* ---- checks on a result ---- */

static double ratio_of(const sums *s, double width)
{
    double t = width - s->natural;

    if (t > 1e-7)
        return s->fil || s->stretch <= 0 ? 0 : t / s->stretch;
    if (t < -1e-7 && s->shrink > 0)
        return fmax(-1, t / s->shrink);
    return 0;
}

/* Every break legal, ascending, the last at the end; no break across a
 * forced break; the ratios as the lines say.  Returns how many lines are
 * overfull. */
static int check_breaks(const list *l, const double *widths, size_t nw,
                        const pledge_breaks *b)
{
    size_t i, k, after = SIZE_MAX;
    int overfull = 0;

    ck_assert_uint_ge(b->nlines, 1);
    ck_assert_uint_eq(b->breaks[b->nlines - 1], l->n - 1);
    for (i = 0; i < b->nlines; i++) {
        double w = widths[i < nw ? i : nw - 1];
        sums s;

        ck_assert(legal(l, b->breaks[i], 1));
        ck_assert(i == 0 || b->breaks[i] > b->breaks[i - 1]);
        for (k = after == SIZE_MAX ? 0 : after + 1; k < b->breaks[i]; k++)
            ck_assert_msg(!forced(l, k), "line %zu runs past forced "
                          "break %zu", i, k);
        line_sums(l, after, b->breaks[i], &s);
        ck_assert_double_eq_tol(b->ratios[i], ratio_of(&s, w), 1e-9);
        if (s.natural - s.shrink > w + 1e-6)
            overfull++;
        after = b->breaks[i];
    }
    return overfull;
}

/* Recomputes the demerits of a breaking with the reference formulas. */
static double rescore(const list *l, const double *widths, size_t nw,
                      const pledge_linebreak_params *p,
                      const pledge_breaks *b)
{
    size_t i, after = SIZE_MAX;
    double total = 0;
    int prevfit = 2;

    for (i = 0; i < b->nlines; i++) {
        double w = widths[i < nw ? i : nw - 1];
        sums s;
        int fit = 3;
        double bad;

        line_sums(l, after, b->breaks[i], &s);
        bad = judge(&s, w, 0, &fit);
        if (bad < 0)
            bad = 10001;
        total += line_demerits(p, l, after, b->breaks[i], bad, fit,
                               prevfit);
        prevfit = fit;
        after = b->breaks[i];
    }
    return total;
}

static int same_breaks(const pledge_breaks *b, const size_t *want,
                       size_t n)
{
    size_t i;

    if (b->nlines != n)
        return 0;
    for (i = 0; i < n; i++)
        if (b->breaks[i] != want[i])
            return 0;
    return 1;
}

static void run(const list *l, const double *widths, size_t nw,
                const pledge_linebreak_params *p, pledge_breaks *out)
{
    pledge_err err;

    err.msg[0] = '\0';
    ck_assert_msg(pledge_linebreak(l->it, l->n, widths, nw, p, out,
                                   &err) == 0, "%s", err.msg);
}

static void run_greedy(const list *l, const double *widths, size_t nw,
                       const pledge_linebreak_params *p, pledge_breaks *out)
{
    pledge_err err;

    err.msg[0] = '\0';
    ck_assert_msg(pledge_linebreak_greedy(l->it, l->n, widths, nw, p, out,
                                          &err) == 0, "%s", err.msg);
}

/* ---- tests ---- */

/* First fit fills the first line to its shrink limit and leaves the
 * second very loose; total fit moves a word down.  At width 100:
 *   first fit  line 1: 80 + 5 spaces = 110, shrinks by all of its 10:
 *                      r = -1, badness 100, tight;
 *              line 2: 76 + 2 spaces = 88, short 12 on stretch 6: r = 2,
 *                      badness 800, very loose (and two classes from
 *                      tight, and the last line two from very loose);
 *   total fit  line 1: 68 + 4 spaces = 92, short 8 on 12: badness 29.6;
 *              line 2: 88 + 3 spaces = 106, shrinks 6 of 6: badness 100. */
START_TEST(total_fit_beats_first_fit)
{
    static const size_t want_total[] = {9, 17, 21};
    static const size_t want_greedy[] = {11, 17, 21};
    const double width = 100;
    pledge_linebreak_params p = params(100, 200);
    pledge_breaks t, g;
    double r1 = 8.0 / 12, loose = 100 * r1 * r1 * r1;
    list l;

    parse(&l, "12 _ 16 _ 16 _ 12 _ 12 _ 12 _ 12 _ 32 _ 32 _ 28");
    run(&l, &width, 1, &p, &t);
    run_greedy(&l, &width, 1, &p, &g);
    ck_assert(same_breaks(&t, want_total, 3));
    ck_assert(same_breaks(&g, want_greedy, 3));
    /* loose, tight (+fitness), last line */
    ck_assert_double_eq_tol(t.demerits, (10 + loose) * (10 + loose) +
                            110 * 110 + 10000 + 100, 1e-6);
    /* tight, very loose (+fitness), last line (+fitness) */
    ck_assert_double_eq_tol(g.demerits, 110 * 110 + 810 * 810 + 10000 +
                            100 + 10000, 1e-6);
    ck_assert_double_eq_tol(t.ratios[0], r1, 1e-12);
    ck_assert_double_eq_tol(t.ratios[1], -1, 1e-12);
    ck_assert_double_eq_tol(g.ratios[1], 2, 1e-12);
    ck_assert_double_eq_tol(t.demerits, rescore(&l, &width, 1, &p, &t),
                            1e-6);
    ck_assert_double_eq_tol(g.demerits, rescore(&l, &width, 1, &p, &g),
                            1e-6);
    pledge_breaks_free(&t);
    pledge_breaks_free(&g);
}
END_TEST

/* Without flagged demerits the best breaking ends two lines running with
 * a hyphen (breaks 21 and 33); with them it trades one hyphen for a
 * looser line.  Both answers agree with the reference solver. */
START_TEST(flagged_demerits_avoid_hyphen_ladders)
{
    static const size_t ladder[] = {11, 21, 33, 37};
    static const size_t spread[] = {9, 19, 33, 37};
    static const char *text =
        "24 _ 12 - 12 - 12 _ 20 - 8 _ 32 _ 12 - 12 _ 16 _ 8 - 16 _ 12 _ "
        "12 - 12 - 8 _ 12 - 20";
    const double width = 100;
    pledge_linebreak_params p = params(-1, 200);
    pledge_breaks b;
    list l;

    parse(&l, text);
    p.final_hyphen_demerits = 0;
    p.flagged_demerits = 0;
    run(&l, &width, 1, &p, &b);
    ck_assert(same_breaks(&b, ladder, 4));
    ck_assert_double_eq_tol(b.demerits,
                            reference(&l, &width, 1, &p, 200, 1, 0), 1e-6);
    pledge_breaks_free(&b);

    p.flagged_demerits = 3000;
    run(&l, &width, 1, &p, &b);
    ck_assert(same_breaks(&b, spread, 4));
    ck_assert_double_eq_tol(b.demerits,
                            reference(&l, &width, 1, &p, 200, 1, 0), 1e-6);
    ck_assert_double_eq_tol(b.demerits, rescore(&l, &width, 1, &p, &b),
                            1e-6);
    pledge_breaks_free(&b);
}
END_TEST

/* A hyphen on the second-last line costs final_hyphen_demerits. */
START_TEST(final_hyphen_demerits_move_the_hyphen)
{
    static const size_t hyphen_last[] = {11, 21, 29};
    static const size_t plain_last[] = {9, 19, 29};
    static const char *text =
        "8 _ 16 _ 20 - 16 _ 12 - 8 _ 24 _ 8 _ 20 _ 16 _ 8 - 16 _ 8 _ 12";
    const double width = 100;
    pledge_linebreak_params p = params(-1, 200);
    pledge_breaks b;
    list l;

    parse(&l, text);
    p.final_hyphen_demerits = 0;
    run(&l, &width, 1, &p, &b);
    ck_assert(same_breaks(&b, hyphen_last, 3));
    ck_assert(l.it[b.breaks[1]].flagged);
    pledge_breaks_free(&b);

    p.final_hyphen_demerits = 5000;
    run(&l, &width, 1, &p, &b);
    ck_assert(same_breaks(&b, plain_last, 3));
    ck_assert(!l.it[b.breaks[1]].flagged);
    ck_assert_double_eq_tol(b.demerits,
                            reference(&l, &width, 1, &p, 200, 1, 0), 1e-6);
    pledge_breaks_free(&b);
}
END_TEST

/* The first pass (pretolerance) ignores hyphenation points but not
 * explicit hyphens; when it succeeds, its breaking stands, as in TeX. */
START_TEST(first_pass_without_hyphenation)
{
    static const size_t first[] = {9, 15};
    static const size_t second[] = {7, 15};
    const double width = 100;
    pledge_linebreak_params p = params(100, 200);
    double r = 2.0 / 9, b1 = 100 * r * r * r;
    pledge_breaks b;
    list l;

    /* Without hyphenation: 20 20 20 16|12 and 3 spaces, 106 shrunk by
     * all of its 6: badness 100, within pretolerance.  Hyphenated after
     * "16": 94 + the 4pt hyphen, 2 short on 9: badness 1.1, penalty 50,
     * and the final hyphen demerits: cheaper, but only the second pass
     * may hyphenate, and the first succeeded. */
    parse(&l, "20 _ 20 _ 20 _ 16 - 12 _ 16 _ 40");
    run(&l, &width, 1, &p, &b);
    ck_assert(same_breaks(&b, first, 2));
    ck_assert_double_eq_tol(b.demerits, 110 * 110 + 100, 1e-6);
    pledge_breaks_free(&b);
    p.pretolerance = -1;
    run(&l, &width, 1, &p, &b);
    ck_assert(same_breaks(&b, second, 2));
    ck_assert_double_eq_tol(b.demerits, (10 + b1) * (10 + b1) + 50 * 50 +
                            5000 + 100, 1e-6);
    pledge_breaks_free(&b);

    /* An explicit hyphen is a break in the first pass: 24 32 24 8= and 3
     * spaces, 106 shrunk by 6, is the only way within pretolerance. */
    p.pretolerance = 100;
    parse(&l, "24 _ 32 _ 24 _ 8 = 20 _ 8 _ 32");
    run(&l, &width, 1, &p, &b);
    ck_assert(same_breaks(&b, second, 2));
    ck_assert_int_eq(l.it[7].flagged, PLEDGE_FLAG_EXPLICIT);
    ck_assert_double_eq_tol(b.demerits, 110 * 110 + 50 * 50 + 5000 + 100,
                            1e-6);
    ck_assert_double_eq_tol(b.demerits,
                            reference(&l, &width, 1, &p, 100, 0, 0), 1e-6);
    pledge_breaks_free(&b);

    /* Nothing fits within pretolerance: the second pass hyphenates. */
    parse(&l, "40 _ 12 _ 16 _ 12 - 16 _ 16 _ 28");
    ck_assert(reference(&l, &width, 1, &p, 100, 0, 0) == HUGE_VAL);
    run(&l, &width, 1, &p, &b);
    ck_assert(same_breaks(&b, second, 2));
    ck_assert_int_eq(l.it[7].flagged, PLEDGE_FLAG_HYPHEN);
    ck_assert_double_eq_tol(b.demerits,
                            reference(&l, &width, 1, &p, 200, 1, 0), 1e-6);
    pledge_breaks_free(&b);
}
END_TEST

START_TEST(forced_breaks_honoured)
{
    const double width = 100;
    pledge_linebreak_params p = params(100, 200);
    pledge_breaks b;
    size_t i, forced_at;
    int seen = 0;
    list l;

    /* A forced break after "20" where the line is nearly empty. */
    parse(&l, "30 _ 20 ! 40 _ 40 _ 30 _ 40 _ 40");
    forced_at = 5;
    ck_assert(forced(&l, forced_at));
    run(&l, &width, 1, &p, &b);
    for (i = 0; i < b.nlines; i++)
        if (b.breaks[i] == forced_at)
            seen = 1;
    ck_assert(seen);
    ck_assert_uint_eq(b.breaks[0], forced_at);
    ck_assert_int_eq(check_breaks(&l, &width, 1, &b), 0);
    pledge_breaks_free(&b);
}
END_TEST

/* Penalties of +INF and glue after a penalty are never breaks, even when
 * breaking there would fit perfectly. */
START_TEST(infinite_penalties_never_broken)
{
    const double width = 100;
    pledge_linebreak_params p = params(100, 200);
    pledge_breaks b;
    size_t i;
    list l;

    /* "47 _ 47 ^ _ 47 _ 47": a break before the third word would make
     * two perfect lines; the tie forbids it. */
    parse(&l, "47 _ 47 ^ _ 47 _ 47 ^ _ 40 _ 50");
    run(&l, &width, 1, &p, &b);
    for (i = 0; i < b.nlines; i++) {
        const pledge_item *it = &l.it[b.breaks[i]];

        ck_assert(!(it->kind == PLEDGE_ITEM_PENALTY &&
                    it->penalty >= INF));
        ck_assert(!(it->kind == PLEDGE_ITEM_GLUE &&
                    l.it[b.breaks[i] - 1].kind != PLEDGE_ITEM_BOX));
    }
    ck_assert_int_eq(check_breaks(&l, &width, 1, &b), 0);
    pledge_breaks_free(&b);
}
END_TEST

/* A hanging first line: widths 60 then 100. */
START_TEST(varying_line_widths)
{
    const double widths[] = {60, 100};
    const double one = 100;
    pledge_linebreak_params p = params(100, 200);
    pledge_breaks b;
    list l;

    /* At 100 the first line would take "30 _ 30 _ 28"; at 60 only two
     * words fit. */
    parse(&l, "30 _ 24 _ 28 _ 30 _ 30 _ 28 _ 30 _ 30 _ 20");
    run(&l, widths, 2, &p, &b);
    ck_assert_int_eq(check_breaks(&l, widths, 2, &b), 0);
    ck_assert_uint_eq(b.breaks[0], 3);
    ck_assert_double_eq_tol(b.demerits,
                            reference(&l, widths, 2, &p, 100, 0, 0), 1e-6);
    pledge_breaks_free(&b);
    run(&l, &one, 1, &p, &b);
    ck_assert_uint_gt(b.breaks[0], 3);
    pledge_breaks_free(&b);
}
END_TEST

/* A box wider than the line: it still breaks, the box alone on its
 * line, and every other line fits. */
START_TEST(overfull_fallback)
{
    static const size_t want[] = {1, 3, 7};
    const double width = 100;
    pledge_linebreak_params p = params(100, 200);
    pledge_breaks b, g;
    list l;

    parse(&l, "30 _ 150 _ 30");
    run(&l, &width, 1, &p, &b);
    ck_assert(same_breaks(&b, want, 3));
    ck_assert_int_eq(check_breaks(&l, &width, 1, &b), 1);
    run_greedy(&l, &width, 1, &p, &g);
    ck_assert(same_breaks(&g, want, 3));
    pledge_breaks_free(&b);
    pledge_breaks_free(&g);

    /* Only underfull lines possible: they win over overfull ones. */
    parse(&l, "60 _ 60 _ 60");
    p.emergency_stretch = 0;
    run(&l, &width, 1, &p, &b);
    ck_assert_int_eq(check_breaks(&l, &width, 1, &b), 0);
    ck_assert_uint_eq(b.nlines, 3);
    pledge_breaks_free(&b);
}
END_TEST

/* With emergency stretch the third pass accepts lines that are too loose
 * for tolerance on their own glue; its demerits count the extra stretch,
 * as the reference computes them. */
START_TEST(emergency_stretch_pass)
{
    const double width = 100;
    pledge_linebreak_params p = params(100, 200);
    pledge_breaks b;
    list l;

    parse(&l, "40 _ 40 _ 35 _ 40 _ 40 _ 30");
    ck_assert(reference(&l, &width, 1, &p, 200, 1, 0) == HUGE_VAL);
    p.emergency_stretch = 20;
    ck_assert(reference(&l, &width, 1, &p, 200, 1, 20) < HUGE_VAL);
    run(&l, &width, 1, &p, &b);
    ck_assert_double_eq_tol(b.demerits,
                            reference(&l, &width, 1, &p, 200, 1, 20), 1e-6);
    ck_assert_int_eq(check_breaks(&l, &width, 1, &b), 0);
    pledge_breaks_free(&b);
}
END_TEST

START_TEST(malformed_lists_rejected)
{
    const double width = 100;
    pledge_breaks b;
    pledge_err err;
    list l;

    memset(&b, 0x5a, sizeof b);
    l.n = 0;
    box(&l, 10);
    space(&l);
    box(&l, 10);
    err.msg[0] = '\0';
    ck_assert_int_eq(pledge_linebreak(l.it, l.n, &width, 1, NULL, &b,
                                      &err), -1);
    ck_assert_ptr_nonnull(strstr(err.msg, "forced break"));
    ck_assert_int_eq(pledge_linebreak_greedy(l.it, l.n, &width, 1, NULL,
                                             &b, &err), -1);
    ck_assert_uint_eq(b.nlines, (size_t)0x5a5a5a5a5a5a5a5aULL);
    ck_assert_int_eq(pledge_linebreak(l.it, 0, &width, 1, NULL, &b, &err),
                     -1);
    finish(&l);
    ck_assert_int_eq(pledge_linebreak(l.it, l.n, &width, 0, NULL, &b, &err),
                     -1);
}
END_TEST

/* ---- random paragraphs ---- */

static uint64_t rng_state;

static uint64_t rnd(void)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 2685821657736338717ULL;
}

static double uniform(double lo, double hi)
{
    return lo + (hi - lo) * (double)(rnd() >> 11) / 9007199254740992.0;
}

/* A paragraph of words 8..50pt wide, a third of them with hyphenation
 * points (every part at least the hyphen's width), some explicit hyphens,
 * some ties and, rarely, a forced break. */
static void random_paragraph(list *l, size_t words)
{
    size_t w;

    l->n = 0;
    for (w = 0; w < words; w++) {
        uint64_t r = rnd() % 100;

        if (w > 0) {
            if (r < 2) {
                finish(l);
            } else {
                if (r < 6)
                    add(l, PLEDGE_ITEM_PENALTY, 0, 0, 0, INF, 0);
                add(l, PLEDGE_ITEM_GLUE, uniform(5, 7), uniform(2, 3.5),
                    uniform(1, 2), 0, 0);
            }
        }
        box(l, uniform(8, 30));
        if (rnd() % 3 == 0) {
            int parts = 1 + (int)(rnd() % 3), i;

            for (i = 0; i < parts; i++) {
                if (rnd() % 8 == 0)
                    add(l, PLEDGE_ITEM_PENALTY, 0, 0, 0, 50,
                        PLEDGE_FLAG_EXPLICIT);
                else
                    add(l, PLEDGE_ITEM_PENALTY, HYPHEN_W, 0, 0, 50,
                        PLEDGE_FLAG_HYPHEN);
                box(l, uniform(8, 20));
            }
        }
    }
    finish(l);
}

/* The breaker finds exactly the reference's optimum for tolerance 200,
 * or, where there is none, for any breaking without overfull lines. */
/* Lines of b ending at a flagged break, longest run of them in a row. */
static int longest_hyphen_run(const list *l, const pledge_breaks *b)
{
    size_t i;
    int run = 0, longest = 0;

    for (i = 0; i < b->nlines; i++) {
        const pledge_item *it = &l->it[b->breaks[i]];

        run = it->kind == PLEDGE_ITEM_PENALTY && it->flagged ? run + 1 : 0;
        if (run > longest)
            longest = run;
    }
    return longest;
}

/* Whether b's last line holds no space a line could break at and follows
 * a flagged break: only the tail of a hyphenated word. */
static int ends_in_tail(const list *l, const pledge_breaks *b)
{
    size_t i, from;
    const pledge_item *prev;

    if (b->nlines < 2)
        return 0;
    prev = &l->it[b->breaks[b->nlines - 2]];
    if (prev->kind != PLEDGE_ITEM_PENALTY || !prev->flagged)
        return 0;
    from = b->breaks[b->nlines - 2] + 1;
    for (i = from + 1; i < b->breaks[b->nlines - 1]; i++)
        if (l->it[i].kind == PLEDGE_ITEM_GLUE &&
            l->it[i - 1].kind == PLEDGE_ITEM_BOX)
            return 0;
    return 1;
}

/* Lines of b whose glue stretches past ratio r (the tolerance's). */
static int lines_looser_than(const pledge_breaks *b, double r)
{
    size_t i;
    int n = 0;

    for (i = 0; i < b->nlines; i++)
        n += b->ratios[i] > r + 1e-9;
    return n;
}

/* The defaults never end three lines running with a hyphen, where the
 * classic algorithm does on the same random paragraphs; they end a
 * paragraph with only a word's tail a quarter as often or less (a tail
 * stays where the only other way overfills a line); and the final pass,
 * counting the lines it sets looser than the tolerance, makes fewer of
 * them than without. */
START_TEST(hyphen_runs_tails_and_loose_lines)
{
    static list l;
    pledge_linebreak_params rules, classic;
    int trial, runs = 0, tails = 0, tails_classic = 0, loose = 0;
    int loose_classic = 0;
    double rtol = cbrt(172.0 / 100);

    pledge_linebreak_defaults(&rules);
    rules.pretolerance = rules.tolerance = 172;
    rules.emergency_stretch = 20;
    classic = rules;
    classic.tail_demerits = 0;
    classic.max_hyphen_run = 0;
    classic.excess_demerits = 0;
    rng_state = 0x2545f4914f6cdd1dULL;
    for (trial = 0; trial < 400; trial++) {
        double width = uniform(70, 160);
        pledge_breaks b, c;

        random_paragraph(&l, 10 + rnd() % 50);
        run(&l, &width, 1, &rules, &b);
        run(&l, &width, 1, &classic, &c);
        ck_assert_int_eq(check_breaks(&l, &width, 1, &b), 0);
        ck_assert_msg(longest_hyphen_run(&l, &b) <= 2, "trial %d: %d "
                      "hyphens running", trial, longest_hyphen_run(&l, &b));
        runs += longest_hyphen_run(&l, &c) > 2;
        tails += ends_in_tail(&l, &b);
        tails_classic += ends_in_tail(&l, &c);
        loose += lines_looser_than(&b, rtol);
        loose_classic += lines_looser_than(&c, rtol);
        pledge_breaks_free(&b);
        pledge_breaks_free(&c);
    }
    /* Each rule changed something, so the checks above could fail. */
    ck_assert_int_gt(runs, 0);
    ck_assert_msg(tails * 4 <= tails_classic, "tails: %d, classic %d", tails,
                  tails_classic);
    ck_assert_int_lt(loose, loose_classic);
}
END_TEST

START_TEST(agrees_with_reference_on_random_paragraphs)
{
    static list l;
    pledge_linebreak_params p = params(-1, 200);
    double widths[NLC];
    int trial, compared = 0, fallback = 0;

    rng_state = 0x9e3779b97f4a7c15ULL;
    for (trial = 0; trial < 400; trial++) {
        size_t nw = 1 + rnd() % NLC, i;
        pledge_breaks b;
        double want;

        random_paragraph(&l, 10 + rnd() % 40);
        /* Widely different widths make breaks reached after different
         * numbers of lines compete. */
        for (i = 0; i < nw; i++)
            widths[i] = uniform(90, 260);
        run(&l, widths, nw, &p, &b);
        want = reference(&l, widths, nw, &p, 200, 1, 0);
        if (want == HUGE_VAL) {
            want = reference(&l, widths, nw, &p, 10000, 1, 0);
            fallback++;
        }
        if (want < HUGE_VAL) {
            ck_assert_int_eq(check_breaks(&l, widths, nw, &b), 0);
            ck_assert_msg(fabs(b.demerits - want) <= 1e-9 * want + 1e-6,
                          "trial %d: %.6f, reference %.6f", trial,
                          b.demerits, want);
            ck_assert_double_eq_tol(b.demerits,
                                    rescore(&l, widths, nw, &p, &b),
                                    1e-9 * want + 1e-6);
            compared++;
        } else {
            check_breaks(&l, widths, nw, &b);
        }
        pledge_breaks_free(&b);
    }
    ck_assert_int_gt(compared, 330);
    ck_assert_int_gt(fallback, 0);
}
END_TEST

/* Total fit over every breaking without overfull lines (tolerance
 * 10000, no first pass) can never lose to first fit, which is one of
 * those breakings; on real paragraphs it usually wins. */
START_TEST(never_worse_than_first_fit)
{
    static list l;
    pledge_linebreak_params p = params(-1, 10000);
    double widths[2];
    int trial, better = 0;

    rng_state = 0x2545f4914f6cdd1dULL;
    for (trial = 0; trial < 400; trial++) {
        size_t nw = 1 + rnd() % 2;
        pledge_breaks t, g;

        random_paragraph(&l, 20 + rnd() % 150);
        widths[0] = uniform(100, 300);
        widths[1] = widths[0] + uniform(0, 40);
        run(&l, widths, nw, &p, &t);
        run_greedy(&l, widths, nw, &p, &g);
        ck_assert_double_eq_tol(g.demerits, rescore(&l, widths, nw, &p, &g),
                                1e-9 * g.demerits);
        if (check_breaks(&l, widths, nw, &g) == 0)
            ck_assert_int_eq(check_breaks(&l, widths, nw, &t), 0);
        ck_assert_msg(t.demerits <= g.demerits * (1 + 1e-12),
                      "trial %d: total fit %.3f, first fit %.3f", trial,
                      t.demerits, g.demerits);
        if (t.demerits < g.demerits * (1 - 1e-9))
            better++;
        pledge_breaks_free(&t);
        pledge_breaks_free(&g);
    }
    ck_assert_int_gt(better, 200);
}
END_TEST

/* Long paragraphs with the default passes: valid breakings, no overfull
 * line, demerits as the formulas say. */
START_TEST(long_paragraphs)
{
    static list l;
    pledge_linebreak_params p = params(100, 200);
    double width = 300;
    int trial;

    rng_state = 0x853c49e6748fea9bULL;
    p.emergency_stretch = 20;
    for (trial = 0; trial < 20; trial++) {
        pledge_breaks b;

        random_paragraph(&l, 600);
        ck_assert_uint_gt(l.n, 1000);
        run(&l, &width, 1, &p, &b);
        ck_assert_int_eq(check_breaks(&l, &width, 1, &b), 0);
        ck_assert_uint_gt(b.nlines, 20);
        pledge_breaks_free(&b);
    }
}
END_TEST

int main(void)
{
    Suite *s = suite_create("linebreak");
    TCase *tc = tcase_create("core");

    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, total_fit_beats_first_fit);
    tcase_add_test(tc, flagged_demerits_avoid_hyphen_ladders);
    tcase_add_test(tc, final_hyphen_demerits_move_the_hyphen);
    tcase_add_test(tc, first_pass_without_hyphenation);
    tcase_add_test(tc, forced_breaks_honoured);
    tcase_add_test(tc, infinite_penalties_never_broken);
    tcase_add_test(tc, varying_line_widths);
    tcase_add_test(tc, overfull_fallback);
    tcase_add_test(tc, emergency_stretch_pass);
    tcase_add_test(tc, malformed_lists_rejected);
    tcase_add_test(tc, hyphen_runs_tails_and_loose_lines);
    tcase_add_test(tc, agrees_with_reference_on_random_paragraphs);
    tcase_add_test(tc, never_worse_than_first_fit);
    tcase_add_test(tc, long_paragraphs);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
