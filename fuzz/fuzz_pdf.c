/* fuzz_pdf.c - the PDF reader and the signature verifier on any bytes.
 *
 * Each input is verified as a whole file against a keyring holding the
 * key the seeds were signed with, then opened with the structure reader
 * and every object the xref lists is parsed, walked and each reference in
 * it resolved: the two paths a crafted PDF reaches in `pledge verify` and
 * `pledge sign`.
 */
#include "fuzz.h"

#include "../src/pdf/pdfparse.h"
#include "../src/sign/key.h"
#include "../src/sign/verify.h"

static pledge_keyring *ring;

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    pledge_pubkey pk;
    pledge_err err;

    (void)argc;
    (void)argv;
    if (pledge_key_parse_public(FUZZ_PUBKEY, strlen(FUZZ_PUBKEY), &pk, NULL,
                                &err) < 0 ||
        pledge_keyring_new(&ring, &err) < 0 ||
        pledge_keyring_add_key(ring, &pk, "Fuzz Test Signer", &err) < 0) {
        fprintf(stderr, "fuzz_pdf: %s\n", err.msg);
        abort();
    }
    return 0;
}

/* Checks o's span and, for containers, everything in it; resolves each
 * reference one level when there is a pdf (never following it further,
 * so a cycle of references costs nothing). */
static void walk(pledge_pdf *pdf, const pledge_pdf_obj *o, size_t len,
                 int depth)
{
    const pledge_pdf_obj *to;
    pledge_err err;
    size_t i;

    fuzz_require(o != NULL);
    fuzz_require(depth <= PLEDGE_PDF_MAX_DEPTH + 1);
    /* In the input, or (from an object stream) in decoded bytes of it
     * that pledge_pdf_span() finds. */
    fuzz_require(o->start <= o->end &&
                 (o->end <= len ||
                  (pdf != NULL && pledge_pdf_span(pdf, o) != NULL)));
    switch (o->type) {
    case PLEDGE_PDF_NAME:
    case PLEDGE_PDF_STRING:
    case PLEDGE_PDF_HEX:
        fuzz_require(o->u.s.p != NULL && o->u.s.p[o->u.s.len] == '\0');
        break;
    case PLEDGE_PDF_ARRAY:
        for (i = 0; i < o->u.arr.n; i++)
            walk(pdf, o->u.arr.items[i], len, depth + 1);
        break;
    case PLEDGE_PDF_DICT:
        for (i = 0; i < o->u.dict.n; i++) {
            const pledge_pdf_entry *e = &o->u.dict.entries[i];

            fuzz_require(strlen(e->key) == e->keylen);
            fuzz_require(pledge_pdf_dict_get(o, e->key) == e->val);
            walk(pdf, e->val, len, depth + 1);
        }
        break;
    case PLEDGE_PDF_REF:
        if (pdf == NULL)
            break;
        to = o;
        memset(&err, 0, sizeof err);
        if (pledge_pdf_resolve(pdf, o, &to, &err) == 0)
            fuzz_require(to != NULL && to->type != PLEDGE_PDF_REF);
        else
            fuzz_require(to == o);
        break;
    default:
        break;
    }
}

static void read_structure(const uint8_t *data, size_t size)
{
    pledge_pdf *pdf = NULL;
    const pledge_pdf_obj *o, *trailer;
    pledge_err err;
    unsigned num, n;
    size_t off, sec;

    memset(&err, 0, sizeof err);
    if (pledge_pdf_open(&pdf, data, size, &err) < 0) {
        fuzz_require(pdf == NULL);
        fuzz_require_msg(err);
        return;
    }
    trailer = pledge_pdf_trailer(pdf);
    fuzz_require(trailer != NULL && trailer->type == PLEDGE_PDF_DICT);
    n = pledge_pdf_size(pdf);
    fuzz_require(n > 0 && n <= PLEDGE_PDF_MAX_OBJECTS && n <= size);
    fuzz_require(pledge_pdf_startxref(pdf) < size);
    fuzz_require(pledge_pdf_tail_end(pdf) <= size);
    fuzz_require(pledge_pdf_nsections(pdf) >= 1 &&
                 pledge_pdf_nsections(pdf) <= PLEDGE_PDF_MAX_SECTIONS);
    walk(pdf, trailer, size, 0);
    for (num = 0; num <= n; num++) {
        if (pledge_pdf_offset(pdf, num, &off, &sec) == 0)
            fuzz_require(off < size &&
                         sec < pledge_pdf_nsections(pdf));
        o = NULL;
        memset(&err, 0, sizeof err);
        if (pledge_pdf_get(pdf, num, &o, &err) == 0) {
            const pledge_pdf_obj *again = NULL;

            walk(pdf, o, size, 0);
            /* Cached: the same object, not a second parse. */
            fuzz_require(pledge_pdf_get(pdf, num, &again, &err) == 0 &&
                         again == o);
        } else {
            fuzz_require(o == NULL);
            fuzz_require_msg(err);
        }
    }
    pledge_pdf_close(pdf);
}

/* One value at the start of data, as the signer re-reads its own
 * dictionaries. */
static void read_value(const uint8_t *data, size_t size)
{
    pledge_pdf_obj *o = NULL;
    pledge_err err;
    size_t end = 0;

    memset(&err, 0, sizeof err);
    if (pledge_pdf_parse_value(data, size, 0, &o, &end, &err) == 0) {
        fuzz_require(o != NULL && end <= size && o->end <= end);
        walk(NULL, o, size, 0);
        pledge_pdf_obj_free(o);
    } else {
        fuzz_require(o == NULL && end == 0);
        fuzz_require_msg(err);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    pledge_verdict v;
    int r;

    memset(&v, 0, sizeof v);
    r = pledge_verify_pdf(ring, data, size, &v);
    fuzz_require((r == 0) == (v.valid != 0));
    fuzz_require(memchr(v.reason, '\0', sizeof v.reason) != NULL);
    if (r != 0)
        fuzz_require(v.reason[0] != '\0');
    read_structure(data, size);
    read_value(data, size);
    return 0;
}
