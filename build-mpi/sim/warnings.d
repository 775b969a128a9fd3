build-mpi/sim/warnings.o: sim/warnings.c sim/warnings.h \
 sim/../model/scenario.h sim/../model/error.h sim/sample.h
sim/warnings.h:
sim/../model/scenario.h:
sim/../model/error.h:
sim/sample.h:
