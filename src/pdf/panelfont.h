/* panelfont.h - the fonts of a revision's signature page that the
 * endorsement panel draws with (appearance.h, docs/signature-format.md).
 *
 * A pledge its applicant signed embeds, in its body fonts' subsets, every
 * character its endorsement panel can show (the page's reserved text,
 * typeset/pages.h).  The panel names those font objects, and shows each
 * character by the code the font's ToUnicode CMap gives it, so that the
 * endorsement adds no font to the file.
 */
#ifndef PLEDGE_PANELFONT_H
#define PLEDGE_PANELFONT_H

#include "appearance.h"
#include "pdfparse.h"

/* Reads the fonts of page (a page dictionary of pdf, whose bytes are
 * data[0, len)) in its /Resources /Font order and picks: *font, the first
 * whose ToUnicode maps every character of chars (UTF-8); *bold, the first
 * other one that maps every character of title, else none (n 0: the
 * title is in *font).  Fonts that
 * are not Type0 with Identity-H codes, a ToUnicode stream (uncompressed
 * or FlateDecode) and a CIDFont's /W are passed over.  Returns 1 with
 * both filled in, 0 when no font qualifies (both zeroed: the panel is
 * drawn in Helvetica), -1 when out of memory (err set).  The caller frees
 * both with pledge_pdf_panel_font_free(). */
int pledge_pdf_panel_fonts(pledge_pdf *pdf, const unsigned char *data,
                           size_t len, const pledge_pdf_obj *page,
                           const char *chars, const char *title,
                           pledge_pdf_panel_font *font,
                           pledge_pdf_panel_font *bold, pledge_err *err);

/* Frees f's arrays and zeroes it. */
void pledge_pdf_panel_font_free(pledge_pdf_panel_font *f);

#endif
