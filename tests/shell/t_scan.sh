# t_scan.sh - pledge verify --scan over pictures of a printed pledge made
# here: its signature page rasterised at 150 and 300 dpi, turned, skewed,
# blurred, saved as a poor JPEG, photocopied; the seal must be found and
# checked in each.  Then the seals that must not be VALID, and the
# pictures that are no pictures of a seal.

unset PLEDGE_PASSPHRASE_FILE PLEDGE_KEYRING
for tool in convert qrencode img2pdf pdftoppm; do
    if ! command -v $tool >/dev/null 2>&1; then
        fail "$tool is not installed (scripts/deps.sh installs it)"
        return 0
    fi
done
export SOURCE_DATE_EPOCH=1795262400     # 2026-11-21T12:00:00Z

mkdir -p keys
"$PLEDGE" keygen -o keys/other --no-passphrase --signer "Other Signer" \
    >/dev/null 2>&1

# A pledge's signature page as a 300-dpi grey scan, with the seal's text
# ($1) drawn as the QR code a signed pledge carries there: 0.5 mm modules
# (6 pixels at 300 dpi), 4 modules of quiet zone.  Writes $2.
seal_page() {
    printf '%s' "$1" > seal.txt
    qrencode -l M -s 6 -m 4 -r seal.txt -o qr.png &&
    pdftoppm -r 300 -gray -png -f 2 -l 2 pledge.pdf page &&
    convert page-2.png qr.png -geometry +1650+2500 -composite \
        -colorspace Gray "$2"
}

"$PLEDGE" render --layout vaimh-code --name "Jane Doe" --id VA-0142 \
    --date 2026-11-21 -o pledge.pdf 2>/dev/null
seal=$(cat "$TOP/fuzz/corpus/seal/association.txt")
seal_page "$seal" scan300.png

# The pictures of that page a reviewer may have: whole pages from a
# scanner; photos of its lower half (where the seal is, and quicker for
# ImageMagick to turn), turned, at an angle, out of focus.
convert scan300.png -resize 50% scan150.png
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
    expect_exit 1 "$img: seal found and read" "$PLEDGE" verify --scan \
        --keyring keys "$img"
    contains "$img: the seal's signer is checked" "$WORK/stdout" \
        "signed by unknown key ID 0706050403020100 (not in the keyring)"
done

# A scanner's PDF: a picture on each page, no text; the verdict names the
# page.
img2pdf --pagesize Letter -o scanned.pdf page-2.png scan150.png
expect_exit 1 "scanned PDF: seal found on page 2" "$PLEDGE" verify --scan \
    --keyring keys scanned.pdf
contains "scanned PDF: the page is named" "$WORK/stdout" \
    "INVALID  scanned.pdf page 2: signed by unknown key ID"

# Not a picture of a seal.
printf 'plain text\n' > notes.txt
expect_exit 2 "not an image" "$PLEDGE" verify --scan --keyring keys notes.txt
contains "not an image: says so, naming the file" "$WORK/stdout" \
    "ERROR    notes.txt: not a PNG, JPEG or PDF"
pdftoppm -r 100 -gray -png -f 1 -l 1 pledge.pdf plain
expect_exit 2 "no QR code" "$PLEDGE" verify --scan --keyring keys \
    plain-1.png
contains "no QR code: says so" "$WORK/stdout" \
    "ERROR    plain-1.png: no QR code found"
head -c 3000 q40.jpg > cut.jpg
expect_exit 2 "truncated JPEG" "$PLEDGE" verify --scan --keyring keys cut.jpg
contains "truncated JPEG: one line naming it" "$WORK/stdout" \
    "ERROR    cut.jpg: "
[ "$(grep -c '^ERROR' "$WORK/stdout")" -eq 1 ] &&
    pass "truncated JPEG: one line" ||
    fail "truncated JPEG: one line ($(cat "$WORK/stdout"))"
printf 'https://example.org/' > url.txt
qrencode -s 4 -r url.txt -o url.png
expect_exit 1 "a QR code that is no seal is INVALID" "$PLEDGE" verify \
    --scan --keyring keys url.png
contains "no seal: says so" "$WORK/stdout" \
    "INVALID  url.png: the QR code found is not a pledge seal"
expect_exit 2 "missing file" "$PLEDGE" verify --scan --keyring keys \
    missing.png
contains "missing file: named" "$WORK/stdout" "ERROR    missing.png: read"
expect_exit 2 "--scan needs an image" "$PLEDGE" verify --scan --keyring keys
contains "--scan needs an image: says so" "$WORK/stderr" \
    "give at least one IMAGE"
# A picture too large to be a page is refused before it is decoded: a
# small JPEG whose frame header claims 9000 x 8000 pixels.
convert -size 16x16 xc:white small.jpg
sof=$(LC_ALL=C grep -obUaP '\xff\xc0' small.jpg | head -n 1 | cut -d: -f1)
printf '\037\100\043\050' |
    dd of=small.jpg bs=1 seek=$((sof + 5)) conv=notrunc 2>/dev/null
expect_exit 2 "huge picture refused" "$PLEDGE" verify --scan \
    --keyring keys small.jpg
contains "huge picture: says why" "$WORK/stdout" \
    "9000 x 8000 pixels, more than the 64 million"
