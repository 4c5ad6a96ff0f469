# t_batchendorse.sh - pledge batch --endorse through the real binary: a
# roster of applicant-signed pledges in, endorsed pledges and a manifest
# out; a refused pledge fails its row alone; a rerun keeps what is done;
# verify checks the directory and its manifest.

unset PLEDGE_PASSPHRASE_FILE PLEDGE_KEYRING
export SOURCE_DATE_EPOCH=1795262400     # 2026-11-21T12:00:00Z
mkdir -p assoc apps secret roster/in reviewer
"$PLEDGE" keygen -o assoc/vaimh --no-passphrase \
    --signer "Virginia Association for Infant Mental Health" >/dev/null 2>&1
id=$(head -1 assoc/vaimh.pub | sed 's/.*public key \([0-9A-F]*\).*/\1/')
cat > reviewer/vaimh.role <<END
key: $id
name: Virginia Association for Infant Mental Health
role: association
association: Virginia Association for Infant Mental Health
END
cp assoc/vaimh.pub reviewer/

# Three applicants sign their own pledges; Ann's is then tampered with.
applicant() {   # KEYNAME "NAME" [MEMBER-ID]
    "$PLEDGE" keygen -o "apps/$1" --no-passphrase --signer "$2" \
        >/dev/null 2>&1
    mv "apps/$1.key" secret/
    "$PLEDGE" render -l vaimh-code -n "$2" ${3:+--id "$3"} \
        --sign-with "secret/$1.key" -o "roster/in/$1.pdf" >/dev/null 2>&1
}
applicant jane "Jane Doe" VA-0142
applicant bob "Bob Poe"
applicant ann "Ann Roe" VA-0200
cp roster/in/ann.pdf ann-good.pdf
printf 'X' | dd of=roster/in/ann.pdf bs=1 seek=3000 conv=notrunc 2>/dev/null
cat > roster/list.csv <<END
pledge,member-id,until,email
in/jane.pdf,VA-0142,2027-12-31,jane@example.org
in/ann.pdf,VA-0200,,
in/bob.pdf,,,
in/gone.pdf,,,
END

export SOURCE_DATE_EPOCH=1795348800     # endorsed a day later
expect_exit 2 "a refused pledge fails the run" "$PLEDGE" batch --endorse \
    roster/list.csv --key assoc/vaimh.key --applicant-keys apps --out out \
    --jobs 2
m=out/manifest.jsonl
contains "summary counts" "$WORK/stderr" "4 rows: 2 made, 0 kept, 2 failed"
contains "tampered row named with its reason" "$WORK/stderr" \
    "list.csv row 2: roster/in/ann.pdf: not endorsed: signature does not match"
contains "missing pledge named" "$WORK/stderr" \
    "list.csv row 4: read roster/in/gone.pdf:"
contains "jane made" "$m" '"row":1,"file":"0001-jane-doe.pdf"'
contains "jane's row made" "$m" '"status":"made","key_id":"'"$id"'"'
contains "ann failed with reason" "$m" \
    '"row":2,"file":"","sha256":"","status":"failed"'
contains "bob made" "$m" '"row":3,"file":"0003-bob-poe.pdf"'
[ "$(wc -l < "$m")" -eq 4 ] && pass "one manifest row per roster row" ||
    fail "manifest rows: $(wc -l < "$m")"
[ ! -e out/0002-ann-roe.pdf ] && pass "nothing written for the refused" ||
    fail "0002-ann-roe.pdf written"

expect_exit 0 "the reviewer verifies the directory" "$PLEDGE" verify \
    --keyring reviewer out
contains "both valid" "$WORK/stdout" "2 valid, 0 invalid"
contains "endorsed kind" "$WORK/stdout" \
    "kind         applicant-signed, endorsed by the association"
contains "member ID certified" "$WORK/stdout" "member ID    VA-0142"
contains "expiry certified" "$WORK/stdout" "valid until  2027-12-31"
contains "endorsement time" "$WORK/stdout" "endorsed at  2026-11-22T12:00:00Z"

# Same bytes as endorse makes, one at a time, at the same time.
"$PLEDGE" endorse roster/in/jane.pdf --key assoc/vaimh.key \
    --applicant-key apps/jane.pub --member-id VA-0142 --until 2027-12-31 \
    -o jane-one.pdf >/dev/null 2>&1
check "batch endorses as endorse does" cmp jane-one.pdf out/0001-jane-doe.pdf

# A rerun, later, keeps what is done (the first run's time) and makes
# the row that now has a good pledge.
cp ann-good.pdf roster/in/ann.pdf
cp out/0001-jane-doe.pdf jane-first.pdf
SOURCE_DATE_EPOCH=1795400000 expect_exit 2 "rerun (gone.pdf still fails)" \
    "$PLEDGE" batch --endorse roster/list.csv --key assoc/vaimh.key \
    --applicant-keys apps --out out
contains "rerun summary" "$WORK/stderr" "4 rows: 1 made, 2 kept, 1 failed"
contains "ann made on rerun" "$m" '"row":2,"file":"0002-ann-roe.pdf"'
check "kept file untouched" cmp jane-first.pdf out/0001-jane-doe.pdf
expect_exit 0 "rerun's directory verifies" "$PLEDGE" verify \
    --keyring reviewer out
contains "three valid" "$WORK/stdout" "3 valid, 0 invalid"

# An endorsed pledge changed on disk is not kept: the manifest catches it,
# and a rerun makes it again.
printf 'Y' | dd of=out/0003-bob-poe.pdf bs=1 seek=3000 conv=notrunc \
    2>/dev/null
expect_exit 1 "a changed endorsed pledge is INVALID" "$PLEDGE" verify \
    --keyring reviewer out
"$PLEDGE" batch --endorse roster/list.csv --key assoc/vaimh.key \
    --applicant-keys apps --out out 2>"$WORK/stderr"
contains "changed pledge made again" "$WORK/stderr" \
    "4 rows: 1 made, 2 kept, 1 failed"
check "and verifies" "$PLEDGE" verify --keyring reviewer out

# A member ID other than the pledge's, and usage errors.
printf 'pledge,id\nin/jane.pdf,VA-9999\n' > roster/other.csv
expect_exit 2 "another member ID refused" "$PLEDGE" batch --endorse \
    roster/other.csv --key assoc/vaimh.key --applicant-keys apps --out o2
contains "both member IDs named" "$WORK/stderr" \
    "member ID \"VA-9999\", but the pledge records member ID \"VA-0142\""
printf 'name\nJane Doe\n' > names.csv
expect_exit 2 "an endorsement roster needs a pledge column" "$PLEDGE" \
    batch --endorse names.csv --key assoc/vaimh.key --applicant-keys apps \
    --out o3
contains "pledge column named" "$WORK/stderr" \
    "read names.csv line 1: no 'pledge' column (columns: name)"
[ ! -e o3 ] && pass "no directory left" || fail "o3 left behind"
expect_exit 2 "--layout is not for --endorse" "$PLEDGE" batch --endorse \
    roster/list.csv --layout vaimh-code --key assoc/vaimh.key --out o4
expect_exit 2 "--applicant-keys needs --endorse" "$PLEDGE" batch \
    roster/list.csv --layout vaimh-code --applicant-keys apps \
    --key assoc/vaimh.key --out o5
expect_exit 2 "applicant keys must be a directory" "$PLEDGE" batch \
    --endorse roster/list.csv --key assoc/vaimh.key \
    --applicant-keys nowhere --out o6
