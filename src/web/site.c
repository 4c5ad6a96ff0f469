/* site.c - the static site that checks pledge seals in a browser
 * (docs/web.md): the page built from web/ and the keyring it trusts. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../pledge.h"
#include "../util/err.h"
#include "../util/file.h"
#include "../util/json.h"

/* The page's files, as web/build.mjs writes them. */
static const char *const page_files[] = {
    "index.html", "verify.js", "decode.js", "style.css", "sw.js"
};

#define PAGE_FILE_MAX (16 << 20)
#define KEYRING_FILE "keyring.js"

static void json_field(FILE *f, const char *name, const char *value,
                       int comma)
{
    fprintf(f, "%s\"%s\":", comma ? "," : "", name);
    pledge_json_string(f, value);
}

/* A space-separated list as a JSON array of strings. */
static void json_words(FILE *f, const char *list)
{
    const char *p = list;
    char word[PLEDGE_CLAIM_VALUE_BYTES];
    size_t n;
    int first = 1;

    fputc('[', f);
    while (*(p += strspn(p, " ")) != '\0') {
        n = strcspn(p, " ");
        snprintf(word, sizeof word, "%.*s", (int)n, p);
        if (!first)
            fputc(',', f);
        pledge_json_string(f, word);
        first = 0;
        p += n;
    }
    fputc(']', f);
}

static void json_key(FILE *f, const pledge_keyring_entry *e)
{
    const char *base = strrchr(e->file, '/');
    size_t i;

    fputs("{\"id\":", f);
    pledge_json_string(f, e->id);
    fputs(",\"public_key\":\"", f);
    for (i = 0; i < PLEDGE_KEY_PK_BYTES; i++)
        fprintf(f, "%02x", e->pk.pk[i]);
    fputc('"', f);
    json_field(f, "name", e->name, 1);
    json_field(f, "file", base != NULL ? base + 1 : e->file, 1);
    json_field(f, "role", e->role, 1);
    json_field(f, "association", e->association, 1);
    fputs(",\"layouts\":", f);
    json_words(f, e->layouts);
    json_field(f, "applicant", e->applicant, 1);
    json_field(f, "member_id", e->member_id, 1);
    json_field(f, "retired", e->retired, 1);
    fputc('}', f);
}

static void json_list(FILE *f, const pledge_revocations *r)
{
    const pledge_revocation *e;
    size_t i;

    fputs("{\"key\":", f);
    pledge_json_string(f, pledge_revocations_key(r));
    fprintf(f, ",\"sequence\":%lu,\"entries\":[",
            pledge_revocations_sequence(r));
    for (i = 0; i < pledge_revocations_count(r); i++) {
        e = pledge_revocations_entry(r, i);
        fputs(i > 0 ? ",{" : "{", f);
        json_field(f, "kind", e->kind, 0);
        json_field(f, "value", e->value, 1);
        json_field(f, "date", e->date, 1);
        json_field(f, "reason", e->reason, 1);
        fputc('}', f);
    }
    fputs("]}", f);
}

int pledge_web_keyring_json(const pledge_keyring *kr,
                            pledge_revocations *const *lists, size_t nlists,
                            char **out, size_t *len, pledge_err *err)
{
    pledge_keyring_entry *e = malloc(sizeof *e);
    char *buf = NULL;
    size_t i, n = 0;
    FILE *f = NULL;

    if (e == NULL || (f = open_memstream(&buf, &n)) == NULL)
        goto fail;
    fputs("{\"format\":\"pledge-web-keyring:1\",\"keys\":[", f);
    for (i = 0; i < pledge_keyring_count(kr); i++) {
        pledge_keyring_entry_get(kr, i, e);
        if (i > 0)
            fputc(',', f);
        json_key(f, e);
    }
    fputs("],\"revocations\":[", f);
    for (i = 0; i < nlists; i++) {
        if (i > 0)
            fputc(',', f);
        json_list(f, lists[i]);
    }
    fputs("]}", f);
    if (ferror(f) || fclose(f) != 0) {
        f = NULL;
        goto fail;
    }
    free(e);
    *out = buf;
    *len = n;
    return 0;

fail:
    if (f != NULL)
        fclose(f);
    free(buf);
    free(e);
    return pledge_err_set(err, "keyring JSON: out of memory");
}

/* Makes dir when missing; refuses one that holds anything unless an
 * earlier run marked it. */
static int claim_dir(const char *dir, pledge_err *err)
{
    char marker[4096];
    struct dirent *d;
    DIR *dp;
    int others = 0;

    if (mkdir(dir, 0755) == 0)
        return 0;
    if (errno != EEXIST)
        return pledge_err_set(err, "write %s: %s", dir, strerror(errno));
    snprintf(marker, sizeof marker, "%s/%s", dir, PLEDGE_WEB_MARKER);
    if (access(marker, F_OK) == 0)
        return 0;
    if ((dp = opendir(dir)) == NULL)
        return pledge_err_set(err, "write %s: %s", dir, strerror(errno));
    while ((d = readdir(dp)) != NULL)
        if (strcmp(d->d_name, ".") != 0 && strcmp(d->d_name, "..") != 0)
            others = 1;
    closedir(dp);
    if (others)
        return pledge_err_set(err, "write %s: the directory is not empty and "
                              "holds no %s (it is not a site pledge web "
                              "wrote): give a new or empty directory", dir,
                              PLEDGE_WEB_MARKER);
    return 0;
}

/* Writes data as dir/name through a temporary file. */
static int put(const char *dir, const char *name, const void *data,
               size_t len, pledge_err *err)
{
    char path[4096];

    snprintf(path, sizeof path, "%s/%s", dir, name);
    if (pledge_file_write(path, data, len, 0644, PLEDGE_FILE_FORCE, err) < 0)
        return pledge_err_prefix(err, "write %s", path);
    return 0;
}

int pledge_web_write(const pledge_keyring *kr,
                     pledge_revocations *const *lists, size_t nlists,
                     const char *page_dir, const char *out_dir,
                     pledge_err *err)
{
    static const char js_head[] = "globalThis.PLEDGE_KEYRING = ";
    static const char marker[] = "This directory is a pledge seal verify "
                                 "site; pledge web rewrites it.\n";
    enum { NPAGE = sizeof page_files / sizeof *page_files };
    char path[4096], *text[NPAGE] = { NULL }, *json = NULL, *js = NULL;
    size_t i, len, jlen, tlen[NPAGE];
    int rc = -1;

    /* Everything is read before the first byte is written. */
    if (pledge_web_keyring_json(kr, lists, nlists, &json, &jlen, err) < 0)
        return -1;
    if ((js = malloc(sizeof js_head + jlen + 3)) == NULL) {
        pledge_err_set(err, "keyring JSON: out of memory");
        goto done;
    }
    len = (size_t)sprintf(js, "%s%s;\n", js_head, json);
    for (i = 0; i < NPAGE; i++) {
        snprintf(path, sizeof path, "%s/%s", page_dir, page_files[i]);
        if (pledge_file_read(path, PAGE_FILE_MAX, &text[i], &tlen[i],
                             err) < 0) {
            pledge_err_prefix(err, "read %s", path);
            goto done;
        }
    }
    if (claim_dir(out_dir, err) < 0 ||
        put(out_dir, PLEDGE_WEB_MARKER, marker, sizeof marker - 1, err) < 0)
        goto done;
    for (i = 0; i < NPAGE; i++)
        if (put(out_dir, page_files[i], text[i], tlen[i], err) < 0)
            goto done;
    /* The keyring last: a page is never left beside keys it cannot
     * read. */
    rc = put(out_dir, KEYRING_FILE, js, len, err);

done:
    for (i = 0; i < NPAGE; i++)
        free(text[i]);
    free(json);
    free(js);
    return rc;
}
