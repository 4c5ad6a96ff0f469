/* doc.c - building and freeing the document model. */
#include "doc.h"

#include <stdlib.h>
#include <string.h>

#include "../util/grow.h"

/*
 * The arrays keep no capacity field, so as not to widen the structs of
 * doc.h: grown one element at a time by pledge_grow(), an array of n > 0
 * elements has room for the smallest PLEDGE_GROW_MIN * 2^k >= n, which is
 * recomputed here.  Returns arr, moved if need be, with room for element
 * n; or NULL when out of memory, and arr is then unchanged.
 */
static void *room_for(void *arr, size_t n, size_t size)
{
    size_t cap = 0;

    if (n > 0)
        for (cap = PLEDGE_GROW_MIN; cap < n; cap *= 2)
            ;
    return pledge_grow(arr, &cap, n + 1, size);
}

pledge_block *pledge_doc_add_block(pledge_doc *doc, pledge_block_kind kind,
                                   int line)
{
    pledge_block *b;

    b = room_for(doc->blocks, doc->nblocks, sizeof *b);
    if (b == NULL)
        return NULL;
    doc->blocks = b;
    b = &doc->blocks[doc->nblocks++];
    memset(b, 0, sizeof *b);
    b->kind = kind;
    b->line = line;
    return b;
}

int pledge_doc_add_run(pledge_block *block, const char *text, size_t len,
                       pledge_style style)
{
    pledge_run *r;
    char *s;
    size_t old;

    if (len == 0)
        return 0;
    if (block->nruns > 0 && block->runs[block->nruns - 1].style == style) {
        r = &block->runs[block->nruns - 1];
        old = strlen(r->text);
        if (len > (size_t)-1 - old - 1)
            return -1;
        s = realloc(r->text, old + len + 1);
        if (s == NULL)
            return -1;
        memcpy(s + old, text, len);
        s[old + len] = '\0';
        r->text = s;
        return 0;
    }
    if (len == (size_t)-1)
        return -1;
    s = malloc(len + 1);
    if (s == NULL)
        return -1;
    memcpy(s, text, len);
    s[len] = '\0';
    r = room_for(block->runs, block->nruns, sizeof *r);
    if (r == NULL) {
        free(s);
        return -1;
    }
    block->runs = r;
    r = &block->runs[block->nruns++];
    r->text = s;
    r->style = style;
    return 0;
}

void pledge_doc_clear(pledge_doc *doc)
{
    size_t i, j;

    if (doc == NULL)
        return;
    for (i = 0; i < doc->nblocks; i++) {
        for (j = 0; j < doc->blocks[i].nruns; j++)
            free(doc->blocks[i].runs[j].text);
        free(doc->blocks[i].runs);
    }
    free(doc->blocks);
    doc->blocks = NULL;
    doc->nblocks = 0;
}

void pledge_meta_clear(pledge_meta *meta)
{
    size_t i;

    if (meta == NULL)
        return;
    free(meta->id);
    free(meta->association);
    free(meta->short_name);
    free(meta->title);
    free(meta->revision);
    free(meta->source);
    free(meta->language);
    free(meta->font_family);
    free(meta->commitment);
    for (i = 0; i < meta->nnotes; i++)
        free(meta->notes[i]);
    free(meta->notes);
    memset(meta, 0, sizeof *meta);
}

/* Appends s and a line feed at *p, or only counts them when *p is NULL. */
static size_t put_line(char **p, const char *s, int run_end)
{
    size_t n = s != NULL ? strlen(s) : 0;

    if (*p != NULL) {
        if (n > 0)
            memcpy(*p, s, n);
        *p += n;
        if (run_end)
            *(*p)++ = '\n';
    }
    return n + (run_end ? 1 : 0);
}

char *pledge_doc_text(const struct pledge_layout *lay)
{
    const pledge_doc *d = &lay->doc;
    char *text = NULL, *p = NULL;
    size_t len = 0, i, k;
    int pass;

    /* Pass 0 measures, pass 1 copies. */
    for (pass = 0; pass < 2; pass++) {
        len += put_line(&p, lay->meta.title, 1);
        for (i = 0; i < d->nblocks; i++) {
            for (k = 0; k < d->blocks[i].nruns; k++)
                len += put_line(&p, d->blocks[i].runs[k].text, 0);
            len += put_line(&p, NULL, 1);
        }
        len += put_line(&p, lay->meta.commitment, 1);
        if (pass == 0) {
            if ((text = malloc(len + 1)) == NULL)
                return NULL;
            p = text;
        }
    }
    *p = '\0';
    return text;
}
