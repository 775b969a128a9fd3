build-mpi/present/chart.o: present/chart.c present/chart.h \
 present/../sim/engine.h present/../sim/../model/error.h \
 present/../sim/../model/ledger.h present/../sim/../model/financing.h \
 present/../sim/../model/scenario.h present/../sim/../model/error.h \
 present/../sim/../model/scenario.h present/../sim/stats.h \
 present/../sim/fan.h present/../sim/engine.h present/svg.h
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
present/svg.h:
