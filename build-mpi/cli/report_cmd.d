build-mpi/cli/report_cmd.o: cli/report_cmd.c cli/report_cmd.h \
 cli/options.h cli/commands.h cli/provenance.h cli/report.h \
 cli/../model/scenario.h cli/../model/error.h cli/../sim/engine.h \
 cli/../sim/../model/error.h cli/../sim/../model/ledger.h \
 cli/../sim/../model/financing.h cli/../sim/../model/scenario.h \
 cli/../sim/../model/scenario.h cli/../sim/stats.h cli/../model/ledger.h \
 cli/../present/paper.h cli/../present/../model/scenario.h \
 cli/../present/../sim/analysis.h \
 cli/../present/../sim/../model/scenario.h cli/../present/../sim/engine.h \
 cli/../present/../sim/engine.h cli/../present/../sim/fan.h \
 cli/../present/../sim/../model/error.h cli/../sim/analysis.h \
 cli/../sim/fan.h cli/output.h cli/../model/file.h cli/progress.h
cli/report_cmd.h:
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
cli/../model/ledger.h:
cli/../present/paper.h:
cli/../present/../model/scenario.h:
cli/../present/../sim/analysis.h:
cli/../present/../sim/../model/scenario.h:
cli/../present/../sim/engine.h:
cli/../present/../sim/engine.h:
cli/../present/../sim/fan.h:
cli/../present/../sim/../model/error.h:
cli/../sim/analysis.h:
cli/../sim/fan.h:
cli/output.h:
cli/../model/file.h:
cli/progress.h:
