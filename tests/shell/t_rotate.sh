# t_rotate.sh - key rotation through the real binary: a role record's
# retired date, and a rotation statement by which a new key vouches for
# the old one, so that a reviewer with only the new key verifies old
# pledges up to the retirement and refuses later ones.

unset PLEDGE_PASSPHRASE_FILE PLEDGE_KEYRING
export SOURCE_DATE_EPOCH=1795262400                 # 2026-11-21
A="Virginia Association for Infant Mental Health"
mkdir -p keys reviewer operator stranger
"$PLEDGE" keygen -o keys/old --no-passphrase --signer "$A" >/dev/null 2>&1
"$PLEDGE" keygen -o keys/new --no-passphrase --signer "$A" >/dev/null 2>&1
"$PLEDGE" keygen -o stranger/x --no-passphrase >/dev/null 2>&1
"$PLEDGE" keygen -o jane --no-passphrase --signer "Jane Doe" >/dev/null 2>&1
idof() { head -1 "$1" | sed 's/.*public key \([0-9A-F]*\).*/\1/'; }
old=$(idof keys/old.pub) new=$(idof keys/new.pub)
role() { printf 'key: %s\nname: %s\nrole: association\nassociation: %s\n%s' \
    "$1" "$A" "$A" "$2"; }
role "$new" "" > reviewer/new.role
cp keys/new.pub reviewer/
"$PLEDGE" render -l vaimh-code -n "Ann Roe" --sign-with keys/old.key \
    -o before.pdf >/dev/null 2>&1
SOURCE_DATE_EPOCH=1796000000 "$PLEDGE" render -l vaimh-code -n "Bo Li" \
    --sign-with keys/old.key -o after.pdf >/dev/null 2>&1      # 2026-11-30
SOURCE_DATE_EPOCH=1798000000 "$PLEDGE" render -l vaimh-code -n "Cy Ng" \
    --sign-with keys/old.key -o late.pdf >/dev/null 2>&1       # 2026-12-23

expect_exit 1 "without a statement the old key is unknown" "$PLEDGE" verify \
    --keyring reviewer before.pdf
expect_exit 0 "rotate" "$PLEDGE" rotate --old keys/old.pub --key keys/new.key \
    --retired 2026-12-01 -o reviewer/new.rotation
tail -n 1 keys/old.pub > old.line
check "minisign -V checks the statement" minisign -Vm old.line \
    -x reviewer/new.rotation -p keys/new.pub
expect_exit 0 "old pledge VALID with the new key only" "$PLEDGE" verify \
    --keyring reviewer before.pdf
contains "retired key said" "$WORK/stdout" \
    "signed with the retired key $old, retired on 2026-12-01"
contains "vouched for said" "$WORK/stdout" "vouched for by key $new"
expect_exit 0 "signed before retirement" "$PLEDGE" verify --keyring reviewer \
    after.pdf
expect_exit 1 "signed after retirement INVALID" "$PLEDGE" verify \
    --keyring reviewer late.pdf
contains "after retirement named" "$WORK/stdout" \
    "signed at 2026-12-23T04:26:40Z with key $old, which was retired on 2026-12-01"
expect_exit 1 "json says retired too" "$PLEDGE" verify --json \
    --keyring reviewer late.pdf
contains "json reason" "$WORK/stdout" "which was retired on 2026-12-01"

# The operator's own record of the old key, with retired:.
cp keys/old.pub operator/
role "$old" "retired: 2026-12-01
" > operator/old.role
expect_exit 0 "retired in a role record, before" "$PLEDGE" verify \
    --keyring operator before.pdf
contains "record's retirement said" "$WORK/stdout" "retired on 2026-12-01"
expect_exit 1 "retired in a role record, after" "$PLEDGE" verify \
    --keyring operator late.pdf
role "$old" "retired: 2026-13-01
" > operator/old.role
expect_exit 2 "a bad retired date leaves the key out" "$PLEDGE" verify \
    --keyring operator before.pdf
contains "bad date named" "$WORK/stderr" "retired \"2026-13-01\" is not YYYY-MM-DD"

# An endorsement by a retired key, made after its retirement.
"$PLEDGE" render -l vaimh-code -n "Jane Doe" --sign-with jane.key \
    -o jane.pdf >/dev/null 2>&1
SOURCE_DATE_EPOCH=1798000000 "$PLEDGE" endorse jane.pdf --key keys/old.key \
    --applicant-key jane.pub -o jane-late.pdf >/dev/null 2>&1
"$PLEDGE" endorse jane.pdf --key keys/old.key --applicant-key jane.pub \
    -o jane-ok.pdf >/dev/null 2>&1
expect_exit 0 "endorsed before retirement" "$PLEDGE" verify \
    --keyring reviewer jane-ok.pdf
contains "endorser retired said" "$WORK/stdout" "retired key $old"
expect_exit 1 "endorsed after retirement" "$PLEDGE" verify \
    --keyring reviewer jane-late.pdf
contains "endorsement retirement named" "$WORK/stdout" "which was retired on"

# A statement by a key that is not an association's vouches for nothing.
mkdir -p r2
cp stranger/x.pub r2/
"$PLEDGE" rotate --old keys/old.pub --key stranger/x.key \
    --retired 2026-12-01 -o r2/x.rotation >/dev/null 2>&1
expect_exit 1 "stranger's statement ignored" "$PLEDGE" verify --keyring r2 \
    before.pdf
contains "stranger's statement warned" "$WORK/stderr" \
    "skipped x.rotation: read r2/x.rotation: signed by key ID"
expect_exit 2 "rotate needs a date" "$PLEDGE" rotate --old keys/old.pub \
    --key keys/new.key --retired soon -o x.rotation

# A revocation list signed by the new key speaks for the pledges of the
# key it vouched for: beside the new key, or given with --revocations.
expect_exit 0 "the new key revokes an old key's pledge" "$PLEDGE" revoke \
    --key keys/new.key --list reviewer/new.revoked --pledge before.pdf \
    --reason "issued in error" --date 2026-12-05
expect_exit 1 "REVOKED by the new key's list" "$PLEDGE" verify \
    --keyring reviewer before.pdf
contains "revocation named" "$WORK/stdout" "on 2026-12-05: issued in error"
expect_exit 0 "revoke an endorsement of the old key" "$PLEDGE" revoke \
    --key keys/new.key --list new2.revoked --pledge jane-ok.pdf \
    --reason "left" --date 2026-12-05
expect_exit 1 "an old key's endorsement REVOKED by the new key's list" \
    "$PLEDGE" verify --keyring reviewer --revocations new2.revoked jane-ok.pdf
contains "endorsement revoked" "$WORK/stdout" "REVOKED  jane-ok.pdf"
expect_exit 0 "a pledge the list does not name stays VALID" "$PLEDGE" \
    verify --keyring reviewer after.pdf
# Another association key, which vouched for nothing, speaks for nothing.
mkdir -p r3
cp reviewer/new.pub reviewer/new.role reviewer/new.rotation r3/
"$PLEDGE" keygen -o keys/third --no-passphrase --signer "$A" >/dev/null 2>&1
cp keys/third.pub r3/
role "$(idof keys/third.pub)" "" > r3/third.role
"$PLEDGE" revoke --key keys/third.key --list r3/third.revoked \
    --pledge before.pdf --reason "not ours" >/dev/null 2>&1
expect_exit 0 "an unrelated key's list does not revoke" "$PLEDGE" verify \
    --keyring r3 before.pdf
