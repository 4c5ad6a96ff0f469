/* batch.c - many signed pledges from one roster (see batch.h). */
#define _GNU_SOURCE     /* syncfs() */
#include "batch.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../pdf/pdfmerge.h"
#include "../render/render.h"
#include "../sign/key.h"
#include "../sign/verify.h"
#include "../util/err.h"
#include "../util/file.h"
#include "../util/json.h"
#include "../util/sha256.h"
#include "roster.h"

#define MAX_JOBS 64
#define LAYOUT_CACHE 8

/* What every worker needs and the parent decided: the roster to read
 * (standard input is first copied to a file), the signing time and the
 * default date (kept across reruns). */
typedef struct {
    const pledge_batch_opts *o;
    char roster[4096];
    long long time;
    char date[11];
    const pledge_seckey *key;
    const char *signer;
} plan;

/* A layout a worker has loaded, with its body set once. */
typedef struct {
    char id[256];
    pledge_layout *lay;
    pledge_body_cache body;
    char error[512];            /* it could not be loaded: why */
} held_layout;

typedef struct {
    const plan *p;
    pledge_engine *eng;
    pledge_keyring *ring;
    char key_id[17];
    char layouts_dir[4096];     /* endorse: the content is checked here */
    held_layout layouts[LAYOUT_CACHE];
    size_t nlayouts, next_evict;
} worker;

static pledge_col required_column(const pledge_batch_opts *o)
{
    return o->endorse ? PLEDGE_COL_PLEDGE : PLEDGE_COL_NAME;
}

static int path_in(char *out, size_t cap, const char *dir, const char *name)
{
    return (size_t)snprintf(out, cap, "%s/%s", dir, name) < cap ? 0 : -1;
}

/* A roster read from standard input is read from its spooled copy, whose
 * name the user never gave: messages name "standard input" instead. */
static void name_stdin(const plan *p, pledge_err *err)
{
    static const char head[] = "read standard input";
    size_t n = strlen(p->roster), h = sizeof head - 1, tail;

    if (strcmp(p->o->roster, "-") != 0 ||
        strncmp(err->msg, "read ", 5) != 0 ||
        strncmp(err->msg + 5, p->roster, n) != 0)
        return;
    tail = strlen(err->msg + 5 + n);
    if (h + tail >= sizeof err->msg)
        tail = sizeof err->msg - 1 - h;
    memmove(err->msg + h, err->msg + 5 + n, tail);
    memcpy(err->msg, head, h);
    err->msg[h + tail] = '\0';
}

/* ---- the state kept across reruns ---- */

/* Reads DIR/.pledge-batch, or writes it with this run's time and date.
 * The first run's choices win, so a rerun makes the same bytes. */
static int load_state(plan *p, pledge_err *err)
{
    const pledge_batch_opts *o = p->o;
    char path[4096], text[128], *s = NULL;
    size_t len;
    long long t;
    char date[16];
    time_t now;
    struct tm tm;

    if (path_in(path, sizeof path, o->out_dir, PLEDGE_BATCH_STATE) < 0)
        return pledge_err_set(err, "output directory path too long");
    if (pledge_file_read(path, 4096, &s, &len, err) == 0) {
        if (sscanf(s, "pledge-batch 1\ntime %lld\ndate %10s\n", &t,
                   date) != 2 || strlen(date) != 10) {
            free(s);
            return pledge_err_set(err, "read %s: not a pledge batch state "
                                  "file (remove it to start afresh)", path);
        }
        free(s);
        p->time = t;
        memcpy(p->date, date, 11);
        return 0;
    }
    if (access(path, F_OK) == 0)
        return pledge_err_prefix(err, "read %s", path);
    p->time = o->time;
    if (o->date != NULL) {
        snprintf(p->date, sizeof p->date, "%s", o->date);
    } else {
        now = (time_t)o->time;
        gmtime_r(&now, &tm);
        strftime(p->date, sizeof p->date, "%Y-%m-%d", &tm);
    }
    snprintf(text, sizeof text, "pledge-batch 1\ntime %lld\ndate %s\n",
             p->time, p->date);
    if (pledge_file_write(path, text, strlen(text), 0644, PLEDGE_FILE_FORCE,
                          err) < 0)
        return pledge_err_prefix(err, "write %s", path);
    return 0;
}

/* 1 when name is a temporary file of ours a killed run can leave:
 * "NNNN-slug.pdf.XXXXXX", "manifest.jsonl.XXXXXX" or the print spool's
 * (pledge_file_write() and mkstemp() names).  Anything else in the directory is the user's and
 * is never touched. */
static int leftover(const char *name)
{
    size_t n = strlen(name), i;
    const char *suffix;

    if (n < 8 || name[n - 7] != '.')
        return 0;
    suffix = name + n - 6;
    for (i = 0; i < 6; i++)
        if (!((suffix[i] >= 'a' && suffix[i] <= 'z') ||
              (suffix[i] >= 'A' && suffix[i] <= 'Z') ||
              (suffix[i] >= '0' && suffix[i] <= '9')))
            return 0;
    if (n - 7 == strlen(PLEDGE_BATCH_MANIFEST))
        return memcmp(name, PLEDGE_BATCH_MANIFEST, n - 7) == 0;
    if (n - 7 == strlen(PLEDGE_BATCH_PRINT_SPOOL))
        return memcmp(name, PLEDGE_BATCH_PRINT_SPOOL, n - 7) == 0;
    for (i = 0; name[i] >= '0' && name[i] <= '9'; i++)
        ;
    return i >= 4 && name[i] == '-' && n - 7 > 4 &&
           memcmp(name + n - 11, ".pdf", 4) == 0;
}

/* Removes the temporary files a killed run left in dir. */
static void remove_leftovers(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *de;
    char path[4096];

    if (d == NULL)
        return;
    while ((de = readdir(d)) != NULL)
        if (leftover(de->d_name) &&
            path_in(path, sizeof path, dir, de->d_name) == 0)
            unlink(path);
    closedir(d);
}

/* Copies standard input to a file in the output directory, so that every
 * worker can read the roster. */
static int spool_stdin(plan *p, pledge_err *err)
{
    char buf[65536];
    ssize_t n;
    int fd;

    if (path_in(p->roster, sizeof p->roster, p->o->out_dir,
                ".roster-stdin.XXXXXX") < 0)
        return pledge_err_set(err, "output directory path too long");
    if ((fd = mkstemp(p->roster)) < 0)
        return pledge_err_set(err, "create %s: %s", p->roster,
                              strerror(errno));
    while ((n = read(STDIN_FILENO, buf, sizeof buf)) != 0) {
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 || write(fd, buf, (size_t)n) != n) {
            pledge_err_set(err, "read standard input: %s", strerror(errno));
            close(fd);
            unlink(p->roster);
            return -1;
        }
    }
    close(fd);
    return 0;
}

/* ---- one row, in a worker ---- */

static held_layout *layout_for(worker *w, const char *id)
{
    held_layout *h;
    pledge_err err;
    size_t i;

    for (i = 0; i < w->nlayouts; i++)
        if (strcmp(w->layouts[i].id, id) == 0)
            return &w->layouts[i];
    if (w->nlayouts < LAYOUT_CACHE) {
        h = &w->layouts[w->nlayouts++];
    } else {
        h = &w->layouts[w->next_evict];
        w->next_evict = (w->next_evict + 1) % LAYOUT_CACHE;
        pledge_body_cache_clear(&h->body);
        pledge_layout_free(h->lay);
    }
    memset(h, 0, sizeof *h);
    snprintf(h->id, sizeof h->id, "%s", id);
    if (pledge_layout_open(&h->lay, w->p->o->datadir, id, &err) < 0) {
        h->lay = NULL;
        snprintf(h->error, sizeof h->error, "%s", err.msg);
    }
    return h;
}

/* 1 when path holds a pledge for this row that verifies with our key. */
static int still_good(worker *w, const char *path, const pledge_layout *lay,
                      const char *name, pledge_batch_row *res)
{
    unsigned char *data;
    size_t len;
    pledge_verdict v;
    pledge_err err;
    char *text;
    int good;

    if (pledge_file_read(path, 64u << 20, &text, &len, &err) < 0)
        return 0;
    data = (unsigned char *)text;
    good = pledge_verify_pdf(w->ring, data, len, &v) == 0 &&
           strcmp(v.claim.applicant, name) == 0 &&
           strcmp(v.claim.layout, pledge_layout_id(lay)) == 0;
    if (good)
        pledge_sha256_hex(data, len, res->sha256);
    free(data);
    return good;
}

static void fail_row(pledge_batch_row *res, const char *msg)
{
    res->status = PLEDGE_ROW_FAILED;
    res->file[0] = '\0';
    res->sha256[0] = '\0';
    snprintf(res->error, sizeof res->error, "%s", msg);
}

/* Writes a row's pledge to path (synced at the end, by the parent) and
 * marks the row made, or failed saying why. */
static void write_made(const char *path, const unsigned char *pdf,
                       size_t len, pledge_batch_row *res)
{
    pledge_err err;

    if (pledge_file_write(path, pdf, len, 0644,
                          PLEDGE_FILE_FORCE | PLEDGE_FILE_NOSYNC, &err) < 0) {
        pledge_err_prefix(&err, "write %s", path);
        fail_row(res, err.msg);
        return;
    }
    pledge_sha256_hex(pdf, len, res->sha256);
    res->status = PLEDGE_ROW_MADE;
}

/* Copies s into out (cap bytes), cut if it must be at a UTF-8 character
 * boundary, so that a manifest line stays valid UTF-8 even for a name
 * too long to print. */
static void copy_text(char *out, size_t cap, const char *s)
{
    size_t n = strlen(s);

    if (n >= cap) {
        n = cap - 1;
        while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
            n--;
    }
    memcpy(out, s, n);
    out[n] = '\0';
}

/* A field as one line: a spreadsheet cell may hold line breaks or tabs,
 * which print as spaces; runs of blanks become one, ends are trimmed.
 * Returns NULL when out of memory.  The caller frees the result with
 * free(). */
static char *one_line(const char *s)
{
    char *out = malloc(strlen(s) + 1), *o = out;

    if (out == NULL)
        return NULL;
    for (; *s; s++) {
        char c = (*s == '\r' || *s == '\n' || *s == '\t') ? ' ' : *s;

        if (c == ' ' && (o == out || o[-1] == ' '))
            continue;
        *o++ = c;
    }
    while (o > out && o[-1] == ' ')
        o--;
    *o = '\0';
    return out;
}

static void do_row(worker *w, const pledge_roster_row *row,
                   pledge_batch_row *res)
{
    const pledge_batch_opts *o = w->p->o;
    const char *const *f = row->field;
    const char *id = f[PLEDGE_COL_LAYOUT][0] ? f[PLEDGE_COL_LAYOUT]
                                             : o->layout;
    pledge_signing s = {w->p->key, w->p->signer, w->p->time,
                        o->association};
    pledge_render_opts ro;
    pledge_person person;
    held_layout *h;
    unsigned char *pdf = NULL;
    size_t len = 0;
    char path[4096], stem[PLEDGE_SLUG_MAX];
    char *name = NULL, *cred = NULL, *member = NULL;
    pledge_err err;

    copy_text(res->email, sizeof res->email, f[PLEDGE_COL_EMAIL]);
    copy_text(res->layout, sizeof res->layout, id);
    memcpy(res->key_id, w->key_id, sizeof res->key_id);
    h = layout_for(w, id);
    if (h->lay == NULL) {
        copy_text(res->name, sizeof res->name, f[PLEDGE_COL_NAME]);
        fail_row(res, h->error);
        return;
    }
    name = one_line(f[PLEDGE_COL_NAME]);
    cred = one_line(f[PLEDGE_COL_CREDENTIALS]);
    member = one_line(f[PLEDGE_COL_ID]);
    if (name == NULL || cred == NULL || member == NULL) {
        fail_row(res, "out of memory");
        goto done;
    }
    copy_text(res->name, sizeof res->name, name);
    pledge_slug(row->row, name, stem);
    snprintf(res->file, sizeof res->file, "%s.pdf", stem);
    if (path_in(path, sizeof path, o->out_dir, res->file) < 0) {
        fail_row(res, "output path too long");
        goto done;
    }
    person.name = name;
    person.credentials = cred;
    person.member_id = member;
    person.date = f[PLEDGE_COL_DATE][0] ? f[PLEDGE_COL_DATE] : w->p->date;
    if (still_good(w, path, h->lay, person.name, res)) {
        res->status = PLEDGE_ROW_KEPT;
        goto done;
    }
    memset(&ro, 0, sizeof ro);
    ro.paper = o->paper;
    ro.epoch = w->p->time;
    ro.sign = &s;
    if (pledge_render_cached(w->eng, h->lay, &h->body, &person, &ro, &pdf,
                             &len, &err) < 0) {
        fail_row(res, err.msg);
        goto done;
    }
    write_made(path, pdf, len, res);

done:
    free(pdf);
    free(name);
    free(cred);
    free(member);
}

/* Where a row's pledge is: see pledge_batch_opts.endorse. */
static int pledge_path(const char *roster, const char *name, char *out,
                       size_t cap)
{
    const char *slash = strrchr(roster, '/');
    int n;

    if (name[0] == '/' || strcmp(roster, "-") == 0 || slash == NULL)
        n = snprintf(out, cap, "%s", name);
    else
        n = snprintf(out, cap, "%.*s/%s", (int)(slash - roster), roster,
                     name);
    return n >= 0 && (size_t)n < cap ? 0 : -1;
}

/* 1 when path holds exactly the len bytes at pdf. */
static int same_file(const char *path, const unsigned char *pdf, size_t len)
{
    char *old;
    size_t olen;
    pledge_err err;
    int same;

    if (pledge_file_read(path, len + 1, &old, &olen, &err) < 0)
        return 0;
    same = olen == len && memcmp(old, pdf, len) == 0;
    free(old);
    return same;
}

/* Where a row's endorsed pledge goes: named after its applicant, as a
 * made pledge is.  Sets res->name, ->layout and ->file. */
static int endorsed_path(const worker *w, const pledge_roster_row *row,
                         const pledge_verdict *v, pledge_batch_row *res,
                         char *path, size_t cap)
{
    char stem[PLEDGE_SLUG_MAX];

    copy_text(res->name, sizeof res->name, v->claim.applicant);
    copy_text(res->layout, sizeof res->layout, v->claim.layout);
    pledge_slug(row->row, v->claim.applicant, stem);
    snprintf(res->file, sizeof res->file, "%s.pdf", stem);
    return path_in(path, cap, w->p->o->out_dir, res->file);
}

/* Endorses the row's pledge; keeps an endorsement of it already there. */
static void endorse_row(worker *w, const pledge_roster_row *row,
                        pledge_batch_row *res)
{
    const pledge_batch_opts *o = w->p->o;
    const char *const *f = row->field;
    pledge_signing s = {w->p->key, w->p->signer, w->p->time, 1};
    pledge_verdict *v = malloc(sizeof *v);
    char in[4096], path[4096], *data = NULL;
    char *member = one_line(f[PLEDGE_COL_ID]);
    char *until = one_line(f[PLEDGE_COL_UNTIL]);
    unsigned char *pdf = NULL;
    size_t len = 0, plen = 0;
    pledge_err err;

    copy_text(res->email, sizeof res->email, f[PLEDGE_COL_EMAIL]);
    copy_text(res->name, sizeof res->name, f[PLEDGE_COL_PLEDGE]);
    memcpy(res->key_id, w->key_id, sizeof res->key_id);
    if (v == NULL || member == NULL || until == NULL) {
        fail_row(res, "out of memory");
        goto done;
    }
    if (f[PLEDGE_COL_PLEDGE][0] == '\0') {
        fail_row(res, "no pledge named in the pledge column");
        goto done;
    }
    if (pledge_path(o->roster, f[PLEDGE_COL_PLEDGE], in, sizeof in) < 0) {
        fail_row(res, "the pledge's path is too long");
        goto done;
    }
    if (pledge_file_read(in, PLEDGE_VERIFY_MAX_BYTES, &data, &len,
                         &err) < 0) {
        pledge_err_prefix(&err, "read %s", in);
        fail_row(res, err.msg);
        goto done;
    }
    /* Kept: what this run would write is there already.  Endorsing is
     * deterministic, and a run writes only what passed the full check. */
    if (pledge_verify_pdf(w->ring, (unsigned char *)data, len, v) == 0 &&
        endorsed_path(w, row, v, res, path, sizeof path) == 0 &&
        pledge_endorse_make(w->ring, v, (unsigned char *)data, len, &s,
                            member, until, &pdf, &plen, &err) == 0 &&
        same_file(path, pdf, plen)) {
        pledge_sha256_hex(pdf, plen, res->sha256);
        res->status = PLEDGE_ROW_KEPT;
        goto done;
    }
    free(pdf);
    pdf = NULL;
    if (pledge_endorse_check(w->eng, w->layouts_dir, w->ring,
                             (unsigned char *)data, len, member, v,
                             &err) < 0 ||
        pledge_endorse_make(w->ring, v, (unsigned char *)data, len, &s,
                            member, until, &pdf, &plen, &err) < 0) {
        pledge_err_prefix(&err, "%s", in);
        fail_row(res, err.msg);
        goto done;
    }
    if (endorsed_path(w, row, v, res, path, sizeof path) < 0) {
        fail_row(res, "output path too long");
        goto done;
    }
    write_made(path, pdf, plen, res);

done:
    free(v);
    free(data);
    free(pdf);
    free(member);
    free(until);
}

static int write_all(int fd, const void *p, size_t n)
{
    const char *c = p;
    ssize_t k;

    while (n > 0) {
        k = write(fd, c, n);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return -1;
        c += k;
        n -= (size_t)k;
    }
    return 0;
}

/* A worker's own stop flag: a signal to the worker alone (the parent's
 * SIGTERM) must stop it too, whatever handler its caller installed. */
static volatile sig_atomic_t worker_stop;

static void on_worker_signal(int sig)
{
    (void)sig;
    worker_stop = 1;
}

static int stopping(const pledge_batch_opts *o)
{
    return worker_stop || (o->stop != NULL && *o->stop);
}

/* A worker: every jobs-th row from row k+1, one result each, in order,
 * on fd.  A stop lets the row in hand finish and be reported.  Never
 * returns. */
static void worker_main(const plan *p, int k, int jobs, int fd)
{
    const pledge_batch_opts *o = p->o;
    pledge_roster *r = NULL;
    pledge_roster_row row;
    pledge_batch_row res;
    pledge_pubkey pk;
    worker w;
    pledge_err err;
    struct sigaction act;
    size_t n = 0, i;
    int got, status = 1;

    memset(&act, 0, sizeof act);
    act.sa_handler = on_worker_signal;
    sigemptyset(&act.sa_mask);
    sigaction(SIGINT, &act, NULL);
    sigaction(SIGTERM, &act, NULL);
    memset(&w, 0, sizeof w);
    w.p = p;
    pledge_seckey_public(p->key, &pk);
    pledge_key_id_hex(pk.id, w.key_id);
    if (o->layouts != NULL)
        snprintf(w.layouts_dir, sizeof w.layouts_dir, "%s", o->layouts);
    else
        snprintf(w.layouts_dir, sizeof w.layouts_dir, "%s/layouts", o->datadir);
    if (pledge_engine_open(&w.eng, o->datadir, &err) < 0 ||
        pledge_keyring_new(&w.ring, &err) < 0 ||
        (o->endorse ?
         pledge_keyring_add_dir(w.ring, o->applicant_keys, &err) :
         pledge_keyring_add_key(w.ring, &pk, p->signer, &err)) < 0 ||
        pledge_roster_open(&r, p->roster, required_column(o), &err) < 0)
        goto done;
    for (;;) {
        if (stopping(o))
            break;
        memset(&row, 0, sizeof row);
        got = pledge_roster_next(r, &row, &err);
        if (got == 0 || (got < 0 && row.row == 0))
            break;
        if (n++ % (size_t)jobs != (size_t)k)
            continue;
        memset(&res, 0, sizeof res);
        res.row = row.row;
        if (got < 0) {
            name_stdin(p, &err);
            fail_row(&res, err.msg);
        }
        else if (o->endorse)
            endorse_row(&w, &row, &res);
        else
            do_row(&w, &row, &res);
        if (write_all(fd, &res, sizeof res) < 0)
            break;
    }
    status = 0;

done:
    pledge_roster_close(r);
    for (i = 0; i < w.nlayouts; i++) {
        pledge_body_cache_clear(&w.layouts[i].body);
        pledge_layout_free(w.layouts[i].lay);
    }
    pledge_keyring_free(w.ring);
    pledge_engine_close(w.eng);
    close(fd);
    _exit(status);
}

/* ---- the parent ---- */

/* Counts the roster's rows and reports its unknown columns; a roster that
 * cannot be read, or has no name column, ends the run here. */
static int count_rows(const plan *p, size_t *n, pledge_err *err)
{
    pledge_roster *r;
    pledge_roster_row row;
    pledge_err rowerr;
    char msg[1200];
    int got;

    if (pledge_roster_open(&r, p->roster, required_column(p->o), err) < 0) {
        name_stdin(p, err);
        return -1;
    }
    if (*pledge_roster_unknown(r) != '\0' && p->o->notice != NULL) {
        snprintf(msg, sizeof msg, "%s: ignoring unknown columns: %s",
                 p->o->roster, pledge_roster_unknown(r));
        p->o->notice(p->o->ctx, msg);
    }
    *n = 0;
    for (;;) {
        memset(&row, 0, sizeof row);
        got = pledge_roster_next(r, &row, &rowerr);
        if (got == 0)
            break;
        if (got < 0 && row.row == 0) {
            name_stdin(p, &rowerr);
            *err = rowerr;
            pledge_roster_close(r);
            return -1;
        }
        (*n)++;
    }
    pledge_roster_close(r);
    if (*n == 0)
        return pledge_err_set(err, "read %s: no rows after the header",
                              strcmp(p->o->roster, "-") == 0 ?
                              "standard input" : p->o->roster);
    return 0;
}

/* One manifest line.  "file" and "sha256" come first and are plain
 * ASCII, so a reader can find them without a JSON parser. */
static void manifest_line(FILE *f, const pledge_batch_row *r)
{
    static const char *const status[] = {"made", "kept", "failed"};

    fprintf(f, "{\"row\":%zu,\"file\":\"%s\",\"sha256\":\"%s\","
            "\"status\":\"%s\",\"key_id\":\"%s\",\"layout\":", r->row,
            r->file, r->sha256, status[r->status], r->key_id);
    pledge_json_string(f, r->layout);
    fputs(",\"name\":", f);
    pledge_json_string(f, r->name);
    fputs(",\"email\":", f);
    pledge_json_string(f, r->email);
    fputs(",\"error\":", f);
    pledge_json_string(f, r->error);
    fputs("}\n", f);
}

/* A file written under a temporary name beside its final one. */
typedef struct {
    char final[4096], tmp[4120];
    FILE *f;
} staged;

static int stage_open(staged *s, const char *path, pledge_err *err)
{
    int fd;

    snprintf(s->final, sizeof s->final, "%s", path);
    snprintf(s->tmp, sizeof s->tmp, "%s.XXXXXX", path);
    if ((fd = mkstemp(s->tmp)) < 0)
        return pledge_err_set(err, "write %s: %s", path, strerror(errno));
    fchmod(fd, 0644);
    if ((s->f = fdopen(fd, "wb")) == NULL) {
        close(fd);
        unlink(s->tmp);
        return pledge_err_set(err, "create %s: %s", s->tmp, strerror(errno));
    }
    return 0;
}

/* Closes s and renames it into place when keep, else removes it. */
static int stage_close(staged *s, int keep, pledge_err *err)
{
    int bad;

    if (s->f == NULL)
        return 0;
    bad = fflush(s->f) != 0 || ferror(s->f) || fsync(fileno(s->f)) != 0;
    bad |= fclose(s->f) != 0;
    s->f = NULL;
    if (!keep || bad || rename(s->tmp, s->final) != 0) {
        unlink(s->tmp);
        if (keep)
            return pledge_err_set(err, "write %s: %s", s->final,
                                  strerror(errno));
    }
    return 0;
}

static int read_all(int fd, void *p, size_t n)
{
    char *c = p;
    ssize_t k;

    while (n > 0) {
        k = read(fd, c, n);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return -1;
        c += k;
        n -= (size_t)k;
    }
    return 0;
}

/* Adds the row's pledge to the print file. */
static int print_add(pledge_merge *m, const plan *p,
                     const pledge_batch_row *r, pledge_err *err)
{
    char path[4096], *data;
    size_t len;
    int rc;

    if (path_in(path, sizeof path, p->o->out_dir, r->file) < 0 ||
        pledge_file_read(path, 64u << 20, &data, &len, err) < 0)
        return pledge_err_prefix(err, "write %s: read %s", p->o->print,
                                 r->file);
    rc = pledge_merge_add(m, (unsigned char *)data, len, err);
    free(data);
    return rc < 0 ? pledge_err_prefix(err, "write %s: add %s", p->o->print,
                                      r->file) : 0;
}

int pledge_batch_run(const pledge_batch_opts *o, pledge_batch_summary *s,
                     pledge_err *err)
{
    plan p;
    pid_t pids[MAX_JOBS];
    int fds[MAX_JOBS], fd[2], jobs = o->jobs, m, k, spooled = 0, rc = -1;
    size_t total = 0, row;
    staged manifest, print;
    pledge_merge *merge = NULL;
    pledge_batch_row res;
    struct stat st;
    char path[4096];

    memset(s, 0, sizeof *s);
    memset(&p, 0, sizeof p);
    memset(&manifest, 0, sizeof manifest);
    memset(&print, 0, sizeof print);
    p.o = o;
    if (jobs < 1)
        jobs = 1;
    if (jobs > MAX_JOBS)
        jobs = MAX_JOBS;
    for (k = 0; k < MAX_JOBS; k++)
        fds[k] = -1, pids[k] = -1;
    if (stat(o->out_dir, &st) != 0 || !S_ISDIR(st.st_mode))
        return pledge_err_set(err, "output directory %s: %s", o->out_dir,
                              errno ? strerror(errno) : "not a directory");
    if (strcmp(o->roster, "-") == 0) {
        if (spool_stdin(&p, err) < 0)
            return -1;
        spooled = 1;
    } else {
        snprintf(p.roster, sizeof p.roster, "%s", o->roster);
    }
    p.key = o->key;
    p.signer = o->signer;
    if (count_rows(&p, &total, err) < 0)
        goto fail;
    if (p.key == NULL &&
        (o->unlock == NULL || o->unlock(o->ctx, &p.key, &p.signer, err) < 0))
        goto fail;
    if (load_state(&p, err) < 0)
        goto fail;
    remove_leftovers(o->out_dir);
    if (path_in(path, sizeof path, o->out_dir, PLEDGE_BATCH_MANIFEST) < 0 ||
        stage_open(&manifest, path, err) < 0)
        goto fail;
    if (o->print != NULL &&
        (stage_open(&print, o->print, err) < 0 ||
         pledge_merge_begin(&merge, print.f, o->duplex, err) < 0))
        goto fail;

    /* stdio buffers are empty (nothing written yet through them but the
     * staged files, which are flushed), so the children inherit none. */
    fflush(NULL);
    for (k = 0; k < jobs; k++) {
        if (pipe(fd) < 0) {
            pledge_err_set(err, "start worker: %s", strerror(errno));
            goto fail;
        }
        pids[k] = fork();
        if (pids[k] < 0) {
            close(fd[0]);
            close(fd[1]);
            pledge_err_set(err, "start worker: %s", strerror(errno));
            goto fail;
        }
        if (pids[k] == 0) {
            int j;

            close(fd[0]);
            for (j = 0; j < k; j++)
                close(fds[j]);
            worker_main(&p, k, jobs, fd[1]);
        }
        close(fd[1]);
        fds[k] = fd[0];
    }

    /* Rows come back in order, each from its worker's pipe.  After a
     * stop each worker reports the rows it finished and ends; the rows
     * of ended workers are skipped, so every pledge on disk is counted
     * and in the manifest. */
    for (row = 0; row < total; row++) {
        k = (int)(row % (size_t)jobs);
        if (stopping(o) && !s->interrupted) {
            s->interrupted = 1;
            for (m = 0; m < jobs; m++)
                if (pids[m] > 0)
                    kill(pids[m], SIGTERM);
        }
        if (fds[k] < 0)
            continue;
        if (read_all(fds[k], &res, sizeof res) < 0) {
            if (stopping(o)) {
                close(fds[k]);
                fds[k] = -1;
                continue;
            }
            memset(&res, 0, sizeof res);
            res.row = row + 1;
            fail_row(&res, "the worker making this pledge stopped");
        }
        s->rows++;
        if (res.status == PLEDGE_ROW_MADE)
            s->made++;
        else if (res.status == PLEDGE_ROW_KEPT)
            s->kept++;
        else
            s->failed++;
        manifest_line(manifest.f, &res);
        if (merge != NULL && !stopping(o) &&
            res.status != PLEDGE_ROW_FAILED &&
            print_add(merge, &p, &res, err) < 0)
            goto fail;
        if (o->row_done != NULL)
            o->row_done(o->ctx, &res);
        if (o->progress != NULL)
            o->progress(o->ctx, row + 1, total);
    }
    if (stopping(o))
        s->interrupted = 1;
    if (merge != NULL && !s->interrupted &&
        pledge_merge_finish(merge, err) < 0) {
        pledge_err_prefix(err, "write %s", o->print);
        goto fail;
    }
    rc = 0;

fail:
    for (k = 0; k < jobs; k++) {
        if (fds[k] >= 0)
            close(fds[k]);
        if (pids[k] > 0) {
            if (rc < 0)
                kill(pids[k], SIGTERM);
            while (waitpid(pids[k], NULL, 0) < 0 && errno == EINTR)
                ;
        }
    }
    pledge_merge_free(merge);
    /* Workers write pledges without waiting for the disk.  The manifest
     * only appears (is renamed into place) after this, so one sync of the
     * whole file system, then of the directory's names, makes every
     * pledge it lists durable first: a power cut cannot lose a pledge the
     * manifest names.  (A rerun after a cut remakes any pledge that did
     * not reach the disk whole: still_good() checks what it keeps.)  One
     * syncfs() costs far less than a sync of each file. */
    if ((k = open(o->out_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0) {
        if (s->made > 0 && syncfs(k) != 0 && rc == 0) {
            pledge_err_set(err, "sync %s to disk: %s", o->out_dir,
                           strerror(errno));
            rc = -1;
        }
        fsync(k);
        close(k);
    }
    if (stage_close(&print, rc == 0 && !s->interrupted, err) < 0)
        rc = -1;
    if (stage_close(&manifest, rc == 0, err) < 0)
        rc = -1;
    if (spooled)
        unlink(p.roster);
    return rc;
}
