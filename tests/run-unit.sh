#!/bin/sh
# run-unit.sh - run each Check test binary; fail if any fails.
status=0
for t in "$@"; do
    "$t" || status=1
done
exit $status
