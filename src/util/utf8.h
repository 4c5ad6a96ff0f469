/* utf8.h - strict UTF-8 decoding, for checking what users type, and
 * encoding. */
#ifndef PLEDGE_UTF8_H
#define PLEDGE_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* Decodes the code point at s[*i] (s has len bytes) and advances *i.
 * Rejects overlong forms, surrogates and values past U+10FFFF.  Returns 0,
 * or -1 at invalid UTF-8 with *i unchanged. */
int pledge_utf8_next(const char *s, size_t len, size_t *i, uint32_t *cp);

#define PLEDGE_UTF8_MAX 4       /* bytes in the longest sequence */

/* Writes the UTF-8 of cp, a Unicode scalar value (what pledge_utf8_next()
 * yields), to out, which has room for PLEDGE_UTF8_MAX bytes.  Returns the
 * number of bytes written, 1 to 4; no NUL is added. */
size_t pledge_utf8_encode(uint32_t cp, char *out);

#endif
