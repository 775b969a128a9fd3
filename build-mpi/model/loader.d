build-mpi/model/loader.o: model/loader.c model/file.h model/error.h \
 model/loader_internal.h model/json_internal.h model/scenario.h
model/file.h:
model/error.h:
model/loader_internal.h:
model/json_internal.h:
model/scenario.h:
