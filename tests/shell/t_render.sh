# t_render.sh - every layout on Letter and A4 with hard names: the PDF is
# valid, its fonts embedded and subset, its text extractable in order.

names_file="$TOP/tests/data/names.txt"
layouts=$(cd "$TOP/layouts" && ls *.md | sed 's/\.md$//')

# Text as pdftotext gives it, on one line with single spaces.
flat() { pdftotext -enc UTF-8 "$1" - | tr '\n\f' '  ' | tr -s ' '; }

i=0
while IFS= read -r name; do
    [ -n "$name" ] || continue
    i=$((i + 1))
    for id in $layouts; do
        for paper in letter a4; do
            out="$WORK/$id-$paper-$i.pdf"
            expect_exit 0 "render $id $paper name $i" \
                "$PLEDGE" render --layout "$id" --name "$name" \
                --credentials "PhD, LCSW, IMH-E®" --id "M-$i" \
                --date 2026-11-21 --paper "$paper" -o "$out"
            [ -f "$out" ] || continue
            check "qpdf --check $id $paper $i" qpdf --check "$out"
            if qpdf --check "$out" 2>&1 | grep -qi warning; then
                fail "qpdf warns on $id $paper $i"
            else
                pass "no qpdf warnings $id $paper $i"
            fi
            # Every font embedded and subset.
            if pdffonts "$out" | awk 'NR > 2 && ($(NF-4) != "yes" ||
                    $(NF-3) != "yes") { bad = 1 } END { exit bad }'; then
                pass "fonts embedded and subset $id $paper $i"
            else
                fail "fonts not embedded+subset $id $paper $i"
            fi
            # pdftotext drops a hyphen at a line end, so compare without.
            flat "$out" | tr -d -- - >"$WORK/text"
            contains "name extracted $id $paper $i" "$WORK/text" \
                "$(printf '%s' "$name" | tr -d -- -)"
            size=$(wc -c <"$out")
            if [ "$size" -lt 40960 ]; then pass "size $id $paper $i"
            else fail "size $id $paper $i: $size bytes"; fi
        done
    done
done <"$names_file"

# Reading order: title, first heading, commitment, signature fields.
out="$WORK/vaimh-code-letter-1.pdf"
flat "$out" >"$WORK/text"
order_ok=1
rest=$(cat "$WORK/text")
for s in "Virginia Association" "Code of Ethics" "Personal pledge of" \
         "Value: Importance of Relationships" "Value: Integrity" \
         "I commit to upholding" "Name" "Credentials" "Member ID" "Date" \
         "Signature" "Digital signature"; do
    case $rest in
    *"$s"*) rest=${rest#*"$s"} ;;
    *) order_ok=0 ;;
    esac
done
if [ $order_ok -eq 1 ]; then pass "text in reading order"
else fail "text not in reading order: $(head -c 400 "$WORK/text")"; fi

# Paper sizes are what was asked for.
pdfinfo "$WORK/vaimh-code-letter-1.pdf" >"$WORK/info"
contains "letter is 612 x 792" "$WORK/info" "612 x 792 pts"
pdfinfo "$WORK/vaimh-code-a4-1.pdf" >"$WORK/info"
contains "a4 is 595.276 x 841.89" "$WORK/info" "595.276 x 841.89 pts"
contains "document info author" "$WORK/info" "Author:"
pdfinfo "$WORK/vaimh-code-letter-1.pdf" >"$WORK/info"
contains "creator names pledge" "$WORK/info" "pledge "
contains "subject names association" "$WORK/info" "Virginia Association for Infant Mental Health"

# Every page has "Page N of M".
pages=$(pdfinfo "$WORK/vaimh-values-letter-1.pdf" | awk '/^Pages:/ { print $2 }')
n=1
while [ "$n" -le "$pages" ]; do
    pdftotext -f "$n" -l "$n" "$WORK/vaimh-values-letter-1.pdf" "$WORK/p.txt"
    contains "page $n says Page $n of $pages" "$WORK/p.txt" "Page $n of $pages"
    n=$((n + 1))
done

# Reproducible: the same inputs give the same bytes; SOURCE_DATE_EPOCH
# sets the date when --date is absent.
"$PLEDGE" render --layout vaimh-code --name "Ana Ruiz" --date 2026-11-21 -o a.pdf
"$PLEDGE" render --layout vaimh-code --name "Ana Ruiz" --date 2026-11-21 -o b.pdf
check "same inputs, same bytes" cmp a.pdf b.pdf
SOURCE_DATE_EPOCH=1795262400 "$PLEDGE" render --layout vaimh-code --name "Ana Ruiz" -o c.pdf
sleep 1
SOURCE_DATE_EPOCH=1795262400 "$PLEDGE" render --layout vaimh-code --name "Ana Ruiz" -o d.pdf
check "SOURCE_DATE_EPOCH reproducible" cmp c.pdf d.pdf
flat c.pdf >"$WORK/text"
contains "date from SOURCE_DATE_EPOCH" "$WORK/text" "November 21, 2026"

# -o - writes the PDF to standard output.
"$PLEDGE" render --layout alliance-code --name "Ana Ruiz" --date 2026-11-21 -o - >s.pdf
check "stdout output is a PDF" qpdf --check s.pdf
