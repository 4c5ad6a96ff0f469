/* test_text.c - showing untrusted text: the terminal escaper, JSON strings
 * that are always valid UTF-8, the check that refuses hidden characters in
 * names, and strict base64 with one spelling per value. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "../../src/util/base64.h"
#include "../../src/util/json.h"
#include "../../src/util/text.h"
#include "../../src/util/utf8.h"
#include "run_suite.h"

static const char *escaped(const char *s)
{
    static char buf[1024];

    pledge_text_escape(buf, sizeof buf, s);
    return buf;
}

START_TEST(escape_shows_every_byte)
{
    ck_assert_str_eq(escaped("jane-doe.pdf"), "jane-doe.pdf");
    ck_assert_str_eq(escaped("Ana Mar\xc3\xad" "a"), "Ana Mar\xc3\xad" "a");
    ck_assert_str_eq(escaped("a\rb\x1b[2Kc\x1b[8m"),
                     "a\\x0db\\x1b[2Kc\\x1b[8m");
    ck_assert_str_eq(escaped("x\x7fy\n"), "x\\x7fy\\x0a");
    ck_assert_str_eq(escaped("back\\slash"), "back\\\\slash");
    /* Invalid UTF-8: a Latin-1 byte, a lone continuation, an overlong
     * '/', a surrogate. */
    ck_assert_str_eq(escaped("Jos\xe9"), "Jos\\xe9");
    ck_assert_str_eq(escaped("\x80\xc0\xaf"), "\\x80\\xc0\\xaf");
    ck_assert_str_eq(escaped("\xed\xa0\x80"), "\\xed\\xa0\\x80");
    /* C1 controls, bidi, zero-width and BOM. */
    ck_assert_str_eq(escaped("\xc2\x9b" "2K"), "\\u009b2K");
    ck_assert_str_eq(escaped("fdp.\xe2\x80\xaeml"), "fdp.\\u202eml");
    ck_assert_str_eq(escaped("\xe2\x81\xa6x\xe2\x81\xa9"),
                     "\\u2066x\\u2069");
    ck_assert_str_eq(escaped("a\xe2\x80\x8b" "b\xef\xbb\xbf"),
                     "a\\u200bb\\ufeff");
    ck_assert_str_eq(escaped("\xd8\x9c\xe2\x80\xa8\xe2\x80\xa9"),
                     "\\u061c\\u2028\\u2029");
}
END_TEST

START_TEST(escape_is_bounded)
{
    char small[8], big[64];
    size_t need;

    need = pledge_text_escape(small, sizeof small, "\x1b\x1b\x1b\x1b");
    ck_assert_uint_eq(need, 16);
    ck_assert_str_eq(small, "\\x1b\\x1");
    need = pledge_text_escape(big, sizeof big, "\xe2\x80\xae");
    ck_assert_uint_eq(need, 6);
    ck_assert_uint_eq(pledge_text_escape(NULL, 0, "\xff\xff"), 8);
}
END_TEST

/* The escape holds no byte a terminal acts on and is valid UTF-8, for
 * every byte pair. */
START_TEST(escape_output_is_inert)
{
    char in[3], out[32];
    size_t i, n;
    int a, b;
    uint32_t cp;

    for (a = 1; a < 256; a++)
        for (b = 1; b < 256; b++) {
            in[0] = (char)a, in[1] = (char)b, in[2] = '\0';
            pledge_text_escape(out, sizeof out, in);
            n = strlen(out);
            /* Checked without ck_assert: a passing ck_assert costs a
             * system call, and this loop makes two million checks. */
            for (i = 0; i < n;)
                if (pledge_utf8_next(out, n, &i, &cp) < 0 ||
                    pledge_text_is_hidden(cp))
                    ck_abort_msg("%02x %02x escapes to \"%s\"", a, b, out);
        }
}
END_TEST

static const char *as_json(const char *s)
{
    static char buf[1024];
    FILE *f = fmemopen(buf, sizeof buf, "w");

    ck_assert_ptr_nonnull(f);
    pledge_json_string(f, s);
    fclose(f);
    return buf;
}

START_TEST(json_is_valid_utf8)
{
    ck_assert_str_eq(as_json("a\"b\\c"), "\"a\\\"b\\\\c\"");
    ck_assert_str_eq(as_json("\r\x1b[2K"), "\"\\u000d\\u001b[2K\"");
    ck_assert_str_eq(as_json("Jos\xe9!"), "\"Jos\\ufffd!\"");
    ck_assert_str_eq(as_json("\xe2\x80\xae\xc2\x85"),
                     "\"\\u202e\\u0085\"");
    ck_assert_str_eq(as_json("Mar\xc3\xad" "a \xf0\x9f\x98\x80"),
                     "\"Mar\xc3\xad" "a \xf0\x9f\x98\x80\"");
}
END_TEST

static void expect_refused(const char *s, const char *want)
{
    pledge_err err;

    ck_assert_int_eq(pledge_text_check("name", s, &err), -1);
    ck_assert_str_eq(err.msg, want);
}

START_TEST(check_refuses_hidden_characters)
{
    pledge_err err;

    ck_assert_int_eq(pledge_text_check("name", "Jane Doe", &err), 0);
    ck_assert_int_eq(pledge_text_check("name", "", &err), 0);
    ck_assert_int_eq(pledge_text_check("name", "Nguy\xe1\xbb\x85n", &err), 0);
    expect_refused("Jane\xe2\x80\xae" "eoD", "name holds U+202E "
                   "(RIGHT-TO-LEFT OVERRIDE), which is not allowed");
    expect_refused("Ja\xe2\x80\x8bne", "name holds U+200B (ZERO WIDTH "
                   "SPACE), which is not allowed");
    expect_refused("\xef\xbb\xbfJane", "name holds U+FEFF (ZERO WIDTH "
                   "NO-BREAK SPACE), which is not allowed");
    expect_refused("a\xe2\x81\xa7" "b", "name holds U+2067 (RIGHT-TO-LEFT "
                   "ISOLATE), which is not allowed");
    expect_refused("a\xd8\x9c", "name holds U+061C (ARABIC LETTER MARK), "
                   "which is not allowed");
    expect_refused("a\x1b", "name holds U+001B (ESCAPE), which is not "
                   "allowed");
    expect_refused("Jane  Doe", "name holds two spaces in a row, which is "
                   "not allowed");
    expect_refused(" Jane", "name starts with a space, which is not "
                   "allowed");
    expect_refused("Jane ", "name ends with a space, which is not allowed");
    expect_refused("Jos\xe9", "name holds invalid UTF-8 (byte 0xe9 at "
                   "byte 4), which is not allowed");
}
END_TEST

/* Decodes the base64 of n random bytes, then every one-byte change of
 * it: only the original spelling decodes. */
static void one_spelling(size_t n)
{
    unsigned char bin[64], out[64];
    char b64[100], bad[100];
    size_t len = PLEDGE_BASE64_LEN(n), i;
    int c, ok;

    randombytes_buf(bin, n);
    sodium_bin2base64(b64, sizeof b64, bin, n,
                      sodium_base64_VARIANT_ORIGINAL);
    ck_assert_uint_eq(strlen(b64), len);
    ck_assert_int_eq(pledge_base64_decode(b64, len, out, n), 0);
    ck_assert_int_eq(memcmp(out, bin, n), 0);
    for (i = 0; i < len; i++)
        for (c = 0; c < 256; c++) {
            if (c == (unsigned char)b64[i])
                continue;
            memcpy(bad, b64, len);
            bad[i] = (char)c;
            ok = pledge_base64_decode(bad, len, out, n) == 0;
            /* A change decodes only to other data, never the same. */
            if (ok && memcmp(out, bin, n) == 0)
                ck_abort_msg("%zu bytes: byte %zu as 0x%02x decodes the "
                             "same", n, i, c);
        }
}

START_TEST(base64_has_one_spelling)
{
    unsigned char out[8];
    size_t n;

    ck_assert_int_eq(sodium_init() >= 0, 1);
    for (n = 1; n <= 9; n++)
        one_spelling(n);
    one_spelling(42);
    one_spelling(64);
    ck_assert_int_eq(pledge_base64_decode("QQ==", 4, out, 1), 0);
    ck_assert_int_eq(out[0], 'A');
    ck_assert_int_eq(pledge_base64_decode("QR==", 4, out, 1), -1);
    ck_assert_int_eq(pledge_base64_decode("QUI=", 4, out, 2), 0);
    ck_assert_int_eq(pledge_base64_decode("QUJ=", 4, out, 2), -1);
    ck_assert_int_eq(pledge_base64_decode("QQ=", 3, out, 1), -1);
    ck_assert_int_eq(pledge_base64_decode("QQ==\n", 5, out, 1), -1);
    ck_assert_int_eq(pledge_base64_decode("Q Q=", 4, out, 1), -1);
    ck_assert_int_eq(pledge_base64_decode("\x80\x80\x80\x80", 4, out, 3),
                     -1);
    ck_assert_int_eq(pledge_base64_decode("////", 4, out, 3), 0);
    ck_assert_int_eq(pledge_base64_decode("///\xff", 4, out, 3), -1);
    ck_assert_int_eq(pledge_base64_decode("", 0, out, 0), 0);
}
END_TEST

static Suite *text_suite(void)
{
    Suite *s = suite_create("text");
    TCase *tc = tcase_create("core");

    tcase_add_test(tc, escape_shows_every_byte);
    tcase_add_test(tc, escape_is_bounded);
    tcase_add_test(tc, escape_output_is_inert);
    tcase_add_test(tc, json_is_valid_utf8);
    tcase_add_test(tc, check_refuses_hidden_characters);
    tcase_add_test(tc, base64_has_one_spelling);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return run_suite(text_suite());
}
