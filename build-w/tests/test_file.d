build-w/tests/test_file.o: tests/test_file.c tests/../model/file.h \
 tests/../model/error.h
tests/../model/file.h:
tests/../model/error.h:
