/* claim.h - what a pledge signature attests, as its trusted comment.
 *
 * The trusted comment of a pledge signature is one line of tab-separated
 * "key:value" fields, always these, in this order:
 *
 *     pledge-signature:1  signer:  key:  time:  association:  layout:
 *     revision:  applicant:  text:
 *
 * time is UTC as 2026-11-21T09:30:00Z; key is the signing key's ID in 16
 * uppercase hex digits; text is the BLAKE2b-256 of the pledge's text (see
 * pledge_doc_text()) in 64 lowercase hex digits.  A PDF that pledge did
 * not make has empty association, layout, revision, applicant and text.
 * Values never hold a tab or any other control character, nor anything
 * else pledge_text_check() refuses (invalid UTF-8, bidi and zero-width
 * controls, leading, trailing or doubled spaces): a claim holding one is
 * refused.  The signature
 * covers the comment, so a verifier can trust these facts once the
 * signature checks out -- except the signer's name, which the verifier
 * takes from its own key file instead.
 */
#ifndef PLEDGE_SIGN_CLAIM_H
#define PLEDGE_SIGN_CLAIM_H

#include "../pledge.h"

/* Writes t (Unix seconds) as the claim's UTC time.  Returns -1 for a time
 * outside years 1970..9999. */
int pledge_claim_time(long long t, char out[21]);

/* Formats c as a trusted comment into out (cap bytes, NUL-terminated).
 * On error (a value with a control character, or too long) returns -1
 * naming the field. */
int pledge_claim_format(const pledge_claim *c, char *out, size_t cap,
                        pledge_err *err);

/* Parses a trusted comment strictly: every field, in order, nothing more.
 * On error returns -1 and leaves *c untouched. */
int pledge_claim_parse(const char *trusted, pledge_claim *c,
                       pledge_err *err);

/* The same for an endorsement: magic "pledge-endorsement:1", then signer,
 * key, time, association, applicant, member-id, applicant-key, signed,
 * until (docs/signature-format.md). */
int pledge_endorsement_format(const pledge_endorsement *e, char *out,
                              size_t cap, pledge_err *err);
int pledge_endorsement_parse(const char *trusted, pledge_endorsement *e,
                             pledge_err *err);

#endif
