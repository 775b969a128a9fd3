build-mpi/cli/analyze.o: cli/analyze.c cli/../sim/analysis.h \
 cli/../sim/../model/scenario.h cli/../sim/../model/error.h \
 cli/../sim/engine.h cli/../sim/../model/error.h \
 cli/../sim/../model/ledger.h cli/../sim/../model/financing.h \
 cli/../sim/../model/scenario.h cli/../sim/stats.h \
 cli/../present/format.h cli/../present/../sim/engine.h cli/options.h \
 cli/commands.h cli/provenance.h cli/report.h cli/../model/scenario.h \
 cli/../sim/engine.h cli/output.h cli/../model/file.h \
 cli/../model/error.h cli/progress.h
cli/../sim/analysis.h:
cli/../sim/../model/scenario.h:
cli/../sim/../model/error.h:
cli/../sim/engine.h:
cli/../sim/../model/error.h:
cli/../sim/../model/ledger.h:
cli/../sim/../model/financing.h:
cli/../sim/../model/scenario.h:
cli/../sim/stats.h:
cli/../present/format.h:
cli/../present/../sim/engine.h:
cli/options.h:
cli/commands.h:
cli/provenance.h:
cli/report.h:
cli/../model/scenario.h:
cli/../sim/engine.h:
cli/output.h:
cli/../model/file.h:
cli/../model/error.h:
cli/progress.h:
