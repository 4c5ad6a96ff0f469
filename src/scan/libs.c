/* libs.c - open zbar, poppler and cairo when first needed (see libs.h). */
#include "libs.h"

#include <dlfcn.h>

#include "../util/err.h"

/* The sonames Debian 12 and 13 ship: the runtime packages of libzbar0,
 * libpoppler-glib8, libcairo2 and libglib2.0-0. */
#define ZBAR_SO "libzbar.so.0"
#define GLIB_SO "libglib-2.0.so.0"
#define GOBJECT_SO "libgobject-2.0.so.0"
#define POPPLER_SO "libpoppler-glib.so.8"
#define CAIRO_SO "libcairo.so.2"

static void *open_so(const char *so, pledge_err *err)
{
    void *h = dlopen(so, RTLD_NOW | RTLD_LOCAL);

    if (h == NULL)
        pledge_err_set(err, "cannot load %s (%s): is its package "
                       "installed? (scripts/deps.sh)", so, dlerror());
    return h;
}

/* Sets table t's field f to the function of that name in h; where h has
 * none, the first such name goes in miss.  POSIX lets dlsym()'s pointer
 * be called as the function's. */
#define SYM(f) \
    if (miss == NULL && \
        (t->f = (__typeof__(t->f))dlsym(h, #f)) == NULL) \
        miss = #f;

/* Fills t from the library so with the functions FUNCS lists. */
#define LOAD(so, FUNCS) \
    do { \
        void *h = open_so(so, err); \
        const char *miss = NULL; \
        if (h == NULL) \
            return -1; \
        FUNCS(SYM) \
        if (miss != NULL) \
            return pledge_err_set(err, "%s has no %s: not the version " \
                                  "pledge was built for", so, miss); \
    } while (0)

static int load_zbar(pledge_zbar_lib *t, pledge_err *err)
{
    LOAD(ZBAR_SO, PLEDGE_ZBAR_FUNCS);
    return 0;
}

static int load_pdf(pledge_pdf_lib *t, pledge_err *err)
{
    LOAD(GLIB_SO, PLEDGE_GLIB_FUNCS);
    LOAD(GOBJECT_SO, PLEDGE_GOBJECT_FUNCS);
    LOAD(POPPLER_SO, PLEDGE_POPPLER_FUNCS);
    LOAD(CAIRO_SO, PLEDGE_CAIRO_FUNCS);
    return 0;
}

/* The first call loads and remembers how it went: a failure is said
 * again, never retried. */
#define ONCE(table, loader) \
    do { \
        static int state;       /* 0 not tried, 1 loaded, -1 failed */ \
        static pledge_err failed; \
        if (state == 0) \
            state = loader(&table, &failed) < 0 ? -1 : 1; \
        if (state < 0) { \
            pledge_err_set(err, "%s", failed.msg); \
            return NULL; \
        } \
        return &table; \
    } while (0)

const pledge_zbar_lib *pledge_scan_libs_zbar(pledge_err *err)
{
    static pledge_zbar_lib z;

    ONCE(z, load_zbar);
}

const pledge_pdf_lib *pledge_scan_libs_pdf(pledge_err *err)
{
    static pledge_pdf_lib p;

    ONCE(p, load_pdf);
}
