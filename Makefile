# pledge - typeset, sign and verify Code of Ethics pledges.
#
#   make run      install what is missing, build, render a sample of every layout
#   make check    install what is missing, build, run the suite, then again
#                 under AddressSanitizer + UndefinedBehaviorSanitizer, and
#                 every fuzz harness briefly over its corpus
#   make bench    time rendering against pdflatex, signing against libsodium,
#                 verify --scan of a page's picture; then make quality
#   make quality  measure each layout's setting beside pdflatex's
#   make leakcheck  every command under valgrind memcheck
#   make fuzz     every parser's libFuzzer harness, FUZZ_SECONDS (180) each
#   make install  PREFIX=/usr/local DESTDIR=  (binary, data, man page, docs,
#                 bash completion, the verify page; from a fresh clone too)

PREFIX  ?= /usr/local
BUILD   ?= build
SAN     ?=

PKGS    = freetype2 harfbuzz harfbuzz-subset libsodium yaml-0.1 libcmark zlib
PKGS   += libqrencode libdeflate
# Reading pictures of printed pledges (verify --scan); of the others only
# the headers, as src/scan/libs.c opens them when first needed.
PKGS   += libpng libjpeg
DLOPEN_PKGS = zbar poppler-glib cairo
# Recursive (=) so pkg-config runs after the deps step has installed things.
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) $(DLOPEN_PKGS))
PKG_LIBS   = $(shell pkg-config --libs $(PKGS)) -lhpdf -lhyphen -lm

WARN    = -Wall -Wextra -Werror -Wstrict-prototypes -Wshadow
CFLAGS  ?= -O2 -g
ifeq ($(SAN),1)
CFLAGS  += -O1 -fsanitize=address,undefined -fno-sanitize-recover=all \
           -fno-omit-frame-pointer
LDFLAGS += -fsanitize=address,undefined
endif
ALL_CFLAGS = -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE $(WARN) \
             $(CFLAGS) -MMD -MP $(PKG_CFLAGS)

LIB_SRC  = $(wildcard src/*/*.c)
LIB_SRC := $(filter-out src/cli/%,$(LIB_SRC))
CLI_SRC  = $(wildcard src/cli/*.c)
TEST_SRC = $(wildcard tests/unit/test_*.c)

LIB_OBJ  = $(LIB_SRC:%.c=$(BUILD)/%.o)
CLI_OBJ  = $(CLI_SRC:%.c=$(BUILD)/%.o)
TESTS    = $(TEST_SRC:tests/unit/%.c=$(BUILD)/tests/%)

# The bundled family: Noto Serif, linked from Debian's fonts-noto-core.
NOTO     = /usr/share/fonts/truetype/noto
FONTS    = $(addprefix fonts/NotoSerif-,$(addsuffix .ttf,Regular Bold Italic BoldItalic))
# English hyphenation patterns, from Debian's hyphen-en-us.
HYPHEN   = /usr/share/hyphen/hyph_en_US.dic

# Only the unit tests compile the source tree's path in (to find their
# fixtures); the stamp holds it, so a moved tree rebuilds them.
SRCDIR_STAMP = $(BUILD)/srcdir
$(shell mkdir -p $(BUILD) && { [ "$$(cat $(SRCDIR_STAMP) 2>/dev/null)" = "$(CURDIR)" ] || echo "$(CURDIR)" >$(SRCDIR_STAMP); })

.PHONY: all deps run check test unit shell bench quality leakcheck fuzz \
        install clean
.DEFAULT_GOAL := all

all: $(BUILD)/pledge $(FONTS) $(BUILD)/web/verify.js

$(FONTS):
	@test -r $(NOTO)/$(@F) || { echo "pledge: $(NOTO)/$(@F) is missing: run make deps (Debian's fonts-noto-core)" >&2; exit 1; }
	ln -sf $(NOTO)/$(@F) $@

deps:
	@sh scripts/deps.sh

# The verify page pledge web writes (web/, docs/web.md): bundled from our
# source and its npm packages.  Without Node.js it is skipped with a note.
WEB_SRC = web/index.html web/style.css web/sw.js web/build.mjs \
          web/package-lock.json $(wildcard web/src/*.js)
$(BUILD)/web/verify.js: $(WEB_SRC)
	@sh scripts/web.sh build $(BUILD)/web

$(BUILD)/libpledge.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/pledge: $(CLI_OBJ) $(BUILD)/libpledge.a
	$(CC) $(LDFLAGS) -o $@ $(CLI_OBJ) $(BUILD)/libpledge.a $(PKG_LIBS)

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/libpledge.a $(SRCDIR_STAMP) | $(FONTS)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -DPLEDGE_SRCDIR='"$(CURDIR)"' \
	    $(shell pkg-config --cflags check) $(LDFLAGS) \
	    -o $@ $< $(BUILD)/libpledge.a $(PKG_LIBS) $(shell pkg-config --libs check)

run: deps
	@$(MAKE) --no-print-directory all
	@sh scripts/samples.sh $(BUILD)/pledge out

# The suite: unit tests, then shell tests driving the real binary; first as
# built, then under the sanitizers.
# The sanitizers slow code three to five times: Check's per-test time
# limits stretch to match.
check: deps
	@$(MAKE) --no-print-directory test
	@CK_TIMEOUT_MULTIPLIER=4 $(MAKE) --no-print-directory test \
	    BUILD=build/san SAN=1
	@sh scripts/fuzz.sh smoke

test: unit shell

unit: $(TESTS)
	@sh tests/run-unit.sh $(TESTS)

shell: $(BUILD)/pledge $(FONTS) $(BUILD)/web/verify.js
	@sh tests/shell/run.sh $(BUILD)/pledge

# Times pledge, as a process and in one, against pdflatex on the same
# pledges; prints every figure beside its target; then signing and
# verifying beside libsodium's floor.  See bench/README.md.
bench: deps
	@sh scripts/deps.sh bench
	@$(MAKE) --no-print-directory all $(BUILD)/bench_render \
	    $(BUILD)/bench_sign
	@sh bench/run.sh $(BUILD)/pledge $(BUILD)/bench_render \
	    $(BUILD)/bench_sign
	@sh bench/scan.sh $(BUILD)/pledge
	@sh bench/quality.sh $(BUILD)/pledge $(BUILD)/bench_render

# Loose lines, hyphens, pages and fill of every layout on Letter and A4,
# measured from pledge's PDF and pdflatex's alike.  See bench/README.md.
quality: deps
	@sh scripts/deps.sh bench
	@$(MAKE) --no-print-directory all $(BUILD)/bench_render
	@sh bench/quality.sh $(BUILD)/pledge $(BUILD)/bench_render

$(BUILD)/bench_%: bench/bench_%.c $(BUILD)/libpledge.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) \
	    -o $@ $< $(BUILD)/libpledge.a $(PKG_LIBS)

FUZZ_SECONDS ?= 180

# Each parser's libFuzzer harness (fuzz/) under ASan+UBSan for
# FUZZ_SECONDS; inputs that crash land in build/fuzz/crashes/.
fuzz: deps
	@sh scripts/fuzz.sh run $(FUZZ_SECONDS)

# Every command under valgrind memcheck: no error, no byte definitely or
# indirectly lost, batch workers included.  Not with SAN=1.
leakcheck:
	@sh scripts/deps.sh leakcheck
	@$(MAKE) --no-print-directory all
	@sh scripts/leakcheck.sh $(BUILD)/pledge

# Everything the installed pledge and its man page refer to, found
# relative to the binary (PREFIX/bin/../share/pledge), so the tree can be
# moved as a whole.
SHARE = $(DESTDIR)$(PREFIX)/share
install: $(BUILD)/pledge $(FONTS) $(BUILD)/web/verify.js
	@test -r $(HYPHEN) || { echo "pledge: $(HYPHEN) is missing: run make deps (Debian's hyphen-en-us)" >&2; exit 1; }
	install -d $(DESTDIR)$(PREFIX)/bin $(SHARE)/pledge/layouts \
	    $(SHARE)/pledge/fonts $(SHARE)/pledge/hyphen $(SHARE)/man/man1 \
	    $(SHARE)/doc/pledge $(SHARE)/bash-completion/completions
	install -m 755 $(BUILD)/pledge $(DESTDIR)$(PREFIX)/bin/pledge
	install -m 644 layouts/*.md $(SHARE)/pledge/layouts/
	install -m 644 $(FONTS) fonts/README.md $(SHARE)/pledge/fonts/
	install -m 644 $(HYPHEN) $(SHARE)/pledge/hyphen/
	install -m 644 docs/pledge.1 $(SHARE)/man/man1/pledge.1
	install -m 644 README.md docs/layouts.md docs/signature-format.md \
	    docs/seal-format.md docs/web.md \
	    $(SHARE)/doc/pledge/
	install -m 644 completion/pledge.bash \
	    $(SHARE)/bash-completion/completions/pledge
	@if [ -r $(BUILD)/web/verify.js ]; then \
	    install -d $(SHARE)/pledge/web && \
	    install -m 644 $(addprefix $(BUILD)/web/,index.html verify.js \
	        decode.js style.css sw.js) $(SHARE)/pledge/web/; \
	else echo "pledge: note: the verify page is not built, so pledge web" \
	    "will not work from this installation ('make deps', then make)"; fi

clean:
	rm -rf build out

-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d) $(TESTS:=.d) \
         $(wildcard $(BUILD)/bench_*.d)
