/* packed.h - editing what a pledge's base holds in its object stream.
 *
 * A base keeps its dictionaries (the Info with its inputs record, the
 * catalog, the structure) compressed in one object stream, followed by
 * the cross-reference stream: the file's last two objects, then the
 * classic table of a hybrid-reference file.  A test that changes a
 * recorded byte inflates the object stream, lets fn edit it in place
 * (same length), and writes both streams again after the bytes before
 * them, which do not move, the cross-reference stream then the file's
 * only section (with the trailer's /Root, /Info and /ID).
 */
#ifndef PLEDGE_TESTS_PACKED_H
#define PLEDGE_TESTS_PACKED_H

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "../../src/pdf/pdfparse.h"

typedef void (*packed_fn)(unsigned char *d, size_t n, void *arg);

/* The body of stream dict (in the file data) inflated into a malloc'd
 * buffer: *n bytes. */
static unsigned char *packed_inflate(const unsigned char *data, size_t len,
                                     const pledge_pdf_obj *dict, size_t *n)
{
    const pledge_pdf_obj *l = pledge_pdf_dict_get(dict, "Length");
    const unsigned char *at = data + dict->end;
    uLongf out = 1 << 20;
    unsigned char *buf = malloc(out);

    ck_assert(buf != NULL && l != NULL && l->type == PLEDGE_PDF_INT);
    ck_assert(len - dict->end > 7 && memcmp(at, "stream\n", 7) == 0);
    ck_assert_int_eq(uncompress(buf, &out, at + 7, (uLong)l->u.i), Z_OK);
    *n = out;
    return buf;
}

static unsigned char *packed_deflate(const unsigned char *p, size_t n,
                                     size_t *zn)
{
    uLongf out = compressBound((uLong)n);
    unsigned char *z = malloc(out);

    ck_assert(z != NULL);
    ck_assert_int_eq(compress2(z, &out, p, (uLong)n, 9), Z_OK);
    *zn = out;
    return z;
}

/* Lets fn edit the object stream of the base *pdf (*len bytes), which is
 * replaced by the edited file. */
static void packed_edit(unsigned char **pdf, size_t *len, packed_fn fn,
                        void *arg)
{
    pledge_pdf *doc;
    pledge_err err;
    const pledge_pdf_obj *os, *xs, *w, *l;
    unsigned size;
    size_t ooff, xoff, on, xn, oz, xz, cap, out, row, k;
    unsigned char *ob, *xb, *oc, *xc, *res;
    int w1, w2;

    ck_assert_msg(pledge_pdf_open(&doc, *pdf, *len, &err) == 0, "%s",
                  err.msg);
    size = pledge_pdf_size(doc);
    ck_assert_int_eq(pledge_pdf_offset(doc, size - 2, &ooff, NULL), 0);
    ck_assert_int_eq(pledge_pdf_offset(doc, size - 1, &xoff, NULL), 0);
    ck_assert_int_eq(pledge_pdf_get(doc, size - 2, &os, &err), 0);
    ck_assert_int_eq(pledge_pdf_get(doc, size - 1, &xs, &err), 0);
    ck_assert(pledge_pdf_is_name(pledge_pdf_dict_get(os, "Type"), "ObjStm"));
    ck_assert(pledge_pdf_is_name(pledge_pdf_dict_get(xs, "Type"), "XRef"));
    ob = packed_inflate(*pdf, *len, os, &on);
    xb = packed_inflate(*pdf, *len, xs, &xn);
    fn(ob, on, arg);
    oc = packed_deflate(ob, on, &oz);
    cap = ooff + oz + xn + 1024;
    res = malloc(cap);
    ck_assert(res != NULL);
    memcpy(res, *pdf, ooff);
    out = ooff;
    out += (size_t)snprintf((char *)res + out, cap - out,
                            "%u 0 obj\n<</Type/ObjStm/N %lld/First %lld"
                            "/Filter/FlateDecode/Length %zu>>stream\n",
                            size - 2, pledge_pdf_dict_get(os, "N")->u.i,
                            pledge_pdf_dict_get(os, "First")->u.i, oz);
    memcpy(res + out, oc, oz);
    out += oz;
    out += (size_t)snprintf((char *)res + out, cap - out,
                            "\nendstream\nendobj\n");
    /* The cross-reference stream's entry for itself: its new offset. */
    w = pledge_pdf_dict_get(xs, "W");
    w1 = (int)w->u.arr.items[1]->u.i;
    w2 = (int)w->u.arr.items[2]->u.i;
    row = (size_t)(1 + w1 + w2) * (size - 1);
    ck_assert_uint_le(row + (size_t)(1 + w1 + w2), xn);
    ck_assert_uint_lt(out, (size_t)1 << (8 * w1));
    for (k = 0; k < (size_t)w1; k++)
        xb[row + 1 + k] = (unsigned char)(out >> (8 * (w1 - 1 - k)));
    xc = packed_deflate(xb, xn, &xz);
    xoff = out;
    l = pledge_pdf_dict_get(xs, "Length");
    out += (size_t)snprintf((char *)res + out, cap - out, "%u 0 obj\n",
                            size - 1);
    /* Its dictionary up to /Length, the last entry, as it was, and the
     * classic trailer's keys. */
    memcpy(res + out, *pdf + xs->start, l->start - xs->start - 8);
    out += l->start - xs->start - 8;
    for (k = 0; k < 3; k++) {
        static const char *const keys[] = { "Root", "Info", "ID" };
        const pledge_pdf_obj *v = pledge_pdf_dict_get(pledge_pdf_trailer(doc),
                                                      keys[k]);

        ck_assert(v != NULL);
        if (pledge_pdf_dict_get(xs, keys[k]) != NULL)
            continue;           /* a stream edited before has them */
        out += (size_t)snprintf((char *)res + out, cap - out, "/%s ",
                                keys[k]);
        memcpy(res + out, *pdf + v->start, v->end - v->start);
        out += v->end - v->start;
    }
    out += (size_t)snprintf((char *)res + out, cap - out,
                            "/Length %zu>>stream\n", xz);
    memcpy(res + out, xc, xz);
    out += xz;
    out += (size_t)snprintf((char *)res + out, cap - out,
                            "\nendstream\nendobj\nstartxref\n%zu\n%%%%EOF\n",
                            xoff);
    ck_assert_uint_lt(out, cap);
    pledge_pdf_close(doc);
    free(ob);
    free(xb);
    free(oc);
    free(xc);
    free(*pdf);
    *pdf = res;
    *len = out;
}

#endif
