# t_scan.sh - pledge verify --scan over pictures of a printed pledge made
# here: the signature page of a pledge the association signed, rasterised
# at 150 and 300 dpi, turned, skewed, blurred, saved as a poor JPEG,
# photocopied; each must be found and VALID.  Then the seals that must not
# be VALID (a byte changed, pasted onto another pledge's page, revoked),
# and the pictures that are no pictures of a seal.

unset PLEDGE_PASSPHRASE_FILE PLEDGE_KEYRING
for tool in convert qrencode img2pdf pdftoppm qpdf zbarimg; do
    if ! command -v $tool >/dev/null 2>&1; then
        fail "$tool is not installed (scripts/deps.sh installs it)"
        return 0
    fi
done
export SOURCE_DATE_EPOCH=1795262400     # 2026-11-21T12:00:00Z
assoc="Virginia Association for Infant Mental Health"

mkdir -p assoc reviewer
"$PLEDGE" keygen -o assoc/vaimh --no-passphrase --signer "$assoc" \
    >/dev/null 2>&1
id=$(head -1 assoc/vaimh.pub | sed 's/.*public key \([0-9A-F]*\).*/\1/')
printf 'key: %s\nname: %s\nrole: association\nassociation: %s\n' \
    "$id" "$assoc" "$assoc" > assoc/vaimh.role
cp assoc/vaimh.pub assoc/vaimh.role reviewer/

# Jane's pledge, signed by the association: its seal is on the last page.
"$PLEDGE" render -l vaimh-code -n "Jane Doe" --id VA-0142 --paper letter \
    --sign-with assoc/vaimh.key -o jane.pdf 2>/dev/null
last=$(pdfinfo jane.pdf | sed -n 's/^Pages: *//p')
pdftoppm -r 300 -gray -png -f "$last" -l "$last" jane.pdf p300
pdftoppm -r 150 -gray -png -f "$last" -l "$last" jane.pdf p150
mv p300-*.png scan300.png
mv p150-*.png scan150.png

# scan PICTURE...: pledge verify --scan against the reviewer's keyring.
scan() {
    "$PLEDGE" verify --scan --keyring reviewer "$@"
}

# The pictures of that page a reviewer may have: whole pages from a
# scanner; photos of its lower half (where the seal is, and quicker for
# ImageMagick to turn), turned, at an angle, out of focus.
convert scan300.png -gravity south -crop 2550x1650+0+0 +repage half.png
convert half.png -rotate 90 rot90.png
convert half.png -background white -rotate 7 rot7.png
convert half.png -virtual-pixel white -distort Perspective \
    '0,0 180,120  2549,0 2380,40  0,1649 60,1649  2549,1649 2490,1560' \
    skewed.png
convert half.png -blur 0x2.5 blurred.png
convert scan300.png -quality 40 q40.jpg
# A photocopy: toner thresholded, then specks and a grey cast.
convert scan300.png -threshold 60% -attenuate 0.5 +noise Impulse \
    -level 0%,90% photocopy.png

for img in scan150.png scan300.png rot90.png rot7.png skewed.png \
           blurred.png q40.jpg photocopy.png; do
    expect_exit 0 "$img: VALID" scan "$img"
    contains "$img: the verdict first" "$WORK/stdout" "VALID    $img"
done
expect_exit 0 "the signed PDF itself: VALID" scan jane.pdf
cp "$WORK/stdout" pdf.out
contains "PDF: the page is named" pdf.out "VALID    jane.pdf page $last"
contains "PDF: kind" pdf.out "kind         issued by the association"
contains "PDF: signer from the keyring" pdf.out \
    "signed by    $assoc (key ID $id, reviewer/vaimh.pub)"
contains "PDF: applicant" pdf.out "applicant    Jane Doe"
contains "PDF: member ID" pdf.out "member ID    VA-0142"
contains "PDF: layout" pdf.out "layout       vaimh-code (undated)"
contains "PDF: the page's text is compared" pdf.out \
    "paper        page $last shows the applicant and member ID"
contains "summary line" pdf.out \
    "1 valid, 0 invalid, 0 unreadable, 0 unchecked"
scan scan150.png > png.out
contains "picture: the reviewer compares with the paper" png.out \
    "paper        compare the applicant, member ID, association and date"
expect_exit 0 "--json" scan --json scan150.png
one_line "--json: one line" "$WORK/stdout"
contains "--json: verdict" "$WORK/stdout" '"valid":true,"verdict":"valid"'
contains "--json: applicant" "$WORK/stdout" '"applicant":"Jane Doe"'
contains "--json: key ID" "$WORK/stdout" "\"key_id\":\"$id\""
mkdir -p stranger
"$PLEDGE" keygen -o stranger/s --no-passphrase --signer Stranger \
    >/dev/null 2>&1
expect_exit 1 "a keyring without the signer: INVALID" "$PLEDGE" verify \
    --scan --keyring stranger scan150.png
contains "unknown signer named" "$WORK/stdout" \
    "INVALID  scan150.png: signed by unknown key ID $id"

# The seal's text, as a phone's reader would give it.
seal=$(zbarimg --raw -q scan150.png 2>/dev/null)
case $seal in PL1:*) pass "the seal is a PL1 text" ;;
*) fail "the seal is a PL1 text (got: $seal)" ;; esac

# One byte of the payload changed: the first character of a base45 group
# of three in the facts raised by one raises the group's 16-bit value by
# one, which changes its low byte alone unless that byte is 255 (then the
# next group is taken).
altered=$(printf '%s' "$seal" | awk '
    BEGIN { a = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:" }
    {
        t = substr($0, 5)
        for (g = 20; 3 * g + 3 <= length(t); g++) {
            c = index(a, substr(t, 3 * g + 1, 1)) - 1
            d = index(a, substr(t, 3 * g + 2, 1)) - 1
            e = index(a, substr(t, 3 * g + 3, 1)) - 1
            n = c + 45 * d + 2025 * e
            if (c < 44 && n % 256 != 255) {
                printf "PL1:%s%s%s", substr(t, 1, 3 * g),
                    substr(a, c + 2, 1), substr(t, 3 * g + 2)
                exit
            }
        }
    }')
printf '%s' "$altered" > altered.txt
qrencode -l M -s 6 -m 4 -r altered.txt -o altered.png
[ "$altered" != "$seal" ] && [ ${#altered} -eq ${#seal} ] &&
    pass "altered seal differs by one character" ||
    fail "altered seal differs by one character"
expect_exit 1 "a byte changed: INVALID" scan altered.png
contains "a byte changed: the signature fails" "$WORK/stdout" \
    "the seal's signature does not match its facts"

# Jane's seal as a sticker on a page: on John's pledge it must not pass,
# on Jane's own (unsigned) copy it does, since her name and ID are there.
printf '%s' "$seal" > seal.txt
qrencode -l M -s 6 -m 4 -r seal.txt -o sticker-a.png
# qrencode 4.1.1 (Debian 13) writes an alpha channel, which img2pdf keeps
# as a soft mask that a page's raster shows with no light modules: a
# sticker is opaque paper.
convert sticker-a.png -background white -alpha remove -alpha off \
    sticker.png
img2pdf --pagesize Letter --imgsize 33mmx33mm -o sticker.pdf sticker.png \
    2>/dev/null
for who in "John Roe:VA-0999:john" "Jane Doe:VA-0142:own"; do
    n=${who%%:*}; rest=${who#*:}; m=${rest%%:*}; f=${rest#*:}
    "$PLEDGE" render -l vaimh-code -n "$n" --id "$m" --paper letter \
        -o "$f.pdf" 2>/dev/null
    qpdf "$f.pdf" --overlay sticker.pdf --to="$last" -- "$f-pasted.pdf"
done
expect_exit 1 "Jane's seal on John's page: INVALID" scan john-pasted.pdf
contains "pasted seal: says whose it is" "$WORK/stdout" \
    "INVALID  john-pasted.pdf page $last: the seal names the applicant Jane Doe, whom page $last does not show"
expect_exit 0 "Jane's seal on her own page: VALID" scan own-pasted.pdf

# Revoked: revoke --pledge lists the seals the pledge carries.
"$PLEDGE" revoke --key assoc/vaimh.key --list reviewer/vaimh.revoked \
    --pledge jane.pdf --reason "issued in error" --date 2026-11-25 \
    >/dev/null 2>&1
expect_exit 1 "a revoked seal: REVOKED" scan --at 2026-12-01 q40.jpg
contains "revoked: says so" "$WORK/stdout" "REVOKED  q40.jpg"
contains "revoked: why" "$WORK/stdout" "issued in error"
rm -f reviewer/vaimh.revoked reviewer/vaimh.revoked.minisig

# An expired seal: an endorsement's, valid until 2027-12-31, signed by a
# key whose secret half is gone (tests/data/scan/README.md), drawn on a
# sheet of its own.
mkdir -p endorser
cp "$TOP/tests/data/scan/endorser.pub" "$TOP/tests/data/scan/endorser.role" \
    endorser/
qrencode -l M -s 6 -m 4 -r "$TOP/tests/data/scan/expired-seal.txt" \
    -o expired-qr.png
convert -size 2550x3300 xc:white expired-qr.png -geometry +1700+2450 \
    -composite -quality 60 expired.jpg
expect_exit 1 "an expired seal: EXPIRED" "$PLEDGE" verify --scan \
    --keyring endorser --at 2028-01-01 expired.jpg
contains "expired: the verdict" "$WORK/stdout" "EXPIRED  expired.jpg"
contains "expired: since when" "$WORK/stdout" "EXPIRED      2027-12-31"
contains "expired: counted" "$WORK/stdout" "0 valid, 0 invalid, 0 unreadable, 0 unchecked, 1 expired"
expect_exit 1 "an expired seal: --json" "$PLEDGE" verify --scan --json \
    --keyring endorser --at 2028-01-01 expired.jpg
contains "expired: json verdict" "$WORK/stdout" \
    '"valid":false,"verdict":"expired"'
expect_exit 0 "the same seal on its last day: VALID" "$PLEDGE" verify \
    --scan --keyring endorser --at 2027-12-31 expired.jpg
contains "last day: valid until" "$WORK/stdout" "valid until  2027-12-31"

# An endorsed pledge's signature page holds two seals: the applicant's
# own, by a key the reviewer does not hold, and the association's
# endorsement, which certifies that key.  The endorsement speaks for the
# page: VALID, the applicant's seal passed over; with the endorsement's
# seal cut away, the applicant's alone is INVALID (unknown key).
"$PLEDGE" keygen -o app/ann --no-passphrase --signer "Ann Roe" \
    >/dev/null 2>&1
"$PLEDGE" render -l vaimh-code -n "Ann Roe" --id VA-7 --sign-with app/ann.key \
    -o ann.pdf >/dev/null 2>&1
"$PLEDGE" endorse ann.pdf --key assoc/vaimh.key --applicant-key app/ann.pub \
    --until 2027-12-31 -o ann-endorsed.pdf >/dev/null 2>&1
n=$(pdfinfo ann-endorsed.pdf | awk '/^Pages:/ { print $2 }')
pdftoppm -r 150 -gray -png -f "$n" -l "$n" ann-endorsed.pdf ann-page
expect_exit 0 "an endorsed page: VALID" scan --at 2026-12-10 ann-page-*.png
contains "endorsed page: the endorsement's seal" "$WORK/stdout" \
    "kind         endorsed by the association"
contains "endorsed page: the key it certifies" "$WORK/stdout" \
    "certifies    the applicant's key"
contains "endorsed page: one verdict" "$WORK/stdout" \
    "1 valid, 0 invalid, 0 unreadable, 0 unchecked"
expect_exit 1 "an expired endorsement's page: EXPIRED" scan --at 2028-01-01 \
    ann-page-*.png
pdftoppm -r 150 -gray -png -f "$n" -l "$n" ann.pdf ann-own
expect_exit 1 "the applicant's seal alone: INVALID (key not held)" scan \
    ann-own-*.png

# Not a picture of a seal.
printf 'plain text\n' > notes.txt
expect_exit 2 "not an image" scan notes.txt
contains "not an image: says so, naming the file" "$WORK/stdout" \
    "ERROR    notes.txt: not a PNG, JPEG or PDF"
pdftoppm -r 100 -gray -png -f 1 -l 1 jane.pdf plain
expect_exit 2 "no QR code" scan plain-1.png
contains "no QR code: says so" "$WORK/stdout" \
    "ERROR    plain-1.png: no QR code found"
head -c 3000 q40.jpg > cut.jpg
expect_exit 2 "truncated JPEG" scan cut.jpg
contains "truncated JPEG: names it" "$WORK/stdout" "ERROR    cut.jpg: "
[ "$(grep -c '^ERROR' "$WORK/stdout")" -eq 1 ] &&
    pass "truncated JPEG: one line" ||
    fail "truncated JPEG: one line ($(cat "$WORK/stdout"))"
printf 'https://example.org/' > url.txt
qrencode -s 4 -r url.txt -o url.png
expect_exit 1 "a QR code that is no seal is INVALID" scan url.png
contains "no seal: says so" "$WORK/stdout" \
    "INVALID  url.png: the QR code found is not a pledge seal"
# A web address printed beside the seal is passed over.
convert scan150.png url.png -geometry +40+40 -composite beside.png
expect_exit 0 "a seal with a web address beside: VALID" scan beside.png
expect_exit 2 "missing file" scan missing.png
contains "missing file: named" "$WORK/stdout" "ERROR    missing.png: read"
expect_exit 2 "--scan needs an image" scan
contains "--scan needs an image: says so" "$WORK/stderr" \
    "give at least one IMAGE"
# A picture too large to be a page is refused before it is decoded: a
# small JPEG whose frame header claims 9000 x 8000 pixels.
convert -size 16x16 xc:white small.jpg
sof=$(LC_ALL=C grep -obUaP '\xff\xc0' small.jpg | head -n 1 | cut -d: -f1)
printf '\037\100\043\050' |
    dd of=small.jpg bs=1 seek=$((sof + 5)) conv=notrunc 2>/dev/null
expect_exit 2 "huge picture refused" scan small.jpg
contains "huge picture: says why" "$WORK/stdout" \
    "9000 x 8000 pixels, more than the 64 million"
