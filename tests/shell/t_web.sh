# t_web.sh - pledge web writes the seal verify site, and the site, in
# Debian's Chromium (headless, playwright-core), gives the right verdict
# in words for seals as pledge prints them, read from a picture of the
# signature page, from the page's address, from the camera (Chromium's
# fake capture fed a picture of the printed page) and by keyboard alone:
# genuine, altered, an unknown key, revoked (revoke --pledge), expired.
# The command line's verify --scan gives each picture the same verdict.
# Also: every rule of the format against the page's checker in Node, what
# pledge web refuses, and that it writes nothing half.

unset PLEDGE_PASSPHRASE_FILE PLEDGE_KEYRING
export SOURCE_DATE_EPOCH=1795262400       # 2026-11-21
ASSOC="Virginia Association for Infant Mental Health"
WEB=$TOP/tests/web

"$PLEDGE" keygen -o keys/vaimh --no-passphrase --signer "$ASSOC" \
    --role association >/dev/null 2>&1
"$PLEDGE" keygen -o stranger --no-passphrase --signer "$ASSOC" >/dev/null 2>&1
"$PLEDGE" revoke --key keys/vaimh.key --list keys/vaimh.revoked \
    --member-id VA-0999 --reason "left the association" --date 2026-01-01 \
    >/dev/null 2>&1

# ---- pledge web itself ----

expect_exit 0 "pledge web writes the site" "$PLEDGE" web --keyring keys -o site
contains "it says what it wrote" "$WORK/stdout" "1 key, 1 revocation list"
for f in index.html verify.js decode.js style.css sw.js keyring.js .pledge-web; do
    check "the site holds $f" test -s "site/$f"
done
contains "the keyring holds the key's role" site/keyring.js \
    '"role":"association","association":"Virginia Association for Infant Mental Health"'
contains "the keyring holds the revocation and its sequence" site/keyring.js \
    '"sequence":1,"entries":[{"kind":"member-id","value":"VA-0999","date":"2026-01-01"'
check_not "the site fetches nothing from elsewhere" \
    grep -qE "(src|href)=\"(https?:)?//" site/index.html
expect_exit 0 "a second run rewrites its own site" \
    "$PLEDGE" web --keyring keys -o site
mkdir taken && echo mine >taken/notes.txt
expect_exit 2 "a directory of other files is refused" \
    "$PLEDGE" web --keyring keys -o taken
contains "the refusal names the directory" "$WORK/stderr" "write taken:"
check "the other files are untouched" test "$(cat taken/notes.txt)" = mine
check_not "nothing was written into it" test -e taken/index.html
expect_exit 2 "-o is required" "$PLEDGE" web --keyring keys
mkdir bad && cp keys/vaimh.pub keys/vaimh.role keys/vaimh.revoked bad/
cp keys/vaimh.revoked.minisig bad/
sed -i 's/left the/joined the/' bad/vaimh.revoked
expect_exit 2 "a revocation list that does not verify is refused" \
    "$PLEDGE" web --keyring bad -o badsite
contains "the error names the list" "$WORK/stderr" "bad/vaimh.revoked"
one_line "the error is one line" "$WORK/stderr"
check_not "no site is left" test -e badsite/index.html
mkdir rot && cp keys/vaimh.pub keys/vaimh.role rot/
"$PLEDGE" rotate --old stranger.pub --key keys/vaimh.key --retired 2026-06-01 \
    -o rot/vaimh.rotation >/dev/null 2>&1
expect_exit 0 "a rotation statement that verifies is taken" \
    "$PLEDGE" web --keyring rot -o rotsite
contains "the rotated key is held, retired" rotsite/keyring.js '"retired":"2026-06-01"'
printf 'x' >>rot/vaimh.rotation
expect_exit 2 "a rotation statement that does not verify is refused" \
    "$PLEDGE" web --keyring rot -o rotsite2
contains "the error names the statement" "$WORK/stderr" "rot/vaimh.rotation"
PLEDGE_WEBDIR=$WORK/nowhere expect_exit 2 "without the built page it says so" \
    "$PLEDGE" web --keyring keys -o nopage
contains "it names what is missing" "$WORK/stderr" "Node.js and npm"

# ---- the page: its checker in Node, then the page in Chromium ----

if ! [ -x /usr/bin/chromium ] || ! [ -d "$TOP/web/node_modules/playwright-core" ]; then
    fail "Chromium or web/node_modules is missing: run make deps"
    return 0
fi

# The checker alone, in Node: every rule of the format.
node "$WEB/seal-rules.mjs" >rules.out 2>rules.err
grep -E '^(pass|fail) ' rules.out | sed "s/^\(pass\|fail\) /\1 $TEST: /" >>"$RESULTS"
check "the checker's rules ran" test "$(grep -c '^pass ' rules.out)" -ge 40

# Seals as pledge prints them: each pledge's signature page at 150 dpi
# (0.5 mm modules are 3 pixels), its seal read back with zbarimg.
# sigpage PDF NAME: NAME.png, the page, and NAME.txt, its seal's text.
sigpage() {
    n=$(pdfinfo "$1" | sed -n 's/^Pages: *//p')
    pdftoppm -r 150 -gray -f "$n" -l "$n" -singlefile -png "$1" "$2"
    zbarimg --raw -q "$2.png" 2>/dev/null | head -n 1 >"$2.txt"
}
# render NAME KEY ID: NAME.pdf, Jane Doe's pledge signed with KEY.
render() {
    "$PLEDGE" render -l vaimh-code -n "Jane Doe" --id "$3" --sign-with "$2" \
        -o "$1.pdf" >/dev/null 2>&1
}
render valid keys/vaimh.key VA-0142 && sigpage valid.pdf valid
render unknown stranger.key VA-0142 && sigpage unknown.pdf unknown
render revoked keys/vaimh.key VA-0143 && sigpage revoked.pdf revoked
"$PLEDGE" render -l vaimh-code -n "Jane Doe" --id VA-0142 -o plain.pdf \
    >/dev/null 2>&1
check "the signed pledge's seal reads back" grep -q '^PL1:' valid.txt
check "each pledge has its own seal" test "$(cat valid.txt)" != "$(cat revoked.txt)"
# revoke --pledge revokes the seals it carries too (by seal ID).
"$PLEDGE" revoke --key keys/vaimh.key --list keys/vaimh.revoked \
    --pledge revoked.pdf --reason "withdrawn by the association" \
    --date 2026-02-01 >/dev/null 2>&1
contains "the list names the seal" keys/vaimh.revoked "seal	"
"$PLEDGE" web --keyring keys -o site >/dev/null 2>&1
# Altered: one byte of the name changed, the signature kept; printed on
# the page of the same pledge unsigned.  Expired: an endorsement's seal
# made as the format says (pledge draws an endorsement's seal in the
# association's signature field, which a rasterizer leaves out).
node "$WEB/tamper.mjs" "$(cat valid.txt)" "Jane Doe" >tampered.txt
node "$WEB/makeseal.mjs" --key keys/vaimh.key --kind E --date 2024-05-01 \
    --until 2025-05-01 --applicant-key-id 1B5481F1EB79800E >expired.out
head -n 1 expired.out >expired.txt
sigpage plain.pdf plain
check "an unsigned pledge carries no seal" test ! -s plain.txt
# onpage NAME: NAME.png, the unsigned page with NAME's seal printed on it.
onpage() {
    qrencode -l M -s 3 -m 4 -o "$1-qr.png" "$(cat "$1.txt")"
    convert plain.png "$1-qr.png" -gravity southeast -geometry +120+150 \
        -composite "$1.png"
}
onpage tampered
onpage expired
# A phone's photo: a little turned, softened, JPEG.
convert valid.png -background white -rotate 4 -blur 0x0.6 -quality 70 photo.jpg
# The camera: a phone held over the signature panel of the printed page
# (at 300 dpi, its right part, from a little above the panel's top, where
# the text before it leaves it), as a 640x480 frame in Y4M (4:2:0, grey:
# both chroma planes 128).
pdftoppm -r 300 -gray -f 2 -l 2 -singlefile -png valid.pdf valid300
top=$(pdftotext -f 2 -l 2 -bbox valid.pdf - | awk '/>Digital</ {
    s = $0; sub(/.*yMin="/, "", s); sub(/".*/, "", s)
    print int(s * 300 / 72) - 120; exit }')
convert valid300.png -crop "960x720+1570+${top:-0}" +repage \
    -resize 640x480 -background white -extent 640x480 -depth 8 gray:frame.y
{
    printf 'YUV4MPEG2 W640 H480 F10:1 Ip A1:1 C420jpeg\nFRAME\n'
    cat frame.y
    head -c 153600 /dev/zero | tr '\0' '\200'
} >camera.y4m

cat >cases.json <<JSON
{
  "photos": [
    {"name": "a valid seal", "file": "$WORK/valid.png", "status": "VALID",
     "code": "valid", "text": "This pledge seal is genuine",
     "facts": ["Jane Doe", "VA-0142", "$ASSOC", "vaimh-code", "2026-11-21"]},
    {"name": "a valid seal, photographed", "file": "$WORK/photo.jpg",
     "status": "VALID", "text": "genuine"},
    {"name": "a tampered seal", "file": "$WORK/tampered.png", "status": "INVALID",
     "code": "altered", "text": "altered"},
    {"name": "an unknown key", "file": "$WORK/unknown.png", "status": "INVALID",
     "code": "unknown-key", "text": "We don't recognise the key"},
    {"name": "a revoked seal", "file": "$WORK/revoked.png", "status": "REVOKED",
     "code": "revoked", "text": "withdrawn on 2026-02-01"},
    {"name": "an expired seal", "file": "$WORK/expired.png", "status": "EXPIRED",
     "code": "expired", "text": "expired on 2025-05-01"},
    {"name": "a picture with no code", "file": "$WORK/plain.png",
     "status": "none"}
  ],
  "fragments": [
    {"name": "a valid seal", "seal": "$(cat valid.txt)", "status": "VALID",
     "text": "genuine"},
    {"name": "a valid seal, from the file itself", "file": true,
     "seal": "$(cat valid.txt)", "status": "VALID", "text": "genuine"},
    {"name": "a tampered seal", "seal": "$(cat tampered.txt)",
     "status": "INVALID", "code": "altered"},
    {"name": "lower case is not base45", "seal": "$(tr 'A-Z' 'a-z' <valid.txt)",
     "status": "INVALID", "code": "not-a-seal", "text": "not a pledge seal"},
    {"name": "a revoked seal", "seal": "$(cat revoked.txt)", "status": "REVOKED"},
    {"name": "an expired seal", "seal": "$(cat expired.txt)", "status": "EXPIRED"}
  ],
  "keyboard": {"file": "$WORK/valid.png", "status": "VALID"},
  "camera": {"y4m": "$WORK/camera.y4m", "status": "VALID", "text": "genuine"}
}
JSON
node "$WEB/browser.mjs" site cases.json >browser.out 2>browser.err
grep -E '^(pass|fail) ' browser.out | sed "s/^\(pass\|fail\) /\1 $TEST: /" >>"$RESULTS"
check "the browser run completed" grep -q '^time ' browser.out
grep -q '^time ' browser.out || fail "browser: $(tail -n 3 browser.err | tr '\n' ' ')"

# The command line reads the same pictures to the same verdicts.
for pair in valid:VALID tampered:INVALID unknown:INVALID revoked:REVOKED \
    expired:EXPIRED; do
    n=${pair%%:*}
    "$PLEDGE" verify --scan "$n.png" --keyring keys >scan.out 2>&1
    check "verify --scan agrees with the page: $n is ${pair#*:}" \
        test "$(awk 'NR == 1 { print $1 }' scan.out)" = "${pair#*:}"
done
