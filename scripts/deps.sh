#!/bin/sh
# deps.sh - install the Debian packages pledge needs (Debian 12 or 13).
#
#   scripts/deps.sh              build, run and test
#   scripts/deps.sh bench        also what `make bench` compares against
#   scripts/deps.sh leakcheck    also valgrind
#   scripts/deps.sh --list [..]  print the package names chosen, one a line
#
# As root it installs what is missing; as anyone else it prints the exact
# apt-get line and stops, so nothing is half set up.  Names that differ
# between releases are chosen by what this release's archive offers.
set -eu

cd "$(dirname "$0")/.."

list=0
if [ "${1:-}" = --list ]; then
    list=1
    shift
fi

# verify --scan reads pictures with libpng, libjpeg and poppler (PDF,
# drawn with cairo), and their QR codes with zbar; its tests make the
# pictures with ImageMagick, qrencode and img2pdf, and read seals with
# zbarimg (zbar-tools).  The glyph tests read the text back with
# mutool (mupdf-tools) and Ghostscript besides Poppler and pdf.js.
pkgs="gcc make pkg-config libhpdf-dev libfreetype-dev libharfbuzz-dev
libsodium-dev check libsubunit-dev libyaml-dev libcmark-dev libhyphen-dev
zlib1g-dev libdeflate-dev libqrencode-dev libzbar-dev libpng-dev libjpeg-dev
libpoppler-glib-dev libcairo2-dev
hyphen-en-us fonts-noto-core qpdf poppler-utils minisign xxd zbar-tools
imagemagick qrencode img2pdf mupdf-tools ghostscript
clang
nodejs chromium"
# The verify page (web/) is bundled with Node.js from npm packages, and its
# tests drive Debian's Chromium.
# Debian's npm, unless an npm came with another nodejs (NodeSource's
# bundles its own and conflicts with Debian's package).
if ! command -v npm >/dev/null 2>&1; then
    pkgs="$pkgs npm"
fi
# bench: hyperfine times both tools; pdflatex, geometry, fancyhdr and
# psnfss come with texlive-latex-base, the Times fonts it sets the LaTeX
# twin in with texlive-fonts-recommended.  The batch bench adds valgrind
# (callgrind's shares) and strace (time spent in fsync); Typst runs in
# Node.js, from npm, as the verify page's build does.
if [ "${1:-}" = bench ]; then
    pkgs="$pkgs hyperfine texlive-latex-base texlive-fonts-recommended
valgrind strace"
fi

if [ "${1:-}" = leakcheck ]; then
    pkgs="$pkgs valgrind"
fi

# True when package $1 is installed.
installed() {
    dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'ok installed'
}

# True when the archive (as apt knows it) offers package $1.
offered() {
    apt-cache policy "$1" 2>/dev/null | grep -q '^  Candidate: [^(]'
}

# The first of the names given that is installed, else the first the
# archive offers; nothing when none is.
choose() {
    for p in "$@"; do
        if installed "$p"; then echo "$p"; return; fi
    done
    for p in "$@"; do
        if offered "$p"; then echo "$p"; return; fi
    done
}

# clang's sanitizer and libFuzzer runtimes: libclang-rt-dev where the
# release has it (Debian 13; Debian 12 since a point release), else the
# versioned package of the clang the release's clang depends on (Debian
# 12 before that: clang-14, libclang-rt-14-dev).
clang_rt() {
    v=$(apt-cache depends clang 2>/dev/null |
        sed -n 's/^ *Depends: clang-\([0-9][0-9]*\)$/\1/p' | head -n 1)
    choose libclang-rt-dev ${v:+libclang-rt-$v-dev}
}

resolve() {
    unresolved=""
    rt=$(clang_rt)
    [ -n "$rt" ] || unresolved="libclang-rt-dev"
    for p in $pkgs; do
        if ! installed "$p" && ! offered "$p"; then
            unresolved="$unresolved $p"
        fi
    done
}

resolve
# A fresh system's apt knows no packages yet; as root, learn them once.
if [ -n "$unresolved" ] && [ "$(id -u)" -eq 0 ]; then
    apt-get update -qq
    resolve
fi
if [ -n "$unresolved" ]; then
    echo "pledge: this release offers no package named:$unresolved" >&2
    [ "$(id -u)" -eq 0 ] || echo "  (as root run: apt-get update)" >&2
    exit 1
fi
pkgs="$pkgs $rt"

if [ "$list" = 1 ]; then
    printf '%s\n' $pkgs
    exit 0
fi

missing=""
for p in $pkgs; do
    installed "$p" || missing="$missing $p"
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

# The verify page's npm packages (web/package-lock.json), only when
# web/node_modules is missing or stale: an up-to-date tree needs no network.
sh scripts/web.sh deps
