/* test_pagebreak.c - the page builder and the keep rules. */
#include <check.h>
#include <glob.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/render/engine.h"
#include "../../src/typeset/pagebreak.h"
#include "../../src/typeset/typeset.h"
#include "run_suite.h"

/* A list of n elements of one height; keep[i] set where keeps says. */
static void make_list(pledge_vlist *l, size_t n, double h, double space,
                      const int *keeps)
{
    size_t i;

    memset(l, 0, sizeof *l);
    for (i = 0; i < n; i++) {
        pledge_velem *e = pledge_vlist_add(l, space, h);
        ck_assert_ptr_nonnull(e);
        e->keep = keeps ? keeps[i] : 0;
    }
}

static size_t paginate(const pledge_vlist *l, double height, size_t **st)
{
    size_t n = 0;
    pledge_err err;

    ck_assert_int_eq(pledge_pagebreak(l, height, st, &n, &err), 0);
    return n;
}

START_TEST(all_fits_one_page)
{
    pledge_vlist l;
    size_t *st, n;

    make_list(&l, 5, 10, 0, NULL);
    n = paginate(&l, 100, &st);
    ck_assert_uint_eq(n, 1);
    ck_assert_uint_eq(st[0], 0);
    free(st);
    pledge_vlist_clear(&l);
}
END_TEST

START_TEST(fills_pages_greedily)
{
    pledge_vlist l;
    size_t *st, n;

    make_list(&l, 10, 10, 0, NULL);
    n = paginate(&l, 35, &st);
    ck_assert_uint_eq(n, 4);
    ck_assert_uint_eq(st[1], 3);
    ck_assert_uint_eq(st[2], 6);
    ck_assert_uint_eq(st[3], 9);
    free(st);
    pledge_vlist_clear(&l);
}
END_TEST

START_TEST(space_before_dropped_at_page_top)
{
    pledge_vlist l;
    size_t *st, n;

    /* 10 + (5+10) = 25 fits 30; a third needs 40.  On page two the
     * first element's space is dropped, so two fit again. */
    make_list(&l, 4, 10, 5, NULL);
    n = paginate(&l, 30, &st);
    ck_assert_uint_eq(n, 2);
    ck_assert_uint_eq(st[1], 2);
    free(st);
    pledge_vlist_clear(&l);
}
END_TEST

START_TEST(keep_moves_break_earlier)
{
    static const int keeps[10] = {0, 0, 1, 0, 0, 0, 0, 0, 0, 0};
    pledge_vlist l;
    size_t *st, n;

    make_list(&l, 10, 10, 0, keeps);
    n = paginate(&l, 35, &st);
    /* No break after element 2: page one ends after element 1. */
    ck_assert_uint_eq(st[1], 2);
    ck_assert_uint_ge(n, 4);
    free(st);
    pledge_vlist_clear(&l);
}
END_TEST

START_TEST(group_taller_than_page_still_breaks)
{
    static const int keeps[6] = {1, 1, 1, 1, 1, 0};
    pledge_vlist l;
    size_t *st, n;

    make_list(&l, 6, 10, 0, keeps);
    n = paginate(&l, 25, &st);
    ck_assert_uint_eq(n, 3);
    ck_assert_uint_eq(st[1], 2);
    free(st);
    pledge_vlist_clear(&l);
}
END_TEST

START_TEST(element_taller_than_page_gets_own_page)
{
    pledge_vlist l;
    size_t *st, n;

    make_list(&l, 3, 50, 0, NULL);
    n = paginate(&l, 30, &st);
    ck_assert_uint_eq(n, 3);
    free(st);
    pledge_vlist_clear(&l);
}
END_TEST

/* The rules a compositor would check on real pledges, at many page
 * heights so that every kind of break gets tried. */
static void check_rules(const pledge_vlist *l, const size_t *st, size_t np,
                        double height, const char *path)
{
    size_t k, i, page_of_commit = (size_t)-1;
    size_t *page = calloc(l->n, sizeof *page);
    double group = 0;

    ck_assert_ptr_nonnull(page);
    for (k = 0; k < np; k++) {
        size_t end = k + 1 < np ? st[k + 1] : l->n;
        for (i = st[k]; i < end; i++)
            page[i] = k;
    }
    for (i = 0; i < l->n; i++) {
        const pledge_velem *e = &l->elems[i];
        int ends_page = i + 1 < l->n && page[i + 1] != page[i];
        int starts_page = i > 0 && page[i - 1] != page[i];

        if (e->role == PLEDGE_VROLE_COMMITMENT ||
            e->role == PLEDGE_VROLE_SIGNATURE)
            group += e->height + e->space_before;
        if (!ends_page && !starts_page)
            continue;
        ck_assert_msg(!(ends_page && e->role == PLEDGE_VROLE_HEADING),
                      "%s at %.0f: heading ends page %zu", path, height,
                      page[i] + 1);
        ck_assert_msg(!(ends_page && e->role == PLEDGE_VROLE_TEXT &&
                        e->nlines >= 2 && e->line == 0),
                      "%s at %.0f: orphan line ends page %zu", path,
                      height, page[i] + 1);
        ck_assert_msg(!(starts_page && e->role == PLEDGE_VROLE_TEXT &&
                        e->nlines >= 2 && e->line == e->nlines - 1),
                      "%s at %.0f: widow line starts page %zu", path,
                      height, page[i] + 1);
        /* A heading keeps two lines of what follows. */
        ck_assert_msg(!(starts_page && i >= 2 &&
                        (l->elems[i - 1].role == PLEDGE_VROLE_HEADING ||
                         l->elems[i - 2].role == PLEDGE_VROLE_HEADING)),
                      "%s at %.0f: heading with under two lines on page "
                      "%zu", path, height, page[i - 1] + 1);
    }
    /* The commitment and signature block share one page when they fit. */
    if (group <= height)
        for (i = 0; i < l->n; i++) {
            pledge_vrole r = l->elems[i].role;
            if (r != PLEDGE_VROLE_COMMITMENT && r != PLEDGE_VROLE_SIGNATURE)
                continue;
            if (page_of_commit == (size_t)-1)
                page_of_commit = page[i];
            ck_assert_msg(page[i] == page_of_commit, "%s at %.0f: "
                          "signature block split", path, height);
        }
    free(page);
}

/* A person whose name and credentials are hard on fonts and lines. */
static const pledge_person hard_person = {
    "Zo\xc3\xab \xc3\x85ngstr\xc3\xb6m-O'Connor", "PhD, IMH-E\xc2\xae", "M-1",
    "2026-11-21"
};

/* Checks one bundled layout, loaded as lay with its body set. */
typedef void layout_check(pledge_layout *lay, const pledge_typo *typo,
                          const pledge_geometry *geo,
                          const pledge_vlist *body, const char *path);

/* Runs check on every bundled layout on its own paper. */
static void each_layout(layout_check *check)
{
    pledge_engine *eng;
    pledge_err err;
    glob_t g;
    size_t f;

    ck_assert_int_eq(pledge_engine_open(&eng, ".", &err), 0);
    ck_assert_int_eq(glob("layouts/*.md", 0, NULL, &g), 0);
    ck_assert_uint_ge(g.gl_pathc, 5);
    for (f = 0; f < g.gl_pathc; f++) {
        pledge_layout *lay;
        pledge_typo typo;
        pledge_geometry geo;
        pledge_vlist body;

        memset(&body, 0, sizeof body);
        ck_assert_msg(pledge_layout_load(&lay, g.gl_pathv[f], &err) == 0,
                      "%s", err.msg);
        ck_assert_int_eq(pledge_engine_typo(eng, lay, &typo, &err), 0);
        pledge_typeset_geometry(&lay->meta, PLEDGE_PAPER_DEFAULT, &geo);
        ck_assert_msg(pledge_typeset_body(&typo, lay, geo.measure, &body,
                                          &err) == 0, "%s", err.msg);
        check(lay, &typo, &geo, &body, g.gl_pathv[f]);
        pledge_vlist_clear(&body);
        pledge_layout_free(lay);
    }
    globfree(&g);
    pledge_engine_close(eng);
}

static void keeps_rules(pledge_layout *lay, const pledge_typo *typo,
                        const pledge_geometry *geo, const pledge_vlist *body,
                        const char *path)
{
    pledge_vlist all;
    pledge_err err;
    double h;

    memset(&all, 0, sizeof all);
    ck_assert_msg(pledge_typeset_assemble(typo, lay, geo, body, &hard_person,
                                          NULL, &all, &err) == 0, "%s",
                  err.msg);
    for (h = 180; h <= 700; h += 3) {
        size_t *st, np = paginate(&all, h, &st);
        check_rules(&all, st, np, h, path);
        free(st);
    }
    pledge_vlist_clear(&all);
}

/* A pledge's pages share the body's text rather than copy it: each
 * shared item is one of the body's own, every body item is on a page,
 * and the pages' own items are freed with them while the body stays
 * whole for the next pledge (the sanitizer build checks the freeing). */
static void shares_body(pledge_layout *lay, const pledge_typo *typo,
                        const pledge_geometry *geo, const pledge_vlist *body,
                        const char *path)
{
    pledge_pages pages;
    pledge_err err;
    size_t k, i, e, j, shared = 0, owned = 0, inbody = 0, round;

    for (e = 0; e < body->n; e++)
        inbody += body->elems[e].draw.ntexts;
    for (round = 0; round < 2; round++) {
        memset(&pages, 0, sizeof pages);
        ck_assert_msg(pledge_typeset_pledge(typo, lay, geo, body,
                                            &hard_person, NULL, &pages,
                                            &err) == 0, "%s", err.msg);
        shared = owned = 0;
        for (k = 0; k < pages.npages; k++) {
            for (i = 0; i < pages.pages[k].ntexts; i++) {
                const pledge_text *t = &pages.pages[k].texts[i];
                int found = 0;

                if (!t->shared) {
                    owned++;
                    continue;
                }
                shared++;
                for (e = 0; e < body->n && !found; e++)
                    for (j = 0; j < body->elems[e].draw.ntexts; j++)
                        found |= body->elems[e].draw.texts[j].text ==
                                 t->text;
                ck_assert_msg(found, "%s: shared '%s' is not the body's",
                              path, t->text);
            }
        }
        pledge_pages_clear(&pages);
        ck_assert_msg(shared == inbody, "%s: %zu of the body's %zu items "
                      "shared", path, shared, inbody);
        ck_assert_msg(owned > 0, "%s: no item of the pledge's own", path);
    }
}

START_TEST(pages_share_the_body)
{
    each_layout(shares_body);
}
END_TEST

START_TEST(layouts_keep_rules_at_many_heights)
{
    each_layout(keeps_rules);
}
END_TEST

/* What each drawn item of a pledge is to a reader: every item inside the
 * margins belongs to a block (only running heads and feet are
 * artifacts), a block's items are read together, the title is the one
 * H1 and the body's headings start at H2 without skipping a level, and a
 * list item or signature field reads label first, then its body. */
static void tags_items(pledge_layout *lay, const pledge_typo *typo,
                       const pledge_geometry *geo, const pledge_vlist *body,
                       const char *path)
{
    pledge_pages pages;
    pledge_err err;
    int seen[PLEDGE_TAG_LBODY + 1] = {0};
    int *done, *first, *lbody, last = -1, h1 = -1, nh1 = 0, name = 0;
    size_t k, i, nblocks = lay->doc.nblocks + 64;

    memset(&pages, 0, sizeof pages);
    ck_assert_msg(pledge_typeset_pledge(typo, lay, geo, body, &hard_person,
                                        NULL, &pages, &err) == 0, "%s",
                  err.msg);
    done = calloc(nblocks, sizeof *done);
    first = calloc(nblocks, sizeof *first);
    lbody = calloc(nblocks, sizeof *lbody);
    ck_assert(done != NULL && first != NULL && lbody != NULL);
    for (k = 0; k < pages.npages; k++) {
        const pledge_page *pg = &pages.pages[k];

        for (i = 0; i < pg->ntexts; i++) {
            const pledge_text *t = &pg->texts[i];
            int inside = t->y < geo->page_height - geo->top + 1 &&
                         t->y > geo->bottom - 1;

            if (t->tag == PLEDGE_TAG_ARTIFACT) {
                ck_assert_msg(!inside, "%s: '%s' inside the margins is an "
                              "artifact", path, t->text);
                continue;
            }
            ck_assert_msg(inside, "%s: '%s' in a margin is tagged", path,
                          t->text);
            ck_assert(t->block > 0 && (size_t)t->block < nblocks);
            /* Once left, a block is not read again. */
            if (t->block != last) {
                ck_assert_msg(!done[t->block], "%s: '%s' returns to a "
                              "block already read", path, t->text);
                if (last >= 0)
                    done[last] = 1;
                last = t->block;
            }
            if (t->tag >= PLEDGE_TAG_H3 && t->tag <= PLEDGE_TAG_H4)
                ck_assert_msg(seen[t->tag - 1], "%s: '%s' skips a heading "
                              "level", path, t->text);
            if (t->tag == PLEDGE_TAG_H1 && t->block != h1) {
                h1 = t->block;
                nh1++;
            }
            seen[t->tag] = 1;
            if (first[t->block] == 0)
                first[t->block] = (int)t->tag;
            if (t->tag == PLEDGE_TAG_LBODY) {
                lbody[t->block] = 1;
                if (strstr(t->text, "Zo\xc3\xab") != NULL &&
                    first[t->block] == PLEDGE_TAG_LBL)
                    name = 1;
            }
        }
    }
    /* A label is read first, and labels something. */
    for (i = 0; i < nblocks; i++)
        ck_assert(first[i] != PLEDGE_TAG_LBL || lbody[i]);
    for (k = 0; k < pages.npages; k++)
        for (i = 0; i < pages.pages[k].ntexts; i++) {
            const pledge_text *t = &pages.pages[k].texts[i];

            ck_assert_msg(t->tag != PLEDGE_TAG_LBL ||
                          first[t->block] == PLEDGE_TAG_LBL,
                          "%s: label '%s' after its body", path, t->text);
        }
    ck_assert_int_eq(nh1, 1);
    ck_assert(seen[PLEDGE_TAG_P]);
    ck_assert_msg(name, "%s: the Name field", path);
    free(done);
    free(first);
    free(lbody);
    pledge_pages_clear(&pages);
}

START_TEST(layouts_tag_every_item)
{
    each_layout(tags_items);
}
END_TEST

/* The measure a layout's margins give on its own paper, on both papers:
 * the side margins share the difference in page width, unless one would
 * then be narrower than 36pt. */
START_TEST(geometry_keeps_the_measure)
{
    static const struct {
        pledge_paper own;
        double inner, outer;
        int kept;               /* the other paper keeps the measure */
    } cases[] = {
        {PLEDGE_PAPER_LETTER, 90, 90, 1},
        {PLEDGE_PAPER_LETTER, 60, 120, 1},
        {PLEDGE_PAPER_A4, 117.5, 117.5, 1},
        {PLEDGE_PAPER_LETTER, 40, 90, 0},
        {PLEDGE_PAPER_A4, 30, 30, 1},
    };
    size_t i;

    for (i = 0; i < sizeof cases / sizeof *cases; i++) {
        pledge_paper other = cases[i].own == PLEDGE_PAPER_A4 ?
                             PLEDGE_PAPER_LETTER : PLEDGE_PAPER_A4;
        pledge_geometry own, dflt, geo;
        pledge_meta m;
        double spare;

        memset(&m, 0, sizeof m);
        m.paper = cases[i].own;
        m.margin_inner = cases[i].inner;
        m.margin_outer = cases[i].outer;
        m.margin_top = 64;
        m.margin_bottom = 76;
        pledge_typeset_geometry(&m, cases[i].own, &own);
        pledge_typeset_geometry(&m, PLEDGE_PAPER_DEFAULT, &dflt);
        pledge_typeset_geometry(&m, other, &geo);
        ck_assert_double_eq(dflt.page_width, own.page_width);
        ck_assert_double_eq_tol(own.left, cases[i].inner, 1e-9);
        ck_assert_double_eq_tol(own.right, cases[i].outer, 1e-9);
        ck_assert_double_eq_tol(own.measure, own.page_width -
                                cases[i].inner - cases[i].outer, 1e-9);
        ck_assert(geo.page_width != own.page_width);
        ck_assert_double_eq(geo.top, 64);
        ck_assert_double_eq(geo.bottom, 76);
        spare = cases[i].kept ? (geo.page_width - own.page_width) / 2 : 0;
        ck_assert_double_eq_tol(geo.left, cases[i].inner + spare, 1e-9);
        ck_assert_double_eq_tol(geo.right, cases[i].outer + spare, 1e-9);
        ck_assert_double_eq_tol(geo.measure, geo.page_width - geo.left -
                                geo.right, 1e-9);
        if (cases[i].kept)
            ck_assert_double_eq_tol(geo.measure, own.measure, 1e-9);
        ck_assert(geo.left >= 36 || !cases[i].kept);
    }
}
END_TEST

int main(void)
{
    Suite *s = suite_create("pagebreak");
    TCase *tc = tcase_create("core");

    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, all_fits_one_page);
    tcase_add_test(tc, fills_pages_greedily);
    tcase_add_test(tc, space_before_dropped_at_page_top);
    tcase_add_test(tc, keep_moves_break_earlier);
    tcase_add_test(tc, group_taller_than_page_still_breaks);
    tcase_add_test(tc, element_taller_than_page_gets_own_page);
    tcase_add_test(tc, layouts_keep_rules_at_many_heights);
    tcase_add_test(tc, layouts_tag_every_item);
    tcase_add_test(tc, pages_share_the_body);
    tcase_add_test(tc, geometry_keeps_the_measure);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
