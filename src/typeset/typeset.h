/* typeset.h - from document model to pages.
 *
 * Typesetting runs in two steps so that a batch can set a layout's body
 * once and reuse it for every attendee: pledge_typeset_body() turns the
 * layout's blocks into a vertical list that depends on nothing personal;
 * pledge_typeset_pledge() adds the title block, the commitment, the
 * signature block with the person's fields, cuts pages and draws the
 * running header and footer.
 */
#ifndef PLEDGE_TYPESET_H
#define PLEDGE_TYPESET_H

#include "../doc/doc.h"
#include "font.h"
#include "hyphen.h"
#include "pagebreak.h"
#include "pages.h"
#include "../sign/seal.h"

/* The fonts and patterns one layout is set with; borrowed, not owned.
 * The patterns need only cover pledge_typeset_hyphen_text() of it. */
typedef struct {
    pledge_font *fonts[PLEDGE_STYLE_COUNT];
    const pledge_hyphenator *hyphen;    /* NULL: no hyphenation */
    int no_ligatures;   /* a person's name or field, a heading */
} pledge_typo;

/* The layout's revision as the pledge prints it, or NULL when there is
 * none to print: an undated revision ("Undated (as captured)") is a note
 * for editors, not a revision. */
const char *pledge_typeset_revision(const pledge_meta *meta);

/* Page geometry of a layout on a paper size. */
typedef struct {
    double page_width, page_height;
    double left, right, top, bottom;    /* margins, pt */
    double measure;                     /* text block width */
} pledge_geometry;

/* Fills g from meta and paper (PLEDGE_PAPER_DEFAULT: the layout's own). */
void pledge_typeset_geometry(const pledge_meta *meta, pledge_paper paper,
                             pledge_geometry *g);

/* How far list items at depth level (1..3) are indented from the
 * measure's left edge, pt. */
double pledge_typeset_list_indent(const pledge_meta *meta, int level);

/* The text of lay that pledge_typeset_body() and pledge_typeset_pledge()
 * set with typo's patterns, the only text ever hyphenated, as one string:
 * each body block's runs joined (a word may span runs), then the
 * commitment and the signature panel's fixed text, each on a line of its
 * own.  Names and the person's other fields are never hyphenated and are
 * not in it.  Load the patterns with pledge_hyphen_open_for() on it.  On
 * error (out of memory) returns -1 and leaves *out untouched.  The caller
 * frees *out with free(). */
int pledge_typeset_hyphen_text(const pledge_layout *lay, char **out,
                               pledge_err *err);

/* Writes the date "2026-11-21" as the pledge prints it, "November 21,
 * 2026", into out (len bytes); anything else is copied unchanged. */
void pledge_typeset_format_date(const char *iso, char *out, size_t len);

/* Sets the layout's body at measure into out (appending).  On error returns
 * -1 with a message naming the layout file and the block's line.  The
 * caller frees out with pledge_vlist_clear(). */
int pledge_typeset_body(const pledge_typo *typo, const pledge_layout *lay,
                        double measure, pledge_vlist *out, pledge_err *err);

/* The characters an endorsement panel draws with the signature page's
 * regular font (docs/signature-format.md), which an applicant-signed
 * pledge's subset keeps with the association's name, the applicant's
 * and the member ID: letters, digits and the punctuation of the panel's
 * text.  The title, in the bold font. */
#define PLEDGE_TYPESET_PANEL_CHARS " &'(),-./:#_0123456789" \
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz?" \
    "\xc2\xb7\xe2\x80\x9c\xe2\x80\x9d\xe2\x80\x99"
#define PLEDGE_TYPESET_PANEL_TITLE "Endorsement"

/* What the digital signature panel says once the pledge is signed. */
typedef struct {
    const char *signer;         /* as the signing key file names it */
    const char *key_id;         /* 16 hex digits, as minisign shows it */
    const char *date;           /* YYYY-MM-DD, UTC */
    const pledge_seal *seal;    /* the seal printed beside the panel as a
                                   QR code, or NULL for none */
} pledge_panel;

/* The whole pledge as one vertical list, before it is cut into pages:
 * title block, body, commitment and signature block.  The caller frees
 * out with pledge_vlist_clear(). */
int pledge_typeset_assemble(const pledge_typo *typo,
                            const pledge_layout *lay,
                            const pledge_geometry *g,
                            const pledge_vlist *body,
                            const pledge_person *person,
                            const pledge_panel *panel, pledge_vlist *out,
                            pledge_err *err);

/* Sets the whole pledge for person into pages (appending), reusing body
 * from pledge_typeset_body() at g's measure.  panel NULL: the signature
 * panel says the pledge is not digitally signed.  A field that cannot be set
 * (a character no font has, a word too long for the line) is an error that
 * names the field.  out shares text with body, which must outlive it.
 * The caller frees out with pledge_pages_clear(). */
int pledge_typeset_pledge(const pledge_typo *typo, const pledge_layout *lay,
                          const pledge_geometry *g, const pledge_vlist *body,
                          const pledge_person *person,
                          const pledge_panel *panel, pledge_pages *out,
                          pledge_err *err);

#endif
