/* pdfwrite.c - write typeset pages as a PDF with libharu.
 *
 * Each font is subset to the code points the pages show in it (subset.c,
 * which also works around libharu's loss of nested composite glyphs) and
 * handed to libharu through an anonymous memory file, because libharu
 * 2.3.0 loads TrueType fonts only by path.  Text uses libharu's UTF-8
 * encoder: a Type0 font with Identity-H encoding whose character codes
 * are the Unicode code points (so the Basic Multilingual Plane only).
 *
 * What libharu 2.3.0 gets wrong or wasteful for such fonts is patched in
 * its object tree (hence the internal headers behind hpdf.h; see
 * patch_font): notably the ToUnicode CMap it writes for UTF-8 fonts is a
 * copy of the encoding CMap, which readers reject ("Invalid
 * 'begincidrange' operator in ToUnicode CMap"), so it is replaced with a
 * real one mapping each shown code to itself.
 *
 * Output is reproducible: libharu writes no /ID without encryption, its
 * subset tags count up from HPDFAA in load order, and the dates come
 * from info->epoch.
 */
#define _GNU_SOURCE     /* memfd_create */

#include "pdfwrite.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>

#include <hpdf.h>

#include "subset.h"
#include "../util/err.h"
#include "../util/grow.h"
#include "../util/utf8.h"

/* The first error libharu reported; its handler must not longjmp. */
typedef struct {
    HPDF_STATUS code;
    HPDF_STATUS detail;
} hpdf_error;

/* One distinct font file and the code points shown in it. */
typedef struct {
    pledge_font *font;
    unsigned char *seen;        /* bitmap over the BMP */
    uint32_t *cps;              /* sorted */
    size_t ncps;
    HPDF_Font hfont;
} used_font;

typedef struct {
    HPDF_Doc pdf;
    hpdf_error herr;
    used_font used[PLEDGE_STYLE_COUNT];
    int nused;
    int of_style[PLEDGE_STYLE_COUNT];   /* index into used, or -1 */
    char *utf8;                 /* scratch for one text item */
    size_t caputf8;
} writer;

static void HPDF_STDCALL on_error(HPDF_STATUS code, HPDF_STATUS detail,
                                  void *data)
{
    hpdf_error *e = data;

    if (e->code == 0) {
        e->code = code;
        e->detail = detail;
    }
}

/* Sets err for a failed libharu call made while doing what. */
static int hpdf_fail(writer *w, pledge_err *err, const char *what)
{
    return pledge_err_set(err, "write PDF: libharu error 0x%04lX "
                          "(detail %lu) while %s",
                          (unsigned long)w->herr.code,
                          (unsigned long)w->herr.detail, what);
}

/* A status from a libharu call: the one it returned, or the one its
 * handler recorded. */
static int bad(writer *w, HPDF_STATUS st)
{
    if (st != HPDF_OK && w->herr.code == 0)
        w->herr.code = st;
    return st != HPDF_OK || w->herr.code != 0;
}

static const char *font_name(const pledge_font *font)
{
    const char *path = pledge_font_path(font), *slash;

    slash = strrchr(path, '/');
    return slash != NULL ? slash + 1 : path;
}

/* Finds or adds the used font for style: fonts opened from the same file
 * share one subset, as libharu refuses a font name twice. */
static int use_style(writer *w, pledge_font *const fonts[], int style,
                     pledge_err *err)
{
    int i;

    if (w->of_style[style] >= 0)
        return w->of_style[style];
    if (fonts[style] == NULL)
        return pledge_err_set(err, "write PDF: no font for style %d", style);
    for (i = 0; i < w->nused; i++) {
        if (w->used[i].font == fonts[style] ||
            strcmp(pledge_font_path(w->used[i].font),
                   pledge_font_path(fonts[style])) == 0)
            break;
    }
    if (i == w->nused) {
        w->used[i].font = fonts[style];
        w->used[i].seen = calloc(0x10000 / 8, 1);
        if (w->used[i].seen == NULL)
            return pledge_err_set(err, "write PDF: out of memory");
        w->nused++;
    }
    w->of_style[style] = i;
    return i;
}

/* Decodes a text item into the code points to show, checked to be ones
 * libharu's UTF-8 encoder can carry.  The caller frees *cps with free(). */
static int item_codepoints(pledge_font *font, const pledge_text *t,
                           uint32_t **cps, size_t *n, pledge_err *err)
{
    size_t i;

    if (pledge_font_codepoints(font, t->text, strlen(t->text), cps, n,
                               err) != 0)
        return -1;
    for (i = 0; i < *n; i++) {
        uint32_t c = (*cps)[i];

        if (c < 0x20 || (c >= 0x7f && c < 0xa0) || c > 0xffff) {
            free(*cps);
            return pledge_err_set(err, "cannot show U+%04X",
                                  (unsigned int)c);
        }
    }
    return 0;
}

/* Pass one: collects the code points each font shows. */
static int collect(writer *w, const pledge_pages *pages,
                   pledge_font *const fonts[], pledge_err *err)
{
    size_t p, i, j, k;
    unsigned int b;
    int u;

    for (p = 0; p < pages->npages; p++) {
        const pledge_page *page = &pages->pages[p];

        for (i = 0; i < page->ntexts; i++) {
            const pledge_text *t = &page->texts[i];
            uint32_t *cps;
            size_t n;

            if ((int)t->style < 0 || t->style >= PLEDGE_STYLE_COUNT)
                return pledge_err_set(err, "write PDF page %zu: bad style "
                                      "%d", p + 1, (int)t->style);
            u = use_style(w, fonts, t->style, err);
            if (u < 0)
                return -1;
            if (item_codepoints(w->used[u].font, t, &cps, &n, err) != 0)
                return pledge_err_prefix(err, "write PDF page %zu", p + 1);
            for (j = 0; j < n; j++)
                w->used[u].seen[cps[j] >> 3] |=
                    (unsigned char)(1u << (cps[j] & 7));
            free(cps);
        }
    }
    for (u = 0; u < w->nused; u++) {
        used_font *f = &w->used[u];

        for (k = 0, j = 0; j < 0x10000 / 8; j++) {
            for (b = f->seen[j]; b != 0; b &= b - 1)
                k++;
        }
        f->cps = malloc((k != 0 ? k : 1) * sizeof *f->cps);
        if (f->cps == NULL)
            return pledge_err_set(err, "write PDF: out of memory");
        for (k = 0, j = 0; j < 0x10000 / 8; j++) {
            for (b = 0; f->seen[j] != 0 && b < 8; b++) {
                if ((f->seen[j] >> b) & 1)
                    f->cps[k++] = (uint32_t)(8 * j + b);
            }
        }
        f->ncps = k;
    }
    return 0;
}

/* Writes data to an anonymous file and returns its descriptor, or -1.
 * Nothing is left on disk: a memfd, or else an already unlinked tmpfile. */
static int anon_file(const unsigned char *data, size_t len)
{
    size_t off = 0;
    ssize_t n;
    int fd;

    fd = memfd_create("pledge-font", MFD_CLOEXEC);
    if (fd < 0) {
        FILE *tmp = tmpfile();

        if (tmp == NULL)
            return -1;
        fd = dup(fileno(tmp));
        fclose(tmp);
        if (fd < 0)
            return -1;
    }
    while (off < len) {
        n = write(fd, data + off, len - off);
        if (n <= 0) {
            close(fd);
            return -1;
        }
        off += (size_t)n;
    }
    return fd;
}

/* Writes a ToUnicode CMap for f: every code is its own code point. */
static int write_tounicode(HPDF_Stream s, const used_font *f)
{
    char line[64];
    size_t i, j, start, nranges, done;
    HPDF_STATUS st = HPDF_OK;

    st |= HPDF_Stream_WriteStr(s,
        "/CIDInit /ProcSet findresource begin\n"
        "12 dict begin\n"
        "begincmap\n"
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) "
        "/Supplement 0 >> def\n"
        "/CMapName /Adobe-Identity-UCS def\n"
        "/CMapType 2 def\n"
        "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n");
    /* Runs of consecutive codes that share a high byte, as bfrange
     * entries, at most 100 to a block. */
    nranges = 0;
    for (i = 0; i < f->ncps; i = j) {
        for (j = i + 1; j < f->ncps && f->cps[j] == f->cps[j - 1] + 1 &&
             (f->cps[j] >> 8) == (f->cps[i] >> 8); j++)
            ;
        nranges++;
    }
    done = 0;
    for (i = 0; i < f->ncps; i = j) {
        if (done % 100 == 0) {
            snprintf(line, sizeof line, "%zu beginbfrange\n",
                     nranges - done < 100 ? nranges - done : 100);
            st |= HPDF_Stream_WriteStr(s, line);
        }
        start = i;
        for (j = i + 1; j < f->ncps && f->cps[j] == f->cps[j - 1] + 1 &&
             (f->cps[j] >> 8) == (f->cps[i] >> 8); j++)
            ;
        snprintf(line, sizeof line, "<%04X> <%04X> <%04X>\n",
                 (unsigned int)f->cps[start], (unsigned int)f->cps[j - 1],
                 (unsigned int)f->cps[start]);
        st |= HPDF_Stream_WriteStr(s, line);
        done++;
        if (done % 100 == 0 || done == nranges)
            st |= HPDF_Stream_WriteStr(s, "endbfrange\n");
    }
    st |= HPDF_Stream_WriteStr(s,
        "endcmap\n"
        "CMapName currentdict /CMap defineresource pop\n"
        "end\n"
        "end\n");
    return st != HPDF_OK ? -1 : 0;
}

/* Corrects what libharu 2.3.0 made for a UTF-8 TrueType font:
 * - its ToUnicode CMap, a copy of the encoding CMap, becomes a real one;
 * - its CIDToGIDMap covers all 65536 codes (128 KB to deflate per font);
 *   it is cut after the highest code shown, which is all a reader needs;
 * - its BaseFont carries a ",Bold" style suffix, which is for fonts that
 *   are not embedded; an embedded subset is named tag+PostScript name. */
static int patch_font(writer *w, used_font *f, pledge_err *err)
{
    static const char *const drop[] = {
        "Type", "CMapName", "CIDSystemInfo", "WMode"
    };
    HPDF_FontAttr fa = (HPDF_FontAttr)f->hfont->attr;
    HPDF_TTFontDefAttr da;
    HPDF_Dict tu, map;
    unsigned char *gids;
    size_t i, n;
    char *comma;
    HPDF_STATUS st;

    if (fa == NULL || fa->fontdef == NULL || fa->cmap_stream == NULL ||
        fa->map_stream == NULL || fa->cmap_stream->stream == NULL ||
        fa->map_stream->stream == NULL ||
        HPDF_Dict_GetItem(f->hfont, "ToUnicode", HPDF_OCLASS_DICT) !=
        fa->cmap_stream)
        return pledge_err_set(err, "write PDF: %s: libharu made an "
                              "unexpected font", font_name(f->font));
    da = (HPDF_TTFontDefAttr)fa->fontdef->attr;
    tu = fa->cmap_stream;
    map = fa->map_stream;

    HPDF_MemStream_FreeData(tu->stream);
    for (i = 0; i < sizeof drop / sizeof drop[0]; i++) {
        if (HPDF_Dict_RemoveElement(tu, drop[i]) != HPDF_OK) {
            /* A key libharu did not write is no error. */
            HPDF_ResetError(w->pdf);
            w->herr.code = 0;
        }
    }
    if (write_tounicode(tu->stream, f) != 0)
        return hpdf_fail(w, err, "writing a ToUnicode CMap");

    n = f->ncps != 0 ? f->cps[f->ncps - 1] + 1 : 1;
    gids = calloc(n, 2);
    if (gids == NULL)
        return pledge_err_set(err, "write PDF: out of memory");
    for (i = 0; i < f->ncps; i++) {
        HPDF_UINT16 gid = HPDF_TTFontDef_GetGlyphid(fa->fontdef,
                                                    (HPDF_UINT16)f->cps[i]);

        gids[2 * f->cps[i]] = (unsigned char)(gid >> 8);
        gids[2 * f->cps[i] + 1] = (unsigned char)gid;
    }
    HPDF_MemStream_FreeData(map->stream);
    st = HPDF_Stream_Write(map->stream, gids, (HPDF_UINT)(2 * n));
    free(gids);
    if (bad(w, st))
        return hpdf_fail(w, err, "writing a CIDToGIDMap");

    if (da != NULL && (comma = strchr(da->base_font, ',')) != NULL)
        *comma = '\0';
    return 0;
}

/* Pass two, per font: subset, load into libharu, patch what it made. */
static int load_fonts(writer *w, pledge_err *err)
{
    char path[64];
    int u;

    for (u = 0; u < w->nused; u++) {
        used_font *f = &w->used[u];
        unsigned char *data;
        size_t len;
        const char *name;
        int fd;

        if (pledge_subset_font(f->font, f->cps, f->ncps, &data, &len,
                               err) != 0)
            return pledge_err_prefix(err, "write PDF");
        fd = anon_file(data, len);
        free(data);
        if (fd < 0)
            return pledge_err_set(err, "write PDF: %s: cannot make a "
                                  "memory file for the subset font",
                                  font_name(f->font));
        snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
        /* libharu keeps its own descriptor open until HPDF_Free. */
        name = HPDF_LoadTTFontFromFile(w->pdf, path, HPDF_TRUE);
        close(fd);
        if (name == NULL || bad(w, HPDF_OK)) {
            char what[300];

            snprintf(what, sizeof what, "loading the subset of %s",
                     font_name(f->font));
            return hpdf_fail(w, err, what);
        }
        f->hfont = HPDF_GetFont(w->pdf, name, "UTF-8");
        if (f->hfont == NULL || bad(w, HPDF_OK)) {
            char what[300];

            snprintf(what, sizeof what, "making a UTF-8 font of %s",
                     font_name(f->font));
            return hpdf_fail(w, err, what);
        }
        if (patch_font(w, f, err) != 0)
            return -1;
    }
    return 0;
}

/* 1 when s is valid UTF-8 of code points libharu can write (the BMP). */
static int bmp_utf8(const char *s)
{
    size_t i = 0, len = strlen(s);
    uint32_t cp;

    while (i < len) {
        if (pledge_utf8_next(s, len, &i, &cp) != 0 || cp > 0xffff)
            return 0;
    }
    return 1;
}

static int set_info(writer *w, const pledge_pdf_info *info, pledge_err *err)
{
    static const struct {
        HPDF_InfoType type;
        size_t off;
    } fields[] = {
        { HPDF_INFO_TITLE, offsetof(pledge_pdf_info, title) },
        { HPDF_INFO_AUTHOR, offsetof(pledge_pdf_info, author) },
        { HPDF_INFO_SUBJECT, offsetof(pledge_pdf_info, subject) },
        { HPDF_INFO_KEYWORDS, offsetof(pledge_pdf_info, keywords) },
        { HPDF_INFO_CREATOR, offsetof(pledge_pdf_info, creator) },
    };
    struct tm tm;
    time_t t = (time_t)info->epoch;
    HPDF_Date date;
    size_t i;

    /* With the UTF-8 encoder current, libharu writes info strings as
     * UTF-16BE with a byte order mark. */
    if (bad(w, HPDF_SetCurrentEncoder(w->pdf, "UTF-8")))
        return hpdf_fail(w, err, "selecting the UTF-8 encoder");
    for (i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        const char *v = *(const char *const *)
            ((const char *)info + fields[i].off);

        if (v == NULL || *v == '\0')
            continue;
        if (!bmp_utf8(v))
            return pledge_err_set(err, "write PDF: document info \"%s\" "
                                  "is not UTF-8 within U+FFFF", v);
        if (bad(w, HPDF_SetInfoAttr(w->pdf, fields[i].type, v)))
            return hpdf_fail(w, err, "setting the document info");
    }
    if ((long long)t != info->epoch || gmtime_r(&t, &tm) == NULL ||
        tm.tm_year + 1900 < 1 || tm.tm_year + 1900 > 9999)
        return pledge_err_set(err, "write PDF: bad timestamp %lld",
                              info->epoch);
    memset(&date, 0, sizeof date);
    date.year = tm.tm_year + 1900;
    date.month = tm.tm_mon + 1;
    date.day = tm.tm_mday;
    date.hour = tm.tm_hour;
    date.minutes = tm.tm_min;
    date.seconds = tm.tm_sec < 60 ? tm.tm_sec : 59;
    date.ind = 'Z';
    if (bad(w, HPDF_SetInfoDateAttr(w->pdf, HPDF_INFO_CREATION_DATE,
                                    date)) ||
        bad(w, HPDF_SetInfoDateAttr(w->pdf, HPDF_INFO_MOD_DATE, date)))
        return hpdf_fail(w, err, "setting the document dates");
    return 0;
}

/* Graphics state already set on the page, to skip redundant operators. */
typedef struct {
    double fill, stroke, width;
} gstate;

static int set_fill(writer *w, HPDF_Page page, gstate *gs, double gray)
{
    if (gs->fill == gray)
        return 0;
    gs->fill = gray;
    return bad(w, HPDF_Page_SetGrayFill(page, (HPDF_REAL)gray));
}

static int set_stroke(writer *w, HPDF_Page page, gstate *gs, double gray,
                      double width)
{
    if (gs->stroke != gray) {
        gs->stroke = gray;
        if (bad(w, HPDF_Page_SetGrayStroke(page, (HPDF_REAL)gray)))
            return 1;
    }
    if (gs->width != width) {
        gs->width = width;
        if (bad(w, HPDF_Page_SetLineWidth(page, (HPDF_REAL)width)))
            return 1;
    }
    return 0;
}

static int draw_graphics(writer *w, HPDF_Page page, const pledge_page *pg,
                         gstate *gs)
{
    size_t i;

    for (i = 0; i < pg->nboxes; i++) {
        const pledge_boxdraw *b = &pg->boxes[i];
        int fill = b->fill_gray >= 0, stroke = b->width > 0;

        if (!fill && !stroke)
            continue;
        if ((fill && set_fill(w, page, gs, b->fill_gray)) ||
            (stroke && set_stroke(w, page, gs, 0, b->width)) ||
            bad(w, HPDF_Page_Rectangle(page, (HPDF_REAL)b->x,
                                       (HPDF_REAL)b->y, (HPDF_REAL)b->w,
                                       (HPDF_REAL)b->h)))
            return -1;
        if (bad(w, fill && stroke ? HPDF_Page_FillStroke(page) :
                   fill ? HPDF_Page_Fill(page) : HPDF_Page_Stroke(page)))
            return -1;
    }
    for (i = 0; i < pg->nrules; i++) {
        const pledge_rule *r = &pg->rules[i];

        if (set_stroke(w, page, gs, r->gray, r->width) ||
            bad(w, HPDF_Page_MoveTo(page, (HPDF_REAL)r->x0,
                                    (HPDF_REAL)r->y0)) ||
            bad(w, HPDF_Page_LineTo(page, (HPDF_REAL)r->x1,
                                    (HPDF_REAL)r->y1)) ||
            bad(w, HPDF_Page_Stroke(page)))
            return -1;
    }
    return 0;
}

static int utf8_encode(writer *w, const uint32_t *cps, size_t n)
{
    size_t i, len = 0;
    char *p;

    p = pledge_grow(w->utf8, &w->caputf8, PLEDGE_UTF8_MAX * n + 1, 1);
    if (p == NULL)
        return -1;
    w->utf8 = p;
    for (i = 0; i < n; i++)
        len += pledge_utf8_encode(cps[i], p + len);
    p[len] = '\0';
    return 0;
}

/* Moves to a text item's start.  Positions are kept in thousandths of a
 * point.  A short move from the previous item is a Td, whose operand
 * libharu prints exactly (it prints reals with five decimals from a
 * float, exact for thousandths below 64), so the reader's sum of moves
 * is the intended position; anything longer sets the text matrix
 * absolutely with Tm.  Either way rounding never accumulates. */
static int move_to(writer *w, HPDF_Page page, double x, double y,
                   int *first, long long *cx, long long *cy)
{
    long long qx = llround(x * 1000.0), qy = llround(y * 1000.0);
    long long dx = qx - *cx, dy = qy - *cy;

    if (!*first && dx > -64000 && dx < 64000 && dy > -64000 && dy < 64000) {
        if (bad(w, HPDF_Page_MoveTextPos(page, (HPDF_REAL)(dx / 1000.0),
                                         (HPDF_REAL)(dy / 1000.0))))
            return -1;
    } else if (bad(w, HPDF_Page_SetTextMatrix(page, 1, 0, 0, 1,
                                              (HPDF_REAL)(qx / 1000.0),
                                              (HPDF_REAL)(qy / 1000.0)))) {
        return -1;
    }
    *first = 0;
    *cx = qx;
    *cy = qy;
    return 0;
}

static int draw_text(writer *w, HPDF_Page page, const pledge_page *pg,
                     size_t pageno, gstate *gs, pledge_err *err)
{
    HPDF_Font cur = NULL;
    double cursize = 0;
    long long cx = 0, cy = 0;
    int first = 1;
    size_t i;

    if (pg->ntexts == 0)
        return 0;
    if (set_fill(w, page, gs, 0) || bad(w, HPDF_Page_BeginText(page)))
        return hpdf_fail(w, err, "starting text");
    for (i = 0; i < pg->ntexts; i++) {
        const pledge_text *t = &pg->texts[i];
        used_font *f = &w->used[w->of_style[t->style]];
        uint32_t *cps;
        size_t n;
        int r;

        if (t->text[0] == '\0')
            continue;
        if (item_codepoints(f->font, t, &cps, &n, err) != 0)
            return pledge_err_prefix(err, "write PDF page %zu", pageno);
        r = utf8_encode(w, cps, n);
        free(cps);
        if (r != 0)
            return pledge_err_set(err, "write PDF: out of memory");
        if (f->hfont != cur || t->size != cursize) {
            if (bad(w, HPDF_Page_SetFontAndSize(page, f->hfont,
                                                (HPDF_REAL)t->size)))
                return hpdf_fail(w, err, "setting the font");
            cur = f->hfont;
            cursize = t->size;
        }
        if (move_to(w, page, t->x, t->y, &first, &cx, &cy) != 0 ||
            bad(w, HPDF_Page_ShowText(page, w->utf8)))
            return hpdf_fail(w, err, "showing text");
    }
    if (bad(w, HPDF_Page_EndText(page)))
        return hpdf_fail(w, err, "ending text");
    return 0;
}

static int draw_pages(writer *w, const pledge_pages *pages, pledge_err *err)
{
    size_t p;

    for (p = 0; p < pages->npages; p++) {
        const pledge_page *pg = &pages->pages[p];
        gstate gs = { 0, 0, 1 };
        HPDF_Page page;

        page = HPDF_AddPage(w->pdf);
        if (page == NULL || bad(w, HPDF_OK) ||
            bad(w, HPDF_Page_SetWidth(page, (HPDF_REAL)pages->width)) ||
            bad(w, HPDF_Page_SetHeight(page, (HPDF_REAL)pages->height)))
            return hpdf_fail(w, err, "adding a page");
        if (draw_graphics(w, page, pg, &gs) != 0)
            return hpdf_fail(w, err, "drawing rules and boxes");
        if (draw_text(w, page, pg, p + 1, &gs, err) != 0)
            return -1;
    }
    return 0;
}

static int save(writer *w, unsigned char **out, size_t *len, pledge_err *err)
{
    unsigned char *buf;
    HPDF_UINT32 size, got = 0;

    if (bad(w, HPDF_SaveToStream(w->pdf)))
        return hpdf_fail(w, err, "saving");
    size = HPDF_GetStreamSize(w->pdf);
    buf = malloc(size != 0 ? size : 1);
    if (buf == NULL)
        return pledge_err_set(err, "write PDF: out of memory");
    while (got < size) {
        HPDF_UINT32 n = size - got;
        HPDF_STATUS st = HPDF_ReadFromStream(w->pdf, buf + got, &n);

        if ((st != HPDF_OK && st != HPDF_STREAM_EOF) || n == 0) {
            free(buf);
            w->herr.code = st;
            return hpdf_fail(w, err, "reading the saved document");
        }
        got += n;
    }
    *out = buf;
    *len = size;
    return 0;
}

int pledge_pdf_write(const pledge_pages *pages,
                     pledge_font *const fonts[PLEDGE_STYLE_COUNT],
                     const pledge_pdf_info *info, unsigned char **out,
                     size_t *len, pledge_err *err)
{
    writer w;
    int i, ret = -1;

    memset(&w, 0, sizeof w);
    for (i = 0; i < PLEDGE_STYLE_COUNT; i++)
        w.of_style[i] = -1;
    if (pages->npages == 0)
        return pledge_err_set(err, "write PDF: no pages");
    if (collect(&w, pages, fonts, err) != 0)
        goto done;

    w.pdf = HPDF_New(on_error, &w.herr);
    if (w.pdf == NULL) {
        pledge_err_set(err, "write PDF: out of memory");
        goto done;
    }
    if (bad(&w, HPDF_SetCompressionMode(w.pdf, HPDF_COMP_ALL)) ||
        bad(&w, HPDF_UseUTFEncodings(w.pdf))) {
        hpdf_fail(&w, err, "setting up the document");
        goto done;
    }
    if (load_fonts(&w, err) != 0 || set_info(&w, info, err) != 0 ||
        draw_pages(&w, pages, err) != 0 || save(&w, out, len, err) != 0)
        goto done;
    ret = 0;

done:
    if (w.pdf != NULL)
        HPDF_Free(w.pdf);
    for (i = 0; i < w.nused; i++) {
        free(w.used[i].seen);
        free(w.used[i].cps);
    }
    free(w.utf8);
    return ret;
}
