build-mpi/cli/report.o: cli/report.c cli/report.h cli/../model/scenario.h \
 cli/../model/error.h cli/../sim/engine.h cli/../sim/../model/error.h \
 cli/../sim/../model/ledger.h cli/../sim/../model/financing.h \
 cli/../sim/../model/scenario.h cli/../sim/../model/scenario.h \
 cli/../sim/stats.h cli/../present/format.h \
 cli/../present/../sim/engine.h
cli/report.h:
cli/../model/scenario.h:
cli/../model/error.h:
cli/../sim/engine.h:
cli/../sim/../model/error.h:
cli/../sim/../model/ledger.h:
cli/../sim/../model/financing.h:
cli/../sim/../model/scenario.h:
cli/../sim/../model/scenario.h:
cli/../sim/stats.h:
cli/../present/format.h:
cli/../present/../sim/engine.h:
