# t_hashcache.sh - the font files' hashes kept between runs: the same
# bytes with and without the cache, the cache private, a changed font
# hashed again, and a cache of the wrong form or open to others ignored.

cache="$WORK/cache"
hashes="$cache/pledge/font-hashes"
render() {  # render OUT [ENV...]: one vaimh-code pledge
    out=$1; shift
    env "$@" "$PLEDGE" render --layout vaimh-code --name "Zoë Ångström" \
        --date 2026-11-21 -o "$out"
}
# The record's hash of the regular font in a pledge (the record is in
# the base's object stream).
font_line() {
    objstm "$1" | grep -a -o 'font:NotoSerif-Regular.ttf:[0-9a-f]*' |
        head -n 1 | sed 's/.*://'
}

expect_exit 0 "render without a cache" \
    render "$WORK/none.pdf" XDG_CACHE_HOME= HOME="$WORK/no-home"
check_not "no cache made without a home" test -e "$WORK/no-home"
expect_exit 0 "render making the cache" \
    render "$WORK/first.pdf" XDG_CACHE_HOME="$cache"
expect_exit 0 "render from the cache" \
    render "$WORK/second.pdf" XDG_CACHE_HOME="$cache"
check "cache file made" test -f "$hashes"
check "the same bytes with or without the cache" \
    cmp "$WORK/none.pdf" "$WORK/first.pdf"
check "the same bytes from the cache" cmp "$WORK/first.pdf" "$WORK/second.pdf"
if [ "$(stat -c %a "$hashes")" = 600 ] &&
   [ "$(stat -c %a "$cache/pledge")" = 700 ]; then
    pass "cache file 0600 in a 0700 directory"
else
    fail "cache modes $(stat -c %a "$hashes") $(stat -c %a "$cache/pledge")"
fi
if [ "$(grep -c ' [0-9a-f]\{64\}$' "$hashes")" -eq 4 ]; then
    pass "one entry per font file"
else
    fail "cache entries: $(cat "$hashes")"
fi

# An entry is what the record's font line says, and the record is all
# it says: a forged hash shows there, and only when the file is the
# user's own and private.
real=$(font_line "$WORK/first.pdf")
forged=$(printf '%064d' 0 | tr 0 a)
sed "s/$real/$forged/" "$hashes" >"$WORK/forged"
cat "$WORK/forged" >"$hashes"
expect_exit 0 "render with a forged entry" \
    render "$WORK/forged.pdf" XDG_CACHE_HOME="$cache"
if [ "$(font_line "$WORK/forged.pdf")" = "$forged" ]; then
    pass "an entry is used for the record's font line"
else
    fail "the forged entry was not used: $(font_line "$WORK/forged.pdf")"
fi
chmod 664 "$hashes"
expect_exit 0 "render with a group-writable cache" \
    render "$WORK/open.pdf" XDG_CACHE_HOME="$cache"
check "a group-writable cache is ignored" cmp "$WORK/none.pdf" "$WORK/open.pdf"
chmod 600 "$hashes"
cat "$WORK/forged" >"$hashes"
printf 'not a hash line\n' >>"$hashes"
expect_exit 0 "render with a corrupt cache" \
    render "$WORK/corrupt.pdf" XDG_CACHE_HOME="$cache"
check "a corrupt cache is ignored whole" \
    cmp "$WORK/none.pdf" "$WORK/corrupt.pdf"
rm -f "$hashes"
ln -s "$WORK/forged" "$hashes"
expect_exit 0 "render with a cache that is a symbolic link" \
    render "$WORK/link.pdf" XDG_CACHE_HOME="$cache"
check "a symbolic link is not followed" cmp "$WORK/none.pdf" "$WORK/link.pdf"
rm -f "$hashes"

# A font file changed in place is hashed again: its status-change time
# moves even when its size and modification time are put back.
data="$WORK/data"
mkdir -p "$data/fonts"
cp -R "$TOP/layouts" "$data/"
[ -d "$TOP/hyphen" ] && cp -R "$TOP/hyphen" "$data/"
for f in "$TOP"/fonts/*.ttf; do cp "$f" "$data/fonts/"; done
reg="$data/fonts/NotoSerif-Regular.ttf"
# Files changed within the last two seconds are not cached.
touch -d '2020-01-01 00:00:00' "$data"/fonts/*.ttf
sleep 3
expect_exit 0 "render from a copy of the data" \
    render "$WORK/copy.pdf" XDG_CACHE_HOME="$cache" PLEDGE_DATADIR="$data"
if [ "$(grep -c ' [0-9a-f]\{64\}$' "$hashes")" -eq 4 ]; then
    pass "the copy's fonts cached"
else
    fail "cache after the copy: $(cat "$hashes")"
fi
# The last byte of the file: the size stays, and no glyph changes.
size=$(stat -c %s "$reg")
printf 'x' | dd of="$reg" bs=1 seek=$((size - 1)) conv=notrunc 2>/dev/null
touch -d '2020-01-01 00:00:00' "$reg"
expect_exit 0 "render after a font changed" \
    render "$WORK/changed.pdf" XDG_CACHE_HOME="$cache" PLEDGE_DATADIR="$data"
want=$(b2sum -l 256 "$reg" | cut -d' ' -f1)
if [ "$(font_line "$WORK/changed.pdf")" = "$want" ] &&
   [ "$want" != "$(font_line "$WORK/copy.pdf")" ]; then
    pass "a changed font is hashed again"
else
    fail "record $(font_line "$WORK/changed.pdf"), file $want"
fi
