/* sha256.h - SHA-256 of a buffer, with the CPU's SHA extensions where it
 * has them.
 *
 * libsodium's SHA-256 is portable C, some 50 instructions a byte: a
 * batch spent a fourteenth of its time hashing its pledges for the
 * manifest.  An x86-64 CPU with the SHA extensions (Intel since Goldmont
 * and Ice Lake, AMD since Zen) does it in a few cycles a byte; any other
 * CPU gets libsodium's.  The digest is the same either way.
 */
#ifndef PLEDGE_UTIL_SHA256_H
#define PLEDGE_UTIL_SHA256_H

#include <stddef.h>

#define PLEDGE_SHA256_BYTES 32

void pledge_sha256(const unsigned char *p, size_t len,
                   unsigned char out[PLEDGE_SHA256_BYTES]);

/* The same digest as 64 lowercase hex digits and a NUL. */
void pledge_sha256_hex(const unsigned char *p, size_t len, char out[65]);

#endif
