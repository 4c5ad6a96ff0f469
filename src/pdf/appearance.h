/* appearance.h - the endorsement panel: the form XObject an association's
 * signature widget shows on the signature page.
 *
 * The panel is written by hand (no libharu document) because it lives in
 * the endorsement's incremental update, which a verifier rebuilds byte for
 * byte from the endorsement's claim: the same panel must give the same
 * bytes everywhere.  Text is set in fonts the applicant's revision embeds
 * (its subsets cover what a panel shows), or, for a revision that has
 * none to offer, in the standard Helvetica faces (WinAnsiEncoding, not
 * embedded).  docs/signature-format.md specifies the result.
 */
#ifndef PLEDGE_APPEARANCE_H
#define PLEDGE_APPEARANCE_H

#include <stddef.h>
#include <stdint.h>

#include "../util/err.h"

#define PLEDGE_PANEL_PARAS 4

/* A font of the revision the panel can draw with: a Type0 font with
 * Identity-H codes.  cps[i] (ascending) is shown by code codes[i]
 * (ascending too) of advance widths[i] (thousandths of the size). */
typedef struct {
    unsigned num, gen;          /* the font's object */
    const uint32_t *cps;
    const uint16_t *codes;
    const uint16_t *widths;
    /* The ink box of codes[i]'s glyph: box[4 * i] to box[4 * i + 3] are
     * its xMin, yMin, xMax and yMax in thousandths of the size (all 0: no
     * ink); NULL when the embedded font program cannot be read.  With
     * xheight (the height of "x", or 500 when the font has none), it
     * places a combining mark over or under its letter. */
    const int16_t *box;
    int xheight;
    size_t n;
} pledge_pdf_panel_font;

typedef struct {
    unsigned width, height;     /* the widget's /Rect, whole points */
    int square;                 /* 1: keep a white square at the right, the
                                   panel's height, for the seal's QR code */
    const char *qr_text;        /* NULL, or the text to draw in the square
                                   as a QR code: error correction M, the
                                   smallest version, modules of 0.5 mm
                                   (smaller only when it would not fit),
                                   a quiet zone of 4 modules */
    /* The fonts of the text and the title: NULL for Helvetica and
     * Helvetica-Bold (WinAnsiEncoding, not embedded).  A character a font
     * cannot show is shown as '?'. */
    const pledge_pdf_panel_font *font, *bold;
    const char *title;          /* UTF-8, set in bold */
    /* 1: a combining mark (U+0300 block and kin) with no advance and a
     * box is centred on the letter before it, raised above it (or
     * lowered below it) clear of it and of the marks between; 0: drawn
     * where the pen is, as pledge 0.2.0 and earlier drew it. */
    int place_marks;
    /* 1: the QR code's samples in ASCII85 and the drawing compressed by
     * pledge_flate_fixed(), whose bytes depend on the drawing alone; 0:
     * samples in hex, the drawing as it is, as pledge 0.3.0 and earlier
     * wrote it. */
    int packed;
    const char *paras[PLEDGE_PANEL_PARAS];  /* UTF-8; NULL ends the list */
} pledge_pdf_panel;

/* Writes object num: the panel as a form XObject of p->width by
 * p->height, "num 0 obj ... endobj\n".  The text is wrapped at spaces and
 * set at the largest of 8 pt down to 5 pt (steps of 0.5) at which it
 * fits; what still does not fit is cut at the panel's edge.  Returns 0, or
 * -1 with err set (out of memory, a QR text too long for any version).  The caller frees *out with free(). */
int pledge_pdf_panel_object(const pledge_pdf_panel *p, unsigned num,
                            unsigned char **out, size_t *outlen,
                            pledge_err *err);

#endif
