build-mpi/model/loader_contract.o: model/loader_contract.c \
 model/loader_internal.h model/json_internal.h model/error.h \
 model/scenario.h
model/loader_internal.h:
model/json_internal.h:
model/error.h:
model/scenario.h:
