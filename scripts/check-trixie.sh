#!/bin/sh
# check-trixie.sh - the release check on Debian 13 ("trixie"): does the
# package list resolve there, does pledge build and render there, and do
# the pledges this release made here verify there?  Needs root and the network
# (a minimal Debian 13 root is made with debootstrap, a few minutes the
# first time); too slow for `make check`, so it is run by hand before a
# release.
#
#   scripts/check-trixie.sh            resolve, install, build, make run, and
#                                      verify this release's kept pledges there
#   scripts/check-trixie.sh --check    also make check inside Debian 13
#                                      (CK_TIMEOUT_MULTIPLIER=4 on a busy machine)
#
# ROOT (default /var/tmp/pledge-trixie) holds the Debian 13 root and is
# kept for the next run; MIRROR (default http://deb.debian.org/debian) is
# the archive.  The tree checked is a clean clone of the committed HEAD.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
root=${ROOT:-/var/tmp/pledge-trixie}
mirror=${MIRROR:-http://deb.debian.org/debian}
full=0
[ "${1:-}" = --check ] && full=1

if [ "$(id -u)" -ne 0 ]; then
    echo "check-trixie: needs root (debootstrap, chroot)" >&2
    exit 1
fi
command -v debootstrap >/dev/null 2>&1 || {
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null
}

if [ ! -x "$root/usr/bin/apt-get" ]; then
    echo "check-trixie: debootstrap trixie into $root"
    debootstrap --variant=minbase trixie "$root" "$mirror" >/dev/null
fi
cp /etc/resolv.conf "$root/etc/resolv.conf"
# The host's trusted certificates, for npm behind a TLS-inspecting proxy
# whose certificate authority the host trusts and a fresh root does not.
cp /etc/ssl/certs/ca-certificates.crt "$root/etc/host-ca.crt" 2>/dev/null ||
    : >"$root/etc/host-ca.crt"

# pledge finds its data through /proc/self/exe; the tests need /dev.
mounted=""
cleanup() {
    for m in $mounted; do umount "$m" 2>/dev/null || true; done
}
trap cleanup EXIT INT TERM
for m in proc dev dev/pts; do
    if ! mountpoint -q "$root/$m"; then
        case $m in
        proc) mount -t proc proc "$root/proc" ;;
        *) mount --bind "/$m" "$root/$m" ;;
        esac
        mounted="$root/$m $mounted"
    fi
done

# CK_TIMEOUT_MULTIPLIER passes through: Check's per-test timeouts may need
# it on a busy machine.
in_root() { chroot "$root" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
    HOME=/root LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive \
    NODE_EXTRA_CA_CERTS=/etc/host-ca.crt \
    ${CK_TIMEOUT_MULTIPLIER:+CK_TIMEOUT_MULTIPLIER=$CK_TIMEOUT_MULTIPLIER} \
    sh -c "$1"; }

echo "check-trixie: $(in_root 'cat /etc/debian_version') in $root"
rm -rf "$root/root/pledge"
git clone -q "$top" "$root/root/pledge"

in_root 'apt-get update -qq'
pkgs=$(in_root 'cd /root/pledge && sh scripts/deps.sh --list' | tr '\n' ' ')
echo "check-trixie: packages: $pkgs"
in_root "apt-get install --simulate --no-install-recommends $pkgs" \
    >"$root/root/simulate.log"
echo "check-trixie: apt-get install --simulate: $(grep -c '^Inst ' \
    "$root/root/simulate.log") packages to install, no error"

# As the README says: make first, which a minimal system lacks.
in_root 'apt-get install -y -qq make >/dev/null'
in_root 'cd /root/pledge && make -s run' >/dev/null
if [ "$full" = 1 ]; then
    in_root 'cd /root/pledge && make check'
fi

# This release's pledges as the release machine made and signed them
# (tests/data/released: applicant-signed, and endorsed) verified inside
# Debian 13: the signatures and the endorsement must hold there, and the
# content is VALID or UNCHECKED naming only a library whose compressed
# bytes differ (libdeflate's do), never INVALID.
v=$(in_root 'cd /root/pledge && build/pledge --version' | awk '{ print $2 }')
bad=0
for f in pledge-$v pledge-$v-endorsed; do
    rc=0
    in_root "cd /root/pledge/tests/data/released && ../../../build/pledge \
        verify --key $f.pub $f.pdf" >"$root/root/verify.out" 2>&1 || rc=$?
    if [ "$rc" -eq 0 ] ||
       { [ "$rc" -eq 3 ] && grep -q 'made with librar' "$root/root/verify.out"; }; then
        echo "check-trixie: $f.pdf: $(head -n 1 "$root/root/verify.out")"
    else
        echo "check-trixie: $f.pdf: exit $rc: $(head -c 400 "$root/root/verify.out")" >&2
        bad=1
    fi
done
[ "$bad" -eq 0 ]
