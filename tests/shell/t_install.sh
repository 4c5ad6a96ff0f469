# t_install.sh - make install from a fresh copy of the tree (no fonts
# linked yet) puts everything the man page names under PREFIX; the
# installed pledge finds its data relative to itself, from any directory
# and after the installation is moved; without its data it says so; and a
# moved build tree still works.  The binary under test is installed as it
# is (make -o), so nothing is compiled here.

src=$WORK/src
mkdir -p "$src/build" "$src/fonts"
for f in Makefile README.md docs layouts completion; do
    cp -R "$TOP/$f" "$src/$f"
done
cp "$TOP/fonts/README.md" "$src/fonts/"
cp "$PLEDGE" "$src/build/pledge"
# The verify page as the build bundled it (web/ beside the binary).
cp -R "$(dirname "$PLEDGE")/web" "$src/build/web"

# A make of its own: not the BUILD or SAN of a make that runs this suite.
expect_exit 0 "make install from a fresh copy" \
    env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL \
    make -s -C "$src" -o build/pledge -o build/web/verify.js install BUILD=build \
    PREFIX=/opt/pledge DESTDIR="$WORK/dest"
root=$WORK/dest/opt/pledge
for f in bin/pledge share/pledge/layouts/vaimh-code.md \
    share/pledge/fonts/NotoSerif-Regular.ttf \
    share/pledge/fonts/NotoSerif-BoldItalic.ttf \
    share/pledge/fonts/README.md share/pledge/hyphen/hyph_en_US.dic \
    share/man/man1/pledge.1 share/doc/pledge/layouts.md \
    share/doc/pledge/signature-format.md share/doc/pledge/README.md \
    share/doc/pledge/seal-format.md \
    share/bash-completion/completions/pledge share/pledge/web/verify.js \
    share/pledge/web/index.html share/doc/pledge/web.md; do
    check "installed $f" test -f "$root/$f"
done
check_not "installed fonts are files, not links" \
    test -L "$root/share/pledge/fonts/NotoSerif-Regular.ttf"
check "the man page's FILES are installed" \
    grep -q 'share/doc/pledge/layouts.md' "$root/share/man/man1/pledge.1"
# The copy is gone: nothing can be found where it was built.
rm -rf "$src"

# The installed binary, run from elsewhere, with no PLEDGE_DATADIR.
unset PLEDGE_DATADIR
expect_exit 0 "installed pledge lists layouts from /" \
    sh -c 'cd / && "$1" layouts' sh "$root/bin/pledge"
contains "installed layouts list vaimh-code" "$WORK/stdout" "vaimh-code"
n=$(grep -c "^[a-z]" "$WORK/stdout")   # one line per layout, its hash indented below
want=$(ls "$TOP"/layouts/*.md | wc -l)
if [ "$n" -eq "$want" ]; then pass "installed pledge lists every layout"; else
    fail "installed pledge lists $n layouts, not $want"; fi

render_args='render --layout vaimh-code --name Nguyễn --date 2026-11-21'
# shellcheck disable=SC2086
"$PLEDGE" $render_args -o "$WORK/built.pdf" 2>/dev/null
mkdir "$WORK/elsewhere"
expect_exit 0 "installed pledge renders from another directory" \
    sh -c 'cd "$1" && shift && "$@"' sh "$WORK/elsewhere" "$root/bin/pledge" \
    $render_args -o out.pdf
# Same fonts and hyphenation patterns: the same bytes as the build's.
check "installed render is byte-identical to the build's" \
    cmp "$WORK/built.pdf" "$WORK/elsewhere/out.pdf"

mkdir "$WORK/keys"
"$PLEDGE" keygen -o "$WORK/keys/a" --no-passphrase >/dev/null 2>&1
expect_exit 0 "installed pledge writes the verify site" \
    "$root/bin/pledge" web --keyring "$WORK/keys" -o "$WORK/site"
check "the site is the installed page" \
    cmp "$root/share/pledge/web/verify.js" "$WORK/site/verify.js"

# The installation moved as a whole still works.
mv "$root" "$WORK/moved"
expect_exit 0 "moved installation renders" \
    "$WORK/moved/bin/pledge" $render_args -o "$WORK/moved.pdf"
check "moved installation's render is identical" \
    cmp "$WORK/built.pdf" "$WORK/moved.pdf"

# A binary without its data says so in one line; PLEDGE_DATADIR finds it.
mkdir -p "$WORK/lonely/bin"
cp "$WORK/moved/bin/pledge" "$WORK/lonely/bin/pledge"
expect_exit 2 "pledge without a data directory" \
    "$WORK/lonely/bin/pledge" layouts
contains "missing data names PLEDGE_DATADIR" "$WORK/stderr" "PLEDGE_DATADIR"
one_line "missing data is one line" "$WORK/stderr"
expect_exit 0 "PLEDGE_DATADIR names the data" \
    env PLEDGE_DATADIR="$WORK/moved/share/pledge" \
    "$WORK/lonely/bin/pledge" layouts
contains "PLEDGE_DATADIR's layouts listed" "$WORK/stdout" "vaimh-values"

# A build tree moved elsewhere: build/pledge finds the tree around it.
tree=$WORK/moved-tree
mkdir -p "$tree/build" "$tree/fonts"
cp -R "$TOP/layouts" "$tree/layouts"
cp -L "$TOP"/fonts/*.ttf "$tree/fonts/"
cp "$PLEDGE" "$tree/build/pledge"
expect_exit 0 "moved build tree renders" \
    sh -c 'cd / && "$@"' sh "$tree/build/pledge" $render_args \
    -o "$WORK/tree.pdf"
check "moved build tree's render is identical" \
    cmp "$WORK/built.pdf" "$WORK/tree.pdf"
