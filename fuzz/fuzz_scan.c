/* fuzz_scan.c - the picture readers and the QR search on any bytes: a
 * PNG or JPEG as `pledge verify --scan` reads it, decoded to grey with
 * pledge_scan_decode_image() and searched with pledge_scan_grey().
 *
 * Every made-over copy is tried only on pictures of up to 4096 pixels
 * (edge cases of size live there; a large one would spend the run in
 * zbar), larger ones as a page rendered again is.  A PDF is handed to
 * poppler, which has fuzzers of its own: input that starts as a PDF is
 * not run here, so a finding is in pledge's code.
 */
#include "fuzz.h"

#include "../src/scan/scan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    pledge_grey g = {(unsigned char *)1, -5, -5};
    pledge_scan_codes c = {NULL, 0};
    pledge_err err;
    size_t i;
    int n;

    if (size >= 5 && memcmp(data, "%PDF-", 5) == 0)
        return 0;
    memset(&err, 0, sizeof err);
    if (pledge_scan_decode_image(data, size, &g, &err) < 0) {
        fuzz_require(g.px == (unsigned char *)1 && g.w == -5);
        fuzz_require_msg(err);
        return 0;
    }
    fuzz_require(g.w > 0 && g.h > 0 &&
                 (size_t)g.w * (size_t)g.h <= PLEDGE_SCAN_MAX_PIXELS);
    n = pledge_scan_grey(&g, 0, (size_t)g.w * (size_t)g.h <= 4096 ?
                         PLEDGE_SCAN_ALL : PLEDGE_SCAN_AGAIN, &c, &err);
    fuzz_require(n >= 0 && (size_t)n == c.n);
    for (i = 0; i < c.n; i++) {
        fuzz_require(c.code[i].text[c.code[i].len] == '\0');
        fuzz_require(c.code[i].page_text == NULL);
    }
    pledge_scan_free(&c);
    free(g.px);
    return 0;
}
