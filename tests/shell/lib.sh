# lib.sh - checks for the shell tests.  Every check records one line in
# $RESULTS: "pass NAME" or "fail NAME: why".

pass() { echo "pass $TEST: $1" >>"$RESULTS"; }
fail() { echo "fail $TEST: $1" >>"$RESULTS"; }

# check DESCRIPTION COMMAND...: the command must succeed.
check() {
    d=$1; shift
    if "$@" >/dev/null 2>&1; then pass "$d"; else fail "$d"; fi
}

# check_not DESCRIPTION COMMAND...: the command must fail.
check_not() {
    d=$1; shift
    if "$@" >/dev/null 2>&1; then fail "$d"; else pass "$d"; fi
}

# expect_exit CODE DESCRIPTION COMMAND...: exact exit status; stderr is
# kept in $WORK/stderr for later checks.
expect_exit() {
    want=$1; d=$2; shift 2
    "$@" >"$WORK/stdout" 2>"$WORK/stderr"
    got=$?
    if [ "$got" -eq "$want" ]; then
        pass "$d"
    else
        fail "$d (exit $got, wanted $want: $(head -c 300 "$WORK/stderr"))"
    fi
}

# contains DESCRIPTION FILE TEXT: FILE holds TEXT (fixed string).
contains() {
    if grep -qF -- "$3" "$2"; then pass "$1"; else
        fail "$1 ('$3' not in $(head -c 300 "$2"))"; fi
}

# one_line DESCRIPTION FILE: FILE is exactly one line.
one_line() {
    if [ "$(wc -l <"$2")" -eq 1 ]; then pass "$1"; else
        fail "$1 ($(wc -l <"$2") lines)"; fi
}

# A pledge's base keeps its dictionaries (the Info with /PledgeSeal and
# /PledgeInputs, the pages, the structure) compressed in one object
# stream.  objstm_at PDF sets _at (the offset of its dictionary), _dict
# (the dictionary through "stream"), _data (where its data starts) and
# _len (its /Length).
objstm_at() {
    _m=$(grep -a -b -o '<</Type/ObjStm/N [0-9]*/First [0-9]*/Filter/FlateDecode/Length [0-9]*>>stream' "$1" | head -1)
    _at=${_m%%:*}
    _dict=${_m#*:}
    _len=$(printf '%s' "$_dict" | sed 's/.*Length \([0-9]*\)>>stream/\1/')
    _data=$((_at + ${#_dict} + 1))
}

# objstm PDF: the decoded bytes of that object stream, for grep.
objstm() {
    objstm_at "$1"
    [ -n "$_at" ] || return 1
    tail -c +$((_data + 1)) "$1" | head -c "$_len" | zlib-flate -uncompress
}

# objstm_sed PDF EXPR OUT: PDF with sed EXPR applied to the object
# stream's decoded bytes, written back compressed with the /Length it
# then has.  The bytes after it do not move with it (their offsets are
# left as they were): for tampering with a signed pledge.
objstm_sed() {
    objstm_at "$1"
    objstm "$1" | sed "$2" | zlib-flate -compress >"$3.z"
    {
        head -c "$_at" "$1"
        printf '%s\n' "$_dict" |
            sed "s/Length [0-9]*>>/Length $(wc -c <"$3.z")>>/"
        cat "$3.z"
        tail -c +$((_data + _len + 1)) "$1"
    } >"$3"
    rm -f "$3.z"
}
