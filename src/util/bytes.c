/* bytes.c - a growing byte buffer (bytes.h). */
#include "bytes.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "grow.h"

void pledge_bytes_put(pledge_bytes *b, const void *s, size_t n)
{
    unsigned char *np;

    if (b->failed)
        return;
    np = pledge_grow(b->p, &b->cap, b->len + n + 1, 1);
    if (np == NULL) {
        b->failed = 1;
        return;
    }
    b->p = np;
    memcpy(b->p + b->len, s, n);
    b->len += n;
}

void pledge_bytes_printf(pledge_bytes *b, const char *fmt, ...)
{
    char tmp[512];
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= sizeof tmp)
        b->failed = 1;
    else
        pledge_bytes_put(b, tmp, (size_t)n);
}
