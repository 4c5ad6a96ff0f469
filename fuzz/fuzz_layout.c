/* fuzz_layout.c - the layout reader (YAML front matter and the CommonMark
 * body) on any bytes, as `pledge render --layout -` reads standard input.
 * A layout that parses also gives the text its signature would hash.
 */
#include "fuzz.h"

#include "../src/layout/layout.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    pledge_layout *lay = NULL;
    pledge_err err;
    char *text;

    memset(&err, 0, sizeof err);
    if (pledge_layout_parse(&lay, (const char *)data, size, "fuzz.md",
                            &err) < 0) {
        fuzz_require(lay == NULL);
        fuzz_require_msg(err);
        return 0;
    }
    fuzz_require(lay != NULL);
    /* Required keys: a layout that parsed has every one of them. */
    fuzz_require(pledge_layout_id(lay) != NULL);
    fuzz_require(pledge_layout_association(lay) != NULL);
    fuzz_require(pledge_layout_short_name(lay) != NULL);
    fuzz_require(pledge_layout_title(lay) != NULL);
    fuzz_require(pledge_layout_revision(lay) != NULL);
    text = pledge_doc_text(lay);
    fuzz_require(text != NULL);
    free(text);
    pledge_layout_free(lay);
    return 0;
}
