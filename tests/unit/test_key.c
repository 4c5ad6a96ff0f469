/* test_key.c - minisign key files: round trips, signer names in their
 * comments, interop with the minisign binary, the errors for malformed
 * files, and the refusal of secret key files others can reach.
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
#define NOT_CANONICAL "key line is not canonical base64 (only A-Z a-z 0-9 " \
    "+ / and the padding its length needs, unused bits zero)"

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

/* A path in the test's directory.  The result lives until 16 more calls:
 * enough for every path one test holds. */
static const char *in_dir(const char *name)
{
    static char bufs[16][256];
    static int i;

    i = (i + 1) % 16;
    snprintf(bufs[i], sizeof bufs[i], "%s/%s", dir, name);
    return bufs[i];
}

/* Writes a key file as a careful user keeps one: mode 0600, so that a
 * secret key's contents, not its mode, decide what reading it says. */
static void put(const char *path, const char *text)
{
    FILE *fp = fopen(path, "w");

    ck_assert_ptr_nonnull(fp);
    fputs(text, fp);
    ck_assert_int_eq(fclose(fp), 0);
    ck_assert_int_eq(chmod(path, 0600), 0);
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

/* The first line of path's text, without its newline. */
static const char *first_line(const char *path)
{
    static char line[4096];
    const char *text = slurp(path);
    size_t n = strcspn(text, "\n");

    ck_assert_uint_lt(n, sizeof line);
    memcpy(line, text, n);
    line[n] = '\0';
    return line;
}

/* The second line of path's text (the key line), without its newline. */
static const char *second_line(const char *path)
{
    static char line[512];
    const char *text = strchr(slurp(path), '\n');
    size_t n;

    ck_assert_ptr_nonnull(text);
    n = strcspn(++text, "\n");
    ck_assert_uint_lt(n, sizeof line);
    memcpy(line, text, n);
    line[n] = '\0';
    return line;
}

/* A signer buffer holding a value no read may leave there on success. */
#define UNTOUCHED "untouched"

START_TEST(roundtrip_unencrypted)
{
    const char *pub = in_dir("k.pub"), *key = in_dir("k.key");
    pledge_seckey *sk, *sk2;
    pledge_pubkey pk, pk2;
    pledge_err err;
    char hex[17], want[128], signer[PLEDGE_SIGNER_BYTES];
    struct stat st;
    int enc = -1;

    ck_assert_msg(pledge_key_generate(&sk, &pk, &err) == 0, "%s", err.msg);
    ck_assert_msg(pledge_key_write_public(pub, &pk, "Jane Doe", 0, &err)
                  == 0, "%s", err.msg);
    ck_assert_msg(pledge_key_write_secret(key, sk, "Jane Doe", NULL, 0,
                                          &err) == 0, "%s", err.msg);
    ck_assert_int_eq(stat(key, &st), 0);
    ck_assert_int_eq(st.st_mode & 0777, 0600);
    ck_assert_int_eq(stat(pub, &st), 0);
    ck_assert_int_eq(st.st_mode & 0777, 0644);

    pledge_key_id_hex(pk.id, hex);
    ck_assert_uint_eq(strlen(hex), 16);
    snprintf(want, sizeof want, "untrusted comment: minisign public key %s; "
             "signer: Jane Doe", hex);
    ck_assert_str_eq(first_line(pub), want);
    ck_assert_str_eq(first_line(key), "untrusted comment: minisign "
                     "unencrypted secret key; signer: Jane Doe");

    strcpy(signer, UNTOUCHED);
    ck_assert_msg(pledge_key_read_public(pub, &pk2, signer, &err) == 0, "%s",
                  err.msg);
    ck_assert_mem_eq(&pk2, &pk, sizeof pk);
    ck_assert_str_eq(signer, "Jane Doe");
    ck_assert_msg(pledge_key_read_public(pub, &pk2, NULL, &err) == 0, "%s",
                  err.msg);
    strcpy(signer, UNTOUCHED);
    ck_assert_msg(pledge_key_read_secret(key, 0, NULL, &sk2, signer, &err) == 0,
                  "%s", err.msg);
    ck_assert_str_eq(signer, "Jane Doe");
    assert_same_key(sk, sk2, &pk);
    ck_assert_msg(pledge_key_is_encrypted(key, 0, &enc, &err) == 0, "%s",
                  err.msg);
    ck_assert_int_eq(enc, 0);

    /* No overwriting without force; with it the file is replaced. */
    ck_assert_int_eq(pledge_key_write_secret(key, sk2, NULL, NULL, 0, &err),
                     -1);
    snprintf(want, sizeof want, "write %s: file exists; not overwriting it",
             key);
    ck_assert_str_eq(err.msg, want);
    ck_assert_int_eq(pledge_key_write_public(pub, &pk, NULL, 0, &err), -1);
    ck_assert_msg(pledge_key_write_public(pub, &pk, NULL, 1, &err) == 0,
                  "%s", err.msg);
    ck_assert_msg(pledge_key_write_secret(key, sk2, NULL, NULL, 1, &err) == 0,
                  "%s", err.msg);
    pledge_seckey_free(sk2);

    /* Without a signer the comments are minisign's own, and read as "". */
    snprintf(want, sizeof want, "untrusted comment: minisign public key %s",
             hex);
    ck_assert_str_eq(first_line(pub), want);
    ck_assert_str_eq(first_line(key), "untrusted comment: minisign "
                     "unencrypted secret key");
    strcpy(signer, UNTOUCHED);
    ck_assert_msg(pledge_key_read_public(pub, &pk2, signer, &err) == 0, "%s",
                  err.msg);
    ck_assert_str_eq(signer, "");
    strcpy(signer, UNTOUCHED);
    ck_assert_msg(pledge_key_read_secret(key, 0, NULL, &sk2, signer, &err) == 0,
                  "%s", err.msg);
    ck_assert_str_eq(signer, "");
    assert_same_key(sk, sk2, &pk);
    pledge_seckey_free(sk);
    pledge_seckey_free(sk2);
}
END_TEST

START_TEST(roundtrip_encrypted)
{
    const char *key = in_dir("enc.key");
    static const char name[] = "Nguy\xe1\xbb\x85n Th\xe1\xbb\x8b Minh Khai, "
                               "PhD";
    pledge_seckey *sk, *sk2 = NULL;
    pledge_pubkey pk;
    pledge_err err;
    char want[256], signer[PLEDGE_SIGNER_BYTES];
    int enc = -1;

    ck_assert_msg(pledge_key_generate(&sk, &pk, &err) == 0, "%s", err.msg);
    ck_assert_msg(pledge_key_write_secret(key, sk, name, "correct horse", 0,
                                          &err) == 0, "%s", err.msg);
    snprintf(want, sizeof want, "untrusted comment: minisign encrypted "
             "secret key; signer: %s", name);
    ck_assert_str_eq(first_line(key), want);
    /* "RWRTY0Iy" is the base64 of "EdScB2". */
    ck_assert_int_eq(strncmp(second_line(key), "RWRTY0Iy", 8), 0);
    ck_assert_msg(pledge_key_is_encrypted(key, 0, &enc, &err) == 0, "%s",
                  err.msg);
    ck_assert_int_eq(enc, 1);
    ck_assert_msg(pledge_key_read_secret(key, 0, "correct horse", &sk2, signer,
                                         &err) == 0, "%s", err.msg);
    ck_assert_str_eq(signer, name);
    assert_same_key(sk, sk2, &pk);
    pledge_seckey_free(sk2);

    sk2 = NULL;
    strcpy(signer, UNTOUCHED);
    ck_assert_int_eq(pledge_key_read_secret(key, 0, "correct horsf", &sk2,
                                            signer, &err), -1);
    ck_assert_ptr_null(sk2);
    ck_assert_str_eq(signer, UNTOUCHED);
    snprintf(want, sizeof want,
             "read %s: wrong passphrase (checksum mismatch)", key);
    ck_assert_str_eq(err.msg, want);

    ck_assert_int_eq(pledge_key_read_secret(key, 0, NULL, &sk2, NULL, &err),
                     -1);
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
    const char *rpub = in_dir("r.pub");
    pledge_pubkey pk, pk2;
    pledge_seckey *sk, *sk2;
    pledge_err err;
    char hex[17], want[128], line[128], signer[PLEDGE_SIGNER_BYTES];
    const char *text, *nl;
    int enc = -1;

    ck_assert_msg(system("minisign -v >/dev/null 2>&1") == 0,
                  "minisign is not installed");

    /* minisign's key, read here; its comments name no signer. */
    ck_assert_int_eq(run("minisign -G -W -p %s -s %s </dev/null >/dev/null%s",
                         mpub, mkey, ""), 0);
    strcpy(signer, UNTOUCHED);
    ck_assert_msg(pledge_key_read_public(mpub, &pk, signer, &err) == 0, "%s",
                  err.msg);
    ck_assert_str_eq(signer, "");
    strcpy(signer, UNTOUCHED);
    ck_assert_msg(pledge_key_read_secret(mkey, 0, NULL, &sk, signer, &err) == 0,
                  "%s", err.msg);
    ck_assert_str_eq(signer, "");
    ck_assert_msg(pledge_key_is_encrypted(mkey, 0, &enc, &err) == 0, "%s",
                  err.msg);
    ck_assert_int_eq(enc, 0);
    pledge_seckey_public(sk, &pk2);
    ck_assert_mem_eq(&pk2, &pk, sizeof pk);
    /* minisign 0.11 prints the key ID without leading zeros ("%" PRIX64),
     * pledge always with 16 digits: compare the numbers. */
    pledge_key_id_hex(pk.id, hex);
    snprintf(want, sizeof want, "untrusted comment: minisign public key ");
    text = slurp(mpub);
    ck_assert_int_eq(strncmp(text, want, strlen(want)), 0);
    ck_assert_uint_eq(strtoull(text + strlen(want), NULL, 16),
                      strtoull(hex, NULL, 16));

    /* The bare base64 line, as `minisign -P` takes it. */
    text = strchr(text, '\n');
    ck_assert_ptr_nonnull(text);
    text++;
    nl = strchr(text, '\n');
    ck_assert_ptr_nonnull(nl);
    memcpy(line, text, (size_t)(nl - text));
    line[nl - text] = '\0';
    strcpy(signer, UNTOUCHED);
    ck_assert_msg(pledge_key_parse_public(line, strlen(line), &pk2, signer,
                                          &err) == 0, "%s", err.msg);
    ck_assert_mem_eq(&pk2, &pk, sizeof pk);
    ck_assert_str_eq(signer, "");
    pledge_seckey_free(sk);

    /* pledge's key, signer named, used by minisign to sign and verify. */
    ck_assert_msg(pledge_key_generate(&sk2, &pk2, &err) == 0, "%s", err.msg);
    ck_assert_int_eq(pledge_key_write_public(pub, &pk2, "VAIMH", 0, &err), 0);
    ck_assert_int_eq(pledge_key_write_secret(key, sk2, "VAIMH", NULL, 0,
                                             &err), 0);
    pledge_seckey_free(sk2);
    put(msg, "I commit to upholding these values.\n");
    ck_assert_int_eq(run("minisign -S -s %s -m %s </dev/null >/dev/null%s",
                         key, msg, ""), 0);
    ck_assert_int_eq(run("minisign -V -p %s -m %s >/dev/null%s", pub, msg,
                         ""), 0);
    /* ...and a key that is not the signer's must not verify. */
    ck_assert_int_ne(run("minisign -V -p %s -m %s >/dev/null 2>&1%s", mpub,
                         msg, ""), 0);
    /* minisign recovers the public key from pledge's secret key. */
    ck_assert_int_eq(run("minisign -R -s %s -p %s </dev/null >/dev/null%s",
                         key, rpub, ""), 0);
    strcpy(line, second_line(pub));
    ck_assert_str_eq(second_line(rpub), line);
}
END_TEST

/* The longest signer name, in 4-byte characters, makes the longest comment
 * lines; minisign must still read both files. */
START_TEST(longest_signer)
{
    const char *pub = in_dir("long.pub"), *key = in_dir("long.key");
    const char *msg = in_dir("pledge.txt");
    char name[PLEDGE_SIGNER_BYTES + 4], signer[PLEDGE_SIGNER_BYTES];
    char want[128];
    pledge_seckey *sk, *sk2;
    pledge_pubkey pk, pk2;
    pledge_err err;
    size_t i;

    for (i = 0; i < PLEDGE_SIGNER_MAX; i++)
        memcpy(name + 4 * i, "\xf0\x90\x8d\x88", 4);    /* U+10348 */
    name[4 * i] = '\0';
    ck_assert_uint_eq(strlen(name) + 1, PLEDGE_SIGNER_BYTES);

    ck_assert_int_eq(pledge_key_generate(&sk, &pk, &err), 0);
    ck_assert_msg(pledge_key_write_public(pub, &pk, name, 0, &err) == 0,
                  "%s", err.msg);
    ck_assert_msg(pledge_key_write_secret(key, sk, name, NULL, 0, &err) == 0,
                  "%s", err.msg);
    /* minisign reads a comment line into 1024 bytes, newline and NUL
     * included. */
    ck_assert_uint_le(strlen(first_line(pub)), 1022);
    ck_assert_uint_le(strlen(first_line(key)), 1022);
    ck_assert_msg(pledge_key_read_public(pub, &pk2, signer, &err) == 0, "%s",
                  err.msg);
    ck_assert_str_eq(signer, name);
    ck_assert_msg(pledge_key_read_secret(key, 0, NULL, &sk2, signer, &err) == 0,
                  "%s", err.msg);
    ck_assert_str_eq(signer, name);
    assert_same_key(sk, sk2, &pk);
    pledge_seckey_free(sk2);

    put(msg, "I commit to upholding these values.\n");
    ck_assert_int_eq(run("minisign -S -s %s -m %s </dev/null >/dev/null%s",
                         key, msg, ""), 0);
    ck_assert_int_eq(run("minisign -V -p %s -m %s >/dev/null%s", pub, msg,
                         ""), 0);

    /* One character more is refused, and nothing is written. */
    strcat(name, "a");
    ck_assert_int_eq(pledge_key_write_public(in_dir("x.pub"), &pk, name, 0,
                                             &err), -1);
    snprintf(want, sizeof want, "write %s: signer name is too long: 201 "
             "characters (at most 200)", in_dir("x.pub"));
    ck_assert_str_eq(err.msg, want);
    ck_assert_int_eq(pledge_key_write_secret(in_dir("x.key"), sk, name, NULL,
                                             0, &err), -1);
    snprintf(want, sizeof want, "write %s: signer name is too long: 201 "
             "characters (at most 200)", in_dir("x.key"));
    ck_assert_str_eq(err.msg, want);
    ck_assert_int_ne(access(in_dir("x.pub"), F_OK), 0);
    ck_assert_int_ne(access(in_dir("x.key"), F_OK), 0);
    pledge_seckey_free(sk);
}
END_TEST

static void expect_signer_error(const char *name, const char *what)
{
    pledge_err err;

    strcpy(err.msg, "unset");
    ck_assert_msg(pledge_key_check_signer(name, &err) == -1, "accepted '%s'",
                  name);
    ck_assert_str_eq(err.msg, what);
}

START_TEST(signer_rules)
{
    static const char *const good[] = {
        "Jane Doe",
        "Virginia Association for Infant Mental Health",
        "Nguy\xe1\xbb\x85n Th\xe1\xbb\x8b Minh Khai",
        "\xce\x9c\xce\xb1\xcf\x81\xce\xaf\xce\xb1",  /* Greek */
        " Jane ",
        "a; signer: b",         /* read back whole: see signer_comments */
        "x",
    };
    char name[256];
    pledge_err err;
    size_t i;

    for (i = 0; i < sizeof good / sizeof *good; i++)
        ck_assert_msg(pledge_key_check_signer(good[i], &err) == 0,
                      "'%s': %s", good[i], err.msg);
    memset(name, 'a', 200);
    name[200] = '\0';
    ck_assert_int_eq(pledge_key_check_signer(name, &err), 0);
    strcat(name, "a");
    expect_signer_error(name, "signer name is too long: 201 characters "
                        "(at most 200)");

    expect_signer_error("", "signer name is empty");
    expect_signer_error("   ", "signer name is blank");
    /* No-break, ideographic and thin spaces are blank too. */
    expect_signer_error("\xc2\xa0\xe3\x80\x80\xe2\x80\x89",
                        "signer name is blank");
    expect_signer_error("A\tB", "signer name: control character U+0009 at "
                        "character 2");
    expect_signer_error("Jane\nDoe", "signer name: control character U+000A "
                        "at character 5");
    expect_signer_error("Jane\r", "signer name: control character U+000D at "
                        "character 5");
    expect_signer_error("A\x7f", "signer name: control character U+007F at "
                        "character 2");
    expect_signer_error("\xc3\xa9\xc2\x85", "signer name: control "
                        "character U+0085 at character 2");
    expect_signer_error("a\xe2\x80\xa8" "b", "signer name: control character "
                        "U+2028 at character 2");
    expect_signer_error("Jos\xe9", "signer name: invalid UTF-8 at byte 4");
    expect_signer_error("\xc0\xaf", "signer name: invalid UTF-8 at byte 1");
    expect_signer_error("\xed\xa0\x80", "signer name: invalid UTF-8 at "
                        "byte 1");
}
END_TEST

/* Reading signers from comments written by hand: CRLF line ends, other
 * comment text, and names that fail the rules. */
START_TEST(signer_comments)
{
    const char *pub = in_dir("s.pub"), *key = in_dir("s.key");
    char b64[64], text[2048], signer[PLEDGE_SIGNER_BYTES], want[512];
    unsigned char blob[42];
    pledge_seckey *sk, *sk2 = NULL;
    pledge_pubkey pk, pk2;
    pledge_err err;

    ck_assert_int_eq(pledge_key_generate(&sk, &pk, &err), 0);
    memcpy(blob, "Ed", 2);
    memcpy(blob + 2, pk.id, 8);
    memcpy(blob + 10, pk.pk, 32);
    sodium_bin2base64(b64, sizeof b64, blob, sizeof blob,
                      sodium_base64_VARIANT_ORIGINAL);

    snprintf(text, sizeof text, "untrusted comment: minisign public key "
             "0; signer: Jane Doe\r\n%s\r\n", b64);
    put(pub, text);
    ck_assert_msg(pledge_key_read_public(pub, &pk2, signer, &err) == 0, "%s",
                  err.msg);
    ck_assert_str_eq(signer, "Jane Doe");
    ck_assert_mem_eq(&pk2, &pk, sizeof pk);

    snprintf(text, sizeof text, "untrusted comment: my signing key\n%s\n",
             b64);
    put(pub, text);
    strcpy(signer, UNTOUCHED);
    ck_assert_int_eq(pledge_key_read_public(pub, &pk2, signer, &err), 0);
    ck_assert_str_eq(signer, "");

    /* The first separator starts the name; later ones belong to it. */
    ck_assert_int_eq(pledge_key_write_public(pub, &pk, "a; signer: b", 1,
                                             &err), 0);
    ck_assert_int_eq(pledge_key_read_public(pub, &pk2, signer, &err), 0);
    ck_assert_str_eq(signer, "a; signer: b");

    snprintf(text, sizeof text, "untrusted comment: minisign public key "
             "0; signer: Jos\xe9\n%s\n", b64);
    put(pub, text);
    strcpy(signer, UNTOUCHED);
    ck_assert_int_eq(pledge_key_read_public(pub, &pk2, signer, &err), -1);
    ck_assert_str_eq(signer, UNTOUCHED);
    snprintf(want, sizeof want, "read %s: signer name: invalid UTF-8 at "
             "byte 4", pub);
    ck_assert_str_eq(err.msg, want);

    snprintf(text, sizeof text, "untrusted comment: minisign public key "
             "0; signer: \n%s\n", b64);
    put(pub, text);
    ck_assert_int_eq(pledge_key_read_public(pub, &pk2, NULL, &err), -1);
    snprintf(want, sizeof want, "read %s: signer name is empty", pub);
    ck_assert_str_eq(err.msg, want);

    snprintf(text, sizeof text, "untrusted comment: minisign public key "
             "0; signer: \xc2\x9b\n%s\n", b64);
    ck_assert_int_eq(pledge_key_parse_public(text, strlen(text), &pk2,
                                             signer, &err), -1);
    ck_assert_str_eq(err.msg, "parse public key: signer name: control "
                     "character U+009B at character 1");

    /* A secret key's comment is checked too. */
    ck_assert_int_eq(pledge_key_write_secret(key, sk, NULL, NULL, 0, &err),
                     0);
    snprintf(text, sizeof text, "untrusted comment: minisign unencrypted "
             "secret key; signer:   \n%s", second_line(key));
    put(key, text);
    strcpy(signer, UNTOUCHED);
    ck_assert_int_eq(pledge_key_read_secret(key, 0, NULL, &sk2, signer, &err),
                     -1);
    ck_assert_ptr_null(sk2);
    ck_assert_str_eq(signer, UNTOUCHED);
    snprintf(want, sizeof want, "read %s: signer name is blank", key);
    ck_assert_str_eq(err.msg, want);

    /* Writers refuse a bad name before touching the file. */
    ck_assert_int_eq(pledge_key_write_public(in_dir("t.pub"), &pk, "A\tB", 0,
                                             &err), -1);
    snprintf(want, sizeof want, "write %s: signer name: control character "
             "U+0009 at character 2", in_dir("t.pub"));
    ck_assert_str_eq(err.msg, want);
    ck_assert_int_eq(pledge_key_write_secret(key, sk, "", NULL, 1, &err), -1);
    snprintf(want, sizeof want, "write %s: signer name is empty", key);
    ck_assert_str_eq(err.msg, want);
    ck_assert_int_ne(access(in_dir("t.pub"), F_OK), 0);
    ck_assert_int_eq(strncmp(first_line(key), "untrusted comment: minisign "
                             "unencrypted secret key; signer:   ", 60), 0);
    pledge_seckey_free(sk);
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

    ck_assert_int_eq(pledge_key_read_secret(path, 0, NULL, &sk, NULL, &err),
                     -1);
    ck_assert_ptr_null(sk);
    snprintf(want, sizeof want, "read %s: %s", path, what);
    ck_assert_str_eq(err.msg, want);
}

static void expect_public_error(const char *path, const char *what)
{
    pledge_pubkey pk;
    pledge_err err;
    char want[512];

    ck_assert_int_eq(pledge_key_read_public(path, &pk, NULL, &err), -1);
    snprintf(want, sizeof want, "read %s: %s", path, what);
    ck_assert_str_eq(err.msg, want);
}

/* Writes text with its key line's character at i replaced by c to path. */
static void respell(const char *path, const char *text, size_t i, char c)
{
    char copy[1024];

    ck_assert_uint_lt(strlen(text), sizeof copy);
    strcpy(copy, text);
    copy[i] = c;
    put(path, copy);
}

/* A fresh key pair at pub and sec whose public key line holds a '/'
 * (keys are random: a few tries find one); returns that line's offset in
 * the text slurp(pub) gives. */
static size_t keys_with_slash(const char *pub, const char *sec)
{
    pledge_seckey *sk;
    pledge_pubkey pk;
    pledge_err err;
    const char *text, *line;
    int tries;

    for (tries = 0; tries < 100; tries++) {
        ck_assert_int_eq(pledge_key_generate(&sk, &pk, &err), 0);
        ck_assert_int_eq(pledge_key_write_secret(sec, sk, NULL, NULL,
                                                 1, &err), 0);
        pledge_seckey_free(sk);
        ck_assert_int_eq(pledge_key_write_public(pub, &pk, NULL, 1, &err), 0);
        text = slurp(pub);
        line = strchr(text, '\n') + 1;
        if (memchr(line, '/', strcspn(line, "\n")) != NULL)
            return (size_t)(line - text);
    }
    ck_abort_msg("no key with a '/' in 100 tries");
    return 0;
}

/* Every '/' of a public key's base64 swapped for each byte 0x80..0xff
 * (libsodium 1.0.18 reads them all as '/'), a secret key's likewise, and
 * a secret key's unused trailing bits set: all refused. */
static void expect_respelled_keys(const char *pub, const char *sec)
{
    char text[1024], pubtext[256];
    const char *eq;
    size_t i, start = keys_with_slash(pub, sec);
    int c;

    snprintf(pubtext, sizeof pubtext, "%s", slurp(pub));
    snprintf(text, sizeof text, "%s", slurp(sec));
    for (i = start; pubtext[i] != '\n'; i++) {
        if (pubtext[i] != '/')
            continue;
        for (c = 0x80; c <= 0xff; c++) {
            respell(pub, pubtext, i, (char)c);
            expect_public_error(pub, NOT_CANONICAL);
        }
    }
    start = (size_t)(strchr(text, '\n') + 1 - text);
    for (i = start; text[i] != '\n'; i++) {
        if (text[i] != '/')
            continue;
        respell(sec, text, i, (char)0x80);
        expect_secret_error(sec, NOT_CANONICAL);
    }
    /* 158 bytes: the last character before '=' carries 2 unused bits. */
    eq = strchr(text + start, '=');
    ck_assert_ptr_nonnull(eq);
    respell(sec, text, (size_t)(eq - 1 - text), (char)(eq[-1] ^ 1));
    expect_secret_error(sec, NOT_CANONICAL);
}

static void expect_enc_error(const char *path, const char *what)
{
    pledge_err err;
    char want[512];
    int enc = -1;

    ck_assert_int_eq(pledge_key_is_encrypted(path, 0, &enc, &err), -1);
    ck_assert_int_eq(enc, -1);
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
    ck_assert_int_eq(pledge_key_write_secret(good, sk, NULL, NULL, 0, &err),
                     0);
    pledge_seckey_free(sk);
    line = strchr(slurp(good), '\n') + 1;
    ck_assert_int_eq(sodium_base642bin(blob, sizeof blob, line, SK_B64,
                                       NULL, &len, NULL,
                                       sodium_base64_VARIANT_ORIGINAL), 0);
    ck_assert_uint_eq(len, SK_BYTES);

    expect_public_error(in_dir("none.pub"), "No such file or directory");
    expect_enc_error(in_dir("none.key"), "No such file or directory");

    put(badpub, "untrusted comment: minisign public key 0\nRWQAAA==\n");
    expect_public_error(badpub, "key line has 8 characters, expected 56: "
                        "not a minisign public key");
    put(badpub, "untrusted comment: minisign public key 0\n");
    expect_public_error(badpub, "empty key line");
    put(badpub, "untrusted comment: minisign public key 0");
    expect_public_error(badpub, "no key line after the comment");
    put(badpub, "untrusted comment: x\n"
        "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n");
    expect_public_error(badpub, NOT_CANONICAL);
    /* One spelling only: each byte libsodium would read as '/', and a
     * set bit the last character carries beyond the data, is refused. */
    expect_respelled_keys(badpub, bad);
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

    put(badpub, "untrusted comment: x\nRWQAAA==\n");
    expect_enc_error(badpub, "key line has 8 characters, expected 212: "
                     "not a minisign secret key");

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
    expect_enc_error(bad, "unsupported signature algorithm \"E\\x00\" "
                     "(expected \"Ed\")");
    blob[1] = 'd';
    memcpy(blob + 2, "Ar", 2);
    put_secret(bad, blob);
    expect_secret_error(bad, "unsupported key derivation \"Ar\" "
                        "(expected \"Sc\" or none)");
    expect_enc_error(bad, "unsupported key derivation \"Ar\" "
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

/* Both readers refuse path with "read PATH: what", leaving their
 * outputs alone. */
static void expect_refused(const char *path, unsigned flags,
                           const char *what)
{
    pledge_seckey *sk = NULL;
    char signer[PLEDGE_SIGNER_BYTES], want[512];
    pledge_err err;
    int enc = -1;

    strcpy(signer, UNTOUCHED);
    ck_assert_int_eq(pledge_key_read_secret(path, flags, NULL, &sk, signer,
                                            &err), -1);
    ck_assert_ptr_null(sk);
    ck_assert_str_eq(signer, UNTOUCHED);
    snprintf(want, sizeof want, "read %s: %s", path, what);
    ck_assert_str_eq(err.msg, want);
    ck_assert_int_eq(pledge_key_is_encrypted(path, flags, &enc, &err), -1);
    ck_assert_int_eq(enc, -1);
    ck_assert_str_eq(err.msg, want);
}

/* Both readers accept path under flags, and it holds the key of pk. */
static void expect_accepted(const char *path, unsigned flags,
                            const pledge_pubkey *pk)
{
    pledge_seckey *sk = NULL;
    pledge_pubkey got;
    pledge_err err;
    int enc = -1;

    ck_assert_msg(pledge_key_read_secret(path, flags, NULL, &sk, NULL,
                                         &err) == 0, "%s", err.msg);
    pledge_seckey_public(sk, &got);
    ck_assert_mem_eq(&got, pk, sizeof got);
    pledge_seckey_free(sk);
    ck_assert_msg(pledge_key_is_encrypted(path, flags, &enc, &err) == 0,
                  "%s", err.msg);
    ck_assert_int_eq(enc, 0);
}

START_TEST(secret_file_checks)
{
    const char *key = in_dir("k.key"), *odd = in_dir("it's a key.key");
    const char *sym = in_dir("link.key"), *fifo = in_dir("fifo.key");
    const char *sub = in_dir("sub.key");
    pledge_seckey *sk;
    pledge_pubkey pk;
    pledge_err err;
    char what[512], q[300];
    struct stat st;

    ck_assert_int_eq(pledge_key_generate(&sk, &pk, &err), 0);
    ck_assert_msg(pledge_key_write_secret(key, sk, NULL, NULL, 0, &err) == 0,
                  "%s", err.msg);
    pledge_seckey_free(sk);
    ck_assert_int_eq(stat(key, &st), 0);
    ck_assert_int_eq(st.st_mode & 07777, 0600);
    expect_accepted(key, 0, &pk);

    /* Readable by the group or the world: refused, with the fix. */
    ck_assert_int_eq(chmod(key, 0640), 0);
    snprintf(what, sizeof what, "the secret key is readable by others "
             "(mode 0640); run: chmod 600 %s (or pass --allow-insecure-key)",
             key);
    expect_refused(key, 0, what);
    expect_accepted(key, PLEDGE_KEY_ALLOW_INSECURE, &pk);
    ck_assert_int_eq(chmod(key, 0604), 0);
    snprintf(what, sizeof what, "the secret key is readable by others "
             "(mode 0604); run: chmod 600 %s (or pass --allow-insecure-key)",
             key);
    expect_refused(key, 0, what);
    /* Writable by others without being readable is refused too: whoever
     * can write the key can replace it with theirs. */
    ck_assert_int_eq(chmod(key, 0620), 0);
    snprintf(what, sizeof what, "the secret key is accessible by others "
             "(mode 0620); run: chmod 600 %s (or pass --allow-insecure-key)",
             key);
    expect_refused(key, 0, what);
    /* What only its owner can reach is fine, read-only or not. */
    ck_assert_int_eq(chmod(key, 0400), 0);
    expect_accepted(key, 0, &pk);
    ck_assert_int_eq(chmod(key, 0600), 0);

    /* The hint is a command to paste, quoted when the path needs it. */
    ck_assert_int_eq(link(key, odd), 0);
    ck_assert_int_eq(chmod(odd, 0644), 0);
    snprintf(q, sizeof q, "'%s/it'\\''s a key.key'", dir);
    snprintf(what, sizeof what, "the secret key is readable by others "
             "(mode 0644); run: chmod 600 %s (or pass --allow-insecure-key)",
             q);
    expect_refused(odd, 0, what);
    ck_assert_int_eq(chdir(dir), 0);
    ck_assert_int_eq(rename(odd, "-k.key"), 0);
    expect_refused("-k.key", 0, "the secret key is readable by others "
                   "(mode 0644); run: chmod 600 ./-k.key (or pass "
                   "--allow-insecure-key)");
    ck_assert_int_eq(chmod(key, 0600), 0);

    /* A symbolic link is followed: the key file's mode is what counts. */
    ck_assert_int_eq(symlink(key, sym), 0);
    expect_accepted(sym, 0, &pk);

    /* Not a regular file: refused even when insecure modes are allowed,
     * and a FIFO with no writer is refused without waiting for one. */
    ck_assert_int_eq(mkfifo(fifo, 0600), 0);
    expect_refused(fifo, PLEDGE_KEY_ALLOW_INSECURE, "not a regular file: a "
                   "secret key must be one");
    ck_assert_int_eq(mkdir(sub, 0700), 0);
    expect_refused(sub, 0, "not a regular file: a secret key must be one");
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
    tcase_add_test(tc, longest_signer);
    tcase_add_test(tc, signer_rules);
    tcase_add_test(tc, signer_comments);
    tcase_add_test(tc, malformed);
    tcase_add_test(tc, secret_file_checks);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return run_suite(key_suite());
}
