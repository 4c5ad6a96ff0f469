/* test_roster.c - reading conference rosters as CSV, row by row.
 *
 * The fixtures in tests/data/rosters/ are realistic rosters (the shell
 * tests of the batch command read them too); the other cases are written
 * to a scratch directory.  Expected fields are copied from the fixtures'
 * text; expected line numbers are counted from it and noted beside.
 */
#include <check.h>
#include <fcntl.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../../src/batch/roster.h"
#include "run_suite.h"

#ifndef PLEDGE_SRCDIR
#define PLEDGE_SRCDIR "."
#endif

#define FIXTURES PLEDGE_SRCDIR "/tests/data/rosters/"

/* Check's ck_assert_* report every passing check through a pipe; the
 * loops over thousands of damaged rosters check with this instead. */
#define require(cond) \
    do { \
        if (!(cond)) \
            ck_abort_msg("%s:%d: failed: %s", __FILE__, __LINE__, #cond); \
    } while (0)

static char dir[64];

/* The scratch directory is made and removed outside the forked tests, so
 * that it goes even when a test fails. */
static void make_dir(void)
{
    strcpy(dir, "/tmp/pledge-test-roster-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void remove_dir(void)
{
    char cmd[128];

    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    ck_assert_int_eq(system(cmd), 0);
}

static const char *in_dir(const char *name)
{
    static char bufs[4][128];
    static int i;

    i = (i + 1) % 4;
    snprintf(bufs[i], sizeof bufs[i], "%s/%s", dir, name);
    return bufs[i];
}

static void put(const char *path, const void *data, size_t len)
{
    FILE *fp = fopen(path, "wb");

    require(fp != NULL);
    require(fwrite(data, 1, len, fp) == len);
    require(fclose(fp) == 0);
}

/* A scratch file holding text; its path. */
static const char *file_of(const char *text)
{
    const char *path = in_dir("roster.csv");

    put(path, text, strlen(text));
    return path;
}

/* The whole of path in a malloc'd buffer. */
static char *slurp(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    char *buf;
    long n;

    require(fp != NULL);
    require(fseek(fp, 0, SEEK_END) == 0);
    n = ftell(fp);
    require(n >= 0);
    rewind(fp);
    buf = malloc((size_t)n + 1);
    require(buf != NULL);
    require(fread(buf, 1, (size_t)n, fp) == (size_t)n);
    fclose(fp);
    buf[n] = '\0';
    *len = (size_t)n;
    return buf;
}

/* ---- reading a whole roster ------------------------------------------ */

typedef struct {
    int ret;
    size_t row, line;
    char *field[PLEDGE_COL_COUNT];
    char msg[512];
} result;

typedef struct {
    int open_ret;
    char open_msg[512];
    char unknown[2048];
    result *res;
    size_t n, cap;
} reading;

/* Reads path to its end with every call's result; the calls stop at the
 * first 0 (which is not kept) or after max_calls. */
static void read_roster(const char *path, reading *rd, size_t max_calls)
{
    pledge_roster *r = NULL;
    pledge_roster_row row;
    pledge_err err;
    result *res;
    int got, c;

    memset(rd, 0, sizeof *rd);
    err.msg[0] = '\0';
    rd->open_ret = pledge_roster_open(&r, path, PLEDGE_COL_NAME, &err);
    snprintf(rd->open_msg, sizeof rd->open_msg, "%s", err.msg);
    if (rd->open_ret < 0) {
        require(r == NULL);
        return;
    }
    snprintf(rd->unknown, sizeof rd->unknown, "%s",
             pledge_roster_unknown(r));
    for (;;) {
        memset(&row, 0, sizeof row);
        err.msg[0] = '\0';
        got = pledge_roster_next(r, &row, &err);
        require(got >= -1 && got <= 1);
        if (got == 0)
            break;
        require(rd->n < max_calls);
        if (rd->n == rd->cap) {
            rd->cap = rd->cap * 2 + 16;
            res = realloc(rd->res, rd->cap * sizeof *res);
            require(res != NULL);
            rd->res = res;
        }
        res = rd->res;
        res += rd->n++;
        res->ret = got;
        res->row = row.row;
        res->line = row.line;
        for (c = 0; c < PLEDGE_COL_COUNT; c++) {
            require(row.field[c] != NULL);
            res->field[c] = strdup(row.field[c]);
            require(res->field[c] != NULL);
        }
        snprintf(res->msg, sizeof res->msg, "%s", got < 0 ? err.msg : "");
    }
    /* The end stays the end. */
    require(pledge_roster_next(r, &row, &err) == 0);
    pledge_roster_close(r);
}

static void free_reading(reading *rd)
{
    size_t i;
    int c;

    for (i = 0; i < rd->n; i++)
        for (c = 0; c < PLEDGE_COL_COUNT; c++)
            free(rd->res[i].field[c]);
    free(rd->res);
    memset(rd, 0, sizeof *rd);
}

/* What every reading must be: rows numbered 1, 2, 3 ... in order, lines
 * rising, bad rows with a message naming the file and line and no
 * fields. */
static void require_sane(const reading *rd, const char *shown)
{
    char head[256];
    size_t i;
    int c;

    for (i = 0; i < rd->n; i++) {
        const result *x = &rd->res[i];

        require(x->row == i + 1);
        require(x->line >= 2);
        require(i == 0 || x->line > rd->res[i - 1].line);
        if (x->ret < 0) {
            snprintf(head, sizeof head, "read %s line ", shown);
            require(strncmp(x->msg, head, strlen(head)) == 0);
            for (c = 0; c < PLEDGE_COL_COUNT; c++)
                require(x->field[c][0] == '\0');
        }
    }
}

static const char *name_of(const reading *rd, size_t row)
{
    require(row >= 1 && row <= rd->n);
    return rd->res[row - 1].field[PLEDGE_COL_NAME];
}

/* Opens text as a roster that must fail; the message. */
static const char *open_error(const char *text)
{
    static char msg[512];
    pledge_roster *r = (pledge_roster *)&msg;   /* must stay untouched */
    pledge_err err;

    require(pledge_roster_open(&r, file_of(text), PLEDGE_COL_NAME,
                               &err) == -1);
    require(r == (pledge_roster *)&msg);
    snprintf(msg, sizeof msg, "%s", err.msg);
    return msg;
}

/* The one data row of text (a header line, then the row). */
static void one_row(const char *text, const char *name, const char *cred)
{
    reading rd;

    read_roster(file_of(text), &rd, 10);
    ck_assert_msg(rd.open_ret == 0, "%s", rd.open_msg);
    ck_assert_uint_eq(rd.n, 1);
    ck_assert_msg(rd.res[0].ret == 1, "%s", rd.res[0].msg);
    ck_assert_str_eq(rd.res[0].field[PLEDGE_COL_NAME], name);
    ck_assert_str_eq(rd.res[0].field[PLEDGE_COL_CREDENTIALS], cred);
    free_reading(&rd);
}

/* A text built piece by piece. */
typedef struct {
    char *p;
    size_t len, cap;
} growing;

static void add(growing *t, const char *s, size_t n)
{
    if (t->len + n + 1 > t->cap) {
        t->cap = (t->len + n + 1) * 2;
        t->p = realloc(t->p, t->cap);
        require(t->p != NULL);
    }
    memcpy(t->p + t->len, s, n);
    t->len += n;
    t->p[t->len] = '\0';
}

static void add_str(growing *t, const char *s)
{
    add(t, s, strlen(s));
}

static void add_run(growing *t, char c, size_t n)
{
    char chunk[4096];

    memset(chunk, c, sizeof chunk);
    for (; n > sizeof chunk; n -= sizeof chunk)
        add(t, chunk, sizeof chunk);
    add(t, chunk, n);
}

/* ---- the fixtures ---------------------------------------------------- */

START_TEST(quoting_fixture)
{
    /* Line 5-6 is one row; the file ends without a newline. */
    static const size_t lines[] = { 2, 3, 4, 5, 7, 8, 9, 10, 11, 12, 13, 14,
                                    15 };
    reading rd;
    size_t i;

    read_roster(FIXTURES "quoting.csv", &rd, 100);
    ck_assert_msg(rd.open_ret == 0, "%s", rd.open_msg);
    ck_assert_str_eq(rd.unknown, "");
    ck_assert_uint_eq(rd.n, 13);
    require_sane(&rd, FIXTURES "quoting.csv");
    for (i = 0; i < rd.n; i++) {
        ck_assert_msg(rd.res[i].ret == 1, "%s", rd.res[i].msg);
        ck_assert_uint_eq(rd.res[i].line, lines[i]);
        ck_assert_str_eq(rd.res[i].field[PLEDGE_COL_DATE], "2026-05-14");
        ck_assert_str_eq(rd.res[i].field[PLEDGE_COL_LAYOUT], "");
    }
    ck_assert_str_eq(name_of(&rd, 1), "Nguy\xe1\xbb\x85n Th\xe1\xbb\x8b "
                     "Minh Khai");
    ck_assert_str_eq(rd.res[0].field[PLEDGE_COL_CREDENTIALS],
                     "IMH-E\xc2\xae, LCSW");
    ck_assert_str_eq(rd.res[0].field[PLEDGE_COL_ID], "VA-0412");
    ck_assert_str_eq(rd.res[0].field[PLEDGE_COL_EMAIL],
                     "khai.nguyen@example.org");
    ck_assert_str_eq(name_of(&rd, 2), "O'Brien, Siobh\xc3\xa1n");
    ck_assert_str_eq(name_of(&rd, 3), "Zo\xc3\xab \"Zo\" \xc3\x85ngstr"
                     "\xc3\xb6m");
    ck_assert_str_eq(name_of(&rd, 4), "Amara Okafor\n(n\xc3\xa9" "e Eze)");
    /* Dana's row leaves out the trailing email column. */
    ck_assert_str_eq(name_of(&rd, 5), "Dana Whitfield");
    ck_assert_str_eq(rd.res[4].field[PLEDGE_COL_EMAIL], "");
    ck_assert_str_eq(rd.res[5].field[PLEDGE_COL_EMAIL], "rosi@example.org");
    ck_assert_str_eq(rd.res[6].field[PLEDGE_COL_CREDENTIALS], "");
    ck_assert_str_eq(rd.res[11].field[PLEDGE_COL_CREDENTIALS],
                     "LCSW-C, \"IMH-E\" candidate");
    ck_assert_str_eq(name_of(&rd, 13), "Tr\xe1\xba\xa7n \xc4\x90\xe1\xbb"
                     "\xa9" "c Th\xe1\xba\xaf" "ng");
    ck_assert_str_eq(rd.res[12].field[PLEDGE_COL_EMAIL],
                     "thang.tran@example.vn");
    free_reading(&rd);
}
END_TEST

START_TEST(bom_crlf_fixture)
{
    /* Lines 4, 9, 10 and 17 are blank; 6-7 is one row. */
    static const size_t lines[] = { 2, 3, 5, 6, 8, 11, 12, 13, 14, 15, 16 };
    reading rd;
    size_t i;
    int c;

    read_roster(FIXTURES "bom-crlf.csv", &rd, 100);
    ck_assert_msg(rd.open_ret == 0, "%s", rd.open_msg);
    ck_assert_str_eq(rd.unknown, "Shirt Size");
    ck_assert_uint_eq(rd.n, 11);
    require_sane(&rd, FIXTURES "bom-crlf.csv");
    for (i = 0; i < rd.n; i++) {
        ck_assert_msg(rd.res[i].ret == 1, "%s", rd.res[i].msg);
        ck_assert_uint_eq(rd.res[i].line, lines[i]);
        for (c = 0; c < PLEDGE_COL_COUNT; c++)
            ck_assert_ptr_null(strchr(rd.res[i].field[c], '\r'));
        ck_assert_str_eq(rd.res[i].field[PLEDGE_COL_DATE], "2026-05-14");
    }
    /* "Full Name" and "Member ID" map; the BOM is not in the name. */
    ck_assert_str_eq(name_of(&rd, 1), "Nguy\xe1\xbb\x85n Th\xe1\xbb\x8b "
                     "Minh Khai");
    ck_assert_str_eq(rd.res[0].field[PLEDGE_COL_ID], "VA-0412");
    ck_assert_str_eq(name_of(&rd, 4), "Amara Okafor\n(n\xc3\xa9" "e Eze)");
    ck_assert_str_eq(rd.res[4].field[PLEDGE_COL_CREDENTIALS],
                     "LCSW, IMH-E\xc2\xae");
    ck_assert_str_eq(name_of(&rd, 9), "Lars \xc3\x98" "deg\xc3\xa5rd");
    ck_assert_str_eq(rd.res[8].field[PLEDGE_COL_CREDENTIALS], "");
    ck_assert_str_eq(rd.res[8].field[PLEDGE_COL_EMAIL], "lars@example.no");
    ck_assert_str_eq(name_of(&rd, 11), "Ho\xc3\xa0ng Th\xe1\xbb\x8b Thu "
                     "H\xc6\xb0\xc6\xa1ng");
    free_reading(&rd);
}
END_TEST

START_TEST(mixed_layouts_fixture)
{
    static const char *const layouts[] = {
        "vaimh-code", "alliance-code", "miaimh-code", "nysaimh-code",
        "vaimh-values", "", "alliance-code", "miaimh-code", "vaimh-code",
        "nysaimh-code", "",
    };
    reading rd;
    size_t i;

    read_roster(FIXTURES "mixed-layouts.csv", &rd, 100);
    ck_assert_msg(rd.open_ret == 0, "%s", rd.open_msg);
    ck_assert_str_eq(rd.unknown, "");
    ck_assert_uint_eq(rd.n, sizeof layouts / sizeof layouts[0]);
    require_sane(&rd, FIXTURES "mixed-layouts.csv");
    for (i = 0; i < rd.n; i++) {
        ck_assert_msg(rd.res[i].ret == 1, "%s", rd.res[i].msg);
        ck_assert_str_eq(rd.res[i].field[PLEDGE_COL_LAYOUT], layouts[i]);
        ck_assert_uint_eq(rd.res[i].line, i + 2);
    }
    /* member_id is the id column. */
    ck_assert_str_eq(rd.res[1].field[PLEDGE_COL_ID], "AL-0050");
    free_reading(&rd);
}
END_TEST

START_TEST(bad_fixture)
{
    static const int rets[] = { 1, 1, 1, -1, -1, -1, 1, 1, 1, 1, -1 };
    const char *path = FIXTURES "bad.csv";
    char want[512];
    reading rd;
    size_t i;

    read_roster(path, &rd, 100);
    ck_assert_msg(rd.open_ret == 0, "%s", rd.open_msg);
    ck_assert_uint_eq(rd.n, sizeof rets / sizeof rets[0]);
    require_sane(&rd, path);
    for (i = 0; i < rd.n; i++) {
        ck_assert_int_eq(rd.res[i].ret, rets[i]);
        ck_assert_uint_eq(rd.res[i].line, i + 2);
    }
    /* Empty, blank and misdated rows are for the batch to judge. */
    ck_assert_str_eq(name_of(&rd, 2), "");
    ck_assert_str_eq(rd.res[1].field[PLEDGE_COL_ID], "VA-0440");
    ck_assert_str_eq(rd.res[2].field[PLEDGE_COL_DATE], "2026-02-30");
    ck_assert_str_eq(rd.res[6].field[PLEDGE_COL_DATE], "14/05/2026");
    ck_assert_str_eq(name_of(&rd, 9), "   ");
    ck_assert_str_eq(name_of(&rd, 10), "Wiremu Te Rangi");
    snprintf(want, sizeof want, "read %s line 5: quote inside an unquoted "
             "field (a quoted field must start with its quote)", path);
    ck_assert_str_eq(rd.res[3].msg, want);
    snprintf(want, sizeof want, "read %s line 6: characters after a "
             "closing quote", path);
    ck_assert_str_eq(rd.res[4].msg, want);
    snprintf(want, sizeof want, "read %s line 7: row has 7 fields, the "
             "header has 5", path);
    ck_assert_str_eq(rd.res[5].msg, want);
    snprintf(want, sizeof want, "read %s line 12: quoted field not closed "
             "by the end of the file", path);
    ck_assert_str_eq(rd.res[10].msg, want);
    free_reading(&rd);
}
END_TEST

/* The same roster with LF or CRLF, with or without a BOM and a final line
 * end, reads the same. */
START_TEST(line_ends_and_bom_do_not_matter)
{
    reading ref, rd;
    char *text, *v;
    size_t len, i, k, variant;
    int c;

    text = slurp(FIXTURES "quoting.csv", &len);
    read_roster(FIXTURES "quoting.csv", &ref, 100);
    ck_assert_uint_eq(ref.n, 13);
    v = malloc(2 * len + 8);
    ck_assert_ptr_nonnull(v);
    for (variant = 0; variant < 8; variant++) {
        k = 0;
        if (variant & 1) {
            memcpy(v, "\xef\xbb\xbf", 3);
            k = 3;
        }
        for (i = 0; i < len; i++) {
            if ((variant & 2) && text[i] == '\n')
                v[k++] = '\r';
            v[k++] = text[i];
        }
        if (variant & 4) {
            if (variant & 2)
                v[k++] = '\r';
            v[k++] = '\n';
        }
        put(in_dir("variant.csv"), v, k);
        read_roster(in_dir("variant.csv"), &rd, 100);
        ck_assert_msg(rd.open_ret == 0, "%s", rd.open_msg);
        ck_assert_uint_eq(rd.n, ref.n);
        for (i = 0; i < rd.n; i++) {
            ck_assert_int_eq(rd.res[i].ret, 1);
            ck_assert_uint_eq(rd.res[i].line, ref.res[i].line);
            for (c = 0; c < PLEDGE_COL_COUNT; c++)
                ck_assert_str_eq(rd.res[i].field[c], ref.res[i].field[c]);
        }
        free_reading(&rd);
    }
    free(v);
    free(text);
    free_reading(&ref);
}
END_TEST

/* ---- RFC 4180, case by case ------------------------------------------ */

START_TEST(rfc4180_fields)
{
    one_row("name,credentials\nAnn,MSW\n", "Ann", "MSW");
    /* Quoted: commas, doubled quotes, line breaks. */
    one_row("name,credentials\n\"Lee, Ann\",MSW\n", "Lee, Ann", "MSW");
    one_row("name,credentials\n\"Ann \"\"Nan\"\" Lee\",MSW\n",
            "Ann \"Nan\" Lee", "MSW");
    one_row("name,credentials\n\"\"\"\",\"\"\"\"\"\"\n", "\"", "\"\"");
    one_row("name,credentials\n\"Ann\nLee\",MSW\n", "Ann\nLee", "MSW");
    one_row("name,credentials\r\n\"Ann\r\nLee\",MSW\r\n", "Ann\nLee", "MSW");
    one_row("name,credentials\n\"Ann\n\nLee\",\"\n\"\n", "Ann\n\nLee", "\n");
    /* A CR without LF inside quotes is data (the renderer judges it). */
    one_row("name,credentials\n\"Ann\rLee\",MSW\n", "Ann\rLee", "MSW");
    /* Empty fields, quoted or not. */
    one_row("name,credentials\n\"\",MSW\n", "", "MSW");
    one_row("name,credentials\n,MSW\n", "", "MSW");
    one_row("name,credentials\nAnn,\n", "Ann", "");
    one_row("name,credentials\nAnn,\"\"\n", "Ann", "");
    /* Spaces are data: only header names are trimmed. */
    one_row("name,credentials\n Ann , MSW \n", " Ann ", " MSW ");
    /* Fewer fields than the header. */
    one_row("name,credentials\nAnn\n", "Ann", "");
    /* The last record without a line end, in every state. */
    one_row("name,credentials\nAnn,MSW", "Ann", "MSW");
    one_row("name,credentials\nAnn,\"MSW\"", "Ann", "MSW");
    one_row("name,credentials\nAnn,", "Ann", "");
    one_row("name,credentials\n\"Ann\"", "Ann", "");
    one_row("name,credentials\r\nAnn,MSW\r", "Ann", "MSW");
    one_row("name,credentials\nAnn,\"\"", "Ann", "");
    /* Bytes that are not UTF-8 pass: the renderer checks names. */
    one_row("name,credentials\nA\xffnn,MSW\n", "A\xffnn", "MSW");
}
END_TEST

START_TEST(blank_lines_are_not_rows)
{
    reading rd;

    read_roster(file_of("\n\r\nname,id\n\nAnn,1\n\r\n\n\"Bob\",2\r\n\r\n\n"),
                &rd, 10);
    ck_assert_msg(rd.open_ret == 0, "%s", rd.open_msg);
    ck_assert_uint_eq(rd.n, 2);
    require_sane(&rd, in_dir("roster.csv"));
    ck_assert_str_eq(name_of(&rd, 1), "Ann");
    ck_assert_uint_eq(rd.res[0].line, 5);
    ck_assert_str_eq(name_of(&rd, 2), "Bob");
    ck_assert_uint_eq(rd.res[1].line, 8);
    free_reading(&rd);

    /* A line of commas, or of "", is a row with empty fields. */
    read_roster(file_of("name,id\n,\n\"\"\n"), &rd, 10);
    ck_assert_uint_eq(rd.n, 2);
    ck_assert_int_eq(rd.res[0].ret, 1);
    ck_assert_str_eq(name_of(&rd, 1), "");
    ck_assert_str_eq(name_of(&rd, 2), "");
    free_reading(&rd);

    /* A header alone: no rows. */
    read_roster(file_of("name,id\r\n\r\n"), &rd, 10);
    ck_assert_int_eq(rd.open_ret, 0);
    ck_assert_uint_eq(rd.n, 0);
    free_reading(&rd);
}
END_TEST

/* ---- the header ------------------------------------------------------ */

START_TEST(header_names_mapped)
{
    reading rd;

    read_roster(file_of("  NAME ,Credentials,\tMember_ID,E-mail,DATE,"
                        "Layout,shirt size,,Notes,sh\x01irt\n"
                        "Ann,MSW,7,a@b.org,2026-01-01,vaimh-code,M,x,y,z\n"),
                &rd, 10);
    ck_assert_msg(rd.open_ret == 0, "%s", rd.open_msg);
    /* "E-mail" is not an alias: the list stays small. */
    ck_assert_str_eq(rd.unknown, "E-mail, shirt size, (column 8), Notes, "
                     "sh?irt");
    ck_assert_uint_eq(rd.n, 1);
    ck_assert_str_eq(rd.res[0].field[PLEDGE_COL_NAME], "Ann");
    ck_assert_str_eq(rd.res[0].field[PLEDGE_COL_CREDENTIALS], "MSW");
    ck_assert_str_eq(rd.res[0].field[PLEDGE_COL_ID], "7");
    ck_assert_str_eq(rd.res[0].field[PLEDGE_COL_EMAIL], "");
    ck_assert_str_eq(rd.res[0].field[PLEDGE_COL_DATE], "2026-01-01");
    ck_assert_str_eq(rd.res[0].field[PLEDGE_COL_LAYOUT], "vaimh-code");
    free_reading(&rd);

    read_roster(file_of("email,Full Name,member id\nx@y.org,Ann Lee,12\n"),
                &rd, 10);
    ck_assert_msg(rd.open_ret == 0, "%s", rd.open_msg);
    ck_assert_str_eq(rd.unknown, "");
    ck_assert_str_eq(rd.res[0].field[PLEDGE_COL_NAME], "Ann Lee");
    ck_assert_str_eq(rd.res[0].field[PLEDGE_COL_ID], "12");
    ck_assert_str_eq(rd.res[0].field[PLEDGE_COL_EMAIL], "x@y.org");
    free_reading(&rd);

    /* Quoted header names, with a comma in an unknown one. */
    read_roster(file_of("\"name\",\"Shirt, size\"\nAnn,M\n"), &rd, 10);
    ck_assert_msg(rd.open_ret == 0, "%s", rd.open_msg);
    ck_assert_str_eq(rd.unknown, "Shirt, size");
    free_reading(&rd);
}
END_TEST

START_TEST(endorsement_roster)
{
    /* A roster of pledges to endorse needs a pledge column, not a name. */
    pledge_roster *r;
    pledge_roster_row row;
    pledge_err err;

    ck_assert_int_eq(pledge_roster_open(&r, file_of("Pledge,Member-ID,"
                                                    "until\n"
                                                    "in/jane.pdf,VA-0142,"
                                                    "2027-12-31\n"),
                                        PLEDGE_COL_PLEDGE, &err), 0);
    ck_assert_str_eq(pledge_roster_unknown(r), "");
    ck_assert_int_eq(pledge_roster_next(r, &row, &err), 1);
    ck_assert_str_eq(row.field[PLEDGE_COL_PLEDGE], "in/jane.pdf");
    ck_assert_str_eq(row.field[PLEDGE_COL_ID], "VA-0142");
    ck_assert_str_eq(row.field[PLEDGE_COL_UNTIL], "2027-12-31");
    ck_assert_str_eq(row.field[PLEDGE_COL_NAME], "");
    ck_assert_int_eq(pledge_roster_next(r, &row, &err), 0);
    pledge_roster_close(r);
    ck_assert_int_eq(pledge_roster_open(&r, file_of("name,id\nAnn,1\n"),
                                        PLEDGE_COL_PLEDGE, &err), -1);
    ck_assert_str_eq(strstr(err.msg, " line"), " line 1: no 'pledge' "
                     "column (columns: name, id)");
}
END_TEST

START_TEST(header_errors)
{
    char want[640], tail[64], *text;
    size_t i;

#define EXPECT(text, tail) \
    do { \
        snprintf(want, sizeof want, "read %s%s", in_dir("roster.csv"), \
                 tail); \
        ck_assert_str_eq(open_error(text), want); \
    } while (0)

    EXPECT("email,date\nx@y.org,2026-01-01\n",
           " line 1: no 'name' column (columns: email, date)");
    EXPECT("\n\r\n Email ,,\"\"\nAnn\n",
           " line 3: no 'name' column (columns: Email, (column 2), "
           "(column 3))");
    EXPECT("name,Full Name\n", " line 1: columns 1 and 2 are both 'name'");
    EXPECT("id,name,MEMBER_ID\n", " line 1: columns 1 and 3 are both 'id'");
    EXPECT("name,date,email,date\n",
           " line 1: columns 2 and 4 are both 'date'");
    EXPECT("", ": no header row");
    EXPECT("\xef\xbb\xbf", ": no header row");
    EXPECT("\n\r\n\n", ": no header row");
    EXPECT("\xef\xbb\xbf\r\n", ": no header row");
    /* (file_of() writes up to the first NUL: the BOM is what counts.) */
    EXPECT("\xff\xfen", ": the roster is UTF-16; save it as UTF-8 CSV");
    EXPECT("\xfe\xff", ": the roster is UTF-16; save it as UTF-8 CSV");
    EXPECT("na\"me,id\n", " line 1: quote inside an unquoted field (a quoted "
           "field must start with its quote)");
    EXPECT("\n\n\"name\nid\n", " line 3: quoted field not closed by the end "
           "of the file");
    EXPECT("name,id\r\r\n", " line 1: carriage return not followed by a "
           "line feed");

    /* PLEDGE_ROSTER_COLUMNS_MAX columns, and one more. */
    text = malloc(8 * (PLEDGE_ROSTER_COLUMNS_MAX + 1) + 16);
    ck_assert_ptr_nonnull(text);
    strcpy(text, "name");
    for (i = 1; i < PLEDGE_ROSTER_COLUMNS_MAX; i++)
        strcat(text, ",x");
    strcat(text, "\nAnn\n");
    {
        reading rd;

        read_roster(file_of(text), &rd, 10);
        ck_assert_msg(rd.open_ret == 0, "%s", rd.open_msg);
        ck_assert_uint_eq(rd.n, 1);
        free_reading(&rd);
    }
    text[strlen(text) - 5] = '\0';
    strcat(text, ",x\nAnn\n");
    snprintf(tail, sizeof tail, " line 1: more than %d columns",
             PLEDGE_ROSTER_COLUMNS_MAX);
    EXPECT(text, tail);
    free(text);

    /* A header of short lines can still be too long: 20 quoted names of
     * 60,000 bytes each, each under the field limit. */
    {
        growing t = { NULL, 0, 0 };
        const char *msg;
        size_t k;

        add_str(&t, "name");
        for (i = 0; i < 20; i++) {
            add_str(&t, ",\"");
            for (k = 0; k < 6000; k++)
                add_str(&t, "aaaaaaaaa\n");
            add_str(&t, "\"");
        }
        add_str(&t, "\nAnn\n");
        msg = open_error(t.p);
        free(t.p);
        snprintf(tail, sizeof tail, ": header row longer than %d bytes",
                 PLEDGE_ROSTER_LINE_MAX);
        ck_assert_ptr_nonnull(strstr(msg, tail));
    }
#undef EXPECT
}
END_TEST

START_TEST(files_that_cannot_be_read)
{
    pledge_roster *r = NULL;
    pledge_err err;
    char want[512];

    ck_assert_int_eq(pledge_roster_open(&r, in_dir("missing.csv"),
                                        PLEDGE_COL_NAME, &err), -1);
    ck_assert_ptr_null(r);
    snprintf(want, sizeof want, "read %s: No such file or directory",
             in_dir("missing.csv"));
    ck_assert_str_eq(err.msg, want);
    ck_assert_int_eq(pledge_roster_open(&r, dir, PLEDGE_COL_NAME, &err), -1);
    ck_assert_ptr_null(r);
    snprintf(want, sizeof want, "read %s: Is a directory", dir);
    ck_assert_str_eq(err.msg, want);
    pledge_roster_close(NULL);
}
END_TEST

/* ---- standard input -------------------------------------------------- */

START_TEST(stdin_from_a_file)
{
    reading rd;

    /* Each test runs in its own process: stdin is ours to replace. */
    ck_assert_ptr_nonnull(freopen(FIXTURES "bad.csv", "r", stdin));
    read_roster("-", &rd, 100);
    ck_assert_msg(rd.open_ret == 0, "%s", rd.open_msg);
    ck_assert_uint_eq(rd.n, 11);
    require_sane(&rd, "standard input");
    ck_assert_str_eq(rd.res[3].msg, "read standard input line 5: quote "
                     "inside an unquoted field (a quoted field must start "
                     "with its quote)");
    free_reading(&rd);
    /* Closing the roster left stdin open. */
    ck_assert_int_ne(fcntl(STDIN_FILENO, F_GETFD), -1);
    ck_assert_int_eq(fileno(stdin), STDIN_FILENO);

    ck_assert_ptr_nonnull(freopen(file_of("id\n"), "r", stdin));
    read_roster("-", &rd, 10);
    ck_assert_int_eq(rd.open_ret, -1);
    ck_assert_str_eq(rd.open_msg, "read standard input line 1: no 'name' "
                     "column (columns: id)");
}
END_TEST

/* A pipe, written a row at a time by another process: reads are short and
 * rows straddle them. */
START_TEST(stdin_from_a_pipe)
{
    enum { ROWS = 3000 };
    static const char header[] = "\xef\xbb\xbfname,email\r\n";
    char line[128], want[64];
    reading rd;
    int fd[2], status, i;
    pid_t pid;

    ck_assert_int_eq(pipe(fd), 0);
    pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        close(fd[0]);
        if (write(fd[1], header, sizeof header - 1) !=
            (ssize_t)sizeof header - 1)
            _exit(1);
        for (i = 1; i <= ROWS; i++) {
            int n = snprintf(line, sizeof line, "\"Attendee, %04d\",a%d@"
                             "example.org\r\n", i, i);

            if (write(fd[1], line, (size_t)n) != n)
                _exit(1);
        }
        _exit(0);
    }
    close(fd[1]);
    ck_assert_int_eq(dup2(fd[0], STDIN_FILENO), STDIN_FILENO);
    close(fd[0]);
    clearerr(stdin);
    read_roster("-", &rd, ROWS + 1);
    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    ck_assert_msg(rd.open_ret == 0, "%s", rd.open_msg);
    ck_assert_uint_eq(rd.n, ROWS);
    require_sane(&rd, "standard input");
    for (i = 1; i <= ROWS; i++) {
        snprintf(want, sizeof want, "Attendee, %04d", i);
        require(rd.res[i - 1].ret == 1);
        require(strcmp(name_of(&rd, (size_t)i), want) == 0);
        require(rd.res[i - 1].line == (size_t)i + 1);
    }
    free_reading(&rd);
}
END_TEST

/* ---- syntax errors --------------------------------------------------- */

START_TEST(each_syntax_error_and_going_on)
{
    static const char text[] =
        "name,credentials\n"            /* 1 */
        "Ann,MSW\n"                     /* 2  row 1 */
        "Bo\"b,RN\n"                    /* 3  row 2: bare quote */
        "\"Cy\" x,RN\n"                 /* 4  row 3: after closing quote */
        "Di\rx,RN\n"                    /* 5  row 4: lone CR */
        "Ed,RN,extra\n"                 /* 6  row 5: too many */
        "Fa\0y,RN\n"                    /* 7  row 6: NUL */
        "\"Gus\n"                       /* 8  row 7: too many, on line 9 */
        "Lee\",RN,x,y\n"                /* 9 */
        "Hal,RN\n"                      /* 10 row 8 */
        "\"Ida \"\"I\"\" \" ,RN\n"      /* 11 row 9: space after quote */
        "Jo,\"R\"N\"\n"                 /* 12 row 10: after closing quote */
        "Kim,RN\n"                      /* 13 row 11 */
        "\"Lou,RN\n"                    /* 14 row 12: never closed */
        "Max,RN\n";                     /* 15 (inside Lou's field) */
    static const struct {
        int ret;
        size_t line;
        const char *name, *msg;
    } want[] = {
        { 1, 2, "Ann", NULL },
        { -1, 3, NULL, " line 3: quote inside an unquoted field (a quoted "
          "field must start with its quote)" },
        { -1, 4, NULL, " line 4: characters after a closing quote" },
        { -1, 5, NULL, " line 5: carriage return not followed by a line "
          "feed" },
        { -1, 6, NULL, " line 6: row has 3 fields, the header has 2" },
        { -1, 7, NULL, " line 7: NUL byte" },
        { -1, 8, NULL, " line 9: row has 4 fields, the header has 2" },
        { 1, 10, "Hal", NULL },
        { -1, 11, NULL, " line 11: characters after a closing quote" },
        { -1, 12, NULL, " line 12: characters after a closing quote" },
        { 1, 13, "Kim", NULL },
        { -1, 14, NULL, " line 14: quoted field not closed by the end of "
          "the file" },
    };
    char msg[512];
    reading rd;
    size_t i;

    put(in_dir("roster.csv"), text, sizeof text - 1);
    read_roster(in_dir("roster.csv"), &rd, 100);
    ck_assert_msg(rd.open_ret == 0, "%s", rd.open_msg);
    ck_assert_uint_eq(rd.n, sizeof want / sizeof want[0]);
    require_sane(&rd, in_dir("roster.csv"));
    for (i = 0; i < rd.n; i++) {
        ck_assert_int_eq(rd.res[i].ret, want[i].ret);
        ck_assert_uint_eq(rd.res[i].line, want[i].line);
        if (want[i].ret == 1) {
            ck_assert_str_eq(name_of(&rd, i + 1), want[i].name);
            ck_assert_str_eq(rd.res[i].field[PLEDGE_COL_CREDENTIALS],
                             i == 0 ? "MSW" : "RN");
            continue;
        }
        snprintf(msg, sizeof msg, "read %s%s", in_dir("roster.csv"),
                 want[i].msg);
        ck_assert_str_eq(rd.res[i].msg, msg);
    }
    free_reading(&rd);
}
END_TEST

/* ---- limits ---------------------------------------------------------- */

START_TEST(field_limit)
{
    growing t = { NULL, 0, 0 };
    char msg[512];
    reading rd;
    size_t i, over_line;

    add_str(&t, "name,notes\n");
    add_run(&t, 'a', PLEDGE_ROSTER_FIELD_MAX);              /* 2: fits */
    add_str(&t, ",x\n");
    add_run(&t, 'b', PLEDGE_ROSTER_FIELD_MAX + 1);          /* 3: too long */
    add_str(&t, ",x\nAnn,");
    add_run(&t, 'c', PLEDGE_ROSTER_FIELD_MAX + 1);          /* 4: unknown */
    add_str(&t, "\n\"");                                    /* 5: quoted, */
    for (i = 0; i < PLEDGE_ROSTER_FIELD_MAX / 10 + 100; i++) /* in lines */
        add_str(&t, "aaaaaaaaa\n");
    add_str(&t, "\",x\nZed,x\n");
    put(in_dir("roster.csv"), t.p, t.len);
    free(t.p);

    read_roster(in_dir("roster.csv"), &rd, 10);
    ck_assert_msg(rd.open_ret == 0, "%s", rd.open_msg);
    ck_assert_uint_eq(rd.n, 5);
    require_sane(&rd, in_dir("roster.csv"));
    ck_assert_int_eq(rd.res[0].ret, 1);
    ck_assert_uint_eq(strlen(name_of(&rd, 1)), PLEDGE_ROSTER_FIELD_MAX);
    snprintf(msg, sizeof msg, "read %s line 3: field 1 longer than %d "
             "bytes", in_dir("roster.csv"), PLEDGE_ROSTER_FIELD_MAX);
    ck_assert_str_eq(rd.res[1].msg, msg);
    snprintf(msg, sizeof msg, "read %s line 4: field 2 longer than %d "
             "bytes", in_dir("roster.csv"), PLEDGE_ROSTER_FIELD_MAX);
    ck_assert_str_eq(rd.res[2].msg, msg);
    /* Each line of the quoted field adds 10 bytes, from line 5 on. */
    over_line = 5 + PLEDGE_ROSTER_FIELD_MAX / 10;
    snprintf(msg, sizeof msg, "read %s line %zu: field 1 longer than %d "
             "bytes", in_dir("roster.csv"), over_line,
             PLEDGE_ROSTER_FIELD_MAX);
    ck_assert_str_eq(rd.res[3].msg, msg);
    ck_assert_uint_eq(rd.res[3].line, 5);
    ck_assert_int_eq(rd.res[4].ret, 1);
    ck_assert_str_eq(name_of(&rd, 5), "Zed");
    free_reading(&rd);
}
END_TEST

/* A line of exactly n bytes (without its end): "N" and unknown fields. */
static void add_line_of(growing *t, size_t n)
{
    size_t left = n - 1, k;

    add_str(t, "N");
    while (left > 0) {
        k = left - 1 < 60000 ? left - 1 : 60000;
        add_str(t, ",");
        add_run(t, 'u', k);
        left -= k + 1;
    }
}

START_TEST(line_limit)
{
    growing t = { NULL, 0, 0 };
    char msg[512];
    reading rd;
    int i;

    add_str(&t, "name");
    for (i = 0; i < 40; i++)
        add_str(&t, ",u");
    add_str(&t, "\r\n");
    add_line_of(&t, PLEDGE_ROSTER_LINE_MAX);                /* 2: fits */
    add_str(&t, "\r\n");
    add_line_of(&t, PLEDGE_ROSTER_LINE_MAX + 1);            /* 3: too long */
    add_str(&t, "\r\nZed\r\n");                             /* 4 */
    put(in_dir("roster.csv"), t.p, t.len);
    free(t.p);

    read_roster(in_dir("roster.csv"), &rd, 10);
    ck_assert_msg(rd.open_ret == 0, "%s", rd.open_msg);
    ck_assert_uint_eq(rd.n, 3);
    require_sane(&rd, in_dir("roster.csv"));
    ck_assert_int_eq(rd.res[0].ret, 1);
    ck_assert_str_eq(name_of(&rd, 1), "N");
    snprintf(msg, sizeof msg, "read %s line 3: line longer than %d bytes",
             in_dir("roster.csv"), PLEDGE_ROSTER_LINE_MAX);
    ck_assert_str_eq(rd.res[1].msg, msg);
    ck_assert_int_eq(rd.res[2].ret, 1);
    ck_assert_str_eq(name_of(&rd, 3), "Zed");
    ck_assert_uint_eq(rd.res[2].line, 4);
    free_reading(&rd);
}
END_TEST

/* Memory does not grow with the roster: once the first rows are read, the
 * rest allocate nothing (under the sanitizers mallinfo2() says nothing,
 * and the test proves nothing there). */
START_TEST(memory_stays_flat)
{
    enum { ROWS = 5000 };
    pledge_roster *r;
    pledge_roster_row row;
    pledge_err err;
    size_t base = 0, peak = 0, n = 0, in_use;
    FILE *fp;
    int i;

    fp = fopen(in_dir("big.csv"), "w");
    ck_assert_ptr_nonnull(fp);
    fputs("name,credentials,id,date,email,shirt size\n", fp);
    for (i = 1; i <= ROWS; i++)
        fprintf(fp, "\"Attendee %05d\",MSW,VA-%05d,2026-05-14,"
                "a%05d@example.org,M\n", i, i, i);
    ck_assert_int_eq(fclose(fp), 0);

    ck_assert_int_eq(pledge_roster_open(&r, in_dir("big.csv"),
                                        PLEDGE_COL_NAME, &err), 0);
    while (pledge_roster_next(r, &row, &err) == 1) {
        n++;
        in_use = mallinfo2().uordblks;
        if (n == 10)
            base = peak = in_use;
        else if (n > 10 && in_use > peak)
            peak = in_use;
    }
    pledge_roster_close(r);
    ck_assert_uint_eq(n, ROWS);
    ck_assert_uint_eq(peak, base);
}
END_TEST

/* ---- robustness ------------------------------------------------------ */

/* Every prefix of every fixture reads without a crash or leak; each whole
 * row it yields is that row of the whole file. */
START_TEST(every_truncation_of_the_fixtures)
{
    static const char *const names[] = {
        "quoting.csv", "bom-crlf.csv", "mixed-layouts.csv", "bad.csv",
    };
    char path[512], *text;
    reading full, rd;
    size_t f, len, cut, i;
    int c;

    for (f = 0; f < sizeof names / sizeof names[0]; f++) {
        snprintf(path, sizeof path, FIXTURES "%s", names[f]);
        text = slurp(path, &len);
        read_roster(path, &full, 100);
        require(full.open_ret == 0);
        for (cut = 0; cut <= len; cut++) {
            put(in_dir("cut.csv"), text, cut);
            read_roster(in_dir("cut.csv"), &rd, 100);
            if (rd.open_ret < 0) {
                require(strncmp(rd.open_msg, "read ", 5) == 0);
                continue;
            }
            require_sane(&rd, in_dir("cut.csv"));
            require(rd.n <= full.n);
            require(cut < len || rd.n == full.n);
            /* All but the last row are whole. */
            for (i = 0; i + 1 < rd.n; i++) {
                require(rd.res[i].ret == full.res[i].ret);
                require(rd.res[i].line == full.res[i].line);
                for (c = 0; c < PLEDGE_COL_COUNT; c++)
                    require(strcmp(rd.res[i].field[c],
                                   full.res[i].field[c]) == 0);
            }
            free_reading(&rd);
        }
        free_reading(&full);
        free(text);
    }
}
END_TEST

/* Random rosters made of the bytes that matter to CSV. */
START_TEST(random_bytes)
{
    static const char alphabet[] = ",\"\n\r\0anme \xef\xbb\xbf\xff";
    unsigned long long x = 0x2545f4914f6cdd1dull;
    char buf[600];
    reading rd;
    size_t i, k, len, good = 0;

    for (i = 0; i < 3000; i++) {
        len = 0;
        if (i % 2 == 0) {
            memcpy(buf, "name,id\n", 8);
            len = 8;
        }
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        for (k = x % 400; k > 0; k--) {
            x ^= x << 13, x ^= x >> 7, x ^= x << 17;
            buf[len++] = alphabet[x % (sizeof alphabet - 1)];
        }
        put(in_dir("random.csv"), buf, len);
        read_roster(in_dir("random.csv"), &rd, len + 1);
        if (rd.open_ret == 0) {
            good++;
            require_sane(&rd, in_dir("random.csv"));
        } else {
            require(strncmp(rd.open_msg, "read ", 5) == 0);
        }
        free_reading(&rd);
    }
    /* The header opens most of those that have one. */
    ck_assert_uint_ge(good, 1000);
}
END_TEST

static Suite *roster_suite(void)
{
    Suite *s = suite_create("roster");
    TCase *tc;

    tc = tcase_create("fixtures");
    tcase_add_unchecked_fixture(tc, make_dir, remove_dir);
    tcase_add_test(tc, quoting_fixture);
    tcase_add_test(tc, endorsement_roster);
    tcase_add_test(tc, bom_crlf_fixture);
    tcase_add_test(tc, mixed_layouts_fixture);
    tcase_add_test(tc, bad_fixture);
    tcase_add_test(tc, line_ends_and_bom_do_not_matter);
    suite_add_tcase(s, tc);

    tc = tcase_create("csv");
    tcase_add_unchecked_fixture(tc, make_dir, remove_dir);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, rfc4180_fields);
    tcase_add_test(tc, blank_lines_are_not_rows);
    tcase_add_test(tc, header_names_mapped);
    tcase_add_test(tc, header_errors);
    tcase_add_test(tc, files_that_cannot_be_read);
    tcase_add_test(tc, stdin_from_a_file);
    tcase_add_test(tc, stdin_from_a_pipe);
    tcase_add_test(tc, each_syntax_error_and_going_on);
    suite_add_tcase(s, tc);

    tc = tcase_create("limits");
    tcase_add_unchecked_fixture(tc, make_dir, remove_dir);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, field_limit);
    tcase_add_test(tc, line_limit);
    tcase_add_test(tc, memory_stays_flat);
    tcase_add_test(tc, every_truncation_of_the_fixtures);
    tcase_add_test(tc, random_bytes);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return run_suite(roster_suite());
}
