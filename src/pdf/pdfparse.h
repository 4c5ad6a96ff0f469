/* pdfparse.h - a strict reader of PDF structure for signing and verifying.
 *
 * It reads what a signature needs and nothing more: the trailer, the chain
 * of cross-reference sections, and single objects as trees of values,
 * each with the exact byte span it came from.  It is the attack surface for
 * crafted files, so it never repairs or reconstructs a broken xref, never
 * searches for what is not where the file says it is, bounds every read
 * and every count, and fails with a one-line reason instead.  Stream
 * contents are not read, but for a cross-reference stream and object
 * streams as a pledge's base has them: the oldest section alone may be a
 * cross-reference stream, every update classic, and the rules that bound
 * both are in docs/signature-format.md ("What the reader accepts").
 * Objects from an object stream have spans in its decoded bytes, beyond
 * the file's length: pledge_pdf_span() gives their bytes.
 *
 * Lexing follows ISO 32000-1 sections 7.2 and 7.3.  Limits: containers
 * nest at most PLEDGE_PDF_MAX_DEPTH deep, one object holds at most
 * PLEDGE_PDF_MAX_VALUES values (dictionary keys included), integers lie
 * within +-2^53, object numbers within 1..PLEDGE_PDF_MAX_OBJECTS and
 * generations within 0..65535.  A reader allocates at most
 * PLEDGE_PDF_MEM_BASE + PLEDGE_PDF_MEM_PER_BYTE times the data's length
 * (values, cross-reference tables and the parse stack together; the stack
 * may take as much again while an object is open) and refuses a file
 * that needs more, naming the limit.
 */
#ifndef PLEDGE_PDFPARSE_H
#define PLEDGE_PDFPARSE_H

#include <stddef.h>

#include "../pledge.h"

#define PLEDGE_PDF_MAX_DEPTH 64
#define PLEDGE_PDF_MAX_VALUES 1000000
#define PLEDGE_PDF_MAX_OBJECTS 8388607  /* ISO 32000-1 annex C */
#define PLEDGE_PDF_MAX_SECTIONS 256
#define PLEDGE_PDF_MEM_BASE ((size_t)4 << 20)
#define PLEDGE_PDF_MEM_PER_BYTE 4

typedef enum {
    PLEDGE_PDF_NULL, PLEDGE_PDF_BOOL, PLEDGE_PDF_INT, PLEDGE_PDF_REAL,
    PLEDGE_PDF_NAME, PLEDGE_PDF_STRING, PLEDGE_PDF_HEX, PLEDGE_PDF_ARRAY,
    PLEDGE_PDF_DICT, PLEDGE_PDF_REF
} pledge_pdf_type;

typedef struct pledge_pdf_obj pledge_pdf_obj;

/* One dictionary entry: key is the name without '/', #xx decoded and
 * NUL-terminated (a name may not contain #00, so keylen == strlen(key)). */
typedef struct {
    const char *key;
    size_t keylen;
    pledge_pdf_obj *val;
} pledge_pdf_entry;

struct pledge_pdf_obj {
    pledge_pdf_type type;
    /* The value's bytes in the file are [start, end): a hex string from
     * '<' to just after '>', a dictionary from "<<" to just after ">>", a
     * reference from its object number to just after 'R'. */
    size_t start, end;
    union {
        int b;
        long long i;
        double r;
        /* NAME (without '/', #xx decoded), STRING (escapes decoded), HEX
         * (decoded).  p[len] is always a NUL that len does not count. */
        struct {
            unsigned char *p;
            size_t len;
        } s;
        struct {
            pledge_pdf_obj **items;
            size_t n;
        } arr;
        /* In file order; keys are unique. */
        struct {
            pledge_pdf_entry *entries;
            size_t n;
        } dict;
        struct {
            unsigned num, gen;
        } ref;
    } u;
};

typedef struct pledge_pdf pledge_pdf;

/* Opens data (borrowed: it must outlive the reader).  Checks the "%PDF-"
 * header at offset 0, finds the last "startxref" in the last 1024 bytes,
 * reads its offset and requires "%%EOF" after it; tail_end is the offset
 * just past "%%EOF" and one optional EOL (\n, \r\n or \r).  The xref
 * section must start with the keyword "xref" exactly at that offset, or
 * be the file's oldest section and a cross-reference stream ("num gen
 * obj" there; its faults: "uses a cross-reference stream pledge does not
 * read: ..."); its subsections hold 20-byte entries "oooooooooo ggggg n|f"
 * ending in " \n", " \r" or "\r\n"; then comes "trailer" and its
 * dictionary.  /Prev is followed to older sections, at most
 * PLEDGE_PDF_MAX_SECTIONS of them and never one twice.  /Size of the
 * newest trailer (0 < /Size <= PLEDGE_PDF_MAX_OBJECTS, and <= len) bounds
 * every entry; the newest section's entry wins for each object number;
 * an object listed twice in one section, an in-use entry at or beyond the
 * end of data, and a trailer with /XRefStm are errors.
 * On error returns -1 with a one-line reason in err (no file name: the
 * caller prefixes it) and leaves *out untouched.
 * The caller frees *out with pledge_pdf_close(). */
int pledge_pdf_open(pledge_pdf **out, const unsigned char *data, size_t len,
                    pledge_err *err);
void pledge_pdf_close(pledge_pdf *pdf);

/* The newest trailer dictionary; it lives as long as pdf. */
const pledge_pdf_obj *pledge_pdf_trailer(const pledge_pdf *pdf);
/* The offset the last "startxref" gives: the newest section's. */
size_t pledge_pdf_startxref(const pledge_pdf *pdf);
size_t pledge_pdf_tail_end(const pledge_pdf *pdf);
/* /Size of the newest trailer. */
unsigned pledge_pdf_size(const pledge_pdf *pdf);
size_t pledge_pdf_nsections(const pledge_pdf *pdf);

/* The most bytes pdf has held at once (values, tables and the parse stack
 * together), and the most its limit lets it hold, less the stack: for
 * tests and for measuring. */
size_t pledge_pdf_memory(const pledge_pdf *pdf);
size_t pledge_pdf_memory_limit(const pledge_pdf *pdf);

/* Sets *off to the offset at which object num's "num gen obj" starts per
 * the xref, and *section to the section that defines it (0 = the newest);
 * either pointer may be NULL.  Returns -1, leaving both untouched, if num
 * is free, out of range or in an object stream (it has no offset). */
int pledge_pdf_offset(const pledge_pdf *pdf, unsigned num, size_t *off,
                      size_t *section);

/* The bytes of value v's span [v->start, v->end), v a value of an object
 * pdf returned: in the file for an object the xref places there (then
 * v->end <= the file's length), else in the decoded object stream that
 * holds it (its spans lie beyond the file's length, and mean nothing in
 * the file).  NULL for a value not from pdf. */
const unsigned char *pledge_pdf_span(const pledge_pdf *pdf,
                                     const pledge_pdf_obj *v);
/* 1 if object num is in use and its bytes are in the file ("num gen obj"
 * at its offset), 0 if it is free, missing or in an object stream. */
int pledge_pdf_in_file(const pledge_pdf *pdf, unsigned num);

/* Parses object num: at its xref offset there must be exactly "num gen
 * obj" with the numbers of its xref entry, then one value, then "endobj",
 * or "stream" and an EOL after a dictionary (the stream body is not read);
 * or, for an object in an object stream, the value at its index there
 * (the stream decoded and checked on first use).
 * Objects are parsed once and cached: *out lives as long as pdf, and a
 * second call returns the same pointer.  On error returns -1 (err says
 * why) and leaves *out untouched. */
int pledge_pdf_get(pledge_pdf *pdf, unsigned num, const pledge_pdf_obj **out,
                   pledge_err *err);

/* Follows o if it is a reference, one level: the reference's generation
 * must match the xref, and a reference to a free or missing object, or to
 * an object that is itself a reference, is an error.  Else sets *out to o.
 * On error returns -1 and leaves *out untouched. */
int pledge_pdf_resolve(pledge_pdf *pdf, const pledge_pdf_obj *o,
                       const pledge_pdf_obj **out, pledge_err *err);

/* The value for key (without '/') in dict, or NULL, also when dict is NULL
 * or not a dictionary. */
const pledge_pdf_obj *pledge_pdf_dict_get(const pledge_pdf_obj *dict,
                                          const char *key);
/* 1 if o is the name `name` (without '/'), else 0 (also for NULL). */
int pledge_pdf_is_name(const pledge_pdf_obj *o, const char *name);

/* Parses one value starting at data[pos], after any white space and
 * comments, with the limits above; *end gets the offset just after the
 * value.  For re-reading a dictionary the signer wrote itself, and tests.
 * On error returns -1 and leaves *out and *end untouched.
 * The caller frees *out with pledge_pdf_obj_free(). */
int pledge_pdf_parse_value(const unsigned char *data, size_t len, size_t pos,
                           pledge_pdf_obj **out, size_t *end, pledge_err *err);
/* Frees o, a value pledge_pdf_parse_value() returned, and everything in
 * it (not a value inside it); o may be NULL. */
void pledge_pdf_obj_free(pledge_pdf_obj *o);

#endif
