/* test_slug.c - file name stems for the pledges of a batch.
 *
 * The expected stems follow from the rules in slug.h: canonical
 * decomposition for diacritics, the table letters (ß, æ, ø ...), ELOT 743
 * for Greek and ICAO 9303 for Cyrillic.  Beside them, every stem made from
 * the names in tests/data/names.txt, from hostile strings and from random
 * bytes must have the safe shape slug.h promises and start with its row.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/batch/slug.h"
#include "run_suite.h"

#ifndef PLEDGE_SRCDIR
#define PLEDGE_SRCDIR "."
#endif

/* Check's ck_assert_* report every passing check through a pipe; the
 * loops over thousands of stems check with this instead. */
#define require(cond) \
    do { \
        if (!(cond)) \
            ck_abort_msg("%s:%d: failed: %s", __FILE__, __LINE__, #cond); \
    } while (0)

static const char *slug(size_t row, const char *name)
{
    static char out[PLEDGE_SLUG_MAX + 16];

    /* Bytes past the 64 must stay as they were. */
    memset(out, 'Z', sizeof out);
    pledge_slug(row, name, out);
    require(memchr(out, '\0', PLEDGE_SLUG_MAX) != NULL);
    require(out[PLEDGE_SLUG_MAX] == 'Z');
    return out;
}

/* The name part of a stem: what follows the row number's '-'. */
static const char *part(const char *stem)
{
    const char *dash = strchr(stem, '-');

    require(dash != NULL);
    return dash + 1;
}

/* s has the shape [0-9]{4,}-[a-z0-9]+(-[a-z0-9]+)* with row's digits. */
static void require_safe(size_t row, const char *s)
{
    char digits[32];
    const char *p;
    size_t n = strspn(s, "0123456789"), k;

    require(strlen(s) < PLEDGE_SLUG_MAX);
    require(n >= 4 && s[n] == '-');
    snprintf(digits, sizeof digits, "%04zu", row);
    require(strlen(digits) == n && memcmp(digits, s, n) == 0);
    p = s + n + 1;
    require(strlen(p) >= 1 && strlen(p) <= PLEDGE_SLUG_NAME_MAX);
    require(p[0] != '-' && p[strlen(p) - 1] != '-');
    require(strstr(p, "--") == NULL);
    for (k = 0; p[k] != '\0'; k++)
        require((p[k] >= 'a' && p[k] <= 'z') ||
                (p[k] >= '0' && p[k] <= '9') || p[k] == '-');
}

START_TEST(example_from_the_issue)
{
    ck_assert_str_eq(slug(7, "Nguy\xe1\xbb\x85n Th\xe1\xbb\x8b Minh Khai"),
                     "0007-nguyen-thi-minh-khai");
    ck_assert_str_eq(slug(12345, "Ann Lee"), "12345-ann-lee");
    ck_assert_str_eq(slug(0, "Ann Lee"), "0000-ann-lee");
}
END_TEST

START_TEST(diacritics_dropped)
{
    ck_assert_str_eq(part(slug(1, "Zo\xc3\xab \"Zo\" \xc3\x85ngstr"
                               "\xc3\xb6m")), "zoe-zo-angstrom");
    ck_assert_str_eq(part(slug(1, "Tr\xe1\xba\xa7n \xc4\x90\xe1\xbb\xa9"
                               "c Th\xe1\xba\xaf" "ng")),
                     "tran-duc-thang");
    ck_assert_str_eq(part(slug(1, "\xc3\x89lodie Marchand-Lef\xc3\xa8vre")),
                     "elodie-marchand-lefevre");
    ck_assert_str_eq(part(slug(1, "Ma\xc5\x82gorzata Wi\xc5\x9bniewska")),
                     "malgorzata-wisniewska");
    ck_assert_str_eq(part(slug(1, "\xc4\xb0smail \xc3\x87" "elik")),
                     "ismail-celik");
    /* Decomposed input (NFD) folds as the composed form does. */
    ck_assert_str_eq(slug(3, "Zoe\xcc\x88 A\xcc\x8angstro\xcc\x88m"),
                     slug(3, "Zo\xc3\xab \xc3\x85ngstr\xc3\xb6m"));
    ck_assert_str_eq(part(slug(3, "Zoe\xcc\x88")), "zoe");
}
END_TEST

START_TEST(letters_without_decomposition)
{
    ck_assert_str_eq(part(slug(1, "J\xc3\xbcrgen Gro\xc3\x9f")),
                     "jurgen-gross");
    ck_assert_str_eq(part(slug(1, "\xc3\x86sa Br\xc3\xa6nd")), "aesa-braend");
    ck_assert_str_eq(part(slug(1, "S\xc3\xb8ren \xc3\x98stergaard")),
                     "soren-ostergaard");
    ck_assert_str_eq(part(slug(1, "\xc4\x90\xe1\xba\xb7ng \xc5\x81ukasz "
                               "\xc3\x9e\xc3\xb3r")),
                     "dang-lukasz-thor");
    ck_assert_str_eq(part(slug(1, "\xc5\x92uvre \xc5\x93il")), "oeuvre-oeil");
    /* The fi ligature U+FB01 and the Sami eng. */
    ck_assert_str_eq(part(slug(1, "\xef\xac\x81nn \xc5\x8a" "aa")),
                     "finn-ngaa");
}
END_TEST

START_TEST(greek_and_cyrillic_transliterated)
{
    ck_assert_str_eq(part(slug(1, "\xce\x91\xce\xbb\xce\xad\xce\xbe\xce\xb1"
                               "\xce\xbd\xce\xb4\xcf\x81\xce\xbf\xcf\x82 "
                               "\xce\xa0\xce\xb1\xcf\x80\xce\xb1\xce\xb4"
                               "\xcf\x8c\xcf\x80\xce\xbf\xcf\x85\xce\xbb"
                               "\xce\xbf\xcf\x82")),
                     "alexandros-papadopoulos");
    /* Παύλος: αυ before a voiced letter; Ψυχή: υ alone. */
    ck_assert_str_eq(part(slug(1, "\xce\xa0\xce\xb1\xcf\x8d\xce\xbb\xce\xbf"
                               "\xcf\x82")), "pavlos");
    ck_assert_str_eq(part(slug(1, "\xce\xa8\xcf\x85\xcf\x87\xce\xae")),
                     "psychi");
    /* A diaeresis keeps υ out of the digraph: Ταΰγετος. */
    ck_assert_str_eq(part(slug(1, "\xce\xa4\xce\xb1\xce\xb0\xce\xb3\xce\xb5"
                               "\xcf\x84\xce\xbf\xcf\x82")), "tayg" "etos");
    /* Наталья Ёлкина-Щербакова */
    ck_assert_str_eq(part(slug(1, "\xd0\x9d\xd0\xb0\xd1\x82\xd0\xb0\xd0\xbb"
                               "\xd1\x8c\xd1\x8f \xd0\x81\xd0\xbb\xd0\xba"
                               "\xd0\xb8\xd0\xbd\xd0\xb0-\xd0\xa9\xd0\xb5"
                               "\xd1\x80\xd0\xb1\xd0\xb0\xd0\xba\xd0\xbe"
                               "\xd0\xb2\xd0\xb0")),
                     "natalia-elkina-shcherbakova");
    /* Юрий Гагарин, as in his passport's Latin line. */
    ck_assert_str_eq(part(slug(1, "\xd0\xae\xd1\x80\xd0\xb8\xd0\xb9 \xd0\x93"
                               "\xd0\xb0\xd0\xb3\xd0\xb0\xd1\x80\xd0\xb8"
                               "\xd0\xbd")), "iurii-gagarin");
    /* Ukrainian Ґ and Ї, Serbian Љ. */
    ck_assert_str_eq(part(slug(1, "\xd2\x90\xd0\xb0\xd0\xbb\xd0\xb8\xd0\xbd"
                               "\xd0\xb0 \xd0\x87\xd0\xb6\xd0\xb0\xd0\xba "
                               "\xd0\x89\xd1\x83\xd0\xb1\xd0\xb0")),
                     "galina-izhak-ljuba");
}
END_TEST

START_TEST(apostrophes_kept_inside_names)
{
    ck_assert_str_eq(part(slug(1, "O'Brien, Siobh\xc3\xa1n")),
                     "obrien-siobhan");
    ck_assert_str_eq(part(slug(1, "D'Artagnan O\xe2\x80\x99"
                               "Brien-\xc5\x81ukasiewicz")),
                     "dartagnan-obrien-lukasiewicz");
    ck_assert_str_eq(part(slug(1, "Agent 007")), "agent-007");
}
END_TEST

START_TEST(nothing_left)
{
    ck_assert_str_eq(slug(3, "\xe5\xb1\xb1\xe7\x94\xb0\xe5\xa4\xaa\xe9\x83"
                          "\x8e"), "0003-pledge");
    ck_assert_str_eq(slug(3, ""), "0003-pledge");
    ck_assert_str_eq(slug(3, NULL), "0003-pledge");
    ck_assert_str_eq(slug(3, "   --- ... "), "0003-pledge");
    ck_assert_str_eq(slug(3, "\xcc\x81\xcc\x88"), "0003-pledge");
}
END_TEST

START_TEST(nothing_escapes_the_directory)
{
    ck_assert_str_eq(slug(1, "../x"), "0001-x");
    ck_assert_str_eq(slug(1, "/"), "0001-pledge");
    ck_assert_str_eq(slug(1, ".."), "0001-pledge");
    ck_assert_str_eq(slug(1, ".hidden"), "0001-hidden");
    ck_assert_str_eq(slug(1, "a/../../etc/passwd"), "0001-a-etc-passwd");
    ck_assert_str_eq(slug(1, "C:\\Windows\\System32"),
                     "0001-c-windows-system32");
    ck_assert_str_eq(slug(1, "Ann\x01\nLee\x7f\t"), "0001-ann-lee");
    ck_assert_str_eq(slug(1, "-rf *"), "0001-rf");
}
END_TEST

START_TEST(invalid_utf8_is_a_separator)
{
    ck_assert_str_eq(slug(1, "Zo\xff" "e"), "0001-zo-e");
    ck_assert_str_eq(slug(1, "Jos\xc3"), "0001-jos");
    ck_assert_str_eq(slug(1, "\xff\xfe"), "0001-pledge");
    /* An overlong '/', a surrogate, a code point past U+10FFFF. */
    ck_assert_str_eq(slug(1, "a\xc0\xaf" "b"), "0001-a-b");
    ck_assert_str_eq(slug(1, "a\xed\xa0\x80" "b"), "0001-a-b");
    ck_assert_str_eq(slug(1, "a\xf4\x90\x80\x80" "b"), "0001-a-b");
}
END_TEST

START_TEST(long_names_cut_at_a_word)
{
    char name[600], want[64];
    size_t i;

    /* "abcdefg abcdefg ...": six words make 47 characters, and the 48th
     * is the '-' before the seventh. */
    name[0] = '\0';
    for (i = 0; i < 70; i++)
        strcat(name, "abcdefg ");
    ck_assert_str_eq(part(slug(1, name)),
                     "abcdefg-abcdefg-abcdefg-abcdefg-abcdefg-abcdefg");
    /* "abcdefgh abcdefgh ...": 48 characters end inside the sixth word,
     * so five are left. */
    name[0] = '\0';
    for (i = 0; i < 60; i++)
        strcat(name, "abcdefgh ");
    ck_assert_str_eq(part(slug(1, name)),
                     "abcdefgh-abcdefgh-abcdefgh-abcdefgh-abcdefgh");
    /* "abcdef abcdef ...": seven words are exactly 48 characters. */
    name[0] = '\0';
    for (i = 0; i < 80; i++)
        strcat(name, "abcdef ");
    ck_assert_str_eq(part(slug(1, name)),
                     "abcdef-abcdef-abcdef-abcdef-abcdef-abcdef-abcdef");
    /* One 500-letter word: no boundary, so a plain cut. */
    memset(name, 'q', 500);
    name[500] = '\0';
    memset(want, 'q', PLEDGE_SLUG_NAME_MAX);
    want[PLEDGE_SLUG_NAME_MAX] = '\0';
    ck_assert_str_eq(part(slug(1, name)), want);
    /* A boundary only in the first half is not worth losing half for. */
    strcpy(name, "ab ");
    memset(name + 3, 'c', 400);
    name[403] = '\0';
    ck_assert_uint_eq(strlen(part(slug(1, name))), PLEDGE_SLUG_NAME_MAX);
    ck_assert_int_eq(strncmp(part(slug(1, name)), "ab-ccc", 6), 0);
    /* Multi-letter transliterations at the cut: 20 × "щ" is 80 letters. */
    name[0] = '\0';
    for (i = 0; i < 20; i++)
        strcat(name, "\xd1\x89");
    ck_assert_uint_eq(strlen(part(slug(1, name))), PLEDGE_SLUG_NAME_MAX);
    require_safe(1, slug(1, name));
}
END_TEST

START_TEST(huge_row_numbers_fit)
{
    char digits[32];
    const char *s;

    s = slug((size_t)-1, "Maria de los \xc3\x81ngeles Fern\xc3\xa1ndez-"
             "Casta\xc3\xb1" "eda y Villalobos de la Sant\xc3\xadsima");
    snprintf(digits, sizeof digits, "%zu-", (size_t)-1);
    ck_assert_int_eq(strncmp(s, digits, strlen(digits)), 0);
    ck_assert_uint_lt(strlen(s), PLEDGE_SLUG_MAX);
    require_safe((size_t)-1, s);
    s = slug(123456789012345, "abcdefg abcdefg abcdefg abcdefg abcdefg "
             "abcdefg abcdefg");
    /* 15 digits leave 47 characters: six words, to the byte. */
    require_safe(123456789012345, s);
    ck_assert_str_eq(s, "123456789012345-abcdefg-abcdefg-abcdefg-abcdefg-"
                     "abcdefg-abcdefg");
    ck_assert_uint_eq(strlen(s), PLEDGE_SLUG_MAX - 1);
}
END_TEST

/* Every name of names.txt, hostile strings and random bytes: safe shape,
 * the row's own digits, and the same stem twice. */
START_TEST(every_stem_is_safe_and_stable)
{
    static const char *const hostile[] = {
        "", ".", "..", "...", "/", "//", "\\", "./.", "../../../etc/passwd",
        "~root", "$(rm -rf /)", "`id`", "a\0b", "NUL", "CON", " ", "-",
        "\xe2\x80\xae" "fdp.exe", "\xef\xbb\xbf", "\xc2\xa0\xc2\xa0",
        "a\xcc\x81\xcc\x81\xcc\x81", "\xf0\x9f\x98\x80 smile",
    };
    char line[2048], first[PLEDGE_SLUG_MAX];
    unsigned char rnd[64];
    unsigned long long x = 0x9e3779b97f4a7c15ull;
    size_t i, k, row = 1;
    FILE *fp;

    fp = fopen(PLEDGE_SRCDIR "/tests/data/names.txt", "r");
    ck_assert_ptr_nonnull(fp);
    while (fgets(line, sizeof line, fp) != NULL) {
        line[strcspn(line, "\n")] = '\0';
        strcpy(first, slug(row, line));
        require_safe(row, first);
        require(strcmp(first, slug(row, line)) == 0);
        require(strcmp(part(first), "pledge") != 0);
        row++;
    }
    fclose(fp);
    ck_assert_uint_ge(row, 5);
    for (i = 0; i < sizeof hostile / sizeof hostile[0]; i++)
        require_safe(i, slug(i, hostile[i]));
    for (i = 0; i < 20000; i++) {
        size_t n = 1 + i % (sizeof rnd - 1);

        for (k = 0; k < n; k++) {
            x ^= x << 13, x ^= x >> 7, x ^= x << 17;
            /* Some ASCII, some lead bytes, some continuation bytes. */
            rnd[k] = (unsigned char)(k % 3 == 0 ? 0xc0 + x % 0x35 : x);
            if (rnd[k] == 0)
                rnd[k] = 'a';
        }
        rnd[n] = '\0';
        strcpy(first, slug(i, (const char *)rnd));
        require_safe(i, first);
        require(strcmp(first, slug(i, (const char *)rnd)) == 0);
    }
}
END_TEST

static int by_string(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Rows never share a stem, even with one name, or names that fold alike. */
START_TEST(distinct_rows_never_collide)
{
    enum { N = 10000 };
    static char stems[N][PLEDGE_SLUG_MAX];
    static char *sorted[N];
    size_t i;

    for (i = 0; i < N; i++) {
        strcpy(stems[i], slug(i + 1, i % 2 ? "Zo\xc3\xab" : "Zoe"));
        sorted[i] = stems[i];
    }
    qsort(sorted, N, sizeof sorted[0], by_string);
    for (i = 1; i < N; i++)
        require(strcmp(sorted[i - 1], sorted[i]) != 0);
    ck_assert_str_eq(stems[0], "0001-zoe");
    ck_assert_str_eq(stems[1], "0002-zoe");
}
END_TEST

static Suite *slug_suite(void)
{
    Suite *s = suite_create("slug");
    TCase *tc = tcase_create("slug");

    tcase_add_test(tc, example_from_the_issue);
    tcase_add_test(tc, diacritics_dropped);
    tcase_add_test(tc, letters_without_decomposition);
    tcase_add_test(tc, greek_and_cyrillic_transliterated);
    tcase_add_test(tc, apostrophes_kept_inside_names);
    tcase_add_test(tc, nothing_left);
    tcase_add_test(tc, nothing_escapes_the_directory);
    tcase_add_test(tc, invalid_utf8_is_a_separator);
    tcase_add_test(tc, long_names_cut_at_a_word);
    tcase_add_test(tc, huge_row_numbers_fit);
    tcase_add_test(tc, every_stem_is_safe_and_stable);
    tcase_add_test(tc, distinct_rows_never_collide);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return run_suite(slug_suite());
}
