build-mpi/cli/checkpoint.o: cli/checkpoint.c cli/checkpoint.h \
 cli/../model/error.h cli/../sim/engine.h cli/../sim/../model/error.h \
 cli/../sim/../model/ledger.h cli/../sim/../model/financing.h \
 cli/../sim/../model/scenario.h cli/../sim/../model/error.h \
 cli/../sim/../model/scenario.h cli/../sim/stats.h cli/../model/file.h \
 cli/../model/error.h
cli/checkpoint.h:
cli/../model/error.h:
cli/../sim/engine.h:
cli/../sim/../model/error.h:
cli/../sim/../model/ledger.h:
cli/../sim/../model/financing.h:
cli/../sim/../model/scenario.h:
cli/../sim/../model/error.h:
cli/../sim/../model/scenario.h:
cli/../sim/stats.h:
cli/../model/file.h:
cli/../model/error.h:
