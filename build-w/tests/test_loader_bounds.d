build-w/tests/test_loader_bounds.o: tests/test_loader_bounds.c \
 tests/../model/error.h tests/../model/file.h tests/../model/error.h \
 tests/../model/scenario.h tests/../sim/engine.h \
 tests/../sim/../model/error.h tests/../sim/../model/ledger.h \
 tests/../sim/../model/financing.h tests/../sim/../model/scenario.h \
 tests/../sim/../model/scenario.h tests/../sim/stats.h
tests/../model/error.h:
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
