/* verify.h - check a pledge signature against the keys the verifier holds.
 *
 * Trust comes only from the keyring: public key files the verifier chose.
 * A key or a name inside the PDF is never trusted; the signer is named as
 * the verifier's own key file names it.
 *
 * The check is strict and never repairs a file: the signature field is
 * found through the last trailer's catalog and form; /ByteRange must be
 * four direct non-negative integers [0 a b c] with b + c the file's
 * length; the gap [a, b) must be exactly the /Contents hex string of that
 * very signature dictionary and hold nothing but hex digits; the signature
 * in it must be a prehashed minisign signature by a held key over every
 * other byte; and its trusted comment must be a pledge claim naming the
 * same key.  Anything appended after signing -- one byte or a whole
 * incremental update -- fails the length check.
 *
 * What a signed PDF never holds is refused before it costs memory: a file
 * larger than PLEDGE_VERIFY_MAX_BYTES, a form of more than
 * PLEDGE_VERIFY_MAX_FIELDS fields, and whatever the PDF reader's own
 * limits refuse (see pdfparse.h).
 */
#ifndef PLEDGE_SIGN_VERIFY_H
#define PLEDGE_SIGN_VERIFY_H

#include <stddef.h>

#include "claim.h"
#include "key.h"
#include "minisig.h"

#define PLEDGE_VERIFY_MAX_BYTES (64 << 20)
#define PLEDGE_VERIFY_MAX_FIELDS 1000

/* A rotation statement's trusted comment: this, TAB "old-key:" the old
 * key's base64 line, TAB "retired:" YYYY-MM-DD. */
#define PLEDGE_ROTATION_MAGIC "pledge-rotation:1"
#define PLEDGE_ROTATION_UNTRUSTED \
    "pledge key rotation; check with minisign -V"

/* Finds the embedded signature and checks its shape (everything but the
 * cryptography): fills *ms and the gap [*gap_start, *gap_end) the
 * signature leaves out.  Returns 0, or -1 with v->reason set. */
int pledge_verify_locate(const unsigned char *data, size_t len,
                         pledge_minisig *ms, size_t *gap_start,
                         size_t *gap_end, pledge_verdict *v);

/* 1 when data holds two signatures, the first ending before the file
 * does (the shape of an endorsed pledge, not yet checked), else 0.
 * *revision, unless NULL, gets the applicant's revision's length: the
 * first signature's end when 1, else len. */
int pledge_verify_is_endorsed(const unsigned char *data, size_t len,
                              size_t *revision);

/* The public key kr holds under id with role association.  Returns 0, or
 * -1 when it holds none such. */
int pledge_keyring_association_key(const pledge_keyring *kr,
                                   const unsigned char *id,
                                   pledge_pubkey *pk);

/* The key kr holds under id, to check a signature with: fills *pk and
 * v->key_id, v->signer and v->key_file from the keyring.  Returns 0, or
 * -1 with *v INVALID when kr refuses the key or does not hold it. */
int pledge_keyring_signing_key(const pledge_keyring *kr,
                               const unsigned char *id, pledge_pubkey *pk,
                               pledge_verdict *v);

/* Checks facts c, signed by key id, against the role record kr holds for
 * that key, as a signed file's claim is checked (retirement against c's
 * date, association, layouts, applicant; c->signer is not compared), and
 * an applicant record's member ID against member_id.  association
 * non-zero: the key must have role association; zero: role applicant or
 * no record.  Fills v->key_id, v->role and v->retired.  Returns 0, or -1
 * with *v INVALID saying why. */
int pledge_keyring_check_role(const pledge_keyring *kr,
                              const unsigned char *id, const pledge_claim *c,
                              const char *member_id, int association,
                              pledge_verdict *v);

/* Marks *v INVALID with a printf-style reason.  Returns -1, for
 * `return pledge_verdict_invalid(v, ...)`. */
int pledge_verdict_invalid(pledge_verdict *v, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
