/* cmd_render.c - pledge render: one pledge PDF for one person. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char usage[] =
    "usage: pledge render --layout ID --name NAME [--credentials TEXT]\n"
    "                     [--id MEMBER_ID] [--date YYYY-MM-DD]\n"
    "                     [--paper letter|a4] -o FILE\n"
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
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}
    };
    const char *layout = NULL, *output = NULL;
    char today[11];
    pledge_person person;
    pledge_render_opts ro;
    pledge_engine *eng = NULL;
    pledge_layout *lay = NULL;
    pledge_err err;
    unsigned char *pdf = NULL;
    size_t len = 0;
    int c, rc = EXIT_USAGE;

    memset(&person, 0, sizeof person);
    memset(&ro, 0, sizeof ro);
    optind = 1;
    while ((c = getopt_long(argc, argv, "l:n:c:i:d:p:o:h", opts, NULL)) != -1) {
        switch (c) {
        case 'l': layout = optarg; break;
        case 'n': person.name = optarg; break;
        case 'c': person.credentials = optarg; break;
        case 'i': person.member_id = optarg; break;
        case 'd': person.date = optarg; break;
        case 'o': output = optarg; break;
        case 'p':
            if (strcmp(optarg, "letter") == 0) {
                ro.paper = PLEDGE_PAPER_LETTER;
            } else if (strcmp(optarg, "a4") == 0) {
                ro.paper = PLEDGE_PAPER_A4;
            } else {
                cli_error("render: unknown paper '%s' (letter or a4)",
                          optarg);
                return EXIT_USAGE;
            }
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
    ro.epoch = cli_epoch(person.date);
    if (cli_load_layout(layout, &lay, &err) < 0 ||
        pledge_engine_open(&eng, cli_datadir(), &err) < 0 ||
        pledge_render_pdf(eng, lay, &person, &ro, &pdf, &len, &err) < 0 ||
        cli_write_file(output, pdf, len, &err) < 0) {
        cli_error("render: %s", err.msg);
        goto done;
    }
    rc = EXIT_OK;

done:
    free(pdf);
    pledge_layout_free(lay);
    pledge_engine_close(eng);
    return rc;
}
