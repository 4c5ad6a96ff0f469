# t_tagged.sh - every layout's pledge, unsigned and signed, is a tagged
# PDF whose structure a reader gets in order with the right text: pdfinfo
# says "Tagged: yes"; pdfinfo -struct-text lists the title as H1, the
# layout's "## " headings as H2 in the layout's order, its list items as
# LBody in order (each starting with the item's words, spaced), and the
# signature block's fields; every pledge, signed or endorsed, stays under
# 40 KB.
# (test_tagged checks the PDF/UA-1 conditions over the parsed file.)

export SOURCE_DATE_EPOCH=1795262400
layouts=$(cd "$TOP/layouts" && ls *.md | sed 's/\.md$//')
"$PLEDGE" keygen -o k --no-passphrase --signer "Jane Doe" >/dev/null 2>&1

# The text of every element of type $2 in struct-text file $1, in order.
elems() {
    awk -v t="$2" '
        want { sub(/^ *"/, ""); sub(/"$/, ""); print; want = 0 }
        $1 == t && $2 == "(block)" { want = 1 }' "$1"
}

# The body of layout file $1 (after its front matter).
body() { awk 'n >= 2; /^---$/ { n++ }' "$1"; }

# The first three words of each list item of a body, markup dropped.
items() {
    sed -n 's/^ *\([-*+]\|[0-9][0-9]*\.\) \(.*\)/\2/p' "$1" |
        tr -d '*_`' | awk '{ print $1, $2, $3 }'
}

for id in $layouts; do
    md="$TOP/layouts/$id.md"
    body "$md" >body.md
    sed -n 's/^## //p' body.md >want-h2.txt
    items body.md >want-li.txt
    title=$(sed -n 's/^title: *//p' "$md" | tr -d '"')
    for kind in unsigned signed; do
        f=$id-$kind.pdf
        if [ $kind = signed ]; then set -- --sign-with k.key; else set --; fi
        "$PLEDGE" render -l "$id" -n "Nguyễn Thị Minh Khai" -c "PhD, IMH-E®" \
            --id VA-0142 -o "$f" "$@" 2>/dev/null
        # 40 KB (40,000 bytes, as make bench counts) a pledge, its
        # signature and seal included.
        size=$(wc -c <"$f")
        if [ "$size" -lt 40000 ]; then
            pass "$id $kind is under 40 KB"
        else
            fail "$id $kind is $size bytes, not under 40 KB"
        fi
        pdfinfo "$f" >info.txt 2>&1
        contains "$id $kind is tagged" info.txt "Tagged:          yes"
        pdfinfo -struct-text "$f" >struct.txt 2>&1
        elems struct.txt H1 >h1.txt
        if [ "$(tr '\n' ' ' <h1.txt)" = "$title " ]; then
            pass "$id $kind: H1 is the title"
        else fail "$id $kind: H1 is '$(cat h1.txt)', not '$title'"; fi
        elems struct.txt H2 >h2.txt
        if cmp -s want-h2.txt h2.txt; then
            pass "$id $kind: the H2s are the headings, in order"
        else fail "$id $kind: H2s differ: $(diff want-h2.txt h2.txt | head -4)"
        fi
        # Each list item, in order, begins with its words: its LBody, or
        # failing that a later one (an item the typesetter split).
        elems struct.txt LBody >lbody.txt
        missing=$(awk 'NR == FNR { want[++n] = $0; next }
                       k < n && index($0, want[k + 1]) == 1 { k++ }
                       END { if (k < n) print want[k + 1] }' \
                  want-li.txt lbody.txt)
        if [ -z "$missing" ]; then
            pass "$id $kind: every list item, in order, with its words"
        else fail "$id $kind: no list item starts '$missing' in order"; fi
        elems struct.txt Lbl >lbl.txt
        for label in Name Credentials "Member ID" Date; do
            contains "$id $kind: the signature block labels $label" \
                lbl.txt "$label"
        done
        contains "$id $kind: the name is the Name field's value" \
            lbody.txt "Nguyễn Thị Minh Khai"
        # Words set apart on the page are apart in the text: no "word"
        # of 25 letters or more, which would be words run together.
        long=$(tr -s ' ' '\n' <lbody.txt | grep -m1 '[[:alpha:]]\{25\}')
        if [ -z "$long" ]; then
            pass "$id $kind: the words of list items are spaced"
        else fail "$id $kind: words run together: $long"; fi
    done
    contains "$id signed: the signature panel is a Form element" struct.txt \
        "Form"
    # The seal's code is read after the panel beside it, before the
    # signature field.
    order=$(awk '/"Digital signature"/ && !p { p = NR }
                 /^ *Figure/ && !f { f = NR }
                 /^ *Form/ && !m { m = NR }
                 END { print (p && f > p && m > f) ? "ok" : p " " f " " m }' \
            struct.txt)
    if [ "$order" = ok ]; then
        pass "$id signed: the seal's code is a Figure after the panel"
    else fail "$id signed: panel, Figure, Form at lines $order"; fi
done

# The dearest pledge: the longest layout on A4 for the roster's Greek
# name (each script's letters a font's glyphs of their own, the names in
# UTF-16), signed by the association, with its seal's Figure and the
# widget's description.
"$PLEDGE" keygen -o keys/dear --no-passphrase --role association \
    --signer "Virginia Association for Infant Mental Health" >/dev/null 2>&1
"$PLEDGE" render -l vaimh-values -p a4 -n "Γεώργιος Παπαδόπουλος" \
    -c "PhD, LPC" --id VA-0147 --sign-with keys/dear.key -o dear.pdf \
    2>/dev/null
size=$(wc -c <dear.pdf)
if [ "$size" -lt 40000 ]; then
    pass "the dearest signed pledge is under 40 KB"
else fail "the dearest signed pledge is $size bytes, not under 40 KB"; fi

# Its Greek name is read as Greek: a Span of its own, with /Lang (el),
# in the subtitle and in the Name field, the text around it unchanged.
pdfinfo -struct-text dear.pdf >dear.struct 2>&1
if grep -A 2 '^    "Personal pledge of "$' dear.struct | grep -q '^    Span' &&
   [ "$(grep -c '^ *"Γεώργιος Παπαδόπουλος"$' dear.struct)" -ge 2 ]; then
    pass "a Greek name is a Span of its own where it is read"
else fail "a Greek name is not a Span of its own: $(grep -B 2 -A 3 'Personal pledge' dear.struct | tr '\n' '|')"; fi
n=$(qpdf --qdf --object-streams=disable dear.pdf - 2>/dev/null |
    grep -a -c '^  /Lang (el)$')
if [ "${n:-0}" -ge 2 ]; then pass "the Greek name's Spans say /Lang (el)"
else fail "the Greek name's Spans say /Lang (el) $n times, not 2 or more"; fi

# The dearest endorsed pledges: the applicant's long Greek or Cyrillic
# name signed, then the association's endorsement with its panel, seal
# and widget description; the longest layout so endorsed, on both
# papers, and for the longest name of the hard-name set.
longest=$(awk '{ print length($0), $0 }' "$TOP/tests/data/names.txt" |
    sort -n | tail -n 1 | cut -d' ' -f2-)
for case in "vaimh-code letter Γεώργιος Παπαδόπουλος" \
            "vaimh-code letter Екатерина Александровна Преображенская" \
            "vaimh-values a4 Γεώργιος Παπαδόπουλος" \
            "vaimh-values letter Екатерина Александровна Преображенская" \
            "vaimh-values a4 Ǹgọ̀c Ệ Жанна Ϊώ Q̃uinn M̂ J̌" \
            "vaimh-values letter $longest"; do
    set -- $case
    lay=$1 paper=$2
    shift 2
    name="$*"
    "$PLEDGE" keygen -o keys/long --force --no-passphrase --signer "$name" \
        >/dev/null 2>&1
    "$PLEDGE" render -l "$lay" -p "$paper" -n "$name" -c "PhD, LPC" \
        --id VA-0147 --sign-with keys/long.key -o long.pdf 2>/dev/null
    rm -f long-e.pdf
    SOURCE_DATE_EPOCH=1795348800 "$PLEDGE" endorse long.pdf \
        --key keys/dear.key --applicant-key keys/long.pub \
        --member-id VA-0147 --until 2027-12-31 -o long-e.pdf >/dev/null 2>&1
    size=$(wc -c <long-e.pdf 2>/dev/null || echo 0)
    if [ "$size" -gt 0 ] && [ "$size" -lt 40000 ]; then
        pass "$lay $paper endorsed for $name is under 40 KB"
    else fail "$lay $paper endorsed for $name is $size bytes, not under 40 KB"
    fi
done

# Endorsing keeps it: the association's update leaves the structure as
# the applicant's signature made it.
"$PLEDGE" keygen -o keys/assoc --no-passphrase --role association \
    --signer "Virginia Association for Infant Mental Health" >/dev/null 2>&1
"$PLEDGE" render -l vaimh-code -n "Jane Doe" --sign-with k.key \
    -o jane.pdf 2>/dev/null
"$PLEDGE" endorse jane.pdf --key keys/assoc.key --applicant-key k.pub \
    -o endorsed.pdf >/dev/null 2>&1
pdfinfo endorsed.pdf >info.txt 2>&1
contains "an endorsed pledge is tagged" info.txt "Tagged:          yes"
pdfinfo -struct-text endorsed.pdf >struct.txt 2>&1
pdfinfo -struct-text jane.pdf >signed-struct.txt 2>&1
if [ -s struct.txt ] && cmp -s struct.txt signed-struct.txt; then
    pass "endorsing leaves the structure as it was"
else fail "the endorsed pledge's structure differs from the signed one's"; fi

# Every reader opens the packed base and the classic updates signing
# appends to it as they are, with no repair: the base is a hybrid-
# reference file, whose table each update's section chains to (a classic
# section chained to a bare cross-reference stream made Ghostscript 10.0
# rebuild the file, and is what ISO 32000-1 does not define).
"$PLEDGE" render -l vaimh-code -n "Jane Doe" -o plain.pdf 2>/dev/null
for f in plain.pdf jane.pdf endorsed.pdf; do
    rm -f gs-*.png
    gs -q -dNOPAUSE -dBATCH -dSAFER -sDEVICE=pnggray -r10 \
        -o "$WORK/gs-%d.png" "$f" >gs.txt 2>&1
    pages=$(ls gs-*.png 2>/dev/null | wc -l)
    if [ "$pages" -eq 2 ] && [ ! -s gs.txt ]; then
        pass "$f: Ghostscript draws both pages, with nothing to say"
    else fail "$f: Ghostscript drew $pages pages: $(head -c 300 gs.txt)"; fi
    mutool info "$f" >mu.txt 2>&1
    if grep -qi "error\|warning\|repair" mu.txt; then
        fail "$f: mutool: $(grep -i -m1 'error\|warning\|repair' mu.txt)"
    else pass "$f: mutool reads it without a warning"; fi
    if qpdf --check "$f" >qpdf.txt 2>&1; then
        pass "$f: qpdf --check is clean"
    else fail "$f: qpdf --check: $(head -c 300 qpdf.txt)"; fi
done
