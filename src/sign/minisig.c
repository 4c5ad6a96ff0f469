/* minisig.c - signatures in minisign's format (see minisig.h). */
#include "minisig.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "../util/base64.h"
#include "../util/err.h"

#define UNTRUSTED_PREFIX "untrusted comment: "
#define TRUSTED_PREFIX "trusted comment: "
#define ALG_PREHASHED "ED"
#define SIG_BLOB (2 + PLEDGE_KEY_ID_BYTES + PLEDGE_KEY_SIG_BYTES)
#define B64_LEN(n) (sodium_base64_ENCODED_LEN((n), \
                        sodium_base64_VARIANT_ORIGINAL) - 1)

typedef char hasher_fits[sizeof(pledge_minisig_hasher) >=
                         sizeof(crypto_generichash_state) ? 1 : -1];

void pledge_minisig_hash_init(pledge_minisig_hasher *h)
{
    crypto_generichash_init((crypto_generichash_state *)(void *)h->state,
                            NULL, 0, PLEDGE_MINISIG_HASH_BYTES);
}

void pledge_minisig_hash_update(pledge_minisig_hasher *h,
                                const unsigned char *p, size_t len)
{
    crypto_generichash_update((crypto_generichash_state *)(void *)h->state,
                              p, len);
}

void pledge_minisig_hash_final(pledge_minisig_hasher *h,
                               unsigned char out[PLEDGE_MINISIG_HASH_BYTES])
{
    crypto_generichash_final((crypto_generichash_state *)(void *)h->state,
                             out, PLEDGE_MINISIG_HASH_BYTES);
}

void pledge_minisig_hash_gap(const unsigned char *data, size_t len,
                             size_t gap_start, size_t gap_end,
                             unsigned char out[PLEDGE_MINISIG_HASH_BYTES])
{
    pledge_minisig_hasher h;

    pledge_minisig_hash_init(&h);
    pledge_minisig_hash_update(&h, data, gap_start);
    pledge_minisig_hash_update(&h, data + gap_end, len - gap_end);
    pledge_minisig_hash_final(&h, out);
}

size_t pledge_minisig_text_length(const char *untrusted, const char *trusted)
{
    return sizeof UNTRUSTED_PREFIX - 1 + strlen(untrusted) + 1 +
           B64_LEN(SIG_BLOB) + 1 +
           sizeof TRUSTED_PREFIX - 1 + strlen(trusted) + 1 +
           B64_LEN(PLEDGE_KEY_SIG_BYTES) + 1;
}

/* Comments are one line each: no control character but the tab, which
 * separates fields (minisign's own trusted comments use it too). */
static int bad_char(char c)
{
    return ((unsigned char)c < 0x20 && c != '\t') || c == 0x7f;
}

static int check_comment(const char *what, const char *s, size_t max,
                         pledge_err *err)
{
    size_t i, n = strlen(s);

    if (n > max)
        return pledge_err_set(err, "%s comment is too long: %zu bytes "
                              "(at most %zu)", what, n, max);
    for (i = 0; i < n; i++)
        if (bad_char(s[i]))
            return pledge_err_set(err, "%s comment holds a control "
                                  "character at byte %zu", what, i + 1);
    return 0;
}

int pledge_minisig_sign(const pledge_seckey *sk,
                        const unsigned char hash[PLEDGE_MINISIG_HASH_BYTES],
                        const char *untrusted, const char *trusted,
                        char **out, size_t *len, pledge_err *err)
{
    unsigned char blob[SIG_BLOB];
    unsigned char *global_msg = NULL;
    unsigned char global[PLEDGE_KEY_SIG_BYTES];
    pledge_pubkey pk;
    size_t tlen = strlen(trusted), total, n;
    char *text = NULL;

    if (check_comment("untrusted", untrusted, PLEDGE_MINISIG_UNTRUSTED_MAX,
                      err) < 0 ||
        check_comment("trusted", trusted, PLEDGE_MINISIG_TRUSTED_MAX,
                      err) < 0)
        return -1;
    pledge_seckey_public(sk, &pk);
    memcpy(blob, ALG_PREHASHED, 2);
    memcpy(blob + 2, pk.id, PLEDGE_KEY_ID_BYTES);
    if (pledge_seckey_sign(sk, hash, PLEDGE_MINISIG_HASH_BYTES,
                           blob + 2 + PLEDGE_KEY_ID_BYTES, err) < 0)
        return -1;

    /* The global signature binds the trusted comment to the signature. */
    global_msg = malloc(PLEDGE_KEY_SIG_BYTES + tlen + 1);
    total = pledge_minisig_text_length(untrusted, trusted);
    text = malloc(total + 1);
    if (global_msg == NULL || text == NULL) {
        pledge_err_set(err, "sign: out of memory");
        goto fail;
    }
    memcpy(global_msg, blob + 2 + PLEDGE_KEY_ID_BYTES, PLEDGE_KEY_SIG_BYTES);
    memcpy(global_msg + PLEDGE_KEY_SIG_BYTES, trusted, tlen);
    if (pledge_seckey_sign(sk, global_msg, PLEDGE_KEY_SIG_BYTES + tlen,
                           global, err) < 0)
        goto fail;

    n = (size_t)snprintf(text, total + 1, UNTRUSTED_PREFIX "%s\n", untrusted);
    sodium_bin2base64(text + n, total + 1 - n, blob, sizeof blob,
                      sodium_base64_VARIANT_ORIGINAL);
    n += B64_LEN(SIG_BLOB);
    n += (size_t)snprintf(text + n, total + 1 - n, "\n" TRUSTED_PREFIX "%s\n",
                          trusted);
    sodium_bin2base64(text + n, total + 1 - n, global, sizeof global,
                      sodium_base64_VARIANT_ORIGINAL);
    n += B64_LEN(PLEDGE_KEY_SIG_BYTES);
    text[n++] = '\n';
    if (n != total) {
        pledge_err_set(err, "sign: signature text is %zu bytes, expected "
                       "%zu", n, total);
        goto fail;
    }
    free(global_msg);
    *out = text;
    *len = total;
    return 0;

fail:
    free(global_msg);
    free(text);
    return -1;
}

/* Takes the next "\n"-terminated line of text at *pos. */
static int next_line(const char *text, size_t len, size_t *pos,
                     const char **line, size_t *llen, const char *what,
                     pledge_err *err)
{
    const char *nl;

    if (*pos >= len)
        return pledge_err_set(err, "signature ends before its %s", what);
    nl = memchr(text + *pos, '\n', len - *pos);
    if (nl == NULL)
        return pledge_err_set(err, "signature's %s has no line end", what);
    *line = text + *pos;
    *llen = (size_t)(nl - *line);
    *pos += *llen + 1;
    return 0;
}

static int decode_exact(const char *line, size_t llen, unsigned char *bin,
                        size_t want, const char *what, pledge_err *err)
{
    if (pledge_base64_decode(line, llen, bin, want) < 0)
        return pledge_err_set(err, "signature's %s is not %zu bytes of "
                              "canonical base64", what, want);
    return 0;
}

static int has_prefix(const char *line, size_t llen, const char *prefix)
{
    size_t n = strlen(prefix);

    return llen >= n && memcmp(line, prefix, n) == 0;
}

int pledge_minisig_parse(const char *text, size_t len, pledge_minisig *out,
                         pledge_err *err)
{
    unsigned char blob[SIG_BLOB];
    pledge_minisig ms;
    const char *line;
    size_t llen, pos = 0, i, plen = sizeof TRUSTED_PREFIX - 1;

    if (next_line(text, len, &pos, &line, &llen, "untrusted comment",
                  err) < 0)
        return -1;
    if (!has_prefix(line, llen, UNTRUSTED_PREFIX))
        return pledge_err_set(err, "signature does not start with "
                              "\"" UNTRUSTED_PREFIX "\"");
    if (next_line(text, len, &pos, &line, &llen, "signature line", err) < 0 ||
        decode_exact(line, llen, blob, sizeof blob, "signature line",
                     err) < 0)
        return -1;
    if (memcmp(blob, ALG_PREHASHED, 2) != 0)
        return pledge_err_set(err, "signature algorithm is not the "
                              "prehashed Ed25519 (\"ED\")");
    if (next_line(text, len, &pos, &line, &llen, "trusted comment", err) < 0)
        return -1;
    if (!has_prefix(line, llen, TRUSTED_PREFIX))
        return pledge_err_set(err, "signature's third line is not a "
                              "trusted comment");
    if (llen - plen > PLEDGE_MINISIG_TRUSTED_MAX)
        return pledge_err_set(err, "trusted comment is too long");
    for (i = plen; i < llen; i++)
        if (bad_char(line[i]))
            return pledge_err_set(err, "trusted comment holds a control "
                                  "character");
    memcpy(ms.trusted, line + plen, llen - plen);
    ms.trusted[llen - plen] = '\0';
    if (next_line(text, len, &pos, &line, &llen, "global signature",
                  err) < 0 ||
        decode_exact(line, llen, ms.global, sizeof ms.global,
                     "global signature", err) < 0)
        return -1;
    if (pos != len)
        return pledge_err_set(err, "%zu unexpected bytes after the "
                              "signature", len - pos);
    memcpy(ms.id, blob + 2, PLEDGE_KEY_ID_BYTES);
    memcpy(ms.sig, blob + 2 + PLEDGE_KEY_ID_BYTES, PLEDGE_KEY_SIG_BYTES);
    *out = ms;
    return 0;
}

int pledge_minisig_verify(const pledge_minisig *ms, const pledge_pubkey *pk,
                          const unsigned char hash[PLEDGE_MINISIG_HASH_BYTES],
                          pledge_err *err)
{
    unsigned char msg[PLEDGE_KEY_SIG_BYTES + PLEDGE_MINISIG_TRUSTED_MAX];
    size_t tlen = strlen(ms->trusted);
    char a[17], b[17];

    if (sodium_init() < 0)
        return pledge_err_set(err, "libsodium failed to initialise");
    if (memcmp(ms->id, pk->id, PLEDGE_KEY_ID_BYTES) != 0) {
        pledge_key_id_hex(ms->id, a);
        pledge_key_id_hex(pk->id, b);
        return pledge_err_set(err, "signed by key ID %s, not %s", a, b);
    }
    if (crypto_sign_verify_detached(ms->sig, hash, PLEDGE_MINISIG_HASH_BYTES,
                                    pk->pk) != 0)
        return pledge_err_set(err, "signature does not match the signed "
                              "bytes");
    memcpy(msg, ms->sig, PLEDGE_KEY_SIG_BYTES);
    memcpy(msg + PLEDGE_KEY_SIG_BYTES, ms->trusted, tlen);
    if (crypto_sign_verify_detached(ms->global, msg,
                                    PLEDGE_KEY_SIG_BYTES + tlen,
                                    pk->pk) != 0)
        return pledge_err_set(err, "trusted comment does not match its "
                              "signature");
    return 0;
}
