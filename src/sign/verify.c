/* verify.c - check a pledge signature (see verify.h). */
#include "verify.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "minisig.h"
#include "sign.h"
#include "../pdf/pdfparse.h"
#include "../util/err.h"
#include "../util/file.h"
#include "../util/grow.h"

typedef struct {
    pledge_pubkey pk;
    char signer[PLEDGE_CLAIM_VALUE_BYTES];
    char path[1024];
} held_key;

struct pledge_keyring {
    held_key *keys;
    size_t n, cap;
};

int pledge_keyring_new(pledge_keyring **out, pledge_err *err)
{
    pledge_keyring *kr = calloc(1, sizeof *kr);

    if (kr == NULL)
        return pledge_err_set(err, "keyring: out of memory");
    *out = kr;
    return 0;
}

void pledge_keyring_free(pledge_keyring *kr)
{
    if (kr == NULL)
        return;
    free(kr->keys);
    free(kr);
}

size_t pledge_keyring_count(const pledge_keyring *kr)
{
    return kr->n;
}

static const held_key *find_key(const pledge_keyring *kr,
                                const unsigned char id[PLEDGE_KEY_ID_BYTES])
{
    size_t i;

    for (i = 0; i < kr->n; i++)
        if (memcmp(kr->keys[i].pk.id, id, PLEDGE_KEY_ID_BYTES) == 0)
            return &kr->keys[i];
    return NULL;
}

/* Holds k, refusing a second key with the same ID. */
static int hold(pledge_keyring *kr, const held_key *k, pledge_err *err)
{
    const held_key *old = find_key(kr, k->pk.id);
    held_key *nk;
    char hex[17];

    if (old != NULL) {
        pledge_key_id_hex(k->pk.id, hex);
        return pledge_err_set(err, "key ID %s is already held (from %s)",
                              hex, old->path);
    }
    nk = pledge_grow(kr->keys, &kr->cap, kr->n + 1, sizeof *kr->keys);
    if (nk == NULL)
        return pledge_err_set(err, "keyring: out of memory");
    kr->keys = nk;
    kr->keys[kr->n++] = *k;
    return 0;
}

int pledge_keyring_add_key(pledge_keyring *kr, const pledge_pubkey *pk,
                           const char *signer, pledge_err *err)
{
    held_key k;

    memset(&k, 0, sizeof k);
    k.pk = *pk;
    snprintf(k.signer, sizeof k.signer, "%s", signer);
    snprintf(k.path, sizeof k.path, "(the signing key)");
    return hold(kr, &k, err);
}

int pledge_keyring_add_file(pledge_keyring *kr, const char *path,
                            pledge_err *err)
{
    held_key k;

    memset(&k, 0, sizeof k);
    if (strlen(path) >= sizeof k.path)
        return pledge_err_set(err, "read %.64s...: path too long", path);
    if (pledge_key_read_public(path, &k.pk, k.signer, err) < 0)
        return -1;
    if (k.signer[0] == '\0')
        pledge_key_file_signer(path, k.signer, sizeof k.signer);
    snprintf(k.path, sizeof k.path, "%s", path);
    if (hold(kr, &k, err) < 0)
        return pledge_err_prefix(err, "read %s", path);
    return 0;
}

int pledge_keyring_add_dir(pledge_keyring *kr, const char *dir,
                           pledge_err *err)
{
    char **names, path[1024];
    size_t n, i;
    int rc = 0;

    if (pledge_file_list(dir, ".pub", &names, &n, err) < 0)
        return pledge_err_prefix(err, "read keyring %s", dir);
    for (i = 0; i < n && rc == 0; i++) {
        if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, names[i]) >=
            sizeof path)
            rc = pledge_err_set(err, "read keyring %s: path too long", dir);
        else
            rc = pledge_keyring_add_file(kr, path, err);
    }
    pledge_file_list_free(names, n);
    return rc;
}

/* Sets the verdict's reason; returns -1 for `return invalid(...)`. */
static int invalid(pledge_verdict *v, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int invalid(pledge_verdict *v, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(v->reason, sizeof v->reason, fmt, ap);
    va_end(ap);
    v->valid = 0;
    return -1;
}

/* Finds the one signature dictionary: trailer -> /Root -> /AcroForm ->
 * /Fields -> the field whose /FT is /Sig -> its /V. */
static int find_signature(pledge_pdf *pdf, const pledge_pdf_obj **sig,
                          pledge_verdict *v)
{
    const pledge_pdf_obj *t = pledge_pdf_trailer(pdf), *o, *form, *fields,
                         *f, *val, *found = NULL;
    pledge_err err;
    size_t i;

    if (pledge_pdf_dict_get(t, "Encrypt") != NULL)
        return invalid(v, "the PDF is encrypted");
    o = pledge_pdf_dict_get(t, "Root");
    if (o == NULL || o->type != PLEDGE_PDF_REF)
        return invalid(v, "the trailer has no /Root reference");
    if (pledge_pdf_resolve(pdf, o, &o, &err) < 0)
        return invalid(v, "read the catalog: %s", err.msg);
    form = pledge_pdf_dict_get(o, "AcroForm");
    if (form == NULL)
        return invalid(v, "not signed: the PDF has no signature field");
    if (pledge_pdf_resolve(pdf, form, &form, &err) < 0)
        return invalid(v, "read the form: %s", err.msg);
    fields = pledge_pdf_dict_get(form, "Fields");
    if (fields == NULL)
        return invalid(v, "not signed: the form has no fields");
    if (pledge_pdf_resolve(pdf, fields, &fields, &err) < 0)
        return invalid(v, "read the form's fields: %s", err.msg);
    if (fields->type != PLEDGE_PDF_ARRAY)
        return invalid(v, "the form's /Fields is not an array");
    /* Each field is read before any signature is checked: a form of
     * countless fields is refused before it costs anything. */
    if (fields->u.arr.n > PLEDGE_VERIFY_MAX_FIELDS)
        return invalid(v, "the form has %zu fields, more than the %d a "
                       "signed PDF may have", fields->u.arr.n,
                       PLEDGE_VERIFY_MAX_FIELDS);
    for (i = 0; i < fields->u.arr.n; i++) {
        if (pledge_pdf_resolve(pdf, fields->u.arr.items[i], &f, &err) < 0)
            return invalid(v, "read form field %zu: %s", i + 1, err.msg);
        if (!pledge_pdf_is_name(pledge_pdf_dict_get(f, "FT"), "Sig"))
            continue;
        val = pledge_pdf_dict_get(f, "V");
        if (val == NULL || val->type == PLEDGE_PDF_NULL)
            continue;
        if (found != NULL)
            return invalid(v, "the PDF holds more than one signature");
        if (val->type != PLEDGE_PDF_REF)
            return invalid(v, "the signature value is not an indirect "
                           "object");
        if (pledge_pdf_resolve(pdf, val, &found, &err) < 0)
            return invalid(v, "read the signature dictionary: %s", err.msg);
    }
    if (found == NULL)
        return invalid(v, "not signed: no signature field holds a value");
    if (found->type != PLEDGE_PDF_DICT)
        return invalid(v, "the signature value is not a dictionary");
    *sig = found;
    return 0;
}

/* The /ByteRange rules: [0 a b c], direct non-negative integers, with
 * 0 < a < b <= len and b + c == len. */
static int check_byte_range(const pledge_pdf_obj *sig, size_t len,
                            size_t *gap_start, size_t *gap_end,
                            pledge_verdict *v)
{
    const pledge_pdf_obj *br = pledge_pdf_dict_get(sig, "ByteRange");
    unsigned long long r[4];
    size_t i;

    if (br == NULL)
        return invalid(v, "the signature has no /ByteRange");
    if (br->type == PLEDGE_PDF_REF)
        return invalid(v, "/ByteRange is an indirect reference");
    if (br->type != PLEDGE_PDF_ARRAY)
        return invalid(v, "/ByteRange is not an array");
    if (br->u.arr.n != 4)
        return invalid(v, "/ByteRange holds %zu numbers, not 4",
                       br->u.arr.n);
    for (i = 0; i < 4; i++) {
        const pledge_pdf_obj *x = br->u.arr.items[i];

        if (x->type != PLEDGE_PDF_INT || x->u.i < 0)
            return invalid(v, "/ByteRange entry %zu is not a non-negative "
                           "integer", i + 1);
        r[i] = (unsigned long long)x->u.i;
    }
    if (r[0] != 0)
        return invalid(v, "/ByteRange does not start at byte 0");
    if (r[1] == 0 || r[1] >= r[2])
        return invalid(v, "/ByteRange's ranges are empty, overlap or are "
                       "out of order");
    if (r[2] > len || r[3] > len - r[2])
        return invalid(v, "/ByteRange reaches past the end of the file");
    if (r[2] + r[3] != len)
        return invalid(v, "the signature covers %llu bytes but the file "
                       "is %zu: %llu bytes were added after signing",
                       r[2] + r[3], len,
                       (unsigned long long)len - (r[2] + r[3]));
    *gap_start = (size_t)r[1];
    *gap_end = (size_t)r[2];
    return 0;
}

static int hexval(unsigned char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

/* The gap must be exactly the /Contents hex string of sig: '<', an even
 * number of lowercase hex digits and nothing else, '>'.  One spelling
 * only: with upper case allowed, flipping a letter's case would change
 * the file and keep the signature valid.  Decodes it into *text. */
static int check_contents(const pledge_pdf_obj *sig,
                          const unsigned char *data, size_t gap_start,
                          size_t gap_end, char **text, size_t *tlen,
                          pledge_verdict *v)
{
    const pledge_pdf_obj *c = pledge_pdf_dict_get(sig, "Contents");
    size_t i, n;
    char *out;

    if (c == NULL)
        return invalid(v, "the signature has no /Contents");
    if (c->type == PLEDGE_PDF_NULL)
        return invalid(v, "/Contents is null");
    if (c->type == PLEDGE_PDF_STRING)
        return invalid(v, "/Contents is a literal string, not hex");
    if (c->type != PLEDGE_PDF_HEX)
        return invalid(v, "/Contents is not a hex string");
    if (c->start != gap_start || c->end != gap_end)
        return invalid(v, "the gap between the byte ranges (%zu-%zu) is "
                       "not exactly /Contents (%zu-%zu)", gap_start,
                       gap_end, c->start, c->end);
    n = gap_end - gap_start - 2;
    if (n == 0)
        return invalid(v, "/Contents is empty");
    if (n % 2 != 0)
        return invalid(v, "/Contents has an odd number of hex digits");
    for (i = 0; i < n; i++)
        if (hexval(data[gap_start + 1 + i]) < 0)
            return invalid(v, "/Contents holds a byte that is not a "
                           "lowercase hex digit at offset %zu",
                           gap_start + 1 + i);
    if ((out = malloc(n / 2 + 1)) == NULL)
        return invalid(v, "out of memory");
    for (i = 0; i < n / 2; i++)
        out[i] = (char)(hexval(data[gap_start + 1 + 2 * i]) << 4 |
                        hexval(data[gap_start + 2 + 2 * i]));
    out[n / 2] = '\0';
    *text = out;
    *tlen = n / 2;
    return 0;
}

int pledge_verify_locate(const unsigned char *data, size_t len,
                         pledge_minisig *ms, size_t *gap_start,
                         size_t *gap_end, pledge_verdict *v)
{
    const pledge_pdf_obj *sig = NULL;
    pledge_pdf *pdf = NULL;
    pledge_err err;
    char *text = NULL;
    size_t tlen = 0;
    int rc = -1;

    memset(v, 0, sizeof *v);
    if (pledge_pdf_open(&pdf, data, len, &err) < 0)
        return invalid(v, "not a readable PDF: %s", err.msg);
    if (find_signature(pdf, &sig, v) < 0)
        goto done;
    if (!pledge_pdf_is_name(pledge_pdf_dict_get(sig, "Filter"),
                            PLEDGE_SIGN_FILTER)) {
        invalid(v, "the signature's /Filter is not /" PLEDGE_SIGN_FILTER);
        goto done;
    }
    if (pledge_pdf_dict_get(sig, "SubFilter") == NULL) {
        invalid(v, "the signature has no /SubFilter");
        goto done;
    }
    if (!pledge_pdf_is_name(pledge_pdf_dict_get(sig, "SubFilter"),
                            PLEDGE_SIGN_SUBFILTER)) {
        invalid(v, "unknown /SubFilter (expected /" PLEDGE_SIGN_SUBFILTER
                ")");
        goto done;
    }
    if (check_byte_range(sig, len, gap_start, gap_end, v) < 0 ||
        check_contents(sig, data, *gap_start, *gap_end, &text, &tlen,
                       v) < 0)
        goto done;
    if (pledge_minisig_parse(text, tlen, ms, &err) < 0) {
        invalid(v, "/Contents is not a minisign signature: %s", err.msg);
        goto done;
    }
    if (strncmp(text, "untrusted comment: " PLEDGE_SIGN_UNTRUSTED "\n",
                sizeof PLEDGE_SIGN_UNTRUSTED + 19) != 0) {
        invalid(v, "the signature's untrusted comment is not the one "
                "pledge writes");
        goto done;
    }
    rc = 0;

done:
    free(text);
    pledge_pdf_close(pdf);
    return rc;
}

int pledge_verify_pdf(const pledge_keyring *kr, const unsigned char *data,
                      size_t len, pledge_verdict *v)
{
    unsigned char hash[PLEDGE_MINISIG_HASH_BYTES];
    const held_key *k;
    pledge_minisig ms;
    pledge_claim claim;
    pledge_err err;
    size_t gap_start = 0, gap_end = 0;

    if (len > PLEDGE_VERIFY_MAX_BYTES) {
        memset(v, 0, sizeof *v);
        return invalid(v, "the file is %zu bytes, larger than the %d MiB "
                       "verify reads: no pledge is near that size", len,
                       PLEDGE_VERIFY_MAX_BYTES >> 20);
    }
    if (pledge_verify_locate(data, len, &ms, &gap_start, &gap_end, v) < 0)
        return -1;
    pledge_key_id_hex(ms.id, v->key_id);
    if ((k = find_key(kr, ms.id)) == NULL)
        return invalid(v, "signed by unknown key ID %s (not in the keyring)",
                       v->key_id);
    pledge_minisig_hash_gap(data, len, gap_start, gap_end, hash);
    if (pledge_minisig_verify(&ms, &k->pk, hash, &err) < 0)
        return invalid(v, "%s", err.msg);
    if (pledge_claim_parse(ms.trusted, &claim, &err) < 0)
        return invalid(v, "%s", err.msg);
    if (strcmp(claim.key, v->key_id) != 0)
        return invalid(v, "key ID mismatch: signed by %s but the claim "
                       "names %s", v->key_id, claim.key);
    snprintf(v->signer, sizeof v->signer, "%s", k->signer);
    snprintf(v->key_file, sizeof v->key_file, "%s", k->path);
    v->claim = claim;
    v->valid = 1;
    return 0;
}
