/* cmd_render.c - pledge render: one pledge PDF for one person. */
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
    static const cli_opt opts[] = {
        {"layout", 'l', 1, 'l'},
        {"name", 'n', 1, 'n'},
        {"credentials", 'c', 1, 'c'},
        {"id", 'i', 1, 'i'},
        {"date", 'd', 1, 'd'},
        {"paper", 'p', 1, 'p'},
        {"output", 'o', 1, 'o'},
        {"sign-with", 'k', 1, 'k'},
        {"detached", 0, 0, 'D'},
        {"help", 'h', 0, 'h'},
        {NULL, 0, 0, 0}
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
    cli_args args;
    int c, rc = EXIT_USAGE;

    memset(&person, 0, sizeof person);
    memset(&ro, 0, sizeof ro);
    memset(&sa, 0, sizeof sa);
    memset(&signing, 0, sizeof signing);
    cli_args_init(&args, "render", opts, cli_sign_opts, argc, argv);
    while ((c = cli_args_next(&args)) != CLI_ARGS_END) {
        switch (c) {
        case 'l': layout = args.value; break;
        case 'n': person.name = args.value; break;
        case 'c': person.credentials = args.value; break;
        case 'i': person.member_id = args.value; break;
        case 'd': person.date = args.value; break;
        case 'o': output = args.value; break;
        case 'k': sa.key = args.value; break;
        case 'D': sa.detached = 1; break;
        case 'p':
            if (cli_paper("render", args.value, &ro.paper) < 0)
                return EXIT_USAGE;
            break;
        case 'h':
            fputs(usage, stdout);
            return EXIT_OK;
        case CLI_ARGS_OPERAND:
            cli_error("render: unexpected argument '%s' (see 'pledge "
                      "render --help')", args.value);
            return EXIT_USAGE;
        default:
            if (cli_sign_option(&sa, c, args.value))
                break;
            return EXIT_USAGE;
        }
    }
    if (cli_not_stdio("render", "--layout", layout) < 0 ||
        cli_not_stdio("render", "--sign-with", sa.key) < 0 ||
        cli_not_stdio("render", "--passphrase-file", sa.passfile) < 0)
        return EXIT_USAGE;
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
