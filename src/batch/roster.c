/* roster.c - a conference roster, read as CSV one row at a time (see
 * roster.h). */
#include "roster.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../util/err.h"
#include "../util/grow.h"

#define IO_BYTES (64 * 1024)
#define NONE SIZE_MAX           /* no field stored for this column */

/* Why the record being read is bad: most reasons are known when they are
 * found, but "too many fields" is worded only at the record's end, once
 * the fields are counted. */
enum { GOOD, BAD, BAD_EXTRA };

/* Where the scanner is within a field. */
enum { F_START, F_PLAIN, F_QUOTED, F_QUOTE };

struct pledge_roster {
    FILE *fp;
    int is_stdin;
    char *name;                 /* the file as messages name it */

    unsigned char io[IO_BYTES];
    size_t io_pos, io_len;
    int eof;                    /* nothing more to read */
    int io_errno;               /* the read error, 0 if none */
    int io_told;                /* the read error has been reported */
    size_t line;                /* line of the next byte */
    size_t line_len;            /* bytes on it so far */

    size_t ncols;               /* header columns */
    signed char *map;           /* column -> pledge_col, or -1 */
    char *unknown;
    size_t rows;                /* data rows so far */

    /* The record being read.  Header fields are all kept, at hoff[i];
     * data fields only when their column is known, at pos[col]. */
    int header;
    char *buf;
    size_t len, cap;
    size_t *hoff, hoff_cap;
    size_t pos[PLEDGE_COL_COUNT];
    size_t nfields;             /* fields ended so far */
    size_t flen;                /* bytes in the current field */
    int bad;
    size_t bad_line;
    char bad_msg[256];
};

static const struct {
    const char *name;
    pledge_col col;
} column_names[] = {
    { "name", PLEDGE_COL_NAME },
    { "full name", PLEDGE_COL_NAME },
    { "credentials", PLEDGE_COL_CREDENTIALS },
    { "id", PLEDGE_COL_ID },
    { "member_id", PLEDGE_COL_ID },
    { "member id", PLEDGE_COL_ID },
    { "member-id", PLEDGE_COL_ID },
    { "email", PLEDGE_COL_EMAIL },
    { "date", PLEDGE_COL_DATE },
    { "layout", PLEDGE_COL_LAYOUT },
    { "pledge", PLEDGE_COL_PLEDGE },
    { "until", PLEDGE_COL_UNTIL },
};

/* Each column's own name, for messages. */
static const char *const column_label[PLEDGE_COL_COUNT] = {
    "name", "credentials", "id", "email", "date", "layout", "pledge",
    "until"
};

/* Records why the current record is bad; only the first reason counts,
 * since what follows an error is often its echo. */
static void fail(pledge_roster *r, int kind, size_t line, const char *fmt,
                 ...) __attribute__((format(printf, 4, 5)));

static void fail(pledge_roster *r, int kind, size_t line, const char *fmt,
                 ...)
{
    va_list ap;

    if (r->bad != GOOD)
        return;
    r->bad = kind;
    r->bad_line = line;
    va_start(ap, fmt);
    vsnprintf(r->bad_msg, sizeof r->bad_msg, fmt, ap);
    va_end(ap);
}

static void fill(pledge_roster *r)
{
    size_t n;

    if (r->eof)
        return;
    errno = 0;
    n = fread(r->io, 1, sizeof r->io, r->fp);
    if (n == 0) {
        if (ferror(r->fp))
            r->io_errno = errno != 0 ? errno : EIO;
        r->eof = 1;
    }
    r->io_pos = 0;
    r->io_len = n;
}

/* The next byte without consuming it, or -1 at the end of the input. */
static int peek_byte(pledge_roster *r)
{
    if (r->io_pos == r->io_len)
        fill(r);
    return r->io_pos < r->io_len ? r->io[r->io_pos] : -1;
}

/* The next byte, or -1 at the end of the input; counts lines. */
static int next_byte(pledge_roster *r)
{
    int c = peek_byte(r);

    if (c < 0)
        return -1;
    r->io_pos++;
    /* A CR is not counted: in a CRLF file it is part of the line end. */
    if (c == '\n') {
        r->line++;
        r->line_len = 0;
    } else if (c != '\r' && ++r->line_len == PLEDGE_ROSTER_LINE_MAX + 1) {
        fail(r, BAD, r->line, "line longer than %d bytes",
             PLEDGE_ROSTER_LINE_MAX);
    }
    return c;
}

static void add_byte(pledge_roster *r, int c)
{
    char *nbuf;

    if (r->bad != GOOD)
        return;                 /* the record is lost: keep nothing */
    if (++r->flen > PLEDGE_ROSTER_FIELD_MAX) {
        fail(r, BAD, r->line, "field %zu longer than %d bytes",
             r->nfields + 1, PLEDGE_ROSTER_FIELD_MAX);
        return;
    }
    if (r->header) {
        if (r->len >= PLEDGE_ROSTER_LINE_MAX) {
            fail(r, BAD, r->line, "header row longer than %d bytes",
                 PLEDGE_ROSTER_LINE_MAX);
            return;
        }
    } else if (r->nfields >= r->ncols || r->map[r->nfields] < 0) {
        return;                 /* an unknown or extra column */
    }
    /* One more byte and the NUL that ends the field. */
    nbuf = pledge_grow(r->buf, &r->cap, r->len + 2, 1);
    if (nbuf == NULL) {
        fail(r, BAD, r->line, "out of memory");
        return;
    }
    r->buf = nbuf;
    r->buf[r->len++] = (char)c;
}

/* Ends the current field: from here on r->nfields counts it. */
static void end_field(pledge_roster *r, size_t start)
{
    size_t *nhoff, i = r->nfields;

    r->nfields++;
    r->flen = 0;
    if (r->bad != GOOD)
        return;
    if (r->header) {
        nhoff = pledge_grow(r->hoff, &r->hoff_cap, i + 1, sizeof *r->hoff);
        if (nhoff == NULL) {
            fail(r, BAD, r->line, "out of memory");
            return;
        }
        r->hoff = nhoff;
    } else if (i >= r->ncols || r->map[i] < 0) {
        return;
    }
    /* add_byte() left room for the NUL; an empty field may have none. */
    if (r->len == start) {
        char *nbuf = pledge_grow(r->buf, &r->cap, r->len + 1, 1);

        if (nbuf == NULL) {
            fail(r, BAD, r->line, "out of memory");
            return;
        }
        r->buf = nbuf;
    }
    r->buf[r->len++] = '\0';
    if (r->header)
        r->hoff[i] = start;
    else
        r->pos[r->map[i]] = start;
}

/* A comma: the field that follows must have a column. */
static void next_field(pledge_roster *r)
{
    if (r->header && r->nfields == PLEDGE_ROSTER_COLUMNS_MAX)
        fail(r, BAD, r->line, "more than %d columns",
             PLEDGE_ROSTER_COLUMNS_MAX);
    else if (!r->header && r->nfields == r->ncols)
        fail(r, BAD_EXTRA, r->line, "too many fields");
}

/* Reads one record, to the first line end outside quotes.  Returns 1 with
 * the record in r (r->bad set when it is broken), or 0 at the end of the
 * input; *start is the line the record starts on, *content the bytes it
 * has apart from its line end. */
static int scan_record(pledge_roster *r, size_t *start, size_t *content)
{
    size_t quote_line = 0, fstart = 0;
    int state = F_START, c, p;

    r->len = 0;
    r->nfields = 0;
    r->flen = 0;
    r->bad = GOOD;
    for (c = 0; c < PLEDGE_COL_COUNT; c++)
        r->pos[c] = NONE;
    *start = r->line;
    *content = 0;
    if (peek_byte(r) < 0)
        return 0;
    for (;;) {
        c = next_byte(r);
        if (c < 0) {
            if (state == F_QUOTED) {
                r->bad = GOOD;  /* the likelier cause of what came before */
                fail(r, BAD, quote_line, "quoted field not closed by the "
                     "end of the file");
            }
            end_field(r, fstart);
            return 1;
        }
        if (c == '\n' && state != F_QUOTED) {
            end_field(r, fstart);
            return 1;
        }
        if (c == '\r' && state != F_QUOTED) {
            p = peek_byte(r);
            if (p == '\n' || p < 0) {
                next_byte(r);
                end_field(r, fstart);
                return 1;
            }
            fail(r, BAD, r->line, "carriage return not followed by a line "
                 "feed");
        }
        ++*content;
        if (c == '\0') {
            fail(r, BAD, r->line, "NUL byte");
            continue;
        }
        switch (state) {
        case F_START:
            if (c == '"') {
                state = F_QUOTED;
                quote_line = r->line;
                break;
            }
            state = F_PLAIN;
            /* FALLTHROUGH */
        case F_PLAIN:
            if (c == ',') {
                end_field(r, fstart);
                next_field(r);
                fstart = r->len;
                state = F_START;
                break;
            }
            if (c == '"')
                fail(r, BAD, r->line, "quote inside an unquoted field "
                     "(a quoted field must start with its quote)");
            add_byte(r, c);
            break;
        case F_QUOTED:
            if (c == '"')
                state = F_QUOTE;
            else if (c != '\r' || peek_byte(r) != '\n')
                add_byte(r, c);
            break;
        case F_QUOTE:
            if (c == '"') {
                add_byte(r, c);
                state = F_QUOTED;
            } else if (c == ',') {
                end_field(r, fstart);
                next_field(r);
                fstart = r->len;
                state = F_START;
            } else {
                fail(r, BAD, r->line, "characters after a closing quote");
                state = F_PLAIN;
            }
            break;
        }
    }
}

/* Reads the next record that is not a blank line.  Returns 1, 0 at the
 * end of the input, or -1 on a read error with err set. */
static int read_record(pledge_roster *r, size_t *start, pledge_err *err)
{
    size_t content;
    int got;

    do {
        got = scan_record(r, start, &content);
    } while (got == 1 && content == 0 && r->bad == GOOD);
    if (r->io_errno != 0 && !r->io_told) {
        r->io_told = 1;
        return pledge_err_set(err, "read %s: %s", r->name,
                              strerror(r->io_errno));
    }
    return got;
}

static int bad_record(const pledge_roster *r, pledge_err *err)
{
    if (r->bad == BAD_EXTRA)
        return pledge_err_set(err, "read %s line %zu: row has %zu fields, "
                              "the header has %zu", r->name, r->bad_line,
                              r->nfields, r->ncols);
    return pledge_err_set(err, "read %s line %zu: %s", r->name, r->bad_line,
                          r->bad_msg);
}

/* The header name s trimmed into out (cap bytes), control characters as
 * '?', for messages and for matching. */
static void clean_name(const char *s, char *out, size_t cap)
{
    size_t n = strlen(s), i, k = 0;

    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    for (i = 0; i < n && (s[i] == ' ' || s[i] == '\t'); i++)
        ;
    for (; i < n && k + 1 < cap; i++) {
        unsigned char c = (unsigned char)s[i];

        out[k++] = c < 0x20 || c == 0x7f ? '?' : (char)c;
    }
    out[k] = '\0';
}

static int lookup_column(const char *name)
{
    size_t i;

    for (i = 0; i < sizeof column_names / sizeof column_names[0]; i++)
        if (strcasecmp(name, column_names[i].name) == 0)
            return (int)column_names[i].col;
    return -1;
}

/* Appends ", " (unless at the start) and s to the malloc'd list *list. */
static int append_name(char **list, size_t *len, const char *s)
{
    size_t n = strlen(s);
    char *p = realloc(*list, *len + n + 3);

    if (p == NULL)
        return -1;
    if (*len > 0) {
        memcpy(p + *len, ", ", 2);
        *len += 2;
    }
    memcpy(p + *len, s, n + 1);
    *len += n;
    *list = p;
    return 0;
}

/* Maps the header just read onto the known columns. */
static int read_header(pledge_roster *r, size_t line, pledge_col required,
                       pledge_err *err)
{
    size_t i, ulen = 0, alen = 0, first[PLEDGE_COL_COUNT];
    char clean[128], label[160], *all = NULL;
    int col;

    r->ncols = r->nfields;
    r->map = malloc(r->ncols);
    r->unknown = calloc(1, 1);
    if (r->map == NULL || r->unknown == NULL)
        goto nomem;
    for (i = 0; i < PLEDGE_COL_COUNT; i++)
        first[i] = NONE;
    for (i = 0; i < r->ncols; i++) {
        clean_name(r->buf + r->hoff[i], clean, sizeof clean);
        if (clean[0] == '\0')
            snprintf(label, sizeof label, "(column %zu)", i + 1);
        else
            snprintf(label, sizeof label, "%s", clean);
        if (append_name(&all, &alen, label) < 0)
            goto nomem;
        col = lookup_column(clean);
        r->map[i] = (signed char)col;
        if (col < 0) {
            if (append_name(&r->unknown, &ulen, label) < 0)
                goto nomem;
            continue;
        }
        if (first[col] != NONE) {
            pledge_err_set(err, "read %s line %zu: columns %zu and %zu are "
                           "both '%s'", r->name, line, first[col] + 1,
                           i + 1, column_label[col]);
            goto fail;
        }
        first[col] = i;
    }
    if (first[required] == NONE) {
        pledge_err_set(err, "read %s line %zu: no '%s' column (columns: "
                       "%s)", r->name, line, column_label[required], all);
        goto fail;
    }
    free(all);
    return 0;
nomem:
    pledge_err_set(err, "read %s: out of memory", r->name);
fail:
    free(all);
    return -1;
}

int pledge_roster_open(pledge_roster **out, const char *path,
                       pledge_col required, pledge_err *err)
{
    pledge_roster *r;
    size_t line;
    int got;

    r = calloc(1, sizeof *r);
    if (r == NULL)
        return pledge_err_set(err, "read %s: out of memory", path);
    r->is_stdin = strcmp(path, "-") == 0;
    r->name = strdup(r->is_stdin ? "standard input" : path);
    if (r->name == NULL) {
        free(r);
        return pledge_err_set(err, "read %s: out of memory", path);
    }
    r->line = 1;
    if (r->is_stdin) {
        r->fp = stdin;
    } else if ((r->fp = fopen(path, "r")) == NULL) {
        pledge_err_set(err, "read %s: %s", r->name, strerror(errno));
        goto fail;
    }
    fill(r);
    if (r->io_len >= 2 && ((r->io[0] == 0xff && r->io[1] == 0xfe) ||
                           (r->io[0] == 0xfe && r->io[1] == 0xff))) {
        pledge_err_set(err, "read %s: the roster is UTF-16; save it as "
                       "UTF-8 CSV", r->name);
        goto fail;
    }
    if (r->io_len >= 3 && memcmp(r->io, "\xef\xbb\xbf", 3) == 0)
        r->io_pos = 3;
    r->header = 1;
    got = read_record(r, &line, err);
    r->header = 0;
    if (got < 0)
        goto fail;
    if (got == 0) {
        pledge_err_set(err, "read %s: no header row", r->name);
        goto fail;
    }
    if (r->bad != GOOD) {
        bad_record(r, err);
        goto fail;
    }
    if (read_header(r, line, required, err) < 0)
        goto fail;
    *out = r;
    return 0;
fail:
    pledge_roster_close(r);
    return -1;
}

const char *pledge_roster_unknown(const pledge_roster *r)
{
    return r->unknown;
}

int pledge_roster_next(pledge_roster *r, pledge_roster_row *row,
                       pledge_err *err)
{
    size_t line;
    int got, c;

    got = read_record(r, &line, err);
    if (got <= 0)
        return got;
    row->row = ++r->rows;
    row->line = line;
    for (c = 0; c < PLEDGE_COL_COUNT; c++)
        row->field[c] = r->bad != GOOD || r->pos[c] == NONE ? ""
                        : r->buf + r->pos[c];
    if (r->bad != GOOD)
        return bad_record(r, err);
    return 1;
}

void pledge_roster_close(pledge_roster *r)
{
    if (r == NULL)
        return;
    if (r->fp != NULL && !r->is_stdin)
        fclose(r->fp);
    free(r->name);
    free(r->map);
    free(r->unknown);
    free(r->buf);
    free(r->hoff);
    free(r);
}
