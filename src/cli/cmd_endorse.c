/* cmd_endorse.c - pledge endorse: an association countersigns a pledge
 * its applicant signed. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "../sign/claim.h"
#include "../sign/key.h"
#include "../sign/verify.h"
#include "../util/text.h"

static const char usage[] =
    "usage: pledge endorse PLEDGE.pdf --key ASSOC.key -o OUT.pdf\n"
    "                      [--applicant-key PUB | --keyring DIR]\n"
    "                      [--member-id ID] [--until YYYY-MM-DD]\n"
    "                      [--layouts DIR] [--signer NAME]\n"
    "                      [--passphrase-file FILE] [--allow-insecure-key]\n"
    "\n"
    "Checks a pledge its applicant signed (signature and content, as\n"
    "'pledge verify' does) and countersigns it with the association's key:\n"
    "a second signature, appended as an incremental update that keeps the\n"
    "applicant's intact, certifying the applicant's key, name and member ID\n"
    "for this very pledge.  A reviewer holding only the association's key\n"
    "can then verify both signatures.\n"
    "\n"
    "  PLEDGE.pdf            the applicant-signed pledge; - reads standard\n"
    "                        input\n"
    "  -k, --key KEY         the association's secret key file\n"
    "  -o, --output FILE     where to write the endorsed pledge\n"
    "  -a, --applicant-key PUB\n"
    "                        the applicant's public key file\n"
    "  -K, --keyring DIR     else find it here (default: $PLEDGE_KEYRING,\n"
    "                        else keys/)\n"
    "      --member-id ID    the member or endorsement ID to certify\n"
    "      --until DATE      the endorsement expires after DATE\n"
    "      --layouts DIR     the layouts to check content against\n"
    "      --signer NAME     the association's name as the endorsement\n"
    "                        records it (default: the key file's)\n"
    "      --passphrase-file FILE, --allow-insecure-key  as for sign\n"
    "  -h, --help            show this help\n";

/* The applicant's keys: the file given, else the keyring.  Prints its
 * own error.  The caller frees *kr with pledge_keyring_free(). */
static int applicant_keys(const char *applicant_key, const char *keyring,
                          pledge_keyring **kr)
{
    pledge_err err;

    if (pledge_keyring_new(kr, &err) < 0)
        goto fail;
    if (applicant_key != NULL) {
        if (pledge_keyring_add_file(*kr, applicant_key, &err) < 0)
            goto fail;
        return EXIT_OK;
    }
    if (pledge_keyring_add_dir(*kr, keyring != NULL ? keyring :
                               cli_keyring_dir(), &err) < 0)
        goto fail;
    return EXIT_OK;

fail:
    cli_error("endorse: %s", err.msg);
    return EXIT_USAGE;
}

/* Exit status of a pledge_endorse_check() or _make() result. */
static int endorse_status(int rc)
{
    return rc == 0 ? EXIT_OK : rc == -1 ? EXIT_INVALID : EXIT_USAGE;
}

int cmd_endorse(int argc, char **argv)
{
    static const cli_opt opts[] = {
        {"key", 'k', 1, 'k'},
        {"output", 'o', 1, 'o'},
        {"applicant-key", 'a', 1, 'a'},
        {"keyring", 'K', 1, 'K'},
        {"member-id", 0, 1, 'm'},
        {"until", 0, 1, 'u'},
        {"layouts", 0, 1, 'L'},
        {"help", 'h', 0, 'h'},
        {NULL, 0, 0, 0}
    };
    const char *in = NULL, *output = NULL, *akey = NULL, *keyring = NULL,
               *member = "", *until = "", *layouts = NULL;
    char signer[PLEDGE_SIGNER_BYTES];
    pledge_verdict *v = NULL;
    pledge_keyring *kr = NULL;
    pledge_engine *eng = NULL;
    char dir[PATH_MAX];
    cli_sign_args sa;
    pledge_signing signing;
    pledge_seckey *sk = NULL;
    pledge_err err;
    unsigned char *data = NULL, *pdf = NULL;
    size_t dlen = 0, len = 0;
    cli_args args;
    int c, n = 0, rc = EXIT_USAGE;

    memset(&sa, 0, sizeof sa);
    cli_args_init(&args, "endorse", opts, cli_sign_opts, argc, argv);
    while ((c = cli_args_next(&args)) != CLI_ARGS_END) {
        switch (c) {
        case 'k': sa.key = args.value; break;
        case 'o': output = args.value; break;
        case 'a': akey = args.value; break;
        case 'K': keyring = args.value; break;
        case 'm': member = args.value; break;
        case 'u': until = args.value; break;
        case 'L': layouts = args.value; break;
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
    if (n != 1 || sa.key == NULL || output == NULL) {
        cli_error("endorse: %s (see 'pledge endorse --help')", n != 1 ?
                  "give one PLEDGE.pdf" : sa.key == NULL ?
                  "--key KEY is required" : "-o OUT.pdf is required");
        return EXIT_USAGE;
    }
    if (cli_not_stdio("endorse", "--key", sa.key) < 0 ||
        cli_not_stdio("endorse", "--applicant-key", akey) < 0 ||
        cli_not_stdio("endorse", "--passphrase-file", sa.passfile) < 0)
        return EXIT_USAGE;
    if (until[0] != '\0' && !pledge_is_date(until)) {
        cli_error("endorse: --until %s: expected YYYY-MM-DD", until);
        return EXIT_USAGE;
    }
    if (strlen(member) >= PLEDGE_MEMBER_ID_BYTES ||
        pledge_text_check_chars("--member-id", member, &err) < 0) {
        cli_error("endorse: %s", strlen(member) >= PLEDGE_MEMBER_ID_BYTES ?
                  "--member-id is too long" : err.msg);
        return EXIT_USAGE;
    }
    if (cli_same_file(output, in) || cli_same_file(output, sa.key) ||
        (strcmp(output, in) == 0 && strcmp(in, "-") != 0)) {
        cli_error("endorse: write %s: that is an input file (choose "
                  "another -o)", output);
        return EXIT_USAGE;
    }
    if ((v = calloc(1, sizeof *v)) == NULL) {
        cli_error("endorse: out of memory");
        return EXIT_USAGE;
    }
    if (cli_read_file(in, &data, &dlen, &err) < 0) {
        cli_error("endorse: %s", err.msg);
        goto done;
    }
    if ((rc = applicant_keys(akey, keyring, &kr)) != EXIT_OK)
        goto done;
    if (layouts == NULL) {
        snprintf(dir, sizeof dir, "%s/layouts", cli_datadir());
        layouts = dir;
    }
    if (pledge_engine_open(&eng, cli_datadir(), &err) < 0) {
        cli_error("endorse: %s", err.msg);
        rc = EXIT_USAGE;
        goto done;
    }
    if ((rc = endorse_status(pledge_endorse_check(eng, layouts, kr, data,
                                                  dlen, member, v,
                                                  &err))) != EXIT_OK) {
        cli_error("endorse: %s: %s", in, err.msg);
        goto done;
    }
    if ((rc = cli_signing_setup("endorse", &sa, &signing, &sk,
                                signer, sizeof signer)) != EXIT_OK)
        goto done;
    if ((rc = endorse_status(pledge_endorse_make(kr, v, data, dlen,
                                                 &signing, member, until,
                                                 &pdf, &len, &err)))
        != EXIT_OK) {
        cli_error("endorse: %s: %s", in, err.msg);
        goto done;
    }
    rc = EXIT_USAGE;
    if (cli_write_file(output, pdf, len, &err) < 0) {
        cli_error("endorse: %s", err.msg);
        goto done;
    }
    rc = EXIT_OK;

done:
    pledge_engine_close(eng);
    pledge_keyring_free(kr);
    free(v);
    free(data);
    free(pdf);
    pledge_seckey_free(sk);
    return rc;
}
