/* qr.c - QR codes with libqrencode (see qr.h). */
#include "qr.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <qrencode.h>

#include "err.h"

/* libqrencode's encoder with the mask pattern given (0-7; -1 chooses
 * one by the standard's penalty rules).  It is exported by every
 * libqrencode since 3.0 but declared only in its uninstalled
 * qrencode_inner.h. */
extern QRcode *QRcode_encodeMask(QRinput *input, int mask);

/* The mask pattern every code gets: 010, dark where the column is a
 * multiple of 3.  Scored by the standard's penalty rules over the seals
 * of a 500-row batch, the eight patterns came within 4% of one another
 * (their data is random to a mask); this one had the lowest mean and
 * is the one the full evaluation chose most often.  Evaluating all
 * eight for each code was four fifths of its time. */
#define QR_MASK 2

const char *pledge_qr_library_version(void)
{
    return QRcode_APIVersionString();
}

int pledge_qr_encode(const char *text, unsigned char **dark, int *size,
                     pledge_err *err)
{
    QRinput *in = QRinput_new2(0, QR_ECLEVEL_M);
    QRcode *qr = NULL;
    unsigned char *out = NULL;
    size_t n, i;
    int rc = -1;

    if (in == NULL)
        return pledge_err_set(err, "QR code: out of memory");
    if (QRinput_append(in, QR_MODE_AN, (int)strlen(text),
                       (const unsigned char *)text) != 0) {
        pledge_err_set(err, "QR code: the text is not all alphanumeric");
        goto done;
    }
    if ((qr = QRcode_encodeMask(in, QR_MASK)) == NULL) {
        pledge_err_set(err, "QR code: %s", errno == ERANGE ?
                       "the text is too long" : "out of memory");
        goto done;
    }
    n = (size_t)qr->width * (size_t)qr->width;
    if ((out = malloc(n)) == NULL) {
        pledge_err_set(err, "QR code: out of memory");
        goto done;
    }
    /* Bit 0 of each of libqrencode's bytes is the module's colour. */
    for (i = 0; i < n; i++)
        out[i] = qr->data[i] & 1;
    *dark = out;
    *size = qr->width;
    rc = 0;

done:
    QRcode_free(qr);
    QRinput_free(in);
    return rc;
}
