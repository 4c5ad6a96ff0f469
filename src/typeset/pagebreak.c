#include "pagebreak.h"

#include <stdlib.h>
#include <string.h>

#include "../util/err.h"
#include "../util/grow.h"

pledge_velem *pledge_vlist_add(pledge_vlist *list, double space_before,
                               double height)
{
    pledge_velem *e;

    e = pledge_grow(list->elems, &list->cap, list->n + 1, sizeof *e);
    if (e == NULL)
        return NULL;
    list->elems = e;
    e = &list->elems[list->n++];
    memset(e, 0, sizeof *e);
    e->space_before = space_before;
    e->height = height;
    return e;
}

/* Appends to dst every item of src shifted by (dx, dy). */
static int copy_drawing(pledge_page *dst, const pledge_page *src, double dx,
                        double dy, int share)
{
    size_t i;

    for (i = 0; i < src->ntexts; i++) {
        if (pledge_page_copy_text(dst, &src->texts[i], dx, dy, share) < 0)
            return -1;
    }
    for (i = 0; i < src->nrules; i++) {
        const pledge_rule *r = &src->rules[i];
        if (pledge_page_rule(dst, r->x0 + dx, r->y0 + dy, r->x1 + dx,
                             r->y1 + dy, r->width, r->gray) < 0)
            return -1;
    }
    for (i = 0; i < src->nboxes; i++) {
        const pledge_boxdraw *b = &src->boxes[i];
        if (pledge_page_box(dst, b->x + dx, b->y + dy, b->w, b->h, b->width,
                            b->fill_gray) < 0)
            return -1;
    }
    for (i = 0; i < src->ncodes; i++) {
        const pledge_code *c = &src->codes[i];
        if (pledge_page_code(dst, c->x + dx, c->y + dy, c->module, c->size,
                             c->dark, c->alt) < 0)
            return -1;
    }
    if (src->has_area)
        pledge_page_area(dst, src->area_x + dx, src->area_y + dy,
                         src->area_w, src->area_h);
    for (i = 0; i < PLEDGE_STYLE_COUNT; i++)
        if (src->reserved[i] != NULL &&
            pledge_page_reserve(dst, (pledge_style)i, src->reserved[i]) < 0)
            return -1;
    return 0;
}

int pledge_vlist_append(pledge_vlist *dst, const pledge_vlist *src)
{
    size_t i;

    for (i = 0; i < src->n; i++) {
        const pledge_velem *s = &src->elems[i];
        pledge_velem *d = pledge_vlist_add(dst, s->space_before, s->height);
        if (d == NULL)
            return -1;
        d->keep = s->keep;
        d->role = s->role;
        d->line = s->line;
        d->nlines = s->nlines;
        if (copy_drawing(&d->draw, &s->draw, 0, 0, 1) < 0)
            return -1;
    }
    return 0;
}

void pledge_vlist_clear(pledge_vlist *list)
{
    size_t i;

    for (i = 0; i < list->n; i++)
        pledge_page_clear(&list->elems[i].draw);
    free(list->elems);
    memset(list, 0, sizeof *list);
}

int pledge_pagebreak(const pledge_vlist *list, double height,
                     size_t **starts, size_t *npages, pledge_err *err)
{
    size_t *st = NULL, n = 0, cap = 0;
    size_t first = 0, i;
    double used = 0;

    if (list->n == 0)
        return pledge_err_set(err, "paginate: nothing to set");
    for (i = 0; i < list->n; i++) {
        const pledge_velem *e = &list->elems[i];
        double need = (i == first ? 0 : e->space_before) + e->height;

        if (i == first || used + need <= height + 0.01) {
            if (i == first) {
                size_t *p = pledge_grow(st, &cap, n + 1, sizeof *p);

                if (p == NULL)
                    goto nomem;
                st = p;
                st[n++] = first;
            }
            used += need;
            continue;
        }
        /* Element i does not fit: break after the last element of this
         * page that allows a break; if the whole page is one kept group,
         * break before i (the group overflows, nothing better exists). */
        {
            size_t j = i;
            while (j > first + 1 && list->elems[j - 1].keep)
                j--;
            if (j == first + 1 && list->elems[first].keep)
                j = i;
            first = j;
        }
        used = 0;
        i = first - 1;      /* the loop's i++ restarts at first */
    }
    *starts = st;
    *npages = n;
    return 0;

nomem:
    free(st);
    return pledge_err_set(err, "paginate: out of memory");
}

int pledge_pagebreak_place(const pledge_vlist *list, const size_t *starts,
                           size_t npages, const pledge_frame *frame,
                           pledge_pages *out, pledge_err *err)
{
    size_t k, i;

    out->width = frame->page_width;
    out->height = frame->page_height;
    for (k = 0; k < npages; k++) {
        size_t end = k + 1 < npages ? starts[k + 1] : list->n;
        double y = frame->top;
        pledge_page *page = pledge_pages_add(out);

        if (page == NULL)
            return pledge_err_set(err, "paginate: out of memory");
        for (i = starts[k]; i < end; i++) {
            const pledge_velem *e = &list->elems[i];
            if (i != starts[k])
                y -= e->space_before;
            if (copy_drawing(page, &e->draw, frame->left, y, 0) < 0)
                return pledge_err_set(err, "paginate: out of memory");
            y -= e->height;
        }
    }
    return 0;
}
