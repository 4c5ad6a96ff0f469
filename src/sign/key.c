/* key.c - Ed25519 key pairs in minisign's file formats (see key.h). */
#include "key.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "../util/base64.h"
#include "../util/err.h"
#include "../util/file.h"
#include "../util/text.h"
#include "../util/utf8.h"

#define COMMENT_PREFIX "untrusted comment: "
#define PK_COMMENT "minisign public key "
#define SK_COMMENT_ENC "minisign encrypted secret key"
#define SK_COMMENT_RAW "minisign unencrypted secret key"
#define SIGNER_SEP "; signer: "

/* Public key blob: "Ed" + id + pk. */
#define PK_BYTES (2 + PLEDGE_KEY_ID_BYTES + PLEDGE_KEY_PK_BYTES)

/* Secret key blob offsets; KEYNUM_* is the part scrypt encrypts. */
#define SK_SIG_ALG 0
#define SK_KDF_ALG 2
#define SK_CHK_ALG 4
#define SK_SALT 6
#define SK_SALT_BYTES crypto_pwhash_scryptsalsa208sha256_SALTBYTES
#define SK_OPS (SK_SALT + SK_SALT_BYTES)
#define SK_MEM (SK_OPS + 8)
#define SK_KEYNUM (SK_MEM + 8)
#define SK_ID SK_KEYNUM
#define SK_SK (SK_ID + PLEDGE_KEY_ID_BYTES)
#define SK_CHK (SK_SK + crypto_sign_SECRETKEYBYTES)
#define SK_CHK_BYTES crypto_generichash_BYTES
#define SK_BYTES (SK_CHK + SK_CHK_BYTES)
#define KEYNUM_BYTES (SK_BYTES - SK_KEYNUM)

/* The most work a secret key file may ask of scrypt: minisign's (and
 * our) SENSITIVE limits, about a second and 1 GiB. */
#define OPS_MAX crypto_pwhash_scryptsalsa208sha256_OPSLIMIT_SENSITIVE
#define MEM_MAX crypto_pwhash_scryptsalsa208sha256_MEMLIMIT_SENSITIVE

/* Key files are two short lines; minisign's own comment limit is 1024. */
#define KEY_FILE_MAX 4096

/* The key ID and secret key, in guarded pages (sodium_malloc): no
 * access but while they are copied or sign. */
typedef struct {
    unsigned char id[PLEDGE_KEY_ID_BYTES];
    unsigned char sk[crypto_sign_SECRETKEYBYTES];
} guarded;

/* The public half, no secret, is kept in ordinary memory beside the
 * guarded one: a signed pledge asks for it several times, and each
 * unlock and lock is a pair of mprotect calls, each flushing the TLB of
 * every CPU the process ran on. */
struct pledge_seckey {
    pledge_pubkey pub;
    guarded *g;
};

/* A key with guarded memory for its secret half, or NULL when out of
 * memory.  The caller frees it with pledge_seckey_free(). */
static pledge_seckey *seckey_new(void)
{
    pledge_seckey *k = calloc(1, sizeof *k);

    if (k != NULL && (k->g = sodium_malloc(sizeof *k->g)) == NULL) {
        free(k);
        k = NULL;
    }
    return k;
}

static int sodium_ready(pledge_err *err)
{
    /* sodium_init() is idempotent and thread-safe: 1 means already done. */
    if (sodium_init() < 0)
        return pledge_err_set(err, "libsodium failed to initialise");
    return 0;
}

/* sodium_mprotect_* change the page protection, not the contents, so the
 * const in the public API still holds for what callers can observe. */
static void unlock(const pledge_seckey *sk)
{
    sodium_mprotect_readonly(sk->g);
}

static void lock(const pledge_seckey *sk)
{
    sodium_mprotect_noaccess(sk->g);
}

static uint64_t le64_load(const unsigned char *p)
{
    uint64_t v = 0;
    int i;

    for (i = 7; i >= 0; i--)
        v = (v << 8) | p[i];
    return v;
}

static void le64_store(unsigned char *p, uint64_t v)
{
    int i;

    for (i = 0; i < 8; i++) {
        p[i] = (unsigned char)(v & 0xff);
        v >>= 8;
    }
}

/* An algorithm tag for messages: "Ed", or \xNN for unprintable bytes. */
static void alg_str(const unsigned char *a, char out[9])
{
    size_t k = 0;
    int i;

    for (i = 0; i < 2; i++) {
        if (isprint(a[i]) && a[i] != '"' && a[i] != '\\')
            out[k++] = (char)a[i];
        else
            k += (size_t)snprintf(out + k, 5, "\\x%02x", a[i]);
    }
    out[k] = '\0';
}

void pledge_key_id_hex(const unsigned char id[PLEDGE_KEY_ID_BYTES],
                       char out[17])
{
    snprintf(out, 17, "%016llX", (unsigned long long)le64_load(id));
}

/* The BLAKE2b-256 checksum minisign keeps over "Ed" || id || sk. */
static void checksum(unsigned char out[SK_CHK_BYTES],
                     const unsigned char *blob)
{
    crypto_generichash_state hs;

    crypto_generichash_init(&hs, NULL, 0, SK_CHK_BYTES);
    crypto_generichash_update(&hs, blob + SK_SIG_ALG, 2);
    crypto_generichash_update(&hs, blob + SK_ID, PLEDGE_KEY_ID_BYTES);
    crypto_generichash_update(&hs, blob + SK_SK, crypto_sign_SECRETKEYBYTES);
    crypto_generichash_final(&hs, out, SK_CHK_BYTES);
    sodium_memzero(&hs, sizeof hs);
}

/* Writes path to out as a shell word for a command to paste: as it is
 * when it holds only characters no shell treats specially, else in single
 * quotes; "./" keeps one that starts with '-' from reading as an option.
 * Cuts what does not fit in cap: the message then shows it cut. */
static void shell_word(const char *path, char *out, size_t cap)
{
    static const char safe[] = "abcdefghijklmnopqrstuvwxyz"
                               "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
                               "_./+-,:@%=";
    const char *lead = path[0] == '-' ? "./" : "";
    const char *p;
    size_t n;

    if (path[0] != '\0' && strspn(path, safe) == strlen(path)) {
        snprintf(out, cap, "%s%s", lead, path);
        return;
    }
    n = (size_t)snprintf(out, cap, "'%s", lead);
    for (p = path; *p != '\0' && n + 6 < cap; p++) {
        if (*p == '\'') {
            memcpy(out + n, "'\\''", 4);
            n += 4;
        } else {
            out[n++] = *p;
        }
    }
    out[n++] = '\'';
    out[n] = '\0';
}

/* A secret key file must be a regular file (a FIFO or a device could hand
 * out anything, and reading one could block) that only its owner can
 * reach, unless flags allow more: ssh's rule, since whoever else could
 * read it may have a copy. */
static int check_secret_file(int fd, const char *path, unsigned flags,
                             pledge_err *err)
{
    char word[300];
    struct stat st;

    if (fstat(fd, &st) < 0)
        return pledge_err_set(err, "%s", strerror(errno));
    if (!S_ISREG(st.st_mode))
        return pledge_err_set(err, "not a regular file: a secret key must "
                              "be one");
    if ((st.st_mode & 077) != 0 && !(flags & PLEDGE_KEY_ALLOW_INSECURE)) {
        shell_word(path, word, sizeof word);
        return pledge_err_set(err, "the secret key is %s by others (mode "
                              "%04o); run: chmod 600 %s (or pass "
                              "--allow-insecure-key)",
                              (st.st_mode & 044) != 0 ? "readable" :
                              "accessible", (unsigned)(st.st_mode & 07777),
                              word);
    }
    return 0;
}

/* Reads all of path into buf (cap bytes, NUL-terminated) with read(2), so
 * that no stdio buffer is left holding a secret.  The file is opened
 * without blocking and checked before a byte is read: a secret key's with
 * check_secret_file(), a public key's to be a regular file, since a FIFO
 * dropped into a keyring would otherwise hang every verification.
 * Messages leave out the path: callers prefix it. */
static int read_small(const char *path, int secret, unsigned flags,
                      char *buf, size_t cap, size_t *len, pledge_err *err)
{
    size_t n = 0;
    ssize_t r;
    int fd;

    if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)) < 0)
        return pledge_err_set(err, "%s", strerror(errno));
    if (secret ? check_secret_file(fd, path, flags, err) < 0 :
        pledge_file_regular(fd, "a key file", err) < 0) {
        close(fd);
        return -1;
    }
    for (;;) {
        if (n == cap - 1) {
            close(fd);
            return pledge_err_set(err, "larger than %zu bytes: not a key "
                                  "file", cap - 1);
        }
        r = read(fd, buf + n, cap - 1 - n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            int e = errno;

            close(fd);
            return pledge_err_set(err, "%s", strerror(e));
        }
        if (r == 0)
            break;
        n += (size_t)r;
    }
    close(fd);
    buf[n] = '\0';
    *len = n;
    return 0;
}

/* Finds the base64 key line in text: the line after an "untrusted comment:"
 * line, or the first line when there is no comment.  Surrounding blanks
 * and a CR are not part of it. */
static int key_line(const char *text, size_t len, const char **line,
                    size_t *llen, pledge_err *err)
{
    size_t plen = sizeof COMMENT_PREFIX - 1, a = 0, b;

    if (len >= plen && memcmp(text, COMMENT_PREFIX, plen) == 0) {
        while (a < len && text[a] != '\n')
            a++;
        if (a == len)
            return pledge_err_set(err, "no key line after the comment");
        a++;
    }
    while (a < len && (text[a] == ' ' || text[a] == '\t'))
        a++;
    b = a;
    while (b < len && text[b] != '\n')
        b++;
    while (b > a && (text[b - 1] == '\r' || text[b - 1] == ' ' ||
                     text[b - 1] == '\t'))
        b--;
    if (b == a)
        return pledge_err_set(err, "empty key line");
    *line = text + a;
    *llen = b - a;
    return 0;
}

/* Unicode's space separators: a name of nothing else is blank. */
static int is_space(uint32_t cp)
{
    return cp == 0x20 || cp == 0xa0 || cp == 0x1680 ||
           (cp >= 0x2000 && cp <= 0x200a) || cp == 0x202f ||
           cp == 0x205f || cp == 0x3000;
}

static int check_signer(const char *s, size_t len, pledge_err *err)
{
    size_t i = 0, count = 0;
    int blank = 1;
    uint32_t cp;

    if (len == 0)
        return pledge_err_set(err, "signer name is empty");
    while (i < len) {
        if (pledge_utf8_next(s, len, &i, &cp) < 0)
            return pledge_err_set(err, "signer name: invalid UTF-8 at byte "
                                  "%zu", i + 1);
        count++;
        /* C0, DEL, C1 and the Unicode line and paragraph separators: any
         * of them could break the comment line or what shows it. */
        if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0) || cp == 0x2028 ||
            cp == 0x2029)
            return pledge_err_set(err, "signer name: control character "
                                  "U+%04X at character %zu", (unsigned)cp,
                                  count);
        /* verify shows the name: nothing in it may reorder or hide text. */
        if (pledge_text_is_hidden(cp))
            return pledge_err_set(err, "signer name holds U+%04X (%s), "
                                  "which is not allowed", (unsigned)cp,
                                  pledge_text_char_name(cp));
        if (!is_space(cp))
            blank = 0;
    }
    if (blank)
        return pledge_err_set(err, "signer name is blank");
    if (count > PLEDGE_SIGNER_MAX)
        return pledge_err_set(err, "signer name is too long: %zu characters "
                              "(at most %d)", count, PLEDGE_SIGNER_MAX);
    return 0;
}

void pledge_key_file_signer(const char *path, char *out, size_t cap)
{
    const char *base = strrchr(path, '/');
    size_t n;

    base = base != NULL ? base + 1 : path;
    n = strlen(base);
    if (n > 4 && (strcmp(base + n - 4, ".pub") == 0 ||
                  strcmp(base + n - 4, ".key") == 0))
        n -= 4;
    snprintf(out, cap, "%.*s", (int)n, base);
}

int pledge_key_check_signer(const char *name, pledge_err *err)
{
    return check_signer(name, strlen(name), err);
}

/* Finds the signer named on text's comment line: everything after the
 * first SIGNER_SEP up to the line's end, or "" when there is none.  A name
 * must pass check_signer, so it fits PLEDGE_SIGNER_BYTES. */
static int comment_signer(const char *text, size_t len, const char **name,
                          size_t *nlen, pledge_err *err)
{
    size_t plen = sizeof COMMENT_PREFIX - 1, slen = sizeof SIGNER_SEP - 1;
    size_t end = 0, i;

    *name = "";
    *nlen = 0;
    if (len < plen || memcmp(text, COMMENT_PREFIX, plen) != 0)
        return 0;
    while (end < len && text[end] != '\n')
        end++;
    if (end > 0 && text[end - 1] == '\r')
        end--;
    for (i = plen; i + slen <= end; i++) {
        if (memcmp(text + i, SIGNER_SEP, slen) == 0) {
            if (check_signer(text + i + slen, end - i - slen, err) < 0)
                return -1;
            *name = text + i + slen;
            *nlen = end - i - slen;
            return 0;
        }
    }
    return 0;
}

static void copy_signer(char *signer, const char *name, size_t nlen)
{
    if (signer == NULL)
        return;
    memcpy(signer, name, nlen);
    signer[nlen] = '\0';
}

/* Writes the comment line for base (and signer unless NULL) to out, which
 * has room for any: check_signer bounds the name. */
static size_t comment_line(char *out, size_t cap, const char *base,
                           const char *signer)
{
    return (size_t)snprintf(out, cap, "%s%s%s%s\n", COMMENT_PREFIX, base,
                            signer != NULL ? SIGNER_SEP : "",
                            signer != NULL ? signer : "");
}

/* Decodes a key line that must hold exactly want bytes. */
static int decode(const char *line, size_t llen, unsigned char *bin,
                  size_t want, const char *what, pledge_err *err)
{
    size_t chars = sodium_base64_ENCODED_LEN(want,
                       sodium_base64_VARIANT_ORIGINAL) - 1;

    if (llen != chars)
        return pledge_err_set(err, "key line has %zu characters, expected "
                              "%zu: not a minisign %s", llen, chars, what);
    if (pledge_base64_decode(line, llen, bin, want) < 0)
        return pledge_err_set(err, "key line is not canonical base64 (only "
                              "A-Z a-z 0-9 + / and the padding its length "
                              "needs, unused bits zero)");
    return 0;
}

static int parse_public(const char *text, size_t len, pledge_pubkey *pk,
                        char *signer, pledge_err *err)
{
    unsigned char blob[PK_BYTES];
    const char *line, *name;
    size_t llen, nlen;
    char alg[9];

    if (key_line(text, len, &line, &llen, err) < 0)
        return -1;
    if (decode(line, llen, blob, sizeof blob, "public key", err) < 0)
        return -1;
    if (memcmp(blob, "Ed", 2) != 0) {
        alg_str(blob, alg);
        return pledge_err_set(err, "unsupported signature algorithm \"%s\" "
                              "(expected \"Ed\")", alg);
    }
    if (comment_signer(text, len, &name, &nlen, err) < 0)
        return -1;
    memcpy(pk->id, blob + 2, PLEDGE_KEY_ID_BYTES);
    memcpy(pk->pk, blob + 2 + PLEDGE_KEY_ID_BYTES, PLEDGE_KEY_PK_BYTES);
    copy_signer(signer, name, nlen);
    return 0;
}

int pledge_key_parse_public(const char *text, size_t len, pledge_pubkey *pk,
                            char *signer, pledge_err *err)
{
    if (parse_public(text, len, pk, signer, err) < 0)
        return pledge_err_prefix(err, "parse public key");
    return 0;
}

int pledge_key_read_public(const char *path, pledge_pubkey *pk,
                           char *signer, pledge_err *err)
{
    char buf[KEY_FILE_MAX];
    size_t len;
    int r;

    r = read_small(path, 0, 0, buf, sizeof buf, &len, err) < 0 ||
        parse_public(buf, len, pk, signer, err) < 0 ? -1 : 0;
    /* A secret key file given where a public one belongs (--key x.key
     * to verify) must not stay on the stack. */
    sodium_memzero(buf, sizeof buf);
    if (r < 0)
        return pledge_err_prefix(err, "read %s", path);
    return 0;
}

void pledge_key_public_line(const pledge_pubkey *pk,
                            char out[PLEDGE_KEY_LINE_BYTES])
{
    unsigned char blob[PK_BYTES];

    memcpy(blob, "Ed", 2);
    memcpy(blob + 2, pk->id, PLEDGE_KEY_ID_BYTES);
    memcpy(blob + 2 + PLEDGE_KEY_ID_BYTES, pk->pk, PLEDGE_KEY_PK_BYTES);
    sodium_bin2base64(out, PLEDGE_KEY_LINE_BYTES, blob, sizeof blob,
                      sodium_base64_VARIANT_ORIGINAL);
}

int pledge_key_write_public(const char *path, const pledge_pubkey *pk,
                            const char *signer, int force, pledge_err *err)
{
    char b64[PLEDGE_KEY_LINE_BYTES];
    char hex[17], base[sizeof PK_COMMENT + 16], text[KEY_FILE_MAX];
    size_t n;

    if (sodium_ready(err) < 0 ||
        (signer != NULL && pledge_key_check_signer(signer, err) < 0))
        return pledge_err_prefix(err, "write %s", path);
    pledge_key_public_line(pk, b64);
    pledge_key_id_hex(pk->id, hex);
    snprintf(base, sizeof base, PK_COMMENT "%s", hex);
    n = comment_line(text, sizeof text, base, signer);
    n += (size_t)snprintf(text + n, sizeof text - n, "%s\n", b64);
    if (pledge_file_write(path, text, n, 0644, force, err) < 0)
        return pledge_err_prefix(err, "write %s", path);
    return 0;
}

int pledge_key_generate(pledge_seckey **sk, pledge_pubkey *pk,
                        pledge_err *err)
{
    pledge_seckey *k;

    if (sodium_ready(err) < 0)
        return pledge_err_prefix(err, "generate key");
    if ((k = seckey_new()) == NULL)
        return pledge_err_set(err, "generate key: out of secure memory");
    randombytes_buf(k->g->id, sizeof k->g->id);
    crypto_sign_keypair(pk->pk, k->g->sk);
    memcpy(pk->id, k->g->id, sizeof k->g->id);
    k->pub = *pk;
    lock(k);
    *sk = k;
    return 0;
}

/* Checks blob's algorithms, decrypts it in place when it is encrypted and
 * verifies it.  Messages leave out the path: callers prefix it. */
static int open_blob(unsigned char *blob, const char *passphrase,
                     pledge_err *err)
{
    unsigned char chk[SK_CHK_BYTES];
    unsigned char pk[crypto_sign_PUBLICKEYBYTES];
    unsigned char sk[crypto_sign_SECRETKEYBYTES];
    unsigned char *stream = NULL;
    unsigned long long ops, mem;
    char alg[9];
    int have_chk = 1, ret = -1;
    size_t i;

    if (memcmp(blob + SK_SIG_ALG, "Ed", 2) != 0) {
        alg_str(blob + SK_SIG_ALG, alg);
        return pledge_err_set(err, "unsupported signature algorithm \"%s\" "
                              "(expected \"Ed\")", alg);
    }
    if (memcmp(blob + SK_CHK_ALG, "B2", 2) != 0) {
        alg_str(blob + SK_CHK_ALG, alg);
        return pledge_err_set(err, "unsupported checksum algorithm \"%s\" "
                              "(expected \"B2\")", alg);
    }
    if (memcmp(blob + SK_KDF_ALG, "Sc", 2) == 0) {
        if (passphrase == NULL)
            return pledge_err_set(err, "the secret key is encrypted and no "
                                  "passphrase was given");
        ops = le64_load(blob + SK_OPS);
        mem = le64_load(blob + SK_MEM);
        /* minisign and pledge write the SENSITIVE limits; anything above
         * them is no key either made, and the file's own numbers must not
         * buy minutes of CPU or gigabytes before the checksum can say
         * no. */
        if (ops < crypto_pwhash_scryptsalsa208sha256_OPSLIMIT_MIN ||
            ops > OPS_MAX ||
            mem < crypto_pwhash_scryptsalsa208sha256_MEMLIMIT_MIN ||
            mem > MEM_MAX)
            return pledge_err_set(err, "scrypt limits out of range "
                                  "(opslimit %llu, memlimit %llu; at most "
                                  "%llu and %llu)", ops, mem,
                                  (unsigned long long)OPS_MAX,
                                  (unsigned long long)MEM_MAX);
        if ((stream = sodium_malloc(KEYNUM_BYTES)) == NULL)
            return pledge_err_set(err, "out of secure memory");
        if (crypto_pwhash_scryptsalsa208sha256(stream, KEYNUM_BYTES,
                passphrase, strlen(passphrase), blob + SK_SALT, ops,
                (size_t)mem) != 0) {
            pledge_err_set(err, "scrypt key derivation failed (memlimit "
                           "%llu bytes: out of memory?)", mem);
            goto fail;
        }
        for (i = 0; i < KEYNUM_BYTES; i++)
            blob[SK_KEYNUM + i] ^= stream[i];
    } else if (memcmp(blob + SK_KDF_ALG, "\0\0", 2) == 0) {
        /* minisign -G -W leaves the checksum of an unencrypted key zero. */
        have_chk = !sodium_is_zero(blob + SK_CHK, SK_CHK_BYTES);
    } else {
        alg_str(blob + SK_KDF_ALG, alg);
        return pledge_err_set(err, "unsupported key derivation \"%s\" "
                              "(expected \"Sc\" or none)", alg);
    }
    if (have_chk) {
        checksum(chk, blob);
        if (sodium_memcmp(chk, blob + SK_CHK, SK_CHK_BYTES) != 0) {
            if (stream != NULL)
                pledge_err_set(err, "wrong passphrase (checksum mismatch)");
            else
                pledge_err_set(err, "checksum mismatch: the key is "
                               "corrupt");
            goto fail;
        }
    }
    /* The second half of an Ed25519 secret key is its public key: a key
     * that disagrees with its own seed would sign unverifiably. */
    crypto_sign_seed_keypair(pk, sk, blob + SK_SK);
    if (sodium_memcmp(sk, blob + SK_SK, sizeof sk) != 0) {
        pledge_err_set(err, "the secret key is corrupt (its public half "
                       "does not match its seed)");
        goto fail;
    }
    ret = 0;
fail:
    sodium_memzero(chk, sizeof chk);
    sodium_memzero(sk, sizeof sk);
    sodium_free(stream);
    return ret;
}

/* Reads the secret key file at path (checked as flags say) into buf
 * (KEY_FILE_MAX bytes, *len set) and its key line, still sealed, into blob
 * (SK_BYTES).  Both are sodium_malloc'd by the caller: an unencrypted key
 * is the secret itself.  Messages leave out the path: callers prefix it. */
static int load_blob(const char *path, unsigned flags, char *buf,
                     size_t *len, unsigned char *blob, pledge_err *err)
{
    const char *line;
    size_t llen;

    if (read_small(path, 1, flags, buf, KEY_FILE_MAX, len, err) < 0 ||
        key_line(buf, *len, &line, &llen, err) < 0 ||
        decode(line, llen, blob, SK_BYTES, "secret key", err) < 0)
        return -1;
    return 0;
}

int pledge_key_is_encrypted(const char *path, unsigned flags, int *enc,
                            pledge_err *err)
{
    unsigned char *blob = NULL;
    char *buf = NULL, alg[9];
    size_t len;
    int ret = -1;

    if (sodium_ready(err) < 0)
        goto done;
    buf = sodium_malloc(KEY_FILE_MAX);
    blob = sodium_malloc(SK_BYTES);
    if (buf == NULL || blob == NULL) {
        pledge_err_set(err, "out of secure memory");
        goto done;
    }
    if (load_blob(path, flags, buf, &len, blob, err) < 0)
        goto done;
    if (memcmp(blob + SK_SIG_ALG, "Ed", 2) != 0) {
        alg_str(blob + SK_SIG_ALG, alg);
        pledge_err_set(err, "unsupported signature algorithm \"%s\" "
                       "(expected \"Ed\")", alg);
    } else if (memcmp(blob + SK_KDF_ALG, "Sc", 2) == 0) {
        *enc = 1;
        ret = 0;
    } else if (memcmp(blob + SK_KDF_ALG, "\0\0", 2) == 0) {
        *enc = 0;
        ret = 0;
    } else {
        alg_str(blob + SK_KDF_ALG, alg);
        pledge_err_set(err, "unsupported key derivation \"%s\" "
                       "(expected \"Sc\" or none)", alg);
    }

done:
    sodium_free(blob);
    sodium_free(buf);
    if (ret < 0)
        return pledge_err_prefix(err, "read %s", path);
    return 0;
}

int pledge_key_read_secret(const char *path, unsigned flags,
                           const char *passphrase, pledge_seckey **out,
                           char *signer, pledge_err *err)
{
    unsigned char *blob = NULL;
    pledge_seckey *k = NULL;
    char *buf = NULL;
    const char *name;
    size_t len, nlen;

    if (sodium_ready(err) < 0)
        goto fail;
    buf = sodium_malloc(KEY_FILE_MAX);
    blob = sodium_malloc(SK_BYTES);
    k = seckey_new();
    if (buf == NULL || blob == NULL || k == NULL) {
        pledge_err_set(err, "out of secure memory");
        goto fail;
    }
    /* The comment is checked before scrypt, which is the slow part. */
    if (load_blob(path, flags, buf, &len, blob, err) < 0 ||
        comment_signer(buf, len, &name, &nlen, err) < 0 ||
        open_blob(blob, passphrase, err) < 0)
        goto fail;
    memcpy(k->g->id, blob + SK_ID, sizeof k->g->id);
    memcpy(k->g->sk, blob + SK_SK, sizeof k->g->sk);
    memcpy(k->pub.id, k->g->id, sizeof k->pub.id);
    crypto_sign_ed25519_sk_to_pk(k->pub.pk, k->g->sk);
    lock(k);
    copy_signer(signer, name, nlen);
    sodium_free(blob);
    sodium_free(buf);
    *out = k;
    return 0;

fail:
    pledge_seckey_free(k);
    sodium_free(blob);
    sodium_free(buf);
    return pledge_err_prefix(err, "read %s", path);
}

/* Fills blob from sk, encrypted when passphrase is not NULL. */
static int seal_blob(unsigned char *blob, const pledge_seckey *sk,
                     const char *passphrase, pledge_err *err)
{
    unsigned long long ops, mem;
    unsigned char *stream;
    size_t i;

    memset(blob, 0, SK_BYTES);
    memcpy(blob + SK_SIG_ALG, "Ed", 2);
    memcpy(blob + SK_KDF_ALG, passphrase != NULL ? "Sc" : "\0\0", 2);
    memcpy(blob + SK_CHK_ALG, "B2", 2);
    unlock(sk);
    memcpy(blob + SK_ID, sk->g->id, sizeof sk->g->id);
    memcpy(blob + SK_SK, sk->g->sk, sizeof sk->g->sk);
    lock(sk);
    checksum(blob + SK_CHK, blob);
    if (passphrase == NULL)
        return 0;
    if ((stream = sodium_malloc(KEYNUM_BYTES)) == NULL)
        return pledge_err_set(err, "out of secure memory");
    randombytes_buf(blob + SK_SALT, SK_SALT_BYTES);
    /* minisign's limits, halved (as minisign does) where memory is short;
     * they are stored in the file, so any reader can follow. */
    ops = crypto_pwhash_scryptsalsa208sha256_OPSLIMIT_SENSITIVE;
    mem = crypto_pwhash_scryptsalsa208sha256_MEMLIMIT_SENSITIVE;
    while (crypto_pwhash_scryptsalsa208sha256(stream, KEYNUM_BYTES,
               passphrase, strlen(passphrase), blob + SK_SALT, ops,
               (size_t)mem) != 0) {
        ops /= 2;
        mem /= 2;
        if (ops < crypto_pwhash_scryptsalsa208sha256_OPSLIMIT_MIN ||
            mem < crypto_pwhash_scryptsalsa208sha256_MEMLIMIT_MIN) {
            sodium_free(stream);
            return pledge_err_set(err, "scrypt key derivation failed: out "
                                  "of memory");
        }
    }
    le64_store(blob + SK_OPS, ops);
    le64_store(blob + SK_MEM, mem);
    for (i = 0; i < KEYNUM_BYTES; i++)
        blob[SK_KEYNUM + i] ^= stream[i];
    sodium_free(stream);
    return 0;
}

int pledge_key_write_secret(const char *path, const pledge_seckey *sk,
                            const char *signer, const char *passphrase,
                            int force, pledge_err *err)
{
    const size_t b64len = sodium_base64_ENCODED_LEN(SK_BYTES,
                              sodium_base64_VARIANT_ORIGINAL);
    const char *base = passphrase != NULL ? SK_COMMENT_ENC : SK_COMMENT_RAW;
    unsigned char *blob = NULL;
    char *text = NULL;
    size_t n;

    if (sodium_ready(err) < 0 ||
        (signer != NULL && pledge_key_check_signer(signer, err) < 0))
        goto fail;
    /* Checked early so that an existing key does not cost an scrypt run;
     * write_atomic checks again without a race. */
    if (!force && access(path, F_OK) == 0) {
        pledge_err_set(err, "file exists; not overwriting it");
        goto fail;
    }
    blob = sodium_malloc(SK_BYTES);
    text = sodium_malloc(KEY_FILE_MAX);
    if (blob == NULL || text == NULL) {
        pledge_err_set(err, "out of secure memory");
        goto fail;
    }
    if (seal_blob(blob, sk, passphrase, err) < 0)
        goto fail;
    n = comment_line(text, KEY_FILE_MAX, base, signer);
    sodium_bin2base64(text + n, b64len, blob, SK_BYTES,
                      sodium_base64_VARIANT_ORIGINAL);
    n += b64len - 1;
    text[n++] = '\n';
    if (pledge_file_write(path, text, n, 0600, force, err) < 0)
        goto fail;
    sodium_free(text);
    sodium_free(blob);
    return 0;

fail:
    sodium_free(text);
    sodium_free(blob);
    return pledge_err_prefix(err, "write %s", path);
}

void pledge_seckey_public(const pledge_seckey *sk, pledge_pubkey *pk)
{
    *pk = sk->pub;
}

int pledge_seckey_sign(const pledge_seckey *sk, const unsigned char *msg,
                       size_t len, unsigned char sig[PLEDGE_KEY_SIG_BYTES],
                       pledge_err *err)
{
    int r;

    unlock(sk);
    r = crypto_sign_detached(sig, NULL, msg, len, sk->g->sk);
    lock(sk);
    if (r != 0)
        return pledge_err_set(err, "sign: Ed25519 signing failed");
    return 0;
}

void pledge_seckey_free(pledge_seckey *sk)
{
    /* sodium_free wipes the pages; it needs them writable first. */
    if (sk == NULL)
        return;
    if (sk->g != NULL) {
        sodium_mprotect_readwrite(sk->g);
        sodium_free(sk->g);
    }
    free(sk);
}
