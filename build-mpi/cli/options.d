build-mpi/cli/options.o: cli/options.c cli/options.h cli/commands.h \
 cli/provenance.h cli/report.h cli/../model/scenario.h \
 cli/../model/error.h cli/../sim/engine.h cli/../sim/../model/error.h \
 cli/../sim/../model/ledger.h cli/../sim/../model/financing.h \
 cli/../sim/../model/scenario.h cli/../sim/../model/scenario.h \
 cli/../sim/stats.h cli/../model/file.h
cli/options.h:
cli/commands.h:
cli/provenance.h:
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
cli/../model/file.h:
