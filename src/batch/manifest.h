/* manifest.h - reading a batch manifest back, to check a directory of
 * pledges against it.
 *
 * Each line of DIR/manifest.jsonl starts {"row":N,"file":"NAME",
 * "sha256":"HEX" (batch writes these first, as plain ASCII).  Lookups go
 * through a sorted index, so checking every file of a directory against a
 * manifest of n lines costs O(n log n), never a scan per file.
 */
#ifndef PLEDGE_BATCH_MANIFEST_H
#define PLEDGE_BATCH_MANIFEST_H

#include <stddef.h>

#include "../pledge.h"

/* One pledge the manifest lists. */
typedef struct {
    char file[128];
    char sha256[65];
    int seen;                   /* set by the caller once checked */
} pledge_manifest_entry;

typedef struct {
    pledge_manifest_entry *e;   /* sorted by file */
    size_t n;
    size_t probes;              /* names compared by lookups so far */
} pledge_manifest;

/* Reads dir's manifest, if it has one, into *m (m->n == 0 when there is
 * none); lines for rows that failed (no file) are skipped.  A manifest
 * that is not a regular file, or a line that is not a manifest line, is an
 * error naming the path (and line).  On error returns -1 and leaves *m
 * empty.  The caller frees m with pledge_manifest_free(). */
int pledge_manifest_read(const char *dir, pledge_manifest *m,
                         pledge_err *err);

/* The entry for the file named name (the last component of a path), or
 * NULL.  Costs at most about log2(m->n) + 1 comparisons. */
pledge_manifest_entry *pledge_manifest_find(pledge_manifest *m,
                                            const char *path);

void pledge_manifest_free(pledge_manifest *m);

#endif
