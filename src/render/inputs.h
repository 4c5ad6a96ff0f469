/* inputs.h - /PledgeInputs: what a pledge was made from, recorded in it.
 *
 * A pledge records, in its document information dictionary, everything
 * needed to make it again: the layout id and the person's fields, and
 * (version 2) what else decides its bytes -- the layout file's SHA-256,
 * the text hash its claim carries, the engine's version and the SHA-256
 * of every font and hyphenation file used.  pledge sign makes the pledge
 * again before signing it; pledge verify makes it again to prove that the
 * signed page is what the verifier's own layout makes.
 *
 * The record is "key:value" lines, each ending in a line feed, starting
 * with "pledge-inputs:2".  It is stored as a PDF text string, so viewers
 * that show custom info entries show it readably: in ASCII
 * (PDFDocEncoding), a backslash doubled and every other character
 * written \uXXXX (docs/signature-format.md); a record of UTF-16BE with a
 * byte order mark, as earlier releases wrote, is still read.  Version 1 (the same first seven
 * lines after "pledge-inputs:1", stored as raw UTF-8) is still read.
 */
#ifndef PLEDGE_RENDER_INPUTS_H
#define PLEDGE_RENDER_INPUTS_H

#include <stddef.h>

#include "../pdf/pdfparse.h"
#include "../pledge.h"

#define PLEDGE_INPUT_BYTES 1024
#define PLEDGE_INPUT_ENV_BYTES 2048

typedef struct {
    int version;                        /* 1 or 2 */
    char layout[PLEDGE_INPUT_BYTES];    /* the layout id */
    char paper[16];                     /* default, letter or a4 */
    char epoch[32];                     /* the document timestamp */
    char name[PLEDGE_INPUT_BYTES];
    char credentials[PLEDGE_INPUT_BYTES];
    char member_id[PLEDGE_INPUT_BYTES];
    char date[16];                      /* YYYY-MM-DD, the pledge's date */
    /* version 2 only */
    char layout_sha256[65];
    char text[65];                      /* as the claim's text field */
    char env[PLEDGE_INPUT_ENV_BYTES];   /* pledge_engine_fingerprint() */
    /* Set by a caller making a recorded pledge again: the record written
     * keeps env as the caller filled it (the recorded engine lines), so
     * that a pledge made where a library had another version, but the
     * same bytes came out, is still the same file.  Not encoded. */
    int keep_env;
} pledge_inputs;

/* Encodes in as the bytes of the /PledgeInputs string: version 2
 * (escaped ASCII) unless in->version is 1 (UTF-8, the first seven fields
 * only).  The caller frees *out with free(). */
int pledge_inputs_encode(const pledge_inputs *in, unsigned char **out,
                         size_t *len, pledge_err *err);

/* Parses the bytes of a /PledgeInputs string, version 2 (escaped ASCII,
 * or UTF-16BE with a byte order mark) or 1 (UTF-8).  Returns 0, or -1 when it is not a
 * record either version writes. */
int pledge_inputs_decode(const unsigned char *p, size_t n, pledge_inputs *in);

/* Reads /PledgeInputs from the document info the last trailer names.
 * Returns 1 and fills *in when present, 0 when the PDF has none (not made
 * by pledge), -1 with err when it is there but damaged. */
int pledge_inputs_read(pledge_pdf *pdf, pledge_inputs *in, pledge_err *err);

#endif
