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
 * The secret key lives in sodium_malloc() memory that is inaccessible
 * (sodium_mprotect_noaccess) except inside the calls below, so a stray read
 * faults instead of leaking it.
 */
#ifndef PLEDGE_SIGN_KEY_H
#define PLEDGE_SIGN_KEY_H

#include <stddef.h>

#include "../pledge.h"

#define PLEDGE_KEY_ID_BYTES 8
#define PLEDGE_KEY_PK_BYTES 32
#define PLEDGE_KEY_SIG_BYTES 64

typedef struct {
    unsigned char id[PLEDGE_KEY_ID_BYTES];   /* as stored: little-endian */
    unsigned char pk[PLEDGE_KEY_PK_BYTES];
} pledge_pubkey;

typedef struct pledge_seckey pledge_seckey;

/* Writes the key id as minisign shows it (the little-endian u64 in 16
 * uppercase hex digits) into out, NUL-terminated. */
void pledge_key_id_hex(const unsigned char id[PLEDGE_KEY_ID_BYTES],
                       char out[17]);

/* Makes a new key pair with a random key id.  On error returns -1 and
 * leaves *sk untouched.
 * The caller frees *sk with pledge_seckey_free(). */
int pledge_key_generate(pledge_seckey **sk, pledge_pubkey *pk,
                        pledge_err *err);

/* Parses a public key: the two-line file text, or the bare base64 line as
 * `minisign -P` takes it.  On error returns -1 and leaves *pk untouched. */
int pledge_key_parse_public(const char *text, size_t len, pledge_pubkey *pk,
                            pledge_err *err);

/* Reads a public key file.  On error returns -1 and leaves *pk untouched. */
int pledge_key_read_public(const char *path, pledge_pubkey *pk,
                           pledge_err *err);

/* Writes a public key file (mode 0644) through a temporary file and a
 * rename.  An existing path is an error unless force is non-zero. */
int pledge_key_write_public(const char *path, const pledge_pubkey *pk,
                            int force, pledge_err *err);

/* Reads a secret key file.  passphrase is needed when the key is encrypted
 * and ignored when it is not (it may then be NULL).  A wrong passphrase is
 * reported as such (the checksum does not match).  On error returns -1 and
 * leaves *sk untouched.
 * The caller frees *sk with pledge_seckey_free(). */
int pledge_key_read_secret(const char *path, const char *passphrase,
                           pledge_seckey **sk, pledge_err *err);

/* Writes a secret key file (mode 0600) through a temporary file and a
 * rename, encrypted with scrypt at minisign's limits when passphrase is not
 * NULL (which takes a second or two and 1 GiB).  An existing path is an
 * error unless force is non-zero. */
int pledge_key_write_secret(const char *path, const pledge_seckey *sk,
                            const char *passphrase, int force,
                            pledge_err *err);

/* The public half and key id of sk. */
void pledge_seckey_public(const pledge_seckey *sk, pledge_pubkey *pk);

/* Signs msg with sk (a detached Ed25519 signature).  Returns 0, or -1 with
 * err set if libsodium fails. */
int pledge_seckey_sign(const pledge_seckey *sk, const unsigned char *msg,
                       size_t len, unsigned char sig[PLEDGE_KEY_SIG_BYTES],
                       pledge_err *err);

/* Wipes and frees sk.  NULL is allowed. */
void pledge_seckey_free(pledge_seckey *sk);

#endif
