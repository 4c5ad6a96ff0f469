/* scan.h - find the QR codes in a picture of a page: PNG, JPEG or PDF.
 *
 * The picture is made 8-bit grey and handed to zbar.  Where zbar finds
 * nothing (a blurred phone photo, a low-resolution or noisy scan, a
 * photocopy), it is tried again on made-over copies of the picture --
 * scaled down or up, thresholded against its neighbourhood or as a whole,
 * smoothed, sharpened -- until one gives a code.  The scan stops at the
 * first copy that gives any: a picture with two codes gives both only
 * when one copy shows both.
 */
#ifndef PLEDGE_SCAN_H
#define PLEDGE_SCAN_H

#include <stddef.h>

#include "../pledge.h"

/* Limits for a picture from anyone: a file larger than this, a picture
 * of more pixels or a PDF of more pages is refused before it is decoded.
 * A 600-dpi Letter page is 33.7 million pixels. */
#define PLEDGE_SCAN_MAX_BYTES (64u << 20)
#define PLEDGE_SCAN_MAX_PIXELS (64u * 1000 * 1000)
#define PLEDGE_SCAN_MAX_PAGES 100

/* An 8-bit grey picture, rows top to bottom, w bytes a row, 0 black. */
typedef struct {
    unsigned char *px;
    int w, h;
} pledge_grey;

/* Decodes data (PNG or JPEG, told by its first bytes) into *out.  On
 * error returns -1 ("not a PNG, JPEG or PDF", "PNG: ...", "4000 x 90000
 * pixels, more than ...") and leaves *out untouched.
 * The caller frees out->px with free(). */
int pledge_scan_decode_image(const unsigned char *data, size_t len,
                             pledge_grey *out, pledge_err *err);

/* How hard pledge_scan_grey() tries. */
typedef enum {
    PLEDGE_SCAN_ALL = 0,        /* every made-over copy */
    PLEDGE_SCAN_NO_DOUBLE,      /* all but the doubled: for a PDF page
                                   that is rendered again if need be */
    PLEDGE_SCAN_AGAIN,          /* img and its local threshold: for that
                                   page rendered at a higher resolution */
    PLEDGE_SCAN_PLAIN           /* img alone, as zbar reads it */
} pledge_scan_effort;

/* Looks for QR codes in img, made over as above until one is found;
 * appends what it finds to *codes (page given to each).  Returns the
 * number found (0 when none), or -1 when out of memory or zbar cannot be
 * loaded (see libs.h). */
int pledge_scan_grey(const pledge_grey *img, int page,
                     pledge_scan_effort effort, pledge_scan_codes *codes,
                     pledge_err *err);

/* The made-over copies pledge_scan_grey() tries, exposed for tests.  Each
 * returns 0 and fills *out, or -1 when out of memory.  The local
 * thresholds compare each pixel with the mean around it: over an eighth
 * of the picture (wider than a seal's finder pattern, so a module inside
 * a dark patch still sees paper), or, fine, over a hundredth (a blurred
 * module against its neighbours).
 * The caller frees out->px with free(). */
int pledge_scan_halve(const pledge_grey *in, pledge_grey *out);
int pledge_scan_double(const pledge_grey *in, pledge_grey *out);
int pledge_scan_otsu(const pledge_grey *in, pledge_grey *out);
int pledge_scan_local(const pledge_grey *in, pledge_grey *out);
int pledge_scan_local_fine(const pledge_grey *in, pledge_grey *out);
int pledge_scan_blur(const pledge_grey *in, pledge_grey *out);
int pledge_scan_sharpen(const pledge_grey *in, pledge_grey *out);

/* 1 when page_text shows s, 0 when not: white space (line breaks
 * included) is left out of both first, as text drawn on a page comes
 * back with breaks where it was set.  An empty s is shown by any text. */
int pledge_scan_page_shows(const char *page_text, const char *s);

/* The threshold Otsu's method puts between the two classes of img's
 * histogram: pixels at or below it are dark. */
int pledge_scan_otsu_level(const pledge_grey *img);

#endif
