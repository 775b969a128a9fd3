build-mpi/model/ledger.o: model/ledger.c model/ledger.h model/financing.h \
 model/scenario.h model/error.h
model/ledger.h:
model/financing.h:
model/scenario.h:
model/error.h:
