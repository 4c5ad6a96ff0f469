/* json.c - JSON text (see json.h). */
#include "json.h"

#include <string.h>

#include "text.h"
#include "utf8.h"

void pledge_json_string(FILE *f, const char *s)
{
    size_t n = strlen(s), i = 0, j;
    uint32_t cp;

    fputc('"', f);
    while (i < n) {
        j = i;
        if (pledge_utf8_next(s, n, &j, &cp) < 0) {
            fputs("\\ufffd", f);
            i++;
            continue;
        }
        if (cp == '"' || cp == '\\')
            fprintf(f, "\\%c", (int)cp);
        else if (pledge_text_is_hidden(cp))
            fprintf(f, "\\u%04x", (unsigned)cp);
        else
            fwrite(s + i, 1, j - i, f);
        i = j;
    }
    fputc('"', f);
}
