/* appearance.c - the endorsement panel as a form XObject (appearance.h). */
#include "appearance.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pdfwrite.h"
#include "../util/bytes.h"
#include "../util/qr.h"
#include "../util/utf8.h"

#define PAD 6.0             /* pt between the panel's edge and its text */
#define INSET 1.0           /* pt between the edge and the seal's square */
#define MAX_SIZE 8.0
#define MIN_SIZE 5.0
#define LEADING 1.3         /* of the size */
#define PARA_GAP 0.3        /* extra space between paragraphs, of leading */
#define MODULE (72 / 25.4 * 0.5)    /* pt: a QR module of 0.5 mm */
#define QUIET 4             /* modules of light margin around the code */

/* Every byte written by hand (util/bytes.h). */
typedef pledge_bytes sbuf;
#define put pledge_bytes_put
#define putf pledge_bytes_printf

/* WinAnsiEncoding's codes 0x80..0x9F (0: none). */
static const unsigned short winansi_high[32] = {
    0x20ac, 0, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021,
    0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017d, 0,
    0, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014,
    0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0, 0x017e, 0x0178
};

static unsigned char winansi(uint32_t cp)
{
    unsigned i;

    if ((cp >= 0x20 && cp < 0x7f) || (cp >= 0xa0 && cp <= 0xff))
        return (unsigned char)cp;
    for (i = 0; i < 32; i++)
        if (winansi_high[i] != 0 && winansi_high[i] == cp)
            return (unsigned char)(0x80 + i);
    return '?';
}

/* s (UTF-8) as WinAnsi codes into b; invalid UTF-8 shows as '?'. */
static void to_winansi(sbuf *b, const char *s)
{
    size_t i = 0, n = strlen(s);
    uint32_t cp;
    unsigned char c;

    while (i < n) {
        if (pledge_utf8_next(s, n, &i, &cp) < 0) {
            cp = '?';
            i++;
        }
        c = winansi(cp);
        put(b, &c, 1);
    }
}

/* The length of the first line of t[0, n) that fits maxw at size, and in
 * *next where the line after it starts: a break at the last space that
 * fits, else (one word wider than the line) inside the word. */
static size_t fit_line(const unsigned char *t, size_t n,
                       const unsigned short wd[256], double size,
                       double maxw, size_t *next)
{
    double w = 0;
    size_t i, brk = 0;

    for (i = 0; i < n; i++) {
        if (t[i] == ' ')
            brk = i;
        w += wd[t[i]] * size / 1000;
        if (w > maxw)
            break;
    }
    if (i == n) {
        *next = n;
        return n;
    }
    if (brk > 0) {
        *next = brk + 1;
        return brk;
    }
    i = i > 0 ? i : 1;
    *next = i;
    return i;
}

/* The lines paragraph t[0, n) takes at size, each written to out (as a
 * text matrix and a string shown, from x, *y down by lead, none below
 * floor_y) unless out is NULL. */
static size_t wrap(sbuf *out, const unsigned char *t, size_t n,
                   const unsigned short wd[256], double size, double maxw,
                   double x, double *y, double lead, double floor_y)
{
    size_t lines = 0, at = 0, len, next, i;

    while (at < n) {
        while (at < n && t[at] == ' ')
            at++;
        if (at == n)
            break;
        len = fit_line(t + at, n - at, wd, size, maxw, &next);
        lines++;
        if (out != NULL && *y >= floor_y) {
            putf(out, "1 0 0 1 %.2f %.2f Tm (", x, *y);
            for (i = at; i < at + len; i++) {
                unsigned char c = t[i];
                if (c == '(' || c == ')' || c == '\\')
                    putf(out, "\\%c", c);
                else if (c >= 0x80)
                    putf(out, "\\%03o", c);
                else
                    put(out, &c, 1);
            }
            put(out, ") Tj\n", 5);
        }
        if (out != NULL)
            *y -= lead;
        at += next;
    }
    return lines;
}

/* Draws text as a QR code centred in the square of side side whose
 * lower-left corner is INSET from (x0, 0): an inline image mask of one bit a module, painted
 * black, in ASCII hex.  The panel's stream is not compressed (its bytes
 * must not depend on a compressor's version), so a rectangle per run of
 * dark modules would cost some 14 KB where the mask costs one. */
static int draw_qr(sbuf *cs, const char *text, double x0, double side,
                   pledge_err *err)
{
    unsigned char *dark;
    double m, off;
    int x, y, w, bits;

    if (pledge_qr_encode(text, &dark, &w, err) < 0)
        return pledge_err_prefix(err, "draw the seal");
    m = MODULE;
    if ((w + 2 * QUIET) * m > side)
        m = side / (w + 2 * QUIET);
    off = (side - w * m) / 2;
    putf(cs, "q\n0 g\n%.4f 0 0 %.4f %.2f %.2f cm\n"
         "BI /W %d /H %d /IM true /F /AHx ID\n",
         w * m, w * m, x0 + off + INSET, off + INSET, w, w);
    /* A mask paints its 0 samples: a dark module is a 0 bit.  Rows run
     * from the top, each padded to a whole byte with light bits. */
    for (y = 0; y < w; y++) {
        for (x = 0; x < w; x += 8) {
            int i;

            bits = 0;
            for (i = 0; i < 8; i++)
                bits = bits << 1 | (x + i < w && dark[y * w + x + i] ? 0 : 1);
            putf(cs, "%02X", bits);
        }
        put(cs, "\n", 1);
    }
    put(cs, ">\nEI\nQ\n", 8);
    free(dark);
    return 0;
}

int pledge_pdf_panel_object(const pledge_pdf_panel *p, unsigned num,
                            unsigned char **out, size_t *outlen,
                            pledge_err *err)
{
    static const char font[] = "<</Type/Font/Subtype/Type1/BaseFont/%s"
                               "/Encoding/WinAnsiEncoding>>";
    unsigned short reg[256], bold[256];
    sbuf text[PLEDGE_PANEL_PARAS], title, cs, obj;
    double W = p->width, H = p->height, x, y, size, lead, tw;
    size_t n = 0, i, lines;
    int rc = -1;

    memset(text, 0, sizeof text);
    memset(&title, 0, sizeof title);
    memset(&cs, 0, sizeof cs);
    memset(&obj, 0, sizeof obj);
    if (pledge_pdf_base14_widths("Helvetica", reg, err) < 0 ||
        pledge_pdf_base14_widths("Helvetica-Bold", bold, err) < 0)
        return -1;
    while (n < PLEDGE_PANEL_PARAS && p->paras[n] != NULL) {
        to_winansi(&text[n], p->paras[n]);
        n++;
    }
    to_winansi(&title, p->title);
    x = PAD;
    tw = W - (p->square ? H : 0) - 2 * PAD;

    /* The largest size at which the title and every paragraph fit. */
    for (size = MAX_SIZE; size > MIN_SIZE; size -= 0.5) {
        lead = size * LEADING;
        lines = 1;
        for (i = 0; i < n; i++)
            lines += wrap(NULL, text[i].p, text[i].len, reg, size, tw, 0,
                          NULL, 0, 0);
        if (2 * PAD + lead * ((double)lines + PARA_GAP * (double)n) <= H)
            break;
    }
    lead = size * LEADING;

    putf(&cs, "q\n0 0 %u %u re W n\n0.96 g 0 G 0.5 w\n"
         "0.25 0.25 %.2f %.2f re B\n", p->width, p->height, W - 0.5,
         H - 0.5);
    if (p->square)
        putf(&cs, "1 g\n%.2f %.2f %.2f %.2f re f\n", W - H + INSET, INSET,
             H - 2 * INSET, H - 2 * INSET);
    if (p->square && p->qr_text != NULL &&
        draw_qr(&cs, p->qr_text, W - H, H - 2 * INSET, err) < 0)
        goto done;
    y = H - PAD - size * 0.78;
    putf(&cs, "0 g\nBT\n/F2 %.1f Tf\n", size);
    wrap(&cs, title.p, title.len, bold, size, tw, x, &y, lead, 0);
    putf(&cs, "/F1 %.1f Tf\n", size);
    for (i = 0; i < n; i++) {
        y -= PARA_GAP * lead;
        wrap(&cs, text[i].p, text[i].len, reg, size, tw, x, &y, lead,
             PAD / 2);
    }
    put(&cs, "ET\nQ\n", 5);

    putf(&obj, "%u 0 obj\n<</Type/XObject/Subtype/Form/BBox[0 0 %u %u]"
         "/Resources<</Font<</F1", num, p->width, p->height);
    putf(&obj, font, "Helvetica");
    put(&obj, "/F2", 3);
    putf(&obj, font, "Helvetica-Bold");
    putf(&obj, ">>>>/Length %zu>>\nstream\n", cs.len);
    if (!cs.failed)
        put(&obj, cs.p, cs.len);
    put(&obj, "\nendstream\nendobj\n", 18);
    if (obj.failed || cs.failed || title.failed) {
        pledge_err_set(err, "draw the endorsement panel: out of memory");
        goto done;
    }
    for (i = 0; i < n; i++)
        if (text[i].failed) {
            pledge_err_set(err, "draw the endorsement panel: out of memory");
            goto done;
        }
    *out = obj.p;
    *outlen = obj.len;
    obj.p = NULL;
    rc = 0;

done:
    for (i = 0; i < n; i++)
        free(text[i].p);
    free(title.p);
    free(cs.p);
    free(obj.p);
    return rc;
}
