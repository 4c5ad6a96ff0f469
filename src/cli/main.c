/* main.c - pledge: typeset, sign and verify Code of Ethics pledges. */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const char usage[] =
    "usage: pledge COMMAND [OPTIONS]\n"
    "\n"
    "Typesets an association's Code of Ethics as a personal pledge PDF.\n"
    "\n"
    "Commands:\n"
    "  render     typeset one pledge for one person\n"
    "  layouts    list the bundled layouts\n"
    "  sign       sign a pledge PDF with a secret key\n"
    "  endorse    countersign an applicant's signed pledge as its association\n"
    "  revoke     add to an association's signed list of revoked pledges\n"
    "  rotate     let a new association key vouch for the one it replaces\n"
    "  verify     check signed pledges against public keys you hold\n"
    "  batch      a signed pledge for every row of a roster, in parallel\n"
    "  keygen     make a signing key pair (minisign's formats)\n"
    "  web        write a static site that checks a pledge's seal in a browser\n"
    "\n"
    "Options:\n"
    "  -h, --help       show this help ('pledge help COMMAND' or\n"
    "                   'pledge COMMAND --help' for one command)\n"
    "  -V, --version    show the version\n"
    "\n"
    "Exit status: 0 ok, 1 verification failed, 2 usage or input error.\n";

/* 1 when a command's arguments ask for its help, which needs no data. */
static int asks_help(int argc, char **argv)
{
    int i;

    for (i = 2; i < argc && strcmp(argv[i], "--") != 0; i++)
        if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0)
            return 1;
    return 0;
}

int main(int argc, char **argv)
{
    static const struct {
        const char *name;
        int (*run)(int, char **);
        int needs_data;         /* reads layouts or fonts */
    } commands[] = {
        {"render", cmd_render, 1},
        {"layouts", cmd_layouts, 1},
        {"sign", cmd_sign, 1},
        {"endorse", cmd_endorse, 1},
        {"revoke", cmd_revoke, 0},
        {"rotate", cmd_rotate, 0},
        {"verify", cmd_verify, 1},
        {"batch", cmd_batch, 1},
        {"keygen", cmd_keygen, 0},
        {"web", cmd_web, 0},
    };
    static char help_opt[] = "--help";
    const char *name;
    char *help_argv[3];
    size_t i;

    if (argc < 2) {
        fputs(usage, stderr);
        return EXIT_USAGE;
    }
    if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0 ||
        (strcmp(argv[1], "help") == 0 && argc == 2)) {
        fputs(usage, stdout);
        return EXIT_OK;
    }
    if (strcmp(argv[1], "-V") == 0 || strcmp(argv[1], "--version") == 0) {
        printf("pledge %s\n", PLEDGE_VERSION);
        return EXIT_OK;
    }
    name = argv[1];
    if (strcmp(name, "help") == 0) {
        if (argc > 3) {
            cli_error("help: give one command, not %d", argc - 2);
            return EXIT_USAGE;
        }
        name = argv[2];
    }
    for (i = 0; i < sizeof commands / sizeof *commands; i++) {
        if (strcmp(name, commands[i].name) != 0)
            continue;
        /* Found (or refused, with exit 2) before any key is opened, so
         * that no secret is left in memory by the exit. */
        if (name == argv[1] && commands[i].needs_data && !asks_help(argc, argv))
            (void)cli_datadir();
        if (name == argv[1])
            return commands[i].run(argc - 1, argv + 1);
        /* pledge help CMD is pledge CMD --help. */
        help_argv[0] = argv[2];
        help_argv[1] = help_opt;
        help_argv[2] = NULL;
        return commands[i].run(2, help_argv);
    }
    if (name[0] == '-') {
        cli_error("unknown option '%s'", name);
        fputs("Try 'pledge --help'.\n", stderr);
    } else {
        cli_error("unknown command '%s' (see 'pledge --help')", name);
    }
    return EXIT_USAGE;
}
