/* revoke.c - an association's signed revocation list (see revoke.h), and
 * the rotation statement by which a new key vouches for a retired one. */
#include "revoke.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "minisig.h"
#include "key.h"
#include "sign.h"
#include "verify.h"
#include "../util/err.h"
#include "../util/file.h"
#include "../util/grow.h"
#include "../util/text.h"

#define MAGIC "pledge-revocations:1"
#define UNTRUSTED "pledge revocation list; check with minisign -V"
#define LIST_MAX (8 << 20)

struct pledge_revocations {
    unsigned long sequence;
    char key[17];
    pledge_revocation *e;
    size_t n, cap;
};

void pledge_revocations_free(pledge_revocations *r)
{
    if (r == NULL)
        return;
    free(r->e);
    free(r);
}

unsigned long pledge_revocations_sequence(const pledge_revocations *r)
{
    return r->sequence;
}

const char *pledge_revocations_key(const pledge_revocations *r)
{
    return r->key;
}

void pledge_revocation_pledge_hash(const unsigned char *data, size_t len,
                                   char out[65])
{
    size_t l1;

    pledge_verify_is_endorsed(data, len, &l1);
    pledge_sign_revision_hash(data, l1, out);
}

static int known_kind(const char *k)
{
    return strcmp(k, "member-id") == 0 || strcmp(k, "pledge") == 0 ||
           strcmp(k, "key-id") == 0 || strcmp(k, "seal") == 0;
}

/* Copies the tab-ended field at *p into out (cap bytes), moving *p past
 * its tab; -1 when it does not fit or no tab follows and tab is set. */
static int field(const char **p, char *out, size_t cap, int tab)
{
    size_t n = strcspn(*p, "\t");

    if (n >= cap || (tab && (*p)[n] != '\t') || (!tab && (*p)[n] != '\0'))
        return -1;
    memcpy(out, *p, n);
    out[n] = '\0';
    *p += n + (tab ? 1 : 0);
    return 0;
}

/* Parses the list text (NUL-terminated) into r; errors name path and the
 * line. */
static int parse_list(char *text, const char *path, pledge_revocations *r,
                      pledge_err *err)
{
    char *line, *next, *end;
    size_t lineno = 0;
    pledge_revocation e, *ne;
    const char *p;

    for (line = text; *line != '\0'; line = next) {
        lineno++;
        next = strchr(line, '\n');
        if (next == NULL)
            return pledge_err_set(err, "read %s line %zu: no line feed at "
                                  "the end", path, lineno);
        *next++ = '\0';
        if (lineno == 1) {
            if (strcmp(line, MAGIC) != 0)
                return pledge_err_set(err, "read %s line 1: not a pledge "
                                      "revocation list", path);
            continue;
        }
        if (lineno == 2) {
            if (strncmp(line, "sequence:", 9) != 0 || line[9] < '1' ||
                line[9] > '9' ||
                (r->sequence = strtoul(line + 9, &end, 10)) == 0 ||
                *end != '\0')
                return pledge_err_set(err, "read %s line 2: expected "
                                      "\"sequence:N\"", path);
            continue;
        }
        memset(&e, 0, sizeof e);
        p = line;
        if (field(&p, e.kind, sizeof e.kind, 1) < 0 || !known_kind(e.kind) ||
            field(&p, e.value, sizeof e.value, 1) < 0 || e.value[0] == '\0' ||
            field(&p, e.date, sizeof e.date, 1) < 0 || !pledge_is_date(e.date) ||
            field(&p, e.reason, sizeof e.reason, 0) < 0)
            return pledge_err_set(err, "read %s line %zu: expected KIND TAB "
                                  "VALUE TAB YYYY-MM-DD TAB REASON, KIND "
                                  "member-id, pledge, key-id or seal", path,
                                  lineno);
        if (pledge_text_check_chars("the reason", e.reason, err) < 0 ||
            pledge_text_check_chars("the value", e.value, err) < 0)
            return pledge_err_prefix(err, "read %s line %zu", path, lineno);
        ne = pledge_grow(r->e, &r->cap, r->n + 1, sizeof *r->e);
        if (ne == NULL)
            return pledge_err_set(err, "read %s: out of memory", path);
        r->e = ne;
        r->e[r->n++] = e;
    }
    if (lineno < 2)
        return pledge_err_set(err, "read %s: no sequence line", path);
    return 0;
}

/* Reads path and its signature sigpath, checks the signature with own,
 * or when NULL the association key kr holds for its key ID, and parses
 * the list into *out. */
static int load_signed(const char *path, const char *sigpath,
                       const pledge_keyring *kr, const pledge_pubkey *own,
                       pledge_revocations **out, pledge_err *err)
{
    unsigned char hash[PLEDGE_MINISIG_HASH_BYTES];
    char *text = NULL, *sig = NULL, want[128];
    size_t len, slen;
    pledge_minisig ms;
    pledge_pubkey pk;
    pledge_revocations *r = NULL;
    int rc = -1;

    if (pledge_file_read(path, LIST_MAX, &text, &len, err) < 0) {
        pledge_err_prefix(err, "read %s", path);
        goto done;
    }
    if (pledge_file_read(sigpath, 8192, &sig, &slen, err) < 0) {
        pledge_err_prefix(err, "read %s", sigpath);
        goto done;
    }
    if (pledge_minisig_parse(sig, slen, &ms, err) < 0) {
        pledge_err_prefix(err, "read %s", sigpath);
        goto done;
    }
    if (own != NULL) {
        pk = *own;
    } else if (pledge_keyring_association_key(kr, ms.id, &pk) < 0) {
        pledge_key_id_hex(ms.id, want);
        pledge_err_set(err, "read %s: signed by key ID %s, which the "
                       "keyring does not hold as an association's key",
                       sigpath, want);
        goto done;
    }
    pledge_minisig_hash_gap((unsigned char *)text, len, len, len, hash);
    if (pledge_minisig_verify(&ms, &pk, hash, err) < 0) {
        pledge_err_prefix(err, "read %s: it does not check out for %s",
                          sigpath, path);
        goto done;
    }
    if ((r = calloc(1, sizeof *r)) == NULL) {
        pledge_err_set(err, "read %s: out of memory", path);
        goto done;
    }
    if (memchr(text, '\0', len) != NULL) {
        pledge_err_set(err, "read %s: holds a NUL byte", path);
        goto done;
    }
    if (parse_list(text, path, r, err) < 0)
        goto done;
    pledge_key_id_hex(ms.id, r->key);
    snprintf(want, sizeof want, MAGIC "\tsequence:%lu\tkey:%s", r->sequence,
             r->key);
    if (strcmp(ms.trusted, want) != 0) {
        pledge_err_set(err, "read %s: its signed comment is not \"%s\"",
                       sigpath, want);
        goto done;
    }
    *out = r;
    r = NULL;
    rc = 0;

done:
    pledge_revocations_free(r);
    free(text);
    free(sig);
    return rc;
}

/* load_signed() with the signature at path.minisig. */
static int load(const char *path, const pledge_keyring *kr,
                const pledge_pubkey *own, pledge_revocations **out,
                pledge_err *err)
{
    char sigpath[1100];

    if ((size_t)snprintf(sigpath, sizeof sigpath, "%s.minisig", path) >=
        sizeof sigpath)
        return pledge_err_set(err, "read %.64s...: path too long", path);
    return load_signed(path, sigpath, kr, own, out, err);
}

/* An append is staged as path.new and path.minisig.new, then renamed
 * into place, the list first.  Finishes one that stopped between the
 * two renames (the staged signature then checks out for the list in
 * place: renamed into place too) and drops what an earlier stop left
 * staged otherwise. */
static void finish_staged(const char *path, const char *sigpath,
                          const char *newlist, const char *newsig,
                          const pledge_pubkey *pk)
{
    pledge_revocations *r = NULL;
    pledge_err err;

    if (access(newsig, F_OK) == 0) {
        if (load_signed(path, newsig, NULL, pk, &r, &err) == 0)
            (void)rename(newsig, sigpath);
        else
            (void)unlink(newsig);
        pledge_revocations_free(r);
    }
    (void)unlink(newlist);
}

int pledge_revocations_read(const pledge_keyring *kr, const char *path,
                            pledge_revocations **out, pledge_err *err)
{
    return load(path, kr, NULL, out, err);
}

/* What a revocation may name of one signed thing; NULL members name
 * nothing.  An entry counts only when signed by key by, and when at is
 * not NULL, only when dated on or before at. */
typedef struct {
    const char *by;             /* the key that vouched for it */
    const char *keys[2];        /* key IDs an entry `key-id` may name */
    const char *member_id;
    const char *pledge;         /* its applicant revision's BLAKE2b-256 */
    const char *seal;           /* its seal ID */
    const char *at;
} revocable;

static int names(const char *want, const char *value)
{
    return want != NULL && want[0] != '\0' && strcmp(want, value) == 0;
}

static const pledge_revocation *match(const pledge_keyring *kr,
                                      const pledge_revocations *r,
                                      const revocable *w)
{
    size_t i;

    /* A list speaks only for the key that vouched for the pledge, or a
     * key that vouched for that one by a rotation statement. */
    if (!pledge_keyring_speaks_for(kr, r->key, w->by))
        return NULL;
    for (i = 0; i < r->n; i++) {
        const pledge_revocation *e = &r->e[i];

        if (w->at != NULL && strcmp(e->date, w->at) > 0)
            continue;
        if ((strcmp(e->kind, "member-id") == 0 &&
             names(w->member_id, e->value)) ||
            (strcmp(e->kind, "pledge") == 0 && names(w->pledge, e->value)) ||
            (strcmp(e->kind, "seal") == 0 && names(w->seal, e->value)) ||
            (strcmp(e->kind, "key-id") == 0 &&
             (names(w->keys[0], e->value) || names(w->keys[1], e->value))))
            return e;
    }
    return NULL;
}

const pledge_revocation *pledge_revocations_match(
    const pledge_keyring *kr, const pledge_revocations *r,
    const pledge_verdict *v, const unsigned char *data)
{
    char rev[65];
    revocable w;

    memset(&w, 0, sizeof w);
    w.by = v->endorsed ? v->endorsement.key : v->key_id;
    w.keys[0] = v->key_id;
    w.keys[1] = w.by;
    w.member_id = v->endorsed ? v->endorsement.member_id : NULL;
    pledge_sign_revision_hash(data, v->signed_len, rev);
    w.pledge = rev;
    return match(kr, r, &w);
}

const pledge_revocation *pledge_revocations_match_seal(
    const pledge_keyring *kr, const pledge_revocations *r,
    const char *signer_key,
    const char *applicant_key, const char *member_id, const char *seal_id,
    const char *at)
{
    revocable w;

    memset(&w, 0, sizeof w);
    w.by = signer_key;
    w.keys[0] = signer_key;
    w.keys[1] = applicant_key;
    w.member_id = member_id;
    w.seal = seal_id;
    w.at = at;
    return match(kr, r, &w);
}

/* Checks one entry for pledge_revocations_add_entries(). */
static int check_entry(const pledge_revocation *e, pledge_err *err)
{
    if (!known_kind(e->kind))
        return pledge_err_set(err, "revoke: unknown kind \"%.40s\"",
                              e->kind);
    if (!pledge_is_date(e->date))
        return pledge_err_set(err, "revoke: date \"%.40s\" is not "
                              "YYYY-MM-DD", e->date);
    if (e->value[0] == '\0' || e->reason[0] == '\0')
        return pledge_err_set(err, "revoke: the value and the reason must "
                              "be given, at most %zu and %zu bytes",
                              sizeof e->value - 1, sizeof e->reason - 1);
    if (pledge_text_check_chars("the reason", e->reason, err) < 0 ||
        pledge_text_check_chars("the value", e->value, err) < 0)
        return pledge_err_prefix(err, "revoke");
    return 0;
}

/* Appends "KIND TAB VALUE TAB DATE TAB REASON\n" of e to text (*n bytes
 * of *cap). */
static int append_line(char **text, size_t *n, size_t *cap,
                       const pledge_revocation *e)
{
    char line[1024], *nt;
    int k = snprintf(line, sizeof line, "%s\t%s\t%s\t%s\n", e->kind,
                     e->value, e->date, e->reason);

    if (k < 0 || (nt = pledge_grow(*text, cap, *n + (size_t)k + 1,
                                   1)) == NULL)
        return -1;
    *text = nt;
    memcpy(*text + *n, line, (size_t)k);
    *n += (size_t)k;
    return 0;
}

int pledge_revocations_add_entries(const pledge_seckey *sk, const char *path,
                                   const pledge_revocation *add, size_t nadd,
                                   pledge_err *err)
{
    unsigned char hash[PLEDGE_MINISIG_HASH_BYTES];
    char sigpath[1100], newlist[1100], newsig[1100], trusted[128], id[17],
         head[64], *text = NULL, *sig = NULL;
    pledge_revocations *old = NULL;
    pledge_pubkey pk;
    size_t i, n = 0, cap = 0, slen;
    unsigned long seq = 1;
    int rc = -1, exists;

    for (i = 0; i < nadd; i++)
        if (check_entry(&add[i], err) < 0)
            return -1;
    pledge_seckey_public(sk, &pk);
    pledge_key_id_hex(pk.id, id);
    if ((size_t)snprintf(newsig, sizeof newsig, "%s.minisig.new", path) >=
        sizeof newsig)
        return pledge_err_set(err, "revoke: the list's path is too long");
    snprintf(sigpath, sizeof sigpath, "%s.minisig", path);
    snprintf(newlist, sizeof newlist, "%s.new", path);
    finish_staged(path, sigpath, newlist, newsig, &pk);
    exists = pledge_file_read(path, LIST_MAX, &text, &slen, err) == 0;
    free(text);
    text = NULL;
    if (exists) {
        if (load(path, NULL, &pk, &old, err) < 0)
            return pledge_err_prefix(err, "revoke: the list is not one "
                                     "this key signed");
        seq = old->sequence + 1;
    }
    /* The whole list again: header, the old entries, the new ones. */
    snprintf(head, sizeof head, MAGIC "\nsequence:%lu\n", seq);
    if ((text = malloc(strlen(head) + 1)) == NULL)
        goto nomem;
    n = cap = strlen(head);
    memcpy(text, head, n);
    for (i = 0; old != NULL && i < old->n; i++)
        if (append_line(&text, &n, &cap, &old->e[i]) < 0)
            goto nomem;
    for (i = 0; i < nadd; i++)
        if (append_line(&text, &n, &cap, &add[i]) < 0)
            goto nomem;
    snprintf(trusted, sizeof trusted, MAGIC "\tsequence:%lu\tkey:%s", seq,
             id);
    pledge_minisig_hash_gap((unsigned char *)text, n, n, n, hash);
    if (pledge_minisig_sign(sk, hash, UNTRUSTED, trusted, &sig, &slen,
                            err) < 0)
        goto done;
    /* Both written whole and synced before either replaces the old:
     * only a stop between the two renames can leave the new list beside
     * the old signature (which verify refuses as an error, never
     * accepts), and the next append finishes it (finish_staged()). */
    if (pledge_file_write(newlist, text, n, 0644, PLEDGE_FILE_FORCE,
                          err) < 0) {
        pledge_err_prefix(err, "write %s", newlist);
        goto done;
    }
    if (pledge_file_write(newsig, sig, slen, 0644, PLEDGE_FILE_FORCE,
                          err) < 0) {
        pledge_err_prefix(err, "write %s", newsig);
        (void)unlink(newlist);
        goto done;
    }
    if (rename(newlist, path) < 0) {
        pledge_err_set(err, "rename %s to %s: %s", newlist, path,
                       strerror(errno));
        (void)unlink(newlist);
        (void)unlink(newsig);
        goto done;
    }
    if (rename(newsig, sigpath) < 0) {
        pledge_err_set(err, "rename %s to %s: %s (run the same revoke "
                       "again to finish)", newsig, sigpath, strerror(errno));
        goto done;
    }
    rc = 0;
    goto done;

nomem:
    pledge_err_set(err, "revoke: out of memory");
done:
    pledge_revocations_free(old);
    free(text);
    free(sig);
    return rc;
}

int pledge_revocation_entry(pledge_revocation *e, const char *kind,
                            const char *value, const char *date,
                            const char *reason, pledge_err *err)
{
    memset(e, 0, sizeof *e);
    if (!known_kind(kind))
        return pledge_err_set(err, "revoke: unknown kind \"%.40s\"", kind);
    if (!pledge_is_date(date))
        return pledge_err_set(err, "revoke: date \"%.40s\" is not "
                              "YYYY-MM-DD", date);
    if (strlen(value) >= sizeof e->value || strlen(reason) >= sizeof e->reason)
        return pledge_err_set(err, "revoke: the value and the reason must "
                              "be given, at most %zu and %zu bytes",
                              sizeof e->value - 1, sizeof e->reason - 1);
    memcpy(e->kind, kind, strlen(kind));
    memcpy(e->value, value, strlen(value));
    memcpy(e->date, date, strlen(date));
    memcpy(e->reason, reason, strlen(reason));
    return check_entry(e, err);
}

int pledge_revocations_add(const pledge_seckey *sk, const char *path,
                           const char *kind, const char *value,
                           const char *date, const char *reason,
                           pledge_err *err)
{
    pledge_revocation e;

    if (pledge_revocation_entry(&e, kind, value, date, reason, err) < 0)
        return -1;
    return pledge_revocations_add_entries(sk, path, &e, 1, err);
}

int pledge_rotation_make(const pledge_seckey *new_sk,
                         const pledge_pubkey *old_pk, const char *retired,
                         char **out, size_t *outlen, pledge_err *err)
{
    unsigned char hash[PLEDGE_MINISIG_HASH_BYTES];
    char line[PLEDGE_KEY_LINE_BYTES + 1], trusted[160];

    if (!pledge_is_date(retired))
        return pledge_err_set(err, "rotate: retired \"%.40s\" is not "
                              "YYYY-MM-DD", retired);
    pledge_key_public_line(old_pk, line);
    snprintf(trusted, sizeof trusted, PLEDGE_ROTATION_MAGIC
             "\told-key:%s\tretired:%s", line, retired);
    line[PLEDGE_KEY_LINE_BYTES - 1] = '\n';
    pledge_minisig_hash_gap((const unsigned char *)line,
                            PLEDGE_KEY_LINE_BYTES, PLEDGE_KEY_LINE_BYTES,
                            PLEDGE_KEY_LINE_BYTES, hash);
    return pledge_minisig_sign(new_sk, hash, PLEDGE_ROTATION_UNTRUSTED,
                               trusted, out, outlen, err);
}

size_t pledge_revocations_count(const pledge_revocations *r)
{
    return r->n;
}

const pledge_revocation *pledge_revocations_entry(const pledge_revocations *r,
                                                  size_t i)
{
    return &r->e[i];
}
