/* content.c - prove that a signed pledge is what its layout makes (see
 * pledge_verify_content() in pledge.h and docs/signature-format.md).
 *
 * The proof is a re-make: the verifier's own layout, engine and fonts make
 * the pledge again from the inputs it records, the signature update is
 * laid out again as the signer lays it out, and every byte but the
 * /Contents gap must be the same.  That catches what no list of checks
 * would: a value left out, another name drawn over the page, hidden text,
 * an extra annotation.  When the bytes differ, the recorded engine and
 * file hashes tell a changed page (INVALID) from a changed environment
 * (UNCHECKED). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../layout/layout.h"
#include "../pdf/pdfparse.h"
#include "../sign/seal.h"
#include "../sign/sign.h"
#include "../sign/verify.h"
#include "../util/err.h"
#include "engine.h"
#include "inputs.h"
#include "render.h"

static int unchecked(pledge_verdict *v, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int unchecked(pledge_verdict *v, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(v->content_reason, sizeof v->content_reason, fmt, ap);
    va_end(ap);
    v->content = PLEDGE_CONTENT_UNCHECKED;
    return 0;
}

/* The claim against the recorded inputs, before anything is made. */
static int check_claim(const pledge_inputs *in, pledge_verdict *v)
{
    const pledge_claim *c = &v->claim;

    if (strcmp(c->layout, in->layout) != 0)
        return pledge_verdict_invalid(v, "the claim names layout "
                                      "\"%.100s\" but the pledge was made "
                                      "with layout \"%.100s\"", c->layout,
                                      in->layout);
    if (strcmp(c->applicant, in->name) != 0)
        return pledge_verdict_invalid(v, "the claim names applicant "
                                      "\"%.150s\" but the page was made "
                                      "for \"%.150s\"", c->applicant,
                                      in->name);
    if (in->version >= 2 && strcmp(c->text, in->text) != 0)
        return pledge_verdict_invalid(v, "the claim's text hash is not "
                                      "the one the pledge records");
    /* An endorsement certifies the member ID it names for this pledge:
     * one the pledge records otherwise would vouch for two people. */
    if (v->endorsed && v->endorsement.member_id[0] != '\0' &&
        in->member_id[0] != '\0' &&
        strcmp(v->endorsement.member_id, in->member_id) != 0)
        return pledge_verdict_invalid(v, "the endorsement certifies member "
                                      "ID \"%.100s\" but the pledge records "
                                      "member ID \"%.100s\"",
                                      v->endorsement.member_id,
                                      in->member_id);
    if (v->role_member_id[0] != '\0' &&
        strcmp(v->role_member_id, in->member_id) != 0)
        return pledge_verdict_invalid(v, "key %s may sign only the pledge "
                                      "of member \"%.100s\", and this one "
                                      "is of member \"%.100s\"", v->key_id,
                                      v->role_member_id, in->member_id);
    return 0;
}

/* The seal against the signature it accompanies: made by the same key,
 * stating what the claim and the inputs do, of the kind the key's role
 * implies (either kind for a key with no role recorded). */
static int check_seal(const pledge_seal *seal, const pledge_inputs *in,
                      pledge_verdict *v)
{
    char kind = seal->f.kind;
    pledge_err err;

    if (pledge_seal_verify_signature(seal, &v->key) < 0)
        return pledge_verdict_invalid(v, "the seal's signature does not "
                                      "match its facts (altered or damaged)"
                                      " or is not by the key that signed "
                                      "the pledge");
    if (strncmp(v->role, "association ", 12) == 0)
        kind = 'A';
    else if (strncmp(v->role, "applicant ", 10) == 0 || kind == 'E')
        kind = 'P';
    if (pledge_seal_compare(seal, &v->claim, kind, in->member_id, "",
                            &err) < 0)
        return pledge_verdict_invalid(v, "the seal does not state what the "
                                      "pledge does: %s", err.msg);
    return 0;
}

/* The first line of a and b (fingerprints) that differs, into out. */
static void first_line_diff(const char *a, const char *b, char *out,
                            size_t cap)
{
    size_t la, lb;

    while (*a != '\0' || *b != '\0') {
        la = strcspn(a, "\n");
        lb = strcspn(b, "\n");
        if (la != lb || strncmp(a, b, la) != 0) {
            snprintf(out, cap, "%.*s|%.*s", (int)(la > 200 ? 200 : la), a,
                     (int)(lb > 200 ? 200 : lb), b);
            return;
        }
        a += la + (a[la] != '\0');
        b += lb + (b[lb] != '\0');
    }
    out[0] = '\0';
}

/* The value of the line of env starting with key ("lib:harfbuzz:"), up
 * to its newline, into out; "none" when there is no such line. */
static void env_value(const char *env, const char *key, char *out,
                      size_t cap)
{
    size_t k = strlen(key), n;
    const char *p;

    for (p = env; p != NULL && *p != '\0'; p = strchr(p, '\n'), p = p ? p + 1
                                                                 : NULL)
        if (strncmp(p, key, k) == 0) {
            n = strcspn(p + k, "\n");
            snprintf(out, cap, "%.*s", (int)(n < 64 ? n : 64), p + k);
            return;
        }
    snprintf(out, cap, "none");
}

/* "made with library A 1 and B 2, this has A 3 and B 4": every library
 * line of the pledge's record (a) whose value here (b) differs. */
static void libs_diff(const char *a, const char *b, char *why, size_t cap)
{
    char mine[512] = "", here[512] = "", key[80], va[72], vb[72];
    const char *p, *colon;
    size_t n = 0, k;

    for (p = a; p != NULL && *p != '\0'; p = strchr(p, '\n'), p = p ? p + 1
                                                             : NULL) {
        if (strncmp(p, "lib:", 4) != 0 ||
            (colon = strchr(p + 4, ':')) == NULL ||
            (k = (size_t)(colon - p) + 1) >= sizeof key)
            continue;
        snprintf(key, sizeof key, "%.*s", (int)k, p);
        env_value(a, key, va, sizeof va);
        env_value(b, key, vb, sizeof vb);
        if (strcmp(va, vb) == 0)
            continue;
        k -= 5;                                 /* the library's name */
        snprintf(mine + strlen(mine), sizeof mine - strlen(mine),
                 "%s%.*s %s", n ? ", " : "", (int)k, key + 4, va);
        snprintf(here + strlen(here), sizeof here - strlen(here),
                 "%s%.*s %s", n ? ", " : "", (int)k, key + 4, vb);
        n++;
    }
    if (n == 0)
        snprintf(why, cap, "it records other libraries than the ones here");
    else
        snprintf(why, cap, "made with %s %.230s, this has %.230s",
                 n == 1 ? "library" : "libraries", mine, here);
}

/* Why the environment here cannot make the recorded pledge, or "" when
 * it is the recorded one. */
static void drift(const pledge_inputs *in, const pledge_inputs *here,
                  const pledge_layout *lay, char *why, size_t cap)
{
    char d[512], *bar, *name, *end;

    why[0] = '\0';
    if (in->version < 2) {
        snprintf(why, cap, "it was made by a release of pledge that "
                 "recorded no engine or font versions (inputs version 1), "
                 "and this one (%s) makes other bytes from its inputs",
                 PLEDGE_VERSION);
        return;
    }
    /* Another release first: it explains any other difference, a
     * layout's design included. */
    first_line_diff(in->env, here->env, d, sizeof d);
    bar = d[0] != '\0' ? strchr(d, '|') : NULL;
    if (bar != NULL)
        *bar = '\0';
    if (bar != NULL && strncmp(d, "engine:", 7) == 0) {
        snprintf(why, cap, "made with pledge %.40s, this is %.40s", d + 7,
                 bar + 1 + (strncmp(bar + 1, "engine:", 7) == 0 ? 7 : 0));
        return;
    }
    if (strcmp(in->layout_sha256, lay->sha256) != 0) {
        snprintf(why, cap, "layout %.64s here (%.200s) is not the file the "
                 "pledge was made with (same revision and text, other "
                 "design): SHA-256 %.12s... here, %.12s... in the pledge",
                 in->layout, lay->path, lay->sha256, in->layout_sha256);
        return;
    }
    if (bar == NULL)
        return;
    if (strncmp(d, "lib:", 4) == 0 || strncmp(bar + 1, "lib:", 4) == 0) {
        /* Which of them made the difference cannot be told: all that
         * differ are named. */
        libs_diff(in->env, here->env, why, cap);
        return;
    }
    name = strchr(d, ':');
    name = name != NULL ? name + 1 : d;
    if ((end = strrchr(name, ':')) != NULL)
        *end = '\0';
    snprintf(why, cap, "%s %.100s differs from the one the pledge was made "
             "with", strncmp(d, "font:", 5) == 0 ? "font" :
             "hyphenation file", name);
}

/* "id (revision R)", or "id" for an undated revision, into out. */
static const char *named(const char *id, const pledge_layout *lay, char *out,
                         size_t cap)
{
    const char *rev = pledge_layout_revision(lay);

    if (pledge_layout_revision_dated(rev))
        snprintf(out, cap, "%.64s (revision %.150s)", id, rev);
    else
        snprintf(out, cap, "%.64s", id);
    return out;
}

/* The object a byte offset falls in: the last "N G obj" before it. */
static unsigned long object_at(const unsigned char *p, size_t off)
{
    size_t i = off;
    unsigned long num;

    while (i-- > 0) {
        if (i + 3 <= off && memcmp(p + i, "obj", 3) == 0 && i > 0 &&
            p[i - 1] == ' ') {
            size_t k = i - 1;

            while (k > 0 && p[k - 1] >= '0' && p[k - 1] <= '9')
                k--;
            if (k > 0 && p[k - 1] == ' ') {
                size_t j = k - 1;

                while (j > 0 && p[j - 1] >= '0' && p[j - 1] <= '9')
                    j--;
                if (j < k - 1 && (j == 0 || p[j - 1] == '\n' ||
                                  p[j - 1] == '\r')) {
                    num = strtoul((const char *)p + j, NULL, 10);
                    return num;
                }
            }
        }
    }
    return 0;
}

/* The verifier's layout of the recorded id from layouts_dir, kept in the
 * engine (which owns it): returns 1 with *lay set, or 0 (v UNCHECKED)
 * when this verifier lacks it. */
static int trusted_layout(pledge_engine *eng, const char *layouts_dir,
                          const char *id, const pledge_layout **lay,
                          pledge_verdict *v)
{
    char path[4096];
    pledge_layout *l;
    pledge_err err;

    if (!pledge_layout_id_ok(id))
        return unchecked(v, "its layout id \"%.64s\" is not one a layout "
                         "can have", id);
    snprintf(path, sizeof path, "%s/%s.md", layouts_dir, id);
    if (eng->verify_lay != NULL &&
        strcmp(pledge_layout_path(eng->verify_lay), path) == 0) {
        *lay = eng->verify_lay;
        return 1;
    }
    if (access(path, F_OK) != 0)
        return unchecked(v, "layout %s is not installed here (no %.300s)",
                         id, path);
    if (pledge_layout_load(&l, path, &err) < 0)
        return unchecked(v, "layout %s here does not load: %.300s", id,
                         err.msg);
    if (strcmp(pledge_layout_id(l), id) != 0) {
        unchecked(v, "%.300s holds layout \"%.64s\", not %s", path,
                  pledge_layout_id(l), id);
        pledge_layout_free(l);
        return 0;
    }
    pledge_body_cache_clear(&eng->verify_body);
    pledge_layout_free(eng->verify_lay);
    eng->verify_lay = l;
    *lay = l;
    return 1;
}

/* Makes the pledge again as signed and compares; the layout is loaded. */
static int remake_compare(pledge_engine *eng, const pledge_layout *lay,
                          const pledge_inputs *in, const pledge_seal *seal,
                          const unsigned char *data, size_t len,
                          pledge_verdict *v)
{
    const pledge_claim *c = &v->claim;
    pledge_person person;
    pledge_render_opts opts;
    pledge_panel panel;
    pledge_inputs here;
    pledge_err err;
    unsigned char *plain = NULL, *again = NULL;
    size_t plen = 0, alen = 0, gs = 0, ge = 0, i, n;
    char date[11], why[512], what[256];
    int rc = 0;

    pledge_inputs_person(in, &person, &opts);
    memcpy(date, c->time, 10);
    date[10] = '\0';
    panel.signer = c->signer;
    panel.key_id = c->key;
    panel.date = date;
    /* The verifier cannot sign: the seal is drawn from the payload the
     * pledge stores, so the page proves the QR code is exactly it. */
    panel.seal = seal;
    memset(&here, 0, sizeof here);
    here.version = in->version;         /* a version 1 pledge as 0.1.0 */
    here.keep_env = 1;                  /* the bytes decide, not the record */
    memcpy(here.env, in->env, sizeof here.env);
    if (pledge_render_panel(eng, lay, &eng->verify_body, &person, &opts,
                            &panel, &here,
                            &plain, &plen, &err) < 0 ||
        pledge_sign_prepare(plain, plen, c, &again, &alen, &gs, &ge,
                            &err) < 0) {
        rc = unchecked(v, "it cannot be made again here: %.400s", err.msg);
        goto done;
    }
    if (alen == len && gs == v->gap_start && ge == v->gap_end &&
        memcmp(again, data, gs) == 0 &&
        memcmp(again + ge, data + ge, len - ge) == 0) {
        v->content = PLEDGE_CONTENT_VERIFIED;
        if (seal != NULL)
            pledge_seal_id(seal, v->seal_id);
        snprintf(v->content_reason, sizeof v->content_reason,
                 "identical to what layout %s makes for %.150s",
                 named(in->layout, lay, what, sizeof what), in->name);
        goto done;
    }
    if (pledge_engine_fingerprint(eng, here.env, sizeof here.env,
                                  &err) < 0) {
        rc = unchecked(v, "%.400s", err.msg);
        goto done;
    }
    drift(in, &here, lay, why, sizeof why);
    if (why[0] != '\0') {
        rc = unchecked(v, "%s", why);
        goto done;
    }
    n = alen < len ? alen : len;
    for (i = 0; i < n && (again[i] == data[i] || (i >= v->gap_start &&
                                                   i < v->gap_end)); i++)
        ;
    rc = pledge_verdict_invalid(v, "the content differs from what layout "
                                "%s makes for %.150s: "
                                "first difference at byte %zu (object %lu)",
                                named(in->layout, lay, what, sizeof what),
                                in->name, i,
                                object_at(data, i < len ? i : len));

done:
    free(plain);
    free(again);
    return rc;
}

int pledge_verify_content(pledge_engine *eng, const char *layouts_dir,
                          const unsigned char *data, size_t len,
                          pledge_verdict *v)
{
    const pledge_claim *c = &v->claim;
    const pledge_layout *lay = NULL;
    pledge_inputs in;
    pledge_seal seal;
    pledge_pdf *pdf;
    pledge_err err;
    char text[65];
    int found, sealed = 0;

    if (!v->valid)
        return -1;
    if (pledge_pdf_open(&pdf, data, len, &err) < 0)
        return pledge_verdict_invalid(v, "not a readable PDF: %s", err.msg);
    found = pledge_inputs_read(pdf, &in, &err);
    if (found > 0 && (sealed = pledge_seal_read_pdf(pdf, &seal, &err)) < 0)
        found = -1;
    pledge_pdf_close(pdf);
    if (found < 0)
        return pledge_verdict_invalid(v, "%s", err.msg);
    if (found == 0) {
        if (v->role_member_id[0] != '\0')
            return pledge_verdict_invalid(v, "key %s may sign only the "
                                          "pledge of member \"%.100s\"; "
                                          "this PDF is not a pledge",
                                          v->key_id, v->role_member_id);
        return unchecked(v, "the PDF was not made by pledge (it records no "
                         "inputs): only its signature is checked");
    }
    snprintf(v->recorded_member_id, sizeof v->recorded_member_id, "%s",
             in.member_id);
    if (check_claim(&in, v) < 0 ||
        (sealed && check_seal(&seal, &in, v) < 0))
        return -1;
    if (trusted_layout(eng, layouts_dir, in.layout, &lay, v) == 0)
        return 0;
    if (strcmp(pledge_layout_revision(lay), c->revision) != 0)
        return unchecked(v, "layout %s here has revision \"%.150s\", the "
                         "pledge \"%.150s\"", in.layout,
                         pledge_layout_revision(lay), c->revision);
    if (strcmp(pledge_layout_association(lay), c->association) != 0)
        return pledge_verdict_invalid(v, "the claim names association "
                                      "\"%.150s\" but layout %s is of "
                                      "\"%.150s\"", c->association,
                                      in.layout,
                                      pledge_layout_association(lay));
    if (pledge_layout_text_hash(lay, text, &err) < 0)
        return unchecked(v, "%s", err.msg);
    if (strcmp(text, c->text) != 0)
        return pledge_verdict_invalid(v, "the content differs from what "
                                      "layout %s (revision \"%.100s\") "
                                      "makes for %.100s: its text is not "
                                      "the layout's (text hash %.16s... "
                                      "here, %.16s... in the pledge)",
                                      in.layout, c->revision, in.name, text,
                                      c->text);
    return remake_compare(eng, lay, &in, sealed ? &seal : NULL, data, len,
                          v);
}
