/* test_layout.c - the layout reader: front matter, body, and their errors.
 *
 * Every fixture is written out here line by line, with its line numbers in
 * comments, so that the line each error must name can be checked by eye.
 */
#include <check.h>
#include <glob.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../src/doc/doc.h"
#include "../../src/layout/layout.h"
#include "../../src/pledge.h"
#include "run_suite.h"

/* The smallest valid front matter: lines 1 to 9, closed on line 10 by
 * FM_END, so that a key added after FM_HEAD is on line 10. */
#define FM_HEAD \
    "---\n"                             /* 1 */ \
    "id: test-code\n"                   /* 2 */ \
    "association:\n"                    /* 3 */ \
    "  name: Test Association\n"        /* 4 */ \
    "  short: TA\n"                     /* 5 */ \
    "title: Code of Ethics\n"           /* 6 */ \
    "revision: Rev. 1\n"                /* 7 */ \
    "commitment:\n"                     /* 8 */ \
    "  text: I commit.\n"               /* 9 */
#define FM_END "---\n"
#define BODY "## Values\n\nBe kind.\n"

static char dir[64];
static char path[PATH_MAX];

static void setup(void)
{
    snprintf(dir, sizeof dir, "/tmp/test_layout.XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void teardown(void)
{
    glob_t g;
    size_t i;
    char pat[PATH_MAX];

    snprintf(pat, sizeof pat, "%s/*", dir);
    if (glob(pat, 0, NULL, &g) == 0) {
        for (i = 0; i < g.gl_pathc; i++)
            unlink(g.gl_pathv[i]);
        globfree(&g);
    }
    rmdir(dir);
}

/* Writes text[0..len) to dir/name and returns its path (in a buffer that
 * the next call reuses). */
static const char *write_file(const char *name, const char *text, size_t len)
{
    FILE *f;

    snprintf(path, sizeof path, "%s/%s", dir, name);
    f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(fwrite(text, 1, len, f), len);
    ck_assert_int_eq(fclose(f), 0);
    return path;
}

static pledge_layout *load_ok(const char *text)
{
    pledge_layout *lay = NULL;
    pledge_err err = { "" };
    const char *p = write_file("x.md", text, strlen(text));

    ck_assert_msg(pledge_layout_load(&lay, p, &err) == 0,
                  "load failed: %s", err.msg);
    ck_assert_ptr_nonnull(lay);
    return lay;
}

/* Loads text[0..len) and checks that it fails with a message that begins
 * "read PATH line LINE: " (or "read PATH: " when line is 0), contains
 * what, and leaves the out-pointer alone. */
static void expect_error_n(const char *text, size_t len, int line,
                           const char *what)
{
    pledge_layout *sentinel = (pledge_layout *)&sentinel;
    pledge_layout *lay = sentinel;
    pledge_err err = { "" };
    char want[PATH_MAX + 64];
    const char *p = write_file("x.md", text, len);

    ck_assert_int_eq(pledge_layout_load(&lay, p, &err), -1);
    ck_assert_ptr_eq(lay, sentinel);
    if (line > 0)
        snprintf(want, sizeof want, "read %s line %d: ", p, line);
    else
        snprintf(want, sizeof want, "read %s: ", p);
    ck_assert_msg(strncmp(err.msg, want, strlen(want)) == 0,
                  "message \"%s\" does not begin \"%s\"", err.msg, want);
    ck_assert_msg(strstr(err.msg, what) != NULL,
                  "message \"%s\" does not say \"%s\"", err.msg, what);
}

static void expect_error(const char *text, int line, const char *what)
{
    expect_error_n(text, strlen(text), line, what);
}

/* The text of block b's runs, concatenated. */
static char *block_text(const pledge_block *b)
{
    static char buf[4096];
    size_t i;

    buf[0] = '\0';
    for (i = 0; i < b->nruns; i++)
        strncat(buf, b->runs[i].text, sizeof buf - strlen(buf) - 1);
    return buf;
}

/* ---- whole layouts ---------------------------------------------------- */

START_TEST(test_valid_every_field)
{
    static const char text[] =
        "---\n"                                         /* 1 */
        "id: vaimh-code\n"                              /* 2 */
        "association:\n"                                /* 3 */
        "  name: Virginia Association for Infant Mental Health\n"
        "  short: VAIMH\n"                              /* 5 */
        "title: Code of Ethics\n"                       /* 6 */
        "revision: \"Rev. 10.2021\"\n"                  /* 7 */
        "source: https://example.org/code\n"            /* 8 */
        "language: en-GB\n"                             /* 9 */
        "page:\n"                                       /* 10 */
        "  size: a4\n"                                  /* 11 */
        "  margins:\n"                                  /* 12 */
        "    top: 20mm\n"                               /* 13 */
        "    bottom: \"0.75in\"\n"                      /* 14 */
        "    inner: 54pt\n"                             /* 15 */
        "    outer: 2cm\n"                              /* 16 */
        "font:\n"                                       /* 17 */
        "  family: Noto Serif\n"                        /* 18 */
        "  size: 11\n"                                  /* 19 */
        "  leading: 14.5\n"                             /* 20 */
        "align: ragged\n"                               /* 21 */
        "commitment:\n"                                 /* 22 */
        "  text: >-\n"                                  /* 23 */
        "    I commit to upholding\n"                   /* 24 */
        "    these values.\n"                           /* 25 */
        "  supplied: true\n"                            /* 26 */
        "notes:\n"                                      /* 27 */
        "  - 'Dropped \"Share this page: !\".'\n"       /* 28 */
        "  - Joined a split paragraph.\n"               /* 29 */
        "---\n"                                         /* 30 */
        "## Value: Integrity\n"                         /* 31 */
        "\n"                                            /* 32 */
        "An endorsed professional works ethically.\n"   /* 33 */
        "\n"                                            /* 34 */
        "- first\n"                                     /* 35 */
        "- second\n";                                   /* 36 */
    pledge_layout *lay = load_ok(text);
    const pledge_meta *m = &lay->meta;

    ck_assert_str_eq(lay->path, path);
    ck_assert_str_eq(pledge_layout_id(lay), "vaimh-code");
    ck_assert_str_eq(pledge_layout_association(lay),
                     "Virginia Association for Infant Mental Health");
    ck_assert_str_eq(pledge_layout_short_name(lay), "VAIMH");
    ck_assert_str_eq(pledge_layout_title(lay), "Code of Ethics");
    ck_assert_str_eq(pledge_layout_revision(lay), "Rev. 10.2021");
    ck_assert_str_eq(m->source, "https://example.org/code");
    ck_assert_str_eq(m->language, "en-GB");
    ck_assert_int_eq(m->paper, PLEDGE_PAPER_A4);
    ck_assert_double_eq_tol(m->margin_top, 20.0 * 72.0 / 25.4, 1e-9);
    ck_assert_double_eq_tol(m->margin_bottom, 0.75 * 72.0, 1e-9);
    ck_assert_double_eq_tol(m->margin_inner, 54.0, 1e-9);
    ck_assert_double_eq_tol(m->margin_outer, 2.0 * 72.0 / 2.54, 1e-9);
    ck_assert_str_eq(m->font_family, "Noto Serif");
    ck_assert_double_eq_tol(m->font_size, 11.0, 1e-9);
    ck_assert_double_eq_tol(m->leading, 14.5, 1e-9);
    ck_assert_int_eq(m->align, PLEDGE_ALIGN_RAGGED);
    ck_assert_str_eq(m->commitment, "I commit to upholding these values.");
    ck_assert_int_eq(m->commitment_supplied, 1);
    ck_assert_uint_eq(m->nnotes, 2);
    ck_assert_str_eq(m->notes[0], "Dropped \"Share this page: !\".");
    ck_assert_str_eq(m->notes[1], "Joined a split paragraph.");

    ck_assert_uint_eq(lay->doc.nblocks, 4);
    ck_assert_int_eq(lay->doc.blocks[0].kind, PLEDGE_BLOCK_HEADING);
    ck_assert_int_eq(lay->doc.blocks[0].level, 2);
    ck_assert_int_eq(lay->doc.blocks[0].line, 31);
    ck_assert_str_eq(block_text(&lay->doc.blocks[0]), "Value: Integrity");
    ck_assert_int_eq(lay->doc.blocks[1].kind, PLEDGE_BLOCK_PARAGRAPH);
    ck_assert_int_eq(lay->doc.blocks[1].line, 33);
    ck_assert_int_eq(lay->doc.blocks[2].kind, PLEDGE_BLOCK_BULLET);
    ck_assert_int_eq(lay->doc.blocks[2].level, 1);
    ck_assert_int_eq(lay->doc.blocks[2].line, 35);
    ck_assert_str_eq(block_text(&lay->doc.blocks[2]), "first");
    ck_assert_int_eq(lay->doc.blocks[3].line, 36);
    pledge_layout_free(lay);
}
END_TEST

START_TEST(test_defaults)
{
    pledge_layout *lay = load_ok(FM_HEAD FM_END BODY);
    const pledge_meta *m = &lay->meta;

    ck_assert_ptr_null(m->source);
    ck_assert_str_eq(m->language, "en-US");
    ck_assert_int_eq(m->paper, PLEDGE_PAPER_LETTER);
    ck_assert_double_eq_tol(m->margin_top, 72.0, 1e-9);
    ck_assert_double_eq_tol(m->margin_bottom, 72.0, 1e-9);
    ck_assert_double_eq_tol(m->margin_inner, 72.0, 1e-9);
    ck_assert_double_eq_tol(m->margin_outer, 72.0, 1e-9);
    ck_assert_str_eq(m->font_family, "Noto Serif");
    ck_assert_double_eq_tol(m->font_size, 10.5, 1e-9);
    /* 1.3 x 10.5 = 13.65, rounded to a tenth. */
    ck_assert_double_eq_tol(m->leading, 13.7, 1e-9);
    ck_assert_int_eq(m->align, PLEDGE_ALIGN_JUSTIFY);
    ck_assert_int_eq(m->commitment_supplied, 0);
    ck_assert_uint_eq(m->nnotes, 0);
    ck_assert_ptr_null(m->notes);
    pledge_layout_free(lay);
}
END_TEST

START_TEST(test_default_leading_follows_size)
{
    pledge_layout *lay = load_ok(FM_HEAD "font:\n  size: 12\n" FM_END BODY);

    ck_assert_double_eq_tol(lay->meta.leading, 15.6, 1e-9);
    pledge_layout_free(lay);
}
END_TEST

START_TEST(test_crlf_and_bom_same_as_lf)
{
    static const char lf[] =
        FM_HEAD
        "notes:\n"
        "  - one\n"
        FM_END
        "# Title\n"
        "\n"
        "A \"quoted\" **bold** line\n"
        "that continues.  \n"
        "After a break.\n"
        "\n"
        "1. one\n"
        "   - sub\n";
    char crlf[sizeof lf * 2 + 3];
    pledge_layout *a, *b;
    size_t i, j, k;

    memcpy(crlf, "\xEF\xBB\xBF", 3);
    for (i = 0, j = 3; lf[i] != '\0'; i++) {
        if (lf[i] == '\n')
            crlf[j++] = '\r';
        crlf[j++] = lf[i];
    }
    crlf[j] = '\0';
    a = load_ok(lf);
    b = load_ok(crlf);
    ck_assert_str_eq(a->meta.id, b->meta.id);
    ck_assert_str_eq(a->meta.commitment, b->meta.commitment);
    ck_assert_uint_eq(a->meta.nnotes, b->meta.nnotes);
    ck_assert_str_eq(a->meta.notes[0], b->meta.notes[0]);
    ck_assert_uint_eq(a->doc.nblocks, b->doc.nblocks);
    for (i = 0; i < a->doc.nblocks; i++) {
        const pledge_block *x = &a->doc.blocks[i], *y = &b->doc.blocks[i];

        ck_assert_int_eq(x->kind, y->kind);
        ck_assert_int_eq(x->level, y->level);
        ck_assert_int_eq(x->number, y->number);
        ck_assert_int_eq(x->line, y->line);
        ck_assert_uint_eq(x->nruns, y->nruns);
        for (k = 0; k < x->nruns; k++) {
            ck_assert_str_eq(x->runs[k].text, y->runs[k].text);
            ck_assert_int_eq(x->runs[k].style, y->runs[k].style);
        }
    }
    /* The hard break survived the CR: it is a "\n", not "\r\n". */
    ck_assert_ptr_nonnull(strstr(block_text(&b->doc.blocks[1]),
                                 "continues.\nAfter"));
    pledge_layout_free(a);
    pledge_layout_free(b);
}
END_TEST

START_TEST(test_crlf_error_lines_same_as_lf)
{
    expect_error("---\r\n" "id: x\r\n" "colour: red\r\n" "---\r\n" BODY,
                 3, "unknown key 'colour'");
}
END_TEST

START_TEST(test_dots_close_front_matter)
{
    pledge_layout *lay = load_ok(FM_HEAD "...\n" BODY);

    ck_assert_uint_eq(lay->doc.nblocks, 2);
    ck_assert_int_eq(lay->doc.blocks[0].line, 11);
    pledge_layout_free(lay);
}
END_TEST

START_TEST(test_parse_from_memory)
{
    static const char text[] = FM_HEAD FM_END BODY;
    pledge_layout *lay = NULL;
    pledge_err err = { "" };

    ck_assert_int_eq(pledge_layout_parse(&lay, text, strlen(text), "-",
                                         &err), 0);
    ck_assert_str_eq(lay->path, "-");
    ck_assert_str_eq(lay->meta.id, "test-code");
    pledge_layout_free(lay);
    ck_assert_int_eq(pledge_layout_parse(&lay, "x\n", 2, "-", &err), -1);
    ck_assert_str_eq(err.msg, "read - line 1: a layout must begin with a "
                     "'---' line that opens its front matter");
}
END_TEST

/* ---- reading the file -------------------------------------------------- */

START_TEST(test_missing_file)
{
    pledge_layout *lay = NULL;
    pledge_err err = { "" };
    char want[PATH_MAX + 64];

    snprintf(path, sizeof path, "%s/absent.md", dir);
    ck_assert_int_eq(pledge_layout_load(&lay, path, &err), -1);
    ck_assert_ptr_null(lay);
    snprintf(want, sizeof want, "read %s: No such file or directory", path);
    ck_assert_str_eq(err.msg, want);
}
END_TEST

START_TEST(test_too_large)
{
    size_t len = PLEDGE_LAYOUT_MAX_BYTES + 1, n;
    char *text = malloc(len);

    ck_assert_ptr_nonnull(text);
    n = strlen(FM_HEAD FM_END);
    memcpy(text, FM_HEAD FM_END, n);
    memset(text + n, 'a', len - n);
    expect_error_n(text, len, 0, "larger than 1048576 bytes");
    free(text);
}
END_TEST

START_TEST(test_at_size_limit_loads)
{
    size_t len = PLEDGE_LAYOUT_MAX_BYTES, n;
    char *text = malloc(len + 1);
    pledge_layout *lay = NULL;
    pledge_err err = { "" };
    const char *p;

    ck_assert_ptr_nonnull(text);
    n = strlen(FM_HEAD FM_END);
    memcpy(text, FM_HEAD FM_END, n);
    memset(text + n, 'a', len - n);
    p = write_file("x.md", text, len);
    ck_assert_msg(pledge_layout_load(&lay, p, &err) == 0, "%s", err.msg);
    ck_assert_uint_eq(strlen(lay->doc.blocks[0].runs[0].text), len - n);
    pledge_layout_free(lay);
    free(text);
}
END_TEST

START_TEST(test_invalid_utf8)
{
    expect_error(FM_HEAD FM_END                         /* 1-10 */
                 "## Values\n"                          /* 11 */
                 "\n"                                   /* 12 */
                 "Bad \xC3\x28 byte.\n",                /* 13 */
                 13, "invalid UTF-8");
}
END_TEST

START_TEST(test_invalid_utf8_overlong_in_front_matter)
{
    expect_error("---\n"                                /* 1 */
                 "id: x\n"                              /* 2 */
                 "title: \xC0\xAF\n"                    /* 3 */
                 FM_END BODY,
                 3, "invalid UTF-8");
}
END_TEST

START_TEST(test_control_character)
{
    expect_error(FM_HEAD FM_END "## Values\n\nBell \a here.\n", 13,
                 "control character U+0007");
}
END_TEST

START_TEST(test_missing_front_matter)
{
    expect_error("# Code of Ethics\n\nText.\n", 1,
                 "must begin with a '---' line");
    expect_error("", 1, "must begin with a '---' line");
}
END_TEST

START_TEST(test_unterminated_front_matter)
{
    expect_error("---\n" "id: x\n" "title: y\n" "\n" "Body text.\n", 1,
                 "never closed by a '---' line");
}
END_TEST

START_TEST(test_empty_body)
{
    expect_error(FM_HEAD FM_END, 10, "body after the front matter is empty");
    expect_error(FM_HEAD FM_END "\n  \n\n", 10,
                 "body after the front matter is empty");
}
END_TEST

/* ---- front matter errors ----------------------------------------------- */

START_TEST(test_yaml_syntax_error)
{
    expect_error(FM_HEAD                                /* 1-9 */
                 "source: a: b\n"                       /* 10 */
                 FM_END BODY,
                 10, "YAML syntax error: mapping values are not allowed");
}
END_TEST

START_TEST(test_yaml_bad_indent)
{
    expect_error("---\n"                                /* 1 */
                 "id: x\n"                              /* 2 */
                 "association:\n"                       /* 3 */
                 "  name: X\n"                          /* 4 */
                 " short: Y\n"                          /* 5 */
                 FM_END BODY,
                 5, "YAML syntax error: did not find expected key");
}
END_TEST

START_TEST(test_unknown_top_level_key)
{
    expect_error(FM_HEAD "colour: red\n" FM_END BODY, 10,
                 "unknown key 'colour'");
}
END_TEST

START_TEST(test_unknown_nested_key)
{
    expect_error(FM_HEAD                                /* 1-9 */
                 "page:\n"                              /* 10 */
                 "  size: letter\n"                     /* 11 */
                 "  colour: red\n"                      /* 12 */
                 FM_END BODY,
                 12, "unknown key 'colour' in 'page'");
    expect_error(FM_HEAD                                /* 1-9 */
                 "page:\n"                              /* 10 */
                 "  margins:\n"                         /* 11 */
                 "    left: 72\n"                       /* 12 */
                 FM_END BODY,
                 12, "unknown key 'left' in 'page.margins'");
}
END_TEST

START_TEST(test_wrong_type_list_for_string)
{
    expect_error(FM_HEAD                                /* 1-9 */
                 "source:\n"                            /* 10 */
                 "  - a\n"                              /* 11 */
                 "  - b\n"                              /* 12 */
                 FM_END BODY,
                 10, "'source' must be a string, not a list");
}
END_TEST

START_TEST(test_wrong_type_string_for_mapping)
{
    expect_error(FM_HEAD "page: letter\n" FM_END BODY, 10,
                 "'page' must be a mapping of keys, not a string");
}
END_TEST

START_TEST(test_wrong_type_notes)
{
    expect_error(FM_HEAD "notes: one note\n" FM_END BODY, 10,
                 "'notes' must be a list of strings, not a string");
    expect_error(FM_HEAD                                /* 1-9 */
                 "notes:\n"                             /* 10 */
                 "  - fine\n"                           /* 11 */
                 "  - [not, a, string]\n"               /* 12 */
                 FM_END BODY,
                 12, "'notes' must be a string, not a list");
}
END_TEST

START_TEST(test_wrong_type_bool)
{
    expect_error("---\n" "id: x\n" "commitment:\n" "  supplied: yes\n"
                 FM_END BODY, 4,
                 "'commitment.supplied' must be true or false, not 'yes'");
    expect_error("---\n" "id: x\n" "commitment:\n" "  supplied: \"true\"\n"
                 FM_END BODY, 4,
                 "'commitment.supplied' must be true or false");
}
END_TEST

START_TEST(test_empty_value)
{
    expect_error(FM_HEAD "source:\n" FM_END BODY, 10,
                 "'source' has no value");
    expect_error(FM_HEAD "source: \"  \"\n" FM_END BODY, 10,
                 "'source' is empty");
}
END_TEST

START_TEST(test_duplicate_key)
{
    expect_error(FM_HEAD "title: Again\n" FM_END BODY, 10,
                 "duplicate key 'title' (first at line 6)");
    expect_error("---\n"                                /* 1 */
                 "page:\n"                              /* 2 */
                 "  margins:\n"                         /* 3 */
                 "    top: 72\n"                        /* 4 */
                 "    top: 36\n"                        /* 5 */
                 FM_END BODY,
                 5, "duplicate key 'top' in 'page.margins' (first at "
                 "line 4)");
}
END_TEST

START_TEST(test_bad_id)
{
    expect_error("---\n"                                /* 1 */
                 "id: Test_Code\n"                      /* 2 */
                 FM_END BODY,
                 2, "'id' must be lower-case letters, digits and '-', "
                 "not 'Test_Code'");
}
END_TEST

START_TEST(test_bad_margin_unit)
{
    expect_error(FM_HEAD                                /* 1-9 */
                 "page:\n"                              /* 10 */
                 "  margins:\n"                         /* 11 */
                 "    top: 20px\n"                      /* 12 */
                 FM_END BODY,
                 12, "'page.margins.top' must be a length");
}
END_TEST

START_TEST(test_negative_margin)
{
    expect_error(FM_HEAD                                /* 1-9 */
                 "page:\n"                              /* 10 */
                 "  margins:\n"                         /* 11 */
                 "    inner: -10mm\n"                   /* 12 */
                 FM_END BODY,
                 12, "'page.margins.inner' must not be negative");
}
END_TEST

START_TEST(test_margins_leave_no_measure)
{
    /* 4in + 2.5in leave exactly 144pt on letter, which is enough, but
     * less on A4 (210mm = 595.3pt), which a render may ask for. */
    expect_error(FM_HEAD                                /* 1-9 */
                 "page:\n"                              /* 10 */
                 "  margins:\n"                         /* 11 */
                 "    inner: 4in\n"                     /* 12 */
                 "    outer: 2.5in\n"                   /* 13 */
                 FM_END BODY,
                 11, "leave a measure of 127.3pt on A4 paper");
    expect_error(FM_HEAD                                /* 1-9 */
                 "page:\n"                              /* 10 */
                 "  margins:\n"                         /* 11 */
                 "    top: 5in\n"                       /* 12 */
                 "    bottom: 4.5in\n"                  /* 13 */
                 FM_END BODY,
                 11, "text height of 108.0pt on letter paper");
}
END_TEST

START_TEST(test_font_size_range)
{
    expect_error(FM_HEAD "font:\n  size: 30\n" FM_END BODY, 11,
                 "'font.size' must be from 6pt to 24pt, not 30pt");
    expect_error(FM_HEAD "font:\n  size: 5pt\n" FM_END BODY, 11,
                 "'font.size' must be from 6pt to 24pt, not 5pt");
}
END_TEST

START_TEST(test_leading_range)
{
    expect_error(FM_HEAD                                /* 1-9 */
                 "font:\n"                              /* 10 */
                 "  size: 10\n"                         /* 11 */
                 "  leading: 9\n"                       /* 12 */
                 FM_END BODY,
                 12, "'font.leading' must be from 10pt to 30pt");
}
END_TEST

START_TEST(test_bad_enums)
{
    expect_error(FM_HEAD "page:\n  size: legal\n" FM_END BODY, 11,
                 "'page.size' must be letter or a4, not 'legal'");
    expect_error(FM_HEAD "align: center\n" FM_END BODY, 10,
                 "'align' must be justify or ragged, not 'center'");
    expect_error(FM_HEAD "language: english us\n" FM_END BODY, 10,
                 "'language' must be a language tag");
}
END_TEST

START_TEST(test_yaml_alias)
{
    expect_error(FM_HEAD                                /* 1-9 */
                 "source: &s Somewhere\n"               /* 10 */
                 "notes:\n"                             /* 11 */
                 "  - first\n"                          /* 12 */
                 "  - *s\n"                             /* 13 */
                 FM_END BODY,
                 11, "'notes' holds a YAML alias");
    expect_error(FM_HEAD                                /* 1-9 */
                 "source: &s en-US\n"                   /* 10 */
                 "language: *s\n"                       /* 11 */
                 FM_END BODY,
                 11, "'language' is a YAML alias");
}
END_TEST

START_TEST(test_front_matter_not_a_mapping)
{
    expect_error("---\n" "- a\n" "- b\n" FM_END BODY, 2,
                 "the front matter must be a mapping of keys, not a list");
}
END_TEST

/* Each fixture leaves out one required key; the message names it. */
static const struct {
    const char *text;
    const char *key;
} missing[] = {
    { "---\n" "association:\n  name: N\n  short: S\n" "title: T\n"
      "revision: R\n" "commitment:\n  text: C\n" FM_END BODY, "id" },
    { "---\n" "id: x\n" "title: T\n"
      "revision: R\n" "commitment:\n  text: C\n" FM_END BODY,
      "association" },
    { "---\n" "id: x\n" "association:\n  short: S\n" "title: T\n"
      "revision: R\n" "commitment:\n  text: C\n" FM_END BODY,
      "association.name" },
    { "---\n" "id: x\n" "association:\n  name: N\n" "title: T\n"
      "revision: R\n" "commitment:\n  text: C\n" FM_END BODY,
      "association.short" },
    { "---\n" "id: x\n" "association:\n  name: N\n  short: S\n"
      "revision: R\n" "commitment:\n  text: C\n" FM_END BODY, "title" },
    { "---\n" "id: x\n" "association:\n  name: N\n  short: S\n" "title: T\n"
      "commitment:\n  text: C\n" FM_END BODY, "revision" },
    { "---\n" "id: x\n" "association:\n  name: N\n  short: S\n" "title: T\n"
      "revision: R\n" FM_END BODY, "commitment" },
    { "---\n" "id: x\n" "association:\n  name: N\n  short: S\n" "title: T\n"
      "revision: R\n" "commitment:\n  supplied: true\n" FM_END BODY,
      "commitment.text" },
    { "---\n" FM_END BODY, "id" },
};

START_TEST(test_missing_required_key)
{
    char want[64];

    snprintf(want, sizeof want, "missing required key '%s'",
             missing[_i].key);
    expect_error(missing[_i].text, 0, want);
}
END_TEST

/* ---- body: what is refused ---------------------------------------------- */

START_TEST(test_md_indented_code_block)
{
    expect_error(FM_HEAD FM_END                         /* 1-10 */
                 "Text.\n"                              /* 11 */
                 "\n"                                   /* 12 */
                 "    code\n",                          /* 13 */
                 13, "a code block is not supported in a layout");
}
END_TEST

START_TEST(test_md_fenced_code_block)
{
    expect_error(FM_HEAD FM_END                         /* 1-10 */
                 "Text.\n"                              /* 11 */
                 "\n"                                   /* 12 */
                 "```\n"                                /* 13 */
                 "code\n"                               /* 14 */
                 "```\n",                               /* 15 */
                 13, "a code block is not supported in a layout");
}
END_TEST

START_TEST(test_md_code_span)
{
    expect_error(FM_HEAD FM_END                         /* 1-10 */
                 "Text\n"                               /* 11 */
                 "with `code`.\n",                      /* 12 */
                 12, "a code span is not supported in a layout");
}
END_TEST

START_TEST(test_md_html_block)
{
    expect_error(FM_HEAD FM_END                         /* 1-10 */
                 "Text.\n"                              /* 11 */
                 "\n"                                   /* 12 */
                 "<div>\n"                              /* 13 */
                 "x\n"                                  /* 14 */
                 "</div>\n",                            /* 15 */
                 13, "an HTML block is not supported in a layout");
}
END_TEST

START_TEST(test_md_inline_html)
{
    expect_error(FM_HEAD FM_END                         /* 1-10 */
                 "Some\n"                               /* 11 */
                 "text\n"                               /* 12 */
                 "in <b>bold</b>.\n",                   /* 13 */
                 13, "inline HTML is not supported in a layout");
}
END_TEST

START_TEST(test_md_link)
{
    expect_error(FM_HEAD FM_END                         /* 1-10 */
                 "- item\n"                             /* 11 */
                 "- another item\n"                     /* 12 */
                 "  with [a link](https://x.org).\n",   /* 13 */
                 13, "a link is not supported in a layout");
}
END_TEST

START_TEST(test_md_autolink)
{
    expect_error(FM_HEAD FM_END "See <https://x.org>.\n", 11,
                 "a link is not supported in a layout");
}
END_TEST

START_TEST(test_md_image)
{
    expect_error(FM_HEAD FM_END                         /* 1-10 */
                 "## Logo\n"                            /* 11 */
                 "\n"                                   /* 12 */
                 "![logo](logo.png)\n",                 /* 13 */
                 13, "an image is not supported in a layout");
}
END_TEST

START_TEST(test_md_block_quote)
{
    expect_error(FM_HEAD FM_END                         /* 1-10 */
                 "Text.\n"                              /* 11 */
                 "\n"                                   /* 12 */
                 "> quoted\n",                          /* 13 */
                 13, "a block quote is not supported in a layout");
}
END_TEST

START_TEST(test_md_thematic_break)
{
    expect_error(FM_HEAD FM_END                         /* 1-10 */
                 "Text.\n"                              /* 11 */
                 "\n"                                   /* 12 */
                 "***\n"                                /* 13 */
                 "\n"                                   /* 14 */
                 "More.\n",                             /* 15 */
                 13, "a thematic break is not supported in a layout");
}
END_TEST

START_TEST(test_md_heading_level_4)
{
    expect_error(FM_HEAD FM_END                         /* 1-10 */
                 "### Three is fine\n"                  /* 11 */
                 "\n"                                   /* 12 */
                 "#### Four is not\n",                  /* 13 */
                 13, "heading level 4 is not supported in a layout");
}
END_TEST

START_TEST(test_md_list_nested_4_deep)
{
    expect_error(FM_HEAD FM_END                         /* 1-10 */
                 "- one\n"                              /* 11 */
                 "  - two\n"                            /* 12 */
                 "    - three\n"                        /* 13 */
                 "      - four\n",                      /* 14 */
                 14, "a list nested 4 deep is not supported in a layout");
}
END_TEST

START_TEST(test_md_table)
{
    expect_error(FM_HEAD FM_END                         /* 1-10 */
                 "Text.\n"                              /* 11 */
                 "\n"                                   /* 12 */
                 "| a | b |\n"                          /* 13 */
                 "|---|:-:|\n"                          /* 14 */
                 "| 1 | 2 |\n",                         /* 15 */
                 13, "a table is not supported in a layout");
}
END_TEST

START_TEST(test_md_heading_in_list)
{
    expect_error(FM_HEAD FM_END "- ## Heading\n", 11,
                 "a heading inside a list is not supported in a layout");
}
END_TEST

START_TEST(test_md_empty_item)
{
    expect_error(FM_HEAD FM_END "- one\n-\n- three\n", 12,
                 "an empty list item is not supported in a layout");
}
END_TEST

/* ---- body: what is kept ------------------------------------------------- */

START_TEST(test_smart_punctuation)
{
    pledge_layout *lay = load_ok(FM_HEAD FM_END
        "\"Quoted\" and 'single', it's 1990--2021 --- done...\n");

    ck_assert_uint_eq(lay->doc.nblocks, 1);
    ck_assert_str_eq(block_text(&lay->doc.blocks[0]),
                     "\xE2\x80\x9C" "Quoted" "\xE2\x80\x9D" " and "
                     "\xE2\x80\x98" "single" "\xE2\x80\x99" ", it"
                     "\xE2\x80\x99" "s 1990" "\xE2\x80\x93" "2021 "
                     "\xE2\x80\x94" " done" "\xE2\x80\xA6");
    pledge_layout_free(lay);
}
END_TEST

START_TEST(test_literal_characters_and_entities)
{
    pledge_layout *lay = load_ok(FM_HEAD FM_END
        "IECMH-E\xC2\xAE and Mental Health&reg; &amp; "
        "Nguy\xE1\xBB\x85n&nbsp;Th\xE1\xBB\x8B\n");

    ck_assert_str_eq(block_text(&lay->doc.blocks[0]),
                     "IECMH-E\xC2\xAE and Mental Health\xC2\xAE & "
                     "Nguy\xE1\xBB\x85n\xC2\xA0Th\xE1\xBB\x8B");
    pledge_layout_free(lay);
}
END_TEST

START_TEST(test_bold_run_then_regular)
{
    pledge_layout *lay = load_ok(FM_HEAD FM_END
        "**An Alliance** endorsed professional\n");
    const pledge_block *b = &lay->doc.blocks[0];

    ck_assert_uint_eq(b->nruns, 2);
    ck_assert_int_eq(b->runs[0].style, PLEDGE_STYLE_BOLD);
    ck_assert_str_eq(b->runs[0].text, "An Alliance");
    ck_assert_int_eq(b->runs[1].style, PLEDGE_STYLE_REGULAR);
    ck_assert_str_eq(b->runs[1].text, " endorsed professional");
    pledge_layout_free(lay);
}
END_TEST

START_TEST(test_emphasis_styles)
{
    pledge_layout *lay = load_ok(FM_HEAD FM_END
        "a *it **bi** it* ***both*** __b__ _i_\n");
    const pledge_block *b = &lay->doc.blocks[0];
    static const struct {
        const char *text;
        pledge_style style;
    } want[] = {
        { "a ", PLEDGE_STYLE_REGULAR },
        { "it ", PLEDGE_STYLE_ITALIC },
        { "bi", PLEDGE_STYLE_BOLD_ITALIC },
        { " it", PLEDGE_STYLE_ITALIC },
        { " ", PLEDGE_STYLE_REGULAR },
        { "both", PLEDGE_STYLE_BOLD_ITALIC },
        { " ", PLEDGE_STYLE_REGULAR },
        { "b", PLEDGE_STYLE_BOLD },
        { " ", PLEDGE_STYLE_REGULAR },
        { "i", PLEDGE_STYLE_ITALIC },
    };
    size_t i;

    ck_assert_uint_eq(b->nruns, sizeof want / sizeof want[0]);
    for (i = 0; i < b->nruns; i++) {
        ck_assert_str_eq(b->runs[i].text, want[i].text);
        ck_assert_int_eq(b->runs[i].style, want[i].style);
    }
    pledge_layout_free(lay);
}
END_TEST

START_TEST(test_breaks_and_spaces)
{
    pledge_layout *lay = load_ok(FM_HEAD FM_END
        "one   two\ttabs\n"
        "soft break  \n"
        "hard break\\\n"
        "backslash break\n");
    const pledge_block *b = &lay->doc.blocks[0];

    ck_assert_uint_eq(b->nruns, 1);
    ck_assert_str_eq(b->runs[0].text, "one two tabs soft break\nhard "
                     "break\nbackslash break");
    pledge_layout_free(lay);
}
END_TEST

START_TEST(test_nested_lists_numbered)
{
    pledge_layout *lay = load_ok(FM_HEAD FM_END         /* 1-10 */
        "3. three\n"                                    /* 11 */
        "4. four\n"                                     /* 12 */
        "   1. four-one\n"                              /* 13 */
        "   2. four-two\n"                              /* 14 */
        "      - bullet\n"                              /* 15 */
        "5. five\n"                                     /* 16 */
        "\n"                                            /* 17 */
        "After.\n"                                      /* 18 */
        "\n"                                            /* 19 */
        "7) seven\n");                                  /* 20 */
    static const struct {
        pledge_block_kind kind;
        int level, number, line;
        const char *text;
    } want[] = {
        { PLEDGE_BLOCK_NUMBERED, 1, 3, 11, "three" },
        { PLEDGE_BLOCK_NUMBERED, 1, 4, 12, "four" },
        { PLEDGE_BLOCK_NUMBERED, 2, 1, 13, "four-one" },
        { PLEDGE_BLOCK_NUMBERED, 2, 2, 14, "four-two" },
        { PLEDGE_BLOCK_BULLET, 3, 0, 15, "bullet" },
        { PLEDGE_BLOCK_NUMBERED, 1, 5, 16, "five" },
        { PLEDGE_BLOCK_PARAGRAPH, 0, 0, 18, "After." },
        { PLEDGE_BLOCK_NUMBERED, 1, 7, 20, "seven" },
    };
    size_t i;

    ck_assert_uint_eq(lay->doc.nblocks, sizeof want / sizeof want[0]);
    for (i = 0; i < lay->doc.nblocks; i++) {
        const pledge_block *b = &lay->doc.blocks[i];

        ck_assert_int_eq(b->kind, want[i].kind);
        ck_assert_int_eq(b->level, want[i].level);
        ck_assert_int_eq(b->number, want[i].number);
        ck_assert_int_eq(b->line, want[i].line);
        ck_assert_int_eq(b->continues, 0);
        ck_assert_str_eq(block_text(b), want[i].text);
    }
    pledge_layout_free(lay);
}
END_TEST

START_TEST(test_item_paragraphs_continue)
{
    pledge_layout *lay = load_ok(FM_HEAD FM_END         /* 1-10 */
        "1. first paragraph\n"                          /* 11 */
        "\n"                                            /* 12 */
        "   second paragraph\n"                         /* 13 */
        "   - sub\n"                                    /* 14 */
        "\n"                                            /* 15 */
        "   third paragraph\n"                          /* 16 */
        "2. next\n");                                   /* 17 */
    const pledge_doc *d = &lay->doc;

    ck_assert_uint_eq(d->nblocks, 5);
    ck_assert_int_eq(d->blocks[0].continues, 0);
    ck_assert_int_eq(d->blocks[0].number, 1);
    ck_assert_int_eq(d->blocks[1].continues, 1);
    ck_assert_int_eq(d->blocks[1].level, 1);
    ck_assert_int_eq(d->blocks[1].line, 13);
    ck_assert_int_eq(d->blocks[2].kind, PLEDGE_BLOCK_BULLET);
    ck_assert_int_eq(d->blocks[2].continues, 0);
    ck_assert_int_eq(d->blocks[3].continues, 1);
    ck_assert_int_eq(d->blocks[3].level, 1);
    ck_assert_str_eq(block_text(&d->blocks[3]), "third paragraph");
    ck_assert_int_eq(d->blocks[4].continues, 0);
    ck_assert_int_eq(d->blocks[4].number, 2);
    pledge_layout_free(lay);
}
END_TEST

START_TEST(test_headings)
{
    pledge_layout *lay = load_ok(FM_HEAD FM_END         /* 1-10 */
        "# One\n"                                       /* 11 */
        "Setext Two\n"                                  /* 12 */
        "----------\n"                                  /* 13 */
        "### Three *it* ###\n");                        /* 14 */
    const pledge_doc *d = &lay->doc;

    ck_assert_uint_eq(d->nblocks, 3);
    ck_assert_int_eq(d->blocks[0].level, 1);
    ck_assert_int_eq(d->blocks[1].level, 2);
    ck_assert_int_eq(d->blocks[1].line, 12);
    ck_assert_str_eq(block_text(&d->blocks[1]), "Setext Two");
    ck_assert_int_eq(d->blocks[2].level, 3);
    ck_assert_uint_eq(d->blocks[2].nruns, 2);
    ck_assert_str_eq(d->blocks[2].runs[1].text, "it");
    pledge_layout_free(lay);
}
END_TEST

/* ---- the document model helpers ----------------------------------------- */

START_TEST(test_doc_add_run_merges)
{
    pledge_doc doc = { NULL, 0 };
    pledge_block *b;
    int i;

    b = pledge_doc_add_block(&doc, PLEDGE_BLOCK_PARAGRAPH, 7);
    ck_assert_ptr_nonnull(b);
    ck_assert_int_eq(b->line, 7);
    ck_assert_int_eq(pledge_doc_add_run(b, "ab", 2, PLEDGE_STYLE_REGULAR),
                     0);
    ck_assert_int_eq(pledge_doc_add_run(b, "cdX", 2, PLEDGE_STYLE_REGULAR),
                     0);
    ck_assert_int_eq(pledge_doc_add_run(b, "", 0, PLEDGE_STYLE_BOLD), 0);
    ck_assert_int_eq(pledge_doc_add_run(b, "e", 1, PLEDGE_STYLE_BOLD), 0);
    ck_assert_uint_eq(b->nruns, 2);
    ck_assert_str_eq(b->runs[0].text, "abcd");
    ck_assert_str_eq(b->runs[1].text, "e");
    /* Past several growths, every block keeps its contents. */
    for (i = 0; i < 100; i++) {
        b = pledge_doc_add_block(&doc, PLEDGE_BLOCK_BULLET, i);
        ck_assert_ptr_nonnull(b);
        ck_assert_int_eq(pledge_doc_add_run(b, "x", 1, i % 4), 0);
        ck_assert_int_eq(pledge_doc_add_run(b, "y", 1, (i + 1) % 4), 0);
    }
    ck_assert_uint_eq(doc.nblocks, 101);
    ck_assert_str_eq(doc.blocks[0].runs[0].text, "abcd");
    ck_assert_int_eq(doc.blocks[100].line, 99);
    ck_assert_uint_eq(doc.blocks[100].nruns, 2);
    pledge_doc_clear(&doc);
    ck_assert_ptr_null(doc.blocks);
    ck_assert_uint_eq(doc.nblocks, 0);
}
END_TEST

/* ---- the project's own layouts ------------------------------------------ */

START_TEST(test_every_shipped_layout_loads)
{
    glob_t g;
    size_t i;
    int r;

    r = glob(PLEDGE_SRCDIR "/layouts/*.md", 0, NULL, &g);
    if (r == GLOB_NOMATCH)
        return;
    ck_assert_int_eq(r, 0);
    for (i = 0; i < g.gl_pathc; i++) {
        const char *p = g.gl_pathv[i];
        const char *base = strrchr(p, '/') + 1;
        pledge_layout *lay = NULL;
        pledge_err err = { "" };
        size_t n = strlen(base) - 3;

        if (strcmp(base, "README.md") == 0)
            continue;
        ck_assert_msg(pledge_layout_load(&lay, p, &err) == 0, "%s",
                      err.msg);
        /* A layout is layouts/<id>.md: the CLI finds it by its id. */
        ck_assert_msg(strlen(lay->meta.id) == n &&
                      strncmp(lay->meta.id, base, n) == 0,
                      "%s: id '%s' is not the file name", p, lay->meta.id);
        ck_assert_uint_gt(lay->doc.nblocks, 0);
        pledge_layout_free(lay);
    }
    globfree(&g);
}
END_TEST

static Suite *layout_suite(void)
{
    Suite *s = suite_create("layout");
    TCase *tc;

    tc = tcase_create("file");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_valid_every_field);
    tcase_add_test(tc, test_defaults);
    tcase_add_test(tc, test_default_leading_follows_size);
    tcase_add_test(tc, test_crlf_and_bom_same_as_lf);
    tcase_add_test(tc, test_crlf_error_lines_same_as_lf);
    tcase_add_test(tc, test_dots_close_front_matter);
    tcase_add_test(tc, test_parse_from_memory);
    tcase_add_test(tc, test_missing_file);
    tcase_add_test(tc, test_too_large);
    tcase_add_test(tc, test_at_size_limit_loads);
    tcase_add_test(tc, test_invalid_utf8);
    tcase_add_test(tc, test_invalid_utf8_overlong_in_front_matter);
    tcase_add_test(tc, test_control_character);
    tcase_add_test(tc, test_missing_front_matter);
    tcase_add_test(tc, test_unterminated_front_matter);
    tcase_add_test(tc, test_empty_body);
    suite_add_tcase(s, tc);

    tc = tcase_create("frontmatter");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_yaml_syntax_error);
    tcase_add_test(tc, test_yaml_bad_indent);
    tcase_add_test(tc, test_unknown_top_level_key);
    tcase_add_test(tc, test_unknown_nested_key);
    tcase_add_test(tc, test_wrong_type_list_for_string);
    tcase_add_test(tc, test_wrong_type_string_for_mapping);
    tcase_add_test(tc, test_wrong_type_notes);
    tcase_add_test(tc, test_wrong_type_bool);
    tcase_add_test(tc, test_empty_value);
    tcase_add_test(tc, test_duplicate_key);
    tcase_add_test(tc, test_bad_id);
    tcase_add_test(tc, test_bad_margin_unit);
    tcase_add_test(tc, test_negative_margin);
    tcase_add_test(tc, test_margins_leave_no_measure);
    tcase_add_test(tc, test_font_size_range);
    tcase_add_test(tc, test_leading_range);
    tcase_add_test(tc, test_bad_enums);
    tcase_add_test(tc, test_yaml_alias);
    tcase_add_test(tc, test_front_matter_not_a_mapping);
    tcase_add_loop_test(tc, test_missing_required_key, 0,
                        sizeof missing / sizeof missing[0]);
    suite_add_tcase(s, tc);

    tc = tcase_create("markdown");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_md_indented_code_block);
    tcase_add_test(tc, test_md_fenced_code_block);
    tcase_add_test(tc, test_md_code_span);
    tcase_add_test(tc, test_md_html_block);
    tcase_add_test(tc, test_md_inline_html);
    tcase_add_test(tc, test_md_link);
    tcase_add_test(tc, test_md_autolink);
    tcase_add_test(tc, test_md_image);
    tcase_add_test(tc, test_md_block_quote);
    tcase_add_test(tc, test_md_thematic_break);
    tcase_add_test(tc, test_md_heading_level_4);
    tcase_add_test(tc, test_md_list_nested_4_deep);
    tcase_add_test(tc, test_md_table);
    tcase_add_test(tc, test_md_heading_in_list);
    tcase_add_test(tc, test_md_empty_item);
    tcase_add_test(tc, test_smart_punctuation);
    tcase_add_test(tc, test_literal_characters_and_entities);
    tcase_add_test(tc, test_bold_run_then_regular);
    tcase_add_test(tc, test_emphasis_styles);
    tcase_add_test(tc, test_breaks_and_spaces);
    tcase_add_test(tc, test_nested_lists_numbered);
    tcase_add_test(tc, test_item_paragraphs_continue);
    tcase_add_test(tc, test_headings);
    suite_add_tcase(s, tc);

    tc = tcase_create("model");
    tcase_add_test(tc, test_doc_add_run_merges);
    tcase_add_test(tc, test_every_shipped_layout_loads);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return run_suite(layout_suite());
}
