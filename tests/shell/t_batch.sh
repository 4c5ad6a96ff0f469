# t_batch.sh - pledge batch through the real binary: rosters that exercise
# quoting, BOMs, CRLF, blank lines, mixed layouts, duplicates, bad rows and
# unsafe names; the print file; resuming after SIGKILL and Ctrl-C; and a
# verify pass over the output.

export SOURCE_DATE_EPOCH=1795262400
unset PLEDGE_PASSPHRASE_FILE PLEDGE_KEYRING
R=$TOP/tests/data/rosters
"$PLEDGE" keygen -o k --signer "Batch Signer" --no-passphrase >/dev/null 2>&1
B() { "$PLEDGE" batch "$@" --layout vaimh-code --key k.key; }
manifest_rows() { wc -l < "$1/manifest.jsonl" | tr -d ' '; }

# Quoting: embedded commas, quotes and newlines; every row made.
expect_exit 0 "batch a quoted roster" B "$R/quoting.csv" --out q
contains "summary on stderr" "$WORK/stderr" "13 rows: 13 made, 0 kept, 0 failed"
check "one PDF per row" test "$(ls q/*.pdf | wc -l)" -eq 13
check "a manifest line per row" test "$(manifest_rows q)" -eq 13
check "slug of a quoted name with a comma" test -f q/0002-obrien-siobhan.pdf
check "diacritics folded in file names" test -f q/0001-nguyen-thi-minh-khai.pdf
contains "manifest keeps the name as given" q/manifest.jsonl '"name":"Zoë \"Zo\" Ångström"'
contains "a line break inside a name prints as a space" q/manifest.jsonl '"name":"Amara Okafor'
expect_exit 0 "verify the output directory" "$PLEDGE" verify q --key k.pub
contains "every pledge valid" "$WORK/stdout" "13 valid, 0 invalid, 0 unreadable"

# BOM and CRLF.
expect_exit 0 "batch a roster with a BOM and CRLF" B "$R/bom-crlf.csv" --out bc
check_not "no BOM in the first name" grep -q "$(printf '\357\273\277')" bc/manifest.jsonl
check_not "no CR in the manifest" grep -q "$(printf '\r')" bc/manifest.jsonl

# One roster, several associations.
expect_exit 0 "batch a mixed-layout roster" B "$R/mixed-layouts.csv" --out mx
for id in vaimh-code alliance-code miaimh-code nysaimh-code; do
    contains "mixed roster used $id" mx/manifest.jsonl "\"layout\":\"$id\""
done
f=$(grep -o '"file":"[^"]*","sha256":"[^"]*","status":"made","key_id":"[^"]*","layout":"alliance-code"' mx/manifest.jsonl | head -1 | sed 's/"file":"\([^"]*\)".*/\1/')
pdftotext "mx/$f" mx.txt 2>/dev/null
contains "an alliance row prints the Alliance's code" mx.txt "Alliance"

# Bad rows: reported with their row, the rest made, exit 2.
expect_exit 2 "bad rows make the run fail" B "$R/bad.csv" --out bad
contains "empty name reported with its row" "$WORK/stderr" "row 2: name is empty"
contains "impossible date reported" "$WORK/stderr" "2026-02-30"
contains "bare quote reported with its line" "$WORK/stderr" "line 5"
contains "too many fields reported" "$WORK/stderr" "row has 7 fields"
contains "failed rows in the manifest" bad/manifest.jsonl '"status":"failed"'
check "good rows still made" test -f bad/0001-nguyen-thi-minh-khai.pdf
check "no file for a failed row" sh -c '! ls bad/0002-* 2>/dev/null'

# Names that would make unsafe file names; duplicates.
printf 'name,id\n../x,1\n/,2\n%s,3\n.hidden,4\n%s,5\nSame Name,6\nSame Name,7\n%s,8\n' \
    "$(printf 'Ctl\001Char')" "$(printf 'A%.0s' $(seq 1 190))" \
    "$(printf 'Longname %.0s' $(seq 1 22))" > unsafe.csv
expect_exit 2 "unsafe and unsettable names" B unsafe.csv --out u
contains "a control character is refused" "$WORK/stderr" "row 3: name: control character U+0001"
contains "a word too long to set is refused" "$WORK/stderr" "row 5: name: a word is too long"
check_not "nothing escapes the directory" test -e x.pdf
check "every file is inside DIR" test "$(find u -name '*.pdf' | wc -l)" -eq 6
check "../x is a plain name inside DIR" test -f u/0001-x.pdf
check "/ gets a placeholder name" test -f u/0002-pledge.pdf
check_not "no hidden file names" sh -c 'ls -A u | grep -q "^\.[^p]"'
check_not "no control characters in file names" sh -c "ls u | grep -q '[[:cntrl:]]'"
check "duplicates get distinct files" test "$(ls u | grep -c same-name)" -eq 2
check "long names are cut" sh -c 'test "$(ls u | awk "{ print length }" | sort -n | tail -1)" -le 64'

# Standard input, errors in the roster as a whole.
expect_exit 0 "roster from standard input" sh -c "cat '$R/quoting.csv' | '$PLEDGE' batch - --layout vaimh-code --key k.key --out stdin"
check "stdin rows made" test "$(ls stdin/*.pdf | wc -l)" -eq 13
check_not "the spooled roster is removed" sh -c 'ls -A stdin | grep -q roster-stdin'
printf 'email,id\na@b,1\n' > noname.csv
expect_exit 2 "no name column" B noname.csv --out nn
contains "no name column named" "$WORK/stderr" "no 'name' column"
one_line "no name column is one line" "$WORK/stderr"
printf 'name,id\n' > empty.csv
expect_exit 2 "a roster with no rows" B empty.csv --out em
contains "no rows named" "$WORK/stderr" "no rows"
expect_exit 2 "a missing roster" B missing.csv --out mi
contains "missing roster named" "$WORK/stderr" "missing.csv"

# The print file: every pledge in roster order; duplex pads to recto.
expect_exit 0 "batch with a print file" B "$R/quoting.csv" --out pq --print print.pdf --duplex
check "print file passes qpdf --check" qpdf --check print.pdf
pages=$(pdfinfo print.pdf 2>/dev/null | awk '/^Pages:/ { print $2 }')
one=$(pdfinfo q/0001-nguyen-thi-minh-khai.pdf | awk '/^Pages:/ { print $2 }')
# A long name can move a page break, so each pledge counts its own pages.
want=0
for f in pq/*.pdf; do
    n=$(pdfinfo "$f" | awk '/^Pages:/ { print $2 }')
    want=$((want + n + n % 2))
done
check "duplex: each pledge but the last padded to an even page count" \
    test "$pages" -eq $((want - n % 2))
pdftotext -f $((one + one % 2 + 1)) -l $((one + one % 2 + 1)) print.pdf p2.txt 2>/dev/null
contains "the second pledge starts on a right-hand page" p2.txt "Code of Ethics"

# Resume: a rerun keeps what is there and valid, makes what is missing.
expect_exit 0 "rerun into the same directory" B "$R/quoting.csv" --out q --resume
contains "rerun keeps everything" "$WORK/stderr" "0 made, 13 kept"
cp q/manifest.jsonl q.before
rm q/0005-*.pdf
printf 'X' | dd of=q/0006-rosa-maria-rosi-fernandez-castaneda.pdf bs=1 seek=3000 conv=notrunc 2>/dev/null
expect_exit 0 "rerun after a loss" B "$R/quoting.csv" --out q
contains "rerun remakes the missing and the damaged" "$WORK/stderr" "2 made, 11 kept"
check "the remade pledges are byte-identical" sh -c \
    "sed 's/\"status\":\"[a-z]*\"//' q.before > a.m; sed 's/\"status\":\"[a-z]*\"//' q/manifest.jsonl > b.m; cmp a.m b.m"

# Killed with SIGKILL mid-run, then run again: every row exactly once,
# identical to a run that was not interrupted.
awk 'BEGIN { print "name,credentials,id"; for (i = 1; i <= 240; i++) printf "Attendee Number %d,IMH-E,ID-%d\n", i, i }' > big.csv
B big.csv --out whole --jobs 2 >/dev/null 2>&1
"$PLEDGE" batch big.csv --layout vaimh-code --key k.key --out killed --jobs 2 >/dev/null 2>&1 &
pid=$!
sleep 0.4
kill -KILL $pid 2>/dev/null
wait $pid 2>/dev/null
sleep 0.2
check "the kill left no half-written pledge" sh -c \
    'for f in killed/*.pdf; do [ -e "$f" ] || continue; tail -c 6 "$f" | grep -q "%%EOF" || exit 1; done'
expect_exit 0 "rerun after SIGKILL" B big.csv --out killed --jobs 2
check "every row exactly once" test "$(ls killed/*.pdf | wc -l)" -eq 240
check "no temporary files left" sh -c '! ls -A killed | grep -q "\.pdf\.......$"'
touch killed/report.pdf.backup killed/0001-x.pdf.Ab12Cd
B big.csv --out killed --jobs 2 >/dev/null 2>&1
check "a rerun removes its own leftovers" test ! -e killed/0001-x.pdf.Ab12Cd
check "a rerun leaves the user's files alone" test -e killed/report.pdf.backup
rm -f killed/report.pdf.backup
check "identical to an uninterrupted run" sh -c \
    "sed 's/\"status\":\"[a-z]*\"//' whole/manifest.jsonl > w.m; sed 's/\"status\":\"[a-z]*\"//' killed/manifest.jsonl > k.m; cmp w.m k.m"
check "the pledges themselves are identical" sh -c \
    'for f in whole/*.pdf; do cmp "$f" "killed/${f#whole/}" || exit 1; done'

# Ctrl-C: stops cleanly, exit 130, a rerun finishes.
"$PLEDGE" batch big.csv --layout vaimh-code --key k.key --out intr --jobs 2 >/dev/null 2>intr.err &
pid=$!
sleep 0.3
kill -INT $pid 2>/dev/null
wait $pid
rc=$?
if [ "$rc" -eq 130 ] || [ "$rc" -eq 0 ]; then pass "SIGINT exits 130 (or had finished)"; else fail "SIGINT exit $rc"; fi
check "an interrupted run keeps its manifest" test -f intr/manifest.jsonl
expect_exit 0 "rerun after Ctrl-C finishes" B big.csv --out intr --jobs 2
check "all rows after Ctrl-C and rerun" test "$(ls intr/*.pdf | wc -l)" -eq 240
expect_exit 0 "verify after interruptions" "$PLEDGE" verify intr --key k.pub
contains "verify counts every pledge" "$WORK/stdout" "240 valid, 0 invalid"

# verify DIR checks the manifest's hashes.
printf 'X' | dd of=q/0007-dartagnan-obrien-lukasiewicz.pdf bs=1 seek=10 conv=notrunc 2>/dev/null
rm q/0008-*.pdf
expect_exit 1 "verify finds damage against the manifest" "$PLEDGE" verify q --key k.pub
contains "hash mismatch named" "$WORK/stdout" "not the one the manifest records"
contains "missing pledge named" "$WORK/stdout" "manifest lists it but it is not there"
expect_exit 1 "verify the manifest itself" "$PLEDGE" verify q/manifest.jsonl --key k.pub
contains "the manifest stands for its directory" "$WORK/stdout" "manifest lists it but it is not there"

# Progress: in place on a terminal, silent otherwise; a summary either way.
if command -v script >/dev/null 2>&1; then
    script -qec "'$PLEDGE' batch '$R/quoting.csv' --layout vaimh-code --key k.key --out tty" /dev/null > tty.out 2>&1
    contains "progress shown on a terminal" tty.out "13/13 rows"
    contains "summary after the progress" tty.out "13 rows: 13 made"
else
    pass "progress on a terminal (script(1) missing: not checked)"
fi
B "$R/quoting.csv" --out notty 2> notty.err
check_not "no progress when not a terminal" grep -q "rows  " notty.err
one_line "only the summary when not a terminal" notty.err

# A name far too long to print: the row fails with a clear reason and the
# manifest stays valid UTF-8 (the name is cut at a character boundary).
{ echo name; printf 'Ñ%.0s' $(seq 1 5000); echo; echo "Short Name"; } > long.csv
expect_exit 2 "a 5,000-character name fails its row" B long.csv --out long
contains "too long named" "$WORK/stderr" "row 1: name is too long"
check "the other row is made" test -f long/0002-short-name.pdf
check "the manifest is valid UTF-8" iconv -f UTF-8 -t UTF-8 long/manifest.jsonl
