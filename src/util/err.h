/* err.h - the error record every library call fills in on failure.
 *
 * The library never prints: a failing call returns -1 and leaves a one-line
 * message here that names the action and the file ("read roster.csv line 14:
 * expected 4 fields, found 3").  The CLI prefixes "pledge: " and prints it.
 */
#ifndef PLEDGE_UTIL_ERR_H
#define PLEDGE_UTIL_ERR_H

#include "../pledge.h"

/* Sets err->msg from a printf-style format.  err may be NULL.  Returns -1 so
 * that callers can write `return pledge_err_set(err, ...);`. */
int pledge_err_set(pledge_err *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Prefixes the message already in err with a printf-style context and ": ",
 * so that a low-level "expected 4 fields" becomes "read x.csv: expected ...".
 * Returns -1. */
int pledge_err_prefix(pledge_err *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
