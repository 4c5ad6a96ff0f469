/* cmd_render.c - pledge render: one pledge PDF for one person. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char usage[] =
    "usage: pledge render --layout ID --name NAME [--credentials TEXT]\n"
    "                     [--id MEMBER_ID] [--date YYYY-MM-DD]\n"
    "                     [--paper letter|a4] [--sign-with KEY\n"
    "                     [--signer NAME] [--passphrase-file FILE]\n"
    "                     [--detached] [--allow-insecure-key]] -o FILE\n"
    "\n"
    "Typesets the layout's Code of Ethics as a personal pledge PDF.\n"
    "\n"
    "  -l, --layout ID       a bundled layout id (see 'pledge layouts') or a\n"
    "                        path to a layout file\n"
    "  -n, --name NAME       the applicant's name as it should print\n"
    "  -c, --credentials T   degrees, licences, endorsements\n"
    "  -i, --id MEMBER_ID    member or endorsement ID\n"
    "  -d, --date DATE       date of the pledge (default: the day of\n"
    "                        $SOURCE_DATE_EPOCH, else today, UTC)\n"
    "  -p, --paper SIZE      letter or a4 (default: the layout's)\n"
    "  -o, --output FILE     where to write the PDF; - for standard output\n"
    "  -k, --sign-with KEY   sign it with this secret key (minisign format)\n"
    "      --signer NAME     the signer's name to show (default: the one\n"
    "                        the key file records, else its file name)\n"
    "      --passphrase-file FILE\n"
    "                        read the key's passphrase from FILE (default:\n"
    "                        $PLEDGE_PASSPHRASE_FILE, else the terminal)\n"
    "      --detached        also write FILE.minisig, checkable with\n"
    "                        minisign -V alone\n"
    "      --allow-insecure-key\n"
    "                        use the secret key even if its file is readable\n"
    "                        by others (by default it is refused: chmod 600)\n"
    "  -h, --help            show this help\n";

int cmd_render(int argc, char **argv)
{
    static const struct option opts[] = {
        {"layout", required_argument, NULL, 'l'},
        {"name", required_argument, NULL, 'n'},
        {"credentials", required_argument, NULL, 'c'},
        {"id", required_argument, NULL, 'i'},
        {"date", required_argument, NULL, 'd'},
        {"paper", required_argument, NULL, 'p'},
        {"output", required_argument, NULL, 'o'},
        {"sign-with", required_argument, NULL, 'k'},
        {"signer", required_argument, NULL, 'S'},
        {"passphrase-file", required_argument, NULL, 'P'},
        {"detached", no_argument, NULL, 'D'},
        {"allow-insecure-key", no_argument, NULL, CLI_OPT_ALLOW_INSECURE_KEY},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}
    };
    const char *layout = NULL, *output = NULL;
    char today[11];
    pledge_person person;
    pledge_render_opts ro;
    cli_sign_args sa;
    pledge_signing signing;
    pledge_seckey *sk = NULL;
    char signer[PLEDGE_SIGNER_BYTES];
    pledge_engine *eng = NULL;
    pledge_layout *lay = NULL;
    pledge_err err;
    unsigned char *pdf = NULL;
    size_t len = 0;
    int c, rc = EXIT_USAGE;

    memset(&person, 0, sizeof person);
    memset(&ro, 0, sizeof ro);
    memset(&sa, 0, sizeof sa);
    memset(&signing, 0, sizeof signing);
    optind = 1;
    while ((c = getopt_long(argc, argv, "l:n:c:i:d:p:o:k:h", opts,
                            NULL)) != -1) {
        switch (c) {
        case 'l': layout = optarg; break;
        case 'n': person.name = optarg; break;
        case 'c': person.credentials = optarg; break;
        case 'i': person.member_id = optarg; break;
        case 'd': person.date = optarg; break;
        case 'o': output = optarg; break;
        case 'k': sa.key = optarg; break;
        case 'S': sa.signer = optarg; break;
        case 'P': sa.passfile = optarg; break;
        case 'D': sa.detached = 1; break;
        case CLI_OPT_ALLOW_INSECURE_KEY: sa.allow_insecure = 1; break;
        case 'p':
            if (cli_paper("render", optarg, &ro.paper) < 0)
                return EXIT_USAGE;
            break;
        case 'h':
            fputs(usage, stdout);
            return EXIT_OK;
        default:
            fputs(usage, stderr);
            return EXIT_USAGE;
        }
    }
    if (optind < argc) {
        cli_error("render: unexpected argument '%s'", argv[optind]);
        return EXIT_USAGE;
    }
    if (layout == NULL || person.name == NULL || output == NULL) {
        cli_error("render: %s is required (see 'pledge render --help')",
                  layout == NULL ? "--layout" :
                  person.name == NULL ? "--name" : "-o FILE");
        return EXIT_USAGE;
    }
    if (person.date == NULL) {
        if (cli_default_date(today, &err) < 0) {
            cli_error("render: %s", err.msg);
            return EXIT_USAGE;
        }
        person.date = today;
    }
    if (sa.key == NULL && (sa.signer || sa.passfile || sa.detached ||
                           sa.allow_insecure)) {
        cli_error("render: --signer, --passphrase-file, --detached and "
                  "--allow-insecure-key go with --sign-with KEY");
        return EXIT_USAGE;
    }
    ro.epoch = cli_epoch(person.date);
    if (cli_load_layout(layout, &lay, &err) < 0) {
        cli_error("render: %s", err.msg);
        goto done;
    }
    /* The pledge would replace the file it is made from. */
    if (cli_same_file(output, pledge_layout_path(lay)) ||
        (sa.key != NULL && cli_same_file(output, sa.key))) {
        cli_error("render: write %s: that is the %s file (choose another "
                  "-o)", output, sa.key != NULL &&
                  cli_same_file(output, sa.key) ? "secret key" : "layout");
        goto done;
    }
    if (sa.key != NULL) {
        if ((rc = cli_signing_setup("render", &sa, &signing, &sk,
                                    signer, sizeof signer)) != EXIT_OK)
            goto done;
        rc = EXIT_USAGE;
        ro.sign = &signing;
    }
    if (pledge_engine_open(&eng, cli_datadir(), &err) < 0 ||
        pledge_render_pdf(eng, lay, &person, &ro, &pdf, &len, &err) < 0) {
        cli_error("render: %s", err.msg);
        goto done;
    }
    if (pledge_layout_warning(lay) != NULL)
        fprintf(stderr, "pledge: render: warning: layout %s: %s\n",
                pledge_layout_id(lay), pledge_layout_warning(lay));
    rc = cli_write_signed("render", &sa, &signing, output, pdf, len);

done:
    pledge_seckey_free(sk);
    free(pdf);
    pledge_layout_free(lay);
    pledge_engine_close(eng);
    return rc;
}
