/* engine.h - what every render shares: fonts and hyphenation patterns.
 *
 * Fonts are opened on first use of a family and kept until the engine
 * closes, so a batch opens each font once however many pledges it sets.
 * Hyphenation patterns are loaded for one layout at a time, only those
 * its own text needs (pledge_hyphen_open_for() on
 * pledge_typeset_hyphen_text()), and kept for the last few layouts, so a
 * batch that sets one layout again and again loads them once.
 */
#ifndef PLEDGE_ENGINE_H
#define PLEDGE_ENGINE_H

#include "../doc/doc.h"
#include "../pdf/pdfwrite.h"
#include "../typeset/typeset.h"
#include "render.h"

#define PLEDGE_MAX_FAMILIES 8
#define PLEDGE_MAX_HYPHENATORS 8

typedef struct {
    char *family;
    pledge_font *fonts[PLEDGE_STYLE_COUNT];
    char hash[PLEDGE_STYLE_COUNT][65];    /* BLAKE2b-256 of each font file */
} pledge_family;

/* Patterns loaded for one layout.  They are found again by the layout's
 * language and text, not by its path or id: a layout reloaded after an
 * edit keeps both but may need other patterns. */
typedef struct {
    char *language;
    char *text;                 /* pledge_typeset_hyphen_text() */
    pledge_hyphenator *hyphen;
    char file[64];              /* the pattern file's name */
    char hash[65];              /* and its BLAKE2b-256, hex */
    unsigned long used;         /* the engine's clock when last handed out */
} pledge_patterns;

struct pledge_engine {
    char *datadir;
    pledge_pdf_cache *pdf;      /* compressed font programs */
    pledge_family families[PLEDGE_MAX_FAMILIES];
    size_t nfamilies;
    pledge_patterns patterns[PLEDGE_MAX_HYPHENATORS];
    size_t npatterns;
    unsigned long clock;
    const pledge_family *cur_family;    /* what the last */
    const pledge_patterns *cur_patterns; /* pledge_engine_typo() gave */
    /* The trusted layout pledge_verify_content() used last, and its
     * typeset body: a directory of one layout's pledges loads and sets
     * it once. */
    pledge_layout *verify_lay;
    pledge_body_cache verify_body;
};

/* Fills typo with the fonts and hyphenation patterns lay is set with,
 * opening them on first use.  A missing font file is an error naming the
 * layout file, the font file and the layout's family; a language without
 * patterns is set without hyphenation.  What typo points to stays the
 * engine's: the fonts until it closes, the patterns until it closes or
 * until the patterns of PLEDGE_MAX_HYPHENATORS other layouts have been
 * asked for since. */
int pledge_engine_typo(pledge_engine *eng, const pledge_layout *lay,
                       pledge_typo *typo, pledge_err *err);

/* The line "engine:VERSION", then "font:FILE:SHA256" for each font file
 * and "hyphen:FILE:SHA256" (or "hyphen:none") for the patterns that the
 * last pledge_engine_typo() handed out, each line ending in a line feed,
 * into out (cap bytes): everything besides the layout and the person that
 * decides a pledge's bytes.  Returns -1 when it does not fit. */
int pledge_engine_fingerprint(const pledge_engine *eng, char *out,
                              size_t cap, pledge_err *err);

#endif
