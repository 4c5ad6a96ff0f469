/* fuzz_seckey.c - the minisign secret key reader on any bytes: the header
 * check `pledge sign` makes before asking for a passphrase, then the
 * decoder itself.
 *
 * No passphrase is given, so an input that claims scrypt stops before the
 * derivation (1 GiB and a second or two at minisign's limits; more at the
 * limits a crafted file may state).  Set PLEDGE_FUZZ_PASSPHRASE to give
 * one and fuzz the derivation's limits too: expect slow runs, and pass
 * libFuzzer -timeout and -rss_limit_mb to catch what they cost.
 */
#include "fuzz.h"

#include "../src/sign/key.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    pledge_seckey *sk = NULL;
    pledge_pubkey pk;
    char signer[PLEDGE_SIGNER_BYTES + 1], path[32];
    const char *pass = getenv("PLEDGE_FUZZ_PASSPHRASE");
    pledge_err err;
    int fd, enc = -1;

    fd = fuzz_memfd(data, size, path);
    /* A memory file starts out 0777; a key others can read is refused
     * before it is parsed. */
    fuzz_require(fchmod(fd, 0600) == 0);
    memset(&err, 0, sizeof err);
    if (pledge_key_is_encrypted(path, 0, &enc, &err) < 0) {
        fuzz_require(enc == -1);
        fuzz_require_msg(err);
    } else {
        fuzz_require(enc == 0 || enc == 1);
    }
    memset(signer, 0xa5, sizeof signer);
    memset(&err, 0, sizeof err);
    if (pledge_key_read_secret(path, 0, pass, &sk, signer, &err) < 0) {
        fuzz_require(sk == NULL);
        fuzz_require((unsigned char)signer[0] == 0xa5);
        fuzz_require_msg(err);
    } else {
        /* Only a key whose header said what it is can be read. */
        fuzz_require(enc == 0 || (enc == 1 && pass != NULL));
        fuzz_require(sk != NULL);
        fuzz_require((unsigned char)signer[PLEDGE_SIGNER_BYTES] == 0xa5);
        fuzz_require(strnlen(signer, PLEDGE_SIGNER_BYTES) <
                     PLEDGE_SIGNER_BYTES);
        pledge_seckey_public(sk, &pk);
        pledge_seckey_free(sk);
    }
    close(fd);
    return 0;
}
