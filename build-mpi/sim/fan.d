build-mpi/sim/fan.o: sim/fan.c sim/fan.h sim/../model/error.h \
 sim/engine.h sim/../model/ledger.h sim/../model/financing.h \
 sim/../model/scenario.h sim/../model/error.h sim/../model/scenario.h \
 sim/stats.h sim/engine_internal.h sim/../model/contract.h \
 sim/../model/finance.h sim/../model/financing.h sim/sample.h
sim/fan.h:
sim/../model/error.h:
sim/engine.h:
sim/../model/ledger.h:
sim/../model/financing.h:
sim/../model/scenario.h:
sim/../model/error.h:
sim/../model/scenario.h:
sim/stats.h:
sim/engine_internal.h:
sim/../model/contract.h:
sim/../model/finance.h:
sim/../model/financing.h:
sim/sample.h:
