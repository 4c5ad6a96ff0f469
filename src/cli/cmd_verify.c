/* cmd_verify.c - pledge verify: check signed pledges against held keys. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "../batch/manifest.h"
#include "../util/file.h"
#include "../util/json.h"
#include "../util/text.h"

static const char usage[] =
    "usage: pledge verify FILE|DIR... [--key PUB]... [--keyring DIR]\n"
    "                     [--json]\n"
    "\n"
    "Checks that each signed pledge is unchanged since it was signed by a\n"
    "key you hold.  A directory stands for every *.pdf in it, and when it\n"
    "holds a batch manifest, every SHA-256 the manifest records is checked\n"
    "too; the manifest itself (DIR/manifest.jsonl) stands for DIR.\n"
    "\n"
    "  FILE                  a signed pledge; - reads standard input\n"
    "  -k, --key PUB         trust this public key file (repeatable)\n"
    "  -K, --keyring DIR     trust every *.pub in DIR (default, when no\n"
    "                        --key is given: $PLEDGE_KEYRING, else keys/)\n"
    "      --json            one JSON object per file on standard output\n"
    "  -h, --help            show this help\n"
    "\n"
    "Exit status: 0 every file valid, 1 a signature failed, 2 usage error\n"
    "or an unreadable file.\n";

typedef struct {
    int json;
    size_t valid, invalid, unreadable;
    pledge_manifest list;       /* the directory's manifest, if any */
} tally;

/* s escaped for a terminal (see pledge_text_escape()): a file name or a
 * claim field must not move the cursor or hide what follows.  The result
 * lives until SHOWN_SLOTS more calls, enough for one printf(). */
#define SHOWN_SLOTS 12
static const char *shown(const char *s)
{
    static char slot[SHOWN_SLOTS][4 * PATH_MAX + 1];
    static int k;

    k = (k + 1) % SHOWN_SLOTS;
    pledge_text_escape(slot[k], sizeof slot[k], s);
    return slot[k];
}

static void print_valid(const char *file, const pledge_verdict *v, int json)
{
    const pledge_claim *c = &v->claim;
    static const char *const keys[] = {
        "signer", "key_id", "key_file", "time", "association", "layout",
        "revision", "applicant", "text_hash"
    };
    const char *vals[9];
    size_t i;

    vals[0] = v->signer;
    vals[1] = v->key_id;
    vals[2] = v->key_file;
    vals[3] = c->time;
    vals[4] = c->association;
    vals[5] = c->layout;
    vals[6] = c->revision;
    vals[7] = c->applicant;
    vals[8] = c->text;
    if (json) {
        fputs("{\"file\":", stdout);
        pledge_json_string(stdout, file);
        fputs(",\"valid\":true", stdout);
        for (i = 0; i < 9; i++) {
            printf(",\"%s\":", keys[i]);
            pledge_json_string(stdout, vals[i]);
        }
        puts("}");
        return;
    }
    printf("VALID    %s\n", shown(file));
    printf("  signed by    %s (key ID %s, %s)\n", shown(v->signer),
           shown(v->key_id), shown(v->key_file));
    printf("  signed at    %s\n", shown(c->time));
    if (c->layout[0] == '\0') {
        printf("  document     not a pledge: a PDF signed as it was\n");
        return;
    }
    printf("  applicant    %s\n", shown(c->applicant));
    printf("  association  %s\n", shown(c->association));
    printf("  layout       %s, %s\n", shown(c->layout), shown(c->revision));
    printf("  text         blake2b-256 %s\n", shown(c->text));
}

static void print_problem(const char *file, const char *verdict,
                          const char *reason, int json)
{
    if (json) {
        fputs("{\"file\":", stdout);
        pledge_json_string(stdout, file);
        printf(",\"valid\":false,\"verdict\":\"%s\",\"reason\":", verdict);
        pledge_json_string(stdout, reason);
        puts("}");
    } else {
        printf("%-8s %s: %s\n", verdict, shown(file), shown(reason));
    }
}

static void verify_file(const pledge_keyring *kr, const char *path, tally *t)
{
    unsigned char *data = NULL;
    size_t len = 0;
    pledge_verdict v;
    pledge_err err;
    pledge_manifest_entry *l = pledge_manifest_find(&t->list, path);
    char sha[65];

    if (cli_read_file(path, &data, &len, &err) < 0) {
        print_problem(path, "ERROR", err.msg, t->json);
        t->unreadable++;
        return;
    }
    if (l != NULL) {
        l->seen = 1;
        cli_sha256_hex(data, len, sha);
        if (strcmp(sha, l->sha256) != 0) {
            print_problem(path, "INVALID", "its SHA-256 is not the one "
                          "the manifest records", t->json);
            t->invalid++;
            free(data);
            return;
        }
    }
    if (pledge_verify_pdf(kr, data, len, &v) == 0) {
        print_valid(path, &v, t->json);
        t->valid++;
    } else {
        print_problem(path, "INVALID", v.reason, t->json);
        t->invalid++;
    }
    free(data);
}

/* Every *.pdf in dir, in name order. */
static void verify_dir(const pledge_keyring *kr, const char *dir, tally *t)
{
    char **names = NULL, path[PATH_MAX];
    size_t n = 0, i;
    pledge_err err;

    if (pledge_file_list(dir, ".pdf", &names, &n, &err) < 0) {
        snprintf(path, sizeof path, "read %s: %s", dir, err.msg);
        print_problem(dir, "ERROR", path, t->json);
        t->unreadable++;
        return;
    }
    if (pledge_manifest_read(dir, &t->list, &err) < 0) {
        print_problem(dir, "ERROR", err.msg, t->json);
        t->unreadable++;
    }
    for (i = 0; i < n; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        verify_file(kr, path, t);
    }
    pledge_file_list_free(names, n);
    for (i = 0; i < t->list.n; i++) {
        if (t->list.e[i].seen)
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, t->list.e[i].file);
        print_problem(path, "INVALID", "the manifest lists it but it is "
                      "not there", t->json);
        t->invalid++;
    }
    pledge_manifest_free(&t->list);
}

/* A batch manifest given by name stands for its directory, put in dir. */
static int is_manifest(const char *path, char *dir, size_t cap)
{
    const char *slash = strrchr(path, '/');
    const char *base = slash != NULL ? slash + 1 : path;

    if (strcmp(base, "manifest.jsonl") != 0)
        return 0;
    if (slash == NULL)
        snprintf(dir, cap, ".");
    else
        snprintf(dir, cap, "%.*s", (int)(slash - path), path);
    return 1;
}

int cmd_verify(int argc, char **argv)
{
    static const cli_opt opts[] = {
        {"key", 'k', 1, 'k'},
        {"keyring", 'K', 1, 'K'},
        {"json", 0, 0, 'j'},
        {"help", 'h', 0, 'h'},
        {NULL, 0, 0, 0}
    };
    const char *keyring = NULL, *env;
    char dir[PATH_MAX];
    pledge_keyring *kr = NULL;
    pledge_err err;
    tally t;
    cli_args args;
    const char **files = NULL;
    int c, i, nfiles = 0, nkeys = 0, stdin_used = 0, rc = EXIT_USAGE;

    memset(&t, 0, sizeof t);
    if (pledge_keyring_new(&kr, &err) < 0) {
        cli_error("verify: %s", shown(err.msg));
        return EXIT_USAGE;
    }
    if ((files = calloc((size_t)argc, sizeof *files)) == NULL) {
        cli_error("verify: out of memory");
        goto done;
    }
    cli_args_init(&args, "verify", opts, NULL, argc, argv);
    while ((c = cli_args_next(&args)) != CLI_ARGS_END) {
        switch (c) {
        case 'k':
            if (cli_not_stdio("verify", "--key", args.value) < 0)
                goto done;
            if (pledge_keyring_add_file(kr, args.value, &err) < 0) {
                cli_error("verify: %s", shown(err.msg));
                goto done;
            }
            nkeys++;
            break;
        case 'K':
            if (cli_not_stdio("verify", "--keyring", args.value) < 0)
                goto done;
            keyring = args.value;
            break;
        case 'j': t.json = 1; break;
        case CLI_ARGS_OPERAND:
            if (strcmp(args.value, "-") == 0 && stdin_used++) {
                cli_error("verify: standard input ('-') can be read once");
                goto done;
            }
            files[nfiles++] = args.value;
            break;
        case 'h':
            fputs(usage, stdout);
            rc = EXIT_OK;
            goto done;
        default:
            goto done;
        }
    }
    if (nfiles == 0) {
        cli_error("verify: give at least one FILE or DIR (see 'pledge "
                  "verify --help')");
        goto done;
    }
    if (keyring == NULL && nkeys == 0) {
        env = getenv("PLEDGE_KEYRING");
        keyring = env != NULL && *env != '\0' ? env : "keys";
    }
    if (keyring != NULL && pledge_keyring_add_dir(kr, keyring, &err) < 0) {
        cli_error("verify: %s", shown(err.msg));
        goto done;
    }
    if (pledge_keyring_count(kr) == 0) {
        cli_error("verify: no public keys to trust in %s (give --key PUB "
                  "or --keyring DIR)", shown(keyring));
        goto done;
    }
    for (i = 0; i < nfiles; i++) {
        if (strcmp(files[i], "-") == 0)
            verify_file(kr, files[i], &t);
        else if (cli_is_dir(files[i]))
            verify_dir(kr, files[i], &t);
        else if (is_manifest(files[i], dir, sizeof dir))
            verify_dir(kr, dir, &t);
        else
            verify_file(kr, files[i], &t);
    }
    if (!t.json)
        printf("%zu valid, %zu invalid, %zu unreadable\n", t.valid,
               t.invalid, t.unreadable);
    rc = t.unreadable > 0 ? EXIT_USAGE : t.invalid > 0 ? EXIT_INVALID :
         t.valid > 0 ? EXIT_OK : EXIT_USAGE;
    if (t.valid + t.invalid + t.unreadable == 0)
        cli_error("verify: no PDF files found in %s%s", shown(files[0]),
                  nfiles > 1 ? " and the others given" : "");

done:
    free(files);
    pledge_keyring_free(kr);
    return rc;
}
