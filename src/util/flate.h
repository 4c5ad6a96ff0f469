/* flate.h - a zlib stream whose bytes depend on its input alone.
 *
 * A verifier that draws an endorsement panel again compares its bytes
 * with the file's; a general compressor's output changes with its
 * version, so the panel is compressed by this coder, whose every choice
 * is fixed here and in docs/signature-format.md:
 *
 *   - a zlib header 78 01, then one final deflate block with the fixed
 *     Huffman codes (RFC 1951 3.2.6), then the Adler-32 of the input;
 *   - greedy matching: at each position the longest earlier match of 3
 *     to 258 bytes that starts at most 32,768 bytes back, the nearest of
 *     equal length; a literal where there is none; after a match the
 *     next position is the one after it.
 *
 * It compresses less than zlib at level 9 (about a tenth more bytes on a
 * panel), and is meant for small inputs: its search is exhaustive.
 */
#ifndef PLEDGE_UTIL_FLATE_H
#define PLEDGE_UTIL_FLATE_H

#include <stddef.h>

/* The stream for in[0, n) into *out, *outlen.  Returns 0, or -1 when
 * out of memory, leaving *out untouched.
 * The caller frees *out with free(). */
int pledge_flate_fixed(const unsigned char *in, size_t n,
                       unsigned char **out, size_t *outlen);

#endif
