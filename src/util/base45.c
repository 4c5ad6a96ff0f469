/* base45.c - RFC 9285 base45 (see base45.h). */
#include "base45.h"

#include <string.h>

static const char alphabet[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";

void pledge_base45_encode(const unsigned char *in, size_t len, char *out)
{
    size_t i;
    unsigned v;

    for (i = 0; i + 1 < len; i += 2) {
        v = (unsigned)in[i] << 8 | in[i + 1];
        *out++ = alphabet[v % 45];
        *out++ = alphabet[v / 45 % 45];
        *out++ = alphabet[v / 2025];
    }
    if (i < len) {
        *out++ = alphabet[in[i] % 45];
        *out++ = alphabet[in[i] / 45];
    }
    *out = '\0';
}

/* The value of base45 digit c, or -1. */
static int digit(char c)
{
    const char *p;

    if (c == '\0' || (p = strchr(alphabet, c)) == NULL)
        return -1;
    return (int)(p - alphabet);
}

int pledge_base45_decode(const char *in, size_t len, unsigned char *out,
                         size_t cap, size_t *outlen)
{
    size_t i, n = 0, group;
    unsigned long v, scale;
    int d;

    if (len % 3 == 1)
        return -1;
    for (i = 0; i < len; i += group) {
        group = len - i >= 3 ? 3 : 2;
        v = 0;
        scale = 1;
        for (size_t k = 0; k < group; k++, scale *= 45) {
            if ((d = digit(in[i + k])) < 0)
                return -1;
            v += (unsigned long)d * scale;
        }
        if (v > (group == 3 ? 65535ul : 255ul) ||
            n + group - 1 > cap)
            return -1;
        if (group == 3)
            out[n++] = (unsigned char)(v >> 8);
        out[n++] = (unsigned char)(v & 0xff);
    }
    *outlen = n;
    return 0;
}
