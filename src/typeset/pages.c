/* pages.c - typeset pages: growable arrays of glyph runs and rules. */
#include "pages.h"

#include <stdlib.h>
#include <string.h>

#include "../util/grow.h"

pledge_page *pledge_pages_add(pledge_pages *pages)
{
    pledge_page *p;

    p = pledge_grow(pages->pages, &pages->cappages, pages->npages + 1,
                    sizeof *p);
    if (p == NULL)
        return NULL;
    pages->pages = p;
    p = &pages->pages[pages->npages++];
    memset(p, 0, sizeof *p);
    return p;
}

int pledge_page_text(pledge_page *page, pledge_style style, double size,
                     double x, double y, const char *text, size_t len)
{
    pledge_text *t;
    char *copy;

    t = pledge_grow(page->texts, &page->captexts, page->ntexts + 1,
                    sizeof *t);
    if (t == NULL)
        return -1;
    page->texts = t;
    copy = malloc(len + 1);
    if (copy == NULL)
        return -1;
    memcpy(copy, text, len);
    copy[len] = '\0';
    t[page->ntexts++] = (pledge_text){ .style = style, .size = size,
                                       .x = x, .y = y, .text = copy };
    return 0;
}

int pledge_page_glyphs(pledge_page *page, const pledge_glyph *glyphs,
                       size_t n)
{
    pledge_text *t = &page->texts[page->ntexts - 1];

    if (n > 0) {
        t->glyphs = malloc(n * sizeof *glyphs);
        if (t->glyphs == NULL)
            return -1;
        memcpy(t->glyphs, glyphs, n * sizeof *glyphs);
        t->nglyphs = n;
    }
    return 0;
}

int pledge_page_copy_text(pledge_page *page, const pledge_text *t,
                          double dx, double dy, int share)
{
    pledge_text *c;

    if (share || t->shared) {
        c = pledge_grow(page->texts, &page->captexts, page->ntexts + 1,
                        sizeof *c);
        if (c == NULL)
            return -1;
        page->texts = c;
        c = &page->texts[page->ntexts++];
        *c = *t;
        c->x += dx;
        c->y += dy;
        c->shared = 1;
        return 0;
    }
    if (pledge_page_text(page, t->style, t->size, t->x + dx, t->y + dy,
                         t->text, strlen(t->text)) < 0 ||
        pledge_page_glyphs(page, t->glyphs, t->nglyphs) < 0)
        return -1;
    c = &page->texts[page->ntexts - 1];
    c->hscale = t->hscale;
    c->tag = t->tag;
    c->block = t->block;
    return 0;
}

void pledge_page_tag(pledge_page *page, size_t from, pledge_tag tag,
                     int block)
{
    for (; from < page->ntexts; from++) {
        page->texts[from].tag = tag;
        page->texts[from].block = block;
    }
}

void pledge_page_text_first(pledge_page *page)
{
    pledge_text last;

    if (page->ntexts < 2)
        return;
    last = page->texts[page->ntexts - 1];
    memmove(page->texts + 1, page->texts,
            (page->ntexts - 1) * sizeof *page->texts);
    page->texts[0] = last;
}

int pledge_page_rule(pledge_page *page, double x0, double y0, double x1,
                     double y1, double width, double gray)
{
    pledge_rule *r;

    r = pledge_grow(page->rules, &page->caprules, page->nrules + 1,
                    sizeof *r);
    if (r == NULL)
        return -1;
    page->rules = r;
    r[page->nrules++] = (pledge_rule){ .x0 = x0, .y0 = y0, .x1 = x1,
                                       .y1 = y1, .width = width,
                                       .gray = gray };
    return 0;
}

int pledge_page_box(pledge_page *page, double x, double y, double w,
                    double h, double width, double fill_gray)
{
    pledge_boxdraw *b;

    b = pledge_grow(page->boxes, &page->capboxes, page->nboxes + 1,
                    sizeof *b);
    if (b == NULL)
        return -1;
    page->boxes = b;
    b[page->nboxes++] = (pledge_boxdraw){ .x = x, .y = y, .w = w, .h = h,
                                          .width = width,
                                          .fill_gray = fill_gray };
    return 0;
}

int pledge_page_code(pledge_page *page, double x, double y, double module,
                     int size, const unsigned char *dark, const char *alt)
{
    size_t n = (size_t)size * (size_t)size;
    pledge_code *c;
    unsigned char *copy;
    char *words = NULL;

    c = pledge_grow(page->codes, &page->capcodes, page->ncodes + 1,
                    sizeof *c);
    if (c == NULL)
        return -1;
    page->codes = c;
    if (alt != NULL && (words = strdup(alt)) == NULL)
        return -1;
    if ((copy = malloc(n)) == NULL) {
        free(words);
        return -1;
    }
    memcpy(copy, dark, n);
    c[page->ncodes++] = (pledge_code){ .x = x, .y = y, .module = module,
                                       .size = size, .dark = copy,
                                       .alt = words };
    return 0;
}

void pledge_page_area(pledge_page *page, double x, double y, double w,
                      double h)
{
    page->has_area = 1;
    page->area_x = x;
    page->area_y = y;
    page->area_w = w;
    page->area_h = h;
}

int pledge_page_reserve(pledge_page *page, pledge_style style,
                        const char *text)
{
    char *old = page->reserved[style];
    size_t n = old != NULL ? strlen(old) : 0, m = strlen(text);
    char *p = realloc(old, n + m + 1);

    if (p == NULL)
        return -1;
    memcpy(p + n, text, m + 1);
    page->reserved[style] = p;
    return 0;
}

void pledge_page_clear(pledge_page *page)
{
    size_t i;

    for (i = 0; i < PLEDGE_STYLE_COUNT; i++)
        free(page->reserved[i]);
    for (i = 0; i < page->ntexts; i++) {
        if (page->texts[i].shared)
            continue;
        free(page->texts[i].text);
        free(page->texts[i].glyphs);
    }
    for (i = 0; i < page->ncodes; i++) {
        free(page->codes[i].dark);
        free(page->codes[i].alt);
    }
    free(page->codes);
    free(page->texts);
    free(page->rules);
    free(page->boxes);
    memset(page, 0, sizeof *page);
}

/* Frees every page and what it owns; pages->width and height stay. */
void pledge_pages_clear(pledge_pages *pages)
{
    size_t i;

    for (i = 0; i < pages->npages; i++)
        pledge_page_clear(&pages->pages[i]);
    free(pages->pages);
    pages->pages = NULL;
    pages->npages = 0;
    pages->cappages = 0;
}
