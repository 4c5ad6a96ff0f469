/* manifest.c - reading a batch manifest back (see manifest.h). */
#include "manifest.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../util/err.h"
#include "../util/file.h"
#include "../util/grow.h"

static int by_file(const void *a, const void *b)
{
    return strcmp(((const pledge_manifest_entry *)a)->file,
                  ((const pledge_manifest_entry *)b)->file);
}

/* Opens path for reading without ever blocking on a FIFO.  Returns NULL
 * with *missing set when there is no such file. */
static FILE *open_manifest(const char *path, int *missing, pledge_err *err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    FILE *fp;

    *missing = 0;
    if (fd < 0) {
        *missing = errno == ENOENT;
        pledge_err_set(err, "read %.1000s: %s", path, strerror(errno));
        return NULL;
    }
    if (pledge_file_regular(fd, "a batch manifest", err) < 0) {
        close(fd);
        pledge_err_prefix(err, "read %.1000s", path);
        return NULL;
    }
    if ((fp = fdopen(fd, "r")) == NULL) {
        pledge_err_set(err, "read %.1000s: %s", path, strerror(errno));
        close(fd);
    }
    return fp;
}

int pledge_manifest_read(const char *dir, pledge_manifest *m,
                         pledge_err *err)
{
    char path[4096], line[8192], *f, *h;
    pledge_manifest_entry *ne;
    size_t cap = 0, lineno = 0;
    FILE *fp;
    int missing;

    memset(m, 0, sizeof *m);
    snprintf(path, sizeof path, "%.4000s/manifest.jsonl", dir);
    if ((fp = open_manifest(path, &missing, err)) == NULL)
        return missing ? 0 : -1;
    while (fgets(line, sizeof line, fp) != NULL) {
        lineno++;
        f = strstr(line, "\"file\":\"");
        h = strstr(line, "\"sha256\":\"");
        if (strncmp(line, "{\"row\":", 7) != 0 || f == NULL || h == NULL) {
            pledge_err_set(err, "read %.1000s line %zu: not a batch "
                           "manifest line", path, lineno);
            goto fail;
        }
        if (f[8] == '"')                /* a row that failed: no file */
            continue;
        if ((ne = pledge_grow(m->e, &cap, m->n + 1, sizeof *m->e)) == NULL) {
            pledge_err_set(err, "read %.1000s: out of memory", path);
            goto fail;
        }
        m->e = ne;
        memset(&m->e[m->n], 0, sizeof *m->e);
        sscanf(f + 8, "%127[^\"]", m->e[m->n].file);
        sscanf(h + 10, "%64[0-9a-f]", m->e[m->n].sha256);
        m->n++;
    }
    fclose(fp);
    if (m->n > 1)
        qsort(m->e, m->n, sizeof *m->e, by_file);
    return 0;

fail:
    fclose(fp);
    pledge_manifest_free(m);
    return -1;
}

pledge_manifest_entry *pledge_manifest_find(pledge_manifest *m,
                                            const char *path)
{
    const char *base = strrchr(path, '/');
    size_t lo = 0, hi = m->n, mid;
    int c;

    base = base != NULL ? base + 1 : path;
    while (lo < hi) {
        mid = lo + (hi - lo) / 2;
        m->probes++;
        c = strcmp(base, m->e[mid].file);
        if (c == 0)
            return &m->e[mid];
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return NULL;
}

void pledge_manifest_free(pledge_manifest *m)
{
    free(m->e);
    memset(m, 0, sizeof *m);
}
