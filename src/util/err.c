#include "err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int pledge_err_set(pledge_err *err, const char *fmt, ...)
{
    va_list ap;

    if (err == NULL)
        return -1;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
    return -1;
}

int pledge_err_prefix(pledge_err *err, const char *fmt, ...)
{
    char head[sizeof err->msg];
    size_t hlen, tlen, room = sizeof err->msg - 1;
    va_list ap;

    if (err == NULL)
        return -1;
    va_start(ap, fmt);
    vsnprintf(head, sizeof head, fmt, ap);
    va_end(ap);
    hlen = strlen(head);
    if (hlen + 2 > room)
        hlen = room - 2;
    tlen = strnlen(err->msg, room);
    if (hlen + 2 + tlen > room)
        tlen = room - hlen - 2;
    /* The old message moves right to make room for the context. */
    memmove(err->msg + hlen + 2, err->msg, tlen);
    memcpy(err->msg, head, hlen);
    memcpy(err->msg + hlen, ": ", 2);
    err->msg[hlen + 2 + tlen] = '\0';
    return -1;
}
