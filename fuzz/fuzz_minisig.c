/* fuzz_minisig.c - the minisign signature reader on any bytes, as `pledge
 * verify` reads the signature embedded in a PDF; a signature that parses
 * is then checked against the seeds' key, over the prehash of nothing.
 */
#include "fuzz.h"

#include "../src/sign/key.h"
#include "../src/sign/minisig.h"

static pledge_pubkey pk;

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    pledge_err err;

    (void)argc;
    (void)argv;
    if (pledge_key_parse_public(FUZZ_PUBKEY, strlen(FUZZ_PUBKEY), &pk, NULL,
                                &err) < 0) {
        fprintf(stderr, "fuzz_minisig: %s\n", err.msg);
        abort();
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static pledge_minisig ms, before;
    unsigned char hash[PLEDGE_MINISIG_HASH_BYTES];
    pledge_minisig_hasher h;
    pledge_err err;

    memset(&ms, 0xa5, sizeof ms);
    before = ms;
    memset(&err, 0, sizeof err);
    if (pledge_minisig_parse((const char *)data, size, &ms, &err) < 0) {
        fuzz_require(memcmp(&ms, &before, sizeof ms) == 0);
        fuzz_require_msg(err);
        return 0;
    }
    fuzz_require(memchr(ms.trusted, '\0', sizeof ms.trusted) != NULL);
    fuzz_require(strchr(ms.trusted, '\n') == NULL);
    pledge_minisig_hash_init(&h);
    pledge_minisig_hash_update(&h, data, 0);
    pledge_minisig_hash_final(&h, hash);
    memset(&err, 0, sizeof err);
    if (pledge_minisig_verify(&ms, &pk, hash, &err) < 0)
        fuzz_require_msg(err);
    return 0;
}
