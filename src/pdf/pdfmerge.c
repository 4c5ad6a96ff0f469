/* pdfmerge.c - one print file from many pledge PDFs, streamed.
 *
 * Each add runs in two passes over one input.  The first reads everything
 * the input's pages need: it walks the page tree, then every object the
 * pages reach, breadth first, giving each a new number in a per-input map,
 * and finds every stream's bytes.  Any fault of the input stops it there,
 * before a byte is written, so a refused PDF leaves the merge as it was.
 * The second pass writes, and can only fail as the stream does.
 *
 * Values are written back by a small serializer: containers are rebuilt
 * with their references renumbered, names are written with #xx escapes
 * where ISO 32000-1 asks for them, and every other value is copied as the
 * bytes it came from, which is exact (strings and reals keep their
 * spelling).  Stream bytes are copied raw, still compressed.
 *
 * The print file's page tree has two levels: the root (object 1) holds
 * groups of at most GROUP_PAGES pages, so no array grows past what old
 * readers take (8191 elements) below a million pages.  A page's group must be
 * known when the page is written, so the first pass also numbers the
 * groups the new pages will open; they are written by finish.
 */
#include "pdfmerge.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../util/err.h"
#include "../util/grow.h"
#include "pdfparse.h"

#define OBJ_ROOT 1              /* the page tree's root */
#define OBJ_CATALOG 2
#define OBJ_INFO 3
#define OBJ_FIRST 4             /* the first number for copied objects */
#define GROUP_PAGES 128         /* kids of one page tree node */
#define TREE_DEPTH 64           /* levels of an input's page tree */
#define OFFSET_MAX 9999999999ULL /* ten digits: a classic xref entry */
#define BOX_BYTES 128
#define MEDIA_MAX 1.5e7         /* |a /MediaBox value| */

/* Map values besides new object numbers. */
#define MAP_NONE 0              /* not reached (yet) */
#define MAP_NULL UINT_MAX       /* written as null: the old catalog, page
                                   tree nodes, pages outside the tree */
#define MAP_PAGE (UINT_MAX - 1) /* a page, until the pages are numbered */

/* The attributes a page inherits from its ancestors (ISO 32000-1 7.7.3.4). */
static const char *const inheritable[] = {
    "Resources", "MediaBox", "CropBox", "Rotate"
};
#define INH_MEDIABOX 1
#define NINH (sizeof inheritable / sizeof inheritable[0])

/* Page entries the print file leaves out: annotations (the signature
 * widget), and what points into the dropped document structure (article
 * beads, the structure tree) or runs actions. */
static const char *const dropped[] = {
    "Annots", "B", "StructParents", "AA"
};
#define NDROPPED (sizeof dropped / sizeof dropped[0])

struct pledge_merge {
    FILE *out;
    int duplex;
    int werr;                   /* errno of the first failed write, or 0 */
    int done;                   /* finish ran */
    int blank_due;              /* duplex, and the last PDF's page count is
                                   odd: a blank page goes before the next */
    char blank_box[BOX_BYTES];  /* its size: the last page's /MediaBox */
    unsigned long long off;     /* bytes written */
    unsigned next;              /* the next object number to give */
    /* Where each object starts, as an array of 8-byte offsets indexed by
     * object number kept in an unlinked temporary file rather than in
     * memory: the one thing that grows with every object copied. */
    FILE *offsets;
    /* Offsets not yet in offsets: a run of consecutive object numbers
     * from run_first, written with one call (not one per object). */
    uint64_t run[256];
    unsigned run_first;
    size_t nrun;
    unsigned *kids;             /* every page's number, in order */
    size_t npages, kidcap;
    unsigned *groups;           /* group i holds kids[i * GROUP_PAGES...] */
    size_t ngroups, groupcap;
};

/* A page of the input, with what it inherits and does not hold itself. */
typedef struct {
    unsigned num;
    const pledge_pdf_obj *dict;
    const pledge_pdf_obj *inh[NINH];
} page_rec;

/* A copied object other than a page; a stream's bytes are
 * data[body, body + blen). */
typedef struct {
    unsigned num;
    const pledge_pdf_obj *val;
    int stream;
    size_t body, blen;
} obj_rec;

/* One add: the input and the plan for writing it. */
typedef struct {
    pledge_pdf *pdf;
    const unsigned char *d;
    size_t len;
    unsigned size;              /* the input's /Size */
    unsigned *map;              /* old number -> new number or MAP_* */
    page_rec *pages;
    size_t npages, pagecap;
    obj_rec *objs;
    size_t nobjs, objcap;
    unsigned next;              /* the next new number to give */
    unsigned blank;             /* the blank page before, or 0 */
    unsigned *new_groups;       /* numbers of the groups it opens */
    size_t nnew_groups;
    char last_box[BOX_BYTES];   /* the last page's /MediaBox, as written */
} job;

static int out_of_memory(pledge_err *err)
{
    return pledge_err_set(err, "out of memory");
}

/* ---- Writing ---- */

/* Writes n bytes, counting them; after a failure nothing more is written
 * and werr keeps the first errno. */
static void put(pledge_merge *m, const void *p, size_t n)
{
    if (m->werr != 0 || n == 0)
        return;
    errno = 0;
    if (fwrite(p, 1, n, m->out) != n) {
        m->werr = errno != 0 ? errno : EIO;
        return;
    }
    m->off += n;
}

static void put_str(pledge_merge *m, const char *s)
{
    put(m, s, strlen(s));
}

static void putf(pledge_merge *m, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void putf(pledge_merge *m, const char *fmt, ...)
{
    char buf[128];
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    /* Every format here is a few numbers: it always fits. */
    if (n > 0 && (size_t)n < sizeof buf)
        put(m, buf, (size_t)n);
}

/* A name, with #xx for what may not stand in one as itself (ISO 32000-1
 * 7.3.5): white space, delimiters, '#' and bytes outside '!'..'~'. */
static void put_name(pledge_merge *m, const unsigned char *s, size_t n)
{
    static const char hex[] = "0123456789ABCDEF";
    char buf[64];
    size_t i, k = 0;

    buf[k++] = '/';
    for (i = 0; i < n; i++) {
        unsigned c = s[i];

        if (k + 3 > sizeof buf) {
            put(m, buf, k);
            k = 0;
        }
        if (c < 0x21 || c > 0x7e || strchr("#()<>[]{}/%", (int)c)) {
            buf[k++] = '#';
            buf[k++] = hex[c >> 4];
            buf[k++] = hex[c & 15];
        } else {
            buf[k++] = (char)c;
        }
    }
    put(m, buf, k);
}

static void put_ref(pledge_merge *m, const job *j, unsigned num)
{
    unsigned n = num < j->size ? j->map[num] : MAP_NULL;

    if (n == MAP_NULL)
        put_str(m, "null");
    else
        putf(m, "%u 0 R", n);
}

/* Writes v with its references renumbered.  Its nesting was bounded by
 * the reader. */
static void put_value(pledge_merge *m, const job *j, const pledge_pdf_obj *v)
{
    size_t i;

    switch (v->type) {
    case PLEDGE_PDF_REF:
        put_ref(m, j, v->u.ref.num);
        break;
    case PLEDGE_PDF_ARRAY:
        put_str(m, "[");
        for (i = 0; i < v->u.arr.n; i++) {
            if (i > 0)
                put_str(m, " ");
            put_value(m, j, v->u.arr.items[i]);
        }
        put_str(m, "]");
        break;
    case PLEDGE_PDF_DICT:
        put_str(m, "<<");
        for (i = 0; i < v->u.dict.n; i++) {
            const pledge_pdf_entry *e = &v->u.dict.entries[i];

            put_name(m, (const unsigned char *)e->key, e->keylen);
            put_str(m, " ");
            put_value(m, j, e->val);
        }
        put_str(m, ">>");
        break;
    case PLEDGE_PDF_NAME:
        /* Rewritten, not copied: the reader takes bytes in a name that
         * other readers refuse unescaped. */
        put_name(m, v->u.s.p, v->u.s.len);
        break;
    default:
        put(m, pledge_pdf_span(j->pdf, v), v->end - v->start);
        break;
    }
}

static int is_dropped(const char *key)
{
    size_t i;

    for (i = 0; i < NDROPPED; i++)
        if (strcmp(key, dropped[i]) == 0)
            return 1;
    return 0;
}

/* Writes the run of offsets held back to the offsets file. */
static void flush_run(pledge_merge *m)
{
    size_t n = m->nrun * sizeof m->run[0];

    if (m->nrun != 0 && m->werr == 0 &&
        pwrite(fileno(m->offsets), m->run, n,
               (off_t)m->run_first * (off_t)sizeof m->run[0]) != (ssize_t)n)
        m->werr = errno != 0 ? errno : EIO;
    m->nrun = 0;
}

static void begin_obj(pledge_merge *m, unsigned num)
{
    if (m->nrun != 0 && (num != m->run_first + m->nrun ||
                         m->nrun == sizeof m->run / sizeof m->run[0]))
        flush_run(m);
    if (m->nrun == 0)
        m->run_first = num;
    m->run[m->nrun++] = m->off;
    putf(m, "%u 0 obj\n", num);
}

static unsigned group_of(const pledge_merge *m, size_t page)
{
    return m->groups[page / GROUP_PAGES];
}

static void put_page(pledge_merge *m, const job *j, const page_rec *p,
                     unsigned num, unsigned parent)
{
    const pledge_pdf_obj *d = p->dict;
    size_t i;
    int had_parent = 0;

    begin_obj(m, num);
    put_str(m, "<<");
    for (i = 0; i < d->u.dict.n; i++) {
        const pledge_pdf_entry *e = &d->u.dict.entries[i];

        if (is_dropped(e->key))
            continue;
        put_name(m, (const unsigned char *)e->key, e->keylen);
        if (strcmp(e->key, "Parent") == 0) {
            putf(m, " %u 0 R", parent);
            had_parent = 1;
            continue;
        }
        put_str(m, " ");
        put_value(m, j, e->val);
    }
    if (!had_parent)
        putf(m, "/Parent %u 0 R", parent);
    for (i = 0; i < NINH; i++)
        if (p->inh[i] != NULL) {
            putf(m, "/%s ", inheritable[i]);
            put_value(m, j, p->inh[i]);
        }
    put_str(m, ">>\nendobj\n");
}

static void put_blank(pledge_merge *m, unsigned num, unsigned parent,
                      const char *box)
{
    begin_obj(m, num);
    putf(m, "<</Type/Page/Parent %u 0 R/MediaBox ", parent);
    put_str(m, box);
    put_str(m, "/Resources<<>>>>\nendobj\n");
}

static void put_obj(pledge_merge *m, const job *j, const obj_rec *o)
{
    const pledge_pdf_obj *v = o->val;
    size_t i;

    begin_obj(m, j->map[o->num]);
    if (!o->stream) {
        put_value(m, j, v);
        put_str(m, "\nendobj\n");
        return;
    }
    /* The length is written direct: the object that held it is not
     * copied for it. */
    put_str(m, "<<");
    for (i = 0; i < v->u.dict.n; i++) {
        const pledge_pdf_entry *e = &v->u.dict.entries[i];

        if (strcmp(e->key, "Length") == 0)
            continue;
        put_name(m, (const unsigned char *)e->key, e->keylen);
        put_str(m, " ");
        put_value(m, j, e->val);
    }
    putf(m, "/Length %zu>>\nstream\n", o->blen);
    put(m, j->d + o->body, o->blen);
    put_str(m, "\nendstream\nendobj\n");
}

/* ---- Reading ---- */

static int is_pdf_ws(int c)
{
    return c == 0 || c == '\t' || c == '\n' || c == '\f' || c == '\r' ||
           c == ' ';
}

/* Skips white space, and comments too when comments is set. */
static size_t skip_ws(const job *j, size_t p, int comments)
{
    while (p < j->len) {
        if (is_pdf_ws(j->d[p])) {
            p++;
        } else if (comments && j->d[p] == '%') {
            while (p < j->len && j->d[p] != '\r' && j->d[p] != '\n')
                p++;
        } else {
            break;
        }
    }
    return p;
}

static int keyword_at(const job *j, size_t p, const char *kw)
{
    size_t n = strlen(kw);

    return p <= j->len && j->len - p >= n && memcmp(j->d + p, kw, n) == 0;
}

/* Fills o->stream, o->body and o->blen for object o->num, whose value
 * o->val the reader checked is followed by "endobj", or by "stream" and
 * an end of line (comments may come between, as the reader allows).  The
 * body must be followed, after white space only, by "endstream". */
static int find_stream(job *j, obj_rec *o, pledge_err *err)
{
    const pledge_pdf_obj *len, *lv;
    size_t p, end;

    o->stream = 0;
    /* An object from an object stream is never a stream. */
    if (o->val->type != PLEDGE_PDF_DICT || !pledge_pdf_in_file(j->pdf, o->num))
        return 0;
    p = skip_ws(j, o->val->end, 1);
    if (!keyword_at(j, p, "stream"))
        return 0;
    p += 6;
    p += j->d[p] == '\r' ? 2 : 1;
    len = pledge_pdf_dict_get(o->val, "Length");
    if (len == NULL)
        return pledge_err_set(err, "object %u: a stream without /Length",
                              o->num);
    if (pledge_pdf_resolve(j->pdf, len, &lv, err) < 0)
        return pledge_err_prefix(err, "object %u: /Length", o->num);
    if (lv->type != PLEDGE_PDF_INT || lv->u.i < 0 ||
        (unsigned long long)lv->u.i > j->len - p)
        return pledge_err_set(err, "object %u: /Length is not a length "
                              "within the file", o->num);
    end = skip_ws(j, p + (size_t)lv->u.i, 0);
    if (!keyword_at(j, end, "endstream"))
        return pledge_err_set(err, "object %u: no 'endstream' where "
                              "/Length %lld ends the stream", o->num,
                              lv->u.i);
    o->stream = 1;
    o->body = p;
    o->blen = (size_t)lv->u.i;
    return 0;
}

/* Gives the next new number, or fails when the print file would hold
 * more objects than a reader must take (ISO 32000-1 annex C). */
static int take_number(job *j, unsigned *num, pledge_err *err)
{
    if (j->next >= PLEDGE_PDF_MAX_OBJECTS)
        return pledge_err_set(err, "the print file would hold more than "
                              "%d objects", PLEDGE_PDF_MAX_OBJECTS);
    *num = j->next++;
    return 0;
}

static int type_is(const pledge_pdf_obj *v, const char *type)
{
    return v->type == PLEDGE_PDF_DICT &&
           pledge_pdf_is_name(pledge_pdf_dict_get(v, "Type"), type);
}

/* Reaches the object ref points to: queues it for copying under a new
 * number, unless it was reached before or belongs to the dropped document
 * structure. */
static int reach(job *j, const pledge_pdf_obj *ref, pledge_err *err)
{
    unsigned num = ref->u.ref.num;
    const pledge_pdf_obj *v;
    obj_rec *o;

    if (num < j->size && j->map[num] != MAP_NONE)
        return 0;
    if (pledge_pdf_resolve(j->pdf, ref, &v, err) < 0)
        return -1;
    if (type_is(v, "Catalog") || type_is(v, "Pages") || type_is(v, "Page")) {
        j->map[num] = MAP_NULL;
        return 0;
    }
    o = pledge_grow(j->objs, &j->objcap, j->nobjs + 1, sizeof *j->objs);
    if (o == NULL)
        return out_of_memory(err);
    j->objs = o;
    o = &j->objs[j->nobjs];
    memset(o, 0, sizeof *o);
    o->num = num;
    o->val = v;
    if (take_number(j, &j->map[num], err) < 0)
        return -1;
    j->nobjs++;
    return 0;
}

/* Reaches every reference in v (nesting bounded by the reader). */
static int reach_all(job *j, const pledge_pdf_obj *v, pledge_err *err)
{
    size_t i;

    switch (v->type) {
    case PLEDGE_PDF_REF:
        return reach(j, v, err);
    case PLEDGE_PDF_ARRAY:
        for (i = 0; i < v->u.arr.n; i++)
            if (reach_all(j, v->u.arr.items[i], err) < 0)
                return -1;
        return 0;
    case PLEDGE_PDF_DICT:
        for (i = 0; i < v->u.dict.n; i++)
            if (reach_all(j, v->u.dict.entries[i].val, err) < 0)
                return -1;
        return 0;
    default:
        return 0;
    }
}

/* Walks the page tree node that ref points to, collecting pages in order
 * with what they inherit from inh (the nearest ancestor's values). */
static int walk_tree(job *j, const pledge_pdf_obj *ref,
                     const pledge_pdf_obj *const inh[NINH], int depth,
                     pledge_err *err)
{
    const pledge_pdf_obj *node, *kids, *own;
    const pledge_pdf_obj *next[NINH];
    unsigned num;
    size_t i;

    if (ref->type != PLEDGE_PDF_REF)
        return pledge_err_set(err, "page tree: a node that is not a "
                              "reference at offset %zu", ref->start);
    num = ref->u.ref.num;
    if (depth > TREE_DEPTH)
        return pledge_err_set(err, "page tree: deeper than %d levels",
                              TREE_DEPTH);
    if (pledge_pdf_resolve(j->pdf, ref, &node, err) < 0)
        return pledge_err_prefix(err, "page tree");
    if (j->map[num] != MAP_NONE)
        return pledge_err_set(err, "page tree: object %u appears twice",
                              num);
    if (type_is(node, "Page")) {
        page_rec *p = pledge_grow(j->pages, &j->pagecap, j->npages + 1,
                                  sizeof *j->pages);

        if (p == NULL)
            return out_of_memory(err);
        j->pages = p;
        p = &j->pages[j->npages++];
        p->num = num;
        p->dict = node;
        for (i = 0; i < NINH; i++)
            p->inh[i] = pledge_pdf_dict_get(node, inheritable[i]) == NULL ?
                        inh[i] : NULL;
        j->map[num] = MAP_PAGE;
        return 0;
    }
    if (!type_is(node, "Pages"))
        return pledge_err_set(err, "page tree: object %u is neither "
                              "/Pages nor /Page", num);
    j->map[num] = MAP_NULL;
    for (i = 0; i < NINH; i++) {
        own = pledge_pdf_dict_get(node, inheritable[i]);
        next[i] = own != NULL ? own : inh[i];
    }
    kids = pledge_pdf_dict_get(node, "Kids");
    if (kids == NULL || pledge_pdf_resolve(j->pdf, kids, &kids, err) < 0 ||
        kids->type != PLEDGE_PDF_ARRAY)
        return pledge_err_set(err, "page tree: object %u has no /Kids "
                              "array", num);
    for (i = 0; i < kids->u.arr.n; i++)
        if (walk_tree(j, kids->u.arr.items[i], next, depth + 1, err) < 0)
            return -1;
    return 0;
}

/* Writes a number as a PDF number: no exponent, at most five decimals. */
static void format_number(char *buf, size_t size, double v)
{
    size_t n;

    snprintf(buf, size, "%.5f", v);
    n = strlen(buf);
    while (n > 0 && buf[n - 1] == '0')
        buf[--n] = '\0';
    if (n > 0 && buf[n - 1] == '.')
        buf[--n] = '\0';
    if (strcmp(buf, "-0") == 0)
        strcpy(buf, "0");
}

/* Checks the page's /MediaBox (its own or inherited): an array of four
 * numbers; writes it into box in the form the print file uses. */
static int media_box(job *j, size_t page, char box[BOX_BYTES],
                     pledge_err *err)
{
    const page_rec *p = &j->pages[page];
    const pledge_pdf_obj *v = pledge_pdf_dict_get(p->dict, "MediaBox"), *x;
    char num[32];
    size_t i, k = 0;
    double d;

    if (v == NULL)
        v = p->inh[INH_MEDIABOX];
    if (v == NULL)
        return pledge_err_set(err, "page %zu: no /MediaBox", page + 1);
    if (pledge_pdf_resolve(j->pdf, v, &v, err) < 0)
        return pledge_err_prefix(err, "page %zu: /MediaBox", page + 1);
    if (v->type != PLEDGE_PDF_ARRAY || v->u.arr.n != 4)
        return pledge_err_set(err, "page %zu: /MediaBox is not an array of "
                              "four numbers", page + 1);
    box[k++] = '[';
    for (i = 0; i < 4; i++) {
        if (pledge_pdf_resolve(j->pdf, v->u.arr.items[i], &x, err) < 0)
            return pledge_err_prefix(err, "page %zu: /MediaBox", page + 1);
        if (x->type != PLEDGE_PDF_INT && x->type != PLEDGE_PDF_REAL)
            return pledge_err_set(err, "page %zu: /MediaBox is not an "
                                  "array of four numbers", page + 1);
        d = x->type == PLEDGE_PDF_INT ? (double)x->u.i : x->u.r;
        /* Pages are at most 14,400 units (ISO 32000-1 annex C); this
         * looser bound is there to keep box within BOX_BYTES. */
        if (d < -MEDIA_MAX || d > MEDIA_MAX)
            return pledge_err_set(err, "page %zu: /MediaBox value out of "
                                  "range", page + 1);
        format_number(num, sizeof num, d);
        k += (size_t)snprintf(box + k, BOX_BYTES - k, "%s%s",
                              i > 0 ? " " : "", num);
    }
    snprintf(box + k, BOX_BYTES - k, "]");
    return 0;
}

/* The first pass: reads the input and plans its writing, touching only
 * j.  On error returns -1 with err saying why. */
static int plan(const pledge_merge *m, job *j, pledge_err *err)
{
    const pledge_pdf_obj *trailer, *root, *catalog, *pages;
    const pledge_pdf_obj *none[NINH] = { NULL };
    size_t i, k, total, groups;

    if (pledge_pdf_open(&j->pdf, j->d, j->len, err) < 0)
        return -1;
    j->size = pledge_pdf_size(j->pdf);
    j->map = calloc(j->size, sizeof *j->map);
    if (j->map == NULL)
        return out_of_memory(err);
    trailer = pledge_pdf_trailer(j->pdf);
    if (pledge_pdf_dict_get(trailer, "Encrypt") != NULL)
        return pledge_err_set(err, "encrypted: cannot copy its pages");
    root = pledge_pdf_dict_get(trailer, "Root");
    if (root == NULL || root->type != PLEDGE_PDF_REF)
        return pledge_err_set(err, "the trailer has no /Root reference");
    if (pledge_pdf_resolve(j->pdf, root, &catalog, err) < 0)
        return pledge_err_prefix(err, "catalog");
    if (catalog->type != PLEDGE_PDF_DICT)
        return pledge_err_set(err, "catalog: not a dictionary");
    j->map[root->u.ref.num] = MAP_NULL;
    pages = pledge_pdf_dict_get(catalog, "Pages");
    if (pages == NULL)
        return pledge_err_set(err, "catalog: no /Pages");
    if (walk_tree(j, pages, none, 0, err) < 0)
        return -1;
    if (j->npages == 0)
        return pledge_err_set(err, "no pages");
    for (i = 0; i < j->npages; i++)
        if (media_box(j, i, j->last_box, err) < 0)
            return -1;

    /* Numbers: the blank page, the groups the new pages open, the pages,
     * then what they reach. */
    j->next = m->next;
    if (m->blank_due && take_number(j, &j->blank, err) < 0)
        return -1;
    total = m->npages + (j->blank != 0) + j->npages;
    groups = (total + GROUP_PAGES - 1) / GROUP_PAGES;
    j->nnew_groups = groups - m->ngroups;
    j->new_groups = calloc(j->nnew_groups + 1, sizeof *j->new_groups);
    if (j->new_groups == NULL)
        return out_of_memory(err);
    for (i = 0; i < j->nnew_groups; i++)
        if (take_number(j, &j->new_groups[i], err) < 0)
            return -1;
    for (i = 0; i < j->npages; i++)
        if (take_number(j, &j->map[j->pages[i].num], err) < 0)
            return -1;

    for (i = 0; i < j->npages; i++) {
        const pledge_pdf_obj *d = j->pages[i].dict;

        for (k = 0; k < d->u.dict.n; k++) {
            const pledge_pdf_entry *e = &d->u.dict.entries[k];

            if (is_dropped(e->key) || strcmp(e->key, "Parent") == 0)
                continue;
            if (reach_all(j, e->val, err) < 0)
                return pledge_err_prefix(err, "page %zu", i + 1);
        }
        for (k = 0; k < NINH; k++)
            if (j->pages[i].inh[k] != NULL &&
                reach_all(j, j->pages[i].inh[k], err) < 0)
                return pledge_err_prefix(err, "page %zu", i + 1);
    }
    /* j->objs grows as this runs: breadth first, each object once. */
    for (i = 0; i < j->nobjs; i++) {
        obj_rec *o = &j->objs[i];
        unsigned num = o->num;
        const pledge_pdf_obj *v = o->val;

        if (find_stream(j, o, err) < 0)
            return -1;
        if (!o->stream) {
            if (reach_all(j, v, err) < 0)
                return pledge_err_prefix(err, "object %u", num);
            continue;
        }
        for (k = 0; k < v->u.dict.n; k++) {
            const pledge_pdf_entry *e = &v->u.dict.entries[k];

            if (strcmp(e->key, "Length") != 0 &&
                reach_all(j, e->val, err) < 0)
                return pledge_err_prefix(err, "object %u", num);
        }
    }
    return 0;
}

static void job_free(job *j)
{
    pledge_pdf_close(j->pdf);
    free(j->map);
    free(j->pages);
    free(j->objs);
    free(j->new_groups);
}

static int write_failed(pledge_merge *m, pledge_err *err)
{
    return pledge_err_set(err, "write the print file: %s",
                          strerror(m->werr));
}

/* Makes room in m for everything j adds, so that writing cannot fail for
 * want of memory half way. */
static int make_room(pledge_merge *m, const job *j, pledge_err *err)
{
    void *p;

    p = pledge_grow(m->kids, &m->kidcap,
                    m->npages + (j->blank != 0) + j->npages, sizeof *m->kids);
    if (p == NULL)
        return out_of_memory(err);
    m->kids = p;
    p = pledge_grow(m->groups, &m->groupcap, m->ngroups + j->nnew_groups,
                    sizeof *m->groups);
    if (p == NULL)
        return out_of_memory(err);
    m->groups = p;
    return 0;
}

/* ---- The API ---- */

int pledge_merge_begin(pledge_merge **out, FILE *f, int duplex,
                       pledge_err *err)
{
    pledge_merge *m = calloc(1, sizeof *m);

    if (m == NULL)
        return out_of_memory(err);
    m->out = f;
    m->duplex = duplex != 0;
    m->next = OBJ_FIRST;
    if ((m->offsets = tmpfile()) == NULL) {
        pledge_err_set(err, "make a temporary file for the print file: %s",
                       strerror(errno));
        goto fail;
    }
    /* The binary comment tells transfer programs the file is not text. */
    put_str(m, "%PDF-1.4\n%\xe2\xe3\xcf\xd3\n");
    if (m->werr != 0) {
        write_failed(m, err);
        goto fail;
    }
    *out = m;
    return 0;
fail:
    pledge_merge_free(m);
    return -1;
}

int pledge_merge_add(pledge_merge *m, const unsigned char *data, size_t len,
                     pledge_err *err)
{
    job j;
    size_t i;

    if (m->done)
        return pledge_err_set(err, "the print file is already finished");
    if (m->werr != 0)
        return write_failed(m, err);
    memset(&j, 0, sizeof j);
    j.d = data;
    j.len = len;
    if (plan(m, &j, err) < 0 || make_room(m, &j, err) < 0)
        goto fail;

    for (i = 0; i < j.nnew_groups; i++)
        m->groups[m->ngroups++] = j.new_groups[i];
    if (j.blank != 0) {
        put_blank(m, j.blank, group_of(m, m->npages), m->blank_box);
        m->kids[m->npages++] = j.blank;
    }
    for (i = 0; i < j.npages; i++) {
        unsigned num = j.map[j.pages[i].num];

        put_page(m, &j, &j.pages[i], num, group_of(m, m->npages));
        m->kids[m->npages++] = num;
    }
    for (i = 0; i < j.nobjs; i++)
        put_obj(m, &j, &j.objs[i]);
    m->next = j.next;
    m->blank_due = m->duplex && j.npages % 2 == 1;
    memcpy(m->blank_box, j.last_box, sizeof m->blank_box);
    job_free(&j);
    if (m->werr != 0)
        return write_failed(m, err);
    return 0;
fail:
    job_free(&j);
    return -1;
}

size_t pledge_merge_page_count(const pledge_merge *m)
{
    return m->npages;
}

int pledge_merge_finish(pledge_merge *m, pledge_err *err)
{
    unsigned long long xref;
    uint64_t offs[512];
    size_t i, k, n, got;
    unsigned num;

    if (m->done)
        return pledge_err_set(err, "the print file is already finished");
    m->done = 1;
    if (m->werr != 0)
        return write_failed(m, err);
    if (m->npages == 0)
        return pledge_err_set(err, "the print file has no pages");
    for (i = 0; i < m->ngroups; i++) {
        n = m->npages - i * GROUP_PAGES;
        if (n > GROUP_PAGES)
            n = GROUP_PAGES;
        begin_obj(m, m->groups[i]);
        putf(m, "<</Type/Pages/Parent %d 0 R/Count %zu/Kids[", OBJ_ROOT, n);
        for (k = 0; k < n; k++)
            putf(m, k % 8 == 7 ? "%u 0 R\n" : "%u 0 R ",
                 m->kids[i * GROUP_PAGES + k]);
        put_str(m, "]>>\nendobj\n");
    }
    begin_obj(m, OBJ_ROOT);
    putf(m, "<</Type/Pages/Count %zu/Kids[", m->npages);
    for (i = 0; i < m->ngroups; i++)
        putf(m, i % 8 == 7 ? "%u 0 R\n" : "%u 0 R ", m->groups[i]);
    put_str(m, "]>>\nendobj\n");
    begin_obj(m, OBJ_CATALOG);
    putf(m, "<</Type/Catalog/Pages %d 0 R>>\nendobj\n", OBJ_ROOT);
    begin_obj(m, OBJ_INFO);
    put_str(m, "<</Producer(pledge " PLEDGE_VERSION ")/Creator(pledge "
          PLEDGE_VERSION ")>>\nendobj\n");
    if (m->off > OFFSET_MAX)
        return pledge_err_set(err, "the print file is too large for a "
                              "classic xref table (%llu bytes)", m->off);
    xref = m->off;
    putf(m, "xref\n0 %u\n0000000000 65535 f \n", m->next);
    flush_run(m);
    if (fseeko(m->offsets, (off_t)sizeof offs[0], SEEK_SET) != 0)
        m->werr = errno != 0 ? errno : EIO;
    for (num = 1; num < m->next && m->werr == 0; num += (unsigned)got) {
        got = fread(offs, sizeof offs[0], sizeof offs / sizeof offs[0],
                    m->offsets);
        if (got == 0) {
            m->werr = EIO;
            break;
        }
        for (k = 0; k < got && num + k < m->next; k++)
            putf(m, "%010llu 00000 n \n", (unsigned long long)offs[k]);
    }
    putf(m, "trailer\n<</Size %u/Root %d 0 R/Info %d 0 R>>\nstartxref\n"
         "%llu\n%%%%EOF\n", m->next, OBJ_CATALOG, OBJ_INFO, xref);
    if (m->werr == 0 && fflush(m->out) != 0)
        m->werr = errno != 0 ? errno : EIO;
    if (m->werr != 0)
        return write_failed(m, err);
    return 0;
}

void pledge_merge_free(pledge_merge *m)
{
    if (m == NULL)
        return;
    if (m->offsets != NULL)
        fclose(m->offsets);
    free(m->kids);
    free(m->groups);
    free(m);
}
