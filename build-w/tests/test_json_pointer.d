build-w/tests/test_json_pointer.o: tests/test_json_pointer.c \
 tests/../model/error.h tests/../model/file.h tests/../model/error.h \
 tests/../model/json_internal.h tests/../model/scenario.h
tests/../model/error.h:
tests/../model/file.h:
tests/../model/error.h:
tests/../model/json_internal.h:
tests/../model/scenario.h:
