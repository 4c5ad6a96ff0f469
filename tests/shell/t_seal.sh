# t_seal.sh - the seal every signed pledge prints: zbar reads a QR code
# holding "PL1:" and base45 from the signature page rasterised at 150 dpi,
# and it is exactly the payload /PledgeSeal records, stating the pledge's
# own facts; render, sign, batch and its print file all carry one; a
# changed or swapped /PledgeSeal is INVALID; revoke --pledge names the
# seal.

unset PLEDGE_PASSPHRASE_FILE PLEDGE_KEYRING
export SOURCE_DATE_EPOCH=1795262400
mkdir -p keys reviewer
"$PLEDGE" keygen -o keys/vaimh --no-passphrase --role association \
    --signer "Virginia Association for Infant Mental Health" >/dev/null 2>&1
"$PLEDGE" keygen -o keys/jane --no-passphrase --role applicant \
    --signer "Jane Doe" >/dev/null 2>&1
cp keys/*.pub keys/*.role reviewer/

# The QR text zbar reads on the last page of $1, into $1.qr.
scan() {
    n=$(pdfinfo "$1" | awk '/^Pages:/ { print $2 }')
    pdftoppm -r 150 -png -f "$n" -l "$n" "$1" "$1.page" &&
        zbarimg -q --raw "$1.page"-*.png 2>/dev/null | tr -d '\n' >"$1.qr"
}

# base45 (RFC 9285) text on stdin as lowercase hex, one line.
base45_hex() {
    awk 'BEGIN { A = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:" }
    { for (i = 1; i <= length($0); i += 3) {
          g = substr($0, i, 3); v = 0; m = 1
          for (k = 1; k <= length(g); k++) {
              v += (index(A, substr(g, k, 1)) - 1) * m; m *= 45 }
          if (length(g) == 3) printf "%02x%02x", int(v / 256), v % 256
          else printf "%02x", v } }
    END { print "" }'
}

# The /PledgeSeal payload of $1 (in its object stream), as written.
stored_raw() {
    objstm "$1" | grep -a -o '/PledgeSeal *<[0-9A-Fa-f]*>' | head -1 |
        sed 's/.*<\(.*\)>/\1/'
}

# The /PledgeSeal payload of $1 as lowercase hex.
stored() { stored_raw "$1" | tr 'A-F' 'a-f'; }

# Hex of a string, for finding it in a payload.
hexof() { printf '%s' "$1" | xxd -p | tr -d '\n'; }

# $1 carries a seal that zbar reads, equal to its /PledgeSeal, stating
# the applicant $2, the member ID $3 and kind $4 (41 A, 50 P).
sealed() {
    scan "$1"
    case $(cat "$1.qr") in
    PL1:*) pass "$1: zbar reads a seal at 150 dpi" ;;
    *) fail "$1: zbar reads no PL1: seal ($(head -c 40 "$1.qr"))" ;;
    esac
    sed 's/^PL1://' "$1.qr" | base45_hex >"$1.hex"
    if [ -s "$1.hex" ] && [ "$(cat "$1.hex")" = "$(stored "$1")" ]; then
        pass "$1: the code is the payload /PledgeSeal records"
    else
        fail "$1: the code is not /PledgeSeal"
    fi
    contains "$1: the seal is version 1, kind $4" "$1.hex" "01$4"
    contains "$1: the seal names the applicant" "$1.hex" \
        "$(printf '%02x' ${#2})$(hexof "$2")"
    contains "$1: the seal names the member ID" "$1.hex" \
        "$(printf '%02x' ${#3})$(hexof "$3")"
    # The seal ID verify prints is the BLAKE2b-256 of those very bytes.
    "$PLEDGE" verify --keyring reviewer "$1" >"$1.v" 2>&1
    contains "$1: verify proves its seal" "$1.v" \
        "seal         $(xxd -r -p "$1.hex" | b2sum -l 256 | cut -d' ' -f1)"
}

"$PLEDGE" render -l vaimh-code -n "Jane Doe" --id VA-0142 \
    --sign-with keys/jane.key -o jane.pdf >/dev/null 2>&1
sealed jane.pdf "Jane Doe" VA-0142 50
"$PLEDGE" render -l vaimh-code -n "Ann Roe" --sign-with keys/vaimh.key \
    -o ann.pdf >/dev/null 2>&1
sealed ann.pdf "Ann Roe" "" 41
"$PLEDGE" render -l vaimh-code -n "Kim Lee" --id M-7 -o kim.pdf \
    >/dev/null 2>&1
objstm kim.pdf >kim.objs
check "an unsigned pledge's dictionaries are read" grep -q -a PledgeInputs \
    kim.objs
check_not "an unsigned pledge has no seal" grep -q -a PledgeSeal kim.objs
"$PLEDGE" sign kim.pdf --key keys/vaimh.key -o kim-signed.pdf >/dev/null 2>&1
sealed kim-signed.pdf "Kim Lee" M-7 41
expect_exit 0 "the signed pledges verify" "$PLEDGE" verify \
    --keyring reviewer jane.pdf ann.pdf kim-signed.pdf

printf 'name,id\nAmara Okafor,VA-1\nBo Chen,VA-2\n' > roster.csv
"$PLEDGE" batch roster.csv --layout vaimh-code --key keys/vaimh.key \
    --out out --print print.pdf >/dev/null 2>&1
sealed out/0001-amara-okafor.pdf "Amara Okafor" VA-1 41
# The print file: each pledge's signature page carries its own seal.
pdftoppm -r 150 -png print.pdf printpage
zbarimg -q --raw printpage-*.png 2>/dev/null > print.qr
if [ "$(grep -c '^PL1:' print.qr)" -eq 2 ]; then
    pass "the print file carries a seal per pledge"
else
    fail "the print file carries $(grep -c '^PL1:' print.qr) seals, not 2"
fi

# A changed /PledgeSeal, and another pledge's seal in its place.
hex=$(stored_raw ann.pdf)
first=$(printf '%s' "$hex" | cut -c1-40)
objstm_sed ann.pdf "s|/PledgeSeal<$first|/PledgeSeal<0142${first#0141}|" \
    tampered.pdf
check_not "the tampered copy differs" cmp -s ann.pdf tampered.pdf
expect_exit 1 "a changed /PledgeSeal is INVALID" "$PLEDGE" verify \
    --keyring reviewer tampered.pdf
contains "  says INVALID" "$WORK/stdout" "INVALID  tampered.pdf"
other=$(stored_raw jane.pdf)
objstm_sed ann.pdf "s|/PledgeSeal<$hex>|/PledgeSeal<$other>|" swapped.pdf
check_not "the swapped copy differs" cmp -s ann.pdf swapped.pdf
expect_exit 1 "another pledge's seal swapped in is INVALID" "$PLEDGE" \
    verify --keyring reviewer swapped.pdf
contains "  says INVALID" "$WORK/stdout" "INVALID  swapped.pdf"

# revoke --pledge names the pledge and its seal.
expect_exit 0 "revoke --pledge" "$PLEDGE" revoke --key keys/vaimh.key \
    --list reviewer/vaimh.revoked --pledge ann.pdf --reason "issued in error" \
    --date 2026-12-01
contains "the pledge and its seal in one signed append" \
    reviewer/vaimh.revoked "sequence:1"
contains "the list has a seal line with the seal ID" reviewer/vaimh.revoked \
    "$(printf 'seal\t%s\t2026-12-01' \
       "$(xxd -r -p ann.pdf.hex | b2sum -l 256 | cut -d' ' -f1)")"
expect_exit 1 "the pledge is REVOKED" "$PLEDGE" verify --keyring reviewer \
    ann.pdf
contains "  by the list beside the key" "$WORK/stdout" "REVOKED  ann.pdf"
