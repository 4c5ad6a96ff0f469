/* libs.h - zbar, poppler and cairo, opened when they are first needed.
 *
 * They bring some sixty shared libraries with them (X11, D-Bus, NSS,
 * GLib ...) whose loading and start-up would cost every pledge command
 * three times its own start: only `verify --scan` uses them, so they are
 * opened with dlopen() then, and called through the tables here.
 */
#ifndef PLEDGE_SCAN_LIBS_H
#define PLEDGE_SCAN_LIBS_H

#include <cairo.h>
#include <poppler.h>
#include <zbar.h>

#include "../pledge.h"

/* The functions each library gives, by name. */
#define PLEDGE_ZBAR_FUNCS(X) \
    X(zbar_image_scanner_create) X(zbar_image_scanner_destroy) \
    X(zbar_image_scanner_set_config) X(zbar_image_create) \
    X(zbar_image_destroy) X(zbar_image_set_format) X(zbar_image_set_size) \
    X(zbar_image_set_data) X(zbar_scan_image) X(zbar_image_first_symbol) \
    X(zbar_symbol_next) X(zbar_symbol_get_type) X(zbar_symbol_get_data) \
    X(zbar_symbol_get_data_length)

#define PLEDGE_GLIB_FUNCS(X) \
    X(g_bytes_new_static) X(g_bytes_unref) X(g_clear_error) X(g_free)

#define PLEDGE_GOBJECT_FUNCS(X) X(g_object_unref)

#define PLEDGE_POPPLER_FUNCS(X) \
    X(poppler_document_new_from_bytes) X(poppler_document_get_n_pages) \
    X(poppler_document_get_page) X(poppler_page_get_size) \
    X(poppler_page_render) X(poppler_page_get_text)

#define PLEDGE_CAIRO_FUNCS(X) \
    X(cairo_image_surface_create) X(cairo_surface_status) \
    X(cairo_create) X(cairo_set_source_rgb) X(cairo_paint) X(cairo_scale) \
    X(cairo_destroy) X(cairo_surface_flush) \
    X(cairo_image_surface_get_data) X(cairo_image_surface_get_stride) \
    X(cairo_surface_destroy)

#define PLEDGE_LIBS_FIELD(f) __typeof__(&f) f;

typedef struct {
    PLEDGE_ZBAR_FUNCS(PLEDGE_LIBS_FIELD)
} pledge_zbar_lib;

typedef struct {
    PLEDGE_GLIB_FUNCS(PLEDGE_LIBS_FIELD)
    PLEDGE_GOBJECT_FUNCS(PLEDGE_LIBS_FIELD)
    PLEDGE_POPPLER_FUNCS(PLEDGE_LIBS_FIELD)
    PLEDGE_CAIRO_FUNCS(PLEDGE_LIBS_FIELD)
} pledge_pdf_lib;

/* The zbar table, opened on the first call (not safe to race from two
 * threads then); the same table after.  On error returns NULL with err
 * naming the library and what is missing.  The table and the libraries
 * stay for the life of the process. */
const pledge_zbar_lib *pledge_scan_libs_zbar(pledge_err *err);

/* The same for poppler and cairo, which read a PDF. */
const pledge_pdf_lib *pledge_scan_libs_pdf(pledge_err *err);

#endif
