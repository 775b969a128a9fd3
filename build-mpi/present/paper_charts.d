build-mpi/present/paper_charts.o: present/paper_charts.c present/chart.h \
 present/../sim/engine.h present/../sim/../model/error.h \
 present/../sim/../model/ledger.h present/../sim/../model/financing.h \
 present/../sim/../model/scenario.h present/../sim/../model/error.h \
 present/../sim/../model/scenario.h present/../sim/stats.h \
 present/../sim/fan.h present/../sim/engine.h present/format.h \
 present/html.h present/paper_internal.h present/paper.h \
 present/../model/scenario.h present/../sim/analysis.h present/svg.h
present/chart.h:
present/../sim/engine.h:
present/../sim/../model/error.h:
present/../sim/../model/ledger.h:
present/../sim/../model/financing.h:
present/../sim/../model/scenario.h:
present/../sim/../model/error.h:
present/../sim/../model/scenario.h:
present/../sim/stats.h:
present/../sim/fan.h:
present/../sim/engine.h:
present/format.h:
present/html.h:
present/paper_internal.h:
present/paper.h:
present/../model/scenario.h:
present/../sim/analysis.h:
present/svg.h:
