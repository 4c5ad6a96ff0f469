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
    "  verify     check signed pledges against public keys you hold\n"
    "  batch      a signed pledge for every row of a roster, in parallel\n"
    "  keygen     make a signing key pair (minisign's formats)\n"
    "\n"
    "Options:\n"
    "  -h, --help       show this help ('pledge COMMAND --help' for one)\n"
    "  -V, --version    show the version\n"
    "\n"
    "Exit status: 0 ok, 1 verification failed, 2 usage or input error.\n";

int main(int argc, char **argv)
{
    static const struct {
        const char *name;
        int (*run)(int, char **);
    } commands[] = {
        {"render", cmd_render},
        {"layouts", cmd_layouts},
        {"sign", cmd_sign},
        {"verify", cmd_verify},
        {"batch", cmd_batch},
        {"keygen", cmd_keygen},
    };
    size_t i;

    if (argc < 2) {
        fputs(usage, stderr);
        return EXIT_USAGE;
    }
    if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0 ||
        strcmp(argv[1], "help") == 0) {
        fputs(usage, stdout);
        return EXIT_OK;
    }
    if (strcmp(argv[1], "-V") == 0 || strcmp(argv[1], "--version") == 0) {
        printf("pledge %s\n", PLEDGE_VERSION);
        return EXIT_OK;
    }
    for (i = 0; i < sizeof commands / sizeof *commands; i++)
        if (strcmp(argv[1], commands[i].name) == 0)
            return commands[i].run(argc - 1, argv + 1);
    cli_error("unknown command '%s' (see 'pledge --help')", argv[1]);
    return EXIT_USAGE;
}
