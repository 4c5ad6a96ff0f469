/* pages.c - typeset pages: growable arrays of glyph runs and rules. */
#include "pages.h"

#include <stdlib.h>
#include <string.h>

/* Makes room for one more element of size bytes in *items (holding *n of
 * *cap).  Returns 0, or -1 when out of memory leaving *items as it was. */
static int grow(void **items, size_t *n, size_t *cap, size_t size)
{
    void *p;
    size_t c;

    if (*n < *cap)
        return 0;
    c = *cap != 0 ? *cap * 2 : 16;
    if (c > (size_t)-1 / size)
        return -1;
    p = realloc(*items, c * size);
    if (p == NULL)
        return -1;
    *items = p;
    *cap = c;
    return 0;
}

pledge_page *pledge_pages_add(pledge_pages *pages)
{
    pledge_page *page;
    void *items = pages->pages;

    if (grow(&items, &pages->npages, &pages->cappages,
             sizeof *pages->pages) != 0)
        return NULL;
    pages->pages = items;
    page = &pages->pages[pages->npages++];
    memset(page, 0, sizeof *page);
    return page;
}

int pledge_page_text(pledge_page *page, pledge_style style, double size,
                     double x, double y, const char *text, size_t len)
{
    pledge_text *t;
    void *items = page->texts;
    char *copy;

    if (grow(&items, &page->ntexts, &page->captexts,
             sizeof *page->texts) != 0)
        return -1;
    page->texts = items;
    copy = malloc(len + 1);
    if (copy == NULL)
        return -1;
    memcpy(copy, text, len);
    copy[len] = '\0';
    t = &page->texts[page->ntexts++];
    t->style = style;
    t->size = size;
    t->x = x;
    t->y = y;
    t->text = copy;
    return 0;
}

int pledge_page_rule(pledge_page *page, double x0, double y0, double x1,
                     double y1, double width, double gray)
{
    pledge_rule *r;
    void *items = page->rules;

    if (grow(&items, &page->nrules, &page->caprules,
             sizeof *page->rules) != 0)
        return -1;
    page->rules = items;
    r = &page->rules[page->nrules++];
    r->x0 = x0;
    r->y0 = y0;
    r->x1 = x1;
    r->y1 = y1;
    r->width = width;
    r->gray = gray;
    return 0;
}

int pledge_page_box(pledge_page *page, double x, double y, double w,
                    double h, double width, double fill_gray)
{
    pledge_boxdraw *b;
    void *items = page->boxes;

    if (grow(&items, &page->nboxes, &page->capboxes,
             sizeof *page->boxes) != 0)
        return -1;
    page->boxes = items;
    b = &page->boxes[page->nboxes++];
    b->x = x;
    b->y = y;
    b->w = w;
    b->h = h;
    b->width = width;
    b->fill_gray = fill_gray;
    return 0;
}

void pledge_page_clear(pledge_page *page)
{
    size_t i;

    for (i = 0; i < page->ntexts; i++)
        free(page->texts[i].text);
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
