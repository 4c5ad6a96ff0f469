/* test_manifest.c - reading a batch manifest back for `verify DIR`: every
 * listed file found, lookups costing a logarithm rather than a scan, and
 * a manifest, or any file read by path, that is a FIFO refused instead of
 * blocking; standard input still read through its descriptor. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../src/batch/manifest.h"
#include "../../src/util/file.h"
#include "run_suite.h"

static char dir[64];

static void setup(void)
{
    strcpy(dir, "/tmp/pledge-test-manifest-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void teardown(void)
{
    char cmd[128];

    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    ck_assert_int_eq(system(cmd), 0);
}

static const char *manifest_path(void)
{
    static char path[128];

    snprintf(path, sizeof path, "%s/manifest.jsonl", dir);
    return path;
}

/* A manifest of n pledges, written in reverse name order, with a failed
 * row (no file) after every tenth. */
static void write_manifest(size_t n)
{
    FILE *fp = fopen(manifest_path(), "w");
    size_t i;

    ck_assert_ptr_nonnull(fp);
    for (i = n; i-- > 0;) {
        fprintf(fp, "{\"row\":%zu,\"file\":\"%06zu-jane.pdf\",\"sha256\":"
                "\"%064zx\",\"name\":\"Jane\"}\n", i + 1, i, i);
        if (i % 10 == 0)
            fprintf(fp, "{\"row\":%zu,\"file\":\"\",\"sha256\":\"\","
                    "\"error\":\"bad date\"}\n", n + i);
    }
    fclose(fp);
}

START_TEST(every_listed_file_found_in_log_time)
{
    size_t n = 10000, i, bound = 0;
    pledge_manifest m;
    pledge_manifest_entry *e;
    pledge_err err;
    char name[128], want[80];

    write_manifest(n);
    ck_assert_msg(pledge_manifest_read(dir, &m, &err) == 0, "%s", err.msg);
    ck_assert_uint_eq(m.n, n);
    for (i = 0; i < n; i++) {
        snprintf(name, sizeof name, "%s/%06zu-jane.pdf", dir, i);
        e = pledge_manifest_find(&m, name);
        ck_assert_ptr_nonnull(e);
        snprintf(want, sizeof want, "%064zx", i);
        ck_assert_str_eq(e->sha256, want);
    }
    ck_assert_ptr_null(pledge_manifest_find(&m, "other.pdf"));
    ck_assert_ptr_null(pledge_manifest_find(&m, "zzz.pdf"));
    /* log2(10000) < 14: a linear lookup would compare ~n/2 names each. */
    while ((1u << bound) <= n)
        bound++;
    ck_assert_uint_le(m.probes, (n + 2) * (bound + 1));
    pledge_manifest_free(&m);
}
END_TEST

START_TEST(no_manifest_is_empty)
{
    pledge_manifest m;
    pledge_err err;

    ck_assert_int_eq(pledge_manifest_read(dir, &m, &err), 0);
    ck_assert_uint_eq(m.n, 0);
    ck_assert_ptr_null(pledge_manifest_find(&m, "a.pdf"));
    pledge_manifest_free(&m);
}
END_TEST

START_TEST(bad_line_named)
{
    pledge_manifest m;
    pledge_err err;
    char want[256];
    FILE *fp;

    write_manifest(3);
    fp = fopen(manifest_path(), "a");
    ck_assert_ptr_nonnull(fp);
    fputs("not json\n", fp);
    fclose(fp);
    ck_assert_int_eq(pledge_manifest_read(dir, &m, &err), -1);
    snprintf(want, sizeof want, "read %s line 5: not a batch manifest "
             "line", manifest_path());
    ck_assert_str_eq(err.msg, want);
    ck_assert_uint_eq(m.n, 0);
}
END_TEST

START_TEST(fifo_refused)
{
    pledge_manifest m;
    pledge_err err;

    ck_assert_int_eq(mkfifo(manifest_path(), 0600), 0);
    /* Would block forever in fopen() if it were opened as a file. */
    alarm(10);
    ck_assert_int_eq(pledge_manifest_read(dir, &m, &err), -1);
    alarm(0);
    ck_assert_msg(strstr(err.msg, "not a regular file but a FIFO") != NULL,
                  "%s", err.msg);
}
END_TEST

START_TEST(read_by_path_refuses_fifo)
{
    char path[128], *data = NULL;
    size_t len;
    pledge_err err;
    int fds[2];

    snprintf(path, sizeof path, "%s/x.pdf", dir);
    ck_assert_int_eq(mkfifo(path, 0600), 0);
    alarm(10);
    ck_assert_int_eq(pledge_file_read(path, 1 << 20, &data, &len, &err), -1);
    alarm(0);
    ck_assert_str_eq(err.msg, "not a regular file but a FIFO: a file pledge "
                     "reads must be one");
    ck_assert_ptr_null(data);
    /* A pipe named explicitly (standard input) is read by descriptor. */
    ck_assert_int_eq(pipe(fds), 0);
    ck_assert_int_eq(write(fds[1], "%PDF-", 5), 5);
    close(fds[1]);
    ck_assert_int_eq(pledge_file_read_fd(fds[0], 1 << 20, &data, &len, &err),
                     0);
    close(fds[0]);
    ck_assert_uint_eq(len, 5);
    ck_assert_str_eq(data, "%PDF-");
    free(data);
}
END_TEST

static Suite *manifest_suite(void)
{
    Suite *s = suite_create("manifest");
    TCase *tc = tcase_create("core");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, every_listed_file_found_in_log_time);
    tcase_add_test(tc, no_manifest_is_empty);
    tcase_add_test(tc, bad_line_named);
    tcase_add_test(tc, fifo_refused);
    tcase_add_test(tc, read_by_path_refuses_fifo);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return run_suite(manifest_suite());
}
