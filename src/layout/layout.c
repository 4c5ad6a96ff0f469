/* layout.c - a layout file split into front matter and body, and parsed.
 *
 * The file is read whole, its line endings made LF, checked as UTF-8, and
 * split at the '---' lines without moving any line, so that the two
 * parsers, told where their text starts, report lines of the file.
 */
#include "layout.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "frontmatter.h"
#include "markdown.h"
#include "../util/file.h"
#include "../util/utf8.h"

/* Makes CRLF and lone CR line endings LF, in place; returns the new
 * length.  Every line keeps its number. */
static size_t unix_lines(char *s, size_t len)
{
    size_t i, j;

    for (i = j = 0; i < len; i++) {
        if (s[i] == '\r') {
            s[j++] = '\n';
            if (i + 1 < len && s[i + 1] == '\n')
                i++;
        } else {
            s[j++] = s[i];
        }
    }
    return j;
}

/* Refuses text that is not UTF-8, and control characters other than tab
 * and newline: no font has a glyph for them, and YAML refuses most. */
static int check_text(const char *text, size_t len, const char *name,
                      pledge_err *err)
{
    size_t i = 0;
    uint32_t cp;
    int line = 1;

    while (i < len) {
        if (pledge_utf8_next(text, len, &i, &cp) != 0)
            return pledge_err_set(err, "read %s line %d: invalid UTF-8 "
                                  "(byte 0x%02X)", name, line,
                                  (unsigned char)text[i]);
        if (cp == '\n')
            line++;
        else if ((cp < 0x20 && cp != '\t') || (cp >= 0x7F && cp < 0xA0))
            return pledge_err_set(err, "read %s line %d: control character "
                                  "U+%04X", name, line, (unsigned)cp);
    }
    return 0;
}

/* Whether s[0..len) is the line `mark` with nothing after it but blanks. */
static int is_marker(const char *s, size_t len, const char *mark)
{
    size_t m = strlen(mark);

    if (len < m || memcmp(s, mark, m) != 0)
        return 0;
    for (; m < len; m++)
        if (s[m] != ' ' && s[m] != '\t')
            return 0;
    return 1;
}

/* The length of the line at s, not counting its '\n'. */
static size_t line_len(const char *s, const char *end)
{
    const char *nl = memchr(s, '\n', (size_t)(end - s));

    return nl != NULL ? (size_t)(nl - s) : (size_t)(end - s);
}

/* Parses buf[0..len), which it may change. */
static int parse_buffer(pledge_layout **out, char *buf, size_t len,
                        const char *name, pledge_err *err)
{
    pledge_layout *lay = NULL;
    const char *end, *fm, *p, *body;
    unsigned char digest[crypto_hash_sha256_BYTES];
    char sha[65];
    size_t n;
    int line;

    /* Of the bytes as read, so that sha256sum of the file gives it too. */
    crypto_hash_sha256(digest, (const unsigned char *)buf, len);
    sodium_bin2hex(sha, sizeof sha, digest, sizeof digest);
    if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0) {
        buf += 3;
        len -= 3;
    }
    len = unix_lines(buf, len);
    if (check_text(buf, len, name, err) != 0)
        return -1;
    end = buf + len;

    n = line_len(buf, end);
    if (!is_marker(buf, n, "---"))
        return pledge_err_set(err, "read %s line 1: a layout must begin "
                              "with a '---' line that opens its front "
                              "matter", name);
    fm = buf + n + (buf + n < end);
    line = 2;
    for (p = fm; p < end; line++) {
        n = line_len(p, end);
        if (is_marker(p, n, "---") || is_marker(p, n, "..."))
            break;
        p += n + (p + n < end);
    }
    if (p >= end)
        return pledge_err_set(err, "read %s line 1: the front matter opened "
                              "here is never closed by a '---' line", name);
    body = p + n < end ? p + n + 1 : end;

    lay = calloc(1, sizeof *lay);
    if (lay == NULL || (lay->path = strdup(name)) == NULL) {
        pledge_err_set(err, "read %s: out of memory", name);
        goto fail;
    }
    memcpy(lay->sha256, sha, sizeof sha);
    if (pledge_frontmatter_parse(&lay->meta, fm, (size_t)(p - fm), name, 2,
                                 err) != 0)
        goto fail;
    if (pledge_markdown_parse(&lay->doc, body, (size_t)(end - body), name,
                              line + 1, err) != 0)
        goto fail;
    *out = lay;
    return 0;

fail:
    pledge_layout_free(lay);
    return -1;
}

int pledge_layout_parse(pledge_layout **out, const char *text, size_t len,
                        const char *name, pledge_err *err)
{
    char *buf;
    int r;

    if (len > PLEDGE_LAYOUT_MAX_BYTES)
        return pledge_err_set(err, "read %s: larger than %d bytes (1 MiB); "
                              "a layout is a text file", name,
                              PLEDGE_LAYOUT_MAX_BYTES);
    buf = malloc(len + 1);
    if (buf == NULL)
        return pledge_err_set(err, "read %s: out of memory", name);
    if (len > 0)
        memcpy(buf, text, len);
    r = parse_buffer(out, buf, len, name, err);
    free(buf);
    return r;
}

int pledge_layout_load(pledge_layout **out, const char *path, pledge_err *err)
{
    char *buf = NULL;
    size_t len = 0;
    int r;

    if (pledge_file_read(path, PLEDGE_LAYOUT_MAX_BYTES, &buf, &len,
                         err) != 0)
        return pledge_err_prefix(err, "read %s", path);
    r = parse_buffer(out, buf, len, path, err);
    free(buf);
    return r;
}

void pledge_layout_free(pledge_layout *lay)
{
    if (lay == NULL)
        return;
    pledge_meta_clear(&lay->meta);
    pledge_doc_clear(&lay->doc);
    free(lay->path);
    free(lay);
}

const char *pledge_layout_id(const pledge_layout *lay)
{
    return lay->meta.id;
}

const char *pledge_layout_association(const pledge_layout *lay)
{
    return lay->meta.association;
}

const char *pledge_layout_short_name(const pledge_layout *lay)
{
    return lay->meta.short_name;
}

const char *pledge_layout_title(const pledge_layout *lay)
{
    return lay->meta.title;
}

const char *pledge_layout_path(const pledge_layout *lay)
{
    return lay->path;
}

const char *pledge_layout_revision(const pledge_layout *lay)
{
    return lay->meta.revision;
}

int pledge_layout_revision_dated(const char *revision)
{
    return revision != NULL && *revision != '\0' &&
           strncasecmp(revision, "undated", 7) != 0;
}

int pledge_layout_id_ok(const char *id)
{
    size_t len = strlen(id), i;

    for (i = 0; i < len; i++) {
        char c = id[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
            break;
    }
    return len > 0 && len <= 64 && i == len;
}

const char *pledge_layout_warning(const pledge_layout *lay)
{
    if (lay->meta.commitment_supplied)
        return "its commitment is not yet confirmed by the association "
               "(commitment.supplied: true); the pledge says so under it";
    return NULL;
}

int pledge_layout_open(pledge_layout **out, const char *datadir,
                       const char *id_or_path, pledge_err *err)
{
    char path[4096];
    size_t len = strlen(id_or_path);

    if (strchr(id_or_path, '/') != NULL ||
        (len > 3 && strcmp(id_or_path + len - 3, ".md") == 0))
        return pledge_layout_load(out, id_or_path, err);
    if (!pledge_layout_id_ok(id_or_path))
        return pledge_err_set(err, "unknown layout '%.64s' (see 'pledge "
                              "layouts')", id_or_path);
    snprintf(path, sizeof path, "%s/layouts/%s.md", datadir, id_or_path);
    if (access(path, F_OK) != 0)
        return pledge_err_set(err, "unknown layout '%s' (see 'pledge "
                              "layouts')", id_or_path);
    return pledge_layout_load(out, path, err);
}
