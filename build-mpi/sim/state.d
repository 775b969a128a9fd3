build-mpi/sim/state.o: sim/state.c sim/engine_internal.h \
 sim/../model/contract.h sim/../model/scenario.h sim/../model/error.h \
 sim/../model/finance.h sim/../model/financing.h sim/../model/ledger.h \
 sim/../model/financing.h sim/engine.h sim/../model/error.h \
 sim/../model/scenario.h sim/stats.h
sim/engine_internal.h:
sim/../model/contract.h:
sim/../model/scenario.h:
sim/../model/error.h:
sim/../model/finance.h:
sim/../model/financing.h:
sim/../model/ledger.h:
sim/../model/financing.h:
sim/engine.h:
sim/../model/error.h:
sim/../model/scenario.h:
sim/stats.h:
