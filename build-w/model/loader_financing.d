build-w/model/loader_financing.o: model/loader_financing.c \
 model/financing.h model/scenario.h model/error.h model/loader_internal.h \
 model/json_internal.h
model/financing.h:
model/scenario.h:
model/error.h:
model/loader_internal.h:
model/json_internal.h:
