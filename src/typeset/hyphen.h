/* hyphen.h - where a word may be hyphenated, from libhyphen patterns.
 *
 * Wraps libhyphen with the hyphen-en-us (TeX-derived) patterns.  Like TeX
 * it leaves at least two letters before and three after a hyphen, and
 * leaves alone words that already hold a hyphen, digits or capitals-only
 * acronyms.
 */
#ifndef PLEDGE_HYPHEN_H
#define PLEDGE_HYPHEN_H

#include <stddef.h>

#include "../pledge.h"

typedef struct pledge_hyphenator pledge_hyphenator;

/* Loads a libhyphen .dic pattern file.  On error returns -1 naming the file
 * and leaves *out untouched.  The caller frees *out with
 * pledge_hyphen_close(). */
int pledge_hyphen_open(pledge_hyphenator **out, const char *dic_path,
                       pledge_err *err);

/* Loads from a libhyphen .dic pattern file only what the words of
 * texts[0..ntexts) need (UTF-8, NUL-terminated; NULL texts are skipped;
 * no word runs from one text into the next).  For every word of the
 * texts, pledge_hyphen_points() then finds exactly what it finds with
 * every pattern (pledge_hyphen_open()); other words may get fewer or
 * other points.  A word of the texts is any stretch of them between
 * spaces, spelt as the texts spell it: text with combining marks, or in
 * a script other than Latin, Greek or Cyrillic, which a font may compose
 * or a shaper reorder, gets every pattern.  The words of a layout need
 * some 700 of hyph_en_US.dic's 11,000 patterns.  On error returns -1
 * naming the file and leaves *out untouched.  The caller frees *out with
 * pledge_hyphen_close(). */
int pledge_hyphen_open_for(pledge_hyphenator **out, const char *dic_path,
                           const char *const *texts, size_t ntexts,
                           pledge_err *err);

void pledge_hyphen_close(pledge_hyphenator *hy);

/* Finds the hyphenation points of word[0..len) (UTF-8, one word, no
 * spaces).  Writes up to max byte offsets into offsets, ascending: a hyphen
 * may go between word[offsets[i]-1] and word[offsets[i]].  Returns the
 * number of points found (0 for a word not to be hyphenated). */
size_t pledge_hyphen_points(const pledge_hyphenator *hy, const char *word,
                            size_t len, size_t *offsets, size_t max);

#endif
