build-w/tests/test_loader_realised.o: tests/test_loader_realised.c \
 tests/../model/error.h tests/../model/scenario.h tests/../model/error.h \
 tests/loader_helpers.h
tests/../model/error.h:
tests/../model/scenario.h:
tests/../model/error.h:
tests/loader_helpers.h:
