/* minisig.h - signatures in minisign's format, prehashed ("ED").
 *
 * A signature file is four lines, each ending in "\n":
 *
 *     untrusted comment: <text>
 *     base64("ED" || key id (8) || Ed25519(BLAKE2b-512(message)) (64))
 *     trusted comment: <text>
 *     base64(Ed25519(signature (64) || trusted comment text))
 *
 * `minisign -V` verifies these, so a pledge signature can be checked
 * without our code.  Only the prehashed form is made or accepted: the
 * legacy "Ed" form signs the raw message, which we never do.
 */
#ifndef PLEDGE_SIGN_MINISIG_H
#define PLEDGE_SIGN_MINISIG_H

#include <stddef.h>

#include "key.h"

#define PLEDGE_MINISIG_HASH_BYTES 64

/* minisign reads trusted comments of up to 8191 bytes and untrusted ones
 * of up to 1023 bytes including their prefixes; we stay well inside. */
#define PLEDGE_MINISIG_TRUSTED_MAX 4096
#define PLEDGE_MINISIG_UNTRUSTED_MAX 512

typedef struct {
    unsigned char id[PLEDGE_KEY_ID_BYTES];
    unsigned char sig[PLEDGE_KEY_SIG_BYTES];
    unsigned char global[PLEDGE_KEY_SIG_BYTES];
    char trusted[PLEDGE_MINISIG_TRUSTED_MAX + 1];   /* NUL-terminated */
} pledge_minisig;

/* Streaming BLAKE2b-512, the prehash: init, feed every part of the
 * message, final. */
typedef struct {
    unsigned char state[384] __attribute__((aligned(64)));
} pledge_minisig_hasher;

void pledge_minisig_hash_init(pledge_minisig_hasher *h);
void pledge_minisig_hash_update(pledge_minisig_hasher *h,
                                const unsigned char *p, size_t len);
void pledge_minisig_hash_final(pledge_minisig_hasher *h,
                               unsigned char out[PLEDGE_MINISIG_HASH_BYTES]);

/* The prehash of every byte of data[0..len) except the gap
 * [gap_start, gap_end) (gap_start <= gap_end <= len): the bytes a PDF
 * signature covers.  An empty gap (len, len) hashes the whole file. */
void pledge_minisig_hash_gap(const unsigned char *data, size_t len,
                             size_t gap_start, size_t gap_end,
                             unsigned char out[PLEDGE_MINISIG_HASH_BYTES]);

/* The exact length of the text pledge_minisig_sign() makes for these
 * comments, so a caller can reserve room before signing. */
size_t pledge_minisig_text_length(const char *untrusted, const char *trusted);

/* Signs the message whose prehash is hash, with the given comments (no
 * line breaks, within the limits above), into a malloc'd text of exactly
 * pledge_minisig_text_length() bytes (not NUL-terminated).  On error
 * returns -1 and leaves *out untouched.
 * The caller frees *out with free(). */
int pledge_minisig_sign(const pledge_seckey *sk,
                        const unsigned char hash[PLEDGE_MINISIG_HASH_BYTES],
                        const char *untrusted, const char *trusted,
                        char **out, size_t *len, pledge_err *err);

/* Parses a signature file strictly: exactly the four lines above, "\n"
 * line ends (a final "\r\n" pair is not accepted), nothing after.  On
 * error returns -1 with the reason and leaves *out untouched. */
int pledge_minisig_parse(const char *text, size_t len, pledge_minisig *out,
                         pledge_err *err);

/* Checks ms against pk and the message's prehash: the key ids match, the
 * signature is good and the trusted comment is the one signed.  Returns 0,
 * or -1 with the reason in err. */
int pledge_minisig_verify(const pledge_minisig *ms, const pledge_pubkey *pk,
                          const unsigned char hash[PLEDGE_MINISIG_HASH_BYTES],
                          pledge_err *err);

#endif
