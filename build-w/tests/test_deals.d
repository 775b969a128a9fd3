build-w/tests/test_deals.o: tests/test_deals.c tests/../model/contract.h \
 tests/../model/scenario.h tests/../model/error.h \
 tests/../model/finance.h tests/../model/financing.h \
 tests/../sim/engine.h tests/../sim/../model/error.h \
 tests/../sim/../model/ledger.h tests/../sim/../model/financing.h \
 tests/../sim/../model/scenario.h tests/../sim/../model/scenario.h \
 tests/../sim/stats.h tests/helpers.h tests/../model/file.h \
 tests/../model/scenario.h
tests/../model/contract.h:
tests/../model/scenario.h:
tests/../model/error.h:
tests/../model/finance.h:
tests/../model/financing.h:
tests/../sim/engine.h:
tests/../sim/../model/error.h:
tests/../sim/../model/ledger.h:
tests/../sim/../model/financing.h:
tests/../sim/../model/scenario.h:
tests/../sim/../model/scenario.h:
tests/../sim/stats.h:
tests/helpers.h:
tests/../model/file.h:
tests/../model/scenario.h:
