build-mpi/model/error.o: model/error.c model/error.h
model/error.h:
