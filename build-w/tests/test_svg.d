build-w/tests/test_svg.o: tests/test_svg.c tests/../present/chart.h \
 tests/../present/../sim/engine.h \
 tests/../present/../sim/../model/error.h \
 tests/../present/../sim/../model/ledger.h \
 tests/../present/../sim/../model/financing.h \
 tests/../present/../sim/../model/scenario.h \
 tests/../present/../sim/../model/error.h \
 tests/../present/../sim/../model/scenario.h \
 tests/../present/../sim/stats.h tests/../present/../sim/fan.h \
 tests/../present/../sim/engine.h tests/../present/svg.h
tests/../present/chart.h:
tests/../present/../sim/engine.h:
tests/../present/../sim/../model/error.h:
tests/../present/../sim/../model/ledger.h:
tests/../present/../sim/../model/financing.h:
tests/../present/../sim/../model/scenario.h:
tests/../present/../sim/../model/error.h:
tests/../present/../sim/../model/scenario.h:
tests/../present/../sim/stats.h:
tests/../present/../sim/fan.h:
tests/../present/../sim/engine.h:
tests/../present/svg.h:
