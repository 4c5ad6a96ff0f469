#!/bin/sh
# scan.sh - time `pledge verify --scan` on pictures of a signed pledge's
# signature page: a 300-dpi scan (PNG, then JPEG), a 150-dpi one, and the
# PDF itself, each to a VALID verdict, whole process.
#
#   sh bench/scan.sh build/pledge
#
# `make bench` runs this after bench/run.sh.  The pictures and the key
# stay in bench/work/scan/.  Exit status: 0 when everything ran, whether
# or not the target was met; 1 when a tool is missing or a seal is not
# found VALID.
set -eu
export LC_NUMERIC=C

if [ $# -ne 1 ]; then
    echo "usage: sh bench/scan.sh PLEDGE" >&2
    exit 2
fi
. "$(dirname "$0")/person.sh"
pledge=$(abs "$1")
cd "$(dirname "$0")/.."

warmup=3
runs=${BENCH_RUNS:-30}
max_ms=200          # a 300-dpi Letter page, found and checked

work=bench/work/scan
rm -rf "$work"
mkdir -p "$work/keys"
for tool in hyperfine pdftoppm convert; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "bench: $tool is not installed; 'make bench' installs it" >&2
        exit 1
    fi
done

"$pledge" keygen -o "$work/keys/bench" --signer "Bench Signer" \
    --no-passphrase >/dev/null 2>"$work/stderr" &&
"$pledge" render --layout vaimh-code --name "$name" \
    --credentials "$credentials" --id "$member_id" --date "$date" \
    --paper letter --sign-with "$work/keys/bench.key" -o "$work/pledge.pdf" \
    >/dev/null 2>>"$work/stderr" || {
    echo "bench: making the signed pledge failed: $(cat "$work/stderr")" >&2
    exit 1
}
# The signature page, where the seal is: the last.
last=$(pdfinfo "$work/pledge.pdf" | sed -n 's/^Pages: *//p')
pdftoppm -r 300 -gray -png -f "$last" -l "$last" "$work/pledge.pdf" \
    "$work/p300"
pdftoppm -r 150 -gray -png -f "$last" -l "$last" "$work/pledge.pdf" \
    "$work/p150"
# pdftoppm writes RGB even with -gray: a document scanner's grey is made
# from it.
mv "$work"/p300-*.png "$work/colour300.png"
mv "$work"/p150-*.png "$work/colour150.png"
convert "$work/colour300.png" -colorspace Gray "$work/page300.png"
convert "$work/colour150.png" -colorspace Gray "$work/page150.png"
convert "$work/page300.png" -quality 85 "$work/page300.jpg"

# time_scan NAME FILE: hyperfine's mean and sd of the whole command, and
# its mean user and system CPU time, in seconds, after checking that it
# gives VALID.
time_scan() {
    if ! "$pledge" verify --scan "$2" --key "$work/keys/bench.pub" \
            >"$work/$1.out" 2>&1; then
        echo "bench: verify --scan $2 is not VALID:" >&2
        cat "$work/$1.out" >&2
        exit 1
    fi
    hyperfine -N --warmup "$warmup" --runs "$runs" --style none \
        --export-json "$work/$1.json" \
        "'$pledge' verify --scan '$2' --key '$work/keys/bench.pub'" \
        >/dev/null 2>&1
    for f in mean stddev user system; do
        sed -n "s/^ *\"$f\": *\([0-9.eE+-]*\),*$/\1/p" "$work/$1.json" |
            head -n 1
    done | tr '\n' ' '
}

echo
echo "verify --scan: the signature page of a signed Letter pledge," \
     "whole process, hyperfine mean of $runs;"
echo "  CPU: user + system, which a busy machine stretches less than the" \
     "wall clock"
for k in page300.png colour300.png page300.jpg page150.png pledge.pdf; do
    set -- $(time_scan "$k" "$work/$k")
    case $k in
    page300.png)   what="300-dpi scan, grey PNG" ;;
    colour300.png) what="300-dpi scan, colour PNG" ;;
    page300.jpg)   what="300-dpi scan, JPEG q85" ;;
    page150.png)   what="150-dpi scan, grey PNG" ;;
    *)             what="the PDF, every page" ;;
    esac
    awk -v what="$what" -v m="$1" -v sd="$2" -v u="$3" -v sy="$4" \
        -v max="$max_ms" \
        -v target="$([ "$k" = page300.png ] && echo 1 || echo 0)" '
    BEGIN {
        line = sprintf("  %-28s %8.1f ms (sd %.1f; CPU %.1f ms)", what,
                       m * 1000, sd * 1000, (u + sy) * 1000)
        if (target)
            line = line sprintf("   target < %d ms %s", max,
                                m * 1000 < max ? "PASS" : "MISS")
        print line
    }'
done
