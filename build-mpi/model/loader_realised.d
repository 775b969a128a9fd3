build-mpi/model/loader_realised.o: model/loader_realised.c \
 model/loader_internal.h model/json_internal.h model/error.h \
 model/scenario.h
model/loader_internal.h:
model/json_internal.h:
model/error.h:
model/scenario.h:
