build-mpi/tui/tui.o: tui/tui.c tui/tui.h tui/../present/format.h \
 tui/../present/../sim/engine.h tui/../present/../sim/../model/error.h \
 tui/../present/../sim/../model/ledger.h \
 tui/../present/../sim/../model/financing.h \
 tui/../present/../sim/../model/scenario.h \
 tui/../present/../sim/../model/error.h \
 tui/../present/../sim/../model/scenario.h tui/../present/../sim/stats.h \
 tui/../model/document.h tui/../model/scenario.h tui/../model/file.h \
 tui/../model/error.h tui/../sim/analysis.h \
 tui/../sim/../model/scenario.h tui/../sim/engine.h tui/../sim/engine.h \
 tui/../sim/warnings.h tui/model.h tui/../sim/stats.h
tui/tui.h:
tui/../present/format.h:
tui/../present/../sim/engine.h:
tui/../present/../sim/../model/error.h:
tui/../present/../sim/../model/ledger.h:
tui/../present/../sim/../model/financing.h:
tui/../present/../sim/../model/scenario.h:
tui/../present/../sim/../model/error.h:
tui/../present/../sim/../model/scenario.h:
tui/../present/../sim/stats.h:
tui/../model/document.h:
tui/../model/scenario.h:
tui/../model/file.h:
tui/../model/error.h:
tui/../sim/analysis.h:
tui/../sim/../model/scenario.h:
tui/../sim/engine.h:
tui/../sim/engine.h:
tui/../sim/warnings.h:
tui/model.h:
tui/../sim/stats.h:
