/* base64.c - strict base64 (see base64.h). */
#include "base64.h"

/* The value of base64 character c, or -1. */
static int b64_value(unsigned char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '+')
        return 62;
    if (c == '/')
        return 63;
    return -1;
}

int pledge_base64_decode(const char *in, size_t len, unsigned char *out,
                         size_t want)
{
    const unsigned char *p = (const unsigned char *)in;
    size_t i, o = 0, tail = want % 3, full = want / 3 * 4;
    unsigned long acc;
    int k, v;

    if (len != PLEDGE_BASE64_LEN(want))
        return -1;
    for (i = 0; i < len; i += 4) {
        /* The last group of a length not a multiple of 3 carries 2 or 3
         * characters, then 2 or 1 '='. */
        int chars = i < full ? 4 : (int)tail + 1;

        acc = 0;
        for (k = 0; k < 4; k++) {
            if (k >= chars) {
                if (p[i + k] != '=')
                    return -1;
                acc <<= 6;
                continue;
            }
            if ((v = b64_value(p[i + k])) < 0)
                return -1;
            acc = acc << 6 | (unsigned long)v;
        }
        if (chars < 4 && (acc & (chars == 2 ? 0xffffUL : 0xffUL)) != 0)
            return -1;
        for (k = 0; k < chars - 1; k++)
            out[o++] = (unsigned char)(acc >> (16 - 8 * k) & 0xff);
    }
    return o == want ? 0 : -1;
}
