/* roster.h - a conference roster, read as CSV one row at a time.
 *
 * The roster is CSV as RFC 4180 has it: fields separated by commas, a
 * field in double quotes may hold commas, line breaks and quotes (doubled,
 * ""), records end in CRLF or LF, the last one may lack it.  The text is
 * UTF-8, with or without a byte order mark.  Its first non-blank record is
 * a header naming the columns.  Fields are given as written, not trimmed;
 * inside a quoted field a CRLF is given as LF, so that a name reads the
 * same whatever line ends the file has.
 *
 * Rows are read one by one into buffers reused from row to row: memory
 * depends on the longest row, never on the number of rows.
 */
#ifndef PLEDGE_BATCH_ROSTER_H
#define PLEDGE_BATCH_ROSTER_H

#include <stddef.h>

#include "../pledge.h"

typedef enum {
    PLEDGE_COL_NAME,
    PLEDGE_COL_CREDENTIALS,
    PLEDGE_COL_ID,
    PLEDGE_COL_EMAIL,
    PLEDGE_COL_DATE,
    PLEDGE_COL_LAYOUT,
    PLEDGE_COL_PLEDGE,          /* an applicant-signed pledge to endorse */
    PLEDGE_COL_UNTIL,           /* the last day of its endorsement */
    PLEDGE_COL_COUNT
} pledge_col;

/* The limits past which a roster is refused, in bytes. */
#define PLEDGE_ROSTER_FIELD_MAX (64 * 1024)     /* one field, unescaped */
#define PLEDGE_ROSTER_LINE_MAX (1024 * 1024)    /* one line, without its end */
#define PLEDGE_ROSTER_COLUMNS_MAX 1000          /* columns in the header */

typedef struct {
    size_t row;         /* 1-based data row number (the header is row 0) */
    size_t line;        /* file line where the row starts (1-based) */
    const char *field[PLEDGE_COL_COUNT];    /* "" when the column is absent
                                               or empty; valid UTF-8 not
                                               guaranteed: the renderer
                                               checks */
} pledge_roster_row;

typedef struct pledge_roster pledge_roster;

/* Opens path ("-" = standard input, which is left open on close) and reads
 * the header.  Header names are matched case-insensitively after trimming
 * spaces and tabs; "member_id", "member id" and "member-id" also map to
 * id, "full name" to name.  A header without the required column (name
 * for pledges to make, pledge for pledges to endorse) is an error ("read R
 * line 1: no 'name' column (columns: a, b, c)"); so is a known column
 * given twice,
 * a header of more than PLEDGE_ROSTER_COLUMNS_MAX columns, UTF-16 text,
 * and an empty file (or only a BOM, or only blank lines): "no header row".
 * Unknown columns are listed by pledge_roster_unknown().  Messages name
 * the file as given, or "standard input" for "-".  On error returns -1 and
 * leaves *out untouched.
 * The caller frees *out with pledge_roster_close(). */
int pledge_roster_open(pledge_roster **out, const char *path,
                       pledge_col required, pledge_err *err);

/* Comma-separated unknown column names ("" if none), for one warning.
 * Control characters in them are shown as '?'; a column without a name
 * is shown as "(column N)".  The string belongs to r. */
const char *pledge_roster_unknown(const pledge_roster *r);

/* Reads the next data row.  Returns 1 with *row filled (the pointers stay
 * valid until the next call on r), 0 at the end of the input, -1 on error.
 *
 * A syntax error is reported as "read R line N: ..." with N the line where
 * it was found: a quote inside an unquoted field, characters after a
 * closing quote, a carriage return not followed by a line feed, a row with
 * more fields than the header, a field longer than PLEDGE_ROSTER_FIELD_MAX,
 * a line longer than PLEDGE_ROSTER_LINE_MAX, a NUL byte; and a quoted field
 * still open at the end of the file, with N the line of its opening quote.
 * Then row->row and row->line are set as for a good row (every field
 * "") so that a caller can name the bad row, and the reader has consumed
 * the whole bad record (to the first line end outside quotes): the next
 * call goes on with the next row.  A read error ("read R: ...") leaves
 * *row untouched, so a caller that zeroed it tells the two apart by
 * row->row, and ends the input: the next call returns 0.
 *
 * A row with fewer fields than the header is accepted with the missing
 * ones "", so trailing empty columns may be omitted.  Blank lines (no
 * bytes, or only a CR) are skipped and are not rows; row numbers count
 * the other records, bad ones included, in order. */
int pledge_roster_next(pledge_roster *r, pledge_roster_row *row,
                       pledge_err *err);

/* Closes the file (unless it is standard input) and frees r.  NULL is
 * allowed. */
void pledge_roster_close(pledge_roster *r);

#endif
