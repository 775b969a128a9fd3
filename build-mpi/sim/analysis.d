build-mpi/sim/analysis.o: sim/analysis.c sim/analysis.h \
 sim/../model/scenario.h sim/../model/error.h sim/engine.h \
 sim/../model/error.h sim/../model/ledger.h sim/../model/financing.h \
 sim/../model/scenario.h sim/stats.h sim/sample.h
sim/analysis.h:
sim/../model/scenario.h:
sim/../model/error.h:
sim/engine.h:
sim/../model/error.h:
sim/../model/ledger.h:
sim/../model/financing.h:
sim/../model/scenario.h:
sim/stats.h:
sim/sample.h:
