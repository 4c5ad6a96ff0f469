/* pagebreak.h - the vertical list and the page builder.
 *
 * Typesetting produces a vertical list: lines of text, headings, the
 * signature block, each an element with its own drawing.  The page builder
 * cuts the list into pages the way a compositor would: it fills a page,
 * and when the next element does not fit it breaks at the last place the
 * keep rules allow (a heading never ends a page and is kept with two lines
 * of what follows; no paragraph leaves a single line at the foot or head of
 * a page; the commitment and the signature block are one unbreakable
 * group).  Those rules live in each element's `keep` flag, which the
 * typesetter sets; the builder only honours them.
 */
#ifndef PLEDGE_PAGEBREAK_H
#define PLEDGE_PAGEBREAK_H

#include <stddef.h>

#include "pages.h"

/* What an element is, so that the keep rules can be checked. */
typedef enum {
    PLEDGE_VROLE_OTHER = 0,
    PLEDGE_VROLE_TITLE,
    PLEDGE_VROLE_HEADING,
    PLEDGE_VROLE_TEXT,          /* a line of a paragraph or list item */
    PLEDGE_VROLE_COMMITMENT,    /* a line of the commitment statement */
    PLEDGE_VROLE_SIGNATURE      /* part of the signature block */
} pledge_vrole;

typedef struct {
    pledge_vrole role;
    int line, nlines;           /* line index in its block, and count */
    double space_before;    /* dropped when the element starts a page */
    double height;          /* from the element's top to the next element */
    int keep;               /* 1: never break between this and the next */
    pledge_page draw;       /* relative: x from the text block's left edge,
                               y up from the element's top (so mostly < 0) */
} pledge_velem;

typedef struct {
    pledge_velem *elems;
    size_t n, cap;
} pledge_vlist;

/* Appends an empty element and returns it, or NULL when out of memory.
 * The element belongs to list. */
pledge_velem *pledge_vlist_add(pledge_vlist *list, double space_before,
                               double height);

/* Appends copies of every element of src to dst.  Returns 0, or -1 when out
 * of memory (dst then holds a prefix of the copies).  The copies' text
 * items share src's text and glyphs (pledge_page_copy_text()), as do the
 * pages pledge_pagebreak_place() makes of dst: src must outlive both. */
int pledge_vlist_append(pledge_vlist *dst, const pledge_vlist *src);

void pledge_vlist_clear(pledge_vlist *list);

typedef struct {
    double page_width, page_height;
    double left, top;       /* text block's top-left, in PDF coordinates */
    double height;          /* text block height */
} pledge_frame;

/* Where each page starts: starts[k] is the index of the first element of
 * page k; *npages pages.  Fills whole pages, breaking at the last allowed
 * place; a group of kept elements taller than a page is broken where it
 * overflows (there is no better choice), which the typesetter avoids by
 * keeping groups small.  On error returns -1 and leaves *starts untouched.
 * The caller frees *starts with free(). */
int pledge_pagebreak(const pledge_vlist *list, double height,
                     size_t **starts, size_t *npages, pledge_err *err);

/* Places the elements into pages per starts[] and frame.  Returns 0, or -1
 * when out of memory. */
int pledge_pagebreak_place(const pledge_vlist *list, const size_t *starts,
                           size_t npages, const pledge_frame *frame,
                           pledge_pages *out, pledge_err *err);

#endif
