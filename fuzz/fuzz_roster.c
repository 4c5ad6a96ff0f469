/* fuzz_roster.c - the roster CSV reader on any bytes, read to the end the
 * way `pledge batch` reads it: past bad rows, stopping at a read error.
 */
#include "fuzz.h"

#include "../src/batch/roster.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    pledge_roster *r = NULL;
    pledge_roster_row row;
    pledge_err err;
    size_t rows = 0, last_line = 0;
    char path[32];
    int fd, got, i;

    fd = fuzz_memfd(data, size, path);
    memset(&err, 0, sizeof err);
    /* Both kinds of roster: attendees (a name each) and pledges to
     * endorse (a pledge each), chosen by the input's length. */
    if (pledge_roster_open(&r, path, size % 2 ? PLEDGE_COL_PLEDGE :
                           PLEDGE_COL_NAME, &err) < 0) {
        fuzz_require(r == NULL);
        fuzz_require_msg(err);
        close(fd);
        return 0;
    }
    fuzz_require(pledge_roster_unknown(r) != NULL);
    for (;;) {
        memset(&row, 0, sizeof row);
        memset(&err, 0, sizeof err);
        got = pledge_roster_next(r, &row, &err);
        if (got == 0)
            break;
        if (got < 0) {
            fuzz_require_msg(err);
            if (row.row == 0)       /* a read error ends the input */
                break;
        }
        /* Rows are numbered in order and start on later lines; every
         * field is a string, "" when absent. */
        fuzz_require(row.row == rows + 1);
        fuzz_require(row.line > last_line);
        rows = row.row;
        last_line = row.line;
        for (i = 0; i < PLEDGE_COL_COUNT; i++) {
            fuzz_require(row.field[i] != NULL);
            fuzz_require(strlen(row.field[i]) <= PLEDGE_ROSTER_FIELD_MAX);
        }
        /* Each row is at least one byte of input. */
        fuzz_require(rows <= size);
    }
    pledge_roster_close(r);
    close(fd);
    return 0;
}
