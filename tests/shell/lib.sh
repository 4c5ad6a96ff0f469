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
