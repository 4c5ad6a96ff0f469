#include "engine.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../util/err.h"
#include "../util/file.h"
#include "../util/qr.h"
#include "../pdf/pdfwrite.h"
#include "hashcache.h"

#include <sodium.h>

/* A font file or a pattern file is far smaller than this. */
#define HASHED_FILE_MAX (64u << 20)

/* The SHA-256 of the file at path, in hex. */
/* BLAKE2b-256 of n bytes, in hex: the record of which font or pattern
 * file made a pledge.  BLAKE2b, not SHA-256, because a render whose fonts
 * are not in the hash cache (hashcache.h) hashes them (megabytes) and
 * BLAKE2b is several times faster here. */
static void hash_hex(const unsigned char *p, size_t n, char out[65])
{
    unsigned char digest[32];

    crypto_generichash(digest, sizeof digest, p, n, NULL, 0);
    sodium_bin2hex(out, 65, digest, sizeof digest);
}

static int file_hash(const char *path, char out[65], pledge_err *err)
{
    char *buf;
    size_t len;

    if (pledge_file_read(path, HASHED_FILE_MAX, &buf, &len, err) < 0)
        return pledge_err_prefix(err, "read %s", path);
    hash_hex((const unsigned char *)buf, len, out);
    free(buf);
    return 0;
}

static const char *const style_suffix[PLEDGE_STYLE_COUNT] = {
    "Regular", "Bold", "Italic", "BoldItalic"
};

/* Where hyphenation patterns are looked for, after the data directory. */
static const char *const pattern_dirs[] = { "/usr/share/hyphen" };

int pledge_engine_open(pledge_engine **out, const char *datadir,
                       pledge_err *err)
{
    pledge_engine *eng;

    /* libsodium picks its fastest code for this CPU here (BLAKE2b with
     * AVX2: the fonts' hashes, megabytes, in a third of the time), and
     * asks to be initialised before any other call. */
    if (sodium_init() < 0)
        return pledge_err_set(err, "open engine: libsodium failed to "
                              "initialise");
    eng = calloc(1, sizeof *eng);
    if (eng == NULL || (eng->datadir = strdup(datadir)) == NULL ||
        pledge_pdf_cache_new(&eng->pdf, err) < 0) {
        if (eng != NULL)
            free(eng->datadir);
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
        free(eng->patterns[i].text);
    }
    pledge_body_cache_clear(&eng->verify_body);
    pledge_layout_free(eng->verify_lay);
    pledge_pdf_cache_free(eng->pdf);
    free(eng->datadir);
    free(eng);
}

/* "Noto Serif" is looked for as fonts/NotoSerif-Regular.ttf and so on. */
static int open_family(pledge_engine *eng, const char *family,
                       pledge_family **out, pledge_err *err)
{
    pledge_family *f;
    char base[256], path[4096];
    const unsigned char *bytes;
    const char *kept;
    size_t i, n = 0, s, nbytes;
    pledge_hashcache cache;
    pledge_file_id before, after;
    struct stat st;
    int known;

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
    pledge_hashcache_load(&cache);
    for (s = 0; s < PLEDGE_STYLE_COUNT; s++) {
        snprintf(path, sizeof path, "%s/fonts/%s-%s.ttf", eng->datadir,
                 base, style_suffix[s]);
        /* The file read is the file cached only if it is the same before
         * and after. */
        if ((known = stat(path, &st) == 0))
            pledge_file_id_of(&st, &before);
        if (pledge_font_open(&f->fonts[s], path, err) < 0) {
            pledge_font_close(f->fonts[s]);
            while (s-- > 0)
                pledge_font_close(f->fonts[s]);
            memset(f, 0, sizeof *f);
            return pledge_err_prefix(err, "font family '%s'", family);
        }
        if (known && (known = stat(path, &st) == 0))
            pledge_file_id_of(&st, &after);
        known = known && pledge_file_id_same(&before, &after);
        if (known && (kept = pledge_hashcache_get(&cache, &after)) != NULL) {
            memcpy(f->hash[s], kept, sizeof f->hash[s]);
            continue;
        }
        bytes = pledge_font_bytes(f->fonts[s], &nbytes);
        hash_hex(bytes, nbytes, f->hash[s]);
        if (known)
            pledge_hashcache_put(&cache, &after, f->hash[s]);
    }
    pledge_hashcache_save(&cache);
    if ((f->family = strdup(family)) == NULL) {
        for (s = 0; s < PLEDGE_STYLE_COUNT; s++)
            pledge_font_close(f->fonts[s]);
        return pledge_err_set(err, "open font family: out of memory");
    }
    eng->nfamilies++;
    *out = f;
    return 0;
}

/* Finds the pattern file for language: "en-US" is looked for as
 * hyph_en_US.dic in the data directory's hyphen/, then in pattern_dirs.
 * Returns 0 with path filled in, or -1 when there is none. */
static int pattern_path(const pledge_engine *eng, const char *language,
                        char *path, size_t size)
{
    char name[64];
    size_t i, d;

    snprintf(name, sizeof name, "hyph_%s.dic", language);
    for (i = 0; name[i]; i++)
        if (name[i] == '-')
            name[i] = '_';
    snprintf(path, size, "%s/hyphen/%s", eng->datadir, name);
    for (d = 0; access(path, R_OK) != 0 &&
         d < sizeof pattern_dirs / sizeof *pattern_dirs; d++)
        snprintf(path, size, "%s/%s", pattern_dirs[d], name);
    return access(path, R_OK) == 0 ? 0 : -1;
}

/* The patterns for lay's text, kept from an earlier call or loaded now in
 * place of those handed out longest ago.  A language with no patterns is
 * set without hyphenation, which is correct, only less even: NULL. */
static const pledge_hyphenator *open_patterns(pledge_engine *eng,
                                              const pledge_layout *lay)
{
    const char *language = lay->meta.language;
    char path[4096], *text, *lang = NULL;
    const char *texts[1], *s;
    pledge_hyphenator *hy = NULL;
    pledge_patterns *p;
    pledge_err ignored;
    size_t i;

    eng->cur_patterns = NULL;
    if (pledge_typeset_hyphen_text(lay, &text, &ignored) < 0)
        return NULL;
    for (i = 0; i < eng->npatterns; i++) {
        p = &eng->patterns[i];
        if (strcmp(p->language, language) == 0 &&
            strcmp(p->text, text) == 0) {
            free(text);
            p->used = ++eng->clock;
            eng->cur_patterns = p;
            return p->hyphen;
        }
    }
    texts[0] = text;
    if (pattern_path(eng, language, path, sizeof path) < 0 ||
        pledge_hyphen_open_for(&hy, path, texts, 1, &ignored) < 0 ||
        (lang = strdup(language)) == NULL) {
        pledge_hyphen_close(hy);
        free(text);
        return NULL;
    }
    if (eng->npatterns < PLEDGE_MAX_HYPHENATORS) {
        p = &eng->patterns[eng->npatterns++];
    } else {
        p = &eng->patterns[0];
        for (i = 1; i < eng->npatterns; i++)
            if (eng->patterns[i].used < p->used)
                p = &eng->patterns[i];
        pledge_hyphen_close(p->hyphen);
        free(p->language);
        free(p->text);
    }
    p->language = lang;
    p->text = text;
    p->hyphen = hy;
    p->used = ++eng->clock;
    s = strrchr(path, '/');
    s = s != NULL ? s + 1 : path;
    memcpy(p->file, s, strnlen(s, sizeof p->file - 1));
    p->file[strnlen(s, sizeof p->file - 1)] = '\0';
    if (file_hash(path, p->hash, &ignored) < 0)
        snprintf(p->hash, sizeof p->hash, "unreadable");
    eng->cur_patterns = p;
    return hy;
}

int pledge_engine_typo(pledge_engine *eng, const pledge_layout *lay,
                       pledge_typo *typo, pledge_err *err)
{
    pledge_family *f;

    if (open_family(eng, lay->meta.font_family, &f, err) < 0)
        return pledge_err_prefix(err, "layout %s", lay->path);
    memset(typo, 0, sizeof *typo);
    memcpy(typo->fonts, f->fonts, sizeof typo->fonts);
    eng->cur_family = f;
    typo->hyphen = open_patterns(eng, lay);
    return 0;
}

int pledge_engine_fingerprint(const pledge_engine *eng, char *out,
                              size_t cap, pledge_err *err)
{
    const pledge_family *f = eng->cur_family;
    const pledge_patterns *p = eng->cur_patterns;
    size_t n, s;

    if (f == NULL)
        return pledge_err_set(err, "engine: no fonts opened yet");
    n = (size_t)snprintf(out, cap, "engine:%s\n", PLEDGE_VERSION);
    for (s = 0; s < PLEDGE_STYLE_COUNT && n < cap; s++) {
        const char *path = pledge_font_path(f->fonts[s]);
        const char *base = strrchr(path, '/');

        n += (size_t)snprintf(out + n, cap - n, "font:%s:%s\n",
                              base != NULL ? base + 1 : path, f->hash[s]);
    }
    if (n < cap)
        n += p != NULL ? (size_t)snprintf(out + n, cap - n,
                                          "hyphen:%s:%s\n", p->file,
                                          p->hash)
                       : (size_t)snprintf(out + n, cap - n, "hyphen:none\n");
    if (n < cap)
        n += (size_t)snprintf(out + n, cap - n,
                              "lib:harfbuzz:%s\nlib:libdeflate:%s\n"
                              "lib:libqrencode:%s\n",
                              pledge_font_shaper_version(),
                              pledge_pdf_deflate_version(),
                              pledge_qr_library_version());
    if (n >= cap)
        return pledge_err_set(err, "engine: fingerprint too long");
    return 0;
}
