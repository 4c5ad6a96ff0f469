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
 *
 * Loading a whole pattern file costs more than everything else a pledge
 * needs of it, so pledge_hyphen_open_for() loads only the patterns that
 * can apply to a given text.  libhyphen looks a word w up as ".w." with
 * an Aho-Corasick automaton whose states are the prefixes of the
 * patterns' letters; at each byte it applies the match of the state it is
 * in, and only that one: it never unions the matches of shorter suffixes
 * (the files are preprocessed so that a pattern's match includes those of
 * the patterns inside it).  A pattern whose letters are not a substring of
 * ".w." never matches w, so it may go; but its prefixes are states, and
 * where the automaton would have stood in such a prefix P it may
 * otherwise stand in a shorter suffix of P that is a pattern, and apply
 * it.  So for a pattern that goes, the longest of its prefixes that is a
 * substring of the text and has a pattern as a proper suffix stays, as a
 * pattern of zeros: a state that applies nothing.  (hyph_en_US.dic needs
 * none: every such prefix is a pattern already.)  The automaton may then
 * stand in a shorter state than it would have, but never in a pattern it
 * would not have stood in, so every word of the text gets the same
 * matches as with every pattern.
 */
#include "hyphen.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hyphen.h>

#include "../util/err.h"
#include "../util/grow.h"
#include "../util/utf8.h"

#define LEFT_MIN    2       /* letters before a hyphen, at least */
#define RIGHT_MIN   3       /* letters after a hyphen, at least */
#define MAX_LETTERS 64      /* longer "words" are not words: left alone */

/* libhyphen reads a file with fgets() into fixed buffers: the charset
 * line into 20 bytes, every other line into 100, skipping lines that do
 * not fit. */
#define HNJ_CSET_MAX 18     /* charset line read whole: bytes before \n */
#define HNJ_LINE_MAX 98     /* any other line kept: bytes before \n */

struct pledge_hyphenator {
    HyphenDict *dict;
};

/* Loads patterns from f, read from dic_path. */
static int load(pledge_hyphenator **out, FILE *f, const char *dic_path,
                pledge_err *err)
{
    pledge_hyphenator *hy = calloc(1, sizeof *hy);

    if (hy == NULL)
        return pledge_err_set(err, "open hyphenation patterns %s: out of "
                              "memory", dic_path);
    hy->dict = hnj_hyphen_load_file(f);
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

int pledge_hyphen_open(pledge_hyphenator **out, const char *dic_path,
                       pledge_err *err)
{
    FILE *f;
    int rc;

    f = fopen(dic_path, "r");
    if (f == NULL)
        return pledge_err_set(err, "open hyphenation patterns %s: %s",
                              dic_path, strerror(errno));
    rc = load(out, f, dic_path, err);
    fclose(f);
    return rc;
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

/* Whether the paragraph setter hands cp to pledge_hyphen_points() as the
 * text has it: the font composes a letter and the combining marks after
 * it into one character where it can, and the shaper reorders complex
 * scripts, neither of which the text shows.  True of Latin, Greek and
 * Cyrillic without combining marks and of punctuation and symbols. */
static int shown_as_written(uint32_t cp)
{
    return cp < 0x300 || (cp >= 0x370 && cp <= 0x482) ||
           (cp >= 0x48a && cp <= 0x52f) || (cp >= 0x1e00 && cp <= 0x20cf) ||
           (cp >= 0x2100 && cp <= 0x2bff) || (cp >= 0xfb00 && cp <= 0xfb06);
}

/* Reads the run of letters at s[*i], whose first code point is a letter
 * and not a mark, and moves *i past it.  Fills cps[] with its letters and
 * offs[] with their byte offsets (offs[n]: the run's end).  Returns their
 * number n, or 0 for a run not to be hyphenated: too long, capitals only
 * (an acronym such as VAIMH) or too short for a hyphen. */
static size_t letter_run(const char *s, size_t len, size_t *i,
                         uint32_t *cps, size_t *offs)
{
    size_t n = 0, bases = 0, j;
    int lower_seen = 0, too_long = 0;
    uint32_t cp;

    for (j = *i; *i < len; *i = j) {
        if (pledge_utf8_next(s, len, &j, &cp) != 0 || !is_letter(cp))
            break;
        if (n == MAX_LETTERS) {
            too_long = 1;
            continue;
        }
        if (!is_mark(cp)) {
            bases++;
            if (lower(cp) == cp)
                lower_seen = 1;
        }
        offs[n] = *i;
        cps[n++] = cp;
    }
    offs[n] = *i;
    if (too_long || !lower_seen || bases < LEFT_MIN + RIGHT_MIN)
        return 0;
    return n;
}

/* Writes cps[0..n) as the patterns spell them, lower case UTF-8, to out
 * (room for PLEDGE_UTF8_MAX * n bytes).  Returns the bytes written. */
static size_t lookup_form(const uint32_t *cps, size_t n, char *out)
{
    size_t m, len = 0;

    for (m = 0; m < n; m++)
        len += pledge_utf8_encode(lower(cps[m]), out + len);
    return len;
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
    size_t i, j, k, n, m, lowlen, found, left, right;
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
    n = letter_run(word, len, &i, cps, offs);
    if (n == 0)
        return 0;

    lowlen = lookup_form(cps, n, low);
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

/* pledge_hyphen_open_for() and its helpers, from here on: see the top of
 * this file. */

/* A growing byte buffer. */
typedef struct {
    char *p;
    size_t n, cap;
} bytes;

static int put(bytes *b, const char *s, size_t len)
{
    char *q = pledge_grow(b->p, &b->cap, b->n + len, 1);

    if (q == NULL)
        return -1;
    memcpy(q + b->n, s, len);
    b->p = q;
    b->n += len;
    return 0;
}

/* Flags of a string in the set of the text's substrings. */
#define F_PATTERN   1       /* the letters of a pattern that is kept */
#define F_CHECKED   2       /* whether F_SUFFIX applies is known */
#define F_SUFFIX    4       /* a proper suffix has F_PATTERN */
#define F_STATE     8       /* written out as a state of its own */

/* A set of byte strings, each a stretch of one buffer named by its
 * offset, so that the buffer may move while the set grows: open
 * addressing with linear probing, at most half full. */
typedef struct {
    uint32_t hash;
    uint32_t off;
    uint16_t len;           /* 0: a free slot */
    uint8_t flags;
} entry;

typedef struct {
    entry *slots;
    size_t mask;            /* the number of slots, a power of two, - 1 */
    size_t n;
} strset;

#define FNV_BASIS 2166136261u
#define FNV_PRIME 16777619u

static uint32_t hash_step(uint32_t h, char c)
{
    return (h ^ (unsigned char)c) * FNV_PRIME;
}

static uint32_t hash_of(const char *s, size_t len)
{
    uint32_t h = FNV_BASIS;
    size_t i;

    for (i = 0; i < len; i++)
        h = hash_step(h, s[i]);
    return h;
}

/* slots: a power of two. */
static int set_init(strset *s, size_t slots)
{
    s->slots = calloc(slots, sizeof *s->slots);
    s->mask = slots - 1;
    s->n = 0;
    return s->slots != NULL ? 0 : -1;
}

/* The entry of str[0..len), whose hash is h, or NULL; base is the buffer
 * the set's offsets are into. */
static entry *set_find(const strset *s, const char *base, const char *str,
                       size_t len, uint32_t h)
{
    size_t i;

    for (i = h & s->mask; s->slots[i].len != 0; i = (i + 1) & s->mask) {
        entry *e = &s->slots[i];

        if (e->hash == h && e->len == len &&
            memcmp(base + e->off, str, len) == 0)
            return e;
    }
    return NULL;
}

static int set_grow(strset *s)
{
    strset big;
    size_t i, j;

    if (set_init(&big, 2 * (s->mask + 1)) < 0)
        return -1;
    for (i = 0; i <= s->mask; i++) {
        if (s->slots[i].len == 0)
            continue;
        for (j = s->slots[i].hash & big.mask; big.slots[j].len != 0;
             j = (j + 1) & big.mask)
            ;
        big.slots[j] = s->slots[i];
    }
    big.n = s->n;
    free(s->slots);
    *s = big;
    return 0;
}

/* Adds base[off..off+len), whose hash is h, unless an equal string is in
 * s already; 0 < len <= UINT16_MAX and off <= UINT32_MAX.  Returns 1 when
 * added, 0 when it was there, -1 when out of memory. */
static int set_add(strset *s, const char *base, size_t off, size_t len,
                   uint32_t h)
{
    size_t i;

    if (set_find(s, base, base + off, len, h) != NULL)
        return 0;
    if (2 * (s->n + 1) > s->mask + 1 && set_grow(s) < 0)
        return -1;
    for (i = h & s->mask; s->slots[i].len != 0; i = (i + 1) & s->mask)
        ;
    s->slots[i].hash = h;
    s->slots[i].off = (uint32_t)off;
    s->slots[i].len = (uint16_t)len;
    s->slots[i].flags = 0;
    s->n++;
    return 1;
}

/* The words of the texts as libhyphen looks them up, ".w.": each once,
 * one after another in buf, and the set of them. */
typedef struct {
    bytes buf;
    strset forms;
} words;

/* Adds the lookup form of every run of letters in text that
 * pledge_hyphen_points() would look up, whatever word holds it: a word's
 * letters are the first such run in it.  Returns 0, 1 when the text holds
 * a character that may reach pledge_hyphen_points() other than as
 * written, or -1 when out of memory. */
static int add_words(words *w, const char *text)
{
    uint32_t cps[MAX_LETTERS], cp;
    size_t offs[MAX_LETTERS + 1];
    size_t len = strlen(text), i, j, n, at;
    char *q;
    int rc;

    for (i = 0; i < len;) {
        if (pledge_utf8_next(text, len, &i, &cp) != 0)
            i++;
        else if (!shown_as_written(cp))
            return 1;
    }
    for (i = 0; i < len;) {
        j = i;
        if (pledge_utf8_next(text, len, &j, &cp) != 0) {
            i++;
            continue;
        }
        if (!is_letter(cp) || is_mark(cp)) {
            i = j;
            continue;
        }
        n = letter_run(text, len, &i, cps, offs);
        if (n == 0)
            continue;
        at = w->buf.n;
        q = pledge_grow(w->buf.p, &w->buf.cap,
                        at + PLEDGE_UTF8_MAX * n + 2, 1);
        if (q == NULL || at > UINT32_MAX - PLEDGE_UTF8_MAX * n - 2)
            return -1;
        w->buf.p = q;
        q[at] = '.';
        j = at + 1 + lookup_form(cps, n, q + at + 1);
        q[j++] = '.';
        rc = set_add(&w->forms, q, at, j - at, hash_of(q + at, j - at));
        if (rc < 0)
            return -1;
        w->buf.n = rc == 1 ? j : at;    /* a word seen before: dropped */
    }
    return 0;
}

typedef enum {
    LINE_SKIP,              /* a comment, or too long: libhyphen skips it */
    LINE_KEEP,              /* a setting such as LEFTHYPHENMIN */
    LINE_PATTERN,
    LINE_NEXTLEVEL          /* the compound level ends, the next begins */
} line_kind;

/* What libhyphen makes of a line (len bytes before its newline) after the
 * charset line, tested in its order. */
static line_kind classify(const char *line, size_t len)
{
    static const char *const settings[] = {
        "LEFTHYPHENMIN", "RIGHTHYPHENMIN", "COMPOUNDLEFTHYPHENMIN",
        "COMPOUNDRIGHTHYPHENMIN", "NOHYPHEN"
    };
    size_t k, n;

    if (len > HNJ_LINE_MAX)
        return LINE_SKIP;
    /* Settings are in capitals; patterns, nearly always, are not. */
    if (len == 0 || (line[0] != '%' && (line[0] < 'A' || line[0] > 'Z')))
        return LINE_PATTERN;
    if (len >= 9 && memcmp(line, "NEXTLEVEL", 9) == 0)
        return LINE_NEXTLEVEL;
    if (line[0] == '%')
        return LINE_SKIP;
    for (k = 0; k < sizeof settings / sizeof *settings; k++) {
        n = strlen(settings[k]);
        if (len >= n && memcmp(line, settings[k], n) == 0)
            return LINE_KEEP;
    }
    return LINE_PATTERN;
}

/* Writes to out the letters of a pattern line, what libhyphen keys its
 * state by: the bytes before any "/replacement,i,j" and before the first
 * space or control character, digits left out.  Returns their number and
 * sets *h to their hash. */
static size_t pattern_letters(const char *line, size_t len, char *out,
                              uint32_t *h)
{
    size_t i, n = 0;

    *h = FNV_BASIS;
    for (i = 0; i < len && line[i] != '/' &&
         (unsigned char)line[i] > ' '; i++) {
        if (line[i] < '0' || line[i] > '9') {
            out[n++] = line[i];
            *h = hash_step(*h, line[i]);
        }
    }
    return n;
}

/* Whether a proper suffix of e's string is the letters of a pattern kept;
 * remembered in e's flags. */
static int ends_in_pattern(const strset *s, const char *base, entry *e)
{
    const entry *x;
    size_t j;

    if (!(e->flags & F_CHECKED)) {
        e->flags |= F_CHECKED;
        for (j = 1; j < e->len; j++) {
            const char *str = base + e->off + j;

            x = set_find(s, base, str, e->len - j,
                         hash_of(str, e->len - j));
            if (x != NULL && (x->flags & F_PATTERN)) {
                e->flags |= F_SUFFIX;
                break;
            }
        }
    }
    return (e->flags & F_SUFFIX) != 0;
}

/* Adds to subs every substring of the lookup forms in w of at most max
 * bytes. */
static int add_substrings(strset *subs, const words *w, size_t max)
{
    const char *base = w->buf.p;
    size_t k, i, j;
    uint32_t h;

    for (k = 0; k <= w->forms.mask; k++) {
        const entry *f = &w->forms.slots[k];

        for (i = 0; i < f->len; i++) {
            h = FNV_BASIS;
            for (j = i; j < f->len && j - i < max; j++) {
                h = hash_step(h, base[f->off + j]);
                if (set_add(subs, base, f->off + i, j - i + 1, h) < 0)
                    return -1;
            }
        }
    }
    return 0;
}

/* A line of the first level of a pattern file. */
typedef struct {
    size_t start, end;          /* in the file; end past the newline */
    size_t let, nlet;           /* a pattern's letters, in a buffer */
    uint32_t hash;              /* ... and their hash */
    line_kind kind;
    int keep;
} line_info;

/* Writes to out the pattern file data[0..size) with only the patterns of
 * its first (or only) level that can apply to the words in w, and the
 * states that keep libhyphen's automaton where it was (see the top of
 * this file).  Lines are copied as they are; the states come right after
 * the charset line, as patterns of zeros; a compound file's second level
 * is kept whole, since libhyphen looks parts of words up there and
 * rewrites them.  Returns 0, or -1 when out of memory. */
static int filter(const char *data, size_t size, const words *w,
                  bytes *out)
{
    const char *base = w->buf.p, *nl;
    char *let = NULL;
    line_info *lines = NULL, *ln;
    size_t caplines = 0, nlines = 0, nlet = 0, longest = 0;
    size_t first, pos, next, len, rest, depth, i, k;
    const char *prev;
    entry *best[HNJ_LINE_MAX + 1];  /* the state for the first k letters */
    uint32_t hash[HNJ_LINE_MAX + 1];    /* the hash of the first k */
    strset subs;
    entry *e, *state;
    line_kind kind;
    int rc = -1;

    subs.slots = NULL;
    nl = memchr(data, '\n', size);
    len = nl != NULL ? (size_t)(nl - data) : size;
    first = nl != NULL ? len + 1 : size;
    if (len > HNJ_CSET_MAX)     /* libhyphen reads it in pieces */
        return put(out, data, size);

    /* The lines of the first level, with the letters of its patterns. */
    if ((let = malloc(size + 1)) == NULL)
        goto done;
    for (pos = first; pos < size; pos = next) {
        nl = memchr(data + pos, '\n', size - pos);
        len = nl != NULL ? (size_t)(nl - data) - pos : size - pos;
        next = nl != NULL ? pos + len + 1 : size;
        kind = classify(data + pos, len);
        if (kind == LINE_NEXTLEVEL)
            break;
        if (nlines == caplines) {
            ln = pledge_grow(lines, &caplines, nlines + 1, sizeof *lines);
            if (ln == NULL)
                goto done;
            lines = ln;
        }
        ln = &lines[nlines++];
        ln->start = pos;
        ln->end = next;
        ln->kind = kind;
        ln->keep = kind == LINE_KEEP;
        ln->let = nlet;
        ln->nlet = 0;
        if (kind == LINE_PATTERN) {
            ln->nlet = pattern_letters(data + pos, len, let + nlet,
                                       &ln->hash);
            nlet += ln->nlet;
            if (ln->nlet > longest)
                longest = ln->nlet;
        }
    }
    rest = pos;

    /* The patterns that can match: their letters are in the text. */
    if (set_init(&subs, 1024) < 0 || add_substrings(&subs, w, longest) < 0)
        goto done;
    for (i = 0; i < nlines; i++) {
        ln = &lines[i];
        if (ln->kind != LINE_PATTERN)
            continue;
        if (ln->nlet == 0) {
            ln->keep = 1;
            continue;
        }
        e = set_find(&subs, base, let + ln->let, ln->nlet, ln->hash);
        if (e != NULL) {
            e->flags |= F_PATTERN;
            ln->keep = 1;
        }
    }

    if (put(out, data, first) < 0)
        goto done;
    /* For each pattern gone, the longest of its prefixes in the text that
     * ends in a pattern, as a state.  Patterns come sorted, so a pattern
     * starts with much of the one before: what was found for the prefixes
     * they share is not looked for again. */
    depth = 0;
    prev = NULL;
    best[0] = NULL;
    hash[0] = FNV_BASIS;
    for (i = 0; i < nlines; i++) {
        const char *l = let + lines[i].let;
        size_t n = lines[i].nlet;

        if (lines[i].kind != LINE_PATTERN || lines[i].keep)
            continue;
        /* Its proper prefixes up to k letters long are prev's. */
        for (k = 0; k < depth && k + 1 < n && l[k] == prev[k]; k++)
            ;
        for (; k + 1 < n; k++) {
            hash[k + 1] = hash_step(hash[k], l[k]);
            e = set_find(&subs, base, l, k + 1, hash[k + 1]);
            if (e == NULL)
                break;
            best[k + 1] = !(e->flags & F_PATTERN) &&
                          ends_in_pattern(&subs, base, e) ? e : best[k];
        }
        depth = k;
        prev = l;
        state = best[k];
        if (state != NULL && !(state->flags & F_STATE)) {
            state->flags |= F_STATE;
            if (put(out, "0", 1) < 0 ||
                put(out, base + state->off, state->len) < 0 ||
                put(out, "\n", 1) < 0)
                goto done;
        }
    }
    for (i = 0; i < nlines; i++)
        if (lines[i].keep &&
            put(out, data + lines[i].start,
                lines[i].end - lines[i].start) < 0)
            goto done;
    rc = put(out, data + rest, size - rest);

done:
    free(subs.slots);
    free(lines);
    free(let);
    return rc;
}

/* Reads the file at path whole into b. */
static int read_all(const char *path, bytes *b, pledge_err *err)
{
    FILE *f = fopen(path, "r");
    size_t got;
    char *q;

    if (f == NULL)
        return pledge_err_set(err, "open hyphenation patterns %s: %s",
                              path, strerror(errno));
    for (;;) {
        q = pledge_grow(b->p, &b->cap, b->n + 65536, 1);
        if (q == NULL) {
            fclose(f);
            return pledge_err_set(err, "read hyphenation patterns %s: out "
                                  "of memory", path);
        }
        b->p = q;
        got = fread(b->p + b->n, 1, b->cap - b->n, f);
        if (got == 0)
            break;
        b->n += got;
    }
    if (ferror(f)) {
        fclose(f);
        return pledge_err_set(err, "read hyphenation patterns %s: %s",
                              path, strerror(errno));
    }
    fclose(f);
    return 0;
}

int pledge_hyphen_open_for(pledge_hyphenator **out, const char *dic_path,
                           const char *const *texts, size_t ntexts,
                           pledge_err *err)
{
    words w;
    bytes data, kept;
    FILE *f = NULL;
    size_t t;
    int rc = -1, unsure = 0;

    memset(&w, 0, sizeof w);
    memset(&data, 0, sizeof data);
    memset(&kept, 0, sizeof kept);
    if (set_init(&w.forms, 256) < 0)
        goto nomem;
    for (t = 0; t < ntexts && !unsure; t++) {
        unsure = texts[t] != NULL ? add_words(&w, texts[t]) : 0;
        if (unsure < 0)
            goto nomem;
    }
    if (unsure) {
        rc = pledge_hyphen_open(out, dic_path, err);
        goto done;
    }
    if (read_all(dic_path, &data, err) < 0)
        goto done;
    /* An empty file reads as an empty charset line either way. */
    if (filter(data.p, data.n, &w, &kept) < 0 ||
        (kept.n == 0 && put(&kept, "\n", 1) < 0))
        goto nomem;
    f = fmemopen(kept.p, kept.n, "r");
    if (f == NULL) {
        pledge_err_set(err, "open hyphenation patterns %s: %s", dic_path,
                       strerror(errno));
        goto done;
    }
    rc = load(out, f, dic_path, err);
    goto done;

nomem:
    pledge_err_set(err, "open hyphenation patterns %s: out of memory",
                   dic_path);
done:
    if (f != NULL)
        fclose(f);
    free(w.buf.p);
    free(w.forms.slots);
    free(data.p);
    free(kept.p);
    return rc;
}
