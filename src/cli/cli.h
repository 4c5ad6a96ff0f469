/* cli.h - what the pledge commands share: finding data, reading and
 * writing files, reporting errors.  Only the CLI prints and exits. */
#ifndef PLEDGE_CLI_H
#define PLEDGE_CLI_H

#include <stddef.h>

#include "../pledge.h"

/* Exit codes, stable for scripts. */
#define EXIT_OK 0
#define EXIT_INVALID 1      /* a verification failed */
#define EXIT_USAGE 2        /* bad usage or bad input */

/* Prints "pledge: <msg>" to stderr. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The data directory holding layouts/ and fonts/: $PLEDGE_DATADIR, else
 * ../share/pledge beside the executable (an installation), else .. or
 * ../.. of it (a build tree: build/pledge, build/san/pledge).  When there
 * is none, prints so and exits with EXIT_USAGE rather than guess.
 * The string is static or the environment's. */
const char *cli_datadir(void);

/* Loads a layout by id (layouts/ID.md in the data directory) or by path
 * (anything holding a '/' or ending in ".md").  On error returns -1 with
 * the message in err.  The caller frees *out with pledge_layout_free(). */
int cli_load_layout(const char *id_or_path, pledge_layout **out,
                    pledge_err *err);

/* Writes data to path through a temporary file in the same directory,
 * renamed into place only when complete; "-" writes to stdout, and an
 * existing device, FIFO or socket is written in place, never replaced.
 * Returns 0, or -1 with the message in err (no partial file is left). */
int cli_write_file(const char *path, const void *data, size_t len,
                   pledge_err *err);

/* 1 when a and b name the same existing file (through links too). */
int cli_same_file(const char *a, const char *b);

/* Today's date, or the day of $SOURCE_DATE_EPOCH, as YYYY-MM-DD in UTC.
 * Returns 0, or -1 when SOURCE_DATE_EPOCH is set but not a number. */
int cli_default_date(char out[11], pledge_err *err);

/* The document timestamp: $SOURCE_DATE_EPOCH if set, else midnight UTC
 * of date (YYYY-MM-DD), so a pledge for one date is reproducible. */
long long cli_epoch(const char *date);

/* Reads a --paper value ("letter" or "a4") into *paper; otherwise
 * prints an error for cmd and returns -1. */
int cli_paper(const char *cmd, const char *value, pledge_paper *paper);

/* The SHA-256 of p[0..len) in lowercase hex. */
void cli_sha256_hex(const unsigned char *p, size_t len, char out[65]);

/* 1 when path names a directory (following links). */
int cli_is_dir(const char *path);

/* Reads a whole file into a malloc'd buffer (at most 256 MiB).  On error
 * returns -1 with "read PATH: reason" in err.
 * The caller frees *out with free(). */
int cli_read_file(const char *path, unsigned char **out, size_t *len,
                  pledge_err *err);

/* The signing time: $SOURCE_DATE_EPOCH if set (so a signed pledge can be
 * made again byte for byte), else now.  -1 when SOURCE_DATE_EPOCH is set
 * but not a number. */
long long cli_sign_time(void);

/* Opens a secret key for signing, asking for its passphrase (from
 * passfile, $PLEDGE_PASSPHRASE_FILE or the terminal) only when it is
 * encrypted; flags (PLEDGE_KEY_*) say whether a key file others can read
 * is refused, which happens before any prompt.  signer gets the name the
 * key file records, or its file name without ".key".
 * The caller frees *sk with pledge_seckey_free(). */
int cli_open_signing_key(const char *path, unsigned flags,
                         const char *passfile, pledge_seckey **sk,
                         char *signer, size_t cap, pledge_err *err);

/* The options render, sign and batch share for signing: --sign-with/--key,
 * --signer, --passphrase-file, --detached, --allow-insecure-key. */
typedef struct {
    const char *key;
    const char *signer;
    const char *passfile;
    int detached;
    int allow_insecure;
} cli_sign_args;

/* getopt_long's value for --allow-insecure-key, past any short option. */
#define CLI_OPT_ALLOW_INSECURE_KEY 300

/* Opens the key named in a and fills s (whose key the caller frees with
 * pledge_seckey_free()); signer_buf holds the name.  Prints its own
 * error, prefixed with cmd; returns an exit code, EXIT_OK when ready. */
int cli_signing_setup(const char *cmd, const cli_sign_args *a,
                      pledge_signing *s, pledge_seckey **sk,
                      char *signer_buf, size_t cap);

/* Writes the signed pdf to out and, when a->detached, out.minisig beside
 * it.  Prints its own error; returns an exit code. */
int cli_write_signed(const char *cmd, const cli_sign_args *a,
                     const pledge_signing *s, const char *out,
                     const unsigned char *pdf, size_t len);

int cmd_render(int argc, char **argv);
int cmd_layouts(int argc, char **argv);
int cmd_sign(int argc, char **argv);
int cmd_batch(int argc, char **argv);
int cmd_verify(int argc, char **argv);
int cmd_keygen(int argc, char **argv);

#endif
