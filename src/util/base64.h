/* base64.h - strict base64 (RFC 4648 section 4, with padding).
 *
 * libsodium 1.0.18's sodium_base642bin() reads every byte from 0x80 to
 * 0xff as '/', so a signature or key would have many spellings, each a
 * different file that still checks out.  This decoder accepts exactly one
 * spelling of each value: the 64-character alphabet, '=' padding exactly
 * where the length needs it, no other byte (no white space), and zero in
 * the bits the last character carries beyond the data.
 */
#ifndef PLEDGE_UTIL_BASE64_H
#define PLEDGE_UTIL_BASE64_H

#include <stddef.h>

/* The length of the base64 of n bytes, without a NUL. */
#define PLEDGE_BASE64_LEN(n) (((n) + 2) / 3 * 4)

/* Decodes in (len bytes) into out, which must come to exactly want bytes
 * written in their one canonical spelling.  Returns 0, or -1 (out may
 * hold part of the data) for anything else. */
int pledge_base64_decode(const char *in, size_t len, unsigned char *out,
                         size_t want);

#endif
