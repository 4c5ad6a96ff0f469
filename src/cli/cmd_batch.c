/* cmd_batch.c - pledge batch: a signed pledge for every row of a roster. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../batch/batch.h"
#include "cli.h"

static const char usage[] =
    "usage: pledge batch ROSTER.csv --layout ID --key KEY --out DIR\n"
    "                    [--print FILE.pdf [--duplex]] [--jobs N] [--resume]\n"
    "                    [--date YYYY-MM-DD] [--paper letter|a4]\n"
    "                    [--signer NAME] [--passphrase-file FILE]\n"
    "                    [--allow-insecure-key]\n"
    "\n"
    "Makes one signed pledge per roster row in DIR, a manifest\n"
    "(DIR/manifest.jsonl) and, with --print, one print file of them all.\n"
    "Running again into the same DIR keeps every pledge that is there and\n"
    "verifies, and makes the rest.\n"
    "\n"
    "  ROSTER.csv            CSV with a header row: name (required),\n"
    "                        credentials, id, email, date, layout; - reads\n"
    "                        standard input\n"
    "  -l, --layout ID       layout for rows without a layout column value\n"
    "  -k, --key KEY         the secret key that signs every pledge\n"
    "  -O, --out DIR         where the pledges go (made if missing)\n"
    "  -P, --print FILE      also write every pledge, in roster order, as\n"
    "                        one PDF for the print shop\n"
    "      --duplex          in the print file, start each pledge on a\n"
    "                        right-hand page (blank pages added)\n"
    "  -j, --jobs N          worker processes (default: number of cores)\n"
    "      --resume          say so explicitly: a rerun always resumes\n"
    "  -d, --date DATE       date for rows without one (default: today, or\n"
    "                        the first run's date when resuming)\n"
    "  -p, --paper SIZE      letter or a4 (default: each layout's)\n"
    "      --signer NAME     the signer's name to show (default: the key's)\n"
    "      --passphrase-file FILE\n"
    "                        read the key's passphrase from FILE\n"
    "      --allow-insecure-key\n"
    "                        use the secret key even if its file is readable\n"
    "                        by others (by default it is refused: chmod 600)\n"
    "  -h, --help            show this help\n"
    "\n"
    "Exit status: 0 every row made or kept, 2 a row failed or bad usage,\n"
    "130 interrupted (rerun to finish).\n";

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
    (void)sig;
    stop = 1;
}

typedef struct {
    const char *roster;
    int tty;                    /* progress goes to a terminal */
    double start, last;
    int shown;                  /* a progress line is on screen */
} ui;

static double now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void clear_progress(ui *u)
{
    if (u->shown) {
        fputs("\r\033[K", stderr);
        u->shown = 0;
    }
}

static void row_done(void *ctx, const pledge_batch_row *r)
{
    ui *u = ctx;

    if (r->status != PLEDGE_ROW_FAILED)
        return;
    clear_progress(u);
    /* A syntax error already names the roster and its line; other
     * messages may name another file, such as the row's layout. */
    if (strncmp(r->error, "read ", 5) == 0 &&
        strncmp(r->error + 5, u->roster, strlen(u->roster)) == 0)
        cli_error("batch: %s (row %zu)", r->error, r->row);
    else
        cli_error("batch: %s row %zu: %s", u->roster, r->row, r->error);
}

static void progress(void *ctx, size_t done, size_t total)
{
    ui *u = ctx;
    double t = now_s(), rate;

    if (!u->tty || (t - u->last < 0.1 && done < total))
        return;
    u->last = t;
    rate = done / (t - u->start > 1e-6 ? t - u->start : 1e-6);
    fprintf(stderr, "\r\033[K  %zu/%zu rows  %.0f/s  ETA %.0f s", done,
            total, rate, rate > 0 ? (double)(total - done) / rate : 0.0);
    u->shown = 1;
}

static void notice(void *ctx, const char *msg)
{
    clear_progress(ctx);
    cli_error("batch: %s", msg);
}

/* Makes dir unless it exists (one level, like mkdir); *made says whether
 * this call made it. */
static int ensure_dir(const char *dir, int *made)
{
    struct stat st;

    *made = 0;
    if (stat(dir, &st) == 0)
        return S_ISDIR(st.st_mode) ? 0 : (errno = ENOTDIR, -1);
    if (mkdir(dir, 0777) < 0)
        return -1;
    *made = 1;
    return 0;
}

/* A run that failed as a whole takes back the directory it made, so that
 * a mistyped roster or key leaves nothing behind; one that made anything
 * keeps it (rmdir refuses a directory with pledges in it). */
static void unmake_dir(const char *dir)
{
    char path[PATH_MAX];

    if ((size_t)snprintf(path, sizeof path, "%s/%s", dir,
                         PLEDGE_BATCH_STATE) < sizeof path)
        unlink(path);
    rmdir(dir);
}

/* The print file must be a new or regular file, and neither the roster
 * nor the key it is made from.  Prints its own error. */
static int check_print(const char *print, const char *roster,
                       const char *key)
{
    struct stat st;

    if (cli_same_file(print, roster) || cli_same_file(print, key)) {
        cli_error("batch: write %s: that is the %s file (choose another "
                  "--print)", print, cli_same_file(print, key) ?
                  "secret key" : "roster");
        return -1;
    }
    if (stat(print, &st) == 0 && !S_ISREG(st.st_mode)) {
        cli_error("batch: write %s: not a regular file", print);
        return -1;
    }
    return 0;
}

int cmd_batch(int argc, char **argv)
{
    static const struct option opts[] = {
        {"layout", required_argument, NULL, 'l'},
        {"key", required_argument, NULL, 'k'},
        {"out", required_argument, NULL, 'O'},
        {"print", required_argument, NULL, 'P'},
        {"duplex", no_argument, NULL, 'D'},
        {"jobs", required_argument, NULL, 'j'},
        {"resume", no_argument, NULL, 'r'},
        {"date", required_argument, NULL, 'd'},
        {"paper", required_argument, NULL, 'p'},
        {"signer", required_argument, NULL, 'S'},
        {"passphrase-file", required_argument, NULL, 'F'},
        {"allow-insecure-key", no_argument, NULL, CLI_OPT_ALLOW_INSECURE_KEY},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}
    };
    pledge_batch_opts bo;
    pledge_batch_summary sum;
    cli_sign_args sa;
    pledge_signing signing;
    pledge_seckey *sk = NULL;
    char signer[PLEDGE_SIGNER_BYTES], *end;
    struct sigaction act;
    pledge_err err;
    long jobs;
    ui u;
    int c, made = 0, rc = EXIT_USAGE;

    memset(&bo, 0, sizeof bo);
    memset(&sa, 0, sizeof sa);
    memset(&u, 0, sizeof u);
    jobs = sysconf(_SC_NPROCESSORS_ONLN);
    optind = 1;
    while ((c = getopt_long(argc, argv, "l:k:O:P:j:d:p:h", opts,
                            NULL)) != -1) {
        switch (c) {
        case 'l': bo.layout = optarg; break;
        case 'k': sa.key = optarg; break;
        case 'O': bo.out_dir = optarg; break;
        case 'P': bo.print = optarg; break;
        case 'D': bo.duplex = 1; break;
        case 'r': break;
        case 'd': bo.date = optarg; break;
        case 'S': sa.signer = optarg; break;
        case 'F': sa.passfile = optarg; break;
        case CLI_OPT_ALLOW_INSECURE_KEY: sa.allow_insecure = 1; break;
        case 'j':
            errno = 0;
            jobs = strtol(optarg, &end, 10);
            if (errno || *end || jobs < 1 || jobs > 64) {
                cli_error("batch: --jobs must be a number from 1 to 64, "
                          "not '%s'", optarg);
                return EXIT_USAGE;
            }
            break;
        case 'p':
            if (cli_paper("batch", optarg, &bo.paper) < 0)
                return EXIT_USAGE;
            break;
        case 'h':
            fputs(usage, stdout);
            return EXIT_OK;
        default:
            fputs(usage, stderr);
            return EXIT_USAGE;
        }
    }
    if (optind + 1 != argc || bo.layout == NULL || sa.key == NULL ||
        bo.out_dir == NULL) {
        cli_error("batch: %s is required (see 'pledge batch --help')",
                  optind >= argc ? "ROSTER.csv" : bo.layout == NULL ?
                  "--layout" : sa.key == NULL ? "--key" :
                  bo.out_dir == NULL ? "--out DIR" : "one ROSTER.csv");
        return EXIT_USAGE;
    }
    if (bo.duplex && bo.print == NULL) {
        cli_error("batch: --duplex goes with --print FILE.pdf");
        return EXIT_USAGE;
    }
    bo.roster = argv[optind];
    u.roster = strcmp(bo.roster, "-") == 0 ? "standard input" : bo.roster;
    if (bo.print != NULL && check_print(bo.print, bo.roster, sa.key) < 0)
        return EXIT_USAGE;
    if (ensure_dir(bo.out_dir, &made) < 0) {
        cli_error("batch: make %s: %s", bo.out_dir, strerror(errno));
        return EXIT_USAGE;
    }
    if ((rc = cli_signing_setup("batch", &sa, &signing, &sk,
                                signer, sizeof signer)) != EXIT_OK)
        goto done;
    rc = EXIT_USAGE;

    memset(&act, 0, sizeof act);
    act.sa_handler = on_signal;
    sigemptyset(&act.sa_mask);
    sigaction(SIGINT, &act, NULL);
    sigaction(SIGTERM, &act, NULL);
    u.tty = isatty(STDERR_FILENO);
    u.start = u.last = now_s();
    bo.datadir = cli_datadir();
    bo.jobs = (int)(jobs > 0 ? jobs : 1);
    bo.key = sk;
    bo.signer = signing.signer;
    bo.time = signing.time;
    bo.row_done = row_done;
    bo.progress = progress;
    bo.notice = notice;
    bo.ctx = &u;
    bo.stop = &stop;
    if (pledge_batch_run(&bo, &sum, &err) < 0) {
        clear_progress(&u);
        cli_error("batch: %s", err.msg);
        goto done;
    }
    made = 0;
    clear_progress(&u);
    fprintf(stderr, "batch: %zu rows: %zu made, %zu kept, %zu failed in "
            "%.2f s%s; manifest %s/%s%s%s\n", sum.rows, sum.made, sum.kept,
            sum.failed, now_s() - u.start,
            sum.interrupted ? " (interrupted: run again to finish)" : "",
            bo.out_dir, PLEDGE_BATCH_MANIFEST,
            bo.print != NULL && !sum.interrupted ? "; print file " : "",
            bo.print != NULL && !sum.interrupted ? bo.print : "");
    rc = sum.interrupted ? 130 : sum.failed > 0 ? EXIT_USAGE : EXIT_OK;

done:
    if (made && rc != EXIT_OK)
        unmake_dir(bo.out_dir);
    pledge_seckey_free(sk);
    return rc;
}
