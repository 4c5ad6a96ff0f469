/* cmd_keygen.c - pledge keygen: a signing key pair in minisign's formats. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "passphrase.h"
#include "../util/file.h"

static const char usage[] =
    "usage: pledge keygen -o BASE [--signer NAME] [--no-passphrase]\n"
    "                     [--passphrase-file FILE] [--role ROLE] [--force]\n"
    "\n"
    "Makes an Ed25519 key pair in minisign's formats: BASE.pub, the public\n"
    "key for verifiers, and BASE.key, the secret key (mode 0600), encrypted\n"
    "with a passphrase unless --no-passphrase is given.\n"
    "\n"
    "  -o, --output BASE        write BASE.pub and BASE.key (a trailing .pub\n"
    "                           or .key is dropped); a missing directory is\n"
    "                           made, mode 0700, if its parent exists\n"
    "  -s, --signer NAME        the person or association the key signs for,\n"
    "                           recorded in both files (default: BASE's file\n"
    "                           name)\n"
    "      --no-passphrase      leave the secret key unencrypted\n"
    "      --passphrase-file F  the passphrase is F's first line (default:\n"
    "                           the file $PLEDGE_PASSPHRASE_FILE names, else\n"
    "                           asked twice on the terminal)\n"
    "      --role ROLE          also write BASE.role, this keyring's record\n"
    "                           that the key signs as the association named\n"
    "                           by --signer (ROLE association) or for the\n"
    "                           applicant named by --signer (ROLE applicant)\n"
    "                           (see docs/keyring.md)\n"
    "  -f, --force              overwrite existing key files\n"
    "  -h, --help               show this help\n";

enum { OPT_NO_PASSPHRASE = 256, OPT_PASSPHRASE_FILE, OPT_ROLE };

/* BASE with a trailing ".pub" or ".key" dropped, and the start of its file
 * name within it.  Prints its own error and returns -1, leaving *base
 * untouched, when no file name is left.
 * The caller frees *base with free(). */
static int key_base(const char *output, char **base, const char **name)
{
    size_t len = strlen(output);
    const char *slash;
    char *b;

    if (len > 4 && (strcmp(output + len - 4, ".pub") == 0 ||
                    strcmp(output + len - 4, ".key") == 0))
        len -= 4;
    if ((b = strndup(output, len)) == NULL) {
        cli_error("keygen: out of memory");
        return -1;
    }
    slash = strrchr(b, '/');
    *name = slash != NULL ? slash + 1 : b;
    if (**name == '\0') {
        cli_error("keygen: -o '%s' names no file", output);
        free(b);
        return -1;
    }
    *base = b;
    return 0;
}

/* The directory the key files go in: made, mode 0700, when it is missing
 * but its parent exists (a keyring is private to its owner); a missing
 * parent is an error saying what to run, so a mistyped path fails instead
 * of scattering directories.  *made gets the directory when this call
 * made it, so a failure later can take it away again (the caller frees
 * *made with free()).  Prints its own error. */
static int make_dir(const char *base, const char *name, char **made)
{
    struct stat st;
    char *dir;
    int ret = -1;

    /* "NAME" is in the working directory, "/NAME" in the root. */
    if (name == base || name == base + 1)
        return 0;
    if ((dir = strndup(base, (size_t)(name - base - 1))) == NULL) {
        cli_error("keygen: out of memory");
        return -1;
    }
    if (stat(dir, &st) == 0) {
        if (S_ISDIR(st.st_mode))
            ret = 0;
        else
            cli_error("keygen: %s is not a directory", dir);
    } else if (errno != ENOENT) {
        cli_error("keygen: directory %s: %s", dir, strerror(errno));
    } else if (mkdir(dir, 0700) == 0) {
        *made = dir;
        return 0;
    } else if (errno == ENOENT) {
        cli_error("keygen: directory %s does not exist, nor its parent "
                  "(run 'mkdir -p -m 700 %s' first)", dir, dir);
    } else {
        cli_error("keygen: make directory %s: %s", dir, strerror(errno));
    }
    free(dir);
    return ret;
}

/* Refuses before anything is asked or written, so that a refused run
 * leaves the files as they were; the writers refuse again atomically.
 * role may be NULL. */
static int check_free(const char *pub, const char *key, const char *role)
{
    const char *paths[3];
    struct stat st;
    int i;

    paths[0] = key;
    paths[1] = pub;
    paths[2] = role;
    for (i = 0; i < 3 && paths[i] != NULL; i++) {
        if (lstat(paths[i], &st) == 0) {
            cli_error("keygen: %s exists; not overwriting it (use --force)",
                      paths[i]);
            return -1;
        }
    }
    return 0;
}

/* Writes the keyring's role record for the new key (docs/keyring.md): the
 * operator who makes a key for their own keyring records there what it
 * signs, so that verify names its signer from the record. */
static int write_role(const char *path, const char *hex, const char *role,
                      const char *signer, int force)
{
    char buf[3 * PLEDGE_SIGNER_BYTES + 256];
    pledge_err err;
    int n;

    n = snprintf(buf, sizeof buf, "# What this keyring trusts the key beside "
                 "this file to sign (docs/keyring.md).\nkey: %s\nname: %s\n"
                 "role: %s\n%s: %s\n", hex, signer, role, role, signer);
    if (n < 0 || (size_t)n >= sizeof buf ||
        pledge_file_write(path, buf, (size_t)n, 0644,
                          force ? PLEDGE_FILE_FORCE : 0, &err) < 0) {
        cli_error("keygen: write %s: %s", path, n < 0 || (size_t)n >=
                  sizeof buf ? "record too long" : err.msg);
        return -1;
    }
    return 0;
}

static char *concat(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    char *s = malloc(la + lb + 1);

    if (s != NULL) {
        memcpy(s, a, la);
        memcpy(s + la, b, lb + 1);
    }
    return s;
}

int cmd_keygen(int argc, char **argv)
{
    static const cli_opt opts[] = {
        {"output", 'o', 1, 'o'},
        {"signer", 's', 1, 's'},
        {"no-passphrase", 0, 0, OPT_NO_PASSPHRASE},
        {"passphrase-file", 0, 1, OPT_PASSPHRASE_FILE},
        {"role", 0, 1, OPT_ROLE},
        {"force", 'f', 0, 'f'},
        {"help", 'h', 0, 'h'},
        {NULL, 0, 0, 0}
    };
    const char *output = NULL, *signer = NULL, *passfile = NULL, *name;
    const char *role = NULL;
    char *base = NULL, *pub = NULL, *key = NULL, *prompt = NULL;
    char *rolefile = NULL;
    char *passphrase = NULL, *made = NULL;
    int c, force = 0, no_passphrase = 0, rc = EXIT_USAGE;
    pledge_seckey *sk = NULL;
    pledge_pubkey pk;
    pledge_err err;
    char hex[17];
    cli_args args;

    cli_args_init(&args, "keygen", opts, NULL, argc, argv);
    while ((c = cli_args_next(&args)) != CLI_ARGS_END) {
        switch (c) {
        case 'o': output = args.value; break;
        case 's': signer = args.value; break;
        case 'f': force = 1; break;
        case OPT_NO_PASSPHRASE: no_passphrase = 1; break;
        case OPT_PASSPHRASE_FILE: passfile = args.value; break;
        case OPT_ROLE:
            if (strcmp(args.value, "association") != 0 &&
                strcmp(args.value, "applicant") != 0) {
                cli_error("keygen: --role is association or applicant, not "
                          "'%s'", args.value);
                return EXIT_USAGE;
            }
            role = args.value;
            break;
        case 'h':
            fputs(usage, stdout);
            return EXIT_OK;
        case CLI_ARGS_OPERAND:
            cli_error("keygen: unexpected argument '%s' (see 'pledge "
                      "keygen --help')", args.value);
            return EXIT_USAGE;
        default:
            return EXIT_USAGE;
        }
    }
    if (cli_not_stdio("keygen", "-o", output) < 0 ||
        cli_not_stdio("keygen", "--passphrase-file", passfile) < 0)
        return EXIT_USAGE;
    if (output == NULL) {
        cli_error("keygen: -o BASE is required (see 'pledge keygen "
                  "--help')");
        return EXIT_USAGE;
    }
    if (no_passphrase && passfile != NULL) {
        cli_error("keygen: --no-passphrase and --passphrase-file exclude "
                  "each other");
        return EXIT_USAGE;
    }
    if (key_base(output, &base, &name) < 0)
        return EXIT_USAGE;
    if (signer == NULL)
        signer = name;
    if (pledge_key_check_signer(signer, &err) < 0) {
        cli_error("keygen: %s%s", err.msg, signer == name ?
                  " (the default signer is -o's file name: give --signer)"
                  : "");
        goto done;
    }
    pub = concat(base, ".pub");
    key = concat(base, ".key");
    if (key != NULL && (prompt = malloc(strlen(key) + 32)) != NULL)
        sprintf(prompt, "Passphrase for %s: ", key);
    if (role != NULL)
        rolefile = concat(base, ".role");
    if (pub == NULL || key == NULL || prompt == NULL ||
        (role != NULL && rolefile == NULL)) {
        cli_error("keygen: out of memory");
        goto done;
    }
    if ((!force && check_free(pub, key, rolefile) < 0) ||
        make_dir(base, name, &made) < 0)
        goto done;
    if (!no_passphrase &&
        cli_passphrase_get(passfile, prompt, 1, &passphrase, &err) < 0) {
        cli_error("keygen: %s", err.msg);
        goto done;
    }
    /* The secret key first: a public key alone is harmless but useless,
     * and a failure after it takes the secret key away again. */
    if (pledge_key_generate(&sk, &pk, &err) < 0) {
        cli_error("keygen: %s", err.msg);
        goto done;
    }
    if (passphrase != NULL)
        cli_deriving("encrypting");
    c = pledge_key_write_secret(key, sk, signer, passphrase, force, &err);
    if (passphrase != NULL)
        fputs(c < 0 ? "failed\n" : "done\n", stderr);
    if (c < 0) {
        cli_error("keygen: %s", err.msg);
        goto done;
    }
    cli_passphrase_free(passphrase);
    passphrase = NULL;
    if (pledge_key_write_public(pub, &pk, signer, force, &err) < 0) {
        cli_error("keygen: %s", err.msg);
        if (unlink(key) < 0)
            cli_error("keygen: remove %s: %s", key, strerror(errno));
        goto done;
    }
    pledge_key_id_hex(pk.id, hex);
    if (rolefile != NULL &&
        write_role(rolefile, hex, role, signer, force) < 0) {
        unlink(pub);
        unlink(key);
        goto done;
    }
    printf("wrote %s (key ID %s) and %s\nsigner: %s\n", pub, hex, key,
           signer);
    if (rolefile != NULL)
        printf("role: %s, recorded in %s\n", role, rolefile);
    rc = EXIT_OK;

done:
    if (made != NULL && rc != EXIT_OK)
        rmdir(made);
    free(made);
    pledge_seckey_free(sk);
    cli_passphrase_free(passphrase);
    free(prompt);
    free(rolefile);
    free(key);
    free(pub);
    free(base);
    return rc;
}
