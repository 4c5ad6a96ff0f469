/* cmd_layouts.c - pledge layouts: list the bundled layouts. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "../util/file.h"
#include "../util/json.h"

static const char usage[] =
    "usage: pledge layouts [--json]\n"
    "\n"
    "Lists the bundled layouts: id, association, document title, revision\n"
    "and the content hash a signed pledge's claim carries as its text\n"
    "(BLAKE2b-256 of the layout's text), which an association can publish.\n"
    "\n"
    "      --json            one JSON object per layout\n"
    "  -h, --help            show this help\n";

int cmd_layouts(int argc, char **argv)
{
    static const cli_opt opts[] = {
        {"json", 0, 0, 'j'},
        {"help", 'h', 0, 'h'},
        {NULL, 0, 0, 0}
    };
    char dir[PATH_MAX], path[PATH_MAX + 256];
    char **names = NULL;
    size_t n = 0, i;
    int c, json = 0, rc = EXIT_OK;
    pledge_err lerr;
    cli_args args;

    cli_args_init(&args, "layouts", opts, NULL, argc, argv);
    while ((c = cli_args_next(&args)) != CLI_ARGS_END) {
        switch (c) {
        case 'j': json = 1; break;
        case 'h':
            fputs(usage, stdout);
            return EXIT_OK;
        case CLI_ARGS_OPERAND:
            cli_error("layouts: unexpected argument '%s' (see 'pledge "
                      "layouts --help')", args.value);
            return EXIT_USAGE;
        default:
            return EXIT_USAGE;
        }
    }
    snprintf(dir, sizeof dir, "%s/layouts", cli_datadir());
    if (pledge_file_list(dir, ".md", &names, &n, &lerr) < 0) {
        cli_error("layouts: open %s: no such directory", dir);
        return EXIT_USAGE;
    }
    for (i = 0; i < n; i++) {
        pledge_layout *lay;
        pledge_err err;
        char hash[65];

        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        if (pledge_layout_load(&lay, path, &err) < 0) {
            cli_error("layouts: %s", err.msg);
            rc = EXIT_USAGE;
            continue;
        }
        if (pledge_layout_text_hash(lay, hash, &err) < 0) {
            cli_error("layouts: %s: %s", path, err.msg);
            pledge_layout_free(lay);
            rc = EXIT_USAGE;
            continue;
        }
        if (json) {
            fputs("{\"id\":", stdout);
            pledge_json_string(stdout, pledge_layout_id(lay));
            fputs(",\"association\":", stdout);
            pledge_json_string(stdout, pledge_layout_association(lay));
            fputs(",\"short\":", stdout);
            pledge_json_string(stdout, pledge_layout_short_name(lay));
            fputs(",\"title\":", stdout);
            pledge_json_string(stdout, pledge_layout_title(lay));
            fputs(",\"revision\":", stdout);
            pledge_json_string(stdout, pledge_layout_revision(lay));
            printf(",\"text_hash\":\"%s\"}\n", hash);
        } else {
            const char *rev = pledge_layout_revision(lay);

            printf("%-16s %-8s %s \xe2\x80\x94 %s%s%s%s\n",
                   pledge_layout_id(lay), pledge_layout_short_name(lay),
                   pledge_layout_association(lay), pledge_layout_title(lay),
                   pledge_layout_revision_dated(rev) ? " (" : "",
                   pledge_layout_revision_dated(rev) ? rev : "",
                   pledge_layout_revision_dated(rev) ? ")" : "");
            printf("%-16s text blake2b-256 %s\n", "", hash);
        }
        pledge_layout_free(lay);
    }
    pledge_file_list_free(names, n);
    return rc;
}
