/* verify.c - check a pledge signature (see verify.h). */
#include "verify.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "minisig.h"
#include "sign.h"
#include "../pdf/pdfparse.h"
#include "../util/err.h"
#include "../util/file.h"
#include "../util/grow.h"

#define invalid pledge_verdict_invalid

typedef enum { ROLE_NONE, ROLE_ASSOCIATION, ROLE_APPLICANT } role_kind;

/* The operator's record of what a held key may sign (docs/keyring.md). */
typedef struct {
    role_kind kind;
    char association[PLEDGE_CLAIM_VALUE_BYTES];
    char layouts[PLEDGE_CLAIM_VALUE_BYTES];     /* ids, space-separated */
    char applicant[PLEDGE_CLAIM_VALUE_BYTES];
    char member_id[PLEDGE_ROLE_MEMBER_ID_BYTES];
} key_role;

typedef struct {
    pledge_pubkey pk;
    char signer[PLEDGE_CLAIM_VALUE_BYTES];      /* the name to show */
    char path[1024];
    key_role role;
} held_key;

/* A key ID the keyring holds but trusts for nothing, and why. */
typedef struct {
    unsigned char id[PLEDGE_KEY_ID_BYTES];
    char why[512];
} refused_key;

struct pledge_keyring {
    held_key *keys;
    size_t n, cap;
    refused_key *refused;
    size_t nrefused, refused_cap;
    char (*warnings)[PLEDGE_KEYRING_WARNING_BYTES];
    size_t nwarnings, warnings_cap;
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
    free(kr->refused);
    free(kr->warnings);
    free(kr);
}

size_t pledge_keyring_count(const pledge_keyring *kr)
{
    return kr->n;
}

size_t pledge_keyring_warning_count(const pledge_keyring *kr)
{
    return kr->nwarnings;
}

const char *pledge_keyring_warning(const pledge_keyring *kr, size_t i)
{
    return i < kr->nwarnings ? kr->warnings[i] : NULL;
}

static void warn(pledge_keyring *kr, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Records a warning; one that cannot be recorded for want of memory is
 * lost, which leaves the keyring as strict as before. */
static void warn(pledge_keyring *kr, const char *fmt, ...)
{
    char (*nw)[PLEDGE_KEYRING_WARNING_BYTES];
    va_list ap;

    nw = pledge_grow(kr->warnings, &kr->warnings_cap, kr->nwarnings + 1,
                     sizeof *kr->warnings);
    if (nw == NULL)
        return;
    kr->warnings = nw;
    va_start(ap, fmt);
    vsnprintf(kr->warnings[kr->nwarnings++], sizeof *kr->warnings, fmt, ap);
    va_end(ap);
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

static const refused_key *find_refused(const pledge_keyring *kr,
                                       const unsigned char *id)
{
    size_t i;

    for (i = 0; i < kr->nrefused; i++)
        if (memcmp(kr->refused[i].id, id, PLEDGE_KEY_ID_BYTES) == 0)
            return &kr->refused[i];
    return NULL;
}

/* Holds k, refusing a second key with the same ID. */
static int hold(pledge_keyring *kr, const held_key *k, pledge_err *err)
{
    const held_key *old = find_key(kr, k->pk.id);
    held_key *nk;
    char hex[17];

    if (old != NULL || find_refused(kr, k->pk.id) != NULL) {
        pledge_key_id_hex(k->pk.id, hex);
        return pledge_err_set(err, "key ID %s is already held (from %s)",
                              hex, old != NULL ? old->path : "a refused "
                              "key file");
    }
    nk = pledge_grow(kr->keys, &kr->cap, kr->n + 1, sizeof *kr->keys);
    if (nk == NULL)
        return pledge_err_set(err, "keyring: out of memory");
    kr->keys = nk;
    kr->keys[kr->n++] = *k;
    return 0;
}

/* Stops trusting id at all, saying why to whoever verifies with it. */
static void refuse(pledge_keyring *kr, const unsigned char *id,
                   const char *why)
{
    refused_key *nr;
    size_t i;

    for (i = 0; i < kr->n; i++)
        if (memcmp(kr->keys[i].pk.id, id, PLEDGE_KEY_ID_BYTES) == 0) {
            kr->keys[i] = kr->keys[--kr->n];
            break;
        }
    if (find_refused(kr, id) != NULL)
        return;
    nr = pledge_grow(kr->refused, &kr->refused_cap, kr->nrefused + 1,
                     sizeof *kr->refused);
    if (nr == NULL)
        return;
    kr->refused = nr;
    memcpy(kr->refused[kr->nrefused].id, id, PLEDGE_KEY_ID_BYTES);
    snprintf(kr->refused[kr->nrefused++].why, sizeof nr->why, "%s", why);
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

/* One "field: value" line of a role record into the record, or -1 with
 * err naming the line. */
static int role_field(held_key *k, char *seen, const char *line,
                      const char *path, size_t lineno, pledge_err *err)
{
    static const char *const names[] = {
        "key", "name", "role", "association", "layouts", "applicant",
        "member-id"
    };
    char *dest[7];
    size_t caps[7], i, nlen;
    const char *colon = strchr(line, ':'), *v;
    char value[PLEDGE_CLAIM_VALUE_BYTES], role[32], keyid[32];

    dest[0] = keyid; caps[0] = sizeof keyid;
    dest[1] = k->signer; caps[1] = sizeof k->signer;
    dest[2] = role; caps[2] = sizeof role;
    dest[3] = k->role.association; caps[3] = sizeof k->role.association;
    dest[4] = k->role.layouts; caps[4] = sizeof k->role.layouts;
    dest[5] = k->role.applicant; caps[5] = sizeof k->role.applicant;
    dest[6] = k->role.member_id; caps[6] = sizeof k->role.member_id;
    if (colon == NULL)
        return pledge_err_set(err, "read %s line %zu: expected "
                              "\"field: value\"", path, lineno);
    nlen = (size_t)(colon - line);
    for (i = 0; i < 7; i++)
        if (strlen(names[i]) == nlen && strncmp(line, names[i], nlen) == 0)
            break;
    if (i == 7)
        return pledge_err_set(err, "read %s line %zu: unknown field "
                              "\"%.*s\"", path, lineno, (int)(nlen > 40 ?
                              40 : nlen), line);
    if (seen[i])
        return pledge_err_set(err, "read %s line %zu: field \"%s\" given "
                              "twice", path, lineno, names[i]);
    seen[i] = 1;
    for (v = colon + 1; *v == ' '; v++)
        ;
    if (strlen(v) >= caps[i] || *v == '\0')
        return pledge_err_set(err, "read %s line %zu: field \"%s\" is %s",
                              path, lineno, names[i], *v == '\0' ?
                              "empty" : "too long");
    snprintf(value, sizeof value, "%s", v);
    memcpy(dest[i], value, strlen(value) + 1);
    if (i == 0) {
        char hex[17], *end;
        unsigned long long want = strtoull(keyid, &end, 16), have;

        pledge_key_id_hex(k->pk.id, hex);
        have = strtoull(hex, NULL, 16);
        if (*end != '\0' || strlen(keyid) > 16 || want != have)
            return pledge_err_set(err, "read %s line %zu: key ID %s is not "
                                  "the ID of the key beside it (%s)", path,
                                  lineno, keyid, hex);
    } else if (i == 1 && pledge_key_check_signer(k->signer, err) < 0) {
        return pledge_err_prefix(err, "read %s line %zu", path, lineno);
    } else if (i == 2) {
        if (strcmp(role, "association") == 0)
            k->role.kind = ROLE_ASSOCIATION;
        else if (strcmp(role, "applicant") == 0)
            k->role.kind = ROLE_APPLICANT;
        else
            return pledge_err_set(err, "read %s line %zu: role \"%.40s\" is "
                                  "neither association nor applicant",
                                  path, lineno, role);
    }
    return 0;
}

/* Reads the role record at path for k, whose key is already read.
 * Returns 1 when read, 0 when there is no such file, -1 with err. */
static int read_role(held_key *k, const char *path, pledge_err *err)
{
    char *text, *line, *next, seen[7];
    size_t len, lineno = 0;
    int rc = -1;

    if (access(path, F_OK) != 0)
        return 0;
    if (pledge_file_read(path, 64 * 1024, &text, &len, err) < 0)
        return pledge_err_prefix(err, "read %s", path);
    memset(seen, 0, sizeof seen);
    k->signer[0] = '\0';
    for (line = text; line != NULL && *line != '\0'; line = next) {
        lineno++;
        next = strchr(line, '\n');
        if (next != NULL)
            *next++ = '\0';
        if (*line == '#' || *line == '\0')
            continue;
        if (role_field(k, seen, line, path, lineno, err) < 0)
            goto done;
    }
    if (!seen[0] || !seen[1] || !seen[2]) {
        pledge_err_set(err, "read %s: a role record needs the fields key, "
                       "name and role", path);
        goto done;
    }
    if (k->role.kind == ROLE_ASSOCIATION &&
        (!seen[3] || seen[5] || seen[6])) {
        pledge_err_set(err, "read %s: role association needs the field "
                       "association and takes no applicant or member-id",
                       path);
        goto done;
    }
    if (k->role.kind == ROLE_APPLICANT && !seen[5]) {
        pledge_err_set(err, "read %s: role applicant needs the field "
                       "applicant", path);
        goto done;
    }
    rc = 1;

done:
    free(text);
    return rc;
}

/* Reads the key file at path and the role record beside it (NAME.role
 * for NAME.pub) into *k. */
static int read_held(held_key *k, const char *path, pledge_err *err)
{
    char role[1100], ignored[PLEDGE_CLAIM_VALUE_BYTES];
    size_t n = strlen(path);

    memset(k, 0, sizeof *k);
    if (n >= sizeof k->path)
        return pledge_err_set(err, "read %.64s...: path too long", path);
    /* The comment's name is the sender's word, not the operator's. */
    if (pledge_key_read_public(path, &k->pk, ignored, err) < 0)
        return -1;
    pledge_key_file_signer(path, k->signer, sizeof k->signer);
    snprintf(k->path, sizeof k->path, "%s", path);
    if (n > 4 && strcmp(path + n - 4, ".pub") == 0)
        n -= 4;
    snprintf(role, sizeof role, "%.*s.role", (int)n, path);
    return read_role(k, role, err) < 0 ? -1 : 0;
}

int pledge_keyring_add_file(pledge_keyring *kr, const char *path,
                            pledge_err *err)
{
    held_key k;

    if (read_held(&k, path, err) < 0)
        return -1;
    if (hold(kr, &k, err) < 0)
        return pledge_err_prefix(err, "read %s", path);
    return 0;
}

/* A role record with no key beside it restricts nothing: say so, since
 * its operator meant it to. */
static void warn_orphan_roles(pledge_keyring *kr, const char *dir)
{
    char **names, path[1024];
    size_t n, i, len;
    pledge_err err;

    if (pledge_file_list(dir, ".role", &names, &n, &err) < 0)
        return;
    for (i = 0; i < n; i++) {
        len = strlen(names[i]) - 5;
        if ((size_t)snprintf(path, sizeof path, "%s/%.*s.pub", dir,
                             (int)len, names[i]) < sizeof path &&
            access(path, F_OK) != 0)
            warn(kr, "keyring %s: %s has no key %.*s.pub beside it", dir,
                 names[i], (int)len, names[i]);
    }
    pledge_file_list_free(names, n);
}

int pledge_keyring_add_dir(pledge_keyring *kr, const char *dir,
                           pledge_err *err)
{
    char **names, path[1024], hex[17], why[512];
    const held_key *old;
    held_key k;
    pledge_err kerr;
    size_t n, i;

    if (pledge_file_list(dir, ".pub", &names, &n, err) < 0)
        return pledge_err_prefix(err, "read keyring %s", dir);
    for (i = 0; i < n; i++) {
        if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, names[i]) >=
            sizeof path) {
            warn(kr, "keyring %s: skipped %s: path too long", dir,
                 names[i]);
            continue;
        }
        if (read_held(&k, path, &kerr) < 0) {
            /* One bad file must not stop every verification, nor pass
             * unseen: the key is left out (a key whose role record is
             * wrong included -- trusted for nothing rather than for
             * everything) and the operator is told. */
            warn(kr, "keyring %s: skipped %s: %s", dir, names[i], kerr.msg);
            continue;
        }
        pledge_key_id_hex(k.pk.id, hex);
        old = find_key(kr, k.pk.id);
        if (old != NULL || find_refused(kr, k.pk.id) != NULL) {
            /* Which of two files is the operator's intent is unknowable:
             * neither is trusted. */
            snprintf(why, sizeof why, "key ID %s is in the keyring twice "
                     "(%.200s and %.200s), so neither is trusted", hex,
                     old != NULL ? old->path : "another file", path);
            warn(kr, "%s", why);
            refuse(kr, k.pk.id, why);
            continue;
        }
        if (hold(kr, &k, &kerr) < 0)
            warn(kr, "keyring %s: skipped %s: %s", dir, names[i], kerr.msg);
    }
    pledge_file_list_free(names, n);
    warn_orphan_roles(kr, dir);
    return 0;
}

int pledge_verdict_invalid(pledge_verdict *v, const char *fmt, ...)
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

/* The signature dictionary's /M, a literal string, into m (cap bytes);
 * "" when it has none or another kind of value. */
static void sig_time(const pledge_pdf_obj *sig, char *m, size_t cap)
{
    const pledge_pdf_obj *o = pledge_pdf_dict_get(sig, "M");

    m[0] = '\0';
    if (o != NULL && o->type == PLEDGE_PDF_STRING && o->u.s.len < cap &&
        memchr(o->u.s.p, 0, o->u.s.len) == NULL) {
        memcpy(m, o->u.s.p, o->u.s.len);
        m[o->u.s.len] = '\0';
    }
}

/* pledge_verify_locate(), also giving the signature's /M. */
static int locate(const unsigned char *data, size_t len, pledge_minisig *ms,
                  size_t *gap_start, size_t *gap_end, char *m, size_t mcap,
                  pledge_verdict *v)
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
    if (pledge_pdf_tail_end(pdf) != len) {
        invalid(v, "%zu signed bytes follow the last %%%%EOF and its line end",
                len - pledge_pdf_tail_end(pdf));
        goto done;
    }
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
    sig_time(sig, m, mcap);
    rc = 0;

done:
    free(text);
    pledge_pdf_close(pdf);
    return rc;
}

int pledge_verify_locate(const unsigned char *data, size_t len,
                         pledge_minisig *ms, size_t *gap_start,
                         size_t *gap_end, pledge_verdict *v)
{
    char m[64];

    return locate(data, len, ms, gap_start, gap_end, m, sizeof m, v);
}

/* Is id one of the space-separated ids in list? */
static int listed(const char *list, const char *id)
{
    size_t n = strlen(id);
    const char *p;

    for (p = list; *p != '\0'; p += strcspn(p, " ")) {
        p += strspn(p, " ");
        if (strncmp(p, id, n) == 0 && (p[n] == ' ' || p[n] == '\0'))
            return 1;
    }
    return 0;
}

/* The claim against what the operator recorded for its key. */
static int check_role(const held_key *k, const pledge_claim *c,
                      pledge_verdict *v)
{
    const key_role *r = &k->role;

    if (r->kind == ROLE_NONE)
        return 0;
    if (strcmp(c->signer, k->signer) != 0)
        return invalid(v, "the pledge names its signer \"%.200s\" but the "
                       "keyring records key %s as \"%.200s\"", c->signer,
                       v->key_id, k->signer);
    if (r->association[0] != '\0' &&
        strcmp(c->association, r->association) != 0)
        return invalid(v, "key %s may sign only pledges of association "
                       "\"%.200s\"%s", v->key_id, r->association,
                       c->layout[0] == '\0' ? "; this PDF is not a pledge"
                       : "");
    if (r->layouts[0] != '\0' && !listed(r->layouts, c->layout))
        return invalid(v, "key %s may sign only pledges of the layouts "
                       "%.300s", v->key_id, r->layouts);
    if (r->kind == ROLE_APPLICANT && strcmp(c->applicant, r->applicant) != 0)
        return invalid(v, "key %s may sign only the pledge of applicant "
                       "\"%.200s\"", v->key_id, r->applicant);
    if (r->kind == ROLE_APPLICANT)
        snprintf(v->role, sizeof v->role, "applicant %.400s%s%.200s",
                 r->applicant,
                 r->member_id[0] != '\0' ? ", member " : "", r->member_id);
    else
        snprintf(v->role, sizeof v->role, "association %.400s%s%.400s",
                 r->association, r->layouts[0] != '\0' ? ", layouts " : "",
                 r->layouts);
    snprintf(v->role_member_id, sizeof v->role_member_id, "%s",
             r->member_id);
    return 0;
}

int pledge_verify_pdf(const pledge_keyring *kr, const unsigned char *data,
                      size_t len, pledge_verdict *v)
{
    unsigned char hash[PLEDGE_MINISIG_HASH_BYTES];
    const held_key *k;
    const refused_key *r;
    pledge_minisig ms;
    pledge_claim claim;
    pledge_err err;
    size_t gap_start = 0, gap_end = 0;
    char m[64], want[24];

    if (len > PLEDGE_VERIFY_MAX_BYTES) {
        memset(v, 0, sizeof *v);
        return invalid(v, "the file is %zu bytes, larger than the %d MiB "
                       "verify reads: no pledge is near that size", len,
                       PLEDGE_VERIFY_MAX_BYTES >> 20);
    }
    if (locate(data, len, &ms, &gap_start, &gap_end, m, sizeof m, v) < 0)
        return -1;
    pledge_key_id_hex(ms.id, v->key_id);
    if ((r = find_refused(kr, ms.id)) != NULL)
        return invalid(v, "signed by key ID %s, which the keyring refuses: "
                       "%s", v->key_id, r->why);
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
    /* One signing time: /M says what the claim says, in PDF's form. */
    snprintf(want, sizeof want, "D:%.4s%.2s%.2s%.2s%.2s%.2sZ", claim.time,
             claim.time + 5, claim.time + 8, claim.time + 11,
             claim.time + 14, claim.time + 17);
    if (strcmp(m, want) != 0)
        return invalid(v, "the signature's /M (%.40s) is not the claim's "
                       "signing time %s", m[0] != '\0' ? m : "missing",
                       claim.time);
    snprintf(v->signer, sizeof v->signer, "%s", k->signer);
    snprintf(v->key_file, sizeof v->key_file, "%s", k->path);
    v->claim = claim;
    v->gap_start = gap_start;
    v->gap_end = gap_end;
    if (check_role(k, &claim, v) < 0)
        return -1;
    v->valid = 1;
    return 0;
}
