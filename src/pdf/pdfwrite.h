/* pdfwrite.h - write typeset pages as a PDF with libharu.
 *
 * Every libharu call in pledge lives in pdfwrite.c.  libharu's error
 * handler records the error; it never longjmps.  Text is shown glyph by
 * glyph; fonts are subset to the glyphs the pages show and embedded as
 * TrueType (CIDFontType2), with a ToUnicode entry for every code;
 * streams are compressed; the output is byte-for-byte reproducible for
 * the same pages, fonts and info.
 *
 * The document states its language (/Lang), shows its title in a
 * viewer's title bar, carries XMP metadata that repeats the info, and has
 * a trailer /ID that is a hash of what the document is made of, so that
 * the same pledge gets the same ID.  It is PDF 1.7, and tagged to
 * PDF/UA-1: every text item is marked content of a structure element of
 * its tag and block (pages.h), in the order drawn, or an artifact, as
 * rules and boxes are (docs/accessibility.md).
 */
#ifndef PLEDGE_PDFWRITE_H
#define PLEDGE_PDFWRITE_H

#include <stddef.h>

#include "../typeset/font.h"
#include "../typeset/pages.h"

/* The page entry naming the endorsement area (see pledge_page_area()). */
#define PLEDGE_PDF_AREA_KEY "PledgeEndorsementArea"

typedef struct {
    const char *title;
    const char *author;
    const char *subject;
    const char *keywords;       /* may be NULL */
    const char *creator;        /* "pledge 0.1.0" */
    long long epoch;            /* CreationDate and ModDate, UTC */
    const unsigned char *inputs; /* NULL, or what the pledge was made
                                   from, kept as /PledgeInputs (a
                                   literal string) so it can be made
                                   again */
    size_t inputs_len;
    const unsigned char *seal;  /* NULL, or the payload of the seal the
                                   signature page shows, kept as
                                   /PledgeSeal (a hex string) */
    size_t seal_len;
    const char *language;       /* BCP 47, e.g. "en-US"; NULL: en-US */
    const char *signature_of;   /* NULL, or who will sign the document:
                                   the structure tree then holds the Form
                                   element of the signature field the
                                   signing update adds (see tag_form) */
} pledge_pdf_info;

/* The font programs recently embedded, compressed, so that pledges of one
 * batch, whose subsets are mostly the same, compress each once.  A cache
 * belongs to one thread. */
typedef struct pledge_pdf_cache pledge_pdf_cache;

/* An empty cache.  On error returns -1 and leaves *out untouched.
 * The caller frees *out with pledge_pdf_cache_free(). */
int pledge_pdf_cache_new(pledge_pdf_cache **out, pledge_err *err);
void pledge_pdf_cache_free(pledge_pdf_cache *cache);

/* pledge_pdf_write() with a cache (NULL: none).
 * The caller frees *out with free(). */
int pledge_pdf_write_cached(pledge_pdf_cache *cache,
                            const pledge_pages *pages,
                            pledge_font *const fonts[PLEDGE_STYLE_COUNT],
                            const pledge_pdf_info *info, unsigned char **out,
                            size_t *len, pledge_err *err);

/* The version of the compressor (libdeflate) the writer was built with:
 * its output decides the bytes of every compressed stream, so a pledge
 * records it. */
const char *pledge_pdf_deflate_version(void);

/* Writes pages as a PDF into a malloc'd buffer, using fonts[style] for
 * each text item.  On error returns -1 and leaves *out untouched.
 * The caller frees *out with free(). */
int pledge_pdf_write(const pledge_pages *pages,
                     pledge_font *const fonts[PLEDGE_STYLE_COUNT],
                     const pledge_pdf_info *info, unsigned char **out,
                     size_t *len, pledge_err *err);

/* The advance widths, in thousandths of the size, of codes 0..255 of the
 * standard font named font ("Helvetica", "Helvetica-Bold") in
 * WinAnsiEncoding, as libharu's metrics give them; control codes 0.
 * Returns 0, or -1 with err set. */
int pledge_pdf_base14_widths(const char *font, unsigned short widths[256],
                             pledge_err *err);

#endif
