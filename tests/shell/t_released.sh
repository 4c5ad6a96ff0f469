# t_released.sh - every pledge an earlier release of pledge signed
# (tests/data/released/, kept by scripts/released.sh) still verifies as
# what it is: VALID when it was made by this release with the same fonts
# and libraries, UNCHECKED naming what differs when not, never INVALID.
# That holds for the pledge its applicant signed and, from 0.2.0 on, for
# the same pledge endorsed by the association: the endorsement's update is
# checked byte for byte against what this release writes for it.
# So a change to what pledge writes that forgets to raise PLEDGE_VERSION
# fails here, and so does a release whose own pledge is missing.

unset PLEDGE_PASSPHRASE_FILE PLEDGE_KEYRING
dir=$TOP/tests/data/released
this=$("$PLEDGE" --version | awk '{ print $2 }')

if [ -f "$dir/pledge-$this.pdf" ]; then
    pass "this release ($this) keeps a signed pledge of its own"
else
    fail "no tests/data/released/pledge-$this.pdf: run scripts/released.sh"
fi
if [ -f "$dir/pledge-$this-endorsed.pdf" ]; then
    pass "this release ($this) keeps an endorsed pledge of its own"
else
    fail "no tests/data/released/pledge-$this-endorsed.pdf: run scripts/released.sh"
fi
for pdf in "$dir"/pledge-*.pdf; do
    v=${pdf##*/pledge-}
    v=${v%.pdf}
    "$PLEDGE" verify --key "$dir/pledge-$v.pub" "$pdf" >"$WORK/out" 2>&1
    rc=$?
    v=${v%-endorsed}
    if [ "$v" = "$this" ]; then
        if [ "$rc" -eq 0 ]; then
            contains "pledge $v: VALID, content identical" "$WORK/out" \
                "identical to what layout vaimh-code"
        elif [ "$rc" -eq 3 ] && grep -qE "(font|hyphenation file) .* differs|made with librar(y|ies) " "$WORK/out"; then
            pass "pledge $v: UNCHECKED here only for another font or library"
        else
            fail "pledge $v made by this release: exit $rc: $(head -c 400 "$WORK/out")"
        fi
    elif [ "$rc" -eq 3 ]; then
        contains "pledge $v: UNCHECKED, says which release made it" \
            "$WORK/out" "made with pledge $v, this is $this"
    else
        fail "pledge $v of an earlier release: exit $rc, wanted 3: $(head -c 400 "$WORK/out")"
    fi
done
