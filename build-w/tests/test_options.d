build-w/tests/test_options.o: tests/test_options.c tests/../cli/options.h \
 tests/../cli/commands.h tests/../cli/provenance.h tests/../cli/report.h \
 tests/../cli/../model/scenario.h tests/../cli/../model/error.h \
 tests/../cli/../sim/engine.h tests/../cli/../sim/../model/error.h \
 tests/../cli/../sim/../model/ledger.h \
 tests/../cli/../sim/../model/financing.h \
 tests/../cli/../sim/../model/scenario.h \
 tests/../cli/../sim/../model/scenario.h tests/../cli/../sim/stats.h
tests/../cli/options.h:
tests/../cli/commands.h:
tests/../cli/provenance.h:
tests/../cli/report.h:
tests/../cli/../model/scenario.h:
tests/../cli/../model/error.h:
tests/../cli/../sim/engine.h:
tests/../cli/../sim/../model/error.h:
tests/../cli/../sim/../model/ledger.h:
tests/../cli/../sim/../model/financing.h:
tests/../cli/../sim/../model/scenario.h:
tests/../cli/../sim/../model/scenario.h:
tests/../cli/../sim/stats.h:
