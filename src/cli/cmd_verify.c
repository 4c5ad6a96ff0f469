/* cmd_verify.c - pledge verify: check signed pledges against held keys. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "../batch/manifest.h"
#include "../scan/scan.h"
#include "../sign/seal.h"
#include "../util/file.h"
#include "../util/json.h"
#include "../util/sha256.h"
#include "../util/text.h"

static const char usage[] =
    "usage: pledge verify FILE|DIR... [--key PUB]... [--keyring DIR]\n"
    "                     [--layouts DIR] [--at YYYY-MM-DD] [--json]\n"
    "       pledge verify --scan IMAGE... [--key PUB]... [--keyring DIR]\n"
    "                     [--at YYYY-MM-DD] [--json]\n"
    "\n"
    "Checks that each signed pledge is unchanged since it was signed by a\n"
    "key you hold, that the key may sign it (its role record), and that\n"
    "its pages are exactly what your own copy of its layout makes for the\n"
    "person it names.  A directory stands for every *.pdf in it, and when\n"
    "it holds a batch manifest, every SHA-256 the manifest records is\n"
    "checked too; the manifest itself (DIR/manifest.jsonl) stands for DIR.\n"
    "\n"
    "With --scan, each IMAGE is a photo or scan of a printed pledge (PNG,\n"
    "JPEG, or a PDF, every page searched): the seal's QR code is found and\n"
    "checked against the same keys, roles, revocation lists and expiry, and\n"
    "its facts printed for you to compare with the paper.  On a PDF page\n"
    "with text, the applicant's name and member ID must be on that page.\n"
    "\n"
    "  FILE                  a signed pledge; - reads standard input\n"
    "  -k, --key PUB         trust this public key file (repeatable), with\n"
    "                        the role record beside it (PUB's .role)\n"
    "  -K, --keyring DIR     trust every *.pub in DIR (default, when no\n"
    "                        --key is given: $PLEDGE_KEYRING, else keys/)\n"
    "      --layouts DIR     the layouts to check content against (default:\n"
    "                        the installed ones)\n"
    "      --revocations LIST\n"
    "                        a revocation list the association signed\n"
    "                        (repeatable; NAME.revoked beside a key in\n"
    "                        the keyring is read too)\n"
    "      --at DATE         check an endorsement's expiry as of DATE\n"
    "                        (default: today, UTC)\n"
    "      --scan            the operands are images of printed pledges\n"
    "      --json            one JSON object per file on standard output\n"
    "  -h, --help            show this help\n"
    "\n"
    "Verdicts: VALID (signature and content), UNCHECKED (signature valid,\n"
    "content not checkable here, and why), EXPIRED (an endorsement past\n"
    "its --until date), REVOKED (listed in a revocation list), INVALID.\n"
    "Exit status: 0 every file VALID, 1 any INVALID, EXPIRED or REVOKED,\n"
    "2 usage error or an unreadable file, 3 all signatures valid but some\n"
    "content UNCHECKED.  An image with no QR code, or one that cannot be\n"
    "read, is an unreadable file; a QR code that is not a pledge seal is\n"
    "INVALID.\n";

#define EXIT_UNCHECKED 3
#define MAX_LISTS 16

typedef struct {
    int json;
    int scan;                   /* operands are images (--scan) */
    char at[11];                /* the date expiry is checked at */
    size_t valid, unchecked, invalid, unreadable, expired, revoked;
    pledge_revocations *lists[MAX_LISTS];   /* signed revocation lists */
    char list_path[MAX_LISTS][PATH_MAX];
    size_t nlists;
    pledge_engine *eng;         /* opened on first use */
    char layouts[PATH_MAX];
    pledge_manifest list;       /* the directory's manifest, if any */
} tally;

/* s escaped for a terminal (see pledge_text_escape()): a file name or a
 * claim field must not move the cursor or hide what follows.  The result
 * lives until SHOWN_SLOTS more calls, enough for one printf(). */
#define SHOWN_SLOTS 12
static const char *shown(const char *s)
{
    static char slot[SHOWN_SLOTS][4 * PATH_MAX + 1];
    static int k;

    k = (k + 1) % SHOWN_SLOTS;
    pledge_text_escape(slot[k], sizeof slot[k], s);
    return slot[k];
}

/* Every string that comes from a file, a file name, a key record or a
 * claim is printed through here. */
static void show(FILE *f, const char *s)
{
    fputs(shown(s), f);
}

/* A labelled line of the text verdict: "  label  value". */
static void line(const char *label, const char *value)
{
    printf("  %-12s ", label);
    show(stdout, value);
    putchar('\n');
}

static void json_field(const char *key, const char *value)
{
    printf(",\"%s\":", key);
    pledge_json_string(stdout, value);
}

/* Which kind of pledge v is: who signed it. */
static const char *kind(const pledge_verdict *v)
{
    if (v->endorsed)
        return "applicant-signed, endorsed by the association";
    if (strncmp(v->role, "association ", 12) == 0)
        return "signed by the association itself";
    if (strncmp(v->role, "applicant ", 10) == 0)
        return "applicant-signed only, not endorsed";
    return "signed by a key with no recorded role";
}

/* The n members keys[i]: vals[i], each after a comma. */
static void json_fields(const char *const *keys, const char *const *vals,
                        size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        json_field(keys[i], vals[i]);
}

/* Says that a good signature was made with a key since retired. */
static void retired_line(const char *key_id, const char *date)
{
    printf("  %-12s signed with the retired key %s, retired on ",
           "key retired", key_id);
    show(stdout, date);
    putchar('\n');
}

/* The endorsement's lines of the verdict, after the applicant's. */
static void print_endorsement(const pledge_verdict *v, int json,
                              int expired)
{
    const pledge_endorsement *e = &v->endorsement;
    static const char *const keys[] = {
        "endorser", "endorser_key_id", "endorser_key_file", "endorser_role",
        "endorsed_at", "endorsed_until", "member_id", "applicant_key"
    };
    const char *const vals[] = {
        v->endorser, e->key, v->endorser_key_file, v->endorser_role,
        e->time, e->until, e->member_id, e->applicant_key
    };

    if (json) {
        json_fields(keys, vals, 8);
        printf(",\"expired\":%s", expired ? "true" : "false");
        json_field("endorser_retired", v->endorser_retired);
        json_field("endorsement_seal", v->endorsement_seal);
        return;
    }
    printf("  %-12s ", "endorsed by");
    show(stdout, v->endorser);
    printf(" (key ID %s, ", e->key);
    show(stdout, v->endorser_key_file);
    fputs(")\n", stdout);
    line("endorsed as", v->endorser_role);
    if (v->endorser_retired[0] != '\0')
        retired_line(e->key, v->endorser_retired);
    line("endorsed at", e->time);
    if (e->until[0] != '\0') {
        printf("  %-12s ", expired ? "EXPIRED" : "valid until");
        show(stdout, e->until);
        putchar('\n');
    }
    if (e->member_id[0] != '\0')
        line("member ID", e->member_id);
    if (v->endorsement_seal[0] != '\0')
        line("seal", v->endorsement_seal);
}

/* The revocation's line of the verdict, or its JSON member. */
static void print_revoked(const pledge_revocation *r, int json)
{
    if (json) {
        fputs(",\"revoked\":{\"kind\":", stdout);
        pledge_json_string(stdout, r->kind);
        json_field("value", r->value);
        json_field("date", r->date);
        json_field("reason", r->reason);
        putchar('}');
        return;
    }
    printf("  %-12s on ", "REVOKED");
    show(stdout, r->date);
    fputs(": ", stdout);
    show(stdout, r->reason);
    fputs(" (", stdout);
    show(stdout, r->kind);
    putchar(' ');
    show(stdout, r->value);
    fputs(")\n", stdout);
}

static void print_good(const char *file, const pledge_verdict *v, int json,
                       int expired, const pledge_revocation *revoked)
{
    const pledge_claim *c = &v->claim;
    int ok = v->content == PLEDGE_CONTENT_VERIFIED && !expired &&
             revoked == NULL;
    static const char *const keys[] = {
        "signer", "key_id", "key_file", "role", "time", "association",
        "layout", "revision", "applicant", "text_hash"
    };
    const char *const vals[] = {
        v->signer, v->key_id, v->key_file, v->role, c->time,
        c->association, c->layout, c->revision, c->applicant, c->text
    };
    if (json) {
        fputs("{\"file\":", stdout);
        pledge_json_string(stdout, file);
        printf(",\"valid\":%s,\"verdict\":\"%s\",\"signature\":\"valid\","
               "\"content\":\"%s\"", ok ? "true" : "false",
               revoked != NULL ? "revoked" : expired ? "expired" :
               ok ? "valid" : "unchecked",
               v->content == PLEDGE_CONTENT_VERIFIED ? "verified" :
               "unchecked");
        json_field(v->content == PLEDGE_CONTENT_VERIFIED ? "content_note" :
                   "content_reason", v->content_reason);
        json_field("kind", kind(v));
        printf(",\"endorsed\":%s", v->endorsed ? "true" : "false");
        json_fields(keys, vals, 10);
        json_field("page_signer", c->signer);
        json_field("retired", v->retired);
        json_field("seal_id", v->seal_id);
        if (v->endorsed)
            print_endorsement(v, json, expired);
        if (revoked != NULL)
            print_revoked(revoked, json);
        puts("}");
        return;
    }
    fputs(revoked != NULL ? "REVOKED  " : expired ? "EXPIRED  " :
          ok ? "VALID    " : "UNCHECKED ", stdout);
    show(stdout, file);
    putchar('\n');
    line("kind", kind(v));
    printf("  %-12s ", "signed by");
    show(stdout, v->signer);
    printf(" (key ID %s, ", v->key_id);
    show(stdout, v->key_file);
    fputs(")\n", stdout);
    if (v->role[0] != '\0')
        line("key role", v->role);
    else
        line("key role", "none recorded: any pledge this key signs passes");
    if (v->retired[0] != '\0')
        retired_line(v->key_id, v->retired);
    line("signed at", c->time);
    if (c->layout[0] != '\0') {
        line("applicant", c->applicant);
        line("association", c->association);
        printf("  %-12s ", "layout");
        show(stdout, c->layout);
        if (pledge_layout_revision_dated(c->revision)) {
            fputs(", revision ", stdout);
            show(stdout, c->revision);
        } else {
            fputs(" (undated)", stdout);
        }
        putchar('\n');
        printf("  %-12s blake2b-256 ", "text");
        show(stdout, c->text);
        putchar('\n');
    } else {
        line("document", "not a pledge: a PDF signed as it was");
    }
    if (v->endorsed)
        print_endorsement(v, json, expired);
    if (revoked != NULL)
        print_revoked(revoked, json);
    if (v->seal_id[0] != '\0')
        line("seal", v->seal_id);
    if (v->content == PLEDGE_CONTENT_VERIFIED) {
        line("content", v->content_reason);
    } else {
        fputs("  content      NOT CHECKED: ", stdout);
        show(stdout, v->content_reason);
        putchar('\n');
    }
}

static void print_problem(const char *file, const char *verdict,
                          const char *reason, int json)
{
    if (json) {
        fputs("{\"file\":", stdout);
        pledge_json_string(stdout, file);
        printf(",\"valid\":false,\"verdict\":\"%s\",\"reason\":",
               strcmp(verdict, "INVALID") == 0 ? "invalid" : "error");
        pledge_json_string(stdout, reason);
        puts("}");
    } else {
        printf("%-8s ", verdict);
        show(stdout, file);
        fputs(": ", stdout);
        show(stdout, reason);
        putchar('\n');
    }
}

static void verify_file(const pledge_keyring *kr, const char *path, tally *t)
{
    unsigned char *data = NULL;
    size_t len = 0;
    pledge_verdict v;
    pledge_err err;
    pledge_manifest_entry *l = pledge_manifest_find(&t->list, path);
    char sha[65];
    const pledge_revocation *revoked = NULL;
    size_t i;
    int expired;

    if (cli_read_file(path, &data, &len, &err) < 0) {
        print_problem(path, "ERROR", err.msg, t->json);
        t->unreadable++;
        return;
    }
    if (l != NULL) {
        l->seen = 1;
        pledge_sha256_hex(data, len, sha);
        if (strcmp(sha, l->sha256) != 0) {
            print_problem(path, "INVALID", "its SHA-256 is not the one "
                          "the manifest records", t->json);
            t->invalid++;
            free(data);
            return;
        }
    }
    if (pledge_verify_pdf(kr, data, len, &v) == 0 && t->eng == NULL &&
        pledge_engine_open(&t->eng, cli_datadir(), &err) < 0) {
        v.content = PLEDGE_CONTENT_UNCHECKED;
        snprintf(v.content_reason, sizeof v.content_reason, "%s", err.msg);
    } else if (v.valid) {
        /* An endorsed pledge's pages are its applicant's revision. */
        pledge_verify_content(t->eng, t->layouts, data, v.signed_len, &v);
    }
    if (v.valid) {
        /* An endorsement that ended is no endorsement: it fails as
         * INVALID does, in its own word. */
        expired = v.endorsed && v.endorsement.until[0] != '\0' &&
                  strcmp(t->at, v.endorsement.until) > 0;
        for (i = 0; i < t->nlists && revoked == NULL; i++)
            revoked = pledge_revocations_match(kr, t->lists[i], &v, data);
        print_good(path, &v, t->json, expired, revoked);
        if (revoked != NULL)
            t->revoked++;
        else if (expired)
            t->expired++;
        else if (v.content == PLEDGE_CONTENT_VERIFIED)
            t->valid++;
        else
            t->unchecked++;
    } else {
        print_problem(path, "INVALID", v.reason, t->json);
        t->invalid++;
    }
    free(data);
}

/* Whether the PDF page the seal was found on shows its applicant and
 * member ID: a seal pasted from another pledge's page does not.  NULL
 * when it does, or when there is no page text to compare (a picture: the
 * reviewer compares with the paper); else why not. */
static const char *page_mismatch(const pledge_scan_code *code,
                                 const pledge_seal_verdict *v)
{
    static char why[PLEDGE_SEAL_STR_MAX * 2 + 128];
    const pledge_seal_facts *f = &v->seal.f;

    if (code->page_text == NULL || !v->parsed)
        return NULL;
    if (!pledge_scan_page_shows(code->page_text, f->applicant)) {
        snprintf(why, sizeof why, "the seal names the applicant %s, whom "
                 "page %d does not show: a seal from another pledge",
                 f->applicant, code->page);
        return why;
    }
    if (!pledge_scan_page_shows(code->page_text, f->member_id)) {
        snprintf(why, sizeof why, "the seal names the member ID %s, which "
                 "page %d does not show: a seal from another pledge",
                 f->member_id, code->page);
        return why;
    }
    return NULL;
}

/* What a reviewer is told about the paper or the page the seal is on. */
static const char *paper_note(const pledge_scan_code *code)
{
    static char note[96];

    if (code->page_text == NULL)
        return "compare the applicant, member ID, association and date "
               "with the paper";
    snprintf(note, sizeof note, "page %d shows the applicant and member "
             "ID", code->page);
    return note;
}

/* One seal's verdict: the word, then its facts, as a file's. */
static void print_seal(const char *label, const pledge_scan_code *code,
                       const pledge_seal_verdict *v, int json)
{
    pledge_seal_field fl[PLEDGE_SEAL_MAX_FIELDS];
    size_t n = pledge_seal_fields(v, fl), i;
    const char *word = pledge_seal_status_word(v->status);

    if (json) {
        fputs("{\"file\":", stdout);
        pledge_json_string(stdout, label);
        printf(",\"valid\":%s,\"verdict\":\"%s\",\"seal\":true",
               v->status == PLEDGE_SEAL_VALID ? "true" : "false",
               v->status == PLEDGE_SEAL_REVOKED ? "revoked" :
               v->status == PLEDGE_SEAL_EXPIRED ? "expired" : "valid");
        if (code->page > 0)
            printf(",\"page\":%d", code->page);
        json_field("paper", paper_note(code));
        for (i = 0; i < n; i++)
            if (fl[i].key != NULL)
                json_field(fl[i].key, fl[i].value);
        puts("}");
        return;
    }
    printf("%-8s ", word);
    show(stdout, label);
    putchar('\n');
    for (i = 0; i < n; i++)
        if (fl[i].label != NULL)
            line(fl[i].label, fl[i].value);
    line("paper", paper_note(code));
}

/* The name a code's verdict goes under: the file, and the page of a PDF
 * or the code's number when the file holds more than one. */
static const char *code_label(const char *path, const pledge_scan_codes *c,
                              size_t i)
{
    static char label[PATH_MAX + 48];

    if (c->code[i].page > 0)
        snprintf(label, sizeof label, "%s page %d", path,
                 c->code[i].page);
    else if (c->n > 1)
        snprintf(label, sizeof label, "%s code %zu", path, i + 1);
    else
        snprintf(label, sizeof label, "%s", path);
    return label;
}

static int is_seal_text(const pledge_scan_code *code)
{
    return strncmp(code->text, PLEDGE_SEAL_PREFIX,
                   strlen(PLEDGE_SEAL_PREFIX)) == 0;
}

/* Checks the seal of one code found in an image. */
static void check_seal(const pledge_keyring *kr, const char *label,
                       const pledge_scan_code *code, tally *t)
{
    pledge_seal_verdict *v = malloc(sizeof *v);
    const char *mismatch;

    if (v == NULL) {
        print_problem(label, "ERROR", "out of memory", t->json);
        t->unreadable++;
        return;
    }
    pledge_seal_check(kr, t->lists, t->nlists, code->text, code->len,
                      t->at, v);
    if (v->status != PLEDGE_SEAL_INVALID &&
        (mismatch = page_mismatch(code, v)) != NULL) {
        v->status = PLEDGE_SEAL_INVALID;
        snprintf(v->reason, sizeof v->reason, "%.500s", mismatch);
    }
    switch (v->status) {
    case PLEDGE_SEAL_VALID: t->valid++; break;
    case PLEDGE_SEAL_REVOKED: t->revoked++; break;
    case PLEDGE_SEAL_EXPIRED: t->expired++; break;
    default:
        print_problem(label, "INVALID", v->reason, t->json);
        t->invalid++;
        free(v);
        return;
    }
    print_seal(label, code, v, t->json);
    free(v);
}

/* 1 when code i of c is an applicant's own seal (kind P) and another
 * code of c, on the same page, is an endorsement's seal that kr verifies
 * and that certifies that very key for the same applicant and text: the
 * endorsement's seal speaks for the pledge, and the applicant's key,
 * which a reviewer need not hold, is vouched for by it. */
static int certified_elsewhere(const pledge_keyring *kr, const tally *t,
                               const pledge_scan_codes *c, size_t i)
{
    pledge_seal own, *e = malloc(sizeof *e);
    pledge_seal_verdict *v = malloc(sizeof *v);
    pledge_err err;
    size_t j;
    int found = 0;

    if (e == NULL || v == NULL ||
        pledge_seal_parse_text(c->code[i].text, c->code[i].len, &own,
                               &err) < 0 || own.f.kind != 'P')
        goto done;
    for (j = 0; j < c->n && !found; j++) {
        if (j == i || c->code[j].page != c->code[i].page ||
            !is_seal_text(&c->code[j]) ||
            pledge_seal_parse_text(c->code[j].text, c->code[j].len, e,
                                   &err) < 0 || e->f.kind != 'E')
            continue;
        pledge_seal_check(kr, t->lists, t->nlists, c->code[j].text,
                          c->code[j].len, t->at, v);
        found = v->status != PLEDGE_SEAL_INVALID &&
                memcmp(e->f.applicant_key_id, own.f.key_id,
                       sizeof own.f.key_id) == 0 &&
                strcmp(e->f.applicant, own.f.applicant) == 0 &&
                memcmp(e->f.text_hash, own.f.text_hash,
                       sizeof own.f.text_hash) == 0;
    }

done:
    free(e);
    free(v);
    return found;
}

/* Finds the seals in the image at path and checks each.  QR codes that
 * are not seals (a web address printed beside) are passed over while
 * the image holds a seal; an image with only such codes is INVALID. */
static void verify_scan(const pledge_keyring *kr, const char *path,
                        tally *t)
{
    unsigned char *data = NULL;
    size_t len = 0, i, seals = 0;
    pledge_scan_codes c = {NULL, 0};
    pledge_err err;

    if (cli_read_file(path, &data, &len, &err) < 0) {
        print_problem(path, "ERROR", err.msg, t->json);
        t->unreadable++;
        return;
    }
    if (pledge_scan_data(data, len, &c, &err) < 0) {
        print_problem(path, "ERROR", err.msg, t->json);
        t->unreadable++;
        free(data);
        return;
    }
    free(data);
    for (i = 0; i < c.n; i++)
        if (is_seal_text(&c.code[i])) {
            if (certified_elsewhere(kr, t, &c, i))
                continue;
            check_seal(kr, code_label(path, &c, i), &c.code[i], t);
            seals++;
        }
    if (seals == 0) {
        print_problem(path, "INVALID", "the QR code found is not a pledge "
                      "seal", t->json);
        t->invalid++;
    }
    pledge_scan_free(&c);
}

/* Every *.pdf in dir, in name order. */
static void verify_dir(const pledge_keyring *kr, const char *dir, tally *t)
{
    char **names = NULL, path[PATH_MAX];
    size_t n = 0, i;
    pledge_err err;

    if (pledge_file_list(dir, ".pdf", &names, &n, &err) < 0) {
        snprintf(path, sizeof path, "read %s: %s", dir, err.msg);
        print_problem(dir, "ERROR", path, t->json);
        t->unreadable++;
        return;
    }
    if (pledge_manifest_read(dir, &t->list, &err) < 0) {
        print_problem(dir, "ERROR", err.msg, t->json);
        t->unreadable++;
    }
    for (i = 0; i < n; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        verify_file(kr, path, t);
    }
    pledge_file_list_free(names, n);
    for (i = 0; i < t->list.n; i++) {
        if (t->list.e[i].seen)
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, t->list.e[i].file);
        print_problem(path, "INVALID", "the manifest lists it but it is "
                      "not there", t->json);
        t->invalid++;
    }
    pledge_manifest_free(&t->list);
}

/* ", N expired, M revoked" for the summary line, the parts not 0. */
static const char *more_counts(const tally *t)
{
    static char s[96];
    int n = 0;

    s[0] = '\0';
    if (t->expired > 0)
        n = snprintf(s, sizeof s, ", %zu expired", t->expired);
    if (t->revoked > 0)
        snprintf(s + n, sizeof s - (size_t)n, ", %zu revoked", t->revoked);
    return s;
}

/* Reads the signed revocation list at path into t.  A list older than
 * one already read from the same key is refused: it could only hide a
 * revocation.  Prints its own error; returns -1 then. */
static int add_list(const pledge_keyring *kr, tally *t, const char *path)
{
    pledge_revocations *r;
    pledge_err err;
    size_t i;

    if (t->nlists == MAX_LISTS) {
        cli_error("verify: more than %d revocation lists", MAX_LISTS);
        return -1;
    }
    if (pledge_revocations_read(kr, path, &r, &err) < 0) {
        cli_error("verify: %s", shown(err.msg));
        return -1;
    }
    for (i = 0; i < t->nlists; i++)
        if (strcmp(pledge_revocations_key(t->lists[i]),
                   pledge_revocations_key(r)) == 0 &&
            pledge_revocations_sequence(t->lists[i]) >
            pledge_revocations_sequence(r)) {
            cli_error("verify: %s has sequence %lu, older than the %lu of "
                      "%s: a newer list of key %s is held", shown(path),
                      pledge_revocations_sequence(r),
                      pledge_revocations_sequence(t->lists[i]),
                      shown(t->list_path[i]), pledge_revocations_key(r));
            pledge_revocations_free(r);
            return -1;
        }
    snprintf(t->list_path[t->nlists], sizeof t->list_path[0], "%s", path);
    t->lists[t->nlists++] = r;
    return 0;
}

/* Every NAME.revoked in the keyring directory, each beside its key. */
static int add_keyring_lists(const pledge_keyring *kr, tally *t,
                             const char *dir)
{
    char **names, path[PATH_MAX];
    size_t n, i;
    pledge_err err;
    int rc = 0;

    if (pledge_file_list(dir, ".revoked", &names, &n, &err) < 0)
        return 0;
    for (i = 0; i < n && rc == 0; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        rc = add_list(kr, t, path);
    }
    pledge_file_list_free(names, n);
    return rc;
}

/* The verifier's clock's date, UTC: what an endorsement's expiry is
 * checked against unless --at says otherwise. */
static void today(char out[11])
{
    time_t now = time(NULL);
    struct tm tm;

    gmtime_r(&now, &tm);
    strftime(out, 11, "%Y-%m-%d", &tm);
}

/* A batch manifest given by name stands for its directory, put in dir. */
static int is_manifest(const char *path, char *dir, size_t cap)
{
    const char *slash = strrchr(path, '/');
    const char *base = slash != NULL ? slash + 1 : path;

    if (strcmp(base, "manifest.jsonl") != 0)
        return 0;
    if (slash == NULL)
        snprintf(dir, cap, ".");
    else
        snprintf(dir, cap, "%.*s", (int)(slash - path), path);
    return 1;
}

int cmd_verify(int argc, char **argv)
{
    static const cli_opt opts[] = {
        {"key", 'k', 1, 'k'},
        {"keyring", 'K', 1, 'K'},
        {"layouts", 0, 1, 'L'},
        {"at", 0, 1, 'A'},
        {"revocations", 0, 1, 'R'},
        {"json", 0, 0, 'j'},
        {"scan", 0, 0, 'S'},
        {"help", 'h', 0, 'h'},
        {NULL, 0, 0, 0}
    };
    const char *keyring = NULL;
    char dir[PATH_MAX];
    pledge_keyring *kr = NULL;
    pledge_err err;
    tally t;
    cli_args args;
    const char **files = NULL;
    const char *revs[MAX_LISTS];
    size_t nrev = 0, k;
    int c, i, nfiles = 0, nkeys = 0, stdin_used = 0, rc = EXIT_USAGE;

    memset(&t, 0, sizeof t);
    if (pledge_keyring_new(&kr, &err) < 0) {
        cli_error("verify: %s", shown(err.msg));
        return EXIT_USAGE;
    }
    if ((files = calloc((size_t)argc, sizeof *files)) == NULL) {
        cli_error("verify: out of memory");
        goto done;
    }
    cli_args_init(&args, "verify", opts, NULL, argc, argv);
    while ((c = cli_args_next(&args)) != CLI_ARGS_END) {
        switch (c) {
        case 'k':
            if (cli_not_stdio("verify", "--key", args.value) < 0)
                goto done;
            if (pledge_keyring_add_file(kr, args.value, &err) < 0) {
                cli_error("verify: %s", shown(err.msg));
                goto done;
            }
            nkeys++;
            break;
        case 'K':
            if (cli_not_stdio("verify", "--keyring", args.value) < 0)
                goto done;
            keyring = args.value;
            break;
        case 'L':
            if (!cli_is_dir(args.value)) {
                cli_error("verify: --layouts %s: not a directory",
                          shown(args.value));
                goto done;
            }
            snprintf(t.layouts, sizeof t.layouts, "%s", args.value);
            break;
        case 'A':
            if (!pledge_is_date(args.value)) {
                cli_error("verify: --at %s: expected YYYY-MM-DD",
                          shown(args.value));
                goto done;
            }
            snprintf(t.at, sizeof t.at, "%s", args.value);
            break;
        case 'R':
            if (cli_not_stdio("verify", "--revocations", args.value) < 0 ||
                nrev == MAX_LISTS)
                goto done;
            revs[nrev++] = args.value;
            break;
        case 'j': t.json = 1; break;
        case 'S': t.scan = 1; break;
        case CLI_ARGS_OPERAND:
            if (strcmp(args.value, "-") == 0 && stdin_used++) {
                cli_error("verify: standard input ('-') can be read once");
                goto done;
            }
            files[nfiles++] = args.value;
            break;
        case 'h':
            fputs(usage, stdout);
            rc = EXIT_OK;
            goto done;
        default:
            goto done;
        }
    }
    if (t.at[0] == '\0')
        today(t.at);
    if (nfiles == 0) {
        cli_error(t.scan ? "verify: --scan: give at least one IMAGE (see "
                  "'pledge verify --help')" : "verify: give at least one "
                  "FILE or DIR (see 'pledge verify --help')");
        goto done;
    }
    if (keyring == NULL && nkeys == 0)
        keyring = cli_keyring_dir();
    if (keyring != NULL && pledge_keyring_add_dir(kr, keyring, &err) < 0) {
        cli_error("verify: %s", shown(err.msg));
        goto done;
    }
    for (i = 0; (size_t)i < pledge_keyring_warning_count(kr); i++) {
        fputs("pledge: verify: warning: ", stderr);
        show(stderr, pledge_keyring_warning(kr, (size_t)i));
        fputc('\n', stderr);
    }
    if (t.layouts[0] == '\0')
        snprintf(t.layouts, sizeof t.layouts, "%s/layouts", cli_datadir());
    if (pledge_keyring_count(kr) == 0) {
        cli_error("verify: no public keys to trust in %s (give --key PUB "
                  "or --keyring DIR)", shown(keyring));
        goto done;
    }
    /* The keyring's lists first: a list given on the command line older
     * than the one the operator keeps is refused. */
    if (keyring != NULL && add_keyring_lists(kr, &t, keyring) < 0)
        goto done;
    for (k = 0; k < nrev; k++)
        if (add_list(kr, &t, revs[k]) < 0)
            goto done;
    for (i = 0; i < nfiles; i++) {
        if (t.scan)
            verify_scan(kr, files[i], &t);
        else if (strcmp(files[i], "-") == 0)
            verify_file(kr, files[i], &t);
        else if (cli_is_dir(files[i]))
            verify_dir(kr, files[i], &t);
        else if (is_manifest(files[i], dir, sizeof dir))
            verify_dir(kr, dir, &t);
        else
            verify_file(kr, files[i], &t);
    }
    if (!t.json)
        printf("%zu valid, %zu invalid, %zu unreadable, %zu unchecked%s\n",
               t.valid, t.invalid, t.unreadable, t.unchecked,
               more_counts(&t));
    rc = t.unreadable > 0 ? EXIT_USAGE :
         t.invalid + t.expired + t.revoked > 0 ? EXIT_INVALID :
         t.unchecked > 0 ? EXIT_UNCHECKED :
         t.valid > 0 ? EXIT_OK : EXIT_USAGE;
    if (t.valid + t.unchecked + t.invalid + t.unreadable + t.expired +
        t.revoked == 0)
        cli_error("verify: no PDF files found in %s%s", shown(files[0]),
                  nfiles > 1 ? " and the others given" : "");

done:
    for (k = 0; k < t.nlists; k++)
        pledge_revocations_free(t.lists[k]);
    free(files);
    pledge_keyring_free(kr);
    pledge_engine_close(t.eng);
    return rc;
}
