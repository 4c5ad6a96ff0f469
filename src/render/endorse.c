/* endorse.c - an association countersigns a pledge its applicant signed
 * (see pledge_endorse_check() in pledge.h and docs/endorsement.md).  The
 * checks are the verifier's: an endorsement written here is one that
 * pledge verify accepts. */
#include <stdio.h>
#include <string.h>

#include "../sign/claim.h"
#include "../sign/key.h"
#include "../sign/verify.h"
#include "../util/err.h"
#include "../util/text.h"

int pledge_endorse_check(pledge_engine *eng, const char *layouts_dir,
                         const pledge_keyring *kr, const unsigned char *data,
                         size_t len, const char *member_id,
                         pledge_verdict *v, pledge_err *err)
{
    if (pledge_verify_is_endorsed(data, len, NULL)) {
        pledge_err_set(err, "it is endorsed already");
        return -1;
    }
    if (pledge_verify_pdf(kr, data, len, v) < 0 ||
        pledge_verify_content(eng, layouts_dir, data, len, v) < 0) {
        pledge_err_set(err, "not endorsed: %.490s", v->reason);
        return -1;
    }
    if (v->content != PLEDGE_CONTENT_VERIFIED) {
        pledge_err_set(err, "not endorsed: its content cannot be checked "
                       "here: %.420s", v->content_reason);
        return -1;
    }
    /* The endorsement certifies this key as the applicant's: a pledge
     * signed under another name would have it certify a stranger. */
    if (strcmp(v->claim.signer, v->claim.applicant) != 0) {
        pledge_err_set(err, "not endorsed: it is signed as \"%.100s\", not "
                       "by its applicant \"%.100s\" (sign it with --signer "
                       "\"%.100s\")", v->claim.signer, v->claim.applicant,
                       v->claim.applicant);
        return -1;
    }
    /* verify refuses an endorsement whose member ID is not the one the
     * pledge records: never write one. */
    if (member_id[0] != '\0' && v->recorded_member_id[0] != '\0' &&
        strcmp(member_id, v->recorded_member_id) != 0) {
        pledge_err_set(err, "not endorsed: it is to certify member ID "
                       "\"%.100s\", but the pledge records member ID "
                       "\"%.100s\"", member_id, v->recorded_member_id);
        return -2;
    }
    return 0;
}

int pledge_endorse_make(const pledge_keyring *kr, const pledge_verdict *v,
                        const unsigned char *data, size_t len,
                        const pledge_signing *s, const char *member_id,
                        const char *until, unsigned char **out,
                        size_t *outlen, pledge_err *err)
{
    pledge_endorsement e;
    pledge_pubkey apk;

    if (strlen(member_id) >= sizeof e.member_id) {
        pledge_err_set(err, "the member ID is too long");
        return -2;
    }
    if (pledge_text_check_chars("the member ID", member_id, err) < 0)
        return -2;
    if (until[0] != '\0' && !pledge_is_date(until)) {
        pledge_err_set(err, "until %.40s: expected YYYY-MM-DD", until);
        return -2;
    }
    if (pledge_keyring_find(kr, v->key_id, &apk) < 0) {
        pledge_err_set(err, "key %s is not in the keyring", v->key_id);
        return -1;
    }
    memset(&e, 0, sizeof e);
    snprintf(e.signer, sizeof e.signer, "%s", s->signer);
    snprintf(e.association, sizeof e.association, "%s",
             v->claim.association);
    snprintf(e.applicant, sizeof e.applicant, "%s", v->claim.applicant);
    snprintf(e.member_id, sizeof e.member_id, "%s", member_id);
    snprintf(e.until, sizeof e.until, "%s", until);
    pledge_key_public_line(&apk, e.applicant_key);
    if (pledge_claim_time(s->time, e.time) < 0) {
        pledge_err_set(err, "the signing time is out of range");
        return -2;
    }
    /* verify refuses an applicant signature dated after the endorsement:
     * never write one. */
    if (strcmp(v->claim.time, e.time) > 0) {
        pledge_err_set(err, "not endorsed: it is signed at %s, after the "
                       "endorsement's time %s", v->claim.time, e.time);
        return -1;
    }
    return pledge_endorse_pdf(data, len, s->key, &e, out, outlen, err) < 0 ?
           -2 : 0;
}
