build-mpi/sim/sample.o: sim/sample.c sim/sample.h sim/../model/scenario.h \
 sim/../model/error.h sim/../model/num.h
sim/sample.h:
sim/../model/scenario.h:
sim/../model/error.h:
sim/../model/num.h:
