/* pdfmerge.h - one print file from many pledge PDFs, streamed.
 *
 * `pledge batch --print` puts every pledge of a roster into one file for a
 * printer.  Each PDF is read with the strict reader (pdfparse.h), its pages
 * and what they use are copied to the output with new object numbers, and
 * the PDF is forgotten: what stays in memory for the final page tree is
 * four bytes per page, and the xref's offsets wait in an unlinked
 * temporary file, so a roster of 5,000 needs no more working memory than
 * one of 500.
 *
 * Only pages survive: the catalog, forms, the signature and its widget,
 * outlines and document metadata of the inputs are dropped, as are the
 * pages' annotations.  The print file is not signed.  Inputs must have
 * classic xref tables (pledge's own output does); encrypted PDFs are
 * refused.
 */
#ifndef PLEDGE_PDFMERGE_H
#define PLEDGE_PDFMERGE_H

#include <stddef.h>
#include <stdio.h>

#include "../pledge.h"

typedef struct pledge_merge pledge_merge;

/* Starts a print file written to out, a stream opened for writing at the
 * start of the file (xref offsets count from there), owned by the caller,
 * who closes it after pledge_merge_finish().  duplex: every added PDF
 * starts on an odd page (a blank page of the same size as its last page
 * follows a PDF with an odd page count, except the last PDF).  Writes the
 * header.  On error returns -1 and leaves *m untouched.
 * The caller frees *m with pledge_merge_free(). */
int pledge_merge_begin(pledge_merge **m, FILE *out, int duplex,
                       pledge_err *err);

/* Appends every page of the PDF data[0..len) in order.  Objects reachable
 * from its pages (contents, resources, fonts, font files, ToUnicode ...)
 * are copied with new object numbers, each once however many pages use
 * it; each page gets the attributes it inherited in its old page tree
 * (/MediaBox, /CropBox, /Resources, /Rotate) and a /Parent in the print
 * file's page tree, and loses /Annots.  data is only borrowed.
 * A PDF that cannot be read is refused before anything is written: -1
 * with err saying why (no file name: the caller prefixes it), and the
 * merge stays usable, as if the call had not been made.  A failed write
 * to out also returns -1, and then the merge is spoilt: every later add
 * or finish fails. */
int pledge_merge_add(pledge_merge *m, const unsigned char *data, size_t len,
                     pledge_err *err);

/* The pages added so far, blank pages included. */
size_t pledge_merge_page_count(const pledge_merge *m);

/* Writes the page tree, catalog, info (/Producer and /Creator "pledge"
 * and the version), xref and trailer, and flushes out.  A merge with no
 * pages is an error.  Returns 0 or -1; either way only
 * pledge_merge_free() may follow. */
int pledge_merge_finish(pledge_merge *m, pledge_err *err);

/* Frees m (not its stream).  NULL is allowed. */
void pledge_merge_free(pledge_merge *m);

#endif
