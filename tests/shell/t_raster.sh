# t_raster.sh - accented letters come out whole on the rasterised page.
#
# libharu 2.3.0 drops the components of nested composite glyphs (Vietnamese
# Ệ is E + circumflex + dot below, built of composites).  Two pledges that
# differ only by "ỆỘỮǕ" against "EOUU" have the same layout, since each
# pair has the same advance; so the first must have visibly more ink on
# the page — the marks — or the marks were lost.

# Dark pixels on page 1 of a PDF at 200 dpi.
ink() {
    pdftoppm -r 200 -f 1 -l 1 -gray "$1" "$WORK/ink" || return
    set -- $(head -c 20 "$WORK"/ink*.pgm | sed -n 2p)
    tail -c $(($1 * $2)) "$WORK"/ink*.pgm | od -An -v -tu1 |
        awk '{ for (i = 1; i <= NF; i++) if ($i < 128) n++ } END { print n + 0 }'
    rm -f "$WORK"/ink*.pgm
}

for pair in "ỆỆỘỮ ǕǕ:EEOU UU" "Nguyễn Ệ:Nguyen E" "ḈḈḈḈ ḜḜ:CCCC EE" \
            "ЁЁЁЁЁЁ:ЕЕЕЕЕЕ" "ΪΪΪΪΪΪ:ΙΙΙΙΙΙ"; do
    marked=${pair%%:*}
    plain=${pair#*:}
    "$PLEDGE" render --layout vaimh-code --name "$marked" --date 2026-11-21 -o m.pdf
    "$PLEDGE" render --layout vaimh-code --name "$plain" --date 2026-11-21 -o p.pdf
    a=$(ink m.pdf)
    b=$(ink p.pdf)
    if [ -n "$a" ] && [ -n "$b" ] && [ "$a" -gt $((b + 40)) ]; then
        pass "marks of '$marked' are drawn ($a vs $b dark pixels)"
    else
        fail "marks of '$marked' missing ($a vs $b dark pixels)"
    fi
done
