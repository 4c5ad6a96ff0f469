/* sign.c - embed a pledge signature by an incremental update (see sign.h). */
#include "sign.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "claim.h"
#include "key.h"
#include "minisig.h"
#include "verify.h"
#include "../pdf/appearance.h"
#include "../pdf/panelfont.h"
#include "../pdf/pdfparse.h"
#include "../pdf/pdfwrite.h"
#include "../typeset/typeset.h"
#include "../util/bytes.h"
#include "../util/err.h"
#include "../util/utf8.h"

/* The /ByteRange placeholder: fixed-width numbers, patched in place once
 * the offsets are known, so patching moves nothing. */
#define BR_DIGITS 10
#define BR_PLACEHOLDER "[0 0000000000 0000000000 0000000000]"
#define BR_MAX 9999999999ULL

/* Every byte written by hand (util/bytes.h). */
typedef pledge_bytes buf;
#define put pledge_bytes_put
#define putf pledge_bytes_printf

/* Refuses what this signer cannot or must not sign: an encrypted file, a
 * catalog it cannot rewrite, a file that already has a form or a
 * signature.  On success *root is the catalog. */
static int check_signable(pledge_pdf *pdf, const pledge_pdf_obj **root,
                          pledge_err *err)
{
    const pledge_pdf_obj *t = pledge_pdf_trailer(pdf), *ref, *cat, *form,
                         *fields, *f, *v;
    size_t i;

    if (pledge_pdf_dict_get(t, "Encrypt") != NULL)
        return pledge_err_set(err, "the PDF is encrypted; pledge signs only "
                              "unencrypted PDFs");
    ref = pledge_pdf_dict_get(t, "Root");
    if (ref == NULL || ref->type != PLEDGE_PDF_REF)
        return pledge_err_set(err, "the trailer has no /Root reference");
    if (pledge_pdf_resolve(pdf, ref, &cat, err) < 0)
        return pledge_err_prefix(err, "read the catalog");
    if (cat->type != PLEDGE_PDF_DICT)
        return pledge_err_set(err, "the catalog is not a dictionary");
    if (pledge_pdf_dict_get(cat, "Perms") != NULL)
        return pledge_err_set(err, "the PDF is already signed (it has "
                              "/Perms); pledge does not sign over another "
                              "signature");
    form = pledge_pdf_dict_get(cat, "AcroForm");
    if (form != NULL) {
        if (pledge_pdf_resolve(pdf, form, &form, err) < 0)
            return pledge_err_prefix(err, "read the form");
        fields = pledge_pdf_dict_get(form, "Fields");
        if (fields != NULL && pledge_pdf_resolve(pdf, fields, &fields,
                                                 err) < 0)
            return pledge_err_prefix(err, "read the form's fields");
        for (i = 0; fields != NULL && fields->type == PLEDGE_PDF_ARRAY &&
                    i < fields->u.arr.n; i++) {
            if (pledge_pdf_resolve(pdf, fields->u.arr.items[i], &f,
                                   err) < 0)
                return pledge_err_prefix(err, "read the form's fields");
            if (pledge_pdf_is_name(pledge_pdf_dict_get(f, "FT"), "Sig")) {
                v = pledge_pdf_dict_get(f, "V");
                if (v != NULL &&
                    pledge_pdf_resolve(pdf, v, &v, err) == 0 &&
                    pledge_pdf_is_name(pledge_pdf_dict_get(v, "SubFilter"),
                                       PLEDGE_SIGN_SUBFILTER))
                    return pledge_err_set(err, "the PDF is already signed "
                                          "by pledge");
                return pledge_err_set(err, "the PDF is already signed (a "
                                      "signature field); pledge does not "
                                      "sign over another signature");
            }
        }
        return pledge_err_set(err, "the PDF has an interactive form; "
                              "pledge signs only PDFs without one");
    }
    *root = ref;
    return 0;
}

int pledge_sign_check(const unsigned char *data, size_t len, pledge_err *err)
{
    const pledge_pdf_obj *root;
    pledge_pdf *pdf;
    int rc;

    if (pledge_pdf_open(&pdf, data, len, err) < 0)
        return pledge_err_prefix(err, "cannot sign it");
    rc = check_signable(pdf, &root, err);
    pledge_pdf_close(pdf);
    return rc;
}

/* The page of an applicant's revision that records the endorsement area
 * (its /PledgeEndorsementArea), and the panel drawn there. */
typedef struct {
    const pledge_pdf_obj *ref;      /* the page's reference in /Kids */
    const pledge_pdf_obj *page;     /* its dictionary */
    long long rect[4];              /* x0 y0 x1 y1, whole points */
    unsigned char *look;            /* the panel's object; owned */
    size_t looklen;
    const pledge_seal *seal;        /* drawn in the panel */
    long long parent;               /* the widget's /StructParent, or -1:
                                       the revision tags no endorsement */
    char tu[2700];                  /* the widget's /TU, UTF-8 */
    int packed;                     /* its form: PLEDGE_ENDORSE_FORM_PACKED */
} area_page;

#define MAX_TREE_DEPTH 8
#define MAX_AREA_PT 14400           /* the largest page PDF allows */

/* Finds in the page tree below node (a reference) the first page with an
 * endorsement area.  Returns 1 when found (a filled in), 0 when no page
 * has one, -1 for a malformed tree or area (err set). */
static int find_area(pledge_pdf *pdf, const pledge_pdf_obj *node, int depth,
                     area_page *a, pledge_err *err)
{
    const pledge_pdf_obj *d, *kids, *r;
    size_t i;
    int rc;

    if (node->type != PLEDGE_PDF_REF || depth > MAX_TREE_DEPTH)
        return pledge_err_set(err, "the page tree is not the one pledge "
                              "writes");
    if (pledge_pdf_resolve(pdf, node, &d, err) < 0)
        return pledge_err_prefix(err, "read the page tree");
    if (d->type != PLEDGE_PDF_DICT)
        return pledge_err_set(err, "a page is not a dictionary");
    kids = pledge_pdf_dict_get(d, "Kids");
    if (pledge_pdf_is_name(pledge_pdf_dict_get(d, "Type"), "Pages")) {
        if (kids == NULL || kids->type != PLEDGE_PDF_ARRAY)
            return pledge_err_set(err, "the page tree has no /Kids array");
        for (i = 0; i < kids->u.arr.n; i++)
            if ((rc = find_area(pdf, kids->u.arr.items[i], depth + 1, a,
                                err)) != 0)
                return rc;
        return 0;
    }
    r = pledge_pdf_dict_get(d, PLEDGE_PDF_AREA_KEY);
    if (r == NULL)
        return 0;
    if (r->type != PLEDGE_PDF_ARRAY || r->u.arr.n != 4)
        return pledge_err_set(err, "the page's endorsement area is not "
                              "[x0 y0 x1 y1]");
    for (i = 0; i < 4; i++) {
        if (r->u.arr.items[i]->type != PLEDGE_PDF_INT ||
            r->u.arr.items[i]->u.i < 0 ||
            r->u.arr.items[i]->u.i > MAX_AREA_PT)
            return pledge_err_set(err, "the page's endorsement area is not "
                                  "four whole points on the page");
        a->rect[i] = r->u.arr.items[i]->u.i;
    }
    if (a->rect[0] >= a->rect[2] || a->rect[1] >= a->rect[3])
        return pledge_err_set(err, "the page's endorsement area is empty");
    if (pledge_pdf_dict_get(d, "Annots") != NULL)
        return pledge_err_set(err, "the signature page has annotations "
                              "already");
    if (d->end - d->start < 4)
        return pledge_err_set(err, "the signature page is malformed");
    a->ref = node;
    a->page = d;
    return 1;
}

/* The endorsement panel's text for e, drawn as object num into a: who
 * endorsed, with which key, when, until when; whose key it certifies; how
 * to verify.  Everything comes from the endorsement, so that a verifier
 * draws it again from the claim alone. */
static int draw_panel(pledge_pdf *pdf, const unsigned char *data,
                      size_t len, const pledge_endorsement *e, unsigned num,
                      int form, area_page *a, pledge_err *err)
{
    pledge_pdf_panel_font font, bold;
    int rc, found;
    char qr[PLEDGE_SEAL_TEXT_BYTES];
    char p1[2400], p2[2400], day[64], until[64], aid[17] = "";
    pledge_pubkey apk;
    pledge_pdf_panel panel;
    char date[11];

    snprintf(date, sizeof date, "%.10s", e->time);
    pledge_typeset_format_date(date, day, sizeof day);
    pledge_typeset_format_date(e->until, until, sizeof until);
    if (pledge_key_parse_public(e->applicant_key, strlen(e->applicant_key),
                                &apk, NULL, err) < 0)
        return pledge_err_prefix(err, "the endorsement's applicant key");
    pledge_key_id_hex(apk.id, aid);
    snprintf(p1, sizeof p1, "Endorsed by %.1000s \xc2\xb7 key %s \xc2\xb7 on "
             "%s%s%s.", e->association, e->key, day,
             e->until[0] != '\0' ? " \xc2\xb7 valid until " : "",
             e->until[0] != '\0' ? until : "");
    snprintf(p2, sizeof p2, "It certifies that %.1000s signed this pledge "
             "with key %s%s%.256s.", e->applicant, aid,
             e->member_id[0] != '\0' ? ", member ID " : "", e->member_id);
    /* What a screen reader says of the widget: the panel's facts. */
    snprintf(a->tu, sizeof a->tu, "Endorsement by %.1000s: on %s%s%s; it "
             "certifies that %.1000s signed this pledge with key %s%s%.256s",
             e->association, day, e->until[0] != '\0' ? ", valid until " :
             "", e->until[0] != '\0' ? until : "", e->applicant, aid,
             e->member_id[0] != '\0' ? ", member ID " : "", e->member_id);
    memset(&panel, 0, sizeof panel);
    panel.width = (unsigned)(a->rect[2] - a->rect[0]);
    panel.height = (unsigned)(a->rect[3] - a->rect[1]);
    panel.square = 1;
    panel.place_marks = form >= PLEDGE_ENDORSE_FORM_0_3;
    panel.packed = form >= PLEDGE_ENDORSE_FORM_PACKED;
    a->packed = panel.packed;
    pledge_seal_text(a->seal, qr);
    panel.qr_text = qr;
    panel.title = PLEDGE_TYPESET_PANEL_TITLE;
    panel.paras[0] = p1;
    panel.paras[1] = p2;
    panel.paras[2] = "To verify, run \xe2\x80\x9cpledge verify\xe2\x80\x9d "
        "on this file with the association\xe2\x80\x99s public key.";
    found = pledge_pdf_panel_fonts(pdf, data, len, a->page,
                                   PLEDGE_TYPESET_PANEL_CHARS, panel.title,
                                   &font, &bold, err);
    if (found < 0)
        return -1;
    if (found) {
        panel.font = &font;
        panel.bold = bold.n > 0 ? &bold : &font;
    }
    rc = pledge_pdf_panel_object(&panel, num, &a->look, &a->looklen, err);
    pledge_pdf_panel_font_free(&font);
    pledge_pdf_panel_font_free(&bold);
    return rc;
}

/* The parent tree key the revision's structure reserves for the widget
 * of object field: the key whose element is a Form element with an
 * object reference to field (pdfwrite.c's tag_form for the signature,
 * tag_endorsement for an endorsement), that element into *elem when elem
 * is not NULL.  -1 when the revision has no such element; then the
 * widget is written untagged, as for a pledge made before the structure
 * named it. */
static long long reserved_parent(pledge_pdf *pdf, const pledge_pdf_obj *cat,
                                 unsigned field, const pledge_pdf_obj **elem)
{
    const pledge_pdf_obj *o = pledge_pdf_dict_get(cat, "StructTreeRoot"),
                         *nums, *e, *k;
    size_t i;

    if (o == NULL || pledge_pdf_resolve(pdf, o, &o, NULL) < 0 ||
        (o = pledge_pdf_dict_get(o, "ParentTree")) == NULL ||
        pledge_pdf_resolve(pdf, o, &o, NULL) < 0 ||
        (nums = pledge_pdf_dict_get(o, "Nums")) == NULL ||
        pledge_pdf_resolve(pdf, nums, &nums, NULL) < 0 ||
        nums->type != PLEDGE_PDF_ARRAY)
        return -1;
    for (i = 0; i + 1 < nums->u.arr.n; i += 2) {
        if (nums->u.arr.items[i]->type != PLEDGE_PDF_INT ||
            nums->u.arr.items[i + 1]->type != PLEDGE_PDF_REF ||
            pledge_pdf_resolve(pdf, nums->u.arr.items[i + 1], &e,
                               NULL) < 0 ||
            !pledge_pdf_is_name(pledge_pdf_dict_get(e, "S"), "Form") ||
            (k = pledge_pdf_dict_get(e, "K")) == NULL ||
            k->type != PLEDGE_PDF_DICT ||
            !pledge_pdf_is_name(pledge_pdf_dict_get(k, "Type"), "OBJR") ||
            (k = pledge_pdf_dict_get(k, "Obj")) == NULL ||
            k->type != PLEDGE_PDF_REF || k->u.ref.num != field ||
            k->u.ref.gen != 0 || nums->u.arr.items[i]->u.i < 0)
            continue;
        if (elem != NULL)
            *elem = e;
        return nums->u.arr.items[i]->u.i;
    }
    return -1;
}

/* One byte of a literal string: ( ) and \ after a backslash, and CR as
 * \r, since ISO 32000-1 7.3.4.2 reads an end of line inside a literal as
 * a bare LF. */
static void put_literal_byte(buf *b, unsigned char c)
{
    if (c == '(' || c == ')' || c == '\\')
        put(b, "\\", 1);
    if (c == '\r')
        put(b, "\\r", 2);
    else
        put(b, &c, 1);
}

/* s (UTF-8) as a PDF text string: a literal when it is printable ASCII,
 * else UTF-16BE with a byte order mark, as a literal when literal is 1
 * (half the bytes), else in hex. */
static void put_text_string(buf *b, const char *s, int literal)
{
    size_t i = 0, n = strlen(s);
    uint32_t cp;
    int ascii = 1;

    for (i = 0; i < n; i++)
        if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] > 0x7e)
            ascii = 0;
    if (ascii) {
        put(b, "(", 1);
        for (i = 0; i < n; i++)
            put_literal_byte(b, (unsigned char)s[i]);
        put(b, ")", 1);
        return;
    }
    put(b, literal ? "(\xfe\xff" : "<FEFF", literal ? 3 : 5);
    for (i = 0; i < n;) {
        unsigned u[2], k, m = 1;

        if (pledge_utf8_next(s, n, &i, &cp) < 0) {
            cp = 0xfffd;
            i++;
        }
        u[0] = (unsigned)cp;
        if (cp >= 0x10000) {
            u[0] = 0xd800 + (unsigned)((cp - 0x10000) >> 10);
            u[1] = 0xdc00 + (unsigned)((cp - 0x10000) & 0x3ff);
            m = 2;
        }
        for (k = 0; k < m; k++) {
            if (literal) {
                put_literal_byte(b, (unsigned char)(u[k] >> 8));
                put_literal_byte(b, (unsigned char)u[k]);
            } else {
                putf(b, "%04X", u[k]);
            }
        }
    }
    put(b, literal ? ")" : ">", 1);
}

/* The place a tagged pledge keeps in its structure for the signature
 * widget: the parent tree key of the Form element whose one kid is an
 * object reference to object field, the widget to come (reserved_parent;
 * docs/accessibility.md).  Found: *key is that key and *alt (*altlen
 * bytes) the element's /Alt string as written, which the widget
 * takes for its /TU.  Returns 1 when found, 0 for any other PDF. */
static int form_slot(pledge_pdf *pdf, const pledge_pdf_obj *cat,
                     unsigned field, long long *key,
                     const unsigned char **alt, size_t *altlen)
{
    const pledge_pdf_obj *elem;

    *key = reserved_parent(pdf, cat, field, &elem);
    if (*key < 0 || (elem = pledge_pdf_dict_get(elem, "Alt")) == NULL ||
        (elem->type != PLEDGE_PDF_STRING && elem->type != PLEDGE_PDF_HEX))
        return 0;
    *alt = pledge_pdf_span(pdf, elem);
    *altlen = elem->end - elem->start;
    return *alt != NULL;
}

/* One cross-reference entry: exactly 20 bytes. */
static void xref_entry(buf *b, size_t off, unsigned gen)
{
    putf(b, "%010zu %05u n\r\n", off, gen);
}

/* Writes the update after data: the signature dictionary, the field
 * (named title), the catalog again (body: its bytes up to, not including,
 * the closing ">>", then a form naming the field prior, if not 0, and
 * the new one), the xref section and the trailer.  *contents gets the
 * offset of the '<' of the /Contents placeholder and *brpos that of the
 * /ByteRange placeholder. */
static void write_update(buf *b, pledge_pdf *pdf, const unsigned char *data,
                         const pledge_pdf_obj *rootref,
                         const unsigned char *body, size_t bodylen,
                         unsigned prior, const char *title,
                         const char *when, size_t hexlen,
                         const area_page *area, size_t *contents,
                         size_t *brpos)
{
    const pledge_pdf_obj *t = pledge_pdf_trailer(pdf), *info, *id, *xs;
    unsigned sig = pledge_pdf_size(pdf), field = sig + 1;
    unsigned rnum = rootref->u.ref.num, rgen = rootref->u.ref.gen;
    unsigned size = area != NULL ? field + 2 : field + 1;
    size_t osig, ofield, oroot, oxref, opage = 0, oap = 0, i, altlen;
    const unsigned char *alt;
    long long key;
    const pledge_pdf_obj *cat;
    pledge_err ignored;

    if (b->len > 0 && b->p[b->len - 1] != '\n' && b->p[b->len - 1] != '\r')
        put(b, "\n", 1);

    osig = b->len;
    putf(b, "%u 0 obj\n<</Type/Sig/Filter/%s/SubFilter/%s/ByteRange", sig,
         PLEDGE_SIGN_FILTER, PLEDGE_SIGN_SUBFILTER);
    *brpos = b->len;
    put(b, BR_PLACEHOLDER, sizeof BR_PLACEHOLDER - 1);
    put(b, "/Contents", 9);
    *contents = b->len;
    put(b, "<", 1);
    for (i = 0; i < hexlen; i++)
        put(b, "0", 1);
    putf(b, ">/M(D:%s)>>\nendobj\n", when);

    ofield = b->len;
    putf(b, "%u 0 obj\n<</Type/Annot/Subtype/Widget/FT/Sig/T(%s)", field,
         title);
    /* A first signature takes the place a tagged pledge keeps for it. */
    if (prior == 0 && pledge_pdf_resolve(pdf, rootref, &cat, &ignored) == 0 &&
        form_slot(pdf, cat, field, &key, &alt, &altlen)) {
        put(b, "/TU", 3);
        put(b, alt, altlen);
        putf(b, "/StructParent %lld", key);
    }
    put(b, "/F 132", 6);
    if (area != NULL) {
        putf(b, "/Rect[%lld %lld %lld %lld]/P %u %u R/AP<</N %u 0 R>>",
             area->rect[0], area->rect[1], area->rect[2], area->rect[3],
             area->ref->u.ref.num, area->ref->u.ref.gen, field + 1);
        if (area->parent >= 0) {
            putf(b, "/StructParent %lld/TU", area->parent);
            put_text_string(b, area->tu, area->packed);
        }
        put(b, "/PledgeSeal<", 12);
        for (i = 0; i < area->seal->len; i++)
            putf(b, "%02x", area->seal->payload[i]);
        putf(b, ">/V %u 0 R>>\nendobj\n", sig);
        oap = b->len;
        put(b, area->look, area->looklen);
    } else {
        putf(b, "/Rect[0 0 0 0]/V %u 0 R>>\nendobj\n", sig);
    }

    /* The catalog again, with the form that names the fields. */
    oroot = b->len;
    putf(b, "%u %u obj\n", rnum, rgen);
    put(b, body, bodylen);
    if (prior != 0)
        putf(b, "/AcroForm<</Fields[%u 0 R %u 0 R]/SigFlags 3>>>>\nendobj\n",
             prior, field);
    else
        putf(b, "/AcroForm<</Fields[%u 0 R]/SigFlags 3>>>>\nendobj\n", field);

    /* The signature page again, showing the field. */
    if (area != NULL) {
        const pledge_pdf_obj *pg = area->page;

        opage = b->len;
        putf(b, "%u %u obj\n", area->ref->u.ref.num, area->ref->u.ref.gen);
        put(b, pledge_pdf_span(pdf, pg), pg->end - pg->start - 2);
        putf(b, "/Annots[%u 0 R]>>\nendobj\n", field);
    }

    oxref = b->len;
    put(b, "xref\n", 5);
    if (area != NULL && area->ref->u.ref.num < rnum) {
        putf(b, "%u 1\n", area->ref->u.ref.num);
        xref_entry(b, opage, area->ref->u.ref.gen);
    }
    putf(b, "%u 1\n", rnum);
    xref_entry(b, oroot, rgen);
    if (area != NULL && area->ref->u.ref.num > rnum) {
        putf(b, "%u 1\n", area->ref->u.ref.num);
        xref_entry(b, opage, area->ref->u.ref.gen);
    }
    putf(b, "%u %u\n", sig, size - sig);
    xref_entry(b, osig, 0);
    xref_entry(b, ofield, 0);
    if (area != NULL)
        xref_entry(b, oap, 0);
    putf(b, "trailer\n<</Size %u/Root %u %u R", size, rnum, rgen);
    info = pledge_pdf_dict_get(t, "Info");
    if (info != NULL && info->type == PLEDGE_PDF_REF)
        putf(b, "/Info %u %u R", info->u.ref.num, info->u.ref.gen);
    id = pledge_pdf_dict_get(t, "ID");
    if (id != NULL && id->type == PLEDGE_PDF_ARRAY) {
        put(b, "/ID", 3);
        put(b, data + id->start, id->end - id->start);
    }
    /* A hybrid-reference base's cross-reference stream, named again for
     * readers that look for it in the newest trailer only. */
    xs = pledge_pdf_dict_get(t, "XRefStm");
    if (xs != NULL && xs->type == PLEDGE_PDF_INT)
        putf(b, "/XRefStm %lld", xs->u.i);
    putf(b, "/Prev %zu>>\nstartxref\n%zu\n%%%%EOF\n",
         pledge_pdf_startxref(pdf), oxref);
}

/* The claim's time, 2026-11-21T12:00:00Z, as a PDF date's digits and
 * zone, 20261121120000Z. */
static int pdf_date(const char *iso, char out[21])
{
    size_t i, k = 0;

    for (i = 0; iso[i] != '\0' && k < 14; i++)
        if (iso[i] >= '0' && iso[i] <= '9')
            out[k++] = iso[i];
    if (k != 14 || strcmp(iso + i, "Z") != 0)
        return -1;
    memcpy(out + k, "Z", 2);
    return 0;
}

/* The catalog of an applicant-signed pledge (data: its bytes, cat's
 * span), without the form pledge added when signing: *bodylen bytes from
 * *body, and *prior the field's
 * object number.  Anything but the one form sign.c writes is refused. */
static int signed_catalog(const unsigned char *data,
                          const pledge_pdf_obj *cat, const unsigned char **body,
                          size_t *bodylen, unsigned *prior, pledge_err *err)
{
    const pledge_pdf_obj *form = pledge_pdf_dict_get(cat, "AcroForm"),
                         *fields, *f;
    char tail[96];
    size_t n, tl;

    if (form == NULL || form->type != PLEDGE_PDF_DICT ||
        (fields = pledge_pdf_dict_get(form, "Fields")) == NULL ||
        fields->type != PLEDGE_PDF_ARRAY || fields->u.arr.n != 1 ||
        (f = fields->u.arr.items[0])->type != PLEDGE_PDF_REF)
        return pledge_err_set(err, "the PDF is not a pledge signed once: "
                              "its form is not the one pledge writes");
    snprintf(tail, sizeof tail, "/AcroForm<</Fields[%u 0 R]/SigFlags 3>>>>",
             f->u.ref.num);
    tl = strlen(tail);
    n = cat->end - cat->start;
    if (n < tl || memcmp(data + n - tl, tail, tl) != 0)
        return pledge_err_set(err, "the PDF is not a pledge signed once: "
                              "its catalog does not end in the form pledge "
                              "writes");
    *body = data;
    *bodylen = n - tl;
    *prior = f->u.ref.num;
    return 0;
}

/* pledge_sign_prepare(), or for an endorsement (trusted its claim, when
 * its time) the update after an applicant's signature. */
static int make_update(const unsigned char *data, size_t len,
                       const pledge_endorsement *e, const pledge_seal *seal,
                       int form, const char *trusted,
                       const char *time, unsigned char **out, size_t *outlen,
                       size_t *gap_start, size_t *gap_end, pledge_err *err)
{
    int endorse = e != NULL, has_area = 0;
    area_page area;
    char when[21], br[64];
    const pledge_pdf_obj *rootref = NULL, *cat;
    const unsigned char *body;
    pledge_pdf *pdf = NULL;
    size_t hexlen, contents = 0, brpos = 0, end, bodylen;
    unsigned prior = 0;
    buf b;

    memset(&b, 0, sizeof b);
    memset(&area, 0, sizeof area);
    if (pdf_date(time, when) < 0)
        return pledge_err_set(err, "signing time \"%s\" is not "
                              "YYYY-MM-DDTHH:MM:SSZ", time);
    if (pledge_pdf_open(&pdf, data, len, err) < 0)
        return pledge_err_prefix(err, "cannot sign it");
    if (endorse) {
        rootref = pledge_pdf_dict_get(pledge_pdf_trailer(pdf), "Root");
        if (rootref == NULL || rootref->type != PLEDGE_PDF_REF) {
            pledge_err_set(err, "the trailer has no /Root reference");
            goto fail;
        }
    } else if (check_signable(pdf, &rootref, err) < 0) {
        goto fail;
    }
    if (pledge_pdf_resolve(pdf, rootref, &cat, err) < 0)
        goto fail;
    body = pledge_pdf_span(pdf, cat);
    if (body == NULL || cat->end - cat->start < 4 ||
        memcmp(body + (cat->end - cat->start) - 2, ">>", 2) != 0) {
        pledge_err_set(err, "the catalog does not end in \">>\"");
        goto fail;
    }
    bodylen = cat->end - cat->start - 2;
    if (endorse && signed_catalog(body, cat, &body, &bodylen, &prior,
                                  err) < 0)
        goto fail;

    if (endorse) {
        const pledge_pdf_obj *pages = pledge_pdf_dict_get(cat, "Pages");
        int found = pages == NULL ? 0 : find_area(pdf, pages, 0, &area, err);

        if (found > 0 && seal == NULL) {
            pledge_err_set(err, "the pledge has an endorsement area, and "
                           "the endorsement no seal to draw there");
            goto fail;
        }
        area.seal = seal;
        area.parent = reserved_parent(pdf, cat, pledge_pdf_size(pdf) + 1,
                                      NULL);
        if (found < 0 ||
            (found && draw_panel(pdf, data, len, e, pledge_pdf_size(pdf) + 2,
                                 form, &area, err) < 0))
            goto fail;
        has_area = found;
    }

    hexlen = 2 * pledge_minisig_text_length(PLEDGE_SIGN_UNTRUSTED, trusted);
    put(&b, data, len);
    write_update(&b, pdf, data, rootref, body, bodylen, prior,
                 endorse ? "Pledge endorsement" : "Pledge signature", when,
                 hexlen, has_area ? &area : NULL, &contents, &brpos);
    if (b.failed) {
        pledge_err_set(err, "sign: out of memory");
        goto fail;
    }
    end = contents + hexlen + 2;
    if ((unsigned long long)b.len > BR_MAX) {
        pledge_err_set(err, "sign: the PDF is too large to sign");
        goto fail;
    }
    snprintf(br, sizeof br, "[0 %0*zu %0*zu %0*zu]", BR_DIGITS, contents,
             BR_DIGITS, end, BR_DIGITS, b.len - end);
    memcpy(b.p + brpos, br, sizeof BR_PLACEHOLDER - 1);
    pledge_pdf_close(pdf);
    free(area.look);
    *out = b.p;
    *outlen = b.len;
    *gap_start = contents;
    *gap_end = end;
    return 0;

fail:
    pledge_pdf_close(pdf);
    free(area.look);
    free(b.p);
    return -1;
}

int pledge_sign_prepare(const unsigned char *data, size_t len,
                        const pledge_claim *claim, unsigned char **out,
                        size_t *outlen, size_t *gap_start, size_t *gap_end,
                        pledge_err *err)
{
    char trusted[PLEDGE_MINISIG_TRUSTED_MAX + 1];

    if (pledge_claim_format(claim, trusted, sizeof trusted, err) < 0)
        return -1;
    return make_update(data, len, NULL, NULL, 0, trusted, claim->time, out,
                       outlen,
                       gap_start, gap_end, err);
}

int pledge_sign_endorse_prepare(const unsigned char *data, size_t len,
                                const pledge_endorsement *e,
                                const pledge_seal *seal, int form,
                                unsigned char **out, size_t *outlen,
                                size_t *gap_start, size_t *gap_end,
                                pledge_err *err)
{
    char trusted[PLEDGE_MINISIG_TRUSTED_MAX + 1];

    if (pledge_endorsement_format(e, trusted, sizeof trusted, err) < 0)
        return -1;
    return make_update(data, len, e, seal, form, trusted, e->time,
                       out, outlen, gap_start, gap_end, err);
}

/* Signs the prepared file p (the gap [contents, gap_end) all zeros) with
 * sk and trusted, writing the signature's hex into the gap. */
static int sign_gap(unsigned char *p, size_t plen, size_t contents,
                    size_t gap_end, const pledge_seckey *sk, const char *trusted,
                pledge_err *err)
{
    static const char hex[] = "0123456789abcdef";
    unsigned char hash[PLEDGE_MINISIG_HASH_BYTES];
    char *sigtext = NULL;
    size_t siglen, i;

    pledge_minisig_hash_gap(p, plen, contents, gap_end, hash);
    if (pledge_minisig_sign(sk, hash, PLEDGE_SIGN_UNTRUSTED, trusted,
                            &sigtext, &siglen, err) < 0)
        return -1;
    for (i = 0; i < siglen; i++) {
        p[contents + 1 + 2 * i] = (unsigned char)hex[(unsigned char)
                                                     sigtext[i] >> 4];
        p[contents + 2 + 2 * i] = (unsigned char)hex[(unsigned char)
                                                     sigtext[i] & 15];
    }
    free(sigtext);
    return 0;
}

void pledge_sign_revision_hash(const unsigned char *data, size_t len,
                               char out[65])
{
    unsigned char h[32];
    size_t i;

    crypto_generichash(h, sizeof h, data, len, NULL, 0);
    for (i = 0; i < sizeof h; i++)
        snprintf(out + 2 * i, 3, "%02x", h[i]);
}

/* The endorsement's seal (kind E): the facts of the applicant's claim in
 * data, dated, keyed and limited as e, certifying e's applicant key. */
static int endorsement_seal(const unsigned char *data, size_t len,
                            const pledge_seckey *sk,
                            const pledge_endorsement *e, pledge_seal *out,
                            pledge_err *err)
{
    pledge_seal_facts f;
    pledge_minisig ms;
    pledge_verdict *v = malloc(sizeof *v);
    pledge_claim c;
    pledge_pubkey apk;
    size_t gs, ge;
    int rc = -1;

    if (v == NULL)
        return pledge_err_set(err, "seal: out of memory");
    if (pledge_verify_locate(data, len, &ms, &gs, &ge, v) < 0) {
        pledge_err_set(err, "seal: %s", v->reason);
        goto done;
    }
    if (pledge_claim_parse(ms.trusted, &c, err) < 0 ||
        pledge_key_parse_public(e->applicant_key, strlen(e->applicant_key),
                                &apk, NULL, err) < 0) {
        pledge_err_prefix(err, "seal");
        goto done;
    }
    snprintf(c.key, sizeof c.key, "%s", e->key);
    snprintf(c.time, sizeof c.time, "%s", e->time);
    if (pledge_seal_facts_from_claim(&c, 'E', e->member_id, e->until, &f,
                                     err) < 0)
        goto done;
    memcpy(f.applicant_key_id, apk.id, PLEDGE_KEY_ID_BYTES);
    rc = pledge_seal_make(&f, sk, out, err);

done:
    free(v);
    return rc;
}

int pledge_endorse_pdf(const unsigned char *data, size_t len,
                       const pledge_seckey *sk, const pledge_endorsement *e,
                       unsigned char **out, size_t *outlen, pledge_err *err)
{
    char trusted[PLEDGE_MINISIG_TRUSTED_MAX + 1];
    pledge_endorsement c = *e;
    pledge_seal s;
    pledge_pubkey pk;
    unsigned char *p = NULL;
    size_t plen = 0, contents = 0, gap_end = 0;

    pledge_seckey_public(sk, &pk);
    pledge_key_id_hex(pk.id, c.key);
    pledge_sign_revision_hash(data, len, c.signed_hash);
    if (pledge_endorsement_format(&c, trusted, sizeof trusted, err) < 0 ||
        endorsement_seal(data, len, sk, &c, &s, err) < 0 ||
        pledge_sign_endorse_prepare(data, len, &c, &s,
                                    PLEDGE_ENDORSE_FORM_PACKED, &p, &plen,
                                    &contents, &gap_end, err) < 0)
        return -1;
    if (sign_gap(p, plen, contents, gap_end, sk, trusted, err) < 0) {
        free(p);
        return -1;
    }
    *out = p;
    *outlen = plen;
    return 0;
}

int pledge_sign_append(const unsigned char *data, size_t len,
                       const pledge_seckey *sk, const pledge_claim *claim,
                       unsigned char **out, size_t *outlen, pledge_err *err)
{
    char trusted[PLEDGE_MINISIG_TRUSTED_MAX + 1];
    unsigned char *p = NULL;
    pledge_claim c = *claim;
    pledge_pubkey pk;
    size_t plen = 0, contents = 0, gap_end = 0;

    pledge_seckey_public(sk, &pk);
    pledge_key_id_hex(pk.id, c.key);
    if (pledge_claim_format(&c, trusted, sizeof trusted, err) < 0 ||
        pledge_sign_prepare(data, len, &c, &p, &plen, &contents, &gap_end,
                            err) < 0)
        return -1;
    if (sign_gap(p, plen, contents, gap_end, sk, trusted, err) < 0) {
        free(p);
        return -1;
    }
    *out = p;
    *outlen = plen;
    return 0;
}

int pledge_sign_detached(const unsigned char *pdf, size_t len,
                         const pledge_seckey *sk, char **out,
                         size_t *outlen, pledge_err *err)
{
    unsigned char hash[PLEDGE_MINISIG_HASH_BYTES];
    pledge_minisig ms;
    pledge_verdict v;
    size_t gap_start, gap_end;

    if (pledge_verify_locate(pdf, len, &ms, &gap_start, &gap_end, &v) < 0)
        return pledge_err_set(err, "detached signature: %s", v.reason);
    pledge_minisig_hash_gap(pdf, len, len, len, hash);
    return pledge_minisig_sign(sk, hash, PLEDGE_SIGN_UNTRUSTED, ms.trusted,
                               out, outlen, err);
}
