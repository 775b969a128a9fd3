build-w/tests/test_fan.o: tests/test_fan.c tests/../sim/fan.h \
 tests/../sim/../model/error.h tests/../sim/engine.h \
 tests/../sim/../model/ledger.h tests/../sim/../model/financing.h \
 tests/../sim/../model/scenario.h tests/../sim/../model/error.h \
 tests/../sim/../model/scenario.h tests/../sim/stats.h tests/helpers.h \
 tests/../model/file.h tests/../model/error.h tests/../model/scenario.h \
 tests/../sim/engine.h
tests/../sim/fan.h:
tests/../sim/../model/error.h:
tests/../sim/engine.h:
tests/../sim/../model/ledger.h:
tests/../sim/../model/financing.h:
tests/../sim/../model/scenario.h:
tests/../sim/../model/error.h:
tests/../sim/../model/scenario.h:
tests/../sim/stats.h:
tests/helpers.h:
tests/../model/file.h:
tests/../model/error.h:
tests/../model/scenario.h:
tests/../sim/engine.h:
