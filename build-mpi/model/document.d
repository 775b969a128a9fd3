build-mpi/model/document.o: model/document.c model/document.h \
 model/scenario.h model/error.h model/file.h model/json_internal.h
model/document.h:
model/scenario.h:
model/error.h:
model/file.h:
model/json_internal.h:
