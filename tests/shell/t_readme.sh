# t_readme.sh - README.md's commands work as written and print what it
# shows.  Every indented line starting with "$ " (and the lines a trailing
# backslash continues) is run, in order, in a scratch directory laid out
# like the repository's top: build/pledge, examples/.  The indented lines
# after a command, up to a blank line or the next command, are its
# expected output (standard output and error together, trailing blanks
# ignored).  In them "…" alone on a line stands for any number of lines,
# and "…" within a line for any text.  Commands shown without "$ " (the
# set-up) are not run here.
#
# Only the environment is prepared: a passphrase file for the prompts and
# SOURCE_DATE_EPOCH for fixed dates.  Each key derivation is an scrypt run
# at minisign's limits, so this file takes some seconds.

tour=$WORK/tour
mkdir -p "$tour/build" "$WORK/readme"
ln -s "$PLEDGE" "$tour/build/pledge"
cp -R "$TOP/examples" "$tour/examples"
printf 'tour passphrase\n' >"$WORK/pass.txt"

# Splits README.md into cmd.N and want.N in $WORK/readme.
awk -v dir="$WORK/readme" '
    function flush() { if (n) close(dir "/want." n) }
    /^    \$ / {
        flush(); n++
        line = substr($0, 7)
        printf "%s\n", line >(dir "/cmd." n)
        cont = line ~ /\\$/
        want = 1
        printf "" >(dir "/want." n)
        next
    }
    cont {
        printf "%s\n", $0 >(dir "/cmd." n)
        cont = $0 ~ /\\$/
        next
    }
    want && /^    / && !/^    \$ / {
        sub(/^    /, ""); sub(/[ \t]+$/, "")
        print >(dir "/want." n)
        next
    }
    { want = 0 }
    END { flush(); print n + 0 >(dir "/count") }
' "$TOP/README.md"
count=$(cat "$WORK/readme/count")
if [ "$count" -ge 10 ]; then
    pass "README shows $count commands"
else
    fail "README shows only $count commands (wanted at least 10)"
fi

# matches WANT GOT: GOT's lines are WANT's, with "…" as above.
matches() {
    awk '
        NR == FNR { w[++nw] = $0; next }
        { sub(/[ \t\r]+$/, ""); g[++ng] = $0 }
        function line(p, s,    parts, n, k, pos, i, last) {
            n = split(p, parts, "…")
            if (n == 1)
                return p == s
            if (substr(s, 1, length(parts[1])) != parts[1])
                return 0
            pos = length(parts[1]) + 1
            for (k = 2; k < n; k++) {
                i = index(substr(s, pos), parts[k])
                if (i == 0)
                    return 0
                pos += i - 1 + length(parts[k])
            }
            last = parts[n]
            return length(s) - pos + 1 >= length(last) &&
                substr(s, length(s) - length(last) + 1) == last
        }
        function m(i, j) {
            if (i > nw)
                return j > ng
            if (w[i] == "…")
                return m(i + 1, j) || (j <= ng && m(i, j + 1))
            return j <= ng && line(w[i], g[j]) && m(i + 1, j + 1)
        }
        END { exit !m(1, 1) }
    ' "$1" "$2"
}

i=0
while [ "$i" -lt "$count" ]; do
    i=$((i + 1))
    cmd=$(cat "$WORK/readme/cmd.$i")
    first=$(head -n 1 "$WORK/readme/cmd.$i")
    got=$WORK/readme/got.$i
    (cd "$tour" && env -u PLEDGE_DATADIR -u PLEDGE_KEYRING \
        PLEDGE_PASSPHRASE_FILE="$WORK/pass.txt" \
        SOURCE_DATE_EPOCH=1795262400 sh -c "$cmd") >"$got" 2>&1
    rc=$?
    if [ "$rc" -eq 0 ]; then
        pass "README command $i runs: $first"
    else
        fail "README command $i exits $rc: $first: $(head -c 300 "$got")"
    fi
    if matches "$WORK/readme/want.$i" "$got"; then
        pass "README command $i prints what README shows"
    else
        fail "README command $i prints otherwise than README shows: $first: $(diff "$WORK/readme/want.$i" "$got" | head -n 12 | tr '\n' '|')"
    fi
done

# What the tour made is what it says it made.
check "tour made pledge.pdf" test -s "$tour/pledge.pdf"
check "tour made the detached signature" test -s "$tour/pledge-signed.pdf.minisig"
same=$(stat -c %a "$tour/keys" 2>/dev/null)
if [ "$same" = 700 ]; then pass "tour's keys/ is mode 0700"; else
    fail "tour's keys/ is mode '$same', not 700"; fi
