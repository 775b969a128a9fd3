build-mpi/sim/stats.o: sim/stats.c sim/stats.h
sim/stats.h:
