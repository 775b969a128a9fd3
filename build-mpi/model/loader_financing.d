build-mpi/model/loader_financing.o: model/loader_financing.c \
 model/loader_internal.h model/json_internal.h model/error.h \
 model/scenario.h
model/loader_internal.h:
model/json_internal.h:
model/error.h:
model/scenario.h:
