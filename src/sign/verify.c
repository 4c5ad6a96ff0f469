/* verify.c - check a pledge signature (see verify.h). */
#include "verify.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "minisig.h"
#include "seal.h"
#include "sign.h"
#include "../pdf/pdfparse.h"
#include "../util/err.h"
#include "../util/text.h"
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
    char retired[11];           /* YYYY-MM-DD, or "" while in service */
} key_role;

typedef struct {
    pledge_pubkey pk;
    char signer[PLEDGE_CLAIM_VALUE_BYTES];      /* the name to show */
    char path[1024];
    key_role role;
    /* The key that vouched for this one by a rotation statement, which
     * then speaks for it (its revocation lists too). */
    int has_successor;
    unsigned char successor[PLEDGE_KEY_ID_BYTES];
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

void pledge_keyring_entry_get(const pledge_keyring *kr, size_t i,
                              pledge_keyring_entry *e)
{
    static const char *const roles[] = {
        [ROLE_NONE] = "", [ROLE_ASSOCIATION] = "association",
        [ROLE_APPLICANT] = "applicant"
    };
    const held_key *k = &kr->keys[i];

    memset(e, 0, sizeof *e);
    e->pk = k->pk;
    pledge_key_id_hex(k->pk.id, e->id);
    snprintf(e->name, sizeof e->name, "%s", k->signer);
    snprintf(e->file, sizeof e->file, "%s", k->path);
    snprintf(e->role, sizeof e->role, "%s", roles[k->role.kind]);
    snprintf(e->association, sizeof e->association, "%s",
             k->role.association);
    snprintf(e->layouts, sizeof e->layouts, "%s", k->role.layouts);
    snprintf(e->applicant, sizeof e->applicant, "%s", k->role.applicant);
    snprintf(e->member_id, sizeof e->member_id, "%s", k->role.member_id);
    snprintf(e->retired, sizeof e->retired, "%s", k->role.retired);
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
        "member-id", "retired"
    };
    char *dest[8];
    size_t caps[8], i, nlen;
    const char *colon = strchr(line, ':'), *v;
    char value[PLEDGE_CLAIM_VALUE_BYTES], role[32], keyid[32];

    dest[0] = keyid; caps[0] = sizeof keyid;
    dest[1] = k->signer; caps[1] = sizeof k->signer;
    dest[2] = role; caps[2] = sizeof role;
    dest[3] = k->role.association; caps[3] = sizeof k->role.association;
    dest[4] = k->role.layouts; caps[4] = sizeof k->role.layouts;
    dest[5] = k->role.applicant; caps[5] = sizeof k->role.applicant;
    dest[6] = k->role.member_id; caps[6] = sizeof k->role.member_id;
    dest[7] = k->role.retired; caps[7] = sizeof k->role.retired;
    if (colon == NULL)
        return pledge_err_set(err, "read %s line %zu: expected "
                              "\"field: value\"", path, lineno);
    nlen = (size_t)(colon - line);
    for (i = 0; i < 8; i++)
        if (strlen(names[i]) == nlen && strncmp(line, names[i], nlen) == 0)
            break;
    if (i == 8)
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
    } else if (i == 7 && !pledge_is_date(k->role.retired)) {
        return pledge_err_set(err, "read %s line %zu: retired \"%.40s\" is "
                              "not YYYY-MM-DD", path, lineno,
                              k->role.retired);
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
    char *text, *line, *next, seen[8];
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

int pledge_keyring_add_rotation(pledge_keyring *kr, const char *path,
                                pledge_err *err)
{
    unsigned char hash[PLEDGE_MINISIG_HASH_BYTES];
    char *text = NULL, line[PLEDGE_KEY_LINE_BYTES + 1], newid[17], *p;
    const held_key *nk, *held;
    pledge_minisig ms;
    held_key old;
    size_t len;
    int rc = -1;

    if (pledge_file_read(path, 8192, &text, &len, err) < 0)
        return pledge_err_prefix(err, "read %s", path);
    if (pledge_minisig_parse(text, len, &ms, err) < 0) {
        pledge_err_prefix(err, "read %s", path);
        goto done;
    }
    pledge_key_id_hex(ms.id, newid);
    nk = find_key(kr, ms.id);
    if (nk == NULL || nk->role.kind != ROLE_ASSOCIATION) {
        pledge_err_set(err, "read %s: signed by key ID %s, which the keyring "
                       "does not hold as an association's key", path, newid);
        goto done;
    }
    memset(&old, 0, sizeof old);
    if (strncmp(ms.trusted, PLEDGE_ROTATION_MAGIC "	old-key:",
                sizeof PLEDGE_ROTATION_MAGIC + 8) != 0 ||
        (p = strchr(ms.trusted + sizeof PLEDGE_ROTATION_MAGIC + 8, '\t')) ==
        NULL || strncmp(p, "\tretired:", 9) != 0 ||
        (size_t)(p - ms.trusted) - (sizeof PLEDGE_ROTATION_MAGIC + 8) !=
        PLEDGE_KEY_LINE_BYTES - 1 || !pledge_is_date(p + 9)) {
        pledge_err_set(err, "read %s: not a pledge key rotation statement",
                       path);
        goto done;
    }
    memcpy(line, ms.trusted + sizeof PLEDGE_ROTATION_MAGIC + 8,
           PLEDGE_KEY_LINE_BYTES - 1);
    line[PLEDGE_KEY_LINE_BYTES - 1] = '\n';
    pledge_minisig_hash_gap((const unsigned char *)line,
                            PLEDGE_KEY_LINE_BYTES, PLEDGE_KEY_LINE_BYTES,
                            PLEDGE_KEY_LINE_BYTES, hash);
    if (pledge_minisig_verify(&ms, &nk->pk, hash, err) < 0) {
        pledge_err_prefix(err, "read %s", path);
        goto done;
    }
    if (pledge_key_parse_public(line, PLEDGE_KEY_LINE_BYTES - 1, &old.pk,
                                NULL, err) < 0) {
        pledge_err_prefix(err, "read %s: the old key", path);
        goto done;
    }
    /* The old key speaks for what the new one does, up to its
     * retirement. */
    snprintf(old.signer, sizeof old.signer, "%s", nk->signer);
    snprintf(old.path, sizeof old.path, "%.500s (vouched for by key %s)",
             path, newid);
    old.role = nk->role;
    snprintf(old.role.retired, sizeof old.role.retired, "%s", p + 9);
    old.has_successor = 1;
    memcpy(old.successor, ms.id, PLEDGE_KEY_ID_BYTES);
    if ((held = find_key(kr, old.pk.id)) != NULL) {
        /* The operator's own record stands; the new key still speaks
         * for the old one, when it is the very key the statement names. */
        if (memcmp(held->pk.pk, old.pk.pk, PLEDGE_KEY_PK_BYTES) == 0) {
            kr->keys[held - kr->keys].has_successor = 1;
            memcpy(kr->keys[held - kr->keys].successor, ms.id,
                   PLEDGE_KEY_ID_BYTES);
        }
        rc = 0;
        goto done;
    }
    if (hold(kr, &old, err) < 0) {
        pledge_err_prefix(err, "read %s", path);
        goto done;
    }
    rc = 0;

done:
    free(text);
    return rc;
}

/* Every NAME.rotation in dir, after its keys: a statement that fails is
 * left out with a warning, as a bad key file is. */
static void add_rotations(pledge_keyring *kr, const char *dir)
{
    char **names, path[1024];
    size_t n, i;
    pledge_err err;

    if (pledge_file_list(dir, ".rotation", &names, &n, &err) < 0)
        return;
    for (i = 0; i < n; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        if (pledge_keyring_add_rotation(kr, path, &err) < 0)
            warn(kr, "keyring %s: skipped %s: %s", dir, names[i], err.msg);
    }
    pledge_file_list_free(names, n);
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
    add_rotations(kr, dir);
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

/* Finds the signature dictionaries, at most two, in the order of the
 * form's fields: trailer -> /Root -> /AcroForm -> /Fields -> each field
 * whose /FT is /Sig -> its /V.  *n gets how many (1 or 2). */
static int find_signatures(pledge_pdf *pdf, const pledge_pdf_obj *sig[2],
                           size_t *n, pledge_verdict *v)
{
    const pledge_pdf_obj *t = pledge_pdf_trailer(pdf), *o, *form, *fields,
                         *f, *val, *found = NULL;
    pledge_err err;
    size_t i;

    *n = 0;

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
        if (*n == 2)
            return invalid(v, "the PDF holds more than two signatures");
        if (val->type != PLEDGE_PDF_REF)
            return invalid(v, "the signature value is not an indirect "
                           "object");
        if (pledge_pdf_resolve(pdf, val, &found, &err) < 0)
            return invalid(v, "read the signature dictionary: %s", err.msg);
        if (found->type != PLEDGE_PDF_DICT)
            return invalid(v, "the signature value is not a dictionary");
        sig[(*n)++] = found;
    }
    if (*n == 0)
        return invalid(v, "not signed: no signature field holds a value");
    return 0;
}

/* The signature dictionary that is the nth (0 or 1) of exactly nth + 1:
 * a file read as signed once must hold one signature, as endorsed two. */
static int find_signature(pledge_pdf *pdf, const pledge_pdf_obj **sig,
                          size_t nth, pledge_verdict *v)
{
    const pledge_pdf_obj *sigs[2];
    size_t n;

    if (find_signatures(pdf, sigs, &n, v) < 0)
        return -1;
    if (n != nth + 1)
        return invalid(v, n > 1 ? "the PDF holds more than one signature" :
                       "the PDF holds one signature where two were "
                       "expected");
    *sig = sigs[nth];
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

/* pledge_verify_locate() for the nth signature (see find_signature()),
 * also giving the signature's /M. */
static int locate(const unsigned char *data, size_t len, size_t nth,
                  pledge_minisig *ms, size_t *gap_start, size_t *gap_end,
                  char *m, size_t mcap, pledge_verdict *v)
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
    if (find_signature(pdf, &sig, nth, v) < 0)
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

    return locate(data, len, 0, ms, gap_start, gap_end, m, sizeof m, v);
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

/* A retired key signs nothing after the day it was retired: a claim
 * dated later is INVALID, one dated before it is noted. */
static int check_retired(const held_key *k, const char *time,
                         pledge_verdict *v)
{
    char id[17];

    if (k->role.retired[0] == '\0')
        return 0;
    pledge_key_id_hex(k->pk.id, id);
    if (strncmp(time, k->role.retired, 10) > 0)
        return invalid(v, "signed at %s with key %s, which was retired on "
                       "%s", time, id, k->role.retired);
    snprintf(v->retired, sizeof v->retired, "%s", k->role.retired);
    return 0;
}

/* The claim against what the operator recorded for its key. */
static int check_role(const held_key *k, const pledge_claim *c,
                      pledge_verdict *v)
{
    const key_role *r = &k->role;

    if (check_retired(k, c->time, v) < 0)
        return -1;
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

/* Puts what in front of v's reason. */
static int prefix_reason(pledge_verdict *v, const char *what)
{
    char r[sizeof v->reason];

    snprintf(r, sizeof r, "%s", v->reason);
    return invalid(v, "%s: %.480s", what, r);
}

/* The key that signed as id: extra when it is that key (the applicant's
 * key an endorsement certifies), else the keyring's.  NULL with v set
 * when neither holds it. */
static const held_key *signing_key(const pledge_keyring *kr,
                                   const held_key *extra,
                                   const unsigned char *id, pledge_verdict *v)
{
    const refused_key *r;
    const held_key *k;

    pledge_key_id_hex(id, v->key_id);
    if ((r = find_refused(kr, id)) != NULL) {
        invalid(v, "signed by key ID %s, which the keyring refuses: %s",
                v->key_id, r->why);
        return NULL;
    }
    if ((k = find_key(kr, id)) != NULL)
        return k;
    if (extra != NULL && memcmp(extra->pk.id, id, PLEDGE_KEY_ID_BYTES) == 0)
        return extra;
    invalid(v, "signed by unknown key ID %s (not in the keyring)",
            v->key_id);
    return NULL;
}

int pledge_keyring_signing_key(const pledge_keyring *kr,
                               const unsigned char *id, pledge_pubkey *pk,
                               pledge_verdict *v)
{
    const held_key *k = signing_key(kr, NULL, id, v);

    if (k == NULL)
        return -1;
    *pk = k->pk;
    snprintf(v->signer, sizeof v->signer, "%s", k->signer);
    snprintf(v->key_file, sizeof v->key_file, "%s", k->path);
    return 0;
}

int pledge_keyring_check_role(const pledge_keyring *kr,
                              const unsigned char *id, const pledge_claim *c,
                              const char *member_id, int association,
                              pledge_verdict *v)
{
    const held_key *k = signing_key(kr, NULL, id, v);
    pledge_claim *own;
    int rc;

    if (k == NULL)
        return -1;
    if (association && k->role.kind != ROLE_ASSOCIATION)
        return invalid(v, "key %s is not recorded as an association's key "
                       "(its role record must say role: association)",
                       v->key_id);
    if (!association && k->role.kind == ROLE_ASSOCIATION)
        return invalid(v, "key %s is an association's key, but the "
                       "applicant is said to have signed", v->key_id);
    if (k->role.kind == ROLE_APPLICANT && k->role.member_id[0] != '\0' &&
        strcmp(k->role.member_id, member_id) != 0)
        return invalid(v, "key %s may sign only the pledge of member ID "
                       "\"%.200s\"", v->key_id, k->role.member_id);
    /* The facts name no signer: the record's name is the one shown. */
    if ((own = malloc(sizeof *own)) == NULL)
        return invalid(v, "out of memory");
    *own = *c;
    snprintf(own->signer, sizeof own->signer, "%s", k->signer);
    rc = check_role(k, own, v);
    free(own);
    return rc;
}

/* /M must say what the claim's time says, in PDF's form. */
static int check_m(const char *m, const char *time, pledge_verdict *v)
{
    char want[24];

    snprintf(want, sizeof want, "D:%.4s%.2s%.2s%.2s%.2s%.2sZ", time,
             time + 5, time + 8, time + 11, time + 14, time + 17);
    if (strcmp(m, want) != 0)
        return invalid(v, "the signature's /M (%.40s) is not the claim's "
                       "signing time %s", m[0] != '\0' ? m : "missing",
                       time);
    return 0;
}

/* The one signature of data, by a key of kr or extra. */
static int verify_one(const pledge_keyring *kr, const held_key *extra,
                      const unsigned char *data, size_t len,
                      pledge_verdict *v)
{
    unsigned char hash[PLEDGE_MINISIG_HASH_BYTES];
    const held_key *k;
    pledge_minisig ms;
    pledge_claim claim;
    pledge_err err;
    size_t gap_start = 0, gap_end = 0;
    char m[64];

    if (locate(data, len, 0, &ms, &gap_start, &gap_end, m, sizeof m,
               v) < 0)
        return -1;
    if ((k = signing_key(kr, extra, ms.id, v)) == NULL)
        return -1;
    pledge_minisig_hash_gap(data, len, gap_start, gap_end, hash);
    if (pledge_minisig_verify(&ms, &k->pk, hash, &err) < 0)
        return invalid(v, "%s", err.msg);
    if (pledge_claim_parse(ms.trusted, &claim, &err) < 0)
        return invalid(v, "%s", err.msg);
    if (strcmp(claim.key, v->key_id) != 0)
        return invalid(v, "key ID mismatch: signed by %s but the claim "
                       "names %s", v->key_id, claim.key);
    if (check_m(m, claim.time, v) < 0)
        return -1;
    snprintf(v->signer, sizeof v->signer, "%s", k->signer);
    snprintf(v->key_file, sizeof v->key_file, "%s", k->path);
    v->claim = claim;
    v->key = k->pk;
    v->gap_start = gap_start;
    v->gap_end = gap_end;
    v->signed_len = len;
    if (check_role(k, &claim, v) < 0)
        return -1;
    v->valid = 1;
    return 0;
}

/* The length of the revision the first of two signatures covers: its
 * /ByteRange's b + c, which must end before the file does.  0 when the
 * file holds one signature. */
static int applicant_revision(const unsigned char *data, size_t len,
                              size_t *l1, pledge_verdict *v)
{
    const pledge_pdf_obj *sigs[2], *br;
    pledge_pdf *pdf = NULL;
    pledge_err err;
    size_t n = 0;
    int rc = -1;

    memset(v, 0, sizeof *v);
    *l1 = 0;
    if (pledge_pdf_open(&pdf, data, len, &err) < 0)
        return invalid(v, "not a readable PDF: %s", err.msg);
    if (find_signatures(pdf, sigs, &n, v) < 0)
        goto done;
    if (n == 2) {
        br = pledge_pdf_dict_get(sigs[0], "ByteRange");
        if (br == NULL || br->type != PLEDGE_PDF_ARRAY || br->u.arr.n != 4 ||
            br->u.arr.items[2]->type != PLEDGE_PDF_INT ||
            br->u.arr.items[3]->type != PLEDGE_PDF_INT ||
            br->u.arr.items[2]->u.i < 0 || br->u.arr.items[3]->u.i < 0 ||
            (unsigned long long)br->u.arr.items[2]->u.i +
            (unsigned long long)br->u.arr.items[3]->u.i >= len) {
            invalid(v, "the first of two signatures does not cover a "
                    "revision that ends before the second");
            goto done;
        }
        *l1 = (size_t)(br->u.arr.items[2]->u.i + br->u.arr.items[3]->u.i);
    }
    rc = 0;

done:
    pledge_pdf_close(pdf);
    return rc;
}

/* Whether the update after the applicant's revision (data[0, l1)) is
 * exactly what pledge_endorse_pdf() writes for it and the endorsement the
 * signature carries, in form (PLEDGE_ENDORSE_FORM_*); 0 with *at the
 * first byte that differs when not, -1 when the revision cannot be
 * endorsed (err set). */
static int endorsement_matches(const unsigned char *data, size_t len,
                               size_t l1, const pledge_endorsement *e,
                               const pledge_seal *seal, int form,
                               size_t gap_start, size_t gap_end, size_t *at,
                               pledge_err *err)
{
    unsigned char *again = NULL;
    size_t alen = 0, gs = 0, ge = 0, i, n;
    int same;

    if (pledge_sign_endorse_prepare(data, l1, e, seal, form, &again,
                                    &alen, &gs, &ge, err) < 0)
        return -1;
    same = alen == len && gs == gap_start && ge == gap_end &&
           memcmp(again + l1, data + l1, gs - l1) == 0 &&
           memcmp(again + ge, data + ge, len - ge) == 0;
    if (!same) {
        n = alen < len ? alen : len;
        for (i = l1; i < n; i++)
            if ((i < gs || i >= ge) && again[i] != data[i])
                break;
        *at = i;
    }
    free(again);
    return same;
}

/* The endorsement update must be what pledge_endorse_pdf() writes now,
 * or what an earlier release wrote for the same claim: pledge 0.2.0 set a
 * panel's combining mark where the pen stood, and 0.3.0 wrote the panel
 * uncompressed.  Each form is pledge's own drawing of the claim
 * alone, so any one is accepted; the difference reported is the current
 * form's. */
static int check_endorsement_bytes(const unsigned char *data, size_t len,
                                   size_t l1, const pledge_endorsement *e,
                                   const pledge_seal *seal,
                                   size_t gap_start, size_t gap_end,
                                   pledge_verdict *v)
{
    pledge_err err;
    size_t at = 0, other = 0;
    int r, form = PLEDGE_ENDORSE_FORM_PACKED;

    r = endorsement_matches(data, len, l1, e, seal, form, gap_start, gap_end,
                            &at, &err);
    while (r == 0 && form-- > PLEDGE_ENDORSE_FORM_0_2)
        r = endorsement_matches(data, len, l1, e, seal, form, gap_start,
                                gap_end, &other, &err);
    if (r < 0)
        return invalid(v, "the applicant's revision cannot be endorsed: %s",
                       err.msg);
    if (r == 0)
        return invalid(v, "the update after the applicant's signature is not "
                       "the endorsement pledge writes: first difference at "
                       "byte %zu", at);
    return 0;
}

/* The seal the endorsement's widget carries (its /PledgeSeal, the
 * second field of the form), parsed into *seal; *has 0 when it carries
 * none.  The shape check proves it is where pledge writes it. */
static int endorsement_seal(const unsigned char *data, size_t len,
                            pledge_seal *seal, int *has, pledge_verdict *v)
{
    const pledge_pdf_obj *o;
    pledge_pdf *pdf = NULL;
    pledge_err err;
    int rc = -1;

    *has = 0;
    if (pledge_pdf_open(&pdf, data, len, &err) < 0)
        return invalid(v, "not a readable PDF: %s", err.msg);
    o = pledge_pdf_dict_get(pledge_pdf_trailer(pdf), "Root");
    if (o == NULL || pledge_pdf_resolve(pdf, o, &o, &err) < 0 ||
        (o = pledge_pdf_dict_get(o, "AcroForm")) == NULL ||
        pledge_pdf_resolve(pdf, o, &o, &err) < 0 ||
        (o = pledge_pdf_dict_get(o, "Fields")) == NULL ||
        pledge_pdf_resolve(pdf, o, &o, &err) < 0 ||
        o->type != PLEDGE_PDF_ARRAY || o->u.arr.n != 2 ||
        pledge_pdf_resolve(pdf, o->u.arr.items[1], &o, &err) < 0) {
        invalid(v, "the endorsement's field cannot be read");
        goto done;
    }
    o = pledge_pdf_dict_get(o, "PledgeSeal");
    if (o != NULL) {
        if (o->type != PLEDGE_PDF_HEX ||
            pledge_seal_parse(o->u.s.p, o->u.s.len, seal, &err) < 0) {
            invalid(v, "the endorsement's seal: %s", o->type ==
                    PLEDGE_PDF_HEX ? err.msg : "not a hex string");
            goto done;
        }
        *has = 1;
    }
    rc = 0;

done:
    pledge_pdf_close(pdf);
    return rc;
}

/* The association's countersignature over the whole of data, checked as
 * the endorsement of the applicant's revision data[0, l1).  Fills *e and,
 * in *applicant, the key it certifies for the applicant. */
static int verify_endorsement(const pledge_keyring *kr,
                              const unsigned char *data, size_t len,
                              size_t l1, pledge_endorsement *e,
                              held_key *applicant, pledge_seal *seal,
                              int *has_seal, pledge_verdict *v)
{
    unsigned char hash[PLEDGE_MINISIG_HASH_BYTES];
    const held_key *k;
    pledge_minisig ms;
    pledge_err err;
    size_t gap_start = 0, gap_end = 0;
    char m[64], rev[65];

    if (locate(data, len, 1, &ms, &gap_start, &gap_end, m, sizeof m,
               v) < 0)
        return prefix_reason(v, "the endorsement");
    if ((k = signing_key(kr, NULL, ms.id, v)) == NULL)
        return prefix_reason(v, "the endorsement");
    if (k->role.kind != ROLE_ASSOCIATION)
        return invalid(v, "endorsed by key %s, which the keyring does not "
                       "record as an association's key (its role record "
                       "must say role: association)", v->key_id);
    pledge_minisig_hash_gap(data, len, gap_start, gap_end, hash);
    if (pledge_minisig_verify(&ms, &k->pk, hash, &err) < 0)
        return invalid(v, "the endorsement: %s", err.msg);
    if (pledge_endorsement_parse(ms.trusted, e, &err) < 0)
        return invalid(v, "the endorsement: %s", err.msg);
    if (strcmp(e->key, v->key_id) != 0)
        return invalid(v, "the endorsement: key ID mismatch: signed by %s "
                       "but the claim names %s", v->key_id, e->key);
    if (check_m(m, e->time, v) < 0 || check_retired(k, e->time, v) < 0)
        return -1;
    snprintf(v->endorser_retired, sizeof v->endorser_retired, "%s",
             v->retired);
    v->retired[0] = '\0';
    if (strcmp(e->signer, k->signer) != 0)
        return invalid(v, "the endorsement names its signer \"%.200s\" but "
                       "the keyring records key %s as \"%.200s\"",
                       e->signer, v->key_id, k->signer);
    if (strcmp(e->association, k->role.association) != 0)
        return invalid(v, "key %s may endorse only for association "
                       "\"%.200s\"", v->key_id, k->role.association);
    pledge_sign_revision_hash(data, l1, rev);
    if (strcmp(rev, e->signed_hash) != 0)
        return invalid(v, "the endorsement was made for another pledge: "
                       "the revision it certifies has BLAKE2b %s, this one "
                       "%s", e->signed_hash, rev);
    if (endorsement_seal(data, len, seal, has_seal, v) < 0 ||
        check_endorsement_bytes(data, len, l1, e, *has_seal ? seal : NULL,
                                gap_start, gap_end, v) < 0)
        return -1;
    if (*has_seal && pledge_seal_verify_signature(seal, &k->pk) < 0)
        return invalid(v, "the endorsement's seal: its signature is not "
                       "key %s's over its facts", v->key_id);
    snprintf(v->endorser, sizeof v->endorser, "%s", k->signer);
    snprintf(v->endorser_key_file, sizeof v->endorser_key_file, "%s",
             k->path);
    snprintf(v->endorser_role, sizeof v->endorser_role,
             "association %.400s%s%.400s", k->role.association,
             k->role.layouts[0] != '\0' ? ", layouts " : "",
             k->role.layouts);

    memset(applicant, 0, sizeof *applicant);
    if (pledge_key_parse_public(e->applicant_key, strlen(e->applicant_key),
                                &applicant->pk, NULL, &err) < 0)
        return invalid(v, "the endorsement's applicant key: %s", err.msg);
    snprintf(applicant->signer, sizeof applicant->signer, "%s",
             e->applicant);
    snprintf(applicant->path, sizeof applicant->path, "certified by the "
             "endorsement");
    applicant->role.kind = ROLE_APPLICANT;
    snprintf(applicant->role.association, sizeof applicant->role.association,
             "%s", e->association);
    snprintf(applicant->role.applicant, sizeof applicant->role.applicant,
             "%s", e->applicant);
    return 0;
}

int pledge_verify_pdf(const pledge_keyring *kr, const unsigned char *data,
                      size_t len, pledge_verdict *v)
{
    pledge_endorsement e;
    pledge_verdict ev;
    held_key applicant;
    const held_key *own;
    pledge_seal seal;
    pledge_claim sc;
    pledge_err err;
    char aid[17];
    size_t l1 = 0;
    int has_seal = 0;

    if (len > PLEDGE_VERIFY_MAX_BYTES) {
        memset(v, 0, sizeof *v);
        return invalid(v, "the file is %zu bytes, larger than the %d MiB "
                       "verify reads: no pledge is near that size", len,
                       PLEDGE_VERIFY_MAX_BYTES >> 20);
    }
    if (applicant_revision(data, len, &l1, v) < 0)
        return -1;
    if (l1 == 0)
        return verify_one(kr, NULL, data, len, v);

    if (verify_endorsement(kr, data, len, l1, &e, &applicant, &seal,
                           &has_seal, v) < 0)
        return -1;
    /* A key the operator holds keeps the operator's record; it must be
     * the very key the association certified. */
    own = find_key(kr, applicant.pk.id);
    if (own != NULL && memcmp(own->pk.pk, applicant.pk.pk,
                              PLEDGE_KEY_PK_BYTES) != 0)
        return invalid(v, "the endorsement certifies another key under key "
                       "ID %s than the keyring holds", e.key);
    ev = *v;
    if (verify_one(kr, &applicant, data, l1, v) < 0)
        return prefix_reason(v, "the applicant's signature");
    v->endorsed = 1;
    v->endorsement = e;
    memcpy(v->endorser, ev.endorser, sizeof v->endorser);
    memcpy(v->endorser_key_file, ev.endorser_key_file,
           sizeof v->endorser_key_file);
    memcpy(v->endorser_role, ev.endorser_role, sizeof v->endorser_role);
    memcpy(v->endorser_retired, ev.endorser_retired,
           sizeof v->endorser_retired);
    pledge_key_id_hex(applicant.pk.id, aid);
    if (strcmp(aid, v->key_id) != 0)
        return invalid(v, "the endorsement certifies key %s but the "
                       "pledge is signed by key %s", aid, v->key_id);
    v->valid = 0;
    if (strcmp(v->claim.time, e.time) > 0)
        return invalid(v, "the applicant's signature (%s) is dated after "
                       "the endorsement (%s)", v->claim.time, e.time);
    if (strcmp(v->claim.applicant, e.applicant) != 0)
        return invalid(v, "the endorsement names applicant \"%.200s\", the "
                       "pledge \"%.200s\"", e.applicant, v->claim.applicant);
    /* The seal states the applicant's claim as the endorsement dates,
     * keys and limits it, and certifies the same applicant key. */
    sc = v->claim;
    snprintf(sc.key, sizeof sc.key, "%s", e.key);
    snprintf(sc.time, sizeof sc.time, "%s", e.time);
    if (has_seal &&
        (pledge_seal_compare(&seal, &sc, 'E', e.member_id, e.until,
                             &err) < 0 ||
         (memcmp(seal.f.applicant_key_id, applicant.pk.id,
                 PLEDGE_KEY_ID_BYTES) != 0 &&
          pledge_err_set(&err, "it certifies another applicant key") < 0)))
        return invalid(v, "the endorsement's seal: %.400s", err.msg);
    if (has_seal)
        pledge_seal_id(&seal, v->endorsement_seal);
    v->valid = 1;
    return 0;
}

int pledge_verify_is_endorsed(const unsigned char *data, size_t len,
                              size_t *revision)
{
    pledge_verdict *v = malloc(sizeof *v);
    size_t l1 = 0;

    if (v != NULL && applicant_revision(data, len, &l1, v) < 0)
        l1 = 0;
    free(v);
    if (revision != NULL)
        *revision = l1 > 0 ? l1 : len;
    return l1 > 0;
}

int pledge_keyring_association_key(const pledge_keyring *kr,
                                   const unsigned char *id,
                                   pledge_pubkey *pk)
{
    const held_key *k = find_key(kr, id);

    if (k == NULL || k->role.kind != ROLE_ASSOCIATION)
        return -1;
    *pk = k->pk;
    return 0;
}

int pledge_keyring_speaks_for(const pledge_keyring *kr, const char *by,
                              const char *key_id)
{
    const held_key *k = NULL;
    char hex[17];
    size_t i, hops;

    if (strcmp(by, key_id) == 0)
        return 1;
    for (i = 0; i < kr->n && k == NULL; i++) {
        pledge_key_id_hex(kr->keys[i].pk.id, hex);
        if (strcmp(hex, key_id) == 0)
            k = &kr->keys[i];
    }
    /* Along the rotation statements, old key to new; a keyring holds
     * each key once, so a chain longer than the keyring is a loop. */
    for (hops = 0; k != NULL && k->has_successor && hops <= kr->n; hops++) {
        pledge_key_id_hex(k->successor, hex);
        if (strcmp(hex, by) == 0)
            return 1;
        k = find_key(kr, k->successor);
    }
    return 0;
}

int pledge_keyring_find(const pledge_keyring *kr, const char *key_id,
                        pledge_pubkey *pk)
{
    char hex[17];
    size_t i;

    for (i = 0; i < kr->n; i++) {
        pledge_key_id_hex(kr->keys[i].pk.id, hex);
        if (strcmp(hex, key_id) == 0) {
            *pk = kr->keys[i].pk;
            return 0;
        }
    }
    return -1;
}
