/* pledge.h - the public API of libpledge.
 *
 * libpledge typesets an association's Code of Ethics (a layout file: YAML
 * front matter + CommonMark) into a personal pledge PDF.  The library never
 * prints and never exits: every call that can fail returns 0 on success and
 * -1 on failure with a one-line message in a pledge_err.
 *
 * Typical use:
 *
 *     pledge_engine *eng;  pledge_layout *lay;  pledge_err err;
 *     pledge_engine_open(&eng, "/usr/share/pledge", &err);
 *     pledge_layout_load(&lay, "layouts/vaimh-code.md", &err);
 *     pledge_render_pdf(eng, lay, &person, &opts, &pdf, &len, &err);
 */
#ifndef PLEDGE_H
#define PLEDGE_H

#include <stddef.h>

#define PLEDGE_VERSION "0.4.0"

typedef struct {
    char msg[512];
} pledge_err;

/* Fonts, hyphenation patterns and everything a render shares: open once,
 * render many. */
typedef struct pledge_engine pledge_engine;

/* A parsed layout: front matter plus the document model of its body. */
typedef struct pledge_layout pledge_layout;

typedef enum {
    PLEDGE_PAPER_DEFAULT = 0,   /* the layout's own page size */
    PLEDGE_PAPER_LETTER,
    PLEDGE_PAPER_A4
} pledge_paper;

/* The personal fields of one pledge.  All strings are UTF-8; NULL or "" for
 * an absent optional field.  date is YYYY-MM-DD. */
typedef struct {
    const char *name;           /* required */
    const char *credentials;
    const char *member_id;
    const char *date;           /* required */
} pledge_person;

/* An Ed25519 secret key, kept in locked memory (see the key functions
 * below). */
typedef struct pledge_seckey pledge_seckey;

/* Who signs a pledge, and when. */
typedef struct {
    const pledge_seckey *key;
    const char *signer;         /* the name the panel shows and the
                                   signature records */
    long long time;             /* signing time (Unix seconds, UTC) */
    int association;            /* non-zero: the key is the association's
                                   (the seal says the association issued
                                   the pledge); zero: its applicant's */
} pledge_signing;

typedef struct {
    pledge_paper paper;
    long long epoch;            /* document timestamp (Unix seconds, UTC) */
    const pledge_signing *sign; /* NULL: not signed */
} pledge_render_opts;

/* Opens the engine over a data directory holding fonts/ and the hyphenation
 * patterns it names.  On error returns -1 and leaves *out untouched.
 * The caller frees *out with pledge_engine_close(). */
int pledge_engine_open(pledge_engine **out, const char *datadir,
                       pledge_err *err);
void pledge_engine_close(pledge_engine *eng);

/* Reads and checks a layout file.  Every error names the file and line.
 * On error returns -1 and leaves *out untouched.
 * The caller frees *out with pledge_layout_free(). */
int pledge_layout_load(pledge_layout **out, const char *path, pledge_err *err);

/* Loads a layout by id (layouts/ID.md in datadir) or by path (anything
 * holding a '/' or ending in ".md").  An unknown id is an error that says
 * so.  On error returns -1 and leaves *out untouched.
 * The caller frees *out with pledge_layout_free(). */
int pledge_layout_open(pledge_layout **out, const char *datadir,
                       const char *id_or_path, pledge_err *err);
void pledge_layout_free(pledge_layout *lay);

/* Read-only facts about a loaded layout.  The returned strings belong to
 * the layout and live as long as it does. */
const char *pledge_layout_id(const pledge_layout *lay);
const char *pledge_layout_association(const pledge_layout *lay);
const char *pledge_layout_short_name(const pledge_layout *lay);
const char *pledge_layout_title(const pledge_layout *lay);
const char *pledge_layout_revision(const pledge_layout *lay);
const char *pledge_layout_path(const pledge_layout *lay);   /* as loaded */

/* Whether a layout's revision (as its front matter or a claim gives it)
 * names a revision a reader can look up: not empty and not "Undated
 * ...", a note for editors that the pledge never prints. */
int pledge_layout_revision_dated(const char *revision);

/* The hash a signed pledge's claim carries as its `text` field: the
 * BLAKE2b-256 of the layout's text (docs/signature-format.md), in 64
 * lowercase hex digits.  An association publishes it so that anyone can
 * check which text a pledge holds. */
int pledge_layout_text_hash(const pledge_layout *lay, char out[65],
                            pledge_err *err);

/* What a pledge made from lay should be rendered with a warning about,
 * or NULL: a commitment the layout supplied that the association has not
 * confirmed.  The string is static. */
const char *pledge_layout_warning(const pledge_layout *lay);

/* Typesets one pledge and writes it as a PDF into a malloc'd buffer,
 * signed when opts->sign is set (see pledge_sign_pdf()).  On error
 * returns -1 and leaves *pdf and *len untouched.
 * The caller frees *pdf with free(). */
int pledge_render_pdf(pledge_engine *eng, const pledge_layout *lay,
                      const pledge_person *person,
                      const pledge_render_opts *opts,
                      unsigned char **pdf, size_t *len, pledge_err *err);

/* ---- Keys: Ed25519 in minisign's file formats ----
 *
 * Files written here are read by minisign and the other way round; their
 * comment lines may record the signer's name.  Secret keys live in
 * sodium_malloc() memory, inaccessible outside the calls that use them. */

#define PLEDGE_KEY_ID_BYTES 8
#define PLEDGE_KEY_PK_BYTES 32

typedef struct {
    unsigned char id[PLEDGE_KEY_ID_BYTES];   /* as stored: little-endian */
    unsigned char pk[PLEDGE_KEY_PK_BYTES];
} pledge_pubkey;


/* Writes the key id as minisign shows it (the little-endian u64 in 16
 * uppercase hex digits) into out, NUL-terminated. */
void pledge_key_id_hex(const unsigned char id[PLEDGE_KEY_ID_BYTES],
                       char out[17]);

/* Makes a new key pair with a random key id.  On error returns -1 and
 * leaves *sk untouched.
 * The caller frees *sk with pledge_seckey_free(). */
int pledge_key_generate(pledge_seckey **sk, pledge_pubkey *pk,
                        pledge_err *err);

/* A signer name is at most PLEDGE_SIGNER_MAX characters; a buffer of
 * PLEDGE_SIGNER_BYTES holds any of them in UTF-8 with its NUL.  The longest
 * comment line is then 866 bytes with its newline, inside the 1024-byte
 * buffer minisign reads it into. */
#define PLEDGE_SIGNER_MAX 200
#define PLEDGE_SIGNER_BYTES (PLEDGE_SIGNER_MAX * 4 + 1)

/* Checks a signer name: valid UTF-8, no control characters (a newline
 * would end the comment line), not empty or blank, at most
 * PLEDGE_SIGNER_MAX characters.  Returns 0, or -1 with err saying why
 * ("signer name is blank"). */
int pledge_key_check_signer(const char *name, pledge_err *err);

/* The signer a key file stands for when its comment names none: its file
 * name without ".pub" or ".key", into out (cap bytes). */
void pledge_key_file_signer(const char *path, char *out, size_t cap);

/* Reads a public key file; signer as for pledge_key_parse_public().  On
 * error returns -1 and leaves *pk and signer untouched. */
int pledge_key_read_public(const char *path, pledge_pubkey *pk,
                           char *signer, pledge_err *err);

/* Writes a public key file (mode 0644) through a temporary file and a
 * rename, naming signer in its comment unless signer is NULL.  An existing
 * path is an error unless force is non-zero, as is a signer that fails
 * pledge_key_check_signer() (then nothing is written). */
int pledge_key_write_public(const char *path, const pledge_pubkey *pk,
                            const char *signer, int force, pledge_err *err);

/* Flags for reading a secret key file.  By default, as ssh does, a secret
 * key file that is not a regular file, or whose mode grants its group or
 * others any access (mode & 077), is refused with the chmod that fixes it:
 * whoever else could read it may have copied the key.
 * PLEDGE_KEY_ALLOW_INSECURE accepts such a mode (a regular file is still
 * required). */
#define PLEDGE_KEY_ALLOW_INSECURE 0x1u

/* Sets *enc to 1 when the secret key file at path is encrypted and to 0
 * when it is not, so that a caller asks for a passphrase only when one is
 * needed.  The file is checked as pledge_key_read_secret() checks it
 * (flags as there), so a refused key is refused before any prompt.  Only
 * the key's header is looked at: a corrupt key can pass here and fail in
 * pledge_key_read_secret().  On error returns -1 and leaves *enc
 * untouched. */
int pledge_key_is_encrypted(const char *path, unsigned flags, int *enc,
                            pledge_err *err);

/* Reads a secret key file.  flags are PLEDGE_KEY_* flags (0: refuse a key
 * others can access).  passphrase is needed when the key is encrypted and
 * ignored when it is not (it may then be NULL).  A wrong passphrase is
 * reported as such (the checksum does not match).  signer as for
 * pledge_key_parse_public().  On error returns -1 and leaves *sk and
 * signer untouched.
 * The caller frees *sk with pledge_seckey_free(). */
int pledge_key_read_secret(const char *path, unsigned flags,
                           const char *passphrase, pledge_seckey **sk,
                           char *signer, pledge_err *err);

/* Writes a secret key file (mode 0600) through a temporary file and a
 * rename, encrypted with scrypt at minisign's limits when passphrase is not
 * NULL (which takes a second or two and 1 GiB), naming signer in its
 * comment unless signer is NULL.  An existing path is an error unless
 * force is non-zero, as is a signer that fails pledge_key_check_signer()
 * (then nothing is written). */
int pledge_key_write_secret(const char *path, const pledge_seckey *sk,
                            const char *signer, const char *passphrase,
                            int force, pledge_err *err);

/* The public half and key id of sk. */
void pledge_seckey_public(const pledge_seckey *sk, pledge_pubkey *pk);

/* Wipes and frees sk.  NULL is allowed. */
void pledge_seckey_free(pledge_seckey *sk);

/* ---- Signing ---- */

/* Signs a PDF.  A pledge this library made (it records what it was made
 * from) is made again with the signature panel filled in, after checking
 * that making it again unsigned gives exactly pdf -- so what is signed is
 * what was read; the layout must still be in the engine's data directory.
 * Any other PDF is signed by an incremental update with no visible panel.
 * Encrypted PDFs, PDFs with forms or signatures, and PDFs with
 * cross-reference streams other than a pledge base's are refused.  On error returns -1 and leaves
 * *out untouched.
 * The caller frees *out with free(). */
int pledge_sign_pdf(pledge_engine *eng, const unsigned char *pdf, size_t len,
                    const pledge_signing *sign, unsigned char **out,
                    size_t *outlen, pledge_err *err);

/* A detached signature over a whole signed pledge, in minisign's file
 * format, with the same trusted comment as the embedded signature, so
 * `minisign -Vm FILE -p KEY.pub` checks the file without pledge.  On error
 * returns -1 and leaves *out untouched.
 * The caller frees *out with free(). */
int pledge_sign_detached(const unsigned char *pdf, size_t len,
                         const pledge_seckey *sk, char **out,
                         size_t *outlen, pledge_err *err);

/* ---- Verifying ---- */

/* What a pledge signature attests, as its trusted comment records it
 * (docs/signature-format.md).  Strings are UTF-8; association, layout,
 * revision, applicant and text are empty for a PDF pledge did not make. */
#define PLEDGE_CLAIM_VALUE_BYTES 1024

typedef struct {
    char signer[PLEDGE_CLAIM_VALUE_BYTES];
    char key[17];
    char time[21];
    char association[PLEDGE_CLAIM_VALUE_BYTES];
    char layout[PLEDGE_CLAIM_VALUE_BYTES];
    char revision[PLEDGE_CLAIM_VALUE_BYTES];
    char applicant[PLEDGE_CLAIM_VALUE_BYTES];
    char text[65];
} pledge_claim;

#define PLEDGE_MEMBER_ID_BYTES 256

/* What an association's countersignature attests (an endorsement,
 * docs/signature-format.md): that the applicant key signed this very
 * pledge revision and belongs to the applicant named. */
typedef struct {
    char signer[PLEDGE_CLAIM_VALUE_BYTES];      /* the association's name */
    char key[17];                               /* the endorsing key's ID */
    char time[21];
    char association[PLEDGE_CLAIM_VALUE_BYTES];
    char applicant[PLEDGE_CLAIM_VALUE_BYTES];
    char member_id[PLEDGE_MEMBER_ID_BYTES];     /* "" when none */
    char applicant_key[57];     /* the applicant's public key, as the
                                   base64 line of its minisign key file */
    char signed_hash[65];       /* BLAKE2b-256 of the applicant's signed
                                   revision: bytes [0, its length) */
    char until[11];             /* YYYY-MM-DD, or "" for no expiry */
} pledge_endorsement;

typedef struct pledge_keyring pledge_keyring;

/* An empty keyring.  On error returns -1 and leaves *out untouched.
 * The caller frees *out with pledge_keyring_free(). */
int pledge_keyring_new(pledge_keyring **out, pledge_err *err);
void pledge_keyring_free(pledge_keyring *kr);

/* Adds one public key file and the role record beside it (NAME.role for
 * NAME.pub, docs/keyring.md), if there is one.  Its signer is the name the
 * record gives, else the file's name without ".pub" -- never the comment
 * inside the key file.  A second key with the same ID, or a record that
 * does not parse or names another key, is an error. */
int pledge_keyring_add_file(pledge_keyring *kr, const char *path,
                            pledge_err *err);

/* Adds a public key already in memory, named signer. */
int pledge_keyring_add_key(pledge_keyring *kr, const pledge_pubkey *pk,
                           const char *signer, pledge_err *err);

/* Adds every "*.pub" file in dir, in name order, as
 * pledge_keyring_add_file() does; a file that cannot be added is left out
 * with a warning (see pledge_keyring_warning()).  Returns -1 only when
 * dir cannot be listed. */
int pledge_keyring_add_dir(pledge_keyring *kr, const char *dir,
                           pledge_err *err);

size_t pledge_keyring_count(const pledge_keyring *kr);

/* What pledge_keyring_add_dir() left out, one line each ("keyring keys:
 * skipped x.pub: ..."): an unreadable key file, a key whose role record
 * is wrong, a key ID held twice (neither is then trusted, and a signature
 * by it is INVALID saying so).  The strings belong to the keyring. */
#define PLEDGE_KEYRING_WARNING_BYTES 1024
size_t pledge_keyring_warning_count(const pledge_keyring *kr);
const char *pledge_keyring_warning(const pledge_keyring *kr, size_t i);

#define PLEDGE_ROLE_MEMBER_ID_BYTES 256

/* One key a keyring holds and the operator's record of it
 * (docs/keyring.md), for a verifier built elsewhere (pledge web). */
typedef struct {
    pledge_pubkey pk;
    char id[17];                /* as minisign shows it */
    char name[PLEDGE_CLAIM_VALUE_BYTES];        /* the name to show */
    char file[1024];            /* the keyring file that holds it */
    char role[16];              /* "association", "applicant" or "" */
    char association[PLEDGE_CLAIM_VALUE_BYTES];
    char layouts[PLEDGE_CLAIM_VALUE_BYTES];     /* ids, space-separated */
    char applicant[PLEDGE_CLAIM_VALUE_BYTES];
    char member_id[PLEDGE_ROLE_MEMBER_ID_BYTES];
    char retired[11];           /* YYYY-MM-DD, or "" */
} pledge_keyring_entry;

/* The i-th key held (i < pledge_keyring_count()), into *e. */
void pledge_keyring_entry_get(const pledge_keyring *kr, size_t i,
                              pledge_keyring_entry *e);

/* How far the content of a pledge with a good signature was proven. */
typedef enum {
    PLEDGE_CONTENT_NOT_RUN = 0, /* pledge_verify_content() not called */
    PLEDGE_CONTENT_VERIFIED,    /* the very bytes the layout makes */
    PLEDGE_CONTENT_UNCHECKED    /* cannot be checked here: see why */
} pledge_content;

typedef struct {
    int valid;
    char reason[512];           /* why not valid */
    char key_id[17];            /* the signing key's ID, when known */
    char signer[PLEDGE_CLAIM_VALUE_BYTES];  /* from the keyring */
    char key_file[1024];        /* the keyring file that holds the key */
    char role[2 * PLEDGE_CLAIM_VALUE_BYTES]; /* what the key may sign, as
                                   recorded ("association ..."), or "" */
    char role_member_id[PLEDGE_ROLE_MEMBER_ID_BYTES]; /* the member ID an
                                   applicant key's role requires, or "" */
    char recorded_member_id[PLEDGE_CLAIM_VALUE_BYTES]; /* the member
                                   ID the pledge's inputs record, once
                                   pledge_verify_content() read them */
    pledge_claim claim;         /* the signed facts, when valid */
    pledge_pubkey key;          /* the key that made them, when valid */
    size_t gap_start, gap_end;  /* the unsigned /Contents, when valid */
    pledge_content content;
    char content_reason[512];
    char seal_id[65];           /* the ID of the seal its signature page
                                   shows, once pledge_verify_content()
                                   proved it; "" when it has none */   /* VERIFIED: what it is identical to;
                                   UNCHECKED: why it cannot be checked */
    /* A pledge countersigned by an association (endorsed): the fields
     * above are the applicant's signature over the first signed_len
     * bytes, these the association's over the whole file. */
    int endorsed;
    size_t signed_len;          /* the applicant's revision; the whole
                                   file when not endorsed */
    pledge_endorsement endorsement;
    char endorser[PLEDGE_CLAIM_VALUE_BYTES];    /* from the keyring */
    char endorser_key_file[1024];
    char endorser_role[2 * PLEDGE_CLAIM_VALUE_BYTES];
    char endorsement_seal[65];  /* the seal ID of the seal the panel
                                   shows (checked), or "" for none */
    /* A key retired (docs/keyring.md) signs what it signed before: the
     * day the signing or endorsing key was retired, or "". */
    char retired[11];
    char endorser_retired[11];
} pledge_verdict;

/* Verifies the pledge signature embedded in data (a whole file), the
 * signature's /M against its claim, and the claim against the role the
 * keyring records for the key.  A pledge with two signatures is accepted
 * only as pledge_endorse_pdf() writes it: the applicant's signed revision
 * (checked as above, its key taken from the endorsement unless the
 * keyring holds it) and then exactly the endorsement update, by a key
 * whose role is association.  Fills *v either way; returns 0 when all
 * that is valid, -1 when not.  Expiry is the caller's: compare
 * v->endorsement.until with the date it verifies at. */
int pledge_verify_pdf(const pledge_keyring *kr, const unsigned char *data,
                      size_t len, pledge_verdict *v);

/* Countersigns a pledge signed by its applicant (data, already verified
 * by the caller) as the association holding sk: appends one incremental
 * update with a second signature whose trusted comment is e (its key,
 * signed_hash and time-derived fields filled in here from sk and data;
 * e->time must be set).  For the same input the output is the same
 * bytes.  On error returns -1 and leaves *out untouched.
 * The caller frees *out with free(). */
int pledge_endorse_pdf(const unsigned char *data, size_t len,
                       const pledge_seckey *sk, const pledge_endorsement *e,
                       unsigned char **out, size_t *outlen, pledge_err *err);

/* The public key the keyring holds under the ID written as 16 hex digits
 * (as pledge_key_id_hex() writes it).  Returns 0, or -1 when not held. */
int pledge_keyring_find(const pledge_keyring *kr, const char *key_id,
                        pledge_pubkey *pk);

/* ---- Key rotation (docs/keyring.md) ---- */

/* A rotation statement: the new key vouches for the old, retired on a
 * date.  Makes it with new_sk for old_pk, retired (YYYY-MM-DD), as a
 * minisign signature file over the old key's base64 line and a line
 * feed.  The caller frees *out with free(). */
int pledge_rotation_make(const pledge_seckey *new_sk,
                         const pledge_pubkey *old_pk, const char *retired,
                         char **out, size_t *outlen, pledge_err *err);

/* Reads a rotation statement signed by a key kr holds with role
 * association, and holds the old key with the new key's role, retired
 * on the statement's date (a key ID kr already holds keeps its own
 * record).  pledge_keyring_add_dir() reads every NAME.rotation in its
 * directory this way, after its keys. */
int pledge_keyring_add_rotation(pledge_keyring *kr, const char *path,
                                pledge_err *err);

/* ---- Revocation: an association's signed list (docs/endorsement.md) ---- */

typedef struct pledge_revocations pledge_revocations;

/* One revocation: what it names (kind "member-id", "pledge", "key-id" or
 * "seal", and value), when (YYYY-MM-DD) and why. */
typedef struct {
    char kind[16];
    char value[256];
    char date[11];
    char reason[512];
} pledge_revocation;

/* Reads the list at path and its signature path.minisig, which must be
 * by a key kr holds with role association.  On error returns -1 naming
 * the file and leaves *out untouched.
 * The caller frees *out with pledge_revocations_free(). */
int pledge_revocations_read(const pledge_keyring *kr, const char *path,
                            pledge_revocations **out, pledge_err *err);
void pledge_revocations_free(pledge_revocations *r);

/* The list's sequence number, and the key ID that signed it. */
unsigned long pledge_revocations_sequence(const pledge_revocations *r);
const char *pledge_revocations_key(const pledge_revocations *r);

/* The list's entries, in its order: i < pledge_revocations_count().
 * The result belongs to r. */
size_t pledge_revocations_count(const pledge_revocations *r);
const pledge_revocation *pledge_revocations_entry(const pledge_revocations *r,
                                                  size_t i);

/* The revocation of r that names the pledge v verified (data its whole
 * file): its endorsement's member ID, its applicant revision, the
 * applicant's key or the key that endorsed or signed it; NULL when none.
 * Only a list signed by the key that endorsed or signed the pledge, or
 * by a key kr holds a rotation statement of vouching for that key (see
 * pledge_keyring_speaks_for()), revokes it.  The result belongs to r. */
const pledge_revocation *pledge_revocations_match(
    const pledge_keyring *kr, const pledge_revocations *r,
    const pledge_verdict *v, const unsigned char *data);

/* 1 when key by (16 hex digits) speaks for key key_id: the same key, or
 * one that vouched for it by a rotation statement in kr (directly or
 * along a chain of them), else 0. */
int pledge_keyring_speaks_for(const pledge_keyring *kr, const char *by,
                              const char *key_id);

/* Appends one revocation (kind as for pledge_revocation) to the list at
 * path, signed by sk, creating it at sequence 1 or checking the existing
 * list's signature by sk and raising its sequence by one.  Both files are
 * written whole (path.new, path.minisig.new) before the list and then its
 * signature are renamed into place; an append stopped between the two
 * renames is finished by the next (docs/endorsement.md).  On error
 * returns -1 and changes nothing (but a failed last rename, which the
 * next append finishes). */
int pledge_revocations_add(const pledge_seckey *sk, const char *path,
                           const char *kind, const char *value,
                           const char *date, const char *reason,
                           pledge_err *err);

/* After pledge_verify_pdf() returned 0: proves the content.  A pledge
 * that pledge made (it records /PledgeInputs) is made again from the
 * layout of the recorded id in layouts_dir (the verifier's own; never a
 * path from the file), for the recorded person and the panel its claim
 * implies, and compared byte for byte with data but for /Contents.  Sets
 * v->content: VERIFIED when identical; UNCHECKED, saying why, when the
 * PDF records no inputs, or this verifier lacks the layout, has another
 * revision of it, or another engine, font or pattern file than the
 * pledge records.  Returns 0 then; -1, with v->valid 0 and v->reason,
 * when the content contradicts the claim or differs from what the same
 * layout, engine and fonts make. */
int pledge_verify_content(pledge_engine *eng, const char *layouts_dir,
                          const unsigned char *data, size_t len,
                          pledge_verdict *v);

/* ---- Endorsing (docs/endorsement.md) ---- */

/* Checks that data is a pledge an association may endorse: not endorsed
 * already, VALID by a key kr holds (the applicant's), content included
 * (against layouts_dir, as pledge_verify_content()), signed under its
 * applicant's own name, and when member_id is not empty, recording no
 * other member ID.  Fills *v.  Returns 0; -1 when the pledge is refused
 * (err says why: "not endorsed: ..."); -2 when member_id contradicts the
 * member ID the pledge records (err names both). */
int pledge_endorse_check(pledge_engine *eng, const char *layouts_dir,
                         const pledge_keyring *kr, const unsigned char *data,
                         size_t len, const char *member_id,
                         pledge_verdict *v, pledge_err *err);

/* Endorses data, which pledge_endorse_check() passed into *v with the same
 * kr: the endorsement of s (the association's key, name and time)
 * certifying member_id and, when not empty, expiring after until
 * (YYYY-MM-DD).  Returns 0; -1 when the applicant signed after s->time
 * (which a verifier refuses); -2 when member_id or until is not
 * acceptable or the update cannot be made.  On error *out is untouched.
 * The caller frees *out with free(). */
int pledge_endorse_make(const pledge_keyring *kr, const pledge_verdict *v,
                        const unsigned char *data, size_t len,
                        const pledge_signing *s, const char *member_id,
                        const char *until, unsigned char **out,
                        size_t *outlen, pledge_err *err);

/* ---- Scanning a printed or photographed pledge for its seal ---- */

/* One QR code found in a picture. */
typedef struct {
    char *text;                 /* what it says, NUL-terminated */
    size_t len;                 /* bytes of text, NUL left out */
    int page;                   /* the PDF page it is on, from 1; 0 for
                                   a PNG or JPEG */
    char *page_text;            /* that PDF page's text (UTF-8), or NULL
                                   for a picture or a page without any */
} pledge_scan_code;

typedef struct {
    pledge_scan_code *code;
    size_t n;
} pledge_scan_codes;

/* Finds every QR code in the picture at path: a PNG, a JPEG, or a PDF
 * (every page, rendered).  Returns 0 with at least one code in *out; on
 * error returns -1 with a message without the path ("no QR code found",
 * "not a PNG, JPEG or PDF", "PNG: ...", a file or picture too large) and
 * out->n 0.  The caller frees *out with pledge_scan_free(). */
int pledge_scan_file(const char *path, pledge_scan_codes *out,
                     pledge_err *err);

/* As pledge_scan_file() over the bytes of such a file. */
int pledge_scan_data(const unsigned char *data, size_t len,
                     pledge_scan_codes *out, pledge_err *err);

void pledge_scan_free(pledge_scan_codes *c);

/* ---- The seal verify site (docs/web.md) ---- */

/* What marks a directory as pledge web's output, so a second run may
 * write into it again. */
#define PLEDGE_WEB_MARKER ".pledge-web"

/* The keys of kr and the entries of lists[0..nlists) (each already read
 * with pledge_revocations_read(), so signed by a key kr holds) as the
 * JSON the verify page reads.  On error returns -1 and leaves *out
 * untouched.  The caller frees *out with free(). */
int pledge_web_keyring_json(const pledge_keyring *kr,
                            pledge_revocations *const *lists, size_t nlists,
                            char **out, size_t *len, pledge_err *err);

/* Writes the verify site into out_dir: the built page's files from
 * page_dir (index.html, verify.js, style.css, sw.js) and keyring.js, the
 * keyring as pledge_web_keyring_json() gives it.  out_dir is made when
 * missing; an existing one must be empty or hold PLEDGE_WEB_MARKER.
 * Each file is written through a temporary file and renamed into place.
 * On error returns -1 naming the file. */
int pledge_web_write(const pledge_keyring *kr,
                     pledge_revocations *const *lists, size_t nlists,
                     const char *page_dir, const char *out_dir,
                     pledge_err *err);

#endif
