/* render.c - one pledge from layout and person to PDF bytes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "../pdf/pdfparse.h"
#include "../pdf/pdfwrite.h"
#include "../sign/claim.h"
#include "../sign/key.h"
#include "../sign/sign.h"
#include "../typeset/typeset.h"
#include "../util/err.h"
#include "../util/text.h"
#include "../util/utf8.h"
#include "engine.h"
#include "inputs.h"
#include "render.h"

/* Longest field values, in characters: generous for any real name, and a
 * bound on what a bad roster row can make the typesetter do. */
#define MAX_NAME 200
#define MAX_CREDENTIALS 200
#define MAX_MEMBER_ID 64

/* Checks a personal field: valid UTF-8, no control characters, not too
 * long, (if required) not blank, and nothing pledge_text_check() refuses:
 * a bidi override or a zero-width space would make the page or a
 * verifier's output read otherwise than the signed bytes. */
static int check_field(const char *what, const char *s, size_t max,
                       int required, pledge_err *err)
{
    size_t i = 0, len, count = 0, blank = 1;
    uint32_t cp;

    if (s == NULL || *s == '\0') {
        if (required)
            return pledge_err_set(err, "%s is empty", what);
        return 0;
    }
    len = strlen(s);
    while (i < len) {
        if (pledge_utf8_next(s, len, &i, &cp) < 0)
            return pledge_err_set(err, "%s: invalid UTF-8 at byte %zu",
                                  what, i + 1);
        count++;
        if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0) || cp == 0x2028 ||
            cp == 0x2029)
            return pledge_err_set(err, "%s: control character U+%04X at "
                                  "character %zu", what, (unsigned)cp,
                                  count);
        if (cp != ' ')
            blank = 0;
    }
    if (blank && required)
        return pledge_err_set(err, "%s is blank", what);
    if (pledge_text_check(what, s, err) < 0)
        return -1;
    if (count > max)
        return pledge_err_set(err, "%s is too long: %zu characters "
                              "(at most %zu)", what, count, max);
    return 0;
}

static int days_in_month(int y, int m)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
                                 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 29;
    return days[m - 1];
}

static int check_date(const char *s, pledge_err *err)
{
    int y, m, d;
    size_t i;

    if (s == NULL || *s == '\0')
        return pledge_err_set(err, "date is empty");
    for (i = 0; s[i]; i++)
        if (i == 4 || i == 7 ? s[i] != '-' : (s[i] < '0' || s[i] > '9'))
            break;
    if (i != 10 || s[i] != '\0')
        return pledge_err_set(err, "date '%.40s' is not YYYY-MM-DD", s);
    y = atoi(s);
    m = atoi(s + 5);
    d = atoi(s + 8);
    if (y < 1900 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m))
        return pledge_err_set(err, "date '%s' does not exist", s);
    return 0;
}

/* The person's fields, as a pledge may print them. */
static int check_person(const pledge_person *person, pledge_err *err)
{
    if (check_field("name", person->name, MAX_NAME, 1, err) < 0 ||
        check_field("credentials", person->credentials, MAX_CREDENTIALS, 0,
                    err) < 0 ||
        check_field("member ID", person->member_id, MAX_MEMBER_ID, 0,
                    err) < 0 ||
        check_date(person->date, err) < 0)
        return -1;
    return 0;
}

static const char *const paper_names[] = {"default", "letter", "a4"};

void pledge_body_cache_clear(pledge_body_cache *c)
{
    pledge_vlist_clear(&c->body);
    memset(c, 0, sizeof *c);
}

/* The body of lay at g's measure: the cached one when cache holds it,
 * else set now (and kept in cache when there is one). */
static int body_for(const pledge_typo *typo, const pledge_layout *lay,
                    const pledge_geometry *g, pledge_paper paper,
                    pledge_body_cache *cache, pledge_vlist *own,
                    const pledge_vlist **body, pledge_err *err)
{
    if (cache == NULL) {
        if (pledge_typeset_body(typo, lay, g->measure, own, err) < 0)
            return -1;
        *body = own;
        return 0;
    }
    if (!cache->ready || cache->lay != lay || cache->paper != paper) {
        pledge_body_cache_clear(cache);
        if (pledge_typeset_body(typo, lay, g->measure, &cache->body,
                                err) < 0)
            return -1;
        cache->lay = lay;
        cache->paper = paper;
        cache->ready = 1;
    }
    *body = &cache->body;
    return 0;
}

/* The BLAKE2b-256 of lay's text in hex, from cache when it holds it:
 * the same for every attendee of a batch. */
static int text_hash(const pledge_layout *lay, pledge_body_cache *cache,
                     char out[65], pledge_err *err)
{
    unsigned char hash[32];
    char *text;

    if (cache != NULL && cache->hashed == lay) {
        memcpy(out, cache->text_hash, 65);
        return 0;
    }
    if ((text = pledge_doc_text(lay)) == NULL)
        return pledge_err_set(err, "hash the layout's text: out of memory");
    crypto_generichash(hash, sizeof hash, (const unsigned char *)text,
                       strlen(text), NULL, 0);
    free(text);
    sodium_bin2hex(out, 65, hash, sizeof hash);
    if (cache != NULL) {
        memcpy(cache->text_hash, out, 65);
        cache->hashed = lay;
    }
    return 0;
}

/* The /PledgeInputs record of a pledge about to be written: *in filled
 * and encoded into *out (the caller frees it). */
static int record_inputs(pledge_engine *eng, const pledge_layout *lay,
                         pledge_body_cache *cache,
                         const pledge_person *p,
                         const pledge_render_opts *opts, pledge_inputs *in,
                         unsigned char **out, size_t *len, pledge_err *err)
{
    int version = in->version == 1 ? 1 : 2, keep = in->keep_env;
    char env[PLEDGE_INPUT_ENV_BYTES];

    if (keep)
        memcpy(env, in->env, sizeof env);
    memset(in, 0, sizeof *in);
    in->version = version;
    snprintf(in->layout, sizeof in->layout, "%s", lay->meta.id);
    snprintf(in->paper, sizeof in->paper, "%s", paper_names[opts->paper]);
    snprintf(in->epoch, sizeof in->epoch, "%lld", opts->epoch);
    snprintf(in->name, sizeof in->name, "%s", p->name);
    snprintf(in->credentials, sizeof in->credentials, "%s",
             p->credentials != NULL ? p->credentials : "");
    snprintf(in->member_id, sizeof in->member_id, "%s",
             p->member_id != NULL ? p->member_id : "");
    snprintf(in->date, sizeof in->date, "%s", p->date);
    memcpy(in->layout_sha256, lay->sha256, sizeof in->layout_sha256);
    if (text_hash(lay, cache, in->text, err) < 0)
        return -1;
    if (keep) {
        memcpy(in->env, env, sizeof env);
        in->keep_env = 1;
    } else if (pledge_engine_fingerprint(eng, in->env, sizeof in->env,
                                         err) < 0) {
        return -1;
    }
    return pledge_inputs_encode(in, out, len, err);
}

int pledge_render_panel(pledge_engine *eng, const pledge_layout *lay,
                        pledge_body_cache *cache,
                        const pledge_person *person,
                        const pledge_render_opts *opts,
                        const pledge_panel *panel, pledge_inputs *rec,
                        unsigned char **pdf, size_t *len, pledge_err *err)
{
    pledge_typo typo;
    pledge_geometry g;
    pledge_vlist own;
    const pledge_vlist *body;
    pledge_pages pages;
    pledge_pdf_info info;
    pledge_inputs own_rec = {0};
    char title[512], subject[512], keywords[256];
    unsigned char *in = NULL;
    size_t in_len = 0;
    const char *rev;
    int rc = -1;

    memset(&own, 0, sizeof own);
    memset(&pages, 0, sizeof pages);
    if (check_person(person, err) < 0)
        return -1;
    if (pledge_engine_typo(eng, lay, &typo, err) < 0)
        return -1;
    pledge_typeset_geometry(&lay->meta, opts->paper, &g);
    if (body_for(&typo, lay, &g, opts->paper, cache, &own, &body,
                 err) < 0 ||
        pledge_typeset_pledge(&typo, lay, &g, body, person, panel, &pages,
                              err) < 0)
        goto fail;
    if (record_inputs(eng, lay, cache, person, opts,
                      rec != NULL ? rec : &own_rec, &in, &in_len, err) < 0)
        goto fail;
    snprintf(title, sizeof title, "%s \xe2\x80\x94 pledge of %s",
             lay->meta.title, person->name);
    /* An undated revision is an editor's note: not printed, not here. */
    rev = pledge_typeset_revision(&lay->meta);
    snprintf(subject, sizeof subject, "%s, %s%s%s%s", lay->meta.association,
             lay->meta.title, rev ? " (" : "", rev ? rev : "", rev ? ")" : "");
    snprintf(keywords, sizeof keywords, "pledge; layout %s%s%s",
             lay->meta.id, rev ? "; " : "", rev ? rev : "");
    memset(&info, 0, sizeof info);
    info.title = title;
    info.author = person->name;
    info.subject = subject;
    info.keywords = keywords;
    info.creator = "pledge " PLEDGE_VERSION;
    info.language = lay->meta.language;
    info.signature_of = panel != NULL ? panel->signer : NULL;
    info.epoch = opts->epoch;
    info.inputs = in;
    info.inputs_len = in_len;
    if (panel != NULL && panel->seal != NULL) {
        info.seal = panel->seal->payload;
        info.seal_len = panel->seal->len;
    }
    if (pledge_pdf_write_cached(eng->pdf, &pages, typo.fonts, &info, pdf,
                                len, err) < 0)
        goto fail;
    rc = 0;

fail:
    free(in);
    pledge_vlist_clear(&own);
    pledge_pages_clear(&pages);
    return rc;
}

/* The claim a signature makes; claim->key is filled in by the signer.
 * lay NULL: a PDF that is not a pledge. */
static int make_claim(const pledge_signing *s, const pledge_layout *lay,
                      pledge_body_cache *cache, const pledge_person *person,
                      pledge_claim *c, pledge_err *err)
{

    memset(c, 0, sizeof *c);
    if (pledge_key_check_signer(s->signer, err) < 0)
        return pledge_err_prefix(err, "signer");
    if (pledge_claim_time(s->time, c->time) < 0)
        return pledge_err_set(err, "signing time %lld is out of range",
                              s->time);
    snprintf(c->signer, sizeof c->signer, "%s", s->signer);
    if (lay == NULL)
        return 0;
    if (text_hash(lay, cache, c->text, err) < 0)
        return -1;
    snprintf(c->association, sizeof c->association, "%s",
             lay->meta.association);
    snprintf(c->layout, sizeof c->layout, "%s", lay->meta.id);
    snprintf(c->revision, sizeof c->revision, "%s", lay->meta.revision);
    snprintf(c->applicant, sizeof c->applicant, "%s", person->name);
    return 0;
}

void pledge_inputs_person(const pledge_inputs *in, pledge_person *person,
                          pledge_render_opts *opts)
{
    size_t i;

    memset(opts, 0, sizeof *opts);
    for (i = 0; i < 3; i++)
        if (strcmp(in->paper, paper_names[i]) == 0)
            opts->paper = (pledge_paper)i;
    opts->epoch = strtoll(in->epoch, NULL, 10);
    person->name = in->name;
    person->credentials = in->credentials;
    person->member_id = in->member_id;
    person->date = in->date;
}

int pledge_layout_text_hash(const pledge_layout *lay, char out[65],
                            pledge_err *err)
{
    return text_hash(lay, NULL, out, err);
}

int pledge_render_pdf(pledge_engine *eng, const pledge_layout *lay,
                      const pledge_person *person,
                      const pledge_render_opts *opts,
                      unsigned char **pdf, size_t *len, pledge_err *err)
{
    return pledge_render_cached(eng, lay, NULL, person, opts, pdf, len, err);
}

int pledge_render_cached(pledge_engine *eng, const pledge_layout *lay,
                         pledge_body_cache *cache,
                         const pledge_person *person,
                         const pledge_render_opts *opts,
                         unsigned char **pdf, size_t *len, pledge_err *err)
{
    const pledge_signing *s = opts->sign;
    pledge_panel panel;
    pledge_seal_facts facts;
    pledge_seal seal;
    pledge_claim claim;
    pledge_pubkey pk;
    char key_id[17], date[11];
    unsigned char *plain = NULL;
    size_t plain_len = 0;
    int rc;

    if (s == NULL)
        return pledge_render_panel(eng, lay, cache, person, opts, NULL, NULL,
                                   pdf, len, err);
    /* The person is checked before the seal states anything of them. */
    if (check_person(person, err) < 0 ||
        make_claim(s, lay, cache, person, &claim, err) < 0)
        return -1;
    pledge_seckey_public(s->key, &pk);
    pledge_key_id_hex(pk.id, key_id);
    memcpy(date, claim.time, 10);
    date[10] = '\0';
    /* The seal states what the claim does, signed by the same key. */
    memcpy(claim.key, key_id, sizeof claim.key);
    if (pledge_seal_facts_from_claim(&claim, s->association ||
                                     strcmp(s->signer,
                                            lay->meta.association) == 0 ?
                                     'A' : 'P',
                                     person->member_id, NULL, &facts,
                                     err) < 0 ||
        pledge_seal_make(&facts, s->key, &seal, err) < 0)
        return -1;
    panel.signer = s->signer;
    panel.key_id = key_id;
    panel.date = date;
    panel.seal = &seal;
    if (pledge_render_panel(eng, lay, cache, person, opts, &panel, NULL,
                            &plain, &plain_len, err) < 0)
        return -1;
    rc = pledge_sign_append(plain, plain_len, s->key, &claim, pdf, len, err);
    free(plain);
    return rc;
}

/* Makes the pledge recorded in in again, unsigned, and checks that it is
 * exactly pdf; then makes it signed. */
static int remake_signed(pledge_engine *eng, const pledge_inputs *in,
                         const unsigned char *pdf, size_t len,
                         const pledge_signing *sign, unsigned char **out,
                         size_t *outlen, pledge_err *err)
{
    pledge_layout *lay = NULL;
    pledge_person person;
    pledge_render_opts opts;
    pledge_inputs rec;
    unsigned char *again = NULL;
    size_t again_len = 0;
    int rc = -1;

    pledge_inputs_person(in, &person, &opts);
    if (strpbrk(in->layout, "/.") != NULL ||
        pledge_layout_open(&lay, eng->datadir, in->layout, err) < 0) {
        pledge_err_set(err, "the pledge's layout '%.64s' is not installed",
                       in->layout);
        goto fail;
    }
    /* Made again with the record version it holds, so a pledge made
     * before the record grew is still recognised. */
    memset(&rec, 0, sizeof rec);
    rec.version = in->version;
    rec.keep_env = 1;
    memcpy(rec.env, in->env, sizeof rec.env);
    if (pledge_render_panel(eng, lay, NULL, &person, &opts, NULL, &rec,
                            &again, &again_len, err) < 0)
        goto fail;
    if (again_len != len || memcmp(again, pdf, len) != 0) {
        pledge_err_set(err, "the pledge differs from what layout '%s' "
                       "makes now (edited since, or made by another "
                       "version); render it again with --sign-with",
                       in->layout);
        goto fail;
    }
    opts.sign = sign;
    rc = pledge_render_pdf(eng, lay, &person, &opts, out, outlen, err);

fail:
    free(again);
    pledge_layout_free(lay);
    return rc;
}

int pledge_sign_pdf(pledge_engine *eng, const unsigned char *pdf, size_t len,
                    const pledge_signing *sign, unsigned char **out,
                    size_t *outlen, pledge_err *err)
{
    pledge_pdf *doc = NULL;
    pledge_claim claim;
    pledge_inputs in;
    int found, rc = -1;

    if (pledge_sign_check(pdf, len, err) < 0 ||
        pledge_pdf_open(&doc, pdf, len, err) < 0)
        return -1;
    found = pledge_inputs_read(doc, &in, err);
    pledge_pdf_close(doc);
    if (found < 0)
        return -1;
    if (found)
        return remake_signed(eng, &in, pdf, len, sign, out, outlen, err);
    if (make_claim(sign, NULL, NULL, NULL, &claim, err) == 0)
        rc = pledge_sign_append(pdf, len, sign->key, &claim, out, outlen,
                                err);
    return rc;
}
