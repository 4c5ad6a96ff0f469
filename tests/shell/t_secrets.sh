# t_secrets.sh - secret keys stay secret.  Keys are made 0600; a secret
# key file others can reach, or one that is not a regular file, is refused
# with the chmod that fixes it (before any passphrase prompt) unless
# --allow-insecure-key is given; and no byte of a secret key, nor its key
# line, nor a passphrase, reaches standard output, standard error, a
# manifest, a pledge, a print file or any file a run leaves behind, a
# failed or killed run included.
#
# The secrets are found with coreutils and xxd alone (no python3): the
# seed is bytes 62..93 of the decoded key line (minisign's layout, see
# src/sign/key.h).  A scan looks in every file for the seed as raw bytes
# and as hex, a run of the key line's base64 that holds only seed bytes,
# the encrypted key's key line, and both passphrases.  The key files
# themselves live in keys/, the one place not scanned.
#
# Four scrypt runs at minisign's limits (1 GiB, a second or two each):
# making the one encrypted key, render and batch using it, and a wrong
# passphrase.

export SOURCE_DATE_EPOCH=1795262400
unset PLEDGE_PASSPHRASE_FILE PLEDGE_KEYRING
umask 022
mkdir keys s s/tmp
# Anything a run puts in a temporary directory lands where it is scanned.
TMPDIR=$WORK/s/tmp
export TMPDIR
PASS='Sesame-7Qx!pledge secret phrase'
WRONG='Wrong-4Zk!pledge other phrase'
printf '%s\n' "$PASS" >keys/pass.txt
printf '%s\n' "$WRONG" >keys/wrong.txt
chmod 600 keys/pass.txt keys/wrong.txt

# same DESCRIPTION A B: A and B are the same non-empty text.
same() {
    if [ -n "$2" ] && [ "$2" = "$3" ]; then pass "$1"; else
        fail "$1 ('$2' is not '$3')"; fi
}

# run NAME CODE DESCRIPTION COMMAND...: runs the command with its standard
# output and error kept in s/NAME.out and s/NAME.err (so they are scanned)
# and checks its exit status.
run() {
    name=$1; want=$2; d=$3; shift 3
    "$@" >"s/$name.out" 2>"s/$name.err"
    got=$?
    if [ "$got" -eq "$want" ]; then pass "$d"; else
        fail "$d (exit $got, wanted $want: $(head -c 300 "s/$name.err"))"
    fi
}

# Bytes [from, from + n) of the decoded key line of key file $1, in hex.
blob_hex() {
    sed -n 2p "$1" | base64 -d | tail -c +"$(($2 + 1))" | head -c "$3" |
        xxd -p | tr -d '\n'
}

# ---- Keys are made 0600 ----

run keygen-raw 0 "keygen --no-passphrase" \
    "$PLEDGE" keygen -o keys/raw --signer "Secret Keeper" --no-passphrase
run keygen-enc 0 "keygen with a passphrase file" \
    "$PLEDGE" keygen -o keys/enc --passphrase-file keys/pass.txt
same "unencrypted secret key made 0600 under umask 022" \
    "$(stat -c %a keys/raw.key)" 600
same "encrypted secret key made 0600 under umask 022" \
    "$(stat -c %a keys/enc.key)" 600
same "public key made 0644" "$(stat -c %a keys/raw.pub)" 644
"$PLEDGE" keygen -o keys/again --no-passphrase >/dev/null 2>&1
chmod 644 keys/again.key
run keygen-force 0 "keygen --force over a key left 0644" \
    "$PLEDGE" keygen -o keys/again --no-passphrase --force
same "a key made again with --force is 0600" \
    "$(stat -c %a keys/again.key)" 600

# ---- The secrets to look for ----

line=$(sed -n 2p keys/raw.key)
seed=$(blob_hex keys/raw.key 62 32)
SEED=$(printf '%s' "$seed" | tr a-f A-F)
# Characters 84..123 of the key line encode bytes 63..92: seed alone.
b64=$(printf '%s' "$line" | cut -c 85-124)
encline=$(sed -n 2p keys/enc.key)
same "the seed is 32 bytes" "${#seed}" 64
same "the base64 run is 40 characters" "${#b64}" 40
same "the key line is minisign's 212 characters" "${#line}" 212
# The secret key's second half is its public key: this pins the offsets.
same "the secret key's public half is the .pub's key" \
    "$(blob_hex keys/raw.key 94 32)" "$(blob_hex keys/raw.pub 10 32)"

# leaks FILE...: prints each file that holds a secret.
leaks() {
    for f in "$@"; do
        if grep -qF -e "$b64" -e "$encline" -e "$PASS" -e "$WRONG" \
               -e "$seed" -e "$SEED" "$f" ||
           xxd -p "$f" | tr -d '\n' | grep -qF "$seed"; then
            printf '%s\n' "$f"
        fi
    done
}

# The scan finds what it looks for (else a clean result would mean
# nothing): the key files, the raw seed inside other bytes, its hex, a
# passphrase.
{ printf 'PDF'; sed -n 2p keys/raw.key | base64 -d | tail -c +63 |
      head -c 32; printf 'tail'; } >keys/raw-seed.bin
printf 'x%sy\n' "$SEED" >keys/seed-hex.txt
printf 'error: %s\n' "$WRONG" >keys/pass-echo.txt
for f in keys/raw.key keys/enc.key keys/raw-seed.bin keys/seed-hex.txt \
         keys/pass-echo.txt keys/pass.txt; do
    same "the scan finds the secret in $f" "$(leaks "$f")" "$f"
done
same "the scan finds nothing in a public key" "$(leaks keys/raw.pub)x" x

# ---- Refusing keys others can reach ----

cp keys/raw.key keys/open.key
chmod 640 keys/open.key
hint="run: chmod 600 keys/open.key (or pass --allow-insecure-key)"
run open-render 2 "render refuses a group-readable key" \
    "$PLEDGE" render -l vaimh-code -n "Jane Doe" -o s/open.pdf \
    --sign-with keys/open.key
contains "render says why" s/open-render.err \
    "read keys/open.key: the secret key is readable by others (mode 0640)"
contains "render says how to fix it" s/open-render.err "$hint"
one_line "the refusal is one line" s/open-render.err
check_not "the refusal writes nothing to stdout" test -s s/open-render.out
check_not "the refusal writes no pledge" test -e s/open.pdf
"$PLEDGE" render -l vaimh-code -n "Jane Doe" -o s/plain.pdf >/dev/null 2>&1
run open-sign 2 "sign refuses a group-readable key" \
    "$PLEDGE" sign s/plain.pdf --key keys/open.key -o s/open-signed.pdf
contains "sign says how to fix it" s/open-sign.err "$hint"
check_not "sign writes nothing to stdout" test -s s/open-sign.out
check_not "sign writes no pledge" test -e s/open-signed.pdf
printf 'name,id\nAda Lovelace,1\n' >s/one.csv
run open-batch 2 "batch refuses a group-readable key" \
    "$PLEDGE" batch s/one.csv --layout vaimh-code --key keys/open.key \
    --out s/open-batch
contains "batch says how to fix it" s/open-batch.err "$hint"
check_not "batch makes no pledge or manifest" \
    sh -c 'ls -A s/open-batch | grep -q .'
chmod 604 keys/open.key
run world-render 2 "a world-readable key is refused" \
    "$PLEDGE" render -l vaimh-code -n "Jane Doe" -o s/open.pdf \
    --sign-with keys/open.key
contains "world-readable named with its mode" s/world-render.err \
    "readable by others (mode 0604)"

# Refused before a passphrase is asked for: with no terminal (setsid) and
# no passphrase file, asking would be a different error.
cp keys/enc.key keys/enc-open.key
chmod 644 keys/enc-open.key
run open-enc 2 "an encrypted key is refused before any prompt" \
    setsid -w "$PLEDGE" render -l vaimh-code -n "Jane Doe" -o s/open.pdf \
    --sign-with keys/enc-open.key
contains "the encrypted key's refusal gives the fix" s/open-enc.err \
    "run: chmod 600 keys/enc-open.key"

# --allow-insecure-key, as ssh lets one insist.
run insecure-render 0 "render --allow-insecure-key" \
    "$PLEDGE" render -l vaimh-code -n "Jane Doe" -o s/insecure.pdf \
    --sign-with keys/open.key --allow-insecure-key
run insecure-sign 0 "sign --allow-insecure-key" \
    "$PLEDGE" sign s/plain.pdf --key keys/open.key -o s/insecure-signed.pdf \
    --allow-insecure-key
run insecure-batch 0 "batch --allow-insecure-key" \
    "$PLEDGE" batch s/one.csv --layout vaimh-code --key keys/open.key \
    --out s/insecure-batch --allow-insecure-key
run insecure-verify 0 "what an allowed key signed verifies" \
    "$PLEDGE" verify --key keys/raw.pub s/insecure.pdf s/insecure-signed.pdf \
    s/insecure-batch
contains "all three signed" s/insecure-verify.out "3 valid, 0 invalid"
run insecure-alone 2 "--allow-insecure-key without --sign-with" \
    "$PLEDGE" render -l vaimh-code -n "Jane Doe" -o s/x.pdf \
    --allow-insecure-key
for cmd in render sign batch; do
    "$PLEDGE" $cmd --help >s/help-$cmd.out 2>&1
    contains "$cmd --help shows --allow-insecure-key" s/help-$cmd.out \
        "--allow-insecure-key"
done

# Not a regular file: refused, even when allowed, without waiting on a
# FIFO for a writer.
mkfifo keys/fifo.key
run fifo 2 "a FIFO as the key is refused" \
    timeout 20 "$PLEDGE" render -l vaimh-code -n "Jane Doe" -o s/x.pdf \
    --sign-with keys/fifo.key --allow-insecure-key
contains "a FIFO is named as not a regular file" s/fifo.err \
    "not a regular file"
run dir-key 2 "a directory as the key is refused" \
    "$PLEDGE" sign s/plain.pdf --key keys -o s/x.pdf
contains "a directory is named as not a regular file" s/dir-key.err \
    "not a regular file"

# ---- Every command, then a scan of everything it left ----

run render 0 "render --sign-with --detached" \
    "$PLEDGE" render -l vaimh-code -n "Jane Doe" -c "IMH-E" -i VA-1 \
    -o s/signed.pdf --sign-with keys/raw.key --detached
run render-stdout 0 "render a signed pledge to standard output" \
    "$PLEDGE" render -l alliance-code -n "Ana Ruiz" -o - \
    --sign-with keys/raw.key
check "standard output holds the pledge" \
    sh -c 'head -c 5 s/render-stdout.out | grep -q "%PDF-"'
run render-enc 0 "render with the encrypted key" \
    "$PLEDGE" render -l vaimh-code -n "Jane Doe" -o s/signed-enc.pdf \
    --sign-with keys/enc.key --passphrase-file keys/pass.txt
run sign 0 "sign --detached" \
    "$PLEDGE" sign s/plain.pdf --key keys/raw.key -o s/plain-signed.pdf \
    --detached
run sign-stdout 0 "sign to standard output" \
    "$PLEDGE" sign s/plain.pdf --key keys/raw.key -o -
run verify 0 "verify valid pledges" \
    "$PLEDGE" verify --keyring keys s/signed.pdf s/plain-signed.pdf \
    s/signed-enc.pdf
run verify-json 0 "verify --json" \
    "$PLEDGE" verify --json --keyring keys s/signed.pdf
run verify-seckey 2 "verify refuses a secret key given as a public one" \
    "$PLEDGE" verify --key keys/raw.key s/signed.pdf
contains "the secret key is named not a public key" s/verify-seckey.err \
    "not a minisign public key"
cp s/signed.pdf s/tampered.pdf
printf 'X' | dd of=s/tampered.pdf bs=1 seek=2000 conv=notrunc 2>/dev/null
run verify-bad 1 "verify a tampered pledge" \
    "$PLEDGE" verify --keyring keys s/tampered.pdf
awk 'BEGIN { print "name,credentials,id"
             for (i = 1; i <= 12; i++)
                 printf "Person %d,IMH-E,ID-%d\n", i, i }' >s/roster.csv
run batch 0 "batch --jobs 2 --print" \
    "$PLEDGE" batch s/roster.csv --layout vaimh-code --key keys/raw.key \
    --out s/batch --jobs 2 --print s/print.pdf
check "the batch wrote a manifest" test -s s/batch/manifest.jsonl
run batch-stdin 2 "batch from standard input with a bad row" \
    sh -c "printf 'name,id\nOk Row,1\n,2\n' | \"\$0\" batch - \
        --layout vaimh-code --key keys/raw.key --out s/batch-bad" "$PLEDGE"
run batch-enc 0 "batch with the encrypted key" \
    "$PLEDGE" batch s/one.csv --layout vaimh-code --key keys/enc.key \
    --passphrase-file keys/pass.txt --out s/batch-enc

# Failing runs: their messages name no secret.
run wrong-pass 2 "a wrong passphrase is refused" \
    "$PLEDGE" sign s/plain.pdf --key keys/enc.key \
    --passphrase-file keys/wrong.txt -o s/x.pdf
contains "the wrong passphrase is named as such" s/wrong-pass.err \
    "wrong passphrase"
{ sed -n 1p keys/raw.key
  printf '%s\n' "$line" | sed 's/^\(.\{150\}\)./\1!/'; } >keys/badb64.key
chmod 600 keys/badb64.key
run bad-base64 2 "a key line that is not base64" \
    "$PLEDGE" sign s/plain.pdf --key keys/badb64.key -o s/x.pdf
# Character 151 encodes bytes 111..113, in the secret key's public half:
# another letter there is a damaged key the checksum catches.
c=$(printf '%s' "$line" | cut -c 151)
if [ "$c" = A ]; then c=B; else c=A; fi
{ sed -n 1p keys/raw.key
  printf '%s\n' "$line" | sed "s/^\(.\{150\}\)./\1$c/"; } >keys/flip.key
chmod 600 keys/flip.key
run bad-checksum 2 "a damaged key" \
    "$PLEDGE" sign s/plain.pdf --key keys/flip.key -o s/x.pdf
contains "the damaged key is named corrupt" s/bad-checksum.err "corrupt"

# A batch killed mid-run, workers and all (its own process group, so
# nothing is still writing during the scan), leaves temporary files; they
# are scanned too.
awk 'BEGIN { print "name,id"
             for (i = 1; i <= 600; i++) printf "Killed %d,K-%d\n", i, i }' \
    >s/big.csv
setsid sh -c 'echo $$ >pgid; exec "$@"' sh "$PLEDGE" batch s/big.csv \
    --layout vaimh-code --key keys/raw.key --out s/killed --jobs 2 \
    >s/killed.out 2>s/killed.err &
pid=$!
sleep 0.3
pgid=$(cat pgid)
kill -KILL "-$pgid" 2>/dev/null
wait $pid 2>/dev/null
i=0
while kill -0 "-$pgid" 2>/dev/null && [ $i -lt 100 ]; do
    sleep 0.1
    i=$((i + 1))
done
check_not "the killed batch is gone" kill -0 "-$pgid"

find s -type f >files.txt
n=$(wc -l <files.txt)
check "the scan covers every run's files ($n)" test "$n" -ge 60
found=$(while IFS= read -r f; do leaks "$f"; done <files.txt)
if [ -z "$found" ]; then
    pass "no secret in stdout, stderr, pledges, manifests or leftovers"
else
    fail "secrets found in: $(printf '%s' "$found" | tr '\n' ' ')"
fi
