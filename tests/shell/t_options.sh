# t_options.sh - how every command reads its arguments: one-line option
# errors with a hint, 'pledge help CMD', options after file names, "--",
# and file names that look like options (a shell glob's injection).

export SOURCE_DATE_EPOCH=1795262400
unset PLEDGE_PASSPHRASE_FILE PLEDGE_KEYRING
"$PLEDGE" keygen -o assoc --signer "Virginia Association" --no-passphrase >/dev/null 2>&1
mkdir keys
"$PLEDGE" keygen -o keys/k --no-passphrase >/dev/null 2>&1
"$PLEDGE" render -l vaimh-code -n "Jane Doe" -o plain.pdf >/dev/null 2>&1
"$PLEDGE" sign plain.pdf --key assoc.key -o jane-doe.pdf >/dev/null 2>&1
printf 'name\nAnn Lee\n' >roster.csv

# hint_only DESCRIPTION FILE HINT: FILE is the error line and then HINT.
hint_only() {
    if [ "$(wc -l <"$2")" -eq 2 ] && [ "$(sed -n 2p "$2")" = "$3" ]; then
        pass "$1"
    else
        fail "$1 (got: $(head -c 300 "$2"))"
    fi
}

# An unknown option, a missing argument and an argument to a flag, for
# every command: exit 2, the error line, the hint line, no usage dump.
for cmd in render layouts sign verify batch keygen; do
    expect_exit 2 "$cmd: unknown long option" "$PLEDGE" $cmd --frobnicate
    contains "$cmd: unknown option named" "$WORK/stderr" \
        "pledge: $cmd: unknown option '--frobnicate'"
    hint_only "$cmd: error and hint, nothing else" "$WORK/stderr" \
        "Try 'pledge $cmd --help'."
    expect_exit 2 "$cmd: unknown short option" "$PLEDGE" $cmd -Z
    contains "$cmd: unknown short option named" "$WORK/stderr" \
        "pledge: $cmd: unknown option '-Z'"
    expect_exit 2 "$cmd: a flag given a value" "$PLEDGE" $cmd --help=yes
    contains "$cmd: flag with value named" "$WORK/stderr" \
        "pledge: $cmd: option '--help' takes no argument"
    hint_only "$cmd: flag with value has the hint" "$WORK/stderr" \
        "Try 'pledge $cmd --help'."
    # pledge help CMD is pledge CMD --help, byte for byte.
    "$PLEDGE" $cmd --help >help.a 2>&1
    expect_exit 0 "pledge help $cmd" "$PLEDGE" help $cmd
    check "pledge help $cmd = pledge $cmd --help" cmp -s help.a "$WORK/stdout"
    contains "$cmd help names its usage" "$WORK/stdout" "usage: pledge $cmd"
done
for cmd in render sign verify batch; do
    opt=--key; [ $cmd = render ] && opt=--sign-with
    expect_exit 2 "$cmd: $opt without its argument" "$PLEDGE" $cmd $opt
    contains "$cmd: missing argument named" "$WORK/stderr" \
        "pledge: $cmd: option '$opt' needs an argument"
    hint_only "$cmd: missing argument has the hint" "$WORK/stderr" \
        "Try 'pledge $cmd --help'."
done
expect_exit 2 "keygen -o without its argument" "$PLEDGE" keygen -o
contains "short option's missing argument named" "$WORK/stderr" \
    "pledge: keygen: option '-o' needs an argument"
expect_exit 2 "an abbreviated option is not guessed" \
    "$PLEDGE" render --lay vaimh-code -n A -o x.pdf
contains "abbreviation refused" "$WORK/stderr" "unknown option '--lay'"
expect_exit 2 "top level: unknown option" "$PLEDGE" --frobnicate
contains "top level option named" "$WORK/stderr" "pledge: unknown option '--frobnicate'"
hint_only "top level: error and hint" "$WORK/stderr" "Try 'pledge --help'."
expect_exit 0 "pledge help alone is the overview" "$PLEDGE" help
contains "overview lists the commands" "$WORK/stdout" "keygen"
expect_exit 2 "pledge help of an unknown command" "$PLEDGE" help frobnicate
contains "unknown command named" "$WORK/stderr" "unknown command 'frobnicate'"

# Option spellings: attached values, clusters, options after operands.
expect_exit 0 "--name=value and -oFILE" "$PLEDGE" render --layout=vaimh-code \
    -nAnn -oann.pdf
check "attached values took effect" test -s ann.pdf
expect_exit 0 "options after the file name" "$PLEDGE" verify jane-doe.pdf --key assoc.pub
contains "verified with options last" "$WORK/stdout" "VALID    jane-doe.pdf"
expect_exit 0 "clustered flags" "$PLEDGE" keygen -fo keys/k --no-passphrase
contains "cluster ending in a value" "$WORK/stdout" "wrote keys/k.pub"

# The glob injection: an empty file named --keyring=.pdf sorts before
# jane-doe.pdf, and .pdf/ holds an attacker's key.  The glob must not turn
# into an option: refused, naming the file and how to pass it.
mkdir .pdf
"$PLEDGE" keygen -o .pdf/evil --signer "Virginia Association" --no-passphrase >/dev/null 2>&1
"$PLEDGE" sign plain.pdf --key .pdf/evil.key -o forged.pdf >/dev/null 2>&1
cp forged.pdf jane-doe.pdf
: >./--keyring=.pdf
expect_exit 2 "verify *.pdf with an option-named file is refused" \
    "$PLEDGE" verify *.pdf --key assoc.pub
check_not "no VALID from the attacker's key" grep -q VALID "$WORK/stdout"
contains "the ambiguous name is named" "$WORK/stderr" \
    "pledge: verify: '--keyring=.pdf' is an option and also a file here: to name the file, write ./--keyring=.pdf or put it after --"
one_line "the refusal is one line" "$WORK/stderr"
expect_exit 1 "after --, the glob is only file names" \
    "$PLEDGE" verify --key assoc.pub -- *.pdf
contains "the option-named file is read as a file" "$WORK/stdout" \
    "INVALID  --keyring=.pdf: not a readable PDF"
contains "the forgery is INVALID under the held key" "$WORK/stdout" \
    "INVALID  jane-doe.pdf"
check_not "nothing VALID after --" grep -q '^VALID' "$WORK/stdout"
expect_exit 1 "./NAME passes the file" "$PLEDGE" verify ./--keyring=.pdf \
    jane-doe.pdf --key assoc.pub
contains "./NAME is a file" "$WORK/stdout" "INVALID  ./--keyring=.pdf"
rm ./--keyring=.pdf

# The same refusal for every command, with "--" as the way out.
: >./--help
expect_exit 2 "render refuses a file named --help" "$PLEDGE" render --help
contains "render names the file" "$WORK/stderr" "render: '--help' is an option and also a file here"
expect_exit 2 "layouts refuses a file named --help" "$PLEDGE" layouts --help
expect_exit 2 "keygen refuses a file named --help" "$PLEDGE" keygen --help
rm ./--help
: >./-k.pdf
expect_exit 2 "short option spelled by a file is refused" \
    "$PLEDGE" sign -k.pdf --key assoc.key -o out.pdf
contains "short option file named" "$WORK/stderr" "sign: '-k.pdf' is an option and also a file here"
check_not "nothing written" test -e out.pdf
rm ./-k.pdf

cp plain.pdf ./-p.pdf
expect_exit 0 "sign: a file after --" "$PLEDGE" sign --key assoc.key -o dd.pdf -- -p.pdf
check "sign read the file after --" test -s dd.pdf
expect_exit 0 "verify: a file after --" "$PLEDGE" verify --key assoc.pub -- dd.pdf
expect_exit 2 "sign: -- takes exactly one file" "$PLEDGE" sign --key assoc.key -- -p.pdf plain.pdf
contains "one file at a time" "$WORK/stderr" "give one PDF at a time"
cp roster.csv ./-r.csv
expect_exit 0 "batch: a roster after --" "$PLEDGE" batch -l vaimh-code \
    -k assoc.key -O b -- -r.csv
check "batch made the roster's pledge" test -f b/0001-ann-lee.pdf
expect_exit 2 "render: an operand after -- is still unexpected" \
    "$PLEDGE" render -l vaimh-code -n A -o r.pdf -- -p.pdf
contains "render names the operand" "$WORK/stderr" "unexpected argument '-p.pdf'"
expect_exit 2 "keygen: an operand after -- is unexpected" \
    "$PLEDGE" keygen -o kk --no-passphrase -- extra
contains "keygen names the operand" "$WORK/stderr" "unexpected argument 'extra'"
check_not "keygen wrote nothing" test -e kk.key
expect_exit 2 "layouts: an operand after -- is unexpected" "$PLEDGE" layouts -- x
contains "layouts names the operand" "$WORK/stderr" "unexpected argument 'x'"
# An option's value may look like an option: it is the value.
expect_exit 0 "a value starting with '-' is a value" "$PLEDGE" render \
    -l vaimh-code -n "-Ann" -o neg.pdf
check "made with the dash name" test -s neg.pdf
