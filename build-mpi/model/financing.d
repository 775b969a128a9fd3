build-mpi/model/financing.o: model/financing.c model/financing.h \
 model/scenario.h model/error.h
model/financing.h:
model/scenario.h:
model/error.h:
