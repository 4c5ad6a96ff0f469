/* test_web.c - the verify site pledge web writes: the keyring as the
 * page reads it (every key's record, retirement and the revocation
 * lists), and the rules for the directory it writes into.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "../../src/sign/key.h"
#include "../../src/util/file.h"
#include "run_suite.h"

static char dir[64];
static pledge_seckey *sk;
static pledge_pubkey pk;
static pledge_keyring *kr;
static pledge_revocations *list;

static void put(const char *name, const char *text)
{
    char path[640];
    FILE *f;

    snprintf(path, sizeof path, "%s/%s", dir, name);
    f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    ck_assert_int_eq(fclose(f), 0);
}

static int exists(const char *name)
{
    char path[640];

    snprintf(path, sizeof path, "%s/%s", dir, name);
    return access(path, F_OK) == 0;
}

static void setup(void)
{
    pledge_err err;
    char path[512], id[17], rec[512];

    ck_assert_int_ge(sodium_init(), 0);
    strcpy(dir, "/tmp/pledge-test-web-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/keys", dir);
    ck_assert_int_eq(mkdir(path, 0700), 0);
    snprintf(path, sizeof path, "%s/page", dir);
    ck_assert_int_eq(mkdir(path, 0700), 0);
    put("page/index.html", "<!doctype html>\n");
    put("page/verify.js", "// page\n");
    put("page/decode.js", "// decoder\n");
    put("page/style.css", "body{}\n");
    put("page/sw.js", "// sw\n");
    ck_assert_int_eq(pledge_key_generate(&sk, &pk, &err), 0);
    snprintf(path, sizeof path, "%s/keys/assoc.pub", dir);
    ck_assert_int_eq(pledge_key_write_public(path, &pk, NULL, 0, &err), 0);
    pledge_key_id_hex(pk.id, id);
    snprintf(rec, sizeof rec, "key: %s\nname: The \"Test\" Association\n"
             "role: association\nassociation: Test Association\n"
             "layouts: vaimh-code  vaimh-values\nretired: 2026-06-01\n", id);
    put("keys/assoc.role", rec);
    ck_assert_int_eq(pledge_keyring_new(&kr, &err), 0);
    snprintf(path, sizeof path, "%s/keys", dir);
    ck_assert_int_eq(pledge_keyring_add_dir(kr, path, &err), 0);
    ck_assert_uint_eq(pledge_keyring_count(kr), 1);
    snprintf(path, sizeof path, "%s/keys/assoc.revoked", dir);
    ck_assert_int_eq(pledge_revocations_add(sk, path, "member-id", "VA-9",
                                            "2026-12-01", "left", &err), 0);
    ck_assert_int_eq(pledge_revocations_add(sk, path, "key-id", id,
                                            "2026-12-02", "lost", &err), 0);
    ck_assert_msg(pledge_revocations_read(kr, path, &list, &err) == 0, "%s",
                  err.msg);
}

static void teardown(void)
{
    char cmd[128];

    pledge_revocations_free(list);
    pledge_keyring_free(kr);
    pledge_seckey_free(sk);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    ck_assert_int_eq(system(cmd), 0);
}

START_TEST(keyring_json)
{
    pledge_err err;
    char *json, want[256], id[17];
    size_t len, i;

    ck_assert_int_eq(pledge_web_keyring_json(kr, &list, 1, &json, &len,
                                             &err), 0);
    ck_assert_uint_eq(strlen(json), len);
    pledge_key_id_hex(pk.id, id);
    snprintf(want, sizeof want, "\"id\":\"%s\",\"public_key\":\"", id);
    for (i = 0; i < 32; i++)
        sprintf(want + strlen(want), "%02x", pk.pk[i]);
    ck_assert_ptr_nonnull(strstr(json, want));
    ck_assert_ptr_nonnull(strstr(json, "\"name\":\"The \\\"Test\\\" "
                                 "Association\",\"file\":\"assoc.pub\""));
    ck_assert_ptr_nonnull(strstr(json, "\"role\":\"association\""));
    ck_assert_ptr_nonnull(strstr(json, "\"layouts\":[\"vaimh-code\","
                                 "\"vaimh-values\"]"));
    ck_assert_ptr_nonnull(strstr(json, "\"retired\":\"2026-06-01\""));
    snprintf(want, sizeof want, "{\"key\":\"%s\",\"sequence\":2,", id);
    ck_assert_ptr_nonnull(strstr(json, want));
    ck_assert_ptr_nonnull(strstr(json, "{\"kind\":\"member-id\",\"value\":"
                                 "\"VA-9\",\"date\":\"2026-12-01\","
                                 "\"reason\":\"left\"}"));
    snprintf(want, sizeof want, "{\"kind\":\"key-id\",\"value\":\"%s\"", id);
    ck_assert_ptr_nonnull(strstr(json, want));
    free(json);
}
END_TEST

START_TEST(writes_a_new_site_and_rewrites_its_own)
{
    static const char *const files[] = {
        "site/index.html", "site/verify.js", "site/decode.js",
        "site/style.css", "site/sw.js",
        "site/keyring.js", "site/" PLEDGE_WEB_MARKER
    };
    char page[512], site[512], *text;
    pledge_err err;
    size_t i, len;

    snprintf(page, sizeof page, "%s/page", dir);
    snprintf(site, sizeof site, "%s/site", dir);
    ck_assert_msg(pledge_web_write(kr, &list, 1, page, site, &err) == 0,
                  "%s", err.msg);
    for (i = 0; i < sizeof files / sizeof *files; i++)
        ck_assert_msg(exists(files[i]), "%s missing", files[i]);
    snprintf(page, sizeof page, "%s/site/keyring.js", dir);
    ck_assert_int_eq(pledge_file_read(page, 1 << 20, &text, &len, &err), 0);
    ck_assert_ptr_nonnull(strstr(text, "globalThis.PLEDGE_KEYRING = {"));
    ck_assert_int_eq(text[len - 2], ';');
    free(text);
    /* Its own output, with a file of the host's beside it. */
    put("site/CNAME", "verify.example.org\n");
    snprintf(page, sizeof page, "%s/page", dir);
    ck_assert_msg(pledge_web_write(kr, NULL, 0, page, site, &err) == 0,
                  "%s", err.msg);
    ck_assert(exists("site/CNAME"));
}
END_TEST

START_TEST(refuses_a_directory_it_did_not_write)
{
    char page[512], site[512];
    pledge_err err;

    snprintf(page, sizeof page, "%s/page", dir);
    snprintf(site, sizeof site, "%s/keys", dir);
    ck_assert_int_eq(pledge_web_write(kr, NULL, 0, page, site, &err), -1);
    ck_assert_ptr_nonnull(strstr(err.msg, "not empty"));
    ck_assert_ptr_nonnull(strstr(err.msg, site));
    ck_assert(!exists("keys/index.html"));
    ck_assert(!exists("keys/" PLEDGE_WEB_MARKER));
    /* An empty directory is taken. */
    snprintf(site, sizeof site, "%s/empty", dir);
    ck_assert_int_eq(mkdir(site, 0700), 0);
    ck_assert_int_eq(pledge_web_write(kr, NULL, 0, page, site, &err), 0);
    ck_assert(exists("empty/keyring.js"));
}
END_TEST

START_TEST(a_missing_page_file_writes_nothing)
{
    char page[512], site[512], path[512];
    pledge_err err;

    snprintf(path, sizeof path, "%s/page/sw.js", dir);
    ck_assert_int_eq(unlink(path), 0);
    snprintf(page, sizeof page, "%s/page", dir);
    snprintf(site, sizeof site, "%s/site", dir);
    ck_assert_int_eq(pledge_web_write(kr, NULL, 0, page, site, &err), -1);
    ck_assert_ptr_nonnull(strstr(err.msg, path));
    ck_assert(!exists("site"));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("web");
    TCase *t = tcase_create("web");

    tcase_add_checked_fixture(t, setup, teardown);
    tcase_set_timeout(t, 30);
    tcase_add_test(t, keyring_json);
    tcase_add_test(t, writes_a_new_site_and_rewrites_its_own);
    tcase_add_test(t, refuses_a_directory_it_did_not_write);
    tcase_add_test(t, a_missing_page_file_writes_nothing);
    suite_add_tcase(s, t);
    return run_suite(s);
}
