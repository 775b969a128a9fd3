build-mpi/model/json_pointer.o: model/json_pointer.c \
 model/json_internal.h model/error.h
model/json_internal.h:
model/error.h:
