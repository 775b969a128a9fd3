build-mpi/model/loader_read.o: model/loader_read.c \
 model/loader_internal.h model/json_internal.h model/error.h \
 model/scenario.h
model/loader_internal.h:
model/json_internal.h:
model/error.h:
model/scenario.h:
