/* frontmatter.h - the YAML front matter of a layout, read into pledge_meta.
 *
 * The front matter is checked against the layout file format: known keys
 * only, each with its type, required keys present, lengths converted to pt
 * and kept within what a page can hold.
 */
#ifndef PLEDGE_FRONTMATTER_H
#define PLEDGE_FRONTMATTER_H

#include <stddef.h>

#include "../doc/doc.h"
#include "../util/err.h"

/* Parses text[0..len), the lines between the two '---' markers of the
 * layout file `name`; the first of them is line first_line of that file,
 * so messages carry file lines ("read NAME line N: ...").  text must be
 * valid UTF-8.  Fills *out, with the format's default for every optional
 * key left out.  On error returns -1 and leaves *out untouched.
 * The caller frees *out with pledge_meta_clear(). */
int pledge_frontmatter_parse(pledge_meta *out, const char *text, size_t len,
                             const char *name, int first_line,
                             pledge_err *err);

#endif
