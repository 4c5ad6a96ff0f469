#include "hashcache.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../util/err.h"
#include "../util/file.h"

#define MAGIC "pledge-font-hashes 1\n"
#define CACHE_NAME "font-hashes"
/* Far more than PLEDGE_HASHCACHE_MAX lines of at most about 180 bytes. */
#define CACHE_FILE_MAX 65536
/* How long after its last change a file's times are trusted: file
 * systems keep times in ticks of the kernel's coarse clock (a few ms). */
#define RACY_SECONDS 2

void pledge_file_id_of(const struct stat *st, pledge_file_id *id)
{
    memset(id, 0, sizeof *id);
    id->dev = (unsigned long long)st->st_dev;
    id->ino = (unsigned long long)st->st_ino;
    id->size = (unsigned long long)st->st_size;
    id->mtime_s = (long long)st->st_mtim.tv_sec;
    id->mtime_ns = st->st_mtim.tv_nsec;
    id->ctime_s = (long long)st->st_ctim.tv_sec;
    id->ctime_ns = st->st_ctim.tv_nsec;
}

int pledge_file_id_same(const pledge_file_id *a, const pledge_file_id *b)
{
    return a->dev == b->dev && a->ino == b->ino && a->size == b->size &&
           a->mtime_s == b->mtime_s && a->mtime_ns == b->mtime_ns &&
           a->ctime_s == b->ctime_s && a->ctime_ns == b->ctime_ns;
}

/* The directory holding the cache ("$XDG_CACHE_HOME/pledge"), and with
 * leaf set the cache file in it, into buf; -1 when there is no home to
 * put it in.  A relative XDG_CACHE_HOME is ignored, as the XDG base
 * directory specification says. */
static int cache_path(char *buf, size_t size, int leaf, size_t *parent)
{
    const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
    int n;

    if (xdg != NULL && xdg[0] == '/')
        n = snprintf(buf, size, "%s/pledge", xdg);
    else if (home != NULL && home[0] == '/')
        n = snprintf(buf, size, "%s/.cache/pledge", home);
    else
        return -1;
    if (n < 0 || (size_t)n + sizeof "/" CACHE_NAME > size)
        return -1;
    *parent = (size_t)n - strlen("/pledge");
    if (leaf)
        strcat(buf, "/" CACHE_NAME);
    return 0;
}

/* One line "DEV INO SIZE MS MNS CS CNS HASH" into e; -1 when it is not
 * exactly that. */
static int parse_line(const char *line, pledge_hash_entry *e)
{
    pledge_file_id *id = &e->id;
    int used = -1;

    if (sscanf(line, "%llu %llu %llu %lld %ld %lld %ld %64[0-9a-f]%n",
               &id->dev, &id->ino, &id->size, &id->mtime_s, &id->mtime_ns,
               &id->ctime_s, &id->ctime_ns, e->hash, &used) != 8 ||
        used < 0 || line[used] != '\0' || strlen(e->hash) != 64 ||
        id->mtime_ns < 0 || id->mtime_ns > 999999999 ||
        id->ctime_ns < 0 || id->ctime_ns > 999999999)
        return -1;
    return 0;
}

void pledge_hashcache_load(pledge_hashcache *c)
{
    char path[4096], *buf = NULL, *line, *next;
    struct stat st;
    size_t len, parent;
    pledge_err ignored;
    int fd;

    memset(c, 0, sizeof *c);
    if (cache_path(path, sizeof path, 1, &parent) < 0)
        return;
    fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
    if (fd < 0)
        return;
    /* Someone else's file, or one others may write, could say anything. */
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) ||
        st.st_uid != geteuid() || (st.st_mode & 022) != 0 ||
        pledge_file_read_fd(fd, CACHE_FILE_MAX, &buf, &len, &ignored) < 0)
        goto done;
    if (strncmp(buf, MAGIC, strlen(MAGIC)) != 0 || strlen(buf) != len)
        goto done;
    for (line = buf + strlen(MAGIC); *line != '\0'; line = next) {
        if ((next = strchr(line, '\n')) == NULL ||
            c->n == PLEDGE_HASHCACHE_MAX)
            goto bad;
        *next++ = '\0';
        if (parse_line(line, &c->e[c->n]) < 0)
            goto bad;
        c->n++;
    }
    goto done;
bad:
    memset(c, 0, sizeof *c);
done:
    free(buf);
    close(fd);
}

const char *pledge_hashcache_get(const pledge_hashcache *c,
                                 const pledge_file_id *id)
{
    size_t i;

    for (i = 0; i < c->n; i++)
        if (pledge_file_id_same(&c->e[i].id, id))
            return c->e[i].hash;
    return NULL;
}

void pledge_hashcache_put(pledge_hashcache *c, const pledge_file_id *id,
                          const char *hash)
{
    struct timespec now;
    size_t i;

    if (clock_gettime(CLOCK_REALTIME, &now) < 0 ||
        id->ctime_s > (long long)now.tv_sec - RACY_SECONDS ||
        id->mtime_s > (long long)now.tv_sec - RACY_SECONDS ||
        strlen(hash) != 64)
        return;
    /* The same file in another state drops out with its old entry. */
    for (i = 0; i < c->n; i++)
        if (c->e[i].id.dev == id->dev && c->e[i].id.ino == id->ino)
            break;
    if (i == c->n && c->n < PLEDGE_HASHCACHE_MAX)
        c->n++;
    if (i == c->n)
        i = c->n - 1;
    memmove(&c->e[1], &c->e[0], i * sizeof c->e[0]);
    c->e[0].id = *id;
    memcpy(c->e[0].hash, hash, 65);
    c->dirty = 1;
}

void pledge_hashcache_save(pledge_hashcache *c)
{
    char path[4096], *text;
    size_t n, i, parent, cap = CACHE_FILE_MAX;
    pledge_err ignored;

    if (!c->dirty || cache_path(path, sizeof path, 0, &parent) < 0)
        return;
    /* ~/.cache, then ~/.cache/pledge: private, as the specification
     * asks; an existing one is left as it is. */
    path[parent] = '\0';
    if (mkdir(path, 0700) < 0 && errno != EEXIST)
        return;
    path[parent] = '/';
    if ((mkdir(path, 0700) < 0 && errno != EEXIST) ||
        strlen(path) + sizeof "/" CACHE_NAME > sizeof path)
        return;
    strcat(path, "/" CACHE_NAME);
    if ((text = malloc(cap)) == NULL)
        return;
    n = (size_t)snprintf(text, cap, "%s", MAGIC);
    for (i = 0; i < c->n && n < cap; i++) {
        const pledge_file_id *id = &c->e[i].id;

        n += (size_t)snprintf(text + n, cap - n,
                              "%llu %llu %llu %lld %ld %lld %ld %s\n",
                              id->dev, id->ino, id->size, id->mtime_s,
                              id->mtime_ns, id->ctime_s, id->ctime_ns,
                              c->e[i].hash);
    }
    /* No fsync: a cache lost in a crash is only hashed again, and one
     * left empty is of the wrong form and ignored. */
    if (n < cap && pledge_file_write(path, text, n, 0600,
                                     PLEDGE_FILE_FORCE | PLEDGE_FILE_NOSYNC,
                                     &ignored) == 0)
        c->dirty = 0;
    free(text);
}
