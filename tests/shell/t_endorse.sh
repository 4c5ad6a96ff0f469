# t_endorse.sh - the endorsement chain through the real binary: the
# worked example of docs/endorsement.md run as written, then what endorse
# refuses and what verify says of each kind of pledge.

unset PLEDGE_PASSPHRASE_FILE PLEDGE_KEYRING
mkdir -p bin
ln -s "$PLEDGE" bin/pledge
awk '/^```sh/ { p = 1; next } p && /^```/ { p = 0 } p' \
    "$TOP/docs/endorsement.md" > example.sh
PATH="$PWD/bin:$PATH" expect_exit 0 "the worked example runs" sh -e example.sh
cp "$WORK/stdout" example.out
contains "reviewer gets VALID with the association's key only" example.out \
    "VALID    jane-endorsed.pdf"
contains "verify names the kind" example.out \
    "kind         applicant-signed, endorsed by the association"
contains "applicant's key certified" example.out \
    "certified by the endorsement"
contains "endorser shown" example.out \
    "endorsed by  Virginia Association for Infant Mental Health"
contains "endorsement time shown" example.out \
    "endorsed at  2026-11-22T12:00:00Z"
contains "expiry shown" example.out "valid until  2027-12-31"
contains "member ID shown" example.out "member ID    VA-0142"
contains "the panel's seal shown" example.out "  seal         "
contains "content checked" example.out "content      identical to what layout"
contains "EXPIRED at a later date" example.out "EXPIRED  jane-endorsed.pdf"
contains "EXPIRED exits 1" example.out "expired after 2027-12-31 (exit 1)"
contains "summary counts it expired" example.out "0 invalid, 0 unreadable, 0 unchecked, 1 expired"
contains "minisign checks both signatures" example.out \
    "Signature and comment signature verified"
[ "$(grep -c 'Signature and comment signature verified' example.out)" -eq 2 ] &&
    pass "minisign checks each signature" ||
    fail "minisign checks each signature ($(cat example.out))"

export SOURCE_DATE_EPOCH=1795262400
expect_exit 1 "--json EXPIRED" "$PLEDGE" verify --json --keyring reviewer \
    --at 2028-01-01 jane-endorsed.pdf
contains "json verdict expired" "$WORK/stdout" '"verdict":"expired"'
contains "json endorsed" "$WORK/stdout" '"endorsed":true'
expect_exit 0 "--json VALID until then" "$PLEDGE" verify --json \
    --keyring reviewer --at 2027-12-31 jane-endorsed.pdf
contains "json valid" "$WORK/stdout" '"verdict":"valid"'
contains "json endorser" "$WORK/stdout" \
    '"endorser":"Virginia Association for Infant Mental Health"'
contains "json expiry" "$WORK/stdout" '"endorsed_until":"2027-12-31"'
grep -q '"endorsement_seal":"[0-9a-f]\{64\}"' "$WORK/stdout" &&
    pass "json seal ID" || fail "json seal ID: $(cat "$WORK/stdout")"
one_line "json one line" "$WORK/stdout"
expect_exit 2 "--at must be a date" "$PLEDGE" verify --keyring reviewer \
    --at tomorrow jane-endorsed.pdf

# The kinds: applicant-signed only needs the applicant's key.
expect_exit 1 "applicant-signed only: unknown to the reviewer" \
    "$PLEDGE" verify --keyring reviewer jane.pdf
expect_exit 0 "applicant-signed only, with the applicant's key" \
    "$PLEDGE" verify --key applicant/jane.pub jane.pdf
"$PLEDGE" render -l vaimh-code -n "Ann Roe" --sign-with assoc/vaimh.key \
    -o ann.pdf >/dev/null 2>&1
expect_exit 0 "association-signed" "$PLEDGE" verify --keyring reviewer ann.pdf
contains "kind association" "$WORK/stdout" \
    "kind         signed by the association itself"

# What endorse refuses, exit status and one line naming the file.
expect_exit 1 "endorse an endorsed pledge" "$PLEDGE" endorse \
    jane-endorsed.pdf --key assoc/vaimh.key \
    --applicant-key applicant/jane.pub -o again.pdf
contains "already endorsed named" "$WORK/stderr" \
    "jane-endorsed.pdf: it is endorsed already"
[ ! -e again.pdf ] && pass "nothing written" || fail "again.pdf written"
expect_exit 1 "endorse with the wrong applicant key" "$PLEDGE" endorse \
    jane.pdf --key assoc/vaimh.key --applicant-key assoc/vaimh.pub \
    -o wrong.pdf
contains "unknown key named" "$WORK/stderr" "not endorsed: signed by unknown key"
head -c 2000 jane.pdf > cut.pdf
expect_exit 1 "endorse a damaged pledge" "$PLEDGE" endorse cut.pdf \
    --key assoc/vaimh.key --applicant-key applicant/jane.pub -o cut-e.pdf
# The pledge is checked before the association's key is opened: no
# passphrase is asked for a pledge that will not be endorsed.
printf 'a long enough passphrase\n' > pass.txt
"$PLEDGE" keygen -o assoc/locked --passphrase-file pass.txt >/dev/null 2>&1
expect_exit 1 "a damaged pledge refused before the key is opened" \
    "$PLEDGE" endorse cut.pdf --key assoc/locked.key \
    --passphrase-file missing.txt --applicant-key applicant/jane.pub \
    -o cut-e.pdf
contains "the pledge named, not the passphrase" "$WORK/stderr" \
    "cut.pdf: not endorsed: not a readable PDF"
"$PLEDGE" keygen -o applicant/bob --no-passphrase >/dev/null 2>&1
"$PLEDGE" render -l vaimh-code -n "Bob Poe" --sign-with applicant/bob.key \
    -o bob.pdf >/dev/null 2>&1
expect_exit 1 "endorse a pledge signed under another name" "$PLEDGE" \
    endorse bob.pdf --key assoc/vaimh.key --applicant-key applicant/bob.pub \
    -o bob-e.pdf
contains "signer named" "$WORK/stderr" "not by its applicant \"Bob Poe\""
expect_exit 2 "--until must be a date" "$PLEDGE" endorse jane.pdf \
    --key assoc/vaimh.key --applicant-key applicant/jane.pub \
    --until 2027-13-01 -o x.pdf
expect_exit 2 "-o is required" "$PLEDGE" endorse jane.pdf \
    --key assoc/vaimh.key --applicant-key applicant/jane.pub
expect_exit 2 "-o must not be the input" "$PLEDGE" endorse jane.pdf \
    --key assoc/vaimh.key --applicant-key applicant/jane.pub -o jane.pdf

expect_exit 2 "endorse under another member ID" "$PLEDGE" endorse jane.pdf \
    --key assoc/vaimh.key --applicant-key applicant/jane.pub \
    --member-id VA-9999 -o other-id.pdf
contains "both member IDs named" "$WORK/stderr" \
    "jane.pdf: not endorsed: it is to certify member ID \"VA-9999\", but the pledge records member ID \"VA-0142\""
[ ! -e other-id.pdf ] && pass "no endorsement under another ID written" ||
    fail "other-id.pdf written"

SOURCE_DATE_EPOCH=1795200000 expect_exit 1 "endorse before the applicant signed" \
    "$PLEDGE" endorse jane.pdf --key assoc/vaimh.key \
    --applicant-key applicant/jane.pub -o early.pdf
contains "times named" "$WORK/stderr" \
    "it is signed at 2026-11-21T12:00:00Z, after the endorsement's time"
[ ! -e early.pdf ] && pass "no early endorsement written" ||
    fail "early.pdf written"

# An endorsement by a key the reviewer does not record as an
# association's: the same key without its role record.
mkdir -p norole
cp assoc/vaimh.pub norole/
expect_exit 1 "endorser without the association role" "$PLEDGE" verify \
    --keyring norole jane-endorsed.pdf
contains "role named" "$WORK/stdout" "not record as an association's key"

# One byte after the association's signature.
cp jane-endorsed.pdf tail.pdf
printf '\n' >> tail.pdf
expect_exit 1 "a byte after the endorsement" "$PLEDGE" verify \
    --keyring reviewer tail.pdf
contains "appended named" "$WORK/stdout" "added after signing"
