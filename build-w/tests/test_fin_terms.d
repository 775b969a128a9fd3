build-w/tests/test_fin_terms.o: tests/test_fin_terms.c \
 tests/../model/contract.h tests/../model/scenario.h \
 tests/../model/error.h tests/../model/finance.h \
 tests/../model/financing.h tests/../model/ledger.h \
 tests/../model/financing.h tests/../sim/engine.h \
 tests/../sim/../model/error.h tests/../sim/../model/ledger.h \
 tests/../sim/../model/scenario.h tests/../sim/stats.h \
 tests/../sim/warnings.h tests/helpers.h tests/../model/file.h \
 tests/../model/scenario.h tests/loader_helpers.h tests/../model/error.h
tests/../model/contract.h:
tests/../model/scenario.h:
tests/../model/error.h:
tests/../model/finance.h:
tests/../model/financing.h:
tests/../model/ledger.h:
tests/../model/financing.h:
tests/../sim/engine.h:
tests/../sim/../model/error.h:
tests/../sim/../model/ledger.h:
tests/../sim/../model/scenario.h:
tests/../sim/stats.h:
tests/../sim/warnings.h:
tests/helpers.h:
tests/../model/file.h:
tests/../model/scenario.h:
tests/loader_helpers.h:
tests/../model/error.h:
