/* grow.h - room in growable arrays.
 *
 * An array grown only by pledge_grow() has a capacity of PLEDGE_GROW_MIN
 * elements doubled some number of times, so code that keeps no capacity
 * field can recompute it from the element count (see doc.c).
 */
#ifndef PLEDGE_UTIL_GROW_H
#define PLEDGE_UTIL_GROW_H

#include <stddef.h>

#define PLEDGE_GROW_MIN 16      /* elements: the first capacity given */

/* Returns arr with room for need elements of size (> 0) bytes: arr itself
 * when *cap already holds need and arr is not NULL, else arr moved by
 * realloc() to the capacity that doubling *cap (or PLEDGE_GROW_MIN when 0)
 * first makes at least need, with *cap set to it.  Never returns NULL on
 * success, even for need 0.  When out of memory or when the size in bytes
 * would overflow, returns NULL and leaves arr valid and untouched and *cap
 * unchanged.  The caller frees the array with free(). */
void *pledge_grow(void *arr, size_t *cap, size_t need, size_t size);

#endif
