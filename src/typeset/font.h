/* font.h - one TrueType face: metrics, coverage and shaping.
 *
 * HarfBuzz reads the face and shapes it, so kerning comes from the font's
 * GPOS or kern table.  Ligatures are turned off and decomposed input is
 * composed first: every glyph shows exactly one code point, because the
 * PDF writer shows text by code point and must reproduce each glyph.
 */
#ifndef PLEDGE_FONT_H
#define PLEDGE_FONT_H

#include <stddef.h>
#include <stdint.h>

#include "../pledge.h"

typedef struct pledge_font pledge_font;

typedef struct {
    uint32_t cp;        /* the code point this glyph shows */
    uint32_t gid;       /* glyph id in the full (unsubsetted) font */
    size_t offset;      /* byte offset of cp in the shaped text */
    double advance;     /* pt at the shaped size, kerning included */
    double kern;        /* advance minus the glyph's nominal advance */
    double dx, dy;      /* pt: where GPOS puts the glyph (a mark on its
                           base) from the pen position, y up */
} pledge_glyph;

/* Opens a TrueType (glyf) font file.  On error returns -1 naming the file
 * and leaves *out untouched.
 * The caller frees *out with pledge_font_close(). */
int pledge_font_open(pledge_font **out, const char *path, pledge_err *err);
void pledge_font_close(pledge_font *font);

/* The font file's bytes, as mapped when it was opened, and their number
 * in *len.  They belong to the font. */
const unsigned char *pledge_font_bytes(const pledge_font *font, size_t *len);

/* The path the font was opened from.  Belongs to the font. */
const char *pledge_font_path(const pledge_font *font);

/* The version of the shaping library (HarfBuzz) running here: shaping
 * decides every glyph's place, so a pledge records it. */
const char *pledge_font_shaper_version(void);

/* The HarfBuzz face of the font, for subsetting.  Belongs to the font. */
struct hb_face_t *pledge_font_face(const pledge_font *font);

/* 1 when the font has a glyph for cp, else 0. */
int pledge_font_has(const pledge_font *font, uint32_t cp);

/* Vertical metrics in pt at size: ascender (positive), descender
 * (negative), cap height and x height. */
double pledge_font_ascender(const pledge_font *font, double size);
double pledge_font_descender(const pledge_font *font, double size);
double pledge_font_cap_height(const pledge_font *font, double size);
double pledge_font_x_height(const pledge_font *font, double size);

/* Shapes text[0..len) (valid UTF-8) at size pt with kerning.  On success
 * *glyphs holds *n glyphs in visual order.  A code point the font lacks is
 * an error naming it as U+XXXX.  On error returns -1 and leaves *glyphs
 * untouched.  The caller frees *glyphs with free(). */
int pledge_font_shape(pledge_font *font, const char *text, size_t len,
                      double size, pledge_glyph **glyphs, size_t *n,
                      pledge_err *err);

/* The code points text[0..len) (valid UTF-8) shows as glyphs, one per
 * glyph in logical order: what pledge_font_shape() reports as each
 * glyph's cp, canonical sequences the font has precomposed being
 * composed.  A code point the font lacks is an error naming it as U+XXXX.
 * On error returns -1 and leaves *cps untouched.
 * The caller frees *cps with free(). */
int pledge_font_codepoints(pledge_font *font, const char *text, size_t len,
                           uint32_t **cps, size_t *n, pledge_err *err);

/* Width in pt of text[0..len) at size, kerning included; 0 for text the
 * font cannot shape. */
double pledge_font_width(pledge_font *font, const char *text, size_t len,
                         double size);

/* Width in pt of text[0..len) shown at the glyphs' nominal advances, as
 * pledge_page_text() draws a string: kerning not applied; 0 for text the
 * font cannot shape. */
double pledge_font_shown_width(pledge_font *font, const char *text,
                               size_t len, double size);

#endif
