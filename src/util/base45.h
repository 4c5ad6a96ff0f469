/* base45.h - base45 (RFC 9285): bytes as text in QR's alphanumeric set.
 *
 * Two bytes become three characters, a last single byte two, each group
 * least significant digit first.  The decoder is strict, so each byte
 * string has exactly one spelling: only the 45 characters of the
 * alphabet (upper case), no group of three worth more than 65535 nor of
 * two more than 255, and no single character left over.
 */
#ifndef PLEDGE_UTIL_BASE45_H
#define PLEDGE_UTIL_BASE45_H

#include <stddef.h>

/* The length of the base45 of n bytes, without a NUL. */
#define PLEDGE_BASE45_LEN(n) ((n) / 2 * 3 + (n) % 2 * 2)

/* Writes the base45 of in (len bytes) to out, which has room for
 * PLEDGE_BASE45_LEN(len) characters and a NUL. */
void pledge_base45_encode(const unsigned char *in, size_t len, char *out);

/* Decodes in (len characters) into out (cap bytes), setting *outlen.
 * Returns 0; -1 for anything not in the one canonical spelling, or a
 * result longer than cap (out may then hold part of it). */
int pledge_base45_decode(const char *in, size_t len, unsigned char *out,
                         size_t cap, size_t *outlen);

#endif
