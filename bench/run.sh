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
. "$(dirname "$0")/person.sh"
pledge=$(abs "$1")
bench_render=$(abs "$2")
bench_sign=$(abs "$3")
cd "$(dirname "$0")/.."

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
# The association signs, as a batch does: its key names it, so the
# pledges carry the seal of a pledge the association issued (kind A) and
# keep no space for an endorsement.
assoc=$(awk '/^association:/ { a = 1; next }
             a && /^  name:/ { sub(/^  name: */, ""); print; exit }' \
        "layouts/$sign_id.md")
if ! "$pledge" keygen -o "$keys/bench" --signer "$assoc" \
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
seal_us=$(fig seal_us)
seal_share=$(fig seal_share)
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
    -v seus="$seal_us" -v sesh="$seal_share" \
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
    printf f, "seal, in process", sprintf("%8.3f ms/pledge", seus / 1000), \
           sprintf("%.1f%% of a signed render (target < 5%%): facts, " \
                   "Ed25519, base45, QR modules", sesh)
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

. bench/endorse.sh

# Batches: `pledge batch` on a roster of 500 against Typst and pdflatex
# setting the same 500 pledges, then 5,000 for memory, then where the
# instructions go.  The rosters come from bench/roster.sh (the same people
# in every run, names within Latin-1 for pdflatex); every pledge is
# signed with the key made above.
batch_layout=vaimh-code
batch_n=500
batch_big=5000
batch_jobs=2
batch_runs=${BENCH_BATCH_RUNS:-5}
tex_sample=${BENCH_TEX_SAMPLE:-50}  # pdflatex: this many timed, scaled up
cg_rows=40                          # callgrind's batch

# Targets: seconds for 500, speed-ups over Typst and pdflatex, and how
# much larger the 5,000-row peaks may be than the 500-row ones: 500-row
# runs alike differ by up to ~300 KB (3%) in their peaks.
max_batch_s=1
min_typst=4
min_tex=30
rss_slack=1.05

bw=$work/batch
mkdir -p "$bw/tex"
sh bench/roster.sh "$batch_n" >"$bw/r$batch_n.csv"
sh bench/roster.sh "$batch_n" tsv >"$bw/r$batch_n.tsv"
sh bench/roster.sh "$batch_big" >"$bw/r$batch_big.csv"
sh bench/roster.sh "$cg_rows" >"$bw/r$cg_rows.csv"
ncores=$(nproc)
cores=$((batch_jobs < ncores ? batch_jobs : ncores))

# Peak memory of the batch's parent and of its largest worker, each its
# own ru_maxrss (bench/peak_rss.c says how).
if ! ${CC:-cc} -shared -fPIC -O2 -o "$bw/peak_rss.so" bench/peak_rss.c \
        2>"$work/stderr"; then
    echo "bench: cannot build bench/peak_rss.c: $(cat "$work/stderr")" >&2
    exit 1
fi

# The timed command, and run_batch ROSTER OUT PRINT RSS_FILE: the same
# for another roster and output, untimed, appending the peaks to RSS_FILE,
# under $trace when that is set (strace: the preload is for pledge alone).
batch_cmd="'$pledge' batch '$bw/r$batch_n.csv' --layout $batch_layout \
--key '$keys/bench.key' --out '$bw/out' --print '$bw/print.pdf' \
--jobs $batch_jobs --date $date"
trace=""
run_batch() {
    rm -rf "$2" "$3"
    # shellcheck disable=SC2086
    if ! $trace env PLEDGE_BENCH_RSS="$4" LD_PRELOAD="$bw/peak_rss.so" \
            "$pledge" batch "$1" --layout "$batch_layout" \
            --key "$keys/bench.key" --out "$2" --print "$3" \
            --jobs "$batch_jobs" --date "$date" \
            >"$work/batch.out" 2>&1; then
        echo "bench: pledge batch failed on $1:" >&2
        cat "$work/batch.out" >&2
        exit 1
    fi
}

# Once untimed, to check it: every pledge made and valid, the manifest
# and the print file whole.  Its peaks are the 500-row figures, and strace
# times its fsync and syncfs calls: syncing to disk is kernel time that
# callgrind's counts (below) leave out.
: >"$bw/rss.$batch_n"
if command -v strace >/dev/null 2>&1; then
    trace="strace -f -qq --seccomp-bpf -T -e trace=fsync,syncfs -o $bw/fsync.txt"
fi
run_batch "$bw/r$batch_n.csv" "$bw/out" "$bw/print.pdf" "$bw/rss.$batch_n"
trace=""
fsync_n=""
fsync_s=""
if [ -f "$bw/fsync.txt" ]; then
    fsync_n=$(grep -c '^[0-9]* *\(fsync\|syncfs\)' "$bw/fsync.txt" || true)
    fsync_s=$(sed -n 's/.*<\([0-9.]*\)>$/\1/p' "$bw/fsync.txt" |
        awk '{ s += $1 } END { print s + 0 }')
fi
b_pdfs=$(find "$bw/out" -name '*.pdf' | wc -l | tr -d ' ')
b_made=$(grep -c '"status":"made"' "$bw/out/manifest.jsonl" || true)
b_pages=$(pdfinfo "$bw/print.pdf" | awk '/^Pages:/ { print $2 }')
b_one=$(find "$bw/out" -name '0001-*.pdf')
b_one_pages=$(pdfinfo "$b_one" | awk '/^Pages:/ { print $2 }')
if [ "$b_pdfs" -ne "$batch_n" ] || [ "$b_made" -ne "$batch_n" ]; then
    echo "bench: pledge batch made $b_pdfs PDFs, $b_made in the manifest," \
         "not $batch_n" >&2
    exit 1
fi
if ! "$pledge" verify "$bw/out" --key "$keys/bench.pub" \
        >"$work/verify.out" 2>&1; then
    echo "bench: pledge verify found an invalid pledge in $bw/out:" >&2
    grep -v '^VALID\|^  ' "$work/verify.out" >&2
    exit 1
fi
b_bytes=$(find "$bw/out" -name '*.pdf' -exec cat {} + | wc -c | tr -d ' ')
b_print=$(wc -c <"$bw/print.pdf" | tr -d ' ')

# Timed: into a directory made afresh each run, as a rerun into the same
# one only verifies what is there; sync(1) lets the disk finish with the
# last run's files first, so no run pays for the one before it.
if ! hyperfine -N --warmup 1 --runs "$batch_runs" --style none \
        --prepare "sh -c 'rm -rf \"$bw/out\" \"$bw/print.pdf\"; sync'" \
        --export-json "$bw/pledge.json" "$batch_cmd" \
        >"$work/hyperfine.out" 2>&1; then
    echo "bench: hyperfine failed on: $batch_cmd" >&2
    cat "$work/hyperfine.out" >&2
    exit 1
fi
b_mean=$(field "$bw/pledge.json" mean)
b_sd=$(field "$bw/pledge.json" stddev)
b_user=$(field "$bw/pledge.json" user)
b_sys=$(field "$bw/pledge.json" system)

# 5,000: once, for its peaks and its rate.
: >"$bw/rss.$batch_big"
t0=$(date +%s.%N)
run_batch "$bw/r$batch_big.csv" "$bw/out-$batch_big" \
    "$bw/print-$batch_big.pdf" "$bw/rss.$batch_big"
t1=$(date +%s.%N)
big_s=$(awk "BEGIN { print $t1 - $t0 }")
big_made=$(grep -c '"status":"made"' "$bw/out-$batch_big/manifest.jsonl" \
    || true)
rm -rf "$bw/out-$batch_big" "$bw/print-$batch_big.pdf"  # 150 MB
if [ "$big_made" -ne "$batch_big" ]; then
    echo "bench: pledge batch made $big_made of $batch_big" >&2
    exit 1
fi
# rss FILE COLUMN: the figure of the one pledge process that wrote FILE.
rss() { awk -v c="$2" 'NR == 1 { print $c }' "$1"; }
rss_p500=$(rss "$bw/rss.$batch_n" 2)
rss_w500=$(rss "$bw/rss.$batch_n" 3)
rss_p5k=$(rss "$bw/rss.$batch_big" 2)
rss_w5k=$(rss "$bw/rss.$batch_big" 3)

# Typst: the same 500 pledges in one Node process (bench/typst/batch.js).
# Its packages install from bench/typst/package-lock.json on first use,
# with npm install: npm ci refuses that lock, which cannot list the
# compiler's builds for other platforms (the registry has none at 0.7.0).
typst_why=""
typst_dir=bench/typst
ty() { awk -v k="$1" '$1 == k { print $2 }' "$bw/typst.txt" 2>/dev/null; }
: >"$bw/typst.txt"
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1
then
    typst_why="node or npm is not installed; 'make bench' installs them"
elif [ ! -f "$typst_dir/node_modules/.package-lock.json" ] ||
     [ -n "$(find "$typst_dir/package-lock.json" \
             -newer "$typst_dir/node_modules/.package-lock.json")" ]; then
    if ! (cd "$typst_dir" && npm install --no-audit --no-fund \
            --loglevel=error) >"$bw/npm.out" 2>&1; then
        typst_why="npm install in $typst_dir failed: $(grep -v \
            '^npm warn' "$bw/npm.out" | head -n 1)"
    fi
fi
if [ -z "$typst_why" ]; then
    rm -rf "$bw/typst"
    node "$typst_dir/batch.js" emit "layouts/$batch_layout.md" \
        >"$bw/$batch_layout.typ" 2>"$work/stderr" || true
    if ! node "$typst_dir/batch.js" run "layouts/$batch_layout.md" \
            "$bw/r$batch_n.tsv" "$bw/typst" "$date" >"$bw/typst.txt" \
            2>"$work/stderr"; then
        typst_why="batch.js failed: $(head -c 300 "$work/stderr")"
    fi
fi
if [ -z "$typst_why" ]; then
    ty_pages=$(pdfinfo "$bw/typst/0001.pdf" 2>/dev/null |
        awk '/^Pages:/ { print $2 }')
    ty_n=$(ty docs)
    if [ "$ty_n" != "$batch_n" ]; then
        typst_why="batch.js wrote ${ty_n:-no} documents, not $batch_n"
    fi
fi

# pdflatex: the same pledges, two workers (xargs -P 2), one run each with
# the .aux of an untimed run in place, as above.  Only the first
# $tex_sample are timed; the time is scaled to $batch_n.
# A tab is blank to read's field splitting, so empty credentials would
# shift the fields: the line is cut at each tab by hand instead.
tab=$(printf '\t')
i=0
head -n "$tex_sample" "$bw/r$batch_n.tsv" |
while IFS= read -r line; do
    i=$((i + 1))
    t_name=${line%%"$tab"*}
    line=${line#*"$tab"}
    "$bench_render" tex "layouts/$batch_layout.md" "$t_name" \
        "${line%%"$tab"*}" "${line#*"$tab"}" "$date" \
        >"$bw/tex/$(printf %04d "$i").tex"
done
tex_all() {
    find "$bw/tex" -name '*.tex' | sort |
        xargs -P "$batch_jobs" -n 1 pdflatex -interaction=batchmode \
            -halt-on-error -output-directory "$bw/tex" >/dev/null 2>&1
}
if ! tex_all; then
    echo "bench: pdflatex failed on a pledge in $bw/tex" >&2
    exit 1
fi
t0=$(date +%s.%N)
if ! tex_all; then
    echo "bench: pdflatex failed on a pledge in $bw/tex" >&2
    exit 1
fi
t1=$(date +%s.%N)
tex_s=$(awk "BEGIN { print $t1 - $t0 }")
tex_pages=$(pdfinfo "$bw/tex/0001.pdf" | awk '/^Pages:/ { print $2 }')
tex_bytes=$(find "$bw/tex" -name '*.pdf' -exec cat {} + | wc -c |
    tr -d ' ')

# Where a batch's instructions go: callgrind on $cg_rows pledges with one
# worker (it follows forked workers; each process writes its own file).
cg_why=""
if ! command -v valgrind >/dev/null 2>&1 ||
   ! command -v callgrind_annotate >/dev/null 2>&1; then
    cg_why="valgrind is not installed; 'make bench' installs it"
else
    rm -rf "$bw/cg" "$bw/cg-out" "$bw/cg-print.pdf"
    mkdir -p "$bw/cg"
    if ! valgrind --tool=callgrind --callgrind-out-file="$bw/cg/cg.%p" \
            "$pledge" batch "$bw/r$cg_rows.csv" --layout "$batch_layout" \
            --key "$keys/bench.key" --out "$bw/cg-out" \
            --print "$bw/cg-print.pdf" --jobs 1 --date "$date" \
            >"$bw/cg.out" 2>&1; then
        cg_why="valgrind failed: $(tail -n 1 "$bw/cg.out")"
    else
        for f in "$bw"/cg/cg.*; do
            callgrind_annotate --inclusive=yes --threshold=100 --auto=no "$f" \
                >"$f.txt" 2>/dev/null || cg_why="callgrind_annotate failed"
        done
    fi
fi

echo
echo "batch: $batch_n attendees, $batch_layout, signed, with manifest and" \
     "print file"
echo "  pledge batch --jobs $batch_jobs --print: hyperfine --warmup 1" \
     "--runs $batch_runs, into a fresh"
echo "  directory each run, mean; checked untimed first: $batch_n valid" \
     "signed pledges,"
echo "  $b_pages pages in the print file"
if [ -n "$typst_why" ]; then
    echo "  Typst: not measured ($typst_why)"
else
    echo "  Typst: typst-ts-node-compiler $(ty version), one compiler in" \
         "one Node process,"
    echo "  $batch_n documents from one source, each written to a file;" \
         "unsigned, no manifest,"
    echo "  no print file (bench/typst/batch.js)"
fi
echo "  pdflatex: $batch_jobs workers (xargs -P $batch_jobs), ONE run per" \
     "pledge with its .aux in place;"
echo "  the first $tex_sample of $batch_n timed and scaled" \
     "×$(awk "BEGIN { print $batch_n / $tex_sample }"); unsigned, no" \
     "manifest, no print file"
awk -v n="$batch_n" -v bm="$b_mean" -v bsd="$b_sd" -v bu="$b_user" \
    -v bsy="$b_sys" -v cores="$cores" -v jobs="$batch_jobs" \
    -v maxs="$max_batch_s" -v mint="$min_typst" -v minx="$min_tex" \
    -v tywhy="$typst_why" -v tyms="$(ty compile_ms)" \
    -v tyst="$(ty startup_ms)" \
    -v tyfirst="$(ty first_ms)" \
    -v tycpu="$(ty cpu_ms)" \
    -v tyb="$(ty bytes)" -v typp="${ty_pages:-?}" \
    -v tyrss="$(ty rss_kb)" \
    -v texs="$tex_s" -v texn="$tex_sample" -v texb="$tex_bytes" \
    -v texpp="$tex_pages" -v bb="$b_bytes" -v bpp="$b_one_pages" \
    -v bprint="$b_print" -v bpages="$b_pages" '
BEGIN {
    # A figure and its target and verdict; details below it.  "×" is two
    # bytes that print as one column: a field with one is padded wider.
    f = "  %-30s %-26s %-18s %s\n"
    d = "    %-28s %s\n"
    g = "  %-58s %-19s %s\n"
    rate = n / bm
    printf f, "pledge batch, " n " signed", \
           sprintf("%8.0f ms  (sd %.0f)", bm * 1000, bsd * 1000), \
           "target < " maxs * 1000 " ms", (bm < maxs ? "PASS" : "MISS")
    printf d, "a pledge", \
           sprintf("%.2f ms: %.0f pledges/s, %.0f a second per core " \
                   "(%d busy)", bm * 1000 / n, rate, rate / cores, cores)
    printf d, "CPU", sprintf("user %.2f s + system %.2f s: %.0f pledges " \
                             "per CPU-second", bu, bsy, n / (bu + bsy))
    printf d, "sizes", sprintf("%.1f KB a pledge, %d pp.; print file " \
                               "%.1f MB, %d pp.", bb / n / 1000, bpp, \
                               bprint / 1e6, bpages)
    if (tywhy == "") {
        printf f, "Typst, " n " in one process", \
               sprintf("%8.0f ms", tyms), "", ""
        printf d, "a document", \
               sprintf("%.1f ms; the first %.0f ms; start-up %.0f ms " \
                       "more, not counted", tyms / n, tyfirst, tyst)
        printf d, "CPU", sprintf("%.1f s (%.2f cores busy); peak %.0f MB", \
                                 tycpu / 1000, tycpu / tyms, tyrss / 1024)
        printf d, "sizes", sprintf("%.1f KB a document, %d pp.", \
                                   tyb / 1000, typp)
    }
    printf f, "pdflatex, " n ", " jobs " workers", \
           sprintf("%8.0f ms", texs * 1000 * n / texn), \
           "", ""
    printf d, "a pledge", \
           sprintf("%.1f ms (%.0f ms a run on one core); %d timed in " \
                   "%.0f ms", texs * 1000 / texn, \
                   texs * 1000 * jobs / texn, texn, texs * 1000)
    printf d, "sizes", sprintf("%.1f KB a pledge, %d pp.", \
                               texb / texn / 1000, texpp)
    if (tywhy == "") {
        sp = tyms / 1000 / bm
        printf g, sprintf("pledge is %.1f× faster than Typst", sp), \
               "target >= " mint "×", (sp >= mint ? "PASS" : "MISS")
    } else {
        printf "  %-57s %-19s %s\n", "pledge against Typst", \
               "target >= " mint "×", "not measured"
    }
    sp = texs * n / texn / bm
    printf g, sprintf("pledge is %.1f× faster than pdflatex", sp), \
           "target >= " minx "×", (sp >= minx ? "PASS" : "MISS")
}' | sed 's/ *$//' | tee "$bw/verdicts.txt"

echo
echo "memory: peak resident set of the batch's parent and of its largest" \
     "worker,"
echo "  each its own ru_maxrss (getrusage SELF and CHILDREN at the" \
     "parent's exit,"
echo "  bench/peak_rss.c); GNU time's figure would be the larger of the two"
awk -v n="$batch_n" -v big="$batch_big" -v p5="$rss_p500" \
    -v w5="$rss_w500" -v pb="$rss_p5k" -v wb="$rss_w5k" -v bs="$big_s" \
    -v slack="$rss_slack" '
BEGIN {
    f = "  %-30s %-26s %s\n"
    printf f, n " attendees", sprintf("parent %5.1f MB", p5 / 1024), \
           sprintf("largest worker %5.1f MB", w5 / 1024)
    printf f, big " attendees", sprintf("parent %5.1f MB", pb / 1024), \
           sprintf("largest worker %5.1f MB", wb / 1024)
    printf "    %-28s %s\n", "the " big " run", \
           sprintf("%.1f s, %.0f pledges/s (one run, date +%%s.%%N)", bs, \
                   big / bs)
    g = "  %-57s %-18s %s\n"
    printf g, sprintf("parent: %d use %+.0f%% of %d'"'"'s peak", big, \
                      (pb / p5 - 1) * 100, n), \
           sprintf("target <= +%.0f%%", (slack - 1) * 100), \
           (pb <= p5 * slack ? "PASS" : "MISS")
    printf g, sprintf("largest worker: %d use %+.0f%% of %d'"'"'s peak", \
                      big, (wb / w5 - 1) * 100, n), \
           sprintf("target <= +%.0f%%", (slack - 1) * 100), \
           (wb <= w5 * slack ? "PASS" : "MISS")
}' | sed 's/ *$//' | tee -a "$bw/verdicts.txt"

echo
if [ -n "$cg_why" ]; then
    echo "where a batch's work goes: not measured ($cg_why)"
else
    echo "where a batch's work goes: callgrind, $cg_rows pledges, --jobs 1," \
         "parent and worker"
    echo "  together.  Shares of INSTRUCTIONS executed in user space, not" \
         "of time: the"
    echo "  kernel's part (writing and syncing files, forking, page" \
         "faults) is not counted"
    awk -v rows="$cg_rows" '
    # Inclusive counts by function name ("file:function [object]" lines),
    # one file a process.  A function can be listed twice, under its
    # source file'"'"'s full and relative names, with the same count: the
    # larger is kept.  A recursive call shows as name'"'"'N and is inside
    # the outer one.
    /PROGRAM TOTALS/ { gsub(",", "", $1); total += $1; next }
    /^ *[0-9,]+ \( *[0-9.]+%\)  / {
        n = $1
        gsub(",", "", n)
        n += 0
        name = $0
        sub(/ \[[^]]*\]$/, "", name)
        sub(/.*:/, "", name)
        if (n > most[FILENAME, name])
            most[FILENAME, name] = n
    }
    END {
        for (k in most) {
            split(k, part, SUBSEP)
            ir[part[2]] += most[k]
        }
        typeset = ir["pledge_typeset_body"] + ir["pledge_typeset_pledge"]
        subset = ir["pledge_subset_font"]
        pdf = ir["pledge_pdf_write_cached"] - subset
        zlib = ir["libdeflate_deflate_compress"]
        hfont = ir["HPDF_TTFontDef_Load"] + ir["HPDF_GetFont"]
        sign = ir["pledge_sign_append"] + ir["make_claim"]
        sha = ir["pledge_sha256_hex"]
        files = ir["pledge_file_write"]
        print_ = ir["pledge_merge_add"] + ir["pledge_merge_finish"] + \
                 ir["pledge_file_read"]
        other = total - typeset - subset - pdf - sign - sha - files - print_
        f = "  %-62s %5.1f%%\n"
        printf f, "typesetting (pledge_typeset_*)", 100 * typeset / total
        printf f, "writing the PDF (pledge_pdf_write_cached: libharu, deflate)", \
               100 * pdf / total
        printf f, "  of which compressing (libdeflate)", \
               100 * zlib / total
        printf f, "  of which fonts into libharu (HPDF_TTFontDef_Load, " \
               "GetFont)", 100 * hfont / total
        printf f, "subsetting fonts (pledge_subset_font: hb-subset)", \
               100 * subset / total
        printf f, "signing (pledge_sign_append, the claim)", \
               100 * sign / total
        printf f, "SHA-256 of each pledge for the manifest", \
               100 * sha / total
        printf f, "writing pledge files (pledge_file_write)", \
               100 * files / total
        printf f, "print file: read back and merge (parent)", \
               100 * print_ / total
        printf f, "the rest: start-up, fonts, layout, roster, manifest", \
               100 * other / total
        printf "  %.1f million instructions a pledge, all processes and " \
               "start-up included\n", total / rows / 1e6
    }' "$bw"/cg/cg.*.txt | sed 's/ *$//'
fi
if [ -n "$fsync_n" ]; then
    awk -v n="$fsync_n" -v s="$fsync_s" -v rows="$batch_n" \
        -v bm="$b_mean" -v jobs="$batch_jobs" '
    BEGIN {
        printf "  syncing files to disk (kernel time): %d fsync and " \
               "syncfs calls in the untimed run of %d,\n", n, rows
        printf "  %.0f ms in all (strace -T), %.2f ms a pledge, in the " \
               "parent, once the workers are done\n", s * 1000,
               s * 1000 / rows
    }'
else
    echo "  syncing files to disk: not measured (strace is not installed)"
fi

# The batch targets summed up, as the render section does.
awk '
/ PASS$/ { n++ }
/ MISS$/ || / not measured$/ {
    n++
    unmeasured = $NF != "MISS"
    if (unmeasured) u++; else m++
    sub(/ +target .*/, "")
    sub(/^ +/, "")
    gsub(/  +/, " ")
    list = list "\n    " $0 (unmeasured ? " (not measured)" : "")
}
END {
    if (m + u == 0) {
        printf "batch targets: all %d PASS\n", n
        exit
    }
    printf "batch targets: %d of %d MISS", m, n
    if (u > 0)
        printf ", %d not measured", u
    printf ":%s\n", list
}' "$bw/verdicts.txt"
