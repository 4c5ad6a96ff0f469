#!/bin/sh
# deps.sh - install the Debian packages pledge needs, then link its fonts.
#
#   scripts/deps.sh          build, run and test
#   scripts/deps.sh bench    also what `make bench` compares against
#
# As root it installs what is missing; as anyone else it prints the exact
# apt-get line and stops, so nothing is half set up.
set -eu

cd "$(dirname "$0")/.."

pkgs="gcc make pkg-config libhpdf-dev libfreetype-dev libharfbuzz-dev
libsodium-dev check libsubunit-dev libyaml-dev libcmark-dev libhyphen-dev
zlib1g-dev
hyphen-en-us fonts-noto-core qpdf poppler-utils minisign xxd
clang libclang-rt-14-dev"
# bench: hyperfine times both tools; pdflatex, geometry, fancyhdr and
# psnfss come with texlive-latex-base, the Times fonts it sets the LaTeX
# twin in with texlive-fonts-recommended.  The batch bench adds Node.js
# (Typst runs in it, from npm), valgrind (callgrind's shares) and strace
# (time spent in fsync).
if [ "${1:-}" = bench ]; then
    pkgs="$pkgs hyperfine texlive-latex-base texlive-fonts-recommended
nodejs valgrind strace"
    # Debian's npm, unless an npm came with another nodejs (NodeSource's
    # bundles its own and conflicts with Debian's package).
    if ! command -v npm >/dev/null 2>&1; then
        pkgs="$pkgs npm"
    fi
fi

if [ "${1:-}" = leakcheck ]; then
    pkgs="$pkgs valgrind"
fi

missing=""
for p in $pkgs; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed'; then
        missing="$missing $p"
    fi
done

if [ -n "$missing" ]; then
    if [ "$(id -u)" -ne 0 ]; then
        echo "pledge: missing Debian packages; as root run:" >&2
        echo "  apt-get install -y --no-install-recommends$missing" >&2
        exit 1
    fi
    echo "pledge: installing$missing"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    # shellcheck disable=SC2086
    apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi

# The bundled family: Noto Serif from Debian's fonts-noto-core (SIL OFL 1.1).
noto=/usr/share/fonts/truetype/noto
for f in NotoSerif-Regular.ttf NotoSerif-Bold.ttf NotoSerif-Italic.ttf \
         NotoSerif-BoldItalic.ttf; do
    if [ ! -e "fonts/$f" ]; then
        ln -sf "$noto/$f" "fonts/$f"
    fi
done
