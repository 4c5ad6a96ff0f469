/* pdfparse.c - a strict reader of PDF structure for signing and verifying.
 *
 * Every read goes through an index checked against the data's length;
 * every loop advances through the data or is bounded by a count checked
 * against what is left of it; recursion is bounded by the nesting limit.
 * Nothing here guesses: a value, keyword or table that is not exactly
 * where and what the file says is an error naming its offset.
 *
 * Values live in arenas, not one malloc() each: a reader keeps one for
 * all its objects and rolls it back to a mark when a parse fails, so that
 * asking again for a broken object does not grow it; a value from
 * pledge_pdf_parse_value() has an arena of its own, whose first chunk
 * holds the value itself.  A container's children are gathered on a
 * scratch stack and copied into the arena, exactly sized, when it closes.
 */
#include "pdfparse.h"

#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libdeflate.h>

#include "../util/err.h"
#include "../util/grow.h"

#define INT_LIMIT 9007199254740992LL    /* 2^53: exact in a double */
#define REAL_DIGITS 64          /* longer reals are not written by anyone */
#define TAIL_WINDOW 1024        /* where "startxref" must be */
#define ENTRY_BYTES 20          /* one classic xref entry */
#define GEN_MAX 65535
#define CHUNK_MIN 1024          /* bytes: an arena's first chunk */
#define CHUNK_MAX (1024 * 1024) /* later chunks double up to this */

/* A block of an arena: CHUNK_HDR bytes of header, then size bytes of data of
 * which used are taken. */
typedef struct chunk {
    struct chunk *next;
    size_t used, size;
} chunk;

#define ARENA_ALIGN _Alignof(max_align_t)
#define CHUNK_HDR \
    ((sizeof(chunk) + ARENA_ALIGN - 1) / ARENA_ALIGN * ARENA_ALIGN)

/* bytes counts the chunks' malloc()s; a reader's arena refuses to pass
 * limit (0: no limit) and then sets over, so that the failure can say so. */
typedef struct {
    chunk *first, *cur;
    size_t bytes, limit, peak;  /* peak: of bytes and the parse stack */
    int over;
} arena;

typedef struct {
    chunk *cur;
    size_t used;
} arena_mark;

/* Children of the containers being parsed, innermost last. */
typedef struct {
    pledge_pdf_entry *v;
    size_t n, cap;
} scratch;

typedef struct {
    const unsigned char *d;
    size_t len;
    size_t nvalues;             /* values parsed in the current object */
    arena *a;
    scratch *s;
} lexer;

/* An object's xref entry, from the newest section that lists it. */
typedef struct {
    size_t off;                 /* in an object stream: the stream's number */
    unsigned gen;
    unsigned idx;               /* in an object stream: its index there */
    unsigned short section;     /* 1 + index of that section; 0: none */
    unsigned short seen;        /* 1 + index of the last section seen */
    unsigned char used;         /* 'n' rather than 'f' */
    unsigned char instm;        /* a type-2 entry of a cross-reference stream */
    unsigned char bad;          /* an object stream that failed to decode */
} xentry;

/* A decoded object stream.  Its objects' spans are offsets from base,
 * beyond the file's length, so that a span says which bytes it is of
 * (pledge_pdf_span). */
typedef struct {
    unsigned num;
    size_t base;
    const unsigned char *d;     /* in the reader's arena */
    size_t len;
    unsigned n;
    unsigned *nums;             /* n object numbers, ascending */
    size_t *pos;                /* n + 1: where each object starts; len */
} ostream;

/* A subsection of the section being read: count entries from pos. */
typedef struct {
    unsigned first, count;
    size_t pos;
} subsection;

struct pledge_pdf {
    const unsigned char *d;
    size_t len;
    arena a;                    /* every value of the reader */
    scratch s;
    const pledge_pdf_obj *trailer;
    size_t startxref, tail_end, nsections;
    unsigned size;
    xentry *xref;               /* size entries */
    pledge_pdf_obj **cache;     /* size entries, NULL until parsed */
    ostream *stm;               /* the object streams decoded so far */
    size_t nstm, stmcap, vnext; /* vnext: the next stream's base */
    /* The /XRefStm of the newer sections' trailers (0: none yet), and
     * the oldest section's, which it must equal. */
    size_t xrefstm_newer, xrefstm;
};

typedef struct {
    int real, sign;
    long long i;
    double r;
    size_t end;
} number;

/* n bytes from a, aligned for any type, or NULL when out of memory. */
static void *arena_alloc(arena *a, size_t n)
{
    chunk *c;
    size_t size;

    if (n > SIZE_MAX / 2 - CHUNK_HDR)
        return NULL;
    n = (n + ARENA_ALIGN - 1) / ARENA_ALIGN * ARENA_ALIGN;
    if (a->cur != NULL && a->cur->size - a->cur->used >= n) {
        void *p = (unsigned char *)a->cur + CHUNK_HDR + a->cur->used;

        a->cur->used += n;
        return p;
    }
    size = a->cur == NULL ? CHUNK_MIN : a->cur->size * 2;
    if (size > CHUNK_MAX)
        size = CHUNK_MAX;
    if (size < n)
        size = n;
    if (a->limit != 0 && (a->bytes > a->limit ||
                          CHUNK_HDR + size > a->limit - a->bytes)) {
        a->over = 1;
        return NULL;
    }
    c = malloc(CHUNK_HDR + size);
    if (c == NULL)
        return NULL;
    c->next = NULL;
    c->used = n;
    c->size = size;
    a->bytes += CHUNK_HDR + size;
    if (a->bytes > a->peak)
        a->peak = a->bytes;
    if (a->cur != NULL)
        a->cur->next = c;
    else
        a->first = c;
    a->cur = c;
    return (unsigned char *)c + CHUNK_HDR;
}

static arena_mark arena_get_mark(const arena *a)
{
    arena_mark m;

    m.cur = a->cur;
    m.used = a->cur != NULL ? a->cur->used : 0;
    return m;
}

/* Frees everything allocated from a since m was taken. */
static void arena_release(arena *a, arena_mark m)
{
    chunk *c = m.cur != NULL ? m.cur->next : a->first, *next;

    for (; c != NULL; c = next) {
        next = c->next;
        a->bytes -= CHUNK_HDR + c->size;
        free(c);
    }
    if (m.cur != NULL) {
        m.cur->next = NULL;
        m.cur->used = m.used;
    } else {
        a->first = NULL;
    }
    a->cur = m.cur;
}

static void arena_free(arena *a)
{
    arena_mark none = { NULL, 0 };

    arena_release(a, none);
}

/* The most a reader of len bytes may allocate: what a genuine file of that
 * size ever needs, with room to spare, while a file of nothing but tiny
 * values (an array of 1 MB of empty names would otherwise take 72 MB) is
 * refused long before it costs more than a few times its size. */
static size_t memory_limit(size_t len)
{
    if (len > (SIZE_MAX - PLEDGE_PDF_MEM_BASE) / PLEDGE_PDF_MEM_PER_BYTE)
        return SIZE_MAX;
    return PLEDGE_PDF_MEM_BASE + len * PLEDGE_PDF_MEM_PER_BYTE;
}

static int over_limit(const arena *a, pledge_err *err)
{
    return pledge_err_set(err, "the file needs more than %zu bytes of "
                          "memory to read, more than a PDF of its size "
                          "ever does", a->limit);
}

/* Character classes of ISO 32000-1 7.2.2: white space and delimiters;
 * every other byte is regular. */
enum { WS = 1, DELIM = 2 };
static const unsigned char char_class[256] = {
    [0] = WS, ['\t'] = WS, ['\n'] = WS, ['\f'] = WS, ['\r'] = WS,
    [' '] = WS,
    ['('] = DELIM, [')'] = DELIM, ['<'] = DELIM, ['>'] = DELIM,
    ['['] = DELIM, [']'] = DELIM, ['{'] = DELIM, ['}'] = DELIM,
    ['/'] = DELIM, ['%'] = DELIM,
};

static inline int is_ws(int c)
{
    return char_class[c & 0xff] == WS;
}

static inline int is_regular(int c)
{
    return char_class[c & 0xff] == 0;
}

static inline int is_digit(int c)
{
    return c >= '0' && c <= '9';
}

static inline int hex_value(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Copies at most 32 bytes of s into buf for a message, with '?' for what
 * would not print. */
static const char *printable(const unsigned char *s, size_t n, char *buf,
                             size_t size)
{
    size_t i, k = 0;

    for (i = 0; i < n && k + 4 < size && i < 32; i++)
        buf[k++] = s[i] > 0x20 && s[i] < 0x7f ? (char)s[i] : '?';
    if (i < n && k + 4 <= size) {
        memcpy(buf + k, "...", 3);
        k += 3;
    }
    buf[k] = '\0';
    return buf;
}

/* Skips white space and comments. */
static size_t skip_ws(const lexer *lx, size_t p)
{
    while (p < lx->len) {
        if (is_ws(lx->d[p])) {
            p++;
        } else if (lx->d[p] == '%') {
            while (p < lx->len && lx->d[p] != '\r' && lx->d[p] != '\n')
                p++;
        } else {
            break;
        }
    }
    return p;
}

/* Skips white space only: where the file structure leaves no room for
 * comments (object headers, xref tables, the tail). */
static size_t skip_space(const lexer *lx, size_t p)
{
    while (p < lx->len && is_ws(lx->d[p]))
        p++;
    return p;
}

/* 1 if the keyword kw stands at p as a whole token. */
static int token_at(const lexer *lx, size_t p, const char *kw)
{
    size_t n = strlen(kw);

    return p <= lx->len && lx->len - p >= n &&
           memcmp(lx->d + p, kw, n) == 0 &&
           (p + n == lx->len || !is_regular(lx->d[p + n]));
}

/* Scans the number token at p.  Returns 0, -1 if it is malformed (or not
 * a number at all), -2 if it is out of range. */
static int scan_number(const lexer *lx, size_t p, number *n)
{
    const unsigned char *d = lx->d;
    size_t ndig = 0, nfrac = 0, k;
    long long v = 0;
    double m = 0, scale = 1;
    int neg = 0, dot = 0, over = 0;

    memset(n, 0, sizeof *n);
    if (p < lx->len && (d[p] == '+' || d[p] == '-')) {
        neg = d[p] == '-';
        n->sign = 1;
        p++;
    }
    for (; p < lx->len; p++) {
        int c = d[p];

        if (c == '.') {
            if (dot)
                return -1;
            dot = 1;
            continue;
        }
        if (!is_digit(c))
            break;
        ndig++;
        nfrac += dot;
        m = m * 10 + (c - '0');
        if (v > (INT_LIMIT - (c - '0')) / 10)
            over = 1;
        else
            v = v * 10 + (c - '0');
    }
    if (ndig == 0 || (p < lx->len && is_regular(d[p])))
        return -1;
    if (dot) {
        if (ndig > REAL_DIGITS)
            return -2;
        for (k = 0; k < nfrac; k++)
            scale *= 10;
        n->real = 1;
        n->r = neg ? -(m / scale) : m / scale;
    } else {
        if (over)
            return -2;
        n->i = neg ? -v : v;
    }
    n->end = p;
    return 0;
}

/* Scans an unsigned integer (digits only) no larger than max at p. */
static int scan_uint(const lexer *lx, size_t p, unsigned long long max,
                     unsigned long long *v, size_t *end)
{
    number n;

    if (p >= lx->len || !is_digit(lx->d[p]) || scan_number(lx, p, &n) < 0 ||
        n.real || (unsigned long long)n.i > max)
        return -1;
    *v = (unsigned long long)n.i;
    *end = n.end;
    return 0;
}

void pledge_pdf_obj_free(pledge_pdf_obj *o)
{
    arena a = { NULL, NULL, 0, 0, 0, 0 };

    if (o == NULL)
        return;
    a.first = (chunk *)(void *)((unsigned char *)o - CHUNK_HDR);
    arena_free(&a);
}

static int out_of_memory(pledge_err *err)
{
    return pledge_err_set(err, "out of memory");
}

/* Pushes a child of the container being parsed. */
static int push(lexer *lx, const char *key, size_t keylen,
                pledge_pdf_obj *val, pledge_err *err)
{
    scratch *s = lx->s;
    pledge_pdf_entry *v = pledge_grow(s->v, &s->cap, s->n + 1, sizeof *v);

    if (v == NULL)
        return out_of_memory(err);
    s->v = v;
    /* The stack counts against the reader's limit too. */
    if (lx->a->limit != 0 && s->cap > (lx->a->limit - lx->a->bytes) /
        sizeof *v) {
        lx->a->over = 1;
        return out_of_memory(err);
    }
    if (lx->a->bytes + s->cap * sizeof *v > lx->a->peak)
        lx->a->peak = lx->a->bytes + s->cap * sizeof *v;
    v[s->n].key = key;
    v[s->n].keylen = keylen;
    v[s->n].val = val;
    s->n++;
    return 0;
}

/* The name at p ('/'): fills o->u.s and o->end. */
static int lex_name(const lexer *lx, size_t p, pledge_pdf_obj *o,
                    pledge_err *err)
{
    const unsigned char *d = lx->d;
    size_t q, n = 0;
    unsigned char *s;

    o->type = PLEDGE_PDF_NAME;
    for (q = p + 1; q < lx->len && is_regular(d[q]); q++) {
        if (d[q] == '#') {
            int hi, lo;

            if (lx->len - q < 3 || (hi = hex_value(d[q + 1])) < 0 ||
                (lo = hex_value(d[q + 2])) < 0)
                return pledge_err_set(err, "offset %zu: '#' in a name "
                                      "without two hex digits", q);
            if (hi == 0 && lo == 0)
                return pledge_err_set(err, "offset %zu: #00 in a name", q);
            q += 2;
        }
        n++;
    }
    s = arena_alloc(lx->a, n + 1);
    if (s == NULL)
        return out_of_memory(err);
    n = 0;
    for (q = p + 1; q < lx->len && is_regular(d[q]); q++) {
        if (d[q] == '#') {
            s[n++] = (unsigned char)(hex_value(d[q + 1]) * 16 +
                                     hex_value(d[q + 2]));
            q += 2;
        } else {
            s[n++] = d[q];
        }
    }
    s[n] = '\0';
    o->u.s.p = s;
    o->u.s.len = n;
    o->end = q;
    return 0;
}

/* The literal string at p ('('). */
static int lex_string(const lexer *lx, size_t p, pledge_pdf_obj *o,
                      pledge_err *err)
{
    const unsigned char *d = lx->d;
    size_t q, last, depth = 1, n = 0;
    unsigned char *s;

    o->type = PLEDGE_PDF_STRING;
    /* First find the closing parenthesis; a backslash hides the byte
     * after it, so the one found is never escaped. */
    for (q = p + 1; q < lx->len; q++) {
        if (d[q] == '\\')
            q++;
        else if (d[q] == '(')
            depth++;
        else if (d[q] == ')' && --depth == 0)
            break;
    }
    if (q >= lx->len)
        return pledge_err_set(err, "offset %zu: unterminated string", p);
    last = q;
    s = arena_alloc(lx->a, last - p);
    if (s == NULL)
        return out_of_memory(err);
    q = p + 1;
    while (q < last) {
        int c = d[q];

        if (c == '\r') {
            /* An unescaped end of line is a line feed, whatever it was. */
            s[n++] = '\n';
            q += q + 1 < last && d[q + 1] == '\n' ? 2 : 1;
            continue;
        }
        if (c != '\\') {
            s[n++] = (unsigned char)c;
            q++;
            continue;
        }
        c = d[q + 1];               /* q + 1 < last: see above */
        q += 2;
        switch (c) {
        case 'n': s[n++] = '\n'; break;
        case 'r': s[n++] = '\r'; break;
        case 't': s[n++] = '\t'; break;
        case 'b': s[n++] = '\b'; break;
        case 'f': s[n++] = '\f'; break;
        case '\n': break;
        case '\r':
            if (q < last && d[q] == '\n')
                q++;
            break;
        default:
            if (c >= '0' && c <= '7') {
                unsigned v = (unsigned)(c - '0'), k;

                for (k = 1; k < 3 && q < last && d[q] >= '0' && d[q] <= '7';
                     k++)
                    v = v * 8 + (unsigned)(d[q++] - '0');
                s[n++] = (unsigned char)(v & 0xff);
            } else {
                /* ( ) \ stand for themselves; for any other byte the
                 * standard says to ignore the backslash. */
                s[n++] = (unsigned char)c;
            }
        }
    }
    s[n] = '\0';
    o->u.s.p = s;
    o->u.s.len = n;
    o->end = last + 1;
    return 0;
}

/* The hex string at p ('<', not "<<"). */
static int lex_hex(const lexer *lx, size_t p, pledge_pdf_obj *o,
                   pledge_err *err)
{
    const unsigned char *d = lx->d;
    size_t q, ndig = 0, n = 0;
    unsigned char *s;

    o->type = PLEDGE_PDF_HEX;
    for (q = p + 1; q < lx->len && d[q] != '>'; q++) {
        if (hex_value(d[q]) >= 0)
            ndig++;
        else if (!is_ws(d[q]))
            return pledge_err_set(err, "offset %zu: byte 0x%02x in a hex "
                                  "string", q, d[q]);
    }
    if (q >= lx->len)
        return pledge_err_set(err, "offset %zu: unterminated hex string",
                              p);
    s = arena_alloc(lx->a, ndig / 2 + 2);
    if (s == NULL)
        return out_of_memory(err);
    ndig = 0;
    for (q = p + 1; d[q] != '>'; q++) {
        int v = hex_value(d[q]);

        if (v < 0)
            continue;
        if (ndig++ % 2 == 0)
            s[n] = (unsigned char)(v << 4);
        else
            s[n++] |= (unsigned char)v;
    }
    if (ndig % 2 == 1)
        n++;                    /* the missing last digit is 0 */
    s[n] = '\0';
    o->u.s.p = s;
    o->u.s.len = n;
    o->end = q + 1;
    return 0;
}

/* The number at p, or the reference "num gen R" that starts there. */
static int lex_number(const lexer *lx, size_t p, pledge_pdf_obj *o,
                      pledge_err *err)
{
    number n, g;
    size_t q, r;
    int rc;

    rc = scan_number(lx, p, &n);
    if (rc == -2)
        return pledge_err_set(err, "offset %zu: number out of range", p);
    if (rc < 0)
        return pledge_err_set(err, "offset %zu: malformed number", p);
    if (n.real) {
        o->type = PLEDGE_PDF_REAL;
        o->u.r = n.r;
        o->end = n.end;
        return 0;
    }
    o->type = PLEDGE_PDF_INT;
    o->u.i = n.i;
    o->end = n.end;
    if (n.sign)
        return 0;
    q = skip_ws(lx, n.end);
    if (q >= lx->len || !is_digit(lx->d[q]) || scan_number(lx, q, &g) < 0 ||
        g.real)
        return 0;
    r = skip_ws(lx, g.end);
    if (!token_at(lx, r, "R"))
        return 0;
    if (n.i < 1 || n.i > PLEDGE_PDF_MAX_OBJECTS || g.i > GEN_MAX)
        return pledge_err_set(err, "offset %zu: reference %lld %lld R out "
                              "of range", p, n.i, g.i);
    o->type = PLEDGE_PDF_REF;
    o->u.ref.num = (unsigned)n.i;
    o->u.ref.gen = (unsigned)g.i;
    o->end = r + 1;
    return 0;
}

/* true, false or null at p. */
static int lex_keyword(const lexer *lx, size_t p, pledge_pdf_obj *o,
                       pledge_err *err)
{
    size_t q;
    char buf[48];

    for (q = p; q < lx->len && is_regular(lx->d[q]); q++)
        ;
    o->end = q;
    if (token_at(lx, p, "true") || token_at(lx, p, "false")) {
        o->type = PLEDGE_PDF_BOOL;
        o->u.b = lx->d[p] == 't';
        return 0;
    }
    if (token_at(lx, p, "null")) {
        o->type = PLEDGE_PDF_NULL;
        return 0;
    }
    return pledge_err_set(err, "offset %zu: unexpected '%s'", p,
                          printable(lx->d + p, q - p, buf, sizeof buf));
}

static int parse_at(lexer *lx, size_t pos, int depth, pledge_pdf_obj **out,
                    size_t *end, pledge_err *err);

static int parse_array(lexer *lx, size_t p, int depth, pledge_pdf_obj *o,
                       pledge_err *err)
{
    size_t base = lx->s->n, n, i;
    pledge_pdf_obj **items, *v;

    o->type = PLEDGE_PDF_ARRAY;
    if (depth >= PLEDGE_PDF_MAX_DEPTH)
        return pledge_err_set(err, "offset %zu: nested deeper than %d", p,
                              PLEDGE_PDF_MAX_DEPTH);
    p++;
    for (;;) {
        p = skip_ws(lx, p);
        if (p >= lx->len)
            return pledge_err_set(err, "offset %zu: unterminated array",
                                  o->start);
        if (lx->d[p] == ']')
            break;
        if (parse_at(lx, p, depth + 1, &v, &p, err) < 0 ||
            push(lx, NULL, 0, v, err) < 0)
            return -1;
    }
    n = lx->s->n - base;
    items = arena_alloc(lx->a, n * sizeof *items);
    if (items == NULL)
        return out_of_memory(err);
    for (i = 0; i < n; i++)
        items[i] = lx->s->v[base + i].val;
    lx->s->n = base;
    o->u.arr.items = items;
    o->u.arr.n = n;
    o->end = p + 1;
    return 0;
}

static int cmp_entry(const void *a, const void *b)
{
    const pledge_pdf_entry *x = *(const pledge_pdf_entry *const *)a;
    const pledge_pdf_entry *y = *(const pledge_pdf_entry *const *)b;

    if (x->keylen != y->keylen)
        return x->keylen < y->keylen ? -1 : 1;
    return memcmp(x->key, y->key, x->keylen);
}

/* Fails if a key of dictionary o is there twice: sorting keeps a
 * dictionary of half a million keys from costing n^2 comparisons. */
static int check_keys(const pledge_pdf_obj *o, pledge_err *err)
{
    const pledge_pdf_entry **sorted, *e = o->u.dict.entries, *dup = NULL;
    size_t i, j, n = o->u.dict.n;
    char buf[48];

    if (n <= 16) {
        for (i = 0; i < n && dup == NULL; i++)
            for (j = i + 1; j < n && dup == NULL; j++)
                if (e[i].keylen == e[j].keylen &&
                    memcmp(e[i].key, e[j].key, e[i].keylen) == 0)
                    dup = &e[i];
    } else {
        sorted = malloc(n * sizeof *sorted);
        if (sorted == NULL)
            return out_of_memory(err);
        for (i = 0; i < n; i++)
            sorted[i] = &e[i];
        qsort(sorted, n, sizeof *sorted, cmp_entry);
        for (i = 1; i < n && dup == NULL; i++)
            if (cmp_entry(&sorted[i - 1], &sorted[i]) == 0)
                dup = sorted[i];
        free(sorted);
    }
    if (dup != NULL)
        return pledge_err_set(err, "offset %zu: key /%s twice in one "
                              "dictionary", o->start,
                              printable((const unsigned char *)dup->key,
                                        dup->keylen, buf, sizeof buf));
    return 0;
}

static int parse_dict(lexer *lx, size_t p, int depth, pledge_pdf_obj *o,
                      pledge_err *err)
{
    size_t base = lx->s->n, n;
    pledge_pdf_entry *entries;
    pledge_pdf_obj key, *v;

    o->type = PLEDGE_PDF_DICT;
    if (depth >= PLEDGE_PDF_MAX_DEPTH)
        return pledge_err_set(err, "offset %zu: nested deeper than %d", p,
                              PLEDGE_PDF_MAX_DEPTH);
    p += 2;
    for (;;) {
        p = skip_ws(lx, p);
        if (p >= lx->len)
            return pledge_err_set(err, "offset %zu: unterminated "
                                  "dictionary", o->start);
        if (lx->d[p] == '>') {
            if (p + 1 < lx->len && lx->d[p + 1] == '>')
                break;
            return pledge_err_set(err, "offset %zu: '>' where '>>' or a "
                                  "key should be", p);
        }
        if (lx->d[p] != '/')
            return pledge_err_set(err, "offset %zu: a dictionary key that "
                                  "is not a name", p);
        if (++lx->nvalues > PLEDGE_PDF_MAX_VALUES)
            return pledge_err_set(err, "offset %zu: more than %d values in "
                                  "one object", p, PLEDGE_PDF_MAX_VALUES);
        memset(&key, 0, sizeof key);
        if (lex_name(lx, p, &key, err) < 0 ||
            parse_at(lx, key.end, depth + 1, &v, &p, err) < 0 ||
            push(lx, (const char *)key.u.s.p, key.u.s.len, v, err) < 0)
            return -1;
    }
    n = lx->s->n - base;
    entries = arena_alloc(lx->a, n * sizeof *entries);
    if (entries == NULL)
        return out_of_memory(err);
    /* An empty dictionary may come before anything grew the stack: its
     * array is still NULL, and NULL + 0 is undefined. */
    if (n > 0)
        memcpy(entries, lx->s->v + base, n * sizeof *entries);
    lx->s->n = base;
    o->u.dict.entries = entries;
    o->u.dict.n = n;
    o->end = p + 2;
    return check_keys(o, err);
}

/* Parses the value at or after pos (past white space and comments) with
 * nesting depth depth.  On error returns -1 and leaves *out untouched. */
static int parse_at(lexer *lx, size_t pos, int depth, pledge_pdf_obj **out,
                    size_t *end, pledge_err *err)
{
    pledge_pdf_obj *o;
    size_t p = skip_ws(lx, pos);
    int c, rc;

    if (p >= lx->len)
        return pledge_err_set(err, "offset %zu: end of data where a value "
                              "should be", p);
    if (++lx->nvalues > PLEDGE_PDF_MAX_VALUES)
        return pledge_err_set(err, "offset %zu: more than %d values in one "
                              "object", p, PLEDGE_PDF_MAX_VALUES);
    o = arena_alloc(lx->a, sizeof *o);
    if (o == NULL)
        return out_of_memory(err);
    memset(o, 0, sizeof *o);
    o->start = p;
    c = lx->d[p];
    if (c == '/')
        rc = lex_name(lx, p, o, err);
    else if (c == '(')
        rc = lex_string(lx, p, o, err);
    else if (c == '<' && p + 1 < lx->len && lx->d[p + 1] == '<')
        rc = parse_dict(lx, p, depth, o, err);
    else if (c == '<')
        rc = lex_hex(lx, p, o, err);
    else if (c == '[')
        rc = parse_array(lx, p, depth, o, err);
    else if (is_digit(c) || c == '+' || c == '-' || c == '.')
        rc = lex_number(lx, p, o, err);
    else if (is_regular(c))
        rc = lex_keyword(lx, p, o, err);
    else if (c > 0x20 && c < 0x7f)
        rc = pledge_err_set(err, "offset %zu: unexpected '%c'", p, c);
    else
        rc = pledge_err_set(err, "offset %zu: unexpected byte 0x%02x", p,
                            c);
    if (rc < 0)
        return -1;
    *out = o;
    *end = o->end;
    return 0;
}

/* Parses one whole value (an object's, a trailer) into lx->a.  On error
 * the arena may hold part of it: the caller rolls it back. */
static int parse_top(lexer *lx, size_t pos, pledge_pdf_obj **out,
                     size_t *end, pledge_err *err)
{
    lx->nvalues = 0;
    lx->s->n = 0;
    lx->a->over = 0;
    if (parse_at(lx, pos, 0, out, end, err) == 0)
        return 0;
    if (lx->a->over)
        over_limit(lx->a, err);
    return -1;
}

static void lexer_init(lexer *lx, const unsigned char *d, size_t len,
                       arena *a, scratch *s)
{
    lx->d = d;
    lx->len = len;
    lx->nvalues = 0;
    lx->a = a;
    lx->s = s;
}

int pledge_pdf_parse_value(const unsigned char *data, size_t len, size_t pos,
                           pledge_pdf_obj **out, size_t *end, pledge_err *err)
{
    arena a = { NULL, NULL, 0, 0, 0, 0 };
    scratch s = { NULL, 0, 0 };
    lexer lx;
    pledge_pdf_obj *o;
    size_t p;
    int rc;

    if (pos > len)
        return pledge_err_set(err, "offset %zu: beyond the end of data",
                              pos);
    lexer_init(&lx, data, len, &a, &s);
    rc = parse_top(&lx, pos, &o, &p, err);
    free(s.v);
    if (rc < 0) {
        arena_free(&a);
        return -1;
    }
    /* parse_at() allocates the value before anything in it, so it opens
     * the arena's first chunk, where pledge_pdf_obj_free() looks. */
    *out = o;
    *end = p;
    return 0;
}

const pledge_pdf_obj *pledge_pdf_dict_get(const pledge_pdf_obj *dict,
                                          const char *key)
{
    size_t i, n = strlen(key);

    if (dict == NULL || dict->type != PLEDGE_PDF_DICT)
        return NULL;
    for (i = 0; i < dict->u.dict.n; i++) {
        const pledge_pdf_entry *e = &dict->u.dict.entries[i];

        if (e->keylen == n && memcmp(e->key, key, n) == 0)
            return e->val;
    }
    return NULL;
}

int pledge_pdf_is_name(const pledge_pdf_obj *o, const char *name)
{
    size_t n = strlen(name);

    return o != NULL && o->type == PLEDGE_PDF_NAME && o->u.s.len == n &&
           memcmp(o->u.s.p, name, n) == 0;
}

/* Reads "num gen obj" exactly at pos: no white space before it and only
 * white space, no comments, inside it.  *after is just past "obj". */
static int parse_header(const lexer *lx, size_t pos, unsigned long long *num,
                        unsigned long long *gen, size_t *after)
{
    size_t p, q;

    if (scan_uint(lx, pos, PLEDGE_PDF_MAX_OBJECTS, num, &p) < 0)
        return -1;
    q = skip_space(lx, p);
    if (q == p || scan_uint(lx, q, GEN_MAX, gen, &p) < 0)
        return -1;
    q = skip_space(lx, p);
    if (q == p || !token_at(lx, q, "obj"))
        return -1;
    *after = q + 3;
    return 0;
}

/* Checks the 20-byte entry at p for object num. */
static int check_entry(const lexer *lx, size_t p, unsigned num,
                       pledge_err *err)
{
    const unsigned char *e = lx->d + p;
    unsigned long long off = 0;
    unsigned gen = 0;
    size_t i;

    for (i = 0; i < 10; i++) {
        if (!is_digit(e[i]))
            goto bad;
        off = off * 10 + (unsigned long long)(e[i] - '0');
    }
    for (i = 11; i < 16; i++) {
        if (!is_digit(e[i]))
            goto bad;
        gen = gen * 10 + (unsigned)(e[i] - '0');
    }
    if (e[10] != ' ' || e[16] != ' ' || (e[17] != 'n' && e[17] != 'f'))
        goto bad;
    if (!((e[18] == ' ' && (e[19] == '\n' || e[19] == '\r')) ||
          (e[18] == '\r' && e[19] == '\n')))
        goto bad;
    if (e[17] == 'n') {
        if (num == 0)
            return pledge_err_set(err, "offset %zu: xref entry marks "
                                  "object 0 in use", p);
        if (gen > GEN_MAX)
            return pledge_err_set(err, "offset %zu: xref entry for object "
                                  "%u: generation %u out of range", p, num,
                                  gen);
        if (off >= lx->len)
            return pledge_err_set(err, "offset %zu: xref entry for object "
                                  "%u: offset %llu beyond the end of the "
                                  "file", p, num, off);
    }
    return 0;
bad:
    return pledge_err_set(err, "offset %zu: malformed xref entry for "
                          "object %u", p, num);
}

/* Reads the newest trailer's /Size and makes the tables it bounds. */
static int make_tables(pledge_pdf *pdf, const pledge_pdf_obj *trailer,
                       pledge_err *err)
{
    const pledge_pdf_obj *size = pledge_pdf_dict_get(trailer, "Size");
    size_t need;

    if (size == NULL || size->type != PLEDGE_PDF_INT)
        return pledge_err_set(err, "trailer without an integer /Size");
    if (size->u.i < 1 || size->u.i > PLEDGE_PDF_MAX_OBJECTS ||
        (unsigned long long)size->u.i > pdf->len)
        return pledge_err_set(err, "trailer /Size %lld out of range",
                              size->u.i);
    pdf->size = (unsigned)size->u.i;
    need = (size_t)pdf->size * (sizeof *pdf->xref + sizeof *pdf->cache);
    if (need > pdf->a.limit - pdf->a.bytes)
        return pledge_err_set(err, "trailer /Size %u needs more than %zu "
                              "bytes of memory, more than a PDF of its "
                              "size ever does", pdf->size, pdf->a.limit);
    pdf->a.bytes += need;
    if (pdf->a.bytes > pdf->a.peak)
        pdf->a.peak = pdf->a.bytes;
    pdf->xref = calloc(pdf->size, sizeof *pdf->xref);
    pdf->cache = calloc(pdf->size, sizeof *pdf->cache);
    if (pdf->xref == NULL || pdf->cache == NULL)
        return out_of_memory(err);
    return 0;
}

/* Enters the entries of section sec (0 = the newest) where no newer
 * section has one. */
static int apply_entries(pledge_pdf *pdf, const subsection *subs,
                         size_t nsubs, size_t off, size_t sec,
                         pledge_err *err)
{
    size_t i, k;

    for (i = 0; i < nsubs; i++) {
        if (subs[i].count > pdf->size ||
            subs[i].first > pdf->size - subs[i].count)
            return pledge_err_set(err, "xref section at offset %zu lists "
                                  "object %u, beyond /Size %u", off,
                                  subs[i].first > pdf->size ?
                                  subs[i].first : pdf->size, pdf->size);
        for (k = 0; k < subs[i].count; k++) {
            unsigned num = subs[i].first + (unsigned)k;
            const unsigned char *e = pdf->d + subs[i].pos + k * ENTRY_BYTES;
            xentry *x = &pdf->xref[num];
            size_t j;

            if (x->seen == sec + 1)
                return pledge_err_set(err, "xref section at offset %zu "
                                      "lists object %u twice", off, num);
            x->seen = (unsigned short)(sec + 1);
            if (x->section != 0)
                continue;       /* a newer section has it */
            x->section = (unsigned short)(sec + 1);
            x->used = e[17] == 'n';
            x->off = 0;
            x->gen = 0;
            for (j = 0; j < 10; j++)
                x->off = x->off * 10 + (size_t)(e[j] - '0');
            for (j = 11; j < 16; j++)
                x->gen = x->gen * 10 + (unsigned)(e[j] - '0');
        }
    }
    return 0;
}

/* ---- Cross-reference streams and object streams (ISO 32000-1 7.5.7-8) --
 *
 * Read only as far as a pledge's base needs them: the file's oldest
 * section may be a cross-reference stream (it has no /Prev; every update
 * after it is a classic section), its entries are type 0, 1 or 2, and a
 * type-2 entry names an object stream that the xref places in the file
 * (type 1).  Both kinds of stream are FlateDecode without /DecodeParms,
 * decoded whole into the reader's arena under its memory limit. */

#define XS_MAX_FIELD 8          /* bytes of an offset: /W's middle field */
#define XS_MAX_IDX 4            /* bytes of a generation or an index */
#define INFLATE_FIRST 65536     /* bytes: a base's object stream fits */

static int xs_refuse(pledge_err *err, const char *why, size_t off)
{
    return pledge_err_set(err, "uses a cross-reference stream pledge does "
                          "not read (offset %zu): %s", off, why);
}

/* Inflates z[0..zlen) (the zlib format, whole, nothing after it) into a
 * malloc'd buffer of at most cap bytes, grown as the data needs: *out
 * and *n.  Returns 0, -1 when the data is not one zlib stream, -2 when it
 * inflates to more than cap bytes, -3 when out of memory.  The caller
 * frees *out with free(). */
static int inflate_whole(const unsigned char *z, size_t zlen, size_t cap,
                         unsigned char **out, size_t *n)
{
    struct libdeflate_decompressor *dc = libdeflate_alloc_decompressor();
    enum libdeflate_result r;
    unsigned char *buf = NULL, *grown;
    size_t size = INFLATE_FIRST, used = 0, got = 0;
    int rc;

    if (dc == NULL)
        return -3;
    for (;;) {
        if (size > cap)
            size = cap;
        if ((grown = realloc(buf, size + 1)) == NULL) {
            rc = -3;
            break;
        }
        buf = grown;
        r = libdeflate_zlib_decompress_ex(dc, z, zlen, buf, size, &used,
                                          &got);
        if (r == LIBDEFLATE_INSUFFICIENT_SPACE) {
            if (size >= cap) {
                rc = -2;
                break;
            }
            size = size > cap / 2 ? cap : 2 * size;
            continue;
        }
        rc = r == LIBDEFLATE_SUCCESS && used == zlen ? 0 : -1;
        break;
    }
    libdeflate_free_decompressor(dc);
    if (rc < 0) {
        free(buf);
        return rc;
    }
    *out = buf;
    *n = got;
    return 0;
}

/* The body of the stream whose dictionary dict (in the file) ends at
 * dict->end: "stream", an end of line, exactly /Length bytes (a direct
 * integer), an optional end of line and "endstream".  Its filter must be
 * /FlateDecode alone, without /DecodeParms; what refuses it is named by
 * what (for the message). */
static int stream_body(const pledge_pdf *pdf, const pledge_pdf_obj *dict,
                       size_t *pos, size_t *n, pledge_err *err)
{
    lexer lx;
    const pledge_pdf_obj *l = pledge_pdf_dict_get(dict, "Length");
    size_t p;

    lexer_init(&lx, pdf->d, pdf->len, NULL, NULL);
    if (dict->end > pdf->len)
        return pledge_err_set(err, "a stream inside an object stream");
    p = skip_ws(&lx, dict->end);
    if (!token_at(&lx, p, "stream"))
        return pledge_err_set(err, "offset %zu: expected 'stream'", p);
    p += 6;
    if (p < pdf->len && pdf->d[p] == '\r')
        p++;
    if (p >= pdf->len || pdf->d[p] != '\n')
        return pledge_err_set(err, "offset %zu: no end of line after "
                              "'stream'", p);
    p++;
    if (l == NULL || l->type != PLEDGE_PDF_INT || l->u.i < 0 ||
        (unsigned long long)l->u.i > pdf->len - p)
        return pledge_err_set(err, "offset %zu: /Length is not a direct "
                              "length within the file", dict->start);
    *pos = p;
    *n = (size_t)l->u.i;
    p += *n;
    if (p < pdf->len && pdf->d[p] == '\r')
        p++;
    if (p < pdf->len && pdf->d[p] == '\n')
        p++;
    if (!token_at(&lx, p, "endstream"))
        return pledge_err_set(err, "offset %zu: no 'endstream' where "
                              "/Length ends the stream", p);
    if (!pledge_pdf_is_name(pledge_pdf_dict_get(dict, "Filter"),
                            "FlateDecode"))
        return pledge_err_set(err, "offset %zu: the stream's /Filter is "
                              "not /FlateDecode", dict->start);
    if (pledge_pdf_dict_get(dict, "DecodeParms") != NULL ||
        pledge_pdf_dict_get(dict, "F") != NULL)
        return pledge_err_set(err, "offset %zu: the stream has /DecodeParms "
                              "or /F", dict->start);
    return 0;
}

/* Decodes the body of stream dict into pdf's arena, within its limit:
 * *out and *n.  On error the arena is as it was. */
static int decode_body(pledge_pdf *pdf, const pledge_pdf_obj *dict,
                       unsigned char **out, size_t *n, pledge_err *err)
{
    size_t pos = 0, zlen = 0, room;
    unsigned char *d, *raw = NULL;
    int rc;

    if (stream_body(pdf, dict, &pos, &zlen, err) < 0)
        return -1;
    room = pdf->a.limit > pdf->a.bytes ? pdf->a.limit - pdf->a.bytes : 0;
    rc = inflate_whole(pdf->d + pos, zlen, room, &raw, n);
    if (rc == -2)
        return over_limit(&pdf->a, err);
    if (rc == -3)
        return out_of_memory(err);
    if (rc < 0)
        return pledge_err_set(err, "offset %zu: the stream's data is not "
                              "one zlib stream", pos);
    d = arena_alloc(&pdf->a, *n + 1);
    if (d == NULL) {
        free(raw);
        return pdf->a.over ? over_limit(&pdf->a, err) : out_of_memory(err);
    }
    memcpy(d, raw, *n);
    free(raw);
    d[*n] = '\0';
    *out = d;
    return 0;
}

/* A direct non-negative integer no larger than max, or -1. */
static long long small_int(const pledge_pdf_obj *o, long long max)
{
    if (o == NULL || o->type != PLEDGE_PDF_INT || o->u.i < 0 ||
        o->u.i > max)
        return -1;
    return o->u.i;
}

/* The big-endian number in n bytes at e. */
static unsigned long long field(const unsigned char *e, int n)
{
    unsigned long long v = 0;
    int i;

    for (i = 0; i < n; i++)
        v = v << 8 | e[i];
    return v;
}

/* Reads the cross-reference stream whose dictionary t (in the file, at
 * off) the file's oldest section is: /W, /Index and its entries.  It is
 * section sec (0: the only one). */
static int read_xref_stream(pledge_pdf *pdf, size_t off, size_t sec,
                            const pledge_pdf_obj *t, int hybrid,
                            pledge_err *err)
{
    const pledge_pdf_obj *w = pledge_pdf_dict_get(t, "W"),
                         *index = pledge_pdf_dict_get(t, "Index");
    long long ws[3], size;
    size_t rowlen, npairs, i, k, rows = 0, n;
    unsigned long long ix[2 * 64];
    unsigned char *d;
    unsigned prev_end = 0;
    pledge_err why;

    if (pledge_pdf_dict_get(t, "Prev") != NULL)
        return xs_refuse(err, "it is not the file's oldest section "
                         "(/Prev)", off);
    if (!hybrid && sec == 0 && make_tables(pdf, t, err) < 0)
        return -1;
    /* An encrypted file is read no further than its trailer, which its
     * callers refuse by its /Encrypt (its streams cannot be read). */
    if (pledge_pdf_dict_get(t, "Encrypt") != NULL)
        return 0;
    size = small_int(pledge_pdf_dict_get(t, "Size"), PLEDGE_PDF_MAX_OBJECTS);
    if (size < 1 || (unsigned long long)size > pdf->size)
        return xs_refuse(err, "/Size is not within the newest trailer's",
                         off);
    if (w == NULL || w->type != PLEDGE_PDF_ARRAY || w->u.arr.n != 3 ||
        (ws[0] = small_int(w->u.arr.items[0], 1)) != 1 ||
        (ws[1] = small_int(w->u.arr.items[1], XS_MAX_FIELD)) < 1 ||
        (ws[2] = small_int(w->u.arr.items[2], XS_MAX_IDX)) < 0)
        return xs_refuse(err, "/W is not [1 a b] with 1 <= a <= 8, "
                         "b <= 4", off);
    rowlen = (size_t)(ws[0] + ws[1] + ws[2]);
    if (index == NULL) {
        npairs = 1;
        ix[0] = 0;
        ix[1] = (unsigned long long)size;
    } else {
        if (index->type != PLEDGE_PDF_ARRAY || index->u.arr.n == 0 ||
            index->u.arr.n % 2 != 0 || index->u.arr.n > 2 * 64)
            return xs_refuse(err, "/Index is not 1 to 64 pairs", off);
        npairs = index->u.arr.n / 2;
        for (i = 0; i < index->u.arr.n; i++) {
            long long v = small_int(index->u.arr.items[i], size);

            if (v < 0)
                return xs_refuse(err, "/Index holds a number beyond /Size",
                                 off);
            ix[i] = (unsigned long long)v;
        }
    }
    for (i = 0; i < npairs; i++) {
        if (ix[2 * i] < prev_end || ix[2 * i + 1] == 0 ||
            ix[2 * i + 1] > (unsigned long long)size - ix[2 * i])
            return xs_refuse(err, "/Index's subsections are not ascending, "
                             "apart and within /Size", off);
        prev_end = (unsigned)(ix[2 * i] + ix[2 * i + 1]);
        rows += (size_t)ix[2 * i + 1];
    }
    if (decode_body(pdf, t, &d, &n, &why) < 0) {
        if (pdf->a.over)
            return pledge_err_set(err, "%s", why.msg);
        return xs_refuse(err, why.msg, off);
    }
    if (n != rows * rowlen)
        return xs_refuse(err, "its data is not /Index's entries, /W bytes "
                         "each", off);
    for (i = 0; i < npairs; i++)
        for (k = 0; k < ix[2 * i + 1]; k++, d += rowlen) {
            unsigned num = (unsigned)(ix[2 * i] + k);
            unsigned long long f2 = field(d + 1, (int)ws[1]),
                               f3 = field(d + 1 + ws[1], (int)ws[2]);
            xentry *x = &pdf->xref[num];

            if (d[0] > 2)
                return xs_refuse(err, "an entry of a type other than 0, 1 "
                                 "or 2", off);
            if (d[0] != 0 && num == 0)
                return xs_refuse(err, "object 0 in use", off);
            if (d[0] == 1 && (f2 >= pdf->len || f3 > GEN_MAX))
                return xs_refuse(err, "an offset beyond the end of the "
                                 "file, or a generation out of range", off);
            if (d[0] == 2 && (f2 == 0 || f2 >= (unsigned long long)size ||
                              f2 == num || f3 >= PLEDGE_PDF_MAX_OBJECTS))
                return xs_refuse(err, "an object stream's number or index "
                                 "out of range", off);
            if (hybrid && x->section == sec + 1) {
                /* The same section's table lists it: the two agree. */
                if (x->used ? d[0] != 1 || f2 != x->off || f3 != x->gen :
                    d[0] != 0)
                    return xs_refuse(err, "it and the table disagree on "
                                     "an object", off);
                continue;
            }
            x->seen = (unsigned short)(sec + 1);
            if (x->section != 0)
                continue;       /* a newer section has it */
            x->section = (unsigned short)(sec + 1);
            x->used = d[0] != 0;
            x->instm = d[0] == 2;
            x->off = d[0] != 0 ? (size_t)f2 : 0;
            x->gen = d[0] == 1 ? (unsigned)f3 : 0;
            x->idx = d[0] == 2 ? (unsigned)f3 : 0;
        }
    return 0;
}

/* Shifts the spans of o and everything in it by base. */
static void shift_spans(pledge_pdf_obj *o, size_t base)
{
    size_t i;

    o->start += base;
    o->end += base;
    if (o->type == PLEDGE_PDF_ARRAY)
        for (i = 0; i < o->u.arr.n; i++)
            shift_spans(o->u.arr.items[i], base);
    else if (o->type == PLEDGE_PDF_DICT)
        for (i = 0; i < o->u.dict.n; i++)
            shift_spans(o->u.dict.entries[i].val, base);
}

/* Reads the header of decoded object stream s: /N pairs of an object
 * number and an offset from /First, the numbers ascending, the offsets
 * ascending within the data, nothing else before /First. */
static int read_ostream_header(pledge_pdf *pdf, ostream *s, size_t first,
                               pledge_err *err)
{
    lexer lx;
    size_t p = 0, q, i;

    lexer_init(&lx, s->d, first, NULL, NULL);
    s->nums = arena_alloc(&pdf->a, s->n * sizeof *s->nums);
    s->pos = arena_alloc(&pdf->a, (s->n + 1) * sizeof *s->pos);
    if (s->nums == NULL || s->pos == NULL)
        return pdf->a.over ? over_limit(&pdf->a, err) : out_of_memory(err);
    for (i = 0; i < s->n; i++) {
        unsigned long long num, o;

        p = skip_space(&lx, p);
        if (scan_uint(&lx, p, PLEDGE_PDF_MAX_OBJECTS, &num, &q) < 0 ||
            (p = skip_space(&lx, q)) == q ||
            scan_uint(&lx, p, s->len - first, &o, &q) < 0)
            return pledge_err_set(err, "its header is not /N pairs of "
                                  "numbers before /First");
        p = q;
        if (num == 0 || num >= pdf->size || num == s->num ||
            (i > 0 && (num <= s->nums[i - 1] ||
                       first + o <= s->pos[i - 1])))
            return pledge_err_set(err, "its header's object numbers or "
                                  "offsets are not ascending within /Size "
                                  "and the data");
        s->nums[i] = (unsigned)num;
        s->pos[i] = first + (size_t)o;
    }
    if (skip_space(&lx, p) != first)
        return pledge_err_set(err, "its header is not /N pairs of numbers "
                              "before /First");
    if (s->pos[0] != first)
        return pledge_err_set(err, "its first object does not start at "
                              "/First");
    s->pos[s->n] = s->len;
    return 0;
}

/* The decoded object stream num, decoded now if it was not before. */
static int get_ostream(pledge_pdf *pdf, unsigned num, ostream **out,
                       pledge_err *err)
{
    const pledge_pdf_obj *dict;
    arena_mark m;
    ostream s, *grown;
    long long n, first;
    unsigned char *d;
    size_t i;

    for (i = 0; i < pdf->nstm; i++)
        if (pdf->stm[i].num == num) {
            *out = &pdf->stm[i];
            return 0;
        }
    if (num >= pdf->size || !pdf->xref[num].used || pdf->xref[num].instm)
        return pledge_err_set(err, "its object stream %u is not an object "
                              "in use in the file", num);
    /* Decoding is paid for once: a stream refused stays refused. */
    if (pdf->xref[num].bad)
        return pledge_err_set(err, "its object stream %u was refused",
                              num);
    if (pledge_pdf_get(pdf, num, &dict, err) < 0) {
        pdf->xref[num].bad = 1;
        return -1;
    }
    m = arena_get_mark(&pdf->a);
    memset(&s, 0, sizeof s);
    s.num = num;
    if (!pledge_pdf_is_name(pledge_pdf_dict_get(dict, "Type"), "ObjStm") ||
        pledge_pdf_dict_get(dict, "Extends") != NULL) {
        pledge_err_set(err, "object %u is not an object stream without "
                       "/Extends", num);
        goto fail;
    }
    if (decode_body(pdf, dict, &d, &s.len, err) < 0) {
        pledge_err_prefix(err, "object stream %u", num);
        goto fail;
    }
    s.d = d;
    n = small_int(pledge_pdf_dict_get(dict, "N"), (long long)(s.len / 4));
    first = small_int(pledge_pdf_dict_get(dict, "First"), (long long)s.len);
    if (n < 1 || first < 0) {
        pledge_err_set(err, "object stream %u: /N or /First out of range",
                       num);
        goto fail;
    }
    s.n = (unsigned)n;
    if (read_ostream_header(pdf, &s, (size_t)first, err) < 0) {
        pledge_err_prefix(err, "object stream %u", num);
        goto fail;
    }
    grown = pledge_grow(pdf->stm, &pdf->stmcap, pdf->nstm + 1,
                        sizeof *pdf->stm);
    if (grown == NULL) {
        out_of_memory(err);
        goto fail;
    }
    pdf->stm = grown;
    if (pdf->vnext == 0)
        pdf->vnext = pdf->len + 1;
    s.base = pdf->vnext;
    pdf->vnext += s.len + 1;
    pdf->stm[pdf->nstm] = s;
    *out = &pdf->stm[pdf->nstm++];
    return 0;
fail:
    arena_release(&pdf->a, m);
    pdf->xref[num].bad = 1;
    return -1;
}

/* Parses object num, which a type-2 entry places in an object stream. */
static int read_stream_object(pledge_pdf *pdf, unsigned num,
                              pledge_pdf_obj **out, pledge_err *err)
{
    const xentry *x = &pdf->xref[num];
    ostream *s = NULL;
    arena_mark m;
    lexer lx;
    pledge_pdf_obj *v;
    size_t p, end;

    if (get_ostream(pdf, (unsigned)x->off, &s, err) < 0)
        return -1;
    if (x->idx >= s->n || s->nums[x->idx] != num)
        return pledge_err_set(err, "object stream %u does not hold it at "
                              "index %u", s->num, x->idx);
    m = arena_get_mark(&pdf->a);
    end = s->pos[x->idx + 1];
    lexer_init(&lx, s->d, end, &pdf->a, &pdf->s);
    if (parse_top(&lx, s->pos[x->idx], &v, &p, err) < 0) {
        pledge_err_prefix(err, "in object stream %u", s->num);
        goto fail;
    }
    p = skip_ws(&lx, p);
    if (p != end) {
        pledge_err_set(err, "in object stream %u: %s after its value",
                       s->num, token_at(&lx, p, "stream") ?
                       "a stream" : "more");
        goto fail;
    }
    shift_spans(v, s->base);
    *out = v;
    return 0;
fail:
    arena_release(&pdf->a, m);
    return -1;
}

const unsigned char *pledge_pdf_span(const pledge_pdf *pdf,
                                     const pledge_pdf_obj *v)
{
    size_t i;

    if (v->end <= pdf->len)
        return pdf->d + v->start;
    for (i = 0; i < pdf->nstm; i++) {
        const ostream *s = &pdf->stm[i];

        if (v->start >= s->base && v->end <= s->base + s->len)
            return s->d + (v->start - s->base);
    }
    return NULL;
}

int pledge_pdf_in_file(const pledge_pdf *pdf, unsigned num)
{
    return num < pdf->size && pdf->xref[num].used && !pdf->xref[num].instm;
}

/* The section at off is not "xref": reads it as a cross-reference
 * stream if it is one, else explains why there is no "xref" there (an
 * offset that is simply wrong). */
static int read_stream_section(pledge_pdf *pdf, lexer *lx, size_t off,
                               size_t sec, const pledge_pdf_obj **trailer,
                               pledge_err *err)
{
    arena_mark m = arena_get_mark(lx->a);
    unsigned long long num, gen;
    pledge_pdf_obj *v;
    pledge_err ignored;
    size_t p;
    int rc;

    rc = parse_header(lx, off, &num, &gen, &p);
    if (rc == 0 && (rc = parse_top(lx, p, &v, &p, &ignored)) == 0 &&
        v->type == PLEDGE_PDF_DICT &&
        pledge_pdf_is_name(pledge_pdf_dict_get(v, "Type"), "XRef")) {
        if (read_xref_stream(pdf, off, sec, v, 0, err) < 0) {
            arena_release(lx->a, m);
            return -1;
        }
        *trailer = v;
        return 0;
    }
    arena_release(lx->a, m);
    if (rc < 0)
        return pledge_err_set(err, "no 'xref' at offset %zu, where "
                              "startxref or /Prev points", off);
    return pledge_err_set(err, "object %llu %llu at offset %zu, where "
                          "startxref or /Prev points: expected 'xref'",
                          num, gen, off);
}

/* The cross-reference stream a hybrid-reference file's classic section
 * names in its trailer t (ISO 32000-1 7.5.8.4), read as part of that
 * section (sec): it places the objects the table does not list (those in
 * object streams), and must agree with the table on those it lists.
 * The file's oldest section (no /Prev) has it, at an offset in the file
 * where the object is a /Type/XRef stream without /Prev; a newer
 * section's trailer may name the same stream, and no other. */
static int read_hybrid_stream(pledge_pdf *pdf, lexer *lx,
                              const pledge_pdf_obj *t, size_t sec,
                              pledge_err *err)
{
    const pledge_pdf_obj *x = pledge_pdf_dict_get(t, "XRefStm");
    unsigned long long num, gen;
    pledge_pdf_obj *v;
    size_t off, p;

    if (x->type != PLEDGE_PDF_INT || x->u.i <= 0 ||
        (unsigned long long)x->u.i >= pdf->len)
        return pledge_err_set(err, "/XRefStm is not an offset in the file");
    off = (size_t)x->u.i;
    /* An update's trailer repeats the oldest section's /XRefStm, for
     * readers that look for it in the newest trailer only; it is read
     * once, with the oldest section. */
    if (pledge_pdf_dict_get(t, "Prev") != NULL) {
        if (pdf->xrefstm_newer != 0 && pdf->xrefstm_newer != off)
            return pledge_err_set(err, "the sections' /XRefStm differ");
        pdf->xrefstm_newer = off;
        return 0;
    }
    if (pdf->xrefstm_newer != 0 && pdf->xrefstm_newer != off)
        return pledge_err_set(err, "an update's /XRefStm is not the oldest "
                              "section's");
    pdf->xrefstm = off;
    if (parse_header(lx, off, &num, &gen, &p) < 0 ||
        parse_top(lx, p, &v, &p, err) < 0 || v->type != PLEDGE_PDF_DICT ||
        !pledge_pdf_is_name(pledge_pdf_dict_get(v, "Type"), "XRef"))
        return pledge_err_set(err, "offset %zu, where /XRefStm points: not "
                              "a cross-reference stream", off);
    return read_xref_stream(pdf, off, sec, v, 1, err);
}

/* Reads the xref section at off (section sec, 0 = the newest) and its
 * trailer.  On success *trailer is the trailer dictionary, in pdf's
 * arena. */
static int read_section(pledge_pdf *pdf, size_t off, size_t sec,
                        const pledge_pdf_obj **trailer, pledge_err *err)
{
    lexer lx;
    subsection *subs = NULL;
    size_t nsubs = 0, cap = 0, p, q;
    pledge_pdf_obj *t;
    int ret = -1;

    lexer_init(&lx, pdf->d, pdf->len, &pdf->a, &pdf->s);
    if (!token_at(&lx, off, "xref"))
        return read_stream_section(pdf, &lx, off, sec, trailer, err);
    p = skip_space(&lx, off + 4);
    if (p == off + 4) {
        pledge_err_set(err, "offset %zu: no end of line after 'xref'", off);
        goto fail;
    }
    while (!token_at(&lx, p, "trailer")) {
        unsigned long long first, count;
        subsection *grown;

        if (scan_uint(&lx, p, PLEDGE_PDF_MAX_OBJECTS, &first, &q) < 0) {
            pledge_err_set(err, "offset %zu: expected an xref subsection "
                           "or 'trailer'", p);
            goto fail;
        }
        p = skip_space(&lx, q);
        if (p == q || scan_uint(&lx, p, PLEDGE_PDF_MAX_OBJECTS, &count,
                                &q) < 0) {
            pledge_err_set(err, "offset %zu: malformed xref subsection "
                           "header", p);
            goto fail;
        }
        p = skip_space(&lx, q);
        if (p == q || count > (pdf->len - p) / ENTRY_BYTES) {
            pledge_err_set(err, "offset %zu: truncated xref subsection", q);
            goto fail;
        }
        for (q = 0; q < count; q++)
            if (check_entry(&lx, p + q * ENTRY_BYTES,
                            (unsigned)(first + q), err) < 0)
                goto fail;
        grown = pledge_grow(subs, &cap, nsubs + 1, sizeof *subs);
        if (grown == NULL) {
            out_of_memory(err);
            goto fail;
        }
        subs = grown;
        subs[nsubs].first = (unsigned)first;
        subs[nsubs].count = (unsigned)count;
        subs[nsubs].pos = p;
        nsubs++;
        p += count * ENTRY_BYTES;
        p = skip_space(&lx, p);
    }
    if (parse_top(&lx, p + 7, &t, &q, err) < 0) {
        pledge_err_prefix(err, "trailer");
        goto fail;
    }
    if (t->type != PLEDGE_PDF_DICT) {
        pledge_err_set(err, "offset %zu: trailer is not a dictionary",
                       t->start);
        goto fail;
    }
    if (sec == 0 && make_tables(pdf, t, err) < 0)
        goto fail;
    if (apply_entries(pdf, subs, nsubs, off, sec, err) < 0)
        goto fail;
    if (pledge_pdf_dict_get(t, "XRefStm") != NULL &&
        read_hybrid_stream(pdf, &lx, t, sec, err) < 0)
        goto fail;
    *trailer = t;
    ret = 0;
fail:
    free(subs);
    return ret;
}

/* Reads the tail: the last "startxref" in the last TAIL_WINDOW bytes, its
 * offset, "%%EOF" and one optional end of line. */
static int read_tail(pledge_pdf *pdf, pledge_err *err)
{
    lexer lx;
    size_t lo, p, q;
    unsigned long long off;

    lexer_init(&lx, pdf->d, pdf->len, &pdf->a, &pdf->s);
    lo = pdf->len > TAIL_WINDOW ? pdf->len - TAIL_WINDOW : 0;
    if (pdf->len < lo + 9)
        return pledge_err_set(err, "no 'startxref' at the end");
    for (p = pdf->len - 9; ; p--) {
        if (pdf->d[p] == 's' && memcmp(pdf->d + p, "startxref", 9) == 0)
            break;
        if (p == lo)
            return pledge_err_set(err, "no 'startxref' in the last %d "
                                  "bytes", TAIL_WINDOW);
    }
    if ((p > 0 && is_regular(pdf->d[p - 1])) || !token_at(&lx, p,
                                                          "startxref"))
        return pledge_err_set(err, "offset %zu: 'startxref' inside "
                              "another word", p);
    q = skip_space(&lx, p + 9);
    if (q == p + 9 || scan_uint(&lx, q, (unsigned long long)INT_LIMIT, &off,
                                &q) < 0)
        return pledge_err_set(err, "offset %zu: no offset after "
                              "'startxref'", p);
    if (off >= pdf->len)
        return pledge_err_set(err, "startxref offset %llu beyond the end "
                              "of the file", off);
    q = skip_space(&lx, q);
    if (pdf->len - q < 5 || memcmp(pdf->d + q, "%%EOF", 5) != 0)
        return pledge_err_set(err, "offset %zu: no '%%%%EOF' after "
                              "startxref", q);
    q += 5;
    if (q < pdf->len && pdf->d[q] == '\r')
        q++;
    if (q < pdf->len && pdf->d[q] == '\n')
        q++;
    pdf->startxref = (size_t)off;
    pdf->tail_end = q;
    return 0;
}

int pledge_pdf_open(pledge_pdf **out, const unsigned char *data, size_t len,
                    pledge_err *err)
{
    pledge_pdf *pdf;
    const pledge_pdf_obj *t = NULL, *prev;
    size_t visited[PLEDGE_PDF_MAX_SECTIONS], i, off;
    arena_mark m;

    if (len < 5 || memcmp(data, "%PDF-", 5) != 0)
        return pledge_err_set(err, "not a PDF file (no %%PDF- header)");
    pdf = calloc(1, sizeof *pdf);
    if (pdf == NULL)
        return out_of_memory(err);
    pdf->d = data;
    pdf->len = len;
    pdf->a.limit = memory_limit(len);
    if (read_tail(pdf, err) < 0)
        goto fail;
    off = pdf->startxref;
    for (;;) {
        if (pdf->nsections == PLEDGE_PDF_MAX_SECTIONS) {
            pledge_err_set(err, "more than %d xref sections",
                           PLEDGE_PDF_MAX_SECTIONS);
            goto fail;
        }
        for (i = 0; i < pdf->nsections; i++)
            if (visited[i] == off) {
                pledge_err_set(err, "xref sections loop: /Prev leads back "
                               "to offset %zu", off);
                goto fail;
            }
        visited[pdf->nsections] = off;
        /* Only the newest trailer is kept. */
        m = arena_get_mark(&pdf->a);
        if (read_section(pdf, off, pdf->nsections, &t, err) < 0)
            goto fail;
        if (pdf->nsections++ == 0)
            pdf->trailer = t;
        prev = pledge_pdf_dict_get(t, "Prev");
        if (prev != NULL && (prev->type != PLEDGE_PDF_INT || prev->u.i < 0 ||
                             (unsigned long long)prev->u.i >= len)) {
            pledge_err_set(err, "trailer /Prev at offset %zu is not an "
                           "offset in the file", prev->start);
            goto fail;
        }
        if (prev != NULL)
            off = (size_t)prev->u.i;
        if (t != pdf->trailer)
            arena_release(&pdf->a, m);
        if (prev == NULL)
            break;
    }
    if (pdf->xrefstm_newer != 0 && pdf->xrefstm == 0) {
        pledge_err_set(err, "an update names a cross-reference stream "
                       "(/XRefStm) that the oldest section does not");
        goto fail;
    }
    *out = pdf;
    return 0;
fail:
    pledge_pdf_close(pdf);
    return -1;
}

void pledge_pdf_close(pledge_pdf *pdf)
{
    if (pdf == NULL)
        return;
    arena_free(&pdf->a);
    free(pdf->s.v);
    free(pdf->cache);
    free(pdf->xref);
    free(pdf->stm);
    free(pdf);
}

const pledge_pdf_obj *pledge_pdf_trailer(const pledge_pdf *pdf)
{
    return pdf->trailer;
}

size_t pledge_pdf_startxref(const pledge_pdf *pdf)
{
    return pdf->startxref;
}

size_t pledge_pdf_tail_end(const pledge_pdf *pdf)
{
    return pdf->tail_end;
}

unsigned pledge_pdf_size(const pledge_pdf *pdf)
{
    return pdf->size;
}

size_t pledge_pdf_nsections(const pledge_pdf *pdf)
{
    return pdf->nsections;
}

size_t pledge_pdf_memory(const pledge_pdf *pdf)
{
    return pdf->a.peak;
}

size_t pledge_pdf_memory_limit(const pledge_pdf *pdf)
{
    return pdf->a.limit;
}

int pledge_pdf_offset(const pledge_pdf *pdf, unsigned num, size_t *off,
                      size_t *section)
{
    const xentry *x;

    if (num >= pdf->size)
        return -1;
    x = &pdf->xref[num];
    if (x->section == 0 || !x->used || x->instm)
        return -1;
    if (off != NULL)
        *off = x->off;
    if (section != NULL)
        *section = (size_t)x->section - 1;
    return 0;
}

/* Parses object num, which the xref lists as in use. */
static int read_object(pledge_pdf *pdf, unsigned num, pledge_pdf_obj **out,
                       pledge_err *err)
{
    const xentry *x = &pdf->xref[num];
    arena_mark m = arena_get_mark(&pdf->a);
    lexer lx;
    unsigned long long n, g;
    size_t p;
    pledge_pdf_obj *v;

    lexer_init(&lx, pdf->d, pdf->len, &pdf->a, &pdf->s);
    if (parse_header(&lx, x->off, &n, &g, &p) < 0)
        return pledge_err_set(err, "no \"%u %u obj\" at offset %zu", num,
                              x->gen, x->off);
    if (n != num || g != x->gen)
        return pledge_err_set(err, "offset %zu holds object %llu %llu, "
                              "not %u %u as the xref says", x->off, n, g,
                              num, x->gen);
    if (parse_top(&lx, p, &v, &p, err) < 0)
        goto fail;
    p = skip_ws(&lx, p);
    if (token_at(&lx, p, "stream")) {
        if (v->type != PLEDGE_PDF_DICT) {
            pledge_err_set(err, "offset %zu: a stream without a "
                           "dictionary", p);
            goto fail;
        }
        p += 6;
        if (!(p < lx.len && (lx.d[p] == '\n' || (lx.d[p] == '\r' &&
                                                  p + 1 < lx.len &&
                                                  lx.d[p + 1] == '\n')))) {
            pledge_err_set(err, "offset %zu: no end of line after "
                           "'stream'", p);
            goto fail;
        }
    } else if (!token_at(&lx, p, "endobj")) {
        pledge_err_set(err, "offset %zu: expected 'endobj'", p);
        goto fail;
    }
    *out = v;
    return 0;
fail:
    arena_release(&pdf->a, m);
    return -1;
}

int pledge_pdf_get(pledge_pdf *pdf, unsigned num, const pledge_pdf_obj **out,
                   pledge_err *err)
{
    if (num >= pdf->size)
        return pledge_err_set(err, "object %u: beyond /Size %u", num,
                              pdf->size);
    if (pdf->xref[num].section == 0)
        return pledge_err_set(err, "object %u: not in the xref", num);
    if (!pdf->xref[num].used)
        return pledge_err_set(err, "object %u: free", num);
    if (pdf->cache[num] == NULL &&
        (pdf->xref[num].instm ?
         read_stream_object(pdf, num, &pdf->cache[num], err) :
         read_object(pdf, num, &pdf->cache[num], err)) < 0)
        return pledge_err_prefix(err, "object %u", num);
    *out = pdf->cache[num];
    return 0;
}

int pledge_pdf_resolve(pledge_pdf *pdf, const pledge_pdf_obj *o,
                       const pledge_pdf_obj **out, pledge_err *err)
{
    const pledge_pdf_obj *t;
    unsigned num, gen;

    if (o->type != PLEDGE_PDF_REF) {
        *out = o;
        return 0;
    }
    num = o->u.ref.num;
    gen = o->u.ref.gen;
    if (pledge_pdf_get(pdf, num, &t, err) < 0)
        return pledge_err_prefix(err, "reference %u %u R", num, gen);
    if (pdf->xref[num].gen != gen)
        return pledge_err_set(err, "reference %u %u R: the xref gives "
                              "generation %u", num, gen,
                              pdf->xref[num].gen);
    if (t->type == PLEDGE_PDF_REF)
        return pledge_err_set(err, "reference %u %u R: a reference to a "
                              "reference", num, gen);
    *out = t;
    return 0;
}
