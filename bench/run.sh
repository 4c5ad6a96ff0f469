#!/bin/sh
# run.sh - time pledge against pdflatex on every bundled layout, then
# signing and verifying against libsodium's own speed.
#
#   sh bench/run.sh build/pledge build/bench_render build/bench_sign
#
# `make bench` installs hyperfine and TeX Live, builds the three programs
# and runs this from the top of the tree.  Every figure printed is measured
# in this run; bench/README.md says what each one means.  Work files (PDFs,
# the LaTeX sources, hyperfine's JSON, the signed pledges and the key that
# signed them) stay in bench/work/ for a look.
# Exit status: 0 when everything ran, whether or not the targets were met;
# 1 when a tool is missing, a render fails or a signature does not verify.
set -eu
export LC_NUMERIC=C     # awk reads and prints decimal points

if [ $# -ne 3 ]; then
    echo "usage: sh bench/run.sh PLEDGE BENCH_RENDER BENCH_SIGN" >&2
    exit 2
fi
abs() { case $1 in /*) echo "$1" ;; *) echo "$PWD/$1" ;; esac; }
pledge=$(abs "$1")
bench_render=$(abs "$2")
bench_sign=$(abs "$3")
cd "$(dirname "$0")/.."

# One pledge, the same for every tool.  The name has diacritics but stays
# within Latin-1, so that pdflatex's T1 fonts can set it as well.
name="Zoë Ångström-Núñez"
credentials="PhD, LCSW, IMH-E®"
member_id="VA-2026-0142"
date="2026-11-21"

warmup=3
runs=${BENCH_RUNS:-30}
inproc=200          # pledges per layout in one process

# Targets: whole-process ms per pledge, speed-up over pdflatex, bytes.
max_ms=15
min_speedup=7
max_bytes=40000     # 40 KB

work=bench/work
tex=$work/tex
rm -rf "$work"
mkdir -p "$tex"

for tool in hyperfine pdflatex pdfinfo; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "bench: $tool is not installed; 'make bench' installs it" >&2
        exit 1
    fi
done

# hyperfine JSON field of the one command timed, in seconds.
field() {
    sed -n "s/^ *\"$2\": *\([0-9.eE+-]*\),*$/\1/p" "$1" | head -n 1
}

# pass_if CONDITION (an awk expression): PASS or MISS.
pass_if() {
    if awk "BEGIN { exit !($1) }"; then
        echo PASS
    else
        echo MISS
    fi
}

# time_cmd JSON COMMAND: hyperfine without a shell; the command is split
# into words as a shell would, so quote arguments with spaces.
time_cmd() {
    if ! hyperfine -N --warmup "$warmup" --runs "$runs" --style none \
            --export-json "$1" "$2" >"$work/hyperfine.out" 2>&1; then
        echo "bench: hyperfine failed on: $2" >&2
        cat "$work/hyperfine.out" >&2
        exit 1
    fi
}

cpu=$(sed -n 's/^model name[^:]*: *//p' /proc/cpuinfo 2>/dev/null | head -n 1)
echo "pledge bench: $(nproc) cores${cpu:+, $cpu}"
echo "  $(hyperfine --version); $(pdflatex --version | head -n 1)"
echo "  pledge: \"$name\", $credentials, $member_id, $date"
echo "  whole process: hyperfine --warmup $warmup --runs $runs, mean;" \
     "in process: $inproc pledges"
echo "  pdflatex: ONE run per pledge, with the .aux of an earlier run in" \
     "place so that"
echo "  \"Page N of M\" resolves; a first build needs two runs, twice" \
     "the time shown"
echo

results=$work/results.txt
: >"$results"
for f in layouts/*.md; do
    id=$(basename "$f" .md)
    pdf=$work/$id.pdf

    # pledge as a user runs it, once untimed to check it works.
    set -- "$pledge" render --layout "$id" --name "$name" \
        --credentials "$credentials" --id "$member_id" --date "$date" \
        -o "$pdf"
    if ! "$@" 2>"$work/stderr"; then
        echo "bench: pledge failed on $id: $(cat "$work/stderr")" >&2
        exit 1
    fi
    time_cmd "$work/$id.pledge.json" "'$pledge' render --layout $id \
--name '$name' --credentials '$credentials' --id '$member_id' \
--date $date -o '$pdf'"
    p_mean=$(field "$work/$id.pledge.json" mean)
    p_sd=$(field "$work/$id.pledge.json" stddev)
    p_bytes=$(wc -c <"$pdf" | tr -d ' ')
    p_pages=$(pdfinfo "$pdf" | awk '/^Pages:/ { print $2 }')

    # pledge in one process: the engine and layout loaded once.
    if ! "$bench_render" render "$f" "$inproc" "$credentials" \
            "$member_id" "$date" >"$work/$id.inproc.txt" 2>"$work/stderr"
    then
        echo "bench: bench_render failed on $id: $(cat "$work/stderr")" >&2
        exit 1
    fi
    i_ms=$(awk '$1 == "ms/pledge" { print $2 }' "$work/$id.inproc.txt")

    # The same pledge from pdflatex, once untimed to check it works and to
    # leave the .aux that "Page N of M" reads.
    "$bench_render" tex "$f" "$name" "$credentials" "$member_id" "$date" \
        >"$tex/$id.tex"
    if ! pdflatex -interaction=batchmode -halt-on-error \
            -output-directory "$tex" "$tex/$id.tex" >/dev/null 2>&1; then
        echo "bench: pdflatex failed on $tex/$id.tex:" >&2
        grep -A 3 '^!' "$tex/$id.log" >&2 || tail -n 20 "$tex/$id.log" >&2
        exit 1
    fi
    time_cmd "$work/$id.tex.json" "pdflatex -interaction=batchmode \
-halt-on-error -output-directory '$tex' '$tex/$id.tex'"
    if grep -q 'There were undefined references' "$tex/$id.log"; then
        echo "bench: warning: pdflatex left \"Page N of ??\" in $id" >&2
    fi
    t_mean=$(field "$work/$id.tex.json" mean)
    t_sd=$(field "$work/$id.tex.json" stddev)
    t_bytes=$(wc -c <"$tex/$id.pdf" | tr -d ' ')
    t_pages=$(pdfinfo "$tex/$id.pdf" | awk '/^Pages:/ { print $2 }')

    p_ms=$(awk "BEGIN { print $p_mean * 1000 }")
    speedup=$(awk "BEGIN { print $t_mean / $p_mean }")
    ok_ms=$(pass_if "$p_ms < $max_ms")
    ok_speed=$(pass_if "$speedup >= $min_speedup")
    ok_bytes=$(pass_if "$p_bytes < $max_bytes")
    echo "$id $p_ms $speedup $p_bytes $ok_ms $ok_speed $ok_bytes" \
        >>"$results"

    awk -v id="$id" -v pm="$p_mean" -v psd="$p_sd" -v pb="$p_bytes" \
        -v pp="$p_pages" -v im="$i_ms" -v tm="$t_mean" \
        -v tsd="$t_sd" -v tb="$t_bytes" -v tp="$t_pages" -v n="$inproc" \
        -v okm="$ok_ms" -v oks="$ok_speed" -v okb="$ok_bytes" \
        -v maxms="$max_ms" -v minsp="$min_speedup" -v maxb="$max_bytes" '
    BEGIN {
        # Figures padded to one column; the targets and verdicts beside.
        f = "  %-22s %-24s %-17s %s\n"
        printf "%s\n", id
        printf f, "pledge, whole process", \
               sprintf("%8.2f ms  (sd %.2f)", pm * 1000, psd * 1000), \
               "target < " maxms " ms", okm
        printf f, "pledge, in process", sprintf("%8.2f ms", im), \
               "(mean of " n ")", ""
        printf f, "pledge, PDF size", \
               sprintf("%8d bytes, %d pp.", pb, pp), \
               "target < " maxb / 1000 " KB", okb
        printf f, "pdflatex, one run", \
               sprintf("%8.2f ms  (sd %.2f)", tm * 1000, tsd * 1000), "", ""
        printf f, "pdflatex, PDF size", \
               sprintf("%8d bytes, %d pp.", tb, tp), "", ""
        # "×" is two bytes that print as one column: pad one wider.
        printf "  %-48s %-18s %s\n\n", \
               sprintf("pledge is %.1f× faster than pdflatex", tm / pm), \
               "target >= " minsp "×", oks
    }' | sed 's/ *$//'
done

awk '
{
    n++
    if ($5 == "MISS") { m++; miss = miss " " $1 " (time)" }
    if ($6 == "MISS") { m++; miss = miss " " $1 " (speed-up)" }
    if ($7 == "MISS") { m++; miss = miss " " $1 " (size)" }
    if (n == 1 || $2 > worst_ms) { worst_ms = $2; worst_ms_id = $1 }
    if (n == 1 || $3 < least_sp) { least_sp = $3; least_sp_id = $1 }
    if (n == 1 || $4 > most_b) { most_b = $4; most_b_id = $1 }
}
END {
    f = "  %-22s %-24s %s\n"
    printf "summary over %d layouts\n", n
    printf f, "slowest whole process", \
           sprintf("%8.2f ms  (%s)", worst_ms, worst_ms_id), ""
    printf "  %-22s %-25s %s\n", "least speed-up", \
           sprintf("%8.1f×  (%s)", least_sp, least_sp_id), ""
    printf f, "largest PDF", \
           sprintf("%8d bytes (%s)", most_b, most_b_id), ""
    if (m == 0)
        printf "  targets: all %d PASS\n", 3 * n
    else
        printf "  targets: %d of %d MISS:%s\n", m, 3 * n, miss
}' "$results" | sed 's/ *$//'

# Signing: a key made for the run (no passphrase, so nothing waits on a
# terminal), one layout, and the floor under it: what libsodium's Ed25519
# and BLAKE2b cost alone on this machine.  A pledge signature is minisign's
# prehashed form: BLAKE2b-512 of the file, then two Ed25519 signatures (one
# over the hash, one binding the trusted comment), so that is the floor.
sign_id=vaimh-code
keys=$work/keys
signed=$work/signed          # only the signed pledges: verify reads it all
mkdir -p "$keys" "$signed"
if ! "$pledge" keygen -o "$keys/bench" --signer "Bench Signer" \
        --no-passphrase >"$work/keygen.out" 2>"$work/stderr"; then
    echo "bench: pledge keygen failed: $(cat "$work/stderr")" >&2
    exit 1
fi

# In one process: sign, signed and unsigned renders, verify, the floor;
# it leaves the signed pledges in $signed and exits 1 if one is invalid.
if ! "$bench_sign" "layouts/$sign_id.md" "$inproc" "$keys/bench" \
        "$signed" >"$work/sign.inproc.txt" 2>"$work/stderr"; then
    echo "bench: bench_sign failed: $(cat "$work/stderr")" >&2
    exit 1
fi
key_id=$(sed -n 's/.*key ID \([0-9A-F]*\).*/\1/p' "$work/sign.inproc.txt")
nsigned=$(find "$signed" -name '*.pdf' | wc -l | tr -d ' ')

# A whole-process signed render, and the same unsigned, checked untimed.
one=$work/$sign_id.signed.pdf
for k in 0 1; do
    set -- "$pledge" render --layout "$sign_id" --name "$name" \
        --credentials "$credentials" --id "$member_id" --date "$date" \
        -o "$one"
    if [ "$k" -eq 1 ]; then
        set -- "$@" --sign-with "$keys/bench.key"
    fi
    if ! "$@" >/dev/null 2>"$work/stderr"; then
        echo "bench: pledge render failed: $(cat "$work/stderr")" >&2
        exit 1
    fi
done
if ! "$pledge" verify "$one" "$signed" --key "$keys/bench.pub" \
        >"$work/verify.out" 2>&1; then
    echo "bench: pledge verify found an invalid pledge:" >&2
    grep -v '^VALID\|^  ' "$work/verify.out" >&2
    exit 1
fi
render_cmd="'$pledge' render --layout $sign_id --name '$name' \
--credentials '$credentials' --id '$member_id' --date $date -o '$one'"
time_cmd "$work/sign.render.json" "$render_cmd"
time_cmd "$work/sign.render-signed.json" \
    "$render_cmd --sign-with '$keys/bench.key'"
time_cmd "$work/sign.verify.json" \
    "'$pledge' verify '$signed' --key '$keys/bench.pub'"

# name: a figure from bench_sign; the run fails if one is missing.
fig() {
    v=$(awk -v k="$1" '$1 == k { print $2 }' "$work/sign.inproc.txt")
    if [ -z "$v" ]; then
        echo "bench: bench_sign printed no $1" >&2
        exit 1
    fi
    echo "$v"
}
sign_ms=$(fig sign_ms)
sign_floor=$(fig sign_floor_us)
sign_hash=$(fig sign_floor_hash_us)
sign_ed=$(fig sign_floor_ed_us)
sign_ratio=$(fig sign_ratio)
render_ms=$(fig render_ms)
render_signed_ms=$(fig render_signed_ms)
extra_ms=$(fig render_sign_extra_ms)
verify_us=$(fig verify_us)
verify_floor=$(fig verify_floor_us)
verify_hash=$(fig verify_floor_hash_us)
verify_ed=$(fig verify_floor_ed_us)
verify_ratio=$(fig verify_ratio)
ed_sign=$(fig ed25519_sign_us)
ed_verify=$(fig ed25519_verify_us)
b2_rate=$(fig blake2b_rate)
b2_us=$(fig blake2b_pledge_us)
b2_bytes=$(fig blake2b_pledge_bytes)

echo
echo "signing: $sign_id, key ID $key_id (no passphrase)," \
     "libsodium $(pkg-config --modversion libsodium 2>/dev/null || echo '?')"
echo "  in process: medians over $inproc pledges; whole process:" \
     "hyperfine as above"
echo "  floor: what a signature needs from libsodium and nothing else," \
     "BLAKE2b-512 of"
echo "  the file and two Ed25519 operations, timed beside each pledge's" \
     "own (medians);"
echo "  the primitives alone: the fastest of 20 batches"
awk -v sms="$sign_ms" -v sfl="$sign_floor" -v srt="$sign_ratio" \
    -v rms="$render_ms" -v rsms="$render_signed_ms" -v xms="$extra_ms" \
    -v vus="$verify_us" -v vfl="$verify_floor" -v vrt="$verify_ratio" \
    -v sh="$sign_hash" -v se="$sign_ed" -v vh="$verify_hash" \
    -v ve="$verify_ed" \
    -v eds="$ed_sign" -v edv="$ed_verify" -v b2r="$b2_rate" \
    -v b2us="$b2_us" -v b2b="$b2_bytes" -v n="$nsigned" \
    -v wr="$(field "$work/sign.render.json" mean)" \
    -v wrsd="$(field "$work/sign.render.json" stddev)" \
    -v ws="$(field "$work/sign.render-signed.json" mean)" \
    -v wssd="$(field "$work/sign.render-signed.json" stddev)" \
    -v wv="$(field "$work/sign.verify.json" mean)" \
    -v wvsd="$(field "$work/sign.verify.json" stddev)" '
BEGIN {
    # Figures padded to one column, the floor or the comparison beside.
    f = "  %-28s %-19s %s\n"
    kb = sprintf("%.0f KB", b2b / 1000)
    wvus = wv * 1e6 / n                 # us per file, whole process
    printf f, "Ed25519 sign, 64 bytes", sprintf("%8.1f us", eds), \
           sprintf("%.0f signs/s", 1e6 / eds)
    printf f, "Ed25519 verify, 64 bytes", sprintf("%8.1f us", edv), \
           sprintf("%.0f verifies/s", 1e6 / edv)
    printf f, "BLAKE2b-512, 1 MiB", sprintf("%8.0f MB/s", b2r), \
           sprintf("a pledge (%s): %.1f µs", kb, b2us)
    printf f, "sign, in process", sprintf("%8.3f ms/pledge", sms), \
           sprintf("floor %.0f µs: 2 × Ed25519 sign %.1f µs + BLAKE2b " \
                   "of %s %.1f µs", sfl, se, kb, sh)
    printf f, "render signed, in process", sprintf("%8.2f ms", rsms), \
           sprintf("unsigned %.2f ms; signing adds %.2f ms a pledge", \
                   rms, xms)
    printf f, "render signed, whole process", \
           sprintf("%8.2f ms", ws * 1000), \
           sprintf("(sd %.2f); unsigned %.2f ms (sd %.2f): %+.2f ms", \
                   wssd * 1000, wr * 1000, wrsd * 1000, (ws - wr) * 1000)
    printf f, "verify, in process", sprintf("%8.0f files/s", 1e6 / vus), \
           sprintf("%.0f µs a file; floor %.0f µs (%.0f files/s): " \
                   "2 × Ed25519 verify %.1f µs + BLAKE2b of %s %.1f µs", \
                   vus, vfl, 1e6 / vfl, ve, kb, vh)
    printf f, "verify DIR, whole process", \
           sprintf("%8.0f files/s", n / wv), \
           sprintf("%d files in %.1f ms (sd %.1f): %.0f µs a file", n, \
                   wv * 1000, wvsd * 1000, wvus)
    printf "  sign is %.1f× the cryptographic floor; verify is %.1f× " \
           "in process, %.1f× as a whole process\n", srt, vrt, wvus / vfl
}' | sed 's/ *$//'
