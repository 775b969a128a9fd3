build-mpi/present/html.o: present/html.c present/html.h present/svg.h \
 present/../sim/engine.h present/../sim/../model/error.h \
 present/../sim/../model/ledger.h present/../sim/../model/financing.h \
 present/../sim/../model/scenario.h present/../sim/../model/error.h \
 present/../sim/../model/scenario.h present/../sim/stats.h
present/html.h:
present/svg.h:
present/../sim/engine.h:
present/../sim/../model/error.h:
present/../sim/../model/ledger.h:
present/../sim/../model/financing.h:
present/../sim/../model/scenario.h:
present/../sim/../model/error.h:
present/../sim/../model/scenario.h:
present/../sim/stats.h:
