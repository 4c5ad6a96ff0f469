/* utf8.h - strict UTF-8 decoding, for checking what users type. */
#ifndef PLEDGE_UTF8_H
#define PLEDGE_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* Decodes the code point at s[*i] (s has len bytes) and advances *i.
 * Rejects overlong forms, surrogates and values past U+10FFFF.  Returns 0,
 * or -1 at invalid UTF-8 with *i unchanged. */
int pledge_utf8_next(const char *s, size_t len, size_t *i, uint32_t *cp);

#endif
