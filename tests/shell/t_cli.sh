# t_cli.sh - the command line: help, version, exit codes, clear errors.

expect_exit 0 "pledge --help" "$PLEDGE" --help
contains "help lists render" "$WORK/stdout" "render"
expect_exit 0 "pledge --version" "$PLEDGE" --version
contains "version printed" "$WORK/stdout" "pledge 0."
expect_exit 2 "no command is a usage error" "$PLEDGE"
expect_exit 2 "unknown command" "$PLEDGE" frobnicate
contains "unknown command named" "$WORK/stderr" "unknown command 'frobnicate'"
expect_exit 0 "render --help" "$PLEDGE" render --help
contains "render help shows --layout" "$WORK/stdout" "--layout"
expect_exit 0 "layouts --help" "$PLEDGE" layouts --help

# pledge layouts lists the five bundled layouts.
expect_exit 0 "pledge layouts" "$PLEDGE" layouts
for id in vaimh-code alliance-code miaimh-code nysaimh-code vaimh-values; do
    contains "layouts lists $id" "$WORK/stdout" "$id"
done
contains "layouts shows revision" "$WORK/stdout" "Rev. 10.2021"
expect_exit 0 "pledge layouts --json" "$PLEDGE" layouts --json
contains "json has id" "$WORK/stdout" '"id":"vaimh-values"'

# Usage errors: exit 2, one line, naming the problem.
expect_exit 2 "render without --name" "$PLEDGE" render --layout vaimh-code -o x.pdf
contains "missing --name named" "$WORK/stderr" "--name is required"
one_line "missing --name is one line" "$WORK/stderr"
expect_exit 2 "unknown layout" "$PLEDGE" render --layout nope --name A -o x.pdf
contains "unknown layout named" "$WORK/stderr" "unknown layout 'nope'"
expect_exit 2 "bad paper" "$PLEDGE" render --layout vaimh-code --name A --paper legal -o x.pdf
expect_exit 2 "date that does not exist" \
    "$PLEDGE" render --layout vaimh-code --name A --date 2026-02-30 -o x.pdf
contains "bad date named" "$WORK/stderr" "2026-02-30"
one_line "bad date is one line" "$WORK/stderr"
expect_exit 2 "malformed date" \
    "$PLEDGE" render --layout vaimh-code --name A --date 21/11/2026 -o x.pdf
expect_exit 2 "blank name" "$PLEDGE" render --layout vaimh-code --name "   " -o x.pdf
expect_exit 2 "control character in name" \
    "$PLEDGE" render --layout vaimh-code --name "$(printf 'A\tB')" -o x.pdf
contains "control character named" "$WORK/stderr" "U+0009"
expect_exit 2 "invalid UTF-8 in name" \
    "$PLEDGE" render --layout vaimh-code --name "$(printf 'Jos\351')" -o x.pdf
contains "invalid UTF-8 named" "$WORK/stderr" "invalid UTF-8"
expect_exit 2 "name of 10,000 characters" \
    "$PLEDGE" render --layout vaimh-code --name "$(head -c 10000 /dev/zero | tr '\0' a)" -o x.pdf
contains "too long named" "$WORK/stderr" "too long"

# A character no font has: an error naming it and the field, no file.
expect_exit 2 "CJK name has no glyph" \
    "$PLEDGE" render --layout vaimh-code --name "李小龍" -o cjk.pdf
contains "missing glyph names U+" "$WORK/stderr" "U+674E"
contains "missing glyph names the field" "$WORK/stderr" "name"
one_line "missing glyph is one line" "$WORK/stderr"
check_not "no file for a failed render" test -e cjk.pdf
expect_exit 2 "emoji credentials have no glyph" \
    "$PLEDGE" render --layout vaimh-code --name A --credentials "PhD 😀" -o e.pdf
contains "credentials field named" "$WORK/stderr" "credentials"

# An unwritable output leaves nothing behind and says where.
expect_exit 2 "output directory missing" \
    "$PLEDGE" render --layout vaimh-code --name A -o no/such/dir/x.pdf
contains "output path named" "$WORK/stderr" "no/such/dir/x.pdf"
check_not "no temporary left" sh -c 'ls no 2>/dev/null | grep -q .'

# A layout given by path works; a broken one names file and line.
cp "$TOP/layouts/vaimh-code.md" mine.md
expect_exit 0 "layout by path" "$PLEDGE" render --layout ./mine.md --name A -o m.pdf
sed 's/^title:/titel:/' "$TOP/layouts/vaimh-code.md" >bad.md
expect_exit 2 "unknown front matter key" "$PLEDGE" render --layout ./bad.md --name A -o b.pdf
contains "bad key names file" "$WORK/stderr" "bad.md"
contains "bad key names key" "$WORK/stderr" "titel"
line=$(grep -n '^titel:' bad.md | cut -d: -f1)
contains "bad key names line" "$WORK/stderr" "line $line"
