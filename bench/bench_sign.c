/* bench_sign.c - the signing half of `make bench`, in one process.
 *
 *   bench_sign LAYOUT_FILE [N [KEY [OUTDIR]]]
 *
 * Opens the engine, loads the layout and renders N unsigned pledges (N
 * defaults to 200), each for a different name, untimed.  Then it times,
 * with clock_gettime(CLOCK_MONOTONIC):
 *
 *   - pledge_sign_append() over each unsigned pledge: the signature alone;
 *   - pledge_render_pdf() unsigned and signed for each person in turn: the
 *     whole signed render against the plain one;
 *   - the seal of each signed pledge made alone: its facts, its Ed25519
 *     signature, its base45 text and its QR code's modules, as the signed
 *     render makes them (seal_share: that time as a share of the signed
 *     render's);
 *   - pledge_verify_pdf() over the N signed renders, each of which must be
 *     valid;
 *   - the floor under both: libsodium's Ed25519 sign and verify over a
 *     64-byte message (a prehash), and BLAKE2b-512 over 1 MiB and over as
 *     many bytes as a signed pledge has, each alone (the fastest of 20
 *     batches, half after the signing and half at the end).
 *
 * A pledge signature is minisign's prehashed form: BLAKE2b-512 of the
 * file and two Ed25519 signatures, one over the hash and one over that
 * signature and the trusted comment.  Those three operations are the
 * floor of a signature and, with verify for sign, of a verification.
 * Right after each pledge is signed or verified they are timed once over
 * the same bytes, so that pledge and floor are measured under the same
 * load: on a busy machine, batches timed at another moment can make the
 * floor look slower than the pledge code that contains it.
 *
 * KEY is the base of an unencrypted key pair (KEY.key and KEY.pub, as
 * `pledge keygen --no-passphrase` writes them); without it a key pair is
 * made for the run and its public half kept in a temporary directory that
 * is removed at the end.  With OUTDIR the N signed pledges are written
 * there as pledge-NNN.pdf, for timing `pledge verify OUTDIR`.
 *
 * Every figure is one "name value unit" line on standard output, which
 * bench/run.sh reads; nothing secret is printed.
 *
 * Exit status: 0 ok, 1 the library failed or a signature did not verify,
 * 2 usage.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "../src/doc/doc.h"
#include "../src/pledge.h"
#include "../src/sign/claim.h"
#include "../src/sign/key.h"
#include "../src/sign/seal.h"
#include "../src/sign/sign.h"
#include "../src/sign/verify.h"
#include "../src/util/err.h"
#include "../src/util/file.h"
#include "../src/util/qr.h"
#include "bench_util.h"

#define DEFAULT_N 200
#define CREDENTIALS "PhD, LCSW, IMH-E\xc2\xae"
#define MEMBER_ID "VA-2026-0142"
#define DATE "2026-11-21"
/* The association signs, as in a batch (a seal of kind A). */
#define SIGNER "Virginia Association for Infant Mental Health"
/* The signing time: 09:30 UTC on DATE, so that runs sign the same bytes. */
#define SIGN_TIME_OF_DAY (9 * 3600 + 30 * 60)

/* Runs of each primitive alone, in FLOOR_BATCHES batches of a few ms,
 * half of them after the signing and half at the end: short and spread
 * out so that some batch runs uninterrupted on a busy machine.  All of
 * them take 0.07 to 0.2 s per primitive on a 2020s core. */
#define FLOOR_BATCHES 20
#define FLOOR_SIGNS 4000
#define FLOOR_VERIFIES 4000
#define FLOOR_MIB_ROUNDS 120
#define FLOOR_PLEDGE_ROUNDS 4000
#define MIB (1024 * 1024)

/* Names built from two lists whose lengths (16, 13) share no factor, so
 * the first 208 are all different and no two in a row are the same. */
static const char *const given[] = {
    "Zo\xc3\xab", "Nguy\xe1\xbb\x85n Th\xe1\xbb\x8b",
    "Mar\xc3\xad""a Jos\xc3\xa9",
    "Aoife", "Fran\xc3\xa7ois-Xavier", "Samantha", "J\xc3\xbcrgen",
    "Bj\xc3\xb8rn", "Ren\xc3\xa9""e", "Sm\xc3\xa1ri", "Chiamaka", "Elif",
    "Malgorzata", "Tom\xc3\xa1\xc5\xa1", "Ana\xc3\xafs", "Kwabena"
};
static const char *const family[] = {
    "\xc3\x85ngstr\xc3\xb6m-N\xc3\xba\xc3\xb1""ez", "Minh Khai",
    "Garc\xc3\xad""a L\xc3\xb3pez", "N\xc3\xad Bhriain", "Lef\xc3\xa8vre",
    "Okonkwo-Richardson", "Stra\xc3\x9f""burger", "\xc3\x98stergaard",
    "Dvo\xc5\x99\xc3\xa1k", "\xc3\x9eorsteinsson", "Y\xc4\xb1lmaz",
    "Wi\xc5\x9bniewska", "Mensah"
};
#define NGIVEN (sizeof given / sizeof given[0])
#define NFAMILY (sizeof family / sizeof family[0])

static const char usage[] =
    "usage: bench_sign LAYOUT_FILE [N [KEY [OUTDIR]]]\n";

/* One PDF in memory. */
typedef struct {
    unsigned char *p;
    size_t len;
} blob;

/* The samples of one timed step, in the order taken; v has room for
 * every sample. */
typedef struct {
    double *v;
    long n;
} timing;

static void timing_add(timing *t, double x)
{
    t->v[t->n++] = x;
}

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return (x > y) - (x < y);
}

/* Sorts v in place and returns its median. */
static double median(double *v, long n)
{
    qsort(v, (size_t)n, sizeof *v, by_value);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static void name_of(long i, char *out, size_t cap)
{
    snprintf(out, cap, "%s %s", given[i % NGIVEN], family[i % NFAMILY]);
}

/* The pledge's fields, with the name read from name (which name_of()
 * fills in for each person). */
static void person_of(pledge_person *p, const char *name)
{
    memset(p, 0, sizeof *p);
    p->name = name;
    p->credentials = CREDENTIALS;
    p->member_id = MEMBER_ID;
    p->date = DATE;
}

/* What the floor's primitives work on: a key pair of their own, made
 * here and wiped at the end, a 64-byte message (the size of a prehash)
 * and its signature, and a buffer of random bytes to hash. */
typedef struct {
    unsigned char pk[crypto_sign_PUBLICKEYBYTES];
    unsigned char sk[crypto_sign_SECRETKEYBYTES];
    unsigned char msg[64];
    unsigned char sig[crypto_sign_BYTES];
    unsigned char *buf;
    size_t hash_bytes;          /* a signed pledge's size, at most MIB */
    double best[4];             /* us: a sign, a verify, 1 MiB, hash_bytes;
                                   the fastest batch so far, or 0 */
} floor_ctx;

enum { OP_SIGN, OP_VERIFY, OP_HASH };

/* The floor of one signature (op OP_SIGN) or one verification (OP_VERIFY)
 * of the len bytes at p: BLAKE2b-512 of them and two Ed25519 operations.
 * Returns the microseconds it took, *hash_us those of the hash, or -1
 * when libsodium rejects its own signature. */
static double floor_unit(floor_ctx *c, int op, const unsigned char *p,
                         size_t len, double *hash_us)
{
    unsigned char out[crypto_generichash_BYTES_MAX];
    double t0 = bench_now_us();
    int k;

    crypto_generichash(out, sizeof out, p, len, NULL, 0);
    *hash_us = bench_now_us() - t0;
    for (k = 0; k < 2; k++) {
        if (op == OP_SIGN)
            crypto_sign_detached(c->sig, NULL, c->msg, sizeof c->msg,
                                 c->sk);
        else if (crypto_sign_verify_detached(c->sig, c->msg, sizeof c->msg,
                                             c->pk) != 0)
            return -1;
    }
    return bench_now_us() - t0;
}

/* Runs one primitive rounds times (OP_HASH over the first len bytes of
 * buf) and returns the microseconds each took, or -1 when libsodium
 * rejects its own signature. */
static double floor_batch(floor_ctx *c, int op, long rounds, size_t len)
{
    unsigned char out[crypto_generichash_BYTES_MAX];
    double t0 = bench_now_us();
    long k;

    for (k = 0; k < rounds; k++) {
        switch (op) {
        case OP_SIGN:
            crypto_sign_detached(c->sig, NULL, c->msg, sizeof c->msg,
                                 c->sk);
            break;
        case OP_VERIFY:
            if (crypto_sign_verify_detached(c->sig, c->msg, sizeof c->msg,
                                            c->pk) != 0)
                return -1;
            break;
        default:
            crypto_generichash(out, sizeof out, c->buf, len, NULL, 0);
            break;
        }
    }
    return (bench_now_us() - t0) / (double)rounds;
}

/* Runs half of the FLOOR_BATCHES batches of one primitive, each of
 * rounds / FLOOR_BATCHES runs, after one untimed run, and keeps the
 * fastest batch in *best: what it costs with the machine to itself. */
static int floor_time(floor_ctx *c, int op, long rounds, size_t len,
                      double *best)
{
    double us;
    int i;

    if (floor_batch(c, op, 1, len) < 0)
        return -1;
    for (i = 0; i < FLOOR_BATCHES / 2; i++) {
        if ((us = floor_batch(c, op, rounds / FLOOR_BATCHES, len)) < 0)
            return -1;
        if (*best == 0 || us < *best)
            *best = us;
    }
    return 0;
}

/* One of the two passes over the primitives alone. */
static int floor_pass(floor_ctx *c, pledge_err *err)
{
    if (floor_time(c, OP_SIGN, FLOOR_SIGNS, 0, &c->best[0]) < 0 ||
        floor_time(c, OP_VERIFY, FLOOR_VERIFIES, 0, &c->best[1]) < 0 ||
        floor_time(c, OP_HASH, FLOOR_MIB_ROUNDS, MIB, &c->best[2]) < 0 ||
        floor_time(c, OP_HASH, FLOOR_PLEDGE_ROUNDS, c->hash_bytes,
                   &c->best[3]) < 0)
        return pledge_err_set(err, "floor: libsodium rejected its own "
                              "signature");
    return 0;
}

/* The samples the run takes, one per pledge each. */
enum {
    T_SIGN,             /* pledge_sign_append(), ms */
    T_SIGN_FLOOR,       /* its floor_unit(), us */
    T_SIGN_HASH,        /* the BLAKE2b part of that, us */
    T_SIGN_ED,          /* one of its two Ed25519 signs, us */
    T_SIGN_RATIO,       /* pledge_sign_append() over its floor */
    T_PLAIN,            /* unsigned render, ms */
    T_SIGNED,           /* signed render, ms */
    T_EXTRA,            /* signed less unsigned, ms */
    T_SEAL,             /* the seal made alone, us */
    T_SEAL_SHARE,       /* that, as a share of the signed render, % */
    T_VERIFY,           /* pledge_verify_pdf(), us */
    T_VERIFY_FLOOR,     /* its floor_unit(), us */
    T_VERIFY_HASH,
    T_VERIFY_ED,
    T_VERIFY_RATIO,
    NTIMINGS
};

/* Everything the run holds, freed in one place. */
typedef struct {
    pledge_engine *eng;
    pledge_layout *lay;
    pledge_seckey *sk;
    pledge_keyring *kr;
    blob *plain;                /* N unsigned pledges */
    blob *signed_;              /* N signed renders */
    long n;
    timing t[NTIMINGS];
    double *samples;            /* every t[].v, in one allocation */
    floor_ctx fl;
    char signer[PLEDGE_SIGNER_BYTES];
    char key_id[17];
    char tmpdir[64];            /* "" unless a key was made for the run */
    char tmppub[96];
} run;

/* Reads KEY.key and KEY.pub, or makes a key pair whose public half goes in
 * a temporary directory for the keyring. */
static int open_key(run *r, const char *base, pledge_err *err)
{
    char path[4096];
    pledge_pubkey pk;
    const char *tmp = getenv("TMPDIR");

    if (pledge_keyring_new(&r->kr, err) < 0)
        return -1;
    if (base != NULL) {
        if ((size_t)snprintf(path, sizeof path, "%s.key", base) >=
            sizeof path)
            return pledge_err_set(err, "key base %s: path too long", base);
        if (pledge_key_read_secret(path, 0, NULL, &r->sk, r->signer, err) < 0)
            return -1;
        if (r->signer[0] == '\0')
            snprintf(r->signer, sizeof r->signer, "%s", SIGNER);
        snprintf(path, sizeof path, "%s.pub", base);
        if (pledge_keyring_add_file(r->kr, path, err) < 0)
            return -1;
    } else {
        if (pledge_key_generate(&r->sk, &pk, err) < 0)
            return -1;
        snprintf(r->signer, sizeof r->signer, "%s", SIGNER);
        if (tmp == NULL || *tmp == '\0' || strlen(tmp) > 32)
            tmp = "/tmp";
        snprintf(r->tmpdir, sizeof r->tmpdir, "%s/bench_sign.XXXXXX", tmp);
        if (mkdtemp(r->tmpdir) == NULL) {
            pledge_err_set(err, "make %s: %s", r->tmpdir, strerror(errno));
            r->tmpdir[0] = '\0';
            return -1;
        }
        snprintf(r->tmppub, sizeof r->tmppub, "%s/bench.pub", r->tmpdir);
        if (pledge_key_write_public(r->tmppub, &pk, SIGNER, 0, err) < 0)
            return pledge_err_prefix(err, "write %s", r->tmppub);
        if (pledge_keyring_add_file(r->kr, r->tmppub, err) < 0)
            return -1;
    }
    pledge_seckey_public(r->sk, &pk);
    pledge_key_id_hex(pk.id, r->key_id);
    return 0;
}

static void run_free(run *r)
{
    long i;

    for (i = 0; i < r->n; i++) {
        if (r->plain != NULL)
            free(r->plain[i].p);
        if (r->signed_ != NULL)
            free(r->signed_[i].p);
    }
    free(r->plain);
    free(r->signed_);
    free(r->samples);
    sodium_memzero(r->fl.sk, sizeof r->fl.sk);
    free(r->fl.buf);
    pledge_keyring_free(r->kr);
    pledge_seckey_free(r->sk);
    pledge_layout_free(r->lay);
    pledge_engine_close(r->eng);
    if (r->tmpdir[0] != '\0') {
        if (r->tmppub[0] != '\0')
            unlink(r->tmppub);
        rmdir(r->tmpdir);
    }
}

/* The claim pledge_render_pdf() makes for the person named name, the key
 * left for the signer to fill in. */
static int make_claim(const run *r, const char *name, long long when,
                      const char *text_hash, pledge_claim *c,
                      pledge_err *err)
{
    memset(c, 0, sizeof *c);
    if (pledge_claim_time(when, c->time) < 0)
        return pledge_err_set(err, "signing time %lld is out of range",
                              when);
    snprintf(c->signer, sizeof c->signer, "%s", r->signer);
    snprintf(c->association, sizeof c->association, "%s",
             pledge_layout_association(r->lay));
    snprintf(c->layout, sizeof c->layout, "%s", pledge_layout_id(r->lay));
    snprintf(c->revision, sizeof c->revision, "%s",
             pledge_layout_revision(r->lay));
    snprintf(c->applicant, sizeof c->applicant, "%s", name);
    snprintf(c->text, sizeof c->text, "%s", text_hash);
    return 0;
}

/* The BLAKE2b-256 of the layout's text in hex, as a claim records it. */
static int text_hash(const pledge_layout *lay, char out[65],
                     pledge_err *err)
{
    unsigned char h[32];
    char *text = pledge_doc_text(lay);

    if (text == NULL)
        return pledge_err_set(err, "text of the layout: out of memory");
    crypto_generichash(h, sizeof h, (const unsigned char *)text,
                       strlen(text), NULL, 0);
    free(text);
    sodium_bin2hex(out, 65, h, sizeof h);
    return 0;
}

/* Times the floor of one signature or verification of the len bytes at
 * p and adds it, its parts and the pledge's time over it to the four
 * timings from floor_t on (T_SIGN_FLOOR or T_VERIFY_FLOOR). */
static int add_floor(run *r, int op, const unsigned char *p, size_t len,
                     double pledge_us, int floor_t, pledge_err *err)
{
    double hash_us, us = floor_unit(&r->fl, op, p, len, &hash_us);

    if (us < 0)
        return pledge_err_set(err, "floor: libsodium rejected its own "
                              "signature");
    timing_add(&r->t[floor_t], us);
    timing_add(&r->t[floor_t + 1], hash_us);
    timing_add(&r->t[floor_t + 2], (us - hash_us) / 2);
    timing_add(&r->t[floor_t + 3], pledge_us / us);
    return 0;
}

/* Times pledge_sign_append() over every unsigned pledge, then its floor
 * over the signed bytes; each result must verify (checked untimed).  Sets
 * the size the floor's hash alone is timed over: theirs, on average. */
static int time_sign_append(run *r, long long when, pledge_err *err)
{
    char hash[65], name[256];
    pledge_claim claim;
    pledge_verdict v;
    unsigned char *out = NULL;
    size_t outlen = 0;
    double bytes = 0;
    long i;
    int rc;

    if (text_hash(r->lay, hash, err) < 0)
        return -1;
    for (i = 0; i < r->n; i++) {
        double t0, us;

        name_of(i, name, sizeof name);
        if (make_claim(r, name, when, hash, &claim, err) < 0)
            return -1;
        t0 = bench_now_us();
        if (pledge_sign_append(r->plain[i].p, r->plain[i].len, r->sk,
                               &claim, &out, &outlen, err) < 0)
            return pledge_err_prefix(err, "sign pledge %ld", i + 1);
        us = bench_now_us() - t0;
        timing_add(&r->t[T_SIGN], us / 1e3);
        bytes += (double)outlen;
        rc = add_floor(r, OP_SIGN, out, outlen, us, T_SIGN_FLOOR, err);
        if (rc == 0 && pledge_verify_pdf(r->kr, out, outlen, &v) < 0)
            rc = pledge_err_set(err, "pledge %ld signed by "
                                "pledge_sign_append() does not verify: %s",
                                i + 1, v.reason);
        free(out);
        if (rc < 0)
            return -1;
    }
    r->fl.hash_bytes = (size_t)(bytes / (double)r->n + 0.5);
    if (r->fl.hash_bytes > MIB)
        r->fl.hash_bytes = MIB;
    return 0;
}

/* Times an unsigned and a signed render of each person in turn, so that
 * drift in the machine's speed falls on both alike, the first of the two
 * alternating so that neither always finds the caches warm.  The unsigned
 * render must give the bytes rendered before; the signed ones are kept. */
/* Makes the seal a signed render of c's pledge makes, as it makes it:
 * facts, signature, text and QR modules.  Returns the time it took, us,
 * or -1 with err. */
static double time_seal(const pledge_claim *c, const pledge_signing *sig,
                        const char *member_id, pledge_err *err)
{
    char text[PLEDGE_SEAL_TEXT_BYTES];
    pledge_seal_facts f;
    pledge_seal seal;
    unsigned char *dark = NULL;
    double t0 = bench_now_us(), us;
    int size;

    if (pledge_seal_facts_from_claim(c, 'P', member_id, NULL, &f, err) < 0 ||
        pledge_seal_make(&f, sig->key, &seal, err) < 0)
        return -1;
    pledge_seal_text(&seal, text);
    if (pledge_qr_encode(text, &dark, &size, err) < 0)
        return -1;
    us = bench_now_us() - t0;
    free(dark);
    return us;
}

static int time_renders(run *r, const pledge_signing *sig, pledge_err *err)
{
    pledge_render_opts ro;
    pledge_person person;
    unsigned char *pdf = NULL;
    size_t len = 0;
    char name[256];
    pledge_claim c;
    long i;
    int k;

    memset(&ro, 0, sizeof ro);
    ro.epoch = bench_date_epoch(DATE);
    person_of(&person, name);
    memset(&c, 0, sizeof c);
    snprintf(c.key, sizeof c.key, "%s", r->key_id);
    snprintf(c.association, sizeof c.association, "%s",
             pledge_layout_association(r->lay));
    snprintf(c.layout, sizeof c.layout, "%s", pledge_layout_id(r->lay));
    snprintf(c.revision, sizeof c.revision, "%s",
             pledge_layout_revision(r->lay));
    if (pledge_claim_time(sig->time, c.time) < 0 ||
        pledge_layout_text_hash(r->lay, c.text, err) < 0)
        return pledge_err_set(err, "the seal's claim");
    for (i = 0; i < r->n; i++) {
        double ms[2], seal_us;

        name_of(i, name, sizeof name);
        for (k = 0; k < 2; k++) {
            int sign = (i + k) % 2;
            double t0;

            ro.sign = sign ? sig : NULL;
            t0 = bench_now_us();
            if (pledge_render_pdf(r->eng, r->lay, &person, &ro, &pdf, &len,
                                  err) < 0)
                return pledge_err_prefix(err, "%s render of pledge %ld",
                                         sign ? "signed" : "unsigned",
                                         i + 1);
            ms[sign] = (bench_now_us() - t0) / 1e3;
            if (sign) {
                r->signed_[i].p = pdf;
                r->signed_[i].len = len;
                continue;
            }
            if (len != r->plain[i].len ||
                memcmp(pdf, r->plain[i].p, len) != 0) {
                free(pdf);
                return pledge_err_set(err, "pledge %ld: rendering it again "
                                      "gave different bytes", i + 1);
            }
            free(pdf);
        }
        timing_add(&r->t[T_PLAIN], ms[0]);
        timing_add(&r->t[T_SIGNED], ms[1]);
        timing_add(&r->t[T_EXTRA], ms[1] - ms[0]);
        snprintf(c.applicant, sizeof c.applicant, "%s", name);
        if ((seal_us = time_seal(&c, sig, MEMBER_ID, err)) < 0)
            return pledge_err_prefix(err, "the seal of pledge %ld", i + 1);
        timing_add(&r->t[T_SEAL], seal_us);
        timing_add(&r->t[T_SEAL_SHARE], seal_us / 10 / ms[1]);
    }
    return 0;
}

/* Times pledge_verify_pdf() over the signed renders, then its floor over
 * the same bytes; every one must be valid and name the key that signed
 * it. */
static int time_verify(run *r, pledge_err *err)
{
    pledge_verdict v;
    long i;

    for (i = 0; i < r->n; i++) {
        const blob *b = &r->signed_[i];
        double t0 = bench_now_us(), us;
        int rc = pledge_verify_pdf(r->kr, b->p, b->len, &v);

        us = bench_now_us() - t0;
        if (rc < 0 || !v.valid)
            return pledge_err_set(err, "signed pledge %ld does not verify: "
                                  "%s", i + 1, v.reason);
        if (strcmp(v.key_id, r->key_id) != 0)
            return pledge_err_set(err, "signed pledge %ld verifies under "
                                  "key ID %s, not %s", i + 1, v.key_id,
                                  r->key_id);
        timing_add(&r->t[T_VERIFY], us);
        if (add_floor(r, OP_VERIFY, b->p, b->len, us, T_VERIFY_FLOOR,
                      err) < 0)
            return -1;
    }
    return 0;
}

static int write_all(const run *r, const char *dir, pledge_err *err)
{
    char path[4096];
    long i;

    for (i = 0; i < r->n; i++) {
        if ((size_t)snprintf(path, sizeof path, "%s/pledge-%03ld.pdf", dir,
                             i + 1) >= sizeof path)
            return pledge_err_set(err, "write into %s: path too long", dir);
        if (pledge_file_write(path, r->signed_[i].p, r->signed_[i].len,
                              0644, 1, err) < 0)
            return pledge_err_prefix(err, "write %s", path);
    }
    return 0;
}

/* The primitives alone, after floor_pass() has run twice. */
static void floor_print(const floor_ctx *c)
{
    printf("ed25519_sign_us      %10.2f us        (64-byte message)\n",
           c->best[0]);
    printf("ed25519_sign_rate    %10.0f signs/s\n", 1e6 / c->best[0]);
    printf("ed25519_verify_us    %10.2f us        (64-byte message)\n",
           c->best[1]);
    printf("ed25519_verify_rate  %10.0f verifies/s\n", 1e6 / c->best[1]);
    printf("blake2b_rate         %10.1f MB/s      (BLAKE2b-512 over 1 MiB; "
           "MB = 10^6 bytes)\n", MIB / c->best[2]);
    printf("blake2b_pledge_us    %10.2f us        (BLAKE2b-512 over %zu "
           "bytes)\n", c->best[3], c->hash_bytes);
    printf("blake2b_pledge_bytes %10zu bytes\n", c->hash_bytes);
}

/* Prints the median of t as "NAME value unit", then the mean, min and
 * max, and returns the median; sorts t's samples. */
static double print_timing(const char *name, timing *t, const char *unit)
{
    double sum = 0, mid;
    long i;

    for (i = 0; i < t->n; i++)
        sum += t->v[i];
    mid = median(t->v, t->n);
    printf("%-20s %10.3f %-9s (median; mean %.3f, min %.3f, max %.3f)\n",
           name, mid, unit, sum / (double)t->n, t->v[0], t->v[t->n - 1]);
    return mid;
}

/* Allocates the run's pledges and samples, and makes the floor's own key
 * pair, message and buffer. */
static int run_alloc(run *r, long n, pledge_err *err)
{
    int k;

    r->plain = calloc((size_t)n, sizeof *r->plain);
    r->signed_ = calloc((size_t)n, sizeof *r->signed_);
    r->samples = calloc(NTIMINGS * (size_t)n, sizeof *r->samples);
    r->fl.buf = malloc(MIB);
    if (r->plain == NULL || r->signed_ == NULL || r->samples == NULL ||
        r->fl.buf == NULL)
        return pledge_err_set(err, "%ld pledges: out of memory", n);
    r->n = n;
    for (k = 0; k < NTIMINGS; k++)
        r->t[k].v = r->samples + (size_t)k * (size_t)n;
    randombytes_buf(r->fl.buf, MIB);
    randombytes_buf(r->fl.msg, sizeof r->fl.msg);
    crypto_sign_keypair(r->fl.pk, r->fl.sk);
    crypto_sign_detached(r->fl.sig, NULL, r->fl.msg, sizeof r->fl.msg,
                         r->fl.sk);
    return 0;
}

static int bench_sign(const char *path, long n, const char *key,
                      const char *outdir)
{
    pledge_render_opts ro;
    pledge_person person;
    pledge_signing sig;
    pledge_err err;
    double bytes_plain = 0, bytes_signed = 0, verify_us;
    char name[256];
    run r;
    long i;
    int rc = 1;

    memset(&r, 0, sizeof r);
    if (pledge_engine_open(&r.eng, bench_datadir(), &err) < 0 ||
        pledge_layout_load(&r.lay, path, &err) < 0 ||
        open_key(&r, key, &err) < 0 || run_alloc(&r, n, &err) < 0)
        goto fail;

    /* The unsigned pledges, untimed; the first render also opens the
     * fonts, which a batch pays once. */
    memset(&ro, 0, sizeof ro);
    ro.epoch = bench_date_epoch(DATE);
    person_of(&person, name);
    for (i = 0; i < n; i++) {
        name_of(i, name, sizeof name);
        if (pledge_render_pdf(r.eng, r.lay, &person, &ro, &r.plain[i].p,
                              &r.plain[i].len, &err) < 0)
            goto fail;
        bytes_plain += (double)r.plain[i].len;
    }

    memset(&sig, 0, sizeof sig);
    sig.key = r.sk;
    sig.signer = r.signer;
    sig.time = bench_date_epoch(DATE) + SIGN_TIME_OF_DAY;
    if (time_sign_append(&r, sig.time, &err) < 0 ||
        floor_pass(&r.fl, &err) < 0 || time_renders(&r, &sig, &err) < 0 ||
        time_verify(&r, &err) < 0 || floor_pass(&r.fl, &err) < 0)
        goto fail;
    for (i = 0; i < n; i++)
        bytes_signed += (double)r.signed_[i].len;
    if (outdir != NULL && write_all(&r, outdir, &err) < 0)
        goto fail;

    printf("%s: %ld pledges in one process, key ID %s\n",
           pledge_layout_id(r.lay), n, r.key_id);
    printf("pledges              %10ld pledges\n", n);
    printf("bytes_unsigned       %10.0f bytes     (mean)\n",
           bytes_plain / n);
    printf("bytes_signed         %10.0f bytes     (mean)\n",
           bytes_signed / n);
    print_timing("sign_ms", &r.t[T_SIGN], "ms");
    print_timing("sign_floor_us", &r.t[T_SIGN_FLOOR], "us");
    print_timing("sign_floor_hash_us", &r.t[T_SIGN_HASH], "us");
    print_timing("sign_floor_ed_us", &r.t[T_SIGN_ED], "us");
    print_timing("sign_ratio", &r.t[T_SIGN_RATIO], "x");
    print_timing("render_ms", &r.t[T_PLAIN], "ms");
    print_timing("render_signed_ms", &r.t[T_SIGNED], "ms");
    print_timing("render_sign_extra_ms", &r.t[T_EXTRA], "ms");
    print_timing("seal_us", &r.t[T_SEAL], "us");
    print_timing("seal_share", &r.t[T_SEAL_SHARE], "%");
    verify_us = print_timing("verify_us", &r.t[T_VERIFY], "us");
    printf("verify_rate          %10.0f files/s   (from the median)\n",
           1e6 / verify_us);
    print_timing("verify_floor_us", &r.t[T_VERIFY_FLOOR], "us");
    print_timing("verify_floor_hash_us", &r.t[T_VERIFY_HASH], "us");
    print_timing("verify_floor_ed_us", &r.t[T_VERIFY_ED], "us");
    print_timing("verify_ratio", &r.t[T_VERIFY_RATIO], "x");
    floor_print(&r.fl);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        pledge_err_set(&err, "write standard output: %s", strerror(errno));
        goto fail;
    }
    rc = 0;

fail:
    if (rc != 0)
        fprintf(stderr, "bench_sign: %s\n", err.msg);
    run_free(&r);
    return rc;
}

int main(int argc, char **argv)
{
    long n = DEFAULT_N;
    char *end;

    if (argc < 2 || argc > 5) {
        fputs(usage, stderr);
        return 2;
    }
    if (argc >= 3) {
        errno = 0;
        n = strtol(argv[2], &end, 10);
        if (errno != 0 || *end != '\0' || n < 1 || n > 100000) {
            fprintf(stderr, "bench_sign: N must be 1 to 100000, not '%s'\n",
                    argv[2]);
            return 2;
        }
    }
    if (sodium_init() < 0) {
        fputs("bench_sign: libsodium failed to start\n", stderr);
        return 1;
    }
    return bench_sign(argv[1], n, argc >= 4 ? argv[3] : NULL,
                      argc >= 5 ? argv[4] : NULL);
}
