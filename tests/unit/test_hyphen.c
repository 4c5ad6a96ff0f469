/* test_hyphen.c - hyphenation points from the hyph_en_US patterns.
 *
 * The expected points are what the TeX-derived hyph_en_US patterns give
 * (read off libhyphen); each is also checked against the word's
 * dictionary syllables (Merriam-Webster), of which the patterns find a
 * subset: they are cautious by design and, like TeX, leave two letters
 * before and three after a hyphen.
 *
 * pledge_hyphen_open_for() loads only the patterns a text needs: every
 * word of every layout must hyphenate as with all of them, and so must
 * the words of small pattern files made to catch what libhyphen does
 * with the patterns it is given (states it stands in, replacements, a
 * second level).
 */
#include <check.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../src/doc/doc.h"
#include "../../src/typeset/hyphen.h"
#include "../../src/typeset/typeset.h"
#include "run_suite.h"

#define DIC "/usr/share/hyphen/hyph_en_US.dic"

static pledge_hyphenator *hy;

static void setup(void)
{
    pledge_err err;

    err.msg[0] = '\0';
    ck_assert_msg(pledge_hyphen_open(&hy, DIC, &err) == 0, "%s", err.msg);
}

static void teardown(void)
{
    pledge_hyphen_close(hy);
    hy = NULL;
}

static size_t points(const char *word, size_t *off)
{
    return pledge_hyphen_points(hy, word, strlen(word), off, 32);
}

/* The word with "-" at each point, for readable failures. */
static const char *shown(const char *word, const size_t *off, size_t n)
{
    static char buf[256];
    size_t i, k = 0, j = 0;

    for (i = 0; word[i] != '\0' && k + 2 < sizeof buf; i++) {
        if (j < n && off[j] == i) {
            buf[k++] = '-';
            j++;
        }
        buf[k++] = word[i];
    }
    buf[k] = '\0';
    return buf;
}

static void expect(const char *word, const char *want)
{
    size_t off[32], n = points(word, off);

    ck_assert_str_eq(shown(word, off, n), want);
}

/* Each point of the patterns is a syllable break of the dictionary
 * ("re-la-tion-ship" given as the dictionary's syllables). */
static void within_dictionary(const char *word, const char *dict)
{
    size_t off[32], n = points(word, off), i, k, letters;

    for (i = 0; i < n; i++) {
        /* The dictionary form has a '-' after as many letters. */
        letters = 0;
        for (k = 0; dict[k] != '\0' && letters < off[i]; k++)
            if (dict[k] != '-')
                letters++;
        ck_assert_msg(dict[k] == '-', "%s: %s breaks where %s does not",
                      word, shown(word, off, n), dict);
    }
}

START_TEST(known_english_words)
{
    expect("relationship", "re-la-tion-ship");
    expect("professional", "pro-fes-sional");
    expect("development", "de-vel-op-ment");
    expect("multidisciplinary", "mul-ti-dis-ci-plinary");
    expect("responsibility", "re-spon-si-bil-ity");
    expect("endorsement", "en-dorse-ment");
    expect("consultation", "con-sul-ta-tion");
    expect("individual", "in-di-vid-ual");
    within_dictionary("relationship", "re-la-tion-ship");
    within_dictionary("professional", "pro-fes-sion-al");
    within_dictionary("development", "de-vel-op-ment");
    within_dictionary("multidisciplinary", "mul-ti-dis-ci-plin-ary");
    within_dictionary("responsibility", "re-spon-si-bil-i-ty");
    within_dictionary("endorsement", "en-dorse-ment");
    within_dictionary("consultation", "con-sul-ta-tion");
    within_dictionary("individual", "in-di-vid-u-al");
}
END_TEST

/* Capitalised words hyphenate like lower case, as in TeX (\uchyph=1). */
START_TEST(capitalised_words)
{
    expect("Relationship", "Re-la-tion-ship");
    expect("Endorsement", "En-dorse-ment");
    /* Patterns that start at the word's first letter need it lowered. */
    expect("Development", "De-vel-op-ment");
    expect("Diversity", "Di-ver-sity");
    expect("Creating", "Cre-at-ing");
}
END_TEST

START_TEST(punctuation_left_out)
{
    /* U+201C and U+201D are three bytes each. */
    expect("\xe2\x80\x9crelationship,\xe2\x80\x9d",
           "\xe2\x80\x9cre-la-tion-ship,\xe2\x80\x9d");
    expect("(development)", "(de-vel-op-ment)");
    expect("responsibility.", "re-spon-si-bil-ity.");
    expect("professional;", "pro-fes-sional;");
    /* Only the letters before an apostrophe: "'s" is not a syllable. */
    expect("individual\xe2\x80\x99s", "in-di-vid-ual\xe2\x80\x99s");
    expect("individual's", "in-di-vid-ual's");
}
END_TEST

/* At least two letters before and three after, counted in code points. */
START_TEST(minimum_left_and_right)
{
    static const char *words[] = {
        "oneself", "abatement", "evening", "university", "infants",
        "toddler", "supervision", "résumé", "protégé", "coöperation",
        "endorsed", "reliable", "honest", "agencies", "identities",
    };
    size_t w, off[32], n, i;

    for (w = 0; w < sizeof words / sizeof *words; w++) {
        const char *s = words[w];

        n = points(s, off);
        for (i = 0; i < n; i++) {
            size_t left = 0, right = 0, k;

            for (k = 0; k < off[i]; k++)
                left += ((unsigned char)s[k] & 0xc0) != 0x80;
            for (k = off[i]; s[k] != '\0'; k++)
                right += ((unsigned char)s[k] & 0xc0) != 0x80;
            ck_assert_msg(left >= 2 && right >= 3, "%s", shown(s, off, n));
        }
    }
    ck_assert_uint_eq(points("baby", off), 0);
    ck_assert_uint_eq(points("into", off), 0);
    ck_assert_uint_eq(points("ideas", off), 0);
    /* max bounds what is written. */
    off[1] = 12345;
    ck_assert_uint_eq(pledge_hyphen_points(hy, "relationship", 12, off, 1),
                      1);
    ck_assert_uint_eq(off[0], 2);
    ck_assert_uint_eq(off[1], 12345);
}
END_TEST

START_TEST(words_left_alone)
{
    static const char *words[] = {
        /* acronyms */
        "VAIMH", "IECMH", "RELATIONSHIP", "(VAIMH)", "VAIMH\xe2\x80\x99s",
        /* an explicit hyphen, dash or slash: broken there instead */
        "IECMH-E", "NYS-AIMH", "relationship-focused",
        "Relationship\xe2\x80\x93" "focused", "promotion/practice",
        "strengths\xe2\x80\x94" "based", "his/her",
        /* digits */
        "10.2021", "professional2", "2professional",
    };
    size_t w, off[32];

    for (w = 0; w < sizeof words / sizeof *words; w++)
        ck_assert_msg(points(words[w], off) == 0, "%s was hyphenated",
                      words[w]);
    ck_assert_uint_eq(pledge_hyphen_points(hy, "", 0, off, 32), 0);
    ck_assert_uint_eq(pledge_hyphen_points(NULL, "relationship", 12, off,
                                           32), 0);
    /* Not UTF-8. */
    ck_assert_uint_eq(points("relation\xffship", off), 0);
}
END_TEST

/* Offsets are bytes on code point boundaries, never before a combining
 * mark. */
START_TEST(non_ascii_words)
{
    static const char *words[] = {
        "na\xc3\xafve", "Nguy\xe1\xbb\x85n", "NGUY\xe1\xbb\x84N",
        "\xc3\xbc" "bermensch", "\xce\xb5\xce\xbb\xce\xbb\xce\xb7\xce\xbd"
        "\xce\xb9\xce\xba\xce\xac", "re\xcc\x81sume\xcc\x81",
        "co\xc3\xb6peration", "r\xc3\xa9sum\xc3\xa9",
    };
    size_t w, off[32], n, i;

    for (w = 0; w < sizeof words / sizeof *words; w++) {
        const unsigned char *s = (const unsigned char *)words[w];

        n = points(words[w], off);
        for (i = 0; i < n; i++) {
            ck_assert_uint_gt(off[i], 0);
            ck_assert_uint_lt(off[i], strlen(words[w]));
            ck_assert_msg((s[off[i]] & 0xc0) != 0x80, "%s: offset %zu "
                          "inside a character", words[w], off[i]);
            /* U+0300..U+036F start with 0xCC or 0xCD. */
            ck_assert(s[off[i]] != 0xcc && s[off[i]] != 0xcd);
        }
    }
    expect("r\xc3\xa9sum\xc3\xa9", "r\xc3\xa9-sum\xc3\xa9");
    expect("R\xc3\x89sum\xc3\xa9", "R\xc3\x89-sum\xc3\xa9");
    expect("re\xcc\x81sume\xcc\x81", "re\xcc\x81-sume\xcc\x81");
    expect("co\xc3\xb6peration", "co\xc3\xb6per-a-tion");
    expect("na\xc3\xafve", "na\xc3\xafve");
}
END_TEST

/* Writes a pattern file to a new file named from path (a mkstemp()
 * template). */
static void write_patterns(char *path, const char *patterns)
{
    FILE *f;
    int fd;

    fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    f = fdopen(fd, "w");
    ck_assert_ptr_nonnull(f);
    fputs(patterns, f);
    ck_assert_int_eq(fclose(f), 0);
}

/* libhyphen applies the pattern file's own minimums; these checks hold
 * for any pattern file.  A file that allows a hyphen before and after
 * every "a", "\u00e4" and before U+0301 (combining acute). */
START_TEST(own_limits_for_any_patterns)
{
    static const char patterns[] =
        "UTF-8\nLEFTHYPHENMIN 1\nRIGHTHYPHENMIN 1\n"
        "1a1\n1\xc3\xa4" "1\n1\xcc\x81\n";
    char path[] = "/tmp/test_hyphen_XXXXXX";
    pledge_hyphenator *own;
    pledge_err err;
    size_t off[32], n;

    write_patterns(path, patterns);
    ck_assert_msg(pledge_hyphen_open(&own, path, &err) == 0, "%s",
                  err.msg);
    unlink(path);

    /* b-a-n-a-n-a by the patterns; two letters before, three after. */
    n = pledge_hyphen_points(own, "banana", 6, off, 32);
    ck_assert_str_eq(shown("banana", off, n), "ba-n-ana");
    /* The same counted in code points, not bytes. */
    n = pledge_hyphen_points(own, "b\xc3\xa4n\xc3\xa4n\xc3\xa4", 9, off,
                             32);
    ck_assert_str_eq(shown("b\xc3\xa4n\xc3\xa4n\xc3\xa4", off, n),
                     "b\xc3\xa4-n-\xc3\xa4n\xc3\xa4");
    /* Never between a letter and its combining mark. */
    n = pledge_hyphen_points(own, "xyzwe\xcc\x81vuts", 12, off, 32);
    ck_assert_uint_eq(n, 0);
    pledge_hyphen_close(own);
}
END_TEST

/* The length of the word separator at s[i]: the paragraph setter splits
 * words at ASCII spaces and at no-break spaces; 0 elsewhere. */
static size_t separator(const char *s, size_t i)
{
    if (s[i] != '\0' && strchr(" \t\n\r\f\v", s[i]) != NULL)
        return 1;
    return strncmp(s + i, "\xc2\xa0", 2) == 0 ? 2 : 0;
}

/* Checks that every word of text hyphenates with part as with every
 * pattern; counts the words and the points they have. */
static void same_words(const pledge_hyphenator *part, const char *text,
                       const char *where, size_t *words, size_t *points)
{
    size_t i = 0, start, len = text != NULL ? strlen(text) : 0;
    size_t off[32], offp[32], n, np, k;
    char word[256], all[256];

    while (i < len) {
        while (i < len && (k = separator(text, i)) > 0)
            i += k;
        for (start = i; i < len && separator(text, i) == 0; i++)
            ;
        if (i == start)
            continue;
        n = pledge_hyphen_points(hy, text + start, i - start, off, 32);
        np = pledge_hyphen_points(part, text + start, i - start, offp, 32);
        snprintf(word, sizeof word, "%.*s", (int)(i - start), text + start);
        snprintf(all, sizeof all, "%s", shown(word, off, n));
        ck_assert_msg(n == np && memcmp(off, offp, n * sizeof *off) == 0,
                      "%s: %s with every pattern, %s with the text's",
                      where, all, shown(word, offp, np));
        *words += 1;
        *points += n;
    }
}

/* Every word of every layout, as its blocks' runs and its commitment
 * have it, hyphenates with the patterns loaded for the text the engine
 * gathers from it as with every pattern. */
START_TEST(layout_words_as_with_every_pattern)
{
    size_t f, b, r, k, words = 0, points_seen = 0;
    pledge_err err;
    glob_t g;

    ck_assert_int_eq(glob(PLEDGE_SRCDIR "/layouts/*.md", 0, NULL, &g), 0);
    ck_assert_uint_ge(g.gl_pathc, 5);
    for (f = 0; f < g.gl_pathc; f++) {
        const char *where = g.gl_pathv[f];
        pledge_hyphenator *part;
        pledge_layout *lay;
        const char *texts[1];
        char *text, *joined;

        ck_assert_msg(pledge_layout_load(&lay, where, &err) == 0, "%s",
                      err.msg);
        ck_assert_int_eq(pledge_typeset_hyphen_text(lay, &text, &err), 0);
        texts[0] = text;
        ck_assert_msg(pledge_hyphen_open_for(&part, DIC, texts, 1,
                                             &err) == 0, "%s", err.msg);
        for (b = 0; b < lay->doc.nblocks; b++) {
            const pledge_block *bl = &lay->doc.blocks[b];
            size_t len = 1;

            /* A word may span runs: "**An Alliance** endorsed". */
            for (r = 0; r < bl->nruns; r++)
                len += strlen(bl->runs[r].text);
            joined = malloc(len);
            ck_assert_ptr_nonnull(joined);
            for (r = 0, k = 0; r < bl->nruns; r++) {
                memcpy(joined + k, bl->runs[r].text,
                       strlen(bl->runs[r].text));
                k += strlen(bl->runs[r].text);
                same_words(part, bl->runs[r].text, where, &words,
                           &points_seen);
            }
            joined[k] = '\0';
            same_words(part, joined, where, &words, &points_seen);
            free(joined);
        }
        same_words(part, lay->meta.commitment, where, &words,
                   &points_seen);
        pledge_hyphen_close(part);
        free(text);
        pledge_layout_free(lay);
    }
    globfree(&g);
    /* Not vacuous: plenty of words, and plenty of them hyphenated. */
    ck_assert_uint_gt(words, 2000);
    ck_assert_uint_gt(points_seen, 1000);
}
END_TEST

/* Words the text does not have lose the patterns only they need. */
START_TEST(other_words_lose_their_patterns)
{
    const char *texts[] = { NULL, "Our professional (development)." };
    size_t off[32], n;
    pledge_hyphenator *part;
    pledge_err err;
    char full[64];

    ck_assert_msg(pledge_hyphen_open_for(&part, DIC, texts, 2, &err) == 0,
                  "%s", err.msg);
    n = pledge_hyphen_points(part, "professional", 12, off, 32);
    ck_assert_str_eq(shown("professional", off, n), "pro-fes-sional");
    n = pledge_hyphen_points(part, "Development", 11, off, 32);
    ck_assert_str_eq(shown("Development", off, n), "De-vel-op-ment");
    n = points("relationship", off);
    snprintf(full, sizeof full, "%s", shown("relationship", off, n));
    n = pledge_hyphen_points(part, "relationship", 12, off, 32);
    ck_assert_str_ne(shown("relationship", off, n), full);
    pledge_hyphen_close(part);
}
END_TEST

/* A font may compose "e" and U+0301 into "\u00e9", so the patterns a text
 * with combining marks needs cannot be told from it: it gets them all. */
START_TEST(combining_marks_keep_every_pattern)
{
    const char *texts[] = { "re\xcc\x81sume\xcc\x81" };
    size_t off[32], n;
    pledge_hyphenator *part;
    pledge_err err;

    ck_assert_msg(pledge_hyphen_open_for(&part, DIC, texts, 1, &err) == 0,
                  "%s", err.msg);
    n = pledge_hyphen_points(part, "relationship", 12, off, 32);
    ck_assert_str_eq(shown("relationship", off, n), "re-la-tion-ship");
    pledge_hyphen_close(part);
}
END_TEST

/* Loads patterns both ways and checks that word hyphenates as want with
 * each. */
static void both_ways(const char *patterns, const char *text,
                      const char *word, const char *want)
{
    char path[] = "/tmp/test_hyphen_XXXXXX";
    const char *texts[1];
    pledge_hyphenator *all, *part;
    pledge_err err;
    size_t off[32], n;

    write_patterns(path, patterns);
    texts[0] = text;
    ck_assert_msg(pledge_hyphen_open(&all, path, &err) == 0, "%s",
                  err.msg);
    ck_assert_msg(pledge_hyphen_open_for(&part, path, texts, 1,
                                         &err) == 0, "%s", err.msg);
    unlink(path);
    n = pledge_hyphen_points(all, word, strlen(word), off, 32);
    ck_assert_str_eq(shown(word, off, n), want);
    n = pledge_hyphen_points(part, word, strlen(word), off, 32);
    ck_assert_str_eq(shown(word, off, n), want);
    pledge_hyphen_close(all);
    pledge_hyphen_close(part);
}

#define HEAD "UTF-8\nLEFTHYPHENMIN 1\nRIGHTHYPHENMIN 1\n"

/* libhyphen applies only the match of the state it stands in: in
 * "zzabczzz" it stands in "abc", a prefix of "abcx", and never applies
 * "b1c".  "abcx" cannot match, but its prefix must stay a state. */
START_TEST(prefix_states_stay)
{
    both_ways(HEAD "b1c\nabcx\n", "zzabczzz", "zzabczzz", "zzabczzz");
    both_ways(HEAD "b1c\nabcx\n", "zzxbczzz", "zzxbczzz", "zzxb-czzz");
}
END_TEST

/* A replacement "q1z3b/z=b,2,1" is kept by its pattern part: the point
 * after "qq" comes from it (the one after "z" is a change of spelling,
 * left out). */
START_TEST(replacement_patterns)
{
    both_ways(HEAD "q1z3b/z=b,2,1\n", "qqzbaqqxx", "qqzbaqqxx",
              "qq-zbaqqxx");
}
END_TEST

/* A compound file's second level is looked up part by part, ".bbabbb."
 * in "ccczbbabbb": ".b3b" matches there though ".bb" is not in
 * ".ccczbbabbb.". */
START_TEST(second_level_kept_whole)
{
    both_ways(HEAD "z1\nNEXTLEVEL\n1a1\n.b3b\n", "ccczbbabbb",
              "ccczbbabbb", "cccz-b-b-a-bbb");
}
END_TEST

START_TEST(open_errors)
{
    pledge_hyphenator *h = (pledge_hyphenator *)&h;
    pledge_err err;

    ck_assert_int_eq(pledge_hyphen_open(&h, "/nonexistent/hyph_xx.dic",
                                        &err), -1);
    ck_assert_ptr_eq(h, (pledge_hyphenator *)&h);
    ck_assert_ptr_nonnull(strstr(err.msg, "/nonexistent/hyph_xx.dic"));
    err.msg[0] = '\0';
    ck_assert_int_eq(pledge_hyphen_open_for(&h, "/nonexistent/hyph_xx.dic",
                                            NULL, 0, &err), -1);
    ck_assert_ptr_eq(h, (pledge_hyphenator *)&h);
    ck_assert_ptr_nonnull(strstr(err.msg, "/nonexistent/hyph_xx.dic"));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("hyphen");
    TCase *tc = tcase_create("core");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, known_english_words);
    tcase_add_test(tc, capitalised_words);
    tcase_add_test(tc, punctuation_left_out);
    tcase_add_test(tc, minimum_left_and_right);
    tcase_add_test(tc, words_left_alone);
    tcase_add_test(tc, non_ascii_words);
    tcase_add_test(tc, own_limits_for_any_patterns);
    tcase_add_test(tc, layout_words_as_with_every_pattern);
    tcase_add_test(tc, other_words_lose_their_patterns);
    tcase_add_test(tc, combining_marks_keep_every_pattern);
    tcase_add_test(tc, prefix_states_stay);
    tcase_add_test(tc, replacement_patterns);
    tcase_add_test(tc, second_level_kept_whole);
    tcase_add_test(tc, open_errors);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
