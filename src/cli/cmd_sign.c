/* cmd_sign.c - pledge sign: sign a pledge PDF with a secret key. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char usage[] =
    "usage: pledge sign IN.pdf --key KEY [-o OUT.pdf] [--signer NAME]\n"
    "                   [--passphrase-file FILE] [--detached]\n"
    "                   [--allow-insecure-key]\n"
    "\n"
    "Signs a pledge with an Ed25519 key in minisign's format.  A pledge\n"
    "made by 'pledge render' is made again with its signature panel filled\n"
    "in (after checking it is unchanged); any other PDF gets an invisible\n"
    "signature through an incremental update.\n"
    "\n"
    "  -k, --key KEY         the secret key file\n"
    "  IN.pdf                the PDF to sign; - reads standard input\n"
    "  -o, --output FILE     where to write the signed PDF (default:\n"
    "                        IN-signed.pdf, or standard output when IN is\n"
    "                        -); - for standard output\n"
    "      --signer NAME     the signer's name to show (default: the one\n"
    "                        the key file records, else its file name)\n"
    "      --passphrase-file FILE\n"
    "                        read the key's passphrase from FILE (default:\n"
    "                        $PLEDGE_PASSPHRASE_FILE, else the terminal)\n"
    "      --detached        also write OUT.pdf.minisig, checkable with\n"
    "                        minisign -V alone\n"
    "      --allow-insecure-key\n"
    "                        use the secret key even if its file is readable\n"
    "                        by others (by default it is refused: chmod 600)\n"
    "  -h, --help            show this help\n";

/* IN.pdf -> IN-signed.pdf beside it. */
static int default_output(const char *in, char *out, size_t cap)
{
    size_t n = strlen(in);

    if (n > 4 && strcmp(in + n - 4, ".pdf") == 0)
        n -= 4;
    return (size_t)snprintf(out, cap, "%.*s-signed.pdf", (int)n, in) < cap
           ? 0 : -1;
}

int cmd_sign(int argc, char **argv)
{
    static const cli_opt opts[] = {
        {"key", 'k', 1, 'k'},
        {"output", 'o', 1, 'o'},
        {"detached", 0, 0, 'D'},
        {"help", 'h', 0, 'h'},
        {NULL, 0, 0, 0}
    };
    const char *in = NULL, *output = NULL;
    char outbuf[PATH_MAX], signer[PLEDGE_SIGNER_BYTES];
    cli_sign_args sa;
    pledge_signing signing;
    pledge_seckey *sk = NULL;
    pledge_engine *eng = NULL;
    pledge_err err;
    unsigned char *data = NULL, *pdf = NULL;
    size_t dlen = 0, len = 0;
    cli_args args;
    int c, n = 0, rc = EXIT_USAGE;

    memset(&sa, 0, sizeof sa);
    cli_args_init(&args, "sign", opts, cli_sign_opts, argc, argv);
    while ((c = cli_args_next(&args)) != CLI_ARGS_END) {
        switch (c) {
        case 'k': sa.key = args.value; break;
        case 'o': output = args.value; break;
        case 'D': sa.detached = 1; break;
        case CLI_ARGS_OPERAND:
            in = args.value;
            n++;
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
    if (n != 1) {
        cli_error("sign: %s (see 'pledge sign --help')", n == 0 ?
                  "IN.pdf is required" : "give one PDF at a time");
        return EXIT_USAGE;
    }
    if (cli_not_stdio("sign", "--key", sa.key) < 0 ||
        cli_not_stdio("sign", "--passphrase-file", sa.passfile) < 0)
        return EXIT_USAGE;
    if (sa.key == NULL) {
        cli_error("sign: --key KEY is required (see 'pledge sign --help')");
        return EXIT_USAGE;
    }
    if (output == NULL && strcmp(in, "-") == 0) {
        output = "-";           /* a filter: stdin to stdout */
    } else if (output == NULL) {
        if (default_output(in, outbuf, sizeof outbuf) < 0) {
            cli_error("sign: %s: path too long", in);
            return EXIT_USAGE;
        }
        output = outbuf;
    }
    if ((strcmp(output, in) == 0 && strcmp(in, "-") != 0) ||
        cli_same_file(output, in)) {
        cli_error("sign: write %s: that is the input file; signing writes "
                  "a new file (choose another -o)", output);
        return EXIT_USAGE;
    }
    if (cli_same_file(output, sa.key)) {
        cli_error("sign: write %s: that is the secret key file (choose "
                  "another -o)", output);
        return EXIT_USAGE;
    }
    if (cli_read_file(in, &data, &dlen, &err) < 0) {
        cli_error("sign: %s", err.msg);
        return EXIT_USAGE;
    }
    if ((rc = cli_signing_setup("sign", &sa, &signing, &sk,
                                signer, sizeof signer)) != EXIT_OK)
        goto done;
    rc = EXIT_USAGE;
    if (pledge_engine_open(&eng, cli_datadir(), &err) < 0 ||
        pledge_sign_pdf(eng, data, dlen, &signing, &pdf, &len, &err) < 0) {
        cli_error("sign: %s: %s", strcmp(in, "-") == 0 ? "standard input" :
                  in, err.msg);
        goto done;
    }
    rc = cli_write_signed("sign", &sa, &signing, output, pdf, len);

done:
    free(data);
    free(pdf);
    pledge_seckey_free(sk);
    pledge_engine_close(eng);
    return rc;
}
