#!/bin/sh
# samples.sh - render a sample pledge for every bundled layout.
#   sh scripts/samples.sh build/pledge out
set -eu
pledge=$1
out=$2
mkdir -p "$out"
for f in layouts/*.md; do
    id=$(basename "$f" .md)
    "$pledge" render --layout "$id" --name "Nguyễn Thị Minh Khai" \
        --credentials "PhD, LCSW, IMH-E®" --id "VA-2026-0142" \
        --date 2026-11-21 -o "$out/$id.pdf"
done
echo "pledge: sample pledges written:"
for f in "$out"/*.pdf; do
    echo "  $f ($(wc -c <"$f") bytes)"
done
