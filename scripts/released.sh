#!/bin/sh
# released.sh - keep the signed pledges made by this release of pledge in
# tests/data/released/, for tests/shell/t_released.sh.
#
#   scripts/released.sh [PLEDGE]     (default: build/pledge)
#
# Run it whenever PLEDGE_VERSION (src/pledge.h) changes, and commit the
# five files it writes: pledge-VERSION.pdf, signed by the applicant, and
# pledge-VERSION.pub, its public key; pledge-VERSION-endorsed.pdf, the
# same pledge endorsed by the association, with the association's public
# key and role record, pledge-VERSION-endorsed.pub and .role.  The secret
# keys are made in a temporary directory and removed: they are never kept.  Pledges of earlier
# releases stay, so every release is checked against every earlier one:
# a pledge pledge made must never verify INVALID.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
pledge=${1:-$top/build/pledge}
version=$("$pledge" --version | awk '{ print $2 }')
out=$top/tests/data/released
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

mkdir -p "$out"
name="Ǹgọ̀c Ệ Жанна Ϊώ Quinn"
"$pledge" keygen -o "$tmp/k" --no-passphrase --signer "$name" >/dev/null
"$pledge" render --layout vaimh-code --name "$name" --credentials IMH-E \
    --id VA-0142 --date 2026-12-07 --sign-with "$tmp/k.key" \
    -o "$tmp/pledge.pdf" >/dev/null
"$pledge" keygen -o "$tmp/a" --no-passphrase --role association \
    --signer "Virginia Association for Infant Mental Health" >/dev/null
"$pledge" endorse "$tmp/pledge.pdf" --key "$tmp/a.key" \
    --applicant-key "$tmp/k.pub" -o "$tmp/endorsed.pdf" >/dev/null
cp "$tmp/k.pub" "$out/pledge-$version.pub"
cp "$tmp/pledge.pdf" "$out/pledge-$version.pdf"
cp "$tmp/a.pub" "$out/pledge-$version-endorsed.pub"
cp "$tmp/a.role" "$out/pledge-$version-endorsed.role"
cp "$tmp/endorsed.pdf" "$out/pledge-$version-endorsed.pdf"
echo "released.sh: wrote tests/data/released/pledge-$version.pdf," \
    "pledge-$version-endorsed.pdf and their .pub"
