build-mpi/cli/commands.o: cli/commands.c cli/commands.h \
 build-mpi/build_info.h cli/options.h cli/provenance.h cli/report.h \
 cli/../model/scenario.h cli/../model/error.h cli/../sim/engine.h \
 cli/../sim/../model/error.h cli/../sim/../model/ledger.h \
 cli/../sim/../model/financing.h cli/../sim/../model/scenario.h \
 cli/../sim/../model/scenario.h cli/../sim/stats.h
cli/commands.h:
build-mpi/build_info.h:
cli/options.h:
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
