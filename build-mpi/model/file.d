build-mpi/model/file.o: model/file.c model/file.h model/error.h
model/file.h:
model/error.h:
