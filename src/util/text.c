/* text.c - showing untrusted text safely (see text.h). */
#include "text.h"

#include <stdio.h>
#include <string.h>

#include "err.h"
#include "utf8.h"

int pledge_text_is_hidden(uint32_t cp)
{
    return cp < 0x20 || (cp >= 0x7f && cp < 0xa0) || cp == 0xad ||
           cp == 0x61c || (cp >= 0x200b && cp <= 0x200f) ||
           (cp >= 0x2028 && cp <= 0x202e) ||
           (cp >= 0x2060 && cp <= 0x206f) || cp == 0xfeff ||
           (cp >= 0xfff9 && cp <= 0xfffb);
}

const char *pledge_text_char_name(uint32_t cp)
{
    static const struct {
        uint32_t cp;
        const char *name;
    } names[] = {
        {0x00, "NULL"}, {0x07, "BELL"}, {0x08, "BACKSPACE"},
        {0x09, "CHARACTER TABULATION"}, {0x0a, "LINE FEED"},
        {0x0b, "LINE TABULATION"}, {0x0c, "FORM FEED"},
        {0x0d, "CARRIAGE RETURN"}, {0x1b, "ESCAPE"}, {0x7f, "DELETE"},
        {0x85, "NEXT LINE"}, {0x9b, "CONTROL SEQUENCE INTRODUCER"},
        {0xad, "SOFT HYPHEN"}, {0x61c, "ARABIC LETTER MARK"},
        {0x200b, "ZERO WIDTH SPACE"}, {0x200c, "ZERO WIDTH NON-JOINER"},
        {0x200d, "ZERO WIDTH JOINER"}, {0x200e, "LEFT-TO-RIGHT MARK"},
        {0x200f, "RIGHT-TO-LEFT MARK"}, {0x2028, "LINE SEPARATOR"},
        {0x2029, "PARAGRAPH SEPARATOR"},
        {0x202a, "LEFT-TO-RIGHT EMBEDDING"},
        {0x202b, "RIGHT-TO-LEFT EMBEDDING"},
        {0x202c, "POP DIRECTIONAL FORMATTING"},
        {0x202d, "LEFT-TO-RIGHT OVERRIDE"},
        {0x202e, "RIGHT-TO-LEFT OVERRIDE"}, {0x2060, "WORD JOINER"},
        {0x2066, "LEFT-TO-RIGHT ISOLATE"}, {0x2067, "RIGHT-TO-LEFT ISOLATE"},
        {0x2068, "FIRST STRONG ISOLATE"},
        {0x2069, "POP DIRECTIONAL ISOLATE"},
        {0xfeff, "ZERO WIDTH NO-BREAK SPACE"},
    };
    size_t i;

    for (i = 0; i < sizeof names / sizeof names[0]; i++)
        if (names[i].cp == cp)
            return names[i].name;
    if (cp < 0xa0)
        return "a control character";
    return "an invisible formatting character";
}

/* Appends the n bytes of p to out at *len, as far as cap allows. */
static void put(char *out, size_t cap, size_t *len, const char *p, size_t n)
{
    size_t k;

    for (k = 0; k < n; k++, (*len)++)
        if (*len + 1 < cap)
            out[*len] = p[k];
}

size_t pledge_text_escape(char *out, size_t cap, const char *s)
{
    size_t len = 0, i = 0, j, n = strlen(s);
    char esc[16];
    uint32_t cp;

    while (i < n) {
        j = i;
        if (pledge_utf8_next(s, n, &j, &cp) < 0) {
            snprintf(esc, sizeof esc, "\\x%02x", (unsigned char)s[i]);
            put(out, cap, &len, esc, 4);
            i++;
            continue;
        }
        if (cp == '\\') {
            put(out, cap, &len, "\\\\", 2);
        } else if (cp < 0x80 && pledge_text_is_hidden(cp)) {
            snprintf(esc, sizeof esc, "\\x%02x", (unsigned)cp);
            put(out, cap, &len, esc, 4);
        } else if (pledge_text_is_hidden(cp)) {
            /* Every hidden character past ASCII is in the BMP. */
            snprintf(esc, sizeof esc, "\\u%04x", (unsigned)cp);
            put(out, cap, &len, esc, 6);
        } else {
            put(out, cap, &len, s + i, j - i);
        }
        i = j;
    }
    if (cap > 0)
        out[len < cap ? len : cap - 1] = '\0';
    return len;
}

int pledge_text_check_chars(const char *field, const char *s,
                            pledge_err *err)
{
    size_t n = strlen(s), i = 0;
    uint32_t cp;

    while (i < n) {
        if (pledge_utf8_next(s, n, &i, &cp) < 0)
            return pledge_err_set(err, "%s holds invalid UTF-8 (byte "
                                  "0x%02x at byte %zu), which is not "
                                  "allowed", field, (unsigned char)s[i],
                                  i + 1);
        if (pledge_text_is_hidden(cp))
            return pledge_err_set(err, "%s holds U+%04X (%s), which is not "
                                  "allowed", field, (unsigned)cp,
                                  pledge_text_char_name(cp));
    }
    return 0;
}

int pledge_text_check(const char *field, const char *s, pledge_err *err)
{
    size_t n = strlen(s);

    if (n > 0 && (s[0] == ' ' || s[n - 1] == ' '))
        return pledge_err_set(err, "%s %s with a space, which is not "
                              "allowed", field, s[0] == ' ' ? "starts" :
                              "ends");
    if (strstr(s, "  ") != NULL)
        return pledge_err_set(err, "%s holds two spaces in a row, which is "
                              "not allowed", field);
    return pledge_text_check_chars(field, s, err);
}

int pledge_is_date(const char *s)
{
    static const char shape[] = "dddd-dd-dd";
    size_t i;
    int m, d;

    for (i = 0; i < 10; i++)
        if (shape[i] == 'd' ? (s[i] < '0' || s[i] > '9') : s[i] != '-')
            return 0;
    if (s[10] != '\0')
        return 0;
    m = (s[5] - '0') * 10 + (s[6] - '0');
    d = (s[8] - '0') * 10 + (s[9] - '0');
    return m >= 1 && m <= 12 && d >= 1 && d <= 31;
}
