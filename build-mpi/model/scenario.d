build-mpi/model/scenario.o: model/scenario.c model/scenario.h \
 model/error.h
model/scenario.h:
model/error.h:
