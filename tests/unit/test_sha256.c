/* test_sha256.c - pledge_sha256 gives FIPS 180-4's digests: the
 * standard's examples, and libsodium's digest of every length across the
 * padding's edges (one block or two for the tail) and of a pledge-sized
 * buffer.  On a CPU with the SHA extensions this checks that path; on
 * any other, the fallback.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "../../src/util/sha256.h"
#include "run_suite.h"

static void hex_of(const char *msg, size_t len, char out[65])
{
    pledge_sha256_hex((const unsigned char *)msg, len, out);
}

START_TEST(standard_examples)
{
    static const char two_blocks[] =
        "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    char *million = malloc(1000000), hex[65];

    ck_assert_ptr_nonnull(million);
    hex_of("abc", 3, hex);
    ck_assert_str_eq(hex, "ba7816bf8f01cfea414140de5dae2223"
                          "b00361a396177a9cb410ff61f20015ad");
    hex_of("", 0, hex);
    ck_assert_str_eq(hex, "e3b0c44298fc1c149afbf4c8996fb924"
                          "27ae41e4649b934ca495991b7852b855");
    hex_of(two_blocks, sizeof two_blocks - 1, hex);
    ck_assert_str_eq(hex, "248d6a61d20638b8e5c026930c3e6039"
                          "a33ce45964ff2167f6ecedd419db06c1");
    memset(million, 'a', 1000000);
    hex_of(million, 1000000, hex);
    ck_assert_str_eq(hex, "cdc76e5c9914fb9281a1c7e284d73e67"
                          "f1809a48a497200e046d39ccc7112cd0");
    free(million);
}
END_TEST

START_TEST(same_as_libsodium)
{
    size_t n = 40000, len;
    unsigned char *buf = malloc(n), want[32], got[32];

    ck_assert_ptr_nonnull(buf);
    ck_assert_int_ge(sodium_init(), 0);
    randombytes_buf(buf, n);
    for (len = 0; len <= 300; len++) {
        crypto_hash_sha256(want, buf, len);
        pledge_sha256(buf, len, got);
        ck_assert_msg(memcmp(want, got, sizeof got) == 0, "length %zu",
                      len);
    }
    /* Unaligned, and the size of a pledge. */
    crypto_hash_sha256(want, buf + 1, n - 1);
    pledge_sha256(buf + 1, n - 1, got);
    ck_assert_mem_eq(want, got, sizeof got);
    free(buf);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("sha256");
    TCase *tc = tcase_create("sha256");

    tcase_add_test(tc, standard_examples);
    tcase_add_test(tc, same_as_libsodium);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
