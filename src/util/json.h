/* json.h - JSON text for the manifest and --json output. */
#ifndef PLEDGE_UTIL_JSON_H
#define PLEDGE_UTIL_JSON_H

#include <stdio.h>

/* Writes s to f as a JSON string: quotes and backslashes escaped, control
 * characters as \u00XX; other bytes (UTF-8) as they are. */
void pledge_json_string(FILE *f, const char *s);

#endif
