build-mpi/present/format.o: present/format.c present/format.h \
 present/../sim/engine.h present/../sim/../model/error.h \
 present/../sim/../model/ledger.h present/../sim/../model/financing.h \
 present/../sim/../model/scenario.h present/../sim/../model/error.h \
 present/../sim/../model/scenario.h present/../sim/stats.h
present/format.h:
present/../sim/engine.h:
present/../sim/../model/error.h:
present/../sim/../model/ledger.h:
present/../sim/../model/financing.h:
present/../sim/../model/scenario.h:
present/../sim/../model/error.h:
present/../sim/../model/scenario.h:
present/../sim/stats.h:
