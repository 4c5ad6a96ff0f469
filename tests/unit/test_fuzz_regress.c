/* test_fuzz_regress.c - inputs the fuzz harnesses (fuzz/) found, kept
 * so that what they broke stays fixed.
 *
 * Each test names the harness and what went wrong.  Most findings are
 * undefined behaviour that only the sanitizers see, so these tests earn
 * their keep in the ASan+UBSan run (`make unit BUILD=build/san SAN=1`):
 * there the old code aborts the test.  Inputs are heap copies of exactly
 * the bytes under test, so a read past the end cannot hide behind a NUL.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unistd.h>

#include <sodium.h>

#include "../../src/pdf/pdfparse.h"
#include "../../src/pledge.h"
#include "run_suite.h"

static unsigned char *copy_of(const char *s, size_t len)
{
    unsigned char *p = malloc(len > 0 ? len : 1);

    ck_assert_ptr_nonnull(p);
    memcpy(p, s, len);
    return p;
}

/* fuzz_pdf: an empty dictionary read before any other container copied
 * its entries from a scratch stack that was still NULL ("applying zero
 * offset to null pointer" in parse_dict). */
START_TEST(pdf_empty_dict_first)
{
    static const char *const cases[] = {
        "<<>>", "<< >>", "<<\n>>", "%PDF-1.3\n%\xbf\n<<\n>>"
    };
    const char *s = cases[_i];
    size_t len = strlen(s), end = 0;
    unsigned char *d = copy_of(s, len);
    pledge_pdf_obj *o = NULL;
    pledge_err err;

    ck_assert_int_eq(pledge_pdf_parse_value(d, len, 0, &o, &end, &err), 0);
    ck_assert_int_eq(o->type, PLEDGE_PDF_DICT);
    ck_assert_uint_eq(o->u.dict.n, 0);
    ck_assert_uint_eq(o->end, len);
    ck_assert_uint_eq(end, len);
    ck_assert_ptr_null(pledge_pdf_dict_get(o, "Size"));
    pledge_pdf_obj_free(o);
    free(d);
}
END_TEST

/* fuzz_pdf: the same through the file reader, whose first container is
 * the trailer dictionary: an empty one must be refused for what it lacks,
 * not crash on the way. */
START_TEST(pdf_empty_trailer)
{
    char text[256];
    size_t xref, len;
    unsigned char *d;
    pledge_pdf *pdf = NULL;
    pledge_err err;
    int n;

    n = snprintf(text, sizeof text, "%%PDF-1.7\n");
    xref = (size_t)n;
    n += snprintf(text + n, sizeof text - (size_t)n,
                  "xref\n0 1\n0000000000 65535 f\r\ntrailer\n<<>>\n"
                  "startxref\n%zu\n%%%%EOF\n", xref);
    ck_assert(n > 0 && (size_t)n < sizeof text);
    len = (size_t)n;
    d = copy_of(text, len);
    memset(&err, 0, sizeof err);
    ck_assert_int_eq(pledge_pdf_open(&pdf, d, len, &err), -1);
    ck_assert_ptr_null(pdf);
    ck_assert_msg(strstr(err.msg, "Size") != NULL, "%s", err.msg);
    free(d);
}
END_TEST

/* fuzz_seckey: a 262-byte key file claiming scrypt with opslimit 2^32-1
 * (parallelism 8191 at 16 MiB) made the reader spend minutes of CPU
 * before its checksum could refuse the key.  Limits above minisign's own
 * are refused at once; Check's 4-second timeout fails the old code. */
START_TEST(seckey_huge_scrypt_limits)
{
    unsigned char blob[158];
    char b64[sodium_base64_ENCODED_LEN(158, sodium_base64_VARIANT_ORIGINAL)];
    char path[] = "/tmp/pledge-fuzz-regress-XXXXXX", *text;
    pledge_seckey *sk = NULL;
    pledge_err err;
    size_t i;
    int fd;

    ck_assert_int_ge(sodium_init(), 0);
    memset(blob, 0, sizeof blob);
    memcpy(blob, "EdScB2", 6);
    for (i = 0; i < 4; i++)
        blob[38 + i] = 0xff;                /* opslimit 2^32 - 1, LE */
    blob[46 + 3] = 0x01;                    /* memlimit 16 MiB, LE */
    sodium_bin2base64(b64, sizeof b64, blob, sizeof blob,
                      sodium_base64_VARIANT_ORIGINAL);
    fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    text = malloc(strlen(b64) + 64);
    ck_assert_ptr_nonnull(text);
    sprintf(text, "untrusted comment: minisign encrypted secret key\n%s\n",
            b64);
    ck_assert_int_eq(write(fd, text, strlen(text)), (int)strlen(text));
    close(fd);
    free(text);
    memset(&err, 0, sizeof err);
    ck_assert_int_eq(pledge_key_read_secret(path, 0, "x", &sk, NULL, &err),
                     -1);
    unlink(path);
    ck_assert_ptr_null(sk);
    ck_assert_msg(strstr(err.msg, "scrypt limits out of range") != NULL,
                  "%s", err.msg);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("fuzz_regress");
    TCase *tc = tcase_create("pdf");

    tcase_add_loop_test(tc, pdf_empty_dict_first, 0, 4);
    tcase_add_test(tc, pdf_empty_trailer);
    suite_add_tcase(s, tc);
    tc = tcase_create("seckey");
    tcase_add_test(tc, seckey_huge_scrypt_limits);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return run_suite(suite());
}
