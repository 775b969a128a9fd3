build-w/tests/test_document.o: tests/test_document.c \
 tests/../model/document.h tests/../model/scenario.h \
 tests/../model/error.h tests/helpers.h tests/../model/file.h \
 tests/../model/scenario.h tests/../sim/engine.h \
 tests/../sim/../model/error.h tests/../sim/../model/ledger.h \
 tests/../sim/../model/financing.h tests/../sim/../model/scenario.h \
 tests/../sim/../model/scenario.h tests/../sim/stats.h
tests/../model/document.h:
tests/../model/scenario.h:
tests/../model/error.h:
tests/helpers.h:
tests/../model/file.h:
tests/../model/scenario.h:
tests/../sim/engine.h:
tests/../sim/../model/error.h:
tests/../sim/../model/ledger.h:
tests/../sim/../model/financing.h:
tests/../sim/../model/scenario.h:
tests/../sim/../model/scenario.h:
tests/../sim/stats.h:
