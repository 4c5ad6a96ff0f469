/* markdown.h - the CommonMark body of a layout, read into a pledge_doc.
 *
 * The body is parsed by cmark with smart punctuation, so straight quotes
 * arrive as typographic ones and -- / --- as en and em dashes.  Only what
 * a printed code of ethics needs is accepted: headings of levels 1 to 3,
 * paragraphs, bullet and numbered lists nested at most 3 deep, strong and
 * emphasis, soft and hard line breaks.  Anything else is an error naming
 * the construct and its line, never something silently dropped.
 */
#ifndef PLEDGE_MARKDOWN_H
#define PLEDGE_MARKDOWN_H

#include <stddef.h>

#include "../doc/doc.h"
#include "../util/err.h"

/* Parses text[0..len), the body of the layout file `name` whose first line
 * is line first_line of that file, so messages carry file lines ("read
 * NAME line N: ...").  text must be valid UTF-8 without NUL bytes.  A body
 * with nothing to print is an error.  On error returns -1 and leaves *out
 * untouched.
 * The caller frees *out with pledge_doc_clear(). */
int pledge_markdown_parse(pledge_doc *out, const char *text, size_t len,
                          const char *name, int first_line, pledge_err *err);

#endif
