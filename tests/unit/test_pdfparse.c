/* test_pdfparse.c - the strict PDF reader: values and their spans, xref
 * chains, and damaged files.
 *
 * Every parse reads a heap copy of exactly the bytes under test, so that
 * AddressSanitizer catches a read one byte past the end (a string literal
 * would hide it behind its NUL).  Small PDFs are built here with their
 * offsets taken from the builder as it writes, never typed in by hand;
 * the real one is a pledge rendered through the public API.
 */
#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/pdf/pdfparse.h"
#include "../../src/pledge.h"
#include "run_suite.h"
#include "testbuf.h"

/* Check's ck_assert_* report every passing check through a pipe, which
 * costs a system call; the loops that parse thousands of damaged files
 * check with this instead, which costs nothing until it fails. */
#define require(cond) \
    do { \
        if (!(cond)) \
            ck_abort_msg("%s:%d: failed: %s", __FILE__, __LINE__, #cond); \
    } while (0)

/* ---- building PDFs ---------------------------------------------------- */

/* The offset of the first s in b at or after from (which must exist). */
static size_t find(const buf *b, const char *s, size_t from)
{
    size_t n = strlen(s), i;

    for (i = from; i + n <= b->len; i++)
        if (memcmp(b->p + i, s, n) == 0)
            return i;
    ck_abort_msg("'%s' not found", s);
    return 0;
}

/* Overwrites b at the first `from` after at with `to` of the same length. */
static void patch(buf *b, size_t at, const char *from, const char *to)
{
    ck_assert_uint_eq(strlen(from), strlen(to));
    memcpy(b->p + find(b, from, at), to, strlen(to));
}

typedef struct {
    unsigned num;
    const char *body;           /* NULL: a free entry */
} tobj;

#define PREV_NONE ((size_t)-1)
#define PREV_SELF ((size_t)-2)

/* Appends objs (ascending by num) as "num 0 obj ... endobj", then a
 * classic xref section listing them, each run of consecutive numbers in
 * one subsection; head adds object 0, the head of the free list.  Every
 * entry ends in the two bytes eol.  Then the trailer << /Size size /Prev
 * prev extra >> (no /Prev for PREV_NONE, its own offset for PREV_SELF)
 * and the tail.  Returns the section's offset; offs[num] (if offs is not
 * NULL) gets each object's. */
static size_t add_section(buf *b, const tobj *objs, size_t n, int head,
                          const char *eol, unsigned size, size_t prev,
                          const char *extra, size_t *offs)
{
    struct {
        unsigned num, gen;
        size_t off;
        char type;
    } e[32];
    size_t m = 0, i, j, k, xoff;

    ck_assert_uint_lt(n, 31);
    if (head) {
        e[m].num = 0;
        e[m].gen = 65535;
        e[m].off = 0;
        e[m++].type = 'f';
    }
    for (i = 0; i < n; i++) {
        e[m].num = objs[i].num;
        e[m].gen = 0;
        e[m].off = 0;
        e[m].type = 'f';
        if (objs[i].body != NULL) {
            e[m].off = b->len;
            e[m].type = 'n';
            if (offs != NULL)
                offs[objs[i].num] = b->len;
            putf(b, "%u 0 obj\n%s\nendobj\n", objs[i].num, objs[i].body);
        }
        m++;
    }
    xoff = b->len;
    put(b, "xref\n", 5);
    for (i = 0; i < m; i = j + 1) {
        for (j = i; j + 1 < m && e[j + 1].num == e[j].num + 1; j++)
            ;
        putf(b, "%u %zu\n", e[i].num, j - i + 1);
        for (k = i; k <= j; k++) {
            putf(b, "%010zu %05u %c", e[k].off, e[k].gen, e[k].type);
            put(b, eol, 2);
        }
    }
    putf(b, "trailer\n<< /Size %u", size);
    if (prev != PREV_NONE)
        putf(b, " /Prev %zu", prev == PREV_SELF ? xoff : prev);
    putf(b, " %s >>\nstartxref\n%zu\n%%%%EOF\n", extra, xoff);
    return xoff;
}

static const tobj base_objs[] = {
    { 1, "<< /Type /Catalog /Pages 2 0 R >>" },
    { 2, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>" },
    { 3, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792]\n"
         "   /Contents 5 0 R >>" },
    { 4, "<< /Producer (hand) /Title <FEFF0041> >>" },
    { 5, "<< /Length 6 >>\nstream\nBT ET\n\nendstream" },
};
#define NBASE (sizeof base_objs / sizeof base_objs[0])

/* A one-section PDF of base_objs with /Size 6.  Returns the xref offset. */
static size_t make_base(buf *b, const char *eol, size_t *offs)
{
    memset(b, 0, sizeof *b);
    put(b, "%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", 15);
    return add_section(b, base_objs, NBASE, 1, eol, 6, PREV_NONE,
                       "/Root 1 0 R /Info 4 0 R", offs);
}

/* Replaces everything from the last "startxref" with a tail giving off. */
static void set_startxref(buf *b, size_t off)
{
    size_t at = 0, i;

    for (i = 0; i + 9 <= b->len; i++)
        if (memcmp(b->p + i, "startxref", 9) == 0)
            at = i;
    ck_assert_uint_gt(at, 0);
    b->len = at;
    putf(b, "startxref\n%zu\n%%%%EOF\n", off);
}

/* ---- reading ---------------------------------------------------------- */

static unsigned char *copy_exact(const void *s, size_t n)
{
    unsigned char *p = malloc(n > 0 ? n : 1);

    require(p != NULL);
    memcpy(p, s, n);
    return p;
}

/* Every failure must leave a message of one line. */
static void check_msg(const pledge_err *err)
{
    if (err->msg[0] == '\0')
        ck_abort_msg("failure without a message");
    if (strchr(err->msg, '\n') != NULL)
        ck_abort_msg("two lines: %s", err->msg);
}

static pledge_pdf *open_ok(const buf *b, unsigned char **copy)
{
    pledge_pdf *pdf = NULL;
    pledge_err err = { "" };

    *copy = copy_exact(b->p, b->len);
    ck_assert_msg(pledge_pdf_open(&pdf, *copy, b->len, &err) == 0,
                  "open: %s", err.msg);
    ck_assert_ptr_nonnull(pdf);
    return pdf;
}

/* Asserts that opening b fails with a message containing why. */
static void open_fails(const buf *b, const char *why)
{
    pledge_pdf *pdf = NULL;
    pledge_err err = { "" };
    unsigned char *copy = copy_exact(b->p, b->len);

    ck_assert_int_eq(pledge_pdf_open(&pdf, copy, b->len, &err), -1);
    ck_assert_ptr_null(pdf);
    check_msg(&err);
    ck_assert_msg(strstr(err.msg, why) != NULL, "'%s' lacks '%s'", err.msg,
                  why);
    free(copy);
}

/* Parses the value in s; *copy keeps the bytes the spans refer to. */
static pledge_pdf_obj *value_ok(const char *s, size_t *end)
{
    pledge_pdf_obj *o = NULL;
    pledge_err err = { "" };
    unsigned char *copy = copy_exact(s, strlen(s));

    ck_assert_msg(pledge_pdf_parse_value(copy, strlen(s), 0, &o, end,
                                         &err) == 0,
                  "parse '%s': %s", s, err.msg);
    free(copy);
    ck_assert_ptr_nonnull(o);
    ck_assert_uint_le(o->end, strlen(s));
    return o;
}

static void value_fails(const char *s, const char *why)
{
    pledge_pdf_obj *o = NULL;
    pledge_err err = { "" };
    size_t end = 12345;
    unsigned char *copy = copy_exact(s, strlen(s));

    ck_assert_msg(pledge_pdf_parse_value(copy, strlen(s), 0, &o, &end,
                                         &err) == -1, "'%s' parsed", s);
    free(copy);
    ck_assert_ptr_null(o);
    ck_assert_uint_eq(end, 12345);
    check_msg(&err);
    ck_assert_msg(strstr(err.msg, why) != NULL, "'%s': '%s' lacks '%s'", s,
                  err.msg, why);
}

/* Asserts that o spans exactly the first occurrence of text in s. */
static void check_span(const pledge_pdf_obj *o, const char *s,
                       const char *text)
{
    const char *at = strstr(s, text);

    ck_assert_ptr_nonnull(at);
    ck_assert_uint_eq(o->start, (size_t)(at - s));
    ck_assert_uint_eq(o->end, (size_t)(at - s) + strlen(text));
}

static void check_bytes(const pledge_pdf_obj *o, pledge_pdf_type type,
                        const void *bytes, size_t n)
{
    ck_assert_int_eq(o->type, type);
    ck_assert_uint_eq(o->u.s.len, n);
    ck_assert_mem_eq(o->u.s.p, bytes, n);
    ck_assert_int_eq(o->u.s.p[n], 0);
}

/* ---- walking everything reachable ------------------------------------- */

typedef struct {
    pledge_pdf *pdf;
    unsigned char *seen;
    unsigned *todo;
    size_t ntodo, reached, nerr;
} walker;

static void scan_refs(walker *w, const pledge_pdf_obj *o)
{
    const pledge_pdf_obj *t;
    pledge_err err = { "" };
    size_t i;

    switch (o->type) {
    case PLEDGE_PDF_ARRAY:
        for (i = 0; i < o->u.arr.n; i++)
            scan_refs(w, o->u.arr.items[i]);
        break;
    case PLEDGE_PDF_DICT:
        for (i = 0; i < o->u.dict.n; i++)
            scan_refs(w, o->u.dict.entries[i].val);
        break;
    case PLEDGE_PDF_REF:
        if (pledge_pdf_resolve(w->pdf, o, &t, &err) < 0) {
            check_msg(&err);
            w->nerr++;
        } else if (!w->seen[o->u.ref.num]) {
            require(t != NULL);
            require(t->type != PLEDGE_PDF_REF);
            w->seen[o->u.ref.num] = 1;
            w->todo[w->ntodo++] = o->u.ref.num;
        }
        break;
    default:
        break;
    }
}

/* Opens data[0..len) and resolves everything reachable from the trailer,
 * asserting only that every step succeeds or fails cleanly.  Returns the
 * number of objects reached, or -1 if the file did not open; *nerr (if
 * not NULL) gets the number of references that did not resolve. */
static long walk(const unsigned char *data, size_t len, size_t *nerr)
{
    walker w;
    pledge_err err = { "" };
    const pledge_pdf_obj *o, *again;
    unsigned size;

    memset(&w, 0, sizeof w);
    if (pledge_pdf_open(&w.pdf, data, len, &err) < 0) {
        check_msg(&err);
        require(w.pdf == NULL);
        return -1;
    }
    size = pledge_pdf_size(w.pdf);
    require(size > 0);
    require(pledge_pdf_tail_end(w.pdf) <= len);
    require(pledge_pdf_startxref(w.pdf) < len);
    w.seen = calloc(size, 1);
    w.todo = malloc(size * sizeof *w.todo);
    require(w.seen != NULL && w.todo != NULL);
    scan_refs(&w, pledge_pdf_trailer(w.pdf));
    while (w.ntodo > 0) {
        unsigned num = w.todo[--w.ntodo];

        require(pledge_pdf_get(w.pdf, num, &o, &err) == 0);
        require(pledge_pdf_get(w.pdf, num, &again, &err) == 0);
        require(o == again);
        w.reached++;
        scan_refs(&w, o);
    }
    if (nerr != NULL)
        *nerr = w.nerr;
    free(w.seen);
    free(w.todo);
    pledge_pdf_close(w.pdf);
    return (long)w.reached;
}

/* ---- values ----------------------------------------------------------- */

START_TEST(every_type_with_its_span)
{
    const char *s =
        "  % a comment\n"
        "<< /Int -42 /Real -.5 /Name /Na#6De#20x /Str (a(b)c) /Hex <41 42\n"
        " 4> /Arr [true false null 1.25] /Ref 12 3 R /Sub<</K 0>>>> tail";
    pledge_pdf_obj *d;
    const pledge_pdf_obj *v;
    size_t end;

    d = value_ok(s, &end);
    ck_assert_int_eq(d->type, PLEDGE_PDF_DICT);
    ck_assert_uint_eq(d->start, (size_t)(strstr(s, "<<") - s));
    ck_assert_uint_eq(d->end, (size_t)(strstr(s, " tail") - s));
    ck_assert_uint_eq(end, d->end);
    ck_assert_uint_eq(d->u.dict.n, 8);
    ck_assert_str_eq(d->u.dict.entries[0].key, "Int");
    ck_assert_uint_eq(d->u.dict.entries[0].keylen, 3);
    ck_assert_str_eq(d->u.dict.entries[7].key, "Sub");

    v = pledge_pdf_dict_get(d, "Int");
    ck_assert_int_eq(v->type, PLEDGE_PDF_INT);
    ck_assert_int_eq(v->u.i, -42);
    check_span(v, s, "-42");
    v = pledge_pdf_dict_get(d, "Real");
    ck_assert_int_eq(v->type, PLEDGE_PDF_REAL);
    ck_assert_double_eq(v->u.r, -0.5);
    check_span(v, s, "-.5");
    v = pledge_pdf_dict_get(d, "Name");
    check_bytes(v, PLEDGE_PDF_NAME, "Name x", 6);
    check_span(v, s, "/Na#6De#20x");
    ck_assert(pledge_pdf_is_name(v, "Name x"));
    ck_assert(!pledge_pdf_is_name(v, "Name"));
    v = pledge_pdf_dict_get(d, "Str");
    check_bytes(v, PLEDGE_PDF_STRING, "a(b)c", 5);
    check_span(v, s, "(a(b)c)");
    v = pledge_pdf_dict_get(d, "Hex");
    check_bytes(v, PLEDGE_PDF_HEX, "AB@", 3);
    ck_assert_int_eq(s[v->start], '<');
    ck_assert_int_eq(s[v->end - 1], '>');
    check_span(v, s, "<41 42\n 4>");
    v = pledge_pdf_dict_get(d, "Arr");
    ck_assert_int_eq(v->type, PLEDGE_PDF_ARRAY);
    check_span(v, s, "[true false null 1.25]");
    ck_assert_uint_eq(v->u.arr.n, 4);
    ck_assert_int_eq(v->u.arr.items[0]->type, PLEDGE_PDF_BOOL);
    ck_assert_int_eq(v->u.arr.items[0]->u.b, 1);
    check_span(v->u.arr.items[0], s, "true");
    ck_assert_int_eq(v->u.arr.items[1]->type, PLEDGE_PDF_BOOL);
    ck_assert_int_eq(v->u.arr.items[1]->u.b, 0);
    check_span(v->u.arr.items[1], s, "false");
    ck_assert_int_eq(v->u.arr.items[2]->type, PLEDGE_PDF_NULL);
    check_span(v->u.arr.items[2], s, "null");
    ck_assert_double_eq(v->u.arr.items[3]->u.r, 1.25);
    v = pledge_pdf_dict_get(d, "Ref");
    ck_assert_int_eq(v->type, PLEDGE_PDF_REF);
    ck_assert_uint_eq(v->u.ref.num, 12);
    ck_assert_uint_eq(v->u.ref.gen, 3);
    check_span(v, s, "12 3 R");
    v = pledge_pdf_dict_get(d, "Sub");
    ck_assert_int_eq(v->type, PLEDGE_PDF_DICT);
    check_span(v, s, "<</K 0>>");
    ck_assert_int_eq(pledge_pdf_dict_get(v, "K")->u.i, 0);

    ck_assert_ptr_null(pledge_pdf_dict_get(d, "Missing"));
    ck_assert_ptr_null(pledge_pdf_dict_get(d, "In"));
    ck_assert_ptr_null(pledge_pdf_dict_get(v->u.dict.entries[0].val, "K"));
    ck_assert_ptr_null(pledge_pdf_dict_get(NULL, "K"));
    ck_assert(!pledge_pdf_is_name(NULL, "K"));
    pledge_pdf_obj_free(d);
}
END_TEST

START_TEST(string_escapes)
{
    /* Escapes of ISO 32000-1 table 3: three-digit octal stops after three
     * digits; an unknown escape drops the backslash; backslash-EOL
     * continues the line; a bare CR or CR LF inside reads as LF. */
    const char *s = "(a\\n\\r\\t\\b\\f\\(\\)\\\\\\101\\7\\0053\\q\\\nb"
                    "\\\r\nc(n)\r\nd\re\\)\\377)";
    const char want[] = "a\n\r\t\b\f()\\A\a\0053qbc(n)\nd\ne)\377";
    pledge_pdf_obj *o;
    size_t end;

    o = value_ok(s, &end);
    check_bytes(o, PLEDGE_PDF_STRING, want, sizeof want - 1);
    ck_assert_uint_eq(end, strlen(s));
    pledge_pdf_obj_free(o);

    o = value_ok("()", &end);
    check_bytes(o, PLEDGE_PDF_STRING, "", 0);
    pledge_pdf_obj_free(o);
    o = value_ok("<>", &end);
    check_bytes(o, PLEDGE_PDF_HEX, "", 0);
    pledge_pdf_obj_free(o);
    o = value_ok("<6 1\t6\r2>", &end);
    check_bytes(o, PLEDGE_PDF_HEX, "ab", 2);
    pledge_pdf_obj_free(o);
    o = value_ok("/", &end);
    check_bytes(o, PLEDGE_PDF_NAME, "", 0);
    pledge_pdf_obj_free(o);

    value_fails("(abc", "unterminated string");
    value_fails("(a(b)", "unterminated string");
    value_fails("(abc\\)", "unterminated string");
    value_fails("(abc\\", "unterminated string");
    value_fails("<41", "unterminated hex string");
    value_fails("<4G>", "hex string");
    value_fails("/a#4", "two hex digits");
    value_fails("/a#4g", "two hex digits");
    value_fails("/a#", "two hex digits");
    value_fails("/a#00", "#00");
}
END_TEST

START_TEST(numbers)
{
    static const struct {
        const char *s;
        long long i;
    } ints[] = {
        { "0", 0 }, { "+17", 17 }, { "-0", 0 }, { "007", 7 },
        { "9007199254740992", 9007199254740992LL },
        { "-9007199254740992", -9007199254740992LL },
    };
    static const struct {
        const char *s;
        double r;
    } reals[] = {
        { "1.5", 1.5 }, { "-.25", -0.25 }, { "3.", 3.0 }, { "+.5", 0.5 },
        { "-002.750", -2.75 },
    };
    pledge_pdf_obj *o;
    size_t i, end;

    for (i = 0; i < sizeof ints / sizeof ints[0]; i++) {
        o = value_ok(ints[i].s, &end);
        ck_assert_int_eq(o->type, PLEDGE_PDF_INT);
        ck_assert_int_eq(o->u.i, ints[i].i);
        ck_assert_uint_eq(end, strlen(ints[i].s));
        pledge_pdf_obj_free(o);
    }
    for (i = 0; i < sizeof reals / sizeof reals[0]; i++) {
        o = value_ok(reals[i].s, &end);
        ck_assert_int_eq(o->type, PLEDGE_PDF_REAL);
        ck_assert_double_eq(o->u.r, reals[i].r);
        pledge_pdf_obj_free(o);
    }
    value_fails("9007199254740993", "out of range");
    value_fails("-9007199254740993", "out of range");
    value_fails("99999999999999999999999", "out of range");
    value_fails("1.2.3", "malformed number");
    value_fails("12abc", "malformed number");
    value_fails("--1", "malformed number");
    value_fails(".", "malformed number");
    value_fails("-", "malformed number");
    value_fails("6.02E23", "malformed number");
    value_fails("16#FF", "malformed number");
}
END_TEST

START_TEST(references)
{
    const char *s = "[1 0 R 2 5 R 3 4 7 % c\n 0 R 8 0 R]";
    pledge_pdf_obj *o;
    size_t end;

    o = value_ok(s, &end);
    ck_assert_uint_eq(o->u.arr.n, 6);
    ck_assert_int_eq(o->u.arr.items[0]->type, PLEDGE_PDF_REF);
    check_span(o->u.arr.items[0], s, "1 0 R");
    ck_assert_uint_eq(o->u.arr.items[1]->u.ref.num, 2);
    ck_assert_uint_eq(o->u.arr.items[1]->u.ref.gen, 5);
    ck_assert_int_eq(o->u.arr.items[2]->type, PLEDGE_PDF_INT);
    ck_assert_int_eq(o->u.arr.items[3]->type, PLEDGE_PDF_INT);
    ck_assert_int_eq(o->u.arr.items[4]->type, PLEDGE_PDF_REF);
    check_span(o->u.arr.items[4], s, "7 % c\n 0 R");
    ck_assert_uint_eq(o->u.arr.items[5]->u.ref.num, 8);
    pledge_pdf_obj_free(o);

    /* "Rx" is not R: the first integer stands alone. */
    o = value_ok("1 0 Rx", &end);
    ck_assert_int_eq(o->type, PLEDGE_PDF_INT);
    ck_assert_uint_eq(end, 1);
    pledge_pdf_obj_free(o);
    o = value_ok("-1 0 R", &end);
    ck_assert_int_eq(o->type, PLEDGE_PDF_INT);
    pledge_pdf_obj_free(o);
    value_fails("[-1 0 R]", "unexpected 'R'");
    value_fails("[1 0.0 R]", "unexpected 'R'");
    value_fails("0 0 R", "out of range");
    value_fails("1 65536 R", "out of range");
    value_fails("8388608 0 R", "out of range");
}
END_TEST

START_TEST(keywords_and_delimiters)
{
    value_fails("truex", "unexpected 'truex'");
    value_fails("nul", "unexpected 'nul'");
    value_fails("endobj", "unexpected 'endobj'");
    value_fails("[1 obj]", "unexpected 'obj'");
    value_fails(")", "unexpected ')'");
    value_fails("]", "unexpected ']'");
    value_fails("{1}", "unexpected '{'");
    value_fails(">", "unexpected '>'");
    value_fails("  % only a comment", "end of data");
    value_fails("", "end of data");
    value_fails("\x01", "unexpected '?'");
}
END_TEST

START_TEST(containers)
{
    value_fails("[1 2", "unterminated array");
    value_fails("<< /A 1", "unterminated dictionary");
    value_fails("<< /A", "end of data");
    value_fails("<< /A 1 >", "'>' where '>>'");
    value_fails("<< /A >>", "unexpected '>'");
    value_fails("<< 1 2 >>", "not a name");
    value_fails("<< (A) 2 >>", "not a name");
    value_fails("<< /A 1 /B 2 /A 3 >>", "key /A twice");
    value_fails("<< /k0 0 /k1 1 /k2 2 /k3 3 /k4 4 /k5 5 /k6 6 /k7 7 /k8 8 "
                "/k9 9 /k5 10 /k10 11 >>", "key /k5 twice");
    /* Keys are compared decoded. */
    value_fails("<< /AB 1 /A#42 2 >>", "twice");
}
END_TEST

START_TEST(many_keys)
{
    pledge_pdf_obj *o;
    size_t end;
    char key[8];
    int i;
    buf b;

    /* Enough keys to be checked by sorting rather than pairwise. */
    memset(&b, 0, sizeof b);
    put(&b, "<<", 2);
    for (i = 0; i < 40; i++)
        putf(&b, " /k%d %d", (i * 17) % 40, i);
    put(&b, " >>", 4);                  /* with its NUL: a C string */
    o = value_ok((const char *)b.p, &end);
    ck_assert_uint_eq(o->u.dict.n, 40);
    for (i = 0; i < 40; i++) {
        snprintf(key, sizeof key, "k%d", (i * 17) % 40);
        ck_assert_int_eq(pledge_pdf_dict_get(o, key)->u.i, i);
    }
    pledge_pdf_obj_free(o);
    b.len -= 4;
    put(&b, " /k39 0 >>", 11);
    value_fails((const char *)b.p, "key /k39 twice");
    free(b.p);
}
END_TEST

/* Parses n nested containers, open then close, each "[" or "<< /k". */
static int nested(size_t n, int dicts, pledge_err *err)
{
    buf b;
    pledge_pdf_obj *o = NULL;
    size_t i, end;
    unsigned char *copy;
    int rc;

    memset(&b, 0, sizeof b);
    for (i = 0; i < n; i++)
        put(&b, dicts ? "<</k" : "[", dicts ? 4 : 1);
    put(&b, " 0", 2);
    for (i = 0; i < n; i++)
        put(&b, dicts ? ">>" : "]", dicts ? 2 : 1);
    copy = copy_exact(b.p, b.len);
    rc = pledge_pdf_parse_value(copy, b.len, 0, &o, &end, err);
    if (rc == 0)
        ck_assert_uint_eq(end, b.len);
    pledge_pdf_obj_free(o);
    free(copy);
    free(b.p);
    return rc;
}

START_TEST(nesting_limit)
{
    pledge_err err = { "" };

    ck_assert_int_eq(nested(PLEDGE_PDF_MAX_DEPTH, 0, &err), 0);
    ck_assert_int_eq(nested(PLEDGE_PDF_MAX_DEPTH, 1, &err), 0);
    ck_assert_int_eq(nested(PLEDGE_PDF_MAX_DEPTH + 1, 0, &err), -1);
    ck_assert_ptr_nonnull(strstr(err.msg, "nested deeper than 64"));
    err.msg[0] = '\0';
    ck_assert_int_eq(nested(PLEDGE_PDF_MAX_DEPTH + 1, 1, &err), -1);
    ck_assert_ptr_nonnull(strstr(err.msg, "nested deeper than 64"));
    /* Deep enough to overflow the stack were depth not checked. */
    ck_assert_int_eq(nested(200000, 0, &err), -1);
}
END_TEST

/* An array of n zeros: n + 1 values. */
static int zeros(size_t n, pledge_err *err)
{
    buf b;
    pledge_pdf_obj *o = NULL;
    size_t i, end;
    unsigned char *copy;
    int rc;

    memset(&b, 0, sizeof b);
    put(&b, "[", 1);
    for (i = 0; i < n; i++)
        put(&b, "0 ", 2);
    put(&b, "]", 1);
    copy = copy_exact(b.p, b.len);
    rc = pledge_pdf_parse_value(copy, b.len, 0, &o, &end, err);
    if (rc == 0)
        ck_assert_uint_eq(o->u.arr.n, n);
    pledge_pdf_obj_free(o);
    free(copy);
    free(b.p);
    return rc;
}

START_TEST(value_limit)
{
    pledge_err err = { "" };

    ck_assert_int_eq(zeros(PLEDGE_PDF_MAX_VALUES - 1, &err), 0);
    ck_assert_int_eq(zeros(PLEDGE_PDF_MAX_VALUES, &err), -1);
    ck_assert_ptr_nonnull(strstr(err.msg, "more than 1000000 values"));
}
END_TEST

START_TEST(parse_value_positions)
{
    const char *s = "1 0 obj\n<< /A [1] >>\nendobj";
    unsigned char *copy = copy_exact(s, strlen(s));
    pledge_pdf_obj *o = NULL;
    pledge_err err = { "" };
    size_t end = 0, pos = (size_t)(strstr(s, "<<") - s);

    ck_assert_int_eq(pledge_pdf_parse_value(copy, strlen(s), 7, &o, &end,
                                            &err), 0);
    ck_assert_int_eq(o->type, PLEDGE_PDF_DICT);
    ck_assert_uint_eq(o->start, pos);
    ck_assert_uint_eq(end, (size_t)(strstr(s, "\nendobj") - s));
    pledge_pdf_obj_free(o);
    o = NULL;
    ck_assert_int_eq(pledge_pdf_parse_value(copy, strlen(s), strlen(s), &o,
                                            &end, &err), -1);
    ck_assert_int_eq(pledge_pdf_parse_value(copy, strlen(s), strlen(s) + 1,
                                            &o, &end, &err), -1);
    ck_assert_ptr_null(o);
    free(copy);
}
END_TEST

/* ---- files ------------------------------------------------------------ */

START_TEST(xref_entries_each_eol)
{
    static const char *const eols[] = { " \n", " \r", "\r\n" };
    size_t e, i, offs[8], off, sec;
    buf b;

    for (e = 0; e < 3; e++) {
        unsigned char *copy;
        pledge_pdf *pdf;
        const pledge_pdf_obj *o, *again;
        pledge_err err = { "" };
        size_t xoff = make_base(&b, eols[e], offs);

        pdf = open_ok(&b, &copy);
        ck_assert_uint_eq(pledge_pdf_nsections(pdf), 1);
        ck_assert_uint_eq(pledge_pdf_size(pdf), 6);
        ck_assert_uint_eq(pledge_pdf_startxref(pdf), xoff);
        ck_assert_uint_eq(pledge_pdf_tail_end(pdf), b.len);
        ck_assert_int_eq(pledge_pdf_offset(pdf, 0, &off, &sec), -1);
        ck_assert_int_eq(pledge_pdf_offset(pdf, 6, &off, &sec), -1);
        for (i = 0; i < NBASE; i++) {
            unsigned num = base_objs[i].num;

            off = sec = 99;
            ck_assert_int_eq(pledge_pdf_offset(pdf, num, &off, &sec), 0);
            ck_assert_uint_eq(off, offs[num]);
            ck_assert_uint_eq(sec, 0);
            ck_assert_msg(pledge_pdf_get(pdf, num, &o, &err) == 0, "%s",
                          err.msg);
            ck_assert_int_eq(o->type, PLEDGE_PDF_DICT);
            ck_assert_int_eq(copy[o->start], '<');
            ck_assert_int_eq(copy[o->end - 1], '>');
            ck_assert_int_eq(pledge_pdf_get(pdf, num, &again, &err), 0);
            ck_assert_ptr_eq(o, again);
        }
        ck_assert_int_eq(pledge_pdf_get(pdf, 0, &o, &err), -1);
        ck_assert_ptr_nonnull(strstr(err.msg, "free"));
        ck_assert_int_eq(pledge_pdf_get(pdf, 6, &o, &err), -1);
        ck_assert_ptr_nonnull(strstr(err.msg, "beyond /Size"));
        pledge_pdf_close(pdf);
        free(copy);
        free(b.p);
    }
}
END_TEST

START_TEST(bad_xref_entries)
{
    buf b;
    size_t x, offs[8];
    char digits[16];

    x = make_base(&b, " \n", offs);
    patch(&b, x, "00000 n", "00000 x");
    open_fails(&b, "malformed xref entry for object 1");
    free(b.p);

    x = make_base(&b, " \n", offs);
    patch(&b, x, "00000 n \n", "00000 n\n ");
    open_fails(&b, "malformed xref entry for object 1");
    free(b.p);

    x = make_base(&b, "\r\n", offs);
    snprintf(digits, sizeof digits, "%010zu", offs[3]);
    patch(&b, x, digits, " 000000000");
    open_fails(&b, "malformed xref entry for object 3");
    free(b.p);

    x = make_base(&b, " \n", offs);
    patch(&b, x, "0000000000 65535 f", "0000000000 65535 n");
    open_fails(&b, "object 0 in use");
    free(b.p);

    x = make_base(&b, " \n", offs);
    snprintf(digits, sizeof digits, "%010zu", offs[2]);
    patch(&b, x, digits, "9000000000");
    open_fails(&b, "beyond the end of the file");
    free(b.p);

    /* Subsections claiming more entries than there are. */
    x = make_base(&b, " \n", offs);
    patch(&b, x, "0 6\n", "0 7\n");
    open_fails(&b, "malformed xref entry for object 6");
    free(b.p);

    x = make_base(&b, " \n", offs);
    b.len = find(&b, "trailer", x) - 3 * 20;
    putf(&b, "startxref\n%zu\n%%%%EOF\n", x);
    open_fails(&b, "truncated xref subsection");
    free(b.p);

    x = make_base(&b, " \n", offs);
    patch(&b, x, "xref\n0 6", "xref\n0 x");
    open_fails(&b, "malformed xref subsection header");
    free(b.p);

    x = make_base(&b, " \n", offs);
    patch(&b, x, "trailer", "trailor");
    open_fails(&b, "expected an xref subsection or 'trailer'");
    free(b.p);
}
END_TEST

/* A file of two objects: a catalog, and object 2 holding body. */
static void make_big(buf *b, const char *body, size_t n)
{
    size_t o1, o2, x;

    memset(b, 0, sizeof *b);
    put(b, "%PDF-1.7\n", 9);
    o1 = b->len;
    putf(b, "1 0 obj\n<< /Type /Catalog /Big 2 0 R >>\nendobj\n");
    o2 = b->len;
    put(b, "2 0 obj\n", 8);
    put(b, body, n);
    put(b, "\nendobj\n", 9);
    x = b->len;
    putf(b, "xref\n0 3\n0000000000 65535 f \n%010zu 00000 n \n"
         "%010zu 00000 n \ntrailer\n<< /Size 3 /Root 1 0 R >>\n"
         "startxref\n%zu\n%%%%EOF\n", o1, o2, x);
}

START_TEST(memory_is_bounded)
{
    /* 1 MB of empty names in one array took 72 MB before the reader had
     * a limit; now it stops at a small multiple of the file's size. */
    size_t n = 1 << 20, limit;
    char *body = malloc(n + 2);
    const pledge_pdf_obj *o;
    pledge_pdf *pdf;
    pledge_err err = { "" };
    unsigned char *copy;
    buf b;

    ck_assert_ptr_nonnull(body);
    body[0] = '[';
    memset(body + 1, '/', n);
    body[n + 1] = ']';
    make_big(&b, body, n + 2);
    pdf = open_ok(&b, &copy);
    limit = pledge_pdf_memory_limit(pdf);
    ck_assert_uint_eq(limit, PLEDGE_PDF_MEM_BASE +
                      PLEDGE_PDF_MEM_PER_BYTE * b.len);
    ck_assert_int_eq(pledge_pdf_get(pdf, 2, &o, &err), -1);
    ck_assert_msg(strstr(err.msg, "more than a PDF of its size ever "
                         "does") != NULL, "%s", err.msg);
    /* Values and tables within the limit; the parse stack at most as
     * much again. */
    ck_assert_uint_le(pledge_pdf_memory(pdf), 2 * limit);
    ck_assert_uint_le(pledge_pdf_memory(pdf), 10 * b.len);
    /* Asking again fails the same way and holds no more. */
    ck_assert_int_eq(pledge_pdf_get(pdf, 2, &o, &err), -1);
    ck_assert_ptr_nonnull(strstr(err.msg, "bytes of memory"));
    ck_assert_uint_le(pledge_pdf_memory(pdf), 2 * limit);
    /* The catalog still reads. */
    ck_assert_int_eq(pledge_pdf_get(pdf, 1, &o, &err), 0);
    pledge_pdf_close(pdf);
    free(copy);
    free(b.p);

    /* The same bytes as one string cost no more than they are. */
    body[0] = '(';
    body[n + 1] = ')';
    make_big(&b, body, n + 2);
    pdf = open_ok(&b, &copy);
    ck_assert_msg(pledge_pdf_get(pdf, 2, &o, &err) == 0, "%s", err.msg);
    ck_assert_uint_le(pledge_pdf_memory(pdf), 2 * b.len);
    pledge_pdf_close(pdf);
    free(copy);
    free(b.p);
    free(body);
}
END_TEST

START_TEST(size_bounded_by_memory)
{
    /* /Size may not exceed the file, nor make tables past the limit. */
    const tobj one = { 1, "<< /Type /Catalog >>" };
    char pad[4096];
    buf b;
    size_t i;

    memset(&b, 0, sizeof b);
    put(&b, "%PDF-1.7\n", 9);
    memset(pad, ' ', sizeof pad);
    for (i = 0; i < 600; i++)          /* 2.4 MB of comment */
        put(&b, "%", 1), put(&b, pad, sizeof pad - 2), put(&b, "\n", 1);
    add_section(&b, &one, 1, 1, " \n", 2000000, PREV_NONE, "", NULL);
    open_fails(&b, "/Size 2000000 needs more than");
    free(b.p);
}
END_TEST

START_TEST(trailer_size)
{
    static const struct {
        const char *size, *why;
    } bad[] = {
        { "/Size 5", "beyond /Size 5" },
        { "/Size 0", "/Size 0 out of range" },
        { "/Size -6", "out of range" },
        { "/Size 8388608", "out of range" },
        { "/Size 6.0", "integer /Size" },
        { "/Sise 6", "integer /Size" },
    };
    const tobj one = { 1, "<< /Type /Catalog >>" };
    size_t i;
    buf b;

    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        size_t x = make_base(&b, " \n", NULL);

        b.len = find(&b, "/Size 6", x);
        putf(&b, "%s >>\nstartxref\n%zu\n%%%%EOF\n", bad[i].size, x);
        open_fails(&b, bad[i].why);
        free(b.p);
    }
    /* /Size no larger than the file, however the xref agrees with it. */
    memset(&b, 0, sizeof b);
    put(&b, "%PDF-1.7\n", 9);
    add_section(&b, &one, 1, 1, " \n", 100000, PREV_NONE, "", NULL);
    open_fails(&b, "/Size 100000 out of range");
    free(b.p);
}
END_TEST

START_TEST(header_and_tail)
{
    static const struct {
        const char *eof;
        size_t extra;           /* bytes of tail_end past "%%EOF" */
    } tails[] = {
        { "%%EOF", 0 }, { "%%EOF\n", 1 }, { "%%EOF\r\n", 2 },
        { "%%EOF\r", 1 }, { "%%EOF\n\n", 1 }, { "%%EOF\r\r", 1 },
        { "%%EOF  ", 0 },
    };
    size_t i, x;
    buf b;

    for (i = 0; i < sizeof tails / sizeof tails[0]; i++) {
        pledge_pdf *pdf;
        unsigned char *copy;
        size_t at;

        x = make_base(&b, " \n", NULL);
        b.len = find(&b, "%%EOF", x);
        at = b.len;
        put(&b, tails[i].eof, strlen(tails[i].eof));
        pdf = open_ok(&b, &copy);
        ck_assert_uint_eq(pledge_pdf_tail_end(pdf), at + 5 + tails[i].extra);
        pledge_pdf_close(pdf);
        free(copy);
        free(b.p);
    }

    x = make_base(&b, " \n", NULL);
    b.p[1] = 'p';
    open_fails(&b, "no %PDF- header");
    free(b.p);

    x = make_base(&b, " \n", NULL);
    b.len -= 2;
    open_fails(&b, "no '%%EOF' after startxref");
    free(b.p);

    /* "startxref" more than 1024 bytes from the end is not looked for. */
    x = make_base(&b, " \n", NULL);
    for (i = 0; i < 1100; i++)
        put(&b, " ", 1);
    open_fails(&b, "no 'startxref' in the last 1024 bytes");
    free(b.p);

    x = make_base(&b, " \n", NULL);
    set_startxref(&b, b.len + 5);
    open_fails(&b, "beyond the end of the file");
    free(b.p);

    x = make_base(&b, " \n", NULL);
    b.len = find(&b, "startxref", x);
    putf(&b, "xstartxref\n%zu\n%%%%EOF\n", x);
    open_fails(&b, "inside another word");
    free(b.p);

    open_fails(&(buf){ (unsigned char *)"%PDF-", 5, 5 }, "startxref");
}
END_TEST

START_TEST(startxref_wrong_place)
{
    size_t x, offs[8];
    buf b;

    /* One byte before or after "xref": the reader must not search. */
    x = make_base(&b, " \n", offs);
    set_startxref(&b, x - 1);
    open_fails(&b, "no 'xref' at offset");
    free(b.p);

    x = make_base(&b, " \n", offs);
    set_startxref(&b, x + 1);
    open_fails(&b, "no 'xref' at offset");
    free(b.p);

    x = make_base(&b, " \n", offs);
    set_startxref(&b, offs[1]);
    open_fails(&b, "expected 'xref'");
    free(b.p);

    x = make_base(&b, " \n", offs);
    set_startxref(&b, 0);
    open_fails(&b, "no 'xref' at offset 0");
    free(b.p);
}
END_TEST

START_TEST(xref_stream_refused)
{
    buf b;
    size_t off;

    memset(&b, 0, sizeof b);
    put(&b, "%PDF-1.5\n", 9);
    putf(&b, "1 0 obj\n<< /Type /Catalog >>\nendobj\n");
    off = b.len;
    putf(&b, "2 0 obj\n<< /Type /XRef /Size 3 /W [1 2 1] /Root 1 0 R "
         "/Length 0 >>\nstream\n\nendstream\nendobj\n");
    putf(&b, "startxref\n%zu\n%%%%EOF\n", off);
    open_fails(&b, "uses a cross-reference stream");
    free(b.p);

    /* A hybrid file whose classic table defers to what is not an xref
     * stream. */
    memset(&b, 0, sizeof b);
    put(&b, "%PDF-1.5\n", 9);
    add_section(&b, base_objs, NBASE, 1, " \n", 6, PREV_NONE,
                "/Root 1 0 R /XRefStm 5", NULL);
    open_fails(&b, "where /XRefStm points: not a cross-reference stream");
    free(b.p);

    /* An older section that is a stream, but not one pledge reads (no
     * /FlateDecode). */
    memset(&b, 0, sizeof b);
    put(&b, "%PDF-1.5\n", 9);
    off = b.len;
    putf(&b, "1 0 obj\n<< /Type /XRef /Size 3 /W [1 2 1] /Length 0 >>\n"
         "stream\n\nendstream\nendobj\n");
    add_section(&b, base_objs + 1, 1, 1, " \n", 6, off, "", NULL);
    open_fails(&b, "uses a cross-reference stream");
    free(b.p);
}
END_TEST

START_TEST(incremental_update)
{
    const tobj upd[] = {
        { 3, NULL },
        { 4, "<< /Producer (new) >>" },
        { 6, "<< /Type /Annot >>" },
        { 7, "[6 0 R 2 0 R]" },
    };
    size_t x0, x1, offs[8], off, sec;
    const pledge_pdf_obj *o, *p, *t;
    pledge_err err = { "" };
    unsigned char *copy;
    pledge_pdf *pdf;
    buf b;

    x0 = make_base(&b, " \n", offs);
    x1 = add_section(&b, upd, 4, 0, "\r\n", 8, x0,
                     "/Root 1 0 R /Info 4 0 R", offs);
    pdf = open_ok(&b, &copy);
    ck_assert_uint_eq(pledge_pdf_nsections(pdf), 2);
    ck_assert_uint_eq(pledge_pdf_startxref(pdf), x1);
    ck_assert_uint_eq(pledge_pdf_size(pdf), 8);
    ck_assert_int_eq(pledge_pdf_dict_get(pledge_pdf_trailer(pdf),
                                         "Prev")->u.i, (long long)x0);

    ck_assert_int_eq(pledge_pdf_offset(pdf, 4, &off, &sec), 0);
    ck_assert_uint_eq(off, offs[4]);
    ck_assert_uint_eq(sec, 0);
    ck_assert_uint_gt(off, x0);
    ck_assert_int_eq(pledge_pdf_offset(pdf, 1, &off, &sec), 0);
    ck_assert_uint_eq(off, offs[1]);
    ck_assert_uint_eq(sec, 1);
    ck_assert_int_eq(pledge_pdf_offset(pdf, 5, NULL, &sec), 0);
    ck_assert_uint_eq(sec, 1);
    ck_assert_int_eq(pledge_pdf_offset(pdf, 7, &off, NULL), 0);
    ck_assert_uint_eq(off, offs[7]);
    /* The update frees object 3, which the older section has in use. */
    ck_assert_int_eq(pledge_pdf_offset(pdf, 3, &off, &sec), -1);
    ck_assert_int_eq(pledge_pdf_get(pdf, 3, &o, &err), -1);
    ck_assert_ptr_nonnull(strstr(err.msg, "free"));

    ck_assert_int_eq(pledge_pdf_resolve(pdf, pledge_pdf_dict_get(
        pledge_pdf_trailer(pdf), "Info"), &o, &err), 0);
    p = pledge_pdf_dict_get(o, "Producer");
    check_bytes(p, PLEDGE_PDF_STRING, "new", 3);
    ck_assert_int_eq(copy[p->start], '(');
    ck_assert_uint_gt(p->start, x0);

    ck_assert_int_eq(pledge_pdf_get(pdf, 7, &o, &err), 0);
    ck_assert_int_eq(pledge_pdf_resolve(pdf, o->u.arr.items[1], &t, &err),
                     0);
    ck_assert(pledge_pdf_is_name(pledge_pdf_dict_get(t, "Type"), "Pages"));
    /* Page 3 is gone, so the /Kids of the old /Pages does not resolve. */
    ck_assert_int_eq(pledge_pdf_resolve(pdf, pledge_pdf_dict_get(t, "Kids")
                                        ->u.arr.items[0], &o, &err), -1);
    ck_assert_ptr_nonnull(strstr(err.msg, "reference 3 0 R"));
    pledge_pdf_close(pdf);
    free(copy);
    free(b.p);
}
END_TEST

START_TEST(update_rules)
{
    const tobj upd[] = { { 4, "<< >>" } };
    const tobj big[] = { { 9, "<< >>" } };
    const tobj twice[] = { { 4, "<< >>" }, { 4, "<< /X 1 >>" } };
    size_t x0, x1;
    buf b;

    /* Object 9 in the older section, beyond the newest /Size. */
    x0 = make_base(&b, " \n", NULL);
    x1 = add_section(&b, big, 1, 0, " \n", 10, x0, "", NULL);
    add_section(&b, upd, 1, 0, " \n", 9, x1, "", NULL);
    open_fails(&b, "lists object 9, beyond /Size 9");
    free(b.p);

    x0 = make_base(&b, " \n", NULL);
    add_section(&b, twice, 2, 0, " \n", 6, x0, "", NULL);
    open_fails(&b, "lists object 4 twice");
    free(b.p);

    x0 = make_base(&b, " \n", NULL);
    add_section(&b, upd, 1, 0, " \n", 6, 1u << 30, "", NULL);
    open_fails(&b, "not an offset in the file");
    free(b.p);

    x0 = make_base(&b, " \n", NULL);
    add_section(&b, upd, 1, 0, " \n", 6, PREV_NONE, "/Prev (0)", NULL);
    open_fails(&b, "not an offset in the file");
    free(b.p);
}
END_TEST

START_TEST(prev_loops)
{
    const tobj upd[] = { { 4, "<< /Producer (new) >>" } };
    size_t x0, x1;
    char digits[32];
    buf b;

    x0 = make_base(&b, " \n", NULL);
    add_section(&b, upd, 1, 0, " \n", 6, PREV_SELF, "", NULL);
    open_fails(&b, "loop");
    free(b.p);

    /* Two sections pointing at each other. */
    memset(&b, 0, sizeof b);
    put(&b, "%PDF-1.7\n", 9);
    x0 = add_section(&b, base_objs, NBASE, 1, " \n", 6, PREV_NONE,
                     "/Prev 0000000000", NULL);
    x1 = add_section(&b, upd, 1, 0, " \n", 6, x0, "", NULL);
    snprintf(digits, sizeof digits, "/Prev %010zu", x1);
    patch(&b, x0, "/Prev 0000000000", digits);
    open_fails(&b, "loop");
    free(b.p);

    /* 257 sections, each a fine update of the one before. */
    x0 = make_base(&b, " \n", NULL);
    for (x1 = 0; x1 < PLEDGE_PDF_MAX_SECTIONS; x1++)
        x0 = add_section(&b, upd, 1, 0, " \n", 6, x0, "", NULL);
    open_fails(&b, "more than 256 xref sections");
    free(b.p);
}
END_TEST

START_TEST(objects_at_offsets)
{
    size_t x, offs[8];
    const pledge_pdf_obj *o;
    pledge_err err = { "" };
    unsigned char *copy;
    pledge_pdf *pdf;
    buf b;

    x = make_base(&b, " \n", offs);
    patch(&b, 0, "2 0 obj", "3 0 obj");
    patch(&b, 0, "4 0 obj", "4 1 obj");
    b.p[offs[1] + 8] = '[';                 /* "<<" becomes "[<" */
    patch(&b, offs[5], "endobj", "endobx");
    pdf = open_ok(&b, &copy);
    ck_assert_int_eq(pledge_pdf_get(pdf, 2, &o, &err), -1);
    ck_assert_ptr_nonnull(strstr(err.msg, "holds object 3 0, not 2 0"));
    ck_assert_int_eq(pledge_pdf_get(pdf, 4, &o, &err), -1);
    ck_assert_ptr_nonnull(strstr(err.msg, "holds object 4 1, not 4 0"));
    /* A broken object stays broken when asked for again. */
    ck_assert_int_eq(pledge_pdf_get(pdf, 1, &o, &err), -1);
    ck_assert_ptr_nonnull(strstr(err.msg, "object 1: "));
    err.msg[0] = '\0';
    ck_assert_int_eq(pledge_pdf_get(pdf, 1, &o, &err), -1);
    ck_assert_ptr_nonnull(strstr(err.msg, "byte 0x2f in a hex string"));
    /* A stream object needs only its dictionary and "stream". */
    ck_assert_int_eq(pledge_pdf_get(pdf, 5, &o, &err), 0);
    ck_assert_int_eq(pledge_pdf_dict_get(o, "Length")->u.i, 6);
    ck_assert_int_eq(pledge_pdf_get(pdf, 3, &o, &err), 0);
    pledge_pdf_close(pdf);
    free(copy);
    (void)x;
    free(b.p);
}
END_TEST

/* Opens a one-object file whose object 1 has body, and gets object 1. */
static int get_body(const char *body, pledge_err *err)
{
    const tobj one = { 1, body };
    const pledge_pdf_obj *o;
    unsigned char *copy;
    pledge_pdf *pdf;
    buf b;
    int rc;

    memset(&b, 0, sizeof b);
    put(&b, "%PDF-1.7\n", 9);
    add_section(&b, &one, 1, 1, " \n", 2, PREV_NONE, "", NULL);
    pdf = open_ok(&b, &copy);
    rc = pledge_pdf_get(pdf, 1, &o, err);
    pledge_pdf_close(pdf);
    free(copy);
    free(b.p);
    return rc;
}

START_TEST(object_bodies)
{
    pledge_err err = { "" };

    ck_assert_int_eq(get_body("42", &err), 0);
    ck_assert_int_eq(get_body("<< >> stream\r\nxx\nendstream", &err), 0);
    ck_assert_int_eq(get_body("(a) % comment", &err), 0);
    ck_assert_int_eq(get_body("", &err), -1);
    ck_assert_ptr_nonnull(strstr(err.msg, "unexpected 'endobj'"));
    ck_assert_int_eq(get_body("1 2", &err), -1);
    ck_assert_ptr_nonnull(strstr(err.msg, "expected 'endobj'"));
    ck_assert_int_eq(get_body("[1] stream\nx\nendstream", &err), -1);
    ck_assert_ptr_nonnull(strstr(err.msg, "stream without a dictionary"));
    ck_assert_int_eq(get_body("<< >> stream x\nendstream", &err), -1);
    ck_assert_ptr_nonnull(strstr(err.msg, "no end of line after 'stream'"));
    ck_assert_int_eq(get_body("<< >> stream\rx\nendstream", &err), -1);
    ck_assert_int_eq(get_body("<< /A (unterminated >>", &err), -1);
    ck_assert_ptr_nonnull(strstr(err.msg, "object 1: "));
}
END_TEST

START_TEST(resolve_rules)
{
    const tobj objs[] = {
        { 1, "<< /Type /Catalog /A 2 0 R /B 3 0 R /C 2 1 R /D 4 0 R "
             "/E 9 0 R /F 5 0 R /G 6 0 R >>" },
        { 2, "<< /Type /Thing >>" },
        { 3, "2 0 R" },
        { 4, NULL },
        { 6, "<< /A [1 >>" },
    };
    const pledge_pdf_obj *cat, *o;
    pledge_err err = { "" };
    unsigned char *copy;
    pledge_pdf *pdf;
    buf b;

    memset(&b, 0, sizeof b);
    put(&b, "%PDF-1.7\n", 9);
    add_section(&b, objs, 5, 1, " \n", 7, PREV_NONE, "/Root 1 0 R", NULL);
    pdf = open_ok(&b, &copy);
    ck_assert_int_eq(pledge_pdf_resolve(pdf, pledge_pdf_dict_get(
        pledge_pdf_trailer(pdf), "Root"), &cat, &err), 0);
    ck_assert(pledge_pdf_is_name(pledge_pdf_dict_get(cat, "Type"),
                                 "Catalog"));
    /* Not a reference: itself. */
    ck_assert_int_eq(pledge_pdf_resolve(pdf, cat, &o, &err), 0);
    ck_assert_ptr_eq(o, cat);
    ck_assert_int_eq(pledge_pdf_resolve(pdf, pledge_pdf_dict_get(cat, "A"),
                                        &o, &err), 0);
    ck_assert(pledge_pdf_is_name(pledge_pdf_dict_get(o, "Type"), "Thing"));
    o = NULL;
    ck_assert_int_eq(pledge_pdf_resolve(pdf, pledge_pdf_dict_get(cat, "B"),
                                        &o, &err), -1);
    ck_assert_ptr_nonnull(strstr(err.msg, "a reference to a reference"));
    ck_assert_int_eq(pledge_pdf_resolve(pdf, pledge_pdf_dict_get(cat, "C"),
                                        &o, &err), -1);
    ck_assert_ptr_nonnull(strstr(err.msg, "generation"));
    ck_assert_int_eq(pledge_pdf_resolve(pdf, pledge_pdf_dict_get(cat, "D"),
                                        &o, &err), -1);
    ck_assert_ptr_nonnull(strstr(err.msg, "free"));
    ck_assert_int_eq(pledge_pdf_resolve(pdf, pledge_pdf_dict_get(cat, "E"),
                                        &o, &err), -1);
    ck_assert_ptr_nonnull(strstr(err.msg, "beyond /Size"));
    ck_assert_int_eq(pledge_pdf_resolve(pdf, pledge_pdf_dict_get(cat, "F"),
                                        &o, &err), -1);
    ck_assert_ptr_nonnull(strstr(err.msg, "not in the xref"));
    ck_assert_int_eq(pledge_pdf_resolve(pdf, pledge_pdf_dict_get(cat, "G"),
                                        &o, &err), -1);
    ck_assert_ptr_nonnull(strstr(err.msg, "reference 6 0 R: object 6: "));
    ck_assert_ptr_null(o);
    pledge_pdf_close(pdf);
    free(copy);
    free(b.p);
}
END_TEST

/* Every prefix of data, each in a heap block of exactly its length. */
static void truncate_all(const unsigned char *data, size_t len,
                         const size_t *value_at, size_t nvalues)
{
    size_t k, i, end, opened = 0;

    for (k = 0; k <= len; k++) {
        unsigned char *copy = copy_exact(data, k);
        pledge_err err = { "" };

        if (walk(copy, k, NULL) >= 0)
            opened++;
        for (i = 0; i < nvalues; i++) {
            pledge_pdf_obj *o = NULL;

            if (pledge_pdf_parse_value(copy, k, value_at[i], &o, &end,
                                       &err) == 0)
                require(end <= k);
            else
                check_msg(&err);
            pledge_pdf_obj_free(o);
        }
        free(copy);
    }
    /* The whole file, and the file without its final EOL, open. */
    ck_assert_uint_ge(opened, 2);
}

START_TEST(truncated_small)
{
    const tobj upd[] = { { 4, "<< /Producer (new \\(x\\)) /T <0a0B> >>" } };
    size_t offs[8], at[8], i, x;
    buf b;

    x = make_base(&b, " \n", offs);
    add_section(&b, upd, 1, 0, " \n", 6, x, "/Root 1 0 R /Info 4 0 R",
                offs);
    for (i = 1; i <= 5; i++)
        at[i - 1] = offs[i] + strlen("1 0 obj");
    truncate_all(b.p, b.len, at, 5);
    free(b.p);
}
END_TEST

/* ---- a real pledge ---------------------------------------------------- */

static unsigned char *pledge;
static size_t pledge_len;

/* Renders once, outside the forked tests, for all of them. */
static void render_pledge(void)
{
    pledge_engine *eng = NULL;
    pledge_layout *lay = NULL;
    pledge_err err = { "" };
    pledge_person person = { "Jane Doe", "PhD", "M-17", "2024-01-02" };
    pledge_render_opts opts;

    memset(&opts, 0, sizeof opts);
    opts.epoch = 1704153600;

    ck_assert_msg(pledge_engine_open(&eng, PLEDGE_SRCDIR, &err) == 0, "%s",
                  err.msg);
    ck_assert_msg(pledge_layout_load(&lay, PLEDGE_SRCDIR
                                     "/layouts/vaimh-code.md", &err) == 0,
                  "%s", err.msg);
    ck_assert_msg(pledge_render_pdf(eng, lay, &person, &opts, &pledge,
                                    &pledge_len, &err) == 0, "%s", err.msg);
    pledge_layout_free(lay);
    pledge_engine_close(eng);
}

static void free_pledge(void)
{
    free(pledge);
}

/* Counts the leaves of the page tree under node. */
static long count_pages(pledge_pdf *pdf, const pledge_pdf_obj *node,
                        int depth)
{
    const pledge_pdf_obj *kids, *kid;
    pledge_err err = { "" };
    long n = 0;
    size_t i;

    ck_assert_int_lt(depth, 16);
    if (pledge_pdf_is_name(pledge_pdf_dict_get(node, "Type"), "Page"))
        return 1;
    ck_assert(pledge_pdf_is_name(pledge_pdf_dict_get(node, "Type"),
                                 "Pages"));
    kids = pledge_pdf_dict_get(node, "Kids");
    ck_assert_int_eq(pledge_pdf_resolve(pdf, kids, &kids, &err), 0);
    ck_assert_int_eq(kids->type, PLEDGE_PDF_ARRAY);
    for (i = 0; i < kids->u.arr.n; i++) {
        ck_assert_msg(pledge_pdf_resolve(pdf, kids->u.arr.items[i], &kid,
                                         &err) == 0, "%s", err.msg);
        n += count_pages(pdf, kid, depth + 1);
    }
    ck_assert_int_eq(pledge_pdf_dict_get(node, "Count")->u.i, n);
    return n;
}

START_TEST(real_pledge)
{
    const pledge_pdf_obj *t, *root, *info, *pages, *who;
    pledge_err err = { "" };
    pledge_pdf *pdf = NULL;
    unsigned char *copy = copy_exact(pledge, pledge_len);
    size_t nerr = 99;
    unsigned num, inuse = 0, stm = 0;

    ck_assert_msg(pledge_pdf_open(&pdf, copy, pledge_len, &err) == 0, "%s",
                  err.msg);
    ck_assert_uint_eq(pledge_pdf_tail_end(pdf), pledge_len);
    t = pledge_pdf_trailer(pdf);
    ck_assert_msg(pledge_pdf_resolve(pdf, pledge_pdf_dict_get(t, "Root"),
                                     &root, &err) == 0, "%s", err.msg);
    ck_assert_int_eq(root->type, PLEDGE_PDF_DICT);
    ck_assert(pledge_pdf_is_name(pledge_pdf_dict_get(root, "Type"),
                                 "Catalog"));
    ck_assert_msg(pledge_pdf_resolve(pdf, pledge_pdf_dict_get(t, "Info"),
                                     &info, &err) == 0, "%s", err.msg);
    who = pledge_pdf_dict_get(info, "Producer");
    if (who == NULL)
        who = pledge_pdf_dict_get(info, "Creator");
    ck_assert_ptr_nonnull(who);
    ck_assert(who->type == PLEDGE_PDF_STRING || who->type == PLEDGE_PDF_HEX);
    ck_assert_uint_gt(who->u.s.len, 0);
    ck_assert_msg(pledge_pdf_resolve(pdf, pledge_pdf_dict_get(root, "Pages"),
                                     &pages, &err) == 0, "%s", err.msg);
    ck_assert_int_gt(count_pages(pdf, pages, 0), 0);
    /* Every object in use parses: in the file, or in the object stream
     * (no offset of its own). */
    for (num = 0; num < pledge_pdf_size(pdf); num++) {
        const pledge_pdf_obj *o;

        if (pledge_pdf_get(pdf, num, &o, &err) < 0)
            continue;
        inuse++;
        ck_assert_int_eq(pledge_pdf_offset(pdf, num, NULL, NULL) == 0,
                         pledge_pdf_in_file(pdf, num));
        ck_assert_ptr_nonnull(pledge_pdf_span(pdf, o));
        ck_assert_int_eq(pledge_pdf_in_file(pdf, num), o->end <= pledge_len);
        stm += !pledge_pdf_in_file(pdf, num);
    }
    ck_assert_uint_gt(stm, 50);
    pledge_pdf_close(pdf);

    /* Everything reachable parses, and every object is reachable but the
     * object stream and the cross-reference stream, which the xref finds. */
    ck_assert_int_eq(walk(copy, pledge_len, &nerr), (long)inuse - 2);
    ck_assert_uint_eq(nerr, 0);
    free(copy);
}
END_TEST

START_TEST(truncated_real)
{
    truncate_all(pledge, pledge_len, NULL, 0);
}
END_TEST

/* Marks the bytes of the pledge's stream bodies that the reader never
 * decodes (all but the object stream and the cross-reference stream):
 * from the end of line after "stream", /Length bytes, which "endstream"
 * must follow. */
static unsigned char *stream_bytes(size_t *nstreams)
{
    unsigned char *map = calloc(pledge_len, 1);
    const pledge_pdf_obj *o, *n;
    pledge_err err = { "" };
    pledge_pdf *pdf = NULL;
    unsigned num;

    ck_assert_ptr_nonnull(map);
    ck_assert_int_eq(pledge_pdf_open(&pdf, pledge, pledge_len, &err), 0);
    *nstreams = 0;
    for (num = 1; num < pledge_pdf_size(pdf); num++) {
        size_t p, q;

        if (pledge_pdf_offset(pdf, num, NULL, NULL) < 0)
            continue;
        ck_assert_int_eq(pledge_pdf_get(pdf, num, &o, &err), 0);
        for (p = o->end; p < pledge_len && strchr(" \r\n", pledge[p]); p++)
            ;
        if (pledge_len - p < 7 || memcmp(pledge + p, "stream", 6) != 0 ||
            pledge_pdf_is_name(pledge_pdf_dict_get(o, "Type"), "ObjStm") ||
            pledge_pdf_is_name(pledge_pdf_dict_get(o, "Type"), "XRef"))
            continue;
        p += 6;
        p += pledge[p] == '\r';
        ck_assert_int_eq(pledge[p++], '\n');
        ck_assert_int_eq(pledge_pdf_resolve(pdf, pledge_pdf_dict_get(o,
                         "Length"), &n, &err), 0);
        ck_assert_int_eq(n->type, PLEDGE_PDF_INT);
        ck_assert_uint_le((size_t)n->u.i, pledge_len - p);
        for (q = p + (size_t)n->u.i; strchr("\r\n", pledge[q]); q++)
            ;
        ck_assert_int_eq(memcmp(pledge + q, "endstream", 9), 0);
        memset(map + p, 1, (size_t)n->u.i);
        ++*nstreams;
    }
    pledge_pdf_close(pdf);
    return map;
}

START_TEST(bit_flips_real)
{
    unsigned char *copy = copy_exact(pledge, pledge_len);
    size_t i, nstreams, nerr, failed = 0, opened = 0;
    unsigned char *in_stream = stream_bytes(&nstreams);
    long whole = walk(copy, pledge_len, NULL);
    int bit;

    ck_assert_uint_gt(nstreams, 0);
    ck_assert_int_gt(whole, 0);
    /* Every bit of every 7th byte of the structure; in stream bodies, which
     * the reader must never look at, every 101st byte is enough to show
     * that a flip there changes nothing at all. */
    for (i = 0; i < pledge_len; i++) {
        if (i % (in_stream[i] ? 101 : 7) != 0)
            continue;
        for (bit = 0; bit < 8; bit++) {
            long n;

            copy[i] ^= (unsigned char)(1u << bit);
            nerr = 0;
            n = walk(copy, pledge_len, &nerr);
            if (in_stream[i] && (n != whole || nerr != 0))
                ck_abort_msg("flipping bit %d of stream byte %zu mattered",
                             bit, i);
            if (n < 0)
                failed++;
            else
                opened++;
            copy[i] ^= (unsigned char)(1u << bit);
        }
    }
    ck_assert_uint_gt(opened, 0);
    ck_assert_uint_gt(failed, 0);
    free(in_stream);
    free(copy);
}
END_TEST

static Suite *pdfparse_suite(void)
{
    Suite *s = suite_create("pdfparse");
    TCase *tc = tcase_create("values");
    TCase *tf = tcase_create("files");
    TCase *tr = tcase_create("real");

    tcase_add_test(tc, every_type_with_its_span);
    tcase_add_test(tc, string_escapes);
    tcase_add_test(tc, numbers);
    tcase_add_test(tc, references);
    tcase_add_test(tc, keywords_and_delimiters);
    tcase_add_test(tc, containers);
    tcase_add_test(tc, many_keys);
    tcase_add_test(tc, nesting_limit);
    tcase_add_test(tc, value_limit);
    tcase_add_test(tc, parse_value_positions);
    suite_add_tcase(s, tc);

    tcase_add_test(tf, xref_entries_each_eol);
    tcase_add_test(tf, bad_xref_entries);
    tcase_add_test(tf, trailer_size);
    tcase_add_test(tf, memory_is_bounded);
    tcase_add_test(tf, size_bounded_by_memory);
    tcase_add_test(tf, header_and_tail);
    tcase_add_test(tf, startxref_wrong_place);
    tcase_add_test(tf, xref_stream_refused);
    tcase_add_test(tf, incremental_update);
    tcase_add_test(tf, update_rules);
    tcase_add_test(tf, prev_loops);
    tcase_add_test(tf, objects_at_offsets);
    tcase_add_test(tf, object_bodies);
    tcase_add_test(tf, resolve_rules);
    tcase_add_test(tf, truncated_small);
    suite_add_tcase(s, tf);

    tcase_add_unchecked_fixture(tr, render_pledge, free_pledge);
    tcase_set_timeout(tc, 60);
    tcase_set_timeout(tf, 60);
    tcase_set_timeout(tr, 30);
    tcase_add_test(tr, real_pledge);
    tcase_add_test(tr, truncated_real);
    tcase_add_test(tr, bit_flips_real);
    suite_add_tcase(s, tr);
    return s;
}

int main(void)
{
    return run_suite(pdfparse_suite());
}
