/* passphrase.c - a key's passphrase from a file or the terminal (see
 * passphrase.h). */
#include "passphrase.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <sodium.h>

#include "../util/err.h"

#define ENV_FILE "PLEDGE_PASSPHRASE_FILE"
#define CONFIRM_PROMPT "Repeat the passphrase: "

/* A passphrase and its NUL, or the byte that makes it too long. */
#define BUF_BYTES (CLI_PASSPHRASE_MAX + 1)

/* read_line's result when a caught signal cut the read short. */
#define INTERRUPTED (-2)

/* The signals that would otherwise leave the terminal without echo: those
 * that end the process, and those that stop it (the shell then shows a
 * prompt that echoes nothing). */
static const int sigs[] = {
    SIGALRM, SIGHUP, SIGINT, SIGPIPE, SIGQUIT, SIGTERM, SIGTSTP, SIGTTIN,
    SIGTTOU
};
#define NSIGS (sizeof sigs / sizeof *sigs)

static volatile sig_atomic_t caught;

static void on_signal(int sig)
{
    caught = sig;
}

/* Reads one line from fd into buf (BUF_BYTES of sodium memory) a byte at a
 * time, so that nothing past the line is consumed and no stdio buffer ever
 * holds the passphrase; leaves it without its line ending, NUL-terminated.
 * Returns 0, INTERRUPTED, or -1 with err set. */
static int read_line(int fd, char *buf, pledge_err *err)
{
    size_t n = 0;
    ssize_t r;

    for (;;) {
        if (caught)
            return INTERRUPTED;
        r = read(fd, buf + n, 1);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return pledge_err_set(err, "%s", strerror(errno));
        if (r == 0 || buf[n] == '\n')
            break;
        if (buf[n] == '\0')
            return pledge_err_set(err, "the passphrase holds a NUL byte");
        if (++n > CLI_PASSPHRASE_MAX)
            return pledge_err_set(err, "the passphrase is longer than %d "
                                  "bytes", CLI_PASSPHRASE_MAX);
    }
    if (n > 0 && buf[n - 1] == '\r')
        n--;
    buf[n] = '\0';
    if (n == 0)
        return pledge_err_set(err, "the passphrase is empty");
    return 0;
}

static int from_file(const char *path, const char *via, char *buf,
                     pledge_err *err)
{
    int fd, r;

    if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
        r = pledge_err_set(err, "%s", strerror(errno));
    } else {
        r = read_line(fd, buf, err);
        close(fd);
    }
    if (r < 0)
        return pledge_err_prefix(err, "read passphrase file %s%s", path,
                                 via);
    return 0;
}

/* Writes s to the terminal; a failed prompt is not worth failing for,
 * but a caught signal ends the loop. */
static void say(int fd, const char *s)
{
    size_t len = strlen(s);
    ssize_t w;

    while (len > 0 && !caught) {
        w = write(fd, s, len);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return;
        s += w;
        len -= (size_t)w;
    }
}

/* Asks on the terminal fd with echo off; pw and again are BUF_BYTES of
 * sodium memory.  Returns 0, INTERRUPTED with the terminal restored, or
 * -1 with err set. */
static int ask(int fd, const char *prompt, int confirm, char *pw,
               char *again, pledge_err *err)
{
    struct sigaction sa, saved_sa[NSIGS];
    struct termios saved, quiet;
    size_t i;
    int r;

    if (tcgetattr(fd, &saved) < 0)
        return pledge_err_set(err, "%s", strerror(errno));
    caught = 0;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    /* No SA_RESTART: a signal must cut a blocked read short. */
    for (i = 0; i < NSIGS; i++)
        sigaction(sigs[i], &sa, &saved_sa[i]);

    quiet = saved;
    quiet.c_lflag &= ~(tcflag_t)(ECHO | ECHONL);
    quiet.c_lflag |= ICANON;
    /* TCSAFLUSH drops what was typed before the prompt: it was echoed. */
    while ((r = tcsetattr(fd, TCSAFLUSH, &quiet)) < 0 && errno == EINTR &&
           !caught)
        ;
    if (r < 0 && caught) {
        r = INTERRUPTED;
    } else if (r < 0) {
        r = pledge_err_set(err, "%s", strerror(errno));
    } else {
        /* Echo is off: from here every path restores it.  A signal
         * caught already makes read_line return at once. */
        say(fd, prompt);
        r = read_line(fd, pw, err);
        say(fd, "\n");
        if (r == 0 && confirm) {
            say(fd, CONFIRM_PROMPT);
            r = read_line(fd, again, err);
            say(fd, "\n");
            if (r == 0 && (strlen(pw) != strlen(again) ||
                           sodium_memcmp(pw, again, strlen(pw)) != 0))
                r = pledge_err_set(err, "the passphrases do not match");
        }
        /* The rest of a line too long is still queued: the shell must
         * not read it as a command. */
        if (r == -1)
            tcflush(fd, TCIFLUSH);
        /* Ignoring SIGTTOU lets the restore through even if the process
         * was put in the background meanwhile; the loop below puts the
         * caller's disposition back. */
        sa.sa_handler = SIG_IGN;
        sigaction(SIGTTOU, &sa, NULL);
        while (tcsetattr(fd, TCSAFLUSH, &saved) < 0 && errno == EINTR)
            ;
    }
    for (i = 0; i < NSIGS; i++)
        sigaction(sigs[i], &saved_sa[i], NULL);
    return r;
}

static int from_terminal(const char *prompt, int confirm, char *pw,
                         char *again, pledge_err *err)
{
    int fd, r, sig;

    if ((fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC)) < 0 ||
        !isatty(fd)) {
        if (fd >= 0)
            close(fd);
        return pledge_err_set(err, "no terminal to ask for the passphrase: "
                              "use --passphrase-file FILE or set "
                              ENV_FILE);
    }
    for (;;) {
        r = ask(fd, prompt, confirm, pw, again, err);
        if (r != INTERRUPTED)
            break;
        /* The terminal is restored and our handlers gone: the signal now
         * does what it would have done, and a stopped process that is
         * continued asks again. */
        sig = caught;
        raise(sig);
        if (sig != SIGTSTP && sig != SIGTTIN && sig != SIGTTOU) {
            r = pledge_err_set(err, "interrupted");
            break;
        }
    }
    close(fd);
    if (r < 0)
        return pledge_err_prefix(err, "read passphrase from the terminal");
    return 0;
}

int cli_passphrase_get(const char *file, const char *prompt, int confirm,
                       char **out, pledge_err *err)
{
    const char *env = getenv(ENV_FILE);
    char *pw = NULL, *again = NULL;
    int r;

    if (sodium_init() < 0)
        return pledge_err_set(err, "libsodium failed to initialise");
    caught = 0;
    pw = sodium_malloc(BUF_BYTES);
    again = sodium_malloc(BUF_BYTES);
    if (pw == NULL || again == NULL) {
        r = pledge_err_set(err, "read passphrase: out of secure memory");
    } else if (file != NULL) {
        r = from_file(file, "", pw, err);
    } else if (env != NULL && *env != '\0') {
        r = from_file(env, " (from " ENV_FILE ")", pw, err);
    } else {
        r = from_terminal(prompt != NULL ? prompt : "Passphrase: ", confirm,
                          pw, again, err);
    }
    sodium_free(again);
    if (r < 0) {
        sodium_free(pw);
        return -1;
    }
    *out = pw;
    return 0;
}

void cli_passphrase_free(char *p)
{
    sodium_free(p);
}
