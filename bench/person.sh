# person.sh - sourced by bench/run.sh and bench/quality.sh: the one pledge
# every tool sets, and abs() to keep the programs' paths once they cd.
# The name has diacritics but stays within Latin-1, so that pdflatex's T1
# fonts can set it as well.
abs() { case $1 in /*) echo "$1" ;; *) echo "$PWD/$1" ;; esac; }
name="Zoë Ångström-Núñez"
credentials="PhD, LCSW, IMH-E®"
member_id="VA-2026-0142"
date="2026-11-21"
