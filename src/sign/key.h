/* key.h - Ed25519 key pairs in minisign's file formats.
 *
 * A public key file is a comment line and the base64 of "Ed" + key id (8
 * bytes, little-endian) + public key (32).  A secret key file is a comment
 * line and the base64 of "Ed" + KDF ("Sc" scrypt, or two zero bytes for
 * none) + "B2" + salt (32) + opslimit (u64 LE) + memlimit (u64 LE) + key id
 * (8) + secret key (64) + BLAKE2b-256 checksum of "Ed" || id || secret key;
 * the last 104 bytes are XORed with an scrypt stream when encrypted.  Files
 * written here are read by minisign 0.11 and the other way round.
 *
 * The comment lines may name the key's signer, the person or association
 * whose key it is: "untrusted comment: minisign public key <ID>; signer:
 * <NAME>" (and "minisign encrypted secret key; signer: <NAME>").  minisign
 * ignores comment text, so such files stay minisign's; a verifier shows
 * the name its own copy of the public key records.
 *
 * The secret key lives in sodium_malloc() memory that is inaccessible
 * (sodium_mprotect_noaccess) except inside the calls below, so a stray read
 * faults instead of leaking it.
 */
#ifndef PLEDGE_SIGN_KEY_H
#define PLEDGE_SIGN_KEY_H

#include <stddef.h>

#include "../pledge.h"

#define PLEDGE_KEY_SIG_BYTES 64

/* Parses a public key: the two-line file text, or the bare base64 line as
 * `minisign -P` takes it.  signer, unless NULL, is a buffer of
 * PLEDGE_SIGNER_BYTES that gets the signer the comment names, or "" when it
 * names none (a bare line, a key made by minisign); a named signer that
 * fails pledge_key_check_signer() is an error.  On error returns -1 and
 * leaves *pk and signer untouched. */
int pledge_key_parse_public(const char *text, size_t len, pledge_pubkey *pk,
                            char *signer, pledge_err *err);

/* The base64 line of a public key file ("Ed" || key ID || key), as
 * `minisign -P` takes it: 56 characters and a NUL. */
#define PLEDGE_KEY_LINE_BYTES 57
void pledge_key_public_line(const pledge_pubkey *pk,
                            char out[PLEDGE_KEY_LINE_BYTES]);

/* Signs msg with sk (a detached Ed25519 signature).  Returns 0, or -1 with
 * err set if libsodium fails. */
int pledge_seckey_sign(const pledge_seckey *sk, const unsigned char *msg,
                       size_t len, unsigned char sig[PLEDGE_KEY_SIG_BYTES],
                       pledge_err *err);

#endif
