/* batch.h - many signed pledges from one roster, in parallel, resumable:
 * made and signed, or applicant-signed ones endorsed.
 *
 * The roster is read once to count its rows, then each of `jobs` worker
 * processes reads it again and takes every jobs-th row, so no row data
 * crosses a pipe and a worker's memory holds one row at a time.  Each
 * worker loads the engine, the key's public half and each layout once,
 * and sets a layout's body once for all its attendees.  Every pledge is
 * written to a temporary name and renamed into place when complete.  The
 * parent takes the results back in roster order (reading each worker's
 * pipe in turn, so a worker that runs ahead simply waits on a full pipe),
 * writes the manifest line by line and adds each pledge to the print file.
 *
 * Running again into the same directory keeps every pledge that is there
 * and verifies (same key, same applicant and layout) and makes the rest;
 * the first run's signing time and default date are kept in DIR/.pledge-
 * batch, so a run that was killed and run again gives the same bytes as
 * one that was not.
 */
#ifndef PLEDGE_BATCH_H
#define PLEDGE_BATCH_H

#include <signal.h>
#include <stddef.h>

#include "../pledge.h"
#include "slug.h"

#define PLEDGE_BATCH_MANIFEST "manifest.jsonl"
#define PLEDGE_BATCH_STATE ".pledge-batch"
/* A print file meant for standard output is made under this name in the
 * output directory (print = DIR "/" PLEDGE_BATCH_PRINT_SPOOL) and copied
 * out by the caller; a killed run's temporary of it is cleaned up. */
#define PLEDGE_BATCH_PRINT_SPOOL ".print-spool.pdf"

typedef enum {
    PLEDGE_ROW_MADE,            /* rendered and signed in this run */
    PLEDGE_ROW_KEPT,            /* already there and valid */
    PLEDGE_ROW_FAILED
} pledge_row_status;

typedef struct {
    size_t row;                 /* 1-based data row */
    pledge_row_status status;
    char name[808];
    char email[256];
    char layout[72];
    char file[PLEDGE_SLUG_MAX + 8];     /* in the output directory */
    char sha256[65];
    char key_id[17];
    char error[512];
} pledge_batch_row;

typedef struct {
    const char *roster;         /* path, or "-" for standard input */
    const char *datadir;        /* layouts/ and fonts/ */
    const char *layout;         /* for rows without a layout column value */
    const char *out_dir;        /* must exist */
    const char *print;          /* NULL: no print file */
    int duplex;                 /* print: each pledge starts on a recto */
    int jobs;                   /* worker processes, >= 1 */
    pledge_paper paper;
    const char *date;           /* for rows without a date; NULL: today */
    const pledge_seckey *key;   /* NULL: ask unlock for it */
    const char *signer;
    int association;            /* the key is the association's (see
                                   pledge_signing) */
    long long time;             /* signing time of a first run */
    /* Called once, when key is NULL, after the roster has been read
     * through and the output directory checked, and before anything is
     * made there: sets *key (still the caller's to free) and *signer, or
     * returns -1 with err set, which ends the run.  Opening an encrypted
     * key takes seconds and a passphrase: a bad roster is found first. */
    int (*unlock)(void *ctx, const pledge_seckey **key, const char **signer,
                  pledge_err *err);
    /* Called in roster order with each row's outcome. */
    void (*row_done)(void *ctx, const pledge_batch_row *r);
    /* Called after each row: rows done of total. */
    void (*progress)(void *ctx, size_t done, size_t total);
    /* Called once with a warning (unknown columns). */
    void (*notice)(void *ctx, const char *msg);
    void *ctx;
    /* Set from a signal handler to stop: pledges in flight finish, no new
     * one starts, the manifest keeps what was done.  Workers stop on
     * SIGINT or SIGTERM of their own (a terminal's Ctrl-C reaches them
     * all) and are sent SIGTERM when the parent sees stop set; every
     * pledge a worker finished is counted and listed. */
    volatile sig_atomic_t *stop;
    /* Endorse instead of make: each row's pledge column names a pledge
     * its applicant signed (relative to the roster's directory unless
     * absolute or the roster is standard input), which is checked as
     * pledge_endorse_check() does, its applicant's key from the keyring
     * directory applicant_keys and its content against layouts (NULL:
     * datadir's), and endorsed with key as the association, certifying
     * the row's id (member ID) and until.  The endorsed pledge is named
     * as a made one, after its applicant.  A rerun keeps a file that is,
     * byte for byte, the endorsement this run would write of a pledge
     * whose applicant signature verifies.  layout, paper and date are
     * not used. */
    int endorse;
    const char *applicant_keys;
    const char *layouts;
} pledge_batch_opts;

typedef struct {
    size_t rows, made, kept, failed;
    int interrupted;
} pledge_batch_summary;

/* Runs a batch.  Rows that fail are reported through row_done and
 * counted; they are not errors of the run.  On error (the roster cannot
 * be read or has no name column, the output directory or the manifest
 * cannot be written, a worker cannot start) returns -1 with the reason. */
int pledge_batch_run(const pledge_batch_opts *o, pledge_batch_summary *s,
                     pledge_err *err);

#endif
