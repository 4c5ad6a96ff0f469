/* claim.c - the trusted comment of a pledge signature (see claim.h). */
#include "claim.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "../util/err.h"
#include "../util/text.h"

#define MAGIC "pledge-signature:1"

#define EMAGIC "pledge-endorsement:1"

/* One field after the magic, and where its struct keeps it. */
typedef struct {
    const char *name;
    size_t off, cap;
} field;

/* The claim's fields, in order. */
static const field cfields[] = {
#define F(n) { #n, offsetof(pledge_claim, n), sizeof(((pledge_claim *)0)->n) }
    F(signer), F(key), F(time), F(association), F(layout), F(revision),
    F(applicant), F(text)
#undef F
};
#define NFIELDS (sizeof cfields / sizeof *cfields)

/* The endorsement's fields, in order. */
static const field efields[] = {
#define F(s, n) { s, offsetof(pledge_endorsement, n), \
                  sizeof(((pledge_endorsement *)0)->n) }
    F("signer", signer), F("key", key), F("time", time),
    F("association", association), F("applicant", applicant),
    F("member-id", member_id), F("applicant-key", applicant_key),
    F("signed", signed_hash), F("until", until)
#undef F
};
#define NEFIELDS (sizeof efields / sizeof *efields)

int pledge_claim_time(long long t, char out[21])
{
    struct tm tm;
    time_t tt = (time_t)t;

    if (t < 0 || t > 253402300799LL || (long long)tt != t ||
        gmtime_r(&tt, &tm) == NULL)
        return -1;
    strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return 0;
}

/* Formats the nf fields of the struct at c after magic. */
static int format_fields(const char *magic, const field *fields, size_t nf,
                         const void *c, char *out, size_t cap,
                         pledge_err *err)
{
    size_t i, k, n;

    n = (size_t)snprintf(out, cap, "%s", magic);
    for (i = 0; i < nf && n < cap; i++) {
        const char *v = (const char *)c + fields[i].off;

        for (k = 0; v[k]; k++)
            if ((unsigned char)v[k] < 0x20 || v[k] == 0x7f)
                return pledge_err_set(err, "signature %s holds a control "
                                      "character", fields[i].name);
        n += (size_t)snprintf(out + n, cap - n, "\t%s:%s", fields[i].name,
                              v);
    }
    if (n >= cap)
        return pledge_err_set(err, "signature claim is too long (at most "
                              "%zu bytes)", cap - 1);
    return 0;
}

int pledge_claim_format(const pledge_claim *c, char *out, size_t cap,
                        pledge_err *err)
{
    return format_fields(MAGIC, cfields, NFIELDS, c, out, cap, err);
}

int pledge_endorsement_format(const pledge_endorsement *e, char *out,
                              size_t cap, pledge_err *err)
{
    return format_fields(EMAGIC, efields, NEFIELDS, e, out, cap, err);
}

/* Parses trusted into the nf fields of the struct at out (size bytes,
 * zeroed here); what names the kind of claim for errors. */
static int parse_fields(const char *magic, const field *fields, size_t nf,
                        const char *kind, const char *trusted, void *out,
                        size_t size, pledge_err *err)
{
    const char *p = trusted;
    size_t i, k, mlen = strlen(magic);
    char what[64];

    memset(out, 0, size);
    if (strncmp(p, magic, mlen) != 0 || (p[mlen] != '\t' && p[mlen] != '\0'))
        return pledge_err_set(err, "trusted comment is not a %s", kind);
    p += mlen;
    for (i = 0; i < nf; i++) {
        size_t nlen = strlen(fields[i].name), vlen;

        if (*p != '\t' || strncmp(p + 1, fields[i].name, nlen) != 0 ||
            p[1 + nlen] != ':')
            return pledge_err_set(err, "trusted comment lacks the field "
                                  "\"%s\"", fields[i].name);
        p += nlen + 2;
        vlen = strcspn(p, "\t");
        for (k = 0; k < vlen; k++)
            if ((unsigned char)p[k] < 0x20 || p[k] == 0x7f)
                return pledge_err_set(err, "trusted comment field \"%s\" "
                                      "holds a control character",
                                      fields[i].name);
        if (vlen >= fields[i].cap)
            return pledge_err_set(err, "trusted comment field \"%s\" is too "
                                  "long", fields[i].name);
        memcpy((char *)out + fields[i].off, p, vlen);
        /* What verify shows must read as the signed bytes: no bidi
         * override, zero-width or invalid UTF-8 may reorder or hide it;
         * the applicant obeys the rules render applies to names. */
        snprintf(what, sizeof what, "trusted comment field \"%s\"",
                 fields[i].name);
        if ((strcmp(fields[i].name, "applicant") == 0 ?
             pledge_text_check : pledge_text_check_chars)(
                what, (char *)out + fields[i].off, err) < 0)
            return -1;
        p += vlen;
    }
    if (*p != '\0')
        return pledge_err_set(err, "trusted comment has more fields than a "
                              "%s", kind);
    return 0;
}

int pledge_claim_parse(const char *trusted, pledge_claim *c, pledge_err *err)
{
    pledge_claim out;

    if (parse_fields(MAGIC, cfields, NFIELDS, "pledge signature claim",
                     trusted, &out, sizeof out, err) < 0)
        return -1;
    *c = out;
    return 0;
}

int pledge_endorsement_parse(const char *trusted, pledge_endorsement *e,
                             pledge_err *err)
{
    pledge_endorsement out;

    if (parse_fields(EMAGIC, efields, NEFIELDS, "pledge endorsement",
                     trusted, &out, sizeof out, err) < 0)
        return -1;
    *e = out;
    return 0;
}
