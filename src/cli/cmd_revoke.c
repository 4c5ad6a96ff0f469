/* cmd_revoke.c - pledge revoke: add to an association's signed list of
 * revoked endorsements. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "../sign/revoke.h"
#include "../sign/seal.h"

static const char usage[] =
    "usage: pledge revoke --key ASSOC.key --list LIST\n"
    "                     (--member-id ID | --pledge FILE | --key-id K)\n"
    "                     --reason TEXT [--date YYYY-MM-DD]\n"
    "                     [--passphrase-file FILE] [--allow-insecure-key]\n"
    "\n"
    "Appends one revocation to the association's list LIST and signs it\n"
    "again (LIST.minisig, checkable with minisign -Vm LIST -p ASSOC.pub),\n"
    "raising its sequence number.  The list is created when missing; an\n"
    "existing one must be signed by the same key.  'pledge verify\n"
    "--revocations LIST' then gives REVOKED for what it names.\n"
    "\n"
    "  -k, --key KEY         the association's secret key file\n"
    "  -l, --list LIST       the revocation list\n"
    "      --member-id ID    revoke the endorsements of this member ID\n"
    "      --pledge FILE     revoke this pledge (its applicant's revision)\n"
    "                        and every seal it carries (a seal line each,\n"
    "                        so a scan of the paper is REVOKED too)\n"
    "      --key-id K        revoke every pledge signed with key K\n"
    "      --reason TEXT     why (shown by verify)\n"
    "      --date DATE       when (default: today, or the day of\n"
    "                        $SOURCE_DATE_EPOCH)\n"
    "  -h, --help            show this help\n";

int cmd_revoke(int argc, char **argv)
{
    static const cli_opt opts[] = {
        {"key", 'k', 1, 'k'},
        {"list", 'l', 1, 'l'},
        {"member-id", 0, 1, 'm'},
        {"pledge", 0, 1, 'p'},
        {"key-id", 0, 1, 'i'},
        {"reason", 0, 1, 'r'},
        {"date", 0, 1, 'd'},
        {"help", 'h', 0, 'h'},
        {NULL, 0, 0, 0}
    };
    const char *list = NULL, *reason = NULL, *kind = NULL, *value = NULL,
               *date = NULL;
    char signer[PLEDGE_SIGNER_BYTES], today[11], hash[65], seals[2][65];
    cli_sign_args sa;
    pledge_signing signing;
    pledge_seckey *sk = NULL;
    pledge_err err;
    unsigned char *data = NULL;
    size_t len, nseals = 0, i;
    cli_args args;
    int c, nwhat = 0, rc = EXIT_USAGE;

    memset(&sa, 0, sizeof sa);
    cli_args_init(&args, "revoke", opts, cli_sign_opts, argc, argv);
    while ((c = cli_args_next(&args)) != CLI_ARGS_END) {
        switch (c) {
        case 'k': sa.key = args.value; break;
        case 'l': list = args.value; break;
        case 'm': kind = "member-id"; value = args.value; nwhat++; break;
        case 'p': kind = "pledge"; value = args.value; nwhat++; break;
        case 'i': kind = "key-id"; value = args.value; nwhat++; break;
        case 'r': reason = args.value; break;
        case 'd': date = args.value; break;
        case 'h':
            fputs(usage, stdout);
            return EXIT_OK;
        case CLI_ARGS_OPERAND:
            cli_error("revoke: unexpected operand '%s' (see 'pledge revoke "
                      "--help')", args.value);
            return EXIT_USAGE;
        default:
            if (c != CLI_ARGS_ERROR && cli_sign_option(&sa, c, args.value))
                break;
            return EXIT_USAGE;
        }
    }
    if (sa.key == NULL || list == NULL || reason == NULL || nwhat != 1) {
        cli_error("revoke: %s (see 'pledge revoke --help')",
                  sa.key == NULL ? "--key KEY is required" :
                  list == NULL ? "--list LIST is required" :
                  reason == NULL ? "--reason TEXT is required" :
                  "give one of --member-id, --pledge and --key-id");
        return EXIT_USAGE;
    }
    if (cli_not_stdio("revoke", "--key", sa.key) < 0 ||
        cli_not_stdio("revoke", "--list", list) < 0)
        return EXIT_USAGE;
    if (date == NULL) {
        if (cli_default_date(today, &err) < 0) {
            cli_error("revoke: %s", err.msg);
            return EXIT_USAGE;
        }
        date = today;
    }
    if (strcmp(kind, "pledge") == 0) {
        if (cli_read_file(value, &data, &len, &err) < 0) {
            cli_error("revoke: %s", err.msg);
            return EXIT_USAGE;
        }
        pledge_revocation_pledge_hash(data, len, hash);
        rc = pledge_seal_ids_in_pdf(data, len, seals, &nseals, &err);
        free(data);
        if (rc < 0) {
            cli_error("revoke: %s: %s", value, err.msg);
            return EXIT_USAGE;
        }
        value = hash;
    }
    if ((rc = cli_signing_setup("revoke", &sa, &signing, &sk, signer,
                                sizeof signer)) != EXIT_OK)
        return rc;
    rc = EXIT_USAGE;
    if (pledge_revocations_add(sk, list, kind, value, date, reason,
                               &err) < 0)
        goto fail;
    /* The paper's seals too: each is checked without the file. */
    for (i = 0; i < nseals; i++)
        if (pledge_revocations_add(sk, list, "seal", seals[i], date, reason,
                                   &err) < 0)
            goto fail;
    rc = EXIT_OK;
fail:
    if (rc != EXIT_OK)
        cli_error("revoke: %s: %s", list, err.msg);
    pledge_seckey_free(sk);
    return rc;
}
