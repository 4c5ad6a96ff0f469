/* fuzz.h - what every libFuzzer harness here shares.
 *
 * A harness fails by aborting: libFuzzer saves the input that did it.
 * fuzz_require() checks the contracts the headers state (an out-pointer
 * left untouched on error, a message set, bounds kept), so a broken
 * promise is a finding even when no sanitizer fires.
 */
#ifndef PLEDGE_FUZZ_H
#define PLEDGE_FUZZ_H

/* memfd_create; so this header comes before any other. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define fuzz_require(cond) \
    do { \
        if (!(cond)) { \
            fprintf(stderr, "%s:%d: contract broken: %s\n", __FILE__, \
                    __LINE__, #cond); \
            abort(); \
        } \
    } while (0)

/* A failing call must say why. */
#define fuzz_require_msg(err) \
    fuzz_require((err).msg[0] != '\0' && \
                 memchr((err).msg, '\0', sizeof (err).msg) != NULL)

/* The readers under test take a path: data goes into an anonymous memory
 * file, named by path ("/proc/self/fd/N"), so no disk is touched.
 * Returns the descriptor, which the caller closes. */
static inline int fuzz_memfd(const uint8_t *data, size_t size,
                             char path[32])
{
    size_t off = 0;
    ssize_t w;
    int fd;

    fd = memfd_create("fuzz", MFD_CLOEXEC);
    fuzz_require(fd >= 0);
    while (off < size) {
        w = write(fd, data + off, size - off);
        fuzz_require(w > 0);
        off += (size_t)w;
    }
    snprintf(path, 32, "/proc/self/fd/%d", fd);
    return fd;
}

/* The public key the committed PDF and signature seeds were signed with
 * (its secret half was deleted once they were made; fuzz/README.md says
 * how to remake them), so a seed goes through the whole check,
 * cryptography included. */
#define FUZZ_PUBKEY \
    "untrusted comment: minisign public key 5B48EA02C6FC7408; " \
    "signer: Fuzz Test Signer\n" \
    "RWQIdPzGAupIWwPflMabbAnQgbRRwRBso2rQu+88yPBl2+D2AtahDfd/\n"

#endif
