# t_endorsepanel.sh - the endorsement panel on the signature page: every
# bundled layout, on both papers, keeps its area free of the page's own
# text, beside the digital signature panel so that an applicant-signed
# pledge takes no more pages than an unsigned one, and its endorsed copy
# shows the panel there (pdftotext) with the endorsement's seal as a QR
# code that scans (zbarimg, 150 and 300 dpi) to the payload the update
# keeps, passes qpdf --check and keeps the applicant's revision byte for
# byte.

unset PLEDGE_PASSPHRASE_FILE PLEDGE_KEYRING
export SOURCE_DATE_EPOCH=1795262400
mkdir -p keys
"$PLEDGE" keygen -o keys/assoc --no-passphrase --signer "Test Association" \
    >/dev/null 2>&1
"$PLEDGE" keygen -o keys/ann --no-passphrase --signer "Ann Roe" \
    >/dev/null 2>&1

# Prints the words of page $2 of PDF $1 whose box meets the area x0 y0 x1
# y1 ($3..$6, PDF points from the bottom left).
words_in_area() {
    pdftotext -bbox -f "$2" -l "$2" "$1" - 2>/dev/null |
        awk -v x0="$3" -v y0="$4" -v x1="$5" -v y1="$6" '
        /<page / { match($0, /height="[0-9.]+"/)
                   h = substr($0, RSTART + 8, RLENGTH - 9) + 0 }
        /<word / { split($0, a, "\"")
                   wx0 = a[2]; wy0 = h - a[8]; wx1 = a[6]; wy1 = h - a[4]
                   if (wx1 > x0 && wx0 < x1 && wy1 > y0 && wy0 < y1) print }'
}

for f in "$TOP"/layouts/*.md; do
    id=$(basename "$f" .md)
    for paper in letter a4; do
        p=$id-$paper
        "$PLEDGE" render -l "$id" -n "Ann Roe" --id M-7 --paper "$paper" \
            --sign-with keys/ann.key -o "$p.pdf" >/dev/null 2>&1 ||
            { fail "$p: render"; continue; }
        area=$(objstm "$p.pdf" |
               grep -a -o '/PledgeEndorsementArea *\[[0-9 ]*\]' |
               tr -c '0-9\n' ' ')
        set -- $area
        [ $# -eq 4 ] && pass "$p: the pledge records one area" ||
            { fail "$p: area \"$area\""; continue; }
        n=$(pdfinfo "$p.pdf" | awk '/^Pages:/ { print $2 }')
        "$PLEDGE" render -l "$id" -n "Ann Roe" --id M-7 --paper "$paper" \
            -o "u-$p.pdf" >/dev/null 2>&1
        u=$(pdfinfo "u-$p.pdf" | awk '/^Pages:/ { print $2 }')
        [ "$n" = "$u" ] &&
            pass "$p: the area costs no page ($n, as unsigned)" ||
            fail "$p: $n pages signed by the applicant, $u unsigned"
        case $id in
        vaimh-code|alliance-code) want=2 ;;
        vaimh-values) want=3 ;;
        *) want=$n ;;
        esac
        [ "$n" = "$want" ] && pass "$p: $want pages" ||
            fail "$p: $n pages, expected $want"
        w=$(words_in_area "$p.pdf" "$n" "$@")
        [ -z "$w" ] && pass "$p: the area is free of the page's text" ||
            fail "$p: text in the area: $w"
        [ $(($3 - $1)) -ge 180 ] && [ $(($4 - $2)) -ge 100 ] &&
            pass "$p: room for the panel and a 35 mm seal" ||
            fail "$p: area $* too small"
        # Beside the digital signature panel: the area's bottom is the
        # panel's, its left past the panel's seal.
        pb=$(pdftotext -bbox -f "$n" -l "$n" "$p.pdf" - 2>/dev/null |
             awk -v y1="$4" '/<page / { match($0, /height="[0-9.]+"/)
                   h = substr($0, RSTART + 8, RLENGTH - 9) + 0 }
                 /<word .*>Digital</ { split($0, a, "\""); print h - a[4] }' |
             tail -n 1)
        awk -v t="$pb" -v y0="$2" -v y1="$4" \
            'BEGIN { exit !(t != "" && t <= y1 + 1 && t > y0) }' &&
            pass "$p: the area is beside the signature panel" ||
            fail "$p: the panel's title at y $pb, the area $*"
        SOURCE_DATE_EPOCH=1795348800 "$PLEDGE" endorse "$p.pdf" \
            --key keys/assoc.key --applicant-key keys/ann.pub \
            --until 2027-12-31 -o "e-$p.pdf" >/dev/null 2>&1 ||
            { fail "$p: endorse"; continue; }
        cmp -s -n "$(wc -c < "$p.pdf")" "$p.pdf" "e-$p.pdf" &&
            pass "$p: the applicant's revision is kept byte for byte" ||
            fail "$p: the revision changed"
        check "$p: endorsed passes qpdf --check" qpdf --check "e-$p.pdf"
        # The panel draws with the revision's embedded fonts: pdffonts
        # lists no font that is not embedded, and no font is added.
        pdffonts "e-$p.pdf" 2>/dev/null | awk 'NR > 2' > "$p.fonts"
        awk '$(NF - 4) != "yes" { bad = 1 } END { exit bad || NR == 0 }' \
            "$p.fonts" && pass "$p: every font of the endorsed pledge embedded" ||
            fail "$p: a font not embedded: $(cat "$p.fonts")"
        [ "$(pdffonts "$p.pdf" 2>/dev/null | awk 'NR > 2' | wc -l)" = \
          "$(wc -l < "$p.fonts")" ] &&
            pass "$p: the endorsement adds no font" ||
            fail "$p: the endorsement added a font"
        pdftotext -f "$n" -l "$n" "e-$p.pdf" "$p.txt" 2>/dev/null
        tr '\n' ' ' < "$p.txt" > "$p.one"
        contains "$p: the panel names the endorser" "$p.one" "Endorsed by "
        contains "$p: the panel gives the expiry" "$p.one" \
            "valid until December 31, 2027"
        contains "$p: the panel says how to verify" "$p.one" \
            "run “pledge verify” on this file"
        [ "$(pdfinfo "e-$p.pdf" | awk '/^Pages:/ { print $2 }')" = "$n" ] &&
            pass "$p: no page added" || fail "$p: page count changed"
        # One QR code on the page (beside the applicant's own seal) holds
        # "PL1:" and base45 of the endorsement's kept payload, the last
        # /PledgeSeal of the file: 3 characters for every 2 bytes, 2 for a
        # last odd one.
        hex=$(grep -a -o '/PledgeSeal<[0-9a-f]*>' "e-$p.pdf" | tail -n 1 |
              sed 's/.*<//; s/>//')
        b=$((${#hex} / 2))
        want=$((4 + b / 2 * 3 + b % 2 * 2))
        for dpi in 150 300; do
            rm -f "$p-page"*.png
            pdftoppm -r "$dpi" -png -f "$n" -l "$n" "e-$p.pdf" "$p-page"
            zbarimg -q --raw "$p-page"*.png 2>/dev/null > "$p.codes"
            if [ "$b" -gt 100 ] &&
               awk -v w="$want" 'substr($0, 1, 4) == "PL1:" &&
                   length($0) == w { f = 1 } END { exit !f }' "$p.codes"
            then
                pass "$p: the seal scans to the kept payload at $dpi dpi"
            else
                fail "$p: no code of $want characters for the $b-byte" \
                    "seal at $dpi dpi"
            fi
            [ "$(grep -c '^PL1:' "$p.codes")" -eq 2 ] &&
                pass "$p: both seals scan at $dpi dpi" ||
                fail "$p: $(grep -c '^PL1:' "$p.codes") seals at $dpi dpi"
        done
        # Tagged: the widget has the Form element the revision reserved,
        # by /StructParent, and a /TU.
        wnum=$(grep -a -B 1 'T(Pledge endorsement)' "e-$p.pdf" | head -n 1 |
               cut -d' ' -f1)
        pdfinfo -struct "e-$p.pdf" 2>/dev/null |
            awk '/^ *Form$/ { f = 1; next } f { print; f = 0 }' > "$p.forms"
        grep -q "^ *Object $wnum 0$" "$p.forms" &&
            pass "$p: a Form element holds the endorsement widget" ||
            fail "$p: no Form element for widget $wnum: $(cat "$p.forms")"
        k=$(grep -a 'T(Pledge endorsement)' "e-$p.pdf" |
            grep -a -o '/StructParent [0-9]*/TU(Endorsement by [^:]*:' |
            sed 's/.*StructParent \([0-9]*\).*/\1/')
        el=$(objstm "e-$p.pdf" |
             grep -a -o "/ParentTree<</Nums\[.* $k [0-9]* 0 R\]>>" | sed 's/.* \([0-9]*\) 0 R\]>>$/\1 0/')
        [ -n "$k" ] && [ -n "$el" ] &&
            qpdf --show-object="$el" "e-$p.pdf" 2>/dev/null |
            grep -q "/Obj $wnum 0 R" &&
            pass "$p: /StructParent $k is the parent tree's Form element" ||
            fail "$p: the widget's /StructParent \"$k\" (element \"$el\")"
        w=$(words_in_area "e-$p.pdf" "$n" "$@" | grep -c .)
        [ "$w" -gt 10 ] && pass "$p: the panel is drawn inside the area" ||
            fail "$p: $w words in the area"
    done
done

# An association whose name is Greek: the panel shows it in the pledge's
# own font (its subset keeps the name's characters), and it extracts.
mkdir -p lay
sed 's/^id: vaimh-code$/id: greek-code/;
     s/^  name: Virginia Association for Infant Mental Health$/  name: Ένωση Ψυχικής Υγείας Βρεφών/' \
    "$TOP/layouts/vaimh-code.md" > lay/greek-code.md
if "$PLEDGE" render -l lay/greek-code.md -n "Ann Roe" --id M-7 \
       --sign-with keys/ann.key -o greek.pdf >/dev/null 2>&1 &&
   SOURCE_DATE_EPOCH=1795348800 "$PLEDGE" endorse greek.pdf \
       --key keys/assoc.key --applicant-key keys/ann.pub --layouts lay \
       -o e-greek.pdf >/dev/null 2>&1; then
    n=$(pdfinfo e-greek.pdf | awk '/^Pages:/ { print $2 }')
    pdftotext -f "$n" -l "$n" e-greek.pdf - 2>/dev/null | tr '\n' ' ' |
        sed 's/  */ /g' > greek.one
    contains "greek: the panel names the association in Greek" greek.one \
        "Endorsed by Ένωση Ψυχικής Υγείας Βρεφών"
    pdffonts e-greek.pdf 2>/dev/null | awk 'NR > 2' |
        awk '$(NF - 4) != "yes" { bad = 1 } END { exit bad || NR == 0 }' &&
        pass "greek: every font embedded" ||
        fail "greek: a font not embedded"
    # UTF-16 in a literal string, read back by qpdf as the Greek name.
    qpdf --json=2 --json-key=qpdf e-greek.pdf 2>/dev/null |
        grep -o '"/TU": "u:Endorsement by [^"]*"' > greek.tu
    contains "greek: the widget's /TU reads as the Greek name" greek.tu \
        "u:Endorsement by Ένωση Ψυχικής Υγείας Βρεφών: on "
    grep -a 'T(Pledge endorsement)' e-greek.pdf |
        grep -a -q "/TU($(printf '\376\377')" &&
        pass "greek: the widget's /TU is UTF-16 in a literal string" ||
        fail "greek: the widget's /TU is not UTF-16 in a literal string"
else
    fail "greek: render or endorse"
fi
