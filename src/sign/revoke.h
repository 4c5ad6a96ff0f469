/* revoke.h - an association's signed list of revoked endorsements.
 *
 * The list is a text file and a minisign signature of it beside it
 * (LIST.minisig), so `minisign -Vm LIST -p ASSOC.pub` checks it.  The
 * file:
 *
 *     pledge-revocations:1
 *     sequence:3
 *     member-id<TAB>VA-0142<TAB>2026-12-01<TAB>the reason
 *     pledge<TAB><BLAKE2b-256 of the applicant's revision><TAB>date<TAB>reason
 *     key-id<TAB>1B5481F1EB79800E<TAB>date<TAB>reason
 *     seal<TAB><seal ID, see seal.h><TAB>date<TAB>reason
 *
 * and the signature's trusted comment is
 * "pledge-revocations:1<TAB>sequence:N<TAB>key:ID", N the file's
 * sequence, which every append raises by one: a verifier that holds a
 * list of sequence N refuses any older list offered in its place.  The
 * format is in docs/endorsement.md.
 */
#ifndef PLEDGE_SIGN_REVOKE_H
#define PLEDGE_SIGN_REVOKE_H

#include <stddef.h>

#include "../pledge.h"

/* What pledge_revocations_add() revokes. */
typedef enum {
    PLEDGE_REVOKE_MEMBER_ID,    /* an endorsement's member ID */
    PLEDGE_REVOKE_PLEDGE,       /* the BLAKE2b-256 of an applicant revision */
    PLEDGE_REVOKE_KEY_ID        /* every pledge a key signed or endorsed */
} pledge_revoke_kind;

/* The entry of r that revokes a seal by the key signer_key (hex, as
 * pledge_key_id_hex() writes it): one naming member_id, signer_key or
 * applicant_key (either may be NULL or ""), or seal_id, dated on or
 * before at; NULL when none.  Only a list signed by signer_key, or by a
 * key that vouched for it in kr (pledge_keyring_speaks_for()), counts.
 * The result belongs to r. */
const pledge_revocation *pledge_revocations_match_seal(
    const pledge_keyring *kr, const pledge_revocations *r,
    const char *signer_key,
    const char *applicant_key, const char *member_id, const char *seal_id,
    const char *at);

/* Fills *e with one revocation, checked as pledge_revocations_add()
 * checks it.  Returns 0, or -1 with err. */
int pledge_revocation_entry(pledge_revocation *e, const char *kind,
                            const char *value, const char *date,
                            const char *reason, pledge_err *err);

/* pledge_revocations_add() of the nadd entries add at once: one new
 * sequence number, one signature.  On error returns -1 and changes
 * nothing. */
int pledge_revocations_add_entries(const pledge_seckey *sk, const char *path,
                                   const pledge_revocation *add, size_t nadd,
                                   pledge_err *err);

/* The revision of data a pledge revocation names: the first signature's
 * bytes of an endorsed pledge, else the whole file, as BLAKE2b-256 hex. */
void pledge_revocation_pledge_hash(const unsigned char *data, size_t len,
                                   char out[65]);

#endif
