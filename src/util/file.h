/* file.h - write a file so that no reader ever sees half of it. */
#ifndef PLEDGE_FILE_H
#define PLEDGE_FILE_H

#include <stddef.h>
#include <sys/types.h>

#include "../pledge.h"

/* pledge_file_write() flags. */
#define PLEDGE_FILE_FORCE 1     /* replace an existing file */
#define PLEDGE_FILE_NOSYNC 2    /* skip fsync: the caller syncs later */

/* Puts data[0..len) at path through a temporary file in the same
 * directory (created 0600, then given mode), synced (unless
 * PLEDGE_FILE_NOSYNC) and given its name only when complete: a file with
 * no name (O_TMPFILE) linked in, or where that cannot be, a named one
 * renamed or linked.  Without PLEDGE_FILE_FORCE, linking refuses an
 * existing path atomically.  On
 * error returns -1, leaves no temporary behind and a message without the
 * path: callers prefix it ("write %s"). */
int pledge_file_write(const char *path, const void *data, size_t len,
                      mode_t mode, unsigned flags, pledge_err *err);

/* Returns 0 if fd is a regular file, else -1 with "not a regular file
 * but a FIFO: WHAT must be one" (what names the file's role).  Open what
 * may not be regular with O_NONBLOCK and ask this before reading: a FIFO
 * or device could block forever or hand out anything. */
int pledge_file_regular(int fd, const char *what, pledge_err *err);

/* Reads the file at path whole into a malloc'd buffer with a NUL after
 * its last byte.  A file larger than max bytes, a directory, or anything
 * else not a regular file (checked before a byte is read, so a FIFO
 * never blocks) is an error.  On error returns -1 with a message without the path (callers
 * prefix "read %s") and leaves *out untouched.
 * The caller frees *out with free(). */
int pledge_file_read(const char *path, size_t max, char **out, size_t *len,
                     pledge_err *err);

/* Reads fd to its end the same way, whatever it is: for standard input,
 * which the user names explicitly, and never for a path found in a
 * directory.  Blocks as fd does.  The caller frees *out with free(). */
int pledge_file_read_fd(int fd, size_t max, char **out, size_t *len,
                        pledge_err *err);

/* The names of the entries of dir that end in suffix (and are more than
 * it), not starting with '.', in byte order.  On error returns -1 with a
 * message without the path and leaves *names untouched.
 * The caller frees *names with pledge_file_list_free(). */
int pledge_file_list(const char *dir, const char *suffix, char ***names,
                     size_t *n, pledge_err *err);
void pledge_file_list_free(char **names, size_t n);

#endif
