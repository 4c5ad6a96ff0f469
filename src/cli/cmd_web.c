/* cmd_web.c - pledge web: write the static site that checks a pledge's
 * seal in a browser, with the keyring it trusts built in. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "../util/file.h"
#include "../util/text.h"

static const char usage[] =
    "usage: pledge web [--keyring DIR] -o SITE\n"
    "\n"
    "Writes a static site that checks the seal (the QR code) of a printed\n"
    "or on-screen pledge in a browser, from the phone's camera, a photo, or\n"
    "the seal text after '#' in the page's address, against the keys of\n"
    "DIR built into it: every NAME.pub with its NAME.role record, every\n"
    "NAME.rotation statement and NAME.revoked list (each must verify).\n"
    "Nothing is uploaded; once loaded the page works offline.  Host SITE\n"
    "anywhere as plain files; build it again when the keyring changes.\n"
    "SITE must be new, empty, or a site pledge web wrote before (it holds\n"
    "a .pledge-web file); its files are replaced, others left alone.\n"
    "\n"
    "  -K, --keyring DIR     the keys to trust (default: $PLEDGE_KEYRING,\n"
    "                        else keys)\n"
    "  -o, --output SITE     the directory to write the site into\n"
    "  -h, --help            show this help\n";

#define MAX_LISTS 64

/* s escaped for a terminal; a static buffer, one use per printf(). */
static const char *shown(const char *s)
{
    static char buf[4 * PATH_MAX + 1];

    pledge_text_escape(buf, sizeof buf, s);
    return buf;
}

/* The built page: $PLEDGE_WEBDIR, else web/ beside the executable (a
 * build tree: build/web), else ../share/pledge/web (an installation).
 * 0 with the directory in dir, or -1 when none holds verify.js. */
static int page_dir(char *dir, size_t cap)
{
    static const char *const beside[] = { "web", "../share/pledge/web" };
    const char *env = getenv("PLEDGE_WEBDIR");
    char exe[PATH_MAX], probe[PATH_MAX + 64], *slash;
    ssize_t n;
    size_t i;

    if (env != NULL && *env != '\0') {
        snprintf(dir, cap, "%s", env);
        snprintf(probe, sizeof probe, "%s/verify.js", env);
        return access(probe, R_OK) == 0 ? 0 : -1;
    }
    n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0 || (exe[n] = '\0', slash = strrchr(exe, '/')) == NULL)
        return -1;
    *slash = '\0';
    for (i = 0; i < sizeof beside / sizeof *beside; i++) {
        if ((size_t)snprintf(dir, cap, "%s/%s", exe, beside[i]) >= cap)
            continue;
        snprintf(probe, sizeof probe, "%s/verify.js", dir);
        if (access(probe, R_OK) == 0)
            return 0;
    }
    return -1;
}

/* Calls fn(ctx, path) for each file of dir whose name ends in suffix,
 * in name order, until one returns -1 (having printed why). */
static int each_file(const char *dir, const char *suffix,
                     int (*fn)(void *ctx, const char *path), void *ctx)
{
    char **names, path[PATH_MAX];
    pledge_err err;
    size_t n, i;
    int rc = 0;

    if (pledge_file_list(dir, suffix, &names, &n, &err) < 0)
        return 0;
    for (i = 0; i < n && rc == 0; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        rc = fn(ctx, path);
    }
    pledge_file_list_free(names, n);
    return rc;
}

/* A rotation statement must verify: a site must not silently trust less
 * than its operator published.  (pledge_keyring_add_dir() read it
 * already; reading it again changes nothing.) */
static int check_rotation(void *ctx, const char *path)
{
    pledge_err err;

    if (pledge_keyring_add_rotation(ctx, path, &err) == 0)
        return 0;
    cli_error("web: %s", shown(err.msg));
    return -1;
}

typedef struct {
    const pledge_keyring *kr;
    pledge_revocations *lists[MAX_LISTS];
    size_t n;
} held_lists;

/* A revocation list, its signature checked, into ctx's lists. */
static int read_list(void *ctx, const char *path)
{
    held_lists *h = ctx;
    pledge_err err;

    if (h->n == MAX_LISTS) {
        cli_error("web: more than %d revocation lists", MAX_LISTS);
        return -1;
    }
    if (pledge_revocations_read(h->kr, path, &h->lists[h->n], &err) < 0) {
        cli_error("web: %s", shown(err.msg));
        return -1;
    }
    h->n++;
    return 0;
}

int cmd_web(int argc, char **argv)
{
    static const cli_opt opts[] = {
        {"keyring", 'K', 1, 'K'},
        {"output", 'o', 1, 'o'},
        {"help", 'h', 0, 'h'},
        {NULL, 0, 0, 0}
    };
    const char *keyring = NULL, *output = NULL;
    char page[PATH_MAX];
    held_lists h = { NULL, { NULL }, 0 };
    pledge_keyring *kr = NULL;
    pledge_err err;
    cli_args args;
    size_t i;
    int c, rc = EXIT_USAGE;

    cli_args_init(&args, "web", opts, NULL, argc, argv);
    while ((c = cli_args_next(&args)) != CLI_ARGS_END) {
        switch (c) {
        case 'K': keyring = args.value; break;
        case 'o': output = args.value; break;
        case 'h':
            fputs(usage, stdout);
            return EXIT_OK;
        case CLI_ARGS_OPERAND:
            cli_error("web: unexpected operand '%s' (see 'pledge web "
                      "--help')", shown(args.value));
            return EXIT_USAGE;
        default:
            return EXIT_USAGE;
        }
    }
    if (output == NULL) {
        cli_error("web: -o SITE is required (see 'pledge web --help')");
        return EXIT_USAGE;
    }
    if (cli_not_stdio("web", "-o", output) < 0 ||
        (keyring != NULL && cli_not_stdio("web", "--keyring", keyring) < 0))
        return EXIT_USAGE;
    if (keyring == NULL)
        keyring = cli_keyring_dir();
    if (page_dir(page, sizeof page) < 0) {
        cli_error("web: the verify page is not built (no verify.js in %s): "
                  "building it needs Node.js and npm (Debian's nodejs and "
                  "npm); run 'make deps' and 'make'",
                  getenv("PLEDGE_WEBDIR") != NULL &&
                  *getenv("PLEDGE_WEBDIR") != '\0' ? "$PLEDGE_WEBDIR" :
                  "web/ beside pledge, nor ../share/pledge/web");
        return EXIT_USAGE;
    }
    if (pledge_keyring_new(&kr, &err) < 0 ||
        pledge_keyring_add_dir(kr, keyring, &err) < 0) {
        cli_error("web: %s", shown(err.msg));
        goto done;
    }
    for (i = 0; i < pledge_keyring_warning_count(kr); i++)
        fprintf(stderr, "pledge: web: warning: %s\n",
                shown(pledge_keyring_warning(kr, i)));
    h.kr = kr;
    if (each_file(keyring, ".rotation", check_rotation, kr) < 0 ||
        each_file(keyring, ".revoked", read_list, &h) < 0)
        goto done;
    if (pledge_keyring_count(kr) == 0) {
        cli_error("web: no public keys to trust in %s", shown(keyring));
        goto done;
    }
    if (pledge_web_write(kr, h.lists, h.n, page, output, &err) < 0) {
        cli_error("web: %s", shown(err.msg));
        goto done;
    }
    printf("wrote %s/index.html: %zu key%s, %zu revocation list%s\n",
           shown(output), pledge_keyring_count(kr),
           pledge_keyring_count(kr) == 1 ? "" : "s", h.n,
           h.n == 1 ? "" : "s");
    rc = EXIT_OK;

done:
    for (i = 0; i < h.n; i++)
        pledge_revocations_free(h.lists[i]);
    pledge_keyring_free(kr);
    return rc;
}
