/* frontmatter.c - the YAML front matter of a layout, read into pledge_meta.
 *
 * libyaml composes the text into a node tree; the tree is then walked
 * against a fixed table of the keys the layout format knows.  libyaml does
 * not resolve types, so every scalar arrives as text and the table says
 * what it must be.  Marks from libyaml are 0-based lines of the front
 * matter; messages add first_line to give lines of the file.
 */
#include "frontmatter.h"

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

/* The smallest text block a layout may leave, either way, on any paper a
 * pledge can be rendered on: narrower than two inches sets a few words to
 * the line and is certainly a mistake in the margins. */
#define MIN_MEASURE 144.0

#define FONT_SIZE_MIN 6.0
#define FONT_SIZE_MAX 24.0
#define LEADING_MAX_RATIO 3.0

/* The sizes of the papers a layout may be rendered on, in pt. */
#define LETTER_W 612.0
#define LETTER_H 792.0
#define A4_W (210.0 * 72.0 / 25.4)
#define A4_H (297.0 * 72.0 / 25.4)

enum key_id {
    K_ID, K_ASSOCIATION, K_ASSOC_NAME, K_ASSOC_SHORT, K_TITLE, K_REVISION,
    K_SOURCE, K_LANGUAGE, K_PAGE, K_PAGE_SIZE, K_MARGINS, K_MARGIN_TOP,
    K_MARGIN_BOTTOM, K_MARGIN_INNER, K_MARGIN_OUTER, K_FONT, K_FONT_FAMILY,
    K_FONT_SIZE, K_FONT_LEADING, K_ALIGN, K_COMMITMENT, K_COMMIT_TEXT,
    K_COMMIT_SUPPLIED, K_NOTES, K_COUNT
};

enum value_kind {
    V_MAP,          /* a mapping of the keys in sub */
    V_TEXT,         /* a non-empty string */
    V_ID,           /* [a-z0-9-]+ */
    V_LANGUAGE,     /* a BCP 47 tag */
    V_PAPER,        /* letter | a4 */
    V_ALIGN,        /* justify | ragged */
    V_MARGIN,       /* a length >= 0 */
    V_FONT_SIZE,    /* a length within FONT_SIZE_MIN..MAX */
    V_LEADING,      /* a length > 0; checked against the size at the end */
    V_BOOL,         /* true | false */
    V_NOTES         /* a list of non-empty strings */
};

struct key {
    const char *name;
    enum key_id id;
    enum value_kind kind;
    int required;
    const struct key *sub;      /* V_MAP: its keys, ended by name NULL */
    size_t off;                 /* leaves: the field in pledge_meta */
};

#define FIELD(f) offsetof(pledge_meta, f)

static const struct key association_keys[] = {
    { "name", K_ASSOC_NAME, V_TEXT, 1, NULL, FIELD(association) },
    { "short", K_ASSOC_SHORT, V_TEXT, 1, NULL, FIELD(short_name) },
    { NULL, K_COUNT, V_MAP, 0, NULL, 0 }
};

static const struct key margin_keys[] = {
    { "top", K_MARGIN_TOP, V_MARGIN, 0, NULL, FIELD(margin_top) },
    { "bottom", K_MARGIN_BOTTOM, V_MARGIN, 0, NULL, FIELD(margin_bottom) },
    { "inner", K_MARGIN_INNER, V_MARGIN, 0, NULL, FIELD(margin_inner) },
    { "outer", K_MARGIN_OUTER, V_MARGIN, 0, NULL, FIELD(margin_outer) },
    { NULL, K_COUNT, V_MAP, 0, NULL, 0 }
};

static const struct key page_keys[] = {
    { "size", K_PAGE_SIZE, V_PAPER, 0, NULL, FIELD(paper) },
    { "margins", K_MARGINS, V_MAP, 0, margin_keys, 0 },
    { NULL, K_COUNT, V_MAP, 0, NULL, 0 }
};

static const struct key font_keys[] = {
    { "family", K_FONT_FAMILY, V_TEXT, 0, NULL, FIELD(font_family) },
    { "size", K_FONT_SIZE, V_FONT_SIZE, 0, NULL, FIELD(font_size) },
    { "leading", K_FONT_LEADING, V_LEADING, 0, NULL, FIELD(leading) },
    { NULL, K_COUNT, V_MAP, 0, NULL, 0 }
};

static const struct key commitment_keys[] = {
    { "text", K_COMMIT_TEXT, V_TEXT, 1, NULL, FIELD(commitment) },
    { "supplied", K_COMMIT_SUPPLIED, V_BOOL, 0, NULL,
      FIELD(commitment_supplied) },
    { NULL, K_COUNT, V_MAP, 0, NULL, 0 }
};

static const struct key root_keys[] = {
    { "id", K_ID, V_ID, 1, NULL, FIELD(id) },
    { "association", K_ASSOCIATION, V_MAP, 1, association_keys, 0 },
    { "title", K_TITLE, V_TEXT, 1, NULL, FIELD(title) },
    { "revision", K_REVISION, V_TEXT, 1, NULL, FIELD(revision) },
    { "source", K_SOURCE, V_TEXT, 0, NULL, FIELD(source) },
    { "language", K_LANGUAGE, V_LANGUAGE, 0, NULL, FIELD(language) },
    { "page", K_PAGE, V_MAP, 0, page_keys, 0 },
    { "font", K_FONT, V_MAP, 0, font_keys, 0 },
    { "align", K_ALIGN, V_ALIGN, 0, NULL, FIELD(align) },
    { "commitment", K_COMMITMENT, V_MAP, 1, commitment_keys, 0 },
    { "notes", K_NOTES, V_NOTES, 0, NULL, 0 },
    { NULL, K_COUNT, V_MAP, 0, NULL, 0 }
};

struct fm {
    yaml_document_t *doc;
    const char *name;
    int first_line;
    pledge_err *err;
    pledge_meta *meta;
    int line[K_COUNT];          /* file line of each key given, else 0 */
    unsigned char *used;        /* by node index: already read */
    size_t nnodes;
};

/* Sets "read NAME line N: " followed by the formatted message. */
static int fail_at(struct fm *fm, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail_at(struct fm *fm, int line, const char *fmt, ...)
{
    char msg[sizeof fm->err->msg];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return pledge_err_set(fm->err, "read %s line %d: %s", fm->name, line,
                          msg);
}

static int mark_line(const struct fm *fm, yaml_mark_t mark)
{
    return (int)mark.line + fm->first_line;
}

static int node_line(const struct fm *fm, const yaml_node_t *node)
{
    return mark_line(fm, node->start_mark);
}

static yaml_node_t *node_at(const struct fm *fm, int index)
{
    return yaml_document_get_node(fm->doc, index);
}

/* YAML's spellings of null: a key given with no value. */
static int is_null(const yaml_node_t *n)
{
    const char *v;

    if (n->type != YAML_SCALAR_NODE ||
        n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
        return 0;
    v = (const char *)n->data.scalar.value;
    return n->data.scalar.length == 0 || strcmp(v, "~") == 0 ||
           strcmp(v, "null") == 0 || strcmp(v, "Null") == 0 ||
           strcmp(v, "NULL") == 0;
}

static const char *describe(const yaml_node_t *n)
{
    switch (n->type) {
    case YAML_MAPPING_NODE:
        return "a mapping";
    case YAML_SEQUENCE_NODE:
        return "a list";
    default:
        return "a string";
    }
}

static int type_error(struct fm *fm, int line, const char *path,
                      const char *want, const yaml_node_t *n)
{
    if (is_null(n))
        return fail_at(fm, line, "'%s' has no value", path);
    return fail_at(fm, line, "'%s' must be %s, not %s", path, want,
                   describe(n));
}

/* Copies the scalar n with every run of ASCII white space made one space
 * and none at either end: a title or a folded commitment is one line of
 * text to the typesetter.  The caller frees *out with free(). */
static int get_text(struct fm *fm, const yaml_node_t *n, int line,
                    const char *path, char **out)
{
    const char *v;
    size_t len, i, j;
    char *s;
    int space;

    if (n->type != YAML_SCALAR_NODE || is_null(n))
        return type_error(fm, line, path, "a string", n);
    v = (const char *)n->data.scalar.value;
    len = n->data.scalar.length;
    /* A double-quoted "\0" is the only way a NUL gets this far. */
    if (memchr(v, '\0', len) != NULL)
        return fail_at(fm, line, "'%s' holds a NUL character", path);
    s = malloc(len + 1);
    if (s == NULL)
        return fail_at(fm, line, "out of memory");
    space = 0;
    for (i = j = 0; i < len; i++) {
        if (v[i] == ' ' || v[i] == '\t' || v[i] == '\n' || v[i] == '\r') {
            space = 1;
            continue;
        }
        if (space && j > 0)
            s[j++] = ' ';
        space = 0;
        s[j++] = v[i];
    }
    s[j] = '\0';
    if (j == 0) {
        free(s);
        return fail_at(fm, line, "'%s' is empty", path);
    }
    *out = s;
    return 0;
}

/* Takes node index for reading.  A node read twice is the target of a
 * YAML alias: a layout has no use for them, and a list of aliases to one
 * long string would multiply memory. */
static int take(struct fm *fm, int index)
{
    if (index < 1 || (size_t)index > fm->nnodes || fm->used[index])
        return -1;
    fm->used[index] = 1;
    return 0;
}

/* Compares two words case-insensitively in ASCII alone, so that no locale
 * (tr_TR's dotless i) can change what a layout means. */
static int same_word(const char *a, const char *b)
{
    char x, y;

    for (; *a != '\0' && *b != '\0'; a++, b++) {
        x = *a >= 'A' && *a <= 'Z' ? (char)(*a - 'A' + 'a') : *a;
        y = *b >= 'A' && *b <= 'Z' ? (char)(*b - 'A' + 'a') : *b;
        if (x != y)
            return 0;
    }
    return *a == *b;
}

static int is_id(const char *s)
{
    if (*s == '\0')
        return 0;
    for (; *s != '\0'; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
              *s == '-'))
            return 0;
    return 1;
}

static int is_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int is_alnum(char c)
{
    return is_alpha(c) || (c >= '0' && c <= '9');
}

/* The shape of a BCP 47 tag: a language of 2 to 8 letters, then subtags
 * of 1 to 8 letters or digits.  Whether hyphenation patterns exist for it
 * is for the engine to say. */
static int is_language(const char *s)
{
    size_t n;

    for (n = 0; is_alpha(s[n]); n++)
        ;
    if (n < 2 || n > 8)
        return 0;
    s += n;
    while (*s == '-') {
        s++;
        for (n = 0; is_alnum(s[n]); n++)
            ;
        if (n < 1 || n > 8)
            return 0;
        s += n;
    }
    return *s == '\0';
}

/*
 * Parses a length: a decimal number with an optional unit pt, mm, cm or
 * in (a bare number is pt).  Returns 0 with *pt set, 1 for a negative
 * number, -1 for anything else.  The number is read by hand, not with
 * strtod(), so that neither the locale nor hex, exponents, inf or nan
 * can change what a layout means.
 */
static int parse_length(const char *s, double *pt)
{
    static const struct {
        const char *name;
        double pt;
    } units[] = {
        { "pt", 1.0 }, { "mm", 72.0 / 25.4 }, { "cm", 72.0 / 2.54 },
        { "in", 72.0 }
    };
    uint64_t mant = 0;
    int digits = 0, frac = -1, negative = 0;
    double v, scale = 1.0;
    size_t i;

    if (*s == '-' || *s == '+') {
        negative = *s == '-';
        s++;
    }
    for (; (*s >= '0' && *s <= '9') || *s == '.'; s++) {
        if (*s == '.') {
            if (frac >= 0)
                return -1;
            frac = 0;
            continue;
        }
        if (++digits > 15)
            return -1;
        mant = mant * 10 + (uint64_t)(*s - '0');
        if (frac >= 0)
            frac++;
    }
    if (digits == 0)
        return -1;
    for (; frac > 0; frac--)
        scale *= 10.0;
    v = (double)mant / scale;
    while (*s == ' ')
        s++;
    if (*s != '\0') {
        for (i = 0; i < sizeof units / sizeof units[0]; i++)
            if (same_word(s, units[i].name))
                break;
        if (i == sizeof units / sizeof units[0])
            return -1;
        v *= units[i].pt;
    }
    if (negative && v != 0.0)
        return 1;
    *pt = v;
    return 0;
}

/* Reads the scalar n as the word first or second, in any case, setting
 * *which to 0 or 1; anything else is an error naming both. */
static int get_either(struct fm *fm, const yaml_node_t *n, int line,
                      const char *path, const char *first,
                      const char *second, int *which)
{
    char *s;
    int r = 0;

    if (get_text(fm, n, line, path, &s) != 0)
        return -1;
    if (same_word(s, first))
        *which = 0;
    else if (same_word(s, second))
        *which = 1;
    else
        r = fail_at(fm, line, "'%s' must be %s or %s, not '%.60s'", path,
                    first, second, s);
    free(s);
    return r;
}

static int set_length(struct fm *fm, const yaml_node_t *n, int line,
                      const char *path, double *out)
{
    char *s;
    double v;
    int r;

    if (get_text(fm, n, line, path, &s) != 0)
        return -1;
    r = parse_length(s, &v);
    if (r < 0) {
        fail_at(fm, line, "'%s' must be a length such as 72, \"20mm\", "
                "\"0.75in\", \"54pt\" or \"2cm\", not '%.40s'", path, s);
        free(s);
        return -1;
    }
    free(s);
    if (r > 0)
        return fail_at(fm, line, "'%s' must not be negative", path);
    *out = v;
    return 0;
}

static int set_notes(struct fm *fm, const yaml_node_t *n, int line,
                     const char *path)
{
    pledge_meta *m = fm->meta;
    yaml_node_item_t *it;
    size_t count, i;
    char **notes;

    if (n->type != YAML_SEQUENCE_NODE)
        return type_error(fm, line, path, "a list of strings", n);
    count = (size_t)(n->data.sequence.items.top -
                     n->data.sequence.items.start);
    if (count == 0)
        return 0;
    notes = calloc(count, sizeof *notes);
    if (notes == NULL)
        return fail_at(fm, line, "out of memory");
    m->notes = notes;
    i = 0;
    for (it = n->data.sequence.items.start;
         it < n->data.sequence.items.top; it++) {
        yaml_node_t *item = node_at(fm, *it);

        if (take(fm, *it) != 0)
            return fail_at(fm, line, "'%s' holds a YAML alias; aliases are "
                           "not supported in a layout", path);
        if (get_text(fm, item, node_line(fm, item), path, &notes[i]) != 0)
            return -1;
        m->nnotes = ++i;
    }
    return 0;
}

static int walk_map(struct fm *fm, const yaml_node_t *map,
                    const struct key *keys, const char *prefix);

/* Reads the value n of key k, whose own line is line, into fm->meta. */
static int set_value(struct fm *fm, const struct key *k, const yaml_node_t *n,
                     int line, const char *path)
{
    char *field_base = (char *)fm->meta + k->off;
    char **str = (char **)(void *)field_base;
    double *num = (double *)(void *)field_base;
    char *s = NULL;
    const char *v;
    int which;

    switch (k->kind) {
    case V_MAP:
        if (n->type != YAML_MAPPING_NODE)
            return type_error(fm, line, path, "a mapping of keys", n);
        return walk_map(fm, n, k->sub, path);
    case V_TEXT:
    case V_ID:
    case V_LANGUAGE:
        if (get_text(fm, n, line, path, &s) != 0)
            return -1;
        if (k->kind == V_ID && !is_id(s)) {
            fail_at(fm, line, "'%s' must be lower-case letters, digits and "
                    "'-', not '%.60s'", path, s);
            free(s);
            return -1;
        }
        if (k->kind == V_LANGUAGE && !is_language(s)) {
            fail_at(fm, line, "'%s' must be a language tag such as en-US, "
                    "not '%.60s'", path, s);
            free(s);
            return -1;
        }
        free(*str);
        *str = s;
        return 0;
    case V_PAPER:
        if (get_either(fm, n, line, path, "letter", "a4", &which) != 0)
            return -1;
        fm->meta->paper = which == 0 ? PLEDGE_PAPER_LETTER : PLEDGE_PAPER_A4;
        return 0;
    case V_ALIGN:
        if (get_either(fm, n, line, path, "justify", "ragged", &which) != 0)
            return -1;
        fm->meta->align = which == 0 ? PLEDGE_ALIGN_JUSTIFY
                                     : PLEDGE_ALIGN_RAGGED;
        return 0;
    case V_MARGIN:
        return set_length(fm, n, line, path, num);
    case V_FONT_SIZE:
        if (set_length(fm, n, line, path, num) != 0)
            return -1;
        if (*num < FONT_SIZE_MIN || *num > FONT_SIZE_MAX)
            return fail_at(fm, line, "'%s' must be from %gpt to %gpt, not "
                           "%gpt", path, FONT_SIZE_MIN, FONT_SIZE_MAX, *num);
        return 0;
    case V_LEADING:
        if (set_length(fm, n, line, path, num) != 0)
            return -1;
        if (*num <= 0.0)
            return fail_at(fm, line, "'%s' must be more than 0pt", path);
        return 0;
    case V_BOOL:
        if (n->type != YAML_SCALAR_NODE || is_null(n))
            return type_error(fm, line, path, "true or false", n);
        /* Quoted "true" is a string in YAML, and so not a boolean here. */
        v = (const char *)n->data.scalar.value;
        if (n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE ||
            (!same_word(v, "true") && !same_word(v, "false")))
            return fail_at(fm, line, "'%s' must be true or false, not "
                           "'%.60s'", path, v);
        fm->meta->commitment_supplied = same_word(v, "true");
        return 0;
    case V_NOTES:
        return set_notes(fm, n, line, path);
    }
    return fail_at(fm, line, "'%s': unknown value kind", path);
}

static int same_scalar(const yaml_node_t *a, const yaml_node_t *b)
{
    return a->type == YAML_SCALAR_NODE && b->type == YAML_SCALAR_NODE &&
           a->data.scalar.length == b->data.scalar.length &&
           memcmp(a->data.scalar.value, b->data.scalar.value,
                  a->data.scalar.length) == 0;
}

/* Walks the mapping map, whose keys must be among keys; prefix is its
 * dotted path ("" at the root). */
static int walk_map(struct fm *fm, const yaml_node_t *map,
                    const struct key *keys, const char *prefix)
{
    yaml_node_pair_t *p, *q;
    const struct key *k;
    char path[64];
    char in[80];

    in[0] = '\0';
    if (*prefix != '\0')
        snprintf(in, sizeof in, " in '%s'", prefix);
    for (p = map->data.mapping.pairs.start;
         p < map->data.mapping.pairs.top; p++) {
        yaml_node_t *key = node_at(fm, p->key);
        yaml_node_t *val = node_at(fm, p->value);
        int line = node_line(fm, key);
        const char *name;

        if (key->type != YAML_SCALAR_NODE)
            return fail_at(fm, line, "expected a key name%s, found %s", in,
                           describe(key));
        name = (const char *)key->data.scalar.value;
        for (q = map->data.mapping.pairs.start; q < p; q++) {
            yaml_node_t *prev = node_at(fm, q->key);

            if (same_scalar(prev, key))
                return fail_at(fm, line, "duplicate key '%.60s'%s (first "
                               "at line %d)", name, in,
                               node_line(fm, prev));
        }
        for (k = keys; k->name != NULL; k++)
            if (strlen(k->name) == key->data.scalar.length &&
                strcmp(k->name, name) == 0)
                break;
        if (k->name == NULL)
            return fail_at(fm, line, "unknown key '%.60s'%s", name, in);
        fm->line[k->id] = line;
        if (*prefix != '\0')
            snprintf(path, sizeof path, "%s.%s", prefix, k->name);
        else
            snprintf(path, sizeof path, "%s", k->name);
        if (take(fm, p->value) != 0)
            return fail_at(fm, line, "'%s' is a YAML alias; aliases are not "
                           "supported in a layout", path);
        if (set_value(fm, k, val, line, path) != 0)
            return -1;
    }
    return 0;
}

/* Names the first required key left out, inside the maps that were given
 * (an optional map left out has no required keys to miss). */
static int check_required(struct fm *fm, const struct key *keys,
                          const char *prefix)
{
    const struct key *k;
    char path[64];

    for (k = keys; k->name != NULL; k++) {
        if (*prefix != '\0')
            snprintf(path, sizeof path, "%s.%s", prefix, k->name);
        else
            snprintf(path, sizeof path, "%s", k->name);
        if (fm->line[k->id] == 0) {
            if (k->required)
                return pledge_err_set(fm->err, "read %s: missing required "
                                      "key '%s'", fm->name, path);
            continue;
        }
        if (k->kind == V_MAP && check_required(fm, k->sub, path) != 0)
            return -1;
    }
    return 0;
}

/* The checks that need more than one key: the leading against the size,
 * the margins against every paper the layout may be rendered on. */
static int check_page(struct fm *fm)
{
    static const struct {
        const char *name;
        double w, h;
    } papers[] = {
        { "letter", LETTER_W, LETTER_H }, { "A4", A4_W, A4_H }
    };
    pledge_meta *m = fm->meta;
    double measure, height;
    size_t i;
    int line;

    if (fm->line[K_FONT_LEADING] == 0) {
        m->leading = round(m->font_size * 13.0) / 10.0;
    } else if (m->leading < m->font_size ||
               m->leading > LEADING_MAX_RATIO * m->font_size) {
        return fail_at(fm, fm->line[K_FONT_LEADING], "'font.leading' must "
                       "be from %gpt to %gpt (1 to %g times the font size), "
                       "not %gpt", m->font_size,
                       LEADING_MAX_RATIO * m->font_size, LEADING_MAX_RATIO,
                       m->leading);
    }
    line = fm->line[K_MARGINS];
    for (i = 0; i < sizeof papers / sizeof papers[0]; i++) {
        measure = papers[i].w - m->margin_inner - m->margin_outer;
        height = papers[i].h - m->margin_top - m->margin_bottom;
        if (measure < MIN_MEASURE)
            return fail_at(fm, line, "margins 'inner' and 'outer' leave a "
                           "measure of %.1fpt on %s paper; at least %gpt is "
                           "needed", measure, papers[i].name, MIN_MEASURE);
        if (height < MIN_MEASURE)
            return fail_at(fm, line, "margins 'top' and 'bottom' leave a "
                           "text height of %.1fpt on %s paper; at least %gpt "
                           "is needed", height, papers[i].name, MIN_MEASURE);
    }
    return 0;
}

static int set_default(struct fm *fm, char **field, const char *value)
{
    if (*field != NULL)
        return 0;
    *field = strdup(value);
    if (*field == NULL)
        return pledge_err_set(fm->err, "read %s: out of memory", fm->name);
    return 0;
}

/* Reports why libyaml stopped, at the file line of the problem. */
static int yaml_error(struct fm *fm, const yaml_parser_t *parser,
                      const char *text, size_t len)
{
    const char *problem = parser->problem ? parser->problem : "bad YAML";
    size_t i, off;
    int line;

    switch (parser->error) {
    case YAML_MEMORY_ERROR:
        return pledge_err_set(fm->err, "read %s: out of memory", fm->name);
    case YAML_READER_ERROR:
        /* The reader gives a byte offset, not a mark. */
        off = parser->problem_offset < len ? parser->problem_offset : len;
        line = fm->first_line;
        for (i = 0; i < off; i++)
            if (text[i] == '\n')
                line++;
        return fail_at(fm, line, "YAML syntax error: %s", problem);
    default:
        line = mark_line(fm, parser->problem_mark);
        /* At the end of the text ("found unexpected end of stream") the
         * line that matters is where the unclosed thing began. */
        if (parser->context != NULL && parser->problem_mark.index >= len)
            return fail_at(fm, mark_line(fm, parser->context_mark),
                           "YAML syntax error: %s (%s)", problem,
                           parser->context);
        if (parser->context != NULL)
            return fail_at(fm, line, "YAML syntax error: %s (%s at line %d)",
                           problem, parser->context,
                           mark_line(fm, parser->context_mark));
        return fail_at(fm, line, "YAML syntax error: %s", problem);
    }
}

int pledge_frontmatter_parse(pledge_meta *out, const char *text, size_t len,
                             const char *name, int first_line,
                             pledge_err *err)
{
    yaml_parser_t parser;
    yaml_document_t doc, extra;
    yaml_node_t *root;
    pledge_meta meta;
    struct fm fm;
    int have_parser = 0, have_doc = 0;

    memset(&meta, 0, sizeof meta);
    memset(&fm, 0, sizeof fm);
    fm.doc = &doc;
    fm.name = name;
    fm.first_line = first_line;
    fm.err = err;
    fm.meta = &meta;

    meta.paper = PLEDGE_PAPER_LETTER;
    meta.margin_top = meta.margin_bottom = 72.0;
    meta.margin_inner = meta.margin_outer = 72.0;
    meta.font_size = 10.5;
    meta.align = PLEDGE_ALIGN_JUSTIFY;

    if (!yaml_parser_initialize(&parser)) {
        pledge_err_set(err, "read %s: out of memory", name);
        goto fail;
    }
    have_parser = 1;
    yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
    yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING);
    if (!yaml_parser_load(&parser, &doc)) {
        yaml_error(&fm, &parser, text, len);
        goto fail;
    }
    have_doc = 1;
    fm.nnodes = (size_t)(doc.nodes.top - doc.nodes.start);
    fm.used = calloc(fm.nnodes + 1, 1);
    if (fm.used == NULL) {
        pledge_err_set(err, "read %s: out of memory", name);
        goto fail;
    }

    /* A '--- ...' line inside the front matter would start a second YAML
     * document, which the format has no place for. */
    if (!yaml_parser_load(&parser, &extra)) {
        yaml_error(&fm, &parser, text, len);
        goto fail;
    }
    if (yaml_document_get_root_node(&extra) != NULL) {
        fail_at(&fm, mark_line(&fm, extra.start_mark), "the front matter "
                "must be one YAML document");
        yaml_document_delete(&extra);
        goto fail;
    }
    yaml_document_delete(&extra);

    root = yaml_document_get_root_node(&doc);
    if (root != NULL && !is_null(root)) {
        if (root->type != YAML_MAPPING_NODE) {
            fail_at(&fm, node_line(&fm, root), "the front matter must be a "
                    "mapping of keys, not %s", describe(root));
            goto fail;
        }
        if (walk_map(&fm, root, root_keys, "") != 0)
            goto fail;
    }
    if (check_required(&fm, root_keys, "") != 0)
        goto fail;
    if (check_page(&fm) != 0)
        goto fail;
    if (set_default(&fm, &meta.language, "en-US") != 0 ||
        set_default(&fm, &meta.font_family, "Noto Serif") != 0)
        goto fail;

    free(fm.used);
    yaml_document_delete(&doc);
    yaml_parser_delete(&parser);
    *out = meta;
    return 0;

fail:
    free(fm.used);
    if (have_doc)
        yaml_document_delete(&doc);
    if (have_parser)
        yaml_parser_delete(&parser);
    pledge_meta_clear(&meta);
    return -1;
}
