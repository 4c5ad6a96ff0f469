#include "file.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "err.h"

int pledge_file_write(const char *path, const void *data, size_t len,
                      mode_t mode, int force, pledge_err *err)
{
    size_t off = 0;
    ssize_t w;
    char *tmp;
    int fd = -1, e;

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
    if (fchmod(fd, mode) < 0)
        goto fail_errno;
    while (off < len) {
        w = write(fd, (const char *)data + off, len - off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0)
            goto fail_errno;
        off += (size_t)w;
    }
    if (fsync(fd) < 0)
        goto fail_errno;
    e = close(fd);
    fd = -1;
    if (e < 0)
        goto fail_errno;
    if (force) {
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
