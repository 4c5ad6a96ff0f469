/* inputs.c - the /PledgeInputs record (see inputs.h). */
#include "inputs.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/err.h"
#include "../util/utf8.h"

#define MAGIC1 "pledge-inputs:1"
#define MAGIC2 "pledge-inputs:2"

/* The fields both versions hold, in order, and where pledge_inputs keeps
 * each; then those version 2 adds before its engine lines. */
static const struct {
    const char *key;
    size_t off, cap;
} fields[] = {
#define F(k, m) { k, offsetof(pledge_inputs, m), \
                  sizeof(((pledge_inputs *)0)->m) }
    F("layout", layout), F("paper", paper), F("epoch", epoch),
    F("name", name), F("credentials", credentials),
    F("member-id", member_id), F("date", date),
    F("layout-sha256", layout_sha256), F("text", text)
#undef F
};
#define NV1 7
#define NV2 (sizeof fields / sizeof *fields)

/* The keys the engine lines may carry, each on as many lines as it
 * likes, in pledge_engine_fingerprint()'s order. */
static const char *const env_keys[] = {"engine", "font", "hyphen", "lib"};
#define NENV (sizeof env_keys / sizeof *env_keys)

/* The record as UTF-8 text, NUL-terminated, in in->version's form.
 * The caller frees it. */
static char *record_text(const pledge_inputs *in)
{
    int v1 = in->version == 1;
    size_t len = sizeof MAGIC2 + strlen(in->env) + 1, i, n,
           nf = v1 ? NV1 : NV2;
    char *s;

    for (i = 0; i < nf; i++)
        len += strlen(fields[i].key) + strlen((const char *)in +
                                              fields[i].off) + 2;
    if ((s = malloc(len)) == NULL)
        return NULL;
    n = (size_t)snprintf(s, len, "%s\n", v1 ? MAGIC1 : MAGIC2);
    for (i = 0; i < nf; i++)
        n += (size_t)snprintf(s + n, len - n, "%s:%s\n", fields[i].key,
                              (const char *)in + fields[i].off);
    if (!v1)
        snprintf(s + n, len - n, "%s", in->env);
    return s;
}

/* Version 2 as it is stored: ASCII, so that it is a PDFDocEncoded text
 * string a quarter of the size of hex UTF-16, with a backslash written
 * "\\" and every other character "\uXXXX" (a UTF-16 unit in lowercase
 * hex; a character beyond the BMP as its surrogate pair).  NULL when out
 * of memory or text is not UTF-8. */
static char *escaped(const char *text)
{
    size_t tlen = strlen(text), i = 0, n = 0;
    char *e = malloc(12 * tlen + 1);
    uint32_t cp;

    if (e == NULL)
        return NULL;
    while (i < tlen) {
        if (pledge_utf8_next(text, tlen, &i, &cp) < 0) {
            free(e);
            return NULL;
        }
        if (cp == '\\') {
            n += (size_t)sprintf(e + n, "\\\\");
        } else if (cp < 0x80) {
            e[n++] = (char)cp;
        } else if (cp < 0x10000) {
            n += (size_t)sprintf(e + n, "\\u%04x", (unsigned)cp);
        } else {
            cp -= 0x10000;
            n += (size_t)sprintf(e + n, "\\u%04x\\u%04x",
                                 (unsigned)(0xd800 | (cp >> 10)),
                                 (unsigned)(0xdc00 | (cp & 0x3ff)));
        }
    }
    e[n] = '\0';
    return e;
}

int pledge_inputs_encode(const pledge_inputs *in, unsigned char **out,
                         size_t *len, pledge_err *err)
{
    char *text = record_text(in), *e;

    if (text == NULL)
        return pledge_err_set(err, "record the inputs: out of memory");
    if (in->version == 1) {             /* version 1: the UTF-8 bytes */
        *out = (unsigned char *)text;
        *len = strlen(text);
        return 0;
    }
    e = escaped(text);
    free(text);
    if (e == NULL)
        return pledge_err_set(err, "record the inputs: out of memory or "
                              "invalid UTF-8");
    *out = (unsigned char *)e;
    *len = strlen(e);
    return 0;
}

/* The escaped ASCII form of version 2 (see escaped) to UTF-8,
 * NUL-terminated, or NULL when p[0..n) is not exactly what escaped()
 * writes: only ASCII, no "\u" for a character it writes as itself, no
 * unpaired surrogate, no NUL. */
/* The "uXXXX" at p[0..n) (four lowercase hex digits), or -1. */
static long unit_at(const unsigned char *p, size_t n)
{
    long v = 0;
    size_t i;

    if (n < 5 || p[0] != 'u')
        return -1;
    for (i = 1; i < 5; i++) {
        if (p[i] >= '0' && p[i] <= '9')
            v = v * 16 + (p[i] - '0');
        else if (p[i] >= 'a' && p[i] <= 'f')
            v = v * 16 + (p[i] - 'a' + 10);
        else
            return -1;
    }
    return v;
}

static char *unescaped(const unsigned char *p, size_t n)
{
    char *s = malloc(n + 1);
    size_t i, k = 0;
    long cp, lo;

    if (s == NULL)
        return NULL;
    for (i = 0; i < n; i++) {
        if (p[i] == 0 || p[i] >= 0x80)
            goto bad;
        if (p[i] != '\\') {
            s[k++] = (char)p[i];
            continue;
        }
        if (i + 1 < n && p[i + 1] == '\\') {
            s[k++] = '\\';
            i++;
            continue;
        }
        if ((cp = unit_at(p + i + 1, n - i - 1)) < 0)
            goto bad;
        i += 5;
        if (cp >= 0xd800 && cp < 0xdc00) {
            if (i + 1 >= n || p[i + 1] != '\\' ||
                (lo = unit_at(p + i + 2, n - i - 2)) < 0xdc00 ||
                lo > 0xdfff)
                goto bad;
            cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
            i += 6;
        } else if (cp < 0x80 || (cp >= 0xdc00 && cp <= 0xdfff)) {
            goto bad;
        }
        k += pledge_utf8_encode((uint32_t)cp, s + k);
    }
    s[k] = '\0';
    return s;

bad:
    free(s);
    return NULL;
}

/* UTF-16BE (after the byte order mark) to UTF-8, NUL-terminated, or
 * NULL for an odd length, an unpaired surrogate or a NUL. */
static char *from_utf16be(const unsigned char *p, size_t n)
{
    char *s;
    size_t i, k = 0;
    uint32_t cp, lo;

    if (n % 2 != 0 || (s = malloc(n / 2 * 3 + 1)) == NULL)
        return NULL;
    for (i = 0; i < n; i += 2) {
        cp = (uint32_t)p[i] << 8 | p[i + 1];
        if (cp >= 0xd800 && cp < 0xdc00 && i + 3 < n) {
            lo = (uint32_t)p[i + 2] << 8 | p[i + 3];
            if (lo < 0xdc00 || lo > 0xdfff)
                goto bad;
            cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
            i += 2;
        } else if (cp == 0 || (cp >= 0xd800 && cp <= 0xdfff)) {
            goto bad;
        }
        k += pledge_utf8_encode(cp, s + k);
    }
    s[k] = '\0';
    return s;

bad:
    free(s);
    return NULL;
}

/* The value of line "key:value" at *pos in s, into out (cap bytes);
 * advances *pos past the line.  -1 when the line is not key's. */
static int take(const char *s, size_t *pos, const char *key, char *out,
                size_t cap)
{
    size_t klen = strlen(key), vlen;
    const char *line = s + *pos, *nl = strchr(line, '\n');

    if (nl == NULL || strncmp(line, key, klen) != 0 || line[klen] != ':')
        return -1;
    vlen = (size_t)(nl - line) - klen - 1;
    if (vlen >= cap)
        return -1;
    memcpy(out, line + klen + 1, vlen);
    out[vlen] = '\0';
    *pos = (size_t)(nl - s) + 1;
    return 0;
}

/* The engine lines of a version 2 record: each a known key, in order. */
static int take_env(const char *s, size_t pos, pledge_inputs *in)
{
    size_t k = 0, klen, len = strlen(s + pos);
    const char *line;

    if (len >= sizeof in->env || (len > 0 && s[pos + len - 1] != '\n'))
        return -1;
    for (line = s + pos; *line != '\0'; line = strchr(line, '\n') + 1) {
        while (k < NENV && (klen = strlen(env_keys[k]),
                         strncmp(line, env_keys[k], klen) != 0 ||
                         line[klen] != ':'))
            k++;
        if (k == NENV)
            return -1;
    }
    memcpy(in->env, s + pos, len + 1);
    return strncmp(in->env, "engine:", 7) == 0 ? 0 : -1;
}

int pledge_inputs_decode(const unsigned char *p, size_t n, pledge_inputs *in)
{
    size_t pos = sizeof MAGIC1, i, nf;
    char *s;
    int rc = -1;

    memset(in, 0, sizeof *in);
    if (n >= 2 && p[0] == 0xfe && p[1] == 0xff) {
        s = from_utf16be(p + 2, n - 2);
        in->version = 2;
    } else if (n > sizeof MAGIC2 &&
               memcmp(p, MAGIC2 "\n", sizeof MAGIC2) == 0) {
        s = unescaped(p, n);            /* version 2, escaped ASCII */
        in->version = 2;
    } else if ((s = malloc(n + 1)) != NULL) {
        memcpy(s, p, n);
        s[n] = '\0';
        in->version = 1;
    }
    if (s == NULL || strlen(s) != (in->version == 1 ? n : strlen(s)))
        goto done;
    if (strncmp(s, in->version == 1 ? MAGIC1 "\n" : MAGIC2 "\n", pos) != 0)
        goto done;
    nf = in->version == 1 ? NV1 : NV2;
    for (i = 0; i < nf; i++)
        if (take(s, &pos, fields[i].key, (char *)in + fields[i].off,
                 fields[i].cap) < 0)
            goto done;
    rc = in->version == 1 ? (s[pos] == '\0' ? 0 : -1) : take_env(s, pos, in);

done:
    free(s);
    if (rc < 0)
        memset(in, 0, sizeof *in);
    return rc;
}

int pledge_inputs_read(pledge_pdf *pdf, pledge_inputs *in, pledge_err *err)
{
    const pledge_pdf_obj *info, *rec;

    info = pledge_pdf_dict_get(pledge_pdf_trailer(pdf), "Info");
    if (info == NULL)
        return 0;
    if (pledge_pdf_resolve(pdf, info, &info, err) < 0)
        return pledge_err_prefix(err, "read the document info");
    rec = pledge_pdf_dict_get(info, "PledgeInputs");
    if (rec == NULL)
        return 0;
    if ((rec->type != PLEDGE_PDF_HEX && rec->type != PLEDGE_PDF_STRING) ||
        pledge_inputs_decode(rec->u.s.p, rec->u.s.len, in) < 0)
        return pledge_err_set(err, "the pledge's /PledgeInputs record is "
                              "damaged");
    return 1;
}
