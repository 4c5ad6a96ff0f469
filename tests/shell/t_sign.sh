# t_sign.sh - signing and verifying through the real binary: render
# --sign-with, sign, verify (text and JSON, exit codes), minisign checking
# what pledge signed (detached, and the embedded signature cut out with
# standard tools as docs/signature-format.md shows), and keys made by
# minisign signing pledges.

export SOURCE_DATE_EPOCH=1795262400
unset PLEDGE_PASSPHRASE_FILE PLEDGE_KEYRING
mkdir -p keys other
"$PLEDGE" keygen -o keys/vaimh --signer "Virginia Association for Infant Mental Health" \
    --no-passphrase >/dev/null 2>&1
"$PLEDGE" keygen -o other/stranger --no-passphrase >/dev/null 2>&1

# One step: render and sign.
expect_exit 0 "render --sign-with" "$PLEDGE" render -l vaimh-code -n "Jane Doe" \
    -c "IMH-E" -o signed.pdf --sign-with keys/vaimh.key --detached
check "signed pledge passes qpdf --check" qpdf --check signed.pdf
pdftotext signed.pdf signed.txt 2>/dev/null
contains "panel names the signer" signed.txt "Digitally signed by Virginia Association"
contains "panel shows the date" signed.txt "November 21, 2026"
id=$(sed -n 's/.*key ID \([0-9A-F]\{16\}\).*/\1/p' keys/vaimh.pub 2>/dev/null)
[ -n "$id" ] || id=$(head -1 keys/vaimh.pub | grep -o '[0-9A-F]\{16\}')
contains "panel shows the key ID" signed.txt "$id"

# Verify: the default keyring is keys/.
expect_exit 0 "verify with the default keyring" "$PLEDGE" verify signed.pdf
contains "verdict VALID" "$WORK/stdout" "VALID    signed.pdf"
contains "signer named from the key file's name, not its comment" \
    "$WORK/stdout" "signed by    vaimh (key ID $id"
contains "no recorded role said" "$WORK/stdout" "key role     none recorded"
contains "content proven" "$WORK/stdout" \
    "content      identical to what layout vaimh-code"
contains "applicant reported" "$WORK/stdout" "applicant    Jane Doe"
contains "signing time reported" "$WORK/stdout" "2026-11-21T12:00:00Z"
contains "association reported" "$WORK/stdout" \
    "association  Virginia Association for Infant Mental Health"
contains "layout and revision reported" "$WORK/stdout" \
    "layout       vaimh-code (undated)"
contains "summary line" "$WORK/stdout" "1 valid, 0 invalid, 0 unreadable"
expect_exit 0 "verify --key" "$PLEDGE" verify --key keys/vaimh.pub signed.pdf
expect_exit 0 "verify --json" "$PLEDGE" verify --json --keyring keys signed.pdf
contains "json verdict" "$WORK/stdout" '"valid":true'
contains "json applicant" "$WORK/stdout" '"applicant":"Jane Doe"'
contains "json layout" "$WORK/stdout" '"layout":"vaimh-code"'
one_line "json is one object per file" "$WORK/stdout"
PLEDGE_KEYRING=keys expect_exit 0 "keyring from PLEDGE_KEYRING" \
    "$PLEDGE" verify signed.pdf

# A good signature by a key not held is INVALID.
expect_exit 1 "unknown key is INVALID" "$PLEDGE" verify --keyring other signed.pdf
contains "unknown key named" "$WORK/stdout" "signed by unknown key ID $id"

# minisign checks what pledge signed, without pledge.
check "minisign -V checks the detached signature" \
    minisign -Vm signed.pdf -p keys/vaimh.pub
# The standard-tools recipe of docs/signature-format.md, run as written
# (t_hostile.sh runs it on forgeries).
awk '/^## Checking a pledge with standard tools alone/ { s = 1 }
     s && /^```sh/ { p = 1; next } p && /^```/ { exit } p' \
    "$TOP/docs/signature-format.md" > recipe.sh
cp signed.pdf pledge.pdf; cp keys/vaimh.pub signer.pub
check "minisign -V checks the embedded signature (docs recipe)" sh recipe.sh
sh recipe.sh >minisign.out 2>&1
contains "minisign shows the claim" minisign.out "applicant:Jane Doe"

# Two steps: render, then sign; the same bytes as one step.
"$PLEDGE" render -l vaimh-code -n "Jane Doe" -c "IMH-E" -o plain.pdf 2>/dev/null
expect_exit 1 "an unsigned pledge is INVALID" "$PLEDGE" verify plain.pdf
contains "unsigned reason" "$WORK/stdout" "not signed"
expect_exit 0 "pledge sign" "$PLEDGE" sign plain.pdf --key keys/vaimh.key
check "sign writes IN-signed.pdf" test -f plain-signed.pdf
check "sign = render --sign-with, byte for byte" cmp plain-signed.pdf signed.pdf
# Signing keeps what the pledge says of itself: its language, the title
# shown in the title bar, its metadata, and its document ID.
qpdf --show-object=trailer signed.pdf >trailer.txt 2>&1
root=$(sed -n 's|.*/Root \([0-9]*\) 0 R.*|\1|p' trailer.txt)
qpdf --show-object="$root" signed.pdf >catalog.txt 2>&1
contains "signed catalog keeps /Lang" catalog.txt "/Lang (en-US)"
contains "signed catalog keeps DisplayDocTitle" catalog.txt \
    "/ViewerPreferences << /DisplayDocTitle true >>"
contains "signed catalog keeps /Metadata" catalog.txt "/Metadata "
contains "signed catalog gains the form" catalog.txt "/AcroForm"
grep -a -o '/ID *\[[^]]*\]' signed.pdf | tr -d ' ' >ids.txt
check "both trailers carry the document ID" test "$(wc -l <ids.txt)" -eq 2
check "the update keeps the document's ID" \
    test "$(sort -u ids.txt | wc -l)" -eq 1
check "signing is reproducible" sh -c "'$PLEDGE' sign plain.pdf --key keys/vaimh.key -o again.pdf && cmp again.pdf signed.pdf"
expect_exit 2 "signing a signed pledge is refused" \
    "$PLEDGE" sign signed.pdf --key keys/vaimh.key -o twice.pdf
contains "already signed named" "$WORK/stderr" "already signed"
check_not "no output left" test -e twice.pdf
expect_exit 2 "-o the input file is refused" \
    "$PLEDGE" sign plain.pdf --key keys/vaimh.key -o plain.pdf
contains "input file named" "$WORK/stderr" "that is the input file"

# A pledge edited after it was made is not signed as if it were whole.
# flip: copy FILE to OUT with the byte at OFFSET replaced by X.
flip() { cp "$1" "$3"; printf 'X' | dd of="$3" bs=1 seek="$2" conv=notrunc 2>/dev/null; }
flip plain.pdf 5000 edited.pdf
expect_exit 2 "an edited pledge is refused" "$PLEDGE" sign edited.pdf \
    --key keys/vaimh.key
check_not "no signed copy of the edited pledge" test -e edited-signed.pdf

# Any change after signing: INVALID with exit 1.
cp signed.pdf appended.pdf; printf '\n' >> appended.pdf
expect_exit 1 "one appended byte is INVALID" "$PLEDGE" verify appended.pdf
contains "appended reason" "$WORK/stdout" "added after signing"
flip signed.pdf 5000 tampered.pdf
expect_exit 1 "a tampered byte is INVALID" "$PLEDGE" verify tampered.pdf
head -c 20000 signed.pdf > truncated.pdf
expect_exit 1 "a truncated file is INVALID" "$PLEDGE" verify truncated.pdf

# Several files: one verdict each, then a summary; the worst exit wins.
expect_exit 1 "mixed files exit 1" "$PLEDGE" verify signed.pdf tampered.pdf
contains "mixed summary" "$WORK/stdout" "1 valid, 1 invalid, 0 unreadable"
expect_exit 2 "a missing file exits 2" "$PLEDGE" verify signed.pdf missing.pdf
contains "missing file named" "$WORK/stdout" "read missing.pdf"
mkdir -p batch; cp signed.pdf batch/a.pdf; cp signed.pdf batch/b.pdf
expect_exit 0 "verify a directory" "$PLEDGE" verify batch
contains "directory summary" "$WORK/stdout" "2 valid, 0 invalid, 0 unreadable"
expect_exit 2 "verify without files" "$PLEDGE" verify
expect_exit 2 "verify with an empty keyring" "$PLEDGE" verify --keyring batch signed.pdf
contains "empty keyring named" "$WORK/stderr" "no public keys"

# A PDF pledge did not make: signed by an incremental update.
qpdf --empty --pages plain.pdf -- foreign.pdf 2>/dev/null
expect_exit 0 "sign a PDF pledge did not make" "$PLEDGE" sign foreign.pdf \
    --key keys/vaimh.key --detached
check "the original bytes are kept" sh -c \
    "head -c \$(wc -c < foreign.pdf) foreign-signed.pdf | cmp - foreign.pdf"
check "qpdf reads the update" qpdf --check foreign-signed.pdf
expect_exit 3 "verify the foreign PDF: UNCHECKED" "$PLEDGE" verify foreign-signed.pdf
contains "foreign PDF is not called a pledge" "$WORK/stdout" "not a pledge"
contains "foreign PDF's content unchecked" "$WORK/stdout" \
    "UNCHECKED foreign-signed.pdf"
contains "and why" "$WORK/stdout" "NOT CHECKED: the PDF was not made by pledge"
check "minisign checks it too" minisign -Vm foreign-signed.pdf -p keys/vaimh.pub
qpdf --object-streams=generate plain.pdf xrefstream.pdf 2>/dev/null
expect_exit 2 "a cross-reference stream is refused" "$PLEDGE" sign xrefstream.pdf \
    --key keys/vaimh.key
contains "xref stream named" "$WORK/stderr" "cross-reference stream"
qpdf --encrypt u o 256 -- plain.pdf encrypted.pdf 2>/dev/null
expect_exit 2 "an encrypted PDF is refused" "$PLEDGE" sign encrypted.pdf \
    --key keys/vaimh.key
contains "encryption named" "$WORK/stderr" "encrypted"
expect_exit 1 "an encrypted PDF is INVALID" "$PLEDGE" verify encrypted.pdf

# A key made by minisign signs a pledge; pledge names the signer by the
# key file's name.
minisign -G -W -p mk.pub -s mk.key >/dev/null 2>&1
expect_exit 0 "sign with a minisign-made key" "$PLEDGE" render -l vaimh-values \
    -n "Ana María Pérez" -o mk.pdf --sign-with mk.key
check_not "an unencrypted key needs no derivation" grep -q "Deriving" "$WORK/stderr"
expect_exit 0 "verify it" "$PLEDGE" verify --key mk.pub mk.pdf
contains "signer named by file name" "$WORK/stdout" "signed by    mk (key ID"

# An encrypted pledge key, its passphrase from a file; a wrong one fails.
printf 'correct horse battery staple\n' > pass.txt
printf 'wrong\n' > wrong.txt
"$PLEDGE" keygen -o enc --signer "Jo Signer" --passphrase-file pass.txt >/dev/null 2>&1
expect_exit 0 "sign with an encrypted key" "$PLEDGE" sign plain.pdf \
    --key enc.key --passphrase-file pass.txt -o enc-signed.pdf
contains "decrypting the key says so" "$WORK/stderr" \
    "Deriving a key from the passphrase and decrypting the secret key... done"
expect_exit 0 "verify the encrypted key's signature" "$PLEDGE" verify \
    --key enc.pub enc-signed.pdf
expect_exit 2 "a wrong passphrase fails" "$PLEDGE" sign plain.pdf \
    --key enc.key --passphrase-file wrong.txt -o bad.pdf
contains "wrong passphrase named" "$WORK/stderr" "wrong passphrase"
grep -v '^Deriving a key ' "$WORK/stderr" >said
one_line "wrong passphrase is one line besides key derivation's" said
check_not "nothing written with a wrong passphrase" test -e bad.pdf
