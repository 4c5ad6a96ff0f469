/* hashcache.h - font files' hashes kept between runs.
 *
 * Every pledge records the BLAKE2b-256 of each font file it was set with
 * (the "font:" lines of its record).  Hashing four font files is a fifth
 * of a single render, and the files rarely change, so the hashes are kept
 * in $XDG_CACHE_HOME/pledge/font-hashes (else ~/.cache/pledge/...), each
 * under the file's identity: device, inode, size, and modification and
 * status-change times to the nanosecond.  Any change to a file changes
 * its status-change time, which no user can set back, so a changed file
 * is hashed again.
 *
 * What the cache may decide is the record's font lines and nothing else:
 * never which font is used, never a signature or a verdict.  Whoever can
 * write the cache can make the font lines of the pledges rendered after
 * lie about the fonts (and so mislead what verify says about why a
 * remade pledge differs); that is the user's own directory, and the file
 * is used only when it is the user's, not a symbolic link, and neither
 * group- nor world-writable.  A file of the wrong form is ignored whole,
 * and a file changed within the last RACY_SECONDS is hashed but not
 * cached, since a change in the same tick of the file system's clock
 * could keep its times.
 */
#ifndef PLEDGE_HASHCACHE_H
#define PLEDGE_HASHCACHE_H

#include <stddef.h>
#include <sys/stat.h>

/* What must be unchanged for a file's hash to be reused. */
typedef struct {
    unsigned long long dev, ino, size;
    long long mtime_s, ctime_s;
    long mtime_ns, ctime_ns;
} pledge_file_id;

/* Fills id from st. */
void pledge_file_id_of(const struct stat *st, pledge_file_id *id);

/* 1 when a and b are the same file in the same state, else 0. */
int pledge_file_id_same(const pledge_file_id *a, const pledge_file_id *b);

#define PLEDGE_HASHCACHE_MAX 64

typedef struct {
    pledge_file_id id;
    char hash[65];              /* hex */
} pledge_hash_entry;

typedef struct {
    pledge_hash_entry e[PLEDGE_HASHCACHE_MAX];
    size_t n;
    int dirty;                  /* something was put since loading */
} pledge_hashcache;

/* Loads the cache file, or leaves c empty when there is none, it is not
 * to be trusted (see above) or it is not of the right form.  Never an
 * error: a cache only saves time. */
void pledge_hashcache_load(pledge_hashcache *c);

/* The hex hash kept for id, or NULL. */
const char *pledge_hashcache_get(const pledge_hashcache *c,
                                 const pledge_file_id *id);

/* Keeps hash for id, first in c (the oldest entry drops out when c is
 * full), unless the file changed too recently to trust its times. */
void pledge_hashcache_put(pledge_hashcache *c, const pledge_file_id *id,
                          const char *hash);

/* Writes c when something was put, atomically, creating the directories
 * (0700) and the file (0600) as needed; quietly does nothing when that
 * fails. */
void pledge_hashcache_save(pledge_hashcache *c);

#endif
