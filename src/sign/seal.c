/* seal.c - the signed seal of a printed pledge (see seal.h). */
#include "seal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "key.h"
#include "revoke.h"
#include "verify.h"
#include "../util/base45.h"
#include "../util/err.h"
#include "../util/text.h"
#include "../util/utf8.h"

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian). */
static long days_from_civil(long y, unsigned m, unsigned d)
{
    long era;
    unsigned yoe, doy, doe;

    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = (unsigned)(y - era * 400);
    doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (long)doe - 719468;
}

#define DAY_2000 10957L         /* days_from_civil(2000, 1, 1) */

/* The day number of date (YYYY-MM-DD, a real day) since 2000-01-01, or
 * -1 when it is not one or falls outside 1 .. 65535. */
static long day_number(const char *date)
{
    unsigned y, m, d;
    long n;

    if (!pledge_is_date(date) || sscanf(date, "%4u-%2u-%2u", &y, &m,
                                        &d) != 3)
        return -1;
    n = days_from_civil((long)y, m, d) - DAY_2000;
    /* A day that does not exist (02-30) does not come back the same. */
    if (n < 1 || n > 65535)
        return -1;
    return n;
}

/* The date of day number n since 2000-01-01, into out. */
static void day_date(unsigned n, char out[11])
{
    long z = (long)n + DAY_2000 + 719468, era, y;
    unsigned doe, yoe, doy, mp, d, m;

    era = z / 146097;
    doe = (unsigned)(z - era * 146097);
    yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    y = (long)yoe + era * 400;
    doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    mp = (5 * doy + 2) / 153;
    d = doy - (153 * mp + 2) / 5 + 1;
    m = mp < 10 ? mp + 3 : mp - 9;
    y += m <= 2;
    snprintf(out, 11, "%04d-%02d-%02d", (int)(y % 10000), (int)(m % 100),
             (int)(d % 100));
}

/* A date that round-trips through its day number, or "" for until. */
static int check_date(const char *what, const char *date, int may_be_empty,
                      pledge_err *err)
{
    char again[11];
    long n;

    if (may_be_empty && date[0] == '\0')
        return 0;
    n = day_number(date);
    if (n > 0)
        day_date((unsigned)n, again);
    if (n < 0 || strcmp(again, date) != 0)
        return pledge_err_set(err, "seal: %s \"%.20s\" is not a day from "
                              "2000-01-02 to 2179-06-06", what, date);
    return 0;
}

/* A string field: at most 200 bytes of UTF-8, no control character. */
static int check_string(const char *what, const char *s, size_t n,
                        pledge_err *err)
{
    size_t i = 0;
    uint32_t cp;

    if (n > PLEDGE_SEAL_STR_MAX)
        return pledge_err_set(err, "seal: the %s is %zu bytes, more than "
                              "the %d a seal holds", what, n,
                              PLEDGE_SEAL_STR_MAX);
    while (i < n) {
        if (pledge_utf8_next(s, n, &i, &cp) < 0)
            return pledge_err_set(err, "seal: the %s is not UTF-8", what);
        if (cp < 0x20 || cp == 0x7f)
            return pledge_err_set(err, "seal: the %s holds control "
                                  "character U+%04X", what, (unsigned)cp);
    }
    return 0;
}

static const char *const string_names[5] = {
    "association", "layout", "revision", "applicant", "member ID"
};

/* The five string fields of f, in payload order. */
static void strings_of(const pledge_seal_facts *f, const char *s[5])
{
    s[0] = f->association;
    s[1] = f->layout;
    s[2] = f->revision;
    s[3] = f->applicant;
    s[4] = f->member_id;
}

static int known_kind(char k)
{
    return k == 'A' || k == 'P' || k == 'E';
}

/* Writes the payload of f without its signature into p (room for
 * PLEDGE_SEAL_MAX_BYTES), setting *n.  Checks every fact first. */
static int encode(const pledge_seal_facts *f, unsigned char *p, size_t *n,
                  pledge_err *err)
{
    const char *s[5];
    size_t k = 0, i, sl;
    long date, until = 0;

    if (!known_kind(f->kind))
        return pledge_err_set(err, "seal: unknown kind 0x%02X",
                              (unsigned char)f->kind);
    if (check_date("date", f->date, 0, err) < 0 ||
        check_date("until", f->until, 1, err) < 0)
        return -1;
    date = day_number(f->date);
    if (f->until[0] != '\0')
        until = day_number(f->until);
    strings_of(f, s);
    for (i = 0; i < 5; i++)
        if (check_string(string_names[i], s[i], strlen(s[i]), err) < 0)
            return -1;
    p[k++] = PLEDGE_SEAL_VERSION;
    p[k++] = (unsigned char)f->kind;
    memcpy(p + k, f->key_id, PLEDGE_KEY_ID_BYTES);
    k += PLEDGE_KEY_ID_BYTES;
    p[k++] = (unsigned char)(date >> 8);
    p[k++] = (unsigned char)date;
    p[k++] = (unsigned char)(until >> 8);
    p[k++] = (unsigned char)until;
    memcpy(p + k, f->text_hash, PLEDGE_SEAL_HASH_BYTES);
    k += PLEDGE_SEAL_HASH_BYTES;
    if (f->kind == 'E') {
        memcpy(p + k, f->applicant_key_id, PLEDGE_KEY_ID_BYTES);
        k += PLEDGE_KEY_ID_BYTES;
    }
    for (i = 0; i < 5; i++) {
        sl = strlen(s[i]);
        p[k++] = (unsigned char)sl;
        memcpy(p + k, s[i], sl);
        k += sl;
    }
    *n = k;
    return 0;
}

/* The message a seal's signature covers: the context, then the payload
 * without the signature.  m has room for PLEDGE_SEAL_MAX_BYTES + 14. */
static size_t message(const unsigned char *p, size_t n, unsigned char *m)
{
    memcpy(m, PLEDGE_SEAL_CONTEXT, sizeof PLEDGE_SEAL_CONTEXT - 1);
    memcpy(m + sizeof PLEDGE_SEAL_CONTEXT - 1, p, n);
    return sizeof PLEDGE_SEAL_CONTEXT - 1 + n;
}

int pledge_seal_make(const pledge_seal_facts *f, const pledge_seckey *sk,
                     pledge_seal *out, pledge_err *err)
{
    unsigned char m[PLEDGE_SEAL_MAX_BYTES + sizeof PLEDGE_SEAL_CONTEXT];
    pledge_seal s;
    pledge_pubkey pk;
    size_t n = 0;

    memset(&s, 0, sizeof s);
    s.f = *f;
    pledge_seckey_public(sk, &pk);
    memcpy(s.f.key_id, pk.id, PLEDGE_KEY_ID_BYTES);
    if (s.f.kind != 'E')
        memset(s.f.applicant_key_id, 0, PLEDGE_KEY_ID_BYTES);
    if (encode(&s.f, s.payload, &n, err) < 0)
        return -1;
    if (pledge_seckey_sign(sk, m, message(s.payload, n, m),
                           s.payload + n, err) < 0)
        return -1;
    s.len = n + PLEDGE_SEAL_SIG_BYTES;
    *out = s;
    return 0;
}

void pledge_seal_text(const pledge_seal *s, char out[PLEDGE_SEAL_TEXT_BYTES])
{
    memcpy(out, PLEDGE_SEAL_PREFIX, 4);
    pledge_base45_encode(s->payload, s->len, out + 4);
}

int pledge_seal_parse(const unsigned char *p, size_t len, pledge_seal *out,
                      pledge_err *err)
{
    pledge_seal s;
    char *dest[5];
    size_t k, i, sl, fixed;
    unsigned date, until;

    memset(&s, 0, sizeof s);
    if (len > PLEDGE_SEAL_MAX_BYTES)
        return pledge_err_set(err, "seal: %zu bytes, more than a seal's %d",
                              len, PLEDGE_SEAL_MAX_BYTES);
    if (len < 1 || p[0] != PLEDGE_SEAL_VERSION)
        return pledge_err_set(err, "seal: not version %d",
                              PLEDGE_SEAL_VERSION);
    if (len < 2 || !known_kind((char)p[1]))
        return pledge_err_set(err, "seal: unknown kind");
    s.f.kind = (char)p[1];
    fixed = 30 + (s.f.kind == 'E' ? PLEDGE_KEY_ID_BYTES : 0);
    if (len < fixed + 5 + PLEDGE_SEAL_SIG_BYTES)
        return pledge_err_set(err, "seal: cut short (%zu bytes)", len);
    memcpy(s.f.key_id, p + 2, PLEDGE_KEY_ID_BYTES);
    date = (unsigned)p[10] << 8 | p[11];
    until = (unsigned)p[12] << 8 | p[13];
    if (date == 0)
        return pledge_err_set(err, "seal: no date");
    day_date(date, s.f.date);
    if (until != 0)
        day_date(until, s.f.until);
    memcpy(s.f.text_hash, p + 14, PLEDGE_SEAL_HASH_BYTES);
    if (s.f.kind == 'E')
        memcpy(s.f.applicant_key_id, p + 30, PLEDGE_KEY_ID_BYTES);
    dest[0] = s.f.association;
    dest[1] = s.f.layout;
    dest[2] = s.f.revision;
    dest[3] = s.f.applicant;
    dest[4] = s.f.member_id;
    k = fixed;
    for (i = 0; i < 5; i++) {
        if (k >= len)
            return pledge_err_set(err, "seal: cut short before the %s",
                                  string_names[i]);
        sl = p[k++];
        if (sl > PLEDGE_SEAL_STR_MAX || sl > len - k)
            return pledge_err_set(err, "seal: the %s's length %zu is too "
                                  "long", string_names[i], sl);
        if (check_string(string_names[i], (const char *)p + k, sl, err) < 0)
            return -1;
        memcpy(dest[i], p + k, sl);
        dest[i][sl] = '\0';
        k += sl;
    }
    if (len - k != PLEDGE_SEAL_SIG_BYTES)
        return pledge_err_set(err, "seal: %zu bytes follow the facts, not "
                              "the %d of a signature", len - k,
                              PLEDGE_SEAL_SIG_BYTES);
    memcpy(s.payload, p, len);
    s.len = len;
    *out = s;
    return 0;
}

int pledge_seal_parse_text(const char *text, size_t len, pledge_seal *out,
                           pledge_err *err)
{
    unsigned char p[PLEDGE_SEAL_MAX_BYTES];
    size_t n = 0;

    if (len < 4 || memcmp(text, PLEDGE_SEAL_PREFIX, 4) != 0)
        return pledge_err_set(err, "not a pledge seal: it does not begin "
                              "with " PLEDGE_SEAL_PREFIX);
    if (pledge_base45_decode(text + 4, len - 4, p, sizeof p, &n) < 0)
        return pledge_err_set(err, "not a pledge seal: not base45 of at "
                              "most %d bytes", PLEDGE_SEAL_MAX_BYTES);
    return pledge_seal_parse(p, n, out, err);
}

int pledge_seal_verify_signature(const pledge_seal *s,
                                 const pledge_pubkey *pk)
{
    unsigned char m[PLEDGE_SEAL_MAX_BYTES + sizeof PLEDGE_SEAL_CONTEXT];
    size_t n;

    if (s->len < PLEDGE_SEAL_SIG_BYTES)
        return -1;
    n = message(s->payload, s->len - PLEDGE_SEAL_SIG_BYTES, m);
    return crypto_sign_verify_detached(s->payload + s->len -
                                       PLEDGE_SEAL_SIG_BYTES, m, n,
                                       pk->pk) == 0 ? 0 : -1;
}

void pledge_seal_id(const pledge_seal *s, char out[65])
{
    unsigned char h[32];

    crypto_generichash(h, sizeof h, s->payload, s->len, NULL, 0);
    sodium_bin2hex(out, 65, h, sizeof h);
}

/* Decodes the hex digits of text (2n of them) into out. */
static int unhex(const char *text, unsigned char *out, size_t n)
{
    size_t used = 0;

    return sodium_hex2bin(out, n, text, 2 * n, NULL, &used, NULL) == 0 &&
           used == n ? 0 : -1;
}

/* A key ID as minisign shows it (16 hex digits of the little-endian
 * number) back into its stored bytes. */
static int key_id_bytes(const char *hex, unsigned char id[8])
{
    unsigned char be[8];
    size_t i;

    if (strlen(hex) != 16 || unhex(hex, be, 8) < 0)
        return -1;
    for (i = 0; i < 8; i++)
        id[i] = be[7 - i];
    return 0;
}

/* The length of s cut to at most PLEDGE_SEAL_STR_MAX bytes, never inside
 * a UTF-8 sequence. */
static size_t cut(const char *s)
{
    size_t n = strlen(s);

    if (n <= PLEDGE_SEAL_STR_MAX)
        return n;
    n = PLEDGE_SEAL_STR_MAX;
    while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
        n--;
    return n;
}

int pledge_seal_facts_from_claim(const pledge_claim *c, char kind,
                                 const char *member_id, const char *until,
                                 pledge_seal_facts *f, pledge_err *err)
{
    const char *s[5] = {
        c->association, c->layout, c->revision, c->applicant,
        member_id != NULL ? member_id : ""
    };
    char *dest[5];
    size_t i;

    memset(f, 0, sizeof *f);
    f->kind = kind;
    if (key_id_bytes(c->key, f->key_id) < 0)
        return pledge_err_set(err, "seal: key ID \"%.20s\" is not 16 hex "
                              "digits", c->key);
    if (strlen(c->text) != 64 ||
        unhex(c->text, f->text_hash, PLEDGE_SEAL_HASH_BYTES) < 0)
        return pledge_err_set(err, "seal: the text hash is not BLAKE2b-256 "
                              "hex");
    snprintf(f->date, sizeof f->date, "%.10s", c->time);
    snprintf(f->until, sizeof f->until, "%s", until != NULL ? until : "");
    if (check_date("date", f->date, 0, err) < 0 ||
        check_date("until", f->until, 1, err) < 0)
        return -1;
    dest[0] = f->association;
    dest[1] = f->layout;
    dest[2] = f->revision;
    dest[3] = f->applicant;
    dest[4] = f->member_id;
    for (i = 0; i < 5; i++) {
        size_t n = cut(s[i]);

        if (check_string(string_names[i], s[i], n, err) < 0)
            return -1;
        memcpy(dest[i], s[i], n);
        dest[i][n] = '\0';
    }
    return 0;
}

int pledge_seal_compare(const pledge_seal *s, const pledge_claim *c,
                        char kind, const char *member_id, const char *until,
                        pledge_err *err)
{
    pledge_seal_facts want;
    const pledge_seal_facts *got = &s->f;
    const char *a[5], *b[5];
    char have[17];
    size_t i;

    if (pledge_seal_facts_from_claim(c, kind, member_id, until, &want,
                                     err) < 0)
        return -1;
    if (got->kind != want.kind)
        return pledge_err_set(err, "the seal is of kind %c, the pledge of "
                              "kind %c", got->kind, want.kind);
    if (memcmp(got->key_id, want.key_id, PLEDGE_KEY_ID_BYTES) != 0) {
        pledge_key_id_hex(got->key_id, have);
        return pledge_err_set(err, "the seal names key %s, the signature "
                              "key %s", have, c->key);
    }
    if (strcmp(got->date, want.date) != 0)
        return pledge_err_set(err, "the seal is dated %s, the signature %s",
                              got->date, want.date);
    if (strcmp(got->until, want.until) != 0)
        return pledge_err_set(err, "the seal's until is \"%s\", the "
                              "pledge's \"%s\"", got->until, want.until);
    if (memcmp(got->text_hash, want.text_hash, PLEDGE_SEAL_HASH_BYTES) != 0)
        return pledge_err_set(err, "the seal's text hash is not the "
                              "claim's");
    strings_of(got, a);
    strings_of(&want, b);
    for (i = 0; i < 5; i++)
        if (strcmp(a[i], b[i]) != 0)
            return pledge_err_set(err, "the seal's %s \"%.200s\" is not "
                                  "the pledge's \"%.200s\"",
                                  string_names[i], a[i], b[i]);
    return 0;
}

int pledge_seal_read_pdf(pledge_pdf *pdf, pledge_seal *seal,
                         pledge_err *err)
{
    const pledge_pdf_obj *info, *o;

    info = pledge_pdf_dict_get(pledge_pdf_trailer(pdf), "Info");
    if (info == NULL || pledge_pdf_resolve(pdf, info, &info, err) < 0)
        return 0;
    o = pledge_pdf_dict_get(info, "PledgeSeal");
    if (o == NULL)
        return 0;
    if (o->type != PLEDGE_PDF_HEX && o->type != PLEDGE_PDF_STRING)
        return pledge_err_set(err, "the pledge's /PledgeSeal is not a "
                              "string");
    if (pledge_seal_parse(o->u.s.p, o->u.s.len, seal, err) < 0)
        return pledge_err_prefix(err, "the pledge's seal is damaged");
    return 1;
}

int pledge_seal_ids_in_pdf(const unsigned char *data, size_t len,
                           char ids[2][65], size_t *n, pledge_err *err)
{
    size_t revs[2], nrev = 1, i;
    pledge_pdf *pdf;
    pledge_seal *s = malloc(sizeof *s);
    int found = 0;

    *n = 0;
    if (s == NULL)
        return pledge_err_set(err, "out of memory");
    /* The applicant's revision, then the whole endorsed file. */
    if (pledge_verify_is_endorsed(data, len, &revs[0]))
        revs[nrev++] = len;
    for (i = 0; i < nrev && found >= 0; i++) {
        if (pledge_pdf_open(&pdf, data, revs[i], err) < 0) {
            found = -1;
            break;
        }
        found = pledge_seal_read_pdf(pdf, s, err);
        pledge_pdf_close(pdf);
        if (found > 0) {
            pledge_seal_id(s, ids[*n]);
            if (*n == 0 || strcmp(ids[0], ids[*n]) != 0)
                (*n)++;
        }
    }
    free(s);
    return found < 0 ? -1 : 0;
}

const char *pledge_seal_status_word(pledge_seal_status s)
{
    static const char *const w[] = {
        "VALID", "INVALID", "REVOKED", "EXPIRED"
    };

    return (unsigned)s < 4 ? w[s] : "INVALID";
}

const char *pledge_seal_kind_text(char kind)
{
    switch (kind) {
    case 'A': return "issued by the association";
    case 'P': return "signed by the applicant";
    case 'E': return "endorsed by the association";
    default:  return "unknown";
    }
}

/* Marks v with status and a printf-style reason; returns -1. */
static int verdict(pledge_seal_verdict *v, pledge_seal_status status,
                   const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int verdict(pledge_seal_verdict *v, pledge_seal_status status,
                   const char *fmt, ...)
{
    va_list ap;

    v->status = status;
    va_start(ap, fmt);
    vsnprintf(v->reason, sizeof v->reason, fmt, ap);
    va_end(ap);
    return -1;
}

/* Steps 2 to 5 of pledge_seal_check(): key, signature, role,
 * retirement, with the file verifier's own helpers. */
static int check_signer(const pledge_keyring *kr, pledge_seal_verdict *v)
{
    const pledge_seal_facts *f = &v->seal.f;
    pledge_verdict *fv = calloc(1, sizeof *fv);
    pledge_claim *c = calloc(1, sizeof *c);
    pledge_pubkey pk;
    int rc = -1;

    if (fv == NULL || c == NULL) {
        verdict(v, PLEDGE_SEAL_INVALID, "out of memory");
        goto done;
    }
    if (pledge_keyring_signing_key(kr, f->key_id, &pk, fv) < 0) {
        verdict(v, PLEDGE_SEAL_INVALID, "%s", fv->reason);
        goto done;
    }
    snprintf(v->signer, sizeof v->signer, "%s", fv->signer);
    snprintf(v->key_file, sizeof v->key_file, "%s", fv->key_file);
    if (pledge_seal_verify_signature(&v->seal, &pk) < 0) {
        verdict(v, PLEDGE_SEAL_INVALID, "the seal's signature does not "
                "match its facts (altered or damaged)");
        goto done;
    }
    /* The facts as a claim, so the role is checked as a file's is. */
    snprintf(c->time, sizeof c->time, "%s", f->date);
    snprintf(c->association, sizeof c->association, "%s", f->association);
    snprintf(c->layout, sizeof c->layout, "%s", f->layout);
    snprintf(c->revision, sizeof c->revision, "%s", f->revision);
    snprintf(c->applicant, sizeof c->applicant, "%s", f->applicant);
    if (pledge_keyring_check_role(kr, f->key_id, c, f->member_id,
                                  f->kind != 'P', fv) < 0) {
        verdict(v, PLEDGE_SEAL_INVALID, "%s", fv->reason);
        goto done;
    }
    snprintf(v->role, sizeof v->role, "%s", fv->role);
    snprintf(v->retired, sizeof v->retired, "%s", fv->retired);
    rc = 0;

done:
    free(fv);
    free(c);
    return rc;
}

int pledge_seal_check(const pledge_keyring *kr,
                      pledge_revocations *const *lists, size_t nlists,
                      const char *text, size_t len, const char *at,
                      pledge_seal_verdict *v)
{
    const pledge_revocation *r = NULL;
    const pledge_seal_facts *f = &v->seal.f;
    pledge_err err;
    size_t i;

    memset(v, 0, sizeof *v);
    if (pledge_seal_parse_text(text, len, &v->seal, &err) < 0)
        return verdict(v, PLEDGE_SEAL_INVALID, "%s", err.msg);
    v->parsed = 1;
    pledge_seal_id(&v->seal, v->seal_id);
    pledge_key_id_hex(f->key_id, v->key_id);
    if (f->kind == 'E')
        pledge_key_id_hex(f->applicant_key_id, v->applicant_key_id);
    if (check_signer(kr, v) < 0)
        return -1;
    for (i = 0; i < nlists && r == NULL; i++)
        r = pledge_revocations_match_seal(kr, lists[i], v->key_id,
                                          v->applicant_key_id, f->member_id,
                                          v->seal_id, at);
    if (r != NULL) {
        v->revoked = *r;
        return verdict(v, PLEDGE_SEAL_REVOKED, "revoked on %s: %.400s",
                       r->date, r->reason);
    }
    if (f->until[0] != '\0' && strcmp(f->until, at) < 0)
        return verdict(v, PLEDGE_SEAL_EXPIRED, "expired after %s",
                       f->until);
    v->status = PLEDGE_SEAL_VALID;
    return 0;
}

/* Appends one field to out[*n]. */
static void field(pledge_seal_field *out, size_t *n, const char *key,
                  const char *label, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static void field(pledge_seal_field *out, size_t *n, const char *key,
                  const char *label, const char *fmt, ...)
{
    va_list ap;

    if (*n == PLEDGE_SEAL_MAX_FIELDS)
        return;
    out[*n].key = key;
    out[*n].label = label;
    va_start(ap, fmt);
    vsnprintf(out[*n].value, sizeof out[*n].value, fmt, ap);
    va_end(ap);
    (*n)++;
}

size_t pledge_seal_fields(const pledge_seal_verdict *v,
                          pledge_seal_field out[PLEDGE_SEAL_MAX_FIELDS])
{
    const pledge_seal_facts *f = &v->seal.f;
    char hash[2 * PLEDGE_SEAL_HASH_BYTES + 1];
    size_t n = 0;

    if (!v->parsed)
        return 0;
    sodium_bin2hex(hash, sizeof hash, f->text_hash, sizeof f->text_hash);
    field(out, &n, "kind", "kind", "%s", pledge_seal_kind_text(f->kind));
    if (v->signer[0] != '\0')
        field(out, &n, NULL, "signed by", "%s (key ID %s, %s)", v->signer,
              v->key_id, v->key_file);
    field(out, &n, "signer", NULL, "%s", v->signer);
    field(out, &n, "key_id", NULL, "%s", v->key_id);
    field(out, &n, "key_file", NULL, "%s", v->key_file);
    if (v->status != PLEDGE_SEAL_INVALID || v->role[0] != '\0')
        field(out, &n, "role", "key role", "%s", v->role[0] != '\0' ?
              v->role : "none recorded");
    if (v->retired[0] != '\0')
        field(out, &n, NULL, "key retired", "signed with the retired key "
              "%s, retired on %s", v->key_id, v->retired);
    field(out, &n, "retired", NULL, "%s", v->retired);
    field(out, &n, "date", "signed on", "%s", f->date);
    field(out, &n, "applicant", "applicant", "%s", f->applicant);
    field(out, &n, "association", "association", "%s", f->association);
    if (pledge_layout_revision_dated(f->revision))
        field(out, &n, NULL, "layout", "%s, revision %s", f->layout,
              f->revision);
    else
        field(out, &n, NULL, "layout", "%s (undated)", f->layout);
    field(out, &n, "layout", NULL, "%s", f->layout);
    field(out, &n, "revision", NULL, "%s", f->revision);
    field(out, &n, "text_hash_prefix", "text", "blake2b-256 %s...", hash);
    if (f->kind == 'E') {
        field(out, &n, NULL, "certifies", "the applicant's key %s",
              v->applicant_key_id);
        field(out, &n, "applicant_key_id", NULL, "%s", v->applicant_key_id);
    }
    if (f->until[0] != '\0')
        field(out, &n, NULL, v->status == PLEDGE_SEAL_EXPIRED ? "EXPIRED" :
              "valid until", "%s", f->until);
    field(out, &n, "until", NULL, "%s", f->until);
    if (f->member_id[0] != '\0')
        field(out, &n, NULL, "member ID", "%s", f->member_id);
    field(out, &n, "member_id", NULL, "%s", f->member_id);
    if (v->status == PLEDGE_SEAL_REVOKED)
        field(out, &n, "revoked", "REVOKED", "on %s: %s (%s %s)",
              v->revoked.date, v->revoked.reason, v->revoked.kind,
              v->revoked.value);
    field(out, &n, "seal_id", "seal ID", "%s", v->seal_id);
    return n;
}
