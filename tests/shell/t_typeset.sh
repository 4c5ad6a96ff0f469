# t_typeset.sh - the page as a typographer checks it, on every layout and
# paper with hard names: nothing crosses the margins, the header keeps the
# name, no word is split across pages, pages fill, and what the page says
# about the layout's text is true.

names_file="$TOP/tests/data/names.txt"
layouts=$(cd "$TOP/layouts" && ls *.md | sed 's/\.md$//')
long="Maximiliana Alexandra Rutherford-Worthington Fitzgerald-Montgomery"
long="$long Konstantinopoulou-Papadopoulou de la Trinidad Ruiz-Olmedo Jr."

# margin LAYOUT KEY: a margin from the layout's front matter, in pt.
margin() {
    sed -n "s/^ *$2: *\([0-9.]*\).*/\1/p" "$TOP/layouts/$1.md" | head -n 1
}

# side LAYOUT KEY PAPER: the inner or outer margin on PAPER, in pt.  On
# the paper that is not the layout's own the text block keeps its width,
# so the side margins share the difference in page width (docs/layouts.md;
# the shipped layouts' margins are wide enough for it).
side() {
    own=$(sed -n 's/^ *size: *\([a-z0-9]*\).*/\1/p' "$TOP/layouts/$1.md" |
        head -n 1)
    awk -v m="$(margin "$1" "$2")" -v own="$own" -v paper="$3" 'BEGIN {
        w["letter"] = 612; w["a4"] = 595.276
        printf "%.3f\n", m + (w[paper] - w[own]) / 2 }'
}

# font_size LAYOUT: the body size from the layout's front matter, in pt.
font_size() {
    sed -n "s/^ *size: *\([0-9][0-9.]*\).*/\1/p" "$TOP/layouts/$1.md" |
        head -n 1
}

# boxes PDF: one line per word: page, xMin, yMin, xMax, yMax, page width,
# page height, the word.
boxes() {
    pdftotext -bbox-layout "$1" - | awk '
    function attr(s, k,    m) {
        m = index(s, " " k "=\"")
        s = substr(s, m + length(k) + 3)
        return substr(s, 1, index(s, "\"") - 1) + 0
    }
    /<page / { p++; w = attr($0, "width"); h = attr($0, "height") }
    /<word / { t = $0; sub(/^[^>]*>/, "", t); sub(/<\/word>.*/, "", t)
               gsub(/&apos;/, "\047", t); gsub(/&quot;/, "\"", t)
               gsub(/&lt;/, "<", t); gsub(/&gt;/, ">", t)
               gsub(/&amp;/, "\\&", t)
               print p, attr($0, "xMin"), attr($0, "yMin"),
                     attr($0, "xMax"), attr($0, "yMax"), w, h, t }'
}

i=0
{ cat "$names_file"; echo "$long"; } | while IFS= read -r name; do
    [ -n "$name" ] || continue
    i=$((i + 1))
    for id in $layouts; do
        bottom=$(margin "$id" bottom)
        for paper in letter a4; do
            left=$(side "$id" inner "$paper")
            right=$(side "$id" outer "$paper")
            out="$WORK/$id-$paper-$i.pdf"
            expect_exit 0 "render $id $paper name $i" \
                "$PLEDGE" render --layout "$id" --name "$name" \
                --credentials "PhD, LCSW, IMH-E®" --id "M-$i" \
                --date 2026-11-21 --paper "$paper" -o "$out"
            [ -f "$out" ] || continue
            boxes "$out" >"$WORK/boxes"
            # Every word of every page within the text block's sides,
            # but for the optical margin alignment of the text block's
            # lines: a word may hang out by its first or last
            # character's protrusion (docs/layouts.md), at the widest
            # of Noto Serif's styles, expanded 2%, and no further.
            bad=$(awk -v l="$left" -v r="$right" -v t="$(margin "$id" top)" \
                    -v b="$bottom" -v size="$(font_size "$id")" '
                BEGIN {
                    # The hyphen the setter adds reads as a soft hyphen.
                    n = split("- 0.155 \302\255 0.155 " \
                        ". 0.206 , 0.147 : 0.152 ; 0.091 " \
                        "! 0.076 ? 0.110 ) 0.080 \342\200\223 0.100 " \
                        "\342\200\224 0.150 \342\200\231 0.112 " \
                        "\342\200\235 0.147 \" 0.152 \047 0.116", a, " ")
                    for (i = 1; i < n; i += 2) hang_r[a[i]] = a[i + 1]
                    n = split("\342\200\234 0.147 \342\200\230 0.084 " \
                        "( 0.040 \342\200\223 0.100 \342\200\224 0.150 " \
                        "\" 0.152 \047 0.087", a, " ")
                    for (i = 1; i < n; i += 2) hang_l[a[i]] = a[i + 1]
                }
                function hang(tab, c) { return tab[c] * size * 1.02 }
                {
                    inblock = $5 > t && $3 < $7 - b
                    first = substr($8, 1, 1); last = substr($8, length($8))
                    if ($8 ~ /^\342\200/) first = substr($8, 1, 3)
                    if ($8 ~ /\342\200.$/) last = substr($8, length($8) - 2)
                    if ($8 ~ /\302\255$/) last = substr($8, length($8) - 1)
                    hl = inblock ? hang(hang_l, first) : 0
                    hr = inblock ? hang(hang_r, last) : 0
                }
                $2 < l - hl - 0.01 || $4 > $6 - r + hr + 0.01 {
                    printf "p%d %s (%.2f..%.2f) ", $1, $8, $2, $4 }
                ' "$WORK/boxes" | head -c 300)
            if [ -z "$bad" ]; then pass "within margins $id $paper $i"
            else fail "past the margins $id $paper $i: $bad"; fi
            # And the punctuation does hang: some line ends past the
            # right edge of the text block.
            hung=$(awk -v r="$right" '$4 > $6 - r + 0.3' "$WORK/boxes" |
                wc -l)
            if [ "$hung" -gt 0 ]; then pass "punctuation hangs $id $paper $i"
            else fail "no line of $id $paper $i hangs into the margin"; fi
            # The header of page 2 ends with the name or its shortening.
            head2=$(awk -v b="$bottom" '$1 == 2 && $5 < 60 { print $8 }' \
                "$WORK/boxes" | tail -n 1)
            last=$(printf '%s' "$name" | awk '{ print $NF }')
            case $head2 in
            "$last"|*…) pass "header keeps the name $id $paper $i" ;;
            *) fail "header of $id $paper $i ends '$head2', not '$last'" ;;
            esac
            # No page but the last ends its text with a hyphen.
            split=$(awk -v b="$bottom" '
                $5 < $7 - b + 1 && $5 > 60 { if ($5 >= y[$1]) {
                    y[$1] = $5; w[$1] = $8 } ; n = $1 }
                END { for (p = 1; p < n; p++)
                          if (w[p] ~ /-$/) printf "p%d %s ", p, w[p] }
                ' "$WORK/boxes")
            if [ -z "$split" ]; then pass "no word split across pages $id $paper $i"
            else fail "word split across pages $id $paper $i: $split"; fi
        done
    done
done

# Pages filled: the codes on two Letter pages, the values on three.
for spec in vaimh-code:2 alliance-code:2 vaimh-values:3; do
    id=${spec%:*}
    n=$(pdfinfo "$WORK/$id-letter-1.pdf" 2>/dev/null | sed -n 's/^Pages: *//p')
    if [ "$n" = "${spec#*:}" ]; then pass "$id on $n Letter pages"
    else fail "$id on ${n:-?} Letter pages, not ${spec#*:}"; fi
done

# An undated revision prints nowhere, nor goes into the document info.
out="$WORK/vaimh-code-letter-1.pdf"
pdftotext "$out" "$WORK/text"
pdfinfo "$out" >"$WORK/info"
check_not "undated revision not printed" grep -q Undated "$WORK/text"
check_not "undated revision not in the info" grep -q Undated "$WORK/info"

# The signature block reads label, then value.
pdftotext -raw "$out" "$WORK/raw"
contains "label before value" "$WORK/raw" "Name Zoë Ångström-O'Connor"
contains "date label before value" "$WORK/raw" "Date November 21, 2026"

# A supplied commitment is marked under it and warned of; a confirmed
# one is not.
expect_exit 0 "render a supplied commitment" "$PLEDGE" render \
    --layout vaimh-values --name "Ada Lovelace" -o "$WORK/values.pdf"
contains "supplied commitment warned of" "$WORK/stderr" \
    "warning: layout vaimh-values: its commitment is not yet confirmed"
pdftotext "$WORK/values.pdf" - | tr '\n' ' ' >"$WORK/text"
contains "supplied commitment marked" "$WORK/text" \
    "VAIMH has not yet confirmed its wording"
expect_exit 0 "render a confirmed commitment" "$PLEDGE" render \
    --layout vaimh-code --name "Ada Lovelace" -o "$WORK/code.pdf"
check_not "no warning for a confirmed commitment" test -s "$WORK/stderr"
pdftotext "$WORK/code.pdf" "$WORK/text"
check_not "no note under a confirmed commitment" \
    grep -q "not yet confirmed" "$WORK/text"

# Subset tags: six capitals from the subset's bytes, so one per distinct
# subset (a different name brings other glyphs, so another Regular tag),
# and the same again for the same pledge.
tags() { pdffonts "$1" | awk 'NR > 2 { print $1 }'; }
tags "$WORK/code.pdf" >"$WORK/tags1"
expect_exit 0 "render again" "$PLEDGE" render --layout vaimh-code \
    --name "Ada Lovelace" -o "$WORK/code2.pdf"
expect_exit 0 "render with a Greek name" "$PLEDGE" render \
    --layout vaimh-code --name "Αλέξανδρος Παπαδόπουλος" -o "$WORK/greek.pdf"
tags "$WORK/code2.pdf" >"$WORK/tags2"
tags "$WORK/greek.pdf" >"$WORK/tags3"
check "subset tags reproducible" cmp -s "$WORK/tags1" "$WORK/tags2"
check "subset tags are six capitals" \
    awk '!/^[A-Z][A-Z][A-Z][A-Z][A-Z][A-Z]\+/ { exit 1 }' "$WORK/tags1"
check_not "no counted HPDF tags" grep -q '^HPDFA' "$WORK/tags1"
check "subset tags distinct in a file" \
    sh -c "cut -d+ -f1 '$WORK/tags1' | sort | uniq -d | grep -q . && exit 1 || exit 0"
reg1=$(grep 'Regular$' "$WORK/tags1")
reg3=$(grep 'Regular$' "$WORK/tags3")
if [ -n "$reg1" ] && [ "$reg1" != "$reg3" ]; then
    pass "another subset, another tag"
else
    fail "Regular subsets of two names share the tag '$reg1'"
fi

# ToUnicode maps code by code (bfchar), no ranges.
qpdf --qdf --object-streams=disable "$WORK/code.pdf" "$WORK/code.qdf" \
    2>/dev/null
check "ToUnicode as bfchar" grep -q beginbfchar "$WORK/code.qdf"
check_not "no bfrange in ToUnicode" grep -q beginbfrange "$WORK/code.qdf"

# Marks where GPOS puts them (mark and mkmk), at 600 dpi: set the bases
# alone, then with marks that have no precomposed form (two stacked on
# the M); the marks may only add ink, all of it above the top of every
# base, and the bases must come out exactly as before.
# pgm_ink PDF: the dark pixels of the name's line as "row col", one each.
pgm_ink() {
    y=$(pdftotext -bbox "$1" - | awk '/>Name</ { s = $0
        sub(/.*yMin="/, "", s); sub(/".*/, "", s); print int(s); exit }')
    # From 8pt above the label's top to its baseline or so: the name's
    # marks and the tops of its capitals, not the line below.
    pg=$(pdfinfo "$1" | sed -n 's/^Pages: *//p')
    pdftoppm -f "$pg" -l "$pg" -r 600 -gray -x 1700 -y $(((y - 8) * 600 / 72)) \
        -W 1000 -H 150 "$1" >"$1.pgm"
    # The pixels are the last width x height bytes, after the P5 header.
    tail -c 150000 "$1.pgm" | od -An -tu1 -v | tr -s ' ' '\n' |
        awk 'NF { if ($1 < 128) print int(n / 1000), n % 1000; n++ }'
}
expect_exit 0 "render the bases" "$PLEDGE" render --layout vaimh-code \
    --name "M Q J Ọ A" -o "$WORK/bases.pdf"
expect_exit 0 "render the marks" "$PLEDGE" render --layout vaimh-code \
    --name "M̂̃ Q̃ J̌ Ọ̀ Ẳ" -o "$WORK/marks.pdf"
pgm_ink "$WORK/bases.pdf" | sort >"$WORK/bases.ink"
pgm_ink "$WORK/marks.pdf" | sort >"$WORK/marks.ink"
top=$(sort -n "$WORK/bases.ink" | head -n 1 | cut -d' ' -f1)
comm -13 "$WORK/bases.ink" "$WORK/marks.ink" >"$WORK/added"
if [ -s "$WORK/bases.ink" ] && [ -s "$WORK/added" ]; then
    pass "the marks add ink"
else
    fail "no ink for the bases or the marks"
fi
low=$(awk -v t="$top" '$1 >= t' "$WORK/added" | wc -l)
if [ "$low" -eq 0 ]; then pass "marks above their bases, none inside"
else fail "$low pixels of the marks at or below the top of the bases"; fi
check_not "the bases unchanged under the marks" \
    sh -c "comm -23 '$WORK/bases.ink' '$WORK/marks.ink' | grep -q ."
