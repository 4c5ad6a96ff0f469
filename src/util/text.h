/* text.h - showing untrusted text safely, and refusing what cannot be shown.
 *
 * A file name, a claim field or a key's comment may hold bytes that drive
 * a terminal (ESC, CR), invalid UTF-8, or invisible characters that change
 * how the rest reads (bidi overrides, zero-width spaces).  Whatever pledge
 * prints from outside goes through pledge_text_escape(); names, credentials
 * and IDs pledge writes into a pledge must pass pledge_text_check().
 */
#ifndef PLEDGE_UTIL_TEXT_H
#define PLEDGE_UTIL_TEXT_H

#include <stddef.h>
#include <stdint.h>

#include "../pledge.h"

/* 1 if cp must never be shown as itself: C0 and C1 controls, DEL, and the
 * invisible format characters that reorder or hide text (U+061C, U+200B
 * to U+200F, U+2028 to U+202E, U+2060 to U+206F, U+FEFF, U+FFF9 to
 * U+FFFB, U+00AD). */
int pledge_text_is_hidden(uint32_t cp);

/* The Unicode name of a hidden cp ("RIGHT-TO-LEFT OVERRIDE"), or a
 * generic description; a static string. */
const char *pledge_text_char_name(uint32_t cp);

/* Writes s to out (cap bytes, always NUL-terminated when cap > 0) so that
 * every byte of it shows: printable ASCII and valid UTF-8 as themselves, a
 * backslash as "\\", other bytes below 0x80 and every byte of invalid
 * UTF-8 as "\xNN", and hidden characters as "\uNNNN".  Returns the length
 * the whole escape needs (without the NUL), as snprintf() does: at most 4
 * times strlen(s). */
size_t pledge_text_escape(char *out, size_t cap, const char *s);

/* Checks a name, credentials or ID written into a pledge: valid UTF-8, no
 * hidden character, no leading or trailing space and no run of two or more
 * spaces.  On error returns -1 with "FIELD holds U+202E (RIGHT-TO-LEFT
 * OVERRIDE), which is not allowed" (or says what is wrong with the UTF-8 or
 * the spaces).  An empty s passes. */
int pledge_text_check(const char *field, const char *s, pledge_err *err);

/* The same without the rules on spaces: for text pledge shows but did not
 * take from a person's record (a signer's name, a layout's title). */
int pledge_text_check_chars(const char *field, const char *s,
                            pledge_err *err);

/* 1 when s is exactly a date YYYY-MM-DD with a month 01-12 and a day
 * 01-31, else 0: the one spelling of a day in every pledge record. */
int pledge_is_date(const char *s);

#endif
