build-w/tests/test_tui.o: tests/test_tui.c tests/../tui/model.h \
 tests/../tui/../model/document.h tests/../tui/../model/scenario.h \
 tests/../tui/../model/error.h tests/../tui/../sim/stats.h \
 tests/helpers.h tests/../model/file.h tests/../model/error.h \
 tests/../model/scenario.h tests/../sim/engine.h \
 tests/../sim/../model/error.h tests/../sim/../model/ledger.h \
 tests/../sim/../model/financing.h tests/../sim/../model/scenario.h \
 tests/../sim/../model/scenario.h tests/../sim/stats.h
tests/../tui/model.h:
tests/../tui/../model/document.h:
tests/../tui/../model/scenario.h:
tests/../tui/../model/error.h:
tests/../tui/../sim/stats.h:
tests/helpers.h:
tests/../model/file.h:
tests/../model/error.h:
tests/../model/scenario.h:
tests/../sim/engine.h:
tests/../sim/../model/error.h:
tests/../sim/../model/ledger.h:
tests/../sim/../model/financing.h:
tests/../sim/../model/scenario.h:
tests/../sim/../model/scenario.h:
tests/../sim/stats.h:
