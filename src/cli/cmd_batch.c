/* cmd_batch.c - pledge batch: a signed pledge for every row of a roster. */
#include <errno.h>
#include <fcntl.h>
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
    "       pledge batch --endorse ROSTER.csv --key ASSOC.key --out DIR\n"
    "                    [--applicant-keys DIR | --keyring DIR]\n"
    "                    [--layouts DIR] [--print FILE.pdf [--duplex]]\n"
    "                    [--jobs N] [--signer NAME] ...\n"
    "\n"
    "Makes one signed pledge per roster row in DIR, a manifest\n"
    "(DIR/manifest.jsonl) and, with --print, one print file of them all.\n"
    "With --endorse, each row names a pledge its applicant signed, which is\n"
    "checked and endorsed as 'pledge endorse' does.  Running again into the\n"
    "same DIR keeps every pledge that is there and verifies, and makes the\n"
    "rest.  The roster is read through before the key is opened.\n"
    "\n"
    "  ROSTER.csv            CSV with a header row: name (required),\n"
    "                        credentials, id, email, date, layout; - reads\n"
    "                        standard input\n"
    "  -l, --layout ID       layout for rows without a layout column value\n"
    "  -e, --endorse         ROSTER.csv has a pledge column (required: an\n"
    "                        applicant-signed PDF, relative to the roster's\n"
    "                        directory) and optional member-id (or id),\n"
    "                        until and email columns\n"
    "  -a, --applicant-keys DIR\n"
    "                        --endorse: the applicants' public keys\n"
    "  -K, --keyring DIR     else these (default: $PLEDGE_KEYRING, else\n"
    "                        keys/)\n"
    "      --layouts DIR     --endorse: the layouts to check content against\n"
    "  -k, --key KEY         the secret key that signs every pledge\n"
    "  -O, --out DIR         where the pledges go (made if missing)\n"
    "  -P, --print FILE      also write every pledge, in roster order, as\n"
    "                        one PDF for the print shop; - for standard\n"
    "                        output\n"
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
    struct unlocker *unlock;    /* opens the key when the roster is read */
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

/* The print file must be a new or regular file in an existing directory,
 * and neither the roster nor the key it is made from; "-" is standard
 * output, which must not be a terminal.  Prints its own error. */
static int check_print(const char *print, const char *roster,
                       const char *key)
{
    struct stat st;
    const char *slash;
    char dir[PATH_MAX];

    if (strcmp(print, "-") == 0) {
        if (isatty(STDOUT_FILENO)) {
            cli_error("batch: write standard output: it is a terminal "
                      "(redirect it or give --print FILE.pdf)");
            return -1;
        }
        return 0;
    }
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
    if ((slash = strrchr(print, '/')) != NULL && slash != print) {
        snprintf(dir, sizeof dir, "%.*s", (int)(slash - print), print);
        if (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode)) {
            cli_error("batch: write %s: %s", print, stat(dir, &st) < 0 ?
                      strerror(errno) : "not in a directory");
            return -1;
        }
    }
    return 0;
}

/* Copies the spooled print file to standard output and removes it. */
static int print_to_stdout(const char *spool)
{
    char buf[65536];
    ssize_t n, w, off;
    int fd = open(spool, O_RDONLY | O_CLOEXEC), rc = -1;

    if (fd < 0) {
        cli_error("batch: read %s: %s", spool, strerror(errno));
        return -1;
    }
    for (;;) {
        n = read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            cli_error("batch: read %s: %s", spool, strerror(errno));
            goto done;
        }
        if (n == 0)
            break;
        for (off = 0; off < n; off += w) {
            w = write(STDOUT_FILENO, buf + off, (size_t)(n - off));
            if (w < 0 && errno == EINTR) {
                w = 0;
                continue;
            }
            if (w < 0) {
                cli_error("batch: write standard output: %s",
                          strerror(errno));
                goto done;
            }
        }
    }
    rc = 0;

done:
    close(fd);
    unlink(spool);
    return rc;
}

/* What the batch's unlock callback needs. */
typedef struct unlocker {
    const cli_sign_args *sa;
    pledge_seckey *sk;
    char signer[PLEDGE_SIGNER_BYTES];
} unlocker;

/* Opens the key once the roster has been read: a mistyped roster costs
 * no passphrase and no seconds of key derivation.  Only then does Ctrl-C
 * mean "stop after the pledges in flight": before, at the passphrase
 * prompt too, it ends the command at once. */
static int unlock(void *ctx, const pledge_seckey **key, const char **signer,
                  pledge_err *err)
{
    unlocker *k = ((ui *)ctx)->unlock;
    struct sigaction act;

    if (cli_open_signing_key(k->sa->key, k->sa->allow_insecure ?
                             PLEDGE_KEY_ALLOW_INSECURE : 0, k->sa->passfile,
                             &k->sk, k->signer, sizeof k->signer, err) < 0)
        return -1;
    memset(&act, 0, sizeof act);
    act.sa_handler = on_signal;
    sigemptyset(&act.sa_mask);
    sigaction(SIGINT, &act, NULL);
    sigaction(SIGTERM, &act, NULL);
    *key = k->sk;
    *signer = k->sa->signer != NULL ? k->sa->signer : k->signer;
    return 0;
}

int cmd_batch(int argc, char **argv)
{
    static const cli_opt opts[] = {
        {"layout", 'l', 1, 'l'},
        {"key", 'k', 1, 'k'},
        {"out", 'O', 1, 'O'},
        {"print", 'P', 1, 'P'},
        {"duplex", 0, 0, 'D'},
        {"jobs", 'j', 1, 'j'},
        {"resume", 0, 0, 'r'},
        {"date", 'd', 1, 'd'},
        {"paper", 'p', 1, 'p'},
        {"endorse", 'e', 0, 'e'},
        {"applicant-keys", 'a', 1, 'a'},
        {"keyring", 'K', 1, 'K'},
        {"layouts", 0, 1, 'L'},
        {"help", 'h', 0, 'h'},
        {NULL, 0, 0, 0}
    };
    pledge_batch_opts bo;
    pledge_batch_summary sum;
    cli_sign_args sa;
    unlocker k;
    char *end, spool[PATH_MAX];
    const char *print = NULL, *keyring = NULL;
    pledge_err err;
    cli_args args;
    long jobs;
    ui u;
    int c, n = 0, made = 0, rc = EXIT_USAGE;

    memset(&bo, 0, sizeof bo);
    memset(&sa, 0, sizeof sa);
    memset(&u, 0, sizeof u);
    memset(&k, 0, sizeof k);
    /* The summary's time is the whole command's, key derivation too. */
    u.start = u.last = now_s();
    jobs = sysconf(_SC_NPROCESSORS_ONLN);
    cli_args_init(&args, "batch", opts, cli_sign_opts, argc, argv);
    while ((c = cli_args_next(&args)) != CLI_ARGS_END) {
        switch (c) {
        case 'l': bo.layout = args.value; break;
        case 'k': sa.key = args.value; break;
        case 'O': bo.out_dir = args.value; break;
        case 'P': print = args.value; break;
        case 'D': bo.duplex = 1; break;
        case 'r': break;
        case 'd': bo.date = args.value; break;
        case 'e': bo.endorse = 1; break;
        case 'a': bo.applicant_keys = args.value; break;
        case 'K': keyring = args.value; break;
        case 'L': bo.layouts = args.value; break;
        case CLI_ARGS_OPERAND:
            bo.roster = args.value;
            n++;
            break;
        case 'j':
            errno = 0;
            jobs = strtol(args.value, &end, 10);
            if (errno || *end || jobs < 1 || jobs > 64) {
                cli_error("batch: --jobs must be a number from 1 to 64, "
                          "not '%s'", args.value);
                return EXIT_USAGE;
            }
            break;
        case 'p':
            if (cli_paper("batch", args.value, &bo.paper) < 0)
                return EXIT_USAGE;
            break;
        case 'h':
            fputs(usage, stdout);
            return EXIT_OK;
        default:
            if (cli_sign_option(&sa, c, args.value))
                break;
            return EXIT_USAGE;
        }
    }
    if (bo.endorse && (bo.layout != NULL || bo.date != NULL ||
                       bo.paper != PLEDGE_PAPER_DEFAULT)) {
        cli_error("batch: --endorse takes no --layout, --date or --paper: "
                  "the pledges are made already");
        return EXIT_USAGE;
    }
    if (!bo.endorse && (bo.applicant_keys != NULL || keyring != NULL ||
                        bo.layouts != NULL)) {
        cli_error("batch: --applicant-keys, --keyring and --layouts go "
                  "with --endorse");
        return EXIT_USAGE;
    }
    if (bo.endorse && bo.applicant_keys == NULL)
        bo.applicant_keys = keyring != NULL ? keyring : cli_keyring_dir();
    if (bo.endorse && !cli_is_dir(bo.applicant_keys)) {
        cli_error("batch: %s: not a directory of public keys",
                  bo.applicant_keys);
        return EXIT_USAGE;
    }
    if (n != 1 || (bo.layout == NULL && !bo.endorse) || sa.key == NULL ||
        bo.out_dir == NULL) {
        cli_error("batch: %s is required (see 'pledge batch --help')",
                  n == 0 ? "ROSTER.csv" : bo.layout == NULL ?
                  "--layout" : sa.key == NULL ? "--key" :
                  bo.out_dir == NULL ? "--out DIR" : "one ROSTER.csv");
        return EXIT_USAGE;
    }
    if (bo.duplex && print == NULL) {
        cli_error("batch: --duplex goes with --print FILE.pdf");
        return EXIT_USAGE;
    }
    if (cli_not_stdio("batch", "--key", sa.key) < 0 ||
        cli_not_stdio("batch", "--out", bo.out_dir) < 0 ||
        cli_not_stdio("batch", "--passphrase-file", sa.passfile) < 0)
        return EXIT_USAGE;
    u.roster = strcmp(bo.roster, "-") == 0 ? "standard input" : bo.roster;
    if (print != NULL && check_print(print, bo.roster, sa.key) < 0)
        return EXIT_USAGE;
    bo.time = cli_sign_time();
    if (bo.time < 0) {
        cli_error("batch: SOURCE_DATE_EPOCH is not a number of seconds");
        return EXIT_USAGE;
    }
    if (ensure_dir(bo.out_dir, &made) < 0) {
        cli_error("batch: make %s: %s", bo.out_dir, strerror(errno));
        return EXIT_USAGE;
    }
    if (access(bo.out_dir, W_OK | X_OK) < 0) {
        cli_error("batch: write %s: %s", bo.out_dir, strerror(errno));
        goto done;
    }
    bo.print = print;
    if (print != NULL && strcmp(print, "-") == 0) {
        if ((size_t)snprintf(spool, sizeof spool, "%s/%s", bo.out_dir,
                             PLEDGE_BATCH_PRINT_SPOOL) >= sizeof spool) {
            cli_error("batch: %s: path too long", bo.out_dir);
            goto done;
        }
        bo.print = spool;
    }

    u.tty = isatty(STDERR_FILENO);
    u.unlock = &k;
    k.sa = &sa;
    bo.datadir = cli_datadir();
    bo.jobs = (int)(jobs > 0 ? jobs : 1);
    bo.unlock = unlock;
    bo.association = cli_key_is_association(sa.key);
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
            print != NULL && !sum.interrupted ? "; print file " : "",
            print != NULL && !sum.interrupted ? (bo.print == spool ?
            "to standard output" : print) : "");
    rc = sum.interrupted ? 130 : sum.failed > 0 ? EXIT_USAGE : EXIT_OK;
    if (bo.print == spool && !sum.interrupted &&
        print_to_stdout(spool) < 0)
        rc = EXIT_USAGE;

done:
    if (made && rc != EXIT_OK)
        unmake_dir(bo.out_dir);
    pledge_seckey_free(k.sk);
    return rc;
}
