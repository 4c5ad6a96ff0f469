# t_content.sh - what VALID promises: the content check (a pledge made
# again from the verifier's own layout), UNCHECKED with its reason and
# exit status 3, key roles from the keyring's records, and a keyring with
# a bad or duplicate key.

export SOURCE_DATE_EPOCH=1795262400
unset PLEDGE_PASSPHRASE_FILE PLEDGE_KEYRING
mkdir -p keys
"$PLEDGE" keygen -o keys/vaimh --signer "Virginia Association for Infant Mental Health" \
    --no-passphrase >/dev/null 2>&1
"$PLEDGE" keygen -o keys/jane --signer "Jane Doe" --no-passphrase >/dev/null 2>&1
vid=$(head -1 keys/vaimh.pub | grep -o '[0-9A-F]\{16\}' | head -1)
jid=$(head -1 keys/jane.pub | grep -o '[0-9A-F]\{16\}' | head -1)

# The layouts publish the hash a pledge's claim carries.
expect_exit 0 "layouts prints the text hash" "$PLEDGE" layouts
hash=$(grep -A1 '^vaimh-code ' "$WORK/stdout" | sed -n 's/.*blake2b-256 \([0-9a-f]\{64\}\).*/\1/p')
check "a 64-digit hash for vaimh-code" test ${#hash} -eq 64
expect_exit 0 "layouts --json" "$PLEDGE" layouts --json
contains "json carries the same hash" "$WORK/stdout" \
    "\"id\":\"vaimh-code\",\"association\":\"Virginia Association for Infant Mental Health\""
check "json text_hash equals the text line" grep -q "\"text_hash\":\"$hash\"" "$WORK/stdout"
expect_exit 0 "render a genuine pledge" "$PLEDGE" render -l vaimh-code \
    -n "Jane Doe" -i VA-0142 -o genuine.pdf --sign-with keys/vaimh.key
expect_exit 0 "the genuine pledge is VALID" "$PLEDGE" verify genuine.pdf
contains "its claim carries the published hash" "$WORK/stdout" "blake2b-256 $hash"
contains "content identical" "$WORK/stdout" \
    "identical to what layout vaimh-code makes for Jane Doe"

# A copy of the layout with one value deleted, signed by a trusted key.
sed '/^## Value: Commitment to Dismantling Inequities/,/^## Value: Integrity/{/^## Value: Integrity/!d}' \
    "$TOP/layouts/vaimh-code.md" > copy.md
check_not "the copy lost the value" grep -q "Dismantling Inequities" copy.md
expect_exit 0 "render with the edited copy" "$PLEDGE" render --layout ./copy.md \
    -n "Jane Doe" -o cut.pdf --sign-with keys/vaimh.key
expect_exit 1 "the edited copy is INVALID" "$PLEDGE" verify cut.pdf
contains "and says the content differs" "$WORK/stdout" \
    "INVALID  cut.pdf: the content differs from what layout vaimh-code"
contains "because its text is not the layout's" "$WORK/stdout" \
    "its text is not the layout's"

# Layout not installed here: UNCHECKED, exit 3, never VALID.
mkdir -p nolayouts
expect_exit 3 "layout not installed: exit 3" "$PLEDGE" verify genuine.pdf \
    --layouts nolayouts
contains "UNCHECKED verdict" "$WORK/stdout" "UNCHECKED genuine.pdf"
contains "and why" "$WORK/stdout" "layout vaimh-code is not installed here"
check_not "not printed as VALID" grep -q "^VALID" "$WORK/stdout"
expect_exit 3 "the same in JSON" "$PLEDGE" verify --json genuine.pdf \
    --layouts nolayouts
contains "json verdict unchecked" "$WORK/stdout" '"verdict":"unchecked"'
contains "json signature valid" "$WORK/stdout" '"signature":"valid"'
contains "json content unchecked" "$WORK/stdout" '"content":"unchecked"'
contains "json valid is false" "$WORK/stdout" '"valid":false'
contains "json reason" "$WORK/stdout" '"content_reason":"layout vaimh-code is not installed'

# Another revision of the layout here: UNCHECKED naming both.
mkdir -p newrev
sed 's/^revision:.*/revision: "R2"/' "$TOP/layouts/vaimh-code.md" > newrev/vaimh-code.md
expect_exit 3 "another revision: exit 3" "$PLEDGE" verify genuine.pdf --layouts newrev
contains "both revisions named" "$WORK/stdout" \
    'layout vaimh-code here has revision "R2", the pledge "Undated (as captured)"'

# A different design, same revision and text: the layout file's hash.
mkdir -p redesign
sed 's/^font_size:.*/font_size: 10.5/' "$TOP/layouts/vaimh-code.md" > redesign/vaimh-code.md
if ! cmp -s redesign/vaimh-code.md "$TOP/layouts/vaimh-code.md"; then
    expect_exit 3 "another design: exit 3" "$PLEDGE" verify genuine.pdf --layouts redesign
    contains "design named" "$WORK/stdout" "is not the file the pledge was made with"
fi

# Key roles.
cat > keys/vaimh.role <<ROLE
# The association's own key.
key: $vid
name: Virginia Association for Infant Mental Health
role: association
association: Virginia Association for Infant Mental Health
layouts: vaimh-code vaimh-values
ROLE
expect_exit 0 "an association key within its role" "$PLEDGE" verify genuine.pdf
contains "signer named from the record" "$WORK/stdout" \
    "signed by    Virginia Association for Infant Mental Health (key ID $vid"
contains "role shown" "$WORK/stdout" "key role     association Virginia Association"
expect_exit 0 "a pledge of another association" "$PLEDGE" render -l nysaimh-code \
    -n "Jane Doe" -o nys.pdf --sign-with keys/vaimh.key
expect_exit 1 "outside the association role: INVALID" "$PLEDGE" verify nys.pdf
expect_exit 1 "the same in JSON" "$PLEDGE" verify --json nys.pdf
contains "json verdict invalid" "$WORK/stdout" '"valid":false,"verdict":"invalid","reason":"key '
expect_exit 1 "outside the association role: INVALID" "$PLEDGE" verify nys.pdf
contains "role named" "$WORK/stdout" \
    "key $vid may sign only pledges of association \"Virginia Association for Infant Mental Health\""
expect_exit 0 "signed under another name" "$PLEDGE" render -l vaimh-code \
    -n "Jane Doe" -o other-name.pdf --sign-with keys/vaimh.key --signer "Some Body"
expect_exit 1 "page signer contradicting the record: INVALID" "$PLEDGE" verify other-name.pdf
contains "both names said" "$WORK/stdout" \
    "the pledge names its signer \"Some Body\" but the keyring records key $vid"

cat > keys/jane.role <<ROLE
key: $jid
name: Jane Doe
role: applicant
applicant: Jane Doe
member-id: VA-0142
ROLE
expect_exit 0 "an applicant's own pledge" "$PLEDGE" render -l vaimh-code \
    -n "Jane Doe" -i VA-0142 -o jane.pdf --sign-with keys/jane.key
expect_exit 0 "within the applicant role: VALID" "$PLEDGE" verify jane.pdf
contains "applicant role shown" "$WORK/stdout" "key role     applicant Jane Doe, member VA-0142"
expect_exit 0 "the applicant signs someone else's pledge" "$PLEDGE" render \
    -l vaimh-code -n "John Roe" -i VA-0142 -o john.pdf --sign-with keys/jane.key
expect_exit 1 "outside the applicant role: INVALID" "$PLEDGE" verify john.pdf
contains "applicant role named" "$WORK/stdout" \
    "key $jid may sign only the pledge of applicant \"Jane Doe\""
expect_exit 0 "the applicant signs with another member ID" "$PLEDGE" render \
    -l vaimh-code -n "Jane Doe" -i VA-9999 -o jane2.pdf --sign-with keys/jane.key
expect_exit 1 "another member ID: INVALID" "$PLEDGE" verify jane2.pdf
contains "member ID named" "$WORK/stdout" "may sign only the pledge of member \"VA-0142\""

# A record whose key ID is not its key's: the key is left out, loudly.
cp keys/jane.role jane.role.good
sed "s/^key: .*/key: 0123456789ABCDEF/" jane.role.good > keys/jane.role
expect_exit 1 "a key with a wrong record is not trusted" "$PLEDGE" verify jane.pdf
contains "the record refused" "$WORK/stderr" \
    "skipped jane.pub: read keys/jane.role line 1: key ID 0123456789ABCDEF is not the ID of the key beside it"
contains "its signature unknown" "$WORK/stdout" "signed by unknown key ID $jid"
expect_exit 2 "with --key the wrong record is an error" "$PLEDGE" verify \
    --key keys/jane.pub jane.pdf
printf 'key: %s\nname: Jane Doe\nrole: applicant\napplicant: Jane Doe\nexpires: 2027-01-01\n' \
    "$jid" > keys/jane.role
expect_exit 1 "an unknown field refuses the record" "$PLEDGE" verify jane.pdf
contains "field and line named" "$WORK/stderr" \
    "read keys/jane.role line 5: unknown field \"expires\""
cp jane.role.good keys/jane.role

# Plain --key without a record still works.
mkdir -p bare
cp keys/vaimh.pub bare/
expect_exit 0 "--key without a record" "$PLEDGE" verify --key bare/vaimh.pub genuine.pdf
contains "no role said" "$WORK/stdout" "key role     none recorded"

# A keyring with an unreadable and a duplicate key: the rest goes on.
printf 'not a key\n' > keys/broken.pub
cp keys/vaimh.pub keys/vaimh-copy.pub
expect_exit 1 "duplicate: neither copy trusted" "$PLEDGE" verify genuine.pdf jane.pdf
contains "unreadable key reported" "$WORK/stderr" "skipped broken.pub"
contains "duplicate reported" "$WORK/stderr" "key ID $vid is in the keyring twice"
contains "its pledges INVALID, saying why" "$WORK/stdout" \
    "signed by key ID $vid, which the keyring refuses"
contains "the other key still verifies" "$WORK/stdout" "VALID    jane.pdf"
rm -f keys/vaimh-copy.pub
expect_exit 0 "an unreadable key alone does not stop the rest" "$PLEDGE" verify genuine.pdf
contains "still reported" "$WORK/stderr" "skipped broken.pub"
rm -f keys/broken.pub
cp keys/jane.role keys/nobody.role
expect_exit 0 "a record without its key" "$PLEDGE" verify genuine.pdf
contains "is reported" "$WORK/stderr" "nobody.role has no key nobody.pub beside it"
rm -f keys/nobody.role

# Exit status: INVALID wins over UNCHECKED, UNCHECKED over VALID.
expect_exit 1 "INVALID and UNCHECKED: exit 1" "$PLEDGE" verify genuine.pdf nys.pdf \
    --layouts nolayouts
contains "summary counts unchecked" "$WORK/stdout" "0 valid, 1 invalid, 0 unreadable, 1 unchecked"
