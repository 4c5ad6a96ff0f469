/* slug.h - a safe, stable file name for one pledge of a batch. */
#ifndef PLEDGE_BATCH_SLUG_H
#define PLEDGE_BATCH_SLUG_H

#include <stddef.h>

#define PLEDGE_SLUG_MAX 64      /* bytes, with the NUL */
#define PLEDGE_SLUG_NAME_MAX 48 /* characters of the name part */

/* Writes a file name stem for row's pledge into out, such as
 * "0007-nguyen-thi-minh-khai": the row number zero-padded to at least 4
 * digits, '-', then name folded to lowercase ASCII letters and digits.
 * Letters lose their diacritics (by canonical decomposition); ß, æ, ø, đ,
 * ł, þ, œ and their kind become ss, ae, o, d, l, th, oe; Greek and
 * Cyrillic letters are transliterated (Greek after ELOT 743, Cyrillic as
 * ICAO 9303 does for passports); apostrophes vanish ("O'Brien" gives
 * "obrien"); every other run of characters, bytes that are not UTF-8
 * included, becomes one '-', never leading or trailing.  The name part is
 * at most PLEDGE_SLUG_NAME_MAX characters (fewer for a row number of more
 * than 14 digits), cut at a '-' when one is in its second half; a name
 * with nothing left, or a NULL name, gives "pledge".
 *
 * So out matches [0-9]{4,}-[a-z0-9]+(-[a-z0-9]+)*: it cannot name another
 * directory, a hidden file or a device, and it starts with row's own
 * digits, so two rows never share a stem; the same row and name always
 * give the same one. */
void pledge_slug(size_t row, const char *name, char out[PLEDGE_SLUG_MAX]);

#endif
