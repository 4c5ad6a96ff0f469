/* O_TMPFILE */
#define _GNU_SOURCE
#include "file.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "err.h"
#include "grow.h"

/* Writes data[0..len) to fd, going on after a signal; -1 with errno
 * set on error. */
static int write_all(int fd, const void *data, size_t len)
{
    size_t off = 0;
    ssize_t w;

    while (off < len) {
        w = write(fd, (const char *)data + off, len - off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0)
            return -1;
        off += (size_t)w;
    }
    return 0;
}

/* pledge_file_write() through a file with no name (O_TMPFILE) in path's
 * directory, given path as its name (linkat) once it is complete: one
 * change to the directory instead of a create and a rename, and none
 * while the file system looks for a free inode, which can take long
 * after many files were deleted, and during which the directory is
 * locked against other writers (the workers of a batch).  Returns 1,
 * having changed nothing, when that cannot be done here (no O_TMPFILE on
 * this file system, no /proc, or a file to replace): the caller then
 * writes through a named temporary file. */
static int write_unnamed(const char *path, const void *data, size_t len,
                         mode_t mode, unsigned flags, pledge_err *err)
{
    char dir[4096], proc[64];
    const char *slash = strrchr(path, '/');
    int fd, e;

    if (slash == NULL)
        snprintf(dir, sizeof dir, ".");
    else if ((size_t)(slash - path) + 2 > sizeof dir)
        return 1;
    else
        snprintf(dir, sizeof dir, "%.*s", slash == path ? 1 :
                 (int)(slash - path), path);
    /* Created 0600, as mkstemp does, so a secret is never readable. */
    if ((fd = open(dir, O_TMPFILE | O_WRONLY | O_CLOEXEC, 0600)) < 0)
        return 1;
    if (fchmod(fd, mode) < 0 || write_all(fd, data, len) < 0 ||
        (!(flags & PLEDGE_FILE_NOSYNC) && fsync(fd) < 0)) {
        e = errno;
        close(fd);
        return pledge_err_set(err, "%s", strerror(e));
    }
    snprintf(proc, sizeof proc, "/proc/self/fd/%d", fd);
    if (linkat(AT_FDCWD, proc, AT_FDCWD, path, AT_SYMLINK_FOLLOW) < 0) {
        e = errno;
        close(fd);
        if (e == EEXIST && !(flags & PLEDGE_FILE_FORCE))
            return pledge_err_set(err, "file exists; not overwriting it");
        return e == EEXIST || e == ENOENT || e == EPERM || e == EACCES ||
               e == EXDEV || e == ENOTDIR ? 1 :
               pledge_err_set(err, "%s", strerror(e));
    }
    if (close(fd) < 0) {
        e = errno;
        unlink(path);
        return pledge_err_set(err, "%s", strerror(e));
    }
    return 0;
}

int pledge_file_write(const char *path, const void *data, size_t len,
                      mode_t mode, unsigned flags, pledge_err *err)
{
    char *tmp;
    int fd = -1, e;

    if ((e = write_unnamed(path, data, len, mode, flags, err)) <= 0)
        return e;

    if ((tmp = malloc(strlen(path) + sizeof ".XXXXXX")) == NULL)
        return pledge_err_set(err, "out of memory");
    sprintf(tmp, "%s.XXXXXX", path);
    /* mkstemp creates the file 0600, so a secret is never readable. */
    if ((fd = mkstemp(tmp)) < 0) {
        pledge_err_set(err, "create temporary file %s: %s", tmp,
                       strerror(errno));
        free(tmp);
        return -1;
    }
    if (fchmod(fd, mode) < 0 || write_all(fd, data, len) < 0)
        goto fail_errno;
    if (!(flags & PLEDGE_FILE_NOSYNC) && fsync(fd) < 0)
        goto fail_errno;
    e = close(fd);
    fd = -1;
    if (e < 0)
        goto fail_errno;
    if (flags & PLEDGE_FILE_FORCE) {
        if (rename(tmp, path) < 0)
            goto fail_errno;
    } else {
        if (link(tmp, path) < 0) {
            if (errno == EEXIST)
                pledge_err_set(err, "file exists; not overwriting it");
            else
                pledge_err_set(err, "%s", strerror(errno));
            goto fail;
        }
        unlink(tmp);
    }
    free(tmp);
    return 0;

fail_errno:
    pledge_err_set(err, "%s", strerror(errno));
fail:
    if (fd >= 0)
        close(fd);
    unlink(tmp);
    free(tmp);
    return -1;
}

int pledge_file_regular(int fd, const char *what, pledge_err *err)
{
    struct stat st;
    const char *kind;

    if (fstat(fd, &st) < 0)
        return pledge_err_set(err, "%s", strerror(errno));
    if (S_ISREG(st.st_mode))
        return 0;
    kind = S_ISFIFO(st.st_mode) ? "a FIFO" : S_ISCHR(st.st_mode) ?
           "a character device" : S_ISBLK(st.st_mode) ? "a block device" :
           S_ISSOCK(st.st_mode) ? "a socket" : S_ISDIR(st.st_mode) ?
           "a directory" : "of an unknown kind";
    return pledge_err_set(err, "not a regular file but %s: %s must be one",
                          kind, what);
}

int pledge_file_read_fd(int fd, size_t max, char **out, size_t *len,
                        pledge_err *err)
{
    char *b = NULL, *p;
    size_t n = 0, cap = 0;
    ssize_t got;

    for (;;) {
        /* Room for one byte past the limit tells a file at the limit
         * from a larger one, and for the NUL. */
        if (n + 1 >= cap) {
            cap = cap == 0 ? 16384 : cap * 2;
            if (cap > max + 2)
                cap = max + 2;
            if ((p = realloc(b, cap)) == NULL) {
                pledge_err_set(err, "out of memory");
                goto fail;
            }
            b = p;
        }
        got = read(fd, b + n, cap - 1 - n);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0) {
            pledge_err_set(err, "%s", strerror(errno));
            goto fail;
        }
        n += (size_t)got;
        if (n > max) {
            pledge_err_set(err, "larger than %zu bytes", max);
            goto fail;
        }
        if (got == 0)
            break;
    }
    b[n] = '\0';
    *out = b;
    *len = n;
    return 0;

fail:
    free(b);
    return -1;
}

int pledge_file_read(const char *path, size_t max, char **out, size_t *len,
                     pledge_err *err)
{
    struct stat st;
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK), rc;

    if (fd < 0)
        return pledge_err_set(err, "%s", strerror(errno));
    if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
        close(fd);
        return pledge_err_set(err, "is a directory, not a file");
    }
    /* A regular file never blocks, so O_NONBLOCK may stay. */
    if (pledge_file_regular(fd, "a file pledge reads", err) < 0) {
        close(fd);
        return -1;
    }
    rc = pledge_file_read_fd(fd, max, out, len, err);
    close(fd);
    return rc;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int pledge_file_list(const char *dir, const char *suffix, char ***names,
                     size_t *n, pledge_err *err)
{
    DIR *d = opendir(dir);
    struct dirent *de;
    char **list = NULL, **nl;
    size_t count = 0, cap = 0, len, slen = strlen(suffix);

    if (d == NULL)
        return pledge_err_set(err, "%s", strerror(errno));
    while ((de = readdir(d)) != NULL) {
        len = strlen(de->d_name);
        if (len <= slen || de->d_name[0] == '.' ||
            strcmp(de->d_name + len - slen, suffix) != 0)
            continue;
        nl = pledge_grow(list, &cap, count + 1, sizeof *list);
        if (nl == NULL || (nl[count] = strdup(de->d_name)) == NULL) {
            closedir(d);
            pledge_file_list_free(nl != NULL ? nl : list, count);
            return pledge_err_set(err, "out of memory");
        }
        list = nl;
        count++;
    }
    closedir(d);
    if (count > 1)
        qsort(list, count, sizeof *list, by_name);
    *names = list;
    *n = count;
    return 0;
}

void pledge_file_list_free(char **names, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        free(names[i]);
    free(names);
}
