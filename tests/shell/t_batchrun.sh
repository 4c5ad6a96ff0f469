# t_batchrun.sh - a batch's manners around its key and its end: the roster
# and output directory are checked before the key is opened, opening an
# encrypted key says so, the summary's time is the whole command's, and an
# interrupted run counts exactly the pledges it left on disk.

export SOURCE_DATE_EPOCH=1795262400
unset PLEDGE_PASSPHRASE_FILE PLEDGE_KEYRING
"$PLEDGE" keygen -o plain --no-passphrase >/dev/null 2>&1
printf 'correct horse\n' >pass.txt
"$PLEDGE" keygen -o enc --passphrase-file pass.txt >/dev/null 2>keygen.err
contains "keygen says it derives a key to encrypt" keygen.err \
    "Deriving a key from the passphrase and encrypting the secret key... done"
"$PLEDGE" keygen -o other --no-passphrase >/dev/null 2>keygen.err
check_not "keygen without a passphrase derives nothing" grep -q Deriving keygen.err
printf 'name,id\nAnn Lee,1\nBo Chen,2\n' >roster.csv
printf 'id\n1\n' >noname.csv

# A bad roster or output is found before the passphrase is asked for:
# with no passphrase file and no terminal (setsid: no controlling
# terminal), the error is the roster's.
nopass() { setsid -w "$PLEDGE" batch "$@" -l vaimh-code -k enc.key </dev/null; }
expect_exit 2 "missing roster found before the key" nopass nope.csv -O o1
contains "the missing roster is the error" "$WORK/stderr" "pledge: batch: read nope.csv: No such file"
check_not "no passphrase asked, no key derived" grep -q "passphrase\|Deriving" "$WORK/stderr"
check_not "no output directory left" test -e o1
expect_exit 2 "a header without a name column found before the key" \
    nopass noname.csv -O o2
contains "the header is the error" "$WORK/stderr" "read noname.csv line 1: no 'name' column"
check_not "no passphrase asked for a bad header" grep -q "passphrase\|Deriving" "$WORK/stderr"
expect_exit 2 "an empty roster on stdin found before the key" sh -c \
    '"$PLEDGE" batch - -l vaimh-code -k enc.key -O o3 </dev/null'
contains "empty stdin is the error" "$WORK/stderr" "read standard input: no header row"
check_not "no passphrase asked for empty stdin" grep -q "passphrase\|Deriving" "$WORK/stderr"
: >afile
expect_exit 2 "an output that is a file found before the key" nopass roster.csv -O afile
contains "the output is the error" "$WORK/stderr" "pledge: batch: make afile: Not a directory"
expect_exit 2 "a print file in a missing directory found before the key" \
    nopass roster.csv -O o4 --print nodir/p.pdf
contains "the print path is the error" "$WORK/stderr" "pledge: batch: write nodir/p.pdf: No such file"
check_not "no output directory for a bad print path" test -e o4
# Only a good roster gets as far as the key.
expect_exit 2 "a good roster reaches the key" nopass roster.csv -O o5
contains "then the passphrase is the error" "$WORK/stderr" "passphrase"
check_not "a failed unlock leaves no directory" test -e o5

# An encrypted key: derivation announced; the summary's time covers it
# (the whole command), not only the pledges.
t0=$(date +%s%N)
expect_exit 0 "batch with an encrypted key" "$PLEDGE" batch roster.csv \
    -l vaimh-code -k enc.key --passphrase-file pass.txt -O e
t1=$(date +%s%N)
contains "derivation announced" "$WORK/stderr" \
    "Deriving a key from the passphrase and decrypting the secret key... done"
wall_ms=$(( (t1 - t0) / 1000000 ))
said=$(sed -n 's/.* failed in \([0-9]*\)\.\([0-9][0-9]\) s.*/\1\20/p' "$WORK/stderr")
if [ -n "$said" ] && [ "$said" -ge $((wall_ms * 8 / 10)) ] &&
   [ "$said" -le $((wall_ms + 50)) ]; then
    pass "summary time ${said} ms is the command's ${wall_ms} ms"
else
    fail "summary time '${said}' ms, command took ${wall_ms} ms"
fi
expect_exit 0 "batch with an unencrypted key" "$PLEDGE" batch roster.csv \
    -l vaimh-code -k plain.key -O p
check_not "no derivation for an unencrypted key" grep -q Deriving "$WORK/stderr"

# Interrupted: "N made" is what is on disk and in the manifest, whether
# Ctrl-C reaches the whole process group or a signal only the parent.
awk 'BEGIN { print "name,id"; for (i = 1; i <= 400; i++) printf "Person Number %d,ID-%d\n", i, i }' >big.csv
pdfs() { ls "$1" 2>/dev/null | grep -c '\.pdf$'; }
for how in group parent; do
    setsid "$PLEDGE" batch big.csv -l vaimh-code -k plain.key -O "i-$how" \
        --jobs 2 2>"i-$how.err" &
    pid=$!
    n=0
    while [ "$(pdfs "i-$how")" -lt 10 ] && [ $n -lt 400 ]; do
        sleep 0.05; n=$((n + 1))
    done
    if [ $how = group ]; then kill -INT -$pid; else kill -INT $pid; fi
    wait $pid
    rc=$?
    if [ $rc -eq 130 ]; then pass "$how SIGINT: exit 130"; else
        fail "$how SIGINT: exit $rc ($(cat "i-$how.err"))"; fi
    made=$(sed -n 's/.* rows: \([0-9]*\) made.*/\1/p' "i-$how.err")
    ondisk=$(pdfs "i-$how")
    listed=$(grep -c '"status":"made"' "i-$how/manifest.jsonl")
    if [ -n "$made" ] && [ "$made" -eq "$ondisk" ] && [ "$made" -eq "$listed" ]; then
        pass "$how SIGINT: $made made = $ondisk on disk = $listed listed"
    else
        fail "$how SIGINT: summary '$made' made, $ondisk on disk, $listed listed"
    fi
    check "$how SIGINT: stopped early" test "$ondisk" -lt 400
    contains "$how SIGINT: says so" "i-$how.err" "(interrupted: run again to finish)"
    check "$how SIGINT: no temporary left" sh -c \
        "! ls -A i-$how | grep -q '\.[a-z]*\.[A-Za-z0-9]\{6\}\$'"
    [ $how = group ] && made_group=$made
done
expect_exit 0 "a rerun finishes the interrupted batch" "$PLEDGE" batch big.csv \
    -l vaimh-code -k plain.key -O i-group --jobs 2
contains "the rerun keeps what the summary counted" "$WORK/stderr" \
    "400 rows: $((400 - made_group)) made, $made_group kept"
check "all 400 after the rerun" test "$(pdfs i-group)" -eq 400
