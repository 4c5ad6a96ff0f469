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

/* One option of a command.  Long options are matched by their full name
 * only: an abbreviation could be spelled by a file name as well. */
typedef struct {
    const char *name;           /* long name, without "--" */
    char letter;                /* short name, or 0 */
    int takes_value;
    int id;                     /* what cli_args_next() returns */
} cli_opt;

/* cli_args_next() results besides an option's id (ids are > 0). */
#define CLI_ARGS_END 0
#define CLI_ARGS_ERROR (-1)     /* printed already: exit EXIT_USAGE */
#define CLI_ARGS_OPERAND (-2)   /* a file name or other operand */

/* Walks a command's arguments: options and operands may come in any
 * order, "--" ends the options, "-" alone is an operand (standard input
 * or output), "--name=value", "--name value", "-kVALUE", "-k VALUE" and
 * clustered letters ("-fh") are options.  An argument in option position
 * that is also the name of an existing file is refused: a shell glob
 * such as *.pdf expands only to existing names, so a file called
 * "--keyring=.pdf" must never act as an option. */
typedef struct {
    const char *cmd;            /* for messages: "pledge: CMD: ..." */
    const cli_opt *opts;        /* ends with a zeroed entry */
    const cli_opt *more;        /* a second such table, or NULL */
    int argc;
    char **argv;
    int next;                   /* index of the next argument */
    const char *cluster;        /* letters left of a "-abc" */
    int operands_only;          /* "--" was seen */
    const char *value;          /* the option's value, or the operand */
} cli_args;

/* Starts walking argv[1..argc), argv[0] being the command's name, with
 * the options of opts and of more (NULL, or cli_sign_opts). */
void cli_args_init(cli_args *a, const char *cmd, const cli_opt *opts,
                   const cli_opt *more, int argc, char **argv);

/* The next option's id (its value, if any, in a->value), or
 * CLI_ARGS_OPERAND with the operand in a->value, or CLI_ARGS_END.  On a
 * bad option prints one line naming it and one line pointing at
 * 'pledge CMD --help', and returns CLI_ARGS_ERROR. */
int cli_args_next(cli_args *a);

/* Refuses "-" for an option naming a file that cannot be standard input
 * or output: prints why and returns -1; otherwise returns 0. */
int cli_not_stdio(const char *cmd, const char *option, const char *value);

/* The data directory holding layouts/ and fonts/: $PLEDGE_DATADIR, else
 * ../share/pledge beside the executable (an installation), else .. or
 * ../.. of it (a build tree: build/pledge, build/san/pledge).  When there
 * is none, prints so and exits with EXIT_USAGE rather than guess; main()
 * asks first, before any command can open a secret key.
 * The string is static or the environment's. */
const char *cli_datadir(void);

/* Loads a layout by id (layouts/ID.md in the data directory) or by path
 * (anything holding a '/' or ending in ".md").  On error returns -1 with
 * the message in err.  The caller frees *out with pledge_layout_free(). */
int cli_load_layout(const char *id_or_path, pledge_layout **out,
                    pledge_err *err);

/* Writes data to path through a temporary file in the same directory,
 * renamed into place only when complete; "-" writes to stdout (refused
 * when it is a terminal: a PDF there is noise), and an
 * existing device, FIFO or socket is written in place, never replaced.
 * Returns 0, or -1 with the message in err (no partial file is left). */
int cli_write_file(const char *path, const void *data, size_t len,
                   pledge_err *err);

/* 1 when a and b name the same existing file (through links too); "-"
 * (standard input or output) is never the same as a named file. */
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

/* 1 when path names a directory (following links). */
int cli_is_dir(const char *path);

/* The keyring directory when none is given: $PLEDGE_KEYRING, else keys. */
const char *cli_keyring_dir(void);

/* Reads a whole file into a malloc'd buffer (at most 256 MiB); "-" reads
 * standard input, refused when it is a terminal.  On error returns -1
 * with "read PATH: reason" (or "read standard input: reason") in err.
 * The caller frees *out with free(). */
int cli_read_file(const char *path, unsigned char **out, size_t *len,
                  pledge_err *err);

/* The signing time: $SOURCE_DATE_EPOCH if set (so a signed pledge can be
 * made again byte for byte), else now.  -1 when SOURCE_DATE_EPOCH is set
 * but not a number. */
long long cli_sign_time(void);

/* Starts the line that says a passphrase is being turned into a key
 * ("... decrypting the secret key... "); the caller ends it with "done"
 * or "failed". */
void cli_deriving(const char *what);

/* Opens a secret key for signing, asking for its passphrase (from
 * passfile, $PLEDGE_PASSPHRASE_FILE or the terminal) only when it is
 * encrypted; flags (PLEDGE_KEY_*) say whether a key file others can read
 * is refused, which happens before any prompt.  Decrypting says so on
 * stderr (it takes seconds).  signer gets the name the
 * key file records, or its file name without ".key".
 * The caller frees *sk with pledge_seckey_free(). */
int cli_open_signing_key(const char *path, unsigned flags,
                         const char *passfile, pledge_seckey **sk,
                         char *signer, size_t cap, pledge_err *err);

/* 1 when the role record beside the secret key at path (NAME.role for
 * NAME.key, docs/keyring.md) says "role: association": the pledges it
 * signs are the association's own, and their seal says so.  0 when it
 * says otherwise or there is none. */
int cli_key_is_association(const char *path);

/* The options render, sign and batch share for signing: --sign-with/--key,
 * --signer, --passphrase-file, --detached, --allow-insecure-key. */
typedef struct {
    const char *key;
    const char *signer;
    const char *passfile;
    int detached;
    int allow_insecure;
} cli_sign_args;

/* --signer, --passphrase-file and --allow-insecure-key, which render,
 * sign and batch take alike: cli_args_init()'s second table. */
extern const cli_opt cli_sign_opts[];

/* Records in a the option c of cli_sign_opts with its value; returns 0
 * when c is not one of them. */
int cli_sign_option(cli_sign_args *a, int c, const char *value);

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
int cmd_endorse(int argc, char **argv);
int cmd_revoke(int argc, char **argv);
int cmd_rotate(int argc, char **argv);
int cmd_batch(int argc, char **argv);
int cmd_verify(int argc, char **argv);
int cmd_keygen(int argc, char **argv);
int cmd_web(int argc, char **argv);

#endif
