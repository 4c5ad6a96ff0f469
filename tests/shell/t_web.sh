# t_web.sh - pledge web writes the seal verify site, and the site, in
# Debian's Chromium (headless, playwright-core), gives the right verdict
# in words for seals read from a photo of a signature page, from the
# page's address, from the camera (Chromium's fake capture fed a picture
# of a printed page) and by keyboard alone.  Also: what pledge web
# refuses, and that it writes nothing half.

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
for f in index.html verify.js style.css sw.js keyring.js .pledge-web; do
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

# seal NAME ARGS...: NAME.txt, the seal text made as the format says.
seal() {
    n=$1; shift
    node "$WEB/makeseal.mjs" "$@" >"$n.out" && head -n 1 "$n.out" >"$n.txt"
}
seal valid --key keys/vaimh.key
seal tampered --key keys/vaimh.key --tamper
seal unknown --key stranger.key
seal revoked --key keys/vaimh.key --member-id VA-0999
seal expired --key keys/vaimh.key --kind E --applicant-key-id 1B5481F1EB79800E \
    --date 2024-05-01 --until 2025-05-01

# The signature page of a real pledge at 150 dpi, the seal printed on it
# at 0.5 mm modules (3 pixels) with its quiet zone.
"$PLEDGE" render -l vaimh-code -n "Jane Doe" --id VA-0142 -o jane.pdf \
    >/dev/null 2>&1
pages=$(pdfinfo jane.pdf | sed -n 's/^Pages: *//p')
pdftoppm -r 150 -gray -f "$pages" -l "$pages" -png jane.pdf sigpage
# page NAME: NAME.png, the signature page with NAME's seal on it.
page() {
    qrencode -l M -s 3 -m 4 -o "$1-qr.png" "$(cat "$1.txt")"
    convert sigpage*.png "$1-qr.png" -gravity southeast -geometry +120+150 \
        -composite "$1.png"
}
for n in valid tampered unknown revoked expired; do page "$n"; done
# A phone's photo: a little turned, softened, JPEG.
convert valid.png -background white -rotate 4 -blur 0x0.6 -quality 70 photo.jpg
# The camera: the page's lower part, as a 640x480 frame in Y4M (4:2:0,
# grey: both chroma planes 128).
convert valid.png -gravity southeast -crop 700x520+60+90 +repage \
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
     "code": "revoked", "text": "withdrawn on 2026-01-01"},
    {"name": "an expired seal", "file": "$WORK/expired.png", "status": "EXPIRED",
     "code": "expired", "text": "expired on 2025-05-01"},
    {"name": "a picture with no code", "file": "$WORK/sigpage-$pages.png",
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
