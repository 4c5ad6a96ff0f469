# t_glyph.sh - text drawn glyph by glyph.
#
# Marks: a pledge named with a marked capital and one named with the
# bare capital (or the capital with the marks it shares) have the same
# layout, since marks have no advance.  Rasterised at 600 dpi, the two
# must differ (the mark is drawn) only in rows above the top of the bare
# letter's ink or below its foot: a mark at its nominal place, made for a
# lowercase letter, lands inside the capital.  Checked wherever the name
# is: the title (set as a paragraph), the running header (shaped by the
# PDF writer) and the signature block's Name field.
#
# Ligatures: body text shows fi as one glyph, names keep every letter,
# and the text extracts as letters in pdftotext, mutool, Ghostscript and
# pdf.js.  Hyphenated words read whole.

# ink PDF PAGE X Y W H: dark pixels per row of the box (pixels at 600
# dpi, from the top left), one count a line.
ink() {
    pdftoppm -r 600 -gray -f "$2" -l "$2" -x "$3" -y "$4" -W "$5" -H "$6" \
        "$1" "$WORK/ink" || return
    set -- $(head -c 20 "$WORK"/ink*.pgm | sed -n 2p)
    tail -c $(($1 * $2)) "$WORK"/ink*.pgm | od -An -v -tu1 | tr -s ' ' '\n' |
        grep -v '^$' | awk -v w="$1" '
        { if ($1 < 128) n[int((NR - 1) / w)]++ }
        END { for (r = 0; r < NR / w; r++) print n[r] + 0 }'
    rm -f "$WORK"/ink*.pgm
}

# boxes PDF WORD: "page x y w h" at 600 dpi for each occurrence of WORD,
# from pdftotext's word boxes, grown upwards by the box's height for
# stacked marks and downwards by a third.
boxes() {
    pdftotext -bbox "$1" - | awk -v want="$2" '
    /<page / { page++ }
    /<word / {
        w = $0; sub(/^[^>]*>/, "", w); sub(/<\/word>.*/, "", w)
        if (w != want) next
        split($0, a, "\"")
        x0 = a[2]; y0 = a[4]; x1 = a[6]; y1 = a[8]; h = y1 - y0
        k = 600 / 72
        printf "%d %d %d %d %d\n", page, (x0 - 1) * k, (y0 - h) * k,
               (x1 - x0 + 2) * k, (2.33 * h) * k
    }'
}

# marks_placed MARKED PLAIN [endorsed]: the pledge of "Pat MARKED"
# against that of "Pat PLAIN", box by box where PLAIN is; with
# "endorsed", each applicant-signed and endorsed, which adds the
# endorsement panel's "It certifies that Pat ..." (drawn from the
# pledge's embedded fonts, with no shaping: the panel places the mark
# from the glyphs' boxes).
marks_placed() {
    for who in m:"$1" p:"$2"; do
        f=$WORK/${who%%:*}.pdf
        if [ "${3:-}" = endorsed ]; then
            "$PLEDGE" keygen -o "$WORK/k" --no-passphrase --force \
                --signer "Pat ${who#*:}" >/dev/null 2>&1
            "$PLEDGE" render --layout vaimh-code --name "Pat ${who#*:}" \
                --date 2026-11-21 --sign-with "$WORK/k.key" -o "$f.a" &&
            "$PLEDGE" endorse "$f.a" --key "$WORK/assoc.key" \
                --applicant-key "$WORK/k.pub" -o "$f" >/dev/null
        else
            "$PLEDGE" render --layout vaimh-code --name "Pat ${who#*:}" \
                --date 2026-11-21 -o "$f"
        fi || { fail "make the pledge of Pat ${who#*:}"; return; }
    done
    boxes "$WORK/p.pdf" "$2" >"$WORK/boxes"
    where=0
    while read -r page x y w h; do
        ink "$WORK/m.pdf" "$page" "$x" "$y" "$w" "$h" >"$WORK/m.rows"
        ink "$WORK/p.pdf" "$page" "$x" "$y" "$w" "$h" >"$WORK/p.rows"
        # The bare letter's rows: the run of inked rows through the middle
        # of its box (the crop's row 1.5 h of 2.33 h), which leaves out the
        # line above and a dot below.  A row counts as the mark's where
        # the two differ by more than antialiasing; a mark may touch the
        # letter's run in one row (Ở's hook over its horn).  The mark's
        # ink is counted against the box's height: the panel's text is
        # small.
        verdict=$(paste "$WORK/m.rows" "$WORK/p.rows" | awk '
            { m[NR] = $1; p[NR] = $2 }
            END {
                mid = int(NR * 1.5 / 2.33)
                for (top = mid; top > 1 && p[top - 1] > 0; top--) ;
                for (bot = mid; bot < NR && p[bot + 1] > 0; bot++) ;
                for (r = 1; r <= NR; r++) {
                    d = m[r] > p[r] ? m[r] - p[r] : p[r] - m[r]
                    extra += d
                    if (d > 3 && r >= top && r <= bot) inside++
                }
                printf "%d %d\n", extra, inside
            }')
        set -- $verdict
        where=$((where + 1))
        if [ "$1" -gt $((h / 8)) ] && [ "$2" -le 1 ]; then
            pass "$MARKED p.$page at $y: the mark is drawn ($1 px), outside the letter"
        else
            fail "$MARKED p.$page at $y: mark ink $1 px, $2 rows inside the letter"
        fi
    done <"$WORK/boxes"
    # Title, header on each later page, Name field (and the panel).
    if [ "$where" -ge 3 ]; then pass "$MARKED: found in $where places"; else
        fail "$MARKED: found in $where places, not title, header and field"
    fi
}

# Each pair a name of its own ("Az": "A" alone is a word of the body).
for pair in "M̂:M" "Q̃:Q" "J̌:J" "Ọ̀:Ọ" "Ǹ:N" "Ệ:Ẹ" "Ấz:Az" "Ở:Ơ"; do
    MARKED=${pair%%:*}
    marks_placed "$MARKED" "${pair#*:}"
done
"$PLEDGE" keygen -o "$WORK/assoc" --no-passphrase --role association \
    --signer "Test Association" >/dev/null 2>&1
for pair in "M̂:M" "Q̃:Q" "J̌:J" "Ọ̀:Ọ"; do
    MARKED=${pair%%:*}
    marks_placed "$MARKED" "${pair#*:}" endorsed
done

# Ligatures.  mutool's trace lists each glyph shown with its x: a
# ligature is followed by its further letters, at one x (no width).
"$PLEDGE" render --layout vaimh-code --name "Fiona Offield" \
    --date 2026-11-21 -o lig.pdf
mutool trace lig.pdf 2>/dev/null | grep '<g ' |
    sed 's/.*unicode="\([^"]*\)".* x="\([^"]*\)".*/\1 \2/' >trace.txt
if awk '{ u[NR] = $1; x[NR] = $2 }
        END { for (k = 1; k + 2 <= NR; k++)
                  if (u[k] == "f" && u[k + 1] == "i" &&
                      x[k + 1] == x[k + 2] && x[k] < x[k + 1]) found = 1
              exit !found }' trace.txt; then
    pass "body text shows fi as one glyph"
else
    fail "no fi ligature in the body text"
fi
# The name: O, f, f, i, e each a glyph of its own width.
if awk '{ u[NR] = $1; x[NR] = $2 }
        END { for (k = 1; k + 5 <= NR; k++)
                  if (u[k] u[k + 1] u[k + 2] u[k + 3] u[k + 4] == "Offie" &&
                      x[k] < x[k + 1] && x[k + 1] < x[k + 2] &&
                      x[k + 2] < x[k + 3] && x[k + 3] < x[k + 4]) n++
              exit n < 3 }' trace.txt; then
    pass "the name keeps f, f and i apart (title, header, field)"
else
    fail "the name's letters are not glyphs of their own"
fi
for tool in pdftotext mutool gs node; do
    case $tool in
    pdftotext) pdftotext lig.pdf out.txt ;;
    mutool) mutool draw -F txt -o out.txt lig.pdf 2>/dev/null ;;
    gs) gs -q -sDEVICE=txtwrite -o out.txt lig.pdf 2>/dev/null ;;
    node) node "$TOP/tests/shell/pdftext.mjs" lig.pdf >out.txt 2>/dev/null ;;
    esac
    for word in field certification efforts Offield; do
        if grep -qw "$word" out.txt; then
            pass "$tool reads '$word'"
        else
            fail "$tool does not read '$word'"
        fi
    done
done

# Hyphenated words: the hyphen the setter adds reads as a soft hyphen
# (mutool keeps it: its text lists the broken words), so the structure
# reads the word whole, pdf.js the pieces with no hyphen between them,
# and pdftotext joins the pieces in a paragraph.
# (miaimh-code: the layout the line breaker hyphenates most.)
"$PLEDGE" render --layout miaimh-code --name "Pat Doe" --date 2026-11-21 \
    -p a4 -o hy.pdf 2>/dev/null
shy=$(printf '\302\255')
mutool draw -F txt -o mu.txt hy.pdf 2>/dev/null
awk -v shy="$shy" 'substr($0, length($0) - 1) == shy {
        head = $NF; head = substr(head, 1, length(head) - 2); getline
        word = head $1; sub(/[^A-Za-z]+$/, "", word); print word }' \
    mu.txt >words.txt
if [ "$(wc -l <words.txt)" -ge 3 ]; then
    pass "$(wc -l <words.txt) words broken at a soft hyphen"
else
    fail "$(wc -l <words.txt) words broken at a soft hyphen"
fi
pdftotext hy.pdf text.txt
pdfinfo -struct-text hy.pdf | tr -d '\n' | sed 's/"[[:space:]]*"//g' \
    >struct.txt
node "$TOP/tests/shell/pdftext.mjs" hy.pdf | tr -d '\n' >pdfjs.txt
# The structure and pdf.js: every word; pdftotext joins some lines at a
# soft hyphen, as its layout analysis decides.
joined=0
for word in $(sort -u words.txt); do
    for f in struct pdfjs; do
        if grep -q -- "$word" $f.txt; then
            pass "$f reads '$word' whole"
        else
            fail "$f does not read '$word' whole"
        fi
    done
    grep -q -- "$word" text.txt && joined=$((joined + 1))
done
if [ "$joined" -ge 2 ]; then pass "pdftotext reads $joined of them whole"
else fail "pdftotext reads $joined of them whole"; fi
