/* render.c - one pledge from layout and person to PDF bytes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../pdf/pdfwrite.h"
#include "../typeset/typeset.h"
#include "../util/err.h"
#include "../util/utf8.h"
#include "engine.h"

/* Longest field values, in characters: generous for any real name, and a
 * bound on what a bad roster row can make the typesetter do. */
#define MAX_NAME 200
#define MAX_CREDENTIALS 200
#define MAX_MEMBER_ID 64

/* Checks a personal field: valid UTF-8, no control characters, not too
 * long, and (if required) not blank. */
static int check_field(const char *what, const char *s, size_t max,
                       int required, pledge_err *err)
{
    size_t i = 0, len, count = 0, blank = 1;
    uint32_t cp;

    if (s == NULL || *s == '\0') {
        if (required)
            return pledge_err_set(err, "%s is empty", what);
        return 0;
    }
    len = strlen(s);
    while (i < len) {
        if (pledge_utf8_next(s, len, &i, &cp) < 0)
            return pledge_err_set(err, "%s: invalid UTF-8 at byte %zu",
                                  what, i + 1);
        count++;
        if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0) || cp == 0x2028 ||
            cp == 0x2029)
            return pledge_err_set(err, "%s: control character U+%04X at "
                                  "character %zu", what, (unsigned)cp,
                                  count);
        if (cp != ' ')
            blank = 0;
    }
    if (blank && required)
        return pledge_err_set(err, "%s is blank", what);
    if (count > max)
        return pledge_err_set(err, "%s is too long: %zu characters "
                              "(at most %zu)", what, count, max);
    return 0;
}

static int days_in_month(int y, int m)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
                                 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 29;
    return days[m - 1];
}

static int check_date(const char *s, pledge_err *err)
{
    int y, m, d;
    size_t i;

    if (s == NULL || *s == '\0')
        return pledge_err_set(err, "date is empty");
    for (i = 0; s[i]; i++)
        if (i == 4 || i == 7 ? s[i] != '-' : (s[i] < '0' || s[i] > '9'))
            break;
    if (i != 10 || s[i] != '\0')
        return pledge_err_set(err, "date '%.40s' is not YYYY-MM-DD", s);
    y = atoi(s);
    m = atoi(s + 5);
    d = atoi(s + 8);
    if (y < 1900 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m))
        return pledge_err_set(err, "date '%s' does not exist", s);
    return 0;
}

int pledge_render_pdf(pledge_engine *eng, const pledge_layout *lay,
                      const pledge_person *person,
                      const pledge_render_opts *opts,
                      unsigned char **pdf, size_t *len, pledge_err *err)
{
    pledge_typo typo;
    pledge_geometry g;
    pledge_vlist body;
    pledge_pages pages;
    pledge_pdf_info info;
    char title[512], subject[512], keywords[256];
    int rc = -1;

    memset(&body, 0, sizeof body);
    memset(&pages, 0, sizeof pages);
    if (check_field("name", person->name, MAX_NAME, 1, err) < 0 ||
        check_field("credentials", person->credentials, MAX_CREDENTIALS, 0,
                    err) < 0 ||
        check_field("member ID", person->member_id, MAX_MEMBER_ID, 0,
                    err) < 0 ||
        check_date(person->date, err) < 0)
        return -1;
    if (pledge_engine_typo(eng, lay, &typo, err) < 0)
        return -1;
    pledge_typeset_geometry(&lay->meta, opts->paper, &g);
    if (pledge_typeset_body(&typo, lay, g.measure, &body, err) < 0 ||
        pledge_typeset_pledge(&typo, lay, &g, &body, person, &pages,
                              err) < 0)
        goto fail;
    snprintf(title, sizeof title, "%s \xe2\x80\x94 pledge of %s",
             lay->meta.title, person->name);
    snprintf(subject, sizeof subject, "%s, %s (%s)", lay->meta.association,
             lay->meta.title, lay->meta.revision);
    snprintf(keywords, sizeof keywords, "pledge; layout %s; %s",
             lay->meta.id, lay->meta.revision);
    memset(&info, 0, sizeof info);
    info.title = title;
    info.author = person->name;
    info.subject = subject;
    info.keywords = keywords;
    info.creator = "pledge " PLEDGE_VERSION;
    info.epoch = opts->epoch;
    if (pledge_pdf_write(&pages, typo.fonts, &info, pdf, len, err) < 0)
        goto fail;
    rc = 0;

fail:
    pledge_vlist_clear(&body);
    pledge_pages_clear(&pages);
    return rc;
}
