/* json.h - JSON text for the manifest and --json output. */
#ifndef PLEDGE_UTIL_JSON_H
#define PLEDGE_UTIL_JSON_H

#include <stdio.h>

/* Writes s to f as a JSON string that is always valid UTF-8: quotes and
 * backslashes escaped, control characters and the other characters
 * pledge_text_is_hidden() names as \uXXXX, each byte of invalid UTF-8 as
 * \ufffd (U+FFFD REPLACEMENT CHARACTER); other characters as they are. */
void pledge_json_string(FILE *f, const char *s);

#endif
