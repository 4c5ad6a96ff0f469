/* slug.c - a safe, stable file name for one pledge of a batch (see
 * slug.h). */
#include "slug.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <hb.h>

#include "../util/utf8.h"

/* Latin letters that do not decompose into an ASCII base. */
static const struct {
    uint32_t cp;
    const char *ascii;
} latin[] = {
    { 0x00c6, "ae" }, { 0x00d0, "d" }, { 0x00d8, "o" }, { 0x00de, "th" },
    { 0x00df, "ss" }, { 0x00e6, "ae" }, { 0x00f0, "d" }, { 0x00f8, "o" },
    { 0x00fe, "th" }, { 0x0110, "d" }, { 0x0111, "d" }, { 0x0126, "h" },
    { 0x0127, "h" }, { 0x0131, "i" }, { 0x0132, "ij" }, { 0x0133, "ij" },
    { 0x0138, "k" }, { 0x013f, "l" }, { 0x0140, "l" }, { 0x0141, "l" },
    { 0x0142, "l" }, { 0x014a, "ng" }, { 0x014b, "ng" }, { 0x0152, "oe" },
    { 0x0153, "oe" }, { 0x0166, "t" }, { 0x0167, "t" }, { 0x017f, "s" },
    { 0x0192, "f" }, { 0x1e9e, "ss" },
    { 0xfb00, "ff" }, { 0xfb01, "fi" }, { 0xfb02, "fl" }, { 0xfb03, "ffi" },
    { 0xfb04, "ffl" }, { 0xfb05, "st" }, { 0xfb06, "st" },
};

/* Apostrophes are part of a name ("O'Brien", "D’Artagnan"), not a break
 * in it. */
static const uint32_t apostrophes[] = {
    0x0027, 0x2018, 0x2019, 0x02bb, 0x02bc,
};

/* Greek α..ω (U+03B1..U+03C9) after ELOT 743; υ after α, ε, η or ο is
 * handled apart. */
static const char *const greek[] = {
    "a", "v", "g", "d", "e", "z", "i", "th", "i", "k", "l", "m", "n", "x",
    "o", "p", "r", "s", "s", "t", "y", "f", "ch", "ps", "o",
};

/* Cyrillic а..я (U+0430..U+044F) and ѐ..џ (U+0450..U+045F) as ICAO 9303
 * writes them in passports; NULL where canonical decomposition does. */
static const char *const cyrillic[] = {
    "a", "b", "v", "g", "d", "e", "zh", "z", "i", "i", "k", "l", "m", "n",
    "o", "p", "r", "s", "t", "u", "f", "kh", "ts", "ch", "sh", "shch",
    "ie", "y", "", "e", "iu", "ia",
    NULL, NULL, "d", "g", "ie", "dz", "i", NULL, "j", "lj", "nj", "c", "k",
    NULL, "u", "dz",
};

typedef struct {
    char s[PLEDGE_SLUG_MAX];
    size_t len, cap;            /* cap: characters wanted, < sizeof s */
    int sep;                    /* a '-' is due before the next letter */
    uint32_t prev;              /* the last letter, for Greek digraphs */
} folded;

static void put(folded *f, const char *ascii)
{
    for (; *ascii != '\0' && f->len < f->cap; ascii++) {
        if (f->sep && f->len > 0)
            f->s[f->len++] = '-';
        f->sep = 0;
        if (f->len < f->cap)
            f->s[f->len++] = *ascii;
    }
}

static const char *lookup_latin(uint32_t cp)
{
    size_t i;

    for (i = 0; i < sizeof latin / sizeof latin[0]; i++)
        if (latin[i].cp == cp)
            return latin[i].ascii;
    return NULL;
}

static int is_apostrophe(uint32_t cp)
{
    size_t i;

    for (i = 0; i < sizeof apostrophes / sizeof apostrophes[0]; i++)
        if (apostrophes[i] == cp)
            return 1;
    return 0;
}

/* The Latin for a Greek or Cyrillic letter, or NULL; cp is lowered. */
static const char *transliterate(uint32_t *cp, uint32_t prev)
{
    uint32_t c = *cp;

    if (c >= 0x0391 && c <= 0x03a9)
        c += 0x20;
    else if (c >= 0x0410 && c <= 0x042f)
        c += 0x20;
    else if (c >= 0x0400 && c <= 0x040f)
        c += 0x50;
    else if (c == 0x0490)
        c = 0x0491;
    *cp = c;
    if (c == 0x03c5 && prev == 0x03bf)         /* ου */
        return "u";
    if (c == 0x03c5 && (prev == 0x03b1 || prev == 0x03b5 || prev == 0x03b7))
        return "v";                             /* αυ, ευ, ηυ */
    if (c >= 0x03b1 && c <= 0x03c9)
        return greek[c - 0x03b1];
    if (c >= 0x0430 && c <= 0x045f)
        return cyrillic[c - 0x0430];
    if (c == 0x0491)
        return "g";
    return NULL;
}

static void fold(folded *f, hb_unicode_funcs_t *uf, uint32_t cp)
{
    hb_unicode_general_category_t cat;
    hb_codepoint_t base = cp, a, b;
    const char *ascii;
    char one[2];

    if (cp < 0x80 && (cp - 'a' < 26 || cp - '0' < 10)) {
        one[0] = (char)cp, one[1] = '\0';
        put(f, one);
        f->prev = cp;
        return;
    }
    if (cp < 0x80 && cp - 'A' < 26) {
        one[0] = (char)(cp - 'A' + 'a'), one[1] = '\0';
        put(f, one);
        f->prev = cp;
        return;
    }
    if (is_apostrophe(cp))
        return;
    cat = hb_unicode_general_category(uf, cp);
    if (cat == HB_UNICODE_GENERAL_CATEGORY_NON_SPACING_MARK ||
        cat == HB_UNICODE_GENERAL_CATEGORY_SPACING_MARK ||
        cat == HB_UNICODE_GENERAL_CATEGORY_ENCLOSING_MARK)
        return;                 /* a decomposed accent: the letter is in */
    /* A diaeresis on Greek υ keeps it out of a digraph. */
    if (cp == 0x03ab || cp == 0x03cb || cp == 0x03b0) {
        put(f, "y");
        f->prev = 0x03c5;
        return;
    }
    if ((ascii = lookup_latin(cp)) != NULL ||
        (ascii = transliterate(&base, f->prev)) != NULL) {
        put(f, ascii);
        f->prev = base;
        return;
    }
    base = cp;
    while (hb_unicode_decompose(uf, base, &a, &b))
        base = a;
    if (base != cp) {
        fold(f, uf, base);
        return;
    }
    f->sep = 1;
    f->prev = 0;
}

void pledge_slug(size_t row, const char *name, char out[PLEDGE_SLUG_MAX])
{
    hb_unicode_funcs_t *uf = hb_unicode_funcs_get_default();
    folded f;
    size_t i = 0, len, k, max, cut;
    uint32_t cp;
    int n;

    n = snprintf(out, PLEDGE_SLUG_MAX, "%04zu-", row);
    max = PLEDGE_SLUG_MAX - 1 - (size_t)n;
    if (max > PLEDGE_SLUG_NAME_MAX)
        max = PLEDGE_SLUG_NAME_MAX;
    memset(&f, 0, sizeof f);
    /* One character more than fits tells whether the cut falls on a '-'. */
    f.cap = max + 1;
    len = name != NULL ? strlen(name) : 0;
    while (i < len && f.len < f.cap) {
        if (pledge_utf8_next(name, len, &i, &cp) < 0) {
            i++;
            f.sep = 1;
            f.prev = 0;
            continue;
        }
        fold(&f, uf, cp);
    }
    cut = f.len;
    if (f.len > max) {
        cut = max;
        if (f.s[max] != '-') {
            for (k = max; k > max / 2 && f.s[k - 1] != '-'; k--)
                ;
            if (k > max / 2)
                cut = k - 1;
        }
        while (cut > 0 && f.s[cut - 1] == '-')
            cut--;
    }
    if (cut == 0) {
        memcpy(f.s, "pledge", 6);
        cut = 6;
    }
    /* n + max < PLEDGE_SLUG_MAX, and cut <= max. */
    memcpy(out + n, f.s, cut);
    out[n + cut] = '\0';
}
