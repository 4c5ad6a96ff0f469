# t_metadata.sh - what a pledge says of itself, for every layout: PDF 1.7,
# the layout's language, a title that viewers show, XMP metadata that
# agrees with the Info dictionary, and a document ID that follows the
# content and stays the same for the same inputs.

export SOURCE_DATE_EPOCH=1795262400
layouts=$(cd "$TOP/layouts" && ls *.md | sed 's/\.md$//')
name='Zoë Ångström & <Co>'

# xmp FILE ELEMENT: the text of ELEMENT in FILE's XMP packet, unescaped.
xmp() {
    sed -n "s|.*<$2>\\(<rdf:[A-Za-z]*><rdf:li[^>]*>\\)\\{0,1\\}\\([^<]*\\)<.*|\\2|p" \
        "$1" | head -1 | sed 's/&lt;/</g; s/&gt;/>/g; s/&quot;/"/g; s/&amp;/\&/g'
}

# info FILE FIELD: FIELD as pdfinfo shows it.
info() { sed -n "s/^$2: *//p" "$1"; }

# same DESCRIPTION A B: the two strings are equal and not empty.
same() {
    if [ -n "$2" ] && [ "$2" = "$3" ]; then pass "$1"; else
        fail "$1 ('$2' vs '$3')"; fi
}

for id in $layouts; do
    lang=$(sed -n 's/^language: *//p' "$TOP/layouts/$id.md")
    [ -n "$lang" ] || lang=en-US
    expect_exit 0 "render $id" "$PLEDGE" render -l "$id" -n "$name" \
        -c "PhD" -o "$id.pdf"
    pdfinfo "$id.pdf" >info.txt 2>&1
    pdfinfo -meta "$id.pdf" >meta.xml 2>&1
    contains "$id is PDF 1.7" info.txt "PDF version:     1.7"
    contains "$id has XMP metadata" info.txt "Metadata Stream: yes"
    same "$id dc:title is the Info title" "$(info info.txt Title)" \
        "$(xmp meta.xml dc:title)"
    same "$id dc:creator is the Info author" "$(info info.txt Author)" \
        "$(xmp meta.xml dc:creator)"
    same "$id dc:description is the Info subject" \
        "$(info info.txt Subject)" "$(xmp meta.xml dc:description)"
    same "$id pdf:Keywords are the Info keywords" \
        "$(info info.txt Keywords)" "$(xmp meta.xml pdf:Keywords)"
    same "$id xmp:CreatorTool is the Info creator" \
        "$(info info.txt Creator)" "$(xmp meta.xml xmp:CreatorTool)"
    same "$id pdf:Producer is the Info producer" \
        "$(info info.txt Producer)" "$(xmp meta.xml pdf:Producer)"
    same "$id dc:language is the layout's" "$lang" \
        "$(xmp meta.xml dc:language)"
    contains "$id title names the person" info.txt "pledge of $name"
    qpdf --show-object=trailer "$id.pdf" >trailer.txt 2>&1
    root=$(sed -n 's|.*/Root \([0-9]*\) 0 R.*|\1|p' trailer.txt)
    qpdf --show-object="$root" "$id.pdf" >catalog.txt 2>&1
    contains "$id /Lang is the layout's" catalog.txt "/Lang ($lang)"
    contains "$id viewers show the title" catalog.txt \
        "/ViewerPreferences << /DisplayDocTitle true >>"
    contains "$id has a document ID" trailer.txt "/ID [ <"
done

# The ID follows the content: the same pledge again has the same one,
# another person's pledge another.
id_of() { qpdf --show-object=trailer "$1" | sed -n 's/.*\(\/ID \[[^]]*\]\).*/\1/p'; }
"$PLEDGE" render -l vaimh-code -n "$name" -c "PhD" -o again.pdf 2>/dev/null
same "the same pledge has the same ID" "$(id_of vaimh-code.pdf)" \
    "$(id_of again.pdf)"
"$PLEDGE" render -l vaimh-code -n "Ana Ruiz" -c "PhD" -o other.pdf 2>/dev/null
a=$(id_of vaimh-code.pdf); b=$(id_of other.pdf)
if [ -n "$b" ] && [ "$a" != "$b" ]; then pass "another pledge, another ID"
else fail "another pledge, another ID ($a)"; fi

# A layout in another language says so.
sed 's/^language: .*/language: de-CH/' "$TOP/layouts/vaimh-code.md" >de.md
expect_exit 0 "render a de-CH layout" "$PLEDGE" render --layout ./de.md \
    -n "$name" -o de.pdf
pdfinfo -meta de.pdf >meta.xml 2>&1
same "dc:language follows the layout" de-CH "$(xmp meta.xml dc:language)"
qpdf --show-object=trailer de.pdf >trailer.txt 2>&1
root=$(sed -n 's|.*/Root \([0-9]*\) 0 R.*|\1|p' trailer.txt)
qpdf --show-object="$root" de.pdf >catalog.txt 2>&1
contains "/Lang follows the layout" catalog.txt "/Lang (de-CH)"
