/* file.h - write a file so that no reader ever sees half of it. */
#ifndef PLEDGE_FILE_H
#define PLEDGE_FILE_H

#include <stddef.h>
#include <sys/types.h>

#include "../pledge.h"

/* Puts data[0..len) at path through a temporary file in the same
 * directory (created 0600, then given mode), synced and renamed into
 * place only when complete.  Without force, link(2) refuses an existing
 * path atomically.  On error returns -1, leaves no temporary behind and a
 * message without the path: callers prefix it ("write %s"). */
int pledge_file_write(const char *path, const void *data, size_t len,
                      mode_t mode, int force, pledge_err *err);

#endif
