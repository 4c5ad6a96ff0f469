/* test_verify.c - signed pledges, and the attacks the verifier must reject.
 *
 * Each attack starts from a real signed pledge, made once in main() and
 * inherited by every forked test.  Where an attack changes signed bytes,
 * the test re-signs the crafted file with the real key (resign()), so the
 * cryptography passes and only the structural rule under test stands
 * between the forgery and a VALID verdict; the expected reason proves that
 * rule is what caught it.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <zlib.h>

#include "../../src/pdf/pdfparse.h"
#include "../../src/pledge.h"
#include "../../src/sign/claim.h"
#include "../../src/sign/key.h"
#include "../../src/sign/minisig.h"
#include "../../src/sign/seal.h"
#include "../../src/sign/sign.h"
#include "../../src/sign/verify.h"
#include "../../src/util/flate.h"
#include "run_suite.h"

#define SIGN_TIME 1795262400LL      /* 2026-11-21T12:00:00Z */

static pledge_seckey *key, *other_key;
static pledge_keyring *ring;
static unsigned char *pledge_a, *pledge_b, *plain;
static size_t len_a, len_b, len_plain;

/* The endorsement chain: Jane's pledge signed with her own key, then
 * countersigned by the association's key, which ring_assoc holds with
 * role association (and ring_norole without a role record); John's pledge
 * signed by his; Jane's again, signed a day after the endorsement. */
#define ENDORSE_TIME (SIGN_TIME + 86400)
static pledge_seckey *jane_key, *john_key, *assoc_key;
static pledge_keyring *ring_assoc, *ring_norole;
static unsigned char *jane, *john, *jane_late, *endorsed;
static size_t len_jane, len_john, len_jane_late, len_endorsed;
static char dir[64];
static pledge_engine *content_eng;  /* for the content check */

/* A private copy of a fixture, with room to grow. */
static unsigned char *copy(const unsigned char *p, size_t len, size_t extra)
{
    unsigned char *c = malloc(len + extra + 1);

    ck_assert_ptr_nonnull(c);
    memcpy(c, p, len);
    return c;
}

/* Offset of the last occurrence of s in p[0..len). */
static size_t last(const unsigned char *p, size_t len, const char *s)
{
    size_t n = strlen(s), i;

    for (i = len - n + 1; i-- > 0;)
        if (memcmp(p + i, s, n) == 0)
            return i;
    ck_abort_msg("\"%s\" not found", s);
    return 0;
}

/* Whether s occurs in p[0..len). */
static int occurs(const unsigned char *p, size_t len, const char *s)
{
    size_t n = strlen(s), i;

    for (i = 0; i + n <= len; i++)
        if (memcmp(p + i, s, n) == 0)
            return 1;
    return 0;
}

static void overwrite(unsigned char *p, size_t off, const char *s)
{
    memcpy(p + off, s, strlen(s));
}

/* Replaces p[off..off+oldlen) by s, moving the rest, and keeps the last
 * xref section and startxref pointing at the moved objects, so the file
 * stays well-formed and only the change under test is wrong.  Returns the
 * new length; p must have room. */
static size_t splice_bytes(unsigned char *p, size_t len, size_t off,
                           size_t oldlen, const void *s, size_t n)
{
    size_t x, sx, e, i;
    long long delta = (long long)n - (long long)oldlen;
    unsigned long long v;
    char num[32];

    memmove(p + off + n, p + off + oldlen, len - off - oldlen);
    memcpy(p + off, s, n);
    len = (size_t)((long long)len + delta);
    x = last(p, len, "\nxref\n") + 6;
    for (i = x; i + 20 <= len && memcmp(p + i, "trailer", 7) != 0; i++) {
        if (p[i + 10] != ' ' || p[i + 16] != ' ' || p[i + 17] != 'n')
            continue;
        v = strtoull((const char *)p + i, NULL, 10);
        if (v > off) {
            snprintf(num, sizeof num, "%010llu",
                     (unsigned long long)((long long)v + delta));
            memcpy(p + i, num, 10);
        }
        i += 19;
    }
    sx = last(p, len, "startxref\n") + 10;
    for (e = sx; p[e] >= '0' && p[e] <= '9'; e++)
        ;
    snprintf(num, sizeof num, "%zu", x - 5);
    memmove(p + sx + strlen(num), p + e, len - e);
    memcpy(p + sx, num, strlen(num));
    return len - (e - sx) + strlen(num);
}

static size_t splice(unsigned char *p, size_t len, size_t off, size_t oldlen,
                     const char *s)
{
    return splice_bytes(p, len, off, oldlen, s, strlen(s));
}

/* The ByteRange the file states (the last one in it). */
static void byte_range(const unsigned char *p, size_t len,
                       unsigned long long r[4])
{
    const char *s = (const char *)p + last(p, len, "/ByteRange[") + 11;
    char *end;
    int i;

    for (i = 0; i < 4; i++) {
        r[i] = strtoull(s, &end, 10);
        s = end;
    }
}

/* Rewrites the ByteRange in place as [0 a b c] (same width). */
static void set_byte_range(unsigned char *p, size_t len,
                           unsigned long long a, unsigned long long b,
                           unsigned long long c)
{
    char br[64];

    snprintf(br, sizeof br, "[0 %010llu %010llu %010llu]", a, b, c);
    overwrite(p, last(p, len, "/ByteRange[") + 10, br);
}

/* The trusted comment of the file's embedded signature. */
static void trusted_of(const unsigned char *p, size_t len,
                       char out[PLEDGE_MINISIG_TRUSTED_MAX + 1])
{
    pledge_minisig ms;
    pledge_verdict v;
    size_t a, b;

    ck_assert_msg(pledge_verify_locate(p, len, &ms, &a, &b, &v) == 0, "%s",
                  v.reason);
    strcpy(out, ms.trusted);
}

/* Signs the file again with sk over the ranges its ByteRange states, with
 * trusted as the comment, writing the hex after the /Contents that
 * follows the last /ByteRange (a page's /Contents may come later). */
static void resign_with(unsigned char *p, size_t len, const pledge_seckey *sk,
                        const char *trusted)
{
    static const char hex[] = "0123456789abcdef";
    unsigned char hash[PLEDGE_MINISIG_HASH_BYTES];
    unsigned long long r[4];
    pledge_minisig_hasher h;
    pledge_err err;
    size_t at = last(p, len, "/ByteRange["), i, n;
    char *text;

    while (at + 9 < len && memcmp(p + at, "/Contents", 9) != 0)
        at++;
    at += 10;
    byte_range(p, len, r);
    ck_assert(r[1] <= len && r[2] + r[3] <= len && r[2] <= len);
    pledge_minisig_hash_init(&h);
    pledge_minisig_hash_update(&h, p + r[0], r[1]);
    pledge_minisig_hash_update(&h, p + r[2], r[3]);
    pledge_minisig_hash_final(&h, hash);
    ck_assert_msg(pledge_minisig_sign(sk, hash, PLEDGE_SIGN_UNTRUSTED, trusted,
                                      &text, &n, &err) == 0, "%s", err.msg);
    for (i = 0; i < n; i++) {
        ck_assert(at + 2 * i + 1 < len);
        p[at + 2 * i] = (unsigned char)hex[(unsigned char)text[i] >> 4];
        p[at + 2 * i + 1] = (unsigned char)hex[(unsigned char)text[i] & 15];
    }
    free(text);
}

static void resign(unsigned char *p, size_t len)
{
    char trusted[PLEDGE_MINISIG_TRUSTED_MAX + 1];

    trusted_of(pledge_a, len_a, trusted);
    resign_with(p, len, key, trusted);
}

static void expect_invalid(const unsigned char *p, size_t len,
                           const char *reason)
{
    pledge_verdict v;

    ck_assert_int_eq(pledge_verify_pdf(ring, p, len, &v), -1);
    ck_assert_int_eq(v.valid, 0);
    ck_assert_msg(strstr(v.reason, reason) != NULL,
                  "reason \"%s\" lacks \"%s\"", v.reason, reason);
}

static void expect_valid(const unsigned char *p, size_t len)
{
    pledge_verdict v;

    ck_assert_msg(pledge_verify_pdf(ring, p, len, &v) == 0, "%s", v.reason);
    ck_assert_int_eq(v.valid, 1);
}

/* ---- the real thing ---- */

START_TEST(valid_pledge)
{
    pledge_verdict v;

    ck_assert_msg(pledge_verify_pdf(ring, pledge_a, len_a, &v) == 0, "%s",
                  v.reason);
    /* The name comes from the key's file name, never its comment. */
    ck_assert_str_eq(v.signer, "test");
    ck_assert_str_eq(v.claim.applicant, "Jane Doe");
    ck_assert_str_eq(v.claim.layout, "vaimh-code");
    ck_assert_str_eq(v.claim.time, "2026-11-21T12:00:00Z");
    ck_assert_str_eq(v.claim.association,
                     "Virginia Association for Infant Mental Health");
    ck_assert_str_eq(v.key_id, v.claim.key);
    ck_assert_int_eq(strlen(v.claim.text), 64);
    expect_valid(pledge_b, len_b);
}
END_TEST

START_TEST(resign_helper_is_faithful)
{
    /* Re-signing an untouched file must give a valid file: otherwise the
     * attacks below would prove nothing. */
    unsigned char *p = copy(pledge_a, len_a, 0);

    resign(p, len_a);
    expect_valid(p, len_a);
    free(p);
}
END_TEST

START_TEST(signing_is_reproducible)
{
    pledge_claim c;
    pledge_err err;
    unsigned char *o1, *o2;
    size_t n1, n2;

    memset(&c, 0, sizeof c);
    strcpy(c.signer, "Test Association");
    ck_assert_int_eq(pledge_claim_time(SIGN_TIME, c.time), 0);
    ck_assert_int_eq(pledge_sign_append(plain, len_plain, key, &c, &o1, &n1,
                                        &err), 0);
    ck_assert_int_eq(pledge_sign_append(plain, len_plain, key, &c, &o2, &n2,
                                        &err), 0);
    ck_assert_uint_eq(n1, n2);
    ck_assert(memcmp(o1, o2, n1) == 0);
    ck_assert(memcmp(o1, plain, len_plain) == 0);   /* an append only */
    expect_valid(o1, n1);
    /* Signing the signed file again is refused. */
    ck_assert_int_eq(pledge_sign_append(o1, n1, key, &c, &o2, &n2, &err),
                     -1);
    ck_assert_ptr_nonnull(strstr(err.msg, "already signed"));
    free(o1);
    free(o2);
}
END_TEST

START_TEST(unsigned_pledge_is_invalid)
{
    expect_invalid(plain, len_plain, "not signed");
}
END_TEST

/* ---- 1. ByteRange shape ---- */

static void br_text(const char *text, const char *reason)
{
    unsigned char *p = copy(pledge_a, len_a, 64);
    size_t at = last(p, len_a, "/ByteRange[") + 10, end = at, n;

    while (p[end] != ']')
        end++;
    n = splice(p, len_a, at, end + 1 - at, text);
    expect_invalid(p, n, reason);
    free(p);
}

START_TEST(br_three_numbers) { br_text("[0 1 2]", "holds 3 numbers"); }
END_TEST
START_TEST(br_five_numbers) { br_text("[0 1 2 3 4]", "holds 5 numbers"); }
END_TEST
START_TEST(br_empty) { br_text("[]", "holds 0 numbers"); }
END_TEST
START_TEST(br_null) { br_text(" null", "not an array"); }
END_TEST
START_TEST(br_indirect) { br_text(" 7 0 R", "indirect reference"); }
END_TEST
START_TEST(br_real) { br_text("[0 1.5 2 3]", "not a non-negative integer"); }
END_TEST
START_TEST(br_negative)
{
    br_text("[0 -10 20 30]", "not a non-negative integer");
}
END_TEST
START_TEST(br_overflow)
{
    /* Too big for the reader at all, or big enough to wrap a sum. */
    unsigned char *p = copy(pledge_a, len_a, 64);
    size_t at = last(p, len_a, "/ByteRange[") + 10, end = at, n;
    pledge_verdict v;

    while (p[end] != ']')
        end++;
    n = splice(p, len_a, at, end + 1 - at,
               "[0 10 18446744073709551615 18446744073709551606]");
    ck_assert_int_eq(pledge_verify_pdf(ring, p, n, &v), -1);
    free(p);
    br_text("[0 10 9007199254740000 9007199254740000]", "past the end");
}
END_TEST

static void br_values(long long a, long long b, long long c,
                      const char *reason)
{
    unsigned char *p = copy(pledge_a, len_a, 0);

    set_byte_range(p, len_a, (unsigned long long)a, (unsigned long long)b,
                   (unsigned long long)c);
    if (b <= (long long)len_a && b + c <= (long long)len_a)
        resign(p, len_a);
    expect_invalid(p, len_a, reason);
    free(p);
}

START_TEST(br_first_not_zero)
{
    unsigned char *p = copy(pledge_a, len_a, 0);
    size_t at = last(p, len_a, "/ByteRange[") + 11;

    p[at] = '1';
    expect_invalid(p, len_a, "does not start at byte 0");
    free(p);
}
END_TEST

START_TEST(br_overlap)
{
    unsigned long long r[4];

    byte_range(pledge_a, len_a, r);
    br_values((long long)r[2], (long long)r[1],
              (long long)(len_a - r[1]), "overlap");
    br_values((long long)r[1], (long long)r[1],
              (long long)(len_a - r[1]), "overlap");
}
END_TEST

START_TEST(br_past_end)
{
    unsigned long long r[4];

    byte_range(pledge_a, len_a, r);
    br_values((long long)r[1], (long long)r[2], (long long)r[3] + 1,
              "past the end");
    br_values((long long)r[1], (long long)len_a + 5, 0, "past the end");
}
END_TEST

START_TEST(br_missing)
{
    unsigned char *p = copy(pledge_a, len_a, 0);

    overwrite(p, last(p, len_a, "/ByteRange["), "/ByteRangX");
    expect_invalid(p, len_a, "no /ByteRange");
    free(p);
}
END_TEST

/* ---- 2. the gap is exactly this dictionary's /Contents ---- */

START_TEST(gap_one_byte_too_long)
{
    unsigned long long r[4];

    byte_range(pledge_a, len_a, r);
    br_values((long long)r[1], (long long)r[2] + 1, (long long)r[3] - 1,
              "not exactly /Contents");
    br_values((long long)r[1] - 1, (long long)r[2], (long long)r[3],
              "not exactly /Contents");
    br_values((long long)r[1], (long long)r[2] - 1, (long long)r[3] + 1,
              "not exactly /Contents");
}
END_TEST

START_TEST(gap_hides_objects)
{
    /* The gap grows to hold more after the hex string (here an entry
     * that could carry anything); the signature, made again over the new
     * ranges, is good, so only the gap rule can refuse it. */
    static const char hidden[] = "/Hidden(99 0 obj planted endobj)";
    unsigned char *p = copy(pledge_a, len_a, 64);
    unsigned long long r[4];
    size_t n;

    byte_range(pledge_a, len_a, r);
    n = splice(p, len_a, (size_t)r[2], 0, hidden);
    set_byte_range(p, n, r[1], r[2] + strlen(hidden), r[3]);
    resign(p, n);
    expect_invalid(p, n, "not exactly /Contents");
    free(p);
}
END_TEST

START_TEST(gap_shorter_hex_with_hidden_bytes)
{
    /* The hex string ends early and the rest of the gap holds other
     * bytes: the hex string no longer spans the gap. */
    unsigned char *p = copy(pledge_a, len_a, 0);
    unsigned long long r[4];

    byte_range(pledge_a, len_a, r);
    overwrite(p, (size_t)r[2] - 12, ">/Hidden 1 >");
    expect_invalid(p, len_a, "");
    free(p);
}
END_TEST

START_TEST(contents_literal_string)
{
    unsigned char *p = copy(pledge_a, len_a, 0);
    unsigned long long r[4];

    byte_range(pledge_a, len_a, r);
    p[r[1]] = '(';
    p[r[2] - 1] = ')';
    resign(p, len_a);
    expect_invalid(p, len_a, "literal string");
    free(p);
}
END_TEST

START_TEST(contents_uppercase_hex)
{
    /* Case is not a second spelling of the same signature. */
    unsigned char *p = copy(pledge_a, len_a, 0);
    unsigned long long r[4];
    size_t i;

    byte_range(pledge_a, len_a, r);
    for (i = (size_t)r[1] + 1; i < r[2] - 1; i++)
        if (p[i] >= 'a' && p[i] <= 'f') {
            p[i] = (unsigned char)(p[i] - 'a' + 'A');
            break;
        }
    expect_invalid(p, len_a, "lowercase hex");
    free(p);
}
END_TEST

/* ---- 3. universal forgery ---- */

static void contents_text(const char *text, int fix_range, const char *reason)
{
    unsigned char *p = copy(pledge_a, len_a, 64);
    unsigned long long r[4];
    size_t n;

    byte_range(pledge_a, len_a, r);
    n = splice(p, len_a, (size_t)r[1], (size_t)(r[2] - r[1]), text);
    if (fix_range)
        set_byte_range(p, n, r[1], r[1] + strlen(text), n - r[1] -
                       strlen(text));
    expect_invalid(p, n, reason);
    free(p);
}

START_TEST(contents_null) { contents_text(" null", 1, "/Contents is null"); }
END_TEST
START_TEST(contents_empty) { contents_text("<>", 1, "/Contents is empty"); }
END_TEST
START_TEST(contents_truncated)
{
    contents_text("<756e74727573746564>", 1, "not a minisign signature");
}
END_TEST

START_TEST(contents_missing)
{
    unsigned char *p = copy(pledge_a, len_a, 0);

    overwrite(p, last(p, len_a, "/Contents<"), "/Contentz");
    expect_invalid(p, len_a, "no /Contents");
    free(p);
}
END_TEST

START_TEST(contents_all_zeros)
{
    unsigned char *p = copy(pledge_a, len_a, 0);
    unsigned long long r[4];

    byte_range(pledge_a, len_a, r);
    memset(p + r[1] + 1, '0', (size_t)(r[2] - r[1] - 2));
    expect_invalid(p, len_a, "not a minisign signature");
    free(p);
}
END_TEST

START_TEST(contents_oversized)
{
    /* The real signature plus padding: the signature file must end where
     * the hex ends. */
    unsigned char *p = copy(pledge_a, len_a, 64);
    unsigned long long r[4];
    size_t n;

    byte_range(pledge_a, len_a, r);
    n = splice(p, len_a, (size_t)r[2] - 1, 0, "0000");
    set_byte_range(p, n, r[1], r[2] + 4, n - r[2] - 4);
    resign(p, n);
    expect_invalid(p, n, "unexpected bytes after the signature");
    free(p);
}
END_TEST

START_TEST(subfilter_unknown)
{
    unsigned char *p = copy(pledge_a, len_a, 0);

    overwrite(p, last(p, len_a, "/SubFilter/") + 11,
              "adbe.pkcs7.detached      ");
    resign(p, len_a);
    expect_invalid(p, len_a, "unknown /SubFilter");
    free(p);
}
END_TEST

START_TEST(subfilter_missing)
{
    unsigned char *p = copy(pledge_a, len_a, 0);

    overwrite(p, last(p, len_a, "/SubFilter/"), "/SubFiltex");
    resign(p, len_a);
    expect_invalid(p, len_a, "no /SubFilter");
    free(p);
}
END_TEST

START_TEST(filter_other)
{
    unsigned char *p = copy(pledge_a, len_a, 0);

    overwrite(p, last(p, len_a, "/Filter/") + 8, "Adobe.PPKLite  ");
    resign(p, len_a);
    expect_invalid(p, len_a, "/Filter");
    free(p);
}
END_TEST

/* ---- 4. incremental saving ---- */

static void appended(const char *tail, const char *reason)
{
    unsigned char *p = copy(pledge_a, len_a, strlen(tail));
    size_t n = len_a + strlen(tail);

    memcpy(p + len_a, tail, strlen(tail));
    expect_invalid(p, n, reason);
    free(p);
}

START_TEST(append_one_byte) { appended("\n", "added after signing"); }
END_TEST
START_TEST(append_objects_without_xref)
{
    appended("99 0 obj (more) endobj\n", "added after signing");
}
END_TEST

/* Appends a well-formed incremental update: with plant, a new object
 * objnum in the update itself (body, or a string when body is NULL);
 * without, an xref entry that re-points objnum at target, an offset
 * earlier in the file.  Then a trailer with the same /Root and a /Prev,
 * startxref and %%EOF.  p must have room. */
static size_t add_update_body(unsigned char *p, size_t len, unsigned objnum,
                              size_t target, int plant, const char *body)
{
    const char *s = (const char *)p;
    size_t r = last(p, len, "/Root ") + 6, e = r, n = 0, xref;
    unsigned long long prev;
    unsigned size;
    char tail[1024];

    prev = strtoull(s + last(p, len, "startxref") + 10, NULL, 10);
    size = (unsigned)strtoul(s + last(p, len, "/Size ") + 6, NULL, 10);
    while (p[e] != 'R')
        e++;
    if (size <= objnum)
        size = objnum + 1;
    if (plant) {
        target = len;
        n += (size_t)snprintf(tail, sizeof tail, "%u 0 obj\n%s\nendobj\n",
                              objnum, body != NULL ? body :
                              "(a planted copy)");
    }
    xref = len + n;
    n += (size_t)snprintf(tail + n, sizeof tail - n,
                          "xref\n%u 1\n%010zu 00000 n\r\ntrailer\n<</Size %u"
                          "/Root %.*s/Prev %llu>>\nstartxref\n%zu\n%%%%EOF\n",
                          objnum, target, size, (int)(e + 1 - r), s + r,
                          prev, xref);
    memcpy(p + len, tail, n);
    return len + n;
}

static size_t add_update(unsigned char *p, size_t len, unsigned objnum,
                         size_t target, int plant)
{
    return add_update_body(p, len, objnum, target, plant, NULL);
}

START_TEST(append_whole_update)
{
    unsigned char *p = copy(pledge_a, len_a, 2048);
    size_t n = add_update(p, len_a, 500, 0, 1);

    expect_invalid(p, n, "added after signing");
    free(p);
}
END_TEST

START_TEST(append_trailer_alone)
{
    unsigned long long prev;
    char tail[256];

    prev = strtoull((const char *)pledge_a + last(pledge_a, len_a,
                    "startxref") + 10, NULL, 10);
    snprintf(tail, sizeof tail, "trailer\n<</Size 3>>\nstartxref\n%llu\n"
             "%%%%EOF\n", prev);
    appended(tail, "");
}
END_TEST

/* ---- 5. shadow attack ---- */

START_TEST(shadow_repoints_catalog)
{
    /* An appended xref section sends the catalog back to its copy from
     * before signing (which has no signature field): a viewer would show
     * an unsigned document, the verifier must not call it valid. */
    unsigned char *p = copy(pledge_a, len_a, 2048);
    size_t r = last(p, len_a, "/Root ") + 6, off, n;
    unsigned num = (unsigned)strtoul((const char *)p + r, NULL, 10);
    char pat[32];

    snprintf(pat, sizeof pat, "\n%u 0 obj", num);
    for (off = 0; off < len_plain; off++)
        if (memcmp(p + off, pat, strlen(pat)) == 0)
            break;
    if (off < len_plain) {
        n = add_update(p, len_a, num, off + 1, 0);
    } else {
        /* The base keeps the catalog in its object stream, where no
         * classic entry can point: the update writes that copy again. */
        pledge_pdf *pdf;
        const pledge_pdf_obj *cat;
        pledge_err err;
        char body[1024];

        ck_assert_int_eq(pledge_pdf_open(&pdf, plain, len_plain, &err), 0);
        ck_assert_int_eq(pledge_pdf_get(pdf, num, &cat, &err), 0);
        ck_assert_uint_lt(cat->end - cat->start, sizeof body);
        memcpy(body, pledge_pdf_span(pdf, cat), cat->end - cat->start);
        body[cat->end - cat->start] = '\0';
        pledge_pdf_close(pdf);
        ck_assert_ptr_null(strstr(body, "AcroForm"));
        n = add_update_body(p, len_a, num, 0, 1, body);
    }
    expect_invalid(p, n, "");
    free(p);
}
END_TEST

/* ---- 6. lifted, tampered, truncated, wrong key ---- */

START_TEST(lifted_signature)
{
    unsigned char *p = copy(pledge_b, len_b, 0);
    unsigned long long ra[4], rb[4];

    byte_range(pledge_a, len_a, ra);
    byte_range(pledge_b, len_b, rb);
    ck_assert_uint_eq(ra[2] - ra[1], rb[2] - rb[1]);
    memcpy(p + rb[1], pledge_a + ra[1], (size_t)(ra[2] - ra[1]));
    expect_invalid(p, len_b, "does not match the signed bytes");
    free(p);
}
END_TEST

START_TEST(tampered_byte_everywhere)
{
    /* One changed byte anywhere outside the gap, here in the page
     * content, the info and the trailer. */
    size_t spots[3];
    unsigned long long r[4];
    int i;

    byte_range(pledge_a, len_a, r);
    spots[0] = len_plain / 2;
    spots[1] = last(pledge_a, len_a, "/Prev ") + 6;
    spots[2] = (size_t)r[2] + 3;
    for (i = 0; i < 3; i++) {
        unsigned char *p = copy(pledge_a, len_a, 0);
        pledge_verdict v;

        p[spots[i]] ^= 0x01;
        ck_assert_int_eq(pledge_verify_pdf(ring, p, len_a, &v), -1);
        free(p);
    }
}
END_TEST

START_TEST(truncated_file)
{
    expect_invalid(pledge_a, len_a - 1, "");
    expect_invalid(pledge_a, len_a / 2, "");
}
END_TEST

START_TEST(wrong_key)
{
    unsigned char *p = copy(pledge_a, len_a, 0);
    char trusted[PLEDGE_MINISIG_TRUSTED_MAX + 1];

    trusted_of(pledge_a, len_a, trusted);
    resign_with(p, len_a, other_key, trusted);
    expect_invalid(p, len_a, "signed by unknown key ID");
    free(p);
}
END_TEST

/* Re-signs pledge_a with the real key over a claim whose bytes after the
 * field start `field` are overwritten by to, and expects reason. */
static void changed_claim(const char *field, const char *to,
                          const char *reason)
{
    unsigned char *p = copy(pledge_a, len_a, 0);
    char trusted[PLEDGE_MINISIG_TRUSTED_MAX + 1], *k;

    trusted_of(pledge_a, len_a, trusted);
    k = strstr(trusted, field);
    ck_assert_ptr_nonnull(k);
    memcpy(k + strlen(field), to, strlen(to));
    resign_with(p, len_a, key, trusted);
    expect_invalid(p, len_a, reason);
    free(p);
}

START_TEST(key_id_mismatch)
{
    /* The signature is good but the claim inside names another key. */
    changed_claim("\tkey:", "0123456789ABCDEF", "key ID mismatch");
}
END_TEST

START_TEST(tampered_trusted_comment)
{
    /* "Jane" becomes "June" inside the hex of the trusted comment. */
    unsigned char *p = copy(pledge_a, len_a, 0);
    unsigned long long r[4];
    size_t i;

    byte_range(pledge_a, len_a, r);
    for (i = (size_t)r[1] + 1; i + 8 < r[2]; i += 2)
        if (memcmp(p + i, "4a616e65", 8) == 0)   /* "Jane" */
            break;
    ck_assert_uint_lt(i + 8, r[2]);
    memcpy(p + i, "4a756e65", 8);                /* "June" */
    expect_invalid(p, len_a, "trusted comment does not match");
    free(p);
}
END_TEST

/* ---- 8. one spelling of the signature ---- */

/* The signature widget's place in the structure tree (its /TU and
 * /StructParent) is part of what the content check makes again: the
 * signer cannot re-describe the signature or hang it elsewhere. */
static void widget_changed(const char *from, const char *to)
{
    unsigned char *p = copy(pledge_a, len_a, 64);
    unsigned long long r[4];
    pledge_verdict v;
    size_t len;

    ck_assert_msg(pledge_verify_pdf(ring, pledge_a, len_a, &v) == 0, "%s",
                  v.reason);
    pledge_verify_content(content_eng, PLEDGE_SRCDIR "/layouts", pledge_a,
                          len_a, &v);
    ck_assert_msg(v.valid && v.content == PLEDGE_CONTENT_VERIFIED, "%s",
                  v.reason);
    byte_range(p, len_a, r);
    len = splice(p, len_a, last(p, len_a, from), strlen(from), to);
    set_byte_range(p, len, r[1], r[2], len - r[2]);
    resign(p, len);
    ck_assert_msg(pledge_verify_pdf(ring, p, len, &v) == 0, "%s", v.reason);
    pledge_verify_content(content_eng, PLEDGE_SRCDIR "/layouts", p, len, &v);
    ck_assert_int_eq(v.valid, 0);
    ck_assert_msg(strstr(v.reason, "the content differs") != NULL, "%s",
                  v.reason);
    free(p);
}

START_TEST(widget_description_changed)
{
    widget_changed("/TU(Digital signature of Test Association)",
                   "/TU(Digital signature of Test Associates)");
}
END_TEST

START_TEST(widget_description_dropped)
{
    widget_changed("/TU(Digital signature of Test Association)", "");
}
END_TEST

START_TEST(widget_struct_parent_changed)
{
    widget_changed("/StructParent ", "/StructParent 1");
}
END_TEST

/* Its key respelled: the widget is in no structure. */
START_TEST(widget_struct_parent_dropped)
{
    widget_changed("/StructParent", "/XtructParent");
}
END_TEST

static int hexdigit(unsigned char c)
{
    return c <= '9' ? c - '0' : c - 'a' + 10;
}

/* The offset in the file of the hex of byte i of the minisign text in
 * /Contents, and that byte. */
static size_t sig_byte_at(const unsigned char *p, size_t i, int *byte)
{
    unsigned long long r[4];
    size_t at;

    byte_range(p, len_a, r);
    at = (size_t)r[1] + 1 + 2 * i;
    ck_assert_uint_lt(at + 1, r[2]);
    *byte = hexdigit(p[at]) << 4 | hexdigit(p[at + 1]);
    return at;
}

static void put_sig_byte(unsigned char *p, size_t at, int byte)
{
    static const char hex[] = "0123456789abcdef";

    p[at] = (unsigned char)hex[byte >> 4];
    p[at + 1] = (unsigned char)hex[byte & 15];
}

/* The bounds [*from, *to) in the minisign text of its line k (0-based). */
static void sig_line(const unsigned char *p, int k, size_t *from, size_t *to)
{
    size_t i = 0;
    int line = 0, b;

    while (line < k) {
        sig_byte_at(p, i++, &b);
        if (b == '\n')
            line++;
    }
    *from = i;
    do
        sig_byte_at(p, i++, &b);
    while (b != '\n');
    *to = i - 1;
}

START_TEST(signature_base64_respelled)
{
    /* libsodium 1.0.18 decodes each byte 0x80-0xff as '/': every such
     * spelling of a '/' in the signature's base64 lines (the signature,
     * line 2; the global signature, line 4) is a different file that must
     * not stay VALID.  The key is random, so a signature may have no '/':
     * every other character is also tried as 0x80 and 0xff, which the
     * decoder must refuse before any signature check. */
    unsigned char *p = copy(pledge_a, len_a, 0);
    size_t from, to, i, at;
    int k, b, c;

    for (k = 1; k <= 3; k += 2) {
        sig_line(pledge_a, k, &from, &to);
        for (i = from; i < to; i++) {
            at = sig_byte_at(pledge_a, i, &b);
            for (c = 0x80; c <= 0xff; c += b == '/' ? 1 : 0x7f) {
                put_sig_byte(p, at, c);
                expect_invalid(p, len_a, "canonical base64");
            }
            put_sig_byte(p, at, b);
        }
    }
    expect_valid(p, len_a);
    free(p);
}
END_TEST

START_TEST(signature_padding_bits_set)
{
    /* 74 and 64 bytes leave 2 and 4 unused bits in the character before
     * the '=': setting one spells the same signature another way. */
    static const char b64[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    unsigned char *p = copy(pledge_a, len_a, 0);
    size_t from, to, at;
    int k, b;

    for (k = 1; k <= 3; k += 2) {
        sig_line(pledge_a, k, &from, &to);
        sig_byte_at(pledge_a, to - 1, &b);
        ck_assert_int_eq(b, '=');
        at = sig_byte_at(pledge_a, to - (k == 1 ? 2 : 3), &b);
        put_sig_byte(p, at, b64[(strchr(b64, b) - b64) ^ 1]);
        expect_invalid(p, len_a, "canonical base64");
        memcpy(p, pledge_a, len_a);
    }
    free(p);
}
END_TEST

START_TEST(claim_with_bidi_override)
{
    /* A validly signed claim whose applicant hides its reading order is
     * refused, not shown: "Jane Doe" becomes "J" RLO "eDoe". */
    changed_claim("\tapplicant:", "J\xe2\x80\xae" "e",
                  "trusted comment field \"applicant\" holds U+202E "
                  "(RIGHT-TO-LEFT OVERRIDE), which is not allowed");
}
END_TEST

/* ---- 7. malformed files never crash it ---- */

START_TEST(truncated_at_every_offset)
{
    pledge_verdict v;
    size_t n;

    for (n = 0; n < len_a; n++)
        ck_assert_int_eq(pledge_verify_pdf(ring, pledge_a, n, &v), -1);
}
END_TEST

START_TEST(bit_flip_grid)
{
    unsigned char *p = copy(pledge_a, len_a, 0);
    pledge_verdict v;
    size_t i;

    for (i = 0; i < len_a; i += 11) {
        p[i] ^= (unsigned char)(1u << (i % 8));
        ck_assert_msg(pledge_verify_pdf(ring, p, len_a, &v) == -1,
                      "flip at %zu verified", i);
        p[i] = pledge_a[i];
    }
    free(p);
}
END_TEST

/* ---- 8. the endorsement chain ---- */

/* Countersigns p as the association, at ENDORSE_TIME, certifying
 * member ID member. */
static unsigned char *endorse_member(const unsigned char *p, size_t len,
                                     const char *member, size_t *outlen)
{
    pledge_endorsement e;
    pledge_pubkey pk;
    pledge_err err;
    unsigned char *out = NULL;

    memset(&e, 0, sizeof e);
    strcpy(e.signer, "Test Association");
    strcpy(e.association, "Virginia Association for Infant Mental Health");
    strcpy(e.applicant, "Jane Doe");
    strcpy(e.member_id, member);
    pledge_seckey_public(jane_key, &pk);
    pledge_key_public_line(&pk, e.applicant_key);
    ck_assert_int_eq(pledge_claim_time(ENDORSE_TIME, e.time), 0);
    ck_assert_msg(pledge_endorse_pdf(p, len, assoc_key, &e, &out, outlen,
                                     &err) == 0, "%s", err.msg);
    return out;
}

static unsigned char *endorse(const unsigned char *p, size_t len,
                              size_t *outlen)
{
    return endorse_member(p, len, "VA-0142", outlen);
}

/* The trusted comment of the file's last signature. */
static void last_trusted(const unsigned char *p, size_t len,
                         char out[PLEDGE_MINISIG_TRUSTED_MAX + 1])
{
    size_t at = last(p, len, "/Contents<") + 10, n = 0;
    char text[2048], *t, *nl;
    unsigned x;

    while (p[at] != '>' && n + 1 < sizeof text) {
        ck_assert_int_eq(sscanf((const char *)p + at, "%2x", &x), 1);
        text[n++] = (char)x;
        at += 2;
    }
    text[n] = '\0';
    t = strstr(text, "\ntrusted comment: ");
    ck_assert_ptr_nonnull(t);
    t += 18;
    nl = strchr(t, '\n');
    ck_assert_ptr_nonnull(nl);
    *nl = '\0';
    strcpy(out, t);
}

/* Signs the file's last signature again with the association's key over
 * the ranges it states, after the ByteRange is made to reach the end;
 * with trusted as the claim, or when NULL the one it holds. */
static void reendorse(unsigned char *p, size_t len, const char *trusted)
{
    char own[PLEDGE_MINISIG_TRUSTED_MAX + 1];
    unsigned long long r[4];

    byte_range(p, len, r);
    set_byte_range(p, len, r[1], r[2], len - r[2]);
    if (trusted == NULL)
        last_trusted(p, len, own);
    resign_with(p, len, assoc_key, trusted != NULL ? trusted : own);
}

static void expect_endorsed_invalid(const pledge_keyring *kr,
                                    const unsigned char *p, size_t len,
                                    const char *reason)
{
    pledge_verdict v;

    ck_assert_int_eq(pledge_verify_pdf(kr, p, len, &v), -1);
    ck_assert_int_eq(v.valid, 0);
    ck_assert_msg(strstr(v.reason, reason) != NULL,
                  "reason \"%s\" lacks \"%s\"", v.reason, reason);
}

START_TEST(endorsed_valid_with_association_key_only)
{
    pledge_verdict v;
    char id[17];
    pledge_pubkey pk;

    expect_endorsed_invalid(ring_assoc, jane, len_jane, "unknown key ID");
    ck_assert_msg(pledge_verify_pdf(ring_assoc, endorsed, len_endorsed,
                                    &v) == 0, "%s", v.reason);
    ck_assert_int_eq(v.endorsed, 1);
    ck_assert_uint_eq(v.signed_len, len_jane);
    ck_assert_str_eq(v.claim.applicant, "Jane Doe");
    ck_assert_str_eq(v.signer, "Jane Doe");
    pledge_seckey_public(jane_key, &pk);
    pledge_key_id_hex(pk.id, id);
    ck_assert_str_eq(v.key_id, id);
    ck_assert_str_eq(v.endorser, "Test Association");
    ck_assert_str_eq(v.endorsement.member_id, "VA-0142");
    ck_assert_str_eq(v.endorsement.time, "2026-11-22T12:00:00Z");
}
END_TEST

START_TEST(endorsing_is_reproducible)
{
    size_t n;
    unsigned char *again = endorse(jane, len_jane, &n);

    ck_assert_uint_eq(n, len_endorsed);
    ck_assert(memcmp(again, endorsed, n) == 0);
    free(again);
}
END_TEST

START_TEST(endorsement_by_key_without_association_role)
{
    expect_endorsed_invalid(ring_norole, endorsed, len_endorsed,
                            "not record as an association's key");
}
END_TEST

/* The seal an endorsed file's widget carries. */
static void seal_of(const unsigned char *p, size_t len, pledge_seal *out)
{
    unsigned char raw[PLEDGE_SEAL_MAX_BYTES];
    size_t at = last(p, len, "/PledgeSeal<") + 12, n = 0;
    unsigned x;
    pledge_err err;

    while (p[at] != '>' && n < sizeof raw) {
        ck_assert_int_eq(sscanf((const char *)p + at, "%2x", &x), 1);
        raw[n++] = (unsigned char)x;
        at += 2;
    }
    ck_assert_msg(pledge_seal_parse(raw, n, out, &err) == 0, "%s", err.msg);
}

START_TEST(endorsement_lifted_onto_another_pledge)
{
    /* The association's update, cut from Jane's endorsed pledge and put
     * after John's: its offsets and signature are Jane's. */
    char trusted[PLEDGE_MINISIG_TRUSTED_MAX + 1];
    unsigned char *p = copy(john, len_john, len_endorsed - len_jane), *q;
    size_t n, a, b;
    pledge_endorsement e;
    pledge_seal sl;
    pledge_err err;

    memcpy(p + len_john, endorsed + len_jane, len_endorsed - len_jane);
    expect_endorsed_invalid(ring_assoc, p, len_john + len_endorsed -
                            len_jane, "");
    /* Laid out for John's bytes and signed by the association, the claim
     * still certifies Jane's revision. */
    last_trusted(endorsed, len_endorsed, trusted);
    ck_assert_int_eq(pledge_endorsement_parse(trusted, &e, &err), 0);
    seal_of(endorsed, len_endorsed, &sl);
    ck_assert_int_eq(pledge_sign_endorse_prepare(john, len_john, &e, &sl,
                                                 PLEDGE_ENDORSE_FORM_PACKED,
                                                 &q, &n, &a, &b, &err), 0);
    reendorse(q, n, trusted);
    expect_endorsed_invalid(ring_assoc, q, n, "made for another pledge");
    free(q);
    free(p);
}
END_TEST

START_TEST(applicant_signature_after_endorsement)
{
    size_t n;
    unsigned char *p = endorse(jane_late, len_jane_late, &n);

    expect_endorsed_invalid(ring_assoc, p, n, "dated after the endorsement");
    free(p);
}
END_TEST

/* Jane's endorsement laid out after p for p's revision, with seal s in
 * its panel (NULL: the seal Jane's endorsement carries), and signed by
 * the association's key: what the association would write if it
 * endorsed p (a tampered pledge, which endorse refuses) or drew s. */
static unsigned char *lay_endorsement(const unsigned char *p, size_t len,
                                      const pledge_seal *s, size_t *outlen)
{
    char trusted[PLEDGE_MINISIG_TRUSTED_MAX + 1];
    pledge_endorsement e;
    pledge_seal sl;
    pledge_err err;
    unsigned char *q;
    size_t a, b;

    last_trusted(endorsed, len_endorsed, trusted);
    ck_assert_int_eq(pledge_endorsement_parse(trusted, &e, &err), 0);
    pledge_sign_revision_hash(p, len, e.signed_hash);
    ck_assert_int_eq(pledge_endorsement_format(&e, trusted, sizeof trusted,
                                               &err), 0);
    if (s == NULL) {
        seal_of(endorsed, len_endorsed, &sl);
        s = &sl;
    }
    ck_assert_msg(pledge_sign_endorse_prepare(p, len, &e, s,
                                              PLEDGE_ENDORSE_FORM_PACKED, &q,
                                              outlen, &a, &b, &err) == 0,
                  "%s", err.msg);
    reendorse(q, *outlen, trusted);
    return q;
}

START_TEST(update_saved_between_signatures)
{
    /* An incremental update after the applicant's signature (which then
     * no longer covers the file), endorsed by the real association key. */
    unsigned char *p = copy(jane, len_jane, 2048), *e;
    size_t n = add_update(p, len_jane, 500, 0, 1), elen;

    e = lay_endorsement(p, n, NULL, &elen);
    expect_endorsed_invalid(ring_assoc, e, elen, "");
    free(e);
    free(p);
}
END_TEST

START_TEST(third_update)
{
    unsigned char *p = copy(endorsed, len_endorsed, 2048);
    size_t n = add_update(p, len_endorsed, 500, 0, 1);

    expect_endorsed_invalid(ring_assoc, p, n, "added after signing");
    /* Signed again by the association to cover it: not its shape. */
    reendorse(p, n, NULL);
    expect_endorsed_invalid(ring_assoc, p, n, "not the endorsement pledge "
                            "writes");
    free(p);
}
END_TEST

START_TEST(shadow_object_in_second_update)
{
    /* The endorsement update also redefines the document information
     * object, and the association's key signs the result. */
    unsigned char *p = copy(endorsed, len_endorsed, 4096);
    size_t n = len_endorsed, x;
    unsigned info = (unsigned)strtoul((const char *)p + last(p, n, "/Info ") +
                                      6, NULL, 10);
    char obj[128], entry[128];

    x = last(p, n, "\nxref\n") + 1;
    snprintf(obj, sizeof obj, "%u 0 obj\n<</Producer(shadow)>>\nendobj\n",
             info);
    n = splice(p, n, x, 0, obj);
    snprintf(entry, sizeof entry, "%u 1\n%010zu 00000 n\r\ntrailer", info, x);
    n = splice(p, n, last(p, n, "trailer"), 7, entry);
    reendorse(p, n, NULL);
    expect_endorsed_invalid(ring_assoc, p, n, "not the endorsement pledge "
                            "writes");
    free(p);
}
END_TEST

START_TEST(wrapped_applicant_contents)
{
    /* A digit of the applicant's /Contents changed, and that file
     * endorsed by the real association key: its signature covers the
     * change, the applicant's fails. */
    unsigned char *p = copy(jane, len_jane, 0), *e;
    unsigned long long r[4];
    size_t at, n;

    byte_range(p, len_jane, r);
    at = (size_t)r[1] + 5;
    p[at] = p[at] == 'a' ? 'b' : 'a';
    e = lay_endorsement(p, len_jane, NULL, &n);
    expect_endorsed_invalid(ring_assoc, e, n, "the applicant's signature");
    free(e);
    free(p);
}
END_TEST

START_TEST(wrapped_endorsement_contents)
{
    /* The second ByteRange leaves out more than its /Contents. */
    unsigned char *p = copy(endorsed, len_endorsed, 0);
    unsigned long long r[4];

    byte_range(p, len_endorsed, r);
    set_byte_range(p, len_endorsed, r[1] - 20, r[2], r[3]);
    expect_endorsed_invalid(ring_assoc, p, len_endorsed,
                            "is not exactly /Contents");
    free(p);
}
END_TEST

START_TEST(endorsed_with_applicant_key_held)
{
    /* A keyring holding the applicant's key too keeps its own record. */
    pledge_keyring *kr;
    pledge_verdict v;
    pledge_pubkey pk;
    pledge_err err;
    char path[128];

    snprintf(path, sizeof path, "%s/assoc/vaimh.pub", dir);
    pledge_seckey_public(jane_key, &pk);
    ck_assert_int_eq(pledge_keyring_new(&kr, &err), 0);
    ck_assert_int_eq(pledge_keyring_add_file(kr, path, &err), 0);
    ck_assert_int_eq(pledge_keyring_add_key(kr, &pk, "Jane Doe", &err), 0);
    ck_assert_msg(pledge_verify_pdf(kr, endorsed, len_endorsed, &v) == 0,
                  "%s", v.reason);
    ck_assert_str_eq(v.key_file, "(the signing key)");
    pledge_keyring_free(kr);
}
END_TEST

START_TEST(endorsement_panel_on_signature_page)
{
    /* The revision records the area; the update shows the association's
     * widget there, through its appearance, listed in the page's /Annots,
     * and leaves every byte of the revision as it was. */
    const char *rect = (const char *)endorsed + last(endorsed, len_endorsed,
                                                     "/Rect[") + 6;
    long long x0, y0, x1, y1;

    ck_assert(memcmp(endorsed, jane, len_jane) == 0);
    /* The revision's page (in its object stream), as the update writes
     * it again, keeps the area. */
    last(endorsed + len_jane, len_endorsed - len_jane,
         "/PledgeEndorsementArea");
    last(endorsed + len_jane, len_endorsed - len_jane, "/Annots[");
    last(endorsed + len_jane, len_endorsed - len_jane, "/AP<</N ");
    /* Drawn with the revision's own embedded fonts, none added. */
    last(endorsed + len_jane, len_endorsed - len_jane, "/Font<</F1 ");
    ck_assert(!occurs(endorsed + len_jane, len_endorsed - len_jane,
                      "Helvetica"));
    /* Tagged: the widget names the revision's reserved parent tree key
     * and says what the panel shows. */
    last(endorsed + len_jane, len_endorsed - len_jane,
         "/TU(Endorsement by Virginia Association for Infant Mental Health:"
         " on ");
    last(endorsed + len_jane, len_endorsed - len_jane, "/StructParent ");
    ck_assert_int_eq(sscanf(rect, "%lld %lld %lld %lld", &x0, &y0, &x1, &y1),
                     4);
    ck_assert(x1 - x0 > 180 && y1 - y0 >= 100);
}
END_TEST

START_TEST(reendorse_helper_is_faithful)
{
    /* Signing the untouched endorsed file again must keep it VALID, or
     * the panel attacks below would prove nothing. */
    unsigned char *p = copy(endorsed, len_endorsed, 0);
    pledge_verdict v;

    reendorse(p, len_endorsed, NULL);
    ck_assert_msg(pledge_verify_pdf(ring_assoc, p, len_endorsed, &v) == 0,
                  "%s", v.reason);
    free(p);
}
END_TEST

/* p (n bytes, an endorsed file changed) signed again by the association
 * over its whole: refused for its shape alone.  Frees p. */
static void expect_shape_refused(unsigned char *p, size_t n)
{
    reendorse(p, n, NULL);
    expect_endorsed_invalid(ring_assoc, p, n, "not the endorsement pledge "
                            "writes");
    free(p);
}

/* The endorsed fixture with the last from replaced by to, signed again by
 * the association: the rebuilt update (its panel drawn from the claim)
 * differs. */
static void expect_panel_refused(const char *from, const char *to)
{
    unsigned char *p = copy(endorsed, len_endorsed, 4096);
    size_t n = splice(p, len_endorsed, last(p, len_endorsed, from),
                      strlen(from), to);

    expect_shape_refused(p, n);
}

/* The endorsed fixture with its panel's drawing (the last stream)
 * inflated, when edit is 1 with another code in the last line shown (the
 * high byte of its first), and compressed again by zlib at level level
 * (0: by pledge's own coder; -1: not at all, its /Filter dropped), its
 * /Length set to match.  Returns the copy and its length in *n; the
 * caller frees it. */
static unsigned char *repacked_panel(int edit, int level, size_t *n)
{
    unsigned char *p = copy(endorsed, len_endorsed, 8192), *d, *z;
    size_t e = last(p, len_endorsed, "\nendstream"),
           s = last(p, e, ">>\nstream\n") + 10, l, dl;
    uLongf dn = 65536, zn;
    char num[32];

    d = malloc(dn + 64);
    z = malloc(compressBound(dn + 64));
    ck_assert_ptr_nonnull(d);
    ck_assert_ptr_nonnull(z);
    ck_assert_int_eq(uncompress(d, &dn, p + s, e - s), Z_OK);
    dl = dn;
    if (edit) {
        size_t at = last(d, dl, " Tm (") + 5;

        d[at] = d[at] == 1 ? 2 : 1;
    }
    if (level < 0) {            /* stored as the drawing, unfiltered */
        memcpy(z, d, dl);
        zn = dl;
    } else if (level > 0) {
        zn = compressBound(dl);
        ck_assert_int_eq(compress2(z, &zn, d, dl, level), Z_OK);
    } else {
        unsigned char *f;
        size_t fn;

        ck_assert_int_eq(pledge_flate_fixed(d, dl, &f, &fn), 0);
        memcpy(z, f, fn);
        zn = fn;
        free(f);
    }
    *n = splice_bytes(p, len_endorsed, s, e - s, z, zn);
    l = last(p, s, "/Length ") + 8;
    snprintf(num, sizeof num, "%lu>>", (unsigned long)zn);
    *n = splice(p, *n, l, strcspn((const char *)p + l, ">") + 2, num);
    if (level < 0) {
        l = last(p, l, "/Filter/FlateDecode");
        *n = splice(p, *n, l, strlen("/Filter/FlateDecode"), "");
    }
    free(d);
    free(z);
    return p;
}

START_TEST(endorsement_panel_other_text)
{
    size_t n;
    unsigned char *p = repacked_panel(1, 0, &n);

    expect_shape_refused(p, n);
}
END_TEST

START_TEST(endorsement_panel_other_compressor)
{
    /* The very drawing pledge writes, compressed by zlib instead: a
     * verifier compares bytes, so only pledge's own coding of it holds.
     * Coded again by pledge's coder, it passes, or this proves nothing. */
    unsigned char *p;
    size_t n;
    int level;
    pledge_verdict v;

    for (level = 1; level <= 9; level += 8) {
        p = repacked_panel(0, level, &n);
        expect_shape_refused(p, n);
    }
    /* Nor is it stored uncompressed: that is the earlier form's stream
     * with this form's ASCII85 samples, which neither form writes. */
    p = repacked_panel(0, -1, &n);
    expect_shape_refused(p, n);
    p = repacked_panel(0, 0, &n);
    ck_assert_uint_eq(n, len_endorsed);
    reendorse(p, n, NULL);
    ck_assert_msg(pledge_verify_pdf(ring_assoc, p, n, &v) == 0, "%s",
                  v.reason);
    free(p);
}
END_TEST

START_TEST(endorsement_panel_other_font)
{
    /* The text's font swapped for the revision's bold, and for a standard
     * font the revision does not embed. */
    unsigned char *p = copy(endorsed, len_endorsed, 4096);
    size_t at = last(p, len_endorsed, "/Font<</F1 ") + 11, n;
    unsigned f1, f2;
    char to[64];

    ck_assert_int_eq(sscanf((const char *)p + at, "%u 0 R/F2 %u 0 R", &f1,
                            &f2), 2);
    ck_assert_uint_ne(f1, f2);
    snprintf(to, sizeof to, "%u 0 R/F2 %u 0 R", f2, f1);
    n = splice(p, len_endorsed, at, strlen(to), to);
    expect_shape_refused(p, n);
    expect_panel_refused("/Font<</F1 ", "/Font<</F1<</Type/Font/Subtype/"
                         "Type1/BaseFont/Helvetica>>/F0 ");
}
END_TEST

START_TEST(endorsement_widget_other_tags)
{
    /* The description and the parent tree key follow from the revision
     * and the claim: another is refused. */
    expect_panel_refused("/TU(Endorsement by ", "/TU(Endorsement of ");
    expect_panel_refused("/StructParent ", "/StructParent 1");
    expect_panel_refused("/StructParent ", "/Alt()/StructParent ");
}
END_TEST

START_TEST(endorsement_panel_other_rect)
{
    expect_panel_refused("/Rect[", "/Rect[1 1 2 2]/Old[");
    expect_panel_refused("/AP<</N ", "/AP<</D ");
}
END_TEST

START_TEST(endorsement_panel_hidden)
{
    /* The panel's rect emptied: the endorsement no longer shows. */
    unsigned char *p = copy(endorsed, len_endorsed, 4096);
    size_t at = last(p, len_endorsed, "/Rect[") + 6, end = at, n;

    while (p[end] != ']')
        end++;
    n = splice(p, len_endorsed, at, end - at, "0 0 0 0");
    expect_shape_refused(p, n);
}
END_TEST

START_TEST(endorsement_panel_extra_object)
{
    /* One more object in the update (a second appearance, say), listed in
     * the xref and counted by /Size. */
    unsigned char *p = copy(endorsed, len_endorsed, 4096);
    size_t n = len_endorsed, x = last(p, n, "\nxref\n") + 1;
    char entry[128];

    n = splice(p, n, x, 0, "900 0 obj\n<</Type/XObject/Subtype/Form"
               "/BBox[0 0 1 1]/Length 0>>\nstream\n\nendstream\nendobj\n");
    snprintf(entry, sizeof entry, "900 1\n%010zu 00000 n\r\ntrailer", x);
    n = splice(p, n, last(p, n, "trailer"), 7, entry);
    x = last(p, n, "/Size ") + 6;
    n = splice(p, n, x, strspn((const char *)p + x, "0123456789"), "901");
    expect_shape_refused(p, n);
}
END_TEST

START_TEST(endorsement_seal_is_checked)
{
    pledge_seal sl, bad;
    pledge_seal_facts f;
    pledge_err err;
    pledge_verdict v;
    unsigned char *q;
    size_t n;

    seal_of(endorsed, len_endorsed, &sl);
    ck_assert_int_eq(sl.f.kind, 'E');
    ck_assert_str_eq(sl.f.member_id, "VA-0142");
    ck_assert_str_eq(sl.f.date, "2026-11-22");
    /* The helper made faithfully: the same seal verifies. */
    q = lay_endorsement(jane, len_jane, &sl, &n);
    ck_assert_msg(pledge_verify_pdf(ring_assoc, q, n, &v) == 0, "%s",
                  v.reason);
    free(q);
    /* The same facts under a signature that does not check out. */
    ck_assert_msg(pledge_seal_make(&sl.f, assoc_key, &bad, &err) == 0, "%s",
                  err.msg);
    bad.payload[bad.len - 1] ^= 1;
    ck_assert_int_eq(pledge_seal_parse(bad.payload, bad.len, &bad, &err), 0);
    q = lay_endorsement(jane, len_jane, &bad, &n);
    expect_endorsed_invalid(ring_assoc, q, n, "the endorsement's seal: its "
                            "signature");
    free(q);
    /* Signed by the association, stating another expiry. */
    f = sl.f;
    strcpy(f.until, "2030-01-01");
    ck_assert_int_eq(pledge_seal_make(&f, assoc_key, &bad, &err), 0);
    q = lay_endorsement(jane, len_jane, &bad, &n);
    expect_endorsed_invalid(ring_assoc, q, n, "the endorsement's seal: the "
                            "seal's until");
    free(q);
    /* Certifying another applicant key. */
    f = sl.f;
    f.applicant_key_id[0] ^= 1;
    ck_assert_int_eq(pledge_seal_make(&f, assoc_key, &bad, &err), 0);
    q = lay_endorsement(jane, len_jane, &bad, &n);
    expect_endorsed_invalid(ring_assoc, q, n, "another applicant key");
    free(q);
}
END_TEST

START_TEST(endorsement_seal_hex_and_drawing_agree)
{
    /* One digit of the kept payload changed: the QR drawn from the claim
     * no longer matches it, whatever the payload then says. */
    unsigned char *p = copy(endorsed, len_endorsed, 0);
    size_t at = last(p, len_endorsed, "/PledgeSeal<") + 12 + 40;

    p[at] = p[at] == 'a' ? 'b' : 'a';
    reendorse(p, len_endorsed, NULL);
    expect_endorsed_invalid(ring_assoc, p, len_endorsed, "");
    free(p);
    /* No seal kept at all. */
    p = copy(endorsed, len_endorsed, 0);
    at = last(p, len_endorsed, "/PledgeSeal<");
    memcpy(p + at, "/PledgeSeax", 11);
    reendorse(p, len_endorsed, NULL);
    expect_endorsed_invalid(ring_assoc, p, len_endorsed, "no seal to draw");
    free(p);
}
END_TEST

/* p verified as pledge verify does, the content included. */
static void verify_endorsed_content(const unsigned char *p, size_t len,
                                    pledge_verdict *v)
{
    ck_assert_msg(pledge_verify_pdf(ring_assoc, p, len, v) == 0, "%s",
                  v->reason);
    pledge_verify_content(content_eng, PLEDGE_SRCDIR "/layouts", p,
                          v->signed_len, v);
}

START_TEST(endorsed_member_id_is_the_recorded_one)
{
    /* Jane's pledge records member ID 12345. */
    pledge_verdict v;
    size_t n;
    unsigned char *p = endorse_member(jane, len_jane, "12345", &n);

    verify_endorsed_content(p, n, &v);
    ck_assert_msg(v.valid && v.content == PLEDGE_CONTENT_VERIFIED, "%s",
                  v.reason);
    ck_assert_str_eq(v.recorded_member_id, "12345");
    free(p);
    /* An endorsement that names no member ID certifies none. */
    p = endorse_member(jane, len_jane, "", &n);
    verify_endorsed_content(p, n, &v);
    ck_assert_msg(v.valid && v.content == PLEDGE_CONTENT_VERIFIED, "%s",
                  v.reason);
    free(p);
}
END_TEST

START_TEST(endorsed_member_id_differs_from_recorded)
{
    /* Signed by the real association key, certifying VA-0142 for a
     * pledge that records 12345: both signatures hold, the claim not. */
    pledge_verdict v;

    verify_endorsed_content(endorsed, len_endorsed, &v);
    ck_assert_int_eq(v.valid, 0);
    ck_assert_str_eq(v.reason, "the endorsement certifies member ID "
                     "\"VA-0142\" but the pledge records member ID "
                     "\"12345\"");
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("verify");
    TCase *t;

    t = tcase_create("endorsement");
    tcase_add_test(t, endorsed_valid_with_association_key_only);
    tcase_add_test(t, endorsing_is_reproducible);
    tcase_add_test(t, endorsement_by_key_without_association_role);
    tcase_add_test(t, endorsement_lifted_onto_another_pledge);
    tcase_add_test(t, applicant_signature_after_endorsement);
    tcase_add_test(t, update_saved_between_signatures);
    tcase_add_test(t, third_update);
    tcase_add_test(t, shadow_object_in_second_update);
    tcase_add_test(t, wrapped_applicant_contents);
    tcase_add_test(t, wrapped_endorsement_contents);
    tcase_add_test(t, endorsed_with_applicant_key_held);
    tcase_add_test(t, endorsement_panel_on_signature_page);
    tcase_add_test(t, reendorse_helper_is_faithful);
    tcase_add_test(t, endorsement_panel_other_text);
    tcase_add_test(t, endorsement_panel_other_compressor);
    tcase_add_test(t, endorsement_panel_other_font);
    tcase_add_test(t, endorsement_widget_other_tags);
    tcase_add_test(t, endorsement_panel_other_rect);
    tcase_add_test(t, endorsement_panel_hidden);
    tcase_add_test(t, endorsement_panel_extra_object);
    tcase_add_test(t, endorsement_seal_is_checked);
    tcase_add_test(t, endorsement_seal_hex_and_drawing_agree);
    tcase_add_test(t, endorsed_member_id_is_the_recorded_one);
    tcase_add_test(t, endorsed_member_id_differs_from_recorded);
    suite_add_tcase(s, t);

    t = tcase_create("real");
    tcase_add_test(t, valid_pledge);
    tcase_add_test(t, resign_helper_is_faithful);
    tcase_add_test(t, signing_is_reproducible);
    tcase_add_test(t, unsigned_pledge_is_invalid);
    suite_add_tcase(s, t);

    t = tcase_create("byte range");
    tcase_add_test(t, br_three_numbers);
    tcase_add_test(t, br_five_numbers);
    tcase_add_test(t, br_empty);
    tcase_add_test(t, br_null);
    tcase_add_test(t, br_indirect);
    tcase_add_test(t, br_real);
    tcase_add_test(t, br_negative);
    tcase_add_test(t, br_overflow);
    tcase_add_test(t, br_first_not_zero);
    tcase_add_test(t, br_overlap);
    tcase_add_test(t, br_past_end);
    tcase_add_test(t, br_missing);
    suite_add_tcase(s, t);

    t = tcase_create("wrapping");
    tcase_add_test(t, gap_one_byte_too_long);
    tcase_add_test(t, gap_hides_objects);
    tcase_add_test(t, gap_shorter_hex_with_hidden_bytes);
    tcase_add_test(t, contents_literal_string);
    tcase_add_test(t, contents_uppercase_hex);
    suite_add_tcase(s, t);

    t = tcase_create("forgery");
    tcase_add_test(t, contents_null);
    tcase_add_test(t, contents_empty);
    tcase_add_test(t, contents_truncated);
    tcase_add_test(t, contents_missing);
    tcase_add_test(t, contents_all_zeros);
    tcase_add_test(t, contents_oversized);
    tcase_add_test(t, subfilter_unknown);
    tcase_add_test(t, subfilter_missing);
    tcase_add_test(t, filter_other);
    suite_add_tcase(s, t);

    t = tcase_create("incremental");
    tcase_add_test(t, append_one_byte);
    tcase_add_test(t, append_objects_without_xref);
    tcase_add_test(t, append_whole_update);
    tcase_add_test(t, append_trailer_alone);
    tcase_add_test(t, shadow_repoints_catalog);
    suite_add_tcase(s, t);

    t = tcase_create("tampering");
    tcase_add_test(t, lifted_signature);
    tcase_add_test(t, tampered_byte_everywhere);
    tcase_add_test(t, truncated_file);
    tcase_add_test(t, wrong_key);
    tcase_add_test(t, key_id_mismatch);
    tcase_add_test(t, tampered_trusted_comment);
    tcase_add_test(t, widget_description_changed);
    tcase_add_test(t, widget_description_dropped);
    tcase_add_test(t, widget_struct_parent_changed);
    tcase_add_test(t, widget_struct_parent_dropped);
    suite_add_tcase(s, t);

    t = tcase_create("spelling");
    tcase_add_test(t, signature_base64_respelled);
    tcase_add_test(t, signature_padding_bits_set);
    tcase_add_test(t, claim_with_bidi_override);
    suite_add_tcase(s, t);

    t = tcase_create("malformed");
    tcase_set_timeout(t, 300);
    tcase_add_test(t, truncated_at_every_offset);
    tcase_add_test(t, bit_flip_grid);
    suite_add_tcase(s, t);
    return s;
}


/* Renders one pledge for name, signed (or not when sk is NULL) by signer
 * at time t. */
static void make_signed(pledge_engine *eng, const pledge_layout *lay,
                        const char *name, const pledge_seckey *sk,
                        const char *signer, long long t,
                        unsigned char **out, size_t *len)
{
    pledge_person person = {name, "IMH-E", "12345", "2026-11-21"};
    pledge_signing s = {sk, signer, t, 0};
    pledge_render_opts o = {PLEDGE_PAPER_DEFAULT, SIGN_TIME,
                            sk != NULL ? &s : NULL};
    pledge_err err;

    if (pledge_render_pdf(eng, lay, &person, &o, out, len, &err) < 0) {
        fprintf(stderr, "test_verify: render: %s\n", err.msg);
        exit(EXIT_FAILURE);
    }
}

/* Renders one pledge for name, signed (or not when sk is NULL). */
static void make_pledge(pledge_engine *eng, const pledge_layout *lay,
                        const char *name, const pledge_seckey *sk,
                        unsigned char **out, size_t *len)
{
    make_signed(eng, lay, name, sk, "Test Association", SIGN_TIME, out, len);
}

/* The association's key in dir/assoc, with (role) or without a role
 * record, in a keyring of its own. */
static pledge_keyring *assoc_ring(const pledge_pubkey *pk, int role)
{
    pledge_keyring *kr;
    pledge_err err;
    char path[160], id[17];
    FILE *f;

    snprintf(path, sizeof path, "%s/%s", dir, role ? "assoc" : "norole");
    if (mkdir(path, 0700) < 0)
        return NULL;
    snprintf(path, sizeof path, "%s/%s/vaimh.pub", dir,
             role ? "assoc" : "norole");
    if (pledge_key_write_public(path, pk, NULL, 0, &err) < 0)
        return NULL;
    if (role) {
        snprintf(path, sizeof path, "%s/assoc/vaimh.role", dir);
        pledge_key_id_hex(pk->id, id);
        if ((f = fopen(path, "w")) == NULL)
            return NULL;
        fprintf(f, "key: %s\nname: Test Association\nrole: association\n"
                "association: Virginia Association for Infant Mental "
                "Health\n", id);
        fclose(f);
    }
    snprintf(path, sizeof path, "%s/%s/vaimh.pub", dir,
             role ? "assoc" : "norole");
    if (pledge_keyring_new(&kr, &err) < 0)
        return NULL;
    if (pledge_keyring_add_file(kr, path, &err) < 0) {
        fprintf(stderr, "test_verify: %s\n", err.msg);
        pledge_keyring_free(kr);
        return NULL;
    }
    return kr;
}

int main(void)
{
    pledge_engine *eng;
    pledge_layout *lay;
    pledge_pubkey pk, opk;
    pledge_err err;
    char path[128], cmd[160];
    int rc;

    strcpy(dir, "/tmp/pledge-test-verify-XXXXXX");
    if (mkdtemp(dir) == NULL ||
        pledge_engine_open(&eng, PLEDGE_SRCDIR, &err) < 0 ||
        pledge_layout_load(&lay, PLEDGE_SRCDIR "/layouts/vaimh-code.md",
                           &err) < 0 ||
        pledge_key_generate(&key, &pk, &err) < 0 ||
        pledge_key_generate(&other_key, &opk, &err) < 0 ||
        pledge_keyring_new(&ring, &err) < 0) {
        fprintf(stderr, "test_verify: set up: %s\n", err.msg);
        return EXIT_FAILURE;
    }
    snprintf(path, sizeof path, "%s/test.pub", dir);
    if (pledge_key_write_public(path, &pk, "Test Association", 0,
                                &err) < 0 ||
        pledge_keyring_add_file(ring, path, &err) < 0) {
        fprintf(stderr, "test_verify: %s\n", err.msg);
        return EXIT_FAILURE;
    }
    make_pledge(eng, lay, "Jane Doe", key, &pledge_a, &len_a);
    make_pledge(eng, lay, "John Doe", key, &pledge_b, &len_b);
    make_pledge(eng, lay, "Jane Doe", NULL, &plain, &len_plain);
    if (pledge_key_generate(&jane_key, &pk, &err) < 0 ||
        pledge_key_generate(&john_key, &pk, &err) < 0 ||
        pledge_key_generate(&assoc_key, &pk, &err) < 0 ||
        (ring_assoc = assoc_ring(&pk, 1)) == NULL ||
        (ring_norole = assoc_ring(&pk, 0)) == NULL) {
        fprintf(stderr, "test_verify: set up the association's key\n");
        return EXIT_FAILURE;
    }
    make_signed(eng, lay, "Jane Doe", jane_key, "Jane Doe", SIGN_TIME,
                &jane, &len_jane);
    make_signed(eng, lay, "John Doe", john_key, "John Doe", SIGN_TIME,
                &john, &len_john);
    make_signed(eng, lay, "Jane Doe", jane_key, "Jane Doe",
                ENDORSE_TIME + 86400, &jane_late, &len_jane_late);
    {
        pledge_endorsement e;
        pledge_pubkey jpk;

        memset(&e, 0, sizeof e);
        strcpy(e.signer, "Test Association");
        strcpy(e.association, "Virginia Association for Infant Mental "
               "Health");
        strcpy(e.applicant, "Jane Doe");
        strcpy(e.member_id, "VA-0142");
        pledge_seckey_public(jane_key, &jpk);
        pledge_key_public_line(&jpk, e.applicant_key);
        pledge_claim_time(ENDORSE_TIME, e.time);
        if (pledge_endorse_pdf(jane, len_jane, assoc_key, &e, &endorsed,
                               &len_endorsed, &err) < 0) {
            fprintf(stderr, "test_verify: endorse: %s\n", err.msg);
            return EXIT_FAILURE;
        }
    }
    pledge_layout_free(lay);
    content_eng = eng;

    rc = run_suite(suite());
    pledge_engine_close(eng);

    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        rc = EXIT_FAILURE;
    free(pledge_a);
    free(pledge_b);
    free(plain);
    pledge_keyring_free(ring);
    pledge_seckey_free(key);
    pledge_seckey_free(other_key);
    free(jane);
    free(john);
    free(jane_late);
    free(endorsed);
    pledge_keyring_free(ring_assoc);
    pledge_keyring_free(ring_norole);
    pledge_seckey_free(jane_key);
    pledge_seckey_free(john_key);
    pledge_seckey_free(assoc_key);
    return rc;
}
