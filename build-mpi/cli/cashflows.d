build-mpi/cli/cashflows.o: cli/cashflows.c cli/../model/contract.h \
 cli/../model/scenario.h cli/../model/error.h cli/../model/ledger.h \
 cli/../model/financing.h cli/../present/format.h \
 cli/../present/../sim/engine.h cli/../present/../sim/../model/error.h \
 cli/../present/../sim/../model/ledger.h \
 cli/../present/../sim/../model/scenario.h cli/../present/../sim/stats.h \
 cli/../sim/engine.h cli/options.h cli/commands.h cli/provenance.h \
 cli/report.h cli/../model/scenario.h cli/output.h cli/../model/file.h
cli/../model/contract.h:
cli/../model/scenario.h:
cli/../model/error.h:
cli/../model/ledger.h:
cli/../model/financing.h:
cli/../present/format.h:
cli/../present/../sim/engine.h:
cli/../present/../sim/../model/error.h:
cli/../present/../sim/../model/ledger.h:
cli/../present/../sim/../model/scenario.h:
cli/../present/../sim/stats.h:
cli/../sim/engine.h:
cli/options.h:
cli/commands.h:
cli/provenance.h:
cli/report.h:
cli/../model/scenario.h:
cli/output.h:
cli/../model/file.h:
