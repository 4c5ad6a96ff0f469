/* pledge.h - the public API of libpledge.
 *
 * libpledge typesets an association's Code of Ethics (a layout file: YAML
 * front matter + CommonMark) into a personal pledge PDF.  The library never
 * prints and never exits: every call that can fail returns 0 on success and
 * -1 on failure with a one-line message in a pledge_err.
 *
 * Typical use:
 *
 *     pledge_engine *eng;  pledge_layout *lay;  pledge_err err;
 *     pledge_engine_open(&eng, "/usr/share/pledge", &err);
 *     pledge_layout_load(&lay, "layouts/vaimh-code.md", &err);
 *     pledge_render_pdf(eng, lay, &person, &opts, &pdf, &len, &err);
 */
#ifndef PLEDGE_H
#define PLEDGE_H

#include <stddef.h>

#define PLEDGE_VERSION "0.1.0"

typedef struct {
    char msg[512];
} pledge_err;

/* Fonts, hyphenation patterns and everything a render shares: open once,
 * render many. */
typedef struct pledge_engine pledge_engine;

/* A parsed layout: front matter plus the document model of its body. */
typedef struct pledge_layout pledge_layout;

typedef enum {
    PLEDGE_PAPER_DEFAULT = 0,   /* the layout's own page size */
    PLEDGE_PAPER_LETTER,
    PLEDGE_PAPER_A4
} pledge_paper;

/* The personal fields of one pledge.  All strings are UTF-8; NULL or "" for
 * an absent optional field.  date is YYYY-MM-DD. */
typedef struct {
    const char *name;           /* required */
    const char *credentials;
    const char *member_id;
    const char *date;           /* required */
} pledge_person;

typedef struct {
    pledge_paper paper;
    long long epoch;            /* document timestamp (Unix seconds, UTC) */
} pledge_render_opts;

/* Opens the engine over a data directory holding fonts/ and the hyphenation
 * patterns it names.  On error returns -1 and leaves *out untouched.
 * The caller frees *out with pledge_engine_close(). */
int pledge_engine_open(pledge_engine **out, const char *datadir,
                       pledge_err *err);
void pledge_engine_close(pledge_engine *eng);

/* Reads and checks a layout file.  Every error names the file and line.
 * On error returns -1 and leaves *out untouched.
 * The caller frees *out with pledge_layout_free(). */
int pledge_layout_load(pledge_layout **out, const char *path, pledge_err *err);
void pledge_layout_free(pledge_layout *lay);

/* Read-only facts about a loaded layout.  The returned strings belong to
 * the layout and live as long as it does. */
const char *pledge_layout_id(const pledge_layout *lay);
const char *pledge_layout_association(const pledge_layout *lay);
const char *pledge_layout_short_name(const pledge_layout *lay);
const char *pledge_layout_title(const pledge_layout *lay);
const char *pledge_layout_revision(const pledge_layout *lay);

/* Typesets one pledge and writes it as a PDF into a malloc'd buffer.
 * On error returns -1 and leaves *pdf and *len untouched.
 * The caller frees *pdf with free(). */
int pledge_render_pdf(pledge_engine *eng, const pledge_layout *lay,
                      const pledge_person *person,
                      const pledge_render_opts *opts,
                      unsigned char **pdf, size_t *len, pledge_err *err);

#endif
