# endorse.sh - sourced by run.sh: verify of endorsed pledges (both
# signatures, the endorsement's shape and seal, and the content check)
# beside verify of the same pledges signed by their applicant only, per
# file, whole process, in this run.  Needs run.sh's $pledge, $work,
# time_cmd, field and pass_if.
#
# The pledges are one applicant's, under member IDs of their own, signed
# with the applicant's key; the association endorses each.  The keyring
# holds both keys, so the applicant-signed directory is the single-
# signature verify of exactly the revisions the endorsed files carry.

endorse_n=${BENCH_ENDORSE_N:-40}
max_endorse_ratio=2     # endorsed verify within 2x of single-signature
ew=$work/endorse
mkdir -p "$ew/keys" "$ew/signed" "$ew/endorsed"
if ! "$pledge" keygen -o "$ew/keys/applicant" --signer "$name" \
        --no-passphrase >/dev/null 2>"$work/stderr" ||
   ! "$pledge" keygen -o "$ew/keys/assoc" --signer "Bench Association" \
        --no-passphrase >/dev/null 2>"$work/stderr"; then
    echo "bench: pledge keygen failed: $(cat "$work/stderr")" >&2
    exit 1
fi
assoc_id=$(head -1 "$ew/keys/assoc.pub" |
           sed 's/.*public key \([0-9A-F]*\).*/\1/')
endorse_assoc=$(sed -n 's/^  name: *//p' layouts/vaimh-code.md | head -n 1)
printf 'key: %s\nname: Bench Association\nrole: association\nassociation: %s\n' \
    "$assoc_id" "$endorse_assoc" > "$ew/keys/assoc.role"
i=1
while [ "$i" -le "$endorse_n" ]; do
    f=$(printf '%04d.pdf' "$i")
    if ! "$pledge" render --layout vaimh-code --name "$name" \
            --credentials "$credentials" --id "B-$i" --date "$date" \
            --sign-with "$ew/keys/applicant.key" -o "$ew/signed/$f" \
            >/dev/null 2>"$work/stderr" ||
       ! "$pledge" endorse "$ew/signed/$f" --key "$ew/keys/assoc.key" \
            --keyring "$ew/keys" -o "$ew/endorsed/$f" \
            >/dev/null 2>"$work/stderr"; then
        echo "bench: render or endorse failed: $(cat "$work/stderr")" >&2
        exit 1
    fi
    i=$((i + 1))
done
for d in signed endorsed; do
    if ! "$pledge" verify --keyring "$ew/keys" "$ew/$d" \
            >"$work/verify.out" 2>&1; then
        echo "bench: pledge verify found an invalid pledge in $ew/$d:" >&2
        grep -v '^VALID\|^  ' "$work/verify.out" >&2
        exit 1
    fi
done
time_cmd "$work/endorse.single.json" \
    "'$pledge' verify --keyring '$ew/keys' '$ew/signed'"
time_cmd "$work/endorse.double.json" \
    "'$pledge' verify --keyring '$ew/keys' '$ew/endorsed'"
single=$(field "$work/endorse.single.json" mean)
double=$(field "$work/endorse.double.json" mean)

echo
echo "endorsed pledges: $endorse_n of vaimh-code, each verified with" \
     "its content (whole process)"
awk -v n="$endorse_n" -v s="$single" -v d="$double" \
    -v ssd="$(field "$work/endorse.single.json" stddev)" \
    -v dsd="$(field "$work/endorse.double.json" stddev)" \
    -v max="$max_endorse_ratio" \
    -v ok="$(pass_if "$double <= $max_endorse_ratio * $single")" '
BEGIN {
    f = "  %-28s %-19s %s\n"
    printf f, "verify, applicant-signed", \
           sprintf("%8.0f µs/file", s * 1e6 / n), \
           sprintf("%d files in %.1f ms (sd %.1f)", n, s * 1000, ssd * 1000)
    printf f, "verify, endorsed", sprintf("%8.0f µs/file", d * 1e6 / n), \
           sprintf("%d files in %.1f ms (sd %.1f)", n, d * 1000, dsd * 1000)
    printf "  endorsed is %.2f× single-signature verify (target ≤ %d×): " \
           "%s\n", d / s, max, ok
}' | sed 's/ *$//'
