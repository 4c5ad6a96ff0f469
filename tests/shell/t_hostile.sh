# t_hostile.sh - what a hostile sender can put in front of `pledge verify`:
# file names that drive the terminal, names with bidi controls, FIFOs that
# would block a read forever, a form built to exhaust memory, and a
# forgery aimed at the standard-tools recipe of docs/signature-format.md.

export SOURCE_DATE_EPOCH=1795262400
unset PLEDGE_PASSPHRASE_FILE PLEDGE_KEYRING
mkdir -p keys
"$PLEDGE" keygen -o keys/assoc --signer "Test Association" \
    --no-passphrase >/dev/null 2>&1
"$PLEDGE" render -l vaimh-code -n "Jane Doe" -o jane.pdf \
    --sign-with keys/assoc.key >/dev/null 2>&1
check "a genuine pledge to start from" test -s jane.pdf
ESC=$(printf '\033') CR=$(printf '\r')

# A file name that rewrites the line it is printed on: CR, erase line, a
# fake VALID block for another applicant, then hidden text.
evil=$(printf 'x\r\033[2KVALID    mary.pdf\n  applicant    Mary Roe\033[8m.pdf')
cp jane.pdf "$evil"
printf 'X' | dd of="$evil" bs=1 seek=5000 conv=notrunc 2>/dev/null
expect_exit 1 "the tampered file is INVALID" "$PLEDGE" verify --keyring keys \
    "$evil"
check_not "no raw ESC in the output" grep -q "$ESC" "$WORK/stdout"
check_not "no raw CR in the output" grep -q "$CR" "$WORK/stdout"
contains "ESC shown escaped" "$WORK/stdout" 'x\x0d\x1b[2KVALID    mary.pdf\x0a'
contains "verdict still first" "$WORK/stdout" 'INVALID  x\x0d'
contains "summary not forged" "$WORK/stdout" "0 valid, 1 invalid"
[ "$(grep -c . "$WORK/stdout")" -eq 2 ] && pass "one line per verdict" ||
    fail "one line per verdict ($(grep -c . "$WORK/stdout") lines)"
# The same in a directory, with a name that is not UTF-8 and a bidi
# override beside a genuine pledge; JSON stays valid UTF-8.
mkdir -p dir
cp "$evil" dir/
cp jane.pdf "dir/$(printf 'jane\342\200\256fdp.pdf')"
cp jane.pdf "dir/$(printf 'latin\351.pdf')"
expect_exit 1 "verify the directory" "$PLEDGE" verify --keyring keys dir
check_not "no raw ESC in the directory's output" grep -q "$ESC" "$WORK/stdout"
contains "bidi override shown escaped" "$WORK/stdout" 'jane\u202efdp.pdf'
contains "invalid UTF-8 shown escaped" "$WORK/stdout" 'latin\xe9.pdf'
expect_exit 1 "verify the directory as JSON" "$PLEDGE" verify --json \
    --keyring keys dir
check_not "no raw ESC in the JSON" grep -q "$ESC" "$WORK/stdout"
check "JSON parses and is valid UTF-8" python3 -c '
import json, sys
lines = open(sys.argv[1], "rb").read().decode("utf-8").splitlines()
docs = [json.loads(l) for l in lines]
assert len(docs) == 3, docs
assert sum(d["valid"] for d in docs) == 2, docs
assert any("\x1b" in d["file"] and not d["valid"] for d in docs), docs
assert any("\u202e" in d["file"] for d in docs), docs
assert any("\ufffd" in d["file"] for d in docs), docs
' "$WORK/stdout"
contains "JSON escapes the bidi override" "$WORK/stdout" 'jane\u202efdp.pdf'

# Names, credentials and IDs that would reorder or hide text are refused
# where they enter a pledge.
expect_exit 2 "render refuses a bidi override" "$PLEDGE" render -l vaimh-code \
    -n "$(printf 'Jane\342\200\256eoD')" -o rlo.pdf
contains "character and field named" "$WORK/stderr" \
    "pledge: render: name holds U+202E (RIGHT-TO-LEFT OVERRIDE), which is not allowed"
check_not "nothing written" test -e rlo.pdf
expect_exit 2 "render refuses a zero-width space in credentials" \
    "$PLEDGE" render -l vaimh-code -n "Jane Doe" \
    -c "$(printf 'IMH\342\200\213-E')" -o zw.pdf
contains "credentials named" "$WORK/stderr" \
    "credentials holds U+200B (ZERO WIDTH SPACE), which is not allowed"
expect_exit 2 "render refuses two spaces in a row" "$PLEDGE" render \
    -l vaimh-code -n "Jane  Doe" -o sp.pdf
contains "spaces named" "$WORK/stderr" "name holds two spaces in a row"
expect_exit 2 "render refuses a leading space" "$PLEDGE" render \
    -l vaimh-code -n " Jane" -o sp.pdf
contains "leading space named" "$WORK/stderr" "name starts with a space"
printf 'name,credentials,member_id\nJane Doe,IMH-E,1\nMary Roe,X,%s\n' \
    "$(printf 'VA\342\201\246-0142')" > roster.csv
expect_exit 2 "batch refuses the row" "$PLEDGE" batch roster.csv \
    -l vaimh-code -k keys/assoc.key -O out
contains "row and field named" "$WORK/stderr" \
    "roster.csv row 2: member ID holds U+2066 (LEFT-TO-RIGHT ISOLATE), which is not allowed"
check "the good row is made" test -s out/0001-jane-doe.pdf

# FIFOs: a read would block forever; each is refused with a reason.
mkdir -p fifo
cp jane.pdf fifo/a.pdf
mkfifo fifo/x.pdf
expect_exit 2 "a FIFO among the pledges ends" timeout 20 "$PLEDGE" verify \
    --keyring keys fifo
contains "FIFO named" "$WORK/stdout" "x.pdf: read fifo/x.pdf: not a regular file but a FIFO"
contains "the rest still verified" "$WORK/stdout" "1 valid, 0 invalid, 1 unreadable"
mkdir -p ring
cp keys/assoc.pub ring/
mkfifo ring/zz.pub
# A bad keyring entry is skipped with a warning (docs/keyring.md); the
# FIFO must neither hang verify nor stop the keys beside it.
expect_exit 0 "a FIFO in the keyring is skipped, not waited on" timeout 20 \
    "$PLEDGE" verify --keyring ring jane.pdf
contains "keyring FIFO named" "$WORK/stderr" "skipped zz.pub: read ring/zz.pub: not a regular file but a FIFO"
mkfifo fifo.pub
expect_exit 2 "a FIFO as --key ends" timeout 20 "$PLEDGE" verify \
    --key fifo.pub jane.pdf
contains "--key FIFO named" "$WORK/stderr" "not a regular file but a FIFO"
mkdir -p mdir; cp jane.pdf mdir/a.pdf; mkfifo mdir/manifest.jsonl
expect_exit 2 "a FIFO as the manifest ends" timeout 20 "$PLEDGE" verify \
    --keyring keys mdir
contains "manifest FIFO named" "$WORK/stdout" "manifest.jsonl: not a regular file but a FIFO"

# A form of twenty 1 MB fields of empty names: read before any signature
# check, it once took 1.4 GB; now it is refused within the reader's limit
# (its accounting is asserted in test_pdfparse).
python3 - <<'PY'
n = 20
objs = [b"<< /Type /Catalog /AcroForm << /Fields [" +
        b" ".join(b"%d 0 R" % (i + 2) for i in range(n)) + b"] >> >>"]
objs += [b"<< /FT /Tx /T [" + b"/" * 999000 + b"] >>"] * n
out, offs = bytearray(b"%PDF-1.7\n"), []
for i, o in enumerate(objs):
    offs.append(len(out))
    out += b"%d 0 obj\n" % (i + 1) + o + b"\nendobj\n"
x = len(out)
out += b"xref\n0 %d\n0000000000 65535 f \n" % (n + 2)
out += b"".join(b"%010d 00000 n \n" % o for o in offs)
out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
    n + 2, x)
open("fields.pdf", "wb").write(out)
PY
expect_exit 1 "a form built to exhaust memory is INVALID" timeout 60 \
    "$PLEDGE" verify --keyring keys fields.pdf
contains "memory limit named" "$WORK/stdout" "bytes of memory to read, more than a PDF of its size ever does"

# The standard-tools recipe, run as the docs write it.
awk '/^## Checking a pledge with standard tools alone/ { s = 1 }
     s && /^```sh/ { p = 1; next } p && /^```/ { exit } p' \
    "$TOP/docs/signature-format.md" > recipe.sh
cp keys/assoc.pub signer.pub
cp jane.pdf pledge.pdf
check "the recipe accepts a genuine pledge" sh recipe.sh
# 1024 bytes inserted right after the gap, with a forged xref where the
# signed startxref now points: a reader shows the forged page, and the
# last c bytes are still the signed ones.
python3 - <<'PY'
import re
d = open("jane.pdf", "rb").read()
b = int(re.findall(rb"/ByteRange\[\d+ \d+ (\d+) \d+\]", d)[-1])
k = int(re.findall(rb"startxref\s+(\d+)\s+%%EOF", d)[-1]) - b
text = b"BT /F1 36 Tf 72 600 Td (FORGED PLEDGE) Tj ET"
objs = [b"<</Type/Catalog/Pages 2 0 R>>",
        b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
        b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]"
        b"/Resources<</Font<</F1 5 0 R>>>>/Contents 4 0 R>>",
        b"<</Length %d>>\nstream\n" % len(text) + text + b"\nendstream",
        b"<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>"]
trailer = b"trailer\n<</Size 6/Root 1 0 R>>\n"
xlen = len(b"xref\n0 6\n") + 20 * 6 + len(trailer)
part, offs = b"", []
for i, o in enumerate(objs):
    offs.append(b + k + xlen + len(part))
    part += b"%d 0 obj\n" % (i + 1) + o + b"\nendobj\n"
xref = b"xref\n0 6\n0000000000 65535 f \n"
xref += b"".join(b"%010d 00000 n \n" % o for o in offs)
body = b"\n" + b" " * (k - 1) + xref + trailer + part
body += b"%" + b" " * (1024 - len(body) - 2) + b"\n"
assert len(body) == 1024
open("pledge.pdf", "wb").write(d[:b] + body + d[b:])
PY
if command -v pdftotext >/dev/null 2>&1; then
    pdftotext pledge.pdf forged.txt 2>/dev/null
    contains "a reader shows the forgery" forged.txt "FORGED PLEDGE"
fi
expect_exit 1 "the recipe rejects the inserted bytes" sh recipe.sh
contains "recipe names the length rule" "$WORK/stderr" \
    "NOT VALID: the ranges cover"
expect_exit 1 "pledge verify rejects it too" "$PLEDGE" verify --keyring keys \
    pledge.pdf
# A byte of the gap that is not hex, and bytes after %%EOF inside the
# signed range cannot be made without the key; the gap rule is checked.
cp jane.pdf pledge.pdf
gap=$(grep -a -o '/ByteRange\[[0-9 ]*\]' pledge.pdf | tr -c '0-9\n' ' ' |
      awk '{ print $2 + 10 }')
printf 'Z' | dd of=pledge.pdf bs=1 seek="$gap" conv=notrunc 2>/dev/null
expect_exit 1 "the recipe rejects a gap that is not hex" sh recipe.sh
contains "recipe names the gap rule" "$WORK/stderr" \
    "NOT VALID: the gap holds more than lowercase hex digits"
cp jane.pdf pledge.pdf; printf '%%%%EOF\n' >> pledge.pdf
expect_exit 1 "the recipe rejects bytes appended" sh recipe.sh
