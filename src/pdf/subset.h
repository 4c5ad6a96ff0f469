/* subset.h - cut a TrueType font down to the glyphs a document uses.
 *
 * libharu would embed nearly the whole font; HarfBuzz's hb-subset keeps
 * only the glyphs shown and those of the given code points (and the
 * components and tables they need), so a pledge is tens of KB.
 */
#ifndef PLEDGE_SUBSET_H
#define PLEDGE_SUBSET_H

#include <stddef.h>
#include <stdint.h>

#include "../typeset/font.h"

/* Subsets font to the code points cps[0..n) and returns the new font file
 * in a malloc'd buffer.  On error returns -1 and leaves *out untouched.
 * The caller frees *out with free(). */
int pledge_subset_font(const pledge_font *font, const uint32_t *cps, size_t n,
                       unsigned char **out, size_t *len, pledge_err *err);

/* As pledge_subset_font(), keeping also the glyphs gids[0..ngids) (which
 * no code point need map to: ligatures, marks the font composes), and
 * setting newgids[i] to the id gids[i] has in the subset. */
int pledge_subset_glyphs(const pledge_font *font, const uint32_t *cps,
                         size_t n, const uint32_t *gids, uint32_t *newgids,
                         size_t ngids, unsigned char **out, size_t *len,
                         pledge_err *err);

/* The font file ttf[0..len) with only the tables a PDF reader uses of a
 * CIDFontType2 program (ISO 32000-1 9.9: glyf, head, hhea, hmtx, loca,
 * maxp, and cvt, fpgm, prep when present): the cmap, name, OS/2 and
 * post tables libharu reads the font by are of no use in the file, and
 * leaving them out saves about a tenth of each program.  On error (not a
 * TrueType file, out of memory) returns -1 and leaves *out untouched.
 * The caller frees *out with free(). */
int pledge_subset_embeddable(const unsigned char *ttf, size_t len,
                             unsigned char **out, size_t *outlen,
                             pledge_err *err);

#endif
