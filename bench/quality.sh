#!/bin/sh
# quality.sh - how well pledge sets each layout, beside pdflatex's twin.
#
#   sh bench/quality.sh PLEDGE BENCH_RENDER
#
# For every layout in layouts/ on Letter and on A4, renders one pledge with
# pledge and the same pledge's LaTeX twin (bench_render tex) with pdflatex,
# then measures both PDFs alike from `pdftotext -bbox-layout`: the words of
# every line and their boxes.  bench/README.md says what each figure means.
# Work files stay in bench/work/quality/.
# Exit status: 0 when everything ran, whether or not the targets were met;
# 1 when a tool is missing or a render fails.
set -eu
export LC_ALL=C     # awk reads and prints decimal points; sort by bytes

if [ $# -ne 2 ]; then
    echo "usage: sh bench/quality.sh PLEDGE BENCH_RENDER" >&2
    exit 2
fi
. "$(dirname "$0")/person.sh"
pledge=$(abs "$1")
bench_render=$(abs "$2")
cd "$(dirname "$0")/.."

for tool in pdflatex pdftotext; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "quality: $tool is not installed; 'make bench' installs it" >&2
        exit 1
    fi
done

work=bench/work/quality
rm -rf "$work"
mkdir -p "$work"

# lines PDF GEOMETRY: one record per line of text, in reading order:
# page, yMin, yMax, xMin, xMax, words, the sum of the gaps between its
# words (a list marker not counted), whether its last word ends in a hyphen, its first word; and a
# record "P page" per page, so empty pages count too.
lines() {
    pdftotext -bbox-layout "$1" - | awk -v geo="$2" '
    BEGIN { split(geo, g, " "); ph = g[2]; top = g[5]; bot = g[6] }
    function attr(s, k,    m) {
        m = index(s, " " k "=\"")
        if (m == 0) return 0
        s = substr(s, m + length(k) + 3)
        return substr(s, 1, index(s, "\"") - 1) + 0
    }
    /<page / { page++; print "P", page; next }
    /<line / { n = 0; gaps = 0; y0 = attr($0, "yMin"); y1 = attr($0, "yMax")
               x0 = attr($0, "xMin"); x1 = attr($0, "xMax"); next }
    /<word / {
        w = $0; sub(/^[^>]*>/, "", w); sub(/<\/word>.*/, "", w)
        wx0 = attr($0, "xMin")
        if (n > 0) gaps += wx0 - lastx1
        if (n == 1) gap1 = wx0 - lastx1
        lastx1 = attr($0, "xMax"); n++
        if (n == 1) first = w
        last = w; next
    }
    /<\/line>/ {
        # The running header and footer sit outside the text block.
        if (y1 <= top - 1 || y0 >= ph - bot + 1) next
        hy = last ~ /(-|\xc2\xad|\xe2\x80\x90)$/ ? 1 : 0
        # A list marker and the gap after it are no part of the text.
        if (n > 1 && first ~ /^(\xe2\x80\xa2|\xe2\x80\x93|[0-9]+\.)$/) {
            gaps -= gap1; n--
        }
        printf "L %d %.2f %.2f %.2f %.2f %d %.3f %d %s\n", page, y0, y1,
               x0, x1, n, gaps, hy, first
    }' | sort -k2,2n -k3,3n -k5,5n
}

# measure LINES GEOMETRY: the figures, one "key value" a line.
measure() {
    awk -v geo="$2" '
    BEGIN { split(geo, g, " "); pw = g[1]; ph = g[2]; right = pw - g[4]
            top = g[5]; bot = g[6] }
    $1 == "P" { pages = $2; next }
    {
        nl++; pg[nl] = $2; h[nl] = sprintf("%.1f", $4 - $3)
        y1[nl] = $4; x1[nl] = $6; nw[nl] = $7; gap[nl] = $8; hy[nl] = $9
        if ($7 >= 4) hc[h[nl]]++
    }
    END {
        # Body text: the line height most lines of four words or more have.
        for (k in hc) if (hc[k] > best) { best = hc[k]; body = k }
        for (i = 1; i <= nl; i++) {
            isbody[i] = h[i] == body
            just[i] = isbody[i] && nw[i] >= 2 && x1[i] >= right - 1.5
            head[i] = h[i] + 0 > body * 1.05
        }
        # Natural space: the median gap of body lines set at their natural
        # width, the last lines of paragraphs.
        ns = 0
        for (i = 1; i <= nl; i++)
            if (isbody[i] && !just[i] && nw[i] >= 3)
                nat[++ns] = gap[i] / (nw[i] - 1)
        asort_n(nat, ns)
        natural = ns ? nat[int((ns + 1) / 2)] : 0
        run = 0
        for (i = 1; i <= nl; i++) {
            if (pg[i] == pages && y1[i] > lasty) lasty = y1[i]
            if (head[i] && hy[i]) headhy++
            if (!isbody[i]) continue
            if (just[i]) {
                justified++
                r = natural > 0 ? gap[i] / (nw[i] - 1) / natural : 0
                if (r > 1.5) a15++
                if (r > 1.6) a16++
                if (r > 2) a20++
                if (r < 0.8) b08++
            }
            if (hy[i]) {
                hyph++; run++
                if (run > maxrun) maxrun = run
                # The last body line of a page, with more pages to come.
                for (j = i + 1; j <= nl && !isbody[j]; j++) ;
                if (pg[i] < pages && (j > nl || pg[j] != pg[i])) across++
            } else {
                run = 0
            }
            # A last line that is only the tail of a hyphenated word.
            if (!just[i] && nw[i] == 1 && i > 1 && isbody[i - 1] && hy[i - 1])
                tail++
        }
        printf "justified %d\nabove1.5 %d\nabove1.6 %d\nabove2 %d\n",
               justified, a15, a16, a20
        printf "below0.8 %d\nhyphenated %d\nrun %d\nacross %d\n",
               b08, hyph, maxrun, across
        printf "headings %d\ntails %d\npages %d\nfill %.0f\n",
               headhy, tail, pages, 100 * (lasty - top) / (ph - top - bot)
    }
    function asort_n(a, n,    i, j, t) {
        for (i = 2; i <= n; i++)
            for (j = i; j > 1 && a[j - 1] > a[j]; j--) {
                t = a[j]; a[j] = a[j - 1]; a[j - 1] = t
            }
    }' "$1"
}

get() { sed -n "s/^$2 //p" "$1"; }

# verdict PLEDGE_FILE TEX_FILE ID PAPER KEY: PASS or FAIL for the targets.
verdict() {
    p=$(get "$1" "$5"); t=$(get "$2" "$5")
    case $5 in
    above1.6)   ok=$([ "$p" -le "$t" ] && echo 1 || echo 0) ;;
    hyphenated) ok=$([ "$p" -le "$t" ] && echo 1 || echo 0) ;;
    run)        ok=$([ "$p" -lt 3 ] && echo 1 || echo 0) ;;
    across|headings|tails) ok=$([ "$p" -eq 0 ] && echo 1 || echo 0) ;;
    pages)
        case $3-$4 in
        vaimh-code-letter|alliance-code-letter) max=2 ;;
        vaimh-values-letter) max=3 ;;
        *) echo ""; return ;;
        esac
        ok=$([ "$p" -le "$max" ] && echo 1 || echo 0) ;;
    *) echo ""; return ;;
    esac
    if [ "$ok" = 1 ]; then echo PASS; else echo FAIL; fi
}

label() {
    case $1 in
    justified)  echo "justified lines" ;;
    above1.5)   echo "lines above 1.5x natural space" ;;
    above1.6)   echo "lines above 1.6x (target: <= pdflatex)" ;;
    above2)     echo "lines above 2x" ;;
    below0.8)   echo "lines below 0.8x" ;;
    hyphenated) echo "hyphenated lines (target: <= pdflatex)" ;;
    run)        echo "longest run of hyphens (target: < 3)" ;;
    across)     echo "hyphens across a page (target: 0)" ;;
    headings)   echo "hyphenated headings (target: 0)" ;;
    tails)      echo "word-tail last lines (target: 0)" ;;
    pages)      echo "pages" ;;
    fill)       echo "fill of the last page, %" ;;
    esac
}

report() {
echo
echo "Typesetting quality: pledge (Noto Serif) beside pdflatex (Times),"
echo "same text, measure, size and leading; measured with pdftotext."
for lay in layouts/*.md; do
    id=$(basename "$lay" .md)
    for paper in letter a4; do
        base=$work/$id-$paper
        if ! geo=$("$bench_render" geometry "$lay" "$paper"); then
            exit 1
        fi
        if ! "$pledge" render --layout "$lay" --paper "$paper" \
                --name "$name" --credentials "$credentials" \
                --id "$member_id" --date "$date" \
                -o "$base.pledge.pdf" 2>"$base.err"; then
            cat "$base.err" >&2
            exit 1
        fi
        "$bench_render" tex "$lay" "$name" "$credentials" "$member_id" \
            "$date" "$paper" >"$base.tex"
        # Two runs: "Page N of M" needs the .aux of the first.
        for run in 1 2; do
            if ! (cd "$work" && pdflatex -interaction=batchmode \
                    -halt-on-error "$id-$paper.tex" >/dev/null 2>&1); then
                echo "quality: pdflatex failed on $base.tex; see $base.log" >&2
                exit 1
            fi
        done
        lines "$base.pledge.pdf" "$geo" >"$base.pledge.lines"
        lines "$base.pdf" "$geo" >"$base.tex.lines"
        measure "$base.pledge.lines" "$geo" >"$base.pledge.q"
        measure "$base.tex.lines" "$geo" >"$base.tex.q"
        echo
        printf '%-44s %7s %9s\n' "$id, $paper" pledge pdflatex
        for key in justified above1.5 above1.6 above2 below0.8 hyphenated \
                   run across headings tails pages fill; do
            v=$(verdict "$base.pledge.q" "$base.tex.q" "$id" "$paper" "$key")
            printf '  %-42s %7s %9s  %s\n' "$(label "$key")" \
                "$(get "$base.pledge.q" "$key")" \
                "$(get "$base.tex.q" "$key")" "$v"
        done
    done
done
}

report >"$work/report.txt" || { cat "$work/report.txt"; exit 1; }
cat "$work/report.txt"
echo
echo "quality targets: $(grep -c ' PASS$' "$work/report.txt") PASS," \
    "$(grep -c ' FAIL$' "$work/report.txt") FAIL"
