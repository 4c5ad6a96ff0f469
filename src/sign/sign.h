/* sign.h - embed a pledge signature in a PDF by an incremental update.
 *
 * The update appended to the PDF holds a signature dictionary
 *
 *     << /Type /Sig /Filter /Pledge.Minisign
 *        /SubFilter /pledge.minisign.ed25519ph
 *        /ByteRange [0 a b c] /Contents <hex> /M (D:...) >>
 *
 * a signature field that points at it, the document catalog again with an
 * /AcroForm naming the field, a cross-reference section and a trailer.
 * /ByteRange covers every byte of the final file except the /Contents hex
 * string (its '<' and '>' included in the gap); /Contents is the hex of a
 * minisign signature file (minisig.h) over exactly those bytes, with the
 * claim (claim.h) as its trusted comment.  The whole format is in
 * docs/signature-format.md.
 */
#ifndef PLEDGE_SIGN_SIGN_H
#define PLEDGE_SIGN_SIGN_H

#include <stddef.h>

#include "claim.h"
#include "key.h"
#include "seal.h"

#define PLEDGE_SIGN_FILTER "Pledge.Minisign"
#define PLEDGE_SIGN_SUBFILTER "pledge.minisign.ed25519ph"

/* The untrusted comment of every pledge signature.  It is not signed, so
 * the verifier accepts this text only: any other would let the bytes of a
 * signed file change while its signature stays good. */
#define PLEDGE_SIGN_UNTRUSTED \
    "pledge signature; check with pledge verify or minisign -V"

/* Checks that pdf can be signed (see pledge_sign_append()).  Returns 0,
 * or -1 with the reason. */
int pledge_sign_check(const unsigned char *pdf, size_t len, pledge_err *err);

/* Appends a signature by sk over pdf, attesting claim (whose key field
 * is filled in from sk).  pdf must use a classic cross-reference table,
 * not be encrypted and carry no form or signature yet; anything else is
 * refused with the reason.  For the same input, key and claim the output
 * is the same bytes.  On error returns -1 and leaves *out untouched.
 * The caller frees *out with free(). */
int pledge_sign_append(const unsigned char *pdf, size_t len,
                       const pledge_seckey *sk, const pledge_claim *claim,
                       unsigned char **out, size_t *outlen, pledge_err *err);

/* The file pledge_sign_append() writes for claim (its key field filled
 * in), but with the /Contents hex all zeros: the signed bytes are final,
 * only the signature is missing from the gap [*gap_start, *gap_end).  A
 * verifier that makes a pledge again compares a signed file with this.
 * On error returns -1 and leaves *out untouched.
 * The caller frees *out with free(). */
int pledge_sign_prepare(const unsigned char *pdf, size_t len,
                        const pledge_claim *claim, unsigned char **out,
                        size_t *outlen, size_t *gap_start, size_t *gap_end,
                        pledge_err *err);

/* The forms of an endorsement's update (docs/signature-format.md).  The
 * panel's combining marks where the pen is, its QR code's samples in hex,
 * its drawing not compressed: pledge 0.2.0 and earlier. */
#define PLEDGE_ENDORSE_FORM_0_2 0
/* Marks placed on their letters; otherwise as 0.2.0: pledge 0.3.0. */
#define PLEDGE_ENDORSE_FORM_0_3 1
/* Marks placed, the samples in ASCII85, the drawing compressed by
 * pledge_flate_fixed(), the widget's /TU a literal string: what endorse
 * writes from 0.4.0 on. */
#define PLEDGE_ENDORSE_FORM_PACKED 2

/* The file pledge_endorse_pdf() writes for the applicant-signed pdf and
 * the endorsement e (all its fields as they will be signed), with the
 * /Contents hex all zeros, as pledge_sign_prepare() for a first
 * signature.  pdf's catalog must end in exactly the form a first
 * signature writes.  When a page of pdf records an endorsement area, the
 * association's widget shows the endorsement panel there, with seal
 * (required then) drawn as its QR code and kept as the widget's
 * /PledgeSeal; otherwise the widget is invisible and seal is not used.
 * form is one of PLEDGE_ENDORSE_FORM_*: what endorse writes now, or
 * what an earlier release wrote, which a verifier draws again to compare.
 * On error returns -1 and leaves *out untouched.
 * The caller frees *out with free(). */
int pledge_sign_endorse_prepare(const unsigned char *pdf, size_t len,
                                const pledge_endorsement *e,
                                const pledge_seal *seal, int form,
                                unsigned char **out, size_t *outlen,
                                size_t *gap_start, size_t *gap_end,
                                pledge_err *err);

/* The BLAKE2b-256 of data[0, len) in 64 lowercase hex digits: what an
 * endorsement's `signed` field records of the applicant's revision. */
void pledge_sign_revision_hash(const unsigned char *data, size_t len,
                               char out[65]);

#endif
