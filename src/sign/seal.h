/* seal.h - the signed seal a printed pledge carries as a QR code.
 *
 * A seal is a compact payload of the facts a reviewer can compare with the
 * paper (who, which association, which text, when), signed with plain
 * Ed25519 by the key that signed the pledge, and written as the text
 * "PL1:" + base45(payload), which QR's alphanumeric mode holds densely.
 * The format, byte by byte, is in docs/seal-format.md:
 *
 *     version 0x01 | kind 'A' 'P' 'E' | key ID (8, as minisign stores it)
 *     | date (u16 BE, days since 2000-01-01) | until (u16 BE, 0 = none)
 *     | text hash (first 16 bytes) | [kind E: applicant key ID (8)]
 *     | 5 x (length byte 0-200, UTF-8): association, layout, revision,
 *       applicant, member ID | Ed25519 signature (64)
 *
 * The signature is over "pledge-seal:1\n" followed by the payload without
 * its last 64 bytes.  Ed25519 is deterministic: the same facts and key
 * give the same seal, so a signed pledge stays byte-reproducible.
 */
#ifndef PLEDGE_SIGN_SEAL_H
#define PLEDGE_SIGN_SEAL_H

#include <stddef.h>

#include "../pledge.h"

#define PLEDGE_SEAL_VERSION 1
#define PLEDGE_SEAL_PREFIX "PL1:"
#define PLEDGE_SEAL_CONTEXT "pledge-seal:1\n"
#define PLEDGE_SEAL_STR_MAX 200         /* bytes in one string field */
#define PLEDGE_SEAL_SIG_BYTES 64
#define PLEDGE_SEAL_HASH_BYTES 16       /* of the text's BLAKE2b-256 */
/* The longest payload: fixed fields, kind E's key, five full strings. */
#define PLEDGE_SEAL_MAX_BYTES \
    (30 + 8 + 5 * (1 + PLEDGE_SEAL_STR_MAX) + PLEDGE_SEAL_SIG_BYTES)
/* The longest text, with its NUL. */
#define PLEDGE_SEAL_TEXT_BYTES \
    (4 + PLEDGE_SEAL_MAX_BYTES / 2 * 3 + PLEDGE_SEAL_MAX_BYTES % 2 * 2 + 1)

/* The facts a seal states.  Dates are YYYY-MM-DD (until "" for none);
 * strings are UTF-8 of at most PLEDGE_SEAL_STR_MAX bytes without control
 * characters ("" for an absent member ID). */
typedef struct {
    char kind;                  /* 'A' the association signed the pledge,
                                   'P' its applicant did, 'E' the
                                   association endorsed it */
    unsigned char key_id[PLEDGE_KEY_ID_BYTES];      /* as stored */
    char date[11];
    char until[11];
    unsigned char text_hash[PLEDGE_SEAL_HASH_BYTES];
    unsigned char applicant_key_id[PLEDGE_KEY_ID_BYTES];   /* kind E */
    char association[PLEDGE_SEAL_STR_MAX + 1];
    char layout[PLEDGE_SEAL_STR_MAX + 1];
    char revision[PLEDGE_SEAL_STR_MAX + 1];
    char applicant[PLEDGE_SEAL_STR_MAX + 1];
    char member_id[PLEDGE_SEAL_STR_MAX + 1];
} pledge_seal_facts;

/* A made or parsed seal: its facts and the payload that states them. */
typedef struct {
    pledge_seal_facts f;
    unsigned char payload[PLEDGE_SEAL_MAX_BYTES];
    size_t len;
} pledge_seal;

/* The facts of the seal that accompanies a signature of claim c (its
 * key, time, text, association, layout, revision and applicant), of kind
 * kind, certifying member_id (NULL or "" for none), expiring after until
 * (NULL or "" for never).  Returns 0, or -1 with err naming the fact
 * that does not fit a seal (a string over 200 bytes, a date before 2000
 * or after 2179). */
int pledge_seal_facts_from_claim(const pledge_claim *c, char kind,
                                 const char *member_id, const char *until,
                                 pledge_seal_facts *f, pledge_err *err);

/* Makes the seal of f signed by sk; f->key_id is taken from sk.  Returns
 * 0, or -1 with err (a fact that does not fit, a failed signature) and
 * *out untouched. */
int pledge_seal_make(const pledge_seal_facts *f, const pledge_seckey *sk,
                     pledge_seal *out, pledge_err *err);

/* The QR text of s, "PL1:" and the payload in base45, NUL-terminated,
 * into out (PLEDGE_SEAL_TEXT_BYTES). */
void pledge_seal_text(const pledge_seal *s,
                      char out[PLEDGE_SEAL_TEXT_BYTES]);

/* Parses a payload (len bytes) strictly, every rule of the format: the
 * version, a known kind, string lengths and their UTF-8 without control
 * characters, exactly 64 bytes of signature after the last field.  Does
 * not check the signature.  Returns 0, or -1 with err saying why and *out
 * untouched. */
int pledge_seal_parse(const unsigned char *payload, size_t len,
                      pledge_seal *out, pledge_err *err);

/* Parses a QR text (len bytes): the prefix "PL1:", strict base45, then
 * as pledge_seal_parse(). */
int pledge_seal_parse_text(const char *text, size_t len, pledge_seal *out,
                           pledge_err *err);

/* 0 when s's signature is pk's over its facts, else -1. */
int pledge_seal_verify_signature(const pledge_seal *s,
                                 const pledge_pubkey *pk);

/* The seal ID: BLAKE2b-256 of the whole payload, in 64 lowercase hex
 * digits, the value a revocation list's `seal` line names. */
void pledge_seal_id(const pledge_seal *s, char out[65]);

/* 0 when s states what a signature of claim c by key_id states, with
 * kind, member_id and until as for pledge_seal_facts_from_claim(); else
 * -1 with err naming the first fact that differs. */
int pledge_seal_compare(const pledge_seal *s, const pledge_claim *c,
                        char kind, const char *member_id, const char *until,
                        pledge_err *err);

typedef enum {
    PLEDGE_SEAL_VALID = 0,
    PLEDGE_SEAL_INVALID,
    PLEDGE_SEAL_REVOKED,
    PLEDGE_SEAL_EXPIRED
} pledge_seal_status;

typedef struct {
    pledge_seal_status status;
    char reason[512];           /* why not VALID */
    int parsed;                 /* seal holds what the text states */
    pledge_seal seal;
    char seal_id[65];
    char key_id[17];            /* the signer's, as minisign shows it */
    char applicant_key_id[17];  /* kind E: the key it certifies */
    char signer[PLEDGE_CLAIM_VALUE_BYTES];  /* the keyring's name */
    char key_file[1024];
    char role[2 * PLEDGE_CLAIM_VALUE_BYTES];    /* "" when none recorded */
    char retired[11];           /* the signing key's retirement, or "" */
    pledge_revocation revoked;  /* REVOKED: the entry that revokes it */
} pledge_seal_verdict;

/* Checks the QR text (len bytes) of a seal against what the verifier
 * holds, in this order, the first failure being the verdict:
 *   1. it parses (pledge_seal_parse_text())             else INVALID
 *   2. kr holds its signer's key, not refused           else INVALID
 *   3. its signature is that key's over its facts       else INVALID
 *   4. the key's role record allows it, as for a signed file: kinds A
 *      and E need role association, kind P role applicant or none; the
 *      record's association, layouts, applicant and member ID must be
 *      the seal's                                        else INVALID
 *   5. a retired key retired on or after its date       else INVALID
 *   6. no list of lists[0..nlists) signed by its signer names its member
 *      ID, its signer's (or kind E: the applicant's) key ID or its seal
 *      ID with a date on or before at                   else REVOKED
 *   7. its until, if any, not before at                 else EXPIRED
 * at is the check date, YYYY-MM-DD.  Fills *v either way; returns 0 when
 * VALID, -1 otherwise. */
int pledge_seal_check(const pledge_keyring *kr,
                      pledge_revocations *const *lists, size_t nlists,
                      const char *text, size_t len, const char *at,
                      pledge_seal_verdict *v);

/* "VALID", "INVALID", "REVOKED" or "EXPIRED"; static. */
const char *pledge_seal_status_word(pledge_seal_status s);

/* What a seal of kind says happened ("signed by the applicant"); static,
 * "unknown" for an unknown kind. */
const char *pledge_seal_kind_text(char kind);

/* One fact of a verdict as the CLI shows it: label NULL when it is not
 * printed as text, key NULL when it is not a JSON member. */
#define PLEDGE_SEAL_FIELD_BYTES 1400
typedef struct {
    const char *key;            /* JSON member name */
    const char *label;          /* the text line's label */
    char value[PLEDGE_SEAL_FIELD_BYTES];
} pledge_seal_field;

#define PLEDGE_SEAL_MAX_FIELDS 24

/* The facts of a checked seal (v->parsed) in the order `pledge verify`
 * prints a file's: kind, signer, role, retirement, date, applicant,
 * association, layout, text, until, member ID, revocation, seal ID.
 * Fills out (PLEDGE_SEAL_MAX_FIELDS) and returns how many; 0 when
 * nothing parsed. */
size_t pledge_seal_fields(const pledge_seal_verdict *v,
                          pledge_seal_field out[PLEDGE_SEAL_MAX_FIELDS]);

#endif
