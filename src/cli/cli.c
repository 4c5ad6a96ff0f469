#include "cli.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../util/err.h"
#include "../util/file.h"
#include "passphrase.h"

void cli_error(const char *fmt, ...)
{
    va_list ap;

    fputs("pledge: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

/* The hint that follows every option error. */
static void try_help(const char *cmd)
{
    fprintf(stderr, "Try 'pledge %s --help'.\n", cmd);
}

void cli_args_init(cli_args *a, const char *cmd, const cli_opt *opts,
                   const cli_opt *more, int argc, char **argv)
{
    memset(a, 0, sizeof *a);
    a->cmd = cmd;
    a->opts = opts;
    a->more = more;
    a->argc = argc;
    a->argv = argv;
    a->next = 1;
}

enum { CLI_OPT_SIGNER = 300, CLI_OPT_PASSPHRASE_FILE,
       CLI_OPT_ALLOW_INSECURE_KEY };

const cli_opt cli_sign_opts[] = {
    {"signer", 0, 1, CLI_OPT_SIGNER},
    {"passphrase-file", 0, 1, CLI_OPT_PASSPHRASE_FILE},
    {"allow-insecure-key", 0, 0, CLI_OPT_ALLOW_INSECURE_KEY},
    {NULL, 0, 0, 0}
};

int cli_sign_option(cli_sign_args *a, int c, const char *value)
{
    switch (c) {
    case CLI_OPT_SIGNER: a->signer = value; return 1;
    case CLI_OPT_PASSPHRASE_FILE: a->passfile = value; return 1;
    case CLI_OPT_ALLOW_INSECURE_KEY: a->allow_insecure = 1; return 1;
    default: return 0;
    }
}

/* The option of a's tables named name[0..len) (letter 0) or, when len is
 * 0, the one whose letter is letter. */
static const cli_opt *find_opt(const cli_args *a, const char *name,
                               size_t len, char letter)
{
    const cli_opt *tables[2], *o;
    int i;

    tables[0] = a->opts;
    tables[1] = a->more;
    for (i = 0; i < 2 && tables[i] != NULL; i++)
        for (o = tables[i]; o->name != NULL; o++)
            if (len > 0 ? strlen(o->name) == len &&
                          memcmp(o->name, name, len) == 0
                        : o->letter != 0 && o->letter == letter)
                return o;
    return NULL;
}

/* The value of option o, spelled as shown: attached (may be NULL) or the
 * next argument. */
static int take_value(cli_args *a, const cli_opt *o, const char *attached,
                      const char *shown)
{
    if (attached != NULL) {
        a->value = attached;
    } else if (a->next < a->argc) {
        a->value = a->argv[a->next++];
    } else {
        cli_error("%s: option '%s' needs an argument", a->cmd, shown);
        try_help(a->cmd);
        return CLI_ARGS_ERROR;
    }
    return o->id;
}

static int next_letter(cli_args *a)
{
    char c = *a->cluster++, shown[3] = {'-', c, '\0'};
    const cli_opt *o = find_opt(a, NULL, 0, c);
    const char *rest = a->cluster;

    if (o == NULL) {
        cli_error("%s: unknown option '%s'", a->cmd, shown);
        try_help(a->cmd);
        return CLI_ARGS_ERROR;
    }
    a->value = NULL;
    if (!o->takes_value) {
        if (*a->cluster == '\0')
            a->cluster = NULL;
        return o->id;
    }
    a->cluster = NULL;
    return take_value(a, o, *rest != '\0' ? rest : NULL, shown);
}

int cli_args_next(cli_args *a)
{
    const char *arg, *eq;
    const cli_opt *o;
    char shown[64];
    size_t len;
    struct stat st;

    if (a->cluster != NULL)
        return next_letter(a);
    if (a->next >= a->argc)
        return CLI_ARGS_END;
    arg = a->argv[a->next++];
    if (a->operands_only || arg[0] != '-' || arg[1] == '\0') {
        a->value = arg;
        return CLI_ARGS_OPERAND;
    }
    if (strcmp(arg, "--") == 0) {
        a->operands_only = 1;
        return cli_args_next(a);
    }
    if (lstat(arg, &st) == 0) {
        cli_error("%s: '%s' is an option and also a file here: to name the "
                  "file, write ./%s or put it after --", a->cmd, arg, arg);
        return CLI_ARGS_ERROR;
    }
    if (arg[1] != '-') {
        a->cluster = arg + 1;
        return next_letter(a);
    }
    eq = strchr(arg, '=');
    len = eq != NULL ? (size_t)(eq - arg - 2) : strlen(arg + 2);
    if (len == 0 || (o = find_opt(a, arg + 2, len, 0)) == NULL) {
        cli_error("%s: unknown option '%.*s'", a->cmd, (int)(len + 2), arg);
        try_help(a->cmd);
        return CLI_ARGS_ERROR;
    }
    a->value = NULL;
    if (!o->takes_value) {
        if (eq != NULL) {
            cli_error("%s: option '--%s' takes no argument", a->cmd,
                      o->name);
            try_help(a->cmd);
            return CLI_ARGS_ERROR;
        }
        return o->id;
    }
    if (eq != NULL)
        return take_value(a, o, eq + 1, NULL);
    snprintf(shown, sizeof shown, "--%s", o->name);
    return take_value(a, o, NULL, shown);
}

int cli_not_stdio(const char *cmd, const char *option, const char *value)
{
    if (value == NULL || strcmp(value, "-") != 0)
        return 0;
    cli_error("%s: %s cannot be standard input or output ('-'): name a "
              "file (./- for a file called '-')", cmd, option);
    return -1;
}

const char *cli_keyring_dir(void)
{
    const char *env = getenv("PLEDGE_KEYRING");

    return env != NULL && *env != '\0' ? env : "keys";
}

int cli_is_dir(const char *path)
{
    struct stat st;

    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* 1 when dir holds layouts/ and fonts/, as a data directory does. */
static int is_datadir(const char *dir)
{
    char probe[PATH_MAX + 64];

    snprintf(probe, sizeof probe, "%s/layouts", dir);
    if (!cli_is_dir(probe))
        return 0;
    snprintf(probe, sizeof probe, "%s/fonts", dir);
    return cli_is_dir(probe);
}

const char *cli_datadir(void)
{
    /* Where the data lies relative to the executable's directory: an
     * installed tree (PREFIX/bin beside PREFIX/share/pledge), then a build
     * tree (build/pledge, build/san/pledge) inside its source tree.  No
     * path is compiled in, so a moved tree or installation still works. */
    static const char *const beside[] = { "../share/pledge", "..", "../.." };
    static char dir[PATH_MAX + 32];
    const char *env = getenv("PLEDGE_DATADIR");
    char exe[PATH_MAX], *slash;
    ssize_t n;
    size_t i;

    if (env != NULL && *env != '\0')
        return env;
    if (dir[0] != '\0')
        return dir;
    n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0 || (exe[n] = '\0', slash = strrchr(exe, '/')) == NULL) {
        cli_error("cannot find the executable's directory (/proc/self/exe);"
                  " set PLEDGE_DATADIR to the directory holding layouts/ "
                  "and fonts/");
        exit(EXIT_USAGE);
    }
    *slash = '\0';
    for (i = 0; i < sizeof beside / sizeof *beside; i++) {
        snprintf(dir, sizeof dir, "%s/%s", exe, beside[i]);
        if (is_datadir(dir))
            return dir;
    }
    cli_error("no data directory (layouts/ and fonts/) in %s/../share/pledge"
              " or the source tree around %s; set PLEDGE_DATADIR", exe, exe);
    exit(EXIT_USAGE);
}

int cli_load_layout(const char *id_or_path, pledge_layout **out,
                    pledge_err *err)
{
    return pledge_layout_open(out, cli_datadir(), id_or_path, err);
}

static int write_all(int fd, const unsigned char *p, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, p, len);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

/* Writes to a device or FIFO the user named (/dev/stdout, /dev/full, a
 * pipe): there is nothing to replace atomically, and renaming a file over
 * the device node would destroy it. */
static int write_special(const char *path, const void *data, size_t len,
                         pledge_err *err)
{
    int fd = open(path, O_WRONLY | O_NOCTTY | O_CLOEXEC);

    if (fd < 0)
        return pledge_err_set(err, "write %.300s: %s", path,
                              strerror(errno));
    if (write_all(fd, data, len) < 0) {
        pledge_err_set(err, "write %.300s: %s", path, strerror(errno));
        close(fd);
        return -1;
    }
    if (close(fd) < 0)
        return pledge_err_set(err, "write %.300s: %s", path,
                              strerror(errno));
    return 0;
}

int cli_write_file(const char *path, const void *data, size_t len,
                   pledge_err *err)
{
    struct stat st;
    mode_t mask;

    if (strcmp(path, "-") == 0) {
        if (isatty(STDOUT_FILENO))
            return pledge_err_set(err, "write standard output: it is a "
                                  "terminal (redirect it or name a file)");
        if (write_all(STDOUT_FILENO, data, len) < 0) {
            snprintf(err->msg, sizeof err->msg, "write standard output: %s",
                     strerror(errno));
            return -1;
        }
        return 0;
    }
    if (stat(path, &st) == 0 && (S_ISCHR(st.st_mode) ||
                                 S_ISFIFO(st.st_mode) ||
                                 S_ISSOCK(st.st_mode)))
        return write_special(path, data, len, err);
    mask = umask(0);
    umask(mask);
    if (pledge_file_write(path, data, len, 0666 & ~mask, 1, err) < 0)
        return pledge_err_prefix(err, "write %.300s", path);
    return 0;
}

int cli_same_file(const char *a, const char *b)
{
    struct stat sa, sb;

    if (strcmp(a, "-") == 0 || strcmp(b, "-") == 0)
        return 0;
    return stat(a, &sa) == 0 && stat(b, &sb) == 0 &&
           sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

/* $SOURCE_DATE_EPOCH: 1 and *out when set and valid, 0 when unset, -1 when
 * set but not a non-negative number. */
static int source_date_epoch(long long *out)
{
    const char *s = getenv("SOURCE_DATE_EPOCH");
    char *end;
    long long v;

    if (s == NULL || *s == '\0')
        return 0;
    errno = 0;
    v = strtoll(s, &end, 10);
    if (errno != 0 || *end != '\0' || v < 0 || v > 253402300799LL)
        return -1;
    *out = v;
    return 1;
}

int cli_default_date(char out[11], pledge_err *err)
{
    long long sde;
    time_t t;
    struct tm tm;
    int r = source_date_epoch(&sde);

    if (r < 0) {
        snprintf(err->msg, sizeof err->msg, "SOURCE_DATE_EPOCH is not a "
                 "number of seconds");
        return -1;
    }
    t = r ? (time_t)sde : time(NULL);
    gmtime_r(&t, &tm);
    strftime(out, 11, "%Y-%m-%d", &tm);
    return 0;
}

long long cli_epoch(const char *date)
{
    long long sde;
    struct tm tm;

    if (source_date_epoch(&sde) > 0)
        return sde;
    if (strlen(date) < 10)
        return 0;
    memset(&tm, 0, sizeof tm);
    tm.tm_year = atoi(date) - 1900;
    tm.tm_mon = atoi(date + 5) - 1;
    tm.tm_mday = atoi(date + 8);
    return (long long)timegm(&tm);
}

int cli_paper(const char *cmd, const char *value, pledge_paper *paper)
{
    if (strcmp(value, "letter") == 0) {
        *paper = PLEDGE_PAPER_LETTER;
    } else if (strcmp(value, "a4") == 0) {
        *paper = PLEDGE_PAPER_A4;
    } else {
        cli_error("%s: unknown paper '%s' (letter or a4)", cmd, value);
        return -1;
    }
    return 0;
}

#define READ_MAX (256u << 20)

/* Standard input, whole, like pledge_file_read(); never a terminal, where
 * a pledge cannot come from and a read would only wait. */
static int read_stdin(unsigned char **out, size_t *len, pledge_err *err)
{
    char *buf;

    if (isatty(STDIN_FILENO))
        return pledge_err_set(err, "read standard input: it is a terminal "
                              "(pipe a file into it or name one)");
    if (pledge_file_read_fd(STDIN_FILENO, READ_MAX, &buf, len, err) < 0)
        return pledge_err_prefix(err, "read standard input");
    *out = (unsigned char *)buf;
    return 0;
}

int cli_read_file(const char *path, unsigned char **out, size_t *len,
                  pledge_err *err)
{
    char *buf;

    if (strcmp(path, "-") == 0)
        return read_stdin(out, len, err);
    if (pledge_file_read(path, READ_MAX, &buf, len, err) < 0)
        return pledge_err_prefix(err, "read %s", path);
    *out = (unsigned char *)buf;
    return 0;
}

long long cli_sign_time(void)
{
    long long sde;
    int r = source_date_epoch(&sde);

    if (r < 0)
        return -1;
    return r ? sde : (long long)time(NULL);
}

void cli_deriving(const char *what)
{
    fprintf(stderr, "Deriving a key from the passphrase and %s the secret "
            "key... ", what);
    fflush(stderr);
}

int cli_open_signing_key(const char *path, unsigned flags,
                         const char *passfile, pledge_seckey **sk,
                         char *signer, size_t cap, pledge_err *err)
{
    char recorded[PLEDGE_SIGNER_BYTES], prompt[600], *pass = NULL;
    int enc = 0, rc;

    if (pledge_key_is_encrypted(path, flags, &enc, err) < 0)
        return -1;
    if (enc) {
        snprintf(prompt, sizeof prompt, "Passphrase for %.500s: ", path);
        if (cli_passphrase_get(passfile, prompt, 0, &pass, err) < 0)
            return pledge_err_prefix(err, "read %s", path);
    }
    /* scrypt takes seconds: say what the wait is, as minisign does. */
    if (enc)
        cli_deriving("decrypting");
    rc = pledge_key_read_secret(path, flags, pass, sk, recorded, err);
    if (enc)
        fputs(rc < 0 ? "failed\n" : "done\n", stderr);
    cli_passphrase_free(pass);
    if (rc < 0)
        return -1;
    if (recorded[0] != '\0')
        snprintf(signer, cap, "%s", recorded);
    else
        pledge_key_file_signer(path, signer, cap);
    return 0;
}

int cli_key_is_association(const char *path)
{
    char role[PATH_MAX], *text = NULL, *line;
    size_t n = strlen(path), len;
    pledge_err err;
    int found = 0;

    if (n > 4 && strcmp(path + n - 4, ".key") == 0)
        n -= 4;
    if ((size_t)snprintf(role, sizeof role, "%.*s.role", (int)n, path) >=
        sizeof role || access(role, F_OK) != 0 ||
        pledge_file_read(role, 64 * 1024, &text, &len, &err) < 0)
        return 0;
    for (line = strtok(text, "\n"); line != NULL && !found;
         line = strtok(NULL, "\n"))
        found = strcmp(line, "role: association") == 0;
    free(text);
    return found;
}

int cli_signing_setup(const char *cmd, const cli_sign_args *a,
                      pledge_signing *s, pledge_seckey **sk,
                      char *signer_buf, size_t cap)
{
    pledge_err err;

    memset(s, 0, sizeof *s);
    s->time = cli_sign_time();
    if (s->time < 0) {
        cli_error("%s: SOURCE_DATE_EPOCH is not a number of seconds", cmd);
        return EXIT_USAGE;
    }
    if (cli_open_signing_key(a->key, a->allow_insecure ?
                             PLEDGE_KEY_ALLOW_INSECURE : 0, a->passfile, sk,
                             signer_buf, cap, &err) < 0) {
        cli_error("%s: %s", cmd, err.msg);
        return EXIT_USAGE;
    }
    s->key = *sk;
    s->signer = a->signer != NULL ? a->signer : signer_buf;
    s->association = cli_key_is_association(a->key);
    return EXIT_OK;
}

int cli_write_signed(const char *cmd, const cli_sign_args *a,
                     const pledge_signing *s, const char *out,
                     const unsigned char *pdf, size_t len)
{
    char *sig = NULL, path[PATH_MAX];
    size_t siglen = 0;
    pledge_err err;
    int rc = EXIT_USAGE;

    if (a->detached) {
        if (strcmp(out, "-") == 0) {
            cli_error("%s: --detached needs -o FILE, not standard output",
                      cmd);
            return EXIT_USAGE;
        }
        if ((size_t)snprintf(path, sizeof path, "%s.minisig", out) >=
            sizeof path) {
            cli_error("%s: output path too long", cmd);
            return EXIT_USAGE;
        }
        if (pledge_sign_detached(pdf, len, s->key, &sig, &siglen,
                                 &err) < 0) {
            cli_error("%s: %s", cmd, err.msg);
            return EXIT_USAGE;
        }
    }
    /* The signature goes first: a reader who finds the PDF finds its
     * signature beside it. */
    if ((sig != NULL && cli_write_file(path, sig, siglen, &err) < 0) ||
        cli_write_file(out, pdf, len, &err) < 0) {
        cli_error("%s: %s", cmd, err.msg);
        if (sig != NULL)
            unlink(path);
        goto done;
    }
    rc = EXIT_OK;

done:
    free(sig);
    return rc;
}
