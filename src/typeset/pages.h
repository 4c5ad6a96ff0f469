/* pages.h - typeset pages: every glyph run and rule at its final position.
 *
 * This is what the typesetter hands the PDF writer.  Coordinates are PDF
 * points with the origin at the bottom-left of the page.  A text item is
 * its text and, as the typesetter shaped it, its glyphs: each placed from
 * the pen by its offset, the pen moving by its advance (kerning
 * included), and each naming the bytes of the text it stands for.  An
 * item without glyphs is shaped by the writer, without kerning or
 * ligatures.  Justification is expressed by splitting text into items at
 * their own x.  Each
 * text item also says which block it belongs to and what that block is,
 * so that the writer can tag it for assistive technology; rules and boxes
 * are artifacts.
 */
#ifndef PLEDGE_PAGES_H
#define PLEDGE_PAGES_H

#include <stddef.h>

#include "../doc/doc.h"
#include "font.h"

/* What a text item is to a reader (the structure type of the element it
 * belongs to, ISO 32000-1 14.8.4): by default an artifact, such as a
 * running header, that assistive technology skips. */
typedef enum {
    PLEDGE_TAG_ARTIFACT = 0,
    PLEDGE_TAG_H1, PLEDGE_TAG_H2, PLEDGE_TAG_H3, PLEDGE_TAG_H4,
    PLEDGE_TAG_P,
    PLEDGE_TAG_LBL,     /* a list item's label: bullet, number, field name */
    PLEDGE_TAG_LBODY    /* the list item's text */
} pledge_tag;

typedef struct {
    pledge_style style;
    double size;        /* pt */
    double x, y;        /* baseline start */
    char *text;         /* UTF-8, owned */
    double hscale;      /* horizontal scale of the glyphs (font
                           expansion); 0 or 1: none */
    pledge_tag tag;
    int block;          /* items of one block share it; blocks differ */
    pledge_glyph *glyphs;   /* owned; NULL: shaped by the writer */
    size_t nglyphs;
    int shared;         /* text and glyphs are another item's, not owned:
                           see pledge_page_copy_text() */
} pledge_text;

typedef struct {
    double x0, y0, x1, y1;
    double width;       /* stroke width, pt */
    double gray;        /* 0 black .. 1 white */
} pledge_rule;

typedef struct {
    double x, y, w, h;  /* lower-left corner and size */
    double width;       /* stroke width; 0: no stroke */
    double fill_gray;   /* < 0: no fill */
} pledge_boxdraw;

/* A 2-D code (the seal's QR code): a square of size x size modules, each
 * module pt wide, dark ones drawn black.  Its quiet zone is the caller's
 * to keep clear. */
typedef struct {
    double x, y;        /* lower-left corner of the symbol */
    double module;      /* side of one module, pt */
    int size;           /* modules per side */
    unsigned char *dark;    /* size * size, row by row from the top;
                               non-zero dark; owned */
    char *alt;          /* UTF-8, what the code states, in words, for a
                           reader (a Figure's /Alt); NULL: an artifact;
                           owned */
} pledge_code;

typedef struct {
    pledge_text *texts;
    size_t ntexts, captexts;
    pledge_rule *rules;
    size_t nrules, caprules;
    pledge_boxdraw *boxes;
    size_t nboxes, capboxes;
    pledge_code *codes;
    size_t ncodes, capcodes;
    /* The space the page design leaves free for an association's
     * endorsement panel, drawn later by the endorsement's own update
     * (docs/signature-format.md); has_area 0: none on this page. */
    int has_area;
    double area_x, area_y, area_w, area_h;  /* lower-left corner, size */
    /* UTF-8 text not drawn, whose characters the page's font of each
     * style must be able to show all the same: what the endorsement
     * panel may draw with the page's own fonts.  NULL: none; owned. */
    char *reserved[PLEDGE_STYLE_COUNT];
} pledge_page;

typedef struct {
    double width, height;   /* page size, pt */
    pledge_page *pages;
    size_t npages, cappages;
} pledge_pages;

/* Appends an empty page and returns it, or NULL when out of memory.  The
 * page belongs to pages. */
pledge_page *pledge_pages_add(pledge_pages *pages);

/* Append to a page; each returns 0, or -1 when out of memory. */
int pledge_page_text(pledge_page *page, pledge_style style, double size,
                     double x, double y, const char *text, size_t len);
/* Gives the last text item a copy of glyphs[0..n), offsets into its
 * text.  Returns 0, or -1 when out of memory. */
int pledge_page_glyphs(pledge_page *page, const pledge_glyph *glyphs,
                       size_t n);
/* Appends a copy of text item t moved by (dx, dy).  With share set, or
 * when t itself is shared, the copy shares t's text and glyphs rather
 * than owning copies of them: whoever owns them must keep them until
 * page is cleared. */
int pledge_page_copy_text(pledge_page *page, const pledge_text *t,
                          double dx, double dy, int share);
/* Gives the text items from index from on the tag and block. */
void pledge_page_tag(pledge_page *page, size_t from, pledge_tag tag,
                     int block);
/* Moves the last text item to the front, so that it is drawn, and read,
 * first. */
void pledge_page_text_first(pledge_page *page);
int pledge_page_rule(pledge_page *page, double x0, double y0, double x1,
                     double y1, double width, double gray);
int pledge_page_box(pledge_page *page, double x, double y, double w,
                    double h, double width, double fill_gray);
/* Appends a code, copying its size * size modules from dark and its
 * description alt (NULL for none). */
int pledge_page_code(pledge_page *page, double x, double y, double module,
                     int size, const unsigned char *dark, const char *alt);

/* Records the endorsement panel's space on page (one per page). */
void pledge_page_area(pledge_page *page, double x, double y, double w,
                      double h);

/* Adds text to the page's reserved text of style (see pledge_page).
 * Returns 0, or -1 when out of memory. */
int pledge_page_reserve(pledge_page *page, pledge_style style,
                        const char *text);

/* Frees what a page holds and zeroes it; the page itself is not freed. */
void pledge_page_clear(pledge_page *page);

void pledge_pages_clear(pledge_pages *pages);

#endif
