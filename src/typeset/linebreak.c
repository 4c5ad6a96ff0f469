/* linebreak.c - total-fit paragraph breaking (Knuth and Plass, 1981).
 *
 * The algorithm is TeX's line_break (TeX: The Program, sections 813-890)
 * with one change of bookkeeping: instead of TeX's running active widths
 * and break widths, the widths, stretch and shrink of the item list are
 * kept as prefix sums, and each active node remembers the first item of
 * the line that follows it (the first box after its break, since glue and
 * penalties after a break are discarded).  The natural width of any line
 * is then one subtraction, and a pass costs O(n * active nodes).
 *
 * Active nodes that end the same number of lines within the varying part
 * of the line widths compete with each other only, as TeX's line-number
 * classes do; beyond the last given width all lines are alike.  Of the
 * feasible breaks found at one breakpoint, one node per fitness class is
 * kept, and only the classes within fitness_demerits of the best, which
 * loses no optimal breaking (TeX section 836).
 */
#include "linebreak.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../util/err.h"
#include "../util/grow.h"

#define INF_BAD     10000.0     /* badness of a line that cannot stretch */
#define AWFUL_BAD   (INF_BAD + 1)
#define NONE        SIZE_MAX
#define EPS         1e-7        /* pt; below this a shortfall is rounding */

enum { VERY_LOOSE, LOOSE, DECENT, TIGHT, NFIT };

typedef struct {
    size_t item;        /* the item broken at */
    size_t prev;        /* passive node of the break before, or NONE */
} passive_node;

typedef struct {
    size_t passive;     /* the break this node stands for; NONE: start */
    size_t line;        /* lines ended at this break */
    size_t start;       /* first item of the next line */
    int fit;            /* fitness class of the line ending here */
    int flagged;        /* the line ending here ends at a hyphen */
    int run;            /* lines ending at a hyphen in a row, up to here */
    double total;       /* demerits of the best way here */
} active_node;

/* The best feasible break found at the current breakpoint for one
 * (line class, fitness class) pair. */
typedef struct {
    double total;
    size_t passive;     /* the break the line starts after */
    size_t line;        /* lines ended before this one */
    int run;            /* the hyphen run of the break it starts after */
} candidate;

typedef struct {
    double natural, stretch, shrink;
    double expand;      /* of stretch, the glyphs' (font expansion) */
    size_t fil;         /* number of glues with infinite stretch */
} line_sums;

typedef struct {
    const pledge_item *items;
    size_t n;
    const double *widths;
    size_t nwidths;
    const pledge_linebreak_params *p;
    pledge_linebreak_params defaults;   /* p when the caller gave none */

    double *w, *st, *sh, *ex;   /* prefix sums over items[0..i) */
    size_t *fil;
    size_t *spaces;             /* glues a line may break at */
    size_t *nextbox;            /* first box at or after i; n if none */

    passive_node *pas;
    size_t npas, cappas;
    active_node *act;
    size_t nact, capact;
    candidate *best;            /* nwidths * NFIT slots */
    size_t *touched;            /* line classes with a candidate */
    size_t ntouched;
} breaker;

/* One pass's settings (TeX's second_pass, final_pass, background). */
typedef struct {
    double threshold;
    int hyphenate;              /* try PLEDGE_FLAG_HYPHEN penalties */
    int final;                  /* allow overfull lines as a last resort */
    double extra_stretch;       /* emergency stretch, every line */
} pass_spec;

void pledge_linebreak_defaults(pledge_linebreak_params *p)
{
    p->tolerance = 200;
    p->pretolerance = 100;
    p->line_penalty = 10;
    p->flagged_demerits = 10000;
    p->fitness_demerits = 10000;
    p->final_hyphen_demerits = 5000;
    p->tail_demerits = 3000000;
    p->max_hyphen_run = 2;
    p->excess_demerits = 1000000;
    p->emergency_stretch = 0;
    p->expansion = 0;
}

void pledge_breaks_free(pledge_breaks *b)
{
    if (b == NULL)
        return;
    free(b->breaks);
    free(b->ratios);
    b->breaks = NULL;
    b->ratios = NULL;
    b->nlines = 0;
    b->demerits = 0;
}

static double line_width(const breaker *k, size_t line)
{
    return k->widths[line < k->nwidths ? line : k->nwidths - 1];
}

/* 100 r^3, capped at INF_BAD, as TeX's badness() approximates. */
static double badness(double t, double s)
{
    double r;

    if (t <= EPS)
        return 0;
    if (s <= 0)
        return INF_BAD;
    r = t / s;
    if (r > 100)
        return INF_BAD;
    r = 100 * r * r * r;
    return r > INF_BAD ? INF_BAD : r;
}

static int is_forced(const pledge_item *it)
{
    return it->kind == PLEDGE_ITEM_PENALTY &&
           it->penalty <= -PLEDGE_INF_PENALTY;
}

static int is_legal(const breaker *k, size_t b, int hyphenate)
{
    const pledge_item *it = &k->items[b];

    if (it->kind == PLEDGE_ITEM_GLUE)
        return b > 0 && k->items[b - 1].kind == PLEDGE_ITEM_BOX;
    if (it->kind != PLEDGE_ITEM_PENALTY ||
        it->penalty >= PLEDGE_INF_PENALTY)
        return 0;
    return hyphenate || it->flagged != PLEDGE_FLAG_HYPHEN;
}

/* Sums of the line that starts at item start and breaks at item b. */
static void sums(const breaker *k, size_t start, size_t b, line_sums *s)
{
    const pledge_item *it = &k->items[b];

    if (start < b) {
        s->natural = k->w[b] - k->w[start];
        s->stretch = k->st[b] - k->st[start];
        s->shrink = k->sh[b] - k->sh[start];
        s->fil = k->fil[b] - k->fil[start];
        s->expand = k->ex[b] - k->ex[start];
    } else {
        s->natural = s->stretch = s->shrink = s->expand = 0;
        s->fil = 0;
    }
    /* The hyphen a break adds is set in the line's glyphs: it expands
     * with them. */
    if (it->kind == PLEDGE_ITEM_PENALTY) {
        double x = k->p->expansion * it->width;

        s->natural += it->width;
        s->stretch += x;
        s->shrink += x;
        s->expand += x;
    }
}

/* Badness and fitness class of a line (TeX sections 852-853); AWFUL_BAD
 * when it is overfull. */
static double rate(const line_sums *s, double width, double extra,
                   int *fit)
{
    double shortfall = width - s->natural;
    double b;

    if (shortfall > EPS) {
        if (s->fil > 0) {
            *fit = DECENT;
            return 0;
        }
        /* Emergency stretch rates a line as if it could stretch more;
         * a line with no glue to stretch stays short all the same.  The
         * glyphs stretch no further than their limit: beyond it the
         * glue takes the rest, and the badness is the glue's. */
        double glue = s->stretch - s->expand;

        if (s->stretch <= 0)
            b = INF_BAD;
        else if (glue <= EPS)
            b = badness(shortfall, s->stretch);
        else if (s->expand > 0 && shortfall > s->stretch + extra)
            b = badness(shortfall - s->expand, glue + extra);
        else
            b = badness(shortfall, s->stretch + extra);
        *fit = b > 99 ? VERY_LOOSE : b > 12 ? LOOSE : DECENT;
        return b;
    }
    if (-shortfall > s->shrink + EPS) {
        *fit = TIGHT;
        return AWFUL_BAD;
    }
    b = badness(-shortfall, s->shrink);
    *fit = b > 12 ? TIGHT : DECENT;
    return b;
}

/* The glue set ratio a line gets: how far its finite glue stretches
 * (> 0) or shrinks (< 0, at most -1). */
static double set_ratio(const line_sums *s, double width)
{
    double shortfall = width - s->natural;

    if (shortfall > EPS) {
        if (s->fil > 0 || s->stretch <= 0)
            return 0;
        return shortfall / s->stretch;
    }
    if (shortfall < -EPS && s->shrink > 0) {
        double r = shortfall / s->shrink;
        return r < -1 ? -1 : r;
    }
    return 0;
}

/* Demerits of one line (TeX section 859).  The last break of the
 * paragraph counts as a hyphen break, so that a hyphen ending the
 * second-last line costs final_hyphen_demerits, and tail_demerits more
 * when the last line is nothing but the rest of that word (one_word). */
static double demerits(const pledge_linebreak_params *p, double bad,
                       const pledge_item *it, int is_final, int fit,
                       const active_node *r, int one_word)
{
    double d = p->line_penalty + bad;
    int flagged = it->kind == PLEDGE_ITEM_PENALTY && it->flagged;

    d = fabs(d) >= 10000 ? 100000000.0 : d * d;
    if (it->kind == PLEDGE_ITEM_PENALTY) {
        double pi = it->penalty;

        if (pi > 0)
            d += pi * pi;
        else if (pi > -PLEDGE_INF_PENALTY)
            d -= pi * pi;
    }
    if (r->flagged && is_final)
        d += p->final_hyphen_demerits + (one_word ? p->tail_demerits : 0);
    else if (r->flagged && flagged)
        d += p->flagged_demerits;
    if (abs(fit - r->fit) > 1)
        d += p->fitness_demerits;
    return d;
}

/* Appends a passive node and an active node for a break at item b.
 * Returns 0, or -1 when out of memory. */
static int add_node(breaker *k, size_t b, const candidate *c, int fit)
{
    const pledge_item *it = &k->items[b];
    passive_node *pas;
    active_node *a;

    pas = pledge_grow(k->pas, &k->cappas, k->npas + 1, sizeof *k->pas);
    if (pas == NULL)
        return -1;
    k->pas = pas;
    a = pledge_grow(k->act, &k->capact, k->nact + 1, sizeof *k->act);
    if (a == NULL)
        return -1;
    k->act = a;
    k->pas[k->npas].item = b;
    k->pas[k->npas].prev = c->passive;
    a = &k->act[k->nact++];
    a->passive = k->npas++;
    a->line = c->line + 1;
    a->start = b + 1 < k->n ? k->nextbox[b + 1] : k->n;
    a->fit = fit;
    a->flagged = it->kind == PLEDGE_ITEM_PENALTY && it->flagged;
    a->run = a->flagged ? c->run + 1 : 0;
    a->total = c->total;
    return 0;
}

/* Tries every active node against a break at item b (TeX sections
 * 829-860).  Returns 0, or -1 when out of memory. */
static int try_break(breaker *k, size_t b, const pass_spec *ps)
{
    const pledge_item *it = &k->items[b];
    int forced = is_forced(it);
    int is_final = b + 1 == k->n;
    int any = 0;
    size_t i, w, t, nact = k->nact;

    for (i = w = 0; i < nact; i++) {
        active_node r = k->act[i];
        line_sums s;
        double bad, d;
        int fit, artificial = 0;
        size_t key;
        candidate *c, *cs;

        sums(k, r.start, b, &s);
        bad = rate(&s, line_width(k, r.line), ps->extra_stretch, &fit);
        if (bad > INF_BAD || forced) {
            /* No later line from r can be better: r retires.  If this
             * line is no good either but r is the only way on, the final
             * pass takes it all the same (TeX section 854; TeX also
             * zeroes the demerits of a good line here, which changes no
             * choice, only the total). */
            if (bad > ps->threshold) {
                if (!ps->final || any || w != 0 || i + 1 != nact)
                    continue;
                artificial = 1;
            }
        } else {
            k->act[w++] = r;
            if (bad > ps->threshold)
                continue;
        }
        /* A run of hyphens longer than allowed is no way on, unless it
         * is the only one the final pass has (artificial). */
        if (!artificial && r.run >= k->p->max_hyphen_run &&
            k->p->max_hyphen_run > 0 && it->kind == PLEDGE_ITEM_PENALTY &&
            it->flagged)
            continue;
        d = artificial ? 0 : demerits(k->p, bad, it, is_final, fit, &r,
                                      k->spaces[b] == k->spaces[r.start]);
        /* The final pass counts each line looser than the tolerance
         * first: as few such lines as may be, rather than the looseness
         * spread over the paragraph. */
        if (ps->final) {
            int fit0;
            double bad0 = ps->extra_stretch > 0 ?
                rate(&s, line_width(k, r.line), 0, &fit0) : bad;

            /* Counted, and the looser the dearer: the emergency stretch
             * would let a line already counted loosen at little cost. */
            if (bad0 > k->p->tolerance)
                d += k->p->excess_demerits * (1 + bad0 / INF_BAD);
        }
        d += r.total;
        key = r.line + 1 < k->nwidths ? r.line + 1 : k->nwidths - 1;
        cs = &k->best[key * NFIT];
        if (cs[0].total == HUGE_VAL && cs[1].total == HUGE_VAL &&
            cs[2].total == HUGE_VAL && cs[3].total == HUGE_VAL)
            k->touched[k->ntouched++] = key;
        c = &cs[fit];
        if (d <= c->total) {
            c->total = d;
            c->passive = r.passive;
            c->line = r.line;
            c->run = r.run;
        }
        any = 1;
    }
    k->nact = w;

    for (t = 0; t < k->ntouched; t++) {
        candidate *c = &k->best[k->touched[t] * NFIT];
        double least = HUGE_VAL;
        int f;

        for (f = 0; f < NFIT; f++)
            if (c[f].total < least)
                least = c[f].total;
        least += abs(k->p->fitness_demerits);
        for (f = 0; f < NFIT; f++) {
            if (c[f].total <= least && add_node(k, b, &c[f], f) < 0)
                return -1;
            c[f].total = HUGE_VAL;
        }
    }
    k->ntouched = 0;
    return 0;
}

/* One pass over the list.  Returns 1 when it found a breaking (the active
 * nodes then all end at the last item), 0 when every node died, -1 when
 * out of memory. */
static int run_pass(breaker *k, const pass_spec *ps)
{
    size_t b;

    k->npas = 0;
    k->nact = 1;
    k->act[0].passive = NONE;
    k->act[0].line = 0;
    k->act[0].start = k->nextbox[0];
    k->act[0].fit = DECENT;
    k->act[0].flagged = 0;
    k->act[0].run = 0;
    k->act[0].total = 0;
    for (b = 0; b < k->n; b++) {
        if (!is_legal(k, b, ps->hyphenate))
            continue;
        if (try_break(k, b, ps) < 0)
            return -1;
        if (k->nact == 0)
            return 0;
    }
    return 1;
}

static int check_input(const pledge_item *items, size_t n,
                       const double *widths, size_t nwidths,
                       pledge_err *err)
{
    size_t i;

    if (items == NULL || n == 0)
        return pledge_err_set(err, "break paragraph: no items");
    if (!is_forced(&items[n - 1]))
        return pledge_err_set(err, "break paragraph: the item list does "
                              "not end with a forced break");
    if (widths == NULL || nwidths == 0)
        return pledge_err_set(err, "break paragraph: no line widths");
    for (i = 0; i < nwidths; i++)
        if (!isfinite(widths[i]))
            return pledge_err_set(err, "break paragraph: line width %zu "
                                  "is not finite", i);
    for (i = 0; i < n; i++) {
        const pledge_item *it = &items[i];

        if (!isfinite(it->width) ||
            (it->kind == PLEDGE_ITEM_GLUE &&
             (isnan(it->stretch) || it->stretch == -HUGE_VAL ||
              !isfinite(it->shrink))))
            return pledge_err_set(err, "break paragraph: item %zu has a "
                                  "width that is not finite", i);
    }
    return 0;
}

static void breaker_free(breaker *k)
{
    free(k->w);
    free(k->nextbox);
    free(k->pas);
    free(k->act);
    free(k->best);
    free(k->touched);
}

/* Validates the input and builds the prefix sums; p NULL stands for
 * pledge_linebreak_defaults().  Returns 0, or -1 with err set; k is to be
 * freed with breaker_free() either way. */
static int breaker_init(breaker *k, const pledge_item *items, size_t n,
                        const double *widths, size_t nwidths,
                        const pledge_linebreak_params *p, pledge_err *err)
{
    size_t i;

    memset(k, 0, sizeof *k);
    if (check_input(items, n, widths, nwidths, err) < 0)
        return -1;
    k->items = items;
    k->n = n;
    k->widths = widths;
    k->nwidths = nwidths;
    if (p == NULL) {
        pledge_linebreak_defaults(&k->defaults);
        p = &k->defaults;
    }
    k->p = p;
    /* One block for the four double sums, one for the two index arrays. */
    k->w = malloc(4 * (n + 1) * sizeof *k->w);
    k->nextbox = malloc(3 * (n + 1) * sizeof *k->nextbox);
    k->best = malloc(nwidths * NFIT * sizeof *k->best);
    k->touched = malloc(nwidths * sizeof *k->touched);
    k->act = pledge_grow(NULL, &k->capact, 64, sizeof *k->act);
    if (k->w == NULL || k->nextbox == NULL || k->best == NULL ||
        k->touched == NULL || k->act == NULL)
        return pledge_err_set(err, "break paragraph: out of memory");
    k->st = k->w + (n + 1);
    k->sh = k->st + (n + 1);
    k->ex = k->sh + (n + 1);
    k->fil = k->nextbox + (n + 1);
    k->spaces = k->fil + (n + 1);

    k->w[0] = k->st[0] = k->sh[0] = k->ex[0] = 0;
    k->fil[0] = k->spaces[0] = 0;
    for (i = 0; i < n; i++) {
        const pledge_item *it = &items[i];
        double wd = 0, st = 0, sh = 0, ex = 0;
        size_t fil = 0;

        if (it->kind == PLEDGE_ITEM_BOX) {
            wd = it->width;
            st = sh = ex = p->expansion * it->width;
        } else if (it->kind == PLEDGE_ITEM_GLUE) {
            wd = it->width;
            sh = it->shrink;
            if (isinf(it->stretch))
                fil = 1;
            else
                st = it->stretch;
        }
        k->w[i + 1] = k->w[i] + wd;
        k->st[i + 1] = k->st[i] + st;
        k->sh[i + 1] = k->sh[i] + sh;
        k->ex[i + 1] = k->ex[i] + ex;
        k->fil[i + 1] = k->fil[i] + fil;
        k->spaces[i + 1] = k->spaces[i] +
            (it->kind == PLEDGE_ITEM_GLUE && i > 0 &&
             items[i - 1].kind == PLEDGE_ITEM_BOX);
    }
    k->nextbox[n] = n;
    for (i = n; i-- > 0;)
        k->nextbox[i] = items[i].kind == PLEDGE_ITEM_BOX ? i
                                                          : k->nextbox[i + 1];
    for (i = 0; i < nwidths * NFIT; i++)
        k->best[i].total = HUGE_VAL;
    return 0;
}

/* Fills out from the chain of breaks ending at passive node last. */
static int collect(const breaker *k, size_t last, double total,
                   pledge_breaks *out, pledge_err *err)
{
    size_t nlines = 0, q, i, start;
    size_t *breaks;
    double *ratios;

    for (q = last; q != NONE; q = k->pas[q].prev)
        nlines++;
    breaks = malloc(nlines * sizeof *breaks);
    ratios = malloc(nlines * sizeof *ratios);
    if (breaks == NULL || ratios == NULL) {
        free(breaks);
        free(ratios);
        return pledge_err_set(err, "break paragraph: out of memory");
    }
    i = nlines;
    for (q = last; q != NONE; q = k->pas[q].prev)
        breaks[--i] = k->pas[q].item;
    start = k->nextbox[0];
    for (i = 0; i < nlines; i++) {
        line_sums s;

        sums(k, start, breaks[i], &s);
        ratios[i] = set_ratio(&s, line_width(k, i));
        start = breaks[i] + 1 < k->n ? k->nextbox[breaks[i] + 1] : k->n;
    }
    out->breaks = breaks;
    out->ratios = ratios;
    out->nlines = nlines;
    out->demerits = total;
    return 0;
}

int pledge_linebreak(const pledge_item *items, size_t n,
                     const double *widths, size_t nwidths,
                     const pledge_linebreak_params *p, pledge_breaks *out,
                     pledge_err *err)
{
    pass_spec passes[4];
    size_t npasses = 0, i, best;
    breaker k;
    int rc = 0;

    if (breaker_init(&k, items, n, widths, nwidths, p, err) < 0)
        goto fail;
    p = k.p;

    if (p->pretolerance >= 0) {
        passes[npasses].threshold = p->pretolerance;
        passes[npasses].hyphenate = 0;
        passes[npasses].final = 0;
        passes[npasses++].extra_stretch = 0;
    }
    passes[npasses].threshold = p->tolerance;
    passes[npasses].hyphenate = 1;
    passes[npasses].final = 0;
    passes[npasses++].extra_stretch = 0;
    /* The last resort: any line that is not overfull is acceptable, and
     * overfull lines only where there is no other way.  The emergency
     * stretch rates lines here only, with every line looser than the
     * tolerance without it counted first: no pass spreads it over lines
     * that could do without. */
    passes[npasses].threshold = p->tolerance > INF_BAD ? p->tolerance
                                                        : INF_BAD;
    passes[npasses].hyphenate = 1;
    passes[npasses].final = 1;
    passes[npasses].extra_stretch = p->emergency_stretch > 0 ?
                                    p->emergency_stretch : 0;
    npasses++;

    /* A breaking that ends in a word's tail is taken only when the final
     * pass, which may loosen a line instead, finds nothing better. */
    best = 0;
    for (i = 0; i < npasses; i++) {
        size_t j;

        rc = run_pass(&k, &passes[i]);
        if (rc < 0)
            break;
        if (rc == 0)
            continue;
        for (best = 0, j = 1; j < k.nact; j++)
            if (k.act[j].total < k.act[best].total)
                best = j;
        if (p->tail_demerits <= 0 || k.act[best].total < p->tail_demerits ||
            i + 1 == npasses)
            break;
        i = npasses - 2;
    }
    if (rc < 0) {
        pledge_err_set(err, "break paragraph: out of memory");
        goto fail;
    }
    if (rc == 0 || k.nact == 0) {
        pledge_err_set(err, "break paragraph: no breaking found");
        goto fail;
    }
    if (collect(&k, k.act[best].passive, k.act[best].total, out, err) < 0)
        goto fail;
    breaker_free(&k);
    return 0;

fail:
    breaker_free(&k);
    return -1;
}

int pledge_linebreak_greedy(const pledge_item *items, size_t n,
                            const double *widths, size_t nwidths,
                            const pledge_linebreak_params *p,
                            pledge_breaks *out, pledge_err *err)
{
    active_node cur;
    breaker k;
    size_t b, pick;
    double total = 0;

    if (breaker_init(&k, items, n, widths, nwidths, p, err) < 0)
        goto fail;
    p = k.p;
    memset(&cur, 0, sizeof cur);
    cur.passive = NONE;
    cur.start = k.nextbox[0];
    cur.fit = DECENT;
    b = 0;
    for (;;) {
        candidate c;
        line_sums s;
        double bad;
        int fit;

        /* The last legal break before the first that overfills the
         * line; the first one if even that overfills it. */
        pick = NONE;
        for (; b < n; b++) {
            if (!is_legal(&k, b, 1))
                continue;
            sums(&k, cur.start, b, &s);
            bad = rate(&s, line_width(&k, cur.line), 0, &fit);
            if (bad > INF_BAD) {
                if (pick == NONE)
                    pick = b;
                break;
            }
            pick = b;
            if (is_forced(&items[b]))
                break;
        }
        sums(&k, cur.start, pick, &s);
        bad = rate(&s, line_width(&k, cur.line), 0, &fit);
        total += demerits(p, bad, &items[pick], pick + 1 == n, fit, &cur,
                          k.spaces[pick] == k.spaces[cur.start]);
        c.total = total;
        c.passive = cur.passive;
        c.line = cur.line;
        c.run = cur.run;
        k.nact = 0;
        if (add_node(&k, pick, &c, fit) < 0) {
            pledge_err_set(err, "break paragraph: out of memory");
            goto fail;
        }
        cur = k.act[0];
        if (pick + 1 == n)
            break;
        b = pick + 1;
    }
    if (collect(&k, cur.passive, total, out, err) < 0)
        goto fail;
    breaker_free(&k);
    return 0;

fail:
    breaker_free(&k);
    return -1;
}
