build-mpi/model/json_check.o: model/json_check.c model/file.h \
 model/error.h model/json_internal.h
model/file.h:
model/error.h:
model/json_internal.h:
