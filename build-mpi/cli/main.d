build-mpi/cli/main.o: cli/main.c cli/../model/document.h \
 cli/../model/scenario.h cli/../model/error.h cli/../model/file.h \
 cli/../model/scenario.h cli/../present/format.h \
 cli/../present/../sim/engine.h cli/../present/../sim/../model/error.h \
 cli/../present/../sim/../model/ledger.h \
 cli/../present/../sim/../model/financing.h \
 cli/../present/../sim/../model/scenario.h \
 cli/../present/../sim/../model/scenario.h cli/../present/../sim/stats.h \
 cli/../sim/engine.h cli/../sim/warnings.h cli/../sim/../model/scenario.h \
 cli/../tui/tui.h cli/checkpoint.h cli/../model/error.h cli/cluster.h \
 cli/commands.h cli/library.h cli/options.h cli/provenance.h cli/report.h \
 cli/output.h cli/progress.h cli/report_cmd.h
cli/../model/document.h:
cli/../model/scenario.h:
cli/../model/error.h:
cli/../model/file.h:
cli/../model/scenario.h:
cli/../present/format.h:
cli/../present/../sim/engine.h:
cli/../present/../sim/../model/error.h:
cli/../present/../sim/../model/ledger.h:
cli/../present/../sim/../model/financing.h:
cli/../present/../sim/../model/scenario.h:
cli/../present/../sim/../model/scenario.h:
cli/../present/../sim/stats.h:
cli/../sim/engine.h:
cli/../sim/warnings.h:
cli/../sim/../model/scenario.h:
cli/../tui/tui.h:
cli/checkpoint.h:
cli/../model/error.h:
cli/cluster.h:
cli/commands.h:
cli/library.h:
cli/options.h:
cli/provenance.h:
cli/report.h:
cli/output.h:
cli/progress.h:
cli/report_cmd.h:
