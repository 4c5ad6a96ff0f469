# t_stdio.sh - "-" as standard input or output wherever a command names a
# file, or a clear one-line refusal where it cannot be.

export SOURCE_DATE_EPOCH=1795262400
unset PLEDGE_PASSPHRASE_FILE PLEDGE_KEYRING
"$PLEDGE" keygen -o k --no-passphrase >/dev/null 2>&1
"$PLEDGE" render -l vaimh-code -n "Jane Doe" -o plain.pdf >/dev/null 2>&1
"$PLEDGE" sign plain.pdf --key k.key -o signed.pdf >/dev/null 2>&1
printf 'name,id\nAnn Lee,1\nBo Chen,2\nCy Diaz,3\n' >roster.csv

# verify -: the pledge on standard input.
expect_exit 0 "cat p.pdf | pledge verify - --key k.pub" sh -c \
    'cat signed.pdf | "$PLEDGE" verify - --key k.pub'
contains "stdin verdict names -" "$WORK/stdout" "VALID    -"
contains "stdin pledge's applicant" "$WORK/stdout" "applicant    Jane Doe"
cp signed.pdf changed.pdf
printf 'X' | dd of=changed.pdf bs=1 seek=10 conv=notrunc 2>/dev/null
expect_exit 1 "a changed pledge on stdin is INVALID" sh -c \
    'cat changed.pdf | "$PLEDGE" verify - --key k.pub'
contains "stdin INVALID names -" "$WORK/stdout" "INVALID  -:"
expect_exit 2 "stdin can be read once" "$PLEDGE" verify - - --key k.pub
contains "twice refused" "$WORK/stderr" "pledge: verify: standard input ('-') can be read once"
one_line "twice refused in one line" "$WORK/stderr"
expect_exit 0 "stdin among files" sh -c \
    '"$PLEDGE" verify signed.pdf - --key k.pub <signed.pdf'
contains "both counted" "$WORK/stdout" "2 valid, 0 invalid"

# render -o - | sign - -o -: a pipeline, checked by verify.
expect_exit 0 "render -o - | sign - -o -" sh -c \
    '"$PLEDGE" render -l vaimh-code -n "Jane Doe" -o - |
     "$PLEDGE" sign - --key k.key -o - >piped.pdf'
check "the pipeline's pledge equals the one made from files" cmp -s piped.pdf signed.pdf
expect_exit 0 "sign - without -o writes standard output" sh -c \
    '"$PLEDGE" sign - --key k.key <plain.pdf >filter.pdf'
check "the filter's pledge equals the one made from files" cmp -s filter.pdf signed.pdf
check_not "no file named --signed.pdf" test -e ./--signed.pdf
expect_exit 2 "sign - of something not a PDF names standard input" sh -c \
    'echo hello | "$PLEDGE" sign - --key k.key -o x.pdf'
contains "standard input named" "$WORK/stderr" "pledge: sign: standard input: cannot sign it: not a PDF file"
check_not "nothing written" test -e x.pdf
expect_exit 2 "--detached cannot go to standard output" sh -c \
    '"$PLEDGE" sign - --key k.key --detached <plain.pdf >d.pdf'
contains "detached refusal" "$WORK/stderr" "--detached needs -o FILE, not standard output"

# A file named "-" is reached as ./-.
cp signed.pdf ./-
expect_exit 0 "./- is the file called -" "$PLEDGE" verify ./- --key k.pub </dev/null
contains "./- verified" "$WORK/stdout" "VALID    ./-"

# batch --print -: the print file on standard output, none left behind.
expect_exit 0 "batch --print -" sh -c \
    '"$PLEDGE" batch roster.csv -l vaimh-code -k k.key -O b1 --print - >print1.pdf'
contains "summary says where the print file went" "$WORK/stderr" "print file to standard output"
expect_exit 0 "batch --print FILE" "$PLEDGE" batch roster.csv -l vaimh-code \
    -k k.key -O b2 --print print2.pdf
check "the same print file either way" cmp -s print1.pdf print2.pdf
check "nothing but pledges, manifest and state in DIR" sh -c \
    'test "$(ls -A b1 | grep -v "^0...-.*\.pdf$" | tr "\n" " ")" = ".pledge-batch manifest.jsonl "'
expect_exit 0 "roster on standard input" sh -c \
    '"$PLEDGE" batch - -l vaimh-code -k k.key -O b3 <roster.csv'
check "three pledges from standard input" test "$(ls b3/*.pdf | wc -l)" -eq 3

# A terminal is never fed a PDF nor read as one.
if command -v script >/dev/null 2>&1; then
    script -qec "'$PLEDGE' render -l vaimh-code -n A -o -" /dev/null >tty.out 2>&1
    contains "render -o - refuses a terminal" tty.out \
        "write standard output: it is a terminal"
    check_not "no PDF on the terminal" grep -q '%PDF' tty.out
    script -qec "'$PLEDGE' batch roster.csv -l vaimh-code -k k.key -O bt --print -" /dev/null >tty.out 2>&1
    contains "batch --print - refuses a terminal" tty.out \
        "write standard output: it is a terminal"
    check_not "refused before the output directory was made" test -e bt
else
    pass "stdout on a terminal (script(1) missing: not checked)"
fi

# "-" where a file cannot be standard input or output: one line, exit 2.
refuse() {
    d=$1 opt=$2; shift 2
    expect_exit 2 "$d" "$@"
    contains "$d: names the option" "$WORK/stderr" \
        "$opt cannot be standard input or output ('-'): name a file"
    one_line "$d: one line" "$WORK/stderr"
}
refuse "render --layout -" --layout "$PLEDGE" render -l - -n A -o x.pdf
refuse "render --sign-with -" --sign-with "$PLEDGE" render -l vaimh-code -n A -k - -o x.pdf
refuse "render --passphrase-file -" --passphrase-file "$PLEDGE" render \
    -l vaimh-code -n A -k k.key --passphrase-file - -o x.pdf
refuse "sign --key -" --key "$PLEDGE" sign plain.pdf --key - -o x.pdf
refuse "verify --key -" --key "$PLEDGE" verify signed.pdf --key -
refuse "verify --keyring -" --keyring "$PLEDGE" verify signed.pdf --keyring -
refuse "batch --key -" --key "$PLEDGE" batch roster.csv -l vaimh-code -k - -O bx
refuse "batch --out -" --out "$PLEDGE" batch roster.csv -l vaimh-code -k k.key -O -
refuse "keygen -o -" -o "$PLEDGE" keygen -o - --no-passphrase
check_not "no file written for a refusal" test -e x.pdf
check_not "no batch directory for a refusal" test -e bx
