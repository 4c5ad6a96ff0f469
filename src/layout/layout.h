/* layout.h - a layout file split into front matter and body, and parsed.
 *
 * pledge_layout_load(), pledge_layout_free() and the pledge_layout_*
 * getters are declared in pledge.h; this header adds the parse of a layout
 * already in memory, for callers that read it from elsewhere (stdin).
 */
#ifndef PLEDGE_LAYOUT_H
#define PLEDGE_LAYOUT_H

#include <stddef.h>

#include "../doc/doc.h"
#include "../util/err.h"

/* The largest layout accepted: a code of ethics is a few pages of text. */
#define PLEDGE_LAYOUT_MAX_BYTES (1024 * 1024)

/* Parses the layout text[0..len), named `name` in messages and in
 * lay->path.  The text must be UTF-8, may start with a byte order mark
 * and may end its lines with CRLF.  On error returns -1 and leaves *out
 * untouched.
 * The caller frees *out with pledge_layout_free(). */
int pledge_layout_parse(pledge_layout **out, const char *text, size_t len,
                        const char *name, pledge_err *err);

/* 1 when id is a layout id a file name can safely be made of: 1 to 64
 * of a-z, 0-9 and '-'; else 0. */
int pledge_layout_id_ok(const char *id);

#endif
