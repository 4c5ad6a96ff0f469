#!/bin/sh
# fuzz.sh - build the libFuzzer harnesses in fuzz/ and run them under
# AddressSanitizer and UndefinedBehaviorSanitizer.
#
#   scripts/fuzz.sh smoke          every harness over its committed corpus
#                                  and a few thousand mutations: seconds
#   scripts/fuzz.sh run [SECONDS]  every harness for SECONDS (default 180)
#   scripts/fuzz.sh build          only build them
#
# FUZZ_JOBS harnesses run at once (default: the number of CPUs);
# FUZZ_ONLY="pdf roster" runs only those.  Everything goes under
# build/fuzz/: the library and harnesses, the corpora a run grows (the
# committed seeds in fuzz/corpus/ are only read), logs, and crash inputs
# in build/fuzz/crashes/.  Exits non-zero if any harness found a crash,
# a leak, a timeout or a broken contract.
set -eu

cd "$(dirname "$0")/.."

mode=${1:-smoke}
secs=${2:-180}
out=build/fuzz
jobs=${FUZZ_JOBS:-$(nproc 2>/dev/null || echo 1)}
harnesses=${FUZZ_ONLY:-$(for f in fuzz/fuzz_*.c; do
    basename "$f" .c | sed 's/^fuzz_//'
done)}

case $mode in
smoke|build) ;;
run)
    case $secs in
    ''|*[!0-9]*) echo "fuzz.sh: run SECONDS: not a number: $secs" >&2
                 exit 2 ;;
    esac ;;
*)  echo "usage: scripts/fuzz.sh [smoke | run [SECONDS] | build]" >&2
    exit 2 ;;
esac

if ! command -v clang >/dev/null 2>&1; then
    echo "fuzz.sh: clang is missing (apt-get install clang)" >&2
    exit 2
fi

# The library as the Makefile builds it, with clang, the sanitizers and
# the coverage libFuzzer steers by.  CFLAGS given to make replaces the
# Makefile's SAN=1 flags, so they are all spelled out here.
san="-fsanitize=address,undefined -fno-sanitize-recover=all"
make --no-print-directory -s BUILD=$out CC=clang \
    CFLAGS="-O1 -g -fno-omit-frame-pointer $san -fsanitize=fuzzer-no-link" \
    $out/libpledge.a

pkgs=$(sed -n 's/^PKGS *+\{0,1\}= *//p' Makefile | tr '\n' ' ')
dlopen_pkgs=$(sed -n 's/^DLOPEN_PKGS *= *//p' Makefile)
# shellcheck disable=SC2086
cflags="-std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -Wall -Wextra
-Werror -Wstrict-prototypes -Wshadow -O1 -g -fno-omit-frame-pointer
$(pkg-config --cflags $pkgs $dlopen_pkgs)"
# shellcheck disable=SC2086
libs="$(pkg-config --libs $pkgs) -lhpdf -lhyphen -lm"

mkdir -p $out/bin $out/crashes $out/logs
for h in $harnesses; do
    src=fuzz/fuzz_$h.c
    bin=$out/bin/fuzz_$h
    if [ ! -f "$src" ]; then
        echo "fuzz.sh: no harness $src" >&2
        exit 2
    fi
    if [ ! -x "$bin" ] || [ "$src" -nt "$bin" ] || [ fuzz/fuzz.h -nt "$bin" ] ||
       [ $out/libpledge.a -nt "$bin" ]; then
        # shellcheck disable=SC2086
        clang $cflags $san -fsanitize=fuzzer -o "$bin" "$src" \
            $out/libpledge.a $libs
    fi
done
[ "$mode" = build ] && exit 0

export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

# Runs harness $1 and writes one summary line to its .sum file.  The
# scratch corpus comes first so that libFuzzer writes new inputs there and
# never into fuzz/corpus/; a run keeps growing build/fuzz/corpus/.
fuzz_one()
{
    h=$1
    if [ "$mode" = smoke ]; then
        # From the seeds alone, with a fixed seed and count: the same work
        # every time, whatever earlier runs grew.
        scratch=$out/smoke/$h
        rm -rf "$scratch"
        limits="-runs=3000 -seed=1"
    else
        scratch=$out/corpus/$h
        limits="-max_total_time=$secs -timeout=10"
    fi
    mkdir -p "$scratch"
    dict=
    [ -f fuzz/fuzz_$h.dict ] && dict=-dict=fuzz/fuzz_$h.dict
    start=$(date +%s)
    status=0
    # shellcheck disable=SC2086
    $out/bin/fuzz_$h $limits $dict -print_final_stats=1 \
        -artifact_prefix=$out/crashes/$h- "$scratch" fuzz/corpus/$h \
        >$out/logs/$h.log 2>&1 || status=$?
    end=$(date +%s)
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' \
            $out/logs/$h.log | tail -n 1)
    cov=$(grep -o 'cov: [0-9]*' $out/logs/$h.log | tail -n 1 |
          sed 's/cov: //')
    found=$(grep -c 'Test unit written to' \
            $out/logs/$h.log || true)
    [ $status -ne 0 ] && [ "$found" -eq 0 ] && found=1
    printf '%-8s %5ss %10s execs  cov %6s  crashes %s\n' "$h" \
        $((end - start)) "${execs:-?}" "${cov:-?}" "$found" \
        >$out/logs/$h.sum
    return $status
}

failed=""
set -- $harnesses
while [ $# -gt 0 ]; do
    pids=""
    n=0
    while [ $# -gt 0 ] && [ $n -lt "$jobs" ]; do
        fuzz_one "$1" &
        pids="$pids $!:$1"
        n=$((n + 1))
        shift
    done
    for p in $pids; do
        if ! wait "${p%%:*}"; then
            failed="$failed ${p#*:}"
        fi
        cat $out/logs/${p#*:}.sum
    done
done

if [ -n "$failed" ]; then
    echo "fuzz.sh: findings in:$failed (inputs in $out/crashes/," \
         "logs in $out/logs/)" >&2
    exit 1
fi
