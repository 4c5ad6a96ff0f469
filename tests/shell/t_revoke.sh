# t_revoke.sh - revocation lists through the real binary: pledge revoke
# appends and signs, minisign checks the list, verify gives REVOKED with
# date and reason from a given list or one beside the key in the keyring,
# and refuses an older list in place of a newer one.

unset PLEDGE_PASSPHRASE_FILE PLEDGE_KEYRING
export SOURCE_DATE_EPOCH=1795262400
mkdir -p assoc reviewer other
"$PLEDGE" keygen -o assoc/vaimh --no-passphrase \
    --signer "Virginia Association for Infant Mental Health" >/dev/null 2>&1
"$PLEDGE" keygen -o jane --no-passphrase --signer "Jane Doe" >/dev/null 2>&1
"$PLEDGE" keygen -o other/x --no-passphrase >/dev/null 2>&1
id=$(head -1 assoc/vaimh.pub | sed 's/.*public key \([0-9A-F]*\).*/\1/')
printf 'key: %s\nname: Virginia Association for Infant Mental Health\nrole: association\nassociation: Virginia Association for Infant Mental Health\n' \
    "$id" > assoc/vaimh.role
cp assoc/vaimh.pub assoc/vaimh.role reviewer/
"$PLEDGE" render -l vaimh-code -n "Jane Doe" --id VA-0142 \
    --sign-with jane.key -o jane.pdf >/dev/null 2>&1
"$PLEDGE" endorse jane.pdf --key assoc/vaimh.key --applicant-key jane.pub \
    --member-id VA-0142 -o endorsed.pdf >/dev/null 2>&1
"$PLEDGE" render -l vaimh-code -n "Ann Roe" --sign-with assoc/vaimh.key \
    -o ann.pdf >/dev/null 2>&1
expect_exit 0 "not revoked yet" "$PLEDGE" verify --keyring reviewer endorsed.pdf

expect_exit 0 "revoke by member ID" "$PLEDGE" revoke --key assoc/vaimh.key \
    --list revoked.list --member-id VA-0142 --reason "left the association" \
    --date 2026-12-01
check "minisign -V checks the list" minisign -Vm revoked.list \
    -p assoc/vaimh.pub
contains "sequence 1 signed" revoked.list "sequence:1"
expect_exit 1 "REVOKED exits 1" "$PLEDGE" verify --keyring reviewer \
    --revocations revoked.list endorsed.pdf
contains "REVOKED verdict" "$WORK/stdout" "REVOKED  endorsed.pdf"
contains "date and reason" "$WORK/stdout" \
    "on 2026-12-01: left the association (member-id VA-0142)"
contains "summary counts it" "$WORK/stdout" "1 revoked"
expect_exit 1 "--json REVOKED" "$PLEDGE" verify --json --keyring reviewer \
    --revocations revoked.list endorsed.pdf
contains "json verdict revoked" "$WORK/stdout" '"verdict":"revoked"'
contains "json reason" "$WORK/stdout" '"reason":"left the association"'
expect_exit 0 "another pledge is not revoked" "$PLEDGE" verify \
    --keyring reviewer --revocations revoked.list ann.pdf
cp revoked.list old.list
cp revoked.list.minisig old.list.minisig

expect_exit 0 "revoke a pledge by file" "$PLEDGE" revoke \
    --key assoc/vaimh.key --list revoked.list --pledge ann.pdf \
    --reason "issued in error"
contains "sequence raised" revoked.list "sequence:2"
contains "first entry kept" revoked.list "left the association"
check "minisign -V checks the new list" minisign -Vm revoked.list \
    -p assoc/vaimh.pub
expect_exit 1 "association-signed pledge revoked" "$PLEDGE" verify \
    --keyring reviewer --revocations revoked.list ann.pdf
contains "pledge revocation shown" "$WORK/stdout" "issued in error (pledge "

# A list beside the key in the keyring is read without being named, and
# an older list offered in its place is refused.
cp revoked.list reviewer/vaimh.revoked
cp revoked.list.minisig reviewer/vaimh.revoked.minisig
expect_exit 1 "keyring list applies" "$PLEDGE" verify --keyring reviewer \
    endorsed.pdf
contains "keyring list REVOKED" "$WORK/stdout" "REVOKED  endorsed.pdf"
expect_exit 2 "older list refused" "$PLEDGE" verify --keyring reviewer \
    --revocations old.list endorsed.pdf
contains "older list named" "$WORK/stderr" \
    "old.list has sequence 1, older than the 2 of reviewer/vaimh.revoked"
rm reviewer/vaimh.revoked reviewer/vaimh.revoked.minisig

# A list edited after signing, or signed by a key that is not an
# association's, is an error naming it.
sed 's/left the association/moved away/' revoked.list > forged.list
cp revoked.list.minisig forged.list.minisig
expect_exit 2 "edited list refused" "$PLEDGE" verify --keyring reviewer \
    --revocations forged.list endorsed.pdf
contains "edited list named" "$WORK/stderr" "forged.list.minisig"
expect_exit 0 "a key's own list" "$PLEDGE" revoke --key other/x.key \
    --list x.list --member-id VA-0142 --reason r
expect_exit 2 "list by a non-association key refused" "$PLEDGE" verify \
    --keyring reviewer --revocations x.list endorsed.pdf
contains "non-association named" "$WORK/stderr" \
    "does not hold as an association's key"
expect_exit 2 "revoke another key's list" "$PLEDGE" revoke \
    --key other/x.key --list revoked.list --key-id "$id" --reason r
contains "other key's list named" "$WORK/stderr" \
    "revoked.list: revoke: the list is not one this key signed"
expect_exit 2 "revoke needs a reason" "$PLEDGE" revoke --key assoc/vaimh.key \
    --list revoked.list --member-id X
expect_exit 2 "revoke needs one target" "$PLEDGE" revoke \
    --key assoc/vaimh.key --list revoked.list --member-id X --key-id Y \
    --reason r
expect_exit 2 "revoke needs a real date" "$PLEDGE" revoke \
    --key assoc/vaimh.key --list revoked.list --member-id X --reason r \
    --date 2026-1-1
expect_exit 0 "revoke by key ID" "$PLEDGE" revoke --key assoc/vaimh.key \
    --list revoked.list --key-id "$id" --reason "key compromised"
expect_exit 1 "key revocation applies to what it signed" "$PLEDGE" verify \
    --keyring reviewer --revocations revoked.list ann.pdf

# A revoke stopped between its two renames: the new list beside the old
# signature.  verify refuses that list (never passes it unseen); the next
# revoke finishes the staged signature and appends.
mkdir -p crash
"$PLEDGE" revoke --key assoc/vaimh.key --list crash/l --key-id 0000000000000001 \
    --reason one >/dev/null 2>&1
cp crash/l.minisig crash/old.minisig
"$PLEDGE" revoke --key assoc/vaimh.key --list crash/l --key-id 0000000000000002 \
    --reason two >/dev/null 2>&1
[ ! -e crash/l.new ] && [ ! -e crash/l.minisig.new ] &&
    pass "nothing staged is left behind" || fail "staged files left"
mv crash/l.minisig crash/l.minisig.new
cp crash/old.minisig crash/l.minisig
expect_exit 2 "a list beside an older signature is an error" "$PLEDGE" \
    verify --keyring reviewer --revocations crash/l endorsed.pdf
expect_exit 0 "the next revoke finishes the stopped one" "$PLEDGE" revoke \
    --key assoc/vaimh.key --list crash/l --key-id 0000000000000003 \
    --reason three
check "minisign -V checks the finished list" minisign -Vm crash/l \
    -p assoc/vaimh.pub
contains "every entry kept" crash/l "0000000000000002	"
contains "sequence raised past the stopped one" crash/l "sequence:3"
[ ! -e crash/l.minisig.new ] && pass "the staged signature was used" ||
    fail "crash/l.minisig.new left"
# A stop before the list's rename: the staged signature is not the
# list's; it is dropped, and the list in place is appended to.
printf 'junk' > crash/l.new
cp crash/old.minisig crash/l.minisig.new
expect_exit 0 "a stale staged signature is dropped" "$PLEDGE" revoke \
    --key assoc/vaimh.key --list crash/l --key-id 0000000000000004 \
    --reason four
contains "sequence 4" crash/l "sequence:4"
[ ! -e crash/l.new ] && [ ! -e crash/l.minisig.new ] &&
    pass "stale staged files removed" || fail "stale staged files left"
