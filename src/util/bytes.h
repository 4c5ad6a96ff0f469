/* bytes.h - a growing byte buffer for writing PDF syntax by hand. */
#ifndef PLEDGE_UTIL_BYTES_H
#define PLEDGE_UTIL_BYTES_H

#include <stddef.h>

/* Zero it to start.  A write that runs out of memory (or a formatted
 * piece longer than 511 bytes) sets failed and every later write does
 * nothing, so a writer checks once at the end.  p always has room for a
 * NUL after len bytes, not written.  The caller frees p with free(). */
typedef struct {
    unsigned char *p;
    size_t len, cap;
    int failed;
} pledge_bytes;

void pledge_bytes_put(pledge_bytes *b, const void *s, size_t n);

void pledge_bytes_printf(pledge_bytes *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
