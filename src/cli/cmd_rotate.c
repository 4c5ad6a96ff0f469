/* cmd_rotate.c - pledge rotate: a new association key vouches for the
 * key it replaces. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "../util/text.h"

static const char usage[] =
    "usage: pledge rotate --old OLD.pub --key NEW.key --retired YYYY-MM-DD\n"
    "                     -o NAME.rotation [--passphrase-file FILE]\n"
    "                     [--allow-insecure-key]\n"
    "\n"
    "Writes a rotation statement: the association's new key vouches for\n"
    "its old one, retired on the date given.  Published beside the new\n"
    "key (NAME.rotation in a keyring), it lets a reviewer holding only the\n"
    "new key verify pledges the old key signed up to that date; a\n"
    "signature claiming a later time is INVALID.  It is a minisign\n"
    "signature of the old key's base64 line (minisign -V checks it).\n"
    "\n"
    "  -O, --old PUB         the retired key's public key file\n"
    "  -k, --key KEY         the new secret key file\n"
    "      --retired DATE    the last day the old key signed\n"
    "  -o, --output FILE     where to write the statement\n"
    "  -h, --help            show this help\n";

int cmd_rotate(int argc, char **argv)
{
    static const cli_opt opts[] = {
        {"old", 'O', 1, 'O'},
        {"key", 'k', 1, 'k'},
        {"retired", 0, 1, 'r'},
        {"output", 'o', 1, 'o'},
        {"help", 'h', 0, 'h'},
        {NULL, 0, 0, 0}
    };
    const char *old = NULL, *retired = NULL, *output = NULL;
    char signer[PLEDGE_SIGNER_BYTES], *text = NULL;
    cli_sign_args sa;
    pledge_signing signing;
    pledge_seckey *sk = NULL;
    pledge_pubkey opk;
    pledge_err err;
    size_t len;
    cli_args args;
    int c, rc;

    memset(&sa, 0, sizeof sa);
    cli_args_init(&args, "rotate", opts, cli_sign_opts, argc, argv);
    while ((c = cli_args_next(&args)) != CLI_ARGS_END) {
        switch (c) {
        case 'O': old = args.value; break;
        case 'k': sa.key = args.value; break;
        case 'r': retired = args.value; break;
        case 'o': output = args.value; break;
        case 'h':
            fputs(usage, stdout);
            return EXIT_OK;
        case CLI_ARGS_OPERAND:
            cli_error("rotate: unexpected operand '%s' (see 'pledge rotate "
                      "--help')", args.value);
            return EXIT_USAGE;
        default:
            if (c != CLI_ARGS_ERROR && cli_sign_option(&sa, c, args.value))
                break;
            return EXIT_USAGE;
        }
    }
    if (old == NULL || sa.key == NULL || retired == NULL || output == NULL) {
        cli_error("rotate: --old, --key, --retired and -o are required (see "
                  "'pledge rotate --help')");
        return EXIT_USAGE;
    }
    if (!pledge_is_date(retired)) {
        cli_error("rotate: --retired %s: expected YYYY-MM-DD", retired);
        return EXIT_USAGE;
    }
    if (cli_not_stdio("rotate", "--old", old) < 0 ||
        cli_not_stdio("rotate", "--key", sa.key) < 0)
        return EXIT_USAGE;
    if (pledge_key_read_public(old, &opk, NULL, &err) < 0) {
        cli_error("rotate: %s", err.msg);
        return EXIT_USAGE;
    }
    if ((rc = cli_signing_setup("rotate", &sa, &signing, &sk, signer,
                                sizeof signer)) != EXIT_OK)
        return rc;
    rc = EXIT_USAGE;
    if (pledge_rotation_make(sk, &opk, retired, &text, &len, &err) < 0 ||
        cli_write_file(output, text, len, &err) < 0)
        cli_error("rotate: %s", err.msg);
    else
        rc = EXIT_OK;
    free(text);
    pledge_seckey_free(sk);
    return rc;
}
