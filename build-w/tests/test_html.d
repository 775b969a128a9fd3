build-w/tests/test_html.o: tests/test_html.c tests/../present/html.h \
 tests/../present/paper.h tests/../present/../model/scenario.h \
 tests/../present/../model/error.h tests/../present/../sim/analysis.h \
 tests/../present/../sim/../model/scenario.h \
 tests/../present/../sim/engine.h \
 tests/../present/../sim/../model/error.h \
 tests/../present/../sim/../model/ledger.h \
 tests/../present/../sim/../model/financing.h \
 tests/../present/../sim/../model/scenario.h \
 tests/../present/../sim/stats.h tests/../present/../sim/engine.h \
 tests/../present/../sim/fan.h
tests/../present/html.h:
tests/../present/paper.h:
tests/../present/../model/scenario.h:
tests/../present/../model/error.h:
tests/../present/../sim/analysis.h:
tests/../present/../sim/../model/scenario.h:
tests/../present/../sim/engine.h:
tests/../present/../sim/../model/error.h:
tests/../present/../sim/../model/ledger.h:
tests/../present/../sim/../model/financing.h:
tests/../present/../sim/../model/scenario.h:
tests/../present/../sim/stats.h:
tests/../present/../sim/engine.h:
tests/../present/../sim/fan.h:
