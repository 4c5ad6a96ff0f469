/* markdown.c - the CommonMark body of a layout, read into a pledge_doc.
 *
 * cmark parses the body; one pass of cmark_iter over the tree then emits a
 * block for every heading and paragraph, flattening lists into a depth and
 * an item number, and a run for every stretch of text in one style.
 * cmark numbers lines from the start of the body; messages add
 * first_line - 1 to give lines of the file.
 */
#include "markdown.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmark.h>

#define MAX_LIST_DEPTH 3
#define MAX_HEADING_LEVEL 3

struct item {
    int numbered;               /* the list is an ordered one */
    int next;                   /* the number of the list's next item */
    int number;                 /* the current item's number */
    int used;                   /* the current item has shown its marker */
};

struct md {
    const char *name;
    int first_line;
    pledge_err *err;
    const char *text;
    size_t len;
    size_t *lines;              /* offset of each body line in text */
    size_t nlines;
    pledge_doc doc;
    size_t cur;                 /* the block being filled */
    int block_line;             /* its file line */
    int space;                  /* its text so far ends in white space */
    int depth;                  /* list nesting, 0 outside any list */
    struct item item[MAX_LIST_DEPTH + 1];
    int strong, emph;           /* open strong and emphasis spans */
};

static int fail_at(struct md *md, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Sets "read NAME line N: " followed by the formatted message. */
static int fail_at(struct md *md, int line, const char *fmt, ...)
{
    char msg[sizeof md->err->msg];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return pledge_err_set(md->err, "read %s line %d: %s", md->name, line,
                          msg);
}

/* The file line of node.  cmark gives no position to line breaks, so they
 * and anything else without one take the line of their block. */
static int node_line(const struct md *md, cmark_node *node)
{
    int line = cmark_node_get_start_line(node);

    if (line <= 0)
        return md->block_line;
    return md->first_line - 1 + line;
}

/* What an unsupported node is called in messages, or NULL if supported. */
static const char *unsupported(cmark_node_type type)
{
    switch (type) {
    case CMARK_NODE_BLOCK_QUOTE:
        return "a block quote";
    case CMARK_NODE_CODE_BLOCK:
        return "a code block";
    case CMARK_NODE_HTML_BLOCK:
        return "an HTML block";
    case CMARK_NODE_CUSTOM_BLOCK:
        return "a custom block";
    case CMARK_NODE_THEMATIC_BREAK:
        return "a thematic break";
    case CMARK_NODE_CODE:
        return "a code span";
    case CMARK_NODE_HTML_INLINE:
        return "inline HTML";
    case CMARK_NODE_CUSTOM_INLINE:
        return "a custom inline";
    case CMARK_NODE_LINK:
        return "a link";
    case CMARK_NODE_IMAGE:
        return "an image";
    default:
        return NULL;
    }
}

static int index_lines(struct md *md, const char *text, size_t len)
{
    size_t i, n = 1;

    for (i = 0; i < len; i++)
        if (text[i] == '\n')
            n++;
    md->lines = malloc(n * sizeof *md->lines);
    if (md->lines == NULL)
        return -1;
    md->lines[0] = 0;
    md->nlines = 1;
    for (i = 0; i < len; i++)
        if (text[i] == '\n')
            md->lines[md->nlines++] = i + 1;
    return 0;
}

/* The text of body line n (1-based), up to but not including its '\n'. */
static const char *body_line(const struct md *md, int n, size_t *len)
{
    size_t start, end;

    start = md->lines[n - 1];
    end = (size_t)n < md->nlines ? md->lines[n] - 1 : md->len;
    *len = end - start;
    return md->text + start;
}

/* Whether s[0..len) is the delimiter row of a GFM table ("|---|:--:|"):
 * cmark without extensions reads a table as a paragraph of pipes, which
 * must not reach the page as if it were prose. */
static int is_table_delimiter(const char *s, size_t len)
{
    size_t i = 0;
    int pipes = 0, cells = 0, dashes;

    while (i < len && (s[i] == ' ' || s[i] == '\t'))
        i++;
    if (i < len && s[i] == '|') {
        pipes++;
        i++;
    }
    while (i < len) {
        while (i < len && (s[i] == ' ' || s[i] == '\t'))
            i++;
        if (i == len)
            break;
        if (s[i] == ':')
            i++;
        for (dashes = 0; i < len && s[i] == '-'; i++)
            dashes++;
        if (dashes == 0)
            return 0;
        if (i < len && s[i] == ':')
            i++;
        while (i < len && (s[i] == ' ' || s[i] == '\t'))
            i++;
        cells++;
        if (i < len) {
            if (s[i] != '|')
                return 0;
            pipes++;
            i++;
        }
    }
    return pipes > 0 && cells > 0;
}

/* Refuses a paragraph of cmark lines first..last that holds a table. */
static int check_table(struct md *md, int first, int last)
{
    const char *s;
    size_t len;
    int n;

    for (n = first + 1; n <= last && (size_t)n <= md->nlines; n++) {
        s = body_line(md, n, &len);
        if (!is_table_delimiter(s, len))
            continue;
        s = body_line(md, n - 1, &len);
        if (memchr(s, '|', len) != NULL)
            return fail_at(md, md->first_line - 1 + n - 1,
                           "a table is not supported in a layout");
    }
    return 0;
}

static pledge_block *cur_block(struct md *md)
{
    return &md->doc.blocks[md->cur];
}

static int start_block(struct md *md, cmark_node *node,
                       pledge_block_kind kind, int level)
{
    struct item *it = &md->item[md->depth];
    pledge_block *b;
    int line = node_line(md, node);

    b = pledge_doc_add_block(&md->doc, kind, line);
    if (b == NULL)
        return fail_at(md, line, "out of memory");
    b->level = level;
    if (kind == PLEDGE_BLOCK_BULLET || kind == PLEDGE_BLOCK_NUMBERED) {
        b->number = kind == PLEDGE_BLOCK_NUMBERED ? it->number : 0;
        b->continues = it->used;
        it->used = 1;
    }
    md->cur = md->doc.nblocks - 1;
    md->block_line = line;
    md->space = 1;
    return 0;
}

/* Drops white space at the end of the block: a run left empty goes. */
static int end_block(struct md *md, cmark_node *node)
{
    pledge_block *b = cur_block(md);
    pledge_run *r;
    size_t n;

    while (b->nruns > 0) {
        r = &b->runs[b->nruns - 1];
        n = strlen(r->text);
        while (n > 0 && (r->text[n - 1] == ' ' || r->text[n - 1] == '\n'))
            n--;
        r->text[n] = '\0';
        if (n > 0)
            break;
        free(r->text);
        b->nruns--;
    }
    if (b->nruns == 0)
        return fail_at(md, b->line, "%s has no text",
                       cmark_node_get_type(node) == CMARK_NODE_HEADING ?
                       "a heading" : "a paragraph");
    return 0;
}

static pledge_style cur_style(const struct md *md)
{
    int s = PLEDGE_STYLE_REGULAR;

    if (md->strong > 0)
        s |= PLEDGE_STYLE_BOLD;
    if (md->emph > 0)
        s |= PLEDGE_STYLE_ITALIC;
    return (pledge_style)s;
}

/* Appends s[0..len) to the block with runs of spaces and tabs made one
 * space, and none at the start of the block or of a line: CommonMark keeps
 * inner runs of spaces, which mean nothing on a justified page. */
static int add_text(struct md *md, const char *s, size_t len)
{
    char *buf;
    size_t i, j;
    int r;

    buf = malloc(len + 1);
    if (buf == NULL)
        return fail_at(md, md->block_line, "out of memory");
    for (i = j = 0; i < len; i++) {
        if (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r') {
            if (!md->space)
                buf[j++] = ' ';
            md->space = 1;
            continue;
        }
        buf[j++] = s[i];
        md->space = 0;
    }
    r = pledge_doc_add_run(cur_block(md), buf, j, cur_style(md));
    free(buf);
    if (r != 0)
        return fail_at(md, md->block_line, "out of memory");
    return 0;
}

static int add_line_break(struct md *md)
{
    pledge_block *b = cur_block(md);
    pledge_run *r;
    size_t n;

    /* cmark drops the spaces before a hard break, but not a collapsed
     * soft break's space or one from the text itself. */
    if (b->nruns > 0) {
        r = &b->runs[b->nruns - 1];
        n = strlen(r->text);
        if (n > 0 && r->text[n - 1] == ' ')
            r->text[--n] = '\0';
        if (n == 0) {
            free(r->text);
            b->nruns--;
        }
    }
    if (pledge_doc_add_run(b, "\n", 1, cur_style(md)) != 0)
        return fail_at(md, md->block_line, "out of memory");
    md->space = 1;
    return 0;
}

static int enter_list(struct md *md, cmark_node *node)
{
    struct item *it;
    int line = node_line(md, node);

    if (md->depth == MAX_LIST_DEPTH)
        return fail_at(md, line, "a list nested %d deep is not supported "
                       "in a layout (at most %d levels)", md->depth + 1,
                       MAX_LIST_DEPTH);
    it = &md->item[++md->depth];
    it->numbered = cmark_node_get_list_type(node) == CMARK_ORDERED_LIST;
    it->next = it->numbered ? cmark_node_get_list_start(node) : 0;
    it->number = 0;
    it->used = 0;
    return 0;
}

static int enter_item(struct md *md, cmark_node *node)
{
    struct item *it = &md->item[md->depth];
    cmark_node *first = cmark_node_first_child(node);
    int line = node_line(md, node);

    /* The marker is set with the item's first paragraph, so an item must
     * begin with one. */
    if (first == NULL)
        return fail_at(md, line, "an empty list item is not supported in a "
                       "layout");
    if (cmark_node_get_type(first) == CMARK_NODE_LIST)
        return fail_at(md, line, "a list item that begins with another list "
                       "is not supported in a layout");
    it->number = it->next++;
    it->used = 0;
    return 0;
}

static int enter(struct md *md, cmark_node *node)
{
    cmark_node_type type = cmark_node_get_type(node);
    const char *what = unsupported(type);
    const char *lit;
    int level;

    if (what != NULL)
        return fail_at(md, node_line(md, node), "%s is not supported in a "
                       "layout", what);
    switch (type) {
    case CMARK_NODE_LIST:
        return enter_list(md, node);
    case CMARK_NODE_ITEM:
        return enter_item(md, node);
    case CMARK_NODE_HEADING:
        level = cmark_node_get_heading_level(node);
        if (level > MAX_HEADING_LEVEL)
            return fail_at(md, node_line(md, node), "heading level %d is "
                           "not supported in a layout (use levels 1 to %d)",
                           level, MAX_HEADING_LEVEL);
        if (md->depth > 0)
            return fail_at(md, node_line(md, node), "a heading inside a "
                           "list is not supported in a layout");
        return start_block(md, node, PLEDGE_BLOCK_HEADING, level);
    case CMARK_NODE_PARAGRAPH:
        if (check_table(md, cmark_node_get_start_line(node),
                        cmark_node_get_end_line(node)) != 0)
            return -1;
        if (md->depth == 0)
            return start_block(md, node, PLEDGE_BLOCK_PARAGRAPH, 0);
        return start_block(md, node, md->item[md->depth].numbered ?
                           PLEDGE_BLOCK_NUMBERED : PLEDGE_BLOCK_BULLET,
                           md->depth);
    case CMARK_NODE_TEXT:
        lit = cmark_node_get_literal(node);
        return add_text(md, lit, strlen(lit));
    case CMARK_NODE_SOFTBREAK:
        return add_text(md, " ", 1);
    case CMARK_NODE_LINEBREAK:
        return add_line_break(md);
    case CMARK_NODE_STRONG:
        md->strong++;
        return 0;
    case CMARK_NODE_EMPH:
        md->emph++;
        return 0;
    default:
        return 0;
    }
}

static int leave(struct md *md, cmark_node *node)
{
    switch (cmark_node_get_type(node)) {
    case CMARK_NODE_LIST:
        md->depth--;
        return 0;
    case CMARK_NODE_HEADING:
    case CMARK_NODE_PARAGRAPH:
        return end_block(md, node);
    case CMARK_NODE_STRONG:
        md->strong--;
        return 0;
    case CMARK_NODE_EMPH:
        md->emph--;
        return 0;
    default:
        return 0;
    }
}

int pledge_markdown_parse(pledge_doc *out, const char *text, size_t len,
                          const char *name, int first_line, pledge_err *err)
{
    cmark_node *root = NULL;
    cmark_iter *iter = NULL;
    cmark_event_type ev;
    struct md md;

    memset(&md, 0, sizeof md);
    md.name = name;
    md.first_line = first_line;
    md.block_line = first_line;
    md.err = err;
    md.text = text;
    md.len = len;

    if (index_lines(&md, text, len) != 0) {
        pledge_err_set(err, "read %s: out of memory", name);
        goto fail;
    }
    /* The text was checked as UTF-8 by the caller; cmark aborts rather
     * than return NULL when out of memory. */
    root = cmark_parse_document(text, len, CMARK_OPT_SMART);
    iter = root != NULL ? cmark_iter_new(root) : NULL;
    if (iter == NULL) {
        pledge_err_set(err, "read %s: out of memory", name);
        goto fail;
    }
    while ((ev = cmark_iter_next(iter)) != CMARK_EVENT_DONE) {
        cmark_node *node = cmark_iter_get_node(iter);

        if (ev == CMARK_EVENT_ENTER && enter(&md, node) != 0)
            goto fail;
        if (ev == CMARK_EVENT_EXIT && leave(&md, node) != 0)
            goto fail;
    }
    if (md.doc.nblocks == 0) {
        fail_at(&md, first_line > 1 ? first_line - 1 : 1, "the body after "
                "the front matter is empty");
        goto fail;
    }
    cmark_iter_free(iter);
    cmark_node_free(root);
    free(md.lines);
    *out = md.doc;
    return 0;

fail:
    if (iter != NULL)
        cmark_iter_free(iter);
    if (root != NULL)
        cmark_node_free(root);
    free(md.lines);
    pledge_doc_clear(&md.doc);
    return -1;
}
