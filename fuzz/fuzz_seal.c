/* fuzz_seal.c - the seal reader on any bytes: pledge_seal_parse_text() on
 * the input as a QR text, and pledge_seal_parse() on it as a payload.  A
 * seal that parses has one spelling: writing it again gives back exactly
 * the input, and checking it never finds it VALID, since no key held
 * here signed it.
 */
#include "fuzz.h"

#include "../src/sign/seal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The contract of a failed parse: *s untouched, a message set. */
static void refused(const pledge_seal *s, const pledge_err *err)
{
    pledge_seal before;

    memset(&before, 0xa5, sizeof before);
    fuzz_require(memcmp(s, &before, sizeof before) == 0);
    fuzz_require_msg(*err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static pledge_seal s;
    static char text[PLEDGE_SEAL_TEXT_BYTES];
    static pledge_seal_verdict v;
    pledge_keyring *kr = NULL;
    pledge_err err;

    memset(&s, 0xa5, sizeof s);
    memset(&err, 0, sizeof err);
    if (pledge_seal_parse_text((const char *)data, size, &s, &err) < 0) {
        refused(&s, &err);
    } else {
        pledge_seal_text(&s, text);
        fuzz_require(strlen(text) == size);
        fuzz_require(memcmp(text, data, size) == 0);
        fuzz_require(pledge_keyring_new(&kr, &err) == 0);
        fuzz_require(pledge_seal_check(kr, NULL, 0, (const char *)data,
                                       size, "2026-01-01", &v) < 0);
        fuzz_require(v.parsed && v.status == PLEDGE_SEAL_INVALID);
        pledge_keyring_free(kr);
    }
    memset(&s, 0xa5, sizeof s);
    memset(&err, 0, sizeof err);
    if (pledge_seal_parse(data, size, &s, &err) < 0) {
        refused(&s, &err);
        return 0;
    }
    fuzz_require(s.len == size && memcmp(s.payload, data, size) == 0);
    fuzz_require(strlen(s.f.association) <= PLEDGE_SEAL_STR_MAX &&
                 strlen(s.f.member_id) <= PLEDGE_SEAL_STR_MAX);
    return 0;
}
