/* doc.h - the document model: what a layout says, before any typesetting.
 *
 * A document is a flat sequence of blocks (headings, paragraphs, list items,
 * the commitment statement); each block is a sequence of styled text runs.
 * Nesting of lists is flattened into a depth, which is all the typesetter
 * needs for hanging indents.  Text is UTF-8 with typographic quotes and
 * dashes already applied.
 */
#ifndef PLEDGE_DOC_H
#define PLEDGE_DOC_H

#include <stddef.h>

#include "../pledge.h"

/* Font style of a run; also the index into a font family. */
typedef enum {
    PLEDGE_STYLE_REGULAR = 0,
    PLEDGE_STYLE_BOLD = 1,
    PLEDGE_STYLE_ITALIC = 2,
    PLEDGE_STYLE_BOLD_ITALIC = 3
} pledge_style;
#define PLEDGE_STYLE_COUNT 4

typedef struct {
    char *text;                 /* UTF-8, NUL-terminated, owned */
    pledge_style style;
} pledge_run;

typedef enum {
    PLEDGE_BLOCK_HEADING,       /* level 1..3 */
    PLEDGE_BLOCK_PARAGRAPH,
    PLEDGE_BLOCK_BULLET,        /* a bulleted list item's paragraph */
    PLEDGE_BLOCK_NUMBERED,      /* a numbered list item's paragraph */
    PLEDGE_BLOCK_COMMITMENT     /* the commitment statement */
} pledge_block_kind;

typedef struct {
    pledge_block_kind kind;
    int level;                  /* heading level 1..3; list depth 1..3 */
    int number;                 /* PLEDGE_BLOCK_NUMBERED: the item number */
    int continues;              /* a list item's later paragraph: no marker */
    int line;                   /* source line, for error messages */
    pledge_run *runs;
    size_t nruns;
} pledge_block;

typedef struct {
    pledge_block *blocks;
    size_t nblocks;
} pledge_doc;

typedef enum {
    PLEDGE_ALIGN_JUSTIFY = 0,
    PLEDGE_ALIGN_RAGGED
} pledge_align;

/* The front matter of a layout, with defaults filled in. */
typedef struct {
    char *id;
    char *association;          /* full name */
    char *short_name;
    char *title;                /* document title */
    char *revision;             /* revision/date of the source text */
    char *source;               /* where the text came from */
    char *language;             /* BCP 47, e.g. "en-US" */
    pledge_paper paper;         /* LETTER or A4 */
    double margin_top, margin_bottom, margin_inner, margin_outer; /* pt */
    char *font_family;          /* e.g. "Noto Serif" */
    double font_size;           /* body size, pt */
    double leading;             /* baseline-to-baseline, pt */
    pledge_align align;
    char *commitment;           /* the statement, UTF-8 */
    int commitment_supplied;    /* 1 when not in the source: confirm it */
    char **notes;               /* repairs made to the source text */
    size_t nnotes;
} pledge_meta;

struct pledge_layout {
    char *path;
    char sha256[65];            /* SHA-256 of the file's bytes as read, hex */
    pledge_meta meta;
    pledge_doc doc;
};

/* Appends a block to doc and returns it zeroed but for kind and line, or
 * NULL when out of memory.  The block belongs to doc; the pointer is good
 * until the next pledge_doc_add_block() on doc moves the array. */
pledge_block *pledge_doc_add_block(pledge_doc *doc, pledge_block_kind kind,
                                   int line);

/* Appends a copy of text[0..len) in style to block, merging with the
 * previous run when the style is the same.  Returns 0, or -1 when out of
 * memory. */
int pledge_doc_add_run(pledge_block *block, const char *text, size_t len,
                       pledge_style style);

void pledge_doc_clear(pledge_doc *doc);
void pledge_meta_clear(pledge_meta *meta);

/* The words a pledge of lay commits to, as one UTF-8 text: the title,
 * every block's runs joined, and the commitment, each followed by a line
 * feed.  A signature records its hash, so a verifier can tell which text
 * was signed.  Returns NULL when out of memory.
 * The caller frees the result with free(). */
char *pledge_doc_text(const struct pledge_layout *lay);

#endif
