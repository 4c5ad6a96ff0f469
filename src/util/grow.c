#include "grow.h"

#include <stdint.h>
#include <stdlib.h>

void *pledge_grow(void *arr, size_t *cap, size_t need, size_t size)
{
    size_t ncap;
    void *q;

    if (need <= *cap && arr != NULL)
        return arr;
    ncap = *cap != 0 ? *cap : PLEDGE_GROW_MIN;
    while (ncap < need) {
        if (ncap > SIZE_MAX / 2)
            return NULL;
        ncap *= 2;
    }
    if (ncap > SIZE_MAX / size)
        return NULL;
    q = realloc(arr, ncap * size);
    if (q != NULL)
        *cap = ncap;
    return q;
}
