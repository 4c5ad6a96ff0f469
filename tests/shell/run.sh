#!/bin/sh
# run.sh - run every tests/shell/t_*.sh against a pledge binary.
#
#   sh tests/shell/run.sh build/pledge
#
# Each test file is sourced in a subshell with lib.sh loaded; the counts of
# its checks are gathered here and printed as "N passed, N failed".
set -u
PLEDGE=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
TOP=$(cd "$(dirname "$0")/../.." && pwd)
export PLEDGE TOP
RESULTS=$(mktemp)
export RESULTS

for t in "$TOP"/tests/shell/t_*.sh; do
    name=$(basename "$t" .sh)
    WORK=$(mktemp -d)
    export WORK
    (
        cd "$WORK" || exit 1
        . "$TOP/tests/shell/lib.sh"
        TEST=$name
        . "$t"
    ) || echo "fail $name: exited early" >>"$RESULTS"
    rm -rf "$WORK"
done

passed=$(grep -c '^pass ' "$RESULTS")
failed=$(grep -c '^fail ' "$RESULTS")
grep '^fail ' "$RESULTS" | sed 's/^fail /FAIL: /'
rm -f "$RESULTS"
echo "shell: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
