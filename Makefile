# Makefile - builds migralint (GNU make). See docs/building.md.
#
#   make                  setup, then build/migralint
#   make test [T=filter]  setup, ASan+UBSan build under build/asan/, tests/run.sh
#   make demo             setup, build, lint the example repository (fixtures/demo)
#   make bench            bench/run.sh: migralint against bare libpg_query and squawk
#   make valgrind         the test suite with build/migralint under valgrind
#   make fuzz             libFuzzer targets (fuzz/), FUZZ_SECONDS each (default 600)
#   make corpus           PostgreSQL's regression SQL through check (fuzz/pg_regress.sh)
#   make format | format-check | install [PREFIX=/usr/local] | clean | distclean
#
# Every public target runs scripts/setup.sh first and then builds in a sub-make,
# so the pkg-config flags are read only once the packages are surely there.

SHELL := /bin/bash
.DEFAULT_GOAL := all

CC      ?= cc
HOSTCC  ?= $(CC)
PREFIX  ?= /usr/local
DESTDIR ?=

DEPS := build/deps
TS_LIB := $(DEPS)/lib/libtreesitter.a
# libpg_query 17, built from source by setup.sh (deps.lock), linked statically.
PGQ_LIB := $(DEPS)/lib/libpg_query.a

PKGS := libgit2 libpcre2-8 libcjson
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS := $(shell pkg-config --libs $(PKGS) 2>/dev/null)

STD      := -std=c11 -D_DEFAULT_SOURCE -pthread
WARN     := -Wall -Wextra -Werror
INCLUDES := -I$(DEPS)/include $(PKG_CFLAGS)
# libpg_query.a carries the protobuf-c runtime it uses; its headers are in
# $(DEPS)/include, ahead of any system copy.
LIBS     := $(TS_LIB) $(PGQ_LIB) $(PKG_LIBS) -lm -pthread

RELEASE_CFLAGS := -O2
ASAN_CFLAGS    := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer \
                  -fno-sanitize-recover=all
ASAN_LDFLAGS   := -fsanitize=address,undefined

# Sources: every .c under src/ (new modules and subfolders are picked up by
# themselves), and the rule documents embedded into the binary.
SRCS      := $(shell find src -name '*.c' 2>/dev/null | LC_ALL=C sort)
MAIN_SRC  := src/cli/main.c
UNIT_SRCS := $(shell find tests/unit -name '*.c' 2>/dev/null | LC_ALL=C sort)
RULEDOCS  := $(shell find rules -maxdepth 1 -name '*.md' 2>/dev/null | LC_ALL=C sort)
GEN_RULEDOCS := build/gen/ruledocs.c
# tree-sitter queries (.scm beside the extractor that uses them), compiled in.
QUERIES   := $(shell find src -name '*.scm' 2>/dev/null | LC_ALL=C sort)
GEN_QUERIES := build/gen/queries.c
EMBED := build/tools/embed

# Objects of one variant: $(call objs,OUTDIR)
objs      = $(patsubst src/%.c,$(1)/obj/%.o,$(SRCS)) $(1)/obj/gen/ruledocs.o \
            $(1)/obj/gen/queries.o
lib_objs  = $(filter-out $(1)/obj/cli/main.o,$(call objs,$(1)))
unit_objs = $(patsubst tests/unit/%.c,$(1)/obj/unit/%.o,$(UNIT_SRCS))

.PHONY: all setup build test build-test demo bench bench-busy valgrind build-valgrind format fuzz build-fuzz corpus \
        format-check install clean distclean oracle FORCE

# ---------------------------------------------------------------- public

all: setup
	+@$(MAKE) --no-print-directory build

setup:
	@bash scripts/setup.sh

test: setup
	+@$(MAKE) --no-print-directory build-test
	MIGRALINT=$(CURDIR)/build/asan/migralint UNIT=$(CURDIR)/build/asan/unit_tests \
	MIGRALINT_FAST=$(CURDIR)/build/migralint \
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	tests/run.sh $(if $(T),'$(T)')
	+@if [ -n "$(T)" ]; then :; elif bash fuzz/setup.sh; then \
	  $(MAKE) --no-print-directory CC=clang build-fuzz && bash fuzz/run.sh --short; \
	else echo "fuzz: short run skipped: clang with libFuzzer could not be installed (see above)"; fi

DEMO_REPO := build/demo-repo
DEMO_GIT  := git -c user.name='migralint demo' -c user.email=demo@migralint.invalid \
             -c commit.gpgsign=false -c init.defaultBranch=main -c core.hooksPath=/dev/null

demo: all
	@rm -rf $(DEMO_REPO) && mkdir -p $(DEMO_REPO) && cp -R fixtures/demo/. $(DEMO_REPO)/
	@cd $(DEMO_REPO) && export GIT_AUTHOR_DATE='2024-03-01T10:00:00Z' \
	    GIT_COMMITTER_DATE='2024-03-01T10:00:00Z' && \
	  $(DEMO_GIT) init -q && \
	  $(DEMO_GIT) add README.md migrations/000001_* migrations/000002_* && \
	  $(DEMO_GIT) commit -q -m 'Users and orders' && \
	  export GIT_AUTHOR_DATE='2024-04-15T10:00:00Z' GIT_COMMITTER_DATE='2024-04-15T10:00:00Z' && \
	  $(DEMO_GIT) add migrations/000003_* migrations/000004_* && \
	  $(DEMO_GIT) commit -q -m 'Index orders by user; drop the legacy fax column' && \
	  export GIT_AUTHOR_DATE='2024-05-20T10:00:00Z' GIT_COMMITTER_DATE='2024-05-20T10:00:00Z' && \
	  $(DEMO_GIT) add -A && \
	  $(DEMO_GIT) commit -q -m 'Rename orders to purchases'
	@echo "== demo repository $(DEMO_REPO): $$(git -C $(DEMO_REPO) rev-list --count HEAD) commits"
	@git -C $(DEMO_REPO) log --format='   %h %s' --reverse
	@echo "== migralint check --format text migrations"
	@cd $(DEMO_REPO) && rc=0 && $(CURDIR)/build/migralint check --format text migrations || rc=$$?; \
	  echo "migralint exited with $$rc (findings are expected in the demo)"

bench: all
	bash bench/run.sh

# check with every CPU busy: default, one thread, two (bench/busy.sh)
bench-busy: all
	bash bench/busy.sh

# The PostgreSQL oracle on a real folder (tools/pg-oracle/README.md):
# make oracle DIR=path/to/migrations [ORACLE_ARGS="--json report.json"]
oracle: all
	@test -n "$(DIR)" || { echo "usage: make oracle DIR=path/to/migrations"; exit 2; }
	tools/pg-oracle/pg-oracle --migralint build/migralint $(ORACLE_ARGS) $(DIR)

# libFuzzer targets (fuzz/): built by clang, run FUZZ_SECONDS each (fuzz/run.sh).
fuzz: setup
	@bash fuzz/setup.sh
	+@$(MAKE) --no-print-directory CC=clang build-fuzz
	FUZZ_SECONDS=$(or $(FUZZ_SECONDS),600) bash fuzz/run.sh $(FUZZ_TARGETS)

# PostgreSQL's regression-test SQL through the ASan+UBSan build (fuzz/pg_regress.sh).
corpus: setup
	+@$(MAKE) --no-print-directory build/asan/migralint
	MIGRALINT=$(CURDIR)/build/asan/migralint bash fuzz/pg_regress.sh

valgrind: setup
	@command -v valgrind >/dev/null || { echo "valgrind is not installed: apt-get install valgrind" >&2; exit 1; }
	+@$(MAKE) --no-print-directory build-valgrind
	@rm -rf $(VALGRIND_LOGS) && mkdir -p $(VALGRIND_LOGS)
	@start=$$(date +%s); rc=0; \
	MIGRALINT=$(CURDIR)/build/valgrind-migralint UNIT=$(CURDIR)/build/valgrind-unit_tests \
	MIGRALINT_FAST=$(CURDIR)/build/migralint \
	tests/run.sh $(if $(T),'$(T)') || rc=$$?; \
	bad=$$(find $(VALGRIND_LOGS) -name '*.log' -size +0 | LC_ALL=C sort); \
	for f in $$bad; do echo "== valgrind report $$f"; head -60 "$$f"; done; \
	echo "valgrind: $$(ls $(VALGRIND_LOGS) | wc -l) runs, $$(echo $$bad | wc -w) with reports, $$(( $$(date +%s) - start ))s"; \
	[ $$rc -eq 0 ] && [ -z "$$bad" ]

FORMAT_FILES = $(shell find src tests/unit tools bench fuzz -name '*.[ch]' 2>/dev/null | LC_ALL=C sort)

format:
	clang-format -i $(FORMAT_FILES)

format-check:
	clang-format --dry-run --Werror $(FORMAT_FILES)

install: all
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 755 build/migralint $(DESTDIR)$(PREFIX)/bin/migralint
	@if [ -f docs/migralint.1 ]; then \
	  echo "install -d $(DESTDIR)$(PREFIX)/share/man/man1"; \
	  install -d $(DESTDIR)$(PREFIX)/share/man/man1 && \
	  echo "install -m 644 docs/migralint.1 $(DESTDIR)$(PREFIX)/share/man/man1/migralint.1" && \
	  install -m 644 docs/migralint.1 $(DESTDIR)$(PREFIX)/share/man/man1/migralint.1; \
	fi

# Keeps build/deps (the fetched and compiled third-party code) and the
# tests' own cache; distclean removes everything.
clean:
	rm -rf build/obj build/asan build/gen build/tools build/bench build/demo-repo \
	  build/migralint build/unit_tests build/valgrind-migralint build/valgrind-unit_tests build/valgrind-logs

distclean:
	rm -rf build

# -------------------------------------------------------------- internal
# These run in the sub-make, after setup.

build: build/migralint

build-test: build/migralint build/asan/migralint build/asan/unit_tests

build-valgrind: build/migralint build/unit_tests build/valgrind-migralint build/valgrind-unit_tests

# $(call variant,OUTDIR,EXTRA_CFLAGS,EXTRA_LDFLAGS)
define variant
$(1)/obj/%.o: src/%.c
	@mkdir -p $$(@D)
	@echo "CC $$<"
	@$$(CC) $$(STD) $$(WARN) $(2) $$(INCLUDES) -MMD -MP -c $$< -o $$@

$(1)/obj/gen/%.o: build/gen/%.c
	@mkdir -p $$(@D)
	@echo "CC $$<"
	@$$(CC) $$(STD) $$(WARN) $(2) -MMD -MP -c $$< -o $$@

$(1)/obj/unit/%.o: tests/unit/%.c
	@mkdir -p $$(@D)
	@echo "CC $$<"
	@$$(CC) $$(STD) $$(WARN) $(2) $$(INCLUDES) -MMD -MP -c $$< -o $$@

$(1)/migralint: $$(call objs,$(1)) $$(TS_LIB) $$(PGQ_LIB)
	@mkdir -p $$(@D)
	@echo "LD $$@"
	@$$(CC) $(3) $$(LDFLAGS) -o $$@ $$(call objs,$(1)) $$(LIBS)

$(1)/unit_tests: $$(call lib_objs,$(1)) $$(call unit_objs,$(1)) $$(TS_LIB) $$(PGQ_LIB)
	@mkdir -p $$(@D)
	@echo "LD $$@"
	@$$(CC) $(3) $$(LDFLAGS) -o $$@ $$(call unit_objs,$(1)) $$(call lib_objs,$(1)) $$(LIBS)

# A new libpg_query (its header replaced by setup.sh) rebuilds everything
# once: the parse tree every module reads may have changed shape.
$$(call objs,$(1)) $$(call unit_objs,$(1)): $$(DEPS)/include/pg_query.h

-include $$(patsubst %.o,%.d,$$(call objs,$(1)) $$(call unit_objs,$(1)))
endef

$(eval $(call variant,build,$(RELEASE_CFLAGS),))
$(eval $(call variant,build/asan,$(ASAN_CFLAGS),$(ASAN_LDFLAGS)))

# The rule documents, compiled in. The list file changes when a document is
# added or removed, so the generated source follows the set, not only edits.
$(EMBED): tools/embed.c
	@mkdir -p $(@D)
	@echo "HOSTCC $<"
	@$(HOSTCC) -std=c11 -Wall -Wextra -Werror -O2 -o $@ $<

build/gen/ruledocs.list: FORCE
	@mkdir -p $(@D)
	@echo '$(RULEDOCS)' > $@.tmp
	@if cmp -s $@.tmp $@; then rm -f $@.tmp; else mv -f $@.tmp $@; fi

$(GEN_RULEDOCS): $(EMBED) build/gen/ruledocs.list $(RULEDOCS)
	@echo "EMBED $(words $(RULEDOCS)) rule documents -> $@"
	@$(EMBED) $@ $(RULEDOCS)

build/gen/queries.list: FORCE
	@mkdir -p $(@D)
	@echo '$(QUERIES)' > $@.tmp
	@if cmp -s $@.tmp $@; then rm -f $@.tmp; else mv -f $@.tmp $@; fi

$(GEN_QUERIES): $(EMBED) build/gen/queries.list $(QUERIES)
	@echo "EMBED $(words $(QUERIES)) tree-sitter queries -> $@"
	@$(EMBED) -n query $@ $(QUERIES)

# valgrind wrappers: the tests run "$MIGRALINT" as one command.
# Each run logs to its own file, so valgrind's reports never mix with the
# stderr a test compares, and a report fails `make valgrind` even when the
# test did not look at the exit code.
VALGRIND_LOGS := build/valgrind-logs
VALGRIND := valgrind -q --error-exitcode=99 --leak-check=full \
            --errors-for-leak-kinds=definite,indirect --show-leak-kinds=definite,indirect \
            --log-file=$(CURDIR)/$(VALGRIND_LOGS)/%p.log

build/valgrind-%: build/% Makefile
	@printf '#!/bin/sh\nexec %s "%s" "$$@"\n' '$(VALGRIND)' '$(CURDIR)/$<' > $@
	@chmod +x $@

FORCE:

include fuzz/fuzz.mk
