build-mpi/model/finance.o: model/finance.c model/finance.h
model/finance.h:
