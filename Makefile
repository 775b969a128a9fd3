# sibsim -- plain Makefile. Targets:
#   all      build the sibsim binary (build/sibsim)
#   run      install missing dependencies, build, run the default scenario
#   test     install missing dependencies, build and run every test
#   check    the unit tests under AddressSanitizer + UndefinedBehaviorSanitizer, then
#            every command once under valgrind
#   bench    the engine's throughput benchmark
#   install  the binary and the scenario library (PREFIX, DESTDIR)
#   clean    remove build outputs
# WERROR=1 turns warnings into errors (CI uses it).

PREFIX  ?= /usr/local
DESTDIR ?=
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
             model/loader_sources.c \
             model/json_check.c model/json_pointer.c model/finance.c \
             model/contract.c model/financing.c model/ledger.c model/document.c
SIM_SRC   := sim/sample.c sim/stats.c sim/path.c sim/metrics.c sim/engine.c sim/analysis.c \
             sim/warnings.c
PRESENT_SRC := present/format.c
CLI_SRC   := cli/main.c cli/commands.c cli/output.c cli/report.c cli/cashflows.c \
             cli/progress.c cli/analyze.c cli/sources.c
TUI_SRC   := tui/tui.c tui/model.c
TEST_SRC  := tests/test_finance.c tests/test_loader.c tests/test_contract.c \
             tests/test_financing.c tests/test_stats.c tests/test_engine.c \
             tests/test_peterborough.c tests/test_sample.c tests/test_analysis.c tests/test_deals.c \
             tests/test_document.c tests/test_tui.c tests/test_ledger.c tests/test_file.c \
             tests/test_warnings.c tests/test_json_syntax.c tests/test_json_pointer.c \
             tests/test_loader_bounds.c tests/test_loader_realised.c tests/test_sources.c

CORE_OBJ  := $(MODEL_SRC:%.c=$(BUILD)/%.o) $(SIM_SRC:%.c=$(BUILD)/%.o)
PRESENT_OBJ := $(PRESENT_SRC:%.c=$(BUILD)/%.o)
CLI_OBJ   := $(CLI_SRC:%.c=$(BUILD)/%.o) $(TUI_SRC:%.c=$(BUILD)/%.o) $(PRESENT_OBJ) \
             $(BUILD)/default_scenario.o
TEST_OBJ  := $(TEST_SRC:%.c=$(BUILD)/%.o)

.PHONY: all run test check bench install uninstall clean deps deps-test unit e2e
all: $(BUILD)/sibsim

# ------------------------------------------------------------------ rules
$(BUILD)/model/%.o: model/%.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(CORE_CFLAGS) -c $< -o $@
$(BUILD)/sim/%.o: sim/%.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(CORE_CFLAGS) -c $< -o $@
$(BUILD)/cli/%.o: cli/%.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(CORE_CFLAGS) $(UI_CFLAGS) -c $< -o $@
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

$(BUILD)/libsibcore.a: $(CORE_OBJ)
	$(AR) rcs $@ $^

$(BUILD)/sibsim: $(CLI_OBJ) $(BUILD)/libsibcore.a
	$(CC) $(LDFLAGS) $^ $(CORE_LIBS) $(UI_LIBS) -o $@

# The unit tests link the core and the TUI's screen model without ncurses:
# a stray curses call in model/, sim/ or tui/model.c fails here, at link time.
$(BUILD)/unit-tests: $(TEST_OBJ) $(BUILD)/tui/model.o $(PRESENT_OBJ) $(BUILD)/libsibcore.a
	$(CC) $(LDFLAGS) $^ $(CORE_LIBS) $(TEST_LIBS) -o $@

# --------------------------------------------------------------- commands
deps:
	@scripts/install-deps
deps-test:
	@scripts/install-deps --test

run: deps
	@$(MAKE) --no-print-directory all
	$(BUILD)/sibsim run

test: deps-test
	@$(MAKE) --no-print-directory unit e2e

unit: $(BUILD)/unit-tests $(BUILD)/sibsim
	$(BUILD)/unit-tests --jobs 2
e2e: $(BUILD)/sibsim
	tests/e2e/run.sh $(BUILD)/sibsim
	tests/e2e/ledger.sh $(BUILD)/sibsim
	tests/e2e/tui.sh $(BUILD)/sibsim
	tests/e2e/schema.sh $(BUILD)/sibsim

check: deps-test
	@$(MAKE) --no-print-directory BUILD=build-san OPT='-O1 -g -fno-omit-frame-pointer' \
	  SAN='-fsanitize=address,undefined -fno-sanitize-recover=undefined' \
	  build-san/unit-tests build-san/sibsim
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 build-san/unit-tests --jobs 2
	ASAN_OPTIONS=detect_leaks=1 tests/e2e/run.sh build-san/sibsim
	ASAN_OPTIONS=detect_leaks=1 tests/e2e/ledger.sh build-san/sibsim
	ASAN_OPTIONS=detect_leaks=1 tests/e2e/tui.sh build-san/sibsim
	ASAN_OPTIONS=detect_leaks=1 tests/e2e/schema.sh build-san/sibsim
	@$(MAKE) --no-print-directory $(BUILD)/sibsim
	tests/e2e/valgrind.sh $(BUILD)/sibsim

bench: deps
	@$(MAKE) --no-print-directory all
	bench/run.sh $(BUILD)/sibsim

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/sibsim/scenarios \
	  $(DESTDIR)$(PREFIX)/share/doc/sibsim
	install -m 755 $(BUILD)/sibsim $(DESTDIR)$(PREFIX)/bin/sibsim
	install -m 644 scenarios/*.json $(DESTDIR)$(PREFIX)/share/sibsim/scenarios/
	install -m 644 README.md docs/*.md $(DESTDIR)$(PREFIX)/share/doc/sibsim/
uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/sibsim
	rm -rf $(DESTDIR)$(PREFIX)/share/sibsim $(DESTDIR)$(PREFIX)/share/doc/sibsim

clean:
	rm -rf build build-san

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
