/* test_key.c - minisign key files: round trips, interop with the minisign
 * binary, and the errors for malformed files.
 *
 * Encrypted keys use minisign's real scrypt limits (1 GiB, a second or two
 * per derivation) because a key with smaller limits would not prove
 * compatibility; so only one test encrypts, with three derivations.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "../../src/sign/key.h"
#include "run_suite.h"

#define SK_BYTES 158
#define SK_B64 212

static char dir[64];

static void setup(void)
{
    strcpy(dir, "/tmp/pledge-test-key-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    ck_assert_int_ge(sodium_init(), 0);
}

static void teardown(void)
{
    char cmd[128];

    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    ck_assert_int_eq(system(cmd), 0);
}

static const char *in_dir(const char *name)
{
    static char bufs[4][256];
    static int i;

    i = (i + 1) % 4;
    snprintf(bufs[i], sizeof bufs[i], "%s/%s", dir, name);
    return bufs[i];
}

static void put(const char *path, const char *text)
{
    FILE *fp = fopen(path, "w");

    ck_assert_ptr_nonnull(fp);
    fputs(text, fp);
    ck_assert_int_eq(fclose(fp), 0);
}

static char *slurp(const char *path)
{
    static char buf[4096];
    FILE *fp = fopen(path, "r");
    size_t n;

    ck_assert_ptr_nonnull(fp);
    n = fread(buf, 1, sizeof buf - 1, fp);
    fclose(fp);
    buf[n] = '\0';
    return buf;
}

static int run(const char *fmt, const char *a, const char *b, const char *c)
{
    char cmd[1024];

    snprintf(cmd, sizeof cmd, fmt, a, b, c);
    return system(cmd);
}

/* Both keys sign alike: Ed25519 is deterministic, and the signature must
 * verify under pk. */
static void assert_same_key(const pledge_seckey *a, const pledge_seckey *b,
                            const pledge_pubkey *pk)
{
    static const unsigned char msg[] = "I commit to upholding these values.";
    unsigned char s1[64], s2[64];
    pledge_pubkey p1, p2;
    pledge_err err;

    pledge_seckey_public(a, &p1);
    pledge_seckey_public(b, &p2);
    ck_assert_mem_eq(&p1, pk, sizeof p1);
    ck_assert_mem_eq(&p2, pk, sizeof p2);
    ck_assert_int_eq(pledge_seckey_sign(a, msg, sizeof msg, s1, &err), 0);
    ck_assert_int_eq(pledge_seckey_sign(b, msg, sizeof msg, s2, &err), 0);
    ck_assert_mem_eq(s1, s2, sizeof s1);
    ck_assert_int_eq(crypto_sign_verify_detached(s1, msg, sizeof msg,
                                                 pk->pk), 0);
}

START_TEST(roundtrip_unencrypted)
{
    const char *pub = in_dir("k.pub"), *key = in_dir("k.key");
    pledge_seckey *sk, *sk2;
    pledge_pubkey pk, pk2;
    pledge_err err;
    char hex[17], want[128];
    struct stat st;

    ck_assert_msg(pledge_key_generate(&sk, &pk, &err) == 0, "%s", err.msg);
    ck_assert_msg(pledge_key_write_public(pub, &pk, 0, &err) == 0, "%s",
                  err.msg);
    ck_assert_msg(pledge_key_write_secret(key, sk, NULL, 0, &err) == 0,
                  "%s", err.msg);
    ck_assert_int_eq(stat(key, &st), 0);
    ck_assert_int_eq(st.st_mode & 0777, 0600);

    pledge_key_id_hex(pk.id, hex);
    ck_assert_uint_eq(strlen(hex), 16);
    snprintf(want, sizeof want, "untrusted comment: minisign public key %s\n",
             hex);
    ck_assert_int_eq(strncmp(slurp(pub), want, strlen(want)), 0);

    ck_assert_msg(pledge_key_read_public(pub, &pk2, &err) == 0, "%s",
                  err.msg);
    ck_assert_mem_eq(&pk2, &pk, sizeof pk);
    ck_assert_msg(pledge_key_read_secret(key, NULL, &sk2, &err) == 0, "%s",
                  err.msg);
    assert_same_key(sk, sk2, &pk);

    /* No overwriting without force; with it the file is replaced. */
    ck_assert_int_eq(pledge_key_write_secret(key, sk2, NULL, 0, &err), -1);
    snprintf(want, sizeof want, "write %s: file exists; not overwriting it",
             key);
    ck_assert_str_eq(err.msg, want);
    ck_assert_int_eq(pledge_key_write_public(pub, &pk, 0, &err), -1);
    ck_assert_msg(pledge_key_write_public(pub, &pk, 1, &err) == 0, "%s",
                  err.msg);
    ck_assert_msg(pledge_key_write_secret(key, sk2, NULL, 1, &err) == 0,
                  "%s", err.msg);
    pledge_seckey_free(sk2);
    ck_assert_msg(pledge_key_read_secret(key, NULL, &sk2, &err) == 0, "%s",
                  err.msg);
    assert_same_key(sk, sk2, &pk);
    pledge_seckey_free(sk);
    pledge_seckey_free(sk2);
}
END_TEST

START_TEST(roundtrip_encrypted)
{
    const char *key = in_dir("enc.key");
    pledge_seckey *sk, *sk2 = NULL;
    pledge_pubkey pk;
    pledge_err err;
    char want[256];

    ck_assert_msg(pledge_key_generate(&sk, &pk, &err) == 0, "%s", err.msg);
    ck_assert_msg(pledge_key_write_secret(key, sk, "correct horse", 0,
                                          &err) == 0, "%s", err.msg);
    /* "RWRTY0Iy" is the base64 of "EdScB2". */
    ck_assert_int_eq(strncmp(slurp(key), "untrusted comment: minisign "
                             "encrypted secret key\nRWRTY0Iy", 57), 0);
    ck_assert_msg(pledge_key_read_secret(key, "correct horse", &sk2,
                                         &err) == 0, "%s", err.msg);
    assert_same_key(sk, sk2, &pk);
    pledge_seckey_free(sk2);

    sk2 = NULL;
    ck_assert_int_eq(pledge_key_read_secret(key, "correct horsf", &sk2,
                                            &err), -1);
    ck_assert_ptr_null(sk2);
    snprintf(want, sizeof want,
             "read %s: wrong passphrase (checksum mismatch)", key);
    ck_assert_str_eq(err.msg, want);

    ck_assert_int_eq(pledge_key_read_secret(key, NULL, &sk2, &err), -1);
    snprintf(want, sizeof want, "read %s: the secret key is encrypted and "
             "no passphrase was given", key);
    ck_assert_str_eq(err.msg, want);
    pledge_seckey_free(sk);
}
END_TEST

START_TEST(minisign_interop)
{
    const char *mpub = in_dir("m.pub"), *mkey = in_dir("m.key");
    const char *pub = in_dir("p.pub"), *key = in_dir("p.key");
    const char *msg = in_dir("pledge.txt");
    pledge_pubkey pk, pk2;
    pledge_seckey *sk, *sk2;
    pledge_err err;
    char hex[17], want[128], line[128];
    const char *text, *nl;

    ck_assert_msg(system("minisign -v >/dev/null 2>&1") == 0,
                  "minisign is not installed");

    /* minisign's key, read here. */
    ck_assert_int_eq(run("minisign -G -W -p %s -s %s </dev/null >/dev/null%s",
                         mpub, mkey, ""), 0);
    ck_assert_msg(pledge_key_read_public(mpub, &pk, &err) == 0, "%s",
                  err.msg);
    ck_assert_msg(pledge_key_read_secret(mkey, NULL, &sk, &err) == 0, "%s",
                  err.msg);
    pledge_seckey_public(sk, &pk2);
    ck_assert_mem_eq(&pk2, &pk, sizeof pk);
    pledge_key_id_hex(pk.id, hex);
    snprintf(want, sizeof want, "untrusted comment: minisign public key %s\n",
             hex);
    text = slurp(mpub);
    ck_assert_int_eq(strncmp(text, want, strlen(want)), 0);

    /* The bare base64 line, as `minisign -P` takes it. */
    text += strlen(want);
    nl = strchr(text, '\n');
    ck_assert_ptr_nonnull(nl);
    memcpy(line, text, (size_t)(nl - text));
    line[nl - text] = '\0';
    ck_assert_msg(pledge_key_parse_public(line, strlen(line), &pk2, &err)
                  == 0, "%s", err.msg);
    ck_assert_mem_eq(&pk2, &pk, sizeof pk);
    pledge_seckey_free(sk);

    /* pledge's key, used by minisign to sign and verify. */
    ck_assert_msg(pledge_key_generate(&sk2, &pk2, &err) == 0, "%s", err.msg);
    ck_assert_int_eq(pledge_key_write_public(pub, &pk2, 0, &err), 0);
    ck_assert_int_eq(pledge_key_write_secret(key, sk2, NULL, 0, &err), 0);
    pledge_seckey_free(sk2);
    put(msg, "I commit to upholding these values.\n");
    ck_assert_int_eq(run("minisign -S -s %s -m %s </dev/null >/dev/null%s",
                         key, msg, ""), 0);
    ck_assert_int_eq(run("minisign -V -p %s -m %s >/dev/null%s", pub, msg,
                         ""), 0);
    /* ...and a key that is not the signer's must not verify. */
    ck_assert_int_ne(run("minisign -V -p %s -m %s >/dev/null 2>&1%s", mpub,
                         msg, ""), 0);
}
END_TEST

/* Writes a secret key file whose blob is a valid one changed by edit. */
static void put_secret(const char *path, const unsigned char *blob)
{
    char b64[SK_B64 + 1], text[512];

    sodium_bin2base64(b64, sizeof b64, blob, SK_BYTES,
                      sodium_base64_VARIANT_ORIGINAL);
    snprintf(text, sizeof text, "untrusted comment: test\n%s\n", b64);
    put(path, text);
}

static void expect_secret_error(const char *path, const char *what)
{
    pledge_seckey *sk = NULL;
    pledge_err err;
    char want[512];

    ck_assert_int_eq(pledge_key_read_secret(path, NULL, &sk, &err), -1);
    ck_assert_ptr_null(sk);
    snprintf(want, sizeof want, "read %s: %s", path, what);
    ck_assert_str_eq(err.msg, want);
}

static void expect_public_error(const char *path, const char *what)
{
    pledge_pubkey pk;
    pledge_err err;
    char want[512];

    ck_assert_int_eq(pledge_key_read_public(path, &pk, &err), -1);
    snprintf(want, sizeof want, "read %s: %s", path, what);
    ck_assert_str_eq(err.msg, want);
}

START_TEST(malformed)
{
    const char *good = in_dir("good.key"), *bad = in_dir("bad.key");
    const char *badpub = in_dir("bad.pub");
    unsigned char blob[SK_BYTES], pkblob[42];
    char b64[SK_B64 + 1], text[512];
    const char *line;
    pledge_seckey *sk;
    pledge_pubkey pk;
    pledge_err err;
    size_t len;

    ck_assert_int_eq(pledge_key_generate(&sk, &pk, &err), 0);
    ck_assert_int_eq(pledge_key_write_secret(good, sk, NULL, 0, &err), 0);
    pledge_seckey_free(sk);
    line = strchr(slurp(good), '\n') + 1;
    ck_assert_int_eq(sodium_base642bin(blob, sizeof blob, line, SK_B64,
                                       NULL, &len, NULL,
                                       sodium_base64_VARIANT_ORIGINAL), 0);
    ck_assert_uint_eq(len, SK_BYTES);

    expect_public_error(in_dir("none.pub"), "No such file or directory");

    put(badpub, "untrusted comment: minisign public key 0\nRWQAAA==\n");
    expect_public_error(badpub, "key line has 8 characters, expected 56: "
                        "not a minisign public key");
    put(badpub, "untrusted comment: minisign public key 0\n");
    expect_public_error(badpub, "empty key line");
    put(badpub, "untrusted comment: minisign public key 0");
    expect_public_error(badpub, "no key line after the comment");
    put(badpub, "untrusted comment: x\n"
        "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n");
    expect_public_error(badpub, "key line is not valid base64");
    memset(pkblob, 7, sizeof pkblob);
    memcpy(pkblob, "Xy", 2);
    sodium_bin2base64(b64, sizeof b64, pkblob, sizeof pkblob,
                      sodium_base64_VARIANT_ORIGINAL);
    snprintf(text, sizeof text, "untrusted comment: x\n%s\r\n", b64);
    put(badpub, text);
    expect_public_error(badpub, "unsupported signature algorithm \"Xy\" "
                        "(expected \"Ed\")");
    /* A secret key file is not a public key. */
    expect_public_error(good, "key line has 212 characters, expected 56: "
                        "not a minisign public key");

    /* Truncated secret key. */
    snprintf(text, sizeof text, "untrusted comment: x\n%.100s\n", line);
    put(bad, text);
    expect_secret_error(bad, "key line has 100 characters, expected 212: "
                        "not a minisign secret key");

    blob[0] = 'E';
    blob[1] = 0;
    put_secret(bad, blob);
    expect_secret_error(bad, "unsupported signature algorithm \"E\\x00\" "
                        "(expected \"Ed\")");
    blob[1] = 'd';
    memcpy(blob + 2, "Ar", 2);
    put_secret(bad, blob);
    expect_secret_error(bad, "unsupported key derivation \"Ar\" "
                        "(expected \"Sc\" or none)");
    memset(blob + 2, 0, 2);
    memcpy(blob + 4, "B3", 2);
    put_secret(bad, blob);
    expect_secret_error(bad, "unsupported checksum algorithm \"B3\" "
                        "(expected \"B2\")");
    memcpy(blob + 4, "B2", 2);
    blob[SK_BYTES - 1] ^= 1;
    put_secret(bad, blob);
    expect_secret_error(bad, "checksum mismatch: the key is corrupt");
    /* A public half that disagrees with the seed, checksum zeroed as
     * minisign -W leaves it. */
    blob[SK_BYTES - 1] ^= 1;
    memset(blob + SK_BYTES - 32, 0, 32);
    blob[54 + 8 + 63] ^= 1;
    put_secret(bad, blob);
    expect_secret_error(bad, "the secret key is corrupt (its public half "
                        "does not match its seed)");
}
END_TEST

static Suite *key_suite(void)
{
    Suite *s = suite_create("key");
    TCase *tc = tcase_create("core");

    tcase_add_checked_fixture(tc, setup, teardown);
    /* Three scrypt derivations at 1 GiB, and minisign processes. */
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, roundtrip_unencrypted);
    tcase_add_test(tc, roundtrip_encrypted);
    tcase_add_test(tc, minisign_interop);
    tcase_add_test(tc, malformed);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return run_suite(key_suite());
}
