/* font.h - one TrueType face: metrics, coverage and shaping.
 *
 * HarfBuzz reads the face and shapes it, so kerning comes from the font's
 * GPOS or kern table and combining marks sit where its mark and mkmk
 * features put them.  Shaping reports glyphs, each with the characters
 * (bytes of the shaped text) it stands for: one character, several for a
 * ligature, none for a further glyph of a character shown as several.
 * The PDF writer shows these glyphs as they are.
 */
#ifndef PLEDGE_FONT_H
#define PLEDGE_FONT_H

#include <stddef.h>
#include <stdint.h>

#include "../pledge.h"

typedef struct pledge_font pledge_font;

typedef struct {
    uint32_t cp;        /* the (first) code point this glyph shows */
    uint32_t gid;       /* glyph id in the full (unsubsetted) font */
    size_t offset;      /* byte offset of cp in the shaped text */
    size_t len;         /* bytes of text the glyph stands for, from
                           offset: its cluster; 0 for a glyph after the
                           first of one cluster */
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

/* The glyph the font's cmap gives cp, or 0 (.notdef) when none. */
uint32_t pledge_font_nominal_glyph(const pledge_font *font, uint32_t cp);

/* The first code point the font's cmap gives glyph gid (U+FB01 for the
 * fi ligature), or 0 when none does. */
uint32_t pledge_font_glyph_char(const pledge_font *font, uint32_t gid);

/* Vertical metrics in pt at size: ascender (positive), descender
 * (negative), cap height and x height. */
double pledge_font_ascender(const pledge_font *font, double size);
double pledge_font_descender(const pledge_font *font, double size);
double pledge_font_cap_height(const pledge_font *font, double size);
double pledge_font_x_height(const pledge_font *font, double size);

/* How pledge_font_shape_with() shapes: standard ligatures (liga) on,
 * kerning off (the glyphs at their nominal advances; marks are still
 * placed on their bases). */
#define PLEDGE_SHAPE_LIGATURES  1
#define PLEDGE_SHAPE_NO_KERNING 2

/* Shapes text[0..len) (valid UTF-8) at size pt with kerning, without
 * ligatures: pledge_font_shape_with(..., 0, ...).  On success
 * *glyphs holds *n glyphs in visual order.  A code point the font lacks is
 * an error naming it as U+XXXX.  On error returns -1 and leaves *glyphs
 * untouched.  The caller frees *glyphs with free(). */
int pledge_font_shape(pledge_font *font, const char *text, size_t len,
                      double size, pledge_glyph **glyphs, size_t *n,
                      pledge_err *err);

/* As pledge_font_shape(), with flags a set of PLEDGE_SHAPE_*. */
int pledge_font_shape_with(pledge_font *font, const char *text, size_t len,
                           double size, int flags, pledge_glyph **glyphs,
                           size_t *n, pledge_err *err);

/* The nominal advance of glyph gid in thousandths of an em, rounded: the
 * width a PDF font's /W gives it. */
int pledge_font_glyph_width(const pledge_font *font, uint32_t gid);

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

/* Width in pt of text[0..len) shaped without kerning or ligatures, as
 * the PDF writer draws a text item that has no glyphs of its own
 * (pledge_page_text()); 0 for text the font cannot shape. */
double pledge_font_shown_width(pledge_font *font, const char *text,
                               size_t len, double size);

#endif
