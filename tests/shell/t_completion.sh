# t_completion.sh - bash completion offers every command 'pledge --help'
# lists and, for each, every option its '--help' describes; it completes
# layout ids and paper sizes.  The lists are read here from the help text
# independently of the completion's own reading, so neither can drift.

if ! command -v bash >/dev/null 2>&1; then
    fail "bash is not installed"
    return 0
fi
mkdir -p bin
ln -s "$PLEDGE" bin/pledge

# complete WORD...: what completing the last WORD of "pledge WORD..."
# offers, one a line, sorted.
complete_words() {
    PATH="$WORK/bin:$PATH" bash -c '
        . "$1"; shift
        COMP_WORDS=(pledge "$@"); COMP_CWORD=$#
        _pledge
        printf "%s\n" "${COMPREPLY[@]}"' sh "$TOP/completion/pledge.bash" \
        "$@" | sort
}

# offers DESCRIPTION OFFERED WANTED: every word of WANTED is in OFFERED.
offers() {
    missing=""
    for w in $3; do
        printf '%s\n' "$2" | grep -qxF -- "$w" || missing="$missing $w"
    done
    if [ -z "$missing" ] && [ -n "$3" ]; then pass "$1"; else
        fail "$1 (missing:${missing:- the list is empty})"; fi
}

commands=$("$PLEDGE" --help | awk '/^Commands:/ { on = 1; next }
    on && NF == 0 { exit } on { print $1 }')
offers "'pledge ' offers every command" "$(complete_words '')" "$commands"
offers "'pledge ren' offers render" "$(complete_words ren)" render
got=$(complete_words ren | wc -l)
if [ "$got" -eq 1 ]; then pass "'pledge ren' offers only render"; else
    fail "'pledge ren' offers $got words"; fi

# Each command's options: the long option at the start of each option line
# of its help, and the bracketed ones of its usage.
for c in $commands; do
    opts=$("$PLEDGE" "$c" --help | {
        tee "$WORK/help" | sed -n \
            -e 's/^ *-[a-zA-Z], \(--[a-z][a-z-]*\).*/\1/p' \
            -e 's/^ *\(--[a-z][a-z-]*\).*/\1/p'
        grep -o '\[--[a-z][a-z-]*' "$WORK/help" | tr -d '['
    } | sort -u)
    offers "'pledge $c --' offers its options" \
        "$(complete_words "$c" --)" "$opts"
done
offers "render offers --sign-with" "$(complete_words render --)" \
    "--layout --name --output --sign-with --detached"

layouts=$(cd "$TOP/layouts" && ls *.md | sed 's/\.md$//')
offers "--layout offers the layout ids" \
    "$(complete_words render --layout '')" "$layouts"
offers "--paper offers letter and a4" \
    "$(complete_words render --paper '')" "letter a4"

# verify --scan completes pictures and directories, nothing else.
mkdir -p scans
touch photo.JPG scan.png page.pdf notes.txt
got=$(complete_words verify --scan '' | tr '\n' ' ')
case $got in
*notes.txt*) fail "verify --scan offers only pictures (got: $got)" ;;
*page.pdf*photo.JPG*scan.png*scans*) pass "verify --scan offers only pictures" ;;
*) fail "verify --scan offers only pictures (got: $got)" ;;
esac
got=$(complete_words verify '' | tr '\n' ' ')
case $got in
*notes.txt*) pass "verify without --scan offers every file" ;;
*) fail "verify without --scan offers every file (got: $got)" ;;
esac
