# t_catalogue.sh - the bad-input catalogue: every row of tests/catalogue.tsv
# run through the real binary.  Each case must exit with its code, say what
# went wrong in one line that names the file (and line or row), not crash,
# and leave behind nothing it names as absent.
#
# Setup keywords make the inputs a row needs in $WORK; rofs and fullfs
# mount small tmpfs file systems (read-only; 16 KiB, too small for a
# pledge) and skip their rows, with a note, where mounting is not allowed.

export SOURCE_DATE_EPOCH=1795262400
unset PLEDGE_PASSPHRASE_FILE PLEDGE_KEYRING PLEDGE_DATADIR
cp -R "$TOP/tests/data/bad" bad
mkdir keys out
"$PLEDGE" keygen -o keys/k --no-passphrase >/dev/null 2>&1
"$PLEDGE" keygen -o keys/other --no-passphrase >/dev/null 2>&1
printf 'right horse\n' >pass.txt
printf 'wrong horse\n' >wrong.txt
"$PLEDGE" keygen -o keys/enc --passphrase-file pass.txt >/dev/null 2>&1
KEY=keys/k.key PUB=keys/k.pub EKEY=keys/enc.key
LONG=$(head -c 10000 /dev/zero | tr '\0' a)
LATIN1=$(printf 'Jos\351')
ESC=$(printf 'A\033[31mB')
"$PLEDGE" render -l vaimh-code -n "Ann Lee" -o plain.pdf >/dev/null 2>&1
"$PLEDGE" sign plain.pdf --key "$KEY" -o signed.pdf >/dev/null 2>&1
check "catalogue: the base layout renders and signs" test -f signed.pdf
mounted=

# cut_at FILE WORD OUT: FILE up to 60 bytes past its last line starting
# with WORD, so the cut falls inside the table that line opens.
cut_at() {
    off=$(grep -abo "^$2" "$1" | tail -n 1 | cut -d: -f1)
    head -c $((off + 60)) "$1" >"$3"
}

# try_mount DIR OPTIONS: a small tmpfs at DIR, once; fails when not allowed.
try_mount() {
    case " $mounted " in *" $1 "*) return 0 ;; esac
    mkdir -p "$1"
    mount -t tmpfs -o "$2" tmpfs "$1" 2>/dev/null || return 1
    mounted="$mounted $1"
}

# setup KEYWORD: makes what the row needs; fails (the row is skipped) when
# it cannot be made here.  why says why.
setup() {
    why=
    case $1 in
    -) ;;
    adir) mkdir -p adir ;;
    empty) : >empty.md; : >empty.pdf; : >empty.csv; : >empty.txt ;;
    utf8-layout) sed 's/every family/every \xff family/' bad/base.md >utf8.md ;;
    nul-layout) sed 's/every family/every \x00 family/' bad/base.md >nul.md ;;
    nul-roster) printf 'name,id\nAnn\000Lee,1\n' >nul.csv ;;
    utf8-roster) printf 'name,id\n\377Ann Lee,1\n' >utf8.csv ;;
    ctl-roster) printf 'name,id\nAnn\007Lee,1\n' >ctl.csv ;;
    utf16-roster) printf '\377\376n\000a\000m\000e\000\n\000' >utf16.csv ;;
    layout-copy) cp bad/base.md mine.md ;;
    roster-copy) printf 'name\nAnn Lee\n' >roster.csv ;;
    optfile) : >./--keyring=.pdf; : >./--name=A ;;
    pdfs)
        cut_at plain.pdf xref truncated.pdf
        cut_at signed.pdf xref signed-truncated.pdf ;;
    qpdf)
        command -v qpdf >/dev/null 2>&1 || { why="qpdf missing"; return 1; }
        qpdf --encrypt u o 256 -- plain.pdf encrypted.pdf 2>/dev/null
        qpdf --object-streams=generate plain.pdf xrefstream.pdf 2>/dev/null
        ;;
    badkeys)
        # A changed character in the secret key's bytes (past the unused
        # salt and limits of an unencrypted key), a character base64 does
        # not have, no key line; public keys a few bytes short and long.
        line=$(sed -n 2p keys/k.key)
        c=$(printf '%s' "$line" | cut -c 151)
        r=A; [ "$c" = A ] && r=B
        sed "2s/^\(.\{150\}\)./\1$r/" keys/k.key >keys/corrupt.key
        sed '2s/^\(.\{20\}\)./\1!/' keys/k.key >keys/base64.key
        head -n 1 keys/k.key >keys/empty.key
        cp keys/k.pub keys/pub-as-secret.key
        chmod 600 keys/corrupt.key keys/base64.key keys/empty.key \
            keys/pub-as-secret.key
        sed '2s/....$//' keys/k.pub >keys/short.pub
        sed '2s/$/AAAA/' keys/k.pub >keys/long.pub ;;
    rofs)
        try_mount rofs ro,size=16k || { why="cannot mount a tmpfs"; return 1; }
        ;;
    fullfs)
        try_mount fullfs size=16k || { why="cannot mount a tmpfs"; return 1; }
        printf 'name\nAnn Lee\n' >roster.csv ;;
    devfull)
        [ -c /dev/full ] || { why="no /dev/full"; return 1; } ;;
    nodata) PLEDGE_DATADIR=./nodata; export PLEDGE_DATADIR ;;
    baddata)
        mkdir -p baddata/layouts
        cp bad/yaml-syntax.md baddata/layouts/
        PLEDGE_DATADIR=./baddata; export PLEDGE_DATADIR ;;
    *) why="unknown setup '$1'"; return 1 ;;
    esac
}

run_pledge() { "$PLEDGE" "$@"; }

cases=0
tab=$(printf '\t')
while IFS="$tab" read -r id kw cmd code msg absent stream; do
    case $id in ''|'#'*|id) continue ;; esac
    name="catalogue $id"
    slug=${id%% *}
    OUT=out/$slug.pdf DIR=out/$slug.d BASE=out/$slug
    if ! setup "$kw"; then
        echo "note: $name skipped: $why" >&2
        continue
    fi
    cases=$((cases + 1))
    eval "run_pledge $cmd" >"$WORK/stdout" 2>"$WORK/stderr" </dev/null
    got=$?
    unset PLEDGE_DATADIR
    if [ "$got" -eq "$code" ]; then pass "$name: exit $code"; else
        fail "$name: exit $got, wanted $code: $(head -c 300 "$WORK/stderr")"
    fi
    if [ "$got" -lt 128 ] &&
       ! grep -q 'Sanitizer\|runtime error' "$WORK/stderr"; then
        pass "$name: no crash"
    else
        fail "$name: crashed (exit $got): $(head -c 300 "$WORK/stderr")"
    fi
    # The message: one line holding the text.  On stderr, batch's summary
    # line or an option error's "Try 'pledge CMD --help'." may follow it
    # and key derivation's progress line precede it; verify's verdicts go
    # to stdout, one per file.
    if [ "$stream" = stdout ]; then
        grep -F -- "$msg" "$WORK/stdout" >"$WORK/said"
        [ -s "$WORK/stderr" ] && cat "$WORK/stderr" >>"$WORK/said"
    else
        grep -v "^batch: [0-9]* rows: \\|^Deriving a key \\|^Try 'pledge " \
            "$WORK/stderr" >"$WORK/said"
    fi
    if [ "$(wc -l <"$WORK/said")" -eq 1 ] &&
       grep -qF -- "$msg" "$WORK/said"; then
        pass "$name: message"
    else
        fail "$name: wanted one line with '$msg', got:" \
            "$(head -c 300 "$WORK/said")"
    fi
    if [ "$absent" != - ]; then
        left=
        for f in $(eval "echo $absent"); do
            [ -e "$f" ] && left="$left $f"
        done
        if [ -z "$left" ]; then pass "$name: nothing left behind"; else
            fail "$name: left behind:$left"; fi
    fi
done <"$TOP/tests/catalogue.tsv"

for m in $mounted; do
    umount "$m" 2>/dev/null
done
check "catalogue: at least 40 cases ran ($cases)" test "$cases" -ge 40
