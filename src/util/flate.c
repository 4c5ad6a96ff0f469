/* flate.c - a zlib stream whose bytes depend on its input alone (flate.h). */
#include "flate.h"

#include <stdint.h>
#include <stdlib.h>

#define WINDOW 32768
#define MIN_MATCH 3
#define MAX_MATCH 258
#define HASH_BITS 15
#define NIL SIZE_MAX

/* RFC 1951 3.2.5: length codes 257..285 and distance codes 0..29. */
static const uint16_t len_base[29] = {
    3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31,
    35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258
};
static const uint8_t len_extra[29] = {
    0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2,
    3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0
};
static const uint16_t dist_base[30] = {
    1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193,
    257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289,
    16385, 24577
};
static const uint8_t dist_extra[30] = {
    0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6,
    7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13
};

typedef struct {
    unsigned char *p;
    size_t len;
    uint32_t acc;               /* bits not yet whole bytes, first in bit 0 */
    unsigned nacc;
} bits;

/* count bits of v, least significant first: extra bits and headers. */
static void put_bits(bits *b, uint32_t v, unsigned count)
{
    b->acc |= v << b->nacc;
    b->nacc += count;
    while (b->nacc >= 8) {
        b->p[b->len++] = (unsigned char)b->acc;
        b->acc >>= 8;
        b->nacc -= 8;
    }
}

/* A Huffman code of count bits: its most significant bit goes first. */
static void put_code(bits *b, uint32_t code, unsigned count)
{
    uint32_t r = 0;
    unsigned i;

    for (i = 0; i < count; i++)
        r |= ((code >> i) & 1u) << (count - 1 - i);
    put_bits(b, r, count);
}

/* Symbol 0..287 of the fixed literal/length code (RFC 1951 3.2.6). */
static void put_symbol(bits *b, unsigned s)
{
    if (s < 144)
        put_code(b, 0x30 + s, 8);
    else if (s < 256)
        put_code(b, 0x190 + (s - 144), 9);
    else if (s < 280)
        put_code(b, s - 256, 7);
    else
        put_code(b, 0xc0 + (s - 280), 8);
}

static void put_match(bits *b, size_t len, size_t dist)
{
    unsigned c = 28, d = 29;

    while (len_base[c] > len)
        c--;
    put_symbol(b, 257 + c);
    put_bits(b, (uint32_t)(len - len_base[c]), len_extra[c]);
    while (dist_base[d] > dist)
        d--;
    put_code(b, d, 5);
    put_bits(b, (uint32_t)(dist - dist_base[d]), dist_extra[d]);
}

static unsigned hash3(const unsigned char *s)
{
    return ((unsigned)s[0] << 10 ^ (unsigned)s[1] << 5 ^ s[2]) &
           ((1u << HASH_BITS) - 1);
}

int pledge_flate_fixed(const unsigned char *in, size_t n,
                       unsigned char **out, size_t *outlen)
{
    size_t *head = NULL, *prev = NULL, i = 0, k;
    uint32_t s1 = 1, s2 = 0;
    bits b = { NULL, 0, 0, 0 };

    /* 9 bits a literal at worst, the header, the block's end, Adler-32. */
    b.p = malloc(n + n / 8 + 16);
    head = malloc(sizeof *head << HASH_BITS);
    prev = malloc((n > 0 ? n : 1) * sizeof *prev);
    if (b.p == NULL || head == NULL || prev == NULL)
        goto fail;
    for (k = 0; k < (size_t)1 << HASH_BITS; k++)
        head[k] = NIL;

    b.p[b.len++] = 0x78;
    b.p[b.len++] = 0x01;
    put_bits(&b, 1, 1);                         /* BFINAL */
    put_bits(&b, 1, 2);                         /* BTYPE 01: fixed codes */
    while (i < n) {
        size_t best = 0, dist = 0, j, step;

        if (n - i >= MIN_MATCH) {
            size_t max = n - i < MAX_MATCH ? n - i : MAX_MATCH;

            /* Nearest first, so a longer match alone replaces the best. */
            for (j = head[hash3(in + i)]; j != NIL && i - j <= WINDOW;
                 j = prev[j]) {
                size_t l = 0;

                while (l < max && in[j + l] == in[i + l])
                    l++;
                if (l > best) {
                    best = l;
                    dist = i - j;
                    if (l == max)
                        break;
                }
            }
        }
        if (best < MIN_MATCH) {
            put_symbol(&b, in[i]);
            step = 1;
        } else {
            put_match(&b, best, dist);
            step = best;
        }
        /* Every position goes into the chains, a match's inner ones too. */
        for (k = 0; k < step; k++, i++) {
            if (n - i >= MIN_MATCH) {
                unsigned h = hash3(in + i);

                prev[i] = head[h];
                head[h] = i;
            }
        }
    }
    put_symbol(&b, 256);
    if (b.nacc > 0)
        put_bits(&b, 0, 8 - b.nacc);            /* to a whole byte */

    for (k = 0; k < n; k++) {
        s1 = (s1 + in[k]) % 65521;
        s2 = (s2 + s1) % 65521;
    }
    b.p[b.len++] = (unsigned char)(s2 >> 8);
    b.p[b.len++] = (unsigned char)s2;
    b.p[b.len++] = (unsigned char)(s1 >> 8);
    b.p[b.len++] = (unsigned char)s1;
    free(head);
    free(prev);
    *out = b.p;
    *outlen = b.len;
    return 0;

fail:
    free(b.p);
    free(head);
    free(prev);
    return -1;
}
