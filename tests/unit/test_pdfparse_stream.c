/* test_pdfparse_stream.c - the reader's cross-reference streams and
 * object streams: a small file built here in the form a pledge's base
 * takes (two dictionaries in an object stream, then the object stream
 * and the cross-reference stream as objects of their own) opens and
 * resolves, a classic update over it wins, and each crafted fault is
 * refused with its reason.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "../../src/pdf/pdfparse.h"
#include "../../src/pledge.h"
#include "run_suite.h"
#include "testbuf.h"

/* Appends "num 0 obj <<dict/Length n>>stream\n" data (deflated unless
 * raw) "\nendstream\nendobj\n". */
static void put_stream(buf *b, unsigned num, const char *dict,
                       const unsigned char *data, size_t n, int raw)
{
    uLongf zn = compressBound((uLong)n);
    unsigned char *z = malloc(zn);

    ck_assert_ptr_nonnull(z);
    if (raw) {
        memcpy(z, data, n);
        zn = n;
    } else {
        ck_assert_int_eq(compress2(z, &zn, data, (uLong)n, 9), Z_OK);
    }
    putf(b, "%u 0 obj\n<<%s/Length %lu>>stream\n", num, dict,
         (unsigned long)zn);
    put(b, z, zn);
    putf(b, "\nendstream\nendobj\n");
    free(z);
}

/* What a test spoils; NULL or 0: as a good file has it. */
typedef struct {
    const char *ostm;           /* the object stream's decoded bytes */
    const char *odict;          /* its dictionary's entries */
    const char *xdict;          /* the xref stream's, but /Length */
    int spoil_num;              /* an entry to replace (0: none) */
    unsigned char type, f3;
    unsigned f2;
    size_t xextra;              /* bytes of zeros after the entries */
    int raw;                    /* the xref stream's data not deflated */
} spec;

#define OSTM "1 0 2 30 <</Type/Catalog/Pages 2 0 R>>\n" \
             "<</Type/Pages/Kids[]/Count 0/S(x)>>\n"
#define ODICT "/Type/ObjStm/N 2/First 9/Filter/FlateDecode"
#define XDICT "/Type/XRef/Size 5/W[1 2 1]/Root 1 0 R/Filter/FlateDecode"

/* Builds the file: objects 1 and 2 in object stream 3, the xref stream
 * 4.  Returns the object stream's offset. */
static size_t build(buf *b, const spec *s)
{
    const char *ostm = s->ostm != NULL ? s->ostm : OSTM;
    unsigned char rows[5 * 4 + 4096];
    size_t ooff, xoff, nrows = 5 * 4;
    unsigned i;

    memset(b, 0, sizeof *b);
    put(b, "%PDF-1.7\n", 9);
    ooff = b->len;
    put_stream(b, 3, s->odict != NULL ? s->odict : ODICT,
               (const unsigned char *)ostm, strlen(ostm), 0);
    xoff = b->len;
    memset(rows, 0, sizeof rows);
    for (i = 0; i < 5; i++) {
        unsigned char *r = rows + 4 * i;
        unsigned type = i == 0 ? 0 : i <= 2 ? 2 : 1;
        size_t f2 = i <= 2 ? (i == 0 ? 0 : 3) : i == 3 ? ooff : xoff;
        unsigned f3 = i <= 2 && i > 0 ? i - 1 : 0;

        if (s->spoil_num == (int)i) {
            type = s->type;
            f2 = s->f2;
            f3 = s->f3;
        }
        r[0] = (unsigned char)type;
        r[1] = (unsigned char)(f2 >> 8);
        r[2] = (unsigned char)f2;
        r[3] = (unsigned char)f3;
    }
    ck_assert_uint_le(s->xextra, sizeof rows - nrows);
    put_stream(b, 4, s->xdict != NULL ? s->xdict : XDICT, rows,
               nrows + s->xextra, s->raw);
    putf(b, "startxref\n%zu\n%%%%EOF\n", xoff);
    return ooff;
}

static pledge_pdf *open_ok(const buf *b)
{
    pledge_pdf *pdf = NULL;
    pledge_err err = { "" };

    ck_assert_msg(pledge_pdf_open(&pdf, b->p, b->len, &err) == 0,
                  "open: %s", err.msg);
    return pdf;
}

static void open_fails(const buf *b, const char *why)
{
    pledge_pdf *pdf = NULL;
    pledge_err err = { "" };

    ck_assert_int_eq(pledge_pdf_open(&pdf, b->p, b->len, &err), -1);
    ck_assert_ptr_null(pdf);
    ck_assert(err.msg[0] != '\0' && strchr(err.msg, '\n') == NULL);
    ck_assert_msg(strstr(err.msg, why) != NULL, "'%s' lacks '%s'", err.msg,
                  why);
}

/* The file opens, and getting object num fails naming why. */
static void get_fails(const buf *b, unsigned num, const char *why)
{
    pledge_pdf *pdf = open_ok(b);
    const pledge_pdf_obj *o;
    pledge_err err = { "" };

    ck_assert_int_eq(pledge_pdf_get(pdf, num, &o, &err), -1);
    ck_assert(err.msg[0] != '\0' && strchr(err.msg, '\n') == NULL);
    ck_assert_msg(strstr(err.msg, why) != NULL, "'%s' lacks '%s'", err.msg,
                  why);
    pledge_pdf_close(pdf);
}

static void open_spec_fails(const spec *s, const char *why)
{
    buf b;

    build(&b, s);
    open_fails(&b, why);
    free(b.p);
}

static void get_spec_fails(const spec *s, unsigned num, const char *why)
{
    buf b;

    build(&b, s);
    get_fails(&b, num, why);
    free(b.p);
}

START_TEST(good_file)
{
    spec s;
    buf b;
    pledge_pdf *pdf;
    pledge_err err = { "" };
    const pledge_pdf_obj *cat, *pages, *str, *again;
    size_t off;

    memset(&s, 0, sizeof s);
    build(&b, &s);
    pdf = open_ok(&b);
    ck_assert_uint_eq(pledge_pdf_size(pdf), 5);
    ck_assert_uint_eq(pledge_pdf_nsections(pdf), 1);
    ck_assert(pledge_pdf_is_name(pledge_pdf_dict_get(pledge_pdf_trailer(pdf),
                                                     "Type"), "XRef"));
    ck_assert_int_eq(pledge_pdf_resolve(pdf, pledge_pdf_dict_get(
                         pledge_pdf_trailer(pdf), "Root"), &cat, &err), 0);
    ck_assert(pledge_pdf_is_name(pledge_pdf_dict_get(cat, "Type"),
                                 "Catalog"));
    ck_assert_int_eq(pledge_pdf_resolve(pdf, pledge_pdf_dict_get(cat,
                                        "Pages"), &pages, &err), 0);
    /* Spans of an object from the stream lie beyond the file and read
     * through pledge_pdf_span(); it has no offset of its own. */
    str = pledge_pdf_dict_get(pages, "S");
    ck_assert_uint_gt(pages->start, b.len);
    ck_assert_int_eq(memcmp(pledge_pdf_span(pdf, pages), "<</Type/Pages",
                            13), 0);
    ck_assert_int_eq(memcmp(pledge_pdf_span(pdf, str), "(x)", 3), 0);
    ck_assert_int_eq(memcmp(pledge_pdf_span(pdf, cat), "<</Type/Catalog",
                            15), 0);
    ck_assert_int_eq(pledge_pdf_offset(pdf, 1, &off, NULL), -1);
    ck_assert(!pledge_pdf_in_file(pdf, 1) && pledge_pdf_in_file(pdf, 3));
    ck_assert_int_eq(pledge_pdf_offset(pdf, 3, &off, NULL), 0);
    ck_assert_int_eq(memcmp(b.p + off, "3 0 obj", 7), 0);
    ck_assert_int_eq(pledge_pdf_get(pdf, 1, &again, &err), 0);
    ck_assert_ptr_eq(again, cat);
    /* Its generation is 0. */
    {
        pledge_pdf_obj ref;

        memset(&ref, 0, sizeof ref);
        ref.type = PLEDGE_PDF_REF;
        ref.u.ref.num = 2;
        ref.u.ref.gen = 1;
        ck_assert_int_eq(pledge_pdf_resolve(pdf, &ref, &again, &err), -1);
        ck_assert_ptr_nonnull(strstr(err.msg, "generation 0"));
    }
    pledge_pdf_close(pdf);
    free(b.p);
}
END_TEST

/* A classic update over the stream: its entry wins, its /Prev leads to
 * the stream; a stream that is not the oldest section is refused. */
START_TEST(classic_update_over_stream)
{
    spec s;
    buf b;
    pledge_pdf *pdf;
    pledge_err err = { "" };
    const pledge_pdf_obj *cat;
    size_t xoff, o1, x1;

    memset(&s, 0, sizeof s);
    build(&b, &s);
    xoff = b.len - 1;
    while (memcmp(b.p + xoff, "startxref", 9) != 0)
        xoff--;
    xoff = strtoul((const char *)b.p + xoff + 10, NULL, 10);
    o1 = b.len;
    putf(&b, "1 0 obj\n<</Type/Catalog/Pages 2 0 R/New true>>\nendobj\n");
    x1 = b.len;
    putf(&b, "xref\n1 1\n%010zu 00000 n\r\ntrailer\n<</Size 5/Root 1 0 R"
         "/Prev %zu>>\nstartxref\n%zu\n%%%%EOF\n", o1, xoff, x1);
    pdf = open_ok(&b);
    ck_assert_uint_eq(pledge_pdf_nsections(pdf), 2);
    ck_assert_int_eq(pledge_pdf_get(pdf, 1, &cat, &err), 0);
    ck_assert_ptr_nonnull(pledge_pdf_dict_get(cat, "New"));
    ck_assert(pledge_pdf_in_file(pdf, 1) && !pledge_pdf_in_file(pdf, 2));
    pledge_pdf_close(pdf);
    free(b.p);

    s.xdict = XDICT "/Prev 9";
    open_spec_fails(&s, "not the file's oldest section (/Prev)");
}
END_TEST

/* build()'s file made hybrid, as a pledge's base is (ISO 32000-1
 * 7.5.8.4): its startxref dropped, a classic table of the objects in the
 * file follows, whose trailer names the stream (/XRefStm, base_stm: 0 for
 * none), then a classic update replacing object 1 whose trailer names
 * upd_stm (0: none; -1: no update).  *xoff gets the stream's offset. */
static void hybrid(buf *b, const spec *s, int base_stm, long upd_stm,
                   size_t *xoff)
{
    size_t ooff = build(b, s), tab, o1, x1, p;

    p = b->len - 1;
    while (memcmp(b->p + p, "startxref", 9) != 0)
        p--;
    *xoff = strtoul((const char *)b->p + p + 10, NULL, 10);
    b->len = p;
    tab = b->len;
    putf(b, "xref\n0 1\n0000000000 65535 f\r\n3 2\n%010zu 00000 n\r\n"
         "%010zu 00000 n\r\ntrailer\n<</Size 5/Root 1 0 R", ooff, *xoff);
    if (base_stm)
        putf(b, "/XRefStm %zu", *xoff);
    putf(b, ">>\nstartxref\n%zu\n%%%%EOF\n", tab);
    if (upd_stm < 0)
        return;
    o1 = b->len;
    putf(b, "1 0 obj\n<</Type/Catalog/Pages 2 0 R/New true>>\nendobj\n");
    x1 = b->len;
    putf(b, "xref\n1 1\n%010zu 00000 n\r\ntrailer\n<</Size 5/Root 1 0 R",
         o1);
    if (upd_stm > 0)
        putf(b, "/XRefStm %ld", upd_stm);
    putf(b, "/Prev %zu>>\nstartxref\n%zu\n%%%%EOF\n", tab, x1);
}

/* A hybrid-reference file: the table's objects from the table, the
 * rest from the stream its trailer names; an update's trailer may name
 * the same stream again, and no other; table and stream must agree. */
START_TEST(hybrid_file)
{
    spec s;
    buf b;
    pledge_pdf *pdf;
    pledge_err err = { "" };
    const pledge_pdf_obj *cat, *pages;
    size_t xoff;

    memset(&s, 0, sizeof s);
    hybrid(&b, &s, 1, -1, &xoff);
    pdf = open_ok(&b);
    ck_assert_uint_eq(pledge_pdf_nsections(pdf), 1);
    ck_assert_int_eq(pledge_pdf_get(pdf, 2, &pages, &err), 0);
    ck_assert(pledge_pdf_is_name(pledge_pdf_dict_get(pages, "Type"),
                                 "Pages"));
    ck_assert(pledge_pdf_in_file(pdf, 3) && !pledge_pdf_in_file(pdf, 2));
    pledge_pdf_close(pdf);
    free(b.p);

    /* An update naming the same stream: its object 1 wins. */
    hybrid(&b, &s, 1, 0, &xoff);
    free(b.p);
    hybrid(&b, &s, 1, (long)xoff, &xoff);
    pdf = open_ok(&b);
    ck_assert_uint_eq(pledge_pdf_nsections(pdf), 2);
    ck_assert_int_eq(pledge_pdf_get(pdf, 1, &cat, &err), 0);
    ck_assert_ptr_nonnull(pledge_pdf_dict_get(cat, "New"));
    ck_assert_int_eq(pledge_pdf_get(pdf, 2, &pages, &err), 0);
    pledge_pdf_close(pdf);
    free(b.p);

    /* An update naming another offset, or a stream the base lacks. */
    hybrid(&b, &s, 1, 20, &xoff);
    open_fails(&b, "an update's /XRefStm is not the oldest section's");
    free(b.p);
    hybrid(&b, &s, 0, 0, &xoff);
    free(b.p);
    hybrid(&b, &s, 0, (long)xoff, &xoff);
    open_fails(&b, "that the oldest section does not");
    free(b.p);

    /* The stream places the object stream elsewhere than the table. */
    s.spoil_num = 3;
    s.type = 1;
    s.f2 = 12;
    hybrid(&b, &s, 1, -1, &xoff);
    open_fails(&b, "it and the table disagree on an object");
    free(b.p);
    /* Or calls an object the table lists free one in use. */
    s.spoil_num = 0;
    s.type = 1;
    s.f2 = 12;
    hybrid(&b, &s, 1, -1, &xoff);
    open_fails(&b, "object 0 in use");
    free(b.p);
}
END_TEST

START_TEST(xref_stream_dictionary)
{
    static const struct {
        const char *xdict, *why;
    } bad[] = {
        { "/Type/XRef/Size 5/W[1 2]/Root 1 0 R/Filter/FlateDecode", "/W is" },
        { "/Type/XRef/Size 5/W[2 2 0]/Root 1 0 R/Filter/FlateDecode",
          "/W is" },
        { "/Type/XRef/Size 5/W[1 9 1]/Root 1 0 R/Filter/FlateDecode",
          "/W is" },
        { "/Type/XRef/Size 5/W[1 2 5]/Root 1 0 R/Filter/FlateDecode",
          "/W is" },
        { "/Type/XRef/Size 5/W[1 2 1]/Root 1 0 R", "/FlateDecode" },
        { "/Type/XRef/Size 5/W[1 2 1]/Root 1 0 R/Filter/LZWDecode",
          "/FlateDecode" },
        { XDICT "/DecodeParms<</Predictor 12/Columns 4>>", "/DecodeParms" },
        { "/Type/XRef/Size 5/W[1 2 1]/Index[0]/Root 1 0 R"
          "/Filter/FlateDecode", "/Index is not" },
        { "/Type/XRef/Size 5/W[1 2 1]/Index[0 3 2 2]/Root 1 0 R"
          "/Filter/FlateDecode", "/Index's subsections" },
        { "/Type/XRef/Size 5/W[1 2 1]/Index[0 6]/Root 1 0 R"
          "/Filter/FlateDecode", "beyond /Size" },
        { "/Type/XRef/Size 5/W[1 2 1]/Index[3 2 0 3]/Root 1 0 R"
          "/Filter/FlateDecode", "/Index's subsections" },
        { "/Type/XRef/Size 5/W[1 2 1]/Index[0 4]/Root 1 0 R"
          "/Filter/FlateDecode", "its data is not" },
        { "/Type/XRef/Size 9/W[1 2 1]/Root 1 0 R/Filter/FlateDecode",
          "its data is not" },
    };
    spec s;
    size_t i;

    memset(&s, 0, sizeof s);
    for (i = 0; i < sizeof bad / sizeof *bad; i++) {
        s.xdict = bad[i].xdict;
        open_spec_fails(&s, bad[i].why);
    }
    /* Every refusal says what it is about. */
    open_spec_fails(&s, "uses a cross-reference stream pledge does not read");
    memset(&s, 0, sizeof s);
    s.xextra = 4;
    open_spec_fails(&s, "its data is not /Index's entries");
    memset(&s, 0, sizeof s);
    s.raw = 1;
    open_spec_fails(&s, "not one zlib stream");
}
END_TEST

/* One xref entry spoilt: the object, its type and fields; the object
 * to get (0: the file must not open) and why it fails. */
typedef struct {
    int num;
    unsigned char type, f3;
    unsigned f2;
    unsigned get;
    const char *why;
} spoilt;

static void spoil_each(const spoilt *bad, size_t n)
{
    spec s;
    size_t i;

    for (i = 0; i < n; i++) {
        memset(&s, 0, sizeof s);
        s.spoil_num = bad[i].num;
        s.type = bad[i].type;
        s.f2 = bad[i].f2;
        s.f3 = bad[i].f3;
        if (bad[i].get == 0)
            open_spec_fails(&s, bad[i].why);
        else
            get_spec_fails(&s, bad[i].get, bad[i].why);
    }
}

START_TEST(xref_stream_entries)
{
    static const spoilt bad[] = {
        { 1, 3, 0, 0, 0, "a type other than 0, 1 or 2" },
        { 0, 1, 0, 9, 0, "object 0 in use" },
        { 3, 1, 0, 60000, 0, "beyond the end of the file" },
        { 1, 2, 0, 7, 0, "out of range" },
        { 1, 2, 0, 1, 0, "out of range" },          /* itself */
    };

    spoil_each(bad, sizeof bad / sizeof *bad);
}
END_TEST

/* The zlib data of a stream may not inflate beyond the reader's memory
 * limit, whatever its /Length. */
START_TEST(no_zip_bomb)
{
    size_t n = (size_t)64 << 20;
    unsigned char *zeros = calloc(n, 1);
    buf b;
    char dict[128];
    size_t xoff;

    ck_assert_ptr_nonnull(zeros);
    memset(&b, 0, sizeof b);
    put(&b, "%PDF-1.7\n", 9);
    xoff = b.len;
    snprintf(dict, sizeof dict, "/Type/XRef/Size 5/W[1 2 1]/Index[0 1]"
             "/Root 1 0 R/Filter/FlateDecode");
    put_stream(&b, 4, dict, zeros, n, 0);
    putf(&b, "startxref\n%zu\n%%%%EOF\n", xoff);
    ck_assert_uint_lt(b.len, n / 100);
    open_fails(&b, "bytes of memory to read");
    free(b.p);
    free(zeros);
}
END_TEST

START_TEST(type2_entries)
{
    static const spoilt bad[] = {
        /* The object stream is itself in an object stream, or free. */
        { 3, 2, 0, 4, 1, "is not an object in use in the file" },
        { 3, 0, 0, 0, 1, "is not an object in use in the file" },
        /* Not an object stream (the xref stream). */
        { 2, 2, 0, 4, 2, "is not an object stream" },
        /* An index beyond /N; another object at that index. */
        { 2, 2, 2, 3, 2, "does not hold it at index 2" },
        { 2, 2, 0, 3, 2, "does not hold it at index 0" },
    };

    spoil_each(bad, sizeof bad / sizeof *bad);
}
END_TEST

START_TEST(object_stream_rules)
{
    static const struct {
        const char *odict, *ostm, *why;
    } bad[] = {
        { ODICT "/Extends 4 0 R", NULL, "without /Extends" },
        { "/Type/ObjStm/N 2/First 9", NULL, "/FlateDecode" },
        { ODICT "/DecodeParms<<>>", NULL, "/DecodeParms" },
        { "/Type/ObjStm/N 0/First 9/Filter/FlateDecode", NULL,
          "/N or /First" },
        { "/Type/ObjStm/N 2/First 900/Filter/FlateDecode", NULL,
          "/N or /First" },
        { "/Type/ObjStm/N 3/First 9/Filter/FlateDecode", NULL,
          "not /N pairs" },
        { NULL, "1 1 2 31  <</Type/Catalog/Pages 2 0 R>>\n"
          "<</Type/Pages/Kids[]/Count 0/S(x)>>\n",
          "does not start at /First" },
        { "/Type/ObjStm/N 1/First 9/Filter/FlateDecode", NULL,
          "not /N pairs" },
        /* Offsets that do not ascend; numbers that do not (one object
         * listed twice). */
        { NULL, "1 0 2 0  <</Type/Catalog/Pages 2 0 R>>\n"
          "<</Type/Pages/Kids[]/Count 0/S(x)>>\n", "not ascending" },
        { NULL, "1 0 1 30 <</Type/Catalog/Pages 2 0 R>>\n"
          "<</Type/Pages/Kids[]/Count 0/S(x)>>\n", "not ascending" },
        { NULL, "2 0 1 30 <</Type/Catalog/Pages 2 0 R>>\n"
          "<</Type/Pages/Kids[]/Count 0/S(x)>>\n", "not ascending" },
        { NULL, "1 0 9 30 <</Type/Catalog/Pages 2 0 R>>\n"
          "<</Type/Pages/Kids[]/Count 0/S(x)>>\n", "within /Size" },
        { NULL, "1 0 3 30 <</Type/Catalog/Pages 2 0 R>>\n"
          "<</Type/Pages/Kids[]/Count 0/S(x)>>\n", "not ascending" },
        { NULL, "1 0 2 99 <</Type/Catalog/Pages 2 0 R>>\n"
          "<</Type/Pages/Kids[]/Count 0/S(x)>>\n", "not /N pairs" },
        /* A value running on. */
        { NULL, "1 0 2 30 <</Type/Catalog/Pages 2 0 R>>1\n"
          "<</Type/Pages/Kids[]/Count 0/S(x)>>\n", "more after" },
        { NULL, "1 0 2 30 <</Type/Catalog/Pages 2 0 R  \n"
          "<</Type/Pages/Kids[]/Count 0/S(x)>>\n", "in object stream 3" },
    };
    spec s;
    size_t i;

    for (i = 0; i < sizeof bad / sizeof *bad; i++) {
        memset(&s, 0, sizeof s);
        s.odict = bad[i].odict;
        s.ostm = bad[i].ostm;
        get_spec_fails(&s, 1, bad[i].why);
    }
    /* A stream refused is decoded once: its other objects are refused
     * without decoding it again. */
    {
        buf b;
        pledge_pdf *pdf;
        const pledge_pdf_obj *o;
        pledge_err err = { "" };

        memset(&s, 0, sizeof s);
        s.odict = "/Type/ObjStm/N 2/First 9";
        build(&b, &s);
        pdf = open_ok(&b);
        ck_assert_int_eq(pledge_pdf_get(pdf, 1, &o, &err), -1);
        ck_assert_ptr_nonnull(strstr(err.msg, "/FlateDecode"));
        ck_assert_int_eq(pledge_pdf_get(pdf, 2, &o, &err), -1);
        ck_assert_ptr_nonnull(strstr(err.msg, "object stream 3 was refused"));
        pledge_pdf_close(pdf);
        free(b.p);
    }
    /* A stream inside the object stream. */
    memset(&s, 0, sizeof s);
    s.ostm = "1 0 2 30 <</Type/Catalog/Pages 2 0 R>>\n"
             "<</Length 2>>stream\nxx\nendstream\n";
    get_spec_fails(&s, 2, "a stream after its value");
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("pdfparse_stream");
    TCase *t = tcase_create("streams");

    tcase_add_test(t, good_file);
    tcase_add_test(t, classic_update_over_stream);
    tcase_add_test(t, hybrid_file);
    tcase_add_test(t, xref_stream_dictionary);
    tcase_add_test(t, xref_stream_entries);
    tcase_add_test(t, no_zip_bomb);
    tcase_add_test(t, type2_entries);
    tcase_add_test(t, object_stream_rules);
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    return run_suite(suite());
}
