#include "engine.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../util/err.h"

static const char *const style_suffix[PLEDGE_STYLE_COUNT] = {
    "Regular", "Bold", "Italic", "BoldItalic"
};

/* Where hyphenation patterns are looked for, after the data directory. */
static const char *const pattern_dirs[] = { "/usr/share/hyphen" };

int pledge_engine_open(pledge_engine **out, const char *datadir,
                       pledge_err *err)
{
    pledge_engine *eng = calloc(1, sizeof *eng);

    if (eng == NULL || (eng->datadir = strdup(datadir)) == NULL) {
        free(eng);
        return pledge_err_set(err, "open engine: out of memory");
    }
    *out = eng;
    return 0;
}

void pledge_engine_close(pledge_engine *eng)
{
    size_t i, s;

    if (eng == NULL)
        return;
    for (i = 0; i < eng->nfamilies; i++) {
        for (s = 0; s < PLEDGE_STYLE_COUNT; s++)
            pledge_font_close(eng->families[i].fonts[s]);
        free(eng->families[i].family);
    }
    for (i = 0; i < eng->npatterns; i++) {
        pledge_hyphen_close(eng->patterns[i].hyphen);
        free(eng->patterns[i].language);
    }
    free(eng->datadir);
    free(eng);
}

/* "Noto Serif" is looked for as fonts/NotoSerif-Regular.ttf and so on. */
static int open_family(pledge_engine *eng, const char *family,
                       pledge_family **out, pledge_err *err)
{
    pledge_family *f;
    char base[256], path[4096];
    size_t i, n = 0, s;

    for (i = 0; i < eng->nfamilies; i++)
        if (strcmp(eng->families[i].family, family) == 0) {
            *out = &eng->families[i];
            return 0;
        }
    if (eng->nfamilies == PLEDGE_MAX_FAMILIES)
        return pledge_err_set(err, "open font family '%s': too many "
                              "families in one run", family);
    for (i = 0; family[i] && n + 1 < sizeof base; i++)
        if (family[i] != ' ')
            base[n++] = family[i];
    base[n] = '\0';
    f = &eng->families[eng->nfamilies];
    memset(f, 0, sizeof *f);
    for (s = 0; s < PLEDGE_STYLE_COUNT; s++) {
        snprintf(path, sizeof path, "%s/fonts/%s-%s.ttf", eng->datadir,
                 base, style_suffix[s]);
        if (pledge_font_open(&f->fonts[s], path, err) < 0) {
            while (s-- > 0)
                pledge_font_close(f->fonts[s]);
            memset(f, 0, sizeof *f);
            return pledge_err_prefix(err, "font family '%s'", family);
        }
    }
    if ((f->family = strdup(family)) == NULL) {
        for (s = 0; s < PLEDGE_STYLE_COUNT; s++)
            pledge_font_close(f->fonts[s]);
        return pledge_err_set(err, "open font family: out of memory");
    }
    eng->nfamilies++;
    *out = f;
    return 0;
}

/* "en-US" is looked for as hyph_en_US.dic.  A language with no patterns
 * is set without hyphenation, which is correct, only less even. */
static const pledge_hyphenator *open_patterns(pledge_engine *eng,
                                              const char *language)
{
    char name[64], path[4096];
    size_t i, d;
    pledge_patterns *p;
    pledge_err ignored;

    for (i = 0; i < eng->npatterns; i++)
        if (strcmp(eng->patterns[i].language, language) == 0)
            return eng->patterns[i].hyphen;
    if (eng->npatterns == PLEDGE_MAX_LANGUAGES)
        return NULL;
    snprintf(name, sizeof name, "hyph_%s.dic", language);
    for (i = 0; name[i]; i++)
        if (name[i] == '-')
            name[i] = '_';
    p = &eng->patterns[eng->npatterns];
    memset(p, 0, sizeof *p);
    snprintf(path, sizeof path, "%s/hyphen/%s", eng->datadir, name);
    for (d = 0; access(path, R_OK) != 0 &&
         d < sizeof pattern_dirs / sizeof *pattern_dirs; d++)
        snprintf(path, sizeof path, "%s/%s", pattern_dirs[d], name);
    if (access(path, R_OK) != 0 ||
        pledge_hyphen_open(&p->hyphen, path, &ignored) < 0)
        return NULL;
    if ((p->language = strdup(language)) == NULL) {
        pledge_hyphen_close(p->hyphen);
        return NULL;
    }
    eng->npatterns++;
    return p->hyphen;
}

int pledge_engine_typo(pledge_engine *eng, const pledge_meta *meta,
                       pledge_typo *typo, pledge_err *err)
{
    pledge_family *f;

    if (open_family(eng, meta->font_family, &f, err) < 0)
        return -1;
    memcpy(typo->fonts, f->fonts, sizeof typo->fonts);
    typo->hyphen = open_patterns(eng, meta->language);
    return 0;
}
