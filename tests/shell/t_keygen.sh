# t_keygen.sh - pledge keygen: key files in minisign's formats with the
# signer named, passphrases from files, the environment or the terminal,
# refusals that leave files alone, and Debian's minisign using our keys.
#
# Each encrypted key costs an scrypt run at minisign's limits (1 GiB, a
# second or two) to make and another to use, so there are three.

mkdir keys
printf 'correct horse battery\n' >pass.txt
printf 'staple and more\r\n' >env-pass.txt
: >empty.txt
printf 'I commit to upholding these values.\n' >msg.txt

# same_line DESCRIPTION A B: A and B are the same non-empty text.
same_line() {
    if [ -n "$2" ] && [ "$2" = "$3" ]; then pass "$1"; else
        fail "$1 ('$2' is not '$3')"; fi
}

# The key ID from keygen's report in $WORK/stdout.
key_id() {
    sed -n 's/^wrote .* (key ID \([0-9A-F]\{16\}\)) and .*/\1/p' \
        "$WORK/stdout"
}

# Usage.
expect_exit 0 "keygen --help" "$PLEDGE" keygen --help
contains "keygen help shows --passphrase-file" "$WORK/stdout" \
    "--passphrase-file"
expect_exit 0 "pledge --help lists keygen" "$PLEDGE" --help
contains "help lists keygen" "$WORK/stdout" "keygen"
expect_exit 2 "keygen without -o" "$PLEDGE" keygen --no-passphrase
contains "missing -o named" "$WORK/stderr" "-o BASE is required"
one_line "missing -o is one line" "$WORK/stderr"
expect_exit 2 "keygen with a stray argument" \
    "$PLEDGE" keygen -o keys/x --no-passphrase extra
expect_exit 2 "--no-passphrase with --passphrase-file" \
    "$PLEDGE" keygen -o keys/x --no-passphrase --passphrase-file pass.txt
contains "conflict named" "$WORK/stderr" "exclude each other"

# An unencrypted pair; the signer defaults to the file name.
expect_exit 0 "keygen --no-passphrase" \
    "$PLEDGE" keygen -o keys/raw --no-passphrase
contains "report names the public key" "$WORK/stdout" "wrote keys/raw.pub"
contains "report names the secret key" "$WORK/stdout" "and keys/raw.key"
contains "report names the signer" "$WORK/stdout" "signer: raw"
id=$(key_id)
check "report gives the key ID" test -n "$id"
same_line "public comment names ID and signer" "$(head -n 1 keys/raw.pub)" \
    "untrusted comment: minisign public key $id; signer: raw"
same_line "secret comment says unencrypted" "$(head -n 1 keys/raw.key)" \
    "untrusted comment: minisign unencrypted secret key; signer: raw"
same_line "secret key mode 0600" "$(stat -c %a keys/raw.key)" 600
same_line "public key mode 0644" "$(stat -c %a keys/raw.pub)" 644

# --signer, and a BASE given with its .key suffix.
expect_exit 0 "keygen --signer, -o BASE.key" \
    "$PLEDGE" keygen -o keys/nguyen.key --signer "Nguyễn Thị Minh Khai" \
    --no-passphrase
check "BASE.key gives BASE.pub" test -f keys/nguyen.pub
check_not "no BASE.key.pub" test -e keys/nguyen.key.pub
contains "signer in the public key" keys/nguyen.pub \
    "; signer: Nguyễn Thị Minh Khai"
contains "signer in the secret key" keys/nguyen.key \
    "secret key; signer: Nguyễn Thị Minh Khai"
expect_exit 2 "control character in --signer" \
    "$PLEDGE" keygen -o keys/bad --signer "$(printf 'A\tB')" --no-passphrase
contains "control character named" "$WORK/stderr" "U+0009"
expect_exit 2 "blank --signer" \
    "$PLEDGE" keygen -o keys/bad --signer "   " --no-passphrase
contains "blank signer named" "$WORK/stderr" "signer name is blank"
expect_exit 2 "--signer of 201 characters" \
    "$PLEDGE" keygen -o keys/bad --no-passphrase \
    --signer "$(head -c 201 /dev/zero | tr '\0' a)"
contains "long signer named" "$WORK/stderr" "too long: 201 characters"
check_not "no files for a bad signer" sh -c 'ls keys | grep -q bad'

# Never overwrite without --force, checking both files first.
cp keys/raw.pub raw.pub.before
cp keys/raw.key raw.key.before
expect_exit 2 "existing pair refused" \
    "$PLEDGE" keygen -o keys/raw --no-passphrase
contains "refusal names the file" "$WORK/stderr" \
    "keys/raw.key exists; not overwriting it (use --force)"
one_line "refusal is one line" "$WORK/stderr"
check "refused .pub unchanged" cmp keys/raw.pub raw.pub.before
check "refused .key unchanged" cmp keys/raw.key raw.key.before
cp keys/nguyen.pub keys/half.pub
expect_exit 2 "existing .pub alone refused" \
    "$PLEDGE" keygen -o keys/half --no-passphrase
contains "refusal names the .pub" "$WORK/stderr" "keys/half.pub exists"
check_not "no .key written beside a refused .pub" test -e keys/half.key
check "refused lone .pub unchanged" cmp keys/half.pub keys/nguyen.pub
expect_exit 0 "--force overwrites" \
    "$PLEDGE" keygen -o keys/raw --no-passphrase --force
check_not "forced .pub is new" cmp keys/raw.pub raw.pub.before
check_not "forced .key is new" cmp keys/raw.key raw.key.before
same_line "forced .key still 0600" "$(stat -c %a keys/raw.key)" 600
ls keys >keys.txt
check_not "no temporaries left" grep -q '\.\(pub\|key\)\.' keys.txt

# A missing directory is made, mode 0700, when its parent exists; with
# its parent missing too it is an error saying what to run, and nothing is
# made.
expect_exit 0 "missing key directory is made" \
    "$PLEDGE" keygen -o newring/k --no-passphrase
check "key pair in the new directory" test -f newring/k.key
same_line "new key directory mode 0700" "$(stat -c %a newring)" 700
expect_exit 2 "missing directory and parent" \
    "$PLEDGE" keygen -o no/such/k --no-passphrase
contains "missing directory named" "$WORK/stderr" \
    "directory no/such does not exist, nor its parent"
contains "missing directory: what to run" "$WORK/stderr" \
    "mkdir -p -m 700 no/such"
one_line "missing directory is one line" "$WORK/stderr"
check_not "missing directory not created" test -e no
# A refused run takes away the directory it made.
expect_exit 2 "key directory made, then an empty passphrase" \
    "$PLEDGE" keygen -o refused/k --passphrase-file empty.txt
check_not "refused run leaves no directory" test -e refused

# No terminal and no passphrase file: exit 2 saying what to do.
if command -v setsid >/dev/null 2>&1; then
    expect_exit 2 "no terminal, no passphrase file" \
        env -u PLEDGE_PASSPHRASE_FILE setsid -w "$PLEDGE" keygen -o keys/nt \
        </dev/null
    contains "no-terminal error names --passphrase-file" "$WORK/stderr" \
        "--passphrase-file"
    contains "no-terminal error names the variable" "$WORK/stderr" \
        "PLEDGE_PASSPHRASE_FILE"
    one_line "no-terminal error is one line" "$WORK/stderr"
    check_not "no files without a passphrase" test -e keys/nt.key
else
    echo "t_keygen: setsid missing: the no-terminal error is not tested" >&2
fi

# Passphrase files: errors, and --passphrase-file before the variable.
expect_exit 2 "missing passphrase file" \
    "$PLEDGE" keygen -o keys/pf --passphrase-file nope.txt
contains "missing passphrase file named" "$WORK/stderr" \
    "read passphrase file nope.txt: No such file or directory"
expect_exit 2 "empty passphrase file" \
    env PLEDGE_PASSPHRASE_FILE=pass.txt \
    "$PLEDGE" keygen -o keys/pf --passphrase-file empty.txt
contains "empty passphrase named, option first" "$WORK/stderr" \
    "read passphrase file empty.txt: the passphrase is empty"
expect_exit 2 "empty file in PLEDGE_PASSPHRASE_FILE" \
    env PLEDGE_PASSPHRASE_FILE=empty.txt "$PLEDGE" keygen -o keys/pf
contains "variable named" "$WORK/stderr" \
    "empty.txt (from PLEDGE_PASSPHRASE_FILE): the passphrase is empty"
head -c 1024 /dev/zero | tr '\0' x >long-pass.txt
expect_exit 2 "passphrase of 1024 bytes" \
    "$PLEDGE" keygen -o keys/pf --passphrase-file long-pass.txt
contains "long passphrase named" "$WORK/stderr" "longer than 1023 bytes"
check_not "no files for a bad passphrase file" test -e keys/pf.key

# An encrypted key from --passphrase-file: minisign signs with it (the
# passphrase on its standard input) and verifies with our .pub.
expect_exit 0 "keygen --passphrase-file" \
    "$PLEDGE" keygen -o keys/file --signer VAIMH --passphrase-file pass.txt
same_line "encrypted comment" "$(head -n 1 keys/file.key)" \
    "untrusted comment: minisign encrypted secret key; signer: VAIMH"
check "key line says Ed, scrypt, BLAKE2b" \
    sh -c 'sed -n 2p keys/file.key | grep -q "^RWRTY0Iy"'
same_line "encrypted key mode 0600" "$(stat -c %a keys/file.key)" 600
check "minisign -S signs with pledge's encrypted key" \
    sh -c 'printf "correct horse battery\n" |
           minisign -S -s keys/file.key -m msg.txt'
check "minisign -V verifies with pledge's .pub" \
    minisign -V -p keys/file.pub -m msg.txt
check_not "minisign -V refuses another pledge .pub" \
    minisign -V -p keys/raw.pub -m msg.txt

# An encrypted key from $PLEDGE_PASSPHRASE_FILE (a CRLF line): minisign
# recovers our .pub from it with that passphrase.
expect_exit 0 "keygen with PLEDGE_PASSPHRASE_FILE" \
    env PLEDGE_PASSPHRASE_FILE="$WORK/env-pass.txt" \
    "$PLEDGE" keygen -o keys/env
check "minisign -R recovers the .pub" \
    sh -c 'printf "staple and more\n" |
           minisign -R -s keys/env.key -p recovered.pub'
same_line "recovered key line is ours" "$(sed -n 2p recovered.pub)" \
    "$(sed -n 2p keys/env.pub)"

# The prompt on a terminal: script(1) gives keygen a pseudo-terminal; the
# answers are sent once the prompt shows, when echo is already off.

# answer FILE TEXT: writes TEXT (printf format) once FILE shows a prompt.
answer() {
    i=0
    until grep -q 'Passphrase for' "$1" 2>/dev/null; do
        i=$((i + 1))
        [ $i -le 300 ] || return 0
        sleep 0.1
    done
    printf "$2"
}

# on_tty OUT TEXT COMMAND: runs COMMAND (a shell command line) on a
# pseudo-terminal, answering TEXT; the terminal's output goes to OUT.
on_tty() {
    : >"$1"
    answer "$1" "$2" | timeout 120 script -qec "$3" /dev/null >"$1" 2>&1
}


# --role writes the keyring's record beside the key, and verify names the
# signer from it.
expect_exit 0 "keygen --role association" "$PLEDGE" keygen -o keys/ro \
    --no-passphrase --signer "Virginia Association for Infant Mental Health" \
    --role association
check "role record written" grep -qx "role: association" keys/ro.role
check "role record names the association" grep -qx \
    "association: Virginia Association for Infant Mental Health" keys/ro.role
check "role record carries the key ID" grep -qx \
    "key: $(sed -n 's/.*public key \([0-9A-F]*\).*/\1/p' keys/ro.pub)" keys/ro.role
SOURCE_DATE_EPOCH=1795262400 "$PLEDGE" render --layout vaimh-code \
    --name "Jane Doe" --date 2026-11-21 --sign-with keys/ro.key -o ro.pdf
expect_exit 0 "a pledge signed with it verifies" "$PLEDGE" verify ro.pdf \
    --key keys/ro.pub
contains "signer named from the record" "$WORK/stdout" \
    "key role     association Virginia Association for Infant Mental Health"
expect_exit 2 "keygen --role refuses an unknown role" "$PLEDGE" keygen \
    -o keys/rx --no-passphrase --role boss
contains "unknown role named" "$WORK/stderr" "--role is association or applicant, not 'boss'"
check_not "nothing written for an unknown role" test -e keys/rx.pub
touch keys/ro3.role
expect_exit 2 "an existing record stops keygen" "$PLEDGE" keygen -o keys/ro3 \
    --no-passphrase --role applicant
check_not "no key made beside an existing record" test -e keys/ro3.key

if command -v script >/dev/null 2>&1; then
    on_tty tty.out 'open sesame\nopen sesame\n' \
        "env -u PLEDGE_PASSPHRASE_FILE '$PLEDGE' keygen -o keys/tty"
    check "keygen on a terminal" test -f keys/tty.pub
    contains "asks for the passphrase" tty.out \
        "Passphrase for keys/tty.key: "
    contains "asks again" tty.out "Repeat the passphrase: "
    check_not "the passphrase is not echoed" grep -q "open sesame" tty.out
    check "minisign -R with the passphrase typed" \
        sh -c 'printf "open sesame\n" |
               minisign -R -s keys/tty.key -p tty-recovered.pub'
    same_line "key from the terminal is ours" \
        "$(sed -n 2p tty-recovered.pub)" "$(sed -n 2p keys/tty.pub)"

    on_tty mismatch.out 'open sesame\nopen sesame!\n' \
        "env -u PLEDGE_PASSPHRASE_FILE '$PLEDGE' keygen -o keys/mm;
         echo \"exit \$?\""
    contains "mismatch is an error" mismatch.out \
        "the passphrases do not match"
    contains "mismatch exits 2" mismatch.out "exit 2"
    check_not "no files after a mismatch" test -e keys/mm.key

    # Ctrl-C at the prompt: keygen dies of SIGINT and the terminal echoes
    # again (the shell, trapping INT, lives on to ask stty).
    cat >int.sh <<EOF
trap 'echo trapped' INT
env -u PLEDGE_PASSPHRASE_FILE "$PLEDGE" keygen -o keys/int
echo "exit \$?"
stty -a | tr ' ;' '\n\n' | grep -x -e echo -e -echo
EOF
    on_tty int.out 'open\003' "sh int.sh"
    tr -d '\r' <int.out >int.txt
    contains "Ctrl-C ends keygen by SIGINT" int.txt "exit 130"
    check "echo is back after Ctrl-C" grep -qx echo int.txt
    check_not "echo is not left off" grep -qx -- -echo int.txt
    check_not "no files after Ctrl-C" test -e keys/int.key
else
    echo "t_keygen: script(1) missing: the terminal prompt is not tested" >&2
fi
