/* appearance.c - the endorsement panel as a form XObject (appearance.h). */
#include "appearance.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pdfwrite.h"
#include "../util/bytes.h"
#include "../util/flate.h"
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

/* A face the panel draws with: a font of the revision (f), or a
 * standard one (f NULL, WinAnsi, widths wd). */
typedef struct {
    const pledge_pdf_panel_font *f;
    unsigned short wd[256];
    int place;                  /* pledge_pdf_panel's place_marks */
} face;

/* A paragraph as the face's indexes (index_of). */
typedef struct {
    unsigned *c;
    size_t n;
} codes;

/* The index of cp in f, or -1. */
static long find_cp(const pledge_pdf_panel_font *f, uint32_t cp)
{
    size_t lo = 0, hi = f->n;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;

        if (f->cps[mid] == cp)
            return (long)mid;
        if (f->cps[mid] < cp)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

/* What shows cp in fc: the index of its code and width in fc->f, or for
 * a standard face its WinAnsi code; that of '?' when fc cannot show cp;
 * -1 when it cannot show '?' either. */
static long index_of(const face *fc, uint32_t cp)
{
    long i;

    if (fc->f == NULL)
        return winansi(cp);
    if ((i = find_cp(fc->f, cp)) < 0)
        i = find_cp(fc->f, '?');
    return i;
}

/* The advance of index i of fc, thousandths of the size. */
static double width_of(const face *fc, unsigned i)
{
    return fc->f != NULL ? fc->f->widths[i] : fc->wd[i & 0xff];
}

/* s (UTF-8) as fc's indexes (index_of) into out; invalid UTF-8 shows as
 * '?'.  Returns 0, or -1 when out of memory. */
static int to_codes(const face *fc, const char *s, codes *out)
{
    size_t i = 0, n = strlen(s);
    uint32_t cp;
    long k;

    out->n = 0;
    out->c = malloc((n + 1) * sizeof *out->c);
    if (out->c == NULL)
        return -1;
    while (i < n) {
        if (pledge_utf8_next(s, n, &i, &cp) < 0) {
            cp = '?';
            i++;
        }
        if ((k = index_of(fc, cp)) >= 0)
            out->c[out->n++] = (unsigned)k;
    }
    return 0;
}

/* The length of the first line of t[0, n) that fits maxw at size, and in
 * *next where the line after it starts: a break at the last space that
 * fits, else (one word wider than the line) inside the word. */
static size_t fit_line(const face *fc, const unsigned *t, size_t n,
                       unsigned space, double size, double maxw,
                       size_t *next)
{
    double w = 0;
    size_t i, brk = 0;

    for (i = 0; i < n; i++) {
        if (t[i] == space)
            brk = i;
        w += width_of(fc, t[i]) * size / 1000;
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

/* Writes the characters t[0, n) (indexes of fc) as the bytes of a
 * literal string: WinAnsi bytes, or the font's two-byte codes, high byte
 * first, as they are (half the size of hex), but for the three a literal
 * escapes and a carriage return, which a reader would take for a line
 * end. */
static void put_codes(sbuf *out, const face *fc, const unsigned *t,
                      size_t n)
{
    unsigned char b[2];
    size_t i, k, nb;

    for (i = 0; i < n; i++) {
        if (fc->f != NULL) {
            b[0] = (unsigned char)(fc->f->codes[t[i]] >> 8);
            b[1] = (unsigned char)(fc->f->codes[t[i]] & 0xff);
            nb = 2;
        } else {
            b[0] = (unsigned char)t[i];
            nb = 1;
        }
        for (k = 0; k < nb; k++) {
            unsigned char c = b[k];

            if (c == '(' || c == ')' || c == '\\')
                putf(out, "\\%c", c);
            else if (c == '\r' || (fc->f == NULL && c >= 0x80))
                putf(out, "\\%03o", c);
            else
                put(out, &c, 1);
        }
    }
}

/* Whether index i of fc is a combining mark the panel places: a
 * character of the combining blocks, of no advance, with ink. */
static int is_mark(const face *fc, unsigned i)
{
    const pledge_pdf_panel_font *f = fc->f;
    uint32_t cp;

    if (!fc->place || f == NULL || f->box == NULL || f->widths[i] != 0 ||
        f->box[4 * i] == f->box[4 * i + 2])
        return 0;
    cp = f->cps[i];
    return (cp >= 0x300 && cp <= 0x36f) || (cp >= 0x1ab0 && cp <= 0x1aff) ||
           (cp >= 0x1dc0 && cp <= 0x1dff) || (cp >= 0x20d0 && cp <= 0x20ff) ||
           (cp >= 0xfe20 && cp <= 0xfe2f);
}

/* Shows t[0, n) at the pen.  A mark (is_mark) after a letter is shown on
 * its own, moved (TJ) to centre its box on the letter's and raised (Ts)
 * by as much as the letter, and the marks above it so far, stand above
 * the x-height (a mark below: lowered by as much as they reach below the
 * baseline), which is where a font draws its marks for x-height letters;
 * then the pen goes back to where the letter left it.  With no mark to
 * place the bytes are one literal string, as pledge 0.2.0 wrote them. */
static void show(sbuf *out, const face *fc, const unsigned *t, size_t n,
                 double size)
{
    const int16_t *bb = NULL, *mb;
    size_t i, from = 0;
    int top = 0, bottom = 0, adv = 0, dx, dy;

    for (i = 0; i < n; i++) {
        if (!is_mark(fc, t[i])) {
            if (fc->f != NULL && fc->f->box != NULL &&
                fc->f->widths[t[i]] > 0) {
                bb = fc->f->box + 4 * t[i];
                adv = fc->f->widths[t[i]];
                top = bb[3];
                bottom = bb[1] < 0 ? bb[1] : 0;
            }
            continue;
        }
        if (bb == NULL)
            continue;
        mb = fc->f->box + 4 * t[i];
        dx = (bb[0] + bb[2]) / 2 - adv - (mb[0] + mb[2]) / 2;
        if (mb[1] + mb[3] > fc->f->xheight) {
            dy = top > fc->f->xheight ? top - fc->f->xheight : 0;
            top = mb[3] + dy;
        } else {
            dy = bottom < 0 ? bottom : 0;
            bottom = mb[1] + dy;
        }
        if (i > from) {
            put(out, "(", 1);
            put_codes(out, fc, t + from, i - from);
            put(out, ") Tj\n", 5);
        }
        if (dy != 0)
            putf(out, "%.2f Ts ", dy * size / 1000);
        putf(out, "[%d (", -dx);
        put_codes(out, fc, t + i, 1);
        putf(out, ") %d] TJ\n", dx);
        if (dy != 0)
            put(out, "0 Ts\n", 5);
        from = i + 1;
    }
    if (n > from || from == 0) {
        put(out, "(", 1);
        put_codes(out, fc, t + from, n - from);
        put(out, ") Tj\n", 5);
    }
}

/* The lines paragraph t takes at size, each written to out (as a text
 * matrix and a string shown, from x, *y down by lead, none below floor_y)
 * unless out is NULL. */
static size_t wrap(sbuf *out, const face *fc, const codes *t, double size,
                   double maxw, double x, double *y, double lead,
                   double floor_y)
{
    long sp = index_of(fc, ' ');
    unsigned space = sp >= 0 && (fc->f == NULL || fc->f->cps[sp] == ' ') ?
                     (unsigned)sp : UINT_MAX;
    size_t lines = 0, at = 0, len, next;

    while (at < t->n) {
        while (at < t->n && t->c[at] == space)
            at++;
        if (at == t->n)
            break;
        len = fit_line(fc, t->c + at, t->n - at, space, size, maxw, &next);
        lines++;
        if (out != NULL && *y >= floor_y) {
            putf(out, "1 0 0 1 %.2f %.2f Tm ", x, *y);
            show(out, fc, t->c + at, len, size);
        }
        if (out != NULL)
            *y -= lead;
        at += next;
    }
    return lines;
}

/* n bytes in ASCII85 (ISO 32000-1 7.4.3), with its end marker: every
 * group of four in five characters, or "z" when all four are 0; the last
 * k bytes in k + 1.  No white space, so "EI" cannot appear. */
static void put_a85(sbuf *cs, const unsigned char *p, size_t n)
{
    size_t i, k, j;

    for (i = 0; i < n; i += 4) {
        uint32_t v = 0;
        char c[5];

        k = n - i < 4 ? n - i : 4;
        for (j = 0; j < 4; j++)
            v = v << 8 | (j < k ? p[i + j] : 0);
        if (k == 4 && v == 0) {
            put(cs, "z", 1);
            continue;
        }
        for (j = 5; j-- > 0; v /= 85)
            c[j] = (char)('!' + v % 85);
        put(cs, c, k + 1);
    }
    put(cs, "~>", 2);
}

/* Draws text as a QR code centred in the square of side side whose
 * lower-left corner is INSET from (x0, 0): an inline image mask of one
 * bit a module, painted black, in ASCII85 when packed, else in hex (the
 * earlier form).  A rectangle per run of dark modules would cost many
 * times the mask's bytes. */
static int draw_qr(sbuf *cs, const char *text, double x0, double side,
                   int packed, pledge_err *err)
{
    unsigned char *dark, *rows;
    double m, off;
    int x, y, w, bits, row;

    if (pledge_qr_encode(text, &dark, &w, err) < 0)
        return pledge_err_prefix(err, "draw the seal");
    m = MODULE;
    if ((w + 2 * QUIET) * m > side)
        m = side / (w + 2 * QUIET);
    off = (side - w * m) / 2;
    row = (w + 7) / 8;
    rows = malloc((size_t)(row * w));
    if (rows == NULL) {
        free(dark);
        pledge_err_set(err, "draw the seal: out of memory");
        return -1;
    }
    /* A mask paints its 0 samples: a dark module is a 0 bit.  Rows run
     * from the top, each padded to a whole byte with light bits. */
    for (y = 0; y < w; y++)
        for (x = 0; x < w; x += 8) {
            int i;

            bits = 0;
            for (i = 0; i < 8; i++)
                bits = bits << 1 | (x + i < w && dark[y * w + x + i] ? 0 : 1);
            rows[y * row + x / 8] = (unsigned char)bits;
        }
    putf(cs, "q\n0 g\n%.4f 0 0 %.4f %.2f %.2f cm\n"
         "BI /W %d /H %d /IM true /F /%s ID\n",
         w * m, w * m, x0 + off + INSET, off + INSET, w, w,
         packed ? "A85" : "AHx");
    if (packed) {
        put_a85(cs, rows, (size_t)(row * w));
        put(cs, "\nEI\nQ\n", 7);
    } else {
        for (y = 0; y < w; y++) {
            for (x = 0; x < row; x++)
                putf(cs, "%02X", rows[y * row + x]);
            put(cs, "\n", 1);
        }
        put(cs, ">\nEI\nQ\n", 8);
    }
    free(rows);
    free(dark);
    return 0;
}

/* A font resource: the revision's font, or a standard one. */
static void put_font(sbuf *obj, const char *name, const face *fc,
                     const char *base14)
{
    if (fc->f != NULL)
        putf(obj, "/%s %u %u R", name, fc->f->num, fc->f->gen);
    else
        putf(obj, "/%s<</Type/Font/Subtype/Type1/BaseFont/%s"
             "/Encoding/WinAnsiEncoding>>", name, base14);
}

int pledge_pdf_panel_object(const pledge_pdf_panel *p, unsigned num,
                            unsigned char **out, size_t *outlen,
                            pledge_err *err)
{
    face reg, bold;
    codes text[PLEDGE_PANEL_PARAS], title;
    sbuf cs, obj;
    double W = p->width, H = p->height, x, y, size, lead, tw;
    size_t n = 0, i, lines, zlen = 0;
    unsigned char *z = NULL;
    int rc = -1, oom = 0;

    memset(text, 0, sizeof text);
    memset(&title, 0, sizeof title);
    memset(&cs, 0, sizeof cs);
    memset(&obj, 0, sizeof obj);
    memset(&reg, 0, sizeof reg);
    memset(&bold, 0, sizeof bold);
    reg.f = p->font;
    bold.f = p->bold;
    reg.place = bold.place = p->place_marks;
    if ((reg.f == NULL &&
         pledge_pdf_base14_widths("Helvetica", reg.wd, err) < 0) ||
        (bold.f == NULL &&
         pledge_pdf_base14_widths("Helvetica-Bold", bold.wd, err) < 0))
        return -1;
    while (n < PLEDGE_PANEL_PARAS && p->paras[n] != NULL) {
        oom |= to_codes(&reg, p->paras[n], &text[n]);
        n++;
    }
    oom |= to_codes(&bold, p->title, &title);
    if (oom)
        goto nomem;
    x = PAD;
    tw = W - (p->square ? H : 0) - 2 * PAD;

    /* The largest size at which the title and every paragraph fit. */
    for (size = MAX_SIZE; size > MIN_SIZE; size -= 0.5) {
        lead = size * LEADING;
        lines = 1;
        for (i = 0; i < n; i++)
            lines += wrap(NULL, &reg, &text[i], size, tw, 0, NULL, 0, 0);
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
        draw_qr(&cs, p->qr_text, W - H, H - 2 * INSET, p->packed, err) < 0)
        goto done;
    y = H - PAD - size * 0.78;
    putf(&cs, "0 g\nBT\n/F2 %.1f Tf\n", size);
    wrap(&cs, &bold, &title, size, tw, x, &y, lead, 0);
    putf(&cs, "/F1 %.1f Tf\n", size);
    for (i = 0; i < n; i++) {
        y -= PARA_GAP * lead;
        wrap(&cs, &reg, &text[i], size, tw, x, &y, lead, PAD / 2);
    }
    put(&cs, "ET\nQ\n", 5);

    putf(&obj, "%u 0 obj\n<</Type/XObject/Subtype/Form/BBox[0 0 %u %u]"
         "/Resources<</Font<<", num, p->width, p->height);
    put_font(&obj, "F1", &reg, "Helvetica");
    put_font(&obj, "F2", &bold, "Helvetica-Bold");
    if (cs.failed)
        goto nomem;
    if (p->packed) {
        if (pledge_flate_fixed(cs.p, cs.len, &z, &zlen) < 0)
            goto nomem;
        putf(&obj, ">>>>/Filter/FlateDecode/Length %zu>>\nstream\n", zlen);
        put(&obj, z, zlen);
    } else {
        putf(&obj, ">>>>/Length %zu>>\nstream\n", cs.len);
        put(&obj, cs.p, cs.len);
    }
    put(&obj, "\nendstream\nendobj\n", 18);
    if (obj.failed || cs.failed)
        goto nomem;
    *out = obj.p;
    *outlen = obj.len;
    obj.p = NULL;
    rc = 0;
    goto done;

nomem:
    pledge_err_set(err, "draw the endorsement panel: out of memory");
done:
    for (i = 0; i < n; i++)
        free(text[i].c);
    free(title.c);
    free(cs.p);
    free(z);
    free(obj.p);
    return rc;
}
