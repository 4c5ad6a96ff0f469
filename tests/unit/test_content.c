/* test_content.c - what the content check of pledge verify catches.
 *
 * Every attack here is signed with a key the verifier holds, so the
 * signature is good: only the content check (the pledge made again from
 * the verifier's own layout and compared byte for byte) stands between
 * the forgery and VALID, and the asserted reason shows that it caught it.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/pledge.h"
#include "../../src/pdf/pdfparse.h"
#include "../../src/pdf/pdfwrite.h"
#include "../../src/render/engine.h"
#include "../../src/render/inputs.h"
#include "../../src/render/render.h"
#include "../../src/sign/claim.h"
#include "../../src/sign/key.h"
#include "../../src/sign/minisig.h"
#include "../../src/sign/seal.h"
#include "../../src/sign/sign.h"
#include "packed.h"
#include "run_suite.h"

#define SIGN_TIME 1795262400LL      /* 2026-11-21T12:00:00Z */
#define LAYOUTS PLEDGE_SRCDIR "/layouts"

static pledge_engine *eng;
static pledge_layout *lay;
static pledge_seckey *key;
static pledge_keyring *ring;
static char key_id[17];

/* The claim a genuine signature by key makes for applicant. */
static void claim_for(const char *applicant, pledge_claim *c)
{
    pledge_err err;

    memset(c, 0, sizeof *c);
    strcpy(c->signer, "Test Association");
    strcpy(c->key, key_id);
    ck_assert_int_eq(pledge_claim_time(SIGN_TIME, c->time), 0);
    strcpy(c->association, pledge_layout_association(lay));
    strcpy(c->layout, pledge_layout_id(lay));
    strcpy(c->revision, pledge_layout_revision(lay));
    strcpy(c->applicant, applicant);
    ck_assert_int_eq(pledge_layout_text_hash(lay, c->text, &err), 0);
}

/* The seal of applicant's pledge, as kind and key make it, certifying
 * member. */
static void seal_for(const char *applicant, char kind, const char *member,
                     const pledge_seckey *by, pledge_seal *seal)
{
    pledge_seal_facts f;
    pledge_claim c;
    pledge_err err;

    claim_for(applicant, &c);
    ck_assert_int_eq(pledge_seal_facts_from_claim(&c, kind, member, NULL,
                                                  &f, &err), 0);
    ck_assert_int_eq(pledge_seal_make(&f, by, seal, &err), 0);
}

/* The unsigned pledge for name with the signature panel filled in (or
 * not, when panel is 0) and seal beside it (NULL: none), as e makes it
 * with an inputs record of version `version`: what the signer appends its
 * update to. */
static void base_with(pledge_engine *e, const char *name, int version,
                      int with_panel, const pledge_seal *seal,
                      unsigned char **p, size_t *n)
{
    pledge_person person = {name, "IMH-E", "VA-0142", "2026-11-21"};
    pledge_render_opts opts;
    pledge_panel panel;
    pledge_inputs rec;
    pledge_err err;

    memset(&opts, 0, sizeof opts);
    opts.epoch = SIGN_TIME;
    panel.signer = "Test Association";
    panel.key_id = key_id;
    panel.date = "2026-11-21";
    panel.seal = seal;
    memset(&rec, 0, sizeof rec);
    rec.version = version;
    ck_assert_msg(pledge_render_panel(e, lay, NULL, &person, &opts,
                                      with_panel ? &panel : NULL, &rec, p,
                                      n, &err) == 0, "%s", err.msg);
}

/* As the signer makes it: a pledge of today's record carries the seal
 * of its claim; 0.1.0 (record version 1) drew none. */
static void base_version(pledge_engine *e, const char *name, int version,
                         int with_panel, unsigned char **p, size_t *n)
{
    pledge_seal seal;

    if (version >= 2)
        seal_for(name, 'P', "VA-0142", key, &seal);
    base_with(e, name, version, with_panel, version >= 2 ? &seal : NULL, p,
              n);
}

static void base_sealed(pledge_engine *e, const char *name,
                        const pledge_seal *seal, unsigned char **p,
                        size_t *n)
{
    base_with(e, name, 2, 1, seal, p, n);
}

static void base_for(pledge_engine *e, const char *name, unsigned char **p,
                     size_t *n)
{
    base_version(e, name, 2, 1, p, n);
}

static void sign(const unsigned char *base, size_t n, const pledge_claim *c,
                 unsigned char **p, size_t *len)
{
    pledge_err err;

    ck_assert_msg(pledge_sign_append(base, n, key, c, p, len, &err) == 0,
                  "%s", err.msg);
}

/* The whole verdict: signature, role, then content. */
static void verify(const unsigned char *p, size_t n, pledge_verdict *v)
{
    if (pledge_verify_pdf(ring, p, n, v) == 0)
        pledge_verify_content(eng, LAYOUTS, p, n, v);
}

/* A good signature whose content is `want`, its reason holding reason. */
static void assert_content(const unsigned char *p, size_t n,
                           pledge_content want, const char *reason)
{
    pledge_verdict v;

    verify(p, n, &v);
    ck_assert_msg(v.valid, "%s", v.reason);
    ck_assert_int_eq(v.content, want);
    ck_assert_msg(strstr(v.content_reason, reason) != NULL, "%s",
                  v.content_reason);
}

static void assert_invalid(const unsigned char *p, size_t n,
                           const char *reason)
{
    pledge_verdict v;

    verify(p, n, &v);
    ck_assert_int_eq(v.valid, 0);
    ck_assert_msg(strstr(v.reason, reason) != NULL, "reason: %s", v.reason);
}

/* Appends an incremental update to base holding object `extra` (as the
 * next free number) and the first page again with `what` put in place
 * of its "/Contents N 0 R" (%1$u is the old number, %2$u the new one). */
static unsigned char *with_update(const unsigned char *base, size_t n,
                                  const char *extra, const char *what,
                                  size_t *outlen)
{
    const pledge_pdf_obj *t, *root, *pages, *kids, *page, *info;
    pledge_pdf *pdf;
    pledge_err err;
    unsigned num, pnum, cnum;
    size_t cap = n + 8192, len = n, oextra, opage, oxref;
    unsigned char *out = malloc(cap);
    char dict[4096], repl[256], *at, *end;

    ck_assert_ptr_nonnull(out);
    memcpy(out, base, n);
    ck_assert_int_eq(pledge_pdf_open(&pdf, base, n, &err), 0);
    t = pledge_pdf_trailer(pdf);
    num = pledge_pdf_size(pdf);
    info = pledge_pdf_dict_get(t, "Info");
    ck_assert_int_eq(pledge_pdf_resolve(pdf, pledge_pdf_dict_get(t, "Root"),
                                        &root, &err), 0);
    ck_assert_int_eq(pledge_pdf_resolve(pdf, pledge_pdf_dict_get(root,
                     "Pages"), &pages, &err), 0);
    ck_assert_int_eq(pledge_pdf_resolve(pdf, pledge_pdf_dict_get(pages,
                     "Kids"), &kids, &err), 0);
    pnum = kids->u.arr.items[0]->u.ref.num;
    ck_assert_int_eq(pledge_pdf_resolve(pdf, kids->u.arr.items[0], &page,
                                        &err), 0);
    ck_assert_uint_lt(page->end - page->start, sizeof dict - 512);
    memcpy(dict, pledge_pdf_span(pdf, page), page->end - page->start);
    dict[page->end - page->start] = '\0';
    at = strstr(dict, "/Contents ");
    ck_assert_ptr_nonnull(at);
    cnum = (unsigned)strtoul(at + 10, &end, 10);
    end = strstr(end, " R") + 2;
    snprintf(repl, sizeof repl, what, cnum, num);
    memmove(at + strlen(repl), end, strlen(end) + 1);
    memcpy(at, repl, strlen(repl));

    oextra = len;
    len += (size_t)snprintf((char *)out + len, cap - len,
                            "%u 0 obj\n%s\nendobj\n", num, extra);
    opage = len;
    len += (size_t)snprintf((char *)out + len, cap - len,
                            "%u 0 obj\n%s\nendobj\n", pnum, dict);
    oxref = len;
    len += (size_t)snprintf((char *)out + len, cap - len,
                            "xref\n%u 1\n%010zu 00000 n\r\n%u 1\n"
                            "%010zu 00000 n\r\ntrailer\n<</Size %u"
                            "/Root %u 0 R/Info %u 0 R/Prev %zu>>\n"
                            "startxref\n%zu\n%%%%EOF\n", pnum, opage, num,
                            oextra, num + 1,
                            pledge_pdf_dict_get(t, "Root")->u.ref.num,
                            info->u.ref.num, pledge_pdf_startxref(pdf),
                            oxref);
    pledge_pdf_close(pdf);
    *outlen = len;
    return out;
}

START_TEST(genuine_is_verified)
{
    unsigned char *base, *p, *made;
    size_t n, len, mlen;
    pledge_claim c;
    pledge_person person = {"Jane Doe", "IMH-E", "VA-0142", "2026-11-21"};
    pledge_signing s = {key, "Test Association", SIGN_TIME, 0};
    pledge_render_opts opts = {PLEDGE_PAPER_DEFAULT, SIGN_TIME, &s};
    pledge_err err;

    base_for(eng, "Jane Doe", &base, &n);
    claim_for("Jane Doe", &c);
    sign(base, n, &c, &p, &len);
    /* The verifier's re-make is the signer's very layout of the file. */
    ck_assert_int_eq(pledge_render_pdf(eng, lay, &person, &opts, &made,
                                       &mlen, &err), 0);
    ck_assert_uint_eq(mlen, len);
    ck_assert_int_eq(memcmp(made, p, len), 0);
    assert_content(p, len, PLEDGE_CONTENT_VERIFIED,
                   "identical to what layout vaimh-code");
    free(base);
    free(p);
    free(made);
}
END_TEST

START_TEST(claim_names_another_person)
{
    unsigned char *base, *p;
    size_t n, len;
    pledge_claim c;

    base_for(eng, "John Roe", &base, &n);
    claim_for("Jane Doe", &c);
    sign(base, n, &c, &p, &len);
    assert_invalid(p, len, "the claim names applicant \"Jane Doe\" but the "
                   "page was made for \"John Roe\"");
    free(base);
    free(p);
}
END_TEST

/* An update the signer signs along: the page the reader sees changes. */
static void assert_update_caught(const char *extra, const char *what)
{
    unsigned char *base, *forged, *p;
    size_t n, flen, len;
    pledge_claim c;

    base_for(eng, "Jane Doe", &base, &n);
    forged = with_update(base, n, extra, what, &flen);
    claim_for("Jane Doe", &c);
    sign(forged, flen, &c, &p, &len);
    assert_invalid(p, len, "the content differs from what layout vaimh-code");
    assert_invalid(p, len, "first difference at byte");
    free(base);
    free(forged);
    free(p);
}

START_TEST(extra_annotation)
{
    assert_update_caught("<</Type/Annot/Subtype/FreeText/Rect[72 72 400 100]"
                         "/Contents(I do NOT commit)/DA(0 g /Helv 12 Tf)>>",
                         "/Contents %1$u 0 R/Annots[%2$u 0 R]");
}
END_TEST

START_TEST(drawn_over_name)
{
    assert_update_caught("<</Length 62>>\nstream\n"
                         "q 1 1 1 rg 72 600 450 40 re f Q BT 72 610 Td "
                         "(John Roe) Tj ET\nendstream",
                         "/Contents[%1$u 0 R %2$u 0 R]");
}
END_TEST

START_TEST(hidden_text)
{
    assert_update_caught("<</Length 42>>\nstream\n"
                         "BT 3 Tr 72 72 Td (I do NOT commit) Tj ET\n"
                         "endstream",
                         "/Contents[%1$u 0 R %2$u 0 R]");
}
END_TEST

/* An edit of a base's object stream: at bytes after the first from, to
 * (from's bytes themselves when at is 0); found says whether from was
 * there. */
typedef struct {
    const char *from, *to;
    size_t at;
    int found;
} patch;

static void apply_patch(unsigned char *d, size_t n, void *arg)
{
    patch *pt = arg;
    size_t i, k = strlen(pt->from);

    for (i = 0; i + k <= n; i++)
        if (memcmp(d + i, pt->from, k) == 0) {
            ck_assert_uint_le(i + pt->at + strlen(pt->to), n);
            memcpy(d + i + pt->at, pt->to, strlen(pt->to));
            pt->found = 1;
            return;
        }
}

START_TEST(font_record_differs)
{
    pledge_engine *e2;
    pledge_typo typo;
    patch pt = { "/Creator(pledge", "P", 9, 0 };
    unsigned char *base, *p;
    size_t n, len;
    pledge_claim c;
    pledge_err err;

    /* An engine whose Regular font hashes otherwise: a pledge made by an
     * installation with another font file.  Where the bytes still come
     * out the same, the bytes decide: VALID. */
    ck_assert_int_eq(pledge_engine_open(&e2, PLEDGE_SRCDIR, &err), 0);
    ck_assert_int_eq(pledge_engine_typo(e2, lay, &typo, &err), 0);
    e2->families[0].hash[0][0] = e2->families[0].hash[0][0] == '0' ?
                                   '1' : '0';
    base_for(e2, "Jane Doe", &base, &n);
    claim_for("Jane Doe", &c);
    sign(base, n, &c, &p, &len);
    assert_content(p, len, PLEDGE_CONTENT_VERIFIED, "identical to what");
    free(p);
    /* Where they do not, that font is why the content is not checked. */
    packed_edit(&base, &n, apply_patch, &pt);
    ck_assert(pt.found);
    sign(base, n, &c, &p, &len);
    assert_content(p, len, PLEDGE_CONTENT_UNCHECKED,
                   "font NotoSerif-Regular.ttf differs");
    pledge_engine_close(e2);
    free(base);
    free(p);
}
END_TEST

START_TEST(engine_record_differs)
{
    static const char from[] = "engine:" PLEDGE_VERSION "\n",
                      to[] = "engine:0.0.0\n";
    patch pt = { from, to, 0, 0 };
    unsigned char *base, *p;
    size_t n, len, k;
    pledge_claim c;

    /* The record (ASCII, a literal string) says another release made
     * it. */
    base_for(eng, "Jane Doe", &base, &n);
    k = strlen(from);
    ck_assert_uint_eq(k, strlen(to));
    packed_edit(&base, &n, apply_patch, &pt);
    ck_assert_msg(pt.found, "no engine line in the record");
    claim_for("Jane Doe", &c);
    sign(base, n, &c, &p, &len);
    assert_content(p, len, PLEDGE_CONTENT_UNCHECKED,
                   "made with pledge 0.0.0, this is " PLEDGE_VERSION);
    free(base);
    free(p);
}
END_TEST

START_TEST(library_record_differs)
{
    static const char from[] = "lib:libdeflate:";
    patch pt = { from, "0", sizeof from - 1, 0 };
    unsigned char *base, *p;
    size_t n, len;
    pledge_claim c;

    /* Made where another compressor wrote the streams: the record names
     * another libdeflate, and the bytes differ (the trailer's /ID is
     * derived from the record), so the content cannot be checked here;
     * it is not called a forgery. */
    base_for(eng, "Jane Doe", &base, &n);
    /* The version's first digit, made another. */
    pt.to = pledge_pdf_deflate_version()[0] == '0' ? "7" : "0";
    packed_edit(&base, &n, apply_patch, &pt);
    ck_assert_msg(pt.found, "no libdeflate line in the record");
    claim_for("Jane Doe", &c);
    sign(base, n, &c, &p, &len);
    assert_content(p, len, PLEDGE_CONTENT_UNCHECKED,
                   "made with library libdeflate ");
    free(base);
    free(p);
}
END_TEST

START_TEST(sig_time_differs_from_claim)
{
    static const char hex[] = "0123456789abcdef";
    char trusted[PLEDGE_MINISIG_TRUSTED_MAX + 1], *sig;
    unsigned char *base, *p, hash[PLEDGE_MINISIG_HASH_BYTES], *m;
    size_t n, len, gs, ge, slen, i;
    pledge_claim c;
    pledge_err err;

    base_for(eng, "Jane Doe", &base, &n);
    claim_for("Jane Doe", &c);
    ck_assert_int_eq(pledge_sign_prepare(base, n, &c, &p, &len, &gs, &ge,
                                         &err), 0);
    for (m = p + n; m + 9 <= p + len && memcmp(m, "/M(D:2026", 9) != 0; m++)
        ;
    ck_assert_ptr_ne(m + 9, p + len + 1);
    m[8] = '5';                          /* /M says 2025 */
    ck_assert_int_eq(pledge_claim_format(&c, trusted, sizeof trusted, &err),
                     0);
    pledge_minisig_hash_gap(p, len, gs, ge, hash);
    ck_assert_int_eq(pledge_minisig_sign(key, hash, PLEDGE_SIGN_UNTRUSTED,
                                         trusted, &sig, &slen, &err), 0);
    for (i = 0; i < slen; i++) {
        p[gs + 1 + 2 * i] = (unsigned char)hex[(unsigned char)sig[i] >> 4];
        p[gs + 2 + 2 * i] = (unsigned char)hex[(unsigned char)sig[i] & 15];
    }
    assert_invalid(p, len, "the signature's /M (D:20251121120000Z) is not "
                   "the claim's signing time 2026-11-21T12:00:00Z");
    free(sig);
    free(base);
    free(p);
}
END_TEST

/* A pledge made before the inputs record grew (version 1, as pledge
 * 0.1.0 wrote it) is still proven when the bytes are the same... */
START_TEST(version1_pledge_verified)
{
    unsigned char *base, *p, *signed_pdf;
    size_t n, len, slen;
    pledge_claim c;
    pledge_signing s = {key, "Test Association", SIGN_TIME, 0};
    pledge_err err;

    base_version(eng, "Jane Doe", 1, 1, &base, &n);
    claim_for("Jane Doe", &c);
    sign(base, n, &c, &p, &len);
    assert_content(p, len, PLEDGE_CONTENT_VERIFIED, "identical");
    free(base);
    /* ... and pledge sign still takes an unsigned version 1 pledge. */
    base_version(eng, "Jane Doe", 1, 0, &base, &n);
    ck_assert_msg(pledge_sign_pdf(eng, base, n, &s, &signed_pdf, &slen,
                                  &err) == 0, "%s", err.msg);
    assert_content(signed_pdf, slen, PLEDGE_CONTENT_VERIFIED, "identical");
    free(base);
    free(p);
    free(signed_pdf);
}
END_TEST

/* ... and when they differ, without engine records the verdict cannot
 * tell a changed page from a changed engine: UNCHECKED, saying so. */
START_TEST(version1_pledge_changed_is_unchecked)
{
    unsigned char *base, *forged, *p;
    size_t n, flen, len;
    pledge_claim c;

    base_version(eng, "Jane Doe", 1, 1, &base, &n);
    forged = with_update(base, n, "<</Length 42>>\nstream\n"
                         "BT 3 Tr 72 72 Td (I do NOT commit) Tj ET\n"
                         "endstream", "/Contents[%1$u 0 R %2$u 0 R]",
                         &flen);
    claim_for("Jane Doe", &c);
    sign(forged, flen, &c, &p, &len);
    assert_content(p, len, PLEDGE_CONTENT_UNCHECKED, "inputs version 1");
    free(base);
    free(forged);
    free(p);
}
END_TEST

/* The seal: made by the key that signed, stating the claim's facts, and
 * drawn as exactly the payload the pledge stores. */
START_TEST(seal_states_other_facts)
{
    unsigned char *base, *p;
    size_t n, len;
    pledge_claim c;
    pledge_seal seal;

    claim_for("Jane Doe", &c);
    seal_for("Jane Doe", 'P', "VA-0142", key, &seal);
    base_sealed(eng, "Jane Doe", &seal, &base, &n);
    sign(base, n, &c, &p, &len);
    assert_content(p, len, PLEDGE_CONTENT_VERIFIED, "identical");
    free(base);
    free(p);
    /* Another person's name, another member ID. */
    seal_for("John Roe", 'P', "VA-0142", key, &seal);
    base_sealed(eng, "Jane Doe", &seal, &base, &n);
    sign(base, n, &c, &p, &len);
    assert_invalid(p, len, "the seal's applicant \"John Roe\" is not the "
                   "pledge's \"Jane Doe\"");
    free(base);
    free(p);
    seal_for("Jane Doe", 'P', "VA-9999", key, &seal);
    base_sealed(eng, "Jane Doe", &seal, &base, &n);
    sign(base, n, &c, &p, &len);
    assert_invalid(p, len, "the seal's member ID");
    free(base);
    free(p);
}
END_TEST

START_TEST(seal_by_another_key)
{
    unsigned char *base, *p;
    size_t n, len;
    pledge_claim c;
    pledge_seal seal;
    pledge_seckey *other;
    pledge_pubkey pk;
    pledge_err err;

    ck_assert_int_eq(pledge_key_generate(&other, &pk, &err), 0);
    claim_for("Jane Doe", &c);
    seal_for("Jane Doe", 'P', "VA-0142", other, &seal);
    base_sealed(eng, "Jane Doe", &seal, &base, &n);
    sign(base, n, &c, &p, &len);
    assert_invalid(p, len, "the seal's signature does not match");
    pledge_seckey_free(other);
    free(base);
    free(p);
}
END_TEST

START_TEST(seal_drawn_is_not_stored)
{
    unsigned char *base, *p;
    size_t n, len, i;
    pledge_claim c;
    pledge_seal drawn, stored;
    char hex[2 * PLEDGE_SEAL_MAX_BYTES + 1], to[sizeof hex];
    static const char digits[] = "0123456789abcdef";
    patch pt = { hex, to, 0, 0 };

    claim_for("Jane Doe", &c);
    seal_for("Jane Doe", 'P', "VA-0142", key, &stored);
    seal_for("Jane Doe", 'P', "VA-0143", key, &drawn);
    ck_assert_uint_eq(stored.len, drawn.len);
    base_sealed(eng, "Jane Doe", &drawn, &base, &n);
    /* /PledgeSeal of the drawn seal made to hold the stored one. */
    for (i = 0; i < drawn.len; i++) {
        hex[2 * i] = digits[drawn.payload[i] >> 4];
        hex[2 * i + 1] = digits[drawn.payload[i] & 15];
    }
    hex[2 * drawn.len] = '\0';
    for (i = 0; i < stored.len; i++) {
        to[2 * i] = digits[stored.payload[i] >> 4];
        to[2 * i + 1] = digits[stored.payload[i] & 15];
    }
    to[2 * stored.len] = '\0';
    packed_edit(&base, &n, apply_patch, &pt);
    if (!pt.found) {
        for (i = 0; hex[i] != '\0'; i++) {
            if (hex[i] >= 'a')
                hex[i] = (char)(hex[i] - 'a' + 'A');
            if (to[i] >= 'a')
                to[i] = (char)(to[i] - 'a' + 'A');
        }
        packed_edit(&base, &n, apply_patch, &pt);
    }
    ck_assert(pt.found);
    sign(base, n, &c, &p, &len);
    assert_invalid(p, len, "the content differs");
    free(base);
    free(p);
}
END_TEST

/* The record is stored as ASCII: a backslash doubled, every other
 * character as \uXXXX (a UTF-16 unit); it reads back the same, and a
 * spelling the writer never makes is refused. */
START_TEST(inputs_record_is_ascii)
{
    static const char *const refused[] = {
        "\\u0041",          /* an ASCII letter escaped */
        "\\u00EB",          /* uppercase hex */
        "\\ud835",          /* an unpaired surrogate */
        "\\x",              /* not an escape */
        "\xc3\xab",         /* raw UTF-8 */
    };
    pledge_inputs in, back;
    unsigned char *p, bad[2048];
    pledge_err err;
    size_t n, i, k;

    memset(&in, 0, sizeof in);
    in.version = 2;
    strcpy(in.layout, "vaimh-code");
    strcpy(in.paper, "default");
    strcpy(in.epoch, "1795262400");
    strcpy(in.name, "Zo\xc3\xab \\ \xce\x91 \xf0\x9d\x94\xb8");
    strcpy(in.date, "2026-11-21");
    strcpy(in.env, "engine:0.1.0\n");
    ck_assert_int_eq(pledge_inputs_encode(&in, &p, &n, &err), 0);
    for (i = 0; i < n; i++)
        ck_assert_int_lt(p[i], 0x80);
    /* The encoder's bytes end in a NUL it does not count. */
    ck_assert(strstr((const char *)p,
                     "name:Zo\\u00eb \\\\ \\u0391 \\ud835\\udd38\n") != NULL);
    ck_assert_int_eq(pledge_inputs_decode(p, n, &back), 0);
    ck_assert_int_eq(back.version, 2);
    ck_assert_str_eq(back.name, in.name);
    ck_assert_str_eq(back.env, in.env);
    for (i = 0; i < sizeof refused / sizeof *refused; i++) {
        k = (size_t)(strstr((const char *)p, "name:") - (char *)p) + 5;
        ck_assert(n + 16 < sizeof bad);
        memcpy(bad, p, k);
        memcpy(bad + k, refused[i], strlen(refused[i]));
        memcpy(bad + k + strlen(refused[i]), p + k, n - k);
        ck_assert_msg(pledge_inputs_decode(bad, n + strlen(refused[i]),
                                           &back) < 0, "case %zu", i);
    }
    free(p);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("content");
    TCase *t = tcase_create("content");

    tcase_set_timeout(t, 60);
    tcase_add_test(t, genuine_is_verified);
    tcase_add_test(t, claim_names_another_person);
    tcase_add_test(t, extra_annotation);
    tcase_add_test(t, drawn_over_name);
    tcase_add_test(t, hidden_text);
    tcase_add_test(t, font_record_differs);
    tcase_add_test(t, engine_record_differs);
    tcase_add_test(t, library_record_differs);
    tcase_add_test(t, sig_time_differs_from_claim);
    tcase_add_test(t, version1_pledge_verified);
    tcase_add_test(t, version1_pledge_changed_is_unchecked);
    tcase_add_test(t, seal_states_other_facts);
    tcase_add_test(t, seal_by_another_key);
    tcase_add_test(t, seal_drawn_is_not_stored);
    tcase_add_test(t, inputs_record_is_ascii);
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    pledge_pubkey pk;
    pledge_err err;
    int rc;

    if (pledge_engine_open(&eng, PLEDGE_SRCDIR, &err) < 0 ||
        pledge_layout_load(&lay, LAYOUTS "/vaimh-code.md", &err) < 0 ||
        pledge_key_generate(&key, &pk, &err) < 0 ||
        pledge_keyring_new(&ring, &err) < 0 ||
        pledge_keyring_add_key(ring, &pk, "Test Association", &err) < 0) {
        fprintf(stderr, "test_content: set up: %s\n", err.msg);
        return EXIT_FAILURE;
    }
    pledge_key_id_hex(pk.id, key_id);
    rc = run_suite(suite());
    pledge_keyring_free(ring);
    pledge_seckey_free(key);
    pledge_layout_free(lay);
    pledge_engine_close(eng);
    return rc;
}
