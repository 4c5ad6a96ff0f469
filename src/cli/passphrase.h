/* passphrase.h - the passphrase of a secret key, for the commands that
 * make or use one: from a file for unattended use, else asked on the
 * terminal without echo. */
#ifndef PLEDGE_CLI_PASSPHRASE_H
#define PLEDGE_CLI_PASSPHRASE_H

#include "../pledge.h"

/* Longest passphrase, in bytes (minisign's buffer holds 1023). */
#define CLI_PASSPHRASE_MAX 1023

/* Gets a passphrase: from the file named by file (first line, without
 * its line ending; an empty passphrase is an error), else from the file
 * named by $PLEDGE_PASSPHRASE_FILE, else from the terminal (/dev/tty)
 * with echo off, asked twice when confirm is non-zero (a mismatch is an
 * error).  No terminal and no file: an error saying to use
 * --passphrase-file or PLEDGE_PASSPHRASE_FILE.  The terminal's settings
 * are restored on every return path, and before a signal that arrives
 * while it asks (SIGINT, SIGTERM, SIGTSTP...) takes its usual effect; a
 * stopped and continued process asks again.  The passphrase never leaves
 * sodium_malloc() memory.  On error returns -1 with the message in err and
 * leaves *out untouched.
 * The caller frees *out with cli_passphrase_free(). */
int cli_passphrase_get(const char *file, const char *prompt, int confirm,
                       char **out, pledge_err *err);

/* Wipes and frees p (sodium_free).  NULL is allowed. */
void cli_passphrase_free(char *p);

#endif
