build-mpi/model/contract.o: model/contract.c model/contract.h \
 model/scenario.h model/error.h model/num.h
model/contract.h:
model/scenario.h:
model/error.h:
model/num.h:
