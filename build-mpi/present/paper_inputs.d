build-mpi/present/paper_inputs.o: present/paper_inputs.c \
 present/../sim/sample.h present/../sim/../model/scenario.h \
 present/../sim/../model/error.h present/format.h present/../sim/engine.h \
 present/../sim/../model/error.h present/../sim/../model/ledger.h \
 present/../sim/../model/financing.h present/../sim/../model/scenario.h \
 present/../sim/stats.h present/html.h present/paper_internal.h \
 present/paper.h present/../model/scenario.h present/../sim/analysis.h \
 present/../sim/engine.h present/../sim/fan.h
present/../sim/sample.h:
present/../sim/../model/scenario.h:
present/../sim/../model/error.h:
present/format.h:
present/../sim/engine.h:
present/../sim/../model/error.h:
present/../sim/../model/ledger.h:
present/../sim/../model/financing.h:
present/../sim/../model/scenario.h:
present/../sim/stats.h:
present/html.h:
present/paper_internal.h:
present/paper.h:
present/../model/scenario.h:
present/../sim/analysis.h:
present/../sim/engine.h:
present/../sim/fan.h:
