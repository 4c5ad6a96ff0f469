#!/bin/sh
# roster.sh - a made-up roster of N attendees for the batch bench.
#
#   sh bench/roster.sh N [csv|tsv]
#
# csv (the default) is what `pledge batch` reads: a header row
# name,credentials,id,email, then one row per attendee.  tsv prints the
# same attendees as name<TAB>credentials<TAB>id, no header, for the tools
# that are fed one pledge at a time (pdflatex through bench_render tex).
# Row i is the same in every run and in both forms, so every tool sets the
# same people.  No two names are alike: 24 first names by 24 family names
# make 576 pairs, and from row 577 on a number follows the family name.
# Names keep to Latin-1, so that pdflatex's T1 fonts can set them too;
# some have an apostrophe or a hyphen, and credentials hold a comma, so
# the CSV has quoted fields as a spreadsheet would write them.
set -eu
export LC_ALL=C         # awk counts bytes; the names are UTF-8 as given

if [ $# -lt 1 ] || [ $# -gt 2 ]; then
    echo "usage: sh bench/roster.sh N [csv|tsv]" >&2
    exit 2
fi
case $1 in
    '' | *[!0-9]*) echo "roster.sh: N must be a number, not '$1'" >&2
                   exit 2 ;;
esac
form=${2:-csv}
case $form in
    csv | tsv) ;;
    *) echo "roster.sh: form must be csv or tsv, not '$form'" >&2; exit 2 ;;
esac

awk -v n="$1" -v form="$form" '
BEGIN {
    nf = split("Zoë Siobhán Amara Tomás Hannah François Jürgen Bjørn " \
               "Kwame Priya Aoife María Samantha Li Mateus Inès Oluwaseun " \
               "Ève Ngozi Søren Dvora Raúl Chloé Kai", first, " ")
    nl = split("Ångström-Núñez|O'\''Brien|Okafor|Álvarez|Schultz|" \
               "Lefèvre|Straßburger|Østergaard|Mensah|Raman|Ní Bhriain|" \
               "García López|Okonkwo-Richardson|Wei|Conceição|Müller|" \
               "Adébáyò|Dubois|Eze|Kjærgaard|Ben-David|Peña|Brontë|" \
               "Nakamura", last, "|")
    # The last credentials are none: the column is optional.
    nc = split("PhD, LCSW, IMH-E®|MSW, IMH-E®|M.Ed.|LPC|RN, BSN|" \
               "PhD|LMFT, IMH-E®|", cred, "|")
    if (form == "csv")
        print "name,credentials,id,email"
    for (i = 0; i < n; i++) {
        name = first[i % nf + 1] " " last[(i + int(i / nf)) % nl + 1]
        if (i >= nf * nl)
            name = name " " int(i / (nf * nl)) + 1
        c = cred[i % nc + 1]
        id = sprintf("VA-%05d", i + 1)
        if (form == "tsv") {
            printf "%s\t%s\t%s\n", name, c, id
            continue
        }
        q = name
        gsub(/"/, "\"\"", q)
        printf "\"%s\",\"%s\",%s,attendee%05d@example.org\n", q, c, id,
               i + 1
    }
}'
