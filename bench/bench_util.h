/* bench_util.h - what the bench programs share: where the data is, the
 * timestamp a pledge of a date gets, and a monotonic clock. */
#ifndef PLEDGE_BENCH_UTIL_H
#define PLEDGE_BENCH_UTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The data directory holding fonts/: $PLEDGE_DATADIR, else the source
 * tree this was built from, as the CLI does. */
static inline const char *bench_datadir(void)
{
    const char *env = getenv("PLEDGE_DATADIR");

    if (env != NULL && *env != '\0')
        return env;
#ifdef PLEDGE_SRCDIR
    return PLEDGE_SRCDIR;
#else
    return ".";
#endif
}

/* Midnight UTC of a YYYY-MM-DD date: the document timestamp the CLI gives
 * a pledge of that date. */
static inline long long bench_date_epoch(const char *iso)
{
    struct tm tm;
    int y, mo, d;

    if (sscanf(iso, "%4d-%2d-%2d", &y, &mo, &d) != 3)
        return 0;
    memset(&tm, 0, sizeof tm);
    tm.tm_year = y - 1900;
    tm.tm_mon = mo - 1;
    tm.tm_mday = d;
    return (long long)timegm(&tm);
}

/* Microseconds on the monotonic clock. */
static inline double bench_now_us(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

#endif
