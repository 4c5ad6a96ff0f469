/* test_seal.c - the printed pledge's seal: base45 as RFC 9285 gives it,
 * payloads that round-trip byte for byte, every refusal of the parser,
 * and each verdict pledge_seal_check() can reach, in the order the format
 * states.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "../../src/sign/key.h"
#include "../../src/sign/revoke.h"
#include "../../src/sign/seal.h"
#include "../../src/util/base45.h"
#include "../../src/util/qr.h"
#include "run_suite.h"

static char dir[64];
static pledge_seckey *assoc_sk, *appl_sk, *norole_sk, *old_sk, *stray_sk;
static pledge_keyring *kr;

/* Writes text to dir/name. */
static void put(const char *name, const char *text)
{
    char path[640];
    FILE *f;

    snprintf(path, sizeof path, "%s/%s", dir, name);
    f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    ck_assert_int_eq(fclose(f), 0);
}

/* A new key, its public half in dir/name.pub with the role record
 * role (a format with %s for the key ID), unless role is NULL. */
static pledge_seckey *key(const char *name, const char *role)
{
    pledge_seckey *sk;
    pledge_pubkey pk;
    pledge_err err;
    char path[512], id[17], rec[512];

    ck_assert_int_eq(pledge_key_generate(&sk, &pk, &err), 0);
    snprintf(path, sizeof path, "%s/%s.pub", dir, name);
    ck_assert_int_eq(pledge_key_write_public(path, &pk, NULL, 0, &err), 0);
    if (role != NULL) {
        pledge_key_id_hex(pk.id, id);
        snprintf(rec, sizeof rec, role, id);
        snprintf(path, sizeof path, "%s.role", name);
        put(path, rec);
    }
    return sk;
}

static void setup(void)
{
    pledge_err err;

    ck_assert_int_ge(sodium_init(), 0);
    strcpy(dir, "/tmp/pledge-test-seal-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    assoc_sk = key("assoc", "key: %s\nname: Test Association\n"
                   "role: association\nassociation: Test Association\n"
                   "layouts: vaimh-code\n");
    appl_sk = key("jane", "key: %s\nname: Jane Doe\nrole: applicant\n"
                  "applicant: Jane Doe\nmember-id: VA-1\n");
    norole_sk = key("norole", NULL);
    old_sk = key("old", "key: %s\nname: Test Association\n"
                 "role: association\nassociation: Test Association\n"
                 "retired: 2026-06-01\n");
    ck_assert_int_eq(pledge_key_generate(&stray_sk, &(pledge_pubkey){0},
                                         &err), 0);
    ck_assert_int_eq(pledge_keyring_new(&kr, &err), 0);
    ck_assert_int_eq(pledge_keyring_add_dir(kr, dir, &err), 0);
    ck_assert_uint_eq(pledge_keyring_count(kr), 4);
    ck_assert_uint_eq(pledge_keyring_warning_count(kr), 0);
}

static void teardown(void)
{
    char cmd[128];

    pledge_keyring_free(kr);
    pledge_seckey_free(assoc_sk);
    pledge_seckey_free(appl_sk);
    pledge_seckey_free(norole_sk);
    pledge_seckey_free(old_sk);
    pledge_seckey_free(stray_sk);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    ck_assert_int_eq(system(cmd), 0);
}

/* The facts of Jane Doe's pledge, of kind kind. */
static pledge_seal_facts facts(char kind)
{
    pledge_seal_facts f;
    size_t i;

    memset(&f, 0, sizeof f);
    f.kind = kind;
    strcpy(f.date, "2026-03-14");
    for (i = 0; i < sizeof f.text_hash; i++)
        f.text_hash[i] = (unsigned char)(0xa0 + i);
    strcpy(f.association, "Test Association");
    strcpy(f.layout, "vaimh-code");
    strcpy(f.revision, "2024-05");
    strcpy(f.applicant, "Jane Doe");
    strcpy(f.member_id, "VA-1");
    return f;
}

static void make(const pledge_seal_facts *f, const pledge_seckey *sk,
                 pledge_seal *s)
{
    pledge_err err;

    ck_assert_msg(pledge_seal_make(f, sk, s, &err) == 0, "%s", err.msg);
}

/* Checks the seal s's text at date at; returns the status. */
static pledge_seal_status check_at(const pledge_seal *s,
                                   pledge_revocations *const *lists,
                                   size_t n, const char *at,
                                   pledge_seal_verdict *v)
{
    char text[PLEDGE_SEAL_TEXT_BYTES];
    int rc;

    pledge_seal_text(s, text);
    rc = pledge_seal_check(kr, lists, n, text, strlen(text), at, v);
    ck_assert_int_eq(rc == 0, v->status == PLEDGE_SEAL_VALID);
    return v->status;
}

static pledge_seal_status check(const pledge_seal *s,
                                pledge_seal_verdict *v)
{
    return check_at(s, NULL, 0, "2026-04-01", v);
}

#define assert_reason(v, want) \
    ck_assert_msg(strstr((v)->reason, want) != NULL, "reason \"%s\" " \
                  "lacks \"%s\"", (v)->reason, want)

/* ---- base45 ---- */

START_TEST(base45_rfc_vectors)
{
    static const char *const bytes[] = {
        "AB", "Hello!!", "base-45", "ietf!"
    };
    static const char *const text[] = {
        "BB8", "%69 VD92EX0", "UJCLQE7W581", "QED8WEX0"
    };
    char out[64];
    unsigned char back[64];
    size_t i, n;

    for (i = 0; i < 4; i++) {
        pledge_base45_encode((const unsigned char *)bytes[i],
                             strlen(bytes[i]), out);
        ck_assert_str_eq(out, text[i]);
        ck_assert_uint_eq(strlen(out), PLEDGE_BASE45_LEN(strlen(bytes[i])));
        ck_assert_int_eq(pledge_base45_decode(text[i], strlen(text[i]), back,
                                              sizeof back, &n), 0);
        ck_assert_uint_eq(n, strlen(bytes[i]));
        ck_assert_int_eq(memcmp(back, bytes[i], n), 0);
    }
}
END_TEST

START_TEST(base45_strict)
{
    static const char *const bad[] = {
        "GGW",          /* 65536: more than two bytes hold */
        ":::",          /* the largest three-character group */
        "::",           /* 2024: more than one byte holds */
        "QED8WEX",      /* a single character left over */
        "qed8wex0",     /* lower case */
        "QED8WE#0",     /* outside the alphabet */
        "QED\0WEX0",    /* a NUL inside */
    };
    unsigned char out[16];
    size_t i, n = 99;

    for (i = 0; i < sizeof bad / sizeof *bad; i++)
        ck_assert_msg(pledge_base45_decode(bad[i], i == 6 ? 8 :
                                           strlen(bad[i]), out, sizeof out,
                                           &n) < 0, "%s accepted", bad[i]);
    /* The largest values that fit, and a result too long for out. */
    ck_assert_int_eq(pledge_base45_decode("FGW", 3, out, sizeof out, &n), 0);
    ck_assert_uint_eq(n, 2);
    ck_assert(out[0] == 0xff && out[1] == 0xff);
    ck_assert_int_eq(pledge_base45_decode("U5", 2, out, sizeof out, &n), 0);
    ck_assert(n == 1 && out[0] == 0xff);
    ck_assert_int_lt(pledge_base45_decode("QED8WEX0", 8, out, 4, &n), 0);
    ck_assert_int_eq(pledge_base45_decode("", 0, out, sizeof out, &n), 0);
    ck_assert_uint_eq(n, 0);
}
END_TEST

/* ---- making and parsing ---- */

START_TEST(round_trip)
{
    static const char kinds[] = "APE";
    pledge_seal_facts f;
    pledge_seal s, again, back;
    pledge_pubkey pk;
    pledge_err err;
    char text[PLEDGE_SEAL_TEXT_BYTES], id[65];
    size_t i;

    for (i = 0; i < 3; i++) {
        f = facts(kinds[i]);
        strcpy(f.until, i == 2 ? "2027-12-31" : "");
        memset(f.applicant_key_id, 0x5a, sizeof f.applicant_key_id);
        make(&f, assoc_sk, &s);
        make(&f, assoc_sk, &again);
        /* Deterministic, so a signed pledge stays reproducible. */
        ck_assert_uint_eq(s.len, again.len);
        ck_assert_int_eq(memcmp(s.payload, again.payload, s.len), 0);
        ck_assert_uint_eq(s.len, 30 + (i == 2 ? 8 : 0) + 5 + 16 + 10 + 7 +
                          8 + 4 + 64);
        ck_assert_int_eq(s.payload[0], 1);
        ck_assert_int_eq(s.payload[1], kinds[i]);
        pledge_seckey_public(assoc_sk, &pk);
        ck_assert_int_eq(memcmp(s.payload + 2, pk.id, 8), 0);
        /* 2026-03-14 is day 9569 after 2000-01-01. */
        ck_assert_uint_eq((unsigned)s.payload[10] << 8 | s.payload[11],
                          9569);
        pledge_seal_text(&s, text);
        ck_assert_int_eq(strncmp(text, "PL1:", 4), 0);
        ck_assert_uint_eq(strspn(text + 4, "0123456789ABCDEFGHIJKLMNOPQRSTUV"
                                 "WXYZ $%*+-./:"), strlen(text) - 4);
        ck_assert_msg(pledge_seal_parse_text(text, strlen(text), &back,
                                             &err) == 0, "%s", err.msg);
        ck_assert_uint_eq(back.len, s.len);
        ck_assert_int_eq(memcmp(back.payload, s.payload, s.len), 0);
        ck_assert_int_eq(memcmp(back.f.key_id, pk.id, 8), 0);
        ck_assert_str_eq(back.f.date, "2026-03-14");
        ck_assert_str_eq(back.f.until, f.until);
        ck_assert_int_eq(memcmp(back.f.text_hash, f.text_hash, 16), 0);
        ck_assert_str_eq(back.f.association, f.association);
        ck_assert_str_eq(back.f.layout, f.layout);
        ck_assert_str_eq(back.f.revision, f.revision);
        ck_assert_str_eq(back.f.applicant, f.applicant);
        ck_assert_str_eq(back.f.member_id, f.member_id);
        ck_assert_int_eq(memcmp(back.f.applicant_key_id,
                                i == 2 ? f.applicant_key_id :
                                (const unsigned char *)"\0\0\0\0\0\0\0\0",
                                8), 0);
        ck_assert_int_eq(pledge_seal_verify_signature(&back, &pk), 0);
        pledge_seal_id(&back, id);
        ck_assert_uint_eq(strlen(id), 64);
    }
}
END_TEST

/* The seal's QR code: error correction M and mask pattern 010, read
 * back from the format information beside the top-left finder (ISO/IEC
 * 18004 7.9: bits 14-9 along row 8, then (8,7), (8,8), (7,8), then
 * column 8 upwards), for seals of three sizes. */
START_TEST(qr_level_and_mask)
{
    /* Level M (00) with mask 010, BCH-coded and masked, MSB first. */
    static const char want[] = "101111001111100";
    static const int row[15] = {8, 8, 8, 8, 8, 8, 8, 8, 7, 5, 4, 3, 2, 1, 0};
    static const int col[15] = {0, 1, 2, 3, 4, 5, 7, 8, 8, 8, 8, 8, 8, 8, 8};
    static const size_t names[3] = {8, 60, 150};
    pledge_seal_facts f = facts('A');
    pledge_seal seal;
    pledge_err err;
    char text[PLEDGE_SEAL_TEXT_BYTES], got[16];
    unsigned char *dark;
    int size, i, n, last = 0;

    for (n = 0; n < 3; n++) {
        memset(f.applicant, 'a', names[n]);
        f.applicant[names[n]] = '\0';
        make(&f, assoc_sk, &seal);
        pledge_seal_text(&seal, text);
        ck_assert_msg(pledge_qr_encode(text, &dark, &size, &err) == 0, "%s",
                      err.msg);
        /* 17 + 4 v modules a side for version v, larger as the text is. */
        ck_assert_int_eq((size - 17) % 4, 0);
        ck_assert_int_gt(size, last);
        last = size;
        for (i = 0; i < 15; i++)
            got[i] = dark[row[i] * size + col[i]] ? '1' : '0';
        got[15] = '\0';
        ck_assert_str_eq(got, want);
        free(dark);
    }
}
END_TEST

START_TEST(make_refuses_what_does_not_fit)
{
    pledge_seal_facts f = facts('A');
    pledge_seal s;
    pledge_err err;
    pledge_claim c;

    /* A name longer than a seal holds is cut at a character boundary. */
    memset(&c, 0, sizeof c);
    strcpy(c.key, "0123456789ABCDEF");
    strcpy(c.time, "2026-03-14T09:26:53Z");
    memset(c.text, 'a', 64);
    memset(c.applicant, 'x', 250);
    ck_assert_int_eq(pledge_seal_facts_from_claim(&c, 'A', "", "", &f,
                                                  &err), 0);
    ck_assert_uint_eq(strlen(f.applicant), 200);
    memcpy(c.applicant + 199, "\xc3\xa9", 2);      /* bytes 200 and 201 */
    ck_assert_int_eq(pledge_seal_facts_from_claim(&c, 'A', "", "", &f,
                                                  &err), 0);
    ck_assert_uint_eq(strlen(f.applicant), 199);
    make(&f, assoc_sk, &s);
    ck_assert_uint_eq(s.len, 30 + 5 + 199 + 64);
    strcpy(c.applicant, "Jane\x01Doe");
    ck_assert_int_lt(pledge_seal_facts_from_claim(&c, 'A', "", "", &f,
                                                  &err), 0);
    ck_assert_ptr_nonnull(strstr(err.msg, "applicant"));
    f = facts('A');
    strcpy(f.date, "1999-12-31");
    ck_assert_int_lt(pledge_seal_make(&f, assoc_sk, &s, &err), 0);
    f = facts('A');
    strcpy(f.date, "2026-02-30");
    ck_assert_int_lt(pledge_seal_make(&f, assoc_sk, &s, &err), 0);
    f = facts('A');
    strcpy(f.member_id, "VA\t1");
    ck_assert_int_lt(pledge_seal_make(&f, assoc_sk, &s, &err), 0);
    ck_assert_ptr_nonnull(strstr(err.msg, "control"));
    f = facts('X');
    ck_assert_int_lt(pledge_seal_make(&f, assoc_sk, &s, &err), 0);
}
END_TEST

/* Parses p (n bytes) and expects a refusal saying want. */
static void refused(const unsigned char *p, size_t n, const char *want)
{
    pledge_seal s;
    pledge_err err;

    memset(&s, 0x77, sizeof s);
    memset(&err, 0, sizeof err);
    ck_assert_int_lt(pledge_seal_parse(p, n, &s, &err), 0);
    ck_assert_msg(strstr(err.msg, want) != NULL, "\"%s\" lacks \"%s\"",
                  err.msg, want);
    ck_assert_int_eq(s.f.kind, 0x77);   /* untouched */
}

START_TEST(parse_refusals)
{
    pledge_seal_facts f = facts('A');
    pledge_seal s;
    unsigned char p[PLEDGE_SEAL_MAX_BYTES + 2];
    pledge_err err;
    size_t k;

    make(&f, assoc_sk, &s);
    memcpy(p, s.payload, s.len);
    refused(p, 0, "version");
    p[0] = 2;
    refused(p, s.len, "version");
    p[0] = 1;
    p[1] = 'X';
    refused(p, s.len, "kind");
    p[1] = 'A';
    refused(p, 40, "cut short");
    refused(p, s.len - 1, "follow the facts");
    p[s.len] = 0;
    refused(p, s.len + 1, "follow the facts");
    p[10] = p[11] = 0;
    refused(p, s.len, "no date");
    memcpy(p, s.payload, s.len);
    /* The association's length byte (after 30 fixed bytes). */
    p[30] = 201;
    refused(p, s.len, "too long");
    p[30] = 250;
    refused(p, s.len, "too long");
    memcpy(p, s.payload, s.len);
    p[31] = 0x1f;
    refused(p, s.len, "control");
    p[31] = 0x7f;
    refused(p, s.len, "control");
    p[31] = 0xc3;               /* a lead byte with no continuation */
    refused(p, s.len, "UTF-8");
    p[31] = 0;
    refused(p, s.len, "U+0000");
    /* Kind E has 8 more fixed bytes: an A payload relabelled is off. */
    memcpy(p, s.payload, s.len);
    p[1] = 'E';
    ck_assert_int_lt(pledge_seal_parse(p, s.len, &s, &err), 0);
    k = PLEDGE_SEAL_MAX_BYTES + 1;
    memset(p, 0, sizeof p);
    p[0] = 1;
    p[1] = 'A';
    refused(p, k, "more than");
    /* The text: its prefix and strict base45. */
    ck_assert_int_lt(pledge_seal_parse_text("PL2:BB8", 7, &s, &err), 0);
    ck_assert_ptr_nonnull(strstr(err.msg, "not a pledge seal"));
    ck_assert_int_lt(pledge_seal_parse_text("pl1:BB8", 7, &s, &err), 0);
    ck_assert_int_lt(pledge_seal_parse_text("PL1:bb8", 7, &s, &err), 0);
    ck_assert_ptr_nonnull(strstr(err.msg, "base45"));
    ck_assert_int_lt(pledge_seal_parse_text("PL1", 3, &s, &err), 0);
}
END_TEST

/* ---- checking ---- */

START_TEST(valid_association_and_applicant)
{
    pledge_seal_facts f = facts('A');
    pledge_seal s;
    pledge_seal_verdict v;
    pledge_seal_field fl[PLEDGE_SEAL_MAX_FIELDS];
    pledge_pubkey pk;
    char id[65], hex[17];
    size_t n, i;
    int seen = 0;

    strcpy(f.member_id, "");
    make(&f, assoc_sk, &s);
    ck_assert_int_eq(check(&s, &v), PLEDGE_SEAL_VALID);
    ck_assert_str_eq(v.signer, "Test Association");
    ck_assert_ptr_nonnull(strstr(v.key_file, "assoc.pub"));
    ck_assert_str_eq(v.role, "association Test Association, layouts "
                     "vaimh-code");
    pledge_seckey_public(assoc_sk, &pk);
    pledge_key_id_hex(pk.id, hex);
    ck_assert_str_eq(v.key_id, hex);
    pledge_seal_id(&s, id);
    ck_assert_str_eq(v.seal_id, id);
    n = pledge_seal_fields(&v, fl);
    ck_assert_uint_gt(n, 8);
    for (i = 0; i < n; i++) {
        if (fl[i].key != NULL && strcmp(fl[i].key, "seal_id") == 0) {
            ck_assert_str_eq(fl[i].value, id);
            seen++;
        }
        if (fl[i].key != NULL && strcmp(fl[i].key, "kind") == 0) {
            ck_assert_str_eq(fl[i].value, "issued by the association");
            seen++;
        }
    }
    ck_assert_int_eq(seen, 2);

    f = facts('P');
    make(&f, appl_sk, &s);
    ck_assert_int_eq(check(&s, &v), PLEDGE_SEAL_VALID);
    ck_assert_str_eq(v.signer, "Jane Doe");
    ck_assert_str_eq(v.role, "applicant Jane Doe, member VA-1");
    /* An applicant's key with no role record passes, and says so. */
    make(&f, norole_sk, &s);
    ck_assert_int_eq(check(&s, &v), PLEDGE_SEAL_VALID);
    ck_assert_str_eq(v.role, "");
    n = pledge_seal_fields(&v, fl);
    for (i = 0; i < n; i++)
        if (fl[i].label != NULL && strcmp(fl[i].label, "key role") == 0)
            ck_assert_str_eq(fl[i].value, "none recorded");
}
END_TEST

START_TEST(altered_seal_is_invalid)
{
    pledge_seal_facts f = facts('A');
    pledge_seal s, t;
    pledge_seal_verdict v;

    make(&f, assoc_sk, &s);
    t = s;
    t.payload[t.len - 1] ^= 0x01;       /* the signature */
    ck_assert_int_eq(check(&t, &v), PLEDGE_SEAL_INVALID);
    assert_reason(&v, "signature does not match");
    t = s;
    t.payload[31] ^= 0x01;              /* "Test" -> "Uest" */
    ck_assert_int_eq(check(&t, &v), PLEDGE_SEAL_INVALID);
    assert_reason(&v, "signature does not match");
    t = s;
    t.payload[11] ^= 0x01;              /* the date */
    ck_assert_int_eq(check(&t, &v), PLEDGE_SEAL_INVALID);
    assert_reason(&v, "signature does not match");
}
END_TEST

START_TEST(unknown_and_wrong_key)
{
    pledge_seal_facts f = facts('A');
    pledge_seal s;
    pledge_seal_verdict v;
    pledge_pubkey pk, other;
    pledge_err err;

    make(&f, stray_sk, &s);
    ck_assert_int_eq(check(&s, &v), PLEDGE_SEAL_INVALID);
    assert_reason(&v, "unknown key");
    ck_assert_int_eq(v.parsed, 1);
    /* The keyring holds the stray key's ID with another public key. */
    pledge_seckey_public(stray_sk, &pk);
    pledge_seckey_public(assoc_sk, &other);
    memcpy(other.id, pk.id, sizeof other.id);
    ck_assert_int_eq(pledge_keyring_add_key(kr, &other, "Impostor", &err),
                     0);
    ck_assert_int_eq(check(&s, &v), PLEDGE_SEAL_INVALID);
    assert_reason(&v, "signature does not match");
}
END_TEST

START_TEST(role_mismatch)
{
    pledge_seal_facts f;
    pledge_seal s;
    pledge_seal_verdict v;

    f = facts('A');                     /* an applicant's key as the
                                           association */
    make(&f, appl_sk, &s);
    ck_assert_int_eq(check(&s, &v), PLEDGE_SEAL_INVALID);
    assert_reason(&v, "association's key");
    f = facts('E');
    make(&f, norole_sk, &s);
    ck_assert_int_eq(check(&s, &v), PLEDGE_SEAL_INVALID);
    f = facts('P');                     /* the association's key as an
                                           applicant */
    make(&f, assoc_sk, &s);
    ck_assert_int_eq(check(&s, &v), PLEDGE_SEAL_INVALID);
    assert_reason(&v, "applicant is said to have signed");
    f = facts('A');
    strcpy(f.association, "Other Association");
    make(&f, assoc_sk, &s);
    ck_assert_int_eq(check(&s, &v), PLEDGE_SEAL_INVALID);
    assert_reason(&v, "only pledges of association");
    f = facts('A');
    strcpy(f.layout, "vaimh-values");
    make(&f, assoc_sk, &s);
    ck_assert_int_eq(check(&s, &v), PLEDGE_SEAL_INVALID);
    assert_reason(&v, "only pledges of the layouts");
    f = facts('P');
    strcpy(f.applicant, "John Roe");
    make(&f, appl_sk, &s);
    ck_assert_int_eq(check(&s, &v), PLEDGE_SEAL_INVALID);
    assert_reason(&v, "applicant \"Jane Doe\"");
    f = facts('P');
    strcpy(f.member_id, "VA-2");
    make(&f, appl_sk, &s);
    ck_assert_int_eq(check(&s, &v), PLEDGE_SEAL_INVALID);
    assert_reason(&v, "member ID \"VA-1\"");
}
END_TEST

START_TEST(retired_key)
{
    pledge_seal_facts f = facts('A');
    pledge_seal s;
    pledge_seal_verdict v;

    strcpy(f.date, "2026-06-02");
    make(&f, old_sk, &s);
    ck_assert_int_eq(check_at(&s, NULL, 0, "2026-07-01", &v),
                     PLEDGE_SEAL_INVALID);
    assert_reason(&v, "retired on 2026-06-01");
    strcpy(f.date, "2026-06-01");
    make(&f, old_sk, &s);
    ck_assert_int_eq(check_at(&s, NULL, 0, "2026-07-01", &v),
                     PLEDGE_SEAL_VALID);
    ck_assert_str_eq(v.retired, "2026-06-01");
}
END_TEST

/* A list signed by the association's key revoking kind value on date. */
static pledge_revocations *list(const char *kind, const char *value,
                                const char *date)
{
    pledge_revocations *r;
    pledge_err err;
    char path[512];

    snprintf(path, sizeof path, "%s/assoc.revoked", dir);
    unlink(path);
    ck_assert_msg(pledge_revocations_add(assoc_sk, path, kind, value, date,
                                         "left the association", &err) == 0,
                  "%s", err.msg);
    ck_assert_msg(pledge_revocations_read(kr, path, &r, &err) == 0, "%s",
                  err.msg);
    return r;
}

START_TEST(revoked)
{
    pledge_seal_facts f = facts('A');
    pledge_seal s, other;
    pledge_seal_verdict v;
    pledge_revocations *r;
    char id[65], hex[17];
    pledge_pubkey pk;

    make(&f, assoc_sk, &s);
    pledge_seal_id(&s, id);
    pledge_seckey_public(assoc_sk, &pk);
    pledge_key_id_hex(pk.id, hex);

    r = list("member-id", "VA-1", "2026-03-20");
    ck_assert_int_eq(check_at(&s, &r, 1, "2026-04-01", &v),
                     PLEDGE_SEAL_REVOKED);
    ck_assert_str_eq(v.revoked.kind, "member-id");
    assert_reason(&v, "revoked on 2026-03-20: left the association");
    /* Not yet revoked on a day before the entry's date. */
    ck_assert_int_eq(check_at(&s, &r, 1, "2026-03-19", &v),
                     PLEDGE_SEAL_VALID);
    pledge_revocations_free(r);

    r = list("key-id", hex, "2026-03-20");
    ck_assert_int_eq(check_at(&s, &r, 1, "2026-04-01", &v),
                     PLEDGE_SEAL_REVOKED);
    ck_assert_str_eq(v.revoked.kind, "key-id");
    pledge_revocations_free(r);

    r = list("seal", id, "2026-03-20");
    ck_assert_int_eq(check_at(&s, &r, 1, "2026-04-01", &v),
                     PLEDGE_SEAL_REVOKED);
    ck_assert_str_eq(v.revoked.value, id);
    /* Another seal of the same key is not named by this one's ID. */
    f = facts('A');
    strcpy(f.member_id, "VA-9");
    make(&f, assoc_sk, &other);
    ck_assert_int_eq(check_at(&other, &r, 1, "2026-04-01", &v),
                     PLEDGE_SEAL_VALID);
    pledge_revocations_free(r);

    /* Kind E: the applicant's key ID revokes it too. */
    f = facts('E');
    memset(f.applicant_key_id, 0x11, 8);
    make(&f, assoc_sk, &s);
    r = list("key-id", "1111111111111111", "2026-03-20");
    ck_assert_int_eq(check_at(&s, &r, 1, "2026-04-01", &v),
                     PLEDGE_SEAL_REVOKED);
    pledge_revocations_free(r);
}
END_TEST

START_TEST(expired)
{
    pledge_seal_facts f = facts('E');
    pledge_seal s;
    pledge_seal_verdict v;
    pledge_seal_field fl[PLEDGE_SEAL_MAX_FIELDS];
    size_t n, i;
    int seen = 0;

    strcpy(f.until, "2026-12-31");
    make(&f, assoc_sk, &s);
    ck_assert_int_eq(check_at(&s, NULL, 0, "2026-12-31", &v),
                     PLEDGE_SEAL_VALID);
    ck_assert_int_eq(check_at(&s, NULL, 0, "2027-01-01", &v),
                     PLEDGE_SEAL_EXPIRED);
    assert_reason(&v, "2026-12-31");
    n = pledge_seal_fields(&v, fl);
    for (i = 0; i < n; i++)
        if (fl[i].label != NULL && strcmp(fl[i].label, "EXPIRED") == 0)
            seen++;
    ck_assert_int_eq(seen, 1);
}
END_TEST

START_TEST(compare_with_claim)
{
    pledge_seal_facts f;
    pledge_seal s;
    pledge_claim c;
    pledge_pubkey pk;
    pledge_err err;

    memset(&c, 0, sizeof c);
    pledge_seckey_public(assoc_sk, &pk);
    pledge_key_id_hex(pk.id, c.key);
    strcpy(c.time, "2026-03-14T09:26:53Z");
    strcpy(c.text, "a0a1a2a3a4a5a6a7a8a9aaabacadaeaf"
           "00112233445566778899aabbccddeeff");
    strcpy(c.association, "Test Association");
    strcpy(c.layout, "vaimh-code");
    strcpy(c.revision, "2024-05");
    strcpy(c.applicant, "Jane Doe");
    ck_assert_int_eq(pledge_seal_facts_from_claim(&c, 'A', "VA-1", NULL, &f,
                                                  &err), 0);
    make(&f, assoc_sk, &s);
    ck_assert_int_eq(pledge_seal_compare(&s, &c, 'A', "VA-1", "", &err), 0);
    ck_assert_int_lt(pledge_seal_compare(&s, &c, 'P', "VA-1", "", &err), 0);
    ck_assert_int_lt(pledge_seal_compare(&s, &c, 'A', "VA-2", "", &err), 0);
    ck_assert_ptr_nonnull(strstr(err.msg, "member ID"));
    ck_assert_int_lt(pledge_seal_compare(&s, &c, 'A', "VA-1", "2027-01-01",
                                         &err), 0);
    strcpy(c.applicant, "John Roe");
    ck_assert_int_lt(pledge_seal_compare(&s, &c, 'A', "VA-1", "", &err), 0);
    ck_assert_ptr_nonnull(strstr(err.msg, "John Roe"));
    strcpy(c.applicant, "Jane Doe");
    c.text[0] = 'b';
    ck_assert_int_lt(pledge_seal_compare(&s, &c, 'A', "VA-1", "", &err), 0);
    ck_assert_ptr_nonnull(strstr(err.msg, "text hash"));
    c.text[0] = 'a';
    strcpy(c.time, "2026-03-15T00:00:00Z");
    ck_assert_int_lt(pledge_seal_compare(&s, &c, 'A', "VA-1", "", &err), 0);
    ck_assert_ptr_nonnull(strstr(err.msg, "dated"));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("seal");
    TCase *t = tcase_create("seal");

    tcase_add_checked_fixture(t, setup, teardown);
    tcase_set_timeout(t, 30);
    tcase_add_test(t, base45_rfc_vectors);
    tcase_add_test(t, base45_strict);
    tcase_add_test(t, round_trip);
    tcase_add_test(t, make_refuses_what_does_not_fit);
    tcase_add_test(t, parse_refusals);
    tcase_add_test(t, valid_association_and_applicant);
    tcase_add_test(t, altered_seal_is_invalid);
    tcase_add_test(t, unknown_and_wrong_key);
    tcase_add_test(t, role_mismatch);
    tcase_add_test(t, retired_key);
    tcase_add_test(t, revoked);
    tcase_add_test(t, expired);
    tcase_add_test(t, compare_with_claim);
    tcase_add_test(t, qr_level_and_mask);
    suite_add_tcase(s, t);
    return run_suite(s);
}
