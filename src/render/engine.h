/* engine.h - what every render shares: fonts and hyphenation patterns.
 *
 * Fonts are opened on first use of a family and kept until the engine
 * closes, so a batch opens each font once however many pledges it sets.
 */
#ifndef PLEDGE_ENGINE_H
#define PLEDGE_ENGINE_H

#include "../doc/doc.h"
#include "../typeset/typeset.h"

#define PLEDGE_MAX_FAMILIES 8
#define PLEDGE_MAX_LANGUAGES 4

typedef struct {
    char *family;
    pledge_font *fonts[PLEDGE_STYLE_COUNT];
} pledge_family;

typedef struct {
    char *language;
    pledge_hyphenator *hyphen;
} pledge_patterns;

struct pledge_engine {
    char *datadir;
    pledge_family families[PLEDGE_MAX_FAMILIES];
    size_t nfamilies;
    pledge_patterns patterns[PLEDGE_MAX_LANGUAGES];
    size_t npatterns;
};

/* Fills typo with the fonts and patterns meta asks for, opening them on
 * first use.  A missing font file is an error naming the file and the
 * layout's family.  The fonts stay owned by the engine. */
int pledge_engine_typo(pledge_engine *eng, const pledge_meta *meta,
                       pledge_typo *typo, pledge_err *err);

#endif
