/* bench_render.c - the in-process half of `make bench`, and its LaTeX twin.
 *
 *   bench_render render LAYOUT_FILE N [CREDENTIALS MEMBER_ID DATE]
 *   bench_render tex LAYOUT_FILE NAME [CREDENTIALS MEMBER_ID DATE] [PAPER]
 *   bench_render geometry LAYOUT_FILE PAPER
 *
 * render opens the engine and loads the layout once, sets one untimed
 * pledge (the engine opens its fonts on first use, and a batch pays that
 * once), then times N pledges, each for a different name, and prints the
 * mean time and size per pledge.  This is the cost a bulk run pays per
 * attendee, without process start-up.
 *
 * tex walks the same layout's document model and prints a LaTeX source for
 * the same pledge (same paper, margins, body size and leading, the same
 * blocks, signature block and running footer), so that bench/run.sh can
 * time pdflatex on the same job.  pdflatex sets it in Times: Noto Serif is
 * not among the fonts a plain TeX Live install gives pdflatex.  PAPER
 * (letter or a4) sets both on that paper instead of the layout's own.
 *
 * geometry prints the page and text block the typesetter uses for the
 * layout on PAPER: "width height left right top bottom" in pt, for
 * bench/quality.sh to tell the text block from the header and footer.
 *
 * Exit status: 0 ok, 1 the library failed, 2 usage.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../src/doc/doc.h"
#include "../src/typeset/typeset.h"
#include "../src/pledge.h"
#include "bench_util.h"

/* The personal fields when the command line gives none; bench/run.sh
 * passes its own so that every tool sets the same pledge. */
#define DEFAULT_CREDENTIALS "PhD, LCSW, IMH-E\xc2\xae"
#define DEFAULT_MEMBER_ID "VA-2026-0142"
#define DEFAULT_DATE "2026-11-21"

/* The typesetter's proportions (src/typeset/typeset.c), repeated so that
 * the LaTeX pledge has the same shape. */
#define TITLE_SCALE     1.9
#define SUBTITLE_SCALE  1.15
#define SMALL_SCALE     0.82
#define LIST_INDENT     1.5
#define MARKER_GAP      0.45
#define LABEL_COLUMN    9.5
#define PANEL_LINES     4.2

static const double heading_scale[3] = {1.3, 1.08, 1.0};

/* Names for the timed loop: every pledge differs from the one before, as
 * in a real batch, so no cache can serve a repeat. */
static const char *const names[] = {
    "Zo\xc3\xab \xc3\x85ngstr\xc3\xb6m-N\xc3\xba\xc3\xb1""ez",
    "Nguy\xe1\xbb\x85n Th\xe1\xbb\x8b Minh Khai",
    "Mar\xc3\xad""a Jos\xc3\xa9 Garc\xc3\xad""a L\xc3\xb3pez",
    "Aoife N\xc3\xad Bhriain",
    "Fran\xc3\xa7ois-Xavier Lef\xc3\xa8vre",
    "Samantha Okonkwo-Richardson",
    "J\xc3\xbcrgen Stra\xc3\x9f""burger",
    "Bj\xc3\xb8rn \xc3\x98stergaard"
};
#define NNAMES (sizeof names / sizeof names[0])

static const char usage[] =
    "usage: bench_render render LAYOUT_FILE N "
    "[CREDENTIALS MEMBER_ID DATE]\n"
    "       bench_render tex LAYOUT_FILE NAME "
    "[CREDENTIALS MEMBER_ID DATE] [PAPER]\n"
    "       bench_render geometry LAYOUT_FILE PAPER\n";

static int bench_render(const char *path, long n, const pledge_person *base)
{
    pledge_engine *eng = NULL;
    pledge_layout *lay = NULL;
    pledge_render_opts ro;
    pledge_person person = *base;
    pledge_err err;
    unsigned char *pdf = NULL;
    size_t len = 0, bytes_min = (size_t)-1, bytes_max = 0;
    double total_ms = 0, ms_min = 1e300, ms_max = 0, bytes_total = 0;
    long i;
    int rc = 1;

    memset(&ro, 0, sizeof ro);
    ro.epoch = bench_date_epoch(base->date);
    if (pledge_engine_open(&eng, bench_datadir(), &err) < 0 ||
        pledge_layout_load(&lay, path, &err) < 0)
        goto fail;
    person.name = names[0];
    if (pledge_render_pdf(eng, lay, &person, &ro, &pdf, &len, &err) < 0)
        goto fail;
    free(pdf);
    pdf = NULL;
    for (i = 0; i < n; i++) {
        double t0, ms;

        person.name = names[(i + 1) % NNAMES];
        t0 = (bench_now_us() / 1e3);
        if (pledge_render_pdf(eng, lay, &person, &ro, &pdf, &len, &err) < 0)
            goto fail;
        ms = (bench_now_us() / 1e3) - t0;
        if (len < 5 || memcmp(pdf, "%PDF-", 5) != 0) {
            snprintf(err.msg, sizeof err.msg, "render %s: output is not "
                     "a PDF", path);
            goto fail;
        }
        free(pdf);
        pdf = NULL;
        total_ms += ms;
        ms_min = ms < ms_min ? ms : ms_min;
        ms_max = ms > ms_max ? ms : ms_max;
        bytes_total += (double)len;
        bytes_min = len < bytes_min ? len : bytes_min;
        bytes_max = len > bytes_max ? len : bytes_max;
    }
    printf("%s: %ld pledges in one process\n", pledge_layout_id(lay), n);
    printf("ms/pledge     %.3f  (min %.3f, max %.3f)\n", total_ms / n,
           ms_min, ms_max);
    printf("bytes/pledge  %.0f  (min %zu, max %zu)\n", bytes_total / n,
           bytes_min, bytes_max);
    rc = 0;

fail:
    if (rc != 0)
        fprintf(stderr, "bench_render: %s\n", err.msg);
    free(pdf);
    pledge_layout_free(lay);
    pledge_engine_close(eng);
    return rc;
}

/* TeX points from PostScript points: \fontsize takes bare numbers in pt;
 * every other length below is written in bp directly. */
static double pt(double bp)
{
    return bp * 72.27 / 72;
}

/* Writes UTF-8 text with LaTeX's specials escaped.  Characters that would
 * form a TeX ligature (-- `` '' ,, << >>) are kept apart, since the source
 * text already has its typographic dashes and quotes.  A "\n" (a hard line
 * break) becomes \\ except at the start of a paragraph, where TeX has no
 * line to end; *started tracks that and may be NULL outside paragraphs. */
static void put_text(FILE *out, const char *s, int *started)
{
    for (; *s != '\0'; s++) {
        unsigned char c = (unsigned char)*s;

        if (c == '\n') {
            if (started != NULL && *started)
                fputs("\\\\\n", out);
            continue;
        }
        if (started != NULL)
            *started = 1;
        switch (c) {
        case '\\': fputs("\\textbackslash{}", out); break;
        case '{': fputs("\\{", out); break;
        case '}': fputs("\\}", out); break;
        case '$': fputs("\\$", out); break;
        case '&': fputs("\\&", out); break;
        case '#': fputs("\\#", out); break;
        case '%': fputs("\\%", out); break;
        case '_': fputs("\\_", out); break;
        case '^': fputs("\\textasciicircum{}", out); break;
        case '~': fputs("\\textasciitilde{}", out); break;
        case '`': fputs("\\`{}", out); break;      /* T1 slot 0 */
        case '|': fputs("\\textbar{}", out); break;
        default:
            if (c == 0xc2 && (unsigned char)s[1] == 0xa0) {
                fputc('~', out);        /* no-break space */
                s++;
                break;
            }
            fputc(c, out);
            if (strchr("-',<>", c) != NULL && s[1] == (char)c)
                fputs("{}", out);
            break;
        }
    }
}

static void put_runs(FILE *out, const pledge_block *b)
{
    static const char *const open[PLEDGE_STYLE_COUNT] = {
        "", "\\textbf{", "\\textit{", "\\textbf{\\textit{"
    };
    static const char *const close[PLEDGE_STYLE_COUNT] = {
        "", "}", "}", "}}"
    };
    int started = 0;
    size_t i;

    for (i = 0; i < b->nruns; i++) {
        pledge_style st = b->runs[i].style;

        if (st < 0 || st >= PLEDGE_STYLE_COUNT)
            st = PLEDGE_STYLE_REGULAR;
        fputs(open[st], out);
        put_text(out, b->runs[i].text, &started);
        fputs(close[st], out);
    }
}

static const char *const list_env[2] = {"itemize", "enumerate"};
static const char *const enum_counter[3] = {"enumi", "enumii", "enumiii"};

/* The lists open at each depth while walking the flat block sequence:
 * kind[d] is 0 for itemize, 1 for enumerate; last[d] the last number. */
typedef struct {
    int depth;
    int kind[3];
    int last[3];
} list_stack;

static void close_lists(FILE *out, list_stack *ls, int depth)
{
    while (ls->depth > depth) {
        ls->depth--;
        fprintf(out, "\\end{%s}\n", list_env[ls->kind[ls->depth]]);
    }
}

/* Opens lists down to the block's depth and starts its item.  A numbered
 * item whose number does not follow the last one at its depth starts a new
 * list, as Markdown does.  A list opened only to hold a deeper one, or a
 * continuation paragraph with no item before it, gets an item without a
 * marker: the typesetter draws none there either. */
static void put_item(FILE *out, list_stack *ls, const pledge_block *b)
{
    int kind = b->kind == PLEDGE_BLOCK_NUMBERED;
    int depth = b->level < 1 ? 1 : b->level > 3 ? 3 : b->level;
    int opened = 0;

    close_lists(out, ls, depth);
    if (ls->depth == depth && !b->continues &&
        (ls->kind[depth - 1] != kind ||
         (kind && b->number != ls->last[depth - 1] + 1)))
        close_lists(out, ls, depth - 1);
    while (ls->depth < depth) {
        int d = ls->depth++;

        ls->kind[d] = ls->depth == depth ? kind : 0;
        ls->last[d] = 0;
        fprintf(out, "\\begin{%s}\n", list_env[ls->kind[d]]);
        if (ls->depth < depth)
            fputs("\\item[]\n", out);
        else if (kind && b->number != 1)
            fprintf(out, "\\setcounter{%s}{%d}\n", enum_counter[d],
                    b->number - 1);
        opened = 1;
    }
    if (b->continues) {
        fputs(opened ? "\\item[] " : "\\par\n", out);
        return;
    }
    fputs("\\item ", out);
    ls->last[depth - 1] = b->number;
}

/* The preamble, with the page and text block pledge_typeset_geometry()
 * gives m on paper: pledge's own, margins and measure alike. */
static void put_preamble(FILE *out, const pledge_meta *m,
                         const pledge_person *p, pledge_paper paper)
{
    double S = m->font_size, L = m->leading, small = S * SMALL_SCALE;
    pledge_geometry g;

    pledge_typeset_geometry(m, paper, &g);

    fprintf(out, "%% The pledge that pledge sets from %s, as LaTeX for "
            "timing pdflatex.\n%% Written by bench/bench_render; Times "
            "stands in for Noto Serif.\n", m->id);
    fputs("\\documentclass{article}\n"
          "\\usepackage[T1]{fontenc}\n"
          "\\usepackage[utf8]{inputenc}\n"
          "\\usepackage{mathptmx}\n", out);
    fprintf(out, "\\usepackage[paperwidth=%gbp,paperheight=%gbp,\n"
            "  left=%gbp,right=%gbp,top=%gbp,bottom=%gbp,\n"
            "  headheight=%gbp,headsep=%gbp,footskip=%gbp]{geometry}\n",
            g.page_width, g.page_height, g.left, g.right, g.top,
            g.bottom, small * 1.45, g.top * 0.45, g.bottom * 0.5);
    fputs("\\usepackage{fancyhdr}\n"
          "\\usepackage{color}\n"
          "\\definecolor{panel}{gray}{0.96}\n"
          "\\makeatletter\n", out);
    fprintf(out, "\\renewcommand\\normalsize{\\fontsize{%.3f}{%.3f}"
            "\\selectfont}\n", pt(S), pt(L));
    fprintf(out, "\\newcommand\\pledgesmall{\\fontsize{%.3f}{%.3f}"
            "\\selectfont}\n", pt(small), pt(small * 1.2));
    /* Lists: the typesetter's hanging indent per level, its marker gap,
     * its space between items, and "N." and the bullets at every depth. */
    fprintf(out, "\\setlength\\leftmargini{%gbp}\n"
            "\\setlength\\leftmarginii{%gbp}\n"
            "\\setlength\\leftmarginiii{%gbp}\n"
            "\\setlength\\labelsep{%gbp}\n",
            LIST_INDENT * S, LIST_INDENT * S, LIST_INDENT * S,
            MARKER_GAP * S);
    fprintf(out, "\\def\\pledge@list#1{\\leftmargin#1"
            "\\labelwidth\\leftmargin\\advance\\labelwidth-\\labelsep\n"
            "  \\topsep%gbp\\parsep%gbp\\itemsep0pt\\partopsep0pt}\n",
            0.3 * L, 0.3 * L);
    fputs("\\def\\@listi{\\pledge@list\\leftmargini}\\let\\@listI\\@listi\n"
          "\\def\\@listii{\\pledge@list\\leftmarginii}\n"
          "\\def\\@listiii{\\pledge@list\\leftmarginiii}\n"
          "\\renewcommand\\labelitemi{\\textbullet}\n"
          "\\renewcommand\\labelitemii{\\textendash}\n"
          "\\renewcommand\\labelitemiii{\\textbullet}\n"
          "\\renewcommand\\theenumii{\\arabic{enumii}}\n"
          "\\renewcommand\\labelenumii{\\theenumii.}\n"
          "\\renewcommand\\theenumiii{\\arabic{enumiii}}\n"
          "\\renewcommand\\labelenumiii{\\theenumiii.}\n", out);
    /* #1 space before, #2 size, #3 leading, #4 font switch, #5 text. */
    fprintf(out, "\\newcommand\\pledgeheading[5]{\\par\\addvspace{#1}%%\n"
            "  {\\raggedright\\fontsize{#2}{#3}\\selectfont#4#5\\par}%%\n"
            "  \\nobreak\\vspace{%gbp}\\@afterheading}\n", 0.25 * L);
    /* A signature-block field: small label, value ragged beside it. */
    fprintf(out, "\\newcommand\\pledgefield[2]{\\noindent"
            "\\makebox[%gbp][l]{\\pledgesmall#1}%%\n"
            "  \\parbox[t]{\\dimexpr\\linewidth-%gbp\\relax}"
            "{\\raggedright\\hyphenpenalty10000\\exhyphenpenalty10000 "
            "#2}\\par}\n", LABEL_COLUMN * S, LABEL_COLUMN * S);
    fputs("\\makeatother\n", out);

    /* Footer on every page, header from page 2, "Page N of M" through a
     * label at the end: the lastpage package's trick, without the package
     * (it is in texlive-latex-extra).  N of M is right once an .aux from
     * an earlier run is there.  As in the typesetter, the footer's sides
     * print only where they clear the page number, and the name in the
     * header only where it clears the title. */
    fprintf(out, "\\newcommand\\pledgemid{\\pledgesmall Page \\thepage\\ "
            "of \\pageref{pledge:last}}\n"
            "\\newcommand\\pledgeside[1]{\\sbox0{\\pledgesmall#1}"
            "\\sbox2{\\pledgemid}%%\n"
            "  \\ifdim\\dimexpr\\wd0+\\wd2/2+%gbp\\relax<0.5\\headwidth"
            "\\usebox0\\fi}\n"
            "\\newcommand\\pledgeheadname[1]{\\sbox0{\\pledgesmall"
            "\\pledgeleft}\\sbox2{\\pledgesmall\\itshape#1}%%\n"
            "  \\ifdim\\dimexpr\\wd0+\\wd2+%gbp\\relax<\\headwidth"
            "\\usebox2\\fi}\n", small, 2 * small);
    fputs("\\newcommand\\pledgeleft{", out);
    put_text(out, m->short_name, NULL);
    fputs(" \\textperiodcentered{} ", out);
    put_text(out, m->title, NULL);
    fputs("}\n\\newcommand\\pledgefoot{%\n"
          "  \\fancyfoot[L]{\\pledgeside{\\pledgeleft}}%\n"
          "  \\fancyfoot[C]{\\pledgemid}%\n"
          "  \\fancyfoot[R]{\\pledgeside{", out);
    put_text(out, m->revision, NULL);
    fputs("}}}\n\\fancypagestyle{pledgefirst}{\\fancyhf{}\\pledgefoot"
          "\\renewcommand\\headrulewidth{0pt}}\n"
          "\\fancypagestyle{pledge}{\\fancyhf{}\\pledgefoot"
          "\\renewcommand\\headrulewidth{0.4bp}%\n"
          "  \\fancyhead[L]{\\pledgesmall\\pledgeleft}%\n"
          "  \\fancyhead[R]{\\pledgeheadname{", out);
    put_text(out, p->name, NULL);
    fputs("}}}\n\\pagestyle{pledge}\n"
          "\\AtEndDocument{\\label{pledge:last}}\n"
          "\\setlength\\parindent{0pt}\n"
          "\\setlength\\parskip{0pt}\n"
          "\\setlength\\emergencystretch{1.5em}\n"
          "\\frenchspacing\n", out);
}

static void put_title(FILE *out, const pledge_meta *m, const pledge_person *p)
{
    double S = m->font_size, L = m->leading;

    fputs("\\thispagestyle{pledgefirst}\n"
          "{\\centering\\hyphenpenalty10000\\exhyphenpenalty10000\n", out);
    put_text(out, m->association, NULL);
    fprintf(out, "\\par\\vspace{%gbp}\n{\\fontsize{%.3f}{%.3f}\\selectfont"
            "\\bfseries ", 0.3 * L, pt(S * TITLE_SCALE),
            pt(S * TITLE_SCALE * 1.2));
    put_text(out, m->title, NULL);
    fprintf(out, "\\par}\\vspace{%gbp}\n{\\fontsize{%.3f}{%.3f}\\selectfont"
            "\\itshape Personal pledge of ", 0.35 * L,
            pt(S * SUBTITLE_SCALE), pt(L * SUBTITLE_SCALE));
    put_text(out, p->name, NULL);
    fprintf(out, "\\par}\\vspace{%gbp}\n\\rule{0.3\\linewidth}{0.5bp}"
            "\\par}\n\\nobreak\\vspace{%gbp}\n", 0.5 * L, 0.4 * L);
}

/* The commitment, the signature block and the digital signature panel, in
 * one minipage: like the typesetter's group, it never splits. */
static void put_commitment(FILE *out, const pledge_meta *m,
                           const pledge_person *p)
{
    double S = m->font_size, L = m->leading;
    char date[64];

    fprintf(out, "\\par\\addvspace{%gbp}\n\\noindent\\begin{minipage}"
            "{\\linewidth}\n%s\\itshape ", 1.2 * L,
            m->align == PLEDGE_ALIGN_RAGGED ? "\\raggedright" : "");
    put_text(out, m->commitment, NULL);
    fprintf(out, "\\par\\upshape\\vspace{%gbp}\n\\pledgefield{Name}{",
            0.9 * L);
    put_text(out, p->name, NULL);
    fputs("}\n", out);
    if (p->credentials != NULL && *p->credentials != '\0') {
        fprintf(out, "\\vspace{%gbp}\\pledgefield{Credentials}{", 0.2 * L);
        put_text(out, p->credentials, NULL);
        fputs("}\n", out);
    }
    if (p->member_id != NULL && *p->member_id != '\0') {
        fprintf(out, "\\vspace{%gbp}\\pledgefield{Member ID}{", 0.2 * L);
        put_text(out, p->member_id, NULL);
        fputs("}\n", out);
    }
    pledge_typeset_format_date(p->date, date, sizeof date);
    fprintf(out, "\\vspace{%gbp}\\pledgefield{Date}{", 0.2 * L);
    put_text(out, date, NULL);
    fputs("}\n", out);
    fprintf(out, "\\vspace{%gbp}\\noindent\\makebox[%gbp][l]"
            "{\\pledgesmall Signature}%%\n"
            "\\rule{\\dimexpr\\linewidth-%gbp\\relax}{0.6bp}\\par\n",
            1.7 * L, LABEL_COLUMN * S, LABEL_COLUMN * S);
    fprintf(out, "\\vspace{%gbp}\\setlength\\fboxsep{0pt}"
            "\\setlength\\fboxrule{0.5bp}%%\n"
            "\\noindent\\fcolorbox{black}{panel}{\\parbox[c][%gbp]"
            "{\\dimexpr\\linewidth-1bp\\relax}{\\pledgesmall\n"
            "  \\hspace*{%gbp}\\textbf{Digital signature}\\\\\n"
            "  \\hspace*{%gbp}Not digitally signed. When this pledge is "
            "signed, the signer, key ID and date appear here,\\\\\n"
            "  \\hspace*{%gbp}and anyone can check it with "
            "\\textquotedblleft pledge verify\\textquotedblright.}}\n"
            "\\end{minipage}\n", 0.7 * L, PANEL_LINES * L, 0.6 * S,
            0.6 * S, 0.6 * S);
}

/* paper_arg("a4") and so on; PLEDGE_PAPER_DEFAULT for NULL, -1 for a
 * name that is no paper. */
static int paper_arg(const char *s)
{
    if (s == NULL)
        return PLEDGE_PAPER_DEFAULT;
    if (strcmp(s, "letter") == 0)
        return PLEDGE_PAPER_LETTER;
    if (strcmp(s, "a4") == 0)
        return PLEDGE_PAPER_A4;
    fprintf(stderr, "bench_render: PAPER must be letter or a4, not '%s'\n",
            s);
    return -1;
}

static int bench_geometry(const char *path, pledge_paper paper)
{
    pledge_layout *lay = NULL;
    pledge_geometry g;
    pledge_err err;

    if (pledge_layout_load(&lay, path, &err) < 0) {
        fprintf(stderr, "bench_render: %s\n", err.msg);
        return 1;
    }
    pledge_typeset_geometry(&lay->meta, paper, &g);
    printf("%g %g %g %g %g %g\n", g.page_width, g.page_height, g.left,
           g.right, g.top, g.bottom);
    pledge_layout_free(lay);
    return 0;
}

static int bench_tex(const char *path, const pledge_person *p,
                     pledge_paper paper)
{
    pledge_layout *lay = NULL;
    const pledge_meta *m;
    list_stack ls;
    pledge_err err;
    size_t i;
    int after_heading = 0;

    if (pledge_layout_load(&lay, path, &err) < 0) {
        fprintf(stderr, "bench_render: %s\n", err.msg);
        return 1;
    }
    m = &lay->meta;
    memset(&ls, 0, sizeof ls);
    put_preamble(stdout, m, p, paper);
    fputs("\\begin{document}\n\\normalsize\n", stdout);
    if (m->align == PLEDGE_ALIGN_RAGGED)
        fputs("\\raggedright\n", stdout);
    put_title(stdout, m, p);
    for (i = 0; i < lay->doc.nblocks; i++) {
        const pledge_block *b = &lay->doc.blocks[i];
        double S = m->font_size, L = m->leading;

        switch (b->kind) {
        case PLEDGE_BLOCK_HEADING: {
            int lv = b->level < 1 ? 1 : b->level > 3 ? 3 : b->level;

            close_lists(stdout, &ls, 0);
            printf("\\pledgeheading{%gbp}{%.3f}{%.3f}{%s}{",
                   lv == 1 ? 1.4 * L : 1.0 * L,
                   pt(S * heading_scale[lv - 1]),
                   pt(L * heading_scale[lv - 1]),
                   lv == 3 ? "\\bfseries\\itshape" : "\\bfseries");
            put_runs(stdout, b);
            fputs("}\n", stdout);
            after_heading = 1;
            continue;
        }
        case PLEDGE_BLOCK_PARAGRAPH:
        case PLEDGE_BLOCK_COMMITMENT:
            close_lists(stdout, &ls, 0);
            if (!after_heading)
                printf("\\par\\addvspace{%gbp}\n", 0.55 * L);
            break;
        case PLEDGE_BLOCK_BULLET:
        case PLEDGE_BLOCK_NUMBERED:
            put_item(stdout, &ls, b);
            break;
        }
        put_runs(stdout, b);
        fputs("\n", stdout);
        after_heading = 0;
    }
    close_lists(stdout, &ls, 0);
    put_commitment(stdout, m, p);
    fputs("\\end{document}\n", stdout);
    pledge_layout_free(lay);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "bench_render: write standard output: %s\n",
                strerror(errno));
        return 1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    pledge_person person;
    char *end;
    long n;
    int paper;

    if (argc == 4 && strcmp(argv[1], "geometry") == 0) {
        paper = paper_arg(argv[3]);
        return paper < 0 ? 2 : bench_geometry(argv[2], (pledge_paper)paper);
    }
    if (argc != 4 && argc != 7 && !(argc == 8 &&
                                    strcmp(argv[1], "tex") == 0)) {
        fputs(usage, stderr);
        return 2;
    }
    memset(&person, 0, sizeof person);
    person.credentials = argc >= 7 ? argv[4] : DEFAULT_CREDENTIALS;
    person.member_id = argc >= 7 ? argv[5] : DEFAULT_MEMBER_ID;
    person.date = argc >= 7 ? argv[6] : DEFAULT_DATE;
    if (strcmp(argv[1], "render") == 0) {
        errno = 0;
        n = strtol(argv[3], &end, 10);
        if (errno != 0 || *end != '\0' || n < 1 || n > 1000000) {
            fprintf(stderr, "bench_render: N must be 1 to 1000000, "
                    "not '%s'\n", argv[3]);
            return 2;
        }
        return bench_render(argv[2], n, &person);
    }
    if (strcmp(argv[1], "tex") == 0) {
        person.name = argv[3];
        paper = paper_arg(argc == 8 ? argv[7] : NULL);
        return paper < 0 ? 2 : bench_tex(argv[2], &person,
                                         (pledge_paper)paper);
    }
    fputs(usage, stderr);
    return 2;
}
