/* test_file.c - writing a file whole or not at all. */
#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../src/util/file.h"
#include "run_suite.h"

static char dir[64];

static void setup(void)
{
    snprintf(dir, sizeof dir, "/tmp/pledge-test-file.XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void teardown(void)
{
    char path[512];
    struct dirent *e;
    DIR *d = opendir(dir);

    while (d != NULL && (e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        unlink(path);
    }
    if (d != NULL)
        closedir(d);
    rmdir(dir);
}

/* The names in dir, no temporary left among them. */
static size_t entries(void)
{
    struct dirent *e;
    DIR *d = opendir(dir);
    size_t n = 0;

    ck_assert_ptr_nonnull(d);
    while ((e = readdir(d)) != NULL)
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
            n++;
    closedir(d);
    return n;
}

static void holds(const char *path, const char *want)
{
    char *got;
    size_t len;
    pledge_err err;

    ck_assert_msg(pledge_file_read(path, 1024, &got, &len, &err) == 0,
                  "%s", err.msg);
    ck_assert_str_eq(got, want);
    free(got);
}

/* A new file has its bytes and mode, an existing one is refused unless
 * replacing is asked for, and no temporary file is ever left behind. */
START_TEST(writes_whole_files)
{
    char path[128];
    struct stat st;
    pledge_err err;

    snprintf(path, sizeof path, "%s/a.txt", dir);
    ck_assert_int_eq(pledge_file_write(path, "first", 5, 0600, 0, &err), 0);
    holds(path, "first");
    ck_assert_int_eq(stat(path, &st), 0);
    ck_assert_uint_eq(st.st_mode & 0777, 0600);
    ck_assert_int_eq(pledge_file_write(path, "second", 6, 0644, 0, &err),
                     -1);
    ck_assert_msg(strstr(err.msg, "exists") != NULL, "%s", err.msg);
    holds(path, "first");
    ck_assert_int_eq(pledge_file_write(path, "third", 5, 0644,
                                       PLEDGE_FILE_FORCE |
                                       PLEDGE_FILE_NOSYNC, &err), 0);
    holds(path, "third");
    ck_assert_int_eq(stat(path, &st), 0);
    ck_assert_uint_eq(st.st_mode & 0777, 0644);
    snprintf(path, sizeof path, "%s/empty", dir);
    ck_assert_int_eq(pledge_file_write(path, "", 0, 0644, 0, &err), 0);
    holds(path, "");
    ck_assert_uint_eq(entries(), 2);
}
END_TEST

/* A relative path, in the current directory, too. */
START_TEST(writes_in_the_current_directory)
{
    char old[4096];
    pledge_err err;

    ck_assert_ptr_nonnull(getcwd(old, sizeof old));
    ck_assert_int_eq(chdir(dir), 0);
    ck_assert_int_eq(pledge_file_write("b.txt", "here", 4, 0644, 0, &err),
                     0);
    holds("b.txt", "here");
    ck_assert_int_eq(chdir(old), 0);
    ck_assert_uint_eq(entries(), 1);
}
END_TEST

/* A directory that is not there is an error, and makes nothing. */
START_TEST(missing_directory_fails)
{
    char path[128];
    pledge_err err;

    snprintf(path, sizeof path, "%s/no/such.txt", dir);
    ck_assert_int_eq(pledge_file_write(path, "x", 1, 0644, 0, &err), -1);
    ck_assert_uint_eq(entries(), 0);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("file");
    TCase *tc = tcase_create("file");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, writes_whole_files);
    tcase_add_test(tc, writes_in_the_current_directory);
    tcase_add_test(tc, missing_directory_fails);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
