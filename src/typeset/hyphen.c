/* hyphen.c - where a word may be hyphenated, from libhyphen patterns.
 *
 * Two headers share the name hyphen.h: ours, included as "hyphen.h" and
 * found beside this file, and libhyphen's, included as <hyphen.h> and found
 * in /usr/include because no -I option names src/typeset.  Their include
 * guards differ (PLEDGE_HYPHEN_H, __HYPHEN_H__), so both are seen.
 *
 * Only the word's letters are looked up, as TeX does: leading and
 * trailing punctuation and anything after the first run of letters (the
 * "'s" of "infant's") are left out, so "(relationship," hyphenates like
 * "relationship" and "individual's" like "individual".  The patterns are
 * lower case, so the letters are lowercased first; hyphen-en-us's
 * dictionary is UTF-8, and libhyphen then numbers its hyphen vector by
 * code point, not by byte.
 */
#include "hyphen.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hyphen.h>

#include "../util/err.h"
#include "../util/utf8.h"

#define LEFT_MIN    2       /* letters before a hyphen, at least */
#define RIGHT_MIN   3       /* letters after a hyphen, at least */
#define MAX_LETTERS 64      /* longer "words" are not words: left alone */

struct pledge_hyphenator {
    HyphenDict *dict;
};

int pledge_hyphen_open(pledge_hyphenator **out, const char *dic_path,
                       pledge_err *err)
{
    pledge_hyphenator *hy;
    FILE *f;

    f = fopen(dic_path, "r");
    if (f == NULL)
        return pledge_err_set(err, "open hyphenation patterns %s: %s",
                              dic_path, strerror(errno));
    hy = calloc(1, sizeof *hy);
    if (hy == NULL) {
        fclose(f);
        return pledge_err_set(err, "open hyphenation patterns %s: out of "
                              "memory", dic_path);
    }
    hy->dict = hnj_hyphen_load_file(f);
    fclose(f);
    if (hy->dict == NULL) {
        pledge_err_set(err, "open hyphenation patterns %s: not a libhyphen "
                       "pattern file", dic_path);
        goto fail;
    }
    if (!hy->dict->utf8) {
        pledge_err_set(err, "open hyphenation patterns %s: encoded in %s, "
                       "not UTF-8", dic_path, hy->dict->cset);
        goto fail;
    }
    *out = hy;
    return 0;

fail:
    pledge_hyphen_close(hy);
    return -1;
}

void pledge_hyphen_close(pledge_hyphenator *hy)
{
    if (hy == NULL)
        return;
    if (hy->dict != NULL)
        hnj_hyphen_free(hy->dict);
    free(hy);
}

/* Combining marks: never separated from the letter before them, and not
 * counted as letters of their own. */
static int is_mark(uint32_t cp)
{
    return (cp >= 0x300 && cp <= 0x36f) || (cp >= 0x1ab0 && cp <= 0x1aff) ||
           (cp >= 0x1dc0 && cp <= 0x1dff) || (cp >= 0x20d0 && cp <= 0x20ff) ||
           (cp >= 0xfe20 && cp <= 0xfe2f);
}

/* Letters, roughly: ASCII letters and everything from Latin-1's letters
 * on except the punctuation and symbol blocks.  Exact enough to find
 * where the letters of a word start and stop. */
static int is_letter(uint32_t cp)
{
    if (cp < 0x80)
        return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z');
    if (cp < 0xc0 || cp == 0xd7 || cp == 0xf7)
        return 0;
    if (cp == 0x37e || cp == 0x387)         /* Greek question mark, ano */
        return 0;
    if (cp >= 0x2000 && cp <= 0x2bff)       /* punctuation, symbols */
        return 0;
    if ((cp >= 0x3000 && cp <= 0x303f) || (cp >= 0xfe10 && cp <= 0xfe6f) ||
        (cp >= 0xff00 && cp <= 0xff20) || (cp >= 0xd800 && cp <= 0xf8ff))
        return 0;
    return 1;
}

/* Characters that mark a compound or alternative: such words break there
 * (the paragraph setter's business) and are not hyphenated. */
static int is_joiner(uint32_t cp)
{
    return cp == '-' || cp == '/' || cp == 0xad ||
           (cp >= 0x2010 && cp <= 0x2015) || cp == 0x2212 || cp == 0x2044;
}

/* Lower case for the scripts the pattern files cover; every mapping keeps
 * the UTF-8 length. */
static uint32_t lower(uint32_t cp)
{
    if (cp >= 'A' && cp <= 'Z')
        return cp + 32;
    if (cp < 0xc0)
        return cp;
    if (cp <= 0xde && cp != 0xd7)
        return cp + 32;
    if (cp >= 0x100 && cp <= 0x17f) {
        if (cp == 0x130 || cp == 0x131)     /* Turkish dotted, dotless i */
            return cp;
        if (cp == 0x178)
            return 0xff;
        if ((cp >= 0x139 && cp <= 0x148) || (cp >= 0x179 && cp <= 0x17e))
            return cp & 1 ? cp + 1 : cp;
        if (cp == 0x138 || cp == 0x149 || cp == 0x17f)
            return cp;
        return cp & 1 ? cp : cp + 1;
    }
    if (cp >= 0x391 && cp <= 0x3a9 && cp != 0x3a2)
        return cp + 32;
    if (cp >= 0x410 && cp <= 0x42f)
        return cp + 32;
    if (cp >= 0x400 && cp <= 0x40f)
        return cp + 80;
    if (cp >= 0x1e00 && cp <= 0x1eff && !(cp >= 0x1e96 && cp <= 0x1e9f))
        return cp & 1 ? cp : cp + 1;
    return cp;
}

static void free_rep(char **rep, int *pos, int *cut, size_t n)
{
    size_t i;

    if (rep != NULL) {
        for (i = 0; i < n; i++)
            free(rep[i]);
        free(rep);
    }
    free(pos);
    free(cut);
}

size_t pledge_hyphen_points(const pledge_hyphenator *hy, const char *word,
                            size_t len, size_t *offsets, size_t max)
{
    uint32_t cps[MAX_LETTERS];
    size_t offs[MAX_LETTERS + 1];    /* byte offset of each letter */
    char low[PLEDGE_UTF8_MAX * MAX_LETTERS + 1];
    char hyph[PLEDGE_UTF8_MAX * MAX_LETTERS + 5];
    char **rep = NULL;
    int *pos = NULL, *cut = NULL;
    size_t i, j, k, n, m, lowlen, found, left, right, bases;
    int lower_seen;
    uint32_t cp;

    if (hy == NULL || word == NULL || len == 0 || max == 0)
        return 0;

    /* The whole word: no digits, no compound, valid UTF-8.  Decoding
     * below cannot fail after this. */
    for (i = 0; i < len;) {
        if (pledge_utf8_next(word, len, &i, &cp) != 0 ||
            (cp >= '0' && cp <= '9') || is_joiner(cp))
            return 0;
    }

    /* The letters: the first run of letters after any leading
     * punctuation.  j is where the code point after the one at i
     * starts. */
    for (i = j = 0; i < len; i = j) {
        pledge_utf8_next(word, len, &j, &cp);
        if (is_letter(cp) && !is_mark(cp))
            break;
    }
    n = 0;
    lower_seen = 0;
    bases = 0;
    for (j = i; i < len; i = j) {
        pledge_utf8_next(word, len, &j, &cp);
        if (!is_letter(cp))
            break;
        if (n == MAX_LETTERS)
            return 0;
        if (!is_mark(cp)) {
            bases++;
            if (lower(cp) == cp)
                lower_seen = 1;
        }
        offs[n] = i;
        cps[n++] = cp;
    }
    offs[n] = i;
    /* Capitals only: an acronym such as VAIMH, not to be broken. */
    if (!lower_seen || bases < LEFT_MIN + RIGHT_MIN)
        return 0;

    lowlen = 0;
    for (m = 0; m < n; m++)
        lowlen += pledge_utf8_encode(lower(cps[m]), low + lowlen);
    low[lowlen] = '\0';
    memset(hyph, 0, sizeof hyph);
    if (hnj_hyphen_hyphenate2(hy->dict, low, (int)lowlen, hyph, NULL,
                              &rep, &pos, &cut) != 0) {
        free_rep(rep, pos, cut, lowlen);
        return 0;
    }

    /* hyph[m] odd: a hyphen may follow letter m. */
    found = 0;
    left = 0;
    for (m = 0; m + 1 < n && found < max; m++) {
        if (!is_mark(cps[m]))
            left++;
        if (!(hyph[m] & 1) || is_mark(cps[m + 1]))
            continue;
        if (rep != NULL && rep[m] != NULL)
            continue;       /* a change of spelling: not ours to make */
        right = 0;
        for (k = m + 1; k < n; k++)
            if (!is_mark(cps[k]))
                right++;
        if (left < LEFT_MIN || right < RIGHT_MIN)
            continue;
        offsets[found++] = offs[m + 1];
    }
    free_rep(rep, pos, cut, lowlen);
    return found;
}
