# sibsim -- plain Makefile. Targets:
#   all      build the sibsim binary (build/sibsim)
#   run      install missing dependencies, build, run the default scenario
#   test     install missing dependencies, build and run every test
#   check    the unit tests under AddressSanitizer + UndefinedBehaviorSanitizer, then
#            every command once under valgrind
#   bench    the engine's throughput benchmark
#   install  the binary, the man page, the scenario library and the docs
#            (PREFIX, DESTDIR); uninstall removes exactly what install put
#   clean    remove build outputs
# MPI=1 builds build-mpi/sibsim with Open MPI for mpirun (docs/cluster.md);
#   check-mpi  runs it on 2 and 3 processes against the plain build.
#   fuzz     the libFuzzer targets of tests/fuzz/ and their seed corpus
#            (build-fuzz/, clang; not part of any target above)
#   fuzz-run each fuzz target for FUZZ_SECONDS (default 20) on a copy of
#            its corpus; fails on any crash, leak or timeout (docs/fuzzing.md)
#   fuzz-repro  each fuzz target on its open reproducers in tests/fuzz/crashes/
# WERROR=1 turns warnings into errors (CI uses it).
# PGO=0 builds the core in one pass, without profile-guided optimisation
#   (the default with GCC 11 or later builds it twice; see below).

PREFIX  ?= /usr/local
DESTDIR ?=
# MPI=1 builds sibsim for cluster runs under mpirun (docs/cluster.md): Open
# MPI's mpicc, in build-mpi/ so that it never mixes with the plain build.
ifeq ($(MPI),1)
BUILD   ?= build-mpi
CC      := mpicc
CPPFLAGS += -DSIBSIM_MPI
endif
BUILD   ?= build
CC      ?= cc
VERSION := 0.1.0

WARN    := -Wall -Wextra -Wshadow -Wconversion -Wstrict-prototypes
ifeq ($(WERROR),1)
WARN    += -Werror
endif
# -fno-math-errno and -fno-trapping-math let floor and sqrt compile inline;
# neither changes a single result (no reassociation, no contraction).
OPT     ?= -O2 -g -fno-math-errno -fno-trapping-math
SAN     ?=
# PGO=1 (the default with GCC 11 or later, except under sanitizers or MPI):
# the core is built with profile-guided optimisation; see the rules below.
# (GCC 11 named auxiliary files by -dumpdir and -dumpbase as the rules use.)
ifeq ($(origin PGO),undefined)
PGO := $(if $(SAN)$(filter 1,$(MPI)),0,$(shell $(CC) -v 2>&1 | grep -q '^gcc version' && \
         test "$$($(CC) -dumpversion | cut -d. -f1)" -ge 11 2>/dev/null && echo 1 || echo 0))
endif
# Recursive (=) on purpose: pkg-config runs when a recipe needs the flags,
# which is after scripts/install-deps has had its chance to install them.
CORE_CFLAGS = $(shell pkg-config --cflags gsl libcjson)
CORE_LIBS   = $(shell pkg-config --libs gsl libcjson) -lm -pthread
UI_CFLAGS   = $(shell pkg-config --cflags ncursesw)
UI_LIBS     = $(shell pkg-config --libs ncursesw)
TEST_CFLAGS = $(shell pkg-config --cflags criterion)
TEST_LIBS   = $(shell pkg-config --libs criterion)
CPPFLAGS += -D_POSIX_C_SOURCE=200809L -DSIBSIM_VERSION='"$(VERSION)"'
CFLAGS   += -std=c11 $(OPT) $(SAN) $(WARN) -pthread -MMD -MP
LDFLAGS  += $(SAN)

# ----------------------------------------------------------------- sources
MODEL_SRC := model/error.c model/file.c model/scenario.c model/loader.c model/loader_read.c \
             model/loader_contract.c model/loader_financing.c model/loader_realised.c \
             model/loader_sources.c model/suggest.c \
             model/json_check.c model/json_number.c model/json_pointer.c model/finance.c \
             model/contract.c model/financing.c model/ledger.c model/document.c \
             model/priors.c model/indigo.c model/indigo_capital.c model/indigo_map.c model/indigo_read.c \
             model/indigo_csv.c
SIM_SRC   := sim/rng.c sim/sample.c sim/law.c sim/pages.c sim/stats.c sim/path.c sim/alike.c sim/metrics.c sim/engine.c sim/analysis.c \
             sim/tornado.c sim/solve.c \
             sim/warnings.c sim/warnings_money.c sim/warnings_reach.c sim/state.c sim/fan.c sim/runner.c sim/calibrate.c
PRESENT_SRC := present/format.c present/text.c present/table.c present/term.c \
               present/svg.c present/chart.c present/html.c present/paper.c \
               present/paper_inputs.c present/paper_charts.c
CLI_SRC   := cli/main.c cli/commands.c cli/options.c cli/library.c cli/provenance.c \
             cli/output.c cli/report.c cli/cashflows.c cli/backtest.c cli/progress.c cli/analyze.c cli/analyze_solve.c \
             cli/report_cmd.c cli/cluster.c cli/checkpoint.c cli/sources.c \
             cli/indigo_cmd.c
TUI_SRC   := tui/tui.c tui/sim.c tui/edit.c tui/input.c tui/save.c tui/draw.c tui/views.c \
             tui/model.c
TEST_SRC  := tests/test_finance.c tests/test_law.c tests/test_loader.c tests/test_loader_terms.c \
             tests/test_contract.c \
             tests/test_contract_terms.c \
             tests/test_financing.c tests/test_fin_lines.c tests/test_stats.c tests/test_engine.c \
             tests/test_aggregates.c \
             tests/test_peterborough.c tests/test_sample.c tests/test_analysis.c tests/test_deals.c \
             tests/test_backtests.c tests/test_indigo_terms.c \
             tests/test_document.c tests/test_tui.c tests/test_ledger.c tests/test_file.c \
             tests/test_warnings.c tests/test_json_syntax.c tests/test_json_pointer.c \
             tests/test_loader_bounds.c tests/test_loader_realised.c tests/test_json_suite.c \
             tests/test_state.c tests/test_family.c tests/test_merge.c tests/test_kept.c \
             tests/test_options.c tests/test_provenance.c tests/test_library.c \
             tests/test_svg.c tests/test_html.c tests/test_fan.c tests/test_paper.c \
             tests/test_present.c \
             tests/test_outcome_terms.c \
             tests/test_fin_terms.c \
             tests/test_sources.c tests/test_indigo.c tests/test_priors.c tests/test_rng.c \
             tests/test_suggest.c

CORE_OBJ  := $(MODEL_SRC:%.c=$(BUILD)/%.o) $(SIM_SRC:%.c=$(BUILD)/%.o) \
             $(BUILD)/prior_library.o
PRESENT_OBJ := $(PRESENT_SRC:%.c=$(BUILD)/%.o)
CLI_OBJ   := $(CLI_SRC:%.c=$(BUILD)/%.o) $(TUI_SRC:%.c=$(BUILD)/%.o) $(PRESENT_OBJ) \
             $(BUILD)/default_scenario.o
TEST_OBJ  := $(TEST_SRC:%.c=$(BUILD)/%.o)
ifeq ($(PGO),1)
PGO_DIR   := $(BUILD)/pgo
PGO_OBJ   := $(MODEL_SRC:%.c=$(PGO_DIR)/%.o) $(SIM_SRC:%.c=$(PGO_DIR)/%.o)
PGO_STAMP := $(PGO_DIR)/profile.stamp
PGO_USE   := -fprofile-use -fprofile-partial-training -Wno-missing-profile
endif

.PHONY: all run test check check-mpi bench install uninstall clean deps deps-test deps-mpi unit e2e FORCE
all: $(if $(filter 1,$(MPI)),deps-mpi) $(BUILD)/sibsim

# ------------------------------------------------------- build information
# What --version reports and where the library is searched, in a generated
# header rewritten only when its content changes: another PREFIX or a new
# commit recompiles the few files that include it, nothing else. No date or
# time, so that the same source and tools build the same binary (with PGO=0;
# a profile-guided build lays its code out by a training run whose counts
# vary a little with how its threads met, never its results).
DATADIR := $(PREFIX)/share/sibsim
GIT_DESCRIBE = $(shell test -e .git && git describe --tags --always --dirty 2>/dev/null)
$(BUILD)/build_info.h: FORCE
	@mkdir -p $(@D)
	@{ echo '/* generated by the Makefile: do not edit */'; \
	  echo '#define SIBSIM_BUILD "$(VERSION)$(if $(GIT_DESCRIBE),+$(GIT_DESCRIBE))"'; \
	  echo '#define SIBSIM_GSL_VERSION "$(shell pkg-config --modversion gsl)"'; \
	  echo '#define SIBSIM_CJSON_VERSION "$(shell pkg-config --modversion libcjson)"'; \
	  echo '#define SIBSIM_NCURSES_VERSION "$(shell pkg-config --modversion ncursesw)"'; \
	  echo '#define SIBSIM_DATADIR "$(DATADIR)"'; \
	  echo '#define SIBSIM_SOURCE_TREE "$(CURDIR)"'; \
	  echo '#define SIBSIM_BUILD_DIR "$(abspath $(BUILD))"'; } >$@.new
	@if cmp -s $@.new $@; then rm -f $@.new; else mv -f $@.new $@; fi
$(BUILD)/cli/commands.o $(BUILD)/cli/library.o $(BUILD)/cli/provenance.o: $(BUILD)/build_info.h

# ------------------------------------------------------------------ rules
$(BUILD)/model/%.o: model/%.c $(PGO_STAMP)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(PGO_USE) $(CORE_CFLAGS) -c $< -o $@
$(BUILD)/sim/%.o: sim/%.c $(PGO_STAMP)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(PGO_USE) $(CORE_CFLAGS) -c $< -o $@
$(BUILD)/cli/%.o: cli/%.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) -I$(BUILD) $(CFLAGS) $(CORE_CFLAGS) $(UI_CFLAGS) -c $< -o $@
$(BUILD)/present/%.o: present/%.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(CORE_CFLAGS) -c $< -o $@
$(BUILD)/tui/%.o: tui/%.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(CORE_CFLAGS) $(UI_CFLAGS) -c $< -o $@
$(BUILD)/tests/%.o: tests/%.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(CORE_CFLAGS) $(TEST_CFLAGS) -DSIBSIM_SOURCE_DIR='"$(CURDIR)"' -c $< -o $@

# The default scenario is compiled into the binary, so `sibsim run` works
# from any directory. od(1) is in every POSIX system; no xxd needed.
$(BUILD)/default_scenario.c: scenarios/peterborough.json
	@mkdir -p $(@D)
	{ echo '/* generated from $< by the Makefile: do not edit */'; \
	  echo 'const char sibsim_default_scenario[] = {'; \
	  od -An -v -tx1 $< | sed -e 's/ *\([0-9a-f][0-9a-f]\)/0x\1,/g'; \
	  echo '0x00};'; } > $@
$(BUILD)/default_scenario.o: $(BUILD)/default_scenario.c
	$(CC) -std=c11 -c $< -o $@

# The prior library (priors/indigo.json) is compiled into the core, so that
# the loader resolves {"from": "indigo:NAME"} without reading a file.
$(BUILD)/prior_library.c: priors/indigo.json
	@mkdir -p $(@D)
	{ echo '/* generated from $< by the Makefile: do not edit */'; \
	  echo 'const char sibsim_prior_library[] = {'; \
	  od -An -v -tx1 $< | sed -e 's/ *\([0-9a-f][0-9a-f]\)/0x\1,/g'; \
	  echo '0x00};'; } > $@
$(BUILD)/prior_library.o: $(BUILD)/prior_library.c
	$(CC) -std=c11 -c $< -o $@

# ------------------------------------------- profile-guided optimisation
# With PGO=1 the core (model/, sim/) is compiled twice: first instrumented
# (-fprofile-generate, in $(BUILD)/pgo/), linked into a sibsim that runs
# every library scenario, bench/interleaved.json, a small sweep and a
# comparison on one thread (scripts/pgo-train, a few seconds), then again
# with what that run counted (-fprofile-use): GCC lays out the hot paths,
# inlines and unrolls where the futures go. 3-8% faster depending on the
# scenario (docs/performance.md), and
# every result the same to the bit -- profiles change which code is fast,
# never the arithmetic (no -ffast-math, no contraction). Code no scenario
# ran is optimised as without a profile (-fprofile-partial-training).
# An edit to the core retrains; PGO=0 gives the quick one-pass build.
ifeq ($(PGO),1)
# The instrumented object is named (-dumpdir, -dumpbase) as the optimised
# one will be: GCC keys the profile of a static function by that name, and
# the training run writes each profile (x.gcda) where the second pass reads
# it, $(BUILD)/model/x.gcda.
$(PGO_DIR)/%.o: %.c
	@mkdir -p $(@D) $(BUILD)/$(*D)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(CORE_CFLAGS) -fprofile-generate \
	  -fprofile-update=prefer-atomic -dumpdir $(BUILD)/$(*D)/ -dumpbase $(*F) -c $< -o $@
$(PGO_DIR)/sibsim: $(CLI_OBJ) $(PGO_OBJ) $(BUILD)/prior_library.o
	$(CC) $(LDFLAGS) -fprofile-generate $^ $(CORE_LIBS) $(UI_LIBS) -o $@
# The training reruns when the core, the script or the scenarios it runs
# change; not when only the command line around the core is rebuilt (as
# every commit does, for --version): that binary is merely brought up to date.
$(PGO_STAMP): $(PGO_OBJ) scripts/pgo-train $(wildcard scenarios/*.json) bench/interleaved.json \
              | $(PGO_DIR)/sibsim
	scripts/pgo-train $(PGO_DIR)/sibsim $(BUILD)
	@touch $@
endif

$(BUILD)/libsibcore.a: $(CORE_OBJ)
	$(AR) rcs $@ $^

$(BUILD)/sibsim: $(CLI_OBJ) $(BUILD)/libsibcore.a
	$(CC) $(LDFLAGS) $^ $(CORE_LIBS) $(UI_LIBS) -o $@

# The unit tests link the core, the TUI's screen model and the command
# line's parts that print nothing (options, library, provenance) without
# ncurses: a stray curses call in model/, sim/ or tui/model.c fails here, at
# link time.
CLI_TESTED := $(BUILD)/cli/options.o $(BUILD)/cli/commands.o $(BUILD)/cli/library.o \
              $(BUILD)/cli/provenance.o
$(BUILD)/unit-tests: $(TEST_OBJ) $(BUILD)/tui/model.o $(CLI_TESTED) $(PRESENT_OBJ) \
                     $(BUILD)/libsibcore.a
	$(CC) $(LDFLAGS) $^ $(CORE_LIBS) $(TEST_LIBS) -o $@

# --------------------------------------------------------------- commands
deps:
	@scripts/install-deps
deps-test:
	@scripts/install-deps --test
deps-mpi:
	@scripts/install-deps --mpi

# Cluster runs: build-mpi/sibsim under mpirun on 2 and 3 processes against
# the plain build, byte for byte (tests/e2e/cluster.sh).
check-mpi: deps-mpi
	@$(MAKE) --no-print-directory MPI=1 BUILD=build-mpi build-mpi/sibsim
	@$(MAKE) --no-print-directory BUILD=build build/sibsim
	tests/e2e/cluster.sh build-mpi/sibsim build/sibsim

run: deps
	@$(MAKE) --no-print-directory all
	$(BUILD)/sibsim run

test: deps-test
	@$(MAKE) --no-print-directory unit e2e

unit: $(BUILD)/unit-tests $(BUILD)/sibsim
	$(BUILD)/unit-tests --jobs 2
# install.sh builds and installs a copy of its own into a temporary PREFIX
# (the $(MAKE) lets it share this make's jobs).
e2e: $(BUILD)/sibsim
	tests/e2e/run.sh $(BUILD)/sibsim
	tests/e2e/ledger.sh $(BUILD)/sibsim
	tests/e2e/widths.sh $(BUILD)/sibsim
	tests/e2e/checkpoint.sh $(BUILD)/sibsim
	tests/e2e/options.sh $(BUILD)/sibsim
	tests/e2e/output.sh $(BUILD)/sibsim
	tests/e2e/compare.sh $(BUILD)/sibsim
	tests/e2e/tui.sh $(BUILD)/sibsim
	tests/e2e/tui_layout.sh $(BUILD)/sibsim
	tests/e2e/report.sh $(BUILD)/sibsim
	tests/e2e/fin_terms.sh $(BUILD)/sibsim
	tests/e2e/indigo.sh $(BUILD)/sibsim
	tests/e2e/schema.sh $(BUILD)/sibsim
	tests/e2e/analyses.sh $(BUILD)/sibsim
	tests/e2e/bench.sh $(BUILD)/sibsim
	MAKE="$(MAKE)" tests/e2e/install.sh

check: deps-test
	@$(MAKE) --no-print-directory BUILD=build-san OPT='-O1 -g -fno-omit-frame-pointer' \
	  SAN='-fsanitize=address,undefined -fno-sanitize-recover=undefined' \
	  build-san/unit-tests build-san/sibsim
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 build-san/unit-tests --jobs 2
	ASAN_OPTIONS=detect_leaks=1 tests/e2e/run.sh build-san/sibsim
	ASAN_OPTIONS=detect_leaks=1 tests/e2e/ledger.sh build-san/sibsim
	ASAN_OPTIONS=detect_leaks=1 tests/e2e/widths.sh build-san/sibsim
	ASAN_OPTIONS=detect_leaks=1 tests/e2e/checkpoint.sh build-san/sibsim
	ASAN_OPTIONS=detect_leaks=1 tests/e2e/options.sh build-san/sibsim
	ASAN_OPTIONS=detect_leaks=1 tests/e2e/compare.sh build-san/sibsim
	ASAN_OPTIONS=detect_leaks=1 tests/e2e/tui.sh build-san/sibsim
	ASAN_OPTIONS=detect_leaks=1 tests/e2e/tui_layout.sh build-san/sibsim
	ASAN_OPTIONS=detect_leaks=1 tests/e2e/report.sh build-san/sibsim
	ASAN_OPTIONS=detect_leaks=1 tests/e2e/indigo.sh build-san/sibsim
	ASAN_OPTIONS=detect_leaks=1 tests/e2e/fin_terms.sh build-san/sibsim
	ASAN_OPTIONS=detect_leaks=1 tests/e2e/schema.sh build-san/sibsim
	ASAN_OPTIONS=detect_leaks=1 tests/e2e/analyses.sh build-san/sibsim
	@$(MAKE) --no-print-directory $(BUILD)/sibsim
	tests/e2e/valgrind.sh $(BUILD)/sibsim

bench: deps
	@$(MAKE) --no-print-directory all
	bench/run.sh $(BUILD)/sibsim

# Where install puts things. uninstall removes these files by name (a
# scenario a user added to the library stays, and so does its directory),
# then the directories that are sibsim's own once they are empty.
BINDIR    = $(PREFIX)/bin
MAN1DIR   = $(PREFIX)/share/man/man1
DOCDIR    = $(PREFIX)/share/doc/sibsim
SCENARIOS := $(notdir $(wildcard scenarios/*.json))
DOCS      := README.md $(notdir $(wildcard docs/*.md))
# docs/sibsim.schema.json, the scenario format's JSON Schema, when it is there.
SCHEMA    := $(wildcard docs/sibsim.schema.json)

install: all
	install -d '$(DESTDIR)$(BINDIR)' '$(DESTDIR)$(MAN1DIR)' '$(DESTDIR)$(DATADIR)/scenarios' \
	  '$(DESTDIR)$(DOCDIR)'
	install -m 755 $(BUILD)/sibsim '$(DESTDIR)$(BINDIR)/sibsim'
	install -m 644 docs/sibsim.1 '$(DESTDIR)$(MAN1DIR)/sibsim.1'
	install -m 644 $(addprefix scenarios/,$(SCENARIOS)) '$(DESTDIR)$(DATADIR)/scenarios/'
	install -d '$(DESTDIR)$(DATADIR)/priors'
	install -m 644 priors/indigo.json '$(DESTDIR)$(DATADIR)/priors/indigo.json'
	$(if $(SCHEMA),install -m 644 $(SCHEMA) '$(DESTDIR)$(DATADIR)/')
# The documentation keeps the source tree's layout, README.md beside
# docs/, so that the README's relative links (docs/model.md,
# docs/sibsim.schema.json, ...) and the docs' own resolve where installed.
	install -d '$(DESTDIR)$(DOCDIR)/docs'
	install -m 644 README.md '$(DESTDIR)$(DOCDIR)/README.md'
	install -m 644 docs/*.md '$(DESTDIR)$(DOCDIR)/docs/'
	$(if $(SCHEMA),install -m 644 $(SCHEMA) '$(DESTDIR)$(DOCDIR)/docs/sibsim.schema.json')
uninstall:
	rm -f '$(DESTDIR)$(BINDIR)/sibsim' '$(DESTDIR)$(MAN1DIR)/sibsim.1' \
	  '$(DESTDIR)$(DATADIR)/sibsim.schema.json'
	rm -f $(foreach f,$(SCENARIOS),'$(DESTDIR)$(DATADIR)/scenarios/$(f)')
	rm -f '$(DESTDIR)$(DATADIR)/priors/indigo.json'
	rmdir '$(DESTDIR)$(DATADIR)/priors' 2>/dev/null || true
	rm -f '$(DESTDIR)$(DOCDIR)/README.md' '$(DESTDIR)$(DOCDIR)/docs/sibsim.schema.json' \
	  $(foreach f,$(filter-out README.md,$(DOCS)),'$(DESTDIR)$(DOCDIR)/docs/$(f)')
	rmdir '$(DESTDIR)$(DOCDIR)/docs' 2>/dev/null || true
	rmdir '$(DESTDIR)$(DATADIR)/scenarios' '$(DESTDIR)$(DATADIR)' '$(DESTDIR)$(DOCDIR)' 2>/dev/null || true

# ------------------------------------------------------------------ fuzzing
# `make fuzz` builds one libFuzzer target per surface (tests/fuzz/*.c) into
# build-fuzz/ with clang, against the core objects built there with
# -fsanitize=fuzzer-no-link,address,undefined, and a seed corpus per target
# in build-fuzz/corpus/ from the scenario library, tests/bad/ (and
# tests/json/ when it exists) and tests/fuzz/seeds/TARGET/. Nothing here is
# built by `all`, `test` or `check`. The reproducers of open defects in
# tests/fuzz/crashes/ are never part of the corpus. See docs/fuzzing.md.
FUZZ_TARGETS := loader document overrides engine indigo
FUZZ_SECONDS ?= 20
FUZZ_CC      ?= clang
FUZZ_SAN     := -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined
# (JSON files over 64 KiB, such as JSONTestSuite's deepest nestings, would
# make every generated input as long: they stay out of the corpus.)
FUZZ_SEEDS    = $(wildcard scenarios/*.json) $(wildcard tests/bad/*.json) \
                $(shell find tests/json -name '*.json' -size -64k 2>/dev/null | sort)
FUZZ_LIBRARY  = $(sort $(wildcard scenarios/*.json))

.PHONY: fuzz fuzz-targets fuzz-corpus fuzz-run fuzz-repro
fuzz:
	@scripts/install-deps --fuzz
	@$(MAKE) --no-print-directory BUILD=build-fuzz CC=$(FUZZ_CC) \
	  OPT='-O1 -g -fno-omit-frame-pointer' SAN='$(FUZZ_SAN)' fuzz-targets fuzz-corpus

fuzz-targets: $(FUZZ_TARGETS:%=$(BUILD)/fuzz_%)

# The scenario library compiled in, so that a target runs without files.
$(BUILD)/fuzz_library.c: $(FUZZ_LIBRARY)
	@mkdir -p $(@D)
	{ echo '/* generated from scenarios/ by the Makefile: do not edit */'; \
	  echo '#include <stddef.h>'; \
	  i=0; for f in $^; do \
	    echo "static const char s$$i[] = {"; \
	    od -An -v -tx1 $$f | sed -e 's/ *\([0-9a-f][0-9a-f]\)/0x\1,/g'; \
	    echo '0x00};'; i=$$((i+1)); done; \
	  echo 'const char *const fuzz_library[] = {'; \
	  i=0; for f in $^; do echo "s$$i,"; i=$$((i+1)); done; echo '};'; \
	  echo 'const char *const fuzz_library_name[] = {'; \
	  for f in $^; do echo "\"$$f\","; done; echo '};'; \
	  echo "const size_t fuzz_library_count = $$i;"; } > $@
$(BUILD)/fuzz_library.o: $(BUILD)/fuzz_library.c
	$(CC) -std=c11 -c $< -o $@

$(FUZZ_TARGETS:%=$(BUILD)/fuzz_%): $(BUILD)/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz.h \
    $(BUILD)/fuzz_library.o $(BUILD)/libsibcore.a
	$(CC) $(CPPFLAGS) $(CFLAGS) $(CORE_CFLAGS) -fsanitize=fuzzer $< \
	  $(BUILD)/fuzz_library.o $(BUILD)/libsibcore.a $(CORE_LIBS) -o $@

# Rebuilt every time: a few hundred small files.
fuzz-corpus:
	@rm -rf $(BUILD)/corpus
	@for t in $(FUZZ_TARGETS); do \
	  mkdir -p $(BUILD)/corpus/$$t; \
	  for f in $(FUZZ_SEEDS); do cp $$f $(BUILD)/corpus/$$t/$$(echo $$f | tr / _); done; \
	  if [ -d tests/fuzz/seeds/$$t ]; then cp tests/fuzz/seeds/$$t/* $(BUILD)/corpus/$$t/; fi; \
	done
	@echo "fuzz: $(FUZZ_TARGETS:%=$(BUILD)/fuzz_%) and $(BUILD)/corpus/ ready"

fuzz-run: fuzz
	tests/fuzz/run.sh build-fuzz $(FUZZ_SECONDS) $(FUZZ_TARGETS)

fuzz-repro: fuzz
	tests/fuzz/run.sh --reproduce build-fuzz 0 $(FUZZ_TARGETS)

clean:
	rm -rf build build-san build-fuzz build-mpi

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
