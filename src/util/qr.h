/* qr.h - QR codes, from libqrencode.
 *
 * Text is put in QR's alphanumeric mode (0-9 A-Z space $ % * + - . / :),
 * which holds 5.5 bits a character where byte mode needs 8; error
 * correction level M (15% of the code may be lost), the smallest
 * version that holds it and always mask pattern 010 (see qr.c), so the
 * same text always gives the same modules.
 */
#ifndef PLEDGE_UTIL_QR_H
#define PLEDGE_UTIL_QR_H

#include "../pledge.h"

/* Encodes text as a QR code: *size modules a side, *dark size * size
 * bytes row by row from the top, non-zero for a dark module.  Text
 * outside the alphanumeric set, or too long for any version, is an error.
 * On error returns -1 and leaves *dark untouched.
 * The caller frees *dark with free(). */
int pledge_qr_encode(const char *text, unsigned char **dark, int *size,
                     pledge_err *err);

/* The version of libqrencode running here: its mask choice decides the
 * seal's modules, so a pledge records it. */
const char *pledge_qr_library_version(void);

#endif
