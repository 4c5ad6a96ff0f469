/* fuzz_pubkey.c - the minisign public key reader on any bytes: a key file
 * or the bare base64 line, as `pledge verify --key` and the keyring read
 * them.
 */
#include "fuzz.h"

#include "../src/sign/key.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    pledge_pubkey pk, before;
    char signer[PLEDGE_SIGNER_BYTES + 1];
    pledge_err err;
    size_t n;

    memset(&pk, 0xa5, sizeof pk);
    before = pk;
    memset(signer, 0xa5, sizeof signer);
    memset(&err, 0, sizeof err);
    if (pledge_key_parse_public((const char *)data, size, &pk, signer,
                                &err) < 0) {
        fuzz_require(memcmp(&pk, &before, sizeof pk) == 0);
        fuzz_require((unsigned char)signer[0] == 0xa5);
        fuzz_require_msg(err);
        return 0;
    }
    /* A named signer fits its buffer and passes the check. */
    fuzz_require((unsigned char)signer[PLEDGE_SIGNER_BYTES] == 0xa5);
    n = strnlen(signer, PLEDGE_SIGNER_BYTES);
    fuzz_require(n < PLEDGE_SIGNER_BYTES);
    if (n > 0)
        fuzz_require(pledge_key_check_signer(signer, &err) == 0);
    return 0;
}
