/* render.h - rendering many pledges of one layout.
 *
 * The body of a layout (every block of its code) sets the same for every
 * attendee; only the title block, commitment, signature block and running
 * heads carry personal fields.  A batch keeps the body in a
 * pledge_body_cache and sets only the personal parts per pledge.
 */
#ifndef PLEDGE_RENDER_H
#define PLEDGE_RENDER_H

#include "../typeset/pagebreak.h"
#include "../typeset/typeset.h"
#include "../pledge.h"
#include "inputs.h"

/* The typeset body of one layout on one paper size.  Zero it before
 * first use.  It is tied to the layout object (by address) and to the
 * engine that set it: clear it before freeing either. */
typedef struct {
    const pledge_layout *lay;
    pledge_paper paper;
    int ready;
    pledge_vlist body;
    const pledge_layout *hashed;        /* the layout text_hash is of */
    char text_hash[65];                 /* its text's BLAKE2b-256, hex */
} pledge_body_cache;

void pledge_body_cache_clear(pledge_body_cache *c);

/* pledge_render_pdf(), reusing (or filling) cache for the body when
 * cache is not NULL.  On error returns -1 and leaves *pdf untouched.
 * The caller frees *pdf with free(). */
int pledge_render_cached(pledge_engine *eng, const pledge_layout *lay,
                         pledge_body_cache *cache,
                         const pledge_person *person,
                         const pledge_render_opts *opts,
                         unsigned char **pdf, size_t *len, pledge_err *err);

/* Typesets and writes one pledge, unsigned, with the signature panel
 * filled in from panel (NULL: the empty panel).  When rec is not NULL it
 * gets the /PledgeInputs record written into the pledge; set
 * rec->version to 1 beforehand to write the version 1 record that pledge
 * 0.1.0 wrote (to recognise a pledge it made), to anything else for the
 * current one.  On error
 * returns -1 and leaves *pdf untouched.
 * The caller frees *pdf with free(). */
int pledge_render_panel(pledge_engine *eng, const pledge_layout *lay,
                        pledge_body_cache *cache,
                        const pledge_person *person,
                        const pledge_render_opts *opts,
                        const pledge_panel *panel, pledge_inputs *rec,
                        unsigned char **pdf, size_t *len, pledge_err *err);

/* The person and options a recorded pledge was made with.  person's
 * strings point into in. */
void pledge_inputs_person(const pledge_inputs *in, pledge_person *person,
                          pledge_render_opts *opts);

#endif
