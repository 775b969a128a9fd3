build-w/tests/test_ledger.o: tests/test_ledger.c tests/../model/finance.h \
 tests/../model/ledger.h tests/../model/financing.h \
 tests/../model/scenario.h tests/../model/error.h tests/../sim/engine.h \
 tests/../sim/../model/error.h tests/../sim/../model/ledger.h \
 tests/../sim/../model/scenario.h tests/../sim/stats.h tests/helpers.h \
 tests/../model/file.h tests/../model/scenario.h
tests/../model/finance.h:
tests/../model/ledger.h:
tests/../model/financing.h:
tests/../model/scenario.h:
tests/../model/error.h:
tests/../sim/engine.h:
tests/../sim/../model/error.h:
tests/../sim/../model/ledger.h:
tests/../sim/../model/scenario.h:
tests/../sim/stats.h:
tests/helpers.h:
tests/../model/file.h:
tests/../model/scenario.h:
