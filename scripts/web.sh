#!/bin/sh
# web.sh - the verify page's JavaScript side (web/, docs/web.md).
#
#   scripts/web.sh deps        npm ci in web/ when node_modules is missing
#                              or older than package-lock.json (so an
#                              up-to-date tree needs no network)
#   scripts/web.sh build OUT   bundle the page into OUT (make does this);
#                              without Node.js or web/node_modules says
#                              what is missing and leaves OUT alone, so
#                              the C parts build all the same
set -eu

cd "$(dirname "$0")/.."

# True when web/node_modules matches web/package-lock.json.
current() {
    [ -f web/node_modules/.package-lock.json ] &&
        ! [ web/package-lock.json -nt web/node_modules/.package-lock.json ]
}

case "${1:-}" in
deps)
    current && exit 0
    if ! command -v npm >/dev/null 2>&1; then
        echo "pledge: npm is missing: the verify page cannot be built" \
            "(scripts/deps.sh installs Debian's nodejs and npm)" >&2
        exit 1
    fi
    echo "pledge: installing the verify page's npm packages (web/)"
    (cd web && npm ci --no-audit --no-fund --loglevel=error)
    # npm ci leaves the lock's time; mark when the tree was made.
    touch web/node_modules/.package-lock.json
    ;;
build)
    out=${2:?usage: scripts/web.sh build OUT}
    if ! command -v node >/dev/null 2>&1; then
        echo "pledge: note: Node.js is missing, so the verify page" \
            "(pledge web) is not built; 'make deps' installs it" >&2
        exit 0
    fi
    if ! current; then
        echo "pledge: note: web/node_modules is missing or older than" \
            "web/package-lock.json, so the verify page (pledge web) is" \
            "not built; 'make deps' installs it" >&2
        exit 0
    fi
    node web/build.mjs "$out"
    ;;
*)
    echo "usage: scripts/web.sh deps | build OUT" >&2
    exit 2
    ;;
esac
