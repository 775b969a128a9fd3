build-mpi/cli/output.o: cli/output.c cli/output.h cli/../model/file.h \
 cli/../model/error.h cli/provenance.h cli/report.h \
 cli/../model/scenario.h cli/../sim/engine.h cli/../sim/../model/error.h \
 cli/../sim/../model/ledger.h cli/../sim/../model/financing.h \
 cli/../sim/../model/scenario.h cli/../sim/../model/scenario.h \
 cli/../sim/stats.h
cli/output.h:
cli/../model/file.h:
cli/../model/error.h:
cli/provenance.h:
cli/report.h:
cli/../model/scenario.h:
cli/../sim/engine.h:
cli/../sim/../model/error.h:
cli/../sim/../model/ledger.h:
cli/../sim/../model/financing.h:
cli/../sim/../model/scenario.h:
cli/../sim/../model/scenario.h:
cli/../sim/stats.h:
