build-w/tests/test_paper.o: tests/test_paper.c tests/../model/ledger.h \
 tests/../model/financing.h tests/../model/scenario.h \
 tests/../model/error.h tests/../present/paper.h \
 tests/../present/../model/scenario.h tests/../present/../sim/analysis.h \
 tests/../present/../sim/../model/scenario.h \
 tests/../present/../sim/engine.h \
 tests/../present/../sim/../model/error.h \
 tests/../present/../sim/../model/ledger.h \
 tests/../present/../sim/stats.h tests/../present/../sim/engine.h \
 tests/../present/../sim/fan.h tests/../sim/fan.h tests/helpers.h \
 tests/../model/file.h tests/../model/scenario.h tests/../sim/engine.h
tests/../model/ledger.h:
tests/../model/financing.h:
tests/../model/scenario.h:
tests/../model/error.h:
tests/../present/paper.h:
tests/../present/../model/scenario.h:
tests/../present/../sim/analysis.h:
tests/../present/../sim/../model/scenario.h:
tests/../present/../sim/engine.h:
tests/../present/../sim/../model/error.h:
tests/../present/../sim/../model/ledger.h:
tests/../present/../sim/stats.h:
tests/../present/../sim/engine.h:
tests/../present/../sim/fan.h:
tests/../sim/fan.h:
tests/helpers.h:
tests/../model/file.h:
tests/../model/scenario.h:
tests/../sim/engine.h:
