/* fuzz_claim.c - the pledge claim (a signature's trusted comment) on any
 * text.  A claim that parses and formats again must give back exactly the
 * text it was read from.
 */
#include "fuzz.h"

#include "../src/sign/claim.h"
#include "../src/sign/minisig.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char text[PLEDGE_MINISIG_TRUSTED_MAX + 1];
    char again[PLEDGE_MINISIG_TRUSTED_MAX + 1];
    pledge_claim c, before;
    pledge_err err;

    /* The parser reads a trusted comment the signature reader already
     * bounded and NUL-terminated. */
    if (size > PLEDGE_MINISIG_TRUSTED_MAX)
        size = PLEDGE_MINISIG_TRUSTED_MAX;
    memcpy(text, data, size);
    text[size] = '\0';
    memset(&c, 0xa5, sizeof c);
    before = c;
    memset(&err, 0, sizeof err);
    if (pledge_claim_parse(text, &c, &err) < 0) {
        fuzz_require(memcmp(&c, &before, sizeof c) == 0);
        fuzz_require_msg(err);
        return 0;
    }
    fuzz_require(memchr(c.signer, '\0', sizeof c.signer) != NULL);
    fuzz_require(memchr(c.key, '\0', sizeof c.key) != NULL);
    fuzz_require(memchr(c.time, '\0', sizeof c.time) != NULL);
    fuzz_require(memchr(c.association, '\0', sizeof c.association) != NULL);
    fuzz_require(memchr(c.layout, '\0', sizeof c.layout) != NULL);
    fuzz_require(memchr(c.revision, '\0', sizeof c.revision) != NULL);
    fuzz_require(memchr(c.applicant, '\0', sizeof c.applicant) != NULL);
    fuzz_require(memchr(c.text, '\0', sizeof c.text) != NULL);
    /* Formatting refuses control characters, which parsing lets through
     * (the signature vouches for them); otherwise a round trip. */
    if (pledge_claim_format(&c, again, sizeof again, &err) == 0)
        fuzz_require(strcmp(again, text) == 0);
    return 0;
}
