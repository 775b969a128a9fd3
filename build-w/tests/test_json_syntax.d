build-w/tests/test_json_syntax.o: tests/test_json_syntax.c \
 tests/../model/error.h tests/../model/file.h tests/../model/error.h \
 tests/../model/scenario.h
tests/../model/error.h:
tests/../model/file.h:
tests/../model/error.h:
tests/../model/scenario.h:
